"""Lab values: units converted with pint, ×ULN from the lab's own range, bad values rejected."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heliotrope.errors import RecordValidationError, UnitError
from heliotrope.io import parse_record
from heliotrope.model.units import convert
from heliotrope.model.vocabulary import Analyte


@pytest.mark.parametrize(
    ("value", "unit", "analyte", "expected"),
    [
        (1.0, "µkat/L", Analyte.ck, 60.0),  # spec §10: µkat/L × 60 = U/L
        (1.0, "ukat/L", Analyte.alt, 60.0),
        (5.0, "IU/L", Analyte.ast, 5.0),
        (1.0, "mg/dL", Analyte.crp, 10.0),
        (11.4, "× 10^9/L", Analyte.wbc, 11.4),
        (11.4, "x10*9/L", Analyte.wbc, 11.4),
        (32.0, "mm/hr", Analyte.esr, 32.0),
        (1.0, "mg/dL", Analyte.creatinine, 88.4),
        (12.0, "g/dL", Analyte.haemoglobin, 120.0),
    ],
)
def test_conversions(value: float, unit: str, analyte: Analyte, expected: float) -> None:
    assert convert(value, unit, analyte) == pytest.approx(expected, rel=1e-3)


@pytest.mark.parametrize(
    ("unit", "analyte"), [("mm/h", Analyte.ck), ("U/L", Analyte.esr), ("furlongs", Analyte.ck)]
)
def test_wrong_units_are_errors(unit: str, analyte: Analyte) -> None:
    with pytest.raises(UnitError):
        convert(1.0, unit, analyte)


def _lab(**fields: object) -> dict[str, object]:
    return {"id": "p", "labs": [{"analyte": "ck", "value": 695, "unit": "U/L", **fields}]}


def test_times_uln_uses_the_labs_own_range() -> None:
    record = parse_record(_lab(range={"low": 25, "high": 200}))
    assert record.labs[0].times_uln == pytest.approx(3.475)


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"value": -5}, "labs[0].value"),
        ({"range": {"low": 200, "high": 25}}, "labs[0].range"),
        ({"unit": "mm/h"}, "labs[0]"),
        ({"analyte": "unobtainium"}, "labs[0].analyte"),
        ({"value": float("nan")}, "labs[0].value"),
    ],
)
def test_impossible_lab_values_name_the_field(fields: dict[str, object], where: str) -> None:
    with pytest.raises(RecordValidationError) as info:
        parse_record(_lab(**fields))
    assert where in str(info.value)


@given(st.floats(min_value=0.1, max_value=1e5), st.floats(min_value=1, max_value=1e4))
def test_unit_conversion_never_changes_times_uln(value: float, uln: float) -> None:
    in_u = parse_record(_lab(value=value, range={"high": uln}))
    in_ukat = parse_record(_lab(value=value / 60, unit="µkat/L", range={"high": uln / 60}))
    mixed = parse_record(_lab(value=value / 60, unit="µkat/L", range={"high": uln, "unit": "U/L"}))
    expected = in_u.labs[0].times_uln
    assert in_ukat.labs[0].times_uln == pytest.approx(expected, rel=1e-9)
    assert mixed.labs[0].times_uln == pytest.approx(expected, rel=1e-9)
