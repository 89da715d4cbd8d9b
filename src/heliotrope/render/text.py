"""Terminal rendering of assessments with rich. Record text is escaped everywhere: rich
markup escaped, and control characters neutralised by :func:`heliotrope.render.safe.safe_text`
(the console does it again for every segment, issue 12)."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.markup import escape as _markup_escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from heliotrope.api import Assessment
from heliotrope.logic import CriterionResult, ItemStatus
from heliotrope.render.safe import safe_text

__all__ = ["render_assessment", "render_result"]


def escape(text: str) -> str:
    """Record text made inert for the terminal: control characters neutralised, markup
    escaped."""
    return _markup_escape(safe_text(text))


_STATUS_STYLE = {
    ItemStatus.present: "bold green",
    ItemStatus.absent: "dim",
    ItemStatus.unknown: "yellow",
}
_LABELS = {
    "score": "score",
    "probability": "probability",
    "subgroup": "subgroup",
    "subtype": "subtype",
    "biopsy_path": "biopsy path",
}


_PERCENT = {"probability", "pretest", "post_test"}


def _value(name: str, value: Any) -> str:
    if name in _PERCENT and isinstance(value, float):
        return f"{value:.2%}" if 0.999 < value < 1 else f"{value:.1%}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return escape(str(value))


def _headline(result: CriterionResult) -> Text:
    text = Text()
    text.append(result.category.replace("_", " "), style="bold")
    for key in ("subtype", "subgroup"):
        if result.values.get(key):
            text.append(f" {result.values[key]}", style="bold")
    return text


def _items(result: CriterionResult) -> Table:
    weighted = any(i.points is not None for i in result.items)
    table = Table(show_header=True, header_style="bold", expand=True, box=None, pad_edge=False)
    table.add_column("item", ratio=3)
    table.add_column("status", no_wrap=True)
    if weighted:
        table.add_column("points", justify="right", no_wrap=True)
    table.add_column("evidence", ratio=4)
    for item in result.items:
        evidence = "; ".join(escape(e.summary) for e in item.evidence[:3])
        if len(item.evidence) > 3:
            evidence += f" (+{len(item.evidence) - 3} more)"
        if item.note:
            evidence = (evidence + " — " if evidence else "") + f"[italic]{escape(item.note)}[/]"
        row = [
            f"{escape(item.label)}\n[dim]{item.key}[/]",
            f"[{_STATUS_STYLE[item.status]}]{item.status.value}[/]",
        ]
        if weighted:
            row.append("" if item.points is None else f"{item.counted or 0:g}/{item.points:g}")
        row.append(evidence)
        table.add_row(*row)
    return table


def _unknowns(result: CriterionResult) -> list[str]:
    lines = []
    for effect in result.unknown_effects:
        numbers = ", ".join(f"{_LABELS.get(k, k)} {_value(k, v)}" for k, v in effect.values.items())
        change = (
            f"[bold yellow]would change the outcome to {escape(effect.if_present)}[/]"
            if effect.changes_outcome
            else f"outcome stays {escape(effect.if_present)}"
        )
        lines.append(
            f"  • [yellow]{effect.key}[/] unknown — if present: "
            + (f"{numbers}; " if numbers else "")
            + change
        )
    return lines


def render_result(result: CriterionResult) -> RenderableType:
    """One criterion's result as a panel: values, items with evidence, unknowns, caveats."""
    parts: list[RenderableType] = []
    values = [
        f"{_LABELS.get(k, k)}: [bold]{_value(k, v)}[/]"
        for k, v in result.values.items()
        if k not in ("subtype", "subgroup") and not isinstance(v, dict | list)
    ]
    if values:
        parts.append(Text.from_markup("   ".join(values)))
    if result.items:
        parts.append(_items(result))
    if result.unknown_items:
        ranges = ", ".join(
            f"{_LABELS.get(k, k)} {_value(k, lo)}–{_value(k, hi)}"
            for k, (lo, hi) in result.value_ranges.items()
            if lo != hi
        )
        head = (
            f"[bold]Unknown items[/] ({len(result.unknown_items)}): outcomes they allow: "
            f"{escape(', '.join(result.possible_outcomes))}"
        )
        if ranges:
            head += f"; {ranges}"
        parts.append(Text.from_markup("\n".join([head, *_unknowns(result)])))
    for caveat in result.caveats:
        parts.append(Text.from_markup(f"[bold yellow]⚠ {escape(caveat)}[/]"))
    for note in result.notes:
        parts.append(Text.from_markup(f"[dim]• {escape(note)}[/]"))
    footer = f"[dim]{escape(result.rule)}\n{escape(result.citation)}\n{result.version}[/]"
    parts.append(Text.from_markup(footer))
    title = Text.assemble((result.title, "bold cyan"), "  →  ", _headline(result))
    return Panel(Group(*parts), title=title, title_align="left", border_style="cyan")


def render_assessment(assessment: Assessment) -> RenderableType:
    """Every result of an assessment, under a header with the patient and version."""
    head = Text.from_markup(
        f"[bold]heliotrope {assessment.heliotrope_version}[/] — patient "
        f"[bold]{escape(assessment.patient_id)}[/], assessed {assessment.assessed_on}\n"
        f"[italic]{escape(assessment.disclaimer)}[/]"
    )
    for warning in assessment.warnings:  # implausible record values (model.consistency)
        head.append_text(Text.from_markup(f"\n[yellow]warning[/] {escape(warning)}"))
    return Group(head, *(render_result(r) for r in assessment.results.values()))
