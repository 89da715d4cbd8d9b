"""``heliotrope recist``: RECIST 1.1 time-point and best overall responses from a lesion table
(CSV) or a case file's ``lesions``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer
from rich.console import Group, RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from heliotrope.cli.common import OutputFormat, console, handle_errors, print_json
from heliotrope.errors import LesionTableError
from heliotrope.io.inputs import input_kind, load_input
from heliotrope.model.vocabulary import RecistResponse
from heliotrope.oncology.recist import (
    RecistOptions,
    RecistResult,
    ReportedTimepoint,
    evaluate_recist,
    read_lesion_csv,
    reported_timepoints,
)

__all__ = ["register", "render_recist"]

_CASE_SUFFIXES = (".yaml", ".yml", ".json")
_STYLE = {
    RecistResponse.CR: "bold green",
    RecistResponse.PR: "green",
    RecistResponse.SD: "yellow",
    RecistResponse.non_CR_non_PD: "yellow",
    RecistResponse.PD: "bold red",
    RecistResponse.NE: "dim",
}


def _response(value: RecistResponse | None) -> str:
    if value is None:
        return "[dim]—[/]"
    return f"[{_STYLE[value]}]{value.value}[/]"


def _number(value: float | None, unit: str = "", signed: bool = False) -> str:
    if value is None:
        return "[dim]—[/]"
    return (f"{value:+.1f}" if signed else f"{value:g}") + unit


def _table(result: RecistResult) -> Table:
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("date", overflow="fold", min_width=10)
    for name in ("sum mm", "Δ base", "Δ nadir"):
        table.add_column(name, justify="right", no_wrap=True)
    for name in ("target", "non-target", "new", "overall"):
        table.add_column(name, overflow="fold")
    table.add_row(
        result.baseline_date,
        _number(result.baseline_sum_mm),
        "",
        "",
        "[dim]baseline[/]",
        "",
        "",
        "",
    )
    for point in result.timepoints:
        table.add_row(
            point.date,
            _number(point.sum_mm),
            _number(point.change_from_baseline, "%", signed=True),
            _number(point.change_from_nadir, "%", signed=True),
            _response(point.target),
            _response(point.non_target),
            point.new_lesions,
            _response(point.overall),
        )
    return table


def _show_reported_only(
    source: str, reported: list[ReportedTimepoint], output: OutputFormat
) -> None:
    """A case file with verdicts but no measurements: show the verdicts, computed nothing."""
    if output is OutputFormat.json:
        print_json(
            {
                "id": "recist_1_1",
                "source": source,
                "timepoints": [],
                "reported": [p.model_dump(mode="json") for p in reported],
                "note": "no lesion measurements: responses are as reported, not computed",
            }
        )
        return
    console.print(
        Text.from_markup(
            f"[bold cyan]RECIST 1.1[/] — {escape(source)}: no lesion measurements, so nothing "
            "is computed. [bold]Reported by the radiologist[/]:"
        )
    )
    for verdict in reported:
        what = f" — {escape(verdict.description)}" if verdict.description else ""
        console.print(Text.from_markup(f"  {verdict.date} {_response(verdict.response)}{what}"))


def render_recist(
    result: RecistResult, source: str, reported: list[ReportedTimepoint] | None = None
) -> RenderableType:
    """The result as rich text: a row per time point, why, and the best overall response."""
    lines: list[RenderableType] = [
        Text.from_markup(f"[bold cyan]{escape(result.title)}[/] — {escape(source)}"),
        _table(result),
        Text(""),
    ]
    for point in result.timepoints:
        lines.append(Text.from_markup(f"[bold]{point.date}[/] {escape(point.explanation)}"))
    lines.append(Text(""))
    for label, value, why in (
        ("confirmed", result.best_overall, result.best_overall_explanation),
        (
            "unconfirmed",
            result.best_overall_unconfirmed,
            result.best_overall_unconfirmed_explanation,
        ),
    ):
        lines.append(
            Text.from_markup(
                f"[bold]Best overall response ({label}):[/] {_response(value)} — {escape(why)}"
            )
        )
    if reported:
        lines.append(Text.from_markup("\n[bold]Reported by the radiologist[/] (not computed):"))
        for verdict in reported:
            what = f" — {escape(verdict.description)}" if verdict.description else ""
            lines.append(Text.from_markup(f"  {verdict.date} {_response(verdict.response)}{what}"))
    for warning in result.warnings:
        lines.append(Text.from_markup(f"[bold yellow]⚠ {escape(warning)}[/]"))
    for note in result.notes:
        lines.append(Text.from_markup(f"[dim]• {escape(note)}[/]"))
    lines.append(Text.from_markup(f"[dim]{escape(result.citation)}\n{result.version}[/]"))
    return Group(*lines)


def register(app: typer.Typer) -> None:
    """Add the ``recist`` command to ``app``."""

    @app.command("recist")
    @handle_errors
    def recist_command(
        path: Path = typer.Argument(
            ...,
            help="Lesion table (.csv), case file (.yaml, .json) or clinical document (.txt, "
            ".html, .pdf: its reported responses).",
        ),
        output: OutputFormat = typer.Option(
            OutputFormat.text, "--format", "-f", help="text (report) or json."
        ),
        min_sd_days: int = typer.Option(
            42, "--min-sd-days", min=0, help="Minimum days from baseline for stable disease."
        ),
        confirm_days: int = typer.Option(
            28,
            "--confirm-days",
            min=0,
            help="Minimum days between a response and its confirmation.",
        ),
        slice_thickness: float | None = typer.Option(
            None, "--slice-thickness", min=0.1, help="CT slice thickness in mm (if above 5 mm)."
        ),
        study_entry: str | None = typer.Option(
            None,
            "--study-entry",
            help="Date of study entry (YYYY-MM-DD): the minimum SD interval counts from it; "
            "without it, from the baseline scan.",
        ),
        nominal_dates: bool = typer.Option(
            True,
            "--nominal-dates/--no-nominal-dates",
            help="For a document whose story has no calendar date: date it from one nominal "
            "anchor (intervals meaningful, calendar dates not), or leave such dates out.",
        ),
    ) -> None:
        """RECIST 1.1 response at each time point and best overall response (Eisenhauer 2009)."""
        if output is OutputFormat.html:
            raise typer.BadParameter("recist writes text or json", param_hint="--format")
        try:
            entry = date.fromisoformat(study_entry) if study_entry else None
        except ValueError:
            raise typer.BadParameter(
                f"{study_entry!r} is not a date (YYYY-MM-DD)", param_hint="--study-entry"
            ) from None
        options = RecistOptions(
            min_sd_days=min_sd_days,
            confirm_days=confirm_days,
            slice_thickness_mm=slice_thickness,
            study_entry=entry,
        )
        reported: list[ReportedTimepoint] | None = None
        if path.suffix.lower() in _CASE_SUFFIXES or input_kind(path) == "document":
            record = load_input(path, nominal_dates=nominal_dates).record
            reported = reported_timepoints(record)
            if not record.lesions:
                if not reported and input_kind(path) == "document":
                    raise LesionTableError(
                        "Give a lesion table (.csv) or a case file with lesions: the document "
                        "reports no dated tumour response in words.",
                        source=str(path),
                    )
                if not reported:
                    raise LesionTableError(
                        "The case file has no lesions and no reported responses; add a "
                        "'lesions:' list or give a CSV table.",
                        source=str(path),
                    )
                _show_reported_only(str(path), reported, output)
                return
            result = evaluate_recist(record.lesions, options, resolve=record.date_of)
            if record.plausibility_warnings:  # implausible record values (model.consistency)
                result = result.model_copy(
                    update={"warnings": [*record.plausibility_warnings, *result.warnings]}
                )
        elif path.suffix.lower() == ".csv":
            result = evaluate_recist(read_lesion_csv(path), options)
        else:
            raise LesionTableError(
                "Give a lesion table (.csv) or a case file (.yaml, .yml, .json).",
                source=str(path),
            )
        if output is OutputFormat.json:
            data = result.to_json()
            if reported is not None:
                data["reported"] = [p.model_dump(mode="json") for p in reported]
            print_json(data)
            return
        console.print(render_recist(result, str(path), reported))
