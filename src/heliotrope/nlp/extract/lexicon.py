"""The extraction lexicon (``resources/nlp/lexicon.json``), compiled once into regexes.

A :class:`Matcher` holds a family's literal terms, compiled into a single prefix-factored
(trie) regex so that a sentence is scanned once however many terms there are, plus a few
hand-written patterns. Matching ignores case and separators; British spellings also match
American ones (``oedema``/``edema``). The file's structure is checked on load: a code that is
not in the record vocabulary is an error at import time, not a silent miss.

A group of patterns runs only when the sentence holds its ``pattern_requires`` words: a list
of words (any of them), or a list of such lists that must all be met
(``[["violaceous", "purple"], ["lid"]]``). A matcher with few terms first checks, by plain
substring tests, that a word every match would contain (:func:`required_literal`) is there.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cache, lru_cache
from importlib.resources import files
from typing import Any, Generic, NamedTuple, TypeVar

from heliotrope.model.synonyms import antibody_surface_forms
from heliotrope.model.vocabulary import (
    Analyte,
    AntibodyName,
    FindingCode,
    InvestigationFinding,
    InvestigationKind,
    MuscleGroup,
    TreatmentKind,
)
from heliotrope.nlp.extract.base import contains_any, lowered, meets

__all__ = [
    "Hit",
    "Matcher",
    "Requires",
    "fold",
    "lexicon",
    "literal_trie",
    "required_literal",
    "requirement",
    "term_pattern",
]

V = TypeVar("V")

# British spelling -> regex accepting the American one too (applied to the lower-cased term).
_SPELLINGS = (
    ("oedema", "o?edema"),
    ("oesophag", "o?esophag"),
    ("haem", "ha?em"),
    ("tumour", "tumou?r"),
    ("leukaemia", "leuka?emia"),
    ("isation", "i[sz]ation"),
    ("ised", "i[sz]ed"),
    ("colour", "colou?r"),
    ("fibre", "fib(?:re|er)"),
    ("titre", "tit(?:re|er)"),
    ("stabilis", "stabili[sz]"),
)
# ... and the folding that makes both spellings one lookup key.
_FOLDS = (
    ("oedema", "edema"),
    ("oesophag", "esophag"),
    ("haem", "hem"),
    ("tumour", "tumor"),
    ("leukaemia", "leukemia"),
    ("isation", "ization"),
    ("ised", "ized"),
    ("colour", "color"),
    ("fibre", "fiber"),
    ("titre", "titer"),
    ("stabilis", "stabiliz"),
)
_SEPARATORS = re.compile(r"[\s\-‐‑–—'’‘_]+")
_CHAR = {
    " ": r"\s+",
    "-": r"[-‐‑–—\s]?",
    "'": r"['’‘]?",
    "’": r"['’‘]?",
}


_POSSESSIVE = re.compile(r"['’‘]s\b")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """The lookup key of a surface form: lower case, no possessive 's, no separators,
    American spelling."""
    out = _SEPARATORS.sub("", _POSSESSIVE.sub("", text.lower()))
    for british, american in _FOLDS:
        if british in out:
            out = out.replace(british, american)
    return out


def _units(term: str) -> list[str]:
    """A term as a list of regex pieces, one per character (spelling variants kept whole)."""
    low = term.lower()
    pieces: list[str] = []
    i = 0
    while i < len(low):
        for british, pattern in _SPELLINGS:
            if low.startswith(british, i):
                pieces.append(pattern)
                i += len(british)
                break
        else:
            ch = low[i]
            if ch in "'’" and low[i + 1 : i + 2] == "s" and not low[i + 2 : i + 3].isalnum():
                pieces.append(r"(?:['’‘]s)?")  # "Gottron's papules" or "Gottron papules"
                i += 2
                continue
            pieces.append(_CHAR.get(ch, re.escape(ch)))
            i += 1
    return pieces


def _shared(british: str) -> tuple[str, str]:
    """The letters both spellings of a variant start and end with ("haem": "h", "em")."""
    american = dict(_FOLDS)[british]
    head = 0
    while head < min(len(british), len(american)) and british[head] == american[head]:
        head += 1
    tail = 0
    while (
        tail < min(len(british), len(american)) - head and british[-1 - tail] == american[-1 - tail]
    ):
        tail += 1
    return british[:head], british[len(british) - tail :]


_VARIANTS = {pattern: _shared(british) for british, pattern in _SPELLINGS}


def required_literal(term: str) -> str:
    """The longest stretch of ``term`` (lower case) that every match of it contains as
    written: separators, optional characters and the differing letters of a spelling variant
    break it. A gate key ("IV methylprednisolone" -> "methylprednisolone", "haemoglobin" ->
    "emoglobin")."""
    best = run = ""
    for piece in _units(term):
        if len(piece) == 1 or (
            len(piece) == 2 and piece[0] == "\\" and re.escape(piece[1]) == piece
        ):
            run += piece[-1]
        elif piece in _VARIANTS:
            head, tail = _VARIANTS[piece]
            best = max(best, run + head, key=len)
            run = tail
        else:
            best = max(best, run, key=len)
            run = ""
    return max(best, run, key=len)


def term_pattern(term: str) -> str:
    """The regex of one literal term (no boundaries)."""
    return "".join(_units(term))


def _trie_regex(terms: Iterable[str]) -> str:
    """One regex matching any of ``terms``, prefix-factored so it is scanned in one pass."""
    trie: dict[str, Any] = {}
    for term in terms:
        node = trie
        for piece in _units(term):
            node = node.setdefault(piece, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [piece + build(child) for piece, child in node.items() if piece]
        if not branches:
            return ""
        # Longer continuations first: alternation takes the first branch that matches.
        branches.sort(key=len, reverse=True)
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?"
        return body

    return build(trie)


def literal_trie(words: Iterable[str]) -> str:
    """A prefix-factored regex matching any of ``words`` literally (longest first)."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(re.escape(ch), {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        branches = [piece + build(child) for piece, child in node.items() if piece]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


