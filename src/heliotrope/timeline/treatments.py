"""Treatments as spans on the time axis: start to stop, a single day for surgery or radiotherapy
given without a stop, open-ended for a drug with no stop (still given when the record ends)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from heliotrope.model.record import PatientRecord, Treatment

__all__ = ["TreatmentBar", "treatment_bars", "treatment_label", "treatment_span"]

_SINGLE_DAY = ("surgery", "radiotherapy")


def treatment_span(record: PatientRecord, entry: Treatment) -> tuple[date, date | None] | None:
    """(start, stop) midpoints; stop is None for a drug still given, start for a single day."""
    start = record.date_of(entry.start) or record.date_of(entry.date)
    if start is None:
        return None
    stop = record.date_of(entry.stop)
    if stop is not None:
        return start.mid, stop.mid
    if entry.kind.value in _SINGLE_DAY:
        return start.mid, start.mid
    return start.mid, None


def treatment_label(entry: Treatment) -> str:
    """The drug, with its line of therapy when given."""
    return f"{entry.drug} (line {entry.line})" if entry.line else entry.drug


@dataclass(frozen=True)
class TreatmentBar:
    """One treatment on the axis."""

    label: str
    kind: str
    target: str
    line: int | None
    start: date
    stop: date | None
    path: str

    @property
    def single_day(self) -> bool:
        return self.stop == self.start

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "kind": self.kind,
            "target": self.target,
            "line": self.line,
            "start": self.start.isoformat(),
            "stop": self.stop.isoformat() if self.stop else None,
            "path": self.path,
        }


def treatment_bars(record: PatientRecord) -> tuple[TreatmentBar, ...]:
    """Every dated treatment, in order of start."""
    bars = []
    for index, entry in enumerate(record.treatments):
        span = treatment_span(record, entry)
        if span is None:
            continue
        bars.append(
            TreatmentBar(
                treatment_label(entry),
                entry.kind.value,
                entry.target,
                entry.line,
                span[0],
                span[1],
                f"treatments[{index}]",
            )
        )
    return tuple(sorted(bars, key=lambda b: (b.start, b.path)))
