"""RECIST 1.1 response from a lesion table: every time point, and the best overall response.

Eisenhauer EA, Therasse P, Bogaerts J, et al. New response evaluation criteria in solid
tumours: revised RECIST guideline (version 1.1). Eur J Cancer 2009;45:228-247 (spec §9).

Steps, each in its own module:

1. Read and check the lesion table (``lesion_table``) and the baseline target selection:
   measurable, at most 5 targets and 2 per organ (``measurability``, spec §9.1-9.2).
2. At each follow-up date: target response from the sum of diameters (PD vs the nadir, checked
   before PR vs baseline), non-target response and new lesions (``timepoint``, §9.3-9.5).
3. Overall response from Table 4 (target disease) or Table 5 (non-target disease only)
   (``tables``, §9.6-9.7). After a CR, disease seen again is PD (Table 3 footnote): a target
   lesion measured again, or a non-nodal non-target lesion present again; a non-target lymph
   node merely visible again is not unequivocal progression (non-CR/non-PD).
4. Best overall response with and without confirmation (``best_response``, §9.8).

Changes (``change_from_baseline``, ``change_from_nadir``) are signed percentages: -30.0 is a
30% decrease. ``change_from_nadir`` compares with the nadir *before* that time point, the
reference for progression (None while the nadir is 0). Baseline is the earliest date; it is
not a time point of its own.

Example::

    >>> from heliotrope.oncology.recist import evaluate_recist, read_lesion_csv
    >>> result = evaluate_recist(read_lesion_csv("examples/founding-case-lesions.csv"))
    >>> [t.overall.value for t in result.timepoints], result.best_overall.value
    (['SD', 'SD', 'PD'], 'SD')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from heliotrope.errors import DateResolutionError, ErrorDetail, LesionTableError
from heliotrope.model.dates import DateRange, DateSpec, RelativeDate, resolve_spec
from heliotrope.model.record import LesionMeasurement
from heliotrope.model.vocabulary import LesionAssessment, LesionKind, RecistResponse
from heliotrope.oncology.best_response import Assessment, best_overall_response
from heliotrope.oncology.lesion_table import (
    LocatedRow,
    check_rows,
    field_location,
    lesion_key,
    order_key,
    read_lesion_csv,
)
from heliotrope.oncology.measurability import (
    NODE_NORMAL_BELOW_MM,
    BaselineTarget,
    check_baseline_targets,
)
from heliotrope.oncology.reported import ReportedTimepoint, reported_timepoints
from heliotrope.oncology.tables import time_point_response
from heliotrope.oncology.timepoint import (
    assess_new_lesions,
    assess_non_targets,
    assess_targets,
    exact_mm,
)

__all__ = [
    "CITATION",
    "VERSION",
    "RecistOptions",
    "RecistResult",
    "ReportedTimepoint",
    "TimepointResult",
    "evaluate_recist",
    "read_lesion_csv",
    "reported_timepoints",
]

R = RecistResponse
ID = "recist_1_1"
VERSION = "oncology.recist_1_1.v1"
TITLE = "RECIST 1.1 tumour response"
CITATION = (
    "Eisenhauer EA, Therasse P, Bogaerts J, et al. New response evaluation criteria in solid "
    "tumours: revised RECIST guideline (version 1.1). Eur J Cancer 2009;45:228-247. "
    "doi:10.1016/j.ejca.2008.10.026"
)
TIMEPOINT_KEYS = (
    "date",
    "target",
    "non_target",
    "new_lesions",
    "overall",
    "sum_mm",
    "change_from_baseline",
    "change_from_nadir",
    "explanation",
)


class RecistOptions(BaseModel):
    """Protocol choices RECIST 1.1 leaves open, and two interpretation switches."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_sd_days: int = Field(
        default=42, ge=0, description="minimum interval from baseline for SD (6-8 weeks)"
    )
    confirm_days: int = Field(
        default=28, ge=0, description="minimum interval for a confirming CR/PR assessment"
    )
    slice_thickness_mm: float | None = Field(
        default=None,
        gt=0,
        description="CT slice thickness; above 5 mm a measurable lesion needs 2x the slice",
    )
    pd_min_increase_mm: float = Field(
        default=5.0, ge=0, description="absolute increase PD needs (RECIST 1.1: 5 mm)"
    )
    backdate_confirmed_new_lesions: bool = Field(
        default=True,
        description="an equivocal new lesion confirmed later is PD from its first scan (§9.5)",
    )
    cr_doubtful: bool = Field(
        default=False,
        description="a CR followed by a PR was doubtful: it counts as PR (Table 3 footnote)",
    )
    study_entry: dt.date | None = Field(
        default=None,
        description="date of study entry (start of treatment): the minimum SD interval counts "
        "from it (RECIST 1.1 section 4.4); without it the baseline scan date stands in, and "
        "the explanation says which was used",
    )


