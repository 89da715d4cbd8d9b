"""Treatments: drug or procedure, its kind and target, chemotherapy line, cycles, dose, intent
and dose reductions ("requiring a 25% dose reduction" -> ``-25%``).

Drugs and their kind/target are data (``lexicon.json`` ``treatments.drugs``). A line with no
drug ("second-line chemotherapy was commenced") is kept as generic chemotherapy and merged
with the named drug of the same line by the builder. Hydrocortisone is topical only when the
sentence says cream/topical/ointment; otherwise it is a glucocorticoid.
"""

from __future__ import annotations

import re
from functools import cache

from heliotrope.model.vocabulary import TreatmentKind
from heliotrope.nlp.extract.base import (
    NUMBER_WORDS,
    Caseless,
    TreatmentMention,
    clause_bounds,
    contains_any,
    lowered,
)
from heliotrope.nlp.extract.lexicon import Matcher, lexicon

__all__ = ["extract", "gate_keys"]

_CYCLES = Caseless(
    r"\b(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
    r"(?:\w+\s+){0,1}?(?:cycles?|courses?)\b"
)
_DOSE = Caseless(
    r"\b(?P<d>\d+(?:\.\d+)?\s*(?:mg|g|mcg|µg|mg/kg|g/kg|mg/m2|mg/m²)(?:\s*/\s*kg)?"
    r"(?:\s+(?:per|a|/)\s*(?:day|week|month)|\s+(?:daily|weekly|monthly|once\s+daily|twice\s+"
    r"daily|qd|bd|od))?)"
)
_REDUCTION = Caseless(
    r"(?P<p>\d{1,2})\s*%\s*dose[-\s]?reduction|dose[-\s]?reduc\w*\s+(?:of|by)\s+(?P<q>\d{1,2})\s*%"
)
_REASON = Caseless(
    r"(?:episode\s+of\s+|due\s+to\s+|because\s+of\s+|for\s+)(?P<r>[a-z][\w\s-]{2,40}?)\s+"
    r"(?:requiring|which\s+required|needing|led\s+to)"
)


@cache
def _drugs() -> tuple[Matcher[str], dict[str, dict[str, str]]]:
    table = lexicon()["treatments"]["drugs"]
    terms = {form: name for name, entry in table.items() for form in entry["forms"]}
    return Matcher(terms, plural=False), table


@cache
def _lines() -> Matcher[int]:
    return Matcher(
        {
            form: int(n)
            for n, forms in lexicon()["treatments"]["line_words"].items()
            for form in forms
        },
        plural=False,
    )


@cache
def _longest_words(key: str) -> tuple[str, ...]:
    """The longest word of each form of ``key``: a text without any holds no form."""
    return tuple({max(w.lower().split(), key=len) for w in lexicon()["treatments"][key]})


@cache
def _word_re(key: str) -> re.Pattern[str]:
    words = lexicon()["treatments"][key]
    return re.compile(
        r"(?<![\w])(?:"
        + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        + r")(?![\w])",
        re.IGNORECASE,
    )


def gate_keys() -> frozenset[str] | None:
    """Substrings one of which every sentence naming a treatment contains (its drug)."""
    return _drugs()[0].gate_keys()


