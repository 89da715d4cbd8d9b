"""Skin, swallowing, EMG and biopsy in the language of the field (issue 8 part 2).
Sentences written for these tests."""

from __future__ import annotations

import pytest

from heliotrope.model.vocabulary import FindingCode, InvestigationFinding, InvestigationKind, Status
from heliotrope.nlp.extract.investigations import extract as investigations
from heliotrope.nlp.extract.labs import extract as labs
from heliotrope.nlp.extract.skin import extract_generic, extract_organs
from heliotrope.nlp.ingest import ingest_text
from heliotrope.nlp.reader import read_record

IF = InvestigationFinding
K = InvestigationKind


@pytest.mark.parametrize(
    "text",
    [
        "She chokes on solid food.",
        "He has trouble swallowing tablets.",
        "Over the last month he has begun choking when eating meat.",
        "She coughs when drinking water.",
        "There is nasal regurgitation of fluids.",
        "He describes food sticking in his throat.",
        "Problems swallowing solids for two weeks.",
    ],
)
def test_dysphagia_in_other_words(text: str) -> None:
    assert FindingCode.dysphagia in {m.code for m in extract_organs(text) if m.status is None}


@pytest.mark.parametrize(
    "text",
    ["Swallowing is normal.", "Swallowing normal.", "She swallows normally.", "Normal swallow."],
)
def test_normal_swallowing_is_dysphagia_absent(text: str) -> None:
    assert [(m.code, m.status) for m in extract_organs(text)] == [
        (FindingCode.dysphagia, Status.absent)
    ]


@pytest.mark.parametrize("text", ["He has a cough at night.", "She swallowed the tablets."])
def test_not_dysphagia(text: str) -> None:
    assert FindingCode.dysphagia not in {m.code for m in extract_organs(text)}


@pytest.mark.parametrize(
    "text",
    ["There was no heliotrope rash.", "No heliotrope rash or Gottron's papules."],
)
def test_regression_a_named_rash_does_not_rule_out_the_other_signs(text: str) -> None:
    """Regression: "no heliotrope rash" also made Gottron's papules and sign absent."""
    found = {m.code for m in extract_generic(text)}
    assert FindingCode.gottron_sign not in found


def test_a_rash_naming_no_sign_still_rules_them_out_when_negated() -> None:
    assert {m.code for m in extract_generic("No rash.")} == {
        FindingCode.heliotrope_rash,
        FindingCode.gottron_papules,
        FindingCode.gottron_sign,
    }


def _biopsy(text: str, previous: K | None = None) -> set[IF]:
    return {f[0] for m in investigations(text, previous) for f in m.findings}


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        (
            "Muscle biopsy: perivascular CD8+ T-cell infiltrates.",
            IF.perimysial_perivascular_infiltrate,
        ),
        (
            "Muscle biopsy showed endomysial CD8+ lymphocytic inflammation.",
            IF.endomysial_infiltrate,
        ),
        ("Muscle biopsy: rimmed vacuoles and COX-negative fibres.", IF.rimmed_vacuoles),
        ("A deltoid muscle biopsy demonstrated perifascicular atrophy.", IF.perifascicular_atrophy),
    ],
)
def test_biopsy_findings(text: str, wanted: IF) -> None:
    assert wanted in _biopsy(text)


def test_regression_non_necrotic_fibres_are_not_necrosis() -> None:
    found = _biopsy("Muscle biopsy: endomysial inflammation invading non-necrotic fibres.")
    assert IF.necrosis not in found
    assert IF.endomysial_infiltrate in found


@pytest.mark.parametrize(
    "text", ["No rimmed vacuoles.", "There was no perifascicular atrophy and no rimmed vacuoles."]
)
def test_a_sentence_of_biopsy_findings_continues_the_biopsy(text: str) -> None:
    assert _biopsy(text, K.muscle_biopsy)
    assert not _biopsy(text, None)


def test_biopsy_findings_negated_in_the_next_sentence_are_absent() -> None:
    text = "Muscle biopsy showed perifascicular atrophy. No rimmed vacuoles were seen."
    record = read_record(ingest_text(text, "case.txt")).record
    [biopsy] = [i for i in record.investigations if i.kind is K.muscle_biopsy]
    statuses = biopsy.findings
    assert statuses[IF.rimmed_vacuoles] is Status.absent
    assert statuses[IF.perifascicular_atrophy] is Status.present


