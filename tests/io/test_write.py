"""Atomic output: a write that cannot happen is a clear, coded error and leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from heliotrope.cli.main import app
from heliotrope.errors import OutputFileError
from heliotrope.io import write_atomic

ROOT = Path(__file__).resolve().parents[2]
FOUNDING = str(ROOT / "examples" / "founding-case.yaml")


def test_write_atomic_writes_text_and_bytes(tmp_path: Path) -> None:
    write_atomic(tmp_path / "sub" / "a.txt", "héliotrope")
    write_atomic(tmp_path / "b.bin", b"\x00\x01")
    assert (tmp_path / "sub" / "a.txt").read_text(encoding="utf-8") == "héliotrope"
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.bin", "sub"]


def test_writing_over_a_folder_is_an_output_error_naming_the_path(tmp_path: Path) -> None:
    """Regression: an OSError escaped write_atomic, so the CLI printed a traceback."""
    folder = tmp_path / "plan.ics"
    folder.mkdir()
    with pytest.raises(OutputFileError) as info:
        write_atomic(folder, "x")
    assert info.value.source == str(folder)
    assert info.value.code == "HT106"
    assert list(tmp_path.iterdir()) == [folder]  # no temporary file left behind
    assert list(folder.iterdir()) == []


def test_cli_output_to_a_folder_exits_2_without_a_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "plan.ics"
    folder.mkdir()
    args = ["screening", FOUNDING, "--as-of", "2019-10-01", "--ics", str(folder)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    flat = " ".join(result.output.split())
    assert "[HT106]" in flat and "Cannot write the output file" in flat
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == [folder]
