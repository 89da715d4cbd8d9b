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
- "Raised"/"normal" with no value at all is a *statement*: a mention with ``value=None``, the
  interpretation in ``stated`` and the span of the words that say it in ``said`` (which
  ConText reads: "no elevation of CK" is normal, "CK may be raised" uncertain). The builder
  records it as a :class:`~heliotrope.model.record.LabStatement`. The words must be said *of*
  the analyte: just before it ("raised serum CK", "an increase in CK"), or just after it with
  only a verb, "levels" or an adverb between ("CK levels were mildly elevated"). A
  coordinated list shares its words ("an increase in ALT, bilirubin, CK and LDH", "CK and
  myoglobin were normal"), items that are not analytes included. A group ("muscle enzymes
  were raised") is said of each member (``labs.enzyme_groups``), with a note, unless the
  sentence names members itself ("liver enzymes (ALT, AST)", "muscle enzymes such as LDH
  410 U/L"). No statement is made for an analyte the same sentence gives a value of (the
  number says more).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal

from heliotrope.errors import UnitError
from heliotrope.model.units import CANONICAL_UNITS, convert
from heliotrope.model.vocabulary import Analyte
from heliotrope.nlp.extract.base import Caseless, LabMention, clause_bounds, lowered
from heliotrope.nlp.extract.enzyme_limits import unranged_reading
from heliotrope.nlp.extract.lexicon import Hit, Matcher, lexicon, term_table

__all__ = ["extract", "parse_range", "unit_of"]

Comparator = Literal["<", ">", "<=", ">="]

_NUM = (
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|"
    r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?=\s*[a-zA-Zµμ×x]|[.;)](?!\d)|$)|"
    r"\d+(?:\.\d+)?|\.\d+"
)
_CMP = r"(?:<=|>=|≤|≥|<|>|less\s+than|greater\s+than|more\s+than|above|below|under|over)"
_VALUE = Caseless(
    rf"(?P<cmp>{_CMP})?\s*(?<![\w.^⁰¹²³⁴⁵⁶⁷⁸⁹])(?P<num>{_NUM.replace('a-zA-Z', 'a-z')})"
)
# Scientific notation: "3.4 x 10^3", "3.4 × 10³", "3.4x10*3", "3.4e3", "3.4E+03". A power of
# ten followed by "/L" is a count unit ("11.4 × 10^9/L"), not an exponent.
_SCI = Caseless(
    r"(?P<m>\d+(?:\.\d+)?)\s*(?:(?:x|×|\*)\s*10\s*(?:\^|\*\*?)?\s*(?P<e>[+-]?\d{1,2}|[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2})"
    r"|e(?P<e2>[+-]?\d{1,2}))(?![\d/⁰¹²³⁴⁵⁶⁷⁸⁹])(?!\s*/)"
)
_RISE_FROM = re.compile(r"\bfrom\s*$", re.IGNORECASE)
_RISE_TO = re.compile(r"\s*(?:to|→|->|up\s+to)\s+", re.IGNORECASE)
_YEAR_VALUE = re.compile(r"(?:19|20)\d\d")
_YEAR_BEFORE = re.compile(
    r"\b(?:in|since|from|until|during|of|by|early|late|mid|year|"
    r"jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*)"
    r"[\s,]*$",
    re.IGNORECASE,
)
_ROW_END = re.compile(
    r"[ \t]*(?:\(?(?:h|hh|l|ll|high|low|↑|↓|\*)\)?)?[ \t]*(?:\n|$)", re.IGNORECASE
)
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
# A lab table row: after the value and unit, the range in its own column (no brackets) and
# an H/L flag ("CK  12450  U/L  25-200  H"), or a flag alone ("2,310 IU/L (H)").
_COLUMN_RANGE = re.compile(
    r"[ \t]+(?P<r>(?:\d[\d,.]*\s*(?:-|–|—|to)\s*\d[\d,.]*|(?:<|≤|<=)\s*\d[\d,.]*))"
    r"(?=[ \t]|$)",
    re.IGNORECASE,
)
_FLAG = re.compile(
    r"[ \t]*(?:\((?P<p>h|hh|high|l|ll|low|↑|↓)\)|(?P<f>h|hh|high|l|ll|low|↑|↓|\*))"
    r"(?=[ \t]*$|[ \t]{2,}|\s*[,;]|\.(?:\s|$))",
    re.IGNORECASE,
)
_WORDS = re.compile(r"[A-Za-z][\w'’-]*")
_BAD_BEFORE = re.compile(
    r"(?:\b(?:day|days|week|weeks|month|months|year|years|aged|age|cycle|cycles|grade|stage|"
    r"fig|figure|table|dose|doses|of\s+the|lead|leads|hospital\s+day|type|step|ref)|[×x*/^])"
    r"\.?\s*$",
    re.IGNORECASE,
)
_BAD_AFTER = Caseless(
    r"\s*(?:-|–)?\s*(?:days?|weeks?|months?|years?|hours?|h\b|hrs?|minutes?|%|times|fold|"
    r"x\b|×|cycles?|mg\b|g/kg|kg|cm|mm\b(?!/)|points?)"
)
_TIMES = Caseless(
    r"(?P<n>\d+(?:\.\d+)?|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|hundred)"
    r"[\s-]*(?:times|fold|x|×)\s+(?:the\s+)?(?:upper\s+limit\s+of\s+(?:the\s+)?normal|uln|"
    r"normal|upper\s+normal|upper\s+limit)"
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
    r"limits?))?|range|nr|rr|nl|n|uln|upper\s+limit(?:\s+of\s+normal)?|normal\s+<)?\s*[:=,]?\s*",
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
_STOP_BEFORE = re.compile(r"[.;]\s")
_TRAILING_RANGE = re.compile(
    rf",?\s*(?:normal|reference)(?:\s+range)?\s*[:=]?\s*(?P<r>(?:{_NUM})\s*(?:-|–|to)"
    rf"\s*(?:{_NUM})[^,;.()]*)",
    re.IGNORECASE,
)
_ABBREVIATION_OPENS = re.compile(r"\s*\(\s*")
_MB_AFTER = re.compile(r"[-\s]?mb\b")
_LIST_GAP = re.compile(r"[\s),]*(?:and\s+)?", re.IGNORECASE)
_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)
_JOIN = re.compile(r"^(?:\s*\([^()]{1,20}\))?\s*(?:,\s*and|,|and|&|/)\s*$", re.IGNORECASE)


