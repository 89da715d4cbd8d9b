"""The record model: vocabulary, antibodies, MRC grades, age intervals, immutability."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from heliotrope.errors import RecordValidationError
from heliotrope.io import parse_record
from heliotrope.model import AntibodyName, MuscleGrade


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("TIF1-γ", AntibodyName.anti_tif1g),
        ("anti-TIF1 gamma", AntibodyName.anti_tif1g),
        ("anti-p155/140", AntibodyName.anti_tif1g),
        ("Jo-1", AntibodyName.anti_jo1),
        ("anti-Mi2", AntibodyName.anti_mi2),
        ("MDA-5", AntibodyName.anti_mda5),
        ("ANA", AntibodyName.ana),
        ("anti_nxp2", AntibodyName.anti_nxp2),
    ],
)
def test_antibody_names_are_normalised(written: str, canonical: AntibodyName) -> None:
    record = parse_record({"id": "p", "antibodies": [{"name": written, "result": "positive"}]})
    assert record.antibodies[0].name is canonical


def test_unknown_antibody_is_an_error_listing_known_names() -> None:
    with pytest.raises(RecordValidationError) as info:
        parse_record({"id": "p", "antibodies": [{"name": "anti-XYZ", "result": "positive"}]})
    message = str(info.value)
    assert "antibodies[0].name" in message
    assert "anti_tif1g" in message


@pytest.mark.parametrize(
    ("grade", "bounds"),
    [("5", (5, 5)), ("4-", (11 / 3, 11 / 3)), ("3-4", (3, 4)), ("4+/5", (13 / 3, 13 / 3))],
)
def test_mrc_grades(grade: str, bounds: tuple[float, float]) -> None:
    parsed = MuscleGrade(muscle="deltoid", mrc=grade)
    assert parsed.bounds == pytest.approx(bounds)


@pytest.mark.parametrize("grade", ["6", "4-3", "strong"])
def test_bad_mrc_grades(grade: str) -> None:
    with pytest.raises(ValidationError):
        MuscleGrade(muscle="deltoid", mrc=grade)


def test_age_interval_moves_with_dates() -> None:
    record = parse_record(
        {
            "id": "p",
            "demographics": {"age_years": 39, "age_at": "2019-01-01"},
            "myositis": {"onset": "2019-07-01"},
        }
    )
    lo, hi = record.age_at(record.myositis_onset) or (0, 0)
    assert 39.4 < lo < 39.6
    assert 40.4 < hi < 40.6


def test_birth_date_gives_an_exact_age() -> None:
    record = parse_record(
        {
            "id": "p",
            "demographics": {"birth_date": "1980-03-01"},
            "myositis": {"onset": "2020-03-01"},
        }
    )
    lo, hi = record.age_at(record.myositis_onset) or (0, 0)
    assert lo == pytest.approx(40.0, abs=0.01)
    assert hi == pytest.approx(40.0, abs=0.01)


@pytest.mark.parametrize(
    ("birth", "onset", "age"),
    [
        ("2000-03-01", "2018-03-01", 18.0),  # four leap days in eighteen years
        ("2001-01-01", "2019-01-01", 18.0),
        ("2000-02-29", "2018-02-28", 18.0),  # a leap-day birth has its birthday on 28 Feb
        ("1980-01-01", "2020-01-01", 40.0),
    ],
)
def test_age_on_a_birthday_is_the_whole_number_of_years(birth: str, onset: str, age: float) -> None:
    record = parse_record(
        {"id": "p", "demographics": {"birth_date": birth}, "myositis": {"onset": onset}}
    )
    assert record.age_at(record.myositis_onset) == (age, age)


def test_a_dated_age_without_an_onset_date_is_no_age_at_onset() -> None:
    """Regression: an age recorded on a date was taken as the age at onset when no myositis
    date was recorded, so a missing date gave a definite age band."""
    from heliotrope.criteria import eular_acr_2017 as eular

    dated = parse_record({"id": "p", "demographics": {"age_years": 43, "age_at": "2019-01-15"}})
    assert dated.myositis_onset is None
    assert dated.age_at(dated.myositis_onset) is None
    result = eular.assess(dated)
    for key in ("age_onset_under_18", "age_onset_18_to_40", "age_onset_40_plus"):
        assert result.item(key).status == "unknown"
    undated = parse_record({"id": "p", "demographics": {"age_years": 43}})
    assert undated.age_at(None) == (43, 43.999)  # no dates at all: the age at onset


def test_eighteenth_birthday_onset_is_adult_for_eular_acr() -> None:
    """Regression: a day count over 365.25 made an onset on the 18th birthday juvenile."""
    from heliotrope.criteria import eular_acr_2017 as eular

    record = parse_record(
        {
            "id": "p",
            "demographics": {"birth_date": "2000-03-01"},
            "myositis": {"onset": "2018-03-01"},
        }
    )
    result = eular.assess(record)
    assert result.item("age_onset_under_18").status == "absent"
    assert result.item("age_onset_18_to_40").status == "present"


def test_record_is_immutable() -> None:
    record = parse_record({"id": "p"})
    with pytest.raises(ValidationError):
        record.id = "q"  # type: ignore[misc]


def test_sources_are_attached_to_case_file_facts() -> None:
    record = parse_record(
        {"id": "p", "findings": [{"code": "gottron_papules", "status": "present"}]}, "case.yaml"
    )
    source = record.findings[0].source
    assert source is not None
    assert (source.document, source.field) == ("case.yaml", "findings[0]")


def test_not_performed_investigation_cannot_report_findings() -> None:
    with pytest.raises(RecordValidationError, match="not performed"):
        parse_record(
            {
                "id": "p",
                "investigations": [
                    {
                        "kind": "muscle_biopsy",
                        "performed": False,
                        "findings": {"perifascicular_atrophy": "present"},
                    }
                ],
            }
        )


def test_dates_of_today_are_accepted() -> None:
    parse_record(
        {"id": "p", "events": [{"id": "a", "kind": "x", "date": date.today().isoformat()}]}
    )
