"""Output under hostile input (issue 12): control characters neutralised in every terminal
output, JSON always strict, the guard never shows patient text, and files written whole or
not at all (even when the writer is killed)."""

from __future__ import annotations

import json
import math
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, NoReturn

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from heliotrope.cli.common import dumps_json
from heliotrope.cli.main import app
from heliotrope.errors import OutputFileError
from heliotrope.io import write
from heliotrope.io.write import PENDING_SUFFIX, clean_stale_pending, write_atomic
from heliotrope.render.safe import json_text, safe_text

from .harness import CASE_COMMANDS, assert_clean, run

REGRESSIONS = Path(__file__).parent / "regressions"
ESCAPES = REGRESSIONS / "escape-sequences-in-description.yaml"
_UNSAFE = [chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]]
_UNSAFE += [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]

# ----------------------------------------------------------------------------- safe_text


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[2J", "␛[2J"),
        ("a\rb", "a␍b"),
        ("bell\x07", "bell␇"),
        ("csi\x9b31m", "csi\ufffd31m"),
        ("abc\u202edef", "abc\ufffddef"),
        ("del\x7f", "del␡"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("CK 3,400 U/L — ×ULN µkat/L", "CK 3,400 U/L — ×ULN µkat/L"),
    ],
)
def test_safe_text_makes_controls_visible_and_inert(raw: str, shown: str) -> None:
    assert safe_text(raw) == shown


@given(st.text())
def test_safe_text_leaves_no_control_and_keeps_length(text: str) -> None:
    out = safe_text(text)
    assert not any(ch in out for ch in _UNSAFE)
    assert len(out) == len(text)
    assert safe_text(out) == out


@given(st.recursive(st.text() | st.floats() | st.integers(), lambda x: st.lists(x, max_size=3)))
def test_json_output_is_strict_and_inert(data: Any) -> None:
    text, replaced = dumps_json({"value": data})

    def refuse(name: str) -> NoReturn:
        raise ValueError(name)

    parsed = json.loads(text, parse_constant=refuse)  # no NaN / Infinity ever
    assert not any(ch in text for ch in "\x1b\x9b\u202e\u2028")
    if not replaced:
        assert parsed == json.loads(json.dumps({"value": data}))


def test_non_finite_numbers_become_null_with_their_place_named() -> None:
    text, replaced = dumps_json({"labs": [{"value": math.inf}, {"value": 3.0}], "x": math.nan})
    assert json.loads(text) == {"labs": [{"value": None}, {"value": 3.0}], "x": None}
    assert replaced == ["labs[0].value", "x"]


def test_json_text_escapes_c1_and_bidi_only_inside_strings() -> None:
    encoded = json.dumps({"k": "a\x9bb\u202ec"}, ensure_ascii=False)
    assert json.loads(json_text(encoded)) == {"k": "a\x9bb\u202ec"}
    assert "\x9b" not in json_text(encoded)


# ----------------------------------------------------------------------------- every command


@pytest.mark.parametrize("command", CASE_COMMANDS)
def test_escape_sequences_in_a_record_never_reach_the_terminal(command: str) -> None:
    outcome = run(command, ESCAPES)
    assert_clean(outcome)  # includes: no raw ESC, CSI, BEL, BS or CR in the output
    if command == "timeline":
        assert "␛[2J" in outcome.output  # shown, visibly, not obeyed


@pytest.mark.parametrize("command", ["extract", "assess"])
def test_escape_sequences_in_a_document_never_reach_the_terminal(
    tmp_path: Path, command: str
) -> None:
    note = tmp_path / "note\x1b[2J.txt"
    note.write_text("Heliotrope rash \x1b]0;pwned\x07 and CK 3400 U/L.\n", encoding="utf-8")
    assert_clean(run(command, note))


def test_db_show_neutralises_escape_sequences(tmp_path: Path) -> None:
    runner = CliRunner()
    db = tmp_path / "h.db"
    added = runner.invoke(app, ["db", "add", str(ESCAPES), "--db", str(db)])
    assert added.exit_code == 0, added.output
    shown = runner.invoke(app, ["db", "show", "founding-case", "--db", str(db)])
    assert shown.exit_code == 0, shown.output
    assert "\x1b[2J" not in shown.output and "\x9b" not in shown.output


# ----------------------------------------------------------------------------- the guard


def test_the_guard_names_the_bug_not_the_patient(monkeypatch: pytest.MonkeyPatch) -> None:
    import heliotrope.api

    def broken(*args: object, **kwargs: object) -> NoReturn:
        raise ValueError("Jane Doe, CK 3400 U/L, born 1971-02-03")

    monkeypatch.setattr(heliotrope.api, "assess", broken)
    result = CliRunner().invoke(app, ["assess", "examples/founding-case.yaml"])
    assert result.exit_code == 3
    assert "[HT900]" in result.output
    assert "ValueError" in result.output
    assert "Jane" not in result.output and "3400" not in result.output
    assert "Traceback" not in result.output


# ----------------------------------------------------------------------------- atomic writes


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_new_file_gets_the_usual_mode_and_nothing_else_is_left(tmp_path: Path) -> None:
    target = tmp_path / "out.yaml"
    write_atomic(target, "a: 1\n")
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
    write_atomic(target, "a: 2\n")
    assert target.read_text() == "a: 2\n"
    assert _listing(tmp_path) == ["out.yaml"]


@pytest.mark.parametrize("unnamed", [True, False], ids=["O_TMPFILE", "pending-name"])
def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unnamed: bool
) -> None:
    target = tmp_path / "out.yaml"
    target.write_text("old\n")
    if not unnamed:
        monkeypatch.setattr(write, "_write_unnamed", lambda *a: False)

    def full(*args: object, **kwargs: object) -> NoReturn:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write.os, "replace", full)
    with pytest.raises(OutputFileError, match="No space left"):
        write_atomic(target, "new\n" * 1000)
    assert target.read_text() == "old\n"
    assert _listing(tmp_path) == ["out.yaml"]


