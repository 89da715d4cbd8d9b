"""Dates: exact, partial and relative dates resolve to ranges; errors name the field."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heliotrope.errors import DateResolutionError, RecordValidationError
from heliotrope.io import parse_record
from heliotrope.model.dates import DateRange, add_months, parse_offset


@pytest.mark.parametrize(
    ("text", "lo", "hi"),
    [
        ("+2 months", (2, "month"), (2, "month")),
        ("-3 weeks", (-3, "week"), (-3, "week")),
        ("2-3 months", (2, "month"), (3, "month")),
        ("-1 to 2 years", (-2, "year"), (-1, "year")),
        ("10 days", (10, "day"), (10, "day")),
    ],
)
def test_parse_offset(text: str, lo: tuple[int, str], hi: tuple[int, str]) -> None:
    a, b = parse_offset(text)
    assert (a.amount, a.unit) == lo
    assert (b.amount, b.unit) == hi


@pytest.mark.parametrize("bad", ["two months", "+2 fortnights", "3-2 months", ""])
def test_bad_offsets_are_rejected(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_offset(bad)


def test_month_arithmetic_clamps_the_day() -> None:
    assert add_months(date(2019, 1, 31), 1) == date(2019, 2, 28)
    assert add_months(date(2020, 1, 31), 1) == date(2020, 2, 29)
    assert add_months(date(2019, 11, 15), 3) == date(2020, 2, 15)


def _record(events: list[dict[str, object]]) -> dict[str, object]:
    return {"id": "p1", "events": events}


def test_partial_dates_cover_their_month_and_year() -> None:
    record = parse_record(
        _record(
            [
                {"id": "a", "kind": "x", "date": "2019-05"},
                {"id": "b", "kind": "x", "date": 2018},
            ]
        )
    )
    assert record.anchors["a"] == DateRange(date(2019, 5, 1), date(2019, 5, 31))
    assert record.anchors["b"] == DateRange(date(2018, 1, 1), date(2018, 12, 31))


def test_relative_dates_resolve_through_chains_and_treatment_ends() -> None:
    record = parse_record(
        {
            "id": "p1",
            "treatments": [
                {
                    "id": "chemo",
                    "drug": "doxorubicin",
                    "kind": "chemotherapy",
                    "start": "2019-02-01",
                    "stop": {"after": "chemo.start", "by": "18 weeks"},
                }
            ],
            "events": [
                {"id": "flare", "kind": "x", "date": {"after": "chemo.stop", "by": "2 months"}},
                {"id": "ct", "kind": "x", "date": {"before": "flare", "by": "1 week"}},
            ],
        }
    )
    assert record.anchors["chemo.stop"].earliest == date(2019, 6, 7)
    assert record.anchors["flare"].earliest == date(2019, 8, 7)
    assert record.anchors["ct"].earliest == date(2019, 7, 31)


def test_unknown_anchor_names_the_field() -> None:
    with pytest.raises(DateResolutionError) as info:
        parse_record(
            _record([{"id": "a", "kind": "x", "date": {"after": "nowhere", "by": "1 day"}}])
        )
    assert "events[0].date" in str(info.value)
    assert "nowhere" in str(info.value)


def test_cycles_are_reported() -> None:
    with pytest.raises(DateResolutionError, match="cycle"):
        parse_record(
            _record(
                [
                    {"id": "a", "kind": "x", "date": {"after": "b", "by": "1 day"}},
                    {"id": "b", "kind": "x", "date": {"after": "a", "by": "1 day"}},
                ]
            )
        )


def test_future_dates_are_rejected() -> None:
    with pytest.raises(DateResolutionError, match="future"):
        parse_record(_record([{"id": "a", "kind": "x", "date": "2999-01-01"}]))


def test_duplicate_ids_are_rejected() -> None:
    with pytest.raises(DateResolutionError, match="twice"):
        parse_record(
            _record(
                [{"id": "a", "kind": "x", "date": "2019"}, {"id": "a", "kind": "y", "date": "2019"}]
            )
        )


def test_malformed_partial_date_names_the_field() -> None:
    with pytest.raises(RecordValidationError) as info:
        parse_record(_record([{"id": "a", "kind": "x", "date": "2019-13"}]))
    assert "events[0].date" in str(info.value)


@given(
    st.dates(min_value=date(1950, 1, 1), max_value=date(2020, 1, 1)),
    st.integers(min_value=-60, max_value=60),
)
def test_relative_offsets_are_exact_for_exact_anchors(anchor: date, months: int) -> None:
    sign = "+" if months >= 0 else "-"
    record = parse_record(
        _record(
            [
                {"id": "a", "kind": "x", "date": anchor.isoformat()},
                {
                    "id": "b",
                    "kind": "x",
                    "date": {"anchor": "a", "offset": f"{sign}{abs(months)} months"},
                },
            ]
        )
    )
    assert record.anchors["b"].exact
    assert record.anchors["b"].earliest == add_months(anchor, months)
