"""``cohort notes``: NOTE → NOTE_NLP with heliotrope's text reader (:mod:`heliotrope.nlp`).

Each note is read by :func:`heliotrope.nlp.reader.read_record`; every finding of the record
the reader builds (mentions already resolved: a relative's or a hypothetical rash is not the
patient's) becomes a NOTE_NLP row (OMOP CDM v5.4): ``offset`` (character offsets
``start-end`` in the note text as ingested), ``lexical_variant`` (the words), ``snippet`` (the
sentence, 250 characters at most), ``note_nlp_concept_id`` (the finding's concept,
heliotrope's local vocabulary where no standard code exists), ``term_exists`` (``Y`` when
present, ``N`` when absent), ``term_temporal`` (``historical`` or ``current``) and
``term_modifiers`` (the ConText assertions of the span, ``negated=true;historical=false;...``,
and ``laterality=both|left|right`` when the reader recorded the side of a weakness).
The OMOP item readers count a finding absent only from ``negated=true``.

Notes are read in parallel by worker processes (the reader is CPU-bound Python); the rows are
written by the parent into DuckDB in batches.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from typing import Any

import duckdb

from heliotrope.cohort.cdm import create_tables
from heliotrope.cohort.convert import first_id, insert_rows, vocabulary_rows
from heliotrope.cohort.readers import FINDINGS
from heliotrope.errors import HeliotropeError

__all__ = ["NLP_SYSTEM", "note_rows", "write_note_nlp"]

NLP_SYSTEM = "heliotrope"
_FLAGS = ("negated", "not_performed", "uncertain", "hypothetical", "historical", "family")


def note_rows(note_id: int, text: str, when: date | None, start_id: int) -> list[tuple[Any, ...]]:
    """The NOTE_NLP rows of one note (finding mentions), ids from ``start_id``."""
    from heliotrope.nlp.ingest import ingest_text
    from heliotrope.nlp.reader import read_record

    if not text or not text.strip():
        return []
    document = ingest_text(text, name=f"note {note_id}")
    try:
        result = read_record(document)
    except HeliotropeError:
        return []
    assertions = {
        (located.source.start, located.source.end): located.assertion for located in result.spans
    }
    rows: list[tuple[Any, ...]] = []
    for finding in result.record.findings:
        source = finding.source
        if source is None or finding.status.value == "not_assessed":
            continue
        start, end = source.start or 0, source.end or 0
        assertion = assertions.get((source.start, source.end))
        flags = {name: bool(getattr(assertion, name, False)) for name in _FLAGS}
        flags["negated"] = finding.status.value == "absent"
        asserted = finding.status.value == "present"
        code = finding.code.value
        concept = first_id("finding_" + code) if code in FINDINGS else 0
        rows.append(
            (
                start_id + len(rows),
                note_id,
                0,
                (source.sentence or "")[:250],
                f"{start}-{end}",
                document.text[start:end][:250],
                concept,
                0,
                NLP_SYSTEM,
                when,
                "Y" if asserted else "N",
                "historical" if flags["historical"] else "current",
                ";".join(f"{k}={'true' if v else 'false'}" for k, v in flags.items())
                + f";code={code}"
                + (f";laterality={finding.laterality.value}" if finding.laterality else ""),
            )
        )
    return rows


def _work(batch: list[tuple[int, str, date | None]]) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for note_id, text, when in batch:
        out += note_rows(note_id, text, when, note_id * 1000)
    return out


def _batches(
    con: duckdb.DuckDBPyConnection, size: int
) -> Iterator[list[tuple[int, str, date | None]]]:
    cursor = con.execute("SELECT note_id, note_text, note_date FROM note ORDER BY note_id")
    while True:
        rows = cursor.fetchmany(size)
        if not rows:
            return
        yield [(int(r[0]), str(r[1] or ""), r[2]) for r in rows]


def write_note_nlp(con: duckdb.DuckDBPyConnection, workers: int = 2, batch: int = 50) -> int:
    """Read every NOTE with the text reader into NOTE_NLP (replacing heliotrope's earlier rows);
    returns the number of rows written."""
    create_tables(con)
    have = {r[0] for r in con.execute("SELECT concept_id FROM concept").fetchall()}
    insert_rows(con, {"concept": [r for r in vocabulary_rows()["concept"] if r[0] not in have]})
    con.execute("DELETE FROM note_nlp WHERE nlp_system = ?", [NLP_SYSTEM])
    batches = list(_batches(con, batch))
    written = 0
    if workers <= 1:
        results: Iterator[list[tuple[Any, ...]]] = map(_work, batches)
        for rows in results:
            insert_rows(con, {"note_nlp": rows})
            written += len(rows)
        return written
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for rows in pool.map(_work, batches):
            insert_rows(con, {"note_nlp": rows})
            written += len(rows)
    return written