def test_a_pending_file_is_private_until_renamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(write, "_write_unnamed", lambda *a: False)
    modes: list[int] = []
    real_replace = os.replace

    def spy(src: str, dst: str, **kwargs: Any) -> None:
        modes.append(os.stat(src).st_mode & 0o777)
        real_replace(src, dst, **kwargs)

    monkeypatch.setattr(write.os, "replace", spy)
    monkeypatch.setattr(write.os, "fchmod", lambda fd, mode: None)  # keep mkstemp's mode
    write_atomic(tmp_path / "out.txt", "x")
    assert modes == [0o600]


def test_pending_files_of_killed_runs_are_cleaned_on_the_next_write(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead = int(done.stdout)
    stale = tmp_path / f".out.txt.{dead}.abcdef012345{PENDING_SUFFIX}"
    stale.write_text("complete copy")
    alive = tmp_path / f".out.txt.{os.getpid()}.abcdef012345{PENDING_SUFFIX}"
    alive.write_text("being written by a live process")
    other = tmp_path / ".notes.txt.swp"
    other.write_text("not ours")
    write_atomic(tmp_path / "out.txt", "new")
    assert not stale.exists()
    assert alive.exists() and other.exists()
    assert clean_stale_pending(tmp_path / "out.txt") == []


_WRITER = """
import sys
from heliotrope.io.write import write_atomic
target, n = sys.argv[1], 0
while True:
    n += 1
    write_atomic(target, (str(n % 10) * 2_000_000))
"""


def test_kill_minus_9_during_writes_leaves_a_whole_file_and_no_stray(tmp_path: Path) -> None:
    """20 kills at random moments: the target is always one complete version, and any
    pending name left in the link-to-rename window is removed by the next write."""
    target = tmp_path / "out.txt"
    write_atomic(target, "0" * 2_000_000)
    rng = random.Random(12)
    for _ in range(20):
        proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(target)])
        time.sleep(0.15 + rng.random() * 0.3)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        content = target.read_text()
        assert len(content) == 2_000_000 and len(set(content)) == 1
        clean_stale_pending(target)
        assert _listing(tmp_path) == ["out.txt"]
