"""``heliotrope export``: a record and its results in another format (FHIR R4 for now)."""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from pathlib import Path

import typer

from heliotrope.cli.common import handle_errors
from heliotrope.errors import ErrorDetail, InputError

__all__ = ["register"]


class ExportFormat(StrEnum):
    fhir = "fhir"


def _as_of(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(
            "The assessment date is not a date.",
            [ErrorDetail("--as-of", "not of the form YYYY-MM-DD")],
        ) from None


def register(app: typer.Typer) -> None:
    """Add the ``export`` command to ``app``."""

    @app.command("export")
    @handle_errors
    def export_command(
        path: Path = typer.Argument(
            ...,
            help="Case file, FHIR Bundle/ndjson or clinical document (any input 'assess' reads).",
        ),
        output_format: ExportFormat = typer.Option(
            ExportFormat.fhir, "--format", "-f", help="fhir: a FHIR R4 collection Bundle."
        ),
        output: Path | None = typer.Option(
            None, "--output", "-o", help="Write to this file (atomically) instead of stdout."
        ),
        inputs_only: bool = typer.Option(
            False, "--inputs-only", help="Only the record's facts, without the results."
        ),
        as_of: str | None = typer.Option(
            None, "--as-of", help="Assessment date YYYY-MM-DD (default: today)."
        ),
    ) -> None:
        """Export the record and every result: FHIR Observations per criterion, the serology
        RiskAssessment, the IMACS 2023 CarePlan and the restaging alerts as DetectedIssues.
        Criteria classify; they do not diagnose."""
        from heliotrope.interop.fhir.export import export_bundle, record_bundle
        from heliotrope.io.inputs import load_input

        record = load_input(path).record
        when = _as_of(as_of)
        bundle = (
            record_bundle(record, as_of=when) if inputs_only else export_bundle(record, as_of=when)
        )
        text = json.dumps(bundle, indent=2, ensure_ascii=False) + "\n"
        if output is None:
            typer.echo(text, nl=False)
            return
        from heliotrope.io.write import write_atomic

        write_atomic(output, text)
        del output_format
