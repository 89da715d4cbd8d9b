"""RECIST 1.1 time-point rules (spec §9.3-9.5): sums, nadir, boundaries, nodes, NE, new lesions."""

from __future__ import annotations

import pytest

from heliotrope.model.vocabulary import RecistResponse as R
from heliotrope.oncology.recist import RecistOptions, RecistResult, evaluate_recist

from .helpers import scans


def _run(table: dict[int | str, dict[str, float | str]], **options: object) -> RecistResult:
    return evaluate_recist(scans(table), RecistOptions.model_validate(options))


def _targets(result: RecistResult) -> list[R | None]:
    return [t.target for t in result.timepoints]


def _overall(result: RecistResult) -> list[R]:
    return [t.overall for t in result.timepoints]


# -- target lesions: sum, PR vs baseline, PD vs nadir ----------------------------------------


def test_sum_of_diameters_adds_longest_diameters_and_node_short_axes() -> None:
    result = _run({0: {"T1": 30, "T2": 12.5, "LN1": 18}, 42: {"T1": 30, "T2": 12.5, "LN1": 18}})
    assert result.baseline_sum_mm == 60.5
    assert result.timepoints[0].sum_mm == 60.5
    assert result.timepoints[0].change_from_baseline == 0.0


@pytest.mark.parametrize(
    ("follow_up", "expected"),
    [(70, R.PR), (70.1, R.SD), (69.9, R.PR)],
    ids=["exactly-30pct", "29.9pct", "30.1pct"],
)
def test_partial_response_at_exactly_30_percent(follow_up: float, expected: R) -> None:
    result = _run({0: {"T1": 60, "T2": 40}, 42: {"T1": follow_up - 40, "T2": 40}})
    assert _targets(result) == [expected]


def test_exact_decimal_arithmetic_at_the_pr_boundary() -> None:
    # 33.3 mm -> 23.31 mm is a 30% decrease exactly; floating point would say 29.99...%.
    result = _run({0: {"T1": 13.3, "T2": 20}, 42: {"T1": 3.31, "T2": 20}})
    assert _targets(result) == [R.PR]
    assert result.timepoints[0].change_from_baseline == -30.0


def test_progression_is_measured_from_the_nadir_not_the_baseline() -> None:
    # 100 -> 60 (PR, new nadir) -> 72: still 28% below baseline, but +20% and +12 mm over nadir.
    result = _run({0: {"T1": 100}, 42: {"T1": 60}, 84: {"T1": 72}})
    assert _targets(result) == [R.PR, R.PD]
    last = result.timepoints[1]
    assert last.change_from_baseline == -28.0
    assert last.change_from_nadir == 20.0
    assert result.nadir_sum_mm == 60.0


@pytest.mark.parametrize(
    ("baseline", "follow_up", "expected"),
    [
        (20, 24, R.SD),  # +20% but only +4 mm
        (20, 24.9, R.SD),  # +24.5% but +4.9 mm
        (20, 25, R.PD),  # +25% and +5 mm exactly
        (50, 60, R.PD),  # +20% exactly and +10 mm
        (50, 59.9, R.SD),  # +19.8%
        (100, 119, R.SD),  # +19 mm but only +19%
    ],
)
def test_progression_needs_20_percent_and_5_mm(
    baseline: float, follow_up: float, expected: R
) -> None:
    result = _run({0: {"T1": baseline}, 42: {"T1": follow_up}})
    assert _targets(result) == [expected]


def test_progression_is_checked_before_partial_response() -> None:
    # 100 -> 10 (PR, nadir 10) -> 20: still 80% below baseline (PR) but +100% and +10 mm: PD.
    result = _run({0: {"T1": 100}, 42: {"T1": 10}, 84: {"T1": 20}})
    assert _targets(result) == [R.PR, R.PD]


def test_absolute_increase_option_for_sensitivity_analyses() -> None:
    result = _run({0: {"T1": 20}, 42: {"T1": 24}}, pd_min_increase_mm=4)
    assert _targets(result) == [R.PD]


# -- complete response and lymph nodes -------------------------------------------------------


def test_lymph_node_cr_with_nodes_under_10_mm_and_a_sum_above_zero() -> None:
    result = _run({0: {"T1": 15, "LN1": 20}, 42: {"T1": 0, "LN1": 8}})
    point = result.timepoints[0]
    assert (point.target, point.overall) == (R.CR, R.CR)
    assert point.sum_mm == 8.0
    assert "nodes keep their short axis" in point.explanation


