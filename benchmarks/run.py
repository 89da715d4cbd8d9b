"""Run every benchmark script in this folder (``make bench``); each prints its own figures.

Each ``benchmarks/*.py`` (this file and ``_``-prefixed helpers excepted) runs as its own
subprocess with this interpreter, so one script's ``sys.exit`` cannot end the run (it used to:
scripts ran in-process with ``runpy`` and ``context_speed.py``'s ``sys.exit(main())`` stopped
the run with status 0 before ``extraction.py``). The run goes on after a failure and exits
non-zero naming every script that did not run cleanly.

    .venv/bin/python benchmarks/run.py [--only NAME ...] [--timeout SECONDS]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def scripts(folder: Path = HERE) -> list[Path]:
    """Every benchmark script of ``folder``, in name order."""
    return sorted(
        p for p in folder.glob("*.py") if p.name != "run.py" and not p.name.startswith("_")
    )


def run_one(script: Path, timeout: float) -> int:
    """Run one script, its output passed through; its exit status (124 on timeout)."""
    try:
        done = subprocess.run([sys.executable, str(script)], cwd=script.parent, timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"{script.name}: did not finish within {timeout:g} s", flush=True)
        return 124
    return done.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None, help="script names to run")
    parser.add_argument("--timeout", type=float, default=1800.0, help="per script, seconds")
    args = parser.parse_args(argv)
    chosen = [s for s in scripts() if not args.only or s.stem in args.only or s.name in args.only]
    failed: list[str] = []
    for script in chosen:
        print(f"\n=== {script.name}", flush=True)
        start = time.perf_counter()
        status = run_one(script, args.timeout)
        print(
            f"=== {script.name}: exit {status} in {time.perf_counter() - start:.1f} s", flush=True
        )
        if status != 0:
            failed.append(f"{script.name} (exit {status})")
    print(f"\n{len(chosen) - len(failed)} of {len(chosen)} benchmark scripts ran cleanly")
    if failed:
        print("failed: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
