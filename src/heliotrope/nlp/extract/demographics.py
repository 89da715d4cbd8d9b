"""Age ("a 43-year-old", "aged 43", "43 years old") and sex of the patient.

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
    r"\b(?P<n>\d{1,3})(?:\s*|-)(?:year|yr)s?(?:\s*|-)old\b"
    r"|\baged\s+(?P<m>\d{1,3})(?:\s+years)?\b"
    r"|\bage\s+(?:of\s+)?(?P<k>\d{1,3})(?:\s+years)?\b"
)
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
    for m in _AGE.finditer(text):
        lo, hi = clause_bounds(text, m.start(), m.end())
        if _RELATIVE.search(text, None, lo, m.start()):
            continue
        age = float(m.group("n") or m.group("m") or m.group("k"))
        if not 0 <= age <= 120:
            continue
        after = text[m.end() : min(hi, m.end() + 60)]
        sex: Sex | None = None
        f, g = female.search(after), male.search(after)
        if f and (not g or f.start() < g.start()):
            sex = Sex.female
        elif g:
            sex = Sex.male
        origin = ancestry.search(text, max(lo, m.start() - 5), min(hi, m.end() + 60))
        # "aged 43" without a person: only if the sentence is about the patient
        if (
            m.group("n") is None
            and sex is None
            and not re.search(r"\b(?:patient|she|he)\b", text[lo:hi], re.IGNORECASE)
        ):
            continue
        noun = f if sex is Sex.female else g if sex is Sex.male else None
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
    return out
