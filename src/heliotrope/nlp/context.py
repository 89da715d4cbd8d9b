"""ConText: is a finding negated, not performed, uncertain, hypothetical, historical, or about
a relative?

A re-implementation of the ConText algorithm (Harkema H, Dowling JN, Thornblade T, Chapman WW.
ConText: an algorithm for determining negation, experiencer, and temporal status from clinical
reports. J Biomed Inform 2009;42:839–851), itself an extension of NegEx (Chapman WW, Bridewell
W, Hanbury P, Cooper GF, Buchanan BG. A simple algorithm for identifying negated findings and
diseases in discharge summaries. J Biomed Inform 2001;34:301–310). The rules are data
(``resources/nlp/context_rules.json``, validated against a closed schema).

Per sentence:

1. all cues, pseudo-cues and termination words are found in one pass of one compiled regular
   expression (literal phrases are compiled as a character trie, so a position is tried once;
   the longest phrase at the leftmost position wins, so a pseudo-cue such as "no change"
   hides the cue "no" inside it);
2. each cue's scope is computed over the sentence's tokens: forward, backward or both, at
   most ``max_scope`` words, ending at a termination word (for its category), at ``;``, at a
   ``Label:`` colon that starts a new item, and at a list boundary — a comma or "and" whose
   next item carries its own status (a value word, another cue, or an observation word that is
   not the whole list's shared predicate);
3. a target (a character span of the sentence) takes the categories of the cues whose scope
   holds it; cues overlapping the target are ignored. A negation cue that governs a target
   together with a "performed" verb ("no muscle biopsy was obtained") means *not performed*,
   not *negated*.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Literal, Protocol, TypeAlias, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from heliotrope.nlp.sentences import Sentence

__all__ = ["Assertion", "Category", "ConText", "Direction", "Modifier", "SentenceMemo"]

Category = Literal[
    "NEGATED_EXISTENCE",
    "NOT_PERFORMED",
    "POSSIBLE_EXISTENCE",
    "HYPOTHETICAL",
    "HISTORICAL",
    "FAMILY",
]
Direction = Literal["forward", "backward", "bidirectional"]

_FLAG: dict[str, str] = {
    "NEGATED_EXISTENCE": "negated",
    "NOT_PERFORMED": "not_performed",
    "POSSIBLE_EXISTENCE": "uncertain",
    "HYPOTHETICAL": "hypothetical",
    "HISTORICAL": "historical",
    "FAMILY": "family",
}
_PHRASE = re.compile(r"^[a-z0-9?'/.&,()]+(?: [a-z0-9?'/.&,()]+)*$")


# ----------------------------------------------------------------------------- public types


@dataclass(frozen=True)
class Modifier:
    """A cue that set a flag: its category, direction, text and absolute offsets."""

    category: Category
    direction: Direction
    text: str
    start: int
    end: int

    @property
    def flag(self) -> str:
        """The :class:`Assertion` field this cue sets (``"negated"``, ``"family"``…)."""
        return _FLAG[self.category]


@dataclass(frozen=True)
class Assertion:
    """The status of one target; ``cues`` are the modifiers that set its flags."""

    negated: bool = False
    not_performed: bool = False
    uncertain: bool = False
    hypothetical: bool = False
    historical: bool = False
    family: bool = False
    cues: tuple[Modifier, ...] = field(default=())

    @property
    def affirmed(self) -> bool:
        """Stated as present for the patient: no negation, doubt, hypothesis or relative."""
        return not (
            self.negated or self.not_performed or self.uncertain or self.hypothetical or self.family
        )


# ----------------------------------------------------------------------------- rules schema


def _check_phrases(phrases: list[str]) -> list[str]:
    for phrase in phrases:
        if not _PHRASE.match(phrase):
            raise ValueError(
                f"phrase {phrase!r} must be lower case, words separated by single spaces "
                "(a space also matches a hyphen)"
            )
    return phrases


def _check_patterns(patterns: list[str]) -> list[str]:
    for pattern in patterns:
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise ValueError(
                f"pattern {pattern!r} is not a valid regular expression: {exc}"
            ) from exc
        if compiled.groupindex:
            raise ValueError(f"pattern {pattern!r} must not use named groups")
    return patterns


_A = TypeVar("_A", bound="_Anchored")


def _check_anchored(rule: _A) -> _A:
    if rule.patterns and not rule.anchors:
        raise ValueError("a group with 'patterns' needs 'anchors' (words a match must contain)")
    if any(a != a.lower() or not a.strip() for a in rule.anchors):
        raise ValueError("anchors must be non-empty lower-case strings")
    if not rule.phrases and not rule.patterns:
        raise ValueError("a group needs 'phrases' or 'patterns'")
    return rule


class _Anchored(Protocol):
    phrases: list[str]
    patterns: list[str]
    anchors: list[str]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CueRule(_Strict):
    """A group of cue phrases/patterns sharing a category, a direction and a scope."""

    category: Category
    direction: Direction
    max_scope: int = Field(ge=1, le=50)
    phrases: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)
    anchors: list[str] = Field(default_factory=list)
    note: str | None = None

    _phrases = field_validator("phrases")(_check_phrases)
    _patterns = field_validator("patterns")(_check_patterns)
    _anchored = model_validator(mode="after")(_check_anchored)


class PseudoRule(_Strict):
    phrases: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)
    anchors: list[str] = Field(default_factory=list)
    note: str | None = None

    _phrases = field_validator("phrases")(_check_phrases)
    _patterns = field_validator("patterns")(_check_patterns)
    _anchored = model_validator(mode="after")(_check_anchored)


class TerminationRule(_Strict):
    phrases: list[str] = Field(min_length=1)
    categories: list[Category] | None = None

    _phrases = field_validator("phrases")(_check_phrases)


class ListRules(_Strict):
    observation: list[str]
    value: list[str]
    plural_auxiliaries: list[str]
    coordinators: list[str]
    applies_to: list[Category]


class ContextRules(_Strict):
    """The closed schema of ``context_rules.json``."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    comment: str = Field(alias="$comment")
    version: Literal[1]
    cues: list[CueRule] = Field(min_length=1)
    pseudo: list[PseudoRule]
    terminations: list[TerminationRule]
    lists: ListRules
    not_performed_verbs: list[str]

    @model_validator(mode="after")
    def _unique(self) -> ContextRules:
        seen: dict[str, str] = {}
        groups: list[tuple[str, list[str]]] = [
            *((f"{c.category}/{c.direction}", c.phrases) for c in self.cues),
            *(("PSEUDO", p.phrases) for p in self.pseudo),
            *(("TERMINATION", t.phrases) for t in self.terminations),
        ]
        for where, phrases in groups:
            for phrase in phrases:
                if phrase in seen:
                    raise ValueError(
                        f"phrase {phrase!r} is listed twice ({seen[phrase]} and {where})"
                    )
                seen[phrase] = where
        return self


