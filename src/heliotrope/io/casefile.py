"""Load a case file (YAML or JSON) into a :class:`PatientRecord`.

Problems become :class:`RecordFileError` (cannot read or parse: with the line) or
:class:`RecordValidationError` (breaks the record model: with the field path). Each fact that
has no ``source`` is given one naming the file and its field, so evidence can point back to it.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from heliotrope.errors import (
    DateResolutionError,
    ErrorDetail,
    RecordFileError,
    RecordValidationError,
)
from heliotrope.io.parsing import parse_json, parse_yaml
from heliotrope.limits import MAX_CASE_FILE_BYTES
from heliotrope.model.provenance import Source
from heliotrope.model.record import FACT_LISTS, PatientRecord
from heliotrope.model.resolution import field_path

__all__ = ["MAX_CASE_FILE_BYTES", "load_record", "parse_record"]


def _read_text(path: Path) -> str:
    if not path.is_file():
        raise RecordFileError("The case file does not exist or is not a file.", source=str(path))
    size = path.stat().st_size
    if size > MAX_CASE_FILE_BYTES:
        raise RecordFileError(
            f"The case file is {size} bytes; case files are limited to "
            f"{MAX_CASE_FILE_BYTES} bytes.",
            source=str(path),
        )
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_CASE_FILE_BYTES + 1)
    except OSError as exc:
        raise RecordFileError(
            f"The case file cannot be read: {exc.strerror or exc}.", source=str(path)
        ) from None
    if len(raw) > MAX_CASE_FILE_BYTES:
        raise RecordFileError(
            f"The case file grew past {MAX_CASE_FILE_BYTES} bytes while being read.",
            source=str(path),
        )
    if b"\x00" in raw:
        raise RecordFileError("The case file is binary, not YAML or JSON text.", source=str(path))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RecordFileError(
            f"The case file is not UTF-8 text (byte {exc.start} cannot be decoded).",
            source=str(path),
        ) from None


def _parse(text: str, name: str) -> Any:
    """YAML or JSON by suffix; hostile shapes are refused by :mod:`heliotrope.io.parsing`."""
    if name.endswith(".json"):
        return parse_json(text, name)
    return parse_yaml(text, name)


def _with_sources(data: dict[str, Any], document: str) -> dict[str, Any]:
    out = dict(data)
    for name in FACT_LISTS:
        entries = out.get(name)
        if not isinstance(entries, list):
            continue
        out[name] = [
            {**e, "source": file_source(document, field_path(name, i))}
            if isinstance(e, dict) and "source" not in e
            else e
            for i, e in enumerate(entries)
        ]
    return out


_SOURCE_FIELDS: set[str] = {"document", "field"}


def file_source(document: str, field: str) -> Source:
    """``Source(document=document, field=field)`` made directly (issue 13: a validation per
    fact for two strings the loader itself wrote; the field path is one shared string)."""
    made = Source.__new__(Source)
    values = {
        "document": document,
        "field": field,
        "start": None,
        "end": None,
        "sentence": None,
        "section": None,
        "extractor": None,
    }
    object.__setattr__(made, "__dict__", values)
    object.__setattr__(made, "__pydantic_fields_set__", _SOURCE_FIELDS)
    object.__setattr__(made, "__pydantic_extra__", None)
    object.__setattr__(made, "__pydantic_private__", None)
    return made


def _location(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out or "(top level)"


def parse_record(data: Any, document: str = "<record>") -> PatientRecord:
    """Validate already-parsed case data."""
    if not isinstance(data, dict):
        raise RecordValidationError(
            "A case file must be a mapping with at least an 'id'.", source=document
        )
    try:
        return PatientRecord.model_validate(_with_sources(data, document))
    except ValidationError as exc:
        details = []
        for err in exc.errors(include_url=False):
            # Drop pydantic's union-branch names (e.g. 'date', 'function-after[...]').
            loc = tuple(
                p for p in err["loc"] if not (isinstance(p, str) and ("[" in p or p in _BRANCHES))
            )
            details.append(ErrorDetail(_location(loc), err["msg"].removeprefix("Value error, ")))
        raise RecordValidationError(
            "The case file does not fit the record model.", _dedupe(details), source=document
        ) from None
    except (DateResolutionError, RecordValidationError) as exc:
        exc.source = document
        raise
    except (ArithmeticError, RecursionError) as exc:  # a value no validator anticipated
        raise RecordValidationError(
            f"The case file holds a value out of range ({type(exc).__name__}).", source=document
        ) from None


_BRANCHES = {"str", "constrained-str", "RelativeDate"}


def _dedupe(details: list[ErrorDetail]) -> list[ErrorDetail]:
    seen: set[tuple[str, str]] = set()
    out = []
    for d in details:
        if (d.location, d.message) not in seen:
            seen.add((d.location, d.message))
            out.append(d)
    return out


# Records validated from recent case-file texts (issue 13): records are immutable, so the same
# text under the same name gives the same record, and reloading an unchanged file (the web
# calculator, the CDS service, a cohort re-run) skips parsing and validation.
_RECENT: OrderedDict[tuple[str, str], PatientRecord] = OrderedDict()
_RECENT_LIMIT = 64


def load_record(path: str | Path) -> PatientRecord:
    """Read and validate a case file (``.yaml``, ``.yml`` or ``.json``)."""
    path = Path(path)
    text = _read_text(path)
    key = (str(path), text)
    record = _RECENT.get(key)
    if record is not None:
        _RECENT.move_to_end(key)
        return record
    record = parse_record(_parse(text, str(path)), str(path))
    _RECENT[key] = record
    if len(_RECENT) > _RECENT_LIMIT:
        _RECENT.popitem(last=False)
    return record