@cache
def _analytes() -> Matcher[Analyte]:
    terms, _ = term_table(lexicon()["labs"]["analytes"])
    return Matcher({t: Analyte(c) for t, c in terms.items()})


@cache
def _units() -> tuple[Caseless, dict[str, str]]:
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
    return Caseless(rf"\s*(?:{alternation})(?![\w/])"), aliases


def _unit_key(text: str) -> str:
    return re.sub(r"\s+", "", text.lower()).replace("μ", "µ")


def unit_of(text: str) -> str | None:
    """The canonical spelling of a printed unit ("IU/l" -> "U/L"), or None if unknown."""
    regex, aliases = _units()
    m = regex.match(text, text.lower())
    if m is None or m.end() != len(text.rstrip()):
        return aliases.get(_unit_key(text))
    return aliases.get(_unit_key(text[m.start() : m.end()]))


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
    flag: Literal["high", "low"] | None = None


# A number multiplied by another ("3.4 x 10^3", "3.4 x 10"): read as a power of ten or not
# at all; the reader never goes on to a later number (the range) as the value.
_SCI_START = re.compile(r"\s*(?:[x×*]\s*\d|e[+-]?\d)", re.IGNORECASE)


def _maybe_sci(text: str, end: int) -> bool:
    return bool(_SCI_START.match(text, end))


def _flag(text: str) -> Literal["high", "low"] | None:
    """An H/L flag of a lab report ("H", "(H)", "high", "↑"); "*" marks an abnormal value
    without saying which way, and is not read."""
    key = text.lower()
    if key in ("h", "hh", "high", "↑"):
        return "high"
    if key in ("l", "ll", "low", "↓"):
        return "low"
    return None


def _column_flag(text: str, pos: int, limit: int) -> re.Match[str] | None:
    """An H/L flag right after a unitless value, as lab reports print it: in capitals or in
    brackets ("2870  H", "2870 (h)"); a lower-case "h" is hours ("within 6 h")."""
    flag = _FLAG.match(text, pos, limit)
    if flag is None:
        return None
    said = flag.group("p") or flag.group("f")
    return flag if flag.group("p") or said.isupper() or said in ("↑", "↓") else None


