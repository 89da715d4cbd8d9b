"""Age ("a 43-year-old", "aged 43", "43 years old", "47 y/o"), age at onset and sex of the
patient.

The age at onset (EULAR/ACR 2017 items 1-2 and the juvenile subgroup read the age at the
first symptom, spec §2) is read when the text gives it: "since the age of 38", "symptoms
began at the age of 7", or an age less a history ("a 45-year-old woman with a 7-year history
of weakness" → 38); those mentions are ``demographics.onset_age`` and the builder prefers them
to the age at presentation.

The age is read from an "N-year-old" phrase that names a person (woman, man, patient...) or
opens the sentence; "aged 65 years" after a relative ("a grandmother ... aged 65") is not the
patient's (the builder also drops family-asserted mentions). Sex comes from the noun of that
phrase, else from the first sexed noun of the sentence.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from heliotrope.model.vocabulary import Sex
from heliotrope.nlp.extract.base import Caseless, DemographicMention, clause_bounds
from heliotrope.nlp.extract.lexicon import lexicon

__all__ = ["BirthMention", "DocumentDateMention", "age_from_birth", "extract"]

_AGE = Caseless(
    r"\b(?P<n>\d{1,3})(?:\s*|-)(?:(?:year|yr)s?(?:\s*|-)old\b|y/o\b|y\.o\.|yo\b|"
    r"years\s+of\s+age\b)"
    r"|\baged\s+(?P<m>\d{1,3})(?:\s+years)?\b"
    r"|\b(?:mr|mrs|ms|miss|master|mx)\.?\s+(?:[a-z]\.\s*)*(?:[a-z][\w'-]+\s+){0,2}[a-z][\w'-]+"
    r"(?:,\s*(?P<t>\d{1,3})(?:\s*(?:years|yrs|y))?(?=\s*(?:$|[,;\n]|old\b|of\s+age))|"
    r"\s*\(\s*(?P<p>\d{1,3})\s*(?:years|yrs|y)?\s*\))"
    r"|(?:\bage\s*:\s*|^\s*age\s+)(?P<h>\d{1,3})(?:\s*(?:years|yrs|y))?\b"
    r"(?!\s*(?:months?|weeks?|days?)\b)"
    r"|\bage\s+(?:of\s+)?(?P<k>\d{1,3})(?:\s+years)?\b"
)
# A note's shorthand "63F", "63 M" opening a note or before "with", "presents", a comma
# (capital F/M only: "63 m" is metres).
_AGE_SEX = re.compile(
    r"(?:^|(?<=[\s(:]))(?P<n>\d{1,3})\s?(?P<x>[FM])\b(?![.'’/-])"
    r"(?=\s*(?:$|[,;(]|with\b|presents?\b|presenting\b|who\b|is\b|was\b|has\b|had\b|"
    r"referred\b|admitted\b|seen\b|c/o\b|complain))"
)
# "a woman in her sixties", "in his late thirties" (Age in decades: read only when the whole
# stretch lies on one side of 18 and of 40, EULAR/ACR 2017 items 1-2; the age recorded is the
# stretch's first year).
_DECADES = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60,
            "seventies": 70, "eighties": 80, "nineties": 90}  # fmt: skip
_DECADE = Caseless(
    r"\bin\s+(?:her|his|their)\s+(?:(?P<part>early|mid|late)[\s-]+)?"
    r"(?P<d>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b"
)
_ONSET_BEFORE = Caseless(
    r"\b(?:began|begun|started|onset|developed|diagnosed|first\s+noticed|first\s+appeared)\b"
    r"[^.;]{0,40}$"
)
_PART = {None: (0, 9), "early": (0, 3), "mid": (3, 6), "late": (7, 9)}
# Age at onset, said outright: "since the age of 38", "symptoms began at the age of 7",
# "onset at age 10", "onset of symptoms at 17 years", "diagnosed at 9 years of age",
# "diagnosed in 2016 at the age of 48" (diagnosis: the latest the onset
# can be, the usual reading of a case history).
_ONSET_AGE = Caseless(
    r"\b(?:(?:since|from|starting\s+at|beginning\s+at)\s+(?:the\s+)?age\s+(?:of\s+)?"
    r"|(?:began|begun|started|start|onset|first\s+(?:noticed|appeared|developed|presented)|"
    r"developed|diagnosed|presented)\b[^.;]{0,60}?\b(?:at\s+(?:the\s+)?age\s+(?:of\s+)?|aged\s+|"
    r"when\s+(?:she|he|they)\s+(?:was|were)\s+(?:aged\s+)?|"
    r"at\s+(?=\d{1,3}\s*(?:years?|yrs?)\b(?:\s+of\s+age|\s+old)?"
    r"(?!\s+(?:after|into|later|before|since|post|from|of|follow|ago)))))"
    r"(?P<n>\d{1,3})(?!\s*(?:months?|weeks?|days?)\b)"
)
# "She was 62 at the onset of symptoms", "aged 9 at diagnosis".
_ONSET_AT = Caseless(
    r"\b(?:(?:she|he|the\s+patient)\s+was|aged)\s+(?P<n>\d{1,3})(?:\s+years(?:\s+old)?)?\s+"
    r"(?:at|when)\s+(?:the\s+)?(?:onset|first\s+symptoms?|symptom\s+onset|diagnosis|"
    r"(?:her|his|the)\s+(?:symptoms|weakness|rash)\s+(?:began|started))"
)
# "A 45-year-old woman with a 7-year history of ...": the age then, less the history.
_HISTORY = Caseless(
    r"\b(?P<d>\d{1,2}(?:\.\d)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r"[\s-]*(?P<u>year|yr|month|week|day)s?[\s-]*(?:long\s+)?history\b"
)
_UNIT_YEARS = {"year": 1.0, "yr": 1.0, "month": 1 / 12, "week": 1 / 52, "day": 1 / 365}
_WORD_NUMBERS = {
    w: float(i)
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        ]
    )
}
# A letter's heading line that is only "Surname, 68 years" (the title and initial may be a
# sentence of their own: "Mr R." | "Jenkins, 68 years").
_HEADING_AGE = re.compile(r"\s*[A-Z][A-Za-z'’-]+,\s*(\d{1,3})\s*(?:years|yrs|y)(?:\s+old)?\s*")
_SEX_LETTER = re.compile(r"\s*,?\s*([FM])\b(?![.'’/-])")
_RELATIVE = Caseless(
    r"\b(?:mother|father|grandmother|grandfather|sister|brother|aunt|uncle|cousin|son|"
    r"daughter|niece|nephew|relative|husband|wife|partner)\b"
)


@cache
def _sex_words() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    data = lexicon()["demographics"]

    def words(forms: list[str]) -> re.Pattern[str]:
        return re.compile(
            r"\b(?:"
            + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
            + r")\b",
            re.IGNORECASE,
        )

    female = [f for f in data["female"] if f not in ("mother", "wife")]
    male = [m for m in data["male"] if m not in ("father", "husband")]
    return words(female), words(male), words(data["ancestry"])


_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}  # fmt: skip
_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9}  # fmt: skip
_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
          "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}  # fmt: skip
# "a fifty-eight-year-old woman", "a sixty two year old", "aged sixty-two": the age in words,
# written as digits before the age rules run (offsets kept: the digits are padded to the
# words' length).
_AGE_WORDS = Caseless(
    r"\b(?P<w>(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\s](?:one|two|three|"
    r"four|five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|one|two|three|four|five|six|seven|eight|nine)"
    r"(?=[-\s]+(?:years?|yrs?)[-\s]+old\b|\s+years\s+of\s+age\b)"
    r"|(?<=\baged\s)(?P<a>(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\s](?:one|"
    r"two|three|four|five|six|seven|eight|nine))?)\b"
)


def _words_to_digits(text: str) -> str:
    """``text`` with ages in words written as digits, padded before with spaces to keep
    offsets."""
    low = text.lower()
    if "year" not in low and "aged" not in low:
        return text
    out = text
    for m in _AGE_WORDS.finditer(text, low):
        group = "w" if m.group("w") else "a"
        words = m.group(group).lower().replace("-", " ").split()
        value = _TENS.get(words[0]) or _TEENS.get(words[0]) or _UNITS.get(words[0], 0)
        if len(words) == 2:
            value += _UNITS[words[1]]
        digits = str(value)
        start, end = m.start(group), m.end(group)
        out = out[:start] + " " * (end - start - len(digits)) + digits + out[end:]
    return out


def extract(text: str) -> list[DemographicMention]:
    """The patient's age, sex and ancestry when ``text`` introduces them."""
    text = _words_to_digits(text)
    female, male, ancestry = _sex_words()
    out: list[DemographicMention] = []
    heading = _HEADING_AGE.fullmatch(text) if len(text) < 40 else None
    if heading is not None and 0 <= int(heading.group(1)) <= 120:
        return [
            DemographicMention(
                start=heading.start(1),
                end=heading.end(),
                extractor="demographics.age",
                age=float(heading.group(1)),
            )
        ]
    for m in _AGE.finditer(text):
        lo, hi = clause_bounds(text, m.start(), m.end())
        if _RELATIVE.search(text, None, lo, m.start()):
            continue
        age = float(
            m.group("n")
            or m.group("m")
            or m.group("k")
            or m.group("t")
            or m.group("h")
            or m.group("p")
            or 0
        )
        if not 0 <= age <= 120:
            continue
        after = text[m.end() : min(hi, m.end() + 60)]
        sex: Sex | None = None
        f, g = female.search(after), male.search(after)
        letter = _SEX_LETTER.match(text, m.end())
        if letter is not None:  # "49 yo F", "47 y/o M": a note's shorthand
            sex = Sex.female if letter.group(1) == "F" else Sex.male
        elif f and (not g or f.start() < g.start()):
            sex = Sex.female
        elif g:
            sex = Sex.male
        origin = ancestry.search(text, max(lo, m.start() - 5), min(hi, m.end() + 60))
        # "aged 43" without a person: only if the sentence is about the patient
        if (
            m.group("n") is None
            and m.group("t") is None
            and m.group("h") is None
            and m.group("p") is None
            and sex is None
            and not re.search(r"\b(?:patient|she|he)\b", text[lo:hi], re.IGNORECASE)
        ):
            continue
        noun = f if sex is Sex.female else g if sex is Sex.male else None
        if m.group("k") is not None and _ONSET_AGE.search(
            text, None, max(lo, m.start() - 80), m.end()
        ):
            continue  # "since the age of 38": read below as the age at onset
        history = _HISTORY.search(text, None, m.end(), min(hi, m.end() + 100))
        if history is not None and m.group("k") is None:
            raw = history.group("d").lower()
            span = _WORD_NUMBERS.get(raw) or float(raw)
            years = span * _UNIT_YEARS[history.group("u").lower()]
            onset = round(age - years, 2)
            # a history under a year leaves the age at presentation as the age at onset
            # (the record's whole-year age already spans the year before the next birthday)
            if years >= 1 and onset >= 0:
                out.append(
                    DemographicMention(
                        start=m.start(),
                        end=history.end(),
                        extractor="demographics.onset_age",
                        age=onset,
                    )
                )
        out.append(
            DemographicMention(
                start=m.start(),
                end=m.end() + noun.end() if noun is not None else m.end(),
                extractor="demographics.age",
                age=age,
                sex=sex,
                ancestry=origin.group().capitalize() if origin else None,
            )
        )
    if not out:
        out += _shorthand(text) + _decade(text)
    out += _birth_and_document_dates(text)
    for m in [*_ONSET_AGE.finditer(text), *_ONSET_AT.finditer(text)]:
        lo, _ = clause_bounds(text, m.start(), m.end())
        if _RELATIVE.search(text, None, lo, m.start()):
            continue
        age = float(m.group("n"))
        if 0 <= age <= 120:
            out.append(
                DemographicMention(
                    start=m.start(), end=m.end(), extractor="demographics.onset_age", age=age
                )
            )
    return out


