"""``heliotrope extract``: read a clinical document (.txt, .html, .pdf) into a case record."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
import yaml

from heliotrope.cli.common import handle_errors, print_json
from heliotrope.io.write import write_atomic
from heliotrope.nlp.reader import ReadResult, read_record, record_data
from heliotrope.render.safe import safe_text

__all__ = ["register"]


class ExtractFormat(StrEnum):
    yaml = "yaml"
    json = "json"
    html = "html"


def _yaml(result: ReadResult) -> str:
    header = [
        f"# Extracted by heliotrope from {result.document.name} ({result.document.kind}).",
        "# Every fact carries its source: document, character offsets, sentence, section and",
        "# extractor. Review before use: `heliotrope extract FILE --format html`.",
        f"# {len(result.facts)} facts, {len(result.conflicts)} conflicts, "
        f"{len(result.warnings)} warnings.",
    ]
    for conflict in result.conflicts:
        kept = conflict.kept.value if conflict.kept else "unresolved (left unknown)"
        header.append(f"# conflict: {conflict.subject}: {kept} (rule: {conflict.rule})")
    body = yaml.safe_dump(
        record_data(result.record), sort_keys=False, allow_unicode=True, width=100
    )
    # comments carry document text: one line each, controls neutralised (issue 12)
    header = [safe_text(line).replace("\n", " ") for line in header]
    return "\n".join(header) + "\n" + body


def register(app: typer.Typer) -> None:
    """Add the ``extract`` command to ``app``."""

    @app.command("extract")
    @handle_errors
    def extract_command(
        path: Path = typer.Argument(..., help="Clinical document: .txt, .text, .html, .htm, .pdf."),
        output: ExtractFormat = typer.Option(
            ExtractFormat.yaml,
            "--format",
            "-f",
            help="yaml (case file), json (case file) or html (review page).",
        ),
        out: Path | None = typer.Option(
            None, "--output", "-o", help="Write to this file instead of standard output."
        ),
        nominal_dates: bool = typer.Option(
            True,
            "--nominal-dates/--no-nominal-dates",
            help="Date a story that has no calendar date from one nominal anchor (intervals "
            "are kept; the notes say so).",
        ),
    ) -> None:
        """Read the patient's story from a document into a case record with provenance."""
        result = read_record(path, nominal_dates=nominal_dates)
        if output is ExtractFormat.html:
            from heliotrope.render.review_html import render_review

            text = render_review(result)
        elif output is ExtractFormat.json:
            if out is None:
                print_json(record_data(result.record))
                _summary(result)
                return
            import json

            text = json.dumps(record_data(result.record), indent=2, ensure_ascii=False) + "\n"
        else:
            text = _yaml(result)
        if out is not None:
            write_atomic(out, text)
        else:
            sys.stdout.write(text)
        _summary(result)


def _summary(result: ReadResult) -> None:
    from heliotrope.cli.common import err_console

    parts: list[Any] = [f"{len(result.facts)} facts"]
    if result.conflicts:
        parts.append(f"{len(result.conflicts)} conflicts")
    if result.warnings:
        parts.append(f"{len(result.warnings)} warnings")
    err_console.print(f"[dim]extracted from {_escape(result.document.name)}: {', '.join(parts)}[/]")


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
