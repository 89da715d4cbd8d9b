"""Regenerate the golden outputs (one command).

    .venv/bin/python tests/golden/regenerate.py              # outputs from the stored inputs
    .venv/bin/python tests/golden/regenerate.py --recapture  # re-collect the inputs first

Inputs (``tests/golden/inputs/``): ``captured.jsonl`` holds every distinct record the test
suite evaluates (captured by running the suite with ``capture_plugin.py``) with its options;
``generated.jsonl`` holds a few hundred case files drawn from ``record_strategy.py`` with a
fixed seed; the bundled examples are read from ``examples/``. Outputs
(``tests/golden/outputs/*.jsonl.gz``): the full JSON assessment with trace, and the text
report, of each input, assessed as of ``golden_io.AS_OF``.

After a deliberate change of clinical rules, run this script and review ``git diff --stat`` and
``tests/golden/test_golden.py``'s diff before committing. ``--recapture`` runs the test suite
once (serially, about a minute) and is needed only when tests add or change records.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from golden_io import AS_OF, INPUTS, ROOT, SETS, inputs, render, write_outputs  # noqa: E402

from heliotrope.model.record import PatientRecord  # noqa: E402

GENERATED_COUNT = 300
GENERATED_SEED = 20261206


def recapture() -> None:
    """Run the test suite with the capture plugin to collect the records it evaluates."""
    INPUTS.mkdir(parents=True, exist_ok=True)
    target = INPUTS / "captured.jsonl.tmp"
    target.unlink(missing_ok=True)
    env = dict(os.environ, HELIOTROPE_CAPTURE=str(target))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH")]))
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-n",
        "0",
        "-p",
        "no:randomly",
        "-p",
        "capture_plugin",
        "--ignore",
        str(HERE),
        "tests",
    ]
    # No ``-x``: a failing test elsewhere must not cut the capture short (it did once and
    # captured 12 records of 675); failures are reported, the records are still collected.
    status = subprocess.run(command, cwd=ROOT, env=env, check=False).returncode
    if status not in (0, 1):
        raise SystemExit(f"the test suite did not run to the end (pytest status {status})")
    lines = [
        line
        for line in sorted(set(target.read_text(encoding="utf-8").splitlines()))
        if _assessable(line)
    ]
    (INPUTS / "captured.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    target.unlink()
    print(f"captured {len(lines)} distinct records from the test suite")


def _assessable(line: str) -> bool:
    """Records some tests evaluate with options chosen to fail (e.g. an unknown subtype)."""
    from heliotrope.errors import HeliotropeError

    entry = json.loads(line)
    record = PatientRecord.model_validate(entry["record"])
    try:
        render(record, entry["options"], AS_OF, False)
    except HeliotropeError:
        return False
    return True


def generate() -> None:
    """Draw ``GENERATED_COUNT`` valid case files with a fixed seed and save them."""
    from hypothesis import HealthCheck, given, seed, settings
    from pydantic import ValidationError
    from record_strategy import case_files

    from heliotrope.errors import HeliotropeError
    from heliotrope.io import parse_record

    lines: list[str] = []

    @seed(GENERATED_SEED)
    @settings(
        max_examples=GENERATED_COUNT * 3,
        database=None,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case_files())
    def draw(data: dict[str, object]) -> None:
        if len(lines) >= GENERATED_COUNT:
            return
        try:
            record = parse_record(data, "generated")
        except (HeliotropeError, ValidationError):
            return
        line = json.dumps(
            {"record": record.model_dump(mode="json"), "options": {}, "as_of": None},
            sort_keys=True,
            ensure_ascii=False,
        )
        if line not in lines:
            lines.append(line)

    draw()
    INPUTS.mkdir(parents=True, exist_ok=True)
    (INPUTS / "generated.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"generated {len(lines)} records (seed {GENERATED_SEED})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recapture", action="store_true", help="re-collect the inputs first")
    args = parser.parse_args()
    if args.recapture:
        recapture()
        generate()
    for name, source, text in SETS:
        rows = [
            (row_name, render(record, options, as_of, text))
            for row_name, record, options, as_of in inputs(source)
        ]
        write_outputs(name, rows)
        print(f"{name}: {len(rows)} golden outputs written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