def _shorthand(text: str) -> list[DemographicMention]:
    """ "63F with a rash", "71 M, referred with weakness": age and sex in a note's shorthand."""
    if "F" not in text and "M" not in text:
        return []
    out: list[DemographicMention] = []
    for m in _AGE_SEX.finditer(text):
        age = float(m.group("n"))
        if 0 <= age <= 120:
            sex = Sex.female if m.group("x") == "F" else Sex.male
            out.append(
                DemographicMention(
                    start=m.start(), end=m.end(), extractor="demographics.age", age=age, sex=sex
                )
            )
        break  # the note's opening only
    return out


def _decade(text: str) -> list[DemographicMention]:
    """ "A woman in her sixties": the decade's first year when the whole of it (less a stated
    history, "in her fifties with a 12-year history" → 38-47: straddles 40, nothing read) lies
    on one side of 18 and of 40 (EULAR/ACR 2017 items 1-2)."""
    if "ties" not in text.lower():
        return []
    m = _DECADE.search(text)
    if m is None:
        return []
    lo_part, hi_part = _PART[m.group("part").lower() if m.group("part") else None]
    lo = _DECADES[m.group("d").lower()] + lo_part
    hi = _DECADES[m.group("d").lower()] + hi_part
    _, end = clause_bounds(text, m.start(), m.end())
    sex = Sex.female if re.search(r"\bher\b", m.group(), re.IGNORECASE) else Sex.male
    if _RELATIVE.search(text, None, max(0, m.start() - 40), m.start()):
        return []  # "her mother, in her sixties"
    history = _HISTORY.search(text, None, m.end(), min(end, m.end() + 100))
    extractor = "demographics.age"
    if _ONSET_BEFORE.search(text, None, max(0, m.start() - 60), m.start()):
        extractor = "demographics.onset_age"  # "symptoms began in her late thirties"
    if history is not None:
        raw = history.group("d").lower()
        years = (_WORD_NUMBERS.get(raw) or float(raw)) * _UNIT_YEARS[history.group("u").lower()]
        if years >= 1:
            lo, hi, extractor = int(lo - years), int(hi - years + 0.999), "demographics.onset_age"
    if (lo < 18 <= hi) or (lo < 40 <= hi) or lo < 0:
        return []  # the stretch straddles a boundary of the criteria: unknown
    return [DemographicMention(start=m.start(), end=m.end(), extractor=extractor, age=lo, sex=sex)]


