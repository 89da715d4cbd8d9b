"""``heliotrope screening``: text, JSON, iCalendar, options and errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import icalendar
import pytest
import typer
import yaml
from typer.testing import CliRunner

from heliotrope.cli import screening_cmd

from .imacs_helpers import founding_facts

runner = CliRunner()


@pytest.fixture
def app() -> typer.Typer:
    application = typer.Typer()
    screening_cmd.register(application)

    @application.callback()
    def main() -> None:
        """Test app."""

    return application


def _case(tmp_path: Path, **changes: Any) -> Path:
    data = founding_facts(with_cancer=False)
    data["demographics"].update(changes)
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_json_output(app: typer.Typer, tmp_path: Path) -> None:
    out = runner.invoke(
        app, ["screening", str(_case(tmp_path)), "--format", "json", "--as-of", "2019-10-01"]
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["result"]["id"] == "imacs_2023"
    assert data["result"]["category"] == "high"
    assert data["plan"]["rule_variant"] == "eular_2024_hk_summary"
    assert data["plan"]["schedule_variant"] == "table_literal"


def test_text_output_escapes_record_text(app: typer.Typer, tmp_path: Path) -> None:
    path = _case(tmp_path, region="Hong Kong [bold]x[/bold]")
    out = runner.invoke(app, ["screening", str(path), "--as-of", "2019-10-01"])
    assert out.exit_code == 0, out.output
    flat = " ".join(out.stdout.split())
    assert "[bold]x[/bold]" in flat
    assert "patient founding-facts, as of 2019-10-01: high" in flat
    assert "Rule variant eular_2024_hk_summary (⚠ unconfirmed)" in flat
    assert "Nasoendoscopy" in flat


def test_ics_export(app: typer.Typer, tmp_path: Path) -> None:
    target = tmp_path / "plan.ics"
    args = ["screening", str(_case(tmp_path)), "--as-of", "2019-10-01", "--ics", str(target)]
    out = runner.invoke(app, args)
    assert out.exit_code == 0, out.output
    events = list(icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT"))
    assert events
    assert f"wrote {len(events)} event(s)" in " ".join(out.stdout.split())


def test_options(app: typer.Typer, tmp_path: Path) -> None:
    args = [
        "screening",
        str(_case(tmp_path)),
        "-f",
        "json",
        "--as-of",
        "2019-10-01",
        "--subtype",
        "PM",
        "--repeat-variant",
        "fig1_recalled",
    ]
    out = runner.invoke(app, args)
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["result"]["iim_subtype"] == "PM"
    assert data["result"]["iim_subtype_basis"] == "given"
    assert data["plan"]["schedule_variant"] == "fig1_recalled"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--subtype", "XYZ"], "unknown IIM subtype"),
        (["--repeat-variant", "nope"], "Unknown repeat-schedule variant"),
        (["--rule", "nope"], "Unknown IMACS 2023 rule variant"),
        (["--as-of", "01/10/2019"], "YYYY-MM-DD"),
        (["--format", "html"], "HTML output is not available"),
    ],
)
def test_errors_are_clear(app: typer.Typer, tmp_path: Path, extra: list[str], message: str) -> None:
    out = runner.invoke(app, ["screening", str(_case(tmp_path)), *extra])
    assert out.exit_code == 2
    assert message in " ".join(out.output.split())


def test_missing_case_file(app: typer.Typer, tmp_path: Path) -> None:
    out = runner.invoke(app, ["screening", str(tmp_path / "none.yaml")])
    assert out.exit_code == 2
    assert "HT100" in out.output


def test_registered_in_the_main_app() -> None:
    from heliotrope.cli.main import app as main_app

    out = runner.invoke(main_app, ["screening", "--help"])
    assert out.exit_code == 0
    assert "--repeat-variant" in out.stdout
