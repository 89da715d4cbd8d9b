"""Every dated fact of a record on one axis.

Each fact becomes a :class:`TimelineEvent`: its resolved date (a :class:`DateRange`; relative
dates go through ``record.date_of``, partial dates stay ranges), a kind, a one-line summary
(``heliotrope.model.describe``), the record path it came from and its source. Events sort by the
range's midpoint, then its ends, then a fixed order of kinds, then the record path, so the order
never depends on how the case file was written. Undated facts are listed apart
(:func:`undated_paths`).

Tumour assessments are the radiologist's *reported* verdicts; RECIST time points computed from
``record.lesions`` (``heliotrope.oncology``, Eisenhauer et al. Eur J Cancer 2009;45:228-247)
are added with origin ``computed``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from heliotrope.model.dates import DateRange
from heliotrope.model.describe import describe
from heliotrope.model.record import PatientRecord, Treatment

__all__ = [
    "KIND_ORDER",
    "RecistPoint",
    "TimelineEvent",
    "build_events",
    "parse_range",
    "path_key",
    "recist_points",
    "undated_paths",
]

Origin = Literal["record", "computed"]

#: Order of kinds on the same date: what happened, then what was found, then what was started.
KIND_ORDER: tuple[str, ...] = (
    "myositis_onset",
    "myositis_diagnosis",
    "event",
    "cancer_diagnosis",
    "tumour_assessment",
    "recist",
    "finding",
    "activity",
    "lab",
    "antibody",
    "investigation",
    "treatment_stop",
    "dose_change",
    "treatment_start",
)
_RANK = {kind: index for index, kind in enumerate(KIND_ORDER)}
_NUMBER = re.compile(r"(\d+)")
_LIST_KINDS = {
    "findings": "finding",
    "labs": "lab",
    "lab_statements": "lab",
    "antibodies": "antibody",
    "investigations": "investigation",
    "cancers": "cancer_diagnosis",
    "tumour_assessments": "tumour_assessment",
    "activity": "activity",
    "events": "event",
}


@dataclass(frozen=True)
class TimelineEvent:
    """One dated fact (or one end of a treatment) on the timeline."""

    when: DateRange
    kind: str
    summary: str
    path: str
    source: str | None = None
    detail: str | None = None
    origin: Origin = "record"

    @property
    def sort_key(self) -> tuple[date, date, date, int, tuple[tuple[int, str], ...]]:
        return (
            self.when.mid,
            self.when.earliest,
            self.when.latest,
            _RANK.get(self.kind, len(_RANK)),
            path_key(self.path),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "date": str(self.when),
            "earliest": self.when.earliest.isoformat(),
            "latest": self.when.latest.isoformat(),
            "exact": self.when.exact,
            "kind": self.kind,
            "summary": self.summary,
            "detail": self.detail,
            "path": self.path,
            "source": self.source,
            "origin": self.origin,
        }


def path_key(path: str) -> tuple[tuple[int, str], ...]:
    """Sort key of a record path with its indices as numbers (``labs[2]`` before ``labs[10]``)."""
    return tuple(
        (int(part), "") if part.isdigit() else (-1, part) for part in _NUMBER.split(path) if part
    )


def _source(entry: Any) -> str | None:
    source = getattr(entry, "source", None)
    return source.where() if source is not None else None


def _detail(entry: Any) -> str | None:
    texts = [
        getattr(entry, name, None)
        for name in ("description", "summary", "note")
        if isinstance(getattr(entry, name, None), str)
    ]
    unique = list(dict.fromkeys(t for t in texts if t))
    return " — ".join(unique) if unique else None


def _treatment_events(
    record: PatientRecord, path: str, entry: Treatment
) -> Iterator[TimelineEvent]:
    base = describe(entry)
    source = _source(entry)
    undated = [c for c in entry.dose_changes if c.date is None]
    start = record.date_of(entry.start) or record.date_of(entry.date)
    if start is not None:
        extras = []
        if entry.cycles is not None:
            extras.append(f"{entry.cycles} cycles")
        if entry.dose:
            extras.append(entry.dose)
        for change in undated:
            why = f" ({change.reason})" if change.reason else ""
            extras.append(f"dose change {change.change}{why}, date not given")
        summary = f"{base} — start" + (f" ({'; '.join(extras)})" if extras else "")
        field = "start" if entry.start is not None else "date"
        yield TimelineEvent(
            start, "treatment_start", summary, f"{path}.{field}", source, _detail(entry)
        )
    stop = record.date_of(entry.stop)
    if stop is not None:
        yield TimelineEvent(stop, "treatment_stop", f"{base} — stop", f"{path}.stop", source)
    for index, change in enumerate(entry.dose_changes):
        when = record.date_of(change.date)
        if when is None:
            continue
        why = f" ({change.reason})" if change.reason else ""
        yield TimelineEvent(
            when,
            "dose_change",
            f"{base} — dose change {change.change}{why}",
            f"{path}.dose_changes[{index}]",
            source,
        )


def _record_events(record: PatientRecord) -> Iterator[TimelineEvent]:
    myositis = record.myositis
    for name, spec in (("onset", myositis.onset), ("diagnosis", myositis.diagnosis)):
        when = record.date_of(spec)
        if when is not None:
            yield TimelineEvent(when, f"myositis_{name}", f"myositis {name}", f"myositis.{name}")
    for path, entry in record.iter_facts():
        if isinstance(entry, Treatment):
            yield from _treatment_events(record, path, entry)
            continue
        kind = _LIST_KINDS.get(path.split("[", 1)[0])
        if kind is None:  # lesion rows: summarised by the RECIST time points
            continue
        when = record.date_of(getattr(entry, "date", None))
        if when is None:
            continue
        yield TimelineEvent(when, kind, describe(entry), path, _source(entry), _detail(entry))


def parse_range(text: str) -> DateRange:
    """Read back ``str(DateRange)`` ("2019-03-14" or "2019-03-01..2019-03-31")."""
    first, _, last = text.partition("..")
    start = date.fromisoformat(first)
    return DateRange(start, date.fromisoformat(last) if last else start)


@dataclass(frozen=True)
class RecistPoint:
    """A RECIST 1.1 time point computed from the lesion table."""

    when: DateRange
    overall: str
    sum_mm: float | None
    explanation: str = ""


def recist_points(record: PatientRecord) -> tuple[RecistPoint, ...]:
    """Computed RECIST time points (empty without lesions). Uses ``heliotrope.oncology``;
    a lesion table it rejects raises its :class:`~heliotrope.errors.LesionTableError`."""
    if not record.lesions:
        return ()
    from heliotrope.oncology.recist import evaluate_recist

    result = evaluate_recist(record.lesions, resolve=record.date_of)
    points = [RecistPoint(parse_range(result.baseline_date), "baseline", result.baseline_sum_mm)]
    for point in result.timepoints:
        overall = getattr(point.overall, "value", point.overall)
        points.append(
            RecistPoint(parse_range(point.date), str(overall), point.sum_mm, point.explanation)
        )
    return tuple(points)


def _recist_events(points: tuple[RecistPoint, ...]) -> Iterator[TimelineEvent]:
    for index, point in enumerate(points):
        size = f", sum of diameters {point.sum_mm:g} mm" if point.sum_mm is not None else ""
        label = "baseline" if point.overall == "baseline" else point.overall
        yield TimelineEvent(
            point.when,
            "recist",
            f"RECIST 1.1 {label} (computed){size}",
            f"lesions@{point.when}" if index else f"lesions@{point.when} (baseline)",
            detail=point.explanation or None,
            origin="computed",
        )


def build_events(
    record: PatientRecord, recist: tuple[RecistPoint, ...] = ()
) -> tuple[TimelineEvent, ...]:
    """Every dated fact of ``record`` (and the computed RECIST points), in date order."""
    events = [*_record_events(record), *_recist_events(recist)]
    return tuple(sorted(events, key=lambda e: e.sort_key))


def undated_paths(record: PatientRecord) -> tuple[str, ...]:
    """Facts with no date at all: they cannot be placed on the axis."""
    out = []
    for path, entry in record.iter_facts():
        if path.startswith("lesions"):
            continue
        specs = [getattr(entry, name, None) for name in ("date", "start", "stop")]
        if all(spec is None for spec in specs):
            out.append(path)
    return tuple(out)
