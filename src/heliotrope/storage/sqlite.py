"""An embedded SQLite history of patients, record snapshots, dated facts and assessments.

Durability: WAL journal, ``synchronous=FULL``, and every write in one ``BEGIN IMMEDIATE``
transaction, so a crash or kill mid-write loses nothing committed and leaves no half-written
record (SQLite rolls the uncommitted tail back on the next open). Idempotence: a record is stored
as canonical JSON with its SHA-256; re-adding it unchanged adds no rows, a changed record adds the
next snapshot version and keeps the earlier ones.

Canonical JSON: the record's fields that differ from their defaults, keys sorted, with the
provenance that loading a case file adds by itself (``{document: <the file>, field: <its
path>}``) left out — the file is kept once, as the snapshot's ``source`` — so the same record
hashes the same from any path. Loading a snapshot back adds it again.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from heliotrope import __version__
from heliotrope.errors import HeliotropeError, StorageError
from heliotrope.model.record import FACT_LISTS, PatientRecord
from heliotrope.storage.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

__all__ = [
    "PAUSE_ENV",
    "AddResult",
    "PatientHistory",
    "PatientSummary",
    "Store",
    "canonical_json",
    "default_db_path",
    "open_store",
]

#: Test-only hook: when set to a file path, a write creates that file after inserting its rows
#: and then waits (before COMMIT) so a test can kill the process mid-transaction.
PAUSE_ENV = "HELIOTROPE_TEST_PAUSE_IN_WRITE"


def default_db_path(env: Mapping[str, str] | None = None) -> Path:
    """``$HELIOTROPE_DB``, else ``$XDG_DATA_HOME/heliotrope/heliotrope.db`` (absolute only),
    else ``~/.local/share/heliotrope/heliotrope.db``."""
    env = os.environ if env is None else env
    if env.get("HELIOTROPE_DB"):
        return Path(env["HELIOTROPE_DB"]).expanduser()
    base = env.get("XDG_DATA_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path("~/.local/share").expanduser()
    return root / "heliotrope" / "heliotrope.db"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def canonical_json(record: PatientRecord, document: str | None = None) -> str:
    """The record as canonical JSON (see the module docstring)."""
    data = record.model_dump(mode="json", exclude_defaults=True)
    data["schema_version"] = record.schema_version
    if document is not None:
        for name in FACT_LISTS:
            for index, entry in enumerate(data.get(name, [])):
                if entry.get("source") == {"document": document, "field": f"{name}[{index}]"}:
                    del entry["source"]
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AddResult:
    """What ``db add`` did."""

    patient_id: str
    status: Literal["added", "updated", "unchanged"]
    version: int
    content_hash: str
    facts: int = 0
    assessments: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "patient_id": self.patient_id,
            "status": self.status,
            "version": self.version,
            "content_hash": self.content_hash,
            "facts": self.facts,
            "assessments": self.assessments,
        }


@dataclass(frozen=True)
class PatientSummary:
    patient_id: str
    versions: int
    latest_version: int
    created_at: str
    updated_at: str

    def to_json(self) -> dict[str, Any]:
        return {
            "patient_id": self.patient_id,
            "versions": self.versions,
            "latest_version": self.latest_version,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


@dataclass(frozen=True)
class PatientHistory:
    """Everything stored for one patient: snapshots, latest assessments, facts over time."""

    patient_id: str
    created_at: str
    updated_at: str
    snapshots: list[dict[str, Any]] = field(default_factory=list)
    assessments: list[dict[str, Any]] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "patient_id": self.patient_id,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "snapshots": self.snapshots,
            "latest_assessments": self.assessments,
            "facts": self.facts,
        }


def _fact_rows(record: PatientRecord) -> list[tuple[str, str, str, str, str, str]]:
    """(path, kind, earliest, latest, summary, json) for every dated fact of the record."""
    from heliotrope.timeline.events import build_events

    entries: dict[str, Any] = dict(record.iter_facts())
    entries["myositis"] = record.myositis
    rows = []
    for event in build_events(record):
        entry = entries.get(event.path.split(".", 1)[0])
        data = entry.model_dump(mode="json", exclude_none=True) if entry is not None else {}
        rows.append(
            (
                event.path,
                event.kind,
                event.when.earliest.isoformat(),
                event.when.latest.isoformat(),
                event.summary,
                json.dumps(data, sort_keys=True, ensure_ascii=False),
            )
        )
    for index, lesion in enumerate(record.lesions):
        when = record.date_of(lesion.date)
        if when is None:
            continue
        size = f" {lesion.mm:g} mm" if lesion.mm is not None else ""
        state = f" {lesion.assessment.value}" if lesion.assessment else ""
        rows.append(
            (
                f"lesions[{index}]",
                "lesion",
                when.earliest.isoformat(),
                when.latest.isoformat(),
                f"lesion {lesion.lesion} ({lesion.kind.value}){size}{state}",
                json.dumps(lesion.model_dump(mode="json", exclude_none=True), sort_keys=True),
            )
        )
    return rows


def _pause_for_tests() -> None:
    marker = os.environ.get(PAUSE_ENV)
    if not marker:
        return
    Path(marker).write_text(str(os.getpid()), encoding="utf-8")
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:  # until the test kills this process
        time.sleep(0.05)


class Store:
    """One open database. Use :func:`open_store` (a context manager)."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection

    def close(self) -> None:
        self._db.close()

    # -- transactions ------------------------------------------------------------------------
    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StorageError(f"Cannot start a write: {exc}.", source=str(self.path)) from None
        try:
            yield self._db
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise
        else:
            if self._db.in_transaction:
                self._db.execute("COMMIT")

    # -- writing -----------------------------------------------------------------------------
    def add(self, record: PatientRecord, source: str | None = None) -> AddResult:
        """Store a snapshot of ``record`` (with its facts and assessments) unless unchanged."""
        from heliotrope.api import assess

        text = canonical_json(record, source)
        digest = _digest(text)
        facts = _fact_rows(record)
        assessment = assess(record)
        results = [
            (
                result.id,
                result.version,
                result.category,
                json.dumps(result.to_json(), sort_keys=True, ensure_ascii=False, default=str),
            )
            for result in assessment.results.values()
        ]
        now = _now()
        try:
            with self._write() as db:
                row = db.execute(
                    "SELECT version, content_hash FROM snapshots WHERE patient_id = ? "
                    "ORDER BY version DESC LIMIT 1",
                    (record.id,),
                ).fetchone()
                if row is not None and row[1] == digest:
                    return AddResult(record.id, "unchanged", row[0], digest)
                version = 1 if row is None else row[0] + 1
                db.execute(
                    "INSERT INTO patients (id, created_at, updated_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at",
                    (record.id, now, now),
                )
                snapshot = db.execute(
                    "INSERT INTO snapshots (patient_id, version, content_hash, record_json, "
                    "source, added_at, heliotrope_version) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (record.id, version, digest, text, source, now, __version__),
                ).lastrowid
                db.executemany(
                    "INSERT INTO facts (snapshot_id, patient_id, path, kind, date_earliest, "
                    "date_latest, summary, fact_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [(snapshot, record.id, *fact) for fact in facts],
                )
                _pause_for_tests()
                db.executemany(
                    "INSERT INTO assessments (snapshot_id, patient_id, criterion_id, "
                    "criterion_version, category, result_json, heliotrope_version, assessed_on) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            snapshot,
                            record.id,
                            *result,
                            __version__,
                            assessment.assessed_on.isoformat(),
                        )
                        for result in results
                    ],
                )
        except sqlite3.Error as exc:
            raise StorageError(
                f"Cannot write to the database: {exc}.", source=str(self.path)
            ) from None
        status: Literal["added", "updated"] = "added" if version == 1 else "updated"
        return AddResult(record.id, status, version, digest, len(facts), len(results))

    # -- reading -----------------------------------------------------------------------------
    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        try:
            return list(self._db.execute(sql, params).fetchall())
        except sqlite3.Error as exc:
            raise StorageError(f"Cannot read the database: {exc}.", source=str(self.path)) from None

    def patients(self) -> list[PatientSummary]:
        rows = self._query(
            "SELECT p.id, p.created_at, p.updated_at, count(s.id), max(s.version) "
            "FROM patients p JOIN snapshots s ON s.patient_id = p.id "
            "GROUP BY p.id ORDER BY p.id"
        )
        return [PatientSummary(r[0], r[3], r[4], r[1], r[2]) for r in rows]

    def _patient(self, patient_id: str) -> sqlite3.Row:
        rows = self._query(
            "SELECT id, created_at, updated_at FROM patients WHERE id = ?", (patient_id,)
        )
        if not rows:
            known = [p.patient_id for p in self.patients()]
            shown = ", ".join(known[:10]) + (" …" if len(known) > 10 else "")
            raise StorageError(
                f"No patient {patient_id!r} in the database "
                f"(known: {shown or 'none'}); add one with 'heliotrope db add CASEFILE'.",
                source=str(self.path),
            )
        return rows[0]

    def history(self, patient_id: str) -> PatientHistory:
        """Snapshots, the latest assessment per criterion, and the latest snapshot's facts."""
        patient = self._patient(patient_id)
        snapshots = self._query(
            "SELECT s.id, s.version, s.content_hash, s.source, s.added_at, s.heliotrope_version, "
            "(SELECT count(*) FROM facts f WHERE f.snapshot_id = s.id), "
            "(SELECT count(*) FROM assessments a WHERE a.snapshot_id = s.id) "
            "FROM snapshots s WHERE s.patient_id = ? ORDER BY s.version",
            (patient_id,),
        )
        assessments = self._query(
            "SELECT a.criterion_id, a.criterion_version, a.category, a.assessed_on, "
            "a.heliotrope_version, s.version, a.result_json FROM assessments a "
            "JOIN snapshots s ON s.id = a.snapshot_id WHERE a.patient_id = ? AND a.id = "
            "(SELECT max(b.id) FROM assessments b WHERE b.patient_id = a.patient_id "
            "AND b.criterion_id = a.criterion_id) ORDER BY a.criterion_id",
            (patient_id,),
        )
        latest = snapshots[-1][0] if snapshots else -1
        facts = self._query(
            "SELECT path, kind, date_earliest, date_latest, summary FROM facts "
            "WHERE snapshot_id = ? ORDER BY date_earliest, date_latest, id",
            (latest,),
        )
        return PatientHistory(
            patient_id=patient[0],
            created_at=patient[1],
            updated_at=patient[2],
            snapshots=[
                {
                    "version": r[1],
                    "content_hash": r[2],
                    "source": r[3],
                    "added_at": r[4],
                    "heliotrope_version": r[5],
                    "facts": r[6],
                    "assessments": r[7],
                }
                for r in snapshots
            ],
            assessments=[
                {
                    "criterion_id": r[0],
                    "criterion_version": r[1],
                    "category": r[2],
                    "assessed_on": r[3],
                    "heliotrope_version": r[4],
                    "snapshot_version": r[5],
                    "result": json.loads(r[6]),
                }
                for r in assessments
            ],
            facts=[
                {
                    "path": r[0],
                    "kind": r[1],
                    "date": r[2] if r[2] == r[3] else f"{r[2]}..{r[3]}",
                    "summary": r[4],
                }
                for r in facts
            ],
        )

    def load_record(self, patient_id: str, version: int | None = None) -> PatientRecord:
        """A stored snapshot as a record again (the latest unless ``version`` is given)."""
        from heliotrope.io import parse_record

        self._patient(patient_id)
        sql = "SELECT record_json, source, version FROM snapshots WHERE patient_id = ?"
        params: tuple[Any, ...] = (patient_id,)
        if version is not None:
            sql += " AND version = ?"
            params += (version,)
        rows = self._query(sql + " ORDER BY version DESC LIMIT 1", params)
        if not rows:
            raise StorageError(
                f"Patient {patient_id!r} has no snapshot version {version}.", source=str(self.path)
            )
        try:
            return parse_record(json.loads(rows[0][0]), rows[0][1] or f"db:{patient_id}")
        except (HeliotropeError, ValueError) as exc:
            raise StorageError(
                f"The stored snapshot {rows[0][2]} of {patient_id!r} no longer loads: {exc}",
                source=str(self.path),
            ) from None

    def integrity(self) -> str:
        """``PRAGMA integrity_check``: 'ok' for a sound file."""
        return str(self._query("PRAGMA integrity_check")[0][0])