# -- date of birth and the document's own date (issue 8: "DOB 01/02/1960" with a letter date) --

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_DATE = (
    r"(?P<a>\d{1,2})[/.\-](?P<b>\d{1,2})[/.\-](?P<y>(?:19|20)\d\d)\b|"
    r"(?P<iy>(?:19|20)\d\d)-(?P<im>\d\d)-(?P<id>\d\d)\b|"
    r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
    r",?\s+(?P<ty>(?:19|20)\d\d)\b"
)
_DOB = Caseless(rf"\b(?:dob|d\.o\.b\.?|date\s+of\s+birth|born(?:\s+on)?)\s*[:\-]?\s*(?:{_DATE})")
_DOCUMENT_DATE = Caseless(
    r"^\s*(?:date(?:\s+of\s+(?:letter|clinic|visit|consultation|review|admission|discharge|"
    r"dictation|report))?|clinic\s+date|letter\s+date|seen\s+on|dictated(?:\s+on)?|"
    rf"date\s+seen)\s*[:\-]?\s*(?:{_DATE})"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class BirthMention(DemographicMention):
    """A date of birth: every reading of its numbers (day/month or month/day)."""

    born: tuple[date, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentDateMention(DemographicMention):
    """The document's own date ("Date: 12/03/2023" heading a letter)."""

    on: tuple[date, ...] = ()


def _dates(m: re.Match[str]) -> tuple[date, ...]:
    """Every calendar reading of a matched date (both orders of "01/02/1960")."""
    out: set[date] = set()
    try:
        if m.group("y"):
            a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("y"))
            for day, month in ((a, b), (b, a)):
                if 1 <= month <= 12 and 1 <= day <= 31:
                    with contextlib.suppress(ValueError):
                        out.add(date(y, month, day))
        elif m.group("iy"):
            out.add(date(int(m.group("iy")), int(m.group("im")), int(m.group("id"))))
        elif m.group("ty"):
            out.add(date(int(m.group("ty")), _MONTHS[m.group("mon").lower()], int(m.group("d"))))
    except ValueError:
        return ()
    return tuple(sorted(out))


def _birth_and_document_dates(text: str) -> list[DemographicMention]:
    low = text.lower()
    out: list[DemographicMention] = []
    if "dob" in low or "d.o.b" in low or "birth" in low or "born" in low:
        for m in _DOB.finditer(text, low):
            born = _dates(m)
            if born:
                out.append(
                    BirthMention(
                        start=m.start(), end=m.end(), extractor="demographics.birth_date", born=born
                    )
                )
    if "date" in low or "seen" in low or "dictated" in low:
        heading = _DOCUMENT_DATE.match(text, low)
        on = _dates(heading) if heading else ()
        if heading and on:
            out.append(
                DocumentDateMention(
                    start=heading.start(),
                    end=heading.end(),
                    extractor="demographics.document_date",
                    on=on,
                )
            )
    return out


def age_from_birth(born: tuple[date, ...], on: tuple[date, ...]) -> int | None:
    """Whole years from birth to the document's date, the lowest of the readings; None if
    the readings disagree by a year or more across 18 or 40 (EULAR/ACR 2017 items 1-2)."""
    ages = {d.year - b.year - ((d.month, d.day) < (b.month, b.day)) for b in born for d in on}
    if not ages or min(ages) < 0 or max(ages) > 120:
        return None
    lo, hi = min(ages), max(ages)
    if lo != hi and (lo < 18 <= hi or lo < 40 <= hi):
        return None
    return lo
