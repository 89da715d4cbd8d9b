"""``heliotrope db``: keep a history of patients, record snapshots and assessments in SQLite."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from heliotrope.cli.common import console, handle_errors, print_json
from heliotrope.io.inputs import load_input
from heliotrope.storage import PatientHistory, default_db_path, open_store

__all__ = ["register"]

_DB_HELP = "Database file (default: $HELIOTROPE_DB, else ~/.local/share/heliotrope/heliotrope.db)."


class DbFormat(StrEnum):
    text = "text"
    json = "json"


def _db_option() -> Any:
    return typer.Option(None, "--db", help=_DB_HELP)


def _show_text(history: PatientHistory) -> None:
    console.print(
        f"[bold cyan]patient {escape(history.patient_id)}[/]  "
        f"[dim]first stored {escape(history.created_at)}, last {escape(history.updated_at)}[/]"
    )
    snapshots = Table(title="Snapshots", show_header=True, header_style="bold", expand=True)
    for column in ("version", "added", "content hash", "source", "facts", "assessments"):
        snapshots.add_column(column)
    for snap in history.snapshots:
        snapshots.add_row(
            str(snap["version"]),
            escape(snap["added_at"]),
            escape(snap["content_hash"][:16]),
            escape(snap["source"] or "—"),
            str(snap["facts"]),
            str(snap["assessments"]),
        )
    console.print(snapshots)
    results = Table(
        title="Latest assessment per criterion", show_header=True, header_style="bold", expand=True
    )
    for column in ("criterion", "category", "version", "assessed on", "heliotrope", "snapshot"):
        results.add_column(column)
    for row in history.assessments:
        outcome = row["category"]
        extra = [str(row["result"].get(k)) for k in ("subtype", "subgroup") if row["result"].get(k)]
        results.add_row(
            escape(row["criterion_id"]),
            escape(" ".join([outcome, *extra])),
            escape(row["criterion_version"]),
            escape(row["assessed_on"]),
            escape(row["heliotrope_version"]),
            str(row["snapshot_version"]),
        )
    console.print(results)
    facts = Table(
        title="Facts over time (latest snapshot)",
        show_header=True,
        header_style="bold",
        expand=True,
    )
    for column in ("date", "kind", "summary", "path"):
        facts.add_column(column, style="dim" if column == "path" else None)
    for fact in history.facts:
        facts.add_row(
            escape(fact["date"]),
            escape(fact["kind"].replace("_", " ")),
            escape(fact["summary"]),
            escape(fact["path"]),
        )
    console.print(facts)


def register(app: typer.Typer) -> None:
    """Add the ``db`` command group (add, show, list) to ``app``."""
    db_app = typer.Typer(
        name="db",
        help="Store patients, record snapshots and assessments in a local SQLite database.",
        no_args_is_help=True,
    )
    app.add_typer(db_app, name="db")

    @db_app.command("add")
    @handle_errors
    def add(
        path: Path = typer.Argument(
            ...,
            help="Case file (.yaml, .json) or clinical document (.txt, .html, .pdf), read "
            "into a record first as 'assess' does.",
        ),
        db: Path | None = _db_option(),
        output: DbFormat = typer.Option(DbFormat.text, "--format", "-f"),
        nominal_dates: bool = typer.Option(
            True,
            "--nominal-dates/--no-nominal-dates",
            help="For a document whose story has no calendar date: date it from one nominal "
            "anchor (intervals meaningful, calendar dates not), or leave such dates out.",
        ),
    ) -> None:
        """Store a case file or a document's record: a new snapshot if it changed, nothing if
        it did not."""
        record = load_input(path, nominal_dates=nominal_dates).record
        with open_store(db, create=True) as store:
            result = store.add(record, source=str(path))
            where = store.path
        if output is DbFormat.json:
            print_json({**result.to_json(), "db": str(where)})
            return
        if result.status == "unchanged":
            console.print(
                f"[yellow]unchanged[/] {escape(result.patient_id)}: snapshot "
                f"{result.version} already holds this record ({result.content_hash[:12]})"
            )
            return
        console.print(
            f"[green]{result.status}[/] {escape(result.patient_id)}: snapshot {result.version} "
            f"({result.content_hash[:12]}), {result.facts} facts, "
            f"{result.assessments} assessments → {escape(str(where))}"
        )

    @db_app.command("show")
    @handle_errors
    def show(
        patient: str = typer.Argument(..., help="Patient id."),
        db: Path | None = _db_option(),
        output: DbFormat = typer.Option(DbFormat.text, "--format", "-f"),
    ) -> None:
        """Show a patient's stored history: snapshots, latest assessments, facts over time."""
        with open_store(db, create=False) as store:
            history = store.history(patient)
        if output is DbFormat.json:
            print_json(history.to_json())
            return
        _show_text(history)

    @db_app.command("list")
    @handle_errors
    def list_patients(
        db: Path | None = _db_option(),
        output: DbFormat = typer.Option(DbFormat.text, "--format", "-f"),
    ) -> None:
        """List the stored patients."""
        target = db if db is not None else default_db_path()
        if not Path(target).expanduser().exists():
            if output is DbFormat.json:
                print_json([])
            else:
                console.print(f"No patients (no database at {escape(str(target))} yet).")
            return
        with open_store(target, create=False) as store:
            patients = store.patients()
        if output is DbFormat.json:
            print_json([p.to_json() for p in patients])
            return
        table = Table(show_header=True, header_style="bold")
        for column in ("patient", "versions", "latest", "first stored", "last stored"):
            table.add_column(column)
        for p in patients:
            table.add_row(
                escape(p.patient_id),
                str(p.versions),
                str(p.latest_version),
                escape(p.created_at),
                escape(p.updated_at),
            )
        console.print(table if patients else "No patients.")