# ----------------------------------------------------------------------------- compilation

_Kind = Literal["cue", "pseudo", "term"]


@dataclass(frozen=True)
class _Entry:
    kind: _Kind
    category: Category | None = None
    direction: Direction = "forward"
    max_scope: int = 0
    categories: frozenset[str] | None = None  # for terminations: which categories they end


@lru_cache(maxsize=1024)
def _norm(text: str) -> str:
    return re.sub(r"[\s\-]+", " ", text.lower().replace("’", "'")).strip()


def _char(ch: str) -> str:
    if ch == " ":
        return r"[\s\-]+"
    if ch == "'":
        return "['’]"
    return re.escape(ch)


_Node: TypeAlias = dict[str, "_Node"]


def _trie(phrases: Iterable[str]) -> str:
    """A regex matching any of ``phrases``, longest first at each position, as a char trie."""
    root: _Node = {}
    for phrase in phrases:
        node = root
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}  # a phrase ends here

    def build(node: _Node, last: str) -> str:
        alternatives = [_char(ch) + build(child, ch) for ch, child in sorted(node.items()) if ch]
        if "" in node:  # last, so that longer phrases win
            alternatives.append(r"(?!\w)" if (last.isalnum() or last == "_") else "")
        if len(alternatives) == 1:
            return alternatives[0]
        return "(?:" + "|".join(alternatives) + ")"

    word = {k: v for k, v in root.items() if k.isalnum()}
    other = {k: v for k, v in root.items() if not k.isalnum()}
    parts = []
    if word:
        parts.append(r"(?<!\w)" + build(word, ""))
    if other:
        parts.append(build(other, ""))
    return "|".join(parts) if parts else r"(?!x)x"


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    lower: re.Pattern[str] | None
    anchors: tuple[str, ...]
    entry: _Entry


