"""Resolve every date of a record once: partial dates to ranges, relative dates through their
anchors, with clear errors for unknown anchors, cycles and dates in the future."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from heliotrope.errors import DateResolutionError, ErrorDetail
from heliotrope.model.dates import DateRange, DateSpec, RelativeDate, resolve_spec

if TYPE_CHECKING:
    from heliotrope.model.record import PatientRecord

__all__ = [
    "ResolvedDates",
    "dated_fields",
    "field_path",
    "own_resolution",
    "resolve_all",
    "resolve_record_dates",
]


class ResolvedDates:
    """A record's dates resolved once (issue 13), kept privately with the record: every date by
    ``id()`` of its specification (held beside it, so the id cannot be reused) and the list of
    dated fields, for the record object ``owner`` (a copy with other fields lists its own).

    It is a cache, not part of the record's value: any two compare equal, so records that are
    equal field by field stay equal.
    """

    __slots__ = ("by_spec", "fields", "owner")

    def __init__(
        self,
        owner: int,
        by_spec: dict[int, tuple[DateSpec, DateRange]],
        fields: list[tuple[str, str | None, DateSpec]],
    ) -> None:
        self.owner = owner
        self.by_spec = by_spec
        self.fields = fields

    def dated(self) -> list[tuple[str, DateRange]]:
        """(field path, resolved date) of every dated field, in record order."""
        by_spec = self.by_spec
        return [(path, by_spec[id(spec)][1]) for path, _name, spec in self.fields]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ResolvedDates)

    def __hash__(self) -> int:
        return 0


def own_resolution(record: PatientRecord) -> ResolvedDates | None:
    """The record's :class:`ResolvedDates` if it was made for this very object (not a copy)."""
    private = record.__pydantic_private__
    resolved = private.get("_resolved") if private else None
    if isinstance(resolved, ResolvedDates) and resolved.owner == id(record):
        return resolved
    return None


def dated_fields(record: PatientRecord) -> Iterator[tuple[str, str | None, DateSpec]]:
    """(field path, anchor name or None, date) for every date in the record (listed once, on
    validation, and kept with the record: records are immutable)."""
    resolved = own_resolution(record)
    if resolved is not None:
        yield from resolved.fields
        return
    yield from _walk_dates(record)


@lru_cache(maxsize=8192)
def field_path(name: str, index: int, rest: str = "") -> str:
    """``name[index]rest`` (``labs[2].date``), one string object per path for all records
    (issue 13: paths recur from record to record)."""
    return f"{name}[{index}]{rest}"


def _walk_dates(record: PatientRecord) -> Iterator[tuple[str, str | None, DateSpec]]:
    """Every dated field; entries are read through their ``__dict__`` (a pydantic attribute
    miss costs microseconds; only treatments have ``start``, ``stop`` and dose changes)."""
    from heliotrope.model.record import FACT_LISTS

    myositis = record.myositis
    if myositis.onset is not None:
        yield "myositis.onset", "myositis_onset", myositis.onset
    if myositis.diagnosis is not None:
        yield "myositis.diagnosis", "myositis_diagnosis", myositis.diagnosis
    demo = record.demographics
    if demo.birth_date is not None:
        yield "demographics.birth_date", "birth", demo.birth_date
    if demo.age_at is not None:
        yield "demographics.age_at", None, demo.age_at
    values = record.__dict__
    for list_name in FACT_LISTS:
        for index, entry in enumerate(values[list_name]):
            fields = entry.__dict__
            spec = fields.get("date")
            name = fields.get("id")
            if spec is not None:
                yield field_path(list_name, index, ".date"), name, spec
            if "start" not in fields:
                continue
            for end in ("start", "stop"):
                end_spec = fields[end]
                if end_spec is not None:
                    yield (
                        field_path(list_name, index, f".{end}"),
                        f"{name}.{end}" if name else None,
                        end_spec,
                    )
            for n, change in enumerate(fields["dose_changes"]):
                if change.date is not None:
                    yield (
                        field_path(list_name, index, f".dose_changes[{n}].date"),
                        None,
                        change.date,
                    )


def resolve_record_dates(record: PatientRecord, today: date | None = None) -> dict[str, DateRange]:
    """Resolve all named dates; check that every date resolves and none lies in the future."""
    return resolve_all(record, today)[0]


def resolve_all(
    record: PatientRecord, today: date | None = None
) -> tuple[
    dict[str, DateRange],
    dict[int, tuple[DateSpec, DateRange]],
    list[tuple[str, str | None, DateSpec]],
]:
    """(named dates, every date of the record by ``id()`` of its specification, kept beside
    it), each resolved once, so reading a date later is a lookup (issue 13); raises like
    :func:`resolve_record_dates`. Holding the specification keeps its id from being reused.
    The third element lists every dated field (see :func:`dated_fields`)."""
    today = today or date.today()
    fields = list(_walk_dates(record))
    specs: dict[str, tuple[str, DateSpec]] = {}
    problems: list[ErrorDetail] = []
    for path, name, spec in fields:
        if name is None:
            continue
        if name in specs:
            problems.append(ErrorDetail(path, f"the id {name!r} is used twice"))
        specs[name] = (path, spec)
    if problems:
        raise DateResolutionError("The record's ids must be unique.", problems)

    resolved: dict[str, DateRange] = {}
    visiting: list[str] = []

    def visit(name: str) -> DateRange:
        if name in resolved:
            return resolved[name]
        path, spec = specs[name]
        if name in visiting:
            cycle = " -> ".join([*visiting[visiting.index(name) :], name])
            raise DateResolutionError(
                "Relative dates form a cycle.", [ErrorDetail(path, f"cycle: {cycle}")]
            )
        visiting.append(name)
        if isinstance(spec, RelativeDate):
            if spec.anchor not in specs:
                raise _unknown_anchor(path, spec.anchor, specs)
            visit(spec.anchor)
        resolved[name] = _resolve(path, spec, resolved)
        visiting.pop()
        return resolved[name]

    for name in specs:
        visit(name)
    by_spec: dict[int, tuple[DateSpec, DateRange]] = {}
    for path, name, spec in fields:
        if name is not None:  # resolved above, from this very specification
            when = resolved[name]
        else:
            if isinstance(spec, RelativeDate) and spec.anchor not in specs:
                raise _unknown_anchor(path, spec.anchor, specs)
            when = _resolve(path, spec, resolved)
        by_spec[id(spec)] = (spec, when)
        if when.earliest > today:
            problems.append(
                ErrorDetail(path, f"the date {when} is in the future (today is {today})")
            )
    if problems:
        raise DateResolutionError("A date in the record cannot be right.", problems)
    return resolved, by_spec, fields


def _resolve(path: str, spec: DateSpec, resolved: dict[str, DateRange]) -> DateRange:
    """:func:`resolve_spec`, with a date or offset outside the calendar (an offset of 10^9
    days, Feb 30) as a coded error naming the field (issue 12)."""
    try:
        return resolve_spec(spec, resolved)
    except (ValueError, OverflowError) as exc:
        raise DateResolutionError(
            "A date in the record is outside the calendar.",
            [ErrorDetail(path, f"{str(spec)[:120]} gives no date in years 1-9999 ({exc})")],
        ) from None


def _unknown_anchor(
    path: str, anchor: str, specs: dict[str, tuple[str, DateSpec]]
) -> DateResolutionError:
    known = ", ".join(sorted(specs)) or "none"
    return DateResolutionError(
        "A relative date names an anchor that does not exist.",
        [ErrorDetail(path, f"anchor {anchor!r} is not an id in this record (known: {known})")],
    )
