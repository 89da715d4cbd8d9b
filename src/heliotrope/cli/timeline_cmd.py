"""``heliotrope timeline``: every dated fact on one axis, DM activity, alerts and intervals."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from heliotrope.cli.common import console, err_console, handle_errors, print_json
from heliotrope.io import parse_record
from heliotrope.io.inputs import LoadedInput, load_input
from heliotrope.timeline import Alert, Timeline, build_timeline

__all__ = ["TimelineFormat", "document_header", "register", "render_timeline_text"]


class TimelineFormat(StrEnum):
    text = "text"
    json = "json"


_LEVEL_STYLE = {"alert": "bold white on red", "watch": "bold yellow", "info": "bold cyan"}


def _alert_panel(alert: Alert) -> Panel:
    lines = [escape(alert.message)]
    if alert.changes:
        lines.append("[bold]What changed[/]")
        lines += [f"  • {escape(c)}" for c in alert.changes]
    if alert.cancers:
        lines.append("[bold]Cancer[/]")
        lines += [f"  • {escape(c)}" for c in alert.cancers]
    if alert.evidence:
        lines.append("[bold]Evidence[/]")
        lines += [f"  • [dim]{escape(e.path)}[/] {escape(e.summary)}" for e in alert.evidence]
    lines += [f"[dim]{escape(c)}[/]" for c in alert.citations]
    lines.append(f"[dim]{escape(alert.id)}[/]")
    style = "red" if alert.level == "alert" else "yellow" if alert.level == "watch" else "cyan"
    title = (
        f"[{_LEVEL_STYLE[alert.level]}] {alert.level.upper()} [/] "
        f"{escape(str(alert.when))} — {escape(alert.title)}"
    )
    return Panel("\n".join(lines), title=title, title_align="left", border_style=style)


def render_timeline_text(timeline: Timeline) -> RenderableType:
    """The timeline as rich renderables: events, DM activity, intervals, then alerts."""
    parts: list[RenderableType] = [
        f"[bold cyan]heliotrope timeline[/] — patient {escape(timeline.patient_id)}"
    ]
    if timeline.nominal:
        parts.append("[italic]Dates are nominal, as the record says: only the spacing counts.[/]")
    parts += [f"[yellow]warning[/] {escape(w)}" for w in timeline.warnings]
    alert_days = {a.when for a in timeline.alerts if a.level == "alert"}

    events = Table(title="Events", show_header=True, header_style="bold", expand=True)
    events.add_column("date", no_wrap=True)
    events.add_column("kind", no_wrap=True)
    events.add_column("summary", ratio=3)
    events.add_column("path", ratio=1, style="dim")
    for event in timeline.events:
        style = "bold red" if event.when in alert_days else None
        summary = escape(event.summary)
        if event.origin == "computed":
            summary = f"[bold]{summary}[/]"
        events.add_row(
            escape(str(event.when)),
            escape(event.kind.replace("_", " ")),
            summary,
            escape(event.path),
            style=style,
        )
    parts.append(events)

    activity = Table(title="DM activity", show_header=True, header_style="bold", expand=True)
    for column in ("date", "skin", "muscle", "enzymes", "flare", "changes"):
        activity.add_column(column, no_wrap=column in ("date", "flare"))
    for point in timeline.activity:
        changes = "\n".join(
            escape(c.text) for c in point.changes.values() if c.trend != "not_assessed"
        )
        flare = {"yes": "[bold red]yes[/]", "possible": "[yellow]possible[/]", "no": "no"}
        activity.add_row(
            escape(str(point.when)),
            escape(point.skin.label if point.skin else "not assessed"),
            escape(point.muscle.label if point.muscle else "not assessed"),
            escape(point.enzymes.label if point.enzymes else "not measured")
            + (f"\n{escape(point.measures.label)}" if point.measures else ""),
            flare[point.flare],
            changes,
        )
    parts.append(activity)

    if timeline.intervals:
        intervals = Table(
            title="DM activity and tumour burden, interval by interval",
            show_header=True,
            header_style="bold",
            expand=True,
        )
        for column in ("interval", "tumour", "DM activity", "treatment"):
            intervals.add_column(column)
        for interval in timeline.intervals:
            dm_summary = interval.dm_summary()
            start = str(interval.start.when) if interval.start else "—"
            end = str(interval.end.when) if interval.end else f"{interval.last} (open)"
            dm = escape(dm_summary["text"])
            if dm_summary.get("flares"):
                dm = f"[bold red]{dm}[/]"
            given = [
                f"{name}: {', '.join(items)}"
                for name, items in interval.treatments.items()
                if items
            ]
            intervals.add_row(
                escape(f"{start} → {end}"),
                escape(interval.tumour_text),
                dm,
                escape("\n".join(given) or "none"),
            )
        parts.append(intervals)
    if timeline.undated:
        parts.append(
            "[dim]Undated (not on the axis): " + escape(", ".join(timeline.undated)) + "[/]"
        )
    if timeline.alerts:
        parts += [_alert_panel(a) for a in timeline.alerts]
    else:
        parts.append("[green]No alerts.[/]")
    parts.append("[italic dim]Alerts prompt review; they do not make a diagnosis.[/]")
    return Group(*parts)


def document_header(loaded: LoadedInput) -> str | None:
    """One line saying the record was read from a document (rich markup), or None."""
    result = loaded.extraction
    if result is None:
        return None
    dated = sum(
        1
        for _path, entry in result.record.iter_facts()
        if getattr(entry, "date", None) is not None or getattr(entry, "start", None) is not None
    )
    return (
        f"[bold]Read from text[/] {escape(result.document.name)} ({result.document.kind}): "
        f"{len(result.facts)} facts, {dated} dated from the story; "
        f"{len(result.warnings)} warnings. "
        "[italic]Review with 'heliotrope extract FILE --format html'.[/]"
    )


def register(app: typer.Typer) -> None:
    """Add the ``timeline`` command to ``app``."""

    @app.command("timeline")
    @handle_errors
    def timeline_command(
        path: Path = typer.Argument(
            ...,
            help="Case file (.yaml, .json) or clinical document (.txt, .html, .pdf), read "
            "into a record first as 'assess' does.",
        ),
        output: TimelineFormat = typer.Option(
            TimelineFormat.text, "--format", "-f", help="text (tables) or json."
        ),
        plot: Path | None = typer.Option(
            None, "--plot", help="Also draw the timeline to a .png, .svg or .html file."
        ),
        lesions: Path | None = typer.Option(
            None,
            "--lesions",
            help="RECIST lesion table (.csv) to add to the case file's lesions.",
        ),
        nominal_dates: bool = typer.Option(
            True,
            "--nominal-dates/--no-nominal-dates",
            help="For a document whose story has no calendar date: date it from one nominal "
            "anchor (intervals meaningful, calendar dates not), or leave such dates out.",
        ),
    ) -> None:
        """Lay out every dated fact, DM activity and tumour response; raise restaging alerts."""
        loaded = load_input(path, nominal_dates=nominal_dates)
        record = loaded.record
        if lesions is not None:
            from heliotrope.oncology.recist import read_lesion_csv

            rows = read_lesion_csv(lesions)
            data = record.model_dump(mode="json", exclude_defaults=True)
            extra = [r.model_dump(mode="json", exclude_none=True) for r in rows]
            data["lesions"] = [*data.get("lesions", []), *extra]
            record = parse_record(data, str(path))
        timeline = build_timeline(record)
        if plot is not None:
            from heliotrope.render.plot import write_plot

            written = write_plot(timeline, plot)
            err_console.print(f"plot written to {escape(str(written))}")
        if output is TimelineFormat.json:
            data = timeline.to_json()
            if loaded.extraction is not None:
                from heliotrope.nlp.reader import extraction_json

                data["extraction"] = extraction_json(loaded.extraction)
            print_json(data)
            return
        header = document_header(loaded)
        if header:
            console.print(header)
        console.print(render_timeline_text(timeline))
