"""The database schema, versioned with ``PRAGMA user_version`` and marked as heliotrope's own with
``PRAGMA application_id``. Kept in Python (not a .sql resource) so it ships with the code.

Tables:

* ``patients`` — one row per patient id.
* ``snapshots`` — every version of a patient's record: canonical JSON and its SHA-256. A record
  re-added unchanged adds nothing; a changed one adds the next version, keeping the old ones.
* ``facts`` — one row per dated fact of a snapshot (path, kind, date range, summary, JSON).
* ``assessments`` — every criterion result computed for a snapshot (id, version, category, JSON,
  heliotrope version, date assessed).
"""

from __future__ import annotations

__all__ = ["APPLICATION_ID", "MIGRATIONS", "SCHEMA_VERSION"]

#: "HeLi" as a 32-bit integer: tells a heliotrope database from any other SQLite file.
APPLICATION_ID = 0x48654C69
SCHEMA_VERSION = 1

_V1 = """
CREATE TABLE patients (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE snapshots (
    id                  INTEGER PRIMARY KEY,
    patient_id          TEXT NOT NULL REFERENCES patients(id),
    version             INTEGER NOT NULL CHECK (version >= 1),
    content_hash        TEXT NOT NULL CHECK (length(content_hash) = 64),
    record_json         TEXT NOT NULL,
    source              TEXT,
    added_at            TEXT NOT NULL,
    heliotrope_version  TEXT NOT NULL,
    UNIQUE (patient_id, version)
);

CREATE TABLE facts (
    id             INTEGER PRIMARY KEY,
    snapshot_id    INTEGER NOT NULL REFERENCES snapshots(id),
    patient_id     TEXT NOT NULL REFERENCES patients(id),
    path           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    date_earliest  TEXT NOT NULL,
    date_latest    TEXT NOT NULL,
    summary        TEXT NOT NULL,
    fact_json      TEXT NOT NULL,
    UNIQUE (snapshot_id, path)
);

CREATE INDEX facts_by_patient_date ON facts (patient_id, date_earliest);

CREATE TABLE assessments (
    id                  INTEGER PRIMARY KEY,
    snapshot_id         INTEGER NOT NULL REFERENCES snapshots(id),
    patient_id          TEXT NOT NULL REFERENCES patients(id),
    criterion_id        TEXT NOT NULL,
    criterion_version   TEXT NOT NULL,
    category            TEXT NOT NULL,
    result_json         TEXT NOT NULL,
    heliotrope_version  TEXT NOT NULL,
    assessed_on         TEXT NOT NULL,
    UNIQUE (snapshot_id, criterion_id)
);

CREATE INDEX assessments_by_patient ON assessments (patient_id, criterion_id);
"""

#: ``MIGRATIONS[n]`` takes a database from user_version n to n + 1.
MIGRATIONS: tuple[str, ...] = (_V1,)
