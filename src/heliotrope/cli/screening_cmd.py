"""``heliotrope screening``: the IMACS 2023 cancer-screening category and dated plan."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer
from rich.markup import escape

from heliotrope.cli.common import OutputFormat, console, err_console, handle_errors, print_json
from heliotrope.errors import ErrorDetail, InputError
from heliotrope.io.inputs import load_input
from heliotrope.logic import Context

__all__ = ["register"]


def _as_of(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(
            "The assessment date is not a date.",
            [ErrorDetail("--as-of", f"{text!r} is not of the form YYYY-MM-DD")],
        ) from None


def register(app: typer.Typer) -> None:
    """Add the ``screening`` command to ``app``."""

    @app.command("screening")
    @handle_errors
    def screening_command(
        path: Path = typer.Argument(
            ...,
            help="Case file (.yaml, .json) or clinical document (.txt, .html, .pdf), read "
            "into a record first as 'assess' does.",
        ),
        output: OutputFormat = typer.Option(
            OutputFormat.text, "--format", "-f", help="text (report) or json."
        ),
        ics: Path | None = typer.Option(
            None, "--ics", help="Also write the dated plan as an iCalendar file."
        ),
        subtype: str | None = typer.Option(
            None,
            "--subtype",
            help="IIM subtype: DM, PM, IMNM, CADM, antisynthetase, overlap or IBM "
            "(default: inferred from the record).",
        ),
        repeat_variant: str | None = typer.Option(
            None,
            "--repeat-variant",
            help="Repeat-schedule reading of IMACS 2023 (table_literal, fig1_recalled).",
        ),
        rule: str | None = typer.Option(
            None, "--rule", help="Risk combination rule variant (default: the data file's)."
        ),
        as_of: str | None = typer.Option(
            None, "--as-of", help="Assessment date YYYY-MM-DD (default: today)."
        ),
        nominal_dates: bool = typer.Option(
            True,
            "--nominal-dates/--no-nominal-dates",
            help="For a document whose story has no calendar date: date it from one nominal "
            "anchor (intervals meaningful, calendar dates not), or leave such dates out.",
        ),
    ) -> None:
        """IMACS 2023 cancer-screening risk category and a dated screening plan."""
        from heliotrope.screening import (
            assess_imacs,
            render_screening,
            screening_json,
            screening_plan,
            write_ical,
        )

        if output is OutputFormat.html:
            raise InputError("HTML output is not available for 'screening'; use text or json.")
        record = load_input(path, nominal_dates=nominal_dates).record
        options = {k: v for k, v in (("subtype", subtype), ("rule", rule)) if v is not None}
        context = Context(options=options, as_of=_as_of(as_of))
        result = assess_imacs(record, context)
        plan = screening_plan(record, result, context=context, repeat_variant=repeat_variant)
        written = write_ical(plan, ics) if ics is not None else None
        if output is OutputFormat.json:
            print_json(screening_json(result, plan))
        else:
            console.print(render_screening(result, plan))
        if written is not None:
            message = f"wrote {written} event(s) to {escape(str(ics))}"
            (err_console if output is OutputFormat.json else console).print(message)