@pytest.mark.parametrize(
    "text",
    [
        "EMG: fibrillation potentials with short-duration, low-amplitude polyphasic motor units.",
        "Needle EMG showed an irritable myopathy.",
        "Electromyography revealed myopathic changes in the proximal muscles.",
    ],
)
def test_myopathic_emg(text: str) -> None:
    assert IF.myopathic in _biopsy(text)


@pytest.mark.parametrize(
    ("text", "analytes"),
    [
        ("CK was 95 U/L and aldolase 4.1 U/L, both normal.", {"ck", "aldolase"}),
        ("CK 90 U/L, LDH 180 U/L and AST 20 U/L, all within normal limits.", {"ck", "ldh", "ast"}),
        ("Creatine kinase 140 U/L (normal).", {"ck"}),
    ],
)
def test_normal_said_of_a_list_of_unranged_values(text: str, analytes: set[str]) -> None:
    said = {m.analyte.value for m in labs(text) if m.value is None and m.stated == "normal"}
    assert said == analytes


@pytest.mark.parametrize(
    "text",
    [
        "The upper eyelids were violaceous; this may be a heliotrope rash or contact dermatitis.",
        "There is a violaceous rash of the upper eyelids, possibly a heliotrope rash.",
        "Periorbital erythema which could represent a heliotrope rash.",
        "Eyelid erythema, difficult to assess on a background of eczema.",
    ],
)
def test_a_sign_stated_and_doubted_is_unknown_with_the_reason(text: str) -> None:
    result = read_record(ingest_text(text, "consult.txt"))
    assert FindingCode.heliotrope_rash not in {f.code for f in result.record.findings}
    assert any("left unknown" in w.message for w in result.warnings)


def test_a_plain_sign_in_another_sentence_is_kept() -> None:
    text = "Heliotrope rash. Knuckle papules may be Gottron's papules."
    result = read_record(ingest_text(text, "consult.txt"))
    codes = {f.code for f in result.record.findings}
    assert FindingCode.heliotrope_rash in codes
    assert FindingCode.gottron_papules not in codes


def test_regression_cox_negative_fibres_do_not_negate_the_biopsy() -> None:
    """Regression: "rimmed vacuoles and COX-negative fibres" made the rimmed vacuoles (and the
    endomysial inflammation before them) absent."""
    text = "Muscle biopsy: endomysial inflammation, rimmed vacuoles and many COX-negative fibres."
    record = read_record(ingest_text(text, "letter.txt")).record
    [biopsy] = [i for i in record.investigations if i.kind is K.muscle_biopsy]
    assert biopsy.findings[IF.rimmed_vacuoles] is Status.present
    assert biopsy.findings[IF.endomysial_infiltrate] is Status.present


@pytest.mark.parametrize(
    "text",
    [
        "Videofluoroscopy showed impaired pharyngeal contraction.",
        "A cricopharyngeal bar was seen on barium swallow.",
        "Esophageal dysmotility on manometry.",
    ],
)
def test_oesophageal_dysmotility_in_other_words(text: str) -> None:
    assert FindingCode.oesophageal_dysmotility in {m.code for m in extract_organs(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Electrophysiology: features of an active myopathy.",
        "Neurophysiological studies showed a myopathic pattern.",
    ],
)
def test_emg_named_otherwise(text: str) -> None:
    assert IF.myopathic in _biopsy(text)


def test_endomysial_t_cells() -> None:
    found = _biopsy("Muscle biopsy: endomysial CD8+ T cells invading non-necrotic fibres.")
    assert IF.endomysial_infiltrate in found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Papules over the extensor surfaces of the finger joints were noted.", True),
        ("Papules were present over the knuckles.", True),
        (
            "Papules on the elbows.",
            False,
        ),  # location alone names Gottron's papules on the hands only
    ],
)
def test_gottron_papules_by_location(text: str, found: bool) -> None:
    from heliotrope.nlp.extract.skin import extract as skin

    assert (FindingCode.gottron_papules in {m.code for m in skin(text)}) is found


def test_heliotrope_colour_to_the_eyelids() -> None:
    from heliotrope.nlp.extract.skin import extract as skin

    assert FindingCode.heliotrope_rash in {
        m.code for m in skin("A purplish hue to the eyelids with oedema.")
    }
