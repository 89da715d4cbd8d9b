"""Every hostile input that ever broke heliotrope (issue 12 and the fuzz runs since), kept in
``regressions/`` and replayed through every command that reads its kind: the expected
error code (exit 2), or a clean result (exit 0). A new file must be listed here."""

from __future__ import annotations

from pathlib import Path

import pytest

from .harness import CASE_COMMANDS, assert_clean, run
from .pdfs import pdf_bytes, two_column_pages

REGRESSIONS = Path(__file__).parent / "regressions"

#: file → the code every command must answer with (None: read cleanly, exit 0).
EXPECTED: dict[str, str | None] = {
    "binary-noise.txt": "HT105",
    "binary-noise.yaml": "HT100",
    "csv-cell-over-field-limit.csv": "HT104",  # was _csv.Error: field larger than limit
    "csv-date-feb-30.csv": "HT104",
    "escape-sequences-in-description.yaml": None,  # was \x1b[2J raw on the terminal
    "html-comment-only.html": "HT105",  # lxml returned no root: was a TypeError (fuzz)
    "html-nested-5000-deep.html": "HT108",  # was RecursionError
    "html-offset-of-1e11-months.html": None,  # fuzz seed 2026: was a ValidationError (guard)
    "html-stray-end-tag.html": "HT105",
    "integer-of-5000-digits.yaml": "HT107",  # was ValueError: exceeds 4300 digits
    "lab-unit-of-100000-characters.yaml": "HT101",  # fuzz seed 7: pint took over 30 s
    "json-duplicate-key.json": "HT100",  # was accepted, the last value silently won
    "json-nan-literal.json": "HT100",
    "json-nested-5000-deep.json": "HT107",  # was RecursionError
    "json-number-1e400.json": "HT101",
    "offset-of-1e400-days.yaml": "HT101",
    "offset-of-1e9-days.yaml": "HT102",  # was OverflowError in timedelta
    "text-abbreviation-bracket-at-sentence-end.txt": None,  # fuzz: a span past the sentence
    "text-feb-30.txt": None,  # was ValueError: day is out of range for month
    "text-offset-of-1e11-months.txt": None,  # fuzz seed 2026: was a ValidationError (guard)
    "yaml-billion-laughs.yaml": "HT107",  # was an exponential walk
    "yaml-date-feb-30.yaml": "HT100",  # was ValueError from the YAML timestamp
    "yaml-date-month-13.yaml": "HT100",
    "yaml-date-year-0.yaml": "HT100",
    "yaml-duplicate-key.yaml": "HT100",  # was accepted, the last value silently won
    "yaml-nested-5000-deep.yaml": "HT100",
    "yaml-recursive-alias.yaml": "HT100",
}


def _commands(name: str) -> tuple[str, ...]:
    if name.endswith(".csv"):
        return ("recist",)
    if name.endswith((".txt", ".html", ".pdf")):
        return ("extract", "assess")
    return CASE_COMMANDS


def test_every_regression_file_is_listed() -> None:
    on_disk = {p.name for p in REGRESSIONS.iterdir() if p.is_file()}
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_regression_file_is_answered_cleanly(name: str) -> None:
    for command in _commands(name):
        outcome = run(command, REGRESSIONS / name)
        assert_clean(outcome)
        assert outcome.code == EXPECTED[name], (command, outcome.output[-400:])
        assert outcome.exit_code == (0 if EXPECTED[name] is None else 2)


# PDFs are regenerated rather than stored (a bomb is small to describe, large to keep).
PDFS = {
    "huge media box (was MemoryError)": (
        lambda: pdf_bytes([[(10, 10, "CK 3000 U/L")]], media_box=(1e9, 1e9)),
        "HT108",
    ),
    "compression bomb of 500 MB": (
        lambda: pdf_bytes([[(10, 10, "CK 3000 U/L")]], compress=True, padding=500_000_000),
        "HT108",
    ),
    "200,000 characters on one page": (
        lambda: pdf_bytes([[(0, 700 - i, "A" * 2000) for i in range(100)]], size=1),
        "HT108",
    ),
    "600 pages": (lambda: pdf_bytes(two_column_pages(600, 1)), "HT108"),
    "two columns, three pages": (lambda: pdf_bytes(two_column_pages(3, 10)), None),
}


@pytest.mark.parametrize("name", sorted(PDFS))
def test_regression_pdf_is_answered_cleanly(tmp_path: Path, name: str) -> None:
    make, expected = PDFS[name]
    path = tmp_path / "report.pdf"
    path.write_bytes(make())
    outcome = run("extract", path)
    assert_clean(outcome)
    assert outcome.code == expected, outcome.output[-400:]


def test_an_abbreviation_bracket_left_open_stays_inside_the_sentence() -> None:
    """Regression (fuzz): "electromyography ( EMG" at a sentence end gave a span one past
    the sentence, and ConText refused it (HT900)."""
    from heliotrope.nlp.extract import extract_sentence

    text = "Electromyography ( EMG"
    for mention in extract_sentence(text, None, times=True, gates=None):
        spans = [(mention.start, mention.end)]
        spans += [(a, b) for _f, _s, a, b in getattr(mention, "findings", ())]
        assert all(0 <= a <= b <= len(text) for a, b in spans)


@pytest.mark.parametrize("amount", ["166802000000", "9" * 40])
def test_an_absurd_story_offset_leaves_the_date_unknown(amount: str) -> None:
    """Regression (fuzz): "N months later" with N of 10^11 became '1.66802e+11 months', which
    no relative date accepts (a ValidationError reached the guard)."""
    from heliotrope.nlp.ingest import ingest_text
    from heliotrope.nlp.reader import read_record

    text = (
        "Dermatomyositis was diagnosed in March 2019. "
        f"{amount} months later she developed a heliotrope rash."
    )
    result = read_record(ingest_text(text))
    assert result.record.id


def test_text_dense_with_facts_is_refused_past_the_mention_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Memory stays bounded on a lab dump: past MAX_DOCUMENT_MENTIONS, a coded HT108."""
    import heliotrope.nlp.reader as reader
    from heliotrope.errors import DocumentLimitError
    from heliotrope.nlp.ingest import ingest_text

    monkeypatch.setattr(reader, "MAX_DOCUMENT_MENTIONS", 20)
    text = " ".join(f"CK {100 + i} U/L, ALT {10 + i} IU/L." for i in range(40))
    with pytest.raises(DocumentLimitError, match="MAX_DOCUMENT_MENTIONS") as caught:
        reader.read_record(ingest_text(text, "dump.txt"))
    assert caught.value.code == "HT108"
    assert reader.read_record(ingest_text(text[:60], "short.txt")).record.labs
