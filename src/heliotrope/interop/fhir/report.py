"""What the FHIR reader did: the record, the resources it used, and everything it did not read
(with the resource, the element and the reason), so no content is ever dropped silently."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from heliotrope.model.record import PatientRecord

__all__ = ["FhirReadReport", "Unread"]


@dataclass(frozen=True)
class Unread:
    """Content the reader did not turn into a record fact, and why."""

    resource: str
    element: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"resource": self.resource, "element": self.element, "reason": self.reason}


@dataclass(frozen=True)
class FhirReadReport:
    """The record read from FHIR input, with the reader's account of the input."""

    record: PatientRecord
    source: str
    used: tuple[str, ...] = ()
    unread: tuple[Unread, ...] = ()
    types_not_read: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def resource_count(self) -> int:
        return (
            len(self.used)
            + len({u.resource for u in self.unread if u.element == "*"})
            + sum(self.types_not_read.values())
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "used": list(self.used),
            "unread": [u.to_json() for u in self.unread],
            "types_not_read": dict(sorted(self.types_not_read.items())),
            "notes": list(self.notes),
        }
