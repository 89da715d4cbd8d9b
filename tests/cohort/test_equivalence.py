"""Equivalence: for every patient, the compiled SQL and the single-patient evaluator give the
same category, subgroup, score range, probability range and unknown items — on generated
records (record → OMOP rows → SQL, and OMOP rows → record → ``assess``), on the bundled
example and on DuckDB and Spark alike."""

from __future__ import annotations

import random
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heliotrope.cohort import engines
from heliotrope.cohort.concepts import resolve
from heliotrope.cohort.convert import insert_rows, read_records, record_rows, vocabulary_rows
from heliotrope.cohort.criteria import CDM_CRITERIA
from heliotrope.cohort.generate import add_myositis_patients, myositis_record
from heliotrope.io.casefile import load_record

from .conftest import expected_row, sql_row


def _check(con: duckdb.DuckDBPyConnection, records: dict[int, object]) -> int:
    rows = engines.run_duckdb(con).fetchall()  # type: ignore[union-attr]
    back = read_records(con, resolve(lambda q: con.execute(q).fetchall()))
    for row in rows:
        person, criterion = row[0], row[1]
        got = sql_row(row)
        assert got == expected_row(back[person], criterion), (person, criterion)
        if person in records:
            assert got == expected_row(records[person], criterion), (person, criterion)  # type: ignore[arg-type]
    assert {r[1] for r in rows} == set(CDM_CRITERIA)
    return len(rows)


@settings(max_examples=5, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), count=st.integers(1, 8))
def test_generated_records_sql_equals_evaluator(seed: int, count: int) -> None:
    con = duckdb.connect()
    try:
        from heliotrope.cohort.cdm import create_tables

        create_tables(con)
        records = add_myositis_patients(con, count, seed=seed)
        assert _check(con, records) == count * len(CDM_CRITERIA)
    finally:
        con.close()


def test_a_batch_of_120_generated_patients(cdm_con: duckdb.DuckDBPyConnection) -> None:
    records = add_myositis_patients(cdm_con, 120, seed=2017)
    assert _check(cdm_con, records) == 120 * len(CDM_CRITERIA)


def test_bundled_example_projected_to_the_cdm(
    cdm_con: duckdb.DuckDBPyConnection, examples_dir: Path
) -> None:
    """The founding case holds more than a CDM can (skin signs with dates, biopsy findings):
    its CDM projection read back must agree with the SQL, and with the original where the CDM
    holds the facts (age band, CAM)."""
    record = load_record(examples_dir / "founding-case.yaml")
    insert_rows(cdm_con, vocabulary_rows())
    insert_rows(cdm_con, record_rows(record, 1))
    _check(cdm_con, {})
    rows = {r[1]: r for r in engines.run_duckdb(cdm_con).fetchall()}  # type: ignore[union-attr]
    original = expected_row(record, "cancer_associated_myositis")
    assert sql_row(rows["cancer_associated_myositis"])[0] == original[0] == "yes"


def test_unknown_items_widen_the_range_not_the_headline(cdm_con: duckdb.DuckDBPyConnection) -> None:
    """Skin signs the CDM cannot hold are NULL: the headline counts them absent, the score's
    high end counts them present (regression guard for 'unknown is never silently absent')."""
    record = myositis_record(random.Random(1), 1)
    stripped = record.model_copy(update={"findings": ()})
    insert_rows(cdm_con, vocabulary_rows())
    insert_rows(cdm_con, record_rows(stripped, 1))
    rows = {r[1]: r for r in engines.run_duckdb(cdm_con).fetchall()}  # type: ignore[union-attr]
    eular = sql_row(rows["eular_acr_2017"])
    assert {"heliotrope_rash", "gottron_papules", "gottron_sign"} <= set(eular[2])
    low, high = eular[3]
    assert high - low >= 3.1 + 2.1 + 3.3


def test_a_parquet_folder_gives_the_same_rows(
    cdm_con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    add_myositis_patients(cdm_con, 30, seed=7)
    engines.export_parquet(cdm_con, tmp_path / "cdm")
    folder = engines.parquet_cdm(tmp_path / "cdm")
    assert sorted(engines.run_duckdb(folder).fetchall()) == sorted(  # type: ignore[union-attr]
        engines.run_duckdb(cdm_con).fetchall()  # type: ignore[union-attr]
    )


def test_spark_gives_the_same_rows(
    spark: object, cdm_con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """Spark reads the CDM as Parquet tables (as a Spark deployment would)."""
    records = add_myositis_patients(cdm_con, 25, seed=99)
    engines.export_parquet(cdm_con, tmp_path / "cdm")
    spark_rows = engines.run_spark(tmp_path / "cdm", session=spark)
    assert spark_rows is not None
    back = read_records(cdm_con, resolve(lambda q: cdm_con.execute(q).fetchall()))
    duck = {(r[0], r[1]): sql_row(r) for r in engines.run_duckdb(cdm_con).fetchall()}  # type: ignore[union-attr]
    assert len(spark_rows) == len(duck) == 25 * len(CDM_CRITERIA)
    for row in spark_rows:
        got = sql_row(row)
        assert got == duck[(row[0], row[1])]
        assert got == expected_row(records[row[0]], row[1])
        assert got == expected_row(back[row[0]], row[1])
