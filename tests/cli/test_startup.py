"""Start-up imports only what the command needs (issue 13): ``--help`` and ``--version``
import nothing of heliotrope's beyond the CLI, ``assess`` on a case file neither pint, the NLP
reader nor the calendar, web, FHIR or database libraries. Import sets are checked, not times
(times are measured by ``benchmarks/startup.py``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from heliotrope.cli.main import app, command_modules

ROOT = Path(__file__).resolve().parents[2]
HEAVY_FOR_HELP = (
    "pydantic",
    "pint",
    "yaml",
    "heliotrope.api",
    "heliotrope.model",
    "heliotrope.criteria",
    "heliotrope.nlp",
)
HEAVY_FOR_ASSESS = (
    "pint",
    "heliotrope.nlp",
    "icalendar",
    "fastapi",
    "duckdb",
    "fhir",
    "pyspark",
    "matplotlib",
    "pdfplumber",
)


def _modules_after(*args: str) -> set[str]:
    """The modules imported by running ``heliotrope ARGS`` in a fresh interpreter."""
    code = (
        "import json, sys\n"
        "from heliotrope.cli.main import app\n"
        f"sys.argv = ['heliotrope', *{list(args)!r}]\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('MODULES=' + json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    listed = done.stderr.rsplit("MODULES=", 1)[1]
    return set(json.loads(listed))


def _loaded(modules: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in prefixes or m.startswith(prefixes))


@pytest.mark.parametrize("args", [("--help",), ("--version",)])
def test_help_and_version_import_no_command(args: tuple[str, ...]) -> None:
    assert _loaded(_modules_after(*args), HEAVY_FOR_HELP) == []


def test_assess_case_file_imports_only_what_assessing_needs() -> None:
    modules = _modules_after("assess", "examples/founding-case.yaml", "--format", "json")
    assert "heliotrope.api" in modules
    assert _loaded(modules, HEAVY_FOR_ASSESS) == []


def test_every_command_module_is_listed_and_runs_help() -> None:
    runner = CliRunner()
    listing = runner.invoke(app, ["--help"])
    assert listing.exit_code == 0
    for name in command_modules():
        assert name in listing.output
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert "Usage" in result.output


def test_unknown_command_is_an_error_naming_it() -> None:
    result = CliRunner().invoke(app, ["no-such-command"])
    assert result.exit_code != 0
    assert "no-such-command" in result.output


def test_known_unit_factors_are_pints_bit_for_bit() -> None:
    """The written-out factors that spare loading pint are pint's own."""
    from heliotrope.model import units

    assert units._KNOWN_FACTORS
    for (analyte, unit), factor in units._KNOWN_FACTORS.items():
        assert units._pint_factor(analyte, unit) == factor, (analyte, unit)