class TimepointResult(BaseModel):
    """One follow-up time point; ``target``/``non_target`` are None when there is no such
    disease; ``new_lesions`` is yes, no or equivocal; changes are signed percentages."""

    model_config = ConfigDict(frozen=True)

    date: str
    target: RecistResponse | None
    non_target: RecistResponse | None
    new_lesions: Literal["yes", "no", "equivocal"]
    overall: RecistResponse
    sum_mm: float | None
    change_from_baseline: float | None
    change_from_nadir: float | None
    explanation: str


class RecistResult(BaseModel):
    """RECIST 1.1 for one patient: time points and best overall response."""

    model_config = ConfigDict(frozen=True)

    id: Literal["recist_1_1"] = "recist_1_1"
    version: str = VERSION
    title: str = TITLE
    citation: str = CITATION
    disease: Literal["target", "non_target_only"]
    baseline_date: str
    baseline_sum_mm: float | None
    nadir_sum_mm: float | None
    nadir_date: str | None
    timepoints: list[TimepointResult]
    best_overall: RecistResponse
    best_overall_explanation: str
    best_overall_unconfirmed: RecistResponse
    best_overall_unconfirmed_explanation: str
    options: RecistOptions
    warnings: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON with the spec's Appendix A response codes."""
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "disease": self.disease,
            "baseline": {"date": self.baseline_date, "sum_mm": self.baseline_sum_mm},
            "nadir": {"date": self.nadir_date, "sum_mm": self.nadir_sum_mm},
            "change_unit": "percent",
            "timepoints": [
                t.model_dump(mode="json", include=set(TIMEPOINT_KEYS)) for t in self.timepoints
            ],
            "best_overall": self.best_overall.value,
            "best_overall_explanation": self.best_overall_explanation,
            "best_overall_unconfirmed": self.best_overall_unconfirmed.value,
            "best_overall_unconfirmed_explanation": self.best_overall_unconfirmed_explanation,
            "options": self.options.model_dump(mode="json"),
            "warnings": list(self.warnings),
            "notes": list(self.notes),
            "citation": self.citation,
        }


# -- reading the rows -------------------------------------------------------------------------


def _where(row: LesionMeasurement, index: int) -> str:
    if row.source is not None and row.source.field:
        return row.source.field
    return f"row {index + 1}"


def _document(rows: Sequence[LesionMeasurement]) -> str | None:
    documents = {r.source.document for r in rows if r.source is not None}
    return documents.pop() if len(documents) == 1 else None


def _resolve(
    spec: DateSpec, resolve: Callable[[DateSpec], DateRange | None] | None
) -> DateRange | str:
    """The row's date, or why it cannot be used."""
    if resolve is None:
        if isinstance(spec, RelativeDate):
            return (
                f"the relative date (after {spec.anchor!r}) needs the case file: "
                "pass resolve=record.date_of"
            )
        when = resolve_spec(spec, {})
        if not when.exact:
            return (
                f"{spec!r} is not an exact date; give YYYY-MM-DD or pass a resolver "
                "(resolve=record.date_of)"
            )
        return when
    try:
        resolved = resolve(spec)
    except (KeyError, DateResolutionError) as exc:
        return f"the date cannot be resolved ({exc})"
    return resolved if resolved is not None else "the date cannot be resolved"


def _locate(
    rows: Sequence[LesionMeasurement],
    resolve: Callable[[DateSpec], DateRange | None] | None,
) -> tuple[list[LocatedRow], list[ErrorDetail]]:
    located: list[LocatedRow] = []
    problems: list[ErrorDetail] = []
    for index, row in enumerate(rows):
        where = _where(row, index)
        when = _resolve(row.date, resolve)
        if isinstance(when, str):
            problems.append(ErrorDetail(field_location(where, "date"), when))
        else:
            located.append(LocatedRow(where, row, when))
    return located, problems


# -- evaluation -------------------------------------------------------------------------------


def _percent(value: Fraction) -> float:
    return round(float(value * 100), 1)