_ESCAPE_OR_GROUP_NAME = re.compile(r"\\.|\(\?P[<=]")


def _has_upper(pattern: str) -> bool:
    return any(c.isupper() for c in _ESCAPE_OR_GROUP_NAME.sub("", pattern))


@dataclass(frozen=True)
class _Compiled:
    regex: re.Pattern[str]  # the phrase trie, for lower-cased text
    regex_i: re.Pattern[str]  # the same, case-insensitive (when lower() changes length)
    phrases: dict[str, _Entry]
    patterns: tuple[_Pattern, ...]
    observation: frozenset[str]
    value: frozenset[str]
    plural: frozenset[str]
    coordinators: frozenset[str]
    list_categories: frozenset[str]
    performed: frozenset[str]


def _compile(rules: ContextRules) -> _Compiled:
    phrases: dict[str, _Entry] = {}
    patterns: list[_Pattern] = []

    def add_patterns(group: CueRule | PseudoRule, entry: _Entry) -> None:
        for pattern in group.patterns:
            source = rf"(?<!\w)(?:{pattern})(?!\w)"
            regex = re.compile(source, re.IGNORECASE)
            # matched over the lower-cased sentence when written in lower case (faster)
            lower = None if _has_upper(pattern) else re.compile(source)
            patterns.append(_Pattern(regex, lower, tuple(group.anchors), entry))

    for cue in rules.cues:
        entry = _Entry("cue", cue.category, cue.direction, cue.max_scope)
        phrases.update(dict.fromkeys(cue.phrases, entry))
        add_patterns(cue, entry)
    for pseudo in rules.pseudo:
        phrases.update(dict.fromkeys(pseudo.phrases, _Entry("pseudo")))
        add_patterns(pseudo, _Entry("pseudo"))
    for term in rules.terminations:
        cats = frozenset(term.categories) if term.categories is not None else None
        phrases.update(dict.fromkeys(term.phrases, _Entry("term", categories=cats)))
    trie = _trie(phrases)
    lists = rules.lists
    return _Compiled(
        regex=re.compile(trie),
        regex_i=re.compile(trie, re.IGNORECASE),
        phrases=phrases,
        patterns=tuple(patterns),
        observation=frozenset(lists.observation),
        value=frozenset(lists.value),
        plural=frozenset(lists.plural_auxiliaries),
        coordinators=frozenset(lists.coordinators),
        list_categories=frozenset(lists.applies_to),
        performed=frozenset(rules.not_performed_verbs),
    )


@cache
def _load(path: str | None) -> _Compiled:
    if path is None:
        raw = files("heliotrope.resources").joinpath("nlp/context_rules.json").read_text("utf-8")
    else:
        raw = Path(path).read_text("utf-8")
    return _compile(ContextRules.model_validate(json.loads(raw)))


# ----------------------------------------------------------------------------- the algorithm

_TOKEN = re.compile(r"\w+(?:[-'’./]\w+)*|[^\w\s]")
_SEPARATORS = frozenset({",", "and", "or", "nor", "&"})


@dataclass
class _Cue:
    entry: _Entry
    start: int  # relative to the sentence
    end: int
    first: int  # token indices
    last: int
    text: str


