"""Clinical text -> typed mentions, one small module per fact family.

:func:`extract_sentence` runs every family over one sentence and returns mentions with
offsets relative to it. Families: :mod:`.skin` (skin signs, other organ findings),
:mod:`.muscle` (weakness, distribution, MRC grades), :mod:`.labs`, :mod:`.antibodies`,
:mod:`.investigations`, :mod:`.cancer`, :mod:`.treatments`, :mod:`.demographics` and
:mod:`.temporal`. Surface forms are data in ``resources/nlp/lexicon.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from heliotrope.model.vocabulary import InvestigationKind
from heliotrope.nlp.extract import (
    antibodies,
    cancer,
    demographics,
    investigations,
    labs,
    muscle,
    skin,
    temporal,
    treatments,
)
from heliotrope.nlp.extract.base import (
    AntibodyMention,
    CancerMention,
    DemographicMention,
    FindingMention,
    GradeMention,
    InvestigationMention,
    LabMention,
    Mention,
    TimeMention,
    TreatmentMention,
)
from heliotrope.nlp.extract.lexicon import literal_trie as _trie_regex_literal

__all__ = [
    "AntibodyMention",
    "CancerMention",
    "DemographicMention",
    "FindingMention",
    "GradeMention",
    "InvestigationMention",
    "LabMention",
    "Mention",
    "TimeMention",
    "TreatmentMention",
    "extract_sentence",
]


# Gates: a family runs only when one of its keys is in the sentence (its own matchers then
# decide). All keys are scanned at once with one prefix-factored (trie) regex over the
# lower-cased sentence, at every position (keys may overlap); a key written "=ck" must be a
# whole word. Keys only need to be permissive: a family that runs and finds nothing costs
# time, not accuracy. Treatments are gated by their drugs' names (lexicon.json), dates by
# their time words and by a year.
_GATES: dict[str, tuple[str, ...]] = {
    "skin": (
        "rash", "erythem", "heliotrop", "gottron", "shawl", "=sign", "=signs", "papul", "macul",
        "=v", "periungual", "nail", "capillar", "cuticl", "mechanic", "flagellat", "photo",
        "=sun", "sun-", "orbital", "eyelid", "=lids", "=lid", "palpebral", "ulcer", "necros",
        "calcino", "calcific", "violaceous", "purpl", "lilac", "holster", "skin", "cutaneous",
    ),
    "organs": (
        "dysphag", "swallow", "motil", "oesophag", "esophag", "pharyn", "respirat", "breath",
        "diaphragm", "interstitial", "=ild", "fibros", "pneumon", "raynaud", "arthrit",
        "synovit", "arthropath", "fever", "febrile", "pyrex", "myalg", "muscle pain",
        "muscle ache", "muscle tender", "refractory", "unresponsive", "resistant", "respond",
        "response to",
    ),
    "muscle": (
        "weak", "power", "strength", "pares", "force", "difficult", "/5", "/ 5", "of 5",
        "head", "proximal", "distal", "grade", "flexor", "extensor", "unable", "stairs",
        "myasthen", "climb", "rising",
    ),
    "labs": (
        "kinase", "=ck", "=cpk", "=ldh", "=alt", "=ast", "=esr", "=crp", "=wbc", "=wcc", "=hb",
        "=hgb", "=plt", "=sgot", "=sgpt", "dehydrogenase", "transaminase", "aminotransferase",
        "aldolase", "sediment", "reactive", "white", "leuc", "leuk", "haemo", "hemo",
        "platelet", "creatinine", "myoglobin", "troponin", "ferritin", "enzyme",
    ),
    "antibodies": (
        "anti", "positiv", "negativ", "titre", "titer", "detect", "serolog", "panel", "tested",
        "equivocal", "borderline", "=ana", "=ena",
    ),
    "investigations": (
        "emg", "electromyo", "=mri", "magnetic", "mr imaging", "biops", "stir", "echocardio",
        "histolog", "histopatholog",
    ),
    "cancer": (
        "sarcoma", "carcinom", "cancer", "malignan", "tumour", "tumor", "neoplasm", "neoplasia",
        "lymphoma",
        "melanoma", "leuk", "myeloma", "mesothelioma", "seminoma", "thymoma", "sclc", "=hcc",
        "=lms",
    ),
    "demographics": ("year", "aged", "=age", "=yr", "=yrs"),
    "temporal": (
        "day", "week", "month", "year", "later", "earlier", "ago", "history", "diagnos",
        "preceded", "predated", "end", "complet",
    ),
}  # fmt: skip
_YEAR = re.compile(r"(?:19|20)\d\d")


@dataclass(frozen=True)
class _Gate:
    regex: re.Pattern[str]
    families: dict[str, frozenset[str]]  # key -> families
    whole_word: frozenset[str]
    prefixes: dict[str, tuple[str, ...]]  # key -> shorter keys it starts with


@cache
def _gate() -> _Gate:
    table: dict[str, set[str]] = {}
    whole: set[str] = set()
    gates = dict(_GATES)
    drugs = treatments.gate_keys()
    gates["treatments"] = tuple(drugs) if drugs is not None else ()
    for family, keys in gates.items():
        for key in keys:
            word = key.removeprefix("=")
            if key.startswith("="):
                whole.add(word)
            table.setdefault(word, set()).add(family)
    prefixes = {key: tuple(k for k in table if k != key and key.startswith(k)) for key in table}
    regex = re.compile(_trie_regex_literal(sorted(table)))
    return _Gate(regex, {k: frozenset(v) for k, v in table.items()}, frozenset(whole), prefixes)


def families(low: str) -> set[str]:
    """The families whose keys are in the lower-cased sentence ``low`` ("treatments" and
    "temporal" included)."""
    gate = _gate()
    found: set[str] = set()
    search = gate.regex.search
    m = search(low)
    while m is not None:  # the longest key at every position where one starts
        key = m.group()
        start = m.start()
        before = low[start - 1 : start].isalnum()
        for word in (key, *gate.prefixes[key]):
            if word in gate.whole_word and (
                before or low[start + len(word) : start + len(word) + 1].isalnum()
            ):
                continue
            found |= gate.families[word]
        m = search(low, start + 1)
    if "temporal" not in found and _YEAR.search(low):
        found.add("temporal")
    return found


def extract_sentence(
    text: str,
    previous: InvestigationKind | None = None,
    *,
    times: bool | Literal["preceded"] = True,
) -> list[Mention]:
    """Every mention in one sentence (offsets relative to ``text``), in text order.

    ``previous`` is the investigation the sentence before was about (see
    :func:`heliotrope.nlp.extract.investigations.extract`); ``times`` whether to read dates
    and intervals (``"preceded"``: only "X preceded Y by N months").
    """
    gates = families(text.lower())
    found: list[Mention] = []
    if "skin" in gates:
        found += skin.extract(text)
        found += skin.extract_generic(text)
    if "organs" in gates:
        found += skin.extract_organs(text)
    if "muscle" in gates:
        found += muscle.extract(text)
    if "labs" in gates:
        found += labs.extract(text)
    if "antibodies" in gates:
        found += antibodies.extract(text)
    if previous is not None or "investigations" in gates:
        found += investigations.extract(text, previous)
    if "cancer" in gates:
        found += cancer.extract(text)
    if "treatments" in gates:
        found += treatments.extract(text)
    if "demographics" in gates:
        found += demographics.extract(text)
    if times and "temporal" in gates:
        found += temporal.extract(text, preceded_only=times == "preceded")
    found.sort(key=lambda m: (m.start, m.end))
    return found