def _confirmations(
    located: Sequence[LocatedRow], dates: Sequence[DateRange]
) -> dict[tuple[str, DateRange], str]:
    """(equivocal new lesion, date) -> the later date a scan showed it unequivocally."""
    out: dict[tuple[str, DateRange], str] = {}
    news = [r for r in located if r.row.kind is LesionKind.new]
    for item in news:
        if item.row.assessment is not LesionAssessment.equivocal:
            continue
        later = [
            other.when
            for other in news
            if other.row.lesion == item.row.lesion
            and other.row.assessment is not LesionAssessment.equivocal
            and dates.index(other.when) > dates.index(item.when)
        ]
        if later:
            out[(item.row.lesion, item.when)] = str(min(later, key=order_key))
    return out


def _row_warnings(located: Sequence[LocatedRow], baseline: DateRange) -> list[str]:
    warnings: list[str] = []
    for item in located:
        row = item.row
        if row.kind is LesionKind.target or row.mm is None:
            continue
        if row.kind is LesionKind.non_target and row.node and item.when == baseline:
            if row.mm < NODE_NORMAL_BELOW_MM:
                warnings.append(
                    f"Non-target node {row.lesion!r} measures {row.mm:g} mm short axis at "
                    f"baseline: under 10 mm a node is normal, not a lesion ({item.where})."
                )
            continue
        warnings.append(
            f"The size given for {row.kind.value} lesion {row.lesion!r} on {item.when} is not "
            f"used: RECIST follows such lesions by their assessment ({item.where})."
        )
    return warnings


def evaluate_recist(
    measurements: Sequence[LesionMeasurement],
    options: RecistOptions | None = None,
    resolve: Callable[[DateSpec], DateRange | None] | None = None,
) -> RecistResult:
    """RECIST 1.1 time-point and best overall responses for one patient's lesion table.

    ``resolve`` turns relative or partial dates into date ranges (``record.date_of`` for a
    case file's ``lesions``); without it every date must be exact. Raises
    :class:`~heliotrope.errors.LesionTableError` naming each problem's row and field.
    """
    options = options or RecistOptions()
    document = _document(measurements)
    if not measurements:
        raise LesionTableError("The lesion table has no rows.", source=document)
    located, problems = _locate(measurements, resolve)
    problems += check_rows(located)
    dates = sorted({r.when for r in located}, key=order_key)
    baseline = dates[0] if dates else None
    targets = sorted(
        (r for r in located if r.row.kind is LesionKind.target and r.when == baseline),
        key=lambda r: lesion_key(r.row.lesion),
    )
    found, warnings = check_baseline_targets(
        [BaselineTarget(r.where, r.row, str(r.when)) for r in targets],
        options.slice_thickness_mm,
    )
    problems += found
    if problems or baseline is None:
        raise LesionTableError(
            "The lesion table cannot be used for RECIST 1.1.", problems, source=document
        )
    located.sort(key=lambda r: (order_key(r.when), lesion_key(r.row.lesion)))
    warnings += _row_warnings(located, baseline)
    for before, after in pairwise(dates):
        if after.earliest <= before.latest:
            warnings.append(
                f"The dates {before} and {after} overlap, so their order is uncertain; "
                "they are ordered by their midpoints."
            )
    return _evaluate(located, dates, options, warnings)


@dataclass(frozen=True)
class _Baseline:
    """What every follow-up is compared with."""

    when: DateRange
    targets: dict[str, LesionMeasurement]
    non_targets: list[str]
    total: Fraction
    options: RecistOptions
    confirmed: dict[tuple[str, DateRange], str]


