"""Speed and memory of the record side: case files to validated records, and item reading
(prints figures; not a test).

Founding case (warm, in process, one core), each figure beside its floor — the same text read
by a plain unchecked loader — with the ratio:

- YAML text to data: the fast strict path (``io.parsing``), the full strict path it falls back
  to, and plain ``yaml.load`` with libyaml's ``CSafeLoader`` (no checks: the floor);
- JSON text to data: strict ``parse_json`` beside plain ``json.loads``;
- data to a validated record (``parse_record``: pydantic, dates resolved once, consistency);
- the whole case file, YAML and JSON, text to record.

Then, over the generated golden inputs written out as YAML: text to record per file (median,
p99, worst); memory per record (tracemalloc); and reading every item of the ten default
criteria on a record never read before (``read_items``, the "read items" column of
``assess_speed.py`` summed). Times are the best of several batches (``process_time``): on a
shared machine the CPU time of the best batch is the figure least disturbed by other work.

    .venv/bin/python benchmarks/load_speed.py [--records 300] [--seconds 0.5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib
import json
import statistics
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from _timing import best_time, ms

from heliotrope.criteria.registry import select
from heliotrope.io import parse_record
from heliotrope.io.casefile import _read_text
from heliotrope.io.parsing import _StrictLoader, check_shape, parse_json, parse_yaml
from heliotrope.logic import Context, Definition
from heliotrope.model.record import PatientRecord

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "examples" / "founding-case.yaml"
GENERATED = ROOT / "tests" / "golden" / "inputs" / "generated.jsonl"
_evaluate = importlib.import_module("heliotrope.logic.evaluate")


def _best(func: Callable[[], object], seconds: float) -> float:
    """CPU seconds per call (``time.process_time``): see :func:`_timing.best_time`."""
    return best_time(func, seconds, time.process_time)


def _row(label: str, value: float, floor: float | None = None) -> None:
    ratio = f"{value / floor:8.1f}x" if floor else ""
    shown = ms(floor) if floor else ""
    print(f"{label:<44}{ms(value):>12}{shown:>12}{ratio:>10}")


def _full_yaml(text: str) -> Any:
    """The full strict path alone (what the fast path falls back to)."""
    data = yaml.load(text, Loader=_StrictLoader)  # a safe loader
    check_shape(data, "bench")
    return data


def _json_default(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def founding_case(seconds: float) -> None:
    text = _read_text(CASE)
    data = parse_yaml(text, str(CASE))
    json_text = json.dumps(data, default=_json_default)
    json_data = parse_json(json_text, "case.json")
    title = f"founding case ({len(text)} chars)"
    print(f"{title:<44}{'time':>12}{'floor':>12}{'ratio':>10}")
    plain_yaml = _best(lambda: yaml.load(text, Loader=yaml.CSafeLoader), seconds)
    _row(
        "YAML -> data, fast strict path",
        _best(lambda: parse_yaml(text, "b"), seconds),
        plain_yaml,
    )
    _row("YAML -> data, full strict path", _best(lambda: _full_yaml(text), seconds), plain_yaml)
    _row("YAML -> data, plain CSafeLoader (floor)", plain_yaml)
    plain_json = _best(lambda: json.loads(json_text), seconds)
    _row("JSON -> data, strict", _best(lambda: parse_json(json_text, "b"), seconds), plain_json)
    validate = _best(lambda: parse_record(data, str(CASE)), seconds)
    _row("data -> validated record", validate)
    whole = _best(lambda: parse_record(parse_yaml(text, "b"), "b"), seconds)
    _row("YAML case file -> record", whole, plain_yaml)
    whole_json = _best(lambda: parse_record(parse_json(json_text, "b"), "b"), seconds)
    _row("JSON case file -> record", whole_json, plain_json)
    del json_data


def generated_texts(limit: int) -> list[str]:
    """The generated golden inputs as YAML case files."""
    texts = []
    if GENERATED.is_file():
        for line in GENERATED.read_text(encoding="utf-8").splitlines()[:limit]:
            texts.append(yaml.safe_dump(json.loads(line)["record"], sort_keys=False))
    return texts


def per_file(texts: list[str]) -> None:
    durations = []
    for text in texts:
        parse_record(parse_yaml(text, "g.yaml"), "g.yaml")  # warm
        best = float("inf")
        for _ in range(3):
            start = time.process_time()
            parse_record(parse_yaml(text, "g.yaml"), "g.yaml")
            best = min(best, time.process_time() - start)
        durations.append(best)
    durations.sort()
    p99 = durations[min(len(durations) - 1, int(len(durations) * 0.99))]
    sizes = sorted(len(t) for t in texts)
    print(
        f"{len(texts)} generated case files (median {statistics.median(sizes):,.0f} chars), "
        f"YAML -> record: median {ms(statistics.median(durations)).strip()}, "
        f"p99 {ms(p99).strip()}, worst {ms(durations[-1]).strip()}"
    )


def memory(texts: list[str]) -> None:
    """KiB per validated record held in memory (tracemalloc)."""
    data = [parse_yaml(t, "g.yaml") for t in texts]
    for d in data[:5]:
        parse_record(d, "g.yaml")  # shared, per-process objects made once, not per record
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = [parse_record(d, "g.yaml") for d in data]
    per_record = (tracemalloc.get_traced_memory()[0] - before) / max(1, len(kept))
    tracemalloc.stop()
    print(f"memory: {per_record / 1024:.1f} KiB per validated record ({len(kept)} records)")


def _fresh(record: PatientRecord) -> PatientRecord:
    private = record.__pydantic_private__
    if private is not None:
        private["_derived"] = None
    return record


def reading(seconds: float) -> None:
    """Reading every item of the default criteria on a record never read before."""
    record = parse_record(parse_yaml(_read_text(CASE), str(CASE)), str(CASE))
    context = Context(options={"eular_boundary_rule": "score"})
    seen: list[Definition] = []
    original = _evaluate.read_items

    def spy(definition: Definition, rec: Any, ctx: Context) -> Any:
        seen.append(definition)
        return original(definition, rec, ctx)

    swapped = [
        m
        for m in list(__import__("sys").modules.values())
        if getattr(m, "__name__", "").startswith("heliotrope")
        and getattr(m, "read_items", None) is original
    ]
    for module in swapped:
        module.read_items = spy
    try:
        for entry in select(None):
            entry.assess(_fresh(record), context)
    finally:
        for module in swapped:
            module.read_items = original
    definitions = list({id(d): d for d in seen}.values())

    def read_all_shared() -> None:
        _fresh(record)
        for definition in definitions:
            original(definition, record, context)

    def read_each_fresh() -> None:
        for definition in definitions:
            original(definition, _fresh(record), context)

    items = sum(len(d.items) for d in definitions)
    print(f"item reading, founding case ({len(definitions)} definitions, {items} items)")
    _row("  all items, one fresh record (as assess)", _best(read_all_shared, seconds))
    _row("  each definition on a fresh record (summed)", _best(read_each_fresh, seconds))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=300, help="generated case files")
    parser.add_argument("--seconds", type=float, default=0.5, help="timing per figure")
    args = parser.parse_args()
    print("heliotrope record-side benchmark (warm, in process, one core, CPU time)")
    founding_case(args.seconds)
    print()
    reading(args.seconds)
    print()
    texts = generated_texts(args.records)
    if texts:
        per_file(texts)
        memory(texts)
    else:
        print(f"no generated inputs at {GENERATED}: per-file and memory figures skipped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
