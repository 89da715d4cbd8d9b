"""``heliotrope db add / show / list`` round trip through the CLI."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from heliotrope.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
FOUNDING = str(ROOT / "examples" / "founding-case.yaml")
runner = CliRunner()


def test_round_trip(tmp_path: Path) -> None:
    db = str(tmp_path / "h.db")
    added = runner.invoke(app, ["db", "add", FOUNDING, "--db", db])
    assert added.exit_code == 0, added.output
    assert "added" in added.stdout and "snapshot 1" in added.stdout

    again = runner.invoke(app, ["db", "add", FOUNDING, "--db", db, "--format", "json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["status"] == "unchanged"

    listed = runner.invoke(app, ["db", "list", "--db", db, "--format", "json"])
    assert listed.exit_code == 0, listed.output
    assert [p["patient_id"] for p in json.loads(listed.stdout)] == ["founding-case"]

    shown = runner.invoke(app, ["db", "show", "founding-case", "--db", db, "--format", "json"])
    assert shown.exit_code == 0, shown.output
    history = json.loads(shown.stdout)
    assert [s["version"] for s in history["snapshots"]] == [1]
    assert {a["criterion_id"] for a in history["latest_assessments"]} >= {
        "bohan_peter_1975",
        "eular_acr_2017",
    }
    assert any(f["path"] == "labs[3]" for f in history["facts"])

    text = runner.invoke(app, ["db", "show", "founding-case", "--db", db], env={"COLUMNS": "160"})
    assert text.exit_code == 0, text.output
    for heading in ("Snapshots", "Latest assessment per criterion", "Facts over time"):
        assert heading in text.stdout
    assert "bohan_peter_1975" in text.stdout and "definite DM" in text.stdout


def test_environment_variable_chooses_the_database(tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    result = runner.invoke(app, ["db", "add", FOUNDING], env={"HELIOTROPE_DB": str(db)})
    assert result.exit_code == 0, result.output
    assert db.is_file()
    listed = runner.invoke(app, ["db", "list"], env={"HELIOTROPE_DB": str(db)})
    assert "founding-case" in listed.stdout


def test_errors_exit_2_with_a_message(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    runner.invoke(app, ["db", "add", FOUNDING, "--db", str(db)])
    unknown = runner.invoke(app, ["db", "show", "nobody", "--db", str(db)])
    assert unknown.exit_code == 2
    assert "HT300" in unknown.stderr and "nobody" in unknown.stderr

    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as con:
        con.execute("CREATE TABLE t (x)")
    refused = runner.invoke(app, ["db", "add", FOUNDING, "--db", str(foreign)])
    assert refused.exit_code == 2
    assert "not a heliotrope database" in " ".join(refused.stderr.split())

    missing = runner.invoke(app, ["db", "show", "founding-case", "--db", str(tmp_path / "no.db")])
    assert missing.exit_code == 2
    assert not (tmp_path / "no.db").exists()


def test_list_without_a_database(tmp_path: Path) -> None:
    result = runner.invoke(app, ["db", "list", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 0
    assert "No patients" in result.stdout


def test_show_prints_record_text_literally(tmp_path: Path) -> None:
    """Fact summaries carry record text (here a distribution): rich markup is escaped."""
    case = tmp_path / "case.yaml"
    case.write_text(
        "id: markup\nfindings:\n"
        "  - {code: heliotrope_rash, status: present, date: 2020-01-10,"
        " distribution: '[red]eyelids[/]'}\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "h.db")
    assert runner.invoke(app, ["db", "add", str(case), "--db", db]).exit_code == 0
    shown = runner.invoke(app, ["db", "show", "markup", "--db", db], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert "heliotrope rash: present ([red]eyelids[/])" in shown.stdout
