"""FHIR R4 → record: every tri-state kept, units and censored values, value sets, provenance
(clinical spec §2 record model; issue 9 part 1)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.interop.helpers import bundle, loinc, observation, own

from heliotrope.interop.fhir import read_fhir_data, read_fhir_text
from heliotrope.interop.fhir.terminology import terminology
from heliotrope.model.vocabulary import AntibodyName, Status

DAR = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason",
            "code": "not-performed",
        }
    ]
}
SNOMED = "http://snomed.info/sct"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"valueBoolean": True}, "present"),
        ({"valueBoolean": False}, "absent"),
        ({"dataAbsentReason": DAR}, "not_assessed"),
        ({"valueCodeableConcept": {"coding": [{"system": SNOMED, "code": "52101004"}]}}, "present"),
        ({"valueCodeableConcept": {"coding": [{"system": SNOMED, "code": "2667000"}]}}, "absent"),
        ({"valueCodeableConcept": {"coding": [{"system": SNOMED, "code": "373067005"}]}}, "absent"),
        ({"valueCodeableConcept": own("status", "not_assessed")}, "not_assessed"),
    ],
)
def test_finding_tri_state(value: dict[str, Any], expected: str) -> None:
    data = bundle(observation(own("finding", "heliotrope_rash"), **value))
    record = read_fhir_data(data).record
    assert [f.status.value for f in record.findings] == [expected]


def test_finding_without_value_is_reported_not_guessed() -> None:
    report = read_fhir_data(bundle(observation(own("finding", "gottron_papules"))))
    assert report.record.findings == ()
    assert any("no present/absent value" in u.reason for u in report.unread)


def test_snomed_finding_code_reads() -> None:
    code = {"coding": [{"system": SNOMED, "code": "40739000", "display": "Dysphagia"}]}
    record = read_fhir_data(bundle(observation(code, valueBoolean=False))).record
    assert record.findings[0].code.value == "dysphagia"
    assert record.findings[0].status is Status.absent


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            {"valueCodeableConcept": {"coding": [{"system": SNOMED, "code": "10828004"}]}},
            "positive",
        ),
        (
            {"valueCodeableConcept": {"coding": [{"system": SNOMED, "code": "260385009"}]}},
            "negative",
        ),
        ({"valueCodeableConcept": {"coding": [{"system": SNOMED, "code": "260408008"}]}}, "weak"),
        ({"valueString": "Weakly positive"}, "weak"),
        ({"valueString": "Not detected"}, "negative"),
        ({"dataAbsentReason": DAR}, "not_tested"),
        (
            {
                "valueQuantity": {"value": 35, "unit": "U"},
                "interpretation": [{"coding": [{"code": "POS"}]}],
            },
            "positive",
        ),
    ],
)
def test_antibody_results(value: dict[str, Any], expected: str) -> None:
    record = read_fhir_data(bundle(observation(own("antibody", "anti_tif1g"), **value))).record
    assert [(a.name.value, a.result.value) for a in record.antibodies] == [("anti_tif1g", expected)]


def test_every_loinc_code_of_an_antibody_value_set_maps_to_it() -> None:
    """The value sets are data: every listed LOINC code reads as its antibody."""
    table = terminology().antibody_loinc
    assert len({n for n in table.values()}) >= 4
    assert sum(1 for n in table.values() if n is AntibodyName.ana) >= 3
    for code, name in table.items():
        value = {"valueString": "positive"}
        record = read_fhir_data(bundle(observation(loinc(code), **value))).record
        assert record.antibodies[0].name is name, code


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TIF1 gamma Ab [Presence] in Serum by Immunoblot", "anti_tif1g"),
        ("Anti-NXP2 antibody", "anti_nxp2"),
        ("MDA5 Ab IgG", "anti_mda5"),
        ("Jo-1", "anti_jo1"),
    ],
)
def test_antibody_from_code_text(text: str, expected: str) -> None:
    obs = observation({"text": text}, valueString="negative")
    assert read_fhir_data(bundle(obs)).record.antibodies[0].name.value == expected


def test_lab_ucum_units_range_and_censoring() -> None:
    ck = observation(
        loinc("2157-6"),
        valueQuantity={
            "value": 11.6,
            "unit": "µkat/L",
            "system": "http://unitsofmeasure.org",
            "code": "ukat/L",
        },
        referenceRange=[
            {"high": {"value": 3.3, "system": "http://unitsofmeasure.org", "code": "ukat/L"}}
        ],
    )
    crp = observation(
        loinc("1988-5"),
        valueQuantity={
            "value": 4,
            "comparator": "<",
            "system": "http://unitsofmeasure.org",
            "code": "mg/L",
        },
    )
    wbc = observation(
        loinc("6690-2"),
        valueQuantity={"value": 11.4, "system": "http://unitsofmeasure.org", "code": "10*9/L"},
    )
    record = read_fhir_data(bundle(ck, crp, wbc)).record
    ck_lab, crp_lab, wbc_lab = record.labs
    assert ck_lab.times_uln == pytest.approx(11.6 / 3.3)
    assert ck_lab.canonical_value == pytest.approx(11.6 * 60)
    assert crp_lab.comparator == "<" and crp_lab.value == 4
    assert wbc_lab.canonical_value == pytest.approx(11.4)


def test_lab_in_words_is_a_statement() -> None:
    obs = observation(
        loinc("1763-2"),
        interpretation=[
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/"
                        "v3-ObservationInterpretation",
                        "code": "H",
                    }
                ]
            }
        ],
    )
    record = read_fhir_data(bundle(obs)).record
    assert [(s.analyte.value, s.interpretation.value) for s in record.lab_statements] == [
        ("aldolase", "high")
    ]


def _condition(code: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"resourceType": "Condition", "code": code, **extra}


def test_refuted_cancer_is_absent_and_reported() -> None:
    cancer = _condition(
        {"coding": [{"system": SNOMED, "code": "363346000"}], "text": "lung adenocarcinoma"},
        verificationStatus={
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                    "code": "refuted",
                }
            ]
        },
    )
    report = read_fhir_data(bundle(cancer))
    assert report.record.cancers == ()
    assert any("refuted" in u.reason for u in report.unread)


def test_cancer_by_icd10_with_status_and_onset() -> None:
    cancer = _condition(
        {
            "coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "C34.1"}],
            "text": "Adenocarcinoma of upper lobe",
        },
        clinicalStatus={
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                    "code": "remission",
                }
            ]
        },
        onsetDateTime="2021-05-03T00:00:00Z",
    )
    (read,) = read_fhir_data(bundle(cancer)).record.cancers
    assert (read.histology, read.status.value, str(read.date)) == (
        "Adenocarcinoma of upper lobe",
        "remission",
        "2021-05-03",
    )


def test_family_history_of_cancer_is_not_a_cancer() -> None:
    condition = _condition({"text": "Family history of cancer of colon"})
    assert read_fhir_data(bundle(condition)).record.cancers == ()


def test_myositis_condition_gives_onset_and_diagnosis() -> None:
    dm = _condition(
        {"coding": [{"system": SNOMED, "code": "396230008", "display": "Dermatomyositis"}]},
        onsetDateTime="2024-01",
        recordedDate="2024-03-02",
    )
    report = read_fhir_data(bundle(dm))
    assert report.record.myositis.onset == "2024-01"
    assert report.record.myositis.diagnosis == "2024-03-02"
    assert any("recordedDate" in note for note in report.notes)


@pytest.mark.parametrize(
    ("status", "reason", "performed"),
    [("completed", None, True), ("not-done", "patient declined", False), ("unknown", None, None)],
)
def test_procedure_status(status: str, reason: str | None, performed: bool | None) -> None:
    procedure: dict[str, Any] = {
        "resourceType": "Procedure",
        "status": status,
        "code": {"text": "Muscle biopsy of quadriceps"},
    }
    if reason:
        procedure["statusReason"] = {"text": reason}
    (investigation,) = read_fhir_data(bundle(procedure)).record.investigations
    assert investigation.kind.value == "muscle_biopsy"
    assert investigation.performed is performed
    assert investigation.reason_not_performed == reason


def test_procedure_report_findings_keep_tri_state() -> None:
    data = bundle()
    report = {
        "resourceType": "DiagnosticReport",
        "id": "dr1",
        "status": "final",
        "code": own("investigation", "muscle_biopsy"),
        "subject": {"reference": "Patient/p1"},
        "conclusion": "perifascicular atrophy",
        "result": [{"reference": "Observation/f1"}, {"reference": "Observation/f2"}],
    }
    f1 = observation(own("investigation-finding", "perifascicular_atrophy"), valueBoolean=True)
    f2 = observation(own("investigation-finding", "rimmed_vacuoles"), dataAbsentReason=DAR)
    procedure = {
        "resourceType": "Procedure",
        "id": "pr1",
        "status": "completed",
        "code": own("investigation", "muscle_biopsy"),
        "subject": {"reference": "Patient/p1"},
        "report": [{"reference": "DiagnosticReport/dr1"}],
    }
    for resource, rid in ((f1, "f1"), (f2, "f2")):
        data["entry"].append(
            {"resource": {**resource, "id": rid, "subject": {"reference": "Patient/p1"}}}
        )
    data["entry"] += [{"resource": report}, {"resource": procedure}]
    record = read_fhir_data(data).record
    (biopsy,) = record.investigations
    assert {k.value: v.value for k, v in biopsy.findings.items()} == {
        "perifascicular_atrophy": "present",
        "rimmed_vacuoles": "not_assessed",
    }
    assert biopsy.summary == "perifascicular atrophy"


def test_medication_statement_is_a_treatment_line() -> None:
    statement = {
        "resourceType": "MedicationStatement",
        "status": "completed",
        "medicationCodeableConcept": {"text": "Prednisolone 5 mg tablet"},
        "effectivePeriod": {"start": "2024-03-05", "end": "2024-06-01"},
        "dosage": [{"text": "40 mg daily"}],
    }
    (treatment,) = read_fhir_data(bundle(statement)).record.treatments
    assert (treatment.kind.value, treatment.target, treatment.dose) == (
        "glucocorticoid",
        "myositis",
        "40 mg daily",
    )
    assert (str(treatment.start), str(treatment.stop)) == ("2024-03-05", "2024-06-01")


def test_mcode_disease_status_maps_only_unambiguous_values() -> None:
    code = loinc("97509-4")
    worse = observation(
        code, valueCodeableConcept={"coding": [{"system": SNOMED, "code": "271299001"}]}
    )
    better = observation(
        code,
        valueCodeableConcept={
            "coding": [{"system": SNOMED, "code": "268910001"}],
            "text": "Improved",
        },
    )
    record = read_fhir_data(bundle(worse, better)).record
    assert [t.reported_response for t in record.tumour_assessments] == ["PD", None]
    assert record.tumour_assessments[1].description == "Improved"


def test_provenance_names_resource_and_element() -> None:
    record = read_fhir_data(bundle(observation(own("finding", "v_sign"), valueBoolean=True))).record
    source = record.findings[0].source
    assert source is not None
    assert (source.field, source.extractor) == ("Observation/r0.valueBoolean", "fhir")


def test_ndjson_reads_like_a_bundle() -> None:
    lines = [
        json.dumps(e["resource"])
        for e in bundle(observation(own("finding", "heliotrope_rash"), valueBoolean=True))["entry"]
    ]
    report = read_fhir_text("\n".join(lines) + "\n", ndjson=True)
    assert report.record.findings[0].status is Status.present


def test_unknown_resource_types_are_counted_not_dropped() -> None:
    data = bundle({"resourceType": "Encounter", "status": "finished", "class": {"code": "AMB"}})
    report = read_fhir_data(data)
    assert report.types_not_read == {"Encounter": 1}


@given(
    st.floats(min_value=1, max_value=50_000, allow_nan=False),
    st.sampled_from([("U/L", 1.0), ("ukat/L", 1 / 60), ("[IU]/L", 1.0)]),
)
def test_unit_never_changes_times_uln(value: float, unit: tuple[str, float]) -> None:
    """The same CK in U/L, µkat/L or IU/L is the same multiple of the ULN (spec §10)."""
    code, factor = unit
    ucum = "http://unitsofmeasure.org"
    obs = observation(
        loinc("2157-6"),
        valueQuantity={"value": value * factor, "system": ucum, "code": code},
        referenceRange=[{"high": {"value": 200 * factor, "system": ucum, "code": code}}],
    )
    (lab,) = read_fhir_data(bundle(obs)).record.labs
    assert lab.times_uln == pytest.approx(value / 200, rel=1e-9)
