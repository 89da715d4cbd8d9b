"""``heliotrope explain``: a criterion's rule table, weights, logic and citation."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from heliotrope.cli.common import OutputFormat, console, handle_errors, print_json
from heliotrope.criteria.registry import REGISTRY, get

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the ``explain`` command to ``app``."""

    @app.command("explain")
    @handle_errors
    def explain(
        criterion: str = typer.Argument(
            ..., help="Criterion id: " + ", ".join(REGISTRY) + " (see 'explain list')."
        ),
        output: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f"),
    ) -> None:
        """Show how a criterion is computed: items, points, logic, citation, version."""
        if criterion == "list":
            for key, entry in REGISTRY.items():
                first = entry.variants()[0][1]
                console.print(f"[bold]{key}[/]  {escape(first.title)}  [dim]{first.version}[/]")
            return
        variants = get(criterion).variants()
        first = variants[0][1]
        if output is OutputFormat.json:
            print_json(
                {
                    "id": first.id,
                    "version": first.version,
                    "title": first.title,
                    "citation": str(first.citation),
                    "categories": list(first.categories),
                    "variants": {
                        name or "default": {
                            "rule": d.rule,
                            "items": [
                                {
                                    "key": i.key,
                                    "label": i.label,
                                    "points": i.points,
                                    "definition": i.definition,
                                }
                                for i in d.items
                            ],
                            "logic": d.outcome.describe(),
                            "outputs": {k: n.describe() for k, n in d.outputs.items()},
                        }
                        for name, d in variants
                    },
                }
            )
            return
        console.print(Text(first.title, style="bold cyan"))
        console.print(f"[dim]{first.version}[/]  {escape(str(first.citation))}")
        console.print(escape(first.summary))
        table = Table(show_header=True, header_style="bold", expand=True)
        table.add_column("item")
        for name, _ in variants:
            table.add_column(f"points {name}".strip(), justify="right", no_wrap=True)
        table.add_column("definition")
        keys = list(dict.fromkeys(i.key for _, d in variants for i in d.items))
        for key in keys:
            specs = [next((i for i in d.items if i.key == key), None) for _, d in variants]
            spec = next(s for s in specs if s is not None)
            points = ["—" if s is None or s.points is None else f"{s.points:g}" for s in specs]
            table.add_row(f"{escape(spec.label)}\n[dim]{key}[/]", *points, escape(spec.definition))
        console.print(table)
        console.print("[bold]Categories[/] (low → high): " + ", ".join(first.categories))
        for name, d in variants:
            label = f" ({name})" if name else ""
            console.print(f"[bold]Rule{label}[/]: {escape(d.rule)}")
            console.print(f"[dim]{escape(d.outcome.describe())}[/]")
        console.print("[italic]Classification criteria classify; they do not make a diagnosis.[/]")
