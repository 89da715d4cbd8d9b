"""``heliotrope cohort``: the same criteria over an OMOP CDM database, in SQL.

``cohort run`` (DuckDB by default, ``--engine spark``), ``cohort summary`` (counts per category,
unknown-item ranges, ``--plot``), ``cohort notes`` (NOTE → NOTE_NLP with the text reader).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import typer
from rich.markup import escape
from rich.table import Table

from heliotrope.cli.common import console, handle_errors
from heliotrope.errors import InputError
from heliotrope.logic import CLASSIFICATION_DISCLAIMER

__all__ = ["register"]


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    if path.is_dir() and not read_only:
        raise InputError(f"{path}: NOTE_NLP is written into a DuckDB file, not a Parquet folder.")
    if path.is_dir():
        from heliotrope.cohort.engines import parquet_cdm

        return parquet_cdm(path)
    if not path.is_file():
        raise InputError(
            f"{path}: no such OMOP database (a DuckDB file, or a folder of <table>.parquet)."
        )
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise InputError(f"{path}: cannot open as DuckDB: {exc}") from None


def register(app: typer.Typer) -> None:
    """Add the ``cohort`` command group to ``app``."""
    group = typer.Typer(help="Criteria over an OMOP CDM database (DuckDB or Spark), in SQL.")
    app.add_typer(group, name="cohort")

    @group.command("run")
    @handle_errors
    def run(
        omop: Path = typer.Option(
            ..., "--omop", help="OMOP CDM v5.4: a DuckDB file or a folder of <table>.parquet."
        ),
        criteria: str = typer.Option(
            "", "--criteria", help="Comma-separated ids (default: every CDM-computable one)."
        ),
        out: Path = typer.Option(..., "--out", help="Result rows (Parquet)."),
        engine: str = typer.Option("duckdb", "--engine", help="duckdb or spark."),
        phenotypes: Path | None = typer.Option(
            None, "--phenotypes", help="Also write the phenotype cohorts (Parquet)."
        ),
    ) -> None:
        """Evaluate criteria for every person; one row per person and criterion."""
        from heliotrope.cohort import engines

        ids = [c.strip() for c in criteria.split(",") if c.strip()] or None
        if engine not in ("duckdb", "spark"):
            raise InputError(f"--engine must be duckdb or spark, not {engine!r}.")
        if engine == "spark" and phenotypes is not None:
            raise InputError("--phenotypes runs on the duckdb engine.")
        if engine == "spark" and omop.is_dir():
            engines.run_spark(omop, ids, out=out)
        else:
            con = _connect(omop, read_only=True)
            try:
                if engine == "duckdb":
                    engines.run_duckdb(con, ids, out=out)
                    if phenotypes is not None:
                        engines.write_phenotypes(con, phenotypes)
                else:
                    engines.run_spark(con, ids, out=out)
            finally:
                con.close()
        console.print(f"wrote {escape(str(out))}  [dim]{escape(CLASSIFICATION_DISCLAIMER)}[/]")

    @group.command("summary")
    @handle_errors
    def summary(
        results: Path = typer.Argument(..., help="Parquet written by 'cohort run'."),
        plot: Path | None = typer.Option(
            None, "--plot", help="Bar chart of categories (.png/.svg)."
        ),
    ) -> None:
        """Counts per category, with the range of categories the unknown items allow."""
        from heliotrope.cohort.summary import plot_summary, summarise

        if not results.exists():
            raise InputError(f"{results}: no such results file.")
        rows = summarise(results)
        table = Table(
            "criterion",
            "category",
            "persons",
            "unknown items allow another",
            "score range (median)",
        )
        for row in rows:
            table.add_row(*(escape(str(v)) for v in row))
        console.print(table)
        console.print(f"[dim]{escape(CLASSIFICATION_DISCLAIMER)}[/]")
        if plot is not None:
            plot_summary(rows, plot)
            console.print(f"wrote {escape(str(plot))}")

    @group.command("notes")
    @handle_errors
    def notes(
        omop: Path = typer.Option(..., "--omop", help="OMOP CDM database (DuckDB file)."),
        workers: int = typer.Option(2, "--workers", min=1, help="Reader processes."),
    ) -> None:
        """Read every NOTE with the text reader into NOTE_NLP."""
        from heliotrope.cohort.notes import write_note_nlp

        con = _connect(omop, read_only=False)
        try:
            count = write_note_nlp(con, workers=workers)
        finally:
            con.close()
        console.print(f"wrote {count} NOTE_NLP rows")
