"""``heliotrope timeline``: text, JSON and plots through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from heliotrope.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
FOUNDING = str(ROOT / "examples" / "founding-case.yaml")
runner = CliRunner()


def test_text_shows_events_activity_intervals_and_the_alert() -> None:
    result = runner.invoke(app, ["timeline", FOUNDING], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "heliotrope timeline" in out and "founding-case" in out
    assert "ALERT" in out and "DM worsening — restage the cancer" in out
    assert "SD (reported) → PD (reported)" in out
    assert "trabectedin" in out
    assert "timeline.restage_alert.v1" in out


def test_json_output() -> None:
    result = runner.invoke(app, ["timeline", FOUNDING, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["patient_id"] == "founding-case"
    assert [a["level"] for a in data["alerts"]] == ["watch", "alert"]
    assert len(data["intervals"]) == 4


def test_lesion_table_adds_computed_recist() -> None:
    lesions = str(ROOT / "examples" / "founding-case-lesions.csv")
    result = runner.invoke(app, ["timeline", FOUNDING, "--lesions", lesions, "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    tumour = [(t["status"], t["origin"], t["reported"]) for t in data["tumour"]]
    assert tumour[-2:] == [("SD", "computed", "SD"), ("PD", "computed", "PD")]
    assert any(e["kind"] == "recist" and e["origin"] == "computed" for e in data["events"])
    assert [a["level"] for a in data["alerts"]] == ["watch", "alert"]


def test_plot_option_writes_the_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "timeline.png"
    result = runner.invoke(app, ["timeline", FOUNDING, "--format", "json", "--plot", str(target)])
    assert result.exit_code == 0, result.output
    assert target.is_file() and target.stat().st_size > 10_000
    json.loads(result.stdout)  # stdout stays machine-readable


def test_unknown_plot_suffix_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["timeline", FOUNDING, "--plot", str(tmp_path / "x.gif")])
    assert result.exit_code == 2
    assert ".png, .svg, .html" in " ".join(result.stderr.split())
    assert not (tmp_path / "x.gif").exists()


def test_record_markup_is_escaped_in_text(tmp_path: Path) -> None:
    case = tmp_path / "markup.yaml"
    case.write_text(
        "id: markup\n"
        "events:\n"
        "  - kind: '[bold red]presentation[/]'\n"
        "    date: 2020-01-01\n"
        "    description: '[link]x[/link]'\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["timeline", str(case)], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "[bold red]presentation[/]" in result.stdout
