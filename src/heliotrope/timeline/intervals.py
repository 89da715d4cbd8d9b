"""DM activity and tumour burden side by side, interval by interval.

The intervals run between consecutive tumour assessments (a reported response from
``tumour_assessments``, or a RECIST 1.1 time point computed from the lesion table — the computed
one is shown first when both fall on one date). An interval ``(start, end]`` holds the DM activity
assessed after ``start`` and up to ``end``, the treatments given in it, and the tumour status at
each end. DM activity before the first assessment forms a leading interval, and anything after
the last one an open trailing interval, so that no assessment drops out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any, Literal

from heliotrope.model.dates import DateRange
from heliotrope.model.record import PatientRecord
from heliotrope.timeline.activity import ActivityPoint
from heliotrope.timeline.events import RecistPoint, TimelineEvent
from heliotrope.timeline.treatments import treatment_label, treatment_span

__all__ = ["Interval", "TumourPoint", "build_intervals", "tumour_points"]


@dataclass(frozen=True)
class TumourPoint:
    """Tumour status at one assessment: computed RECIST, or the reported verdict."""

    when: DateRange
    status: str | None
    origin: Literal["computed", "reported"] | None
    sum_mm: float | None = None
    reported: str | None = None
    path: str = ""

    @property
    def label(self) -> str:
        if self.status is None:
            return "assessed, no verdict"
        text = f"{self.status} ({self.origin})"
        if self.sum_mm is not None:
            text += f", {self.sum_mm:g} mm"
        if self.origin == "computed" and self.reported:
            text += f"; reported {self.reported}"
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "date": str(self.when),
            "status": self.status,
            "origin": self.origin,
            "reported": self.reported,
            "sum_mm": self.sum_mm,
            "path": self.path,
            "label": self.label,
        }


def tumour_points(
    record: PatientRecord, recist: Sequence[RecistPoint] = ()
) -> tuple[TumourPoint, ...]:
    """Every dated tumour assessment, merged with the computed RECIST points by date."""
    points: dict[DateRange, TumourPoint] = {}
    for index, entry in enumerate(record.tumour_assessments):
        when = record.date_of(entry.date)
        if when is None:
            continue
        verdict = entry.reported_response.value if entry.reported_response else None
        points[when] = TumourPoint(
            when, verdict, "reported" if verdict else None, path=f"tumour_assessments[{index}]"
        )
    for point in recist:
        status = "baseline" if point.overall == "baseline" else point.overall
        old = points.get(point.when)
        points[point.when] = TumourPoint(
            point.when,
            status,
            "computed",
            point.sum_mm,
            reported=old.status if old is not None else None,
            path=old.path if old is not None else f"lesions@{point.when}",
        )
    return tuple(sorted(points.values(), key=lambda p: (p.when.mid, p.when.earliest)))


@dataclass(frozen=True)
class Interval:
    """One interval between tumour assessments, with DM activity and treatments in it."""

    start: TumourPoint | None
    end: TumourPoint | None
    last: date
    activity: tuple[ActivityPoint, ...]
    treatments: dict[str, tuple[str, ...]]

    @property
    def tumour_text(self) -> str:
        first = self.start.label if self.start else "before the first assessment"
        last = self.end.label if self.end else "not yet reassessed"
        return f"{first} → {last}"

    @property
    def flares(self) -> tuple[ActivityPoint, ...]:
        return tuple(p for p in self.activity if p.flare == "yes")

    def dm_summary(self) -> dict[str, Any]:
        points = self.activity
        if not points:
            return {"assessments": 0, "text": "DM activity not assessed"}
        skins = [p.skin for p in points if p.skin is not None]
        muscles = [p.muscle for p in points if p.muscle is not None]
        enzymes = [p.enzymes.highest for p in points if p.enzymes and p.enzymes.highest]
        peak_skin = max(skins, key=lambda s: s.score) if skins else None
        weak = [m for m in muscles if m.is_weak]
        parts = []
        if peak_skin is not None:
            parts.append(f"skin {peak_skin.label}")
        if muscles:
            parts.append(weak[0].label if weak else "no weakness")
        peak_enzyme = max(enzymes, key=lambda e: e[1]) if enzymes else None
        if peak_enzyme is not None:
            parts.append(f"peak {peak_enzyme[0].value.upper()} {peak_enzyme[1]:.2f}×ULN")
        mmt8 = [p.measures.mmt8 for p in points if p.measures and p.measures.mmt8 is not None]
        cdasi = [
            p.measures.cdasi_activity
            for p in points
            if p.measures and p.measures.cdasi_activity is not None
        ]
        if mmt8:
            parts.append(f"lowest MMT-8 {min(mmt8):g}")
        if cdasi:
            parts.append(f"highest CDASI {max(cdasi):g}")
        changes = [
            f"{p.when}: {c.text}"
            for p in points
            for c in p.changes.values()
            if c.trend in ("new", "worse", "better", "resolved")
        ]
        flares = [str(p.when) for p in self.flares]
        text = "; ".join(parts)
        if flares:
            text += " — FLARE " + ", ".join(flares)
        return {
            "assessments": len(points),
            "skin_score_peak": peak_skin.score if peak_skin else None,
            "weakness": None if not muscles else bool(weak),
            "enzyme_peak_uln": round(peak_enzyme[1], 3) if peak_enzyme else None,
            "mmt8_lowest": min(mmt8) if mmt8 else None,
            "cdasi_highest": max(cdasi) if cdasi else None,
            "flares": flares,
            "changes": changes,
            "text": text,
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "start": str(self.start.when) if self.start else None,
            "end": str(self.end.when) if self.end else None,
            "open": self.end is None,
            "tumour": {
                "start": self.start.to_json() if self.start else None,
                "end": self.end.to_json() if self.end else None,
                "text": self.tumour_text,
            },
            "dm_activity": self.dm_summary(),
            "treatments": {k: list(v) for k, v in self.treatments.items()},
        }


def _treatments_in(
    record: PatientRecord, low: date | None, high: date
) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {"cancer": [], "myositis": [], "other": []}
    for entry in record.treatments:
        span = treatment_span(record, entry)
        if span is None:
            continue
        begin, stop = span
        after_low = low is None or stop is None or stop > low
        if begin <= high and after_low:
            out[entry.target].append(treatment_label(entry))
    return {k: tuple(v) for k, v in out.items()}


def build_intervals(
    record: PatientRecord,
    tumour: Sequence[TumourPoint],
    activity: Sequence[ActivityPoint],
    events: Sequence[TimelineEvent],
) -> tuple[Interval, ...]:
    """The side-by-side intervals (empty when there is no dated tumour assessment)."""
    if not tumour:
        return ()
    out = []
    first = tumour[0].when.mid
    before = tuple(p for p in activity if p.when.mid < first)
    if before:
        low = before[0].when.mid
        out.append(Interval(None, tumour[0], first, before, _treatments_in(record, low, first)))
    for start, end in pairwise(tumour):
        low, high = start.when.mid, end.when.mid
        inside = tuple(p for p in activity if low < p.when.mid <= high)
        out.append(Interval(start, end, high, inside, _treatments_in(record, low, high)))
    last = tumour[-1].when.mid
    later = [e.when.mid for e in events if e.when.mid > last]
    if later:
        high = max(later)
        inside = tuple(p for p in activity if p.when.mid > last)
        out.append(Interval(tumour[-1], None, high, inside, _treatments_in(record, last, high)))
    return tuple(out)
