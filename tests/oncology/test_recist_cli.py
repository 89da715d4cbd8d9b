"""``heliotrope recist``: text and JSON output, options, and bad input exiting 2 cleanly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from heliotrope.cli.main import app
from heliotrope.oncology.recist import TIMEPOINT_KEYS

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "examples" / "founding-case-lesions.csv")
runner = CliRunner()

CASE = """\
id: cli-case
events:
  - {id: scan, kind: ct, date: 2020-01-06}
tumour_assessments:
  - {date: {after: scan, by: 8 weeks}, modality: CT, reported_response: PR,
     description: "[bold]shrinking[/] deposits"}
lesions:
  - {date: {anchor: scan}, lesion: T1, organ: lung, kind: target, mm: 40}
  - {date: {after: scan, by: 8 weeks}, lesion: T1, organ: lung, kind: target, mm: 26}
  - {date: {after: scan, by: 14 weeks}, lesion: T1, organ: lung, kind: target, mm: 25}
"""


def test_text_report_of_the_example() -> None:
    result = runner.invoke(app, ["recist", EXAMPLE])
    assert result.exit_code == 0, result.output
    out = result.stdout
    for text in ("2019-01-22", "baseline", "2019-09-08", "Table 4", "Eisenhauer"):
        assert text in out
    assert "Best overall response (confirmed)" in out
    assert "Best overall response (unconfirmed)" in out
    assert "oncology.recist_1_1.v1" in out


def test_json_output_keys() -> None:
    result = runner.invoke(app, ["recist", EXAMPLE, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["id"] == "recist_1_1"
    assert data["version"] == "oncology.recist_1_1.v1"
    assert "Eur J Cancer 2009;45:228-247" in data["citation"]
    assert {"timepoints", "best_overall", "best_overall_unconfirmed", "warnings"} <= set(data)
    assert all(tuple(point) == TIMEPOINT_KEYS for point in data["timepoints"])
    assert [p["overall"] for p in data["timepoints"]] == ["SD", "SD", "PD"]
    assert (data["best_overall"], data["best_overall_unconfirmed"]) == ("SD", "SD")
    assert data["baseline"] == {"date": "2019-01-22", "sum_mm": 142.0}
    assert "reported" not in data


def test_options_change_the_best_response(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text(
        "date,lesion,organ,kind,node,mm,assessment\n"
        "2020-01-06,T1,lung,target,no,100,\n"
        "2020-02-03,T1,lung,target,no,60,\n"
        "2020-02-24,T1,lung,target,no,60,\n",
        encoding="utf-8",
    )

    def best(*extra: str) -> str:
        result = runner.invoke(app, ["recist", str(table), "-f", "json", *extra])
        assert result.exit_code == 0, result.output
        return str(json.loads(result.stdout)["best_overall"])

    assert best() == "SD"  # PR at 28 days, repeat 21 days later: not confirmed
    assert best("--confirm-days", "21") == "PR"
    assert best("--min-sd-days", "60") == "NE"


def test_case_file_shows_reported_responses_escaped(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(CASE, encoding="utf-8")
    text = runner.invoke(app, ["recist", str(path)])
    assert text.exit_code == 0, text.output
    assert "Reported by the radiologist" in text.stdout
    assert "[bold]shrinking[/] deposits" in text.stdout
    data = json.loads(runner.invoke(app, ["recist", str(path), "--format", "json"]).stdout)
    assert data["reported"][0]["origin"] == "reported"
    assert data["reported"][0]["response"] == "PR"
    assert [p["overall"] for p in data["timepoints"]] == ["PR", "PR"]
    assert data["best_overall"] == "PR"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "bad.csv",
            "date,lesion,organ,kind,node,mm,assessment\n2020-01-06,T1,lung,blob,no,20,\n",
            "line 2, field kind",
        ),
        ("bad.csv", "a,b,c\n", "header"),
        ("case.yaml", "id: empty-case\n", "no lesions"),
        ("notes.txt", "hello", "Give a lesion table"),
        ("missing.csv", None, "does not exist"),
    ],
)
def test_bad_input_exits_2_without_a_traceback(
    tmp_path: Path, name: str, content: str | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["recist", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "HT104" in result.output
    assert message in " ".join(result.output.split())


def test_html_is_not_a_recist_format() -> None:
    result = runner.invoke(app, ["recist", EXAMPLE, "--format", "html"])
    assert result.exit_code == 2
    assert "text or json" in result.output


def test_lesion_ids_from_a_csv_are_shown_literally(tmp_path: Path) -> None:
    """Lesion ids and organs are untrusted text: the explanations that name them are escaped."""
    table = tmp_path / "lesions.csv"
    table.write_text(
        "date,lesion,organ,kind,node,mm,assessment\n"
        "2020-01-06,[red]T1[/],lung,target,no,40,\n"
        "2020-01-06,[bold]N1[/],liver,non_target,no,,present\n"
        "2020-03-02,[red]T1[/],lung,target,no,26,\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["recist", str(table)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    assert "Non-target lesion(s) [bold]N1[/] not assessed" in flat
