"""Golden outputs: every number, word and trace of today's assessments, kept identical.

Each input (bundled examples, every record the test suite evaluates, 300 generated case files)
is assessed and compared with its stored output; a mismatch prints a unified diff of the first
few differing outputs. After a deliberate change of rules, regenerate with
``.venv/bin/python tests/golden/regenerate.py`` and review the diff.
"""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from golden_io import SETS, inputs, read_outputs, render

SHOWN = 3


def _lines(output: dict[str, Any]) -> list[str]:
    text = json.dumps(output.get("json"), indent=1, sort_keys=True, ensure_ascii=False)
    return [*text.splitlines(), "--- text report ---", *output.get("text", "").splitlines()]


def readable_diff(name: str, want: dict[str, Any], got: dict[str, Any]) -> str:
    """A unified diff of the stored and the current output of one input."""
    diff = difflib.unified_diff(
        _lines(want), _lines(got), f"golden {name}", f"now {name}", n=2, lineterm=""
    )
    return "\n".join(diff)


@pytest.mark.parametrize(("name", "source", "text"), SETS, ids=[s[0] for s in SETS])
def test_outputs_match_golden(name: str, source: str | None, text: bool) -> None:
    stored = read_outputs(name)
    problems: list[str] = []
    seen = 0
    for row_name, record, options, as_of in inputs(source):
        seen += 1
        got = json.loads(json.dumps(render(record, options, as_of, text), ensure_ascii=False))
        want = stored.get(row_name)
        if want is None:
            problems.append(f"{row_name}: no golden output (run tests/golden/regenerate.py)")
        elif got != want:
            problems.append(readable_diff(row_name, want, got))
    assert seen == len(stored), f"{len(stored)} golden outputs but {seen} inputs: regenerate"
    if problems:
        shown = "\n\n".join(problems[:SHOWN])
        pytest.fail(
            f"{len(problems)} of {seen} outputs differ from the golden ones "
            f"(first {min(SHOWN, len(problems))} shown; if the change is deliberate, run "
            f"'.venv/bin/python tests/golden/regenerate.py'):\n{shown}",
            pytrace=False,
        )


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
