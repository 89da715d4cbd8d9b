"""Cohort throughput: the CDM-computable criteria over a synthetic OMOP CDM on DuckDB (and,
with ``--spark``, on a local Spark session), against the single-patient evaluator.

    .venv/bin/python benchmarks/cohort.py --persons 1000000 [--spark]

Prints patients/s and /min, the ratio to ``heliotrope.api.assess``, the growth from half the
size to the full size (linear: ratio ≈ 2), peak memory of this process (the CDM lives in
DuckDB, results stream to Parquet: nothing per patient is held in Python) and where the time
goes (generation, SQL compilation, query).
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from pathlib import Path

import duckdb

from heliotrope.api import assess
from heliotrope.cohort import engines
from heliotrope.cohort.concepts import resolve
from heliotrope.cohort.criteria import CDM_CRITERIA, plans
from heliotrope.cohort.generate import myositis_record, synthetic_cdm
from heliotrope.cohort.query import build_query


def _run(persons: int, tmp: Path, threads: int) -> tuple[float, float, float]:
    con = duckdb.connect(str(tmp / f"cdm{persons}.duckdb"))
    con.execute(f"SET threads = {threads}")
    start = time.perf_counter()
    synthetic_cdm(con, persons)
    generated = time.perf_counter() - start
    start = time.perf_counter()
    build_query(plans(None), resolve(lambda q: con.execute(q).fetchall()))
    compiled = time.perf_counter() - start
    start = time.perf_counter()
    engines.run_duckdb(con, out=tmp / f"out{persons}.parquet")
    ran = time.perf_counter() - start
    con.close()
    return generated, compiled, ran


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--spark", action="store_true", help="also time Spark (local[2])")
    args = parser.parse_args()
    criteria = list(CDM_CRITERIA)
    with tempfile.TemporaryDirectory(prefix="heliotrope-bench-") as name:
        tmp = Path(name)
        half = _run(args.persons // 2, tmp, args.threads)
        full = _run(args.persons, tmp, args.threads)
        rate = args.persons / full[2]
        print(f"criteria: {', '.join(criteria)}")
        print(f"DuckDB, {args.threads} threads, {args.persons:,} persons")
        print(
            f"  generate CDM {full[0]:.1f} s | compile SQL {full[1]:.2f} s | query {full[2]:.1f} s"
        )
        print(f"  {rate:,.0f} patients/s = {rate * 60:,.0f} patients/min (target 1,000,000/min)")
        print(
            f"  growth: {args.persons // 2:,} → {args.persons:,} persons: "
            f"query time x{full[2] / half[2]:.2f}"
        )
        records = [myositis_record(random.Random(i), i) for i in range(100)]
        start = time.perf_counter()
        for record in records:
            assess(record, criteria)
        single = (time.perf_counter() - start) / len(records)
        print(
            f"  single-patient evaluator: {single * 1000:.1f} ms/patient; "
            f"SQL is x{single * rate:,.0f}"
        )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  peak RSS of this process: {peak:,.0f} MB")
        if args.spark:
            reason = engines.spark_unavailable()
            if reason:
                print(f"Spark: skipped ({reason})")
                return
            con = duckdb.connect(str(tmp / f"cdm{args.persons}.duckdb"))
            session = engines.spark_session()
            start = time.perf_counter()
            engines.run_spark(con, out=tmp / "spark.parquet", session=session)
            took = time.perf_counter() - start
            print(
                f"Spark local[2], same CDM: {took:.1f} s, {args.persons / took:,.0f} patients/s "
                "(includes exporting the CDM to Parquet and query planning)"
            )
            session.stop()


if __name__ == "__main__":
    main()
