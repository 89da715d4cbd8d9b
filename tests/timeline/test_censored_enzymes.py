"""Issue 7: flare detection and plots treat censored enzyme values as ranges, not exact."""

from __future__ import annotations

from typing import Any

import pytest

from heliotrope.io import parse_record
from heliotrope.model.record import PatientRecord
from heliotrope.render.plot import _censoring, timeline_figure
from heliotrope.timeline import build_timeline
from heliotrope.timeline.activity import activity_points


def ck(day: str, value: float, comparator: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "analyte": "ck",
        "value": value,
        "unit": "U/L",
        "range": {"low": 25, "high": 200},
        "date": day,
    }
    if comparator:
        entry["comparator"] = comparator
    return entry


def record(*labs: dict[str, Any]) -> PatientRecord:
    return parse_record({"id": "ck", "myositis": {"onset": "2020-01-01"}, "labs": list(labs)})


@pytest.mark.parametrize(
    ("labs", "trend"),
    [
        # "> 2000" then "> 2500": reading them as exact gave a 25% rise (a flare).
        ((ck("2020-02-01", 2000, ">"), ck("2020-03-01", 2500, ">")), "uncertain"),
        # "< 200" (at most 1×ULN) then 300 exact (1.5×ULN): certainly a rise of >= 20%.
        ((ck("2020-02-01", 200, "<"), ck("2020-03-01", 300)), "worse"),
        # 1000 exact then "> 1100": the true value may be 1100 (a 10% rise) or far more.
        ((ck("2020-02-01", 1000), ck("2020-03-01", 1100, ">")), "uncertain"),
        # 1000 then "< 500": certainly lower.
        ((ck("2020-02-01", 1000), ck("2020-03-01", 500, "<")), "better"),
        # exact values as before
        ((ck("2020-02-01", 1000), ck("2020-03-01", 1300)), "worse"),
    ],
)
def test_regression_censored_enzymes_flare(labs: tuple[dict[str, Any], ...], trend: str) -> None:
    last = activity_points(record(*labs))[-1]
    change = last.changes["enzymes"]
    assert change.trend == trend
    expected_flare = {"worse": "yes", "uncertain": "possible", "better": "no"}[trend]
    assert last.flare == expected_flare


def test_censored_enzymes_are_shown_as_censored_in_json_and_plot() -> None:
    rec = record(ck("2020-02-01", 2000, ">"), ck("2020-03-01", 150))
    first, second = activity_points(rec)
    assert first.to_json()["enzymes_censored"] == {"ck": ">"}
    assert second.to_json()["enzymes_censored"] is None
    assert (_censoring(first), _censoring(second)) == ("above", "exact")
    figure = timeline_figure(build_timeline(rec))
    legends = [legend for ax in figure.axes if (legend := ax.get_legend()) is not None]
    labels = {t.get_text() for legend in legends for t in legend.get_texts()}
    assert "censored '>': at least this" in labels
