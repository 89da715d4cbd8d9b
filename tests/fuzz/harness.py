"""Run a heliotrope command in-process and check the one rule of issue 12: a coded error and
exit 2, or success (exit 0); never a traceback, never the guard (HT900, exit 3)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from heliotrope.cli.main import app

__all__ = ["CASE_COMMANDS", "Outcome", "assert_clean", "run"]

#: The commands that read a case file.
CASE_COMMANDS = ("assess", "timeline", "screening", "recist")

_RUNNER = CliRunner()
_CODE = re.compile(r"\[(HT\d{3})\]")
# Escape sequences and C1 controls that must never reach the terminal from data.
_RAW_CONTROL = re.compile("[\x1b\x9b\x07\x08\r]")


@dataclass(frozen=True)
class Outcome:
    """What a command did: exit code, stdout + stderr, and the first error code."""

    command: str
    exit_code: int
    output: str
    code: str | None
    crashed: BaseException | None


def run(command: str, path: Path, *extra: str) -> Outcome:
    """``heliotrope COMMAND PATH EXTRA...`` in-process."""
    result = _RUNNER.invoke(app, [command, str(path), *extra])
    crashed = result.exception if not isinstance(result.exception, SystemExit) else None
    found = _CODE.search(result.output)
    return Outcome(
        command, result.exit_code, result.output, found.group(1) if found else None, crashed
    )


def assert_clean(outcome: Outcome) -> None:
    """Exit 0, or exit 2 with a coded error; no traceback, no guard, no raw escapes."""
    where = f"heliotrope {outcome.command}"
    assert outcome.crashed is None, f"{where} raised {outcome.crashed!r}"
    assert "Traceback" not in outcome.output, f"{where} printed a traceback"
    assert outcome.code != "HT900", f"{where} reached the guard: {outcome.output[-300:]}"
    assert outcome.exit_code in (0, 2), f"{where} exited {outcome.exit_code}"
    if outcome.exit_code == 2:
        assert outcome.code is not None, f"{where} failed without a code: {outcome.output[-300:]}"
    # JSON output escapes controls; the text output must show none raw
    assert _RAW_CONTROL.search(outcome.output) is None, f"{where} wrote a raw control character"
