"""Property tests: what must hold for every lesion table, not just the worked examples."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from heliotrope.model.record import LesionMeasurement
from heliotrope.model.vocabulary import LesionAssessment, LesionKind
from heliotrope.model.vocabulary import RecistResponse as R
from heliotrope.oncology.recist import RecistOptions, RecistResult, evaluate_recist

from .helpers import START

RANK = {R.CR: 4, R.PR: 3, R.SD: 2, R.non_CR_non_PD: 2, R.PD: 1, R.NE: 0}
TARGET_OVERALL = {R.CR, R.PR, R.SD, R.PD, R.NE}
NON_TARGET_OVERALL = {R.CR, R.non_CR_non_PD, R.PD, R.NE}


@st.composite
def tables(draw: st.DrawFn, with_targets: bool | None = None) -> list[LesionMeasurement]:
    """Valid lesion tables: up to 5 non-nodal targets, 0-2 non-targets, 1-4 follow-ups,
    sizes in whole millimetres, some lesions not assessed, some new lesions."""
    has_targets = draw(st.booleans()) if with_targets is None else with_targets
    n_targets = draw(st.integers(1, 5)) if has_targets else 0
    n_non_targets = draw(st.integers(0 if has_targets else 1, 2))
    day = START
    rows: list[LesionMeasurement] = []
    for i in range(n_targets):
        mm = draw(st.integers(10, 80))
        rows.append(_row(day, f"T{i}", LesionKind.target, mm=mm))
    for i in range(n_non_targets):
        rows.append(_row(day, f"NT{i}", LesionKind.non_target, assessment="present"))
    for visit in range(draw(st.integers(1, 4))):
        day = day + timedelta(days=draw(st.integers(14, 70)))
        for i in range(n_targets):
            if draw(st.integers(0, 9)) > 0:  # about one in ten not assessed
                rows.append(_row(day, f"T{i}", LesionKind.target, mm=draw(st.integers(0, 120))))
        for i in range(n_non_targets):
            if draw(st.integers(0, 9)) > 0:
                assessment = draw(st.sampled_from(["present", "absent", "unequivocal_progression"]))
                rows.append(_row(day, f"NT{i}", LesionKind.non_target, assessment=assessment))
        if draw(st.integers(0, 5)) == 0:
            assessment = draw(st.sampled_from(["present", "equivocal"]))
            rows.append(_row(day, f"NEW{visit}", LesionKind.new, assessment=assessment))
    return rows


def _row(
    day: object,
    lesion: str,
    kind: LesionKind,
    mm: float | None = None,
    assessment: str | None = None,
) -> LesionMeasurement:
    return LesionMeasurement(
        date=day,  # type: ignore[arg-type]
        lesion=lesion,
        organ=lesion.lower(),
        kind=kind,
        mm=mm,
        assessment=LesionAssessment(assessment) if assessment else None,
    )


def _scaled(rows: list[LesionMeasurement], factor: int) -> list[LesionMeasurement]:
    return [r.model_copy(update={"mm": r.mm * factor if r.mm is not None else None}) for r in rows]


def _categories(result: RecistResult) -> list[tuple[R | None, R | None, str, R]]:
    return [(t.target, t.non_target, t.new_lesions, t.overall) for t in result.timepoints]


@settings(deadline=None, max_examples=150)
@given(rows=tables(), order=st.randoms(use_true_random=False))
def test_response_never_depends_on_row_order(rows: list[LesionMeasurement], order: object) -> None:
    shuffled = list(rows)
    order.shuffle(shuffled)  # type: ignore[attr-defined]
    assert evaluate_recist(shuffled).to_json() == evaluate_recist(rows).to_json()


@settings(deadline=None, max_examples=150)
@given(rows=tables(), factor=st.integers(1, 6))
def test_scaling_every_size_and_the_5_mm_rule_never_changes_a_category(
    rows: list[LesionMeasurement], factor: int
) -> None:
    """PR and PD are relative; scaling sizes by k >= 1 (keeping measurable lesions measurable)
    changes nothing once the 5 mm absolute rule is scaled with them."""
    plain = evaluate_recist(rows)
    scaled = evaluate_recist(_scaled(rows, factor), RecistOptions(pd_min_increase_mm=5 * factor))
    assert _categories(scaled) == _categories(plain)
    assert scaled.best_overall is plain.best_overall
    assert scaled.best_overall_unconfirmed is plain.best_overall_unconfirmed
    assert [t.change_from_baseline for t in scaled.timepoints] == [
        t.change_from_baseline for t in plain.timepoints
    ]


@settings(deadline=None, max_examples=150)
@given(rows=tables(with_targets=True), factor=st.integers(1, 6))
def test_scaling_up_keeps_progression(rows: list[LesionMeasurement], factor: int) -> None:
    """With the fixed 5 mm rule, larger sizes can only make a time point PD, never undo one."""
    plain = evaluate_recist(rows)
    scaled = evaluate_recist(_scaled(rows, factor))
    for before, after in zip(plain.timepoints, scaled.timepoints, strict=True):
        if before.target is R.PD:
            assert after.target is R.PD
        if after.target is not before.target:
            assert after.target is R.PD


@settings(deadline=None, max_examples=150)
@given(rows=tables())
def test_responses_come_from_the_right_table(rows: list[LesionMeasurement]) -> None:
    result = evaluate_recist(rows)
    allowed = NON_TARGET_OVERALL if result.disease == "non_target_only" else TARGET_OVERALL
    for point in result.timepoints:
        assert point.overall in allowed
        if point.new_lesions == "yes" or R.PD in (point.target, point.non_target):
            assert point.overall is R.PD
        if point.target is R.NE and point.overall is not R.PD:
            assert point.overall is R.NE
    assert result.best_overall in allowed
    # Requiring confirmation can only lower the best response.
    assert RANK[result.best_overall] <= RANK[result.best_overall_unconfirmed]


@settings(deadline=None, max_examples=100)
@given(rows=tables(), data=st.data())
def test_an_unequivocal_new_lesion_always_makes_progression(
    rows: list[LesionMeasurement], data: st.DataObject
) -> None:
    when = START + timedelta(days=data.draw(st.integers(1, 300)))
    added = [*rows, _row(when, "NEW-added", LesionKind.new, assessment="present")]
    result = evaluate_recist(added)
    point = next(t for t in result.timepoints if t.date == str(when))
    assert point.overall is R.PD
