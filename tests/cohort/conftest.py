"""Fixtures of the cohort tests: CDMs in DuckDB, a comparison with the single-patient
evaluator, and one local Spark session per run (skipped with the reason where it cannot run)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import duckdb
import pytest

from heliotrope.api import assess
from heliotrope.cohort.engines import spark_session, spark_unavailable
from heliotrope.model.record import PatientRecord


def expected_row(record: PatientRecord, criterion: str) -> tuple[Any, ...]:
    """What ``heliotrope.api.assess`` says: category, subgroup, unknown items, score range,
    probability range (rounded as the evaluator rounds ranges)."""
    result = assess(record, [criterion]).results[criterion]
    return (
        result.category,
        result.values.get("subgroup"),
        tuple(result.unknown_items),
        result.value_ranges.get("score"),
        result.value_ranges.get("probability"),
    )


def sql_row(row: Sequence[Any]) -> tuple[Any, ...]:
    """The same fields from a cohort result row (``query.COLUMNS`` order)."""
    probability = (round(row[10], 6), round(row[11], 6)) if row[10] is not None else None
    return (
        row[4],
        row[5],
        tuple(x for x in row[7].split(",") if x),
        (row[8], row[9]) if row[8] is not None else None,
        probability,
    )


@pytest.fixture()
def cdm_con() -> Iterator[duckdb.DuckDBPyConnection]:
    from heliotrope.cohort.cdm import create_tables

    con = duckdb.connect()
    create_tables(con)
    yield con
    con.close()


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    reason = spark_unavailable()
    if reason:
        pytest.skip(f"Spark engine tests need the heliotrope[spark] extra and Java: {reason}")
    session = spark_session()
    # Small test data, very large expressions: whole-stage code generation costs more than it
    # saves here (measured: the first query 95 s → 56 s on a loaded two-core machine).
    session.conf.set("spark.sql.codegen.wholeStage", "false")
    session.conf.set("spark.sql.shuffle.partitions", "2")
    yield session
    session.stop()
