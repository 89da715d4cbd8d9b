"""Small readers of FHIR datatypes shared by the reader: codings, dates, extensions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from heliotrope.model.dates import PARTIAL_DATE_PATTERN

__all__ = [
    "codings",
    "concept_text",
    "extension",
    "extensions",
    "fhir_date",
    "has_code",
    "period_date",
    "reference_id",
]

import re

_PARTIAL = re.compile(PARTIAL_DATE_PATTERN)


def codings(concept: Any) -> Iterator[tuple[str, str, str]]:
    """(system, code, display) of every coding of a CodeableConcept (or Coding)."""
    if not isinstance(concept, dict):
        return
    items = concept.get("coding") if "coding" in concept else [concept]
    for coding in items or []:
        if isinstance(coding, dict):
            yield (
                str(coding.get("system") or ""),
                str(coding.get("code") or ""),
                str(coding.get("display") or ""),
            )


def has_code(concept: Any, system: str, code: str) -> bool:
    return any(s == system and c == code for s, c, _ in codings(concept))


def concept_text(concept: Any) -> str:
    """The concept's text, else its first display, else its first code."""
    if not isinstance(concept, dict):
        return ""
    if concept.get("text"):
        return str(concept["text"])
    for _system, code, display in codings(concept):
        if display:
            return display
        if code:
            return code
    return ""


def fhir_date(value: Any) -> str | None:
    """A FHIR date or dateTime as a record date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``);
    the time of day is dropped."""
    if not isinstance(value, str) or not value:
        return None
    day = value.split("T", 1)[0]
    return day if _PARTIAL.match(day) else None


def period_date(period: Any) -> tuple[str | None, str | None]:
    """(start, end) of a Period as record dates."""
    if not isinstance(period, dict):
        return None, None
    return fhir_date(period.get("start")), fhir_date(period.get("end"))


def extensions(element: Any, url: str) -> list[dict[str, Any]]:
    if not isinstance(element, dict):
        return []
    return [e for e in element.get("extension") or [] if e.get("url") == url]


def extension(element: Any, url: str) -> dict[str, Any] | None:
    found = extensions(element, url)
    return found[0] if found else None


def reference_id(reference: Any) -> str | None:
    """The ``reference`` string of a Reference, or None."""
    if isinstance(reference, dict) and isinstance(reference.get("reference"), str):
        return str(reference["reference"])
    return None