class _Sentence:
    """Tokens and cues of one sentence, and the scopes of its cues (computed lazily)."""

    def __init__(self, rules: _Compiled, text: str, cues: list[_Cue]) -> None:
        self.rules = rules
        self.text = text
        low = text.lower()
        if len(low) == len(text):  # tokens of the lower-cased sentence, in one pass
            spans = [m.span() for m in _TOKEN.finditer(low)]
            self.low = [low[a:b] for a, b in spans]
        else:
            spans = [m.span() for m in _TOKEN.finditer(text)]
            self.low = [text[a:b].lower() for a, b in spans]
        self.starts = [a for a, _ in spans]
        self.ends = [b for _, b in spans]
        self.n = len(spans)
        self.cues: list[_Cue] = []
        self.term_first: dict[int, frozenset[str] | None] = {}
        self.term_last: dict[int, frozenset[str] | None] = {}
        self.cue_first: set[int] = set()
        self.cue_last: set[int] = set()
        for cue in cues:
            cue.first = bisect.bisect_left(self.ends, cue.start + 1)
            cue.last = max(cue.first, bisect.bisect_left(self.starts, cue.end) - 1)
            if cue.entry.kind == "term":
                self.term_first[cue.first] = cue.entry.categories
                self.term_last[cue.last] = cue.entry.categories
            elif cue.entry.kind == "cue":
                self.cues.append(cue)
                self.cue_first.add(cue.first)
                self.cue_last.add(cue.last)
        self._scopes: dict[int, tuple[int, int]] = {}

    # -- helpers

    def _word(self, i: int) -> bool:
        return self.low[i][0].isalnum() or self.low[i][0] == "_"

    def _terminates(self, table: dict[int, frozenset[str] | None], i: int, cat: str) -> bool:
        if i not in table:
            return False
        cats = table[i]
        return cats is None or cat in cats

    def _label_colon(self, i: int) -> bool:
        """A ``:`` after a word (not ``1:160``): a new labelled item starts here."""
        return i > 0 and any(c.isalpha() for c in self.low[i - 1])

    def _plural_before(self, j: int, lo: int) -> bool:
        return any(self.low[k] in self.rules.plural for k in range(max(lo, j - 2), j))

    def _forward_break(self, i: int, cue: _Cue) -> tuple[bool, int]:
        """At separator ``i``: does the next item carry its own status? (break, shared-until)"""
        sep = self.low[i]
        rules = self.rules
        values = cue.entry.category in rules.list_categories
        coordinator = False
        for j in range(i + 1, self.n):
            tok = self.low[j]
            if tok in (",", ";") or self._terminates(self.term_first, j, cue.entry.category or ""):
                return False, -1
            if j in self.cue_first:
                return True, -1
            if not values:
                continue
            if tok in rules.value and sep not in ("or", "nor"):
                return True, -1
            if tok in rules.observation:
                if sep in ("or", "nor"):
                    return False, -1
                if self._plural_before(j, i + 1) or (sep == "," and coordinator):
                    return False, j
                return True, -1
            if tok in rules.coordinators:
                coordinator = True
        return False, -1

    def _backward_break(self, i: int, cue: _Cue) -> bool:
        """At separator ``i`` (going left): does the previous item carry its own status?"""
        rules = self.rules
        for j in range(i - 1, -1, -1):
            tok = self.low[j]
            if tok in (",", ";") or self._terminates(self.term_last, j, cue.entry.category or ""):
                return False
            if (
                (j in self.cue_last and j < cue.first)
                or tok in rules.value
                or tok in rules.observation
            ):
                return True
        return False

    # -- scopes

    def forward(self, cue: _Cue) -> int:
        """The exclusive end token of the cue's forward scope.

        Words inside parentheses (abbreviations, values, reference ranges) neither count
        towards the maximum scope nor end it with their punctuation."""
        cat = cue.entry.category or ""
        words = 0
        depth = 0
        shared_until = -1
        i = cue.last + 1
        while i < self.n:
            tok = self.low[i]
            if self._terminates(self.term_first, i, cat):
                return i
            if tok in "([":
                depth += 1
            elif tok in ")]":
                depth = max(0, depth - 1)
            elif depth == 0:
                if tok == ";":
                    return i
                if tok == ":" and i != cue.last + 1 and self._label_colon(i):
                    k = i - 1
                    while k > cue.last and self.low[k] not in _SEPARATORS:
                        k -= 1
                    return k + 1 if k > cue.last else i
                if tok in _SEPARATORS and i > shared_until:
                    stop, shared = self._forward_break(i, cue)
                    if stop:
                        return i
                    shared_until = max(shared_until, shared)
                if self._word(i):
                    words += 1
                    if words > cue.entry.max_scope:
                        return i
            i += 1
        return self.n

    def backward(self, cue: _Cue) -> int:
        """The first token of the cue's backward scope (parentheses as in :meth:`forward`)."""
        cat = cue.entry.category or ""
        words = 0
        depth = 0
        i = cue.first - 1
        while i >= 0:
            tok = self.low[i]
            if self._terminates(self.term_last, i, cat):
                return i + 1
            if tok in ")]":
                depth += 1
            elif tok in "([":
                depth = max(0, depth - 1)
            elif depth == 0:
                if tok == ";":
                    return i + 1
                if tok == ":" and self._label_colon(i):
                    k = i - 1
                    while k >= 0 and self.low[k] not in (",", ";") and k >= i - 6:
                        k -= 1
                    return k + 1
                if tok in (",", "and") and self._backward_break(i, cue):
                    return i + 1
                if self._word(i):
                    words += 1
                    if words > cue.entry.max_scope:
                        return i + 1
            i -= 1
        return 0

    def scope(self, index: int) -> tuple[int, int]:
        """(first token, exclusive end token) of cue ``index``'s scope, either side of it."""
        cached = self._scopes.get(index)
        if cached is None:
            cue = self.cues[index]
            direction = cue.entry.direction
            lo = self.backward(cue) if direction != "forward" else cue.first
            hi = self.forward(cue) if direction != "backward" else cue.last + 1
            cached = self._scopes[index] = (lo, hi)
        return cached

    def performed_verb(self, cue: _Cue, first: int, last: int, hi: int) -> int | None:
        """A "performed" verb with a forward negation: between the cue and the target
        ("without performing a biopsy") or just after it ("no biopsy was obtained")."""
        performed = self.rules.performed
        candidates: list[int] = [*range(cue.last + 1, first), *range(last + 1, min(hi, last + 4))]
        return next((k for k in candidates if self.low[k] in performed), None)

    def token_span(self, start: int, end: int) -> tuple[int, int]:
        first = bisect.bisect_left(self.ends, start + 1)
        last = bisect.bisect_left(self.starts, end) - 1
        return first, max(first, last)


