"""The patient's course in words that are not dates: story events and what became of a sign.

Time points told by the story's own events (:class:`CourseTime`; the builder places them, see
:mod:`heliotrope.nlp.extract.story`):

- an event said without a time ("She commenced doxorubicin", "underwent resection of the
  tumour", "was admitted", "re-evaluation with CT") happens at the story's current point;
- "at her pre-treatment consultation" lies before the start of the treatment (within two
  weeks, an assumption the date's note states);
- "during cycle one of doxorubicin", "after the second cycle", "after six cycles" count cycles
  from the start of the treatment (cycle lengths: :func:`~.treatments.cycle_days`);
- "mid-treatment" is half-way through the treatment; "at the 3-month follow-up" and "3 months
  into treatment" count from its start;
- "on admission", "at presentation" are the story's admission or presentation;
- "after six weeks", "after a further 2 months" count from the story's current point;
- "12/03/2021" is a calendar date when the order of day and month is plain (a number above
  12); otherwise only its year is kept, with the reason.

What became of a sign (:class:`ResolutionMention`): "the rash ... resolved during cycle one",
"resolution of the skin lesions", "her weakness recovered fully": the signs last recorded
present in that domain are absent from then on. A partial or negated resolution ("the rash
has not resolved", "partially faded") says nothing sure and is not read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from heliotrope.nlp.extract.base import (
    NUMBER_WORDS,
    Caseless,
    Mention,
    TimeMention,
    TreatmentMention,
    contains_any,
    lowered,
)
from heliotrope.nlp.extract.treatments import cycle_days
from heliotrope.nlp.extract.treatments import extract as treatments_in

__all__ = [
    "PRECHECK_WORDS",
    "AnchorKind",
    "CourseTime",
    "ResolutionMention",
    "extract",
    "extract_resolutions",
    "extract_times",
]

AnchorKind = Literal[
    "current", "later", "treatment_start", "treatment_end", "admission", "presentation"
]


@dataclass(frozen=True, slots=True, kw_only=True)
class CourseTime(TimeMention):
    """A time point placed by the story's events: ``anchor_kind`` names the point it counts
    from (``current``: the story's current point); ``offset``/``direction`` as for any
    :class:`TimeMention`; ``fraction`` of the treatment's duration for ``treatment_end``
    ("mid-treatment": 0.5); ``note`` the assumption made, if any."""

    anchor_kind: AnchorKind = "current"
    fraction: float = 1.0
    note: str | None = None
    cycled: bool = False  # a start of a treatment given in cycles (chemo-, immunotherapy)


@dataclass(frozen=True, slots=True, kw_only=True)
class ResolutionMention(Mention):
    """ "The rash resolved": the signs of ``domain`` recorded present before are now absent."""

    domain: Literal["skin", "muscle"]
    word: str


_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    **NUMBER_WORDS,
}
_COUNT = r"(?P<n>\d{1,2}|" + "|".join(_ORDINALS) + r")(?:st|nd|rd|th)?"
_UNIT = r"(?P<u>day|week|month|year)s?"

_PRE_TREATMENT = Caseless(
    r"\b(?:at|during|in)\s+(?:(?:her|his|their|the|a)\s+)?pre-?\s?(?:treatment|chemotherapy|"
    r"operative|surgery)\s+(?:consultation|visit|assessment|appointment|review|clinic)\b"
)
_DURING_CYCLE = Caseless(
    rf"\b(?:during|in|on|within)\s+(?:the\s+)?(?:cycle\s+{_COUNT}|"
    + _COUNT.replace("?P<n>", "?P<k>")
    + r"\s+cycle)\b"
)
_AFTER_CYCLES = Caseless(
    rf"\b(?:after|following|on\s+completion\s+of|at\s+the\s+end\s+of)\s+(?:the\s+)?"
    rf"(?:{_COUNT}\s+(?:\w+\s+)?(?:cycles?|courses?)|cycle\s+(?P<m>\d{{1,2}}|"
    + "|".join(_ORDINALS)
    + r"))\b"
)
_MID = Caseless(
    r"\b(?:mid-?\s?(?:treatment|chemotherapy|therapy|way\s+through\s+(?:the\s+)?"
    r"(?:treatment|chemotherapy|therapy))|half-?\s?way\s+through\s+(?:the\s+)?"
    r"(?:treatment|chemotherapy|therapy))\b"
)
_FOLLOW_UP = Caseless(
    rf"\b(?:at|by)\s+(?:the\s+|her\s+|his\s+)?{_COUNT}[\s-]+{_UNIT}\s+follow[\s-]?up\b"
)
_INTO = Caseless(
    rf"\b{_COUNT}[\s-]+{_UNIT}\s+into\s+(?:the\s+|her\s+|his\s+)?(?:treatment|therapy|"
    r"chemotherapy)\b"
)
_AFTER_AMOUNT = Caseless(
    rf"\b(?:after|following)\s+(?:a\s+further\s+|another\s+)?{_COUNT}\s+{_UNIT}\b"
    r"(?!\s+(?:of|after|following|from|since|post)\b)"
)
_SLASHED = Caseless(
    r"(?<![\w/.])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>(?:19|20)\d{2})(?![\w/])"
)
_SLASH_YEAR = re.compile(r"[/.](?:19|20)\d\d")
_UNIT_WORDS = ("day", "week", "month", "year")
_AT_EVENT = Caseless(
    r"\b(?P<w>on\s+admission|at\s+admission|at\s+(?:the\s+time\s+of\s+)?presentation|"
    r"on\s+presentation)\b"
)
_RESTAGING = Caseless(
    r"\b(?:re-?evaluation|re-?staging|re-?assessment|repeat\s+(?:imaging|ct|scan|pet-ct))\b"
)
_START = Caseless(
    r"\b(?:commenced|started|initiated|began|begun|introduced|switched\s+to)\b(?!\s+to\b)"
)
_SURGERY = Caseless(
    r"\b(?:underwent|had|was\s+treated\s+with)\s+(?:\w+\s+){0,4}?(?:surgery|resection|excision|"
    r"stabili[sz]ation|fixation|\w*ectomy|amputation|operation|laparotomy)\b"
)
_START_WORDS = ("commenced", "started", "initiated", "began", "begun", "introduced", "switched")
_COMPLETED = Caseless(
    r"\b(?:completed|finished|completion\s+of)\s+(?:(?:her|his|the|their|a)\s+)?(?:\w+\s+){0,3}?"
    r"(?:chemotherapy|treatment|therapy|radiotherapy|cycles|course|regimen)\b"
)
_ADMITTED = Caseless(r"\b(?:was|were|is|being)\s+(?:re-?)?admitted\b")
_SURGERY_WORDS = (
    "surgery",
    "resection",
    "excision",
    "stabilis",
    "stabiliz",
    "fixation",
    "ectomy",
    "amputation",
    "operation",
    "laparotomy",
)

_SKIN = (
    r"(?:rash|rashes|erythema|skin\s+(?:lesions?|changes|signs|findings|features)|eruption|"
    r"cutaneous\s+(?:lesions?|features|signs))"
)
_MUSCLE = r"(?:weakness|muscle\s+strength|power|myalgia)"
_GONE = (
    r"(?P<v>resolved|faded|cleared|disappeared|subsided|settled|remitted|recovered|"
    r"normali[sz]ed|went\s+into\s+remission)"
)
_RESOLVED = Caseless(
    rf"\b(?P<s>{_SKIN}|{_MUSCLE})\b[^.;]{{0,120}}?\b{_GONE}\b"
    rf"|\b(?P<v2>resolution|clearance|disappearance)\s+of\s+(?:the\s+|her\s+|his\s+|all\s+)?"
    rf"(?P<s2>{_SKIN}|{_MUSCLE})\b"
)
_PARTIAL = Caseless(r"\b(?:partial(?:ly)?|incomplete(?:ly)?|slowly|gradually\s+improv\w*)\s*$")
#: Events said without a time, each with words one of which it needs (checked first).
_EVENTS: tuple[tuple[Caseless, str, tuple[str, ...]], ...] = (
    (
        _RESTAGING,
        "restaging",
        ("re-evaluat", "reevaluat", "restag", "re-stag", "reassess", "re-assess", "repeat"),
    ),
    (_SURGERY, "surgery", _SURGERY_WORDS),
    (_COMPLETED, "treatment_end", ("complet", "finished")),
    (_ADMITTED, "admission", ("admitted",)),
    (_START, "treatment_start", _START_WORDS),
)
_NOT = Caseless(r"\b(?:not|never|no\s+longer|yet\s+to|failed\s+to)\b|n't\b")
_GONE_WORDS = (
    "resol",
    "fade",
    "clear",
    "disappear",
    "subside",
    "settled",
    "remit",
    "recover",
    "normali",
    "remission",
)

#: Lower-case substrings one of which every sentence :func:`extract` finds something in
#: holds: the words each of its readers checks first ("/", ".19", ".20" for a calendar
#: date). A caller may skip a sentence holding none (``tests/nlp/test_course_language.py``).
PRECHECK_WORDS: tuple[str, ...] = (
    "/",
    ".19",
    ".20",
    "pre",
    "cycle",
    "course",
    "mid",
    "half",
    "follow",
    "into",
    "after",
    "admission",
    "presentation",
    *(word for _regex, _event, words in _EVENTS for word in words),
    *_GONE_WORDS,
)


def _count(m: re.Match[str], group: str = "n") -> int | None:
    raw = m.group(group)
    if raw is None:
        return None
    raw = raw.lower()
    return _ORDINALS.get(raw) or int(raw)


def _cycle_length(named: Sequence[TreatmentMention]) -> tuple[int, str | None]:
    """Cycle length of the drug the sentence names (or the usual 3 weeks, noted)."""
    drugs = [t.drug for t in named if t.kind.value in ("chemotherapy", "immunotherapy")]
    days, known = cycle_days(drugs[0] if drugs else None)
    if known:
        return days, None
    return days, f"cycle length not given: {days // 7}-weekly cycles assumed"


def extract_times(
    text: str, treatments: Sequence[TreatmentMention] | None = None
) -> list[CourseTime]:
    """Time points the story's events give in ``text`` (see the module docstring);
    ``treatments``: the sentence's treatment mentions when the caller has them."""
    low = lowered(text)
    dated = ("/" in text or ".19" in text or ".20" in text) and _SLASH_YEAR.search(text)
    found: list[Sequence[TreatmentMention]] = [] if treatments is None else [treatments]

    def named() -> Sequence[TreatmentMention]:
        if not found:
            found.append(treatments_in(text))
        return found[0]

    out: list[CourseTime] = _slashed(text, low) if dated else []

    def add(m: re.Match[str], **fields: object) -> None:
        if any(m.start() < t.end and t.start < m.end() for t in out):
            return
        out.append(CourseTime(start=m.start(), end=m.end(), **fields))  # type: ignore[arg-type]

    if "pre" in low:
        for m in _PRE_TREATMENT.finditer(text, low):
            add(
                m,
                extractor="course.pre_treatment",
                offset="1-14 days",
                direction="before",
                anchor_kind="treatment_start",
                event="consultation",
                note="pre-treatment: within two weeks before the start assumed",
            )
    if "cycle" in low or "course" in low:
        for m in _DURING_CYCLE.finditer(text, low):
            n = _count(m) if m.group("n") else _count(m, "k")
            if n is None:
                continue
            days, note = _cycle_length(named())
            add(
                m,
                extractor="course.cycle",
                event="cycle",
                offset=f"{(n - 1) * days}-{n * days} days",
                direction="after",
                anchor_kind="treatment_start",
                note=note,
            )
        for m in _AFTER_CYCLES.finditer(text, low):
            n = _count(m) if m.group("n") else _count(m, "m")
            if n is None:
                continue
            days, note = _cycle_length(named())
            add(
                m,
                extractor="course.cycle",
                event="cycle",
                offset=f"{n * days} days",
                direction="after",
                anchor_kind="treatment_start",
                note=note,
            )
    if "mid" in low or "half" in low:
        for m in _MID.finditer(text, low):
            add(
                m,
                extractor="course.mid_treatment",
                event="mid_treatment",
                offset="0 days",
                direction="after",
                anchor_kind="treatment_end",
                fraction=0.5,
            )
    if "follow" in low or "into" in low:
        for m in [*_FOLLOW_UP.finditer(text, low), *_INTO.finditer(text, low)]:
            n = _count(m)
            if n is None:
                continue
            add(
                m,
                extractor="course.follow_up",
                offset=f"{n} {m.group('u').lower()}s",
                direction="after",
                anchor_kind="treatment_start",
                event="follow_up",
            )
    if ("after" in low or "following" in low) and contains_any(low, _UNIT_WORDS):
        for m in _AFTER_AMOUNT.finditer(text, low):
            n = _count(m)
            if n is None:
                continue
            add(
                m,
                extractor="course.after",
                offset=f"{n} {m.group('u').lower()}{'s' if n != 1 else ''}",
                direction="after",
                anchor_kind="later",
            )
    if "admission" in low or "presentation" in low:
        for m in _AT_EVENT.finditer(text, low):
            kind: AnchorKind = (
                "admission" if "admission" in m.group("w").lower() else "presentation"
            )
            add(m, extractor="course.at_event", offset="0 days", anchor_kind=kind)
    # An event said without a time: at the story's current point.
    for regex, event, words in _EVENTS:
        if not contains_any(low, words):
            continue
        said = regex.search(text, low)
        if said is None:
            continue
        cycled = False
        if event == "treatment_start":
            if not named():
                continue  # "she started to notice weakness": no treatment is named
            cycled = any(t.kind.value in ("chemotherapy", "immunotherapy") for t in named())
        add(
            said,
            extractor="course.event",
            offset="0 days",
            anchor_kind="current",
            event=event,
            cycled=cycled,
        )
        break
    out.sort(key=lambda t: t.start)
    return out


def _slashed(text: str, low: str) -> list[CourseTime]:
    """ "12/03/2021", "03.12.2021": a calendar date when the order of day and month is plain
    (one number above 12, or both equal); otherwise only its year is sure, and the note says
    why (day-first and month-first writing are both in use)."""
    out = []
    for m in _SLASHED.finditer(text, low):
        a, b, year = int(m.group("a")), int(m.group("b")), m.group("y")
        note = None
        if a > 12 and 1 <= b <= 12:
            day, month = a, b
        elif b > 12 and 1 <= a <= 12:
            day, month = b, a
        elif a == b and 1 <= a <= 12:
            day, month = a, a
        elif 1 <= a <= 12 and 1 <= b <= 12:
            day = month = 0
            note = f"{m.group(0)}: day and month order ambiguous, only the year is sure"
        else:
            continue
        try:
            when = date(int(year), month, day).isoformat() if day else year
        except ValueError:
            continue  # "31/02/2020" is no date
        out.append(
            CourseTime(
                start=m.start(),
                end=m.end(),
                extractor="course.calendar",
                date=when,
                anchor_kind="current",
                note=note,
            )
        )
    return out


def extract_resolutions(text: str) -> list[ResolutionMention]:
    """ "The rash resolved", "resolution of her weakness" (see the module docstring)."""
    low = lowered(text)
    if not contains_any(low, _GONE_WORDS):
        return []
    out: list[ResolutionMention] = []
    for m in _RESOLVED.finditer(text, low):
        subject = (m.group("s") or m.group("s2") or "").lower()
        word = (m.group("v") or m.group("v2") or "").lower()
        verb_at = m.start("v") if m.group("v") else m.start("v2")
        if _PARTIAL.search(text, low, max(0, verb_at - 25), verb_at):
            continue
        if _NOT.search(text, low, m.start(), verb_at):
            continue  # "the rash has not resolved", "never cleared"
        domain: Literal["skin", "muscle"] = "muscle" if re.fullmatch(_MUSCLE, subject) else "skin"
        out.append(
            ResolutionMention(
                start=m.start(),
                end=m.end(),
                extractor="course.resolution",
                domain=domain,
                word=" ".join(word.split()),
            )
        )
    return out


def extract(text: str, treatments: Sequence[TreatmentMention] | None = None) -> list[Mention]:
    """Every course mention of ``text``: time points and resolutions, in text order
    (``treatments``: the sentence's treatment mentions when the caller has them)."""
    found: list[Mention] = [*extract_times(text, treatments), *extract_resolutions(text)]
    found.sort(key=lambda m: (m.start, m.end))
    return found