def test_a_target_node_of_10_mm_is_not_cr() -> None:
    result = _run({0: {"T1": 15, "LN1": 20}, 42: {"T1": 0, "LN1": 10}})
    assert _targets(result) == [R.PR]


def test_cr_needs_every_non_nodal_target_gone() -> None:
    result = _run({0: {"T1": 15, "LN1": 20}, 42: {"T1": 1, "LN1": 5}})
    assert _targets(result) == [R.PR]


@pytest.mark.parametrize(
    ("non_target", "overall"),
    [("absent", R.CR), ("present", R.PR)],
    ids=["non-target-CR", "non-target-persists"],
)
def test_target_cr_with_non_target_disease(non_target: str, overall: R) -> None:
    result = _run({0: {"T1": 20, "NT1": "present"}, 42: {"T1": 0, "NT1": non_target}})
    assert _overall(result) == [overall]


def test_target_cr_with_a_non_target_not_evaluated_is_pr() -> None:
    result = _run(
        {0: {"T1": 20, "NT1": "present", "NT2": "present"}, 42: {"T1": 0, "NT1": "absent"}}
    )
    point = result.timepoints[0]
    assert (point.target, point.non_target, point.overall) == (R.CR, R.NE, R.PR)


def test_disease_seen_again_after_cr_is_progression() -> None:
    # 20 -> 0 (CR) -> 3: by the sums alone +3 mm is not PD, but disease reappeared after CR.
    table: dict[int | str, dict[str, float | str]] = {0: {"T1": 20}, 42: {"T1": 0}, 84: {"T1": 3}}
    result = _run(table)
    assert _overall(result) == [R.CR, R.PD]
    assert "disease is seen again" in result.timepoints[1].explanation
    doubtful = _run(table, cr_doubtful=True)
    assert _overall(doubtful) == [R.CR, R.PR]


# -- missing assessments ---------------------------------------------------------------------


def test_a_target_not_assessed_makes_the_time_point_not_evaluable() -> None:
    result = _run({0: {"T1": 30, "T2": 30}, 42: {"T1": 10}})
    point = result.timepoints[0]
    assert (point.target, point.overall) == (R.NE, R.NE)
    assert point.sum_mm is None
    assert point.change_from_baseline is None
    assert "T2 not assessed" in point.explanation


def test_not_evaluable_unless_the_assessed_targets_already_show_progression() -> None:
    # Baseline 100; T2 missing, but T1 alone is 130: at least +30 mm over the nadir of 100.
    result = _run({0: {"T1": 50, "T2": 50}, 42: {"T1": 130}})
    assert _targets(result) == [R.PD]
    assert "alone" in result.timepoints[0].explanation


def test_partial_sums_do_not_move_the_nadir() -> None:
    # A partial 10 mm at day 42 must not become the nadir for day 84.
    result = _run({0: {"T1": 50, "T2": 50}, 42: {"T1": 10}, 84: {"T1": 52, "T2": 50}})
    assert _targets(result) == [R.NE, R.SD]
    assert result.nadir_sum_mm == 100.0


def test_a_date_with_only_a_new_lesion_is_progression() -> None:
    result = _run({0: {"T1": 50}, 42: {"NEW1": "present"}})
    point = result.timepoints[0]
    assert (point.target, point.new_lesions, point.overall) == (R.NE, "yes", R.PD)


# -- non-target lesions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("follow_up", "non_target"),
    [
        ({"NT1": "absent", "NT2": "absent"}, R.CR),
        ({"NT1": "absent", "NT2": "present"}, R.non_CR_non_PD),
        ({"NT1": "absent"}, R.NE),
        ({"NT1": "unequivocal_progression"}, R.PD),
    ],
    ids=["all-absent", "one-persists", "one-not-assessed", "unequivocal-progression"],
)
def test_non_target_response(follow_up: dict[str, float | str], non_target: R) -> None:
    table = {0: {"T1": 30, "NT1": "present", "NT2": "present"}, 42: {"T1": 20, **follow_up}}
    assert _run(table).timepoints[0].non_target is non_target


def test_unequivocal_non_target_progression_overrides_a_target_response() -> None:
    result = _run(
        {0: {"T1": 50, "NT1": "present"}, 42: {"T1": 20, "NT1": "unequivocal_progression"}}
    )
    point = result.timepoints[0]
    assert (point.target, point.overall) == (R.PR, R.PD)


