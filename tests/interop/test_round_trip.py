"""A record written as FHIR and read back keeps every input; the example Bundles give the same
results as their YAML (issue 9 parts 2 and "checked against")."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heliotrope.api import assess
from heliotrope.interop.fhir import read_fhir_data, read_fhir_file
from heliotrope.interop.fhir.export import record_bundle
from heliotrope.io import load_record
from heliotrope.model.record import FACT_LISTS, Finding, PatientRecord
from heliotrope.model.vocabulary import FindingCode, Status

CASES = ["founding-case", "anti-tif1g-dm"]
_DATED = ("date", "start", "stop", "age_at", "onset", "diagnosis", "birth_date")


def _facts(record: PatientRecord) -> dict[str, list[dict[str, Any]]]:
    """Every fact without its source; dates resolved (relative dates are written resolved)."""
    out = {}
    for name in FACT_LISTS:
        rows = []
        for fact in getattr(record, name):
            row = fact.model_dump(mode="json", exclude={"source", *_DATED})
            for field in ("date", "start", "stop"):
                if hasattr(fact, field):
                    row[field] = str(record.date_of(getattr(fact, field)))
            if "range" in row and row["range"] and row["range"].get("unit") is None:
                row["range"]["unit"] = row["unit"]
            rows.append(row)
        out[name] = rows
    return out


def _same_results(a: PatientRecord, b: PatientRecord) -> None:
    left, right = assess(a).to_json(), assess(b).to_json()
    for key, result in left["results"].items():
        other = right["results"][key]
        for field in (
            "category",
            "score",
            "probability",
            "subgroup",
            "subtype",
            "unknown_items",
            "interval_days",
            "post_test",
            "factor_category",
        ):
            assert result.get(field) == other.get(field), (key, field)
        assert {k: v["status"] for k, v in result["items"].items()} == {
            k: v["status"] for k, v in other["items"].items()
        }, key


@pytest.mark.parametrize("case", CASES)
def test_round_trip_keeps_every_input(examples_dir: Path, case: str) -> None:
    record = load_record(examples_dir / f"{case}.yaml")
    back = read_fhir_data(record_bundle(record, as_of=date(2026, 12, 1)))
    assert back.unread == ()
    assert _facts(back.record) == _facts(record)
    assert back.record.demographics.sex == record.demographics.sex
    assert record.date_of(back.record.myositis.onset) == record.myositis_onset
    _same_results(record, back.record)


@pytest.mark.parametrize("case", CASES)
def test_example_bundle_gives_the_yaml_results(examples_dir: Path, case: str) -> None:
    yaml_record = load_record(examples_dir / f"{case}.yaml")
    report = read_fhir_file(examples_dir / f"{case}.fhir.json")
    assert report.unread == ()
    _same_results(yaml_record, report.record)


def test_anti_tif1g_example_uses_external_codes(examples_dir: Path) -> None:
    """The second example is coded as an EHR would send it: LOINC labs and antibody names in
    text; the record still reads IMACS high risk."""
    report = read_fhir_file(examples_dir / "anti-tif1g-dm.fhir.json")
    results = assess(report.record, ["imacs_2023", "eular_acr_2017"]).results
    assert results["eular_acr_2017"].values["subgroup"] == "DM"
    assert results["imacs_2023"].values["factor_category"] == "high"


_STATUS = st.sampled_from(list(Status))
_CODES = st.sampled_from(list(FindingCode))


@given(st.lists(st.tuples(_CODES, _STATUS), min_size=1, max_size=12))
def test_findings_round_trip_any_tri_state(pairs: list[tuple[FindingCode, Status]]) -> None:
    record = PatientRecord(
        id="prop",
        findings=tuple(Finding(code=c, status=s, date="2024-05") for c, s in pairs),
    )
    back = read_fhir_data(record_bundle(record)).record
    assert [(f.code, f.status, f.date) for f in back.findings] == list(
        (c, s, "2024-05") for c, s in pairs
    )


def test_round_trip_of_every_fact_list() -> None:
    """Lists the examples do not use: lab statements, lesions, activity, censored values with
    their own range unit, partial dates, dose changes, investigation of unknown status."""
    record = PatientRecord.model_validate(
        {
            "id": "all-lists",
            "demographics": {"sex": "male", "birth_date": "1960-05"},
            "myositis": {
                "onset": "2023-02",
                "exclusions_considered": True,
                "exclusions_present": ["hypothyroidism"],
                "better_explanation": "absent",
            },
            "lab_statements": [
                {"analyte": "aldolase", "interpretation": "high", "date": "2023-03-01"}
            ],
            "labs": [
                {
                    "analyte": "ck",
                    "value": 11.6,
                    "unit": "µkat/L",
                    "comparator": ">",
                    "range": {"high": 200, "unit": "U/L"},
                    "date": "2023-03-01",
                }
            ],
            "investigations": [
                {"kind": "mri", "performed": None, "findings": {"muscle_oedema": "not_assessed"}}
            ],
            "lesions": [
                {
                    "date": "2023-04-01",
                    "lesion": "T1",
                    "organ": "liver",
                    "kind": "target",
                    "mm": 23.5,
                },
                {
                    "date": "2023-04-01",
                    "lesion": "N1",
                    "kind": "non_target",
                    "node": True,
                    "assessment": "present",
                },
            ],
            "activity": [
                {
                    "date": "2023-04-01",
                    "mmt8": 62,
                    "cdasi_activity": 14,
                    "grades": [{"muscle": "deltoid", "side": "left", "mrc": "4+"}],
                }
            ],
            "treatments": [
                {
                    "id": "mtx",
                    "drug": "methotrexate",
                    "kind": "immunosuppressant",
                    "target": "myositis",
                    "start": "2023-03",
                    "cycles": 0,
                    "dose_changes": [
                        {"date": "2023-05-01", "change": "15 -> 20 mg", "reason": "active disease"}
                    ],
                },
                {
                    "drug": "radiotherapy to spine",
                    "kind": "radiotherapy",
                    "target": "cancer",
                    "start": "2023-06-01",
                    "stop": "2023-06-20",
                    "dose": "30 Gy",
                },
            ],
            "events": [
                {
                    "id": "admission",
                    "kind": "admission",
                    "date": "2023-03-01",
                    "description": "admitted",
                    "note": "via A&E",
                }
            ],
        }
    )
    back = read_fhir_data(record_bundle(record))
    assert back.unread == ()
    assert _facts(back.record) == _facts(record)
    assert back.record.myositis == record.myositis
    assert back.record.demographics == record.demographics
