"""``timeline``, ``screening``, ``db add`` and ``recist`` accept a clinical document exactly as
``assess`` does: through :func:`heliotrope.io.inputs.load_input` (a letter written for these
tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from heliotrope.cli.main import app
from heliotrope.io.inputs import load_input
from heliotrope.nlp.reader import read_record

runner = CliRunner()

LETTER = """Oncology follow-up letter

A 61-year-old man was diagnosed with metastatic gastric adenocarcinoma in January 2024.
He commenced docetaxel in February 2024. After the second cycle he noticed a faint heliotrope
rash. Six cycles of docetaxel were given. At the end of chemotherapy CT showed stable disease.
Two months later he presented with a shawl sign, Gottron's papules and proximal weakness of the
arms and legs. CK was 3400 U/L (normal 40-320 U/L). Anti-TIF1-gamma antibodies were positive.
A diagnosis of dermatomyositis was made. Restaging CT showed disease progression with new liver
metastases.
"""


@pytest.fixture()
def letter(tmp_path: Path) -> Path:
    path = tmp_path / "letter.txt"
    path.write_text(LETTER, encoding="utf-8")
    return path


def test_load_input_reads_the_letter_as_assess_does(letter: Path) -> None:
    loaded = load_input(letter)
    assert loaded.kind == "document" and loaded.extraction is not None
    assert loaded.record == read_record(letter).record


def test_timeline_reads_a_document_and_raises_the_restaging_alert(letter: Path) -> None:
    result = runner.invoke(app, ["timeline", str(letter)], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "Read from text" in result.stdout
    assert "DM worsening — restage the cancer" in result.stdout
    assert "SD (reported) → PD (reported)" in result.stdout
    data = json.loads(runner.invoke(app, ["timeline", str(letter), "-f", "json"]).stdout)
    # a watch at the first, faint rash (nothing earlier to compare), the alert at the flare
    levels = [a["level"] for a in data["alerts"] if a["id"] == "timeline.restage_alert.v1"]
    assert levels == ["watch", "alert"]


def test_screening_reads_a_document(letter: Path) -> None:
    result = runner.invoke(app, ["screening", str(letter), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data  # the IMACS report of the record read from the letter


def test_db_add_stores_a_document_once(letter: Path, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    first = runner.invoke(app, ["db", "add", str(letter), "--db", str(db), "-f", "json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["status"] in ("added", "new", "created")
    again = runner.invoke(app, ["db", "add", str(letter), "--db", str(db), "-f", "json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["status"] == "unchanged"


def test_recist_shows_the_reported_responses_of_a_document(letter: Path) -> None:
    result = runner.invoke(app, ["recist", str(letter), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [p["response"] for p in data["reported"]] == ["SD", "PD"]
    assert all(p["origin"] == "reported" for p in data["reported"])


def test_a_document_without_nominal_dates_has_no_dated_alert(letter: Path) -> None:
    """The story gives calendar dates, so turning nominal dates off changes nothing here."""
    on = runner.invoke(app, ["timeline", str(letter), "-f", "json"])
    off = runner.invoke(app, ["timeline", str(letter), "-f", "json", "--no-nominal-dates"])
    assert on.exit_code == off.exit_code == 0
    assert json.loads(on.stdout)["alerts"] == json.loads(off.stdout)["alerts"]


@pytest.mark.parametrize("command", ["timeline", "screening", "recist"])
def test_a_document_that_cannot_be_read_is_a_coded_error(command: str, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    result = runner.invoke(app, [command, str(empty)])
    assert result.exit_code == 2
    assert "HT" in result.output and "Traceback" not in result.output
