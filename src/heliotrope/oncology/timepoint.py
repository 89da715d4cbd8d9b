"""RECIST 1.1 at one time point: target (spec §9.3), non-target (§9.4) and new lesions (§9.5).

Eisenhauer EA, et al. Eur J Cancer 2009;45:228-247.

Arithmetic is exact: each measurement is read as the decimal it was written as (a
:class:`~fractions.Fraction`), so "exactly 30% smaller" is PR and "exactly 20% and 5 mm larger"
is PD, with no floating-point rounding at the boundary.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from heliotrope.model.record import LesionMeasurement
from heliotrope.model.vocabulary import LesionAssessment, RecistResponse

__all__ = [
    "NewLesions",
    "NonTargetAssessment",
    "TargetAssessment",
    "assess_new_lesions",
    "assess_non_targets",
    "assess_targets",
    "exact_mm",
    "show_mm",
    "show_percent",
]

R = RecistResponse
PR_DECREASE = Fraction(30, 100)  # >= 30% below the baseline sum
PD_INCREASE = Fraction(20, 100)  # >= 20% above the nadir ...
NODE_NORMAL_BELOW = Fraction(10)  # ... and a target node is normal below 10 mm short axis


def exact_mm(value: float) -> Fraction:
    """The decimal a measurement was written as (``12.3`` is exactly 123/10)."""
    return Fraction(repr(value))


def show_mm(value: Fraction) -> str:
    """A length for explanations (``12.5 mm``)."""
    return f"{float(value):g} mm"


def show_percent(change: Fraction) -> str:
    """A signed change for explanations (``-30.0%``)."""
    return f"{float(change * 100):+.1f}%"


def _names(lesions: Sequence[str]) -> str:
    return ", ".join(lesions)


@dataclass(frozen=True)
class TargetAssessment:
    """Target response, the sum of diameters (None unless every target was measured)."""

    response: RecistResponse
    total: Fraction | None
    assessed_total: Fraction
    missing: tuple[str, ...]
    disease_seen: bool
    text: str


def is_progression(total: Fraction, nadir: Fraction, min_increase_mm: Fraction) -> bool:
    """PD: at least 20% above the nadir AND at least ``min_increase_mm`` (5 mm) above it."""
    return total >= nadir * (1 + PD_INCREASE) and total - nadir >= min_increase_mm


def assess_targets(
    baseline: Mapping[str, LesionMeasurement],
    rows: Mapping[str, LesionMeasurement],
    baseline_sum: Fraction,
    nadir: Fraction,
    min_increase_mm: Fraction,
) -> TargetAssessment:
    """Target response at one time point; PD is checked (vs nadir) before PR (vs baseline)."""
    missing = tuple(name for name in baseline if name not in rows)
    sizes = {name: exact_mm(rows[name].mm or 0.0) for name in baseline if name in rows}
    total = sum(sizes.values(), Fraction(0))
    nodal = {name for name in sizes if baseline[name].node}
    disease_seen = any(
        size >= NODE_NORMAL_BELOW if name in nodal else size > 0 for name, size in sizes.items()
    )
    progression = is_progression(total, nadir, min_increase_mm)
    rise = f"{show_mm(total - nadir)} above the nadir of {show_mm(nadir)}"
    if missing:
        if progression:
            text = (
                f"Target lesion(s) {_names(missing)} not assessed, but the assessed targets "
                f"alone sum to {show_mm(total)}, {rise} (at least 20% and "
                f"{show_mm(min_increase_mm)}): target PD."
            )
            return TargetAssessment(R.PD, None, total, missing, disease_seen, text)
        text = (
            f"Target lesion(s) {_names(missing)} not assessed: target response not evaluable "
            f"(NE); the assessed targets sum to {show_mm(total)}, which does not by itself show "
            "progression."
        )
        return TargetAssessment(R.NE, None, total, missing, disease_seen, text)
    change = (total - baseline_sum) / baseline_sum
    head = f"Sum of target diameters {show_mm(total)}, {show_percent(change)} from baseline"
    if nadir != baseline_sum:
        head += f" ({show_mm(baseline_sum)}); nadir {show_mm(nadir)}"
    else:
        head += f" ({show_mm(baseline_sum)}, also the nadir)"
    if progression:
        return TargetAssessment(
            R.PD,
            total,
            total,
            (),
            disease_seen,
            f"{head}: {rise}, at least 20% and {show_mm(min_increase_mm)}: target PD.",
        )
    if not disease_seen:
        note = (
            "; the sum stays above 0 because target nodes keep their short axis"
            if total > 0
            else ""
        )
        return TargetAssessment(
            R.CR,
            total,
            total,
            (),
            False,
            f"{head}: every non-nodal target has disappeared and every target node is under "
            f"10 mm short axis{note}: target CR.",
        )
    if total <= baseline_sum * (1 - PR_DECREASE):
        return TargetAssessment(
            R.PR, total, total, (), True, f"{head}: at least 30% below baseline: target PR."
        )
    return TargetAssessment(
        R.SD,
        total,
        total,
        (),
        True,
        f"{head}: neither 30% below baseline nor 20% and {show_mm(min_increase_mm)} above the "
        "nadir: target SD.",
    )


@dataclass(frozen=True)
class NonTargetAssessment:
    """Non-target response; None when there were no non-target lesions at baseline."""

    response: RecistResponse | None
    disease_seen: bool
    text: str


def assess_non_targets(
    baseline: Sequence[str], rows: Mapping[str, LesionMeasurement]
) -> NonTargetAssessment:
    """PD on unequivocal progression; else NE if any is unassessed; CR if all are absent."""
    if not baseline:
        return NonTargetAssessment(None, False, "No non-target lesions at baseline.")
    progressed = [n for n in baseline if n in rows and _is(rows[n], "unequivocal_progression")]
    present = [n for n in baseline if n in rows and not _is(rows[n], "absent")]
    missing = [n for n in baseline if n not in rows]
    if progressed:
        return NonTargetAssessment(
            R.PD,
            True,
            f"Non-target lesion(s) {_names(progressed)} progressed unequivocally: non-target PD.",
        )
    if missing:
        seen = f"; {_names(present)} present" if present else ""
        return NonTargetAssessment(
            R.NE,
            bool(present),
            f"Non-target lesion(s) {_names(missing)} not assessed{seen}: non-target not all "
            "evaluated (NE).",
        )
    if present:
        return NonTargetAssessment(
            R.non_CR_non_PD,
            True,
            f"Non-target lesion(s) {_names(present)} persist: non-target non-CR/non-PD.",
        )
    return NonTargetAssessment(
        R.CR,
        False,
        "Every non-target lesion is absent: non-target CR (tumour markers, where used, must "
        "also have normalised).",
    )


def _is(row: LesionMeasurement, assessment: str) -> bool:
    return row.assessment is LesionAssessment(assessment)


@dataclass(frozen=True)
class NewLesions:
    status: Literal["yes", "no", "equivocal"]
    text: str


def assess_new_lesions(
    rows: Sequence[LesionMeasurement], confirmed_later: Mapping[str, str]
) -> NewLesions:
    """Unequivocal new lesions are PD; equivocal ones are not, unless a later scan confirms
    them, in which case progression dates back to this scan (spec §9.5).

    ``confirmed_later`` maps an equivocal lesion to the date a later scan confirmed it.
    """
    present = sorted(r.lesion for r in rows if r.assessment is not LesionAssessment.equivocal)
    equivocal = sorted(r.lesion for r in rows if r.assessment is LesionAssessment.equivocal)
    backdated = [n for n in equivocal if n in confirmed_later]
    still_equivocal = [n for n in equivocal if n not in confirmed_later]
    parts: list[str] = []
    if present:
        parts.append(f"New lesion(s) {_names(present)}: progression.")
    for name in backdated:
        parts.append(
            f"New lesion {name} was equivocal here and confirmed on {confirmed_later[name]}: "
            "progression is dated to this scan."
        )
    if still_equivocal:
        parts.append(
            f"Equivocal new lesion(s) {_names(still_equivocal)}: not progression unless a later "
            "scan confirms them."
        )
    if present or backdated:
        return NewLesions("yes", " ".join(parts))
    if still_equivocal:
        return NewLesions("equivocal", " ".join(parts))
    return NewLesions("no", "No new lesions.")