def extract(text: str) -> list[TreatmentMention]:
    """Treatments named in ``text``."""
    matcher, table = _drugs()
    hits = matcher.find(text)
    if not hits:
        return []
    lines = _lines().find(text)
    low = lowered(text)
    has_cycles = "cycle" in low or "course" in low
    has_intent = contains_any(low, _longest_words("intent_words"))
    reduction = _REDUCTION.search(text, low) if "reduc" in low else None
    named = [h for h in hits if h.value != "chemotherapy"]
    out: list[TreatmentMention] = []
    for hit in hits:
        if hit.value == "chemotherapy" and named:
            continue  # "doxorubicin chemotherapy": the drug is the treatment
        entry = table[hit.value]
        lo, hi = clause_bounds(text, hit.start, hit.end)
        window = (max(lo, hit.start - 60), min(hi, hit.end + 80))
        kind = TreatmentKind(entry["kind"])
        target = entry["target"]
        if hit.value == "hydrocortisone" and not _word_re("topical_cues").search(text, *window):
            kind, target = TreatmentKind.glucocorticoid, "other"
        line = next((h.value for h in lines if window[0] <= h.start < window[1]), None)
        if kind is not TreatmentKind.chemotherapy and kind is not TreatmentKind.immunotherapy:
            line = None
        near = _CYCLES.finditer(text, low, *window) if has_cycles else iter(())
        cycles_match = next((m for m in near if abs(m.start() - hit.start) < 60), None)
        cycles = None
        if cycles_match and kind in (TreatmentKind.chemotherapy, TreatmentKind.immunotherapy):
            raw = cycles_match.group("n").lower()
            cycles = NUMBER_WORDS.get(raw) or int(raw)
            if re.search(
                r"\b(?:during|in|of)\s+cycle",
                text[max(0, cycles_match.start() - 12) : cycles_match.end()],
                re.IGNORECASE,
            ):
                cycles = None
        dose = _DOSE.search(text, low, hit.end, min(hi, hit.end + 45))
        intent = _word_re("intent_words").search(text, *window) if has_intent else None
        change = reason = None
        if reduction and kind is TreatmentKind.chemotherapy:
            change = f"-{reduction.group('p') or reduction.group('q')}%"
            why = _REASON.search(text, low, 0, reduction.end())
            reason = " ".join(text[why.start("r") : why.end("r")].split()) if why else None
        drug = hit.value
        if kind is TreatmentKind.surgery:
            drug = " ".join(hit.text.lower().split())
            site = re.match(r"\s+of\s+(?:the\s+)?((?:left|right)\s+)?(\w+)", text[hit.end : hi])
            if site:
                drug += " of " + " ".join(site.group(0).split()[1:]).removeprefix("the ")
        out.append(
            TreatmentMention(
                start=hit.start,
                end=hit.end,
                extractor="treatments.lexicon",
                drug=drug,
                kind=kind,
                target=target,  # type: ignore[arg-type]
                line=line,
                cycles=cycles,
                dose=" ".join(text[dose.start("d") : dose.end("d")].split()) if dose else None,
                intent=intent.group().lower() if intent else None,
                dose_change=change,
                dose_change_reason=reason,
            )
        )
    return out


#: Usual cycle lengths in days of common regimens given in cycles (the schedules of their
#: product labels / standard protocols: doxorubicin, trabectedin, docetaxel, cisplatin,
#: carboplatin, gemcitabine with docetaxel, ifosfamide and the immune checkpoint inhibitors
#: pembrolizumab and atezolizumab every 3 weeks; weekly paclitaxel is not assumed). A regimen not
#: listed is taken as 3-weekly and the date says it is assumed (:func:`cycle_days`).
CYCLE_DAYS: dict[str, int] = {
    "doxorubicin": 21,
    "epirubicin": 21,
    "trabectedin": 21,
    "docetaxel": 21,
    "gemcitabine": 21,
    "ifosfamide": 21,
    "cisplatin": 21,
    "carboplatin": 21,
    "etoposide": 21,
    "pembrolizumab": 21,
    "atezolizumab": 21,
    "nivolumab": 14,
    "folfox": 14,
    "folfiri": 14,
}
DEFAULT_CYCLE_DAYS = 21


def cycle_days(drug: str | None) -> tuple[int, bool]:
    """(cycle length in days, known) for ``drug``: a regimen not in :data:`CYCLE_DAYS` is
    taken as 3-weekly (``known`` False: the caller notes the assumption)."""
    if drug is not None and drug.lower() in CYCLE_DAYS:
        return CYCLE_DAYS[drug.lower()], True
    return DEFAULT_CYCLE_DAYS, False
