"""Cancer-associated myositis (spec §6.1): the ±3-year window (exact boundaries before and after,
partial dates inside / straddling), the signed interval, the anchor, unknown-vs-absent (no
cancer entry is not proof of no cancer) and the founding case (spec §11.4)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heliotrope.criteria import cancer_associated_myositis as cam
from heliotrope.criteria import readers_extra as rx
from heliotrope.errors import CriteriaError
from heliotrope.io import parse_record
from heliotrope.logic import Context, ItemStatus, Truth
from heliotrope.model import DateRange, PatientRecord
from heliotrope.model.dates import add_months

from .helpers import founding_case

ONSET = "2018-03-15"
LATE_FOLLOW_UP = {"kind": "clinic", "date": "2024-01-10"}  # beyond onset + 3 years


def make(
    *cancer_dates: Any,
    myositis: dict[str, Any] | None = None,
    follow_up: dict[str, Any] | None = LATE_FOLLOW_UP,
) -> PatientRecord:
    cancers = [
        {"histology": "adenocarcinoma", **({"date": d} if d is not None else {})}
        for d in cancer_dates
    ]
    return parse_record(
        {
            "id": "cam",
            "myositis": myositis if myositis is not None else {"onset": ONSET},
            "cancers": cancers,
            "events": [follow_up] if follow_up else [],
        }
    )


def test_founding_case_is_cam_with_negative_interval() -> None:
    result = cam.assess(founding_case())
    assert result.category == "yes"
    assert result.values["interval_days"] == -229  # sarcoma 229 days before DM onset
    assert result.values["anchor"] == "onset"
    assert result.values["cancer"] == "cancers[0]"
    assert result.values["anchor_changes_category"] is False


@pytest.mark.parametrize(
    ("cancer_date", "category", "interval"),
    [
        ("2021-03-15", "yes", 1096),  # exactly 3 years after
        ("2021-03-16", "no", 1097),  # 3 years + 1 day after
        ("2015-03-15", "yes", -1096),  # exactly 3 years before
        ("2015-03-14", "no", -1097),  # 3 years + 1 day before
        ("2018-03-15", "yes", 0),  # same day
    ],
)
def test_three_year_boundaries(cancer_date: str, category: str, interval: int) -> None:
    result = cam.assess(make(cancer_date))
    assert result.category == category
    assert result.values["interval_days"] == interval


def test_partial_date_wholly_inside_the_window() -> None:
    result = cam.assess(make("2019"))
    assert result.category == "yes"
    assert result.values["interval_days"] is None  # not exact
    assert result.values["interval_days_range"] == [292, 656]


def test_partial_date_straddling_the_window_is_unknown() -> None:
    result = cam.assess(make("2021-03"))  # 1-31 March 2021 vs 15 March 2021
    assert result.category == "unknown"
    assert result.item("cancer_within_3_years").note == (
        "partial dates straddle the edge of the window"
    )
    assert set(result.possible_outcomes) == {"yes", "no"}


def test_partial_onset_straddling_is_unknown() -> None:
    result = cam.assess(make("2021-02-10", myositis={"onset": "2018"}))
    assert result.category == "unknown"


def test_missing_cancer_date_is_unknown_never_no() -> None:
    assert cam.assess(make(None)).category == "unknown"


def test_missing_myositis_dates_are_unknown() -> None:
    result = cam.assess(make("2019-01-01", myositis={}))
    assert result.category == "unknown"
    assert result.values["anchor"] is None


def test_no_cancer_with_short_follow_up_is_unknown() -> None:
    result = cam.assess(make(follow_up={"kind": "clinic", "date": "2020-01-01"}))
    assert result.category == "unknown"
    assert "not proof" in (result.item("cancer_within_3_years").note or "")


def test_no_cancer_with_follow_up_through_the_window_is_no() -> None:
    assert cam.assess(make()).category == "no"
    exactly = make(follow_up={"kind": "clinic", "date": "2021-03-15"})
    assert cam.assess(exactly).category == "no"
    one_day_short = make(follow_up={"kind": "clinic", "date": "2021-03-14"})
    assert cam.assess(one_day_short).category == "unknown"


def test_old_cancer_outside_the_window_with_open_window_is_unknown() -> None:
    result = cam.assess(make("2005-01-01", follow_up=None))
    assert result.category == "unknown"
    assert result.values["interval_days"] < 0


def test_anchor_choice_is_reported() -> None:
    patient = make("2022-03-01", myositis={"onset": "2018-01-01", "diagnosis": "2019-06-01"})
    by_onset = cam.assess(patient)
    assert by_onset.category == "no"
    assert by_onset.values["category_other_anchor"] == "yes"
    assert by_onset.values["anchor_changes_category"] is True
    assert any("depends on the anchor" in c for c in by_onset.caveats)
    by_diagnosis = cam.assess(patient, Context(options={"cam_anchor": "diagnosis"}))
    assert by_diagnosis.category == "yes"
    assert by_diagnosis.values["anchor"] == "diagnosis"


def test_diagnosis_date_used_when_onset_missing() -> None:
    result = cam.assess(make("2019-01-01", myositis={"diagnosis": "2018-06-01"}))
    assert result.category == "yes"
    assert result.values["anchor"] == "diagnosis"
    assert any("diagnosis date was used" in n for n in result.notes)
    assert result.values["anchor_changes_category"] is None


def test_bad_anchor_option() -> None:
    with pytest.raises(CriteriaError):
        cam.assess(make("2019-01-01"), Context(options={"cam_anchor": "admission"}))


def test_json_carries_the_signed_interval() -> None:
    out = cam.assess(make("2017-03-15")).to_json()
    assert out["category"] == "yes" and out["interval_days"] == -365


@given(st.integers(min_value=-2500, max_value=2500))
def test_exact_dates_agree_with_calendar_window(offset: int) -> None:
    onset = date(2016, 2, 29)
    cancer = onset + timedelta(days=offset)
    patient = parse_record(
        {
            "id": "cam",
            "myositis": {"onset": onset.isoformat()},
            "cancers": [{"histology": "x", "date": cancer.isoformat()}],
            "events": [{"kind": "clinic", "date": "2025-01-01"}],
        }
    )
    inside = add_months(onset, -36) <= cancer <= add_months(onset, 36)
    result = cam.assess(patient)
    assert result.category == ("yes" if inside else "no")
    assert result.values["interval_days"] == offset


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2020, 12, 31)),
    st.integers(min_value=0, max_value=400),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2020, 12, 31)),
    st.integers(min_value=0, max_value=400),
)
def test_window_truth_is_consistent_with_every_exact_pair(
    start: date, width: int, anchor_start: date, anchor_width: int
) -> None:
    """A range is 'inside' only if every exact date pair is inside, 'outside' only if none is."""
    when = DateRange(start, start + timedelta(days=width))
    anchor = DateRange(anchor_start, anchor_start + timedelta(days=anchor_width))
    truth = rx.within_months(when, anchor, 36)
    corners = [
        rx.within_months(DateRange(c, c), DateRange(a, a), 36)
        for c in (when.earliest, when.latest)
        for a in (anchor.earliest, anchor.latest)
    ]
    if truth is Truth.TRUE:
        assert all(c is Truth.TRUE for c in corners)
    elif truth is Truth.FALSE:
        assert all(c is Truth.FALSE for c in corners)
    else:  # if the four corner pairs were all inside, so would be every pair between them
        assert not all(c is Truth.TRUE for c in corners)


def test_item_status_is_three_valued() -> None:
    statuses = {
        cam.assess(make("2019-01-01")).item("cancer_within_3_years").status,
        cam.assess(make("2010-01-01")).item("cancer_within_3_years").status,
        cam.assess(make(None)).item("cancer_within_3_years").status,
    }
    assert statuses == {ItemStatus.present, ItemStatus.absent, ItemStatus.unknown}
