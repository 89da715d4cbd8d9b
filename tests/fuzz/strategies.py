"""Hypothesis strategies for hostile input (issue 12): case files, lesion tables, clinical
text, HTML and PDF, each grown from the project's own examples so that most inputs get deep
into the code before something is wrong with them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from .pdfs import pdf_bytes

__all__ = [
    "BASE_CASE",
    "BASE_CSV",
    "case_files",
    "clinical_texts",
    "hostile_atoms",
    "html_pages",
    "lesion_tables",
    "pdf_files",
]

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BASE_CASE: dict[str, Any] = yaml.safe_load((EXAMPLES / "founding-case.yaml").read_text("utf-8"))
BASE_CSV = (EXAMPLES / "founding-case-lesions.csv").read_text("utf-8")

_CONTROL = "\x1b[2J\x1b]0;x\x07\x9b31m\r\x08\u202e\x00"
_WORD_TEXT = (
    "dermatomyositis heliotrope rash Gottron papules proximal weakness CK creatine kinase "
    "anti-TIF1γ positive negative dysphagia ovarian lung cancer adenocarcinoma biopsy MRI "
    "EMG oedema prednisolone IVIG U/L mg/dL × 10^3 ULN normal range 26-192 not no denies "
    "onset diagnosed months weeks later before after 2019 Feb 30 2019-02-30 31/02/2019"
)
_WORDS = tuple(_WORD_TEXT.split())

#: Values that break naive readers: huge and odd numbers, impossible dates, control
#: characters, deep or empty structures.
hostile_atoms: st.SearchStrategy[Any] = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40),
    st.just(int("9" * 400)),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [
            "2019-02-30",
            "2019-13-01",
            "0000-01-01",
            "2019-00-10",
            "9999-12-31",
            "1e400 days",
            "1000000000 days",
            "-5 years",
            "",
            _CONTROL,
            "x" * 10_000,
            "{after: nowhere, by: 2 months}",
        ]
    ),
    st.text(max_size=40),
    st.none(),
    st.booleans(),
    st.just([]),
    st.just({}),
    st.recursive(st.just(1), lambda inner: st.lists(inner, max_size=2), max_leaves=80),
    st.fixed_dictionaries({"after": st.text(max_size=12), "by": st.text(max_size=12)}),
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            out += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            out += _paths(child, (*prefix, index))
    return out


_BASE_PATHS = _paths(BASE_CASE)


def _replace(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    copy = json.loads(json.dumps(data, default=str))
    target = copy
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return copy


@st.composite
def _mutated_data(draw: st.DrawFn) -> Any:
    data: Any = json.loads(json.dumps(BASE_CASE, default=str))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(_BASE_PATHS))
        try:
            data = _replace(data, path, draw(hostile_atoms))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed this path
    return data


def _dump(data: Any, as_json: bool) -> str:
    if as_json:
        return json.dumps(data, ensure_ascii=False, default=str)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@st.composite
def _byte_mutations(draw: st.DrawFn, text: str) -> bytes:
    raw = bytearray(text.encode("utf-8"))
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        at = draw(st.integers(min_value=0, max_value=max(len(raw) - 1, 0)))
        action = draw(st.sampled_from(["flip", "insert", "delete", "repeat"]))
        if action == "flip" and raw:
            raw[at] = draw(st.integers(min_value=0, max_value=255))
        elif action == "insert":
            raw[at:at] = draw(
                st.sampled_from([b"[", b"{", b"&a ", b"*a", b": ", b"\n  - ", b"\t", b'"', b"\xff"])
            )
        elif action == "delete":
            del raw[at : at + draw(st.integers(min_value=1, max_value=40))]
        elif action == "repeat":
            raw[at:at] = raw[at : at + 20] * draw(st.integers(min_value=2, max_value=50))
    return bytes(raw)


@st.composite
def case_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """(suffix, content): a founding case with hostile values, or its text corrupted."""
    as_json = draw(st.booleans())
    suffix = ".json" if as_json else ".yaml"
    if draw(st.booleans()):
        return suffix, _dump(draw(_mutated_data()), as_json).encode("utf-8")
    return suffix, draw(_byte_mutations(_dump(BASE_CASE, as_json)))


_CSV_ATOMS = st.sampled_from(
    ["", "2019-02-30", "-5", "1e400", "nan", "inf", "9" * 500, "x" * 200_000, '"', "\x1b[2J", "a,b"]
)


@st.composite
def lesion_tables(draw: st.DrawFn) -> bytes:
    """The illustrative lesion table with hostile cells, or its bytes corrupted."""
    if draw(st.booleans()):
        return draw(_byte_mutations(BASE_CSV))
    lines = BASE_CSV.splitlines()
    rows = [i for i, line in enumerate(lines) if line and not line.startswith("#")][1:]
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        index = draw(st.sampled_from(rows))
        cells = lines[index].split(",")
        cells[draw(st.integers(min_value=0, max_value=len(cells) - 1))] = draw(_CSV_ATOMS)
        lines[index] = ",".join(cells)
    return ("\n".join(lines) + "\n").encode("utf-8", errors="surrogatepass")


@st.composite
def clinical_texts(draw: st.DrawFn) -> str:
    """Clinical-sounding text with hostile shapes: no punctuation, dense numbers and dates,
    control characters, odd Unicode."""
    parts = draw(
        st.lists(
            st.one_of(
                st.sampled_from(_WORDS),
                st.sampled_from([". ", ", ", "\n", "\n\n", "(", ")", _CONTROL, "\u00ad", "ﬁ"]),
                st.integers(min_value=-(10**12), max_value=10**12).map(str),
                st.text(max_size=8),
            ),
            min_size=1,
            max_size=300,
        )
    )
    return " ".join(parts)


@st.composite
def html_pages(draw: st.DrawFn) -> str:
    """HTML: random nesting (sometimes very deep), unclosed tags, hidden parts, entities."""
    if draw(st.integers(min_value=0, max_value=5)) == 0:  # a fragment, maybe no element
        pieces = ["<!-- c -->", "</p>", "<!doctype html>", "<?pi x?>", "<", "&amp;", "<p>x"]
        return "".join(draw(st.lists(st.sampled_from(pieces) | st.text(max_size=5), max_size=4)))
    tags = ["div", "p", "span", "table", "tr", "td", "li", "pre", "main", "article", "nav", "b"]
    depth = draw(st.one_of(st.integers(min_value=0, max_value=30), st.just(600)))
    opened = [draw(st.sampled_from(tags)) for _ in range(depth)]
    inner = draw(clinical_texts())
    closing = draw(st.booleans())
    body = "".join(f"<{t}>" for t in opened) + inner.replace("<", "&lt;")
    if closing:
        body += "".join(f"</{t}>" for t in reversed(opened))
    extra = draw(
        st.sampled_from(["", "<script>x</script>", '<div hidden="">h</div>', "&#0;&#x1b;"])
    )
    return f"<html><body>{extra}{body}</body></html>"


@st.composite
def pdf_files(draw: st.DrawFn) -> bytes:
    """Small PDFs: odd media boxes, text anywhere (even off the page), compression."""
    pages = draw(
        st.lists(
            st.lists(
                st.tuples(
                    st.floats(min_value=-1000, max_value=5000),
                    st.floats(min_value=-1000, max_value=5000),
                    st.text(alphabet=st.characters(max_codepoint=255), max_size=60),
                ),
                max_size=12,
            ),
            min_size=1,
            max_size=3,
        )
    )
    box = draw(
        st.sampled_from([(612.0, 792.0), (0.0, 0.0), (1.0, 1.0), (14_400.0, 14_400.0), (1e9, 1e9)])
    )
    return pdf_bytes(pages, media_box=box, compress=draw(st.booleans()))
