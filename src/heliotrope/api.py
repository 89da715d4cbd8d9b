"""The public API: assess a record with every (or chosen) criterion."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from heliotrope import __version__
from heliotrope.criteria.registry import select
from heliotrope.logic import CLASSIFICATION_DISCLAIMER, Context, CriterionResult
from heliotrope.logic.result import frozen_slots
from heliotrope.model.record import PatientRecord

__all__ = ["Assessment", "assess"]


@frozen_slots
@dataclass(frozen=True, slots=True, kw_only=True)
class Assessment:
    """All results for one patient, with the heliotrope version that produced them (a
    slotted frozen dataclass, made here from values built with their types: issue 13)."""

    patient_id: str
    heliotrope_version: str = __version__
    assessed_on: date = field(default_factory=date.today)
    disclaimer: str = CLASSIFICATION_DISCLAIMER
    options: dict[str, Any] = field(default_factory=dict)
    results: dict[str, CriterionResult]
    #: implausible record values, accepted (model.consistency)
    warnings: tuple[str, ...] = ()

    def to_json(self, *, trace: bool = False) -> dict[str, Any]:
        return {
            "patient_id": self.patient_id,
            "heliotrope_version": self.heliotrope_version,
            "assessed_on": self.assessed_on.isoformat(),
            "disclaimer": self.disclaimer,
            "options": self.options,
            "warnings": list(self.warnings),
            "results": {k: v.to_json(trace=trace) for k, v in self.results.items()},
        }


def assess(
    record: PatientRecord,
    criteria: Sequence[str] | None = None,
    options: Mapping[str, Any] | None = None,
    as_of: date | None = None,
) -> Assessment:
    """Evaluate ``criteria`` (default: all) for ``record``.

    ``as_of`` is the assessment date (default today): ongoing treatments and screening windows
    are measured to it, so a fixed ``as_of`` makes an assessment reproducible.
    """
    context = Context(options=dict(options or {}), as_of=as_of)
    results = {entry.id: entry.assess(record, context) for entry in select(criteria)}
    return Assessment(
        patient_id=record.id,
        heliotrope_version=__version__,
        assessed_on=as_of or date.today(),
        disclaimer=CLASSIFICATION_DISCLAIMER,
        options=dict(context.options),
        results=results,
        warnings=tuple(record.plausibility_warnings),
    )
