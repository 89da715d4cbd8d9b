"""Cold start: CPU time of whole ``heliotrope`` processes (prints figures; not a test).

Each command runs as a fresh process; the figure is its user + system CPU time (from
``getrusage`` of the finished child), best of ``--repeat`` runs, beside the floor — a bare
``python -c pass`` of the same interpreter — with the ratio. Targets (issue 13): ``--help`` and
``--version`` < 0.2 s, ``assess examples/founding-case.yaml`` < 0.5 s.

    .venv/bin/python benchmarks/startup.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = "from heliotrope.cli.main import app; app()"
COMMANDS: tuple[tuple[str, list[str], float], ...] = (
    ("python -c pass (floor)", ["-c", "pass"], 0.0),
    ("heliotrope --version", ["-c", CLI, "--version"], 0.2),
    ("heliotrope --help", ["-c", CLI, "--help"], 0.2),
    ("heliotrope assess founding-case", ["-c", CLI, "assess", "examples/founding-case.yaml"], 0.5),
    (
        "heliotrope assess --format json",
        ["-c", CLI, "assess", "examples/founding-case.yaml", "--format", "json"],
        0.5,
    ),
)


def cpu_seconds(args: list[str]) -> float:
    """User + system CPU time of one run of ``python ARGS``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        check=True,
        env=dict(os.environ, COLUMNS="100"),
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="best of N runs")
    args = parser.parse_args()
    floor = 0.0
    print(f"{'cold process':<34}{'CPU':>10}{'target':>10}{'x floor':>10}")
    for label, command, target in COMMANDS:
        best = min(cpu_seconds(command) for _ in range(args.repeat))
        if not target:
            floor = best
        shown = f"< {target:g} s" if target else ""
        verdict = "" if not target else ("  ok" if best < target else "  OVER")
        ratio = f"{best / floor:9.1f}x" if floor else ""
        print(f"{label:<34}{best:>8.3f} s{shown:>10}{ratio:>10}{verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
