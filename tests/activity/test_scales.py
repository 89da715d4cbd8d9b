"""MRC 0-5, Kendall 0-10, MMT-8 totals and CDASI (spec §8.4)."""

from __future__ import annotations

import pytest

from heliotrope.activity import (
    MMT8_GROUPS,
    MMT8_LIMB_GROUPS,
    cdasi,
    cdasi_severity,
    kendall,
    mmt8_bilateral,
    mmt8_unilateral,
    mrc_bounds,
    mrc_description,
)
from heliotrope.errors import CriteriaError, InputError
from heliotrope.model.vocabulary import MuscleGroup


@pytest.mark.parametrize(
    ("grade", "bounds"),
    [
        (5, (5.0, 5.0)),
        ("0", (0.0, 0.0)),
        ("4-", (11 / 3, 11 / 3)),
        ("4+", (13 / 3, 13 / 3)),
        ("3-4", (3.0, 4.0)),
        ("4/5", (4.0, 4.0)),
    ],
)
def test_mrc_bounds(grade: str | int, bounds: tuple[float, float]) -> None:
    assert mrc_bounds(grade) == pytest.approx(bounds)


@pytest.mark.parametrize("grade", ["6", "x", "-1", "4-3"])
def test_mrc_invalid(grade: str) -> None:
    with pytest.raises(InputError, match="Not an MRC grade"):
        mrc_bounds(grade)


def test_mrc_description() -> None:
    assert mrc_description(3) == "active movement against gravity"
    assert mrc_description("4-").startswith("slightly less than")
    assert mrc_description("4+").startswith("slightly more than")
    assert mrc_description("3-4").startswith("between")


@pytest.mark.parametrize("value", [0, 7.5, 10])
def test_kendall_valid(value: float) -> None:
    assert kendall(value) == value


@pytest.mark.parametrize("value", [-1, 10.5, float("nan"), True, "8"])
def test_kendall_invalid(value: object) -> None:
    with pytest.raises(InputError, match="Kendall"):
        kendall(value)


def _full(value: float = 10) -> dict[MuscleGroup | str, float]:
    return {g: value for g in MMT8_GROUPS}


def test_mmt8_unilateral_total() -> None:
    scores = _full(9)
    scores[MuscleGroup.neck_flexors] = 6
    result = mmt8_unilateral(scores)
    assert (result.total, result.maximum, result.kind) == (69, 80, "unilateral")
    assert result.percent == pytest.approx(86.25)
    assert mmt8_unilateral({g.value: 10 for g in MMT8_GROUPS}).total == 80


def test_mmt8_errors_name_every_problem() -> None:
    scores: dict[MuscleGroup | str, float] = {
        "deltoid": 11,
        "biceps": 8,
        "triceps": 5,
        "hip_flexor": 3,
    }
    with pytest.raises(InputError) as info:
        mmt8_unilateral(scores)
    where = {d.location: d.message for d in info.value.details}
    assert "outside 0-10" in where["mmt8.deltoid"]
    assert "not an MMT-8 muscle group" in where["mmt8.triceps"]
    assert "not an MMT-8 muscle group" in where["mmt8.hip_flexor"]
    assert where["mmt8.neck_flexors"] == "missing"
    assert "mmt8.biceps" not in where


def test_mmt8_bilateral_total() -> None:
    right = {g: 10.0 for g in MMT8_LIMB_GROUPS}
    left = {g: 9.0 for g in MMT8_LIMB_GROUPS}
    result = mmt8_bilateral(8, right, left)  # type: ignore[arg-type]
    assert (result.total, result.maximum, result.kind) == (8 + 70 + 63, 150, "bilateral")
    assert len(result.scores) == 15


def test_mmt8_bilateral_neck_flexors_are_scored_once() -> None:
    right: dict[MuscleGroup | str, float] = {g: 10.0 for g in MMT8_LIMB_GROUPS}
    right[MuscleGroup.neck_flexors] = 10
    left: dict[MuscleGroup | str, float] = {g: 10.0 for g in MMT8_LIMB_GROUPS[:-1]}
    with pytest.raises(InputError) as info:
        mmt8_bilateral(10, right, left)
    where = {d.location: d.message for d in info.value.details}
    assert where["mmt8.right.neck_flexors"] == "not scored on this side"
    assert where["mmt8.left.ankle_dorsiflexors"] == "missing"


@pytest.mark.parametrize(
    ("activity", "variant", "severity"),
    [
        (0, None, "mild"),
        (13.9, None, "mild"),
        (14, None, "moderate"),
        (24, None, "moderate"),
        (24.5, None, "severe"),
        (24.5, "severe_above_26", "moderate"),
        (26, "severe_above_26", "moderate"),
        (26.5, "severe_above_26", "severe"),
        (100, None, "severe"),
    ],
)
def test_cdasi_severity(activity: float, variant: str | None, severity: str) -> None:
    assert cdasi_severity(activity, variant) == severity
    assert cdasi(activity, variant=variant).severity == severity


def test_cdasi_scores_and_errors() -> None:
    score = cdasi(20, 5)
    assert (score.activity, score.damage, score.severity_variant) == (20, 5, "severe_above_24")
    assert score.confirmed is False
    with pytest.raises(InputError) as info:
        cdasi(101, 33)
    assert {d.location for d in info.value.details} == {"cdasi.activity", "cdasi.damage"}
    with pytest.raises(CriteriaError, match="severe_above_24"):
        cdasi_severity(10, "other")