# -- opening ----------------------------------------------------------------------------------


def _connect(path: Path, create: bool) -> sqlite3.Connection:
    if path.exists() and not path.is_file():
        raise StorageError("The database path is not a file.", source=str(path))
    if not path.exists():
        if not create:
            raise StorageError(
                "There is no heliotrope database here yet; add a record with "
                "'heliotrope db add CASEFILE'.",
                source=str(path),
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            pass
        except OSError as exc:
            raise StorageError(
                f"Cannot create the database: {exc.strerror}.", source=str(path)
            ) from None
    try:
        db = sqlite3.connect(path, isolation_level=None, timeout=10.0)
    except sqlite3.Error as exc:
        raise StorageError(f"Cannot open the database: {exc}.", source=str(path)) from None
    return db


def _prepare(db: sqlite3.Connection, path: Path, create: bool) -> None:
    try:
        app_id = db.execute("PRAGMA application_id").fetchone()[0]
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise StorageError(
            f"The file is not a readable SQLite database ({exc}).", source=str(path)
        ) from None
    if app_id != APPLICATION_ID and (app_id != 0 or tables):
        raise StorageError(
            "The file is an SQLite database but not a heliotrope database; "
            "choose another path with --db or HELIOTROPE_DB.",
            source=str(path),
        )
    if version > SCHEMA_VERSION:
        raise StorageError(
            f"The database has schema version {version}, newer than this heliotrope "
            f"({__version__}, schema {SCHEMA_VERSION}); upgrade heliotrope.",
            source=str(path),
        )
    try:
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA busy_timeout = 10000")
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        db.execute("PRAGMA synchronous = FULL")
    except sqlite3.Error as exc:
        raise StorageError(f"Cannot configure the database: {exc}.", source=str(path)) from None
    if str(mode).lower() != "wal":
        raise StorageError(f"The database could not switch to WAL mode ({mode}).", source=str(path))
    if version == SCHEMA_VERSION:
        return
    if version == 0 and not create:
        raise StorageError("The database is empty; add a record first.", source=str(path))
    _migrate(db, path)


def _migrate(db: sqlite3.Connection, path: Path) -> None:
    """Bring the schema to :data:`SCHEMA_VERSION` in one transaction."""
    try:
        db.execute("BEGIN IMMEDIATE")
        current = db.execute("PRAGMA user_version").fetchone()[0]  # another process may have won
        for step in range(current, SCHEMA_VERSION):
            for statement in MIGRATIONS[step].split(";"):
                if statement.strip():
                    db.execute(statement)
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("COMMIT")
    except sqlite3.Error as exc:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise StorageError(f"Cannot create the schema: {exc}.", source=str(path)) from None


@contextmanager
def open_store(path: str | Path | None = None, *, create: bool = True) -> Iterator[Store]:
    """Open (and on first use create) the database at ``path`` or :func:`default_db_path`."""
    target = Path(path).expanduser() if path is not None else default_db_path()
    db = _connect(target, create)
    try:
        _prepare(db, target, create)
        store = Store(target, db)
        yield store
    finally:
        db.close()
