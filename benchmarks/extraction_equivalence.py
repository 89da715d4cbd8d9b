"""Does a change to the reader keep its output? Dump and compare ``read_record`` output.

For every text of ``benchmarks/corpus/*/`` and of ``../shared/{corpus,seeds}`` (and one
document made of all of them, to exercise long-document paths), the record
(:func:`~heliotrope.nlp.reader.record_data`), the facts with provenance, conflicts and
warnings (:func:`~heliotrope.nlp.reader.extraction_json`), the located spans and every
sentence's assertion are written as JSON, one file per text. Run ``dump`` before a speed
change and ``check`` after: any difference is printed (unified diff, first lines).

    .venv/bin/python benchmarks/extraction_equivalence.py dump /tmp/before
    .venv/bin/python benchmarks/extraction_equivalence.py check /tmp/before

With no arguments (as ``make bench`` runs it) it dumps into a temporary folder and checks
against a second reading: the reader gives the same output twice in one process (no state
leaks from one document into the next, memo and caches included).

A measuring aid, not a test: the corpora are for measuring only.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from heliotrope.nlp.ingest import Document, ingest, ingest_text
from heliotrope.nlp.reader import ReadResult, extraction_json, read_record, record_data

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("HELIOTROPE_SHARED") or ROOT.parent / "shared")


def _paths() -> list[Path]:
    folders = [
        *sorted((ROOT / "benchmarks" / "corpus").glob("*")),
        SHARED / "corpus",
        SHARED / "seeds",
    ]
    return [p for f in folders if f.is_dir() for p in sorted(f.glob("*.txt"))]


def _documents() -> list[tuple[str, Document]]:
    paths = _paths()
    docs = [(f"{p.parent.name}-{p.name}", ingest(p)) for p in paths]
    joined = "\n\n".join(d.text for _, d in docs)
    docs.append(("all-joined.txt", ingest_text(joined, "all-joined.txt")))
    return docs


def _dump(result: ReadResult) -> dict[str, Any]:
    spans = [
        {
            "mention": repr(s.mention),
            "source": s.source.model_dump(mode="json"),
            "tier": s.tier,
            "assertion": repr(s.assertion),
            "findings": repr(s.findings),
            "main_story": s.main_story,
        }
        for s in result.spans
    ]
    return {
        "record": record_data(result.record),
        "extraction": extraction_json(result),
        "sections": [repr(s) for s in result.sections],
        "spans": spans,
    }


def _text(data: dict[str, Any]) -> list[str]:
    return json.dumps(data, indent=1, sort_keys=True, default=str).splitlines()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("dump", "check"), nargs="?")
    parser.add_argument("folder", type=Path, nargs="?")
    args = parser.parse_args()
    if args.mode is None:
        with tempfile.TemporaryDirectory() as tmp:
            _run("dump", Path(tmp))
            return _run("check", Path(tmp))
    if args.folder is None:
        parser.error("a folder is needed with dump or check")
    return _run(args.mode, args.folder)


def _run(mode: str, folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    differ = 0
    documents = _documents()
    for name, document in documents:
        lines = _text(_dump(read_record(document)))
        target = folder / f"{name}.json"
        if mode == "dump":
            target.write_text("\n".join(lines) + "\n", "utf-8")
            continue
        before = target.read_text("utf-8").splitlines()
        if before != lines:
            differ += 1
            diff = list(difflib.unified_diff(before, lines, "before", "after", lineterm="", n=1))
            print(f"✗ {name}: {len(diff)} diff lines")
            print("\n".join(diff[:40]))
    if mode == "check":
        print(f"{len(documents) - differ} of {len(documents)} documents read the same")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
