"""read_record: bad input, scope (what is the patient's story), provenance, and the CLI."""

from __future__ import annotations

import gc
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from pypdf import PdfWriter
from typer.testing import CliRunner

from heliotrope.cli.main import app
from heliotrope.errors import DocumentError
from heliotrope.io import parse_record
from heliotrope.model.provenance import Source
from heliotrope.model.vocabulary import FindingCode, Status
from heliotrope.nlp.context import Assertion
from heliotrope.nlp.ingest import MAX_DOCUMENT_BYTES, ingest_text
from heliotrope.nlp.reader import is_text_document, read_record, trusted_source

runner = CliRunner()

CASE = """Abstract
Background: Dermatomyositis is associated with cancer in adults.
Case presentation: A 66-year-old man presented with a heliotrope rash.

Case report
A 66-year-old man presented with a heliotrope rash and proximal muscle weakness (4/5).
His CK was 2300 U/L (normal 40–200 U/L). EMG showed a myopathic pattern. A muscle biopsy was
not performed because of anticoagulation. His brother had gastric cancer.

Fig. 1 Heliotrope rash and periorbital swelling of the patient

Fig. 2 Classification criteria for dermatomyositis: Gottron's papules, heliotrope rash

Table 1 Bohan and Peter criteria
I Symmetrical proximal muscle weakness
V Typical skin rash (Gottron's sign)

Discussion
Dermatomyositis is most often associated with ovarian, lung and gastric cancers [3].
Gottron's sign is seen in most patients with dermatomyositis.
"""


@pytest.fixture()
def case(tmp_path: Path) -> Path:
    path = tmp_path / "case.txt"
    path.write_text(CASE, encoding="utf-8")
    return path


# -- bad input ---------------------------------------------------------------------------------


def _blank_pdf(path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())


@pytest.mark.parametrize("kind", ["empty", "blank", "pdf_without_text", "random", "huge"])
def test_unreadable_documents_raise_document_error_and_exit_2(tmp_path: Path, kind: str) -> None:
    path = tmp_path / ("doc.pdf" if kind == "pdf_without_text" else "doc.txt")
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "blank":
        path.write_text(" \n\t\n")
    elif kind == "pdf_without_text":
        _blank_pdf(path)
    elif kind == "random":
        path.write_bytes(os.urandom(4096) + b"\x00")
    else:
        with path.open("wb") as handle:  # sparse: no real disk use
            handle.truncate(MAX_DOCUMENT_BYTES + 1)
    with pytest.raises(DocumentError):
        read_record(path)
    for command in ("extract", "assess"):
        result = runner.invoke(app, [command, str(path)])
        assert result.exit_code == 2, result.output
        assert "HT105" in result.output
        assert "Traceback" not in result.output


def test_a_large_document_is_read(tmp_path: Path) -> None:
    text = CASE * 300  # about 0.5 MB
    result = read_record(ingest_text(text, "big.txt"))
    assert result.record.findings


def test_text_without_a_patient_story_gives_an_empty_record() -> None:
    result = read_record(ingest_text("References\n1. Smith J. A review. 2001.\n", "refs.txt"))
    assert result.facts == []


def test_text_document_suffixes() -> None:
    assert all(is_text_document(f"a{s}") for s in (".txt", ".TEXT", ".html", ".htm", ".pdf"))
    assert not is_text_document("a.yaml")


# -- scope -------------------------------------------------------------------------------------


def test_only_the_patients_story_becomes_facts(case: Path) -> None:
    result = read_record(case)
    record = result.record
    sections = {f.source.section for f in result.facts}
    assert not any(s and s.startswith(("Table", "Discussion")) for s in sections)
    # Table rows and literature sentences are never facts
    assert not [f for f in record.findings if f.code is FindingCode.gottron_sign]
    assert not [f for f in record.findings if f.code is FindingCode.gottron_papules]
    # a relative's cancer is not the patient's; the literature's cancers neither
    assert record.cancers == ()


def test_a_caption_describing_the_patient_is_read_and_a_generic_one_is_not(case: Path) -> None:
    result = read_record(case)
    caption_facts = [f for f in result.facts if (f.source.section or "").startswith("Fig. 1")]
    assert caption_facts
    assert not [f for f in result.facts if (f.source.section or "").startswith("Fig. 2")]
    assert any("caption not read" in w.message for w in result.warnings)


def test_an_abstracts_case_presentation_counts_but_the_record_cites_the_case_report(
    case: Path,
) -> None:
    result = read_record(case)
    [fact] = [f for f in result.facts if "heliotrope rash: present" in f.summary]
    assert fact.source.section == "Case report"
    assert any(s.section == "Abstract: Case presentation" for s in fact.supporting)


def test_a_sentence_cut_by_a_figure_is_read_whole() -> None:
    text = (
        "Case report\nHer CK was raised at 950 (normal range\n\n"
        "Fig. 1 Gottron papules over the knuckles\n\n"
        " 30–190 U/L) on admission. She was weak.\n"
    )
    result = read_record(ingest_text(text, "cut.txt"))
    [lab] = result.record.labs
    assert lab.range is not None and lab.range.high == 190


def test_not_performed_and_muscle_findings(case: Path) -> None:
    record = read_record(case).record
    [biopsy] = [i for i in record.investigations if i.kind.value == "muscle_biopsy"]
    assert biopsy.performed is False
    assert biopsy.reason_not_performed == "anticoagulation"
    weak = [f for f in record.findings if f.code is FindingCode.weakness_proximal_lower]
    assert weak and weak[0].status is Status.present and weak[0].grades[0].mrc == "4"


