"""Serology → cancer probability (spec §6.2, §6.4): the published checks (58.2% / 4.9% at a
17% pretest), the edge cases (Sp = 1, p = 0 or 1, out of range), published rather than
recomputed likelihood ratios, relative risks as context only, and property tests."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heliotrope.criteria import serology
from heliotrope.errors import CriteriaError
from heliotrope.io import parse_record
from heliotrope.logic import Context
from heliotrope.model import AntibodyName, PatientRecord

from .helpers import founding_case

probability = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
ratio = st.floats(min_value=0.0, max_value=1e6, allow_nan=False)


def make(antibodies: dict[str, str], **extra: Any) -> PatientRecord:
    data = {"id": "sero", "antibodies": [{"name": n, "result": r} for n, r in antibodies.items()]}
    return parse_record({**data, **extra})


# -- formulas ------------------------------------------------------------------------------
def test_published_check_positive_and_negative() -> None:
    """Trallero 2012 at the pooled 17% pretest: PPV 58%, NPV 95% (spec §6.4: 58.2% and 4.9%)."""
    assert round(serology.post_test_probability(0.17, 6.79), 3) == 0.582
    negative = serology.post_test_probability(0.17, 0.25)
    assert round(negative, 3) == 0.049
    assert round(1 - negative, 3) == 0.951


def test_likelihood_ratios_from_accuracy() -> None:
    plus, minus = serology.likelihood_ratios(0.78, 0.89)
    assert plus == pytest.approx(7.0909, abs=1e-4)  # the naive ratio; the paper's pooled is 6.79
    assert minus == pytest.approx(0.2472, abs=1e-4)


def test_odds_form_equals_bayes_form() -> None:
    ppv, npv = serology.predictive_values(0.17, 0.78, 0.89)
    assert serology.post_test_from_accuracy(0.17, 0.78, 0.89, positive=True) == pytest.approx(ppv)
    assert serology.post_test_from_accuracy(0.17, 0.78, 0.89, positive=False) == pytest.approx(
        1 - npv
    )


def test_perfect_specificity_gives_certainty_after_a_positive_test() -> None:
    plus, _minus = serology.likelihood_ratios(0.5, 1.0)
    assert math.isinf(plus)
    assert serology.post_test_from_accuracy(0.17, 0.5, 1.0, positive=True) == 1.0
    with pytest.raises(ValueError, match="undefined"):
        serology.likelihood_ratios(0.0, 1.0)
    with pytest.raises(ValueError, match="undefined"):
        serology.likelihood_ratios(1.0, 0.0)


@pytest.mark.parametrize("p", [0.0, 1.0])
@pytest.mark.parametrize("lr", [0.0, 0.25, 6.79, math.inf])
def test_certain_pretest_is_unchanged(p: float, lr: float) -> None:
    assert serology.post_test_probability(p, lr) == p


@pytest.mark.parametrize(
    "call",
    [
        lambda: serology.post_test_probability(1.2, 2.0),
        lambda: serology.post_test_probability(-0.1, 2.0),
        lambda: serology.post_test_probability(0.5, -1.0),
        lambda: serology.post_test_probability(0.5, math.nan),
        lambda: serology.likelihood_ratios(1.01, 0.5),
        lambda: serology.likelihood_ratios(0.5, -0.01),
    ],
)
def test_out_of_range_inputs_are_rejected(call: Any) -> None:
    with pytest.raises(ValueError):
        call()


@given(probability, probability, st.floats(min_value=0.0, max_value=1e4, allow_nan=False))
def test_post_test_is_monotone_in_pretest(p1: float, p2: float, lr: float) -> None:
    lo, hi = sorted((p1, p2))
    assert serology.post_test_probability(lo, lr) <= serology.post_test_probability(hi, lr) + 1e-12


@given(probability, st.floats(min_value=1.0, max_value=1e6, allow_nan=False))
def test_positive_result_never_lowers_probability(p: float, lr: float) -> None:
    assert serology.post_test_probability(p, lr) >= p - 1e-12


@given(probability, st.floats(min_value=0.0, max_value=1.0, allow_nan=False))
def test_negative_result_never_raises_probability(p: float, lr: float) -> None:
    assert serology.post_test_probability(p, lr) <= p + 1e-12


@given(probability, ratio)
def test_post_test_is_a_probability(p: float, lr: float) -> None:
    assert 0.0 <= serology.post_test_probability(p, lr) <= 1.0


# -- data ----------------------------------------------------------------------------------
def test_data_uses_published_likelihood_ratios() -> None:
    data = serology.load_serology()
    tif1g = data.likelihood_ratios[AntibodyName.anti_tif1g]
    assert tif1g.lr_positive.value == 6.79 and tif1g.lr_positive.ci95 == (4.11, 11.23)
    assert tif1g.lr_negative.value == 0.25 and tif1g.lr_negative.ci95 == (0.08, 0.76)
    assert (tif1g.sensitivity.value, tif1g.specificity.value) == (0.78, 0.89)
    assert data.default_pretest.value == 0.17 == tif1g.pooled_prevalence
    assert "Trallero" in data.source(tif1g.source).citation


def test_context_figures_are_not_likelihood_ratios() -> None:
    data = serology.load_serology()
    figures = {(c.antibody.value, c.measure): c.value for c in data.context}
    assert figures[("anti_tif1g", "cancer_prevalence_if_positive")] == 0.41
    assert figures[("anti_tif1g", "relative_risk")] == 4.66
    assert figures[("anti_jo1", "relative_risk")] == 0.45
    assert figures[("anti_ej", "relative_risk")] == 0.17
    assert set(data.likelihood_ratios) == {AntibodyName.anti_tif1g}


# -- the criterion -------------------------------------------------------------------------
def test_founding_case_post_test_58_percent_illustrative() -> None:
    result = serology.assess(founding_case())
    assert result.category == "positive"
    assert result.kind == "risk"
    assert result.values["pretest"] == 0.17
    assert round(result.values["post_test"], 3) == 0.582
    assert result.values["likelihood_ratio"] == 6.79
    assert "Trallero" in result.values["source"]
    tif1g = result.values["by_antibody"]["anti_tif1g"]
    assert tif1g["post_test_ci95"][0] < tif1g["post_test"] < tif1g["post_test_ci95"][1]
    assert any("illustrative only" in c for c in result.caveats)
    measures = {c["measure"] for c in result.values["context"]}
    assert {"cancer_prevalence_if_positive", "relative_risk"} <= measures


def test_negative_result() -> None:
    result = serology.assess(make({"anti_tif1g": "negative"}))
    assert result.category == "negative"
    assert round(result.values["post_test"], 3) == 0.049
    assert any("95.1%" in n for n in result.notes)
    assert not any("illustrative" in c for c in result.caveats)


@pytest.mark.parametrize("antibodies", [{}, {"anti_tif1g": "not_tested"}, {"anti_tif1g": "weak"}])
def test_not_tested_or_weak_gives_unknown_and_no_probability(antibodies: dict[str, str]) -> None:
    result = serology.assess(make(antibodies))
    assert result.category == "unknown"
    assert result.values["post_test"] is None
    assert set(result.possible_outcomes) == {"positive", "negative"}


def test_user_pretest_probability() -> None:
    ctx = Context(options={"pretest_probability": 0.41})
    result = serology.assess(make({"anti_tif1g": "positive"}), ctx)
    assert result.values["pretest"] == 0.41
    assert result.values["pretest_source"] == "user-given"
    assert result.values["post_test"] == pytest.approx(
        serology.post_test_probability(0.41, 6.79), abs=1e-4
    )


@pytest.mark.parametrize("bad", [1.5, -0.2, "abc", True])
def test_bad_pretest_option_is_an_error(bad: object) -> None:
    with pytest.raises(CriteriaError):
        serology.assess(
            make({"anti_tif1g": "positive"}), Context(options={"pretest_probability": bad})
        )


def test_relative_risks_reported_as_context_for_positive_antibodies() -> None:
    result = serology.assess(make({"anti_tif1g": "negative", "anti_jo1": "positive"}))
    (jo1,) = result.values["context"]
    assert jo1["antibody"] == "anti_jo1" and jo1["value"] == 0.45
    assert "not a likelihood ratio" in jo1["note"]


@pytest.mark.parametrize(
    ("method", "expected"),
    [("line blot (Euroline)", "line blot"), (None, "method not recorded"), ("IP", None)],
)
def test_regression_serology_says_when_lrs_meet_a_line_blot(
    method: str | None, expected: str | None
) -> None:
    """Trallero-Araguás 2012 pooled immunoprecipitation-based studies: applying its likelihood
    ratios to a line-blot result (or one of unrecorded method) is said in a caveat."""
    test: dict[str, object] = {"name": "anti_tif1g", "result": "positive"}
    if method is not None:
        test["method"] = method
    result = serology.assess(parse_record({"id": "blot", "antibodies": [test]}))
    said = [c for c in result.caveats if "immunoprecipitation" in c]
    if expected is None:
        assert said == []
    else:
        assert len(said) == 1 and expected in said[0]
