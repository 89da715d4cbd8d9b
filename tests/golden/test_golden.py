"""Golden outputs: every number, word and trace of today's assessments, kept identical.

Each input (bundled examples, every record the test suite evaluates, 300 generated case files)
is assessed and compared with its stored output; a mismatch prints a unified diff of the first
few differing outputs. After a deliberate change of rules, regenerate with
``.venv/bin/python tests/golden/regenerate.py`` and review the diff.
"""

from __future__ import annotations

import difflib
import functools
import json
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from golden_io import SETS, inputs, read_outputs, render

SHOWN = 3
CHUNK = 100  # inputs per test, so pytest-xdist shares the work
_SIZES = {"bundled": 100, "captured": 1000, "generated": 300}  # upper bounds; empty chunks pass
CASES = [
    (name, source, text, start)
    for name, source, text in SETS
    for start in range(0, _SIZES.get(name, 1000), CHUNK)
]


@functools.cache
def _stored(name: str) -> dict[str, dict[str, Any]]:
    return read_outputs(name)


def _lines(output: dict[str, Any]) -> list[str]:
    text = json.dumps(output.get("json"), indent=1, sort_keys=True, ensure_ascii=False)
    return [*text.splitlines(), "--- text report ---", *output.get("text", "").splitlines()]


def readable_diff(name: str, want: dict[str, Any], got: dict[str, Any]) -> str:
    """A unified diff of the stored and the current output of one input."""
    diff = difflib.unified_diff(
        _lines(want), _lines(got), f"golden {name}", f"now {name}", n=2, lineterm=""
    )
    return "\n".join(diff)


@pytest.mark.parametrize(
    ("name", "source", "text", "start"), CASES, ids=[f"{c[0]}-{c[3]}" for c in CASES]
)
def test_outputs_match_golden(name: str, source: str | None, text: bool, start: int) -> None:
    stored = _stored(name)
    problems: list[str] = []
    seen = 0
    for index, (row_name, record, options, as_of) in enumerate(inputs(source)):
        if not start <= index < start + CHUNK:
            continue
        seen += 1
        got = json.loads(json.dumps(render(record, options, as_of, text), ensure_ascii=False))
        want = stored.get(row_name)
        if want is None:
            problems.append(f"{row_name}: no golden output (run tests/golden/regenerate.py)")
        elif got != want:
            problems.append(readable_diff(row_name, want, got))
    expected = max(0, min(CHUNK, len(stored) - start))
    assert seen == expected, f"{len(stored)} golden outputs but other inputs: regenerate"
    if problems:
        shown = "\n\n".join(problems[:SHOWN])
        pytest.fail(
            f"{len(problems)} of {seen} outputs differ from the golden ones "
            f"(first {min(SHOWN, len(problems))} shown; if the change is deliberate, run "
            f"'.venv/bin/python tests/golden/regenerate.py'):\n{shown}",
            pytrace=False,
        )


def test_chunks_cover_every_golden_output() -> None:
    for name, _source, _text in SETS:
        assert len(_stored(name)) <= _SIZES[name], f"raise _SIZES[{name!r}]"


def test_readable_diff_names_the_changed_value() -> None:
    want = {"json": {"results": {"x": {"score": 1.0}}}, "text": "a\nb"}
    got = {"json": {"results": {"x": {"score": 2.0}}}, "text": "a\nc"}
    diff = readable_diff("r", want, got)
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in "+++---"]
    assert [line.replace(" ", "") for line in changed] == [
        '-"score":1.0',
        '+"score":2.0',
        "-b",
        "+c",
    ]
