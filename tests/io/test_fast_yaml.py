"""The fast YAML path (issue 13) answers exactly as the full strict loader, or leaves the text to
it: same data, same refusals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from heliotrope.errors import HeliotropeError, RecordFileError
from heliotrope.io import parsing
from heliotrope.io.parsing import parse_yaml

ROOT = Path(__file__).resolve().parents[2]


def _strict(text: str, source: str = "case.yaml") -> Any:
    """What the full path (strict loader + shape check) makes of ``text``, or its error."""
    try:
        data = yaml.load(text, Loader=parsing._StrictLoader)
    except Exception as exc:  # compared by class below
        return ("error", type(exc).__name__)
    parsing.check_shape(data, source)
    return data


def _outcome(text: str) -> Any:
    try:
        return parse_yaml(text, "case.yaml")
    except HeliotropeError as exc:
        return ("refused", type(exc).__name__, str(exc))


def _reference(text: str) -> Any:
    """The outcome of ``parse_yaml`` with the fast path switched off."""
    saved = parsing.FAST_PATH_MAX_CHARS
    parsing.FAST_PATH_MAX_CHARS = -1
    try:
        return _outcome(text)
    finally:
        parsing.FAST_PATH_MAX_CHARS = saved


def _same(text: str) -> None:
    fast, full = _outcome(text), _reference(text)
    assert fast == full, text
    assert type(fast) is type(full)
    if isinstance(full, dict | list):
        assert repr(fast) == repr(full)  # types of every value too (1 vs 1.0 vs True)


EXAMPLES = sorted((ROOT / "examples").glob("*.yaml")) + sorted(
    (ROOT / "tests" / "fuzz" / "regressions").glob("*.yaml")
)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_bundled_and_regression_files_parse_identically(path: Path) -> None:
    _same(path.read_text(encoding="utf-8", errors="replace"))


SNIPPETS = [
    "",
    "# only a comment\n",
    "id: x\n",
    "just a string",
    "- 1\n- 2\n",
    "id: x\nn: 0x1F\no: 0o17\nb: 0b101\ns: 1:30\nu: 1_000\ne: 1e3\nf: .inf\ng: -.NaN\n",
    "id: x\nflags: [yes, No, on, OFF, true, ~, null, Null]\n",
    "id: x\nd: 2019-01-15\nt: 2019-01-15 10:30:00\nz: 2019-01-15T10:30:00Z\n",
    "id: x\nd: 2019-02-30\n",
    "id: x\nid: y\n",
    "id: x\n1: a\n1.0: b\n",
    "id: x\ntrue: a\n1: b\n",
    "id: x\nn: " + "9" * 31 + "\n",
    "id: x\nn: " + "9" * 30 + "\n",
    "id: x\nbase: &b {unit: U/L}\nlab:\n  <<: *b\n  unit: IU/L\n",
    "id: x\na: &a [1, 2]\nb: *a\n",
    "id: x\nn: &a [*a]\n",
    "id: x\ns: !!str 2019\ni: !!int '12'\nb: !!binary aGk=\n",
    "id: x\nset: !!set {a, b}\n",
    "id: x\no: !!omap [a: 1, b: 2]\n",
    "id: x\np: !custom 3\n",
    "id: x\n? [a, b]\n: c\n",
    "id: x\n? {a: 1}\n: c\n",
    "id: x\nk: =\n",
    "id: x\nnote: >-\n  folded\n  text\nlit: |\n  kept\n  lines\n",
    "id: x\nq: 'single ''quoted'''\nw: \"double \\u00e9\"\n",
    "id: x\n---\nid: y\n",
    "id: x\nbroken: [1, 2\n",
    "id: x\n\tbad: tab\n",
    "n: " + "[" * 40 + "]" * 40 + "\n",
    "n: " + "[" * 70 + "]" * 70 + "\n",
    "n: " + "[" * 5000 + "]" * 5000,
    "id: x\nnested: {a: {b: {c: [1, {d: 2019}]}}}\n",
    "id: x\nempty: {}\nlist: []\nnone:\n",
]


@pytest.mark.parametrize("text", SNIPPETS)
def test_snippets_parse_identically(text: str) -> None:
    _same(text)


_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=False)
    | st.dates(min_value=dt.date(1, 1, 1))
    | st.text(max_size=12)
    | st.sampled_from(["yes", "No", "~", "0x1f", "1:20", "2019-02", "2019", "0777", ".5", "1e3"])
)
_keys = st.text(max_size=6) | st.integers(-5, 5) | st.booleans() | st.none()
_trees = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(_trees, st.booleans(), st.booleans())
def test_dumped_trees_parse_identically(tree: Any, flow: bool, sort_keys: bool) -> None:
    text = yaml.safe_dump(tree, default_flow_style=flow, sort_keys=sort_keys, allow_unicode=True)
    _same(text)


_pieces = st.lists(
    st.sampled_from(
        [
            "a",
            "b",
            "id",
            ":",
            ": ",
            "- ",
            "\n",
            "  ",
            "[",
            "]",
            "{",
            "}",
            ", ",
            "&x ",
            "*x",
            "<<: ",
            "!!str ",
            "!!int ",
            "? ",
            "'q'",
            '"d"',
            "# c",
            "2019-02-30",
            "2019-01-01",
            "9" * 31,
            "0x1",
            "yes",
            "~",
            ">-\n  f",
            "|\n  l",
            "---\n",
            "=",
        ]
    ),
    max_size=25,
)


@settings(max_examples=400, deadline=None)
@given(_pieces)
def test_random_fragments_parse_identically(pieces: list[str]) -> None:
    _same("".join(pieces))


def test_the_fast_path_is_taken_for_the_founding_case() -> None:
    text = (ROOT / "examples" / "founding-case.yaml").read_text(encoding="utf-8")
    assert parsing._fast_yaml(text) == _strict(text)


@pytest.mark.parametrize(
    "text", ["a: &x [1]\nb: *x\n", "a: {<<: {b: 1}}\n", "a: !!set {b}\n", "a: 1\na: 2\n"]
)
def test_the_fast_path_leaves_unusual_texts_to_the_full_path(text: str) -> None:
    with pytest.raises(parsing._Unusual):
        parsing._fast_yaml(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: !!int",
        "a: !!int abc",
        "a: !!float x",
        "a: !!timestamp x",
        "a: !!bool maybe",
        "a: !!map [1]",
    ],
)
def test_explicit_tags_with_unreadable_values_are_refused_not_crashed(text: str) -> None:
    """Regression: these raised IndexError, ValueError, KeyError, AttributeError or TypeError
    out of PyYAML's constructors (a traceback, HT900) instead of a coded HT100."""
    with pytest.raises(RecordFileError, match="explicit tag"):
        parse_yaml(text, "case.yaml")
