"""``heliotrope assess`` reads FHIR (Bundle and ndjson) through the one loader; ``heliotrope
export --format fhir`` writes inputs and results."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from heliotrope.cli.main import app
from heliotrope.io.inputs import input_kind, load_input


def test_input_kind_detects_fhir(examples_dir: Path, tmp_path: Path) -> None:
    assert input_kind(examples_dir / "founding-case.fhir.json") == "fhir"
    assert input_kind(examples_dir / "founding-case.yaml") == "casefile"
    assert input_kind(tmp_path / "x.ndjson") == "fhir"


def test_assess_reads_a_bundle_like_its_yaml(examples_dir: Path) -> None:
    runner = CliRunner()
    fhir = runner.invoke(
        app, ["assess", str(examples_dir / "founding-case.fhir.json"), "-f", "json"]
    )
    yaml = runner.invoke(app, ["assess", str(examples_dir / "founding-case.yaml"), "-f", "json"])
    assert fhir.exit_code == 0 and yaml.exit_code == 0
    from_fhir, from_yaml = json.loads(fhir.stdout), json.loads(yaml.stdout)
    assert from_fhir["fhir"]["unread"] == []
    for key, result in from_yaml["results"].items():
        assert from_fhir["results"][key]["category"] == result["category"], key


def test_assess_reads_ndjson(examples_dir: Path, tmp_path: Path) -> None:
    bundle = json.loads((examples_dir / "anti-tif1g-dm.fhir.json").read_text(encoding="utf-8"))
    path = tmp_path / "patient.ndjson"
    path.write_text("\n".join(json.dumps(e["resource"]) for e in bundle["entry"]) + "\n")
    # ndjson has no fullUrls: rewrite urn:uuid references to Type/id as a bulk export would.
    ids = {
        e["fullUrl"]: f"{e['resource']['resourceType']}/{e['resource']['id']}"
        for e in bundle["entry"]
    }
    text = path.read_text()
    for url, ref in ids.items():
        text = text.replace(url, ref)
    path.write_text(text)
    loaded = load_input(path)
    assert loaded.kind == "fhir" and loaded.fhir is not None
    assert len(loaded.record.antibodies) == 6
    result = CliRunner().invoke(app, ["assess", str(path)])
    assert result.exit_code == 0, result.output
    assert "Read from FHIR" in result.stdout


def test_export_writes_results_bundle(examples_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    result = CliRunner().invoke(
        app,
        [
            "export",
            str(examples_dir / "founding-case.yaml"),
            "--format",
            "fhir",
            "--as-of",
            "2026-12-01",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    bundle = json.loads(out.read_text(encoding="utf-8"))
    observations = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation"
        and any(c["code"] == "myositis.eular_acr_2017.v1" for c in e["resource"]["code"]["coding"])
    ]
    (eular,) = observations
    assert eular["valueCodeableConcept"]["text"] == "definite DM"
    components = {c["code"]["coding"][0]["code"]: c for c in eular["component"]}
    assert components["score"]["valueQuantity"]["value"] == 10.1
    unknown = components["eular_acr_2017.legs_proximal_weaker_than_distal"]
    assert unknown["dataAbsentReason"]["coding"][0]["code"] == "unknown"
    rash = components["eular_acr_2017.heliotrope_rash"]
    assert {e["url"].rsplit("/", 1)[-1]: e["valueDecimal"] for e in rash["extension"]} == {
        "item-points": 3.1,
        "item-counted": 3.1,
    }
    assert eular["derivedFrom"]
    assert any("do not make a diagnosis" in n["text"] for n in eular["note"])
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert "RiskAssessment" in kinds and "CarePlan" in kinds and "DetectedIssue" in kinds


def test_anti_tif1g_export_holds_the_enhanced_plan(examples_dir: Path) -> None:
    from datetime import date

    from heliotrope.interop.fhir.export import export_bundle
    from heliotrope.interop.fhir.terminology import cs

    record = load_input(examples_dir / "anti-tif1g-dm.fhir.json").record
    bundle = export_bundle(record, as_of=date(2026, 12, 1))
    resources = [e["resource"] for e in bundle["entry"]]
    (plan,) = [r for r in resources if r["resourceType"] == "CarePlan"]
    assert plan["intent"] == "proposal" and "high" in plan["title"]
    requested = {r["code"]["text"] for r in resources if r["resourceType"] == "ServiceRequest"}
    assert {"CT neck, thorax, abdomen and pelvis", "18F-FDG PET-CT"} <= requested
    assert len(plan["activity"]) == sum(r["resourceType"] == "ServiceRequest" for r in resources)
    imacs = next(
        r
        for r in resources
        if r["resourceType"] == "Observation"
        and r["code"]["coding"][0]
        == {
            "system": cs("criterion"),
            "code": "screening.imacs_2023.v1",
            "display": r["code"]["coding"][0]["display"],
        }
    )
    assert imacs["valueCodeableConcept"]["coding"][0]["code"] == "imacs_2023.high"
