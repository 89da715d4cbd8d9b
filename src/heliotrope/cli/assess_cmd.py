"""``heliotrope assess``: every criterion for a case file or a clinical document (read into a
record first), as a report or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape

from heliotrope.cli.common import OutputFormat, console, handle_errors, print_json

if TYPE_CHECKING:
    from heliotrope.nlp.reader import ReadResult

__all__ = ["CASE_FILE_SUFFIXES", "register"]

CASE_FILE_SUFFIXES = frozenset({".yaml", ".yml", ".json"})


def register(app: typer.Typer) -> None:
    """Add the ``assess`` command to ``app``."""

    @app.command("assess")
    @handle_errors
    def assess_command(
        path: Path = typer.Argument(
            ...,
            help="Case file (.yaml, .json) or clinical document (.txt, .text, .html, .htm, "
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
        from heliotrope.io import load_record

        extraction = None
        if path.suffix.lower() not in CASE_FILE_SUFFIXES:  # the NLP reader only for documents
            from heliotrope.nlp.reader import is_text_document, read_record

            if is_text_document(path):
                extraction = read_record(path)
        record = extraction.record if extraction is not None else load_record(path)
        ids = [c.strip() for item in criteria for c in item.split(",") if c.strip()]
        assessment = assess(record, ids or None, {"eular_boundary_rule": boundary})
        if output is OutputFormat.json:
            data = assessment.to_json(trace=trace)
            if extraction is not None:
                from heliotrope.nlp.reader import extraction_json

                data["extraction"] = extraction_json(extraction)
            print_json(data)
            return
        from heliotrope.render.text import render_assessment

        if extraction is not None:
            console.print(_extraction_header(extraction))
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
