"""``heliotrope assess``: every criterion for a case file or a clinical document (read into a
record first), as a report or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape

from heliotrope.cli.common import OutputFormat, console, handle_errors, print_json
from heliotrope.io.inputs import load_input

if TYPE_CHECKING:
    from heliotrope.interop.fhir import FhirReadReport
    from heliotrope.nlp.reader import ReadResult

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the ``assess`` command to ``app``."""

    @app.command("assess")
    @handle_errors
    def assess_command(
        path: Path = typer.Argument(
            ...,
            help="Case file (.yaml, .json), FHIR R4 Bundle or resource (.json) or ndjson, "
            "or clinical document (.txt, .text, .html, .htm, "
            ".pdf), which is read into a record first (see 'heliotrope extract').",
        ),
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
        from heliotrope.api import assess  # imported when the command runs (cli/main.py)

        loaded = load_input(path)
        record, extraction = loaded.record, loaded.extraction
        ids = [c.strip() for item in criteria for c in item.split(",") if c.strip()]
        assessment = assess(record, ids or None, {"eular_boundary_rule": boundary})
        if output is OutputFormat.json:
            data = assessment.to_json(trace=trace)
            if extraction is not None:
                from heliotrope.nlp.reader import extraction_json

                data["extraction"] = extraction_json(extraction)
            if loaded.fhir is not None:
                data["fhir"] = loaded.fhir.to_json()
            print_json(data)
            return
        from heliotrope.render.text import render_assessment

        if extraction is not None:
            console.print(_extraction_header(extraction))
        if loaded.fhir is not None:
            console.print(_fhir_header(loaded.fhir))
        console.print(render_assessment(assessment))


def _extraction_header(result: ReadResult) -> str:
    """ "Extracted from text": counts, conflicts and how they were settled (rich markup)."""
    counts = ", ".join(f"{n} {family}" for family, n in sorted(result.counts().items()))
    lines = [
        f"[bold]Extracted from text[/] {escape(result.document.name)} "
        f"({result.document.kind}): {len(result.facts)} facts ({escape(counts) or 'none'}), "
        f"{len(result.conflicts)} conflicts, {len(result.warnings)} warnings. "
        "[italic]Review with 'heliotrope extract FILE --format html'.[/]"
    ]
    for conflict in result.conflicts:
        kept = escape(conflict.kept.value) if conflict.kept else "unresolved, left unknown"
        rejected = "; ".join(
            f"{escape(s.value)} ({escape(s.tier)}: “{escape((s.source.sentence or '')[:90])}”)"
            for s in conflict.rejected
        )
        lines.append(
            f"  [yellow]conflict[/] {escape(conflict.subject)}: kept {kept} over {rejected} "
            f"— rule: {escape(conflict.explanation)}"
        )
    return "\n".join(lines)


def _fhir_header(report: FhirReadReport) -> str:
    """ "Read from FHIR": resources used, content not read (rich markup)."""
    skipped = ", ".join(f"{n} {kind}" for kind, n in sorted(report.types_not_read.items()))
    return (
        f"[bold]Read from FHIR[/] {escape(report.source)}: {len(report.used)} resources used, "
        f"{len(report.unread)} items not read"
        + (f", resource types not read: {escape(skipped)}" if skipped else "")
        + ". [italic]Details with --format json (key 'fhir').[/]"
    )
