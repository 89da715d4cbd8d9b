"""The ``heliotrope`` application: each command lives in its own module and registers here."""

from __future__ import annotations

import typer

from heliotrope import __version__
from heliotrope.cli import (
    assess_cmd,
    cohort_cmd,
    db_cmd,
    explain_cmd,
    export_cmd,
    extract_cmd,
    recist_cmd,
    schema_cmd,
    screening_cmd,
    serve_cmd,
    timeline_cmd,
)

app = typer.Typer(
    name="heliotrope",
    help="Computable dermatomyositis and cancer-associated myositis reasoning. "
    "Criteria classify; they do not diagnose.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for module in (
    assess_cmd,
    explain_cmd,
    recist_cmd,
    schema_cmd,
    screening_cmd,
    timeline_cmd,
    db_cmd,
    extract_cmd,
    export_cmd,
    serve_cmd,
    cohort_cmd,
):
    module.register(app)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"heliotrope {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Heliotrope."""
