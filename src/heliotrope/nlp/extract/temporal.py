"""Dates and intervals: "in August 2003", "two months later", "2 months after chemotherapy",
"2 months after the end of doxorubicin", "3 weeks after starting methotrexate",
"several days following femoral surgery", "a 4-month history of", "on hospital day 9".

Each is a :class:`TimeMention` with an absolute partial date (``2003-08``) or a positive
offset and a direction; a named anchor ("femoral surgery", "chemotherapy") is kept as text
for the builder to match to an earlier event, otherwise the anchor is the previous dated
event ("later"). Vague amounts become ranges: "several days" = 2–7 days, "a few weeks" =
2–4 weeks, "several months" = 2–6 months. The sentence's event (presentation, diagnosis,
surgery, treatment start/end, admission) is named when a trigger word says so.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from heliotrope.nlp.extract.base import (
    NUMBER_WORDS,
    Caseless,
    TimeMention,
    contains_any,
    lowered,
)

__all__ = ["event_of", "extract"]

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        )
    )
}
_MONTH_RE = "|".join(_MONTHS) + r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
_NUMBER = (
    r"\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"twenty|thirty|a|an|several|few|a\s+few|some|couple\s+of|a\s+couple\s+of"
)
_UNIT = r"days?|weeks?|months?|years?"
_AMOUNT = rf"(?P<n>{_NUMBER})(?:\s*(?:-|–|to)\s*(?P<n2>\d+))?[\s-]+(?P<u>{_UNIT})"
_WORDS = {
    **NUMBER_WORDS,
    "a": 1,
    "an": 1,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
}
_VAGUE = {
    "several": {"day": (2, 7), "week": (2, 6), "month": (2, 6), "year": (2, 6)},
    "few": {"day": (2, 5), "week": (2, 4), "month": (2, 4), "year": (2, 4)},
    "some": {"day": (2, 7), "week": (2, 6), "month": (2, 6), "year": (2, 6)},
    "couple": {"day": (2, 3), "week": (2, 3), "month": (2, 3), "year": (2, 3)},
}

_ABSOLUTE = Caseless(
    rf"\b(?:(?P<d>\d{{1,2}})\s+)?(?P<mon>{_MONTH_RE})\.?\s+(?:(?P<d2>\d{{1,2}}),?\s+)?"
    rf"(?P<y>(?:19|20)\d{{2}})\b|\b(?P<iso>(?:19|20)\d{{2}}-\d{{2}}(?:-\d{{2}})?)\b"
    rf"|\b(?:in|since|during|by|until|from)\s+(?P<yo>(?:19|20)\d{{2}})\b",
)
_LATER = Caseless(
    rf"\b{_AMOUNT}\s+(?P<dir>later|afterwards|after(?:wards)?\s*,|earlier|before\s*,|"
    rf"previously|prior\s*,)",
)
_ANCHORED = Caseless(
    rf"\b{_AMOUNT}\s+(?P<dir>after|following|post|before|prior\s+to|preceding)\s+"
    rf"(?P<anchor>(?:(?:the|her|his|their|a|an)\s+)?(?:[\w'’-]+\s+){{0,5}}?"
    rf"(?:(?:surgery|operation|chemotherapy|cycle|treatment|therapy|radiotherapy|diagnosis|"
    rf"presentation|admission|discharge|biopsy|resection|lobectomy|hysterectomy|initiation|"
    rf"infusion|dose|hospitali[sz]ation|hospitali[sz]ed|being\s+hospitali[sz]ed)\b))",
)
#: "2 months after the end of doxorubicin", "3 weeks after starting methotrexate": the end or
#: the start of a treatment, whatever its name.
_ANCHORED_ENDS = Caseless(
    rf"\b{_AMOUNT}\s+(?P<dir>after|following|post|before|prior\s+to)\s+(?P<anchor>"
    r"(?:(?:the|her|his|their)\s+)?(?:(?P<stop>end|completion|cessation|discontinuation|"
    r"last\s+(?:cycle|dose|infusion)|final\s+(?:cycle|dose|infusion))|(?P<begin>start|"
    r"initiation|commencement|introduction|first\s+(?:cycle|dose|infusion)))\s+of\s+"
    r"(?:(?:the|her|his|their)\s+)?(?:[\w-]+\s+){0,2}?[\w-]+"
    r"|(?P<starting>starting|commencing|initiating|beginning)\s+(?:[\w-]+\s+){0,2}?[\w-]+"
    r"|(?P<stopping>stopping|completing|finishing|discontinuing)\s+(?:[\w-]+\s+){0,2}?"
    r"[\w-]+)",
)
#: "after <one word>" when no known event word follows within five words.
_ANCHORED_ANY = Caseless(
    rf"\b{_AMOUNT}\s+(?P<dir>after|following|post|before|prior\s+to|preceding)\s+"
    rf"(?P<anchor>(?:(?:the|her|his|their|a|an)\s+)?[\w-]+)",
)
_FEW = _AMOUNT.replace("?P<n>", "?P<fn>").replace("?P<n2>", "?P<fn2>").replace("?P<u>", "?P<fu>")
_HISTORY = Caseless(
    rf"\b(?:a|an)\s+{_AMOUNT}\s+history\s+of"
    rf"|\b(?P<ago>{_NUMBER})[\s-]+(?P<agou>{_UNIT})\s+ago\b"
    rf"|\b{_FEW}[\s-]+history\s+of",
)
_DAY = Caseless(r"\b(?:on\s+)?(?:hospital\s+)?day\s+(?P<n>\d{1,3})\b")
_END_OF = Caseless(
    r"\b(?:at\s+the\s+end\s+of|after\s+(?:the\s+)?completion\s+of|on\s+completion\s+of|"
    r"after\s+completing)\s+(?P<anchor>(?:\w+\s+){0,2}?(?:chemotherapy|treatment|therapy|"
    r"radiotherapy))",
)
_EVENTS: tuple[tuple[str, Caseless], ...] = (
    ("presentation", Caseless(r"\b(?:presented|presents|re-?presented)\b")),
    ("admission", Caseless(r"\b(?:admitted|readmitted|admission|hospitali[sz]ed)\b")),
    ("diagnosis", Caseless(r"\b(?:diagnosed|diagnosis\s+of)\b")),
    (
        "surgery",
        Caseless(
            r"\b(?:surgery|underwent\s+\w*\s*(?:resection|lobectomy|"
            r"hysterectomy|stabili[sz]ation|excision))\b"
        ),
    ),
    (
        "treatment_end",
        Caseless(r"\b(?:end\s+of|completion\s+of|completed|final\s+cycle)\b"),
    ),
    (
        "treatment_start",
        Caseless(r"\b(?:commenced|started|initiated|began|introduced)\b"),
    ),
    ("imaging", Caseless(r"\b(?:imaging|scan|ct|pet-ct|mri)\b")),
)


_MYOSITIS = (
    r"(?:dermatomyositis|polymyositis|myositis|inflammatory\s+myopathy|necroti[sz]ing\s+"
    r"(?:autoimmune\s+)?myopathy|antisynthetase\s+syndrome|imnm|\bdm\b)"
)
_CANCER = (
    r"(?:\w*sarcoma|\w*carcinoma|cancer|malignancy|tumou?r|lymphoma|melanoma|leukaemia|"
    r"leukemia|myeloma|neoplasm)"
)
_MYOSITIS_DX = Caseless(
    rf"\bdiagnos(?:is|ed|e)\s+(?:of|with|as)\s+(?:[\w-]+[\s,]+){{0,3}}?{_MYOSITIS}",
)
_PRECEDED = Caseless(
    rf"(?P<x>[^.;]{{0,80}}?)\s+(?:preceded|predated)\s+(?P<y>[^.;]{{0,80}}?)\s+by\s+{_AMOUNT}",
)


_ANY_TIME = re.compile(
    r"\b(?:day|days|week|weeks|month|months|year|years|later|earlier|ago|history|diagnos\w*|"
    r"preceded|predated|end\s+of|complet\w*)\b|(?:19|20)\d\d"
)
_ANCHOR_WORD = re.compile(r"\b(?:after|following|post|before|prior|preceding)\b")
_LATER_WORD = re.compile(r"\b(?:later|afterwards|after|earlier|before|previously|prior)\b")
_YEARISH = re.compile(r"(?:19|20)\d\d")
_UNIT_WORD = re.compile(r"(?:day|week|month|year)s?\b")


def _amount(raw: str, raw2: str | None, unit: str) -> str:
    unit = unit.lower().rstrip("s")
    key = " ".join(raw.lower().split())
    for vague, table in _VAGUE.items():
        if vague in key:
            lo, hi = table[unit]
            return f"{lo}-{hi} {unit}s"
    lo_n = float(_WORDS.get(key, 0) or key)
    text = f"{lo_n:g}"
    if raw2:
        text += f"-{raw2}"
    return f"{text} {unit}{'' if text == '1' else 's'}"


# Words one of which each trigger of _EVENTS contains (checked before its regex is run).
_EVENT_WORDS: dict[str, tuple[str, ...]] = {
    "presentation": ("present",),
    "admission": ("admi", "hospitali"),
    "diagnosis": ("diagnos",),
    "surgery": ("surgery", "underwent"),
    "treatment_end": ("end", "complet", "final"),
    "treatment_start": ("commenced", "started", "initiated", "began", "introduced"),
    "imaging": ("imaging", "scan", "ct", "mri"),
}


def event_of(text: str) -> str | None:
    """The event a sentence reports, from its trigger words (first match wins)."""
    low = lowered(text)
    for kind, regex in _EVENTS:
        if contains_any(low, _EVENT_WORDS[kind]) and regex.search(text, low):
            return kind
    return None


def _partial(m: re.Match[str]) -> str:
    if m.group("iso"):
        return m.group("iso")
    if m.group("yo"):
        return m.group("yo")
    month = _MONTHS.get(m.group("mon").lower()[:3], 0)
    if month == 0:
        month = next(v for k, v in _MONTHS.items() if k.startswith(m.group("mon").lower()[:3]))
    day = m.group("d") or m.group("d2")
    out = f"{m.group('y')}-{month:02d}"
    return f"{out}-{int(day):02d}" if day else out


def _on_calendar(partial: str) -> bool:
    """Whether a partial ISO date (``2019``, ``2019-02``, ``2019-02-28``) exists."""
    try:
        parts = [int(p) for p in partial.split("-")]
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return False
    return True


def extract(text: str, *, preceded_only: bool = False) -> list[TimeMention]:
    """Dates and intervals in ``text``; with ``preceded_only``, only "X preceded Y by N
    months" (the one time statement read outside the main story)."""
    low = lowered(text)
    if preceded_only:
        if "preceded" not in low and "predated" not in low:
            return []
    elif not _ANY_TIME.search(low):
        return []
    events: list[str | None] = []  # the sentence's event, looked up once when first needed

    def sentence_event() -> str | None:
        if not events:
            events.append(event_of(text))
        return events[0]

    out: list[TimeMention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    def add(mention: TimeMention) -> None:
        taken.append((mention.start, mention.end))
        out.append(mention)

    for m in _PRECEDED.finditer(text, low) if ("preceded" in low or "predated" in low) else ():
        x, y = m.group("x"), m.group("y")
        cancer_first = re.search(_CANCER, x, re.I) and re.search(_MYOSITIS, y, re.I)
        myositis_first = re.search(_MYOSITIS, x, re.I) and re.search(_CANCER, y, re.I)
        if not (cancer_first or myositis_first):
            continue
        add(
            TimeMention(
                start=m.start("x") + len(x) - len(x.lstrip()),
                end=m.end(),
                extractor="temporal.preceded",
                offset=_amount(m.group("n"), m.group("n2"), m.group("u")),
                direction="before" if cancer_first else "after",
                anchor_text="myositis diagnosis",
                event="cancer_diagnosis",
            )
        )
    if preceded_only:
        return out
    for m in _MYOSITIS_DX.finditer(text, low) if "diagnos" in low else ():
        if not free(m.start(), m.end()):
            continue
        add(
            TimeMention(
                start=m.start(),
                end=m.end(),
                extractor="temporal.event",
                event="myositis_diagnosis",
            )
        )
        break
    amounts = _UNIT_WORD.search(low) is not None  # "2 months", "a few days"...
    history = amounts and ("history" in low or " ago" in low)
    for m in _HISTORY.finditer(text, low) if history else ():
        if m.group("ago"):
            offset = _amount(m.group("ago"), None, m.group("agou"))
        elif m.group("n"):
            offset = _amount(m.group("n"), m.group("n2"), m.group("u"))
        else:
            offset = _amount(m.group("fn"), m.group("fn2"), m.group("fu"))
        add(
            TimeMention(
                start=m.start(),
                end=m.end(),
                extractor="temporal.history",
                offset=offset,
                direction="before",
                anchor_text="presentation",
                event="symptom_onset",
            )
        )
    anchored = (
        [
            *_ANCHORED_ENDS.finditer(text, low),
            *_ANCHORED.finditer(text, low),
            *_ANCHORED_ANY.finditer(text, low),
        ]
        if amounts and _ANCHOR_WORD.search(low)
        else []
    )
    for m in anchored:
        if not free(m.start(), m.end()):
            continue
        own = event_of(text[: m.start()] + " " + text[m.end() :])
        direction: Literal["after", "before"] = (
            "after" if m.group("dir").lower() in ("after", "following", "post") else "before"
        )
        anchor = " ".join(text[m.start("anchor") : m.end("anchor")].split())
        end: Literal["start", "stop"] | None = None
        said = m.groupdict()
        if said.get("stop") or said.get("stopping"):
            end = "stop"
        elif said.get("begin") or said.get("starting"):
            end = "start"
        elif re.search(r"\b(?:final|last)\s+cycle|\bchemotherapy\b|\btreatment\b", anchor, re.I):
            end = "stop" if direction == "after" else "start"
        add(
            TimeMention(
                start=m.start(),
                end=m.end(),
                extractor="temporal.anchored",
                offset=_amount(m.group("n"), m.group("n2"), m.group("u")),
                direction=direction,
                anchor_text=anchor,
                anchor_end=end,
                event=own,
            )
        )
    for m in _LATER.finditer(text, low) if amounts and _LATER_WORD.search(low) else ():
        if not free(m.start(), m.end()):
            continue
        word = m.group("dir").lower()
        direction = (
            "before" if word.startswith(("earlier", "before", "previous", "prior")) else "after"
        )
        add(
            TimeMention(
                start=m.start(),
                end=m.end(),
                extractor="temporal.later",
                offset=_amount(m.group("n"), m.group("n2"), m.group("u")),
                direction=direction,
                event=sentence_event(),
            )
        )
    for m in _END_OF.finditer(text, low) if ("end of" in low or "complet" in low) else ():
        if not free(m.start(), m.end()):
            continue
        add(
            TimeMention(
                start=m.start(),
                end=m.end(),
                extractor="temporal.end_of",
                offset="0 days",
                direction="after",
                anchor_text=" ".join(text[m.start("anchor") : m.end("anchor")].split()),
                anchor_end="stop",
                event="treatment_end",
            )
        )
    for m in _DAY.finditer(text, low) if "day " in low else ():
        if not free(m.start(), m.end()) or int(m.group("n")) == 0:
            continue
        add(
            TimeMention(
                start=m.start(),
                end=m.end(),
                extractor="temporal.hospital_day",
                offset=f"{int(m.group('n')) - 1} days",
                direction="after",
                anchor_text="admission",
                event=sentence_event(),
            )
        )
    for m in _ABSOLUTE.finditer(text, low) if _YEARISH.search(low) else ():
        if not free(m.start(), m.end()):
            continue
        when = _partial(m)
        if not _on_calendar(when):
            continue  # "Feb 30", month 13, year 0: not a date, left unknown (issue 12)
        add(
            TimeMention(
                start=m.start(),
                end=m.end(),
                extractor="temporal.absolute",
                date=when,
                event=sentence_event(),
            )
        )
    out.sort(key=lambda t: t.start)
    return out