def _contains_any(text: str, words: Iterable[str]) -> bool:
    for word in words:  # noqa: SIM110 (a loop: a quarter faster than any() over a generator)
        if word in text:
            return True
    return False


_AFFIRMED = Assertion()  # immutable: shared by every target no cue governs

#: Per sentence text, its tokens and cues (None: no cue), for :meth:`ConText.assert_targets`.
SentenceMemo = dict[str, _Sentence | None]


class ConText:
    """ConText over sentences; ``rules`` is a JSON file in the schema of the packaged one."""

    def __init__(self, rules: str | Path | None = None) -> None:
        self._rules = _load(None if rules is None else str(Path(rules).resolve()))

    def _cues(self, text: str) -> list[_Cue]:
        """Cues, pseudo-cues and terminations of ``text``, in order, not overlapping."""
        rules = self._rules
        low = text.lower()
        if len(low) == len(text):
            matches = rules.regex.finditer(low)
        else:  # a few characters lower-case to two; match the original, ignoring case
            matches = rules.regex_i.finditer(text)
        found: list[_Cue] = []
        for m in matches:
            entry = rules.phrases.get(_norm(m.group()))
            if entry is not None:
                found.append(_Cue(entry, m.start(), m.end(), 0, 0, text[m.start() : m.end()]))
        extra: list[_Cue] = []
        same = len(low) == len(text)
        for pattern in rules.patterns:
            if _contains_any(low, pattern.anchors):
                found_in = (
                    pattern.lower.finditer(low)
                    if pattern.lower is not None and same
                    else pattern.regex.finditer(text)
                )
                extra += [
                    _Cue(pattern.entry, m.start(), m.end(), 0, 0, text[m.start() : m.end()])
                    for m in found_in
                ]
        if extra:
            found = [
                c for c in found if not any(c.start < e.end and e.start < c.end for e in extra)
            ]
            found = sorted(found + extra, key=lambda c: c.start)
        return found

    def modifiers(self, sentence: Sentence) -> list[Modifier]:
        """Every cue found in the sentence (absolute offsets), whatever it governs."""
        return [
            Modifier(
                c.entry.category,
                c.entry.direction,
                c.text,
                sentence.start + c.start,
                sentence.start + c.end,
            )
            for c in self._cues(sentence.text)
            if c.entry.kind == "cue" and c.entry.category is not None
        ]

    def assert_targets(
        self,
        sentence: Sentence,
        targets: Sequence[tuple[int, int]],
        *,
        memo: SentenceMemo | None = None,
    ) -> list[Assertion]:
        """The assertion of each target (absolute ``(start, end)`` spans inside the sentence).

        ``memo`` (a dict the caller keeps, e.g. for one document) keeps each sentence text's
        cues and tokens: a sentence said again word for word (repeated boilerplate, a note
        copied forward) is not scanned again. The assertions are the same either way."""
        relative: list[tuple[int, int]] = []
        for start, end in targets:
            if not (sentence.start <= start < end <= sentence.end):
                raise ValueError(
                    f"target ({start}, {end}) is not inside the sentence "
                    f"({sentence.start}, {sentence.end})"
                )
            relative.append((start - sentence.start, end - sentence.start))
        if not relative:
            return []
        text = sentence.text
        if memo is not None and text in memo:
            sent = memo[text]
        else:
            found = self._cues(text)
            sent = (
                _Sentence(self._rules, text, found)
                if any(c.entry.kind == "cue" for c in found)
                else None
            )
            if memo is not None:
                memo[text] = sent
        if sent is None:
            return [_AFFIRMED] * len(relative)
        return [self._assert(sent, sentence.start, t) for t in relative]

    def _assert(self, sent: _Sentence, offset: int, target: tuple[int, int]) -> Assertion:
        first, last = sent.token_span(*target)
        flags: dict[str, bool] = {}
        cues: list[Modifier] = []
        for index, cue in enumerate(sent.cues):
            if cue.start < target[1] and target[0] < cue.end:
                continue  # the cue overlaps the target
            lo, hi = sent.scope(index)
            forward = cue.last < first
            if forward:
                governs = first < hi
            elif cue.first > last:
                governs = last >= lo
            else:
                continue
            if not governs:
                continue
            category = cue.entry.category
            assert category is not None
            verb = sent.performed_verb(cue, first, last, hi) if forward else None
            if category == "NEGATED_EXISTENCE" and verb is not None:
                category = "NOT_PERFORMED"
            else:
                verb = None
            flags[_FLAG[category]] = True
            cues.append(
                Modifier(
                    category, cue.entry.direction, cue.text, offset + cue.start, offset + cue.end
                )
            )
            if verb is not None:
                a, b = sent.starts[verb], sent.ends[verb]
                cues.append(
                    Modifier("NOT_PERFORMED", "forward", sent.text[a:b], offset + a, offset + b)
                )
        return Assertion(
            negated=flags.get("negated", False),
            not_performed=flags.get("not_performed", False),
            uncertain=flags.get("uncertain", False),
            hypothetical=flags.get("hypothetical", False),
            historical=flags.get("historical", False),
            family=flags.get("family", False),
            cues=tuple(cues),
        )
