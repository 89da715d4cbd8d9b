"""Bad FHIR input: a clear error naming the resource and element, exit 2 on the CLI, no
traceback, nothing half-written, no patient data in the message (issue 9 part 4)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.interop.helpers import PATIENT, bundle, loinc, observation, own
from typer.testing import CliRunner

from heliotrope.cli.main import app
from heliotrope.interop.fhir import MAX_ENTRIES, FhirInputError, read_fhir_data, read_fhir_text

SECRET = "Jane Q. Secretname"


def _error(data: Any) -> FhirInputError:
    with pytest.raises(FhirInputError) as caught:
        read_fhir_data(data)
    return caught.value


def _where(error: FhirInputError) -> list[str]:
    return [d.location for d in error.details]


def test_malformed_json_names_line_and_column() -> None:
    with pytest.raises(FhirInputError) as caught:
        read_fhir_text('{"resourceType": "Bundle",\n  "entry": [}')
    assert caught.value.details[0].location.startswith("line 2")


def test_resource_of_the_wrong_type_for_a_reference() -> None:
    procedure = {
        "resourceType": "Procedure",
        "id": "pr",
        "status": "completed",
        "code": own("investigation", "emg"),
        "subject": {"reference": "Patient/p1"},
        "report": [{"reference": "Observation/o"}],
    }
    data = bundle(observation(own("finding", "fever"), valueBoolean=True, id="o"))
    data["entry"].append({"resource": procedure})
    assert _where(_error(data)) == ["Procedure/pr.report[0]"]


def test_invalid_r4_element_is_named() -> None:
    bad = observation(own("finding", "fever"), valueBoolean=True, effectiveDateTime="yesterday")
    error = _error(bundle(bad))
    assert any(w.startswith("Observation/r0.effectiveDateTime") for w in _where(error))


def test_unknown_code_in_heliotrope_codesystem() -> None:
    error = _error(bundle(observation(own("finding", "purple_spots"), valueBoolean=True)))
    assert _where(error) == ["Observation/r0.code"]


def test_unit_pint_cannot_convert() -> None:
    obs = observation(
        loinc("2157-6"),
        valueQuantity={"value": 3, "system": "http://unitsofmeasure.org", "code": "mg/dL"},
    )
    error = _error(bundle(obs))
    assert _where(error) == ["Observation/r0.valueQuantity.code"]
    assert "cannot measure ck" in error.details[0].message


def test_dangling_reference() -> None:
    obs = observation(own("finding", "fever"), valueBoolean=True)
    data = bundle(obs)
    data["entry"][1]["resource"]["subject"] = {"reference": "Patient/nobody"}
    assert _where(_error(data)) == ["Observation/r0.subject"]


def test_resource_of_another_patient() -> None:
    data = bundle(observation(own("finding", "fever"), valueBoolean=True))
    data["entry"].append({"resource": {**PATIENT, "id": "p2"}})
    error = _error(data)
    assert "2 patients" in error.message


def test_bundle_over_the_limit_is_refused_before_reading() -> None:
    entry = {"resource": {"resourceType": "Basic", "code": {"text": "x"}}}
    data = {"resourceType": "Bundle", "type": "collection", "entry": [entry] * 100_000}
    error = _error(data)
    assert _where(error) == ["Bundle.entry"]
    assert str(MAX_ENTRIES) in error.details[0].message


def test_errors_carry_no_patient_data() -> None:
    patient = {**PATIENT, "name": [{"text": SECRET}], "birthDate": SECRET}
    data = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": patient}]}
    error = _error(data)
    assert SECRET not in str(error)
    assert "Patient/p1.birthDate" in _where(error)[0]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("broken.json", '{"resourceType": "Bundle", "entry": [ '),
        (
            "unit.json",
            json.dumps(
                bundle(
                    observation(
                        loinc("2157-6"),
                        valueQuantity={
                            "value": 3,
                            "system": "http://unitsofmeasure.org",
                            "code": "mmol",
                        },
                    )
                )
            ),
        ),
        ("many.ndjson", "\n".join([json.dumps(PATIENT), json.dumps({**PATIENT, "id": "p2"})])),
    ],
)
def test_cli_exits_2_without_traceback(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    out = tmp_path / "out.json"
    result = CliRunner().invoke(app, ["export", str(path), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "[HT120]" in result.output
    assert not out.exists()


def test_resource_type_fhir_does_not_define() -> None:
    data = bundle({"resourceType": "Banana", "status": "ripe"})
    assert _where(_error(data)) == ["Bundle.entry[1].resource.resourceType"]


def test_a_case_file_is_not_fhir() -> None:
    with pytest.raises(FhirInputError) as caught:
        read_fhir_data({"id": "founding-case", "findings": []})
    assert caught.value.details[0].message == "no resourceType"
