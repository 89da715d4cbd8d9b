"""The FHIR reader's error: which resource, which element, and why (never patient values)."""

from __future__ import annotations

from dataclasses import dataclass

from heliotrope.errors import ErrorDetail, InputError

__all__ = ["FhirInputError", "fhir_error"]


@dataclass
class FhirInputError(InputError):
    """FHIR input that cannot be read: malformed JSON, a resource of the wrong type, an unknown
    code in a heliotrope CodeSystem, a unit pint cannot convert, a dangling reference, or a
    Bundle over the size limit. ``details`` name ``Type/id.element``."""

    code: str = "HT120"


def fhir_error(message: str, where: str, why: str, source: str | None = None) -> FhirInputError:
    """One error with one located detail."""
    return FhirInputError(message, [ErrorDetail(where, why)], source=source)