def _read_value(text: str, pos: int, limit: int) -> _Value | None:
    """The first plausible value at or after ``pos`` (before ``limit``)."""
    for m in _VALUE.finditer(text, None, pos, limit):
        before = text[pos : m.start()]
        if len(_WORDS.findall(before)) > 10 or _STOP_BEFORE.search(before):
            return None
        if _BAD_BEFORE.search(text[max(0, m.start() - 16) : m.start()]):
            continue
        unit_regex, aliases = _units()
        number = _number(m.group("num"))
        if _YEAR_VALUE.fullmatch(m.group("num")) and _YEAR_BEFORE.search(
            text, max(pos, m.start() - 12), m.start()
        ):
            continue  # "at diagnosis in 2019 was ...": a year, not the value
        after_number = m.end()
        sci = _SCI.match(text, None, m.start("num")) if _maybe_sci(text, m.end()) else None
        if sci is not None:
            exponent = int((sci.group("e") or sci.group("e2")).translate(_SUPERSCRIPT))
            if abs(exponent) > 9:
                return None  # "1e400": not a lab value; left unknown, never misread
            number = float(sci.group("m")) * 10.0**exponent
            after_number = sci.end()
        unit_match = unit_regex.match(text, None, after_number)
        following = text[after_number : after_number + 1]
        dotted = following == "." and text[after_number + 1 : after_number + 2].isalnum()
        if following and (following.isalnum() or following in "_^" or dotted) and not unit_match:
            continue  # part of a word or an identifier ("IgG1", "10^9"); "600." ends a sentence
        unit = None
        end = after_number
        if unit_match:
            unit = aliases.get(_unit_key(unit_match.group()))  # (lower-cased) unit words
            end = unit_match.end()
        elif sci is None and _SCI_START.match(text, m.end()):
            return None  # a power of ten this reader does not understand: unknown, not misread
        elif (
            sci is None
            and _BAD_AFTER.match(text, None, m.end())
            and not _column_flag(text, m.end(), limit)
        ):
            continue  # "3 days", "5 h" (but "2870   H   39-308": a flag column, not hours)
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
            if _VALUE.any_case.fullmatch(paren.group(1).strip().split(" ")[0] or ""):
                end = paren.end()  # "(13 921 IU/L)": the same value in another unit
                continue
            break
        if not ranges:
            trailing = _TRAILING_RANGE.match(text[end:limit])
            if trailing:
                ranges += parse_range(trailing.group("r"))
                end += trailing.end()
        early_flag = None  # a flag column before the range ("CK  2870  H  39-308")
        if not ranges:
            column = _COLUMN_RANGE.match(text, end, limit)
            if column is None and unit is None:
                early_flag = _column_flag(text, end, limit)
                if early_flag is not None:
                    column = _COLUMN_RANGE.match(text, early_flag.end(), limit)
            if column and (unit is not None or _ROW_END.match(text, column.end(), limit)):
                # a bare range after a unitless value only as the last column of a row
                ranges += parse_range(column.group("r"))
                end = column.end()
            elif early_flag is not None:
                end = early_flag.end()
        flag = early_flag or (_FLAG.match(text, end, limit) if unit is not None or ranges else None)
        if flag:
            end = flag.end()
        return _Value(
            m.start(),
            end,
            number,
            _comparator(m.group("cmp")),
            unit,
            tuple(ranges),
            _flag(flag.group("p") or flag.group("f")) if flag else None,
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
    printed = low is not None or high is not None
    if range_unit is not None and not _fits(1.0, range_unit, analyte):
        low = high = range_unit = None
    if low is not None and high is not None and low > high:
        notes.append(f"printed range {low:g}–{high:g} is inverted; not used")
        low = high = range_unit = None
    if high is not None and high <= 0:
        high = None
    extractor = "labs.value"
    if found.flag == "high" and stated is None:
        stated = "high"
        notes.append("flagged H by the reporting lab")
    if low is None and high is None and stated is None:
        pop = _population_uln(analyte)
        if pop is not None and convert(found.value, unit, analyte) >= _FAR * convert(*pop, analyte):
            high, range_unit = pop
            extractor = "labs.far_above_uln"
            notes.append(
                f"no reference range printed; the value is over {_FAR:g} × the highest typical "
                f"adult upper limit {pop[0]:g} {pop[1]}, raised in any usual lab "
                "(clinical-spec §10)"
            )
    if (
        not printed
        and high is None
        and stated is None
        and found.comparator is None
        and not _SHARED_SAID.search(text)  # "CK 95 and aldolase 4.1, both normal": the text says
    ):
        reading = unranged_reading(analyte, found.value, unit)
        if reading is not None:
            _, high, note = reading
            extractor = "labs.unranged_limits"
            notes.append(note)
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


#: How far above the highest typical adult ULN an unranged value must be to be called raised
#: with no word from the text ("CK 5,120 U/L"): well beyond any lab's range and assay spread
#: (CK: 3 × 308 U/L = 924 U/L, above the upper limits reported even for Black men, the highest).
_FAR = 3.0


_SHARED_WORDS = re.compile(r"\b(?:both|all|each)\b", re.IGNORECASE)


def _shared_statements(text: str, found: list[LabMention]) -> list[LabMention]:
    """ "CK 95 U/L and aldolase 4.1 U/L, both normal": the word after the last value is said
    of every value of its clause that has no range and no word of its own."""
    out: list[LabMention] = []
    for m in _SHARED_SAID.finditer(text):
        lo, _ = clause_bounds(text, m.start(), m.end())
        kind: Literal["high", "normal"] = "high" if _STATED_HIGH.search(m.group(0)) else "normal"
        for mention in found:
            if (
                lo <= mention.start
                and mention.end <= m.start()
                and mention.value is not None
                and mention.stated is None
                and mention.low is None
                and mention.high is None
            ):
                out.append(
                    LabMention(
                        start=mention.start,
                        end=mention.end,
                        extractor="labs.stated",
                        analyte=mention.analyte,
                        value=None,
                        unit=None,
                        stated=kind,
                        said=(m.start(), m.end()),
                        note=f"reported {kind} with the other values of its list",
                    )
                )
    return out


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
    if found is not None:
        # "CK 140 U/L (normal)", "CK 95 U/L and aldolase 4.1 U/L, both normal"
        paren = _PAREN.match(text, found.end)
        if paren and _PAREN_SAID.fullmatch(paren.group(1).strip()):
            return "high" if _STATED_HIGH.search(paren.group(1)) else "normal"
        shared = _SHARED_SAID.match(text, found.end, min(limit, hi) if hi > found.end else limit)
        if shared is None and found.end < hi:
            shared = _SHARED_SAID.match(text, found.end)
        if shared:
            return "high" if _STATED_HIGH.search(shared.group(0)) else "normal"
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
_HEADER_UNIT = re.compile(r"\s*[\(\[]\s*([^()\[\]\d][^()\[\]]{0,12})[\)\]]")
_PAREN_SAID = re.compile(
    r"(?:normal|within\s+normal\s+limits|wnl|n|high|raised|elevated|↑)", re.IGNORECASE
)
# A word said of every value of a list, after the last one: ", both normal", ", all raised".
_SHARED_SAID = re.compile(
    r"\s*,?\s*(?:were\s+|are\s+)?(?:both|all|each|all\s+of\s+which\s+were)\s+"
    r"(?:within\s+(?:the\s+)?normal\s+(?:limits|range)|normal|raised|elevated|high)\b",
    re.IGNORECASE,
)
_TAIL_STOP = re.compile(r"\band\b|[,;]")


def _times_uln(text: str, hit: Hit[Analyte], limit: int) -> LabMention | None:
    m = _TIMES.search(text, None, hit.end, limit)
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


_ELLIPSIS = re.compile(
    r"\b(alanine|aspartate)(?=\s*(?:and|or|&|/)\s*(?:aspartate|alanine)\s+"
    r"(?:amino[\s-]?transferases?|transaminases?)\b)",
    re.IGNORECASE,
)


def _analyte_hits(text: str) -> list[Hit[Analyte]]:
    hits: list[Hit[Analyte]] = []
    found = _analytes().find(text)
    if "alanine" in text.lower() or "aspartate" in text.lower():
        # "alanine and aspartate aminotransferase": the first name shares the second's noun
        for m in _ELLIPSIS.finditer(text):
            analyte = Analyte.alt if m.group(1).lower() == "alanine" else Analyte.ast
            found.append(Hit(m.start(), m.end(), analyte, m.group()))
        found.sort(key=lambda h: h.start)
    for hit in found:
        if (
            hits
            and hits[-1].value is hit.value
            and _ABBREVIATION_OPENS.fullmatch(text, hits[-1].end, hit.start)
        ):
            continue  # "creatine kinase (CK)": the abbreviation of the name just read
        before = text[max(0, hit.start - 3) : hit.start].lower()
        after = text[hit.end : hit.end + 4].lower()
        if hit.value is Analyte.ck and (
            "mb" in before or _MB_AFTER.match(after) or after.startswith("-mb")
        ):
            continue
        hits.append(hit)
    return hits


def _respectively(text: str, hits: list[Hit[Analyte]]) -> list[LabMention]:
    """``A and B at x (range) and y (range) respectively``."""
    marker = _RESPECTIVELY.search(text) if "respectively" in text.lower() else None
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


# Raised CK said in words of its own: "hyperCKaemia", "hyperCKemia", "CK in the thousands".
_CK_WORDS = Caseless(
    r"\bhyper[\s-]?(?:ck|cpk|creatine[\s-]?kinase)(?:a?emia|aemia)?\b|"
    r"\b(?:ck|cpk|creatine\s+kinase)\s+(?:(?:was|is|were|remained|of)\s+)?(?:well\s+)?in\s+the\s+"
    r"(?:high\s+)?(?:thousands|tens\s+of\s+thousands)\b"
)


def _ck_words(text: str, low: str) -> list[LabMention]:
    if "hyper" not in low and "thousands" not in low:
        return []
    return [
        LabMention(
            start=m.start(),
            end=m.end(),
            extractor="labs.stated",
            analyte=Analyte.ck,
            value=None,
            unit=None,
            stated="high",
            said=(m.start(), m.end()),
            note="raised CK said in words, no value printed",
        )
        for m in _CK_WORDS.finditer(text, low)
    ]


def extract(text: str) -> list[LabMention]:
    """Lab values (and value-less "raised"/"normal" statements) named in ``text``."""
    low = lowered(text)
    hits = _analyte_hits(text)
    worded = _ck_words(text, low)
    if worded:
        hits = [h for h in hits if not any(w.start <= h.start < w.end for w in worded)]
    if not hits and not _GROUP_WORDS.search(text):
        return worded
    multiples = "uln" in low or "normal" in low or "upper" in low  # "N times normal"
    out = _respectively(text, hits)
    done = {(m.analyte, m.start) for m in out}
    for index, hit in enumerate(hits):
        if (hit.value, hit.start) in done:
            continue
        limit = hits[index + 1].start if index + 1 < len(hits) else len(text)
        limit = min(limit, hit.end + 160)
        found = _read_value(text, hit.end, limit)
        if found is not None and _RISE_FROM.search(
            text, max(hit.end, found.start - 12), found.start
        ):
            # "rose from 400 to 3,900 U/L": the value reached
            to = _RISE_TO.match(text, found.end)
            reached = _read_value(text, to.end(), limit) if to else None
            if reached is not None:
                found = reached
        if found is not None and found.unit is None:
            header = _HEADER_UNIT.match(text, hit.end, found.start)
            unit = unit_of(header.group(1).strip()) if header else None
            if unit is not None:
                found = replace(found, unit=unit)
        times = _times_uln(text, hit, limit) if multiples else None
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
            continue  # a statement at most: see _statements
        mention = _mention(text, hit, found, stated)
        if mention is not None:
            out.append(mention)
            if stated == "normal" and mention.low is None and mention.high is None:
                # "CK normal (180 U/L)": the value has no range to be read against; the
                # text's word is kept as a statement beside it
                out.append(
                    LabMention(
                        start=hit.start,
                        end=hit.end,
                        extractor="labs.stated",
                        analyte=hit.value,
                        value=None,
                        unit=None,
                        stated="normal",
                        note="reported normal; the value has no printed reference range",
                    )
                )
    if _SHARED_WORDS.search(text):
        out += _shared_statements(text, out)
    out += _statements(text, hits, {m.analyte for m in out})
    out += worded
    out.sort(key=lambda m: m.start)
    return out


# -- statements without a value ----------------------------------------------------------------

Said = Literal["high", "normal"]


@dataclass(frozen=True, slots=True)
class _Item:
    """An analyte, or a group of them ("muscle enzymes"), named in the sentence."""

    start: int
    end: int
    analytes: tuple[Analyte, ...]
    group: str | None = None


@cache
def _groups() -> Matcher[tuple[str, tuple[Analyte, ...]]]:
    terms: dict[str, tuple[str, tuple[Analyte, ...]]] = {}
    for name, members in lexicon()["labs"]["enzyme_groups"].items():
        if name.startswith("$"):
            continue
        value = (name, tuple(Analyte(m) for m in members))
        terms[name] = terms[name.removesuffix("s")] = value
    return Matcher(terms)


# Words allowed between an analyte and what is said of it.
_FILL_AFTER = (
    r"(?:serum|plasma|blood|levels?|values?|activity|activities|concentrations?|results?|tests?|"
    r"were|was|is|are|be|been|being|have|has|had|remained|remains|remain|stayed|stays|stay|"
    r"became|become|becomes|"
    r"also|both|all|again|still|found|noted|reported|seen|shown|showed|shows|demonstrated|"
    r"revealed|to|as|the|within|in|then|later|subsequently|initially|now|each|a|an|mild|marked|"
    r"slight|significant|moderate|persistent|may|might|could|would|[a-z]+ly)"
)
_FILL_BEFORE = (
    r"(?:in|of|the|serum|plasma|blood|levels?|her|his|their|the\s+patient['’]s|total|"
    r"skeletal|a|an)"
)


@cache
def _said_patterns() -> tuple[Caseless, Caseless, dict[str, Said]]:
    table: dict[str, Said] = {}
    for kind, key in (("high", "high_words"), ("normal", "normal_words")):
        for phrase in lexicon()["labs"][key]:
            table[" ".join(phrase.lower().split())] = kind  # type: ignore[assignment]
    words = "|".join(
        r"\s+".join(re.escape(w) for w in phrase.split())
        for phrase in sorted(table, key=len, reverse=True)
    )
    after = Caseless(rf"\s*\)?\s*(?:\([^()]*\)\s*)?(?:{_FILL_AFTER}\s+)*?(?P<p>{words})(?![\w-])")
    before = Caseless(rf"(?<![\w-])(?P<p>{words})\s+(?:{_FILL_BEFORE}\s+)*(?P<rest>[^.;:]*?)$")
    return after, before, table


def _said_kind(text: str) -> Said:
    return _said_patterns()[2][" ".join(text.lower().split())]


@cache
def _said_words() -> tuple[str, ...]:
    """The longest word of each "raised"/"normal" phrase: a stretch of text without any of
    them says neither."""
    return tuple({max(phrase.split(), key=len) for phrase in _said_patterns()[2]})


def _says(text: str, start: int, end: int) -> bool:
    window = text[start:end].lower()
    return any(word in window for word in _said_words())


def _said_after(text: str, item: _Item, limit: int) -> tuple[Said, int, int] | None:
    if not _says(text, item.end, limit):
        return None
    m = _said_patterns()[0].match(text, None, item.end, limit)
    return None if m is None else (_said_kind(m.group("p")), m.start("p"), m.end("p"))


def _said_before(text: str, item: _Item, floor: int) -> tuple[Said, int, int] | None:
    """The words just before the item, or before the items of a list that leads to it
    ("a rise in urea, bilirubin and CK")."""
    if not _says(text, floor, item.start):
        return None
    m = _said_patterns()[1].search(text, None, floor, item.start)
    if m is None or (m.group("rest") and not _list_lead(m.group("rest"))):
        return None
    return _said_kind(m.group("p")), m.start("p"), m.end("p")


def _list_lead(text: str) -> bool:
    """Items that are not analytes, each followed by a list separator ("urea, GGT and ")."""
    return bool(_LEAD_END.search(text)) and _list_gap(text)


_LEAD_END = re.compile(r"(?:,|/|&|\band|\bor|\bas\s+well\s+as)\s*$", re.IGNORECASE)


_INTRODUCERS = frozenset(
    {"", "namely", "i.e.", "i.e.,", "e.g.", "e.g.,", "including", "such as", "especially"}
)
_LIST_SEPARATOR = re.compile(r",|/|&|\band\b|\bor\b|\bas\s+well\s+as\b", re.IGNORECASE)
_ITEM_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# Words that make a stretch between analytes a clause rather than a list item (with every
# word of the lexicon's "raised"/"normal" phrases).
_VERBS_AND_LINKS = (
    "no not was were is are be been had has have showed shows revealed demonstrated which "
    "that with without but however while whereas at to from on after before during than of "
    "in for by per low decreased reduced"
)


@cache
def _not_an_item() -> frozenset[str]:
    words = set(_VERBS_AND_LINKS.split())
    for phrase in _said_patterns()[2]:
        words.update(phrase.split())
    return frozenset(words)


def _list_gap(gap: str) -> bool:
    """Is ``gap`` (the text between two analytes) a list separator, possibly with other
    items ("), alkaline phosphatase, bilirubin, ") or opening a parenthesis of members
    ("muscle enzymes (namely ")?"""
    text = _BRACKETS.sub(" ", gap)
    opened = text.rfind("(")
    if opened >= 0:
        if " ".join(text[opened + 1 :].lower().split()).strip(" ,:") not in _INTRODUCERS:
            return False
        text = text[:opened]
    closed = ")" in text
    text = text.replace(")", " ")
    if "(" in text or any(c in text for c in ".;:"):
        return False
    if not (_LIST_SEPARATOR.search(text) or opened >= 0 or closed):
        return False
    items = [p.strip() for p in _LIST_SEPARATOR.split(text) if p.strip()]
    if len(items) > 3:
        return False
    for item in items:
        words = item.split()
        if len(words) > 4 or any(
            not _ITEM_WORD.fullmatch(w) or w.lower() in _not_an_item() for w in words
        ):
            return False
    return True


_GROUP_WORDS = re.compile(r"enzyme|transferase|transaminase", re.IGNORECASE)


def _items(text: str, hits: list[Hit[Analyte]]) -> list[_Item]:
    items = [_Item(h.start, h.end, (h.value,)) for h in hits]
    if _GROUP_WORDS.search(text):
        for g in _groups().find(text):
            if all(g.end <= i.start or g.start >= i.end for i in items):
                items.append(_Item(g.start, g.end, g.value[1], g.value[0]))
        items.sort(key=lambda i: i.start)
    return items


def _statements(text: str, hits: list[Hit[Analyte]], valued: set[Analyte]) -> list[LabMention]:
    """Value-less "raised"/"normal" statements (see the module docstring)."""
    items = _items(text, hits)
    if not items:
        return []
    runs: list[list[int]] = [[0]]
    for index in range(1, len(items)):
        if _list_gap(text[items[index - 1].end : items[index].start]):
            runs[-1].append(index)
        else:
            runs.append([index])
    out: list[LabMention] = []
    for run in runs:
        if all(a in valued for i in run for a in items[i].analytes):
            continue  # every analyte of the run has its value: nothing to say in words
        first, last = items[run[0]], items[run[-1]]
        lo, _ = clause_bounds(text, first.start, first.end)
        floor = max(lo, items[run[0] - 1].end if run[0] else 0, first.start - 80)
        _, hi = clause_bounds(text, last.start, last.end)
        limit = min(hi, items[run[-1] + 1].start if run[-1] + 1 < len(items) else len(text))
        lead = _said_before(text, first, floor)
        tail = _said_after(text, last, min(limit, last.end + 60))
        for position, index in enumerate(run):
            item = items[index]
            if position == len(run) - 1:
                said = tail or lead
            elif position == 0:
                said = lead or tail
            else:
                said = tail or lead
            if said is None:
                continue
            if item.group is not None and any(h.value in item.analytes for h in hits):
                continue  # "liver enzymes (ALT, AST)": the members named speak for themselves
            kind, a, b = said
            for analyte in item.analytes:
                if analyte in valued:
                    continue
                out.append(
                    LabMention(
                        start=item.start,
                        end=item.end,
                        extractor="labs.stated" if item.group is None else "labs.stated_group",
                        analyte=analyte,
                        value=None,
                        unit=None,
                        stated=kind,
                        said=(a, b),
                        note=None
                        if item.group is None
                        else f"reported as '{item.group}' {'raised' if kind == 'high' else kind}"
                        "; this enzyme is not named",
                    )
                )
    return out
