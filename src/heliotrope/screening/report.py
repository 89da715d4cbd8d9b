"""Screening output: the risk category and the dated plan as rich text or JSON.

Record text (region, labels built from the record) is escaped with ``rich.markup.escape``.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from heliotrope.logic.result import CriterionResult
from heliotrope.screening.plan import PlanEntry, ScreeningPlan

__all__ = ["plan_table", "render_screening", "screening_json"]

_CATEGORY_STYLE = {
    "high": "bold red",
    "moderate": "bold yellow",
    "standard": "bold green",
    "not_applicable": "bold magenta",
}


def plan_table(plan: ScreeningPlan) -> Table:
    """The plan entries as a table: date, test, panel, and when / why / source (a reason or
    source equal to the row above is not repeated)."""
    table = Table(show_header=True, header_style="bold", expand=True, box=None, pad_edge=False)
    table.add_column("date", no_wrap=True)
    table.add_column("test", ratio=2)
    table.add_column("panel", no_wrap=True)
    table.add_column("when, reason, source", ratio=4)
    previous: PlanEntry | None = None
    for entry in plan.entries:
        lines = []
        repeated_when = previous is not None and entry.when == previous.when
        if (not entry.dated or entry.occasion != "diagnosis") and not repeated_when:
            lines.append(escape(entry.when))
        if previous is None or entry.reason != previous.reason:
            lines.append(escape(entry.reason))
        if entry.condition:
            lines.append(f"[italic]{escape(entry.condition)}[/]")
        if entry.caveat:
            lines.append(f"[yellow]⚠ {escape(entry.caveat)}[/]")
        if previous is None or entry.citation != previous.citation:
            lines.append(f"[dim]{escape(entry.citation)}[/]")
        table.add_row(
            escape(entry.date_text), escape(entry.test), escape(entry.panel), "\n".join(lines)
        )
        previous = entry
    return table


def render_screening(result: CriterionResult, plan: ScreeningPlan) -> RenderableType:
    """The category panel (factors, unknowns, rule) followed by the plan."""
    from heliotrope.render.text import render_result

    style = _CATEGORY_STYLE.get(plan.category, "bold")
    head = Text.from_markup(
        f"[bold]IMACS 2023 cancer screening[/] — patient [bold]{escape(plan.record_id)}[/], "
        f"as of {plan.as_of.isoformat()}: [{style}]{escape(plan.category.replace('_', ' '))}[/]"
        + (
            f" (the factors give [bold]{escape(plan.factor_category)}[/])"
            if not plan.applicable
            else ""
        )
    )
    rule_state = "confirmed" if plan.rule_confirmed else "⚠ unconfirmed"
    rule = Text.from_markup(
        f"Rule variant [bold]{escape(plan.rule_variant)}[/] ({rule_state}); repeat schedule "
        f"[bold]{escape(plan.schedule_variant)}[/] "
        f"({'confirmed' if plan.schedule_confirmed else '⚠ unconfirmed'})"
    )
    parts: list[RenderableType] = [head, rule]
    parts += [Text.from_markup(f"[yellow]warning[/] {escape(w)}") for w in plan.warnings]
    parts.append(render_result(result))
    plan_parts: list[RenderableType] = [plan_table(plan)]
    plan_parts += [Text.from_markup(f"[dim]• {escape(note)}[/]") for note in plan.notes]
    plan_parts.append(Text.from_markup(f"[dim]{escape(plan.citation)}; {plan.version}[/]"))
    title = f"Screening plan (baseline {escape(plan.baseline or 'not recorded')})"
    parts.append(Panel(Group(*plan_parts), title=title, title_align="left", border_style="blue"))
    return Group(*parts)


def screening_json(result: CriterionResult, plan: ScreeningPlan) -> dict[str, Any]:
    """Machine-readable output: the criterion result (Appendix A ids) and the plan."""
    return {"result": result.to_json(), "plan": plan.to_json()}
