"""Golden outputs: the inputs (records with their options) and how each is rendered.

Shared by ``regenerate.py`` (writes) and ``test_golden.py`` (compares). An output is the full
JSON assessment with the logic trace (``Assessment.to_json(trace=True)``) and, for the bundled
and test records, the plain-text report; every assessment is made ``as_of`` a fixed date so
results never depend on the day the tests run.
"""

from __future__ import annotations

import io
import json
import lzma
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from heliotrope import __version__
from heliotrope.api import assess
from heliotrope.io import load_record
from heliotrope.model.record import PatientRecord

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
INPUTS = HERE / "inputs"
OUTPUTS = HERE / "outputs"
AS_OF = date(2026, 12, 6)
BUNDLED = sorted((ROOT / "examples").glob("*.yaml"))
#: (name of the output file, inputs file or None for the bundled examples, with text report)
SETS: tuple[tuple[str, str | None, bool], ...] = (
    ("bundled", None, True),
    ("captured", "captured.jsonl", True),
    ("generated", "generated.jsonl", False),
)


def inputs(source: str | None) -> Iterator[tuple[str, PatientRecord, dict[str, Any], date]]:
    """(name, record, options, as_of) for one input set."""
    if source is None:
        for path in BUNDLED:
            yield path.name, load_record(path), {}, AS_OF
        return
    lines = (INPUTS / source).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        entry = json.loads(line)
        record = PatientRecord.model_validate(entry["record"])
        as_of = date.fromisoformat(entry["as_of"]) if entry.get("as_of") else AS_OF
        yield f"{source}:{number}", record, entry.get("options", {}), as_of


def render(
    record: PatientRecord, options: dict[str, Any], as_of: date, text: bool
) -> dict[str, Any]:
    """The golden output of one record: JSON assessment (with trace) and the text report."""
    assessment = assess(record, None, options, as_of=as_of)
    out: dict[str, Any] = {"json": assessment.to_json(trace=True)}
    if text:
        from rich.console import Console

        from heliotrope.render.text import render_assessment

        buffer = io.StringIO()
        console = Console(file=buffer, width=110, color_system=None, force_terminal=False)
        console.print(render_assessment(assessment))
        out["text"] = buffer.getvalue()
    return _portable(out)


def _portable(value: Any) -> Any:
    """The output without what depends on where the checkout lies or on the release number:
    the checkout's folder is cut from file names, the version is written ``<version>``."""
    if isinstance(value, dict):
        return {
            k: "<version>" if k == "heliotrope_version" else _portable(v) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_portable(v) for v in value]
    if isinstance(value, str):
        value = value.replace(f"{ROOT}{os.sep}", "")
        return value.replace(f"heliotrope {__version__} — ", "heliotrope <version> — ")
    return value


def output_path(name: str) -> Path:
    return OUTPUTS / f"{name}.jsonl.xz"


def read_outputs(name: str) -> dict[str, dict[str, Any]]:
    with lzma.open(output_path(name), "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    return {row["name"]: row["output"] for row in rows}


def write_outputs(name: str, rows: list[tuple[str, dict[str, Any]]]) -> None:
    OUTPUTS.mkdir(parents=True, exist_ok=True)
    # xz: the outputs repeat each other, and xz's large window stores them in ~1/500 of the
    # space; the format has no timestamp, so the same outputs give the same bytes.
    with lzma.open(output_path(name), "wb", preset=9) as packed:
        for row_name, output in rows:
            line = json.dumps(
                {"name": row_name, "output": output}, sort_keys=True, ensure_ascii=False
            )
            packed.write(line.encode("utf-8") + b"\n")
