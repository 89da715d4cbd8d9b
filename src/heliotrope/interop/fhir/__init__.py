"""FHIR R4 in and out.

* :func:`read_fhir_file` / :func:`read_fhir_text`: a Bundle, a resource or ndjson →
  :class:`FhirReadReport` (``.record`` plus what was used and what was not read, and why).
* :func:`record_bundle` / :func:`export_bundle`: a record (and its results) → a FHIR R4
  collection Bundle (see ``writer`` and ``results``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from heliotrope.interop.fhir.errors import FhirInputError
from heliotrope.interop.fhir.parse import MAX_ENTRIES, ParsedInput, parse_fhir, parse_fhir_text
from heliotrope.interop.fhir.reader import read_resources
from heliotrope.interop.fhir.report import FhirReadReport, Unread

__all__ = [
    "MAX_BYTES",
    "MAX_ENTRIES",
    "FhirInputError",
    "FhirReadReport",
    "ParsedInput",
    "Unread",
    "read_fhir_data",
    "read_fhir_file",
    "read_fhir_text",
]

#: FHIR files larger than this are refused before parsing.
MAX_BYTES = 200 * 1024 * 1024


def read_fhir_text(
    text: str, source: str = "<fhir>", *, ndjson: bool = False, patient_id: str | None = None
) -> FhirReadReport:
    """Read FHIR JSON (or ndjson) text into a record."""
    return read_resources(
        parse_fhir_text(text, source, ndjson=ndjson), source, patient_id=patient_id
    )


def read_fhir_data(
    data: Any, source: str = "<fhir>", *, patient_id: str | None = None
) -> FhirReadReport:
    """Read already-parsed FHIR JSON (a Bundle, a resource or a list of resources)."""
    return read_resources(parse_fhir(data, source), source, patient_id=patient_id)


def read_fhir_file(path: str | Path, *, patient_id: str | None = None) -> FhirReadReport:
    """Read a FHIR ``.json`` (Bundle or resource) or ``.ndjson`` file into a record."""
    path = Path(path)
    source = str(path)
    if not path.is_file():
        raise FhirInputError("The FHIR file does not exist or is not a file.", source=source)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise FhirInputError(
            f"The FHIR file is {size} bytes; the limit is {MAX_BYTES} bytes.", source=source
        )
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FhirInputError(
            f"The FHIR file is not UTF-8 text (byte {exc.start} cannot be decoded).",
            source=source,
        ) from None
    ndjson = path.suffix.lower() == ".ndjson"
    return read_fhir_text(text, source, ndjson=ndjson, patient_id=patient_id)
