"""SQLite storage: idempotent adds, history, durability, and clear errors."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from heliotrope.api import assess
from heliotrope.errors import StorageError
from heliotrope.io import load_record, parse_record
from heliotrope.model.record import PatientRecord
from heliotrope.storage import PAUSE_ENV, canonical_json, default_db_path, open_store
from heliotrope.storage.schema import APPLICATION_ID, SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[2]
FOUNDING = ROOT / "examples" / "founding-case.yaml"


@pytest.fixture(scope="module")
def founding() -> PatientRecord:
    return load_record(FOUNDING)


def _changed(tmp_path: Path, ck: float = 900) -> Path:
    data: dict[str, Any] = yaml.safe_load(FOUNDING.read_text(encoding="utf-8"))
    data["labs"][3]["value"] = ck
    target = tmp_path / f"founding-ck{ck:g}.yaml"
    target.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return target


def _counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as con:
        return {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("patients", "snapshots", "facts", "assessments")
        }


def test_first_add_creates_the_schema_and_stores_everything(
    founding: PatientRecord, tmp_path: Path
) -> None:
    db = tmp_path / "sub" / "h.db"
    with open_store(db) as store:
        result = store.add(founding, source=str(FOUNDING))
    assert (result.status, result.version) == ("added", 1)
    assert result.facts > 40 and result.assessments == len(assess(founding).results)
    counts = _counts(db)
    assert counts == {
        "patients": 1,
        "snapshots": 1,
        "facts": result.facts,
        "assessments": result.assessments,
    }
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        kinds = {r[0] for r in con.execute("SELECT DISTINCT kind FROM facts")}
    assert {"finding", "lab", "treatment_start", "treatment_stop", "tumour_assessment"} <= kinds
    assert oct(db.stat().st_mode & 0o777) == "0o600"


def test_re_adding_the_same_record_is_idempotent(founding: PatientRecord, tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    with open_store(db) as store:
        store.add(founding, source=str(FOUNDING))
    before = _counts(db)
    copy = tmp_path / "elsewhere" / "same.yaml"
    copy.parent.mkdir()
    shutil.copy(FOUNDING, copy)
    with open_store(db) as store:
        again = store.add(founding, source=str(FOUNDING))
        moved = store.add(load_record(copy), source=str(copy))  # same content, other path
    assert (again.status, again.version) == ("unchanged", 1)
    assert (moved.status, moved.version) == ("unchanged", 1)
    assert _counts(db) == before


def test_lab_statements_do_not_make_the_same_record_differ_by_path(tmp_path: Path) -> None:
    """Regression: storage's own list of fact lists lacked lab_statements, so their file
    provenance stayed in the canonical JSON and a copy of the file at another path was stored
    as a new version."""
    text = "id: words\nlab_statements:\n  - {analyte: ck, interpretation: high, date: 2020-01-10}\n"
    first, second = tmp_path / "a.yaml", tmp_path / "moved" / "b.yaml"
    second.parent.mkdir()
    first.write_text(text, encoding="utf-8")
    second.write_text(text, encoding="utf-8")
    db = tmp_path / "h.db"
    with open_store(db) as store:
        added = store.add(load_record(first), source=str(first))
        moved = store.add(load_record(second), source=str(second))
        history = store.history("words")
    assert (added.status, moved.status, moved.version) == ("added", "unchanged", 1)
    assert [(f["path"], f["kind"]) for f in history.facts] == [("lab_statements[0]", "lab")]


def test_a_changed_record_adds_a_version_and_keeps_history(
    founding: PatientRecord, tmp_path: Path
) -> None:
    db = tmp_path / "h.db"
    changed = _changed(tmp_path)
    with open_store(db) as store:
        first = store.add(founding, source=str(FOUNDING))
        second = store.add(load_record(changed), source=str(changed))
        back = store.add(founding, source=str(FOUNDING))  # reverting is a change too
        history = store.history("founding-case")
        v1 = store.load_record("founding-case", version=1)
        v2 = store.load_record("founding-case", version=2)
        latest = store.load_record("founding-case")
    assert [r.status for r in (first, second, back)] == ["added", "updated", "updated"]
    assert [s["version"] for s in history.snapshots] == [1, 2, 3]
    assert history.snapshots[0]["content_hash"] == history.snapshots[2]["content_hash"]
    assert history.snapshots[0]["content_hash"] != history.snapshots[1]["content_hash"]
    assert v1.labs[3].value == 695 and v2.labs[3].value == 900 and latest.labs[3].value == 695
    assert canonical_json(v1, str(FOUNDING)) == canonical_json(founding, str(FOUNDING))
    assert _counts(db)["snapshots"] == 3
    criteria = {a["criterion_id"] for a in history.assessments}
    assert criteria == set(assess(founding).results)
    assert all(a["snapshot_version"] == 3 for a in history.assessments)
    bohan = next(a for a in history.assessments if a["criterion_id"] == "bohan_peter_1975")
    assert (bohan["category"], bohan["result"]["subtype"]) == ("definite", "DM")
    ck = [f for f in history.facts if f["path"] == "labs[3]"]
    assert ck and "3.48×ULN" in ck[0]["summary"] and ck[0]["date"] == "2019-09-01"


def test_loaded_snapshot_keeps_provenance(founding: PatientRecord, tmp_path: Path) -> None:
    with open_store(tmp_path / "h.db") as store:
        store.add(founding, source=str(FOUNDING))
        loaded = store.load_record("founding-case")
    assert loaded.findings[0].source is not None
    assert loaded.findings[0].source.document == str(FOUNDING)
    assert loaded.anchors == founding.anchors


def test_patients_are_listed(founding: PatientRecord, tmp_path: Path) -> None:
    other = parse_record({"id": "other", "findings": []})
    with open_store(tmp_path / "h.db") as store:
        store.add(founding)
        store.add(other)
        listed = [(p.patient_id, p.versions) for p in store.patients()]
    assert listed == [("founding-case", 1), ("other", 1)]


_WRITER = """
import sys
from heliotrope.io import load_record
from heliotrope.storage import open_store

