"""Clinical text -> typed mentions, one small module per fact family.

:func:`extract_sentence` runs every family over one sentence and returns mentions with
offsets relative to it. Families: :mod:`.skin` (skin signs, other organ findings),
:mod:`.muscle` (weakness, distribution, MRC grades), :mod:`.labs`, :mod:`.antibodies`,
:mod:`.investigations`, :mod:`.cancer`, :mod:`.treatments`, :mod:`.demographics` and
:mod:`.temporal`. Surface forms are data in ``resources/nlp/lexicon.json``.
"""

from __future__ import annotations

import re

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
# lower-cased sentence; a key written "=ck" must be a whole word. Keys only need to be
# permissive: a family that runs and finds nothing costs time, not accuracy.
_GATES: dict[str, tuple[str, ...]] = {
    "skin": (
        "rash", "erythem", "heliotrop", "gottron", "shawl", "=sign", "=signs", "papul", "macul",
        "=v", "periungual", "nail", "capillar", "cuticl", "mechanic", "flagellat", "photo",
        "=sun", "sun-", "orbital", "eyelid", "=lids", "=lid", "palpebral", "ulcer", "necros",
        "calcino", "calcific", "violaceous", "purpl", "lilac", "holster", "dermatomyositis",
        "=dm", "skin", "cutaneous",
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
        "platelet", "creatinine", "myoglobin", "troponin", "ferritin",
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
        "sarcoma", "carcinom", "cancer", "malignan", "tumour", "tumor", "neoplas", "lymphoma",
        "melanoma", "leuk", "myeloma", "mesothelioma", "seminoma", "thymoma", "sclc", "=hcc",
        "=lms",
    ),
    "demographics": ("year", "aged", "=age", "=yr", "=yrs"),
}  # fmt: skip
_KEY_FAMILIES: dict[str, set[str]] = {}
_WHOLE_WORD: set[str] = set()
for _family, _keys in _GATES.items():
    for _key in _keys:
        word = _key.removeprefix("=")
        if _key.startswith("="):
            _WHOLE_WORD.add(word)
        _KEY_FAMILIES.setdefault(word, set()).add(_family)
_MASTER = re.compile(_trie_regex_literal(sorted(_KEY_FAMILIES)))


def families(low: str) -> set[str]:
    """The families whose keys are in the lower-cased sentence ``low``."""
    found: set[str] = set()
    for m in _MASTER.finditer(low):
        key = m.group()
        if key in _WHOLE_WORD and (
            low[m.start() - 1 : m.start()].isalnum() or low[m.end() : m.end() + 1].isalnum()
        ):
            continue
        found |= _KEY_FAMILIES[key]
    return found


def extract_sentence(
    text: str, previous: InvestigationKind | None = None, *, times: bool = True
) -> list[Mention]:
    """Every mention in one sentence (offsets relative to ``text``), in text order.

    ``previous`` is the investigation the sentence before was about (see
    :func:`heliotrope.nlp.extract.investigations.extract`).
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
    found += treatments.extract(text)
    if "demographics" in gates:
        found += demographics.extract(text)
    if times:
        found += temporal.extract(text)
    found.sort(key=lambda m: (m.start, m.end))
    return found
