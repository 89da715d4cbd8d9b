"""Memory of kept assessments, and what keeps it (prints figures; not a test).

Issue 13 asks for "a few KiB" per kept assessment. Over generated records (the golden inputs,
cycled, as ``assess_speed.py``), each assessed once beforehand so the shared tables are warm,
with ``tracemalloc``:

- per record: a validated record kept in memory;
- per assessment, its record kept: what ``assess`` allocates and something still holds (the
  figure ``assess_speed.py`` prints), split into what the assessment objects hold and what
  the record's reader cache (``derived_cache``: findings, evidence, the record index, made
  during the first assessment and kept beside the record for the next one) holds;
- per assessment kept alone: the records dropped after their assessment (a cohort that keeps
  results), i.e. what an assessment keeps alive itself, including the record facts its
  evidence points at (sources) — explanations show evidence, so that part is needed.

    .venv/bin/python benchmarks/memory.py [--records 300]
"""

from __future__ import annotations

import argparse
import gc
import json
import tracemalloc
from pathlib import Path
from typing import Any

from heliotrope.api import assess
from heliotrope.model.record import PatientRecord

GENERATED = Path(__file__).resolve().parent.parent / "tests" / "golden" / "inputs"


def generated_dumps(limit: int) -> list[dict[str, Any]]:
    """The golden inputs as JSON, cycled to ``limit``."""
    dumps: list[dict[str, Any]] = []
    for name in ("generated.jsonl", "captured.jsonl"):
        path = GENERATED / name
        if path.is_file():
            dumps.extend(
                json.loads(line)["record"] for line in path.read_text(encoding="utf-8").splitlines()
            )
    if not dumps:
        raise SystemExit(f"no generated records under {GENERATED}")
    return [dumps[i % len(dumps)] for i in range(limit)]


def _traced() -> int:
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


def _kib(total: int, count: int) -> str:
    return f"{total / count / 1024:6.1f} KiB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=300, help="records (and assessments)")
    args = parser.parse_args()
    dumps = generated_dumps(args.records)
    for data in dumps:  # warm: definitions compiled, shared results and tables made
        assess(PatientRecord.model_validate(data))
    count = len(dumps)

    tracemalloc.start()
    start = _traced()
    records = [PatientRecord.model_validate(d) for d in dumps]
    with_records = _traced()
    kept = [assess(r) for r in records]
    assessed = _traced()
    for record in records:  # the readers' cache beside each record, dropped
        record.__pydantic_private__["_derived"] = None  # type: ignore[index]
    without_cache = _traced()
    del kept
    records_only = _traced()
    del records
    tracemalloc.stop()

    tracemalloc.start()
    base = _traced()
    alone = []
    for data in dumps:  # the record dropped once assessed: what the assessment keeps alive
        alone.append(assess(PatientRecord.model_validate(data)))
    kept_alone = _traced()
    tracemalloc.stop()

    print(f"heliotrope memory benchmark — {count} generated records (tracemalloc, warm)")
    print(f"per record kept                          {_kib(with_records - start, count)}")
    print(f"per assessment, its record kept          {_kib(assessed - with_records, count)}")
    print(f"  held by the assessment objects         {_kib(without_cache - records_only, count)}")
    print(f"  held by the record's reader cache      {_kib(assessed - without_cache, count)}")
    print(f"per assessment kept alone (record gone)  {_kib(kept_alone - base, count)}")
    del alone
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