with open_store(sys.argv[1]) as store:
    store.add(load_record(sys.argv[2]), source=sys.argv[2])
print("committed")
"""


def test_a_kill_mid_transaction_loses_nothing_committed(
    founding: PatientRecord, tmp_path: Path
) -> None:
    db = tmp_path / "h.db"
    with open_store(db) as store:
        store.add(founding, source=str(FOUNDING))
    before = _counts(db)
    marker = tmp_path / "paused"
    env = {**os.environ, PAUSE_ENV: str(marker)}
    writer = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(db), str(_changed(tmp_path))],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120  # a guard against hanging, not a timing assertion
        while not marker.exists() and writer.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), writer.communicate()[1].decode()
        # The writer holds an open write transaction with its rows inserted. WAL: readers still
        # see the committed state and are not blocked.
        with open_store(db, create=False) as reader:
            assert [p.versions for p in reader.patients()] == [1]
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        if writer.poll() is None:
            writer.kill()
        out, _ = writer.communicate()
    assert writer.returncode == -signal.SIGKILL
    assert b"committed" not in out

    assert _counts(db) == before  # no partial snapshot, facts or assessments
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        orphans = con.execute(
            "SELECT count(*) FROM facts f LEFT JOIN snapshots s ON s.id = f.snapshot_id "
            "WHERE s.id IS NULL"
        ).fetchone()[0]
        assert orphans == 0
    with open_store(db) as store:
        assert store.integrity() == "ok"
        assert store.load_record("founding-case").labs[3].value == 695
        retry = store.add(load_record(_changed(tmp_path)))
    assert (retry.status, retry.version) == ("updated", 2)


def test_default_path(tmp_path: Path) -> None:
    assert default_db_path({"HELIOTROPE_DB": str(tmp_path / "x.db")}) == tmp_path / "x.db"
    assert default_db_path({"XDG_DATA_HOME": str(tmp_path)}) == (
        tmp_path / "heliotrope" / "heliotrope.db"
    )
    home = Path("~/.local/share/heliotrope/heliotrope.db").expanduser()
    assert default_db_path({}) == home
    assert default_db_path({"XDG_DATA_HOME": "relative/dir"}) == home


def test_unknown_patient(founding: PatientRecord, tmp_path: Path) -> None:
    with open_store(tmp_path / "h.db") as store:
        store.add(founding)
        with pytest.raises(StorageError, match=r"No patient 'nobody'.*known: founding-case"):
            store.history("nobody")


def test_missing_database_is_not_created_for_reading(tmp_path: Path) -> None:
    with (
        pytest.raises(StorageError, match="no heliotrope database"),
        open_store(tmp_path / "absent.db", create=False),
    ):
        pass
    assert not (tmp_path / "absent.db").exists()


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StorageError, match="not a readable SQLite database"), open_store(junk):
        pass


def test_another_applications_database(tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as con:
        con.execute("CREATE TABLE t (x)")
    with pytest.raises(StorageError, match="not a heliotrope database"), open_store(foreign):
        pass


def test_a_newer_schema_is_refused(founding: PatientRecord, tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    with open_store(db) as store:
        store.add(founding)
    with sqlite3.connect(db) as con:
        con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StorageError, match="newer than this heliotrope"), open_store(db):
        pass


def test_a_directory_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="not a file"), open_store(tmp_path):
        pass
