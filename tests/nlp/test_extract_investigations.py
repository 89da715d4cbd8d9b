"""Sentence-level investigations: performed or not (with the reason), and their findings."""

from __future__ import annotations

import pytest

from heliotrope.model.vocabulary import InvestigationFinding as IF
from heliotrope.model.vocabulary import InvestigationKind as K
from heliotrope.nlp.extract import investigations
from heliotrope.nlp.extract.base import InvestigationMention


def only(sentence: str, previous: K | None = None) -> InvestigationMention:
    found = investigations.extract(sentence, previous)
    assert len(found) == 1, found
    return found[0]


def findings(m: InvestigationMention) -> set[IF]:
    return {f for f, *_ in m.findings}


@pytest.mark.parametrize(
    ("sentence", "kind", "expected"),
    [
        ("EMG showed a myopathic pattern.", K.emg, {IF.myopathic}),
        ("Electromyography revealed fibrillation potentials and positive sharp waves.",
         K.emg, {IF.myopathic}),
        ("Needle EMG showed short, small polyphasic motor units.", K.emg, {IF.myopathic}),
        ("Nerve studies with EMG found a sensorimotor polyneuropathy.", K.emg, {IF.neuropathic}),
        ("MRI of the thighs showed muscle oedema.", K.mri, {IF.muscle_oedema}),
        ("An MRI of the pelvis revealed STIR hyperintensity in the gluteal muscles.",
         K.mri, {IF.muscle_oedema}),
        ("A skin biopsy showed interface dermatitis.", K.skin_biopsy, {IF.interface_dermatitis}),
        ("A forearm punch biopsy was consistent with dermatomyositis.",
         K.skin_biopsy, {IF.consistent_with_dm}),
        ("A deltoid muscle biopsy showed perifascicular atrophy.",
         K.muscle_biopsy, {IF.perifascicular_atrophy}),
        ("The muscle biopsy showed perivascular inflammatory infiltrates.",
         K.muscle_biopsy, {IF.perimysial_perivascular_infiltrate, IF.inflammatory_myopathy}),
        ("Muscle biopsy revealed endomysial lymphocytic infiltrates.",
         K.muscle_biopsy, {IF.endomysial_infiltrate}),
        ("The quadriceps biopsy showed rimmed vacuoles.", K.muscle_biopsy, {IF.rimmed_vacuoles}),
        ("Muscle biopsy showed necrotic and regenerating fibres.",
         K.muscle_biopsy, {IF.necrosis, IF.regeneration}),
        ("An echocardiogram showed normal cardiac function.", K.echocardiogram, {IF.normal}),
    ],
)  # fmt: skip
def test_findings(sentence: str, kind: K, expected: set[IF]) -> None:
    found = only(sentence)
    assert found.kind is kind and found.performed is True
    assert expected <= findings(found)


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("A muscle biopsy was not performed because of a bleeding risk.", "a bleeding risk"),
        ("Muscle biopsy was not done, given the risk of tumour seeding.",
         "the risk of tumour seeding"),
        ("Given her thrombocytopenia, a muscle biopsy was not performed.", "her thrombocytopenia"),
        ("The muscle biopsy was deferred.", None),
    ],
)  # fmt: skip
def test_not_performed_with_its_reason(sentence: str, reason: str | None) -> None:
    found = only(sentence)
    assert found.performed is False
    assert found.reason == reason
    assert found.findings == ()


def test_performed_with_a_reason_that_argues_against_it_is_self_contradicting() -> None:
    found = only("The muscle biopsy, which was performed due to a high risk of spread, was normal.")
    assert found.performed is True
    assert investigations.self_contradicting(found.performed, found.reason)
    assert not investigations.self_contradicting(True, "to confirm the diagnosis")


def test_a_brain_mri_is_not_a_myositis_investigation() -> None:
    assert investigations.extract("MRI of the brain showed no metastases.") == []


def test_a_histology_sentence_continues_the_previous_biopsy() -> None:
    found = only("Histology showed perifascicular atrophy.", previous=K.muscle_biopsy)
    assert found.carried and found.kind is K.muscle_biopsy
    assert findings(found) == {IF.perifascicular_atrophy}
    assert investigations.extract("Histology showed perifascicular atrophy.") == []


def test_mentioned_only_is_unknown() -> None:
    assert only("An EMG is planned.").performed is None


def test_abbreviation_in_brackets_is_one_investigation() -> None:
    found = only("Electromyography (EMG) was myopathic.")
    assert found.kind is K.emg
