"""The CLI: assess / explain / schema, and bad input giving a clear error and exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from heliotrope.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
FOUNDING = str(ROOT / "examples" / "founding-case.yaml")
runner = CliRunner()


def test_assess_json_uses_appendix_a_identifiers() -> None:
    result = runner.invoke(app, ["assess", FOUNDING, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    bp = data["results"]["bohan_peter_1975"]
    assert (bp["category"], bp["subtype"]) == ("definite", "DM")
    assert set(bp["items"]) >= {
        "proximal_weakness",
        "elevated_muscle_enzymes",
        "myopathic_emg",
        "muscle_biopsy_myositis",
        "dm_rash",
    }
    eular = data["results"]["eular_acr_2017"]
    assert eular["category"] == "definite"
    assert eular["subgroup"] == "DM"
    assert eular["score"] == pytest.approx(10.1)
    assert eular["biopsy_path"] is False
    assert eular["items"]["legs_proximal_weaker_than_distal"]["status"] == "unknown"
    assert "do not make a diagnosis" in data["disclaimer"]


def test_assess_text_report_shows_items_evidence_and_citation() -> None:
    result = runner.invoke(app, ["assess", FOUNDING], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    for text in (
        "definite DM",
        "10.1",
        "99.2%",
        "legs_proximal_weaker_than_distal",
        "not performed",
        "Lundberg",
        "Bohan",
        "do not make a diagnosis",
    ):
        assert text in result.stdout


def test_assess_chosen_criteria_only() -> None:
    result = runner.invoke(app, ["assess", FOUNDING, "-f", "json", "--criteria", "eular_acr_2017"])
    assert list(json.loads(result.stdout)["results"]) == ["eular_acr_2017"]


def test_probability_rule_option() -> None:
    result = runner.invoke(
        app, ["assess", FOUNDING, "-f", "json", "--eular-boundary-rule", "probability"]
    )
    assert json.loads(result.stdout)["options"]["eular_boundary_rule"] == "probability"


def test_explain_lists_both_paths_and_citation() -> None:
    result = runner.invoke(app, ["explain", "eular_acr_2017"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "points without biopsy" in result.stdout and "points with biopsy" in result.stdout
    assert "3.1" in result.stdout and "3.7" in result.stdout
    assert "myositis.eular_acr_2017.v1" in result.stdout
    data = json.loads(runner.invoke(app, ["explain", "bohan_peter_1975", "-f", "json"]).stdout)
    assert data["version"] == "myositis.bohan_peter_1975.v1"


def test_schema_is_json_schema_of_the_record() -> None:
    result = runner.invoke(app, ["schema"])
    schema = json.loads(result.stdout)
    assert schema["title"] == "heliotrope case file"
    assert "findings" in schema["properties"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("id: [unclosed\n", "line"),
        ("- just\n- a list\n", "mapping"),
        ("id: p\nlabs:\n  - {analyte: ck, value: -3, unit: U/L}\n", "labs[0].value"),
        (
            "id: p\nlabs:\n  - {analyte: ck, value: 3, unit: U/L, range: {low: 9, high: 2}}\n",
            "inverted",
        ),
        ("id: p\nantibodies:\n  - {name: anti-XYZ, result: positive}\n", "antibodies[0].name"),
        ("id: p\nevents:\n  - {id: a, kind: x, date: 2999-01-01}\n", "future"),
        ("id: p\nfindings:\n  - {code: heliotrope_rash, status: maybe}\n", "findings[0].status"),
    ],
)
def test_bad_case_files_exit_2_naming_the_problem(
    tmp_path: Path, content: str, expected: str
) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(content)
    result = runner.invoke(app, ["assess", str(path)])
    assert result.exit_code == 2
    assert expected in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == [path]  # nothing written


def test_binary_and_missing_files(tmp_path: Path) -> None:
    binary = tmp_path / "case.yaml"
    binary.write_bytes(b"\x00\x01\x02PNG")
    result = runner.invoke(app, ["assess", str(binary)])
    assert result.exit_code == 2 and "binary" in result.output
    result = runner.invoke(app, ["assess", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_unknown_criterion_is_a_clear_error() -> None:
    result = runner.invoke(app, ["assess", FOUNDING, "--criteria", "made_up_2099"])
    assert result.exit_code == 2
    assert "Unknown criterion 'made_up_2099'" in result.output


def test_record_text_is_escaped_in_the_report(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(
        "id: p\nfindings:\n"
        "  - {code: heliotrope_rash, status: present, distribution: '[red]x[/]'}\n"
    )
    result = runner.invoke(app, ["assess", str(path)])
    assert result.exit_code == 0, result.output
    assert "[red]x[/]" in result.stdout  # shown literally, not interpreted as markup


def test_bad_eular_boundary_rule_exits_2_without_a_traceback() -> None:
    """Regression: an unknown --eular-boundary-rule raised a bare ValueError (a traceback)."""
    result = runner.invoke(app, ["assess", FOUNDING, "--eular-boundary-rule", "median"])
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    flat = " ".join(result.output.split())
    assert "eular_boundary_rule (--eular-boundary-rule) must be 'score' or 'probability'" in flat
    assert "'median'" in flat
    assert "Traceback" not in result.output