@pytest.mark.parametrize(
    ("follow_up", "overall"),
    [
        ({"NT1": "present", "NT2": "absent"}, R.non_CR_non_PD),
        ({"NT1": "absent", "NT2": "absent"}, R.CR),
        ({"NT1": "absent"}, R.NE),
        ({"NT1": "present", "NT2": "unequivocal_progression"}, R.PD),
        ({"NT1": "present", "NT2": "present", "NEW1": "present"}, R.PD),
    ],
    ids=["persists", "all-absent", "not-all-evaluated", "progression", "new-lesion"],
)
def test_non_target_disease_only_uses_table_5(
    follow_up: dict[str, float | str], overall: R
) -> None:
    result = _run({0: {"NT1": "present", "NT2": "present"}, 56: follow_up})
    point = result.timepoints[0]
    assert result.disease == "non_target_only"
    assert (point.target, point.sum_mm, point.overall) == (None, None, overall)
    assert "Table 5" in point.explanation
    assert result.baseline_sum_mm is None


def test_non_target_only_best_response_is_non_cr_non_pd() -> None:
    result = _run({0: {"NT1": "present"}, 56: {"NT1": "present"}, 98: {"NT1": "present"}})
    assert result.best_overall is R.non_CR_non_PD
    assert result.best_overall_unconfirmed is R.non_CR_non_PD


# -- new lesions -----------------------------------------------------------------------------


def test_equivocal_new_lesion_is_not_progression_but_is_noted() -> None:
    result = _run({0: {"T1": 30}, 42: {"T1": 29, "NEW1": "equivocal"}})
    point = result.timepoints[0]
    assert (point.new_lesions, point.overall) == ("equivocal", R.SD)
    assert "Equivocal new lesion" in point.explanation
    assert any("equivocal" in note for note in result.notes)


def test_equivocal_new_lesion_confirmed_later_dates_progression_back() -> None:
    table: dict[int | str, dict[str, float | str]] = {
        0: {"T1": 30},
        42: {"T1": 29, "NEW1": "equivocal"},
        84: {"T1": 29, "NEW1": "present"},
    }
    result = _run(table)
    assert _overall(result) == [R.PD, R.PD]
    assert "progression is dated to this scan" in result.timepoints[0].explanation
    assert result.best_overall is R.PD
    assert _overall(_run(table, backdate_confirmed_new_lesions=False)) == [R.SD, R.PD]


def test_unequivocal_new_lesion_is_progression_whatever_the_targets() -> None:
    result = _run({0: {"T1": 30}, 42: {"T1": 0, "NEW1": "present"}})
    point = result.timepoints[0]
    assert (point.target, point.new_lesions, point.overall) == (R.CR, "yes", R.PD)


# -- warnings --------------------------------------------------------------------------------


def test_sizes_of_non_target_lesions_are_not_used_and_said_so() -> None:
    from heliotrope.model.record import LesionMeasurement

    rows = scans({0: {"T1": 30}, 42: {"T1": 30}})
    rows.append(
        LesionMeasurement(
            date=rows[0].date,
            lesion="NT9",
            kind="non_target",
            node=True,
            mm=8,
            assessment="present",
        )
    )
    rows.append(
        LesionMeasurement(
            date=rows[-2].date,
            lesion="NT9",
            kind="non_target",
            node=True,
            mm=7,
            assessment="present",
        )
    )
    result = evaluate_recist(rows)
    assert any("under 10 mm a node is normal" in w for w in result.warnings)
    assert any("is not used" in w for w in result.warnings)


def test_a_doubtful_cr_keeps_only_a_following_pr() -> None:
    table: dict[int | str, dict[str, float | str]] = {0: {"T1": 20}, 42: {"T1": 0}, 84: {"T1": 16}}
    # 16 mm: +16 mm over the nadir of 0 is PD by the sums anyway.
    assert _overall(_run(table, cr_doubtful=True)) == [R.CR, R.PD]
    with_non_target = {0: {"T1": 20, "NT1": "present"}, 42: {"T1": 0, "NT1": "absent"}}
    with_non_target[84] = {"T1": 2, "NT1": "present"}
    assert _overall(_run(with_non_target)) == [R.CR, R.PD]
    assert _overall(_run(with_non_target, cr_doubtful=True)) == [R.CR, R.PR]
