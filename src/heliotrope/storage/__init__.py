"""Storage: an embedded SQLite history of patients, record snapshots, facts and assessments."""

from heliotrope.storage.sqlite import (
    PAUSE_ENV,
    AddResult,
    PatientHistory,
    PatientSummary,
    Store,
    canonical_json,
    default_db_path,
    open_store,
)

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
