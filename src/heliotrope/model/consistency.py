"""Impossible records are refused; implausible ones are flagged (issue 12, item 2).

**Contradictions** raise :class:`~heliotrope.errors.RecordValidationError` (HT101, exit 2),
each detail naming *both* fields:

- a birth date after any other date of the record (onset, diagnosis, a lab, an event...);
- a treatment that stops before it starts;
- myositis onset after its diagnosis.

Dates are ranges (``"2020"`` is the whole year): a pair is a contradiction only when it is
certain, i.e. the whole of one range lies after the whole of the other. Values that cannot be
(negative, infinite or not-a-number values, a lab given as ``true``, a reference range whose
low is above its high) are refused by the field validators of ``model.record``; dates in the
future are refused by ``model.resolution`` (HT102).

**Implausible but possible** values are accepted with a warning that the record carries
(:attr:`PatientRecord.plausibility_warnings`) and every assessment output shows. Thresholds,
chosen well beyond the values reported in myositis and rhabdomyolysis series, so that a warning
most likely means a typing or unit error:

==========================  =====================  ==============================================
what                        threshold              why
==========================  =====================  ==============================================
CK                          ≥ 100,000 U/L          rhabdomyolysis peaks rarely pass 10^5 U/L
LDH                         ≥ 20,000 U/L
AST, ALT                    ≥ 10,000 U/L           ischaemic hepatitis peaks are of this order
aldolase                    ≥ 1,000 U/L
CRP                         > 500 mg/L             assays report up to a few hundred mg/L
ESR                         > 150 mm/h             the Westergren column is 200 mm
any ranged lab              > 1,000 × ULN          most likely a unit error
age (years) on any date     > 105
a date                      before 1900
a lesion diameter           > 300 mm
==========================  =====================  ==============================================
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from heliotrope.errors import ErrorDetail, RecordValidationError
from heliotrope.model.dates import DateRange, DateSpec
from heliotrope.model.vocabulary import Analyte

if TYPE_CHECKING:
    from heliotrope.model.record import PatientRecord

__all__ = [
    "ENZYME_LIMITS",
    "MAX_AGE_YEARS",
    "MAX_LESION_MM",
    "MAX_TIMES_ULN",
    "check_contradictions",
    "dated",
    "plausibility_warnings",
]

#: Canonical-unit values at or above which a lab is flagged (the table above).
ENZYME_LIMITS: dict[Analyte, float] = {
    Analyte.ck: 100_000.0,
    Analyte.ldh: 20_000.0,
    Analyte.ast: 10_000.0,
    Analyte.alt: 10_000.0,
    Analyte.aldolase: 1_000.0,
}
#: Strictly above these (mg/L, mm/h) a value is flagged.
MARKER_LIMITS: dict[Analyte, float] = {Analyte.crp: 500.0, Analyte.esr: 150.0}
MAX_TIMES_ULN = 1_000.0
MAX_AGE_YEARS = 105.0
MAX_LESION_MM = 300.0
EARLIEST_PLAUSIBLE = date(1900, 1, 1)


def dated(record: PatientRecord) -> list[tuple[str, DateRange]]:
    """(field path, resolved date) of every date in the record, in one pass (the same fields
    as ``model.resolution.dated_fields``, read without pydantic's slow attribute misses);
    from the dates resolved on validation when the record has them (issue 13)."""
    from heliotrope.model.record import FACT_LISTS
    from heliotrope.model.resolution import own_resolution

    resolution = own_resolution(record)
    if resolution is not None:
        return resolution.dated()
    out: list[tuple[str, DateRange]] = []

    def add(path: str, spec: DateSpec | None) -> None:
        when = record.date_of(spec)
        if when is not None:
            out.append((path, when))

    add("myositis.onset", record.myositis.onset)
    add("myositis.diagnosis", record.myositis.diagnosis)
    add("demographics.birth_date", record.demographics.birth_date)
    add("demographics.age_at", record.demographics.age_at)
    for name in FACT_LISTS:
        for index, entry in enumerate(getattr(record, name)):
            fields = type(entry).model_fields
            path = f"{name}[{index}]"
            if "date" in fields:
                add(f"{path}.date", entry.date)
            if "start" in fields:
                add(f"{path}.start", entry.start)
                add(f"{path}.stop", entry.stop)
                for n, change in enumerate(entry.dose_changes):
                    add(f"{path}.dose_changes[{n}].date", change.date)
    return out


def check_contradictions(
    record: PatientRecord, dates: list[tuple[str, DateRange]] | None = None
) -> None:
    """Raise :class:`RecordValidationError` naming both fields of every contradiction."""
    problems: list[ErrorDetail] = []
    demo = record.demographics
    birth = record.date_of(demo.birth_date)
    if birth is not None:
        for path, when in dated(record) if dates is None else dates:
            if path != "demographics.birth_date" and when.latest < birth.earliest:
                problems.append(
                    ErrorDetail(
                        f"demographics.birth_date, {path}",
                        f"birth ({birth}) is after {path} ({when}): a date of the record cannot "
                        "come before the patient's birth",
                    )
                )
    onset = record.date_of(record.myositis.onset)
    diagnosis = record.date_of(record.myositis.diagnosis)
    if onset is not None and diagnosis is not None and diagnosis.latest < onset.earliest:
        problems.append(
            ErrorDetail(
                "myositis.onset, myositis.diagnosis",
                f"onset ({onset}) is after myositis.diagnosis ({diagnosis}): the first symptom "
                "cannot follow the diagnosis",
            )
        )
    for index, treatment in enumerate(record.treatments):
        start, stop = record.date_of(treatment.start), record.date_of(treatment.stop)
        if start is not None and stop is not None and stop.latest < start.earliest:
            problems.append(
                ErrorDetail(
                    f"treatments[{index}].start, treatments[{index}].stop",
                    f"stop ({stop}) is before treatments[{index}].start ({start})",
                )
            )
    if problems:
        raise RecordValidationError(
            "The record contradicts itself: these dates cannot all be right.", problems
        )


def plausibility_warnings(
    record: PatientRecord, dates: list[tuple[str, DateRange]] | None = None
) -> tuple[str, ...]:
    """Warnings for values that are possible but most likely wrong (module docstring)."""
    out: list[str] = []
    for index, lab in enumerate(record.labs):
        where = f"labs[{index}]"
        value = lab.canonical_value
        limit = ENZYME_LIMITS.get(lab.analyte)
        if limit is not None and value >= limit:
            out.append(
                f"{where}: {lab.analyte.value.upper()} {lab.value:g} {lab.unit} is at or above "
                f"{limit:,.0f} U/L: implausible, check the value and its unit"
            )
            continue
        marker = MARKER_LIMITS.get(lab.analyte)
        if marker is not None and value > marker:
            out.append(
                f"{where}: {lab.analyte.value.upper()} {lab.value:g} {lab.unit} is above "
                f"{marker:g}: implausible, check the value and its unit"
            )
            continue
        times = lab.times_uln
        if times is not None and times > MAX_TIMES_ULN:
            out.append(
                f"{where}: {lab.analyte.value.upper()} is {times:,.0f} × the upper limit of "
                "normal: implausible, check the value, its unit and the range's unit"
            )
    demo = record.demographics
    if demo.age_years is not None and demo.age_years > MAX_AGE_YEARS:
        out.append(f"demographics.age_years: {demo.age_years:g} years is above {MAX_AGE_YEARS:g}")
    birth = record.date_of(demo.birth_date)
    oldest = None
    for path, when in dated(record) if dates is None else dates:
        if when.earliest < EARLIEST_PLAUSIBLE:
            out.append(f"{path}: {when} is before {EARLIEST_PLAUSIBLE.year}")
        if birth is not None and path != "demographics.birth_date":
            age = (when.latest - birth.earliest).days / 365.25
            if age > MAX_AGE_YEARS and (oldest is None or age > oldest[1]):
                oldest = (path, age)
    if oldest is not None:
        out.append(
            f"{oldest[0]}: the patient would be {oldest[1]:.0f} years old then (above "
            f"{MAX_AGE_YEARS:g}); check demographics.birth_date"
        )
    for index, row in enumerate(record.lesions):
        if row.mm is not None and row.mm > MAX_LESION_MM:
            out.append(
                f"lesions[{index}]: {row.mm:g} mm is above {MAX_LESION_MM:g} mm: implausible "
                "for one lesion diameter"
            )
    return tuple(out)
