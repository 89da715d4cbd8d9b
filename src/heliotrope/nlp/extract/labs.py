"""Laboratory values: analyte, value, unit and the lab's printed reference range.

Read forms (the analyte first, then up to ten words, then the value):
``ALT was mildly raised at 61 (normal 10–49 U/L)``, ``CK 695 U/L (25–200)``,
``white cell count 11.4 (normal range 4–11 × 10^9/L)`` (and the PDF form ``× 109L``),
``CRP < 4`` (censored), ``CK 232 µkat/L (13 921 IU/L) (normal: 0.8–5.1 µkat/L; 50–308 IU/L)``
(the range in the value's own unit is chosen), lists paired by "respectively"
(``raised CK and ESR at 695 (normal range 25–200 U/L) and 32 (normal range 0–27 mm/h)
respectively``) and ``CPK six times the upper limit of normal``.

Rules:
- The range is the lab's own (clinical-spec §10: always use the reporting lab's range). An
  inverted range (``7–3``) is dropped with a note.
- A value with no unit takes the unit of its range, else the analyte's canonical unit (noted).
  ESR printed in "mm" is mm/h (Westergren, first hour).
- A value the text calls raised but printed without a range, or given only as a multiple of
  normal, is recorded against the population upper limit of ``lexicon.json``
  (``labs.population_uln``), and only when it is above it: the text's "raised" is then true
  for any usual lab. The note and the extractor ``labs.stated_high`` say so.
- "Raised"/"normal" with no value at all is kept as a mention with ``value=None``; the builder
  turns it into a warning (the record model needs a value).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from heliotrope.errors import UnitError
from heliotrope.model.units import CANONICAL_UNITS, convert
from heliotrope.model.vocabulary import Analyte
from heliotrope.nlp.extract.base import LabMention, clause_bounds
from heliotrope.nlp.extract.lexicon import Hit, Matcher, lexicon, term_table

__all__ = ["extract", "parse_range", "unit_of"]

Comparator = Literal["<", ">", "<=", ">="]

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:\s\d{3})+(?=\s*[a-zA-Zµμ×x])|\d+(?:\.\d+)?|\.\d+"
_CMP = r"(?:<=|>=|≤|≥|<|>|less\s+than|greater\s+than|more\s+than|above|below|under|over)"
_VALUE = re.compile(rf"(?P<cmp>{_CMP})?\s*(?P<num>{_NUM})", re.IGNORECASE)
_WORDS = re.compile(r"[A-Za-z][\w'’-]*")
_BAD_BEFORE = re.compile(
    r"(?:\b(?:day|days|week|weeks|month|months|year|years|aged|age|cycle|cycles|grade|stage|"
    r"fig|figure|table|dose|doses|of\s+the|lead|leads|hospital\s+day|type|step|ref)|[×x*/^])"
    r"\.?\s*$",
    re.IGNORECASE,
)
_BAD_AFTER = re.compile(
    r"\s*(?:-|–)?\s*(?:days?|weeks?|months?|years?|hours?|h\b|hrs?|minutes?|%|times|fold|"
    r"x\b|×|cycles?|mg\b|g/kg|kg|cm|mm\b(?!/)|points?)",
    re.IGNORECASE,
)
_TIMES = re.compile(
    r"(?P<n>\d+(?:\.\d+)?|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|hundred)"
    r"[\s-]*(?:times|fold|x|×)\s+(?:the\s+)?(?:upper\s+limit\s+of\s+(?:the\s+)?normal|uln|"
    r"normal|upper\s+normal|upper\s+limit)",
    re.IGNORECASE,
)
_WORD_NUMBERS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twenty": 20,
    "fifty": 50,
    "hundred": 100,
}
_PAREN = re.compile(r"\s*\(([^()]{0,120})\)")
_RANGE_PREFIX = re.compile(
    r"^\s*(?:(?:normal|reference|ref\.?|laboratory)(?:\s+(?:range|value|values|interval|"
    r"limits?))?|range|nr|rr|n|uln|upper\s+limit(?:\s+of\s+normal)?|normal\s+<)?\s*[:=]?\s*",
    re.IGNORECASE,
)
_RANGE = re.compile(
    rf"^(?P<lo>{_NUM})\s*(?P<u1>[^\d\s–\-][^–\-]*?)?\s*(?:-|–|—|to)\s*(?P<hi>{_NUM})\s*(?P<u2>.*)$",
    re.IGNORECASE,
)
_ONE_SIDED = re.compile(rf"^(?P<cmp>{_CMP})\s*(?P<num>{_NUM})\s*(?P<u>.*)$", re.IGNORECASE)
_STATED_HIGH = re.compile(
    r"\b(?:elevated|raised|high|increased|increase|elevation|abnormal|rise|peaking|peaked)\b",
    re.IGNORECASE,
)
_STATED_NORMAL = re.compile(
    r"\b(?:normal|normalised|normalized|unremarkable|within\s+(?:the\s+)?normal)\b|"
    r"\bnot\s+(?:elevated|raised)\b",
    re.IGNORECASE,
)
_LIST_GAP = re.compile(r"[\s),]*(?:and\s+)?", re.IGNORECASE)
_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)
_JOIN = re.compile(r"^(?:\s*\([^()]{1,20}\))?\s*(?:,\s*and|,|and|&|/)\s*$", re.IGNORECASE)


@cache
def _analytes() -> Matcher[Analyte]:
    terms, _ = term_table(lexicon()["labs"]["analytes"])
    return Matcher({t: Analyte(c) for t, c in terms.items()})


@cache
def _units() -> tuple[re.Pattern[str], dict[str, str]]:
    aliases: dict[str, str] = {}
    for unit, forms in lexicon()["labs"]["unit_aliases"].items():
        for form in [unit, *forms]:
            aliases[_unit_key(form)] = unit
    alternation = "|".join(
        r"\s*".join(re.escape(part) for part in form.split())
        for form in sorted(
            {f for forms in lexicon()["labs"]["unit_aliases"].values() for f in forms},
            key=len,
            reverse=True,
        )
    )
    return re.compile(rf"\s*(?:{alternation})(?![\w/])", re.IGNORECASE), aliases


def _unit_key(text: str) -> str:
    return re.sub(r"\s+", "", text.lower()).replace("μ", "µ")


def unit_of(text: str) -> str | None:
    """The canonical spelling of a printed unit ("IU/l" -> "U/L"), or None if unknown."""
    regex, aliases = _units()
    m = regex.match(text)
    if m is None or m.end() != len(text.rstrip()):
        return aliases.get(_unit_key(text))
    return aliases.get(_unit_key(m.group()))


def _number(text: str) -> float:
    return float(text.replace(",", "").replace(" ", ""))


@dataclass(frozen=True, slots=True)
class _Range:
    low: float | None
    high: float | None
    unit: str | None


def parse_range(inner: str) -> list[_Range]:
    """Ranges printed in a parenthesis: "normal 10–49 U/L", "<8 U/L", "N: 0.8-5.1; 50-308"."""
    out: list[_Range] = []
    for part in inner.split(";"):
        text = _RANGE_PREFIX.sub("", part, count=1).strip().rstrip(".")
        if not text:
            continue
        m = _RANGE.match(text)
        if m:
            unit = unit_of(m.group("u2").strip()) if m.group("u2").strip() else None
            if unit is None and m.group("u1"):
                unit = unit_of(m.group("u1").strip())
            if m.group("u2").strip() and unit is None:
                continue
            out.append(_Range(_number(m.group("lo")), _number(m.group("hi")), unit))
            continue
        m = _ONE_SIDED.match(text)
        if m:
            u = m.group("u").strip()
            unit = unit_of(u) if u else None
            if u and unit is None:
                continue
            cmp = _comparator(m.group("cmp"))
            value = _number(m.group("num"))
            if cmp in ("<", "<="):
                out.append(_Range(None, value, unit))
            else:
                out.append(_Range(value, None, unit))
            continue
        m = re.match(rf"^({_NUM})\s*(.*)$", text)
        if m and re.match(r"^\s*(?:uln|upper\s+limit)", part, re.IGNORECASE):
            out.append(_Range(None, _number(m.group(1)), unit_of(m.group(2)) or None))
    return out


def _comparator(text: str | None) -> Comparator | None:
    if not text:
        return None
    key = " ".join(text.lower().split())
    table: dict[str, Comparator] = {
        "<": "<",
        ">": ">",
        "<=": "<=",
        ">=": ">=",
        "≤": "<=",
        "≥": ">=",
        "less than": "<",
        "below": "<",
        "under": "<",
        "greater than": ">",
        "more than": ">",
        "above": ">",
        "over": ">",
    }
    return table.get(key)


@dataclass(frozen=True, slots=True)
class _Value:
    start: int
    end: int
    value: float
    comparator: Comparator | None
    unit: str | None
    ranges: tuple[_Range, ...]


def _read_value(text: str, pos: int, limit: int) -> _Value | None:
    """The first plausible value at or after ``pos`` (before ``limit``)."""
    for m in _VALUE.finditer(text, pos, limit):
        before = text[pos : m.start()]
        if len(_WORDS.findall(before)) > 10 or re.search(r"[.;]\s", before):
            return None
        if _BAD_BEFORE.search(text[max(0, m.start() - 16) : m.start()]):
            continue
        if re.match(r"[\w.]", text[m.end() : m.end() + 1] or " ") and not _units()[0].match(
            text, m.end()
        ):
            continue  # part of a word or an identifier ("IgG1", "10^9")
        unit_match = _units()[0].match(text, m.end())
        unit = None
        end = m.end()
        if unit_match:
            unit = _units()[1].get(_unit_key(unit_match.group()))
            end = unit_match.end()
        elif _BAD_AFTER.match(text, m.end()):
            continue
        ranges: list[_Range] = []
        for _ in range(2):  # an alternative value in another unit, then the range
            paren = _PAREN.match(text, end)
            if not paren:
                break
            found = parse_range(paren.group(1))
            if found:
                ranges += found
                end = paren.end()
                break
            if _VALUE.fullmatch(paren.group(1).strip().split(" ")[0] or ""):
                end = paren.end()  # "(13 921 IU/L)": the same value in another unit
                continue
            break
        if not ranges:
            trailing = re.match(
                rf",?\s*(?:normal|reference)(?:\s+range)?\s*[:=]?\s*(?P<r>(?:{_NUM})\s*(?:-|–|to)"
                rf"\s*(?:{_NUM})[^,;.()]*)",
                text[end:limit],
                re.IGNORECASE,
            )
            if trailing:
                ranges += parse_range(trailing.group("r"))
                end += trailing.end()
        return _Value(
            m.start(),
            end,
            _number(m.group("num")),
            _comparator(m.group("cmp")),
            unit,
            tuple(ranges),
        )
    return None


def _fits(value: float, unit: str, analyte: Analyte) -> bool:
    try:
        convert(value, unit, analyte)
    except UnitError:
        return False
    return True


def _mention(
    text: str, hit: Hit[Analyte], found: _Value, stated: Literal["high", "normal"] | None
) -> LabMention | None:
    analyte = hit.value
    notes: list[str] = []
    unit = found.unit
    if analyte is Analyte.esr and unit == "mm":
        unit = "mm/h"
    chosen: _Range | None = None
    for candidate in found.ranges:
        if unit is None or candidate.unit is None or candidate.unit == unit:
            chosen = candidate
            break
    if chosen is None and found.ranges:
        chosen = found.ranges[0]
    range_unit = chosen.unit if chosen else None
    if analyte is Analyte.esr and range_unit == "mm":
        range_unit = "mm/h"
    if unit is None and range_unit is not None:
        unit = range_unit
    if unit is None:
        unit = CANONICAL_UNITS[analyte]
        notes.append(f"unit not printed; {unit} assumed")
    if not _fits(found.value, unit, analyte):
        return None
    low = chosen.low if chosen else None
    high = chosen.high if chosen else None
    if range_unit is not None and not _fits(1.0, range_unit, analyte):
        low = high = range_unit = None
    if low is not None and high is not None and low > high:
        notes.append(f"printed range {low:g}–{high:g} is inverted; not used")
        low = high = range_unit = None
    if high is not None and high <= 0:
        high = None
    extractor = "labs.value"
    if low is None and high is None and stated == "high":
        pop = _population_uln(analyte)
        if pop is not None and convert(found.value, unit, analyte) > convert(*pop, analyte):
            high, range_unit = pop
            extractor = "labs.stated_high"
            notes.append(
                f"reported raised with no reference range printed; population upper limit "
                f"{pop[0]:g} {pop[1]} used (clinical-spec §10)"
            )
    return LabMention(
        start=hit.start,
        end=found.end,
        extractor=extractor,
        analyte=analyte,
        value=found.value,
        unit=unit,
        comparator=found.comparator,
        low=low,
        high=high,
        range_unit=range_unit if range_unit != unit else None,
        note="; ".join(notes) or None,
        stated=stated,
    )


def _population_uln(analyte: Analyte) -> tuple[float, str] | None:
    entry = lexicon()["labs"]["population_uln"].get(analyte.value)
    return None if entry is None else (float(entry[0]), str(entry[1]))


def _stated(
    text: str, hit: Hit[Analyte], found: _Value | None, limit: int
) -> Literal["high", "normal"] | None:
    """ "Raised"/"normal" said of this analyte: up to 45 characters before it, between it and
    its value, or just after the value (brackets, which hold ranges, are not read)."""
    lo, hi = clause_bounds(text, hit.start, hit.end)
    before = text[max(lo, hit.start - 45) : hit.start]
    if found is not None:
        tail = text[found.end : min(limit, hi, found.end + 30)]
        after = text[hit.end : found.start] + " " + _TAIL_STOP.split(tail, maxsplit=1)[0]
    else:
        after = text[hit.end : min(limit, hi, hit.end + 60)]
    after = _BRACKETS.sub(" ", after)
    before = _BRACKETS.sub(" ", before)
    for part in (after, before):
        normal = _STATED_NORMAL.search(part)
        high = _STATED_HIGH.search(part)
        if normal and (not high or normal.start() < high.start()):
            return "normal"
        if high:
            return "high"
    return None


_BRACKETS = re.compile(r"\([^()]*\)")
_TAIL_STOP = re.compile(r"\band\b|[,;]")


def _times_uln(text: str, hit: Hit[Analyte], limit: int) -> LabMention | None:
    m = _TIMES.search(text, hit.end, limit)
    if m is None or len(_WORDS.findall(text[hit.end : m.start()])) > 8:
        return None
    raw = m.group("n").lower()
    times = float(_WORD_NUMBERS.get(raw, 0) or raw)
    pop = _population_uln(hit.value)
    if pop is None or times <= 1:
        return None
    return LabMention(
        start=hit.start,
        end=m.end(),
        extractor="labs.stated_high",
        analyte=hit.value,
        value=round(times * pop[0], 3),
        unit=pop[1],
        low=None,
        high=pop[0],
        note=f"reported as {times:g} × the upper limit of normal with no value printed; "
        f"recorded as {times:g} × the population upper limit {pop[0]:g} {pop[1]} "
        "(clinical-spec §10)",
        stated="high",
    )


def _analyte_hits(text: str) -> list[Hit[Analyte]]:
    hits: list[Hit[Analyte]] = []
    for hit in _analytes().find(text):
        if (
            hits
            and hits[-1].value is hit.value
            and re.fullmatch(r"\s*\(\s*", text[hits[-1].end : hit.start])
        ):
            continue  # "creatine kinase (CK)": the abbreviation of the name just read
        before = text[max(0, hit.start - 3) : hit.start].lower()
        after = text[hit.end : hit.end + 4].lower()
        if hit.value is Analyte.ck and (
            "mb" in before or re.match(r"[-\s]?mb\b", after) or after.startswith("-mb")
        ):
            continue
        hits.append(hit)
    return hits


def _respectively(text: str, hits: list[Hit[Analyte]]) -> list[LabMention]:
    """``A and B at x (range) and y (range) respectively``."""
    marker = _RESPECTIVELY.search(text)
    if marker is None:
        return []
    group = [h for h in hits if h.end <= marker.start()]
    # the run of analytes joined by "and"/"," just before the values
    run: list[Hit[Analyte]] = []
    for hit in group:
        if run and not _JOIN.match(text[run[-1].end : hit.start]):
            run = []
        run.append(hit)
    if len(run) < 2:
        return []
    values: list[_Value] = []
    pos = run[-1].end
    while len(values) < len(run):
        found = _read_value(text, pos, marker.start())
        if found is None:
            break
        values.append(found)
        pos = found.end
    if len(values) != len(run):
        return []
    stated = _stated(text, run[0], None, run[-1].end)
    out = []
    for hit, found in zip(run, values, strict=True):
        mention = _mention(text, hit, found, stated)
        if mention is not None:
            out.append(mention)
    return out


def extract(text: str) -> list[LabMention]:
    """Lab values (and value-less "raised"/"normal" statements) named in ``text``."""
    hits = _analyte_hits(text)
    out = _respectively(text, hits)
    done = {(m.analyte, m.start) for m in out}
    for index, hit in enumerate(hits):
        if (hit.value, hit.start) in done:
            continue
        limit = hits[index + 1].start if index + 1 < len(hits) else len(text)
        limit = min(limit, hit.end + 160)
        found = _read_value(text, hit.end, limit)
        times = _times_uln(text, hit, limit)
        if times is not None and (found is None or found.start > times.start):
            out.append(times)
            continue
        stated = _stated(text, hit, found, limit)
        if (
            stated is None
            and out
            and out[-1].stated == "high"
            and _LIST_GAP.fullmatch(text[out[-1].end : hit.start])
        ):
            stated = "high"  # "elevated CK (5308 IU/L), myoglobin (...) and LDH (...)"
        if found is None:
            if stated is not None:
                out.append(
                    LabMention(
                        start=hit.start,
                        end=hit.end,
                        extractor="labs.stated",
                        analyte=hit.value,
                        value=None,
                        unit=None,
                        stated=stated,
                    )
                )
            continue
        mention = _mention(text, hit, found, stated)
        if mention is not None:
            out.append(mention)
    out.sort(key=lambda m: m.start)
    return out
