"""Issue 7, departure 2: the EULAR/ACR age items are alternatives (Lundberg 2017, Table 1).

Items 1 (onset ≥ 18 and < 40: 1.3 without biopsy, 1.5 with) and 2 (onset ≥ 40: 2.1 / 2.2)
cover every adult onset age, and onset under 18 scores 0, so exactly one band applies.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heliotrope.criteria import eular_acr_2017 as eular
from heliotrope.criteria.readers import ONSET_FROM_DIAGNOSIS
from heliotrope.io import parse_record
from heliotrope.logic import ItemStatus
from heliotrope.model import PatientRecord

AGE_WEIGHTS = {False: (0.0, 1.3, 2.1), True: (0.0, 1.5, 2.2)}


def make(demographics: dict[str, Any], myositis: dict[str, Any], biopsy: bool) -> PatientRecord:
    data: dict[str, Any] = {
        "id": "age",
        "demographics": demographics,
        "myositis": myositis,
        "findings": [
            {"code": "gottron_papules", "status": "present"},
            {"code": "dysphagia", "status": "absent"},
        ],
    }
    if biopsy:
        data["investigations"] = [{"kind": "muscle_biopsy", "performed": True}]
    return parse_record(data)


@pytest.mark.parametrize(
    ("birth", "onset", "headline_age_points", "best_age_points"),
    [
        ("1980", "2020-06", 1.3, 2.1),  # 39.4-40.5: straddles 40
        ("2002", "2020-06", 0.0, 1.3),  # 17.4-18.5: straddles 18, juvenile possible
        ("1970", "2020-06", 2.1, 2.1),  # 49.4-50.5: one band
        ("1990-03-01", "2020-06-15", 1.3, 1.3),  # 30: one band
    ],
)
def test_regression_imprecise_onset_age_headline_and_best_case(
    birth: str, onset: str, headline_age_points: float, best_age_points: float
) -> None:
    result = eular.assess(make({"birth_date": birth}, {"onset": onset}, biopsy=False))
    skin = 2.1  # Gottron's papules, without biopsy
    assert result.values["score"] == pytest.approx(skin + headline_age_points)
    unknown_rest = sum(
        i.points or 0.0
        for i in result.items
        if i.status is ItemStatus.unknown and not i.key.startswith("age_")
    )
    assert result.value_ranges["score"][1] == pytest.approx(skin + best_age_points + unknown_rest)


def test_regression_onset_from_diagnosis_is_said() -> None:
    record = make({"birth_date": "1970-01-01"}, {"diagnosis": "2020-06-15"}, biopsy=False)
    result = eular.assess(record)
    assert result.item("age_onset_40_plus").status is ItemStatus.present
    assert any(ONSET_FROM_DIAGNOSIS in n for n in result.notes)
    assert ONSET_FROM_DIAGNOSIS in result.item("age_onset_40_plus").evidence[0].summary


AGES = st.one_of(
    st.none(),
    st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda x: round(x, 1)),
    st.integers(min_value=0, max_value=100).map(float),
)


@st.composite
def demographics(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """Precise, partial or missing ages and dates, recorded at onset or on another date."""
    kind = draw(st.sampled_from(["age", "age_at", "birth_year", "birth_month", "none"]))
    onset_year = draw(st.integers(1990, 2024))
    onset = draw(st.sampled_from([f"{onset_year}", f"{onset_year}-06", f"{onset_year}-06-15"]))
    if kind == "age":
        age = draw(AGES)
        return ({"age_years": age} if age is not None else {}), {"onset": onset}
    if kind == "age_at":
        age = draw(st.integers(min_value=10, max_value=90))
        return {"age_years": age, "age_at": f"{onset_year}"}, {"onset": onset}
    birth = onset_year - draw(st.integers(min_value=5, max_value=90))
    if kind == "birth_year":
        return {"birth_date": f"{birth}"}, {"onset": onset}
    if kind == "birth_month":
        return {"birth_date": f"{birth}-07"}, {"diagnosis": onset}
    return {}, {}


@settings(max_examples=80, deadline=None)
@given(demographics(), st.booleans())
def test_imprecise_onset_age_never_counts_both_age_items(
    ages: tuple[dict[str, Any], dict[str, Any]], biopsy: bool
) -> None:
    """However imprecise the onset age, neither the headline nor the best case counts two age
    items, and the headline counts at least the lowest weight the age allows."""
    result = eular.assess(make(*ages, biopsy=biopsy))
    items = {i.key: i for i in result.items}
    counted_age = [k for k in ("age_onset_18_to_40", "age_onset_40_plus") if items[k].counted]
    assert len(counted_age) <= 1
    rest_best = sum(
        (i.points or 0.0)
        for i in result.items
        if i.status in (ItemStatus.present, ItemStatus.unknown) and not i.key.startswith("age_")
    )
    best_age = max(
        (
            w
            for k, w in zip(eular.AGE_ITEMS, AGE_WEIGHTS[biopsy], strict=True)
            if items[k].status is not ItemStatus.absent
        ),
        default=0.0,
    )
    assert result.value_ranges["score"][1] == pytest.approx(rest_best + best_age)
    assert result.value_ranges["score"][1] <= rest_best + max(AGE_WEIGHTS[biopsy]) + 1e-9
    assert result.value_ranges["score"][0] <= result.values["score"] + 1e-9


@settings(max_examples=60, deadline=None)
@given(demographics(), st.booleans())
def test_headline_is_always_among_the_possible_outcomes(
    ages: tuple[dict[str, Any], dict[str, Any]], biopsy: bool
) -> None:
    result = eular.assess(make(*ages, biopsy=biopsy))
    assert result.outcome in result.possible_outcomes
    low, high = result.value_ranges["score"]
    assert low - 1e-9 <= result.values["score"] <= high + 1e-9
