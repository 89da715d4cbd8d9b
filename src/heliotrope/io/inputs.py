"""One entry point for every kind of patient input: :func:`load_input`.

A case file (YAML/JSON), a FHIR R4 Bundle or ndjson, or a clinical document (text, HTML, PDF)
becomes the same :class:`~heliotrope.model.record.PatientRecord`. Every front end (CLI commands,
the web app, the CDS Hooks service) calls this function, so they can never read the same file
differently. The heavy readers (text, FHIR) are imported only when needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from heliotrope.io.casefile import load_record

if TYPE_CHECKING:
    from heliotrope.interop.fhir import FhirReadReport
    from heliotrope.model.record import PatientRecord
    from heliotrope.nlp.reader import ReadResult

__all__ = ["DOCUMENT_SUFFIXES", "InputKind", "LoadedInput", "input_kind", "load_input"]

InputKind = Literal["casefile", "document", "fhir"]


@dataclass(frozen=True)
class LoadedInput:
    """A record and how it was obtained: ``extraction`` for text, ``fhir`` for FHIR input
    (the reader's report of what it used and what it could not read)."""

    record: PatientRecord
    kind: InputKind
    extraction: ReadResult | None = None
    fhir: FhirReadReport | None = None


#: Clinical documents, read by the text reader (``heliotrope.nlp.reader.TEXT_SUFFIXES``
#: is this set: the suffix is checked here without importing the reader).
DOCUMENT_SUFFIXES = frozenset({".txt", ".text", ".html", ".htm", ".pdf"})


def input_kind(path: Path) -> InputKind:
    """Which reader a file needs, from its suffix (and, for JSON, its first bytes)."""
    if path.suffix.lower() in DOCUMENT_SUFFIXES:
        return "document"
    suffix = path.suffix.lower()
    if suffix == ".ndjson":
        return "fhir"
    if suffix == ".json" and _looks_like_fhir(path):
        return "fhir"
    return "casefile"


def _looks_like_fhir(path: Path) -> bool:
    """A JSON document that names a FHIR ``resourceType`` in its first 4 kB."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return b'"resourceType"' in head


def load_input(path: str | Path, *, nominal_dates: bool = True) -> LoadedInput:
    """Read ``path`` into a record, whatever its kind (raises coded ``HeliotropeError``)."""
    path = Path(path)
    kind = input_kind(path)
    if kind == "document":
        from heliotrope.nlp.reader import read_record

        result = read_record(path, nominal_dates=nominal_dates)
        return LoadedInput(record=result.record, kind=kind, extraction=result)
    if kind == "fhir":
        from heliotrope.interop.fhir import read_fhir_file

        report = read_fhir_file(path)
        return LoadedInput(record=report.record, kind=kind, fhir=report)
    return LoadedInput(record=load_record(path), kind=kind)
