"""Running a cohort query: DuckDB (default, in-process) and Apache Spark (optional extra)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from heliotrope.cohort.cdm import TABLES, create_tables
from heliotrope.cohort.concepts import resolve
from heliotrope.cohort.criteria import plans as make_plans
from heliotrope.cohort.query import COLUMNS, build_parts, build_query
from heliotrope.errors import InputError

__all__ = [
    "SparkUnavailable",
    "run_duckdb",
    "run_spark",
    "spark_session",
    "spark_unavailable",
    "write_phenotypes",
]


class SparkUnavailable(InputError):
    """PySpark or Java is missing (install ``heliotrope[spark]`` and a Java 17 runtime)."""


def _sql_for(
    con: duckdb.DuckDBPyConnection,
    criteria: Sequence[str] | None,
    options: dict[str, object] | None,
    dialect: str,
) -> str:
    ids = resolve(lambda q: con.execute(q).fetchall())
    return build_query(make_plans(criteria, options), ids, dialect)


def run_duckdb(
    con: duckdb.DuckDBPyConnection,
    criteria: Sequence[str] | None = None,
    options: dict[str, object] | None = None,
    out: Path | None = None,
) -> duckdb.DuckDBPyRelation | None:
    """Run on DuckDB; with ``out``, stream the result to Parquet (never through Python)."""
    sql = _sql_for(con, criteria, options, "duckdb")
    if out is None:
        return con.sql(sql)
    target = str(out).replace("'", "''")
    con.execute(f"COPY ({sql}) TO '{target}' (FORMAT parquet)")
    return None


def spark_unavailable() -> str | None:
    """Why Spark cannot run here, or None."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install 'heliotrope[spark]')"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "no Java runtime (install a Java 17 JRE; JAVA_HOME or java on PATH)"
    return None


def spark_session() -> Any:
    """A local two-core Spark session (bound to 127.0.0.1)."""
    reason = spark_unavailable()
    if reason:
        raise SparkUnavailable(f"Spark engine unavailable: {reason}.")
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master("local[2]")
        .appName("heliotrope-cohort")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )


def export_parquet(con: duckdb.DuckDBPyConnection, directory: Path) -> None:
    """Write every CDM table heliotrope reads as ``<directory>/<table>.parquet``."""
    directory.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        target = str(directory / f"{table}.parquet").replace("'", "''")
        con.execute(f"COPY {table} TO '{target}' (FORMAT parquet)")


def parquet_cdm(directory: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB whose CDM tables are views over ``<directory>/<table>.parquet``
    (a table without a file is empty)."""
    con = duckdb.connect()
    create_tables(con)
    for table in TABLES:
        path = directory / f"{table}.parquet"
        if path.exists():
            con.execute(f"DROP TABLE {table}")
            quoted = str(path).replace("'", "''")
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{quoted}')")
    return con


def run_spark(
    source: duckdb.DuckDBPyConnection | Path,
    criteria: Sequence[str] | None = None,
    options: dict[str, object] | None = None,
    out: Path | None = None,
    session: Any = None,
) -> list[tuple[Any, ...]] | None:
    """Run the same compiled rules on Spark. ``source`` is a directory of Parquet tables
    (``person.parquet``...), read by Spark directly, or a DuckDB CDM (exported to Parquet
    first). Returns rows, or writes ``out`` (Parquet, partitioned by Spark)."""
    spark = session or spark_session()
    with tempfile.TemporaryDirectory(prefix="heliotrope-spark-") as tmp:
        if isinstance(source, Path):
            directory = source
        else:
            directory = Path(tmp)
            export_parquet(source, directory)
        for table in TABLES:
            path = directory / f"{table}.parquet"
            if path.exists():
                spark.read.parquet(str(path)).createOrReplaceTempView(table)
            else:
                raise SparkUnavailable(f"{path}: CDM table missing for the Spark engine.")
        ids = resolve(lambda q: [tuple(r) for r in spark.sql(q).collect()])
        items_sql, criteria_sql = build_parts(make_plans(criteria, options), ids, "spark")
        items = spark.sql(items_sql).cache()
        items.createOrReplaceTempView("i")
        frame = spark.sql(criteria_sql)
        try:
            if out is not None:
                frame.write.mode("overwrite").parquet(str(out))
                return None
            return [tuple(row[c] for c in COLUMNS) for row in frame.collect()]
        finally:
            items.unpersist()


def write_phenotypes(con: duckdb.DuckDBPyConnection, out: Path) -> None:
    """The phenotype cohorts (:mod:`heliotrope.cohort.phenotypes`) to Parquet, on DuckDB."""
    from heliotrope.cohort.phenotypes import EXTRA_ITEMS, phenotype_sql

    ids = resolve(lambda q: con.execute(q).fetchall())
    items, criteria = build_parts(make_plans(None), ids, "duckdb", extra_items=EXTRA_ITEMS)
    sql = f"WITH i AS MATERIALIZED ({items}), r AS MATERIALIZED ({criteria}) {phenotype_sql()}"
    target = str(out).replace("'", "''")
    con.execute(f"COPY ({sql}) TO '{target}' (FORMAT parquet)")