def _timepoint(
    base: _Baseline,
    when: DateRange,
    rows: Sequence[LesionMeasurement],
    nadir: Fraction,
    last_cr: DateRange | None,
) -> tuple[TimepointResult, Fraction | None]:
    """One follow-up date: its result and its complete sum of diameters (if any)."""
    by_kind = {
        kind: {r.lesion: r for r in rows if r.kind is kind}
        for kind in (LesionKind.target, LesionKind.non_target)
    }
    parts: list[str] = []
    target = None
    if base.targets:
        target = assess_targets(
            base.targets,
            by_kind[LesionKind.target],
            base.total,
            nadir,
            exact_mm(base.options.pd_min_increase_mm),
        )
        parts.append(target.text)
    non_target = assess_non_targets(base.non_targets, by_kind[LesionKind.non_target])
    parts.append(non_target.text)
    new = assess_new_lesions(
        [r for r in rows if r.kind is LesionKind.new],
        {lesion: later for (lesion, day), later in base.confirmed.items() if day == when},
    )
    parts.append(new.text)
    decision = time_point_response(
        target.response if target else None, non_target.response, new.status == "yes"
    )
    overall = decision.overall
    parts.append(f"Overall: {decision.describe()}.")
    # A non-target *node* merely visible again after a CR is not unequivocal progression
    # (issue 7): it counts as disease seen again only through a non-nodal non-target.
    non_nodal_seen = any(
        row.assessment is not LesionAssessment.absent and not row.node
        for name, row in by_kind[LesionKind.non_target].items()
        if name in base.non_targets
    )
    disease = (target is not None and target.disease_seen) or (
        non_target.disease_seen and non_nodal_seen
    )
    # Disease after a CR is PD (Table 3 footnote); a doubtful CR followed by PR stays PR.
    kept = base.options.cr_doubtful and overall is R.PR
    if last_cr is not None and disease and not kept and overall not in (R.CR, R.PD):
        overall = R.PD
        parts.append(
            f"After the complete response on {last_cr}, disease is seen again: PD "
            "(RECIST 1.1 Table 3 footnote)."
        )
    total = target.total if target else None
    result = TimepointResult(
        date=str(when),
        target=target.response if target else None,
        non_target=non_target.response,
        new_lesions=new.status,
        overall=overall,
        sum_mm=float(total) if total is not None else None,
        change_from_baseline=(
            _percent((total - base.total) / base.total) if total is not None else None
        ),
        change_from_nadir=(
            _percent((total - nadir) / nadir) if total is not None and nadir else None
        ),
        explanation=" ".join(parts),
    )
    return result, total


def _evaluate(
    located: Sequence[LocatedRow],
    dates: Sequence[DateRange],
    options: RecistOptions,
    warnings: list[str],
) -> RecistResult:
    at_baseline = [r.row for r in located if r.when == dates[0]]
    targets = {r.lesion: r for r in at_baseline if r.kind is LesionKind.target}
    base = _Baseline(
        when=dates[0],
        targets=targets,
        non_targets=[r.lesion for r in at_baseline if r.kind is LesionKind.non_target],
        total=sum((exact_mm(r.mm or 0.0) for r in targets.values()), Fraction(0)),
        options=options,
        confirmed=(
            _confirmations(located, dates) if options.backdate_confirmed_new_lesions else {}
        ),
    )
    nadir, nadir_date = base.total, base.when
    timepoints: list[TimepointResult] = []
    last_cr: DateRange | None = None
    notes: list[str] = []
    for when in dates[1:]:
        rows = [r.row for r in located if r.when == when]
        point, total = _timepoint(base, when, rows, nadir, last_cr)
        timepoints.append(point)
        if point.overall is R.CR:
            last_cr = when
        if point.new_lesions == "equivocal":
            notes.append(f"{when}: equivocal new lesion(s), not counted as progression.")
        if total is not None and total < nadir:
            nadir, nadir_date = total, when
    if any(t.overall is R.CR for t in timepoints):
        notes.append(
            "CR assumes any tumour markers have normalised; the lesion table does not record them."
        )
    non_target_only = not base.targets
    assessments = [Assessment(w, t.overall) for w, t in zip(dates[1:], timepoints, strict=True)]
    if options.study_entry is not None:
        entry = DateRange(options.study_entry, options.study_entry)
        entry_label = f"study entry ({options.study_entry.isoformat()})"
    else:
        entry, entry_label = base.when, "baseline (no study entry date given)"
    bor = {
        confirm: best_overall_response(
            assessments,
            entry,
            confirmation=confirm,
            min_sd_days=options.min_sd_days,
            confirm_days=options.confirm_days,
            cr_doubtful=options.cr_doubtful,
            non_target_only=non_target_only,
            entry_label=entry_label,
        )
        for confirm in (True, False)
    }
    for found in bor.values():
        warnings += [w for w in found.warnings if w not in warnings]
    return RecistResult(
        disease="non_target_only" if non_target_only else "target",
        baseline_date=str(base.when),
        baseline_sum_mm=None if non_target_only else float(base.total),
        nadir_sum_mm=None if non_target_only else float(nadir),
        nadir_date=None if non_target_only else str(nadir_date),
        timepoints=timepoints,
        best_overall=bor[True].response,
        best_overall_explanation=bor[True].explanation,
        best_overall_unconfirmed=bor[False].response,
        best_overall_unconfirmed_explanation=bor[False].explanation,
        options=options,
        warnings=warnings,
        notes=notes,
    )