# -- provenance --------------------------------------------------------------------------------


def test_every_fact_points_at_its_words(case: Path) -> None:
    result = read_record(case)
    text = result.document.text
    for fact in result.facts:
        source = fact.source
        assert source.document == str(case)
        assert source.start is not None and source.end is not None
        assert source.sentence and source.extractor and source.section
        if fact.family != "event":
            span = " ".join(text[source.start : source.end].split())
            assert span and span in source.sentence


# -- CLI ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_extract_writes_a_case_file_that_round_trips(case: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"case.{fmt}"
    result = runner.invoke(app, ["extract", str(case), "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    import yaml

    data = json.loads(out.read_text()) if fmt == "json" else yaml.safe_load(out.read_text())
    assert parse_record(data, str(out)) == read_record(case).record


def test_extract_html(case: Path) -> None:
    result = runner.invoke(app, ["extract", str(case), "--format", "html"])
    assert result.exit_code == 0
    assert result.stdout.startswith("<!DOCTYPE html>")


def test_assess_reads_text_and_reports_the_extraction(case: Path) -> None:
    text = runner.invoke(app, ["assess", str(case)], env={"COLUMNS": "160"})
    assert text.exit_code == 0, text.output
    assert "Extracted from text" in text.stdout
    data = json.loads(runner.invoke(app, ["assess", str(case), "-f", "json"]).stdout)
    extraction = data["extraction"]
    assert extraction["facts"] and extraction["facts"][0]["source"]["start"] is not None
    assert "conflicts" in extraction and "warnings" in extraction
    assert data["results"]["bohan_peter_1975"]["items"]["myopathic_emg"]["status"] == "present"


def test_a_trusted_source_equals_a_validated_one() -> None:
    fields: dict[str, object] = {
        "document": "note.txt",
        "start": 4,
        "end": 9,
        "sentence": "Her CK was raised.",
        "section": "Case",
        "extractor": "labs.stated",
    }
    trusted = trusted_source("note.txt", 4, 9, "Her CK was raised.", "Case", "labs.stated")
    validated = Source.model_validate(fields)
    assert trusted == validated
    assert trusted.model_dump() == validated.model_dump()
    assert trusted.model_dump_json() == validated.model_dump_json()
    with pytest.raises(ValidationError):
        setattr(trusted, "start", 1)  # noqa: B010 (frozen like any Source)


def test_a_sentence_said_twice_is_read_at_each_place() -> None:
    """Repeated sentences are read once (``reader._Memo``) but each keeps its own offsets,
    sentence and assertion."""
    once = "She denies dysphagia. Creatine kinase was 4,200 U/L (normal 40-200 U/L)."
    text = f"Case report\n{once} She had a heliotrope rash. {once}\n"
    result = read_record(ingest_text(text, "twice.txt"))
    spans = [s for s in result.spans if s.source.extractor != "demographics.pronouns"]
    for extractor in {s.source.extractor for s in spans}:
        mine = [s for s in spans if s.source.extractor == extractor]
        starts = {s.source.start for s in mine}
        assert len(starts) == len(mine), extractor  # each occurrence at its own place
        for s in mine:
            said = text[s.source.start : s.source.end]
            assert said and said.lower() in str(s.source.sentence).lower()
    dysphagia = [s for s in spans if "dysphagia" in text[s.source.start : s.source.end]]
    assertions = [s.assertion for s in dysphagia]
    assert len(assertions) == 2 and all(isinstance(a, Assertion) for a in assertions)
    first, second = (a for a in assertions if isinstance(a, Assertion))
    assert first.negated and second.negated
    assert first.cues[0].start < second.cues[0].start


def test_the_sentence_memo_is_bounded_and_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    from heliotrope.nlp import reader

    lines = [
        "She denies dysphagia.",
        "Creatine kinase was 4,200 U/L (normal 40-200 U/L).",
        "She had a heliotrope rash.",
        "There was no family history of myositis.",
    ]
    text = "Case report\n" + " ".join(lines * 3) + "\n"

    def read() -> list[tuple[object, ...]]:
        result = read_record(ingest_text(text, "memo.txt"))
        return [(s.mention, s.source, s.assertion, s.findings) for s in result.spans]

    unbounded = read()
    monkeypatch.setattr(reader, "_MEMO_SENTENCES", 1)
    memo = reader._Memo()
    memo.normalised["a"] = "a"
    memo.normalised["b"] = "b"
    assert list(memo.normalised) == ["a"]
    assert read() == unbounded


# -- the garbage collector is paused while a document is read (issue 8, part 5: speed) ------


def test_the_collector_is_paused_during_a_read_and_turned_back_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from heliotrope.nlp import reader
    from heliotrope.nlp.build import build

    seen: list[bool] = []

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return build(*args, **kwargs)

    monkeypatch.setattr(reader, "build", spy)
    assert gc.isenabled()
    result = read_record(ingest_text("She has a heliotrope rash.", "note.txt"))
    assert seen == [False]
    assert gc.isenabled()
    assert result.record.findings  # the read itself is unchanged


def test_the_collector_is_turned_back_on_when_a_read_fails() -> None:
    with pytest.raises(DocumentError):
        read_record(ingest_text("   \n ", "empty.txt"))
    assert gc.isenabled()


def test_a_collector_the_caller_turned_off_stays_off() -> None:
    gc.disable()
    try:
        read_record(ingest_text("She has a heliotrope rash.", "note.txt"))
        assert not gc.isenabled()
    finally:
        gc.enable()
