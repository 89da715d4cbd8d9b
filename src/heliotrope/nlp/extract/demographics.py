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

import re
from functools import cache

from heliotrope.model.vocabulary import Sex
from heliotrope.nlp.extract.base import Caseless, DemographicMention, clause_bounds
from heliotrope.nlp.extract.lexicon import lexicon

__all__ = ["extract"]

_AGE = Caseless(
    r"\b(?P<n>\d{1,3})(?:\s*|-)(?:(?:year|yr)s?(?:\s*|-)old\b|y/o\b|y\.o\.|yo\b)"
    r"|\baged\s+(?P<m>\d{1,3})(?:\s+years)?\b"
    r"|\b(?:mr|mrs|ms|miss|master|mx)\.?\s+(?:[a-z]\.\s*)*[a-z][\w'-]+,\s*(?P<t>\d{1,3})"
    r"(?:\s*(?:years|yrs|y))?(?=\s*(?:$|[,;\n]|old\b|of\s+age))"
    r"|\bage\s+(?:of\s+)?(?P<k>\d{1,3})(?:\s+years)?\b"
)
# Age at onset, said outright: "since the age of 38", "symptoms began at the age of 7",
# "onset at age 10", "onset of symptoms at 17 years", "diagnosed at 9 years of age",
# "diagnosed in 2016 at the age of 48" (diagnosis: the latest the onset
# can be, the usual reading of a case history).
_ONSET_AGE = Caseless(
    r"\b(?:(?:since|from|starting\s+at|beginning\s+at)\s+(?:the\s+)?age\s+(?:of\s+)?"
    r"|(?:began|begun|started|start|onset|first\s+(?:noticed|appeared|developed|presented)|"
    r"developed|diagnosed|presented)\b[^.;]{0,60}?\b(?:at\s+(?:the\s+)?age\s+(?:of\s+)?|aged\s+|"
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


def extract(text: str) -> list[DemographicMention]:
    """The patient's age, sex and ancestry when ``text`` introduces them."""
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
        age = float(m.group("n") or m.group("m") or m.group("k") or m.group("t"))
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
