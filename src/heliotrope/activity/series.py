"""Dated activity points of a record, for plots and timelines (long format: one point per
measure per date).

Measures: the fields of each dated :class:`ActivityAssessment` (MMT-8, CDASI, global
activities, HAQ) and ``max_enzyme_x_uln``, the most abnormal core-set muscle enzyme (CK,
aldolase, LDH, AST, ALT) as a multiple of the lab's ULN among results of the same date.
Undated entries are left out; a partial date is plotted at its midpoint.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from heliotrope.activity.core_set import TIS_ENZYMES
from heliotrope.model.dates import DateRange
from heliotrope.model.record import PatientRecord

__all__ = ["SERIES_MEASURES", "ActivityPoint", "activity_series"]

# measure -> scale maximum (None: open-ended)
SERIES_MEASURES: dict[str, float | None] = {
    "mmt8": 80.0,
    "mmt8_bilateral": 150.0,
    "cdasi_activity": 100.0,
    "cdasi_damage": 32.0,
    "physician_global": 10.0,
    "patient_global": 10.0,
    "extramuscular_global": 10.0,
    "haq": 3.0,
    "max_enzyme_x_uln": None,
}
_ORDER = {name: i for i, name in enumerate(SERIES_MEASURES)}


class ActivityPoint(BaseModel):
    """One measure on one date; ``date`` is the midpoint of ``earliest``..``latest``."""

    model_config = ConfigDict(frozen=True)

    date: dt.date
    earliest: dt.date
    latest: dt.date
    measure: str
    value: float
    maximum: float | None = None
    path: str
    analyte: str | None = None


def _point(when: DateRange, measure: str, value: float, path: str, **extra: str) -> ActivityPoint:
    return ActivityPoint(
        date=when.mid,
        earliest=when.earliest,
        latest=when.latest,
        measure=measure,
        value=value,
        maximum=SERIES_MEASURES[measure],
        path=path,
        **extra,
    )


def activity_series(record: PatientRecord) -> list[ActivityPoint]:
    """Every dated activity measure and daily maximum enzyme ×ULN, sorted by date."""
    points: list[ActivityPoint] = []
    for index, assessment in enumerate(record.activity):
        when = record.date_of(assessment.date)
        if when is None:
            continue
        for measure in SERIES_MEASURES:
            value = getattr(assessment, measure, None)
            if value is not None:
                points.append(_point(when, measure, float(value), f"activity[{index}]"))

    worst: dict[DateRange, tuple[float, int]] = {}
    for index, lab in enumerate(record.labs):
        times = lab.times_uln
        when = record.date_of(lab.date)
        if lab.analyte not in TIS_ENZYMES or times is None or when is None:
            continue
        if when not in worst or times > worst[when][0]:
            worst[when] = (times, index)
    for when, (times, index) in worst.items():
        analyte = record.labs[index].analyte.value
        points.append(_point(when, "max_enzyme_x_uln", times, f"labs[{index}]", analyte=analyte))
    points.sort(key=lambda p: (p.date, p.earliest, _ORDER[p.measure], p.path))
    return points
