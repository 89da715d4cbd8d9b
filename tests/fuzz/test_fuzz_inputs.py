"""Fuzz every reader through the CLI (issue 12): whatever the input, a coded error and exit 2,
or a result; never a traceback, never the guard (HT900). Budgets are bounded so that the
whole fuzz suite runs in well under two minutes on two cores; ``benchmarks/fuzz.py`` runs
10^5 inputs."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .harness import CASE_COMMANDS, assert_clean, run
from .strategies import (
    case_files,
    clinical_texts,
    html_pages,
    lesion_tables,
    pdf_files,
)

_SETTINGS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}


@settings(max_examples=40, **_SETTINGS)  # type: ignore[arg-type]
@given(case=case_files(), command=st.sampled_from(CASE_COMMANDS))
def test_case_files_never_crash(tmp_path: Path, case: tuple[str, bytes], command: str) -> None:
    suffix, content = case
    path = tmp_path / f"case{suffix}"
    path.write_bytes(content)
    assert_clean(run(command, path))


@settings(max_examples=10, **_SETTINGS)  # type: ignore[arg-type]
@given(case=case_files())
def test_case_files_as_json_output_never_crash(tmp_path: Path, case: tuple[str, bytes]) -> None:
    suffix, content = case
    path = tmp_path / f"case{suffix}"
    path.write_bytes(content)
    assert_clean(run("assess", path, "--format", "json"))


@settings(max_examples=40, **_SETTINGS)  # type: ignore[arg-type]
@given(table=lesion_tables())
def test_lesion_tables_never_crash(tmp_path: Path, table: bytes) -> None:
    path = tmp_path / "lesions.csv"
    path.write_bytes(table)
    assert_clean(run("recist", path))


@settings(max_examples=25, **_SETTINGS)  # type: ignore[arg-type]
@given(text=clinical_texts(), command=st.sampled_from(["extract", "assess"]))
def test_clinical_text_never_crashes(tmp_path: Path, text: str, command: str) -> None:
    path = tmp_path / "note.txt"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    assert_clean(run(command, path))


@settings(max_examples=20, **_SETTINGS)  # type: ignore[arg-type]
@given(page=html_pages())
def test_html_never_crashes(tmp_path: Path, page: str) -> None:
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8", errors="surrogatepass")
    assert_clean(run("extract", path))


@settings(max_examples=12, **_SETTINGS)  # type: ignore[arg-type]
@given(pdf=pdf_files())
def test_pdf_never_crashes(tmp_path: Path, pdf: bytes) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    assert_clean(run("extract", path))