class Hit(NamedTuple, Generic[V]):
    """A match: span in the scanned text and the value (code) it stands for (a named tuple:
    made for every term found, it is cheaper to build than a dataclass)."""

    start: int
    end: int
    value: V
    text: str


_PRECHECK_MAX = 16
_ESCAPE_OR_GROUP_NAME = re.compile(r"\\.|\(\?P[<=]")


def _has_upper(pattern: str) -> bool:
    """Does a regex name an upper-case letter (escapes and group names aside)?"""
    return any(c.isupper() for c in _ESCAPE_OR_GROUP_NAME.sub("", pattern))


class Matcher(Generic[V]):
    """Literal terms (one trie regex) plus regex patterns, each mapped to a value."""

    def __init__(
        self,
        terms: Mapping[str, V],
        patterns: Iterable[tuple[str, V] | tuple[str, V, Requires | tuple[str, ...]]] = (),
        *,
        plural: bool = True,
        case_sensitive: Mapping[str, V] | None = None,
    ) -> None:
        self._lookup: dict[str, V] = {fold(t): v for t, v in terms.items()}
        self._terms_list = tuple(terms)
        # A few words one of which every term match contains: checking them (a fast
        # substring search each) costs less than a scan of the trie regex.
        keys = {required_literal(t) for t in terms}
        self._precheck: tuple[str, ...] | None = (
            tuple(sorted(keys)) if "" not in keys and len(keys) <= _PRECHECK_MAX else None
        )
        suffix = r"(?:e?s)?" if plural else ""
        body = _trie_regex(terms) if terms else ""
        # Scanned over lower-cased text: a case-sensitive trie is several times faster.
        self._terms = re.compile(rf"(?<![\w]){body}{suffix}(?![\w])") if body else None
        self._terms_i = (
            re.compile(rf"(?<![\w]){body}{suffix}(?![\w])", re.IGNORECASE) if body else None
        )
        self._exact: dict[str, V] = dict(case_sensitive or {})
        self._exact_re = (
            re.compile(
                r"(?<![\w])(?:"
                + "|".join(re.escape(t) for t in sorted(self._exact, key=len, reverse=True))
                + r")(?![\w])"
            )
            if self._exact
            else None
        )
        # Patterns run only when their required substrings are in the (lower-cased) text: a
        # hand-written regex tried at every position is the slowest part of a scan.
        grouped: dict[Requires, list[tuple[str, V]]] = {}
        for entry in patterns:
            requires = requirement(entry[2] if len(entry) == 3 else ())
            grouped.setdefault(requires, []).append((entry[0], entry[1]))
        # Each group is compiled twice: matched case-sensitively over the lower-cased text
        # (several times faster) when lower-casing keeps every character in place and the
        # patterns are written in lower case; else ignoring case over the text itself.
        self._patterns: list[tuple[Requires, re.Pattern[str], re.Pattern[str] | None, list[V]]]
        self._patterns = []
        for requires, items in grouped.items():
            body = "|".join(f"(?P<p{i}>{p})" for i, (p, _) in enumerate(items))
            lower = None if any(_has_upper(p) for p, _ in items) else re.compile(body)
            self._patterns.append(
                (requires, re.compile(body, re.IGNORECASE), lower, [v for _, v in items])
            )

    def gate_keys(self) -> frozenset[str] | None:
        """Lower-case substrings one of which every match contains (a term's
        :func:`required_literal`, a pattern group's required words); None when a pattern
        requires nothing, so the matcher cannot be gated."""
        keys = {required_literal(t) for t in self._terms_list}
        keys |= {t.lower() for t in self._exact}
        for requires, _regex, _lower, _values in self._patterns:
            if not requires:
                return None
            keys |= {w.lower() for w in requires[0]}
        if "" in keys:
            return None
        return frozenset(keys)

    def finditer(self, text: str) -> Iterator[Hit[V]]:
        """Every match, possibly overlapping (terms, case-sensitive forms, then patterns)."""
        return iter(self.hits(text))

    def hits(self, text: str) -> list[Hit[V]]:
        """:meth:`finditer` as a list."""
        low = lowered(text)
        out: list[Hit[V]] = []
        terms = self._terms
        if terms is not None and self._terms_i is not None:
            words = self._precheck
            if len(low) != len(text):
                matches = self._terms_i.finditer(text)
            elif words is None or contains_any(low, words):
                matches = terms.finditer(low)
            else:
                matches = iter(())
            lookup = self._lookup
            for m in matches:
                # the term matched, as written or with a plural "s"/"es" the regex allows
                key = fold(m.group())
                value = lookup.get(key)
                if value is None and key.endswith("s"):
                    value = lookup.get(key[:-1])
                if value is None and len(key) > 2:
                    value = lookup.get(key[:-2])
                if value is not None:
                    start = m.start()
                    out.append(Hit(start, m.end(), value, text[start : m.end()]))
        if self._exact_re is not None:
            for m in self._exact_re.finditer(text):
                out.append(Hit(m.start(), m.end(), self._exact[m.group()], m.group()))
        same = len(low) == len(text)
        for requires, regex, lower, values in self._patterns:
            if not meets(low, requires):
                continue
            found = lower.finditer(low) if lower is not None and same else regex.finditer(text)
            for m in found:
                start, end = m.span()
                if end > start and m.lastgroup is not None:
                    out.append(Hit(start, end, values[int(m.lastgroup[1:])], text[start:end]))
        return out

    def find(self, text: str) -> list[Hit[V]]:
        """Non-overlapping matches: the longest wins, then the earliest; in text order."""
        return resolve_overlaps(self.hits(text))

    def search(self, text: str) -> Hit[V] | None:
        hits = self.find(text)
        return hits[0] if hits else None


