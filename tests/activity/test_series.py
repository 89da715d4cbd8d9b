"""Dated activity points for plots (``activity_series``)."""

from __future__ import annotations

from datetime import date

from heliotrope.activity import activity_series
from heliotrope.io import load_record, parse_record
from heliotrope.model import PatientRecord


def _record() -> PatientRecord:
    return parse_record(
        {
            "id": "series",
            "activity": [
                {"date": "2021-03", "mmt8": 70, "cdasi_activity": 12},
                {"date": "2021-01-10", "mmt8": 60, "physician_global": 6, "cdasi_damage": 3},
                {"mmt8": 80},  # undated: left out
            ],
            "labs": [
                {
                    "date": "2021-01-10",
                    "analyte": "ck",
                    "value": 600,
                    "unit": "U/L",
                    "range": {"high": 200},
                },
                {
                    "date": "2021-01-10",
                    "analyte": "alt",
                    "value": 200,
                    "unit": "U/L",
                    "range": {"high": 40},
                },
                {
                    "date": "2021-01-10",
                    "analyte": "crp",
                    "value": 50,
                    "unit": "mg/L",
                    "range": {"high": 5},
                },
                {"date": "2021-02-01", "analyte": "ck", "value": 150, "unit": "U/L"},
            ],
        }
    )


def test_series_points_sorted_by_date() -> None:
    points = activity_series(_record())
    summary = [(p.date, p.measure, p.value) for p in points]
    assert summary == [
        (date(2021, 1, 10), "mmt8", 60),
        (date(2021, 1, 10), "cdasi_damage", 3),
        (date(2021, 1, 10), "physician_global", 6),
        (date(2021, 1, 10), "max_enzyme_x_uln", 5),
        (date(2021, 3, 16), "mmt8", 70),
        (date(2021, 3, 16), "cdasi_activity", 12),
    ]


def test_max_enzyme_names_its_analyte_and_source() -> None:
    enzyme = next(p for p in activity_series(_record()) if p.measure == "max_enzyme_x_uln")
    assert (enzyme.analyte, enzyme.path, enzyme.maximum) == ("alt", "labs[1]", None)


def test_partial_dates_keep_their_range() -> None:
    point = next(p for p in activity_series(_record()) if p.value == 70)
    assert (point.earliest, point.latest) == (date(2021, 3, 1), date(2021, 3, 31))
    assert point.maximum == 80


def test_founding_case_has_an_enzyme_point() -> None:
    from pathlib import Path

    record = load_record(Path(__file__).resolve().parents[2] / "examples" / "founding-case.yaml")
    measures = {p.measure for p in activity_series(record)}
    assert "max_enzyme_x_uln" in measures
