"""Issue 12, item 2: impossible records are refused (HT101/HT102, exit 2, both fields named);
implausible ones are accepted with a warning every assessment output shows."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from heliotrope.api import assess
from heliotrope.cli.main import app
from heliotrope.errors import DateResolutionError, RecordValidationError
from heliotrope.io import parse_record
from heliotrope.model.consistency import ENZYME_LIMITS, MAX_AGE_YEARS
from heliotrope.model.vocabulary import Analyte


def record(**fields: Any) -> dict[str, Any]:
    return {"id": "case", **fields}


def lab(value: Any, **extra: Any) -> dict[str, Any]:
    return {"analyte": "ck", "value": value, "unit": "U/L", **extra}


CONTRADICTIONS = [
    (
        "birth after onset",
        record(demographics={"birth_date": "2001-03-01"}, myositis={"onset": "2000-06"}),
        ("demographics.birth_date", "myositis.onset"),
    ),
    (
        "birth after a lab",
        record(demographics={"birth_date": "1990"}, labs=[lab(300, date="1989-12-31")]),
        ("demographics.birth_date", "labs[0].date"),
    ),
    (
        "onset after diagnosis",
        record(myositis={"onset": "2021-05-01", "diagnosis": "2020-01-01"}),
        ("myositis.onset", "myositis.diagnosis"),
    ),
    (
        "treatment stops before it starts",
        record(
            treatments=[
                {
                    "drug": "prednisolone",
                    "kind": "glucocorticoid",
                    "start": "2020-05-01",
                    "stop": "2020-04-30",
                }
            ]
        ),
        ("treatments[0].start", "treatments[0].stop"),
    ),
]


@pytest.mark.parametrize(
    ("data", "fields"), [c[1:] for c in CONTRADICTIONS], ids=[c[0] for c in CONTRADICTIONS]
)
def test_regression_contradiction_is_refused_naming_both_fields(
    data: dict[str, Any], fields: tuple[str, str]
) -> None:
    with pytest.raises(RecordValidationError) as caught:
        parse_record(data, "case.yaml")
    error = caught.value
    assert error.code == "HT101" and error.source == "case.yaml"
    text = str(error)
    assert all(f in text for f in fields)


def test_partial_dates_that_may_be_ordered_are_accepted() -> None:
    """'2020' and '2020-06-15' overlap: not a certain contradiction."""
    parse_record(record(myositis={"onset": "2020-06-15", "diagnosis": "2020"}))
    parse_record(record(demographics={"birth_date": "1980"}, myositis={"onset": "1980-01"}))


@pytest.mark.parametrize(
    ("labs", "where"),
    [
        ([lab(True)], "labs[0].value"),
        ([lab(-5)], "labs[0].value"),
        ([lab(float("inf"))], "labs[0].value"),
        ([lab(float("nan"))], "labs[0].value"),
        ([lab(695, range={"low": 25, "high": float("inf")})], "labs[0].range.high"),
        ([lab(695, range={"low": -1, "high": 200})], "labs[0].range.low"),
        ([lab(695, range={"low": 300, "high": 200})], "labs[0].range"),
        ([lab(695, range={"low": 25, "high": False})], "labs[0].range.high"),
    ],
)
def test_regression_impossible_lab_values_are_refused(labs: list[Any], where: str) -> None:
    with pytest.raises(RecordValidationError) as caught:
        parse_record(record(labs=labs))
    assert any(d.location == where for d in caught.value.details)


def test_regression_future_dated_result_is_refused() -> None:
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    with pytest.raises(DateResolutionError) as caught:
        parse_record(record(labs=[lab(300, date=tomorrow)]))
    assert caught.value.code == "HT102"
    assert "labs[0].date" in str(caught.value)


@pytest.mark.parametrize("analyte", sorted(ENZYME_LIMITS, key=lambda a: a.value))
def test_enzyme_thresholds_warn_at_the_limit_not_below(analyte: Analyte) -> None:
    limit = ENZYME_LIMITS[analyte]
    at = parse_record(record(labs=[{"analyte": analyte.value, "value": limit, "unit": "U/L"}]))
    below = parse_record(
        record(labs=[{"analyte": analyte.value, "value": limit * 0.99, "unit": "U/L"}])
    )
    assert len(at.plausibility_warnings) == 1 and "labs[0]" in at.plausibility_warnings[0]
    assert below.plausibility_warnings == ()


def test_unit_error_shape_is_flagged_by_times_uln() -> None:
    odd = parse_record(record(labs=[lab(5000, range={"low": 0.1, "high": 0.2})]))
    assert any("upper limit of normal" in w for w in odd.plausibility_warnings)


def test_age_above_105_warns_on_any_date() -> None:
    assert parse_record(record(demographics={"age_years": MAX_AGE_YEARS + 1})).plausibility_warnings
    old = parse_record(
        record(demographics={"birth_date": "1900-01-01"}, myositis={"onset": "2010-01-01"})
    )
    assert any("110 years old" in w for w in old.plausibility_warnings)
    assert parse_record(record(demographics={"age_years": 105})).plausibility_warnings == ()


def test_warnings_reach_every_assessment_output(tmp_path: Path) -> None:
    data = record(
        demographics={"age_years": 110},
        labs=[lab(250000, range={"low": 25, "high": 200}, date="2024-01-01")],
    )
    path = tmp_path / "odd.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    runner = CliRunner()
    as_json = runner.invoke(app, ["assess", str(path), "--format", "json"])
    assert as_json.exit_code == 0
    parsed = json.loads(as_json.output)
    assert len(parsed["warnings"]) == 2
    assert "Infinity" not in as_json.output and "NaN" not in as_json.output
    text = runner.invoke(app, ["assess", str(path)], env={"COLUMNS": "200"})
    assert text.exit_code == 0
    assert "CK 250000 U/L is at or above 100,000 U/L" in text.output
    assert assess(parse_record(data)).warnings == parse_record(data).plausibility_warnings


def test_regression_contradiction_exits_2_without_traceback(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        yaml.safe_dump(record(myositis={"onset": "2021-05-01", "diagnosis": "2020-01-01"})),
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["assess", str(path)])
    assert result.exit_code == 2
    assert "HT101" in result.output and "Traceback" not in result.output
    assert "myositis.diagnosis" in result.output


DAYS = st.integers(min_value=0, max_value=20_000)


@settings(max_examples=60, deadline=None)
@given(DAYS, DAYS, DAYS, DAYS)
def test_ordered_dates_are_never_refused(birth: int, onset: int, diagnosis: int, stop: int) -> None:
    """Dates in a possible order (birth ≤ onset ≤ diagnosis, start ≤ stop) are accepted;
    swapping onset and diagnosis when they differ is refused."""
    start = date(1950, 1, 1)
    b = start + timedelta(birth % 5000)
    o = b + timedelta(onset)
    d = o + timedelta(diagnosis % 3000)
    s = d + timedelta(stop % 1000)
    data = record(
        demographics={"birth_date": b.isoformat()},
        myositis={"onset": o.isoformat(), "diagnosis": d.isoformat()},
        treatments=[
            {"drug": "x", "kind": "glucocorticoid", "start": d.isoformat(), "stop": s.isoformat()}
        ],
    )
    if s > date.today():
        return
    parse_record(data)
    if d != o:
        swapped = {**data, "myositis": {"onset": d.isoformat(), "diagnosis": o.isoformat()}}
        with pytest.raises(RecordValidationError):
            parse_record(swapped)


@pytest.mark.parametrize(
    "command",
    [["timeline"], ["screening", "--as-of", "2024-06-01"], ["recist"]],
    ids=["timeline", "screening", "recist"],
)
def test_warnings_reach_timeline_screening_and_recist(tmp_path: Path, command: list[str]) -> None:
    data = record(
        demographics={"age_years": 50},
        myositis={"onset": "2024-01-01", "diagnosis": "2024-02-01"},
        labs=[lab(250000, range={"low": 25, "high": 200}, date="2024-01-15")],
        lesions=[
            {"date": "2024-01-10", "lesion": "T1", "organ": "liver", "kind": "target", "mm": 40},
            {"date": "2024-03-10", "lesion": "T1", "organ": "liver", "kind": "target", "mm": 30},
        ],
    )
    path = tmp_path / "odd.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    runner = CliRunner()
    as_json = runner.invoke(app, [command[0], str(path), *command[1:], "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    assert "CK 250000 U/L is at or above 100,000 U/L" in as_json.output
    json.loads(as_json.output)
    text = runner.invoke(app, [command[0], str(path), *command[1:]], env={"COLUMNS": "200"})
    assert text.exit_code == 0, text.output
    assert "CK 250000 U/L is at or above 100,000 U/L" in text.output


FINITE = st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False)
ANY_NUMBER = st.one_of(
    FINITE, st.just(float("inf")), st.just(float("nan")), st.just(-1.0), st.booleans()
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["ck", "ldh", "alt", "crp"]), ANY_NUMBER, ANY_NUMBER), max_size=4
    ),
    st.one_of(st.none(), ANY_NUMBER),
)
def test_accepted_records_give_strict_json_refused_ones_a_coded_error(
    labs: list[tuple[str, Any, Any]], age: Any
) -> None:
    """Whatever numbers a record holds, it is either refused with a coded error or assessed
    into JSON that a strict encoder accepts (no bare Infinity or NaN)."""
    units = {"ck": "U/L", "ldh": "U/L", "alt": "U/L", "crp": "mg/L"}
    data = record(
        labs=[
            {"analyte": a, "value": v, "unit": units[a], "range": {"high": h}, "date": "2024-01-01"}
            for a, v, h in labs
        ]
    )
    if age is not None:
        data["demographics"] = {"age_years": age}
    try:
        parsed = parse_record(data)
    except RecordValidationError as exc:
        assert exc.code == "HT101" and exc.details
        return
    json.dumps(assess(parsed).to_json(trace=True), allow_nan=False, default=str)


def test_an_upper_limit_too_small_to_divide_by_is_refused_not_an_infinite_times_uln() -> None:
    """Regression (found by the property test above): a positive but vanishingly small upper
    limit (5e-324) made value ÷ ULN overflow to infinity, and strict JSON output failed."""
    data = record(
        labs=[
            {
                "analyte": "ck",
                "value": 1.0,
                "unit": "U/L",
                "range": {"high": 5e-324},
                "date": "2024-01-01",
            }
        ]
    )
    with pytest.raises(RecordValidationError) as caught:
        parse_record(data)
    assert caught.value.code == "HT101"
    assert "range.high" in str(caught.value) and "labs[0]" in str(caught.value)