def resolve_overlaps(hits: list[Hit[V]]) -> list[Hit[V]]:
    """Keep the longest of overlapping hits (earliest on ties), in text order."""
    if len(hits) < 2:
        return hits
    # Kept hits are disjoint, so sorted by start their ends are sorted too: a hit overlaps
    # one of them iff it overlaps the last kept hit starting before its end (one bisection,
    # not a scan of every kept hit: linear-logarithmic on dense text, issue 12).
    kept: list[Hit[V]] = []
    starts: list[int] = []
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start), h.start)):
        at = bisect.bisect_left(starts, hit.end)
        if at and kept[at - 1].end > hit.start:
            continue
        starts.insert(at, hit.start)
        kept.insert(at, hit)
    return kept


# -- the lexicon file ------------------------------------------------------------------------


@cache
def lexicon() -> dict[str, Any]:
    """The parsed ``lexicon.json`` (checked against the record vocabulary)."""
    raw = files("heliotrope.resources").joinpath("nlp/lexicon.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(raw)
    _check(data)
    return data


def _check(data: dict[str, Any]) -> None:
    problems: list[str] = []

    def expect(values: Iterable[str], enum: type[Any], where: str) -> None:
        for value in values:
            if value.startswith("$"):
                continue
            try:
                enum(value)
            except ValueError:
                problems.append(f"{where}: {value!r} is not a {enum.__name__}")

    expect(data["findings"], FindingCode, "findings")
    expect(data["labs"]["analytes"], Analyte, "labs.analytes")
    expect(data["labs"]["population_uln"], Analyte, "labs.population_uln")
    for group, members in data["labs"]["enzyme_groups"].items():
        if not group.startswith("$"):
            expect(members, Analyte, f"labs.enzyme_groups.{group}")
    expect(data["antibodies"]["extra_forms"], AntibodyName, "antibodies.extra_forms")
    expect(data["investigations"]["kinds"], InvestigationKind, "investigations.kinds")
    expect(data["muscle"]["grade_muscles"], MuscleGroup, "muscle.grade_muscles")
    for kind, table in data["investigations"]["findings"].items():
        expect([kind], InvestigationKind, "investigations.findings")
        expect(table, InvestigationFinding, f"investigations.findings.{kind}")
    expect(
        [d["kind"] for d in data["treatments"]["drugs"].values()],
        TreatmentKind,
        "treatments.drugs.kind",
    )
    for section in data.values():
        if isinstance(section, dict):
            _check_patterns(section, problems)
    if problems:
        raise ValueError("resources/nlp/lexicon.json is invalid:\n" + "\n".join(problems))


def _check_patterns(node: Any, problems: list[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("pattern_requires"):
                try:
                    requirement(value)
                except (ValueError, TypeError, AttributeError) as exc:
                    problems.append(f"bad pattern_requires {value!r}: {exc}")
            elif key.endswith("patterns") and isinstance(value, list):
                for pattern in value:
                    try:
                        re.compile(pattern)
                    except re.error as exc:
                        problems.append(f"bad pattern {pattern!r}: {exc}")
            else:
                _check_patterns(value, problems)


Requires = tuple[tuple[str, ...], ...]


def requirement(words: Iterable[str | Iterable[str]]) -> Requires:
    """``pattern_requires`` as clauses that must all hold, each met by any of its words:
    ``["a", "b"]`` is one clause (a or b); ``[["a", "b"], ["c"]]`` is (a or b) and c."""
    items = list(words)
    if not items:
        return ()
    if all(isinstance(w, str) for w in items):
        return (tuple(str(w).lower() for w in items),)
    if any(isinstance(w, str) for w in items):
        raise ValueError(f"pattern_requires mixes words and word lists: {items!r}")
    return tuple(
        tuple(w.lower() for w in clause) for clause in items if not isinstance(clause, str)
    )


def term_table(
    groups: Mapping[str, Any],
) -> tuple[dict[str, str], list[tuple[str, str, Requires]]]:
    """``{code: {terms, patterns, pattern_requires}}`` or ``{code: [terms]}`` ->
    (term -> code, [(pattern, code, required substrings)])."""
    terms: dict[str, str] = {}
    patterns: list[tuple[str, str, Requires]] = []
    for code, entry in groups.items():
        if code.startswith("$"):
            continue
        if isinstance(entry, list):
            terms.update({t: code for t in entry})
            continue
        terms.update({t: code for t in entry.get("terms", [])})
        requires = requirement(entry.get("pattern_requires", ()))
        patterns += [(p, code, requires) for p in entry.get("patterns", [])]
    return terms, patterns


@cache
def antibody_forms() -> dict[str, AntibodyName]:
    """Every written form of every antibody: synonyms.json plus the lexicon's extra forms."""
    forms: dict[str, AntibodyName] = {}
    for name, written in antibody_surface_forms().items():
        for form in written:
            if len(form) > 3:
                forms[form] = name
    for key, written in lexicon()["antibodies"]["extra_forms"].items():
        for form in written:
            forms[form] = AntibodyName(key)
    return forms
