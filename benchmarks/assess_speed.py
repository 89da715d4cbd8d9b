"""Throughput of loading and assessing a case file (prints figures; not a test).

Run: .venv/bin/python benchmarks/assess_speed.py
"""

from __future__ import annotations

import time
from pathlib import Path

from heliotrope.api import assess
from heliotrope.io import load_record

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "examples" / "founding-case.yaml"


def _rate(label: str, func: object, seconds: float = 2.0) -> None:
    assert callable(func)
    func()  # warm caches
    count = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        func()
        count += 1
    elapsed = time.perf_counter() - start
    print(f"{label:<42} {count / elapsed:>10.1f} /s   {elapsed / count * 1000:>8.2f} ms each")


def main() -> None:
    record = load_record(CASE)
    print(f"heliotrope assessment benchmark — {CASE.name}")
    _rate("load + validate case file", lambda: load_record(CASE))
    _rate("assess (all registered criteria)", lambda: assess(record))
    _rate("assess eular_acr_2017 only", lambda: assess(record, ["eular_acr_2017"]))
    _rate("assess + JSON", lambda: assess(record).to_json())


if __name__ == "__main__":
    main()
