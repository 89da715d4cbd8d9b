"""The timeline: every dated fact on one axis, DM activity per date, alerts that read it, and
DM activity beside tumour burden per interval.

The founding case's lesson is temporal (Merry E, et al. Clin Sarcoma Res 2020;10:15): the DM
rash came with the sarcoma, faded on doxorubicin, and its flare two months after chemotherapy
heralded multifocal progression. ``build_timeline(record)`` lays that out and raises
``timeline.restage_alert.v1`` at the flare.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from heliotrope.model.record import PatientRecord
from heliotrope.timeline.activity import ActivityPoint, activity_points
from heliotrope.timeline.alerts import RESTAGE_ID, SCREEN_ID, Alert, alerts_for
from heliotrope.timeline.events import (
    RecistPoint,
    TimelineEvent,
    build_events,
    recist_points,
    undated_paths,
)
from heliotrope.timeline.intervals import Interval, TumourPoint, build_intervals, tumour_points
from heliotrope.timeline.treatments import TreatmentBar, treatment_bars

__all__ = [
    "RESTAGE_ID",
    "SCREEN_ID",
    "ActivityPoint",
    "Alert",
    "Interval",
    "RecistPoint",
    "Timeline",
    "TimelineEvent",
    "TreatmentBar",
    "TumourPoint",
    "build_timeline",
    "nominal_dates",
]

_NOMINAL = re.compile(r"\bnominal\b", re.IGNORECASE)


def nominal_dates(record: PatientRecord) -> bool:
    """Does the record say its dates are nominal (in its notes or any fact's note)?"""
    texts = [record.notes or ""]
    for _path, entry in record.iter_facts():
        texts += [getattr(entry, name, None) or "" for name in ("note", "description")]
    return any(_NOMINAL.search(text) for text in texts if isinstance(text, str))


@dataclass(frozen=True)
class Timeline:
    """Everything the ``timeline`` command shows for one patient."""

    patient_id: str
    events: tuple[TimelineEvent, ...]
    activity: tuple[ActivityPoint, ...]
    alerts: tuple[Alert, ...]
    tumour: tuple[TumourPoint, ...]
    intervals: tuple[Interval, ...]
    undated: tuple[str, ...]
    nominal: bool
    treatments: tuple[TreatmentBar, ...] = ()
    recist: tuple[RecistPoint, ...] = ()
    warnings: tuple[str, ...] = ()  # implausible record values (model.consistency)

    @property
    def restage_alerts(self) -> tuple[Alert, ...]:
        return tuple(a for a in self.alerts if a.id == RESTAGE_ID and a.level == "alert")

    def to_json(self) -> dict[str, Any]:
        return {
            "patient_id": self.patient_id,
            "events": [e.to_json() for e in self.events],
            "alerts": [a.to_json() for a in self.alerts],
            "intervals": [i.to_json() for i in self.intervals],
            "activity": [p.to_json() for p in self.activity],
            "tumour": [t.to_json() for t in self.tumour],
            "treatments": [t.to_json() for t in self.treatments],
            "undated": list(self.undated),
            "nominal_dates": self.nominal,
            "warnings": list(self.warnings),
        }


def build_timeline(record: PatientRecord) -> Timeline:
    """The timeline of one record (RECIST computed when ``record.lesions`` is not empty)."""
    recist = recist_points(record)
    events = build_events(record, recist)
    activity = activity_points(record)
    tumour = tumour_points(record, recist)
    return Timeline(
        patient_id=record.id,
        events=events,
        activity=activity,
        alerts=alerts_for(record, activity),
        tumour=tumour,
        intervals=build_intervals(record, tumour, activity, events),
        undated=undated_paths(record),
        nominal=nominal_dates(record),
        treatments=treatment_bars(record),
        recist=recist,
        warnings=record.plausibility_warnings,
    )
