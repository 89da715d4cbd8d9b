"""``heliotrope assess``: every criterion for a case file, as a report or JSON."""

from __future__ import annotations

from pathlib import Path

import typer

from heliotrope.api import assess
from heliotrope.cli.common import OutputFormat, console, handle_errors, print_json
from heliotrope.io import load_record

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    @app.command("assess")
    @handle_errors
    def assess_command(
        path: Path = typer.Argument(..., help="Case file (.yaml, .json)."),
        output: OutputFormat = typer.Option(
            OutputFormat.text, "--format", "-f", help="text (report) or json."
        ),
        criteria: list[str] = typer.Option(
            [], "--criteria", "-c", help="Criterion id to run (repeatable); default: all."
        ),
        boundary: str = typer.Option(
            "score",
            "--eular-boundary-rule",
            help="EULAR/ACR categories by published 'score' cut-offs or by 'probability'.",
        ),
        trace: bool = typer.Option(False, "--trace", help="Include the logic trace in JSON."),
    ) -> None:
        """Classify a patient with every criterion and explain each result."""
        record = load_record(path)
        ids = [c.strip() for item in criteria for c in item.split(",") if c.strip()]
        assessment = assess(record, ids or None, {"eular_boundary_rule": boundary})
        if output is OutputFormat.json:
            print_json(assessment.to_json(trace=trace))
            return
        from heliotrope.render.text import render_assessment

        console.print(render_assessment(assessment))
