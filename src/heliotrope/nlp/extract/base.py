"""What extractors return: typed mentions with character spans.

Every extractor is a pure function ``extract(text) -> list[Mention]`` over one sentence;
offsets are relative to that text (the reader shifts them to the document). A mention says
what the sentence states; whether the statement is negated, hypothetical or about a relative
is decided afterwards with ConText (see :mod:`heliotrope.nlp.build`), except where the family
reads its own polarity words (antibody results, "not performed", "normal strength").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from heliotrope.model.dates import RelativeDate
from heliotrope.model.record import MuscleGrade
from heliotrope.model.vocabulary import (
    Analyte,
    AntibodyName,
    AntibodyResult,
    FindingCode,
    InvestigationFinding,
    InvestigationKind,
    Sex,
    Side,
    Status,
    TreatmentKind,
)

__all__ = [
    "NUMBER_WORDS",
    "AntibodyMention",
    "CancerMention",
    "Caseless",
    "DemographicMention",
    "FindingMention",
    "GradeMention",
    "InvestigationMention",
    "LabMention",
    "Mention",
    "TimeMention",
    "TreatmentMention",
    "clause_bounds",
    "lowered",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Mention:
    """A span of the sentence that states a fact; ``extractor`` names the rule."""

    start: int
    end: int
    extractor: str

    @property
    def family(self) -> str:
        return type(self).__name__.removesuffix("Mention").lower()


@dataclass(frozen=True, slots=True, kw_only=True)
class FindingMention(Mention):
    code: FindingCode
    status: Status | None = None  # set when the sentence itself says (e.g. "normal strength")
    distribution: str | None = None
    grades: tuple[MuscleGrade, ...] = ()
    note: str | None = None
    laterality: Side | None = None  # one side only ("left shoulder abduction 3/5")


@dataclass(frozen=True, slots=True, kw_only=True)
class GradeMention(Mention):
    """MRC grades of muscles that no weakness finding carries (e.g. neck extensors)."""

    grades: tuple[MuscleGrade, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class LabMention(Mention):
    analyte: Analyte
    value: float | None  # None: stated raised/normal with no value printed
    unit: str | None
    comparator: Literal["<", ">", "<=", ">="] | None = None
    low: float | None = None
    high: float | None = None
    range_unit: str | None = None
    note: str | None = None
    stated: Literal["high", "normal"] | None = None
    # A statement without a value: the span of the words that say "raised"/"normal", which
    # ConText reads ("no elevation of CK", "CK may be raised") instead of the analyte's.
    said: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AntibodyMention(Mention):
    name: AntibodyName
    result: AntibodyResult | None  # None: the sentence names the test but no result
    titre: str | None = None
    method: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class InvestigationMention(Mention):
    kind: InvestigationKind
    performed: bool | None
    findings: tuple[tuple[InvestigationFinding, Status, int, int], ...] = ()
    reason: str | None = None
    summary: str | None = None
    carried: bool = False  # findings of a sentence that continues the previous investigation


@dataclass(frozen=True, slots=True, kw_only=True)
class CancerMention(Mention):
    histology: str
    site: str | None = None
    metastatic: bool | None = None
    primary_unknown: bool = False
    grade: str | None = None
    stage: str | None = None
    history: bool = False
    remission: bool = False
    year: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TreatmentMention(Mention):
    drug: str
    kind: TreatmentKind
    target: Literal["cancer", "myositis", "other"]
    line: int | None = None
    cycles: int | None = None
    dose: str | None = None
    intent: str | None = None
    dose_change: str | None = None
    dose_change_reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DemographicMention(Mention):
    age: float | None = None
    sex: Sex | None = None
    ancestry: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeMention(Mention):
    """A date or an interval: absolute (``date``) or relative (``offset`` with a direction)."""

    date: str | None = None  # partial ISO date: 2003, 2003-08, 2003-08-14
    offset: str | None = None  # "2 months", "2-6 days" (always positive)
    direction: Literal["after", "before"] | None = None
    anchor_text: str | None = None  # "femoral surgery", "chemotherapy" ... when named
    anchor_end: Literal["start", "stop"] | None = None
    event: str | None = None  # the event the sentence reports (presentation, diagnosis ...)
    relative: RelativeDate | None = field(default=None, compare=False)


_ESCAPE_OR_GROUP_NAME = re.compile(r"\\.|\(\?P[<=]")


class Caseless:
    """A regex matched ignoring case. Python's engine matches a case-sensitive pattern over
    lower-cased text several times faster than it matches ignoring case, so that is what is
    done whenever lower-casing leaves every character where it was (spans are then those of
    the original text; text a caller shows is sliced from the original). The pattern must be
    written in lower case (checked)."""

    __slots__ = ("any_case", "lower", "pattern")

    def __init__(self, pattern: str) -> None:
        if any(c.isupper() for c in _ESCAPE_OR_GROUP_NAME.sub("", pattern)):
            raise ValueError(f"a Caseless pattern is written in lower case: {pattern!r}")
        self.pattern = pattern
        self.lower = re.compile(pattern)
        self.any_case = re.compile(pattern, re.IGNORECASE)

    def finditer(
        self, text: str, low: str | None = None, pos: int = 0, endpos: int | None = None
    ) -> Iterator[re.Match[str]]:
        """Matches in ``text`` (``low``: ``text.lower()`` when the caller has it)."""
        # the lower-cased text when lower-casing keeps every character in place, else the text
        # ignoring case (written out in each method: tens of thousands of calls a megabyte)
        if low is None:
            low = lowered(text)
        if len(low) == len(text):
            return self.lower.finditer(low, pos, len(low) if endpos is None else endpos)
        return self.any_case.finditer(text, pos, len(text) if endpos is None else endpos)

    def search(
        self, text: str, low: str | None = None, pos: int = 0, endpos: int | None = None
    ) -> re.Match[str] | None:
        if low is None:
            low = lowered(text)
        if len(low) == len(text):
            return self.lower.search(low, pos, len(low) if endpos is None else endpos)
        return self.any_case.search(text, pos, len(text) if endpos is None else endpos)

    def match(
        self, text: str, low: str | None = None, pos: int = 0, endpos: int | None = None
    ) -> re.Match[str] | None:
        if low is None:
            low = lowered(text)
        if len(low) == len(text):
            return self.lower.match(low, pos, len(low) if endpos is None else endpos)
        return self.any_case.match(text, pos, len(text) if endpos is None else endpos)


def contains_any(text: str, words: Iterable[str]) -> bool:
    """Is one of ``words`` in ``text``? (A plain loop: cheaper than ``any`` over a
    generator, and asked for every sentence.)"""
    for word in words:  # noqa: SIM110 (a loop: a quarter faster than any() over a generator)
        if word in text:
            return True
    return False


def meets(text: str, clauses: Iterable[Iterable[str]]) -> bool:
    """Does ``text`` hold a word of every clause?"""
    for clause in clauses:  # noqa: SIM110 (as in contains_any)
        if not contains_any(text, clause):
            return False
    return True


@lru_cache(maxsize=64)
def lowered(text: str) -> str:
    """``text.lower()``, kept for the few sentences being read (every extractor asks)."""
    return text.lower()


# Clause boundaries inside a sentence: a semicolon, or a contrastive conjunction.
_CLAUSE_WORDS = (
    r";|\s[-–—]\s|,?\s+(?:but|whilst|while|whereas|however|although|though|except)\b|\.\s"
)
_CLAUSE = re.compile(_CLAUSE_WORDS)  # over lower-cased text: faster than ignoring case
_CLAUSE_I = re.compile(_CLAUSE_WORDS, re.IGNORECASE)


@lru_cache(maxsize=64)
def _clause_breaks(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(starts, ends) of the clause boundaries of ``text``, scanned once per sentence: every
    extractor asks for the clauses of the same few sentences."""
    starts: list[int] = []
    ends: list[int] = []
    low = lowered(text)
    found = _CLAUSE.finditer(low) if len(low) == len(text) else _CLAUSE_I.finditer(text)
    for m in found:
        starts.append(m.start())
        ends.append(m.end())
    return tuple(starts), tuple(ends)


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause of ``text`` that contains the span [start, end)."""
    starts, ends = _clause_breaks(text)
    if not starts:
        return 0, len(text)
    left = 0
    for index, b_end in enumerate(ends):
        if b_end <= start:
            left = b_end
        elif starts[index] >= end:
            return left, starts[index]
    return left, len(text)


#: Cardinal number words as clinicians write counts ("six cycles", "two weeks later").
NUMBER_WORDS: dict[str, int] = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
