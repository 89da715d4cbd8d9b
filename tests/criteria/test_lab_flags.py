"""Lab flags (spec §10): each value against its own lab's range, ×ULN, censored values, canonical
units (a unit conversion never changes a flag) and the founding case's labs."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heliotrope.criteria import lab_flags
from heliotrope.io import parse_record
from heliotrope.logic import ItemStatus
from heliotrope.model import Analyte, LabResult, PatientRecord
from heliotrope.model.units import convert

from .helpers import founding_case


def make(*labs: dict[str, Any]) -> PatientRecord:
    return parse_record({"id": "labs", "labs": list(labs)})


def one(lab: dict[str, Any]) -> dict[str, Any]:
    flags: list[dict[str, Any]] = lab_flags.assess(make(lab)).values["flags"]
    return flags[0]


def test_founding_case_labs() -> None:
    result = lab_flags.assess(founding_case())
    assert result.category == "abnormal"
    by_analyte = {f["analyte"]: f for f in result.values["flags"]}
    assert by_analyte["ck"]["flag"] == "high" and by_analyte["ck"]["times_uln"] == 3.475
    assert by_analyte["alt"]["flag"] == "high"  # 61 vs ULN 49
    assert by_analyte["esr"]["flag"] == "high"  # 32 vs ULN 27
    assert by_analyte["wbc"]["flag"] == "high"  # 11.4 vs ULN 11
    assert by_analyte["crp"]["flag"] == "unknown"  # "< 4" reported without a range
    assert by_analyte["crp"]["reason"] == "no reference range reported"
    assert result.item("crp_outside_range").status is ItemStatus.unknown
    assert result.values["counts"] == {"high": 4, "low": 0, "normal": 0, "unknown": 1}


@pytest.mark.parametrize(
    ("value", "comparator", "low", "high", "expected"),
    [
        (4, "<", None, 5, "normal"),  # CRP < 4, ULN 5
        (4, "<", None, 3, "unknown"),  # could be above or below 3
        (2000, ">", None, 200, "high"),
        (200, ">=", None, 200, "unknown"),  # 200 is normal, above it high
        (200, ">", None, 200, "high"),
        (4, "<=", None, 4, "normal"),
        (4, "<", 4, 11, "low"),  # WBC < 4 with LLN 4
        (4, "<=", 4, 11, "unknown"),
        (200, None, 25, 200, "normal"),  # the limits are inclusive
        (25, None, 25, 200, "normal"),
        (201, None, 25, 200, "high"),
        (24, None, 25, 200, "low"),
        (50, None, None, None, "unknown"),
    ],
)
def test_flag_rules(
    value: float, comparator: str | None, low: float | None, high: float | None, expected: str
) -> None:
    assert lab_flags.flag(value, comparator, low, high) == expected


def test_censored_value_in_a_record() -> None:
    crp = one(
        {"analyte": "crp", "value": 4, "comparator": "<", "unit": "mg/L", "range": {"high": 5}}
    )
    assert crp["flag"] == "normal" and crp["comparator"] == "<"


def test_low_haemoglobin() -> None:
    hb = one(
        {"analyte": "haemoglobin", "value": 95, "unit": "g/L", "range": {"low": 120, "high": 160}}
    )
    assert hb["flag"] == "low"


def test_canonical_units_and_original_shown() -> None:
    ck = one(
        {"analyte": "ck", "value": 11.5, "unit": "µkat/L", "range": {"high": 200, "unit": "U/L"}}
    )
    assert ck["unit"] == "U/L" and ck["value"] == pytest.approx(690.0)
    assert ck["uln"] == 200.0 and ck["flag"] == "high"
    assert "µkat/L" in ck["reported"]


def test_category_not_measured_normal_unknown() -> None:
    assert lab_flags.assess(make()).category == "not_measured"
    normal = {"analyte": "ck", "value": 90, "unit": "U/L", "range": {"high": 200}}
    assert lab_flags.assess(make(normal)).category == "normal"
    no_range = {"analyte": "esr", "value": 40, "unit": "mm/h"}
    mixed = lab_flags.assess(make(normal, no_range))
    assert mixed.category == "unknown"
    assert mixed.pivotal_items == ("esr_outside_range",)


def test_one_abnormal_value_among_several() -> None:
    values = [
        {"analyte": "ck", "value": v, "unit": "U/L", "range": {"high": 200}, "date": d}
        for v, d in ((900, "2020-01-01"), (150, "2020-03-01"))
    ]
    result = lab_flags.assess(make(*values))
    assert result.category == "abnormal"
    assert result.values["abnormal"] == ["labs[0]"]
    assert result.values["flags"][1]["date"] == "2020-03-01"


CONVERSIONS = [
    ("ck", "U/L", "µkat/L", 1 / 60),
    ("creatinine", "µmol/L", "mg/dL", 1 / 88.4),
    ("crp", "mg/L", "mg/dL", 0.1),
    ("haemoglobin", "g/L", "g/dL", 0.1),
]


@pytest.mark.parametrize(("analyte", "unit", "other", "factor"), CONVERSIONS)
@given(
    value=st.floats(min_value=0.01, max_value=5000, allow_nan=False),
    low=st.floats(min_value=0.0, max_value=100, allow_nan=False),
    width=st.floats(min_value=0.1, max_value=1000, allow_nan=False),
    comparator=st.sampled_from([None, "<", ">", "<=", ">="]),
)
def test_converting_units_never_changes_a_flag(
    analyte: str,
    unit: str,
    other: str,
    factor: float,
    value: float,
    low: float,
    width: float,
    comparator: str | None,
) -> None:
    high = low + width
    base = {"analyte": analyte, "comparator": comparator}
    original = LabResult.model_validate(
        {**base, "value": value, "unit": unit, "range": {"low": low, "high": high}}
    )
    # The same result reported in another unit (the lab's factor applied to value and range).
    converted_factor = _factor(analyte, unit, other)
    converted = LabResult.model_validate(
        {
            **base,
            "value": value * converted_factor,
            "unit": other,
            "range": {"low": low * converted_factor, "high": high * converted_factor},
        }
    )
    assert lab_flags.flag(
        original.canonical_value, comparator, original.canonical_lln, original.canonical_uln
    ) == lab_flags.flag(
        converted.canonical_value, comparator, converted.canonical_lln, converted.canonical_uln
    )


def _factor(analyte: str, unit: str, other: str) -> float:
    """How many ``other`` units one ``unit`` is, by the toolkit's own converter."""
    return convert(1.0, unit, Analyte(analyte)) / convert(1.0, other, Analyte(analyte))


@pytest.mark.parametrize(("analyte", "unit", "other", "factor"), CONVERSIONS)
def test_conversion_factors(analyte: str, unit: str, other: str, factor: float) -> None:
    assert _factor(analyte, unit, other) == pytest.approx(factor, rel=1e-3)


def test_value_exactly_at_the_limit_after_conversion_stays_normal() -> None:
    ck = one(
        {
            "analyte": "ck",
            "value": 200 / 60,
            "unit": "µkat/L",
            "range": {"high": 200, "unit": "U/L"},
        }
    )
    assert ck["flag"] == "normal"
