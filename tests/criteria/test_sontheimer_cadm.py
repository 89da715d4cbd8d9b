"""Sontheimer CADM (spec §4): the 6- and 24-month durations from record dates, amyopathic vs
hypomyopathic, the exclusions, and unknown (never not_met) when dates are missing."""

from __future__ import annotations

from typing import Any

import pytest

from heliotrope.criteria import sontheimer_cadm as cadm
from heliotrope.io import parse_record
from heliotrope.logic import Context, ItemStatus
from heliotrope.model import PatientRecord

from .helpers import founding_case

ONSET = "2020-01-10"
HYDROXYCHLOROQUINE = {"drug": "hydroxychloroquine", "kind": "other", "start": "2020-01-20"}


def exam(when: str | None, status: str = "absent") -> list[dict[str, Any]]:
    extra = {"date": when} if when else {}
    return [
        {"code": "weakness_proximal_upper", "status": status, **extra},
        {"code": "weakness_proximal_lower", "status": status, **extra},
    ]


def ck(when: str | None, value: float = 90) -> dict[str, Any]:
    extra = {"date": when} if when else {}
    return {"analyte": "ck", "value": value, "unit": "U/L", "range": {"high": 200}, **extra}


def make(
    *,
    onset: str | None = ONSET,
    exams: list[dict[str, Any]] | None = None,
    labs: list[dict[str, Any]] | None = None,
    treatments: list[dict[str, Any]] | None = None,
    investigations: list[dict[str, Any]] | None = None,
    skin_date: str | None = ONSET,
) -> PatientRecord:
    skin: dict[str, Any] = {"code": "gottron_papules", "status": "present"}
    if skin_date:
        skin["date"] = skin_date
    return parse_record(
        {
            "id": "cadm",
            "myositis": {"onset": onset} if onset else {},
            "findings": [skin, *(exams if exams is not None else exam("2020-08-01"))],
            "labs": labs if labs is not None else [ck("2020-08-01")],
            "treatments": treatments if treatments is not None else [HYDROXYCHLOROQUINE],
            "investigations": investigations or [],
        }
    )


def test_amyopathic_dm_after_six_months() -> None:
    result = cadm.assess(make())
    assert result.category == "cadm"
    assert result.values["subgroup"] == "amyopathic_dm"
    assert result.outcome == "cadm amyopathic_dm"
    assert result.values["amyopathic_days"] == [204, 204]


def test_confirmed_after_24_months() -> None:
    result = cadm.assess(make(exams=exam("2022-01-10"), labs=[ck("2022-01-10")]))
    assert result.values["subgroup"] == "amyopathic_dm_confirmed"


def test_one_day_short_of_24_months_is_provisional() -> None:
    result = cadm.assess(make(exams=exam("2022-01-09"), labs=[ck("2022-01-10")]))
    assert result.item("amyopathic_24_months").status is ItemStatus.absent
    assert result.values["subgroup"] == "amyopathic_dm"


def test_exactly_six_months_counts() -> None:
    assert cadm.assess(make(exams=exam("2020-07-10"))).category == "cadm"
    short = cadm.assess(make(exams=exam("2020-07-09")))
    assert short.category == "not_met"
    assert short.item("amyopathic_6_months").note == "documented for less than 6 months so far"


def test_subclinical_myositis_is_hypomyopathic() -> None:
    result = cadm.assess(make(labs=[ck("2020-08-01", value=450)]))
    assert result.outcome == "cadm hypomyopathic_dm"
    emg = [{"kind": "emg", "performed": True, "findings": {"myopathic": "present"}}]
    assert cadm.assess(make(investigations=emg)).values["subgroup"] == "hypomyopathic_dm"


def test_enzymes_not_measured_leaves_cadm_unsubgrouped() -> None:
    result = cadm.assess(make(labs=[]))
    assert result.category == "cadm"
    assert result.values["subgroup"] is None


def test_weakness_is_classic_dm_not_cadm() -> None:
    result = cadm.assess(make(exams=exam("2020-08-01", "present")))
    assert result.category == "not_met"


@pytest.mark.parametrize(
    "patient",
    [
        make(onset=None, skin_date=None),  # no skin onset date
        make(exams=exam(None)),  # undated examination
        make(onset="2020-01", skin_date="2020-01", exams=exam("2020-07")),  # straddles 6 months
    ],
    ids=["no onset", "undated exam", "partial dates straddle"],
)
def test_missing_or_straddling_dates_give_unknown_never_not_met(patient: PatientRecord) -> None:
    result = cadm.assess(patient)
    assert result.category == "unknown"
    assert set(result.possible_outcomes) >= {"not_met"}
    assert "amyopathic_6_months" in result.pivotal_items or "amyopathic_6_months" in (
        result.unknown_items
    )


def test_early_immunosuppression_excludes() -> None:
    pred = {
        "drug": "prednisolone",
        "kind": "glucocorticoid",
        "start": "2020-02-01",
        "stop": "2020-05-01",
    }
    result = cadm.assess(make(treatments=[pred]))
    assert result.item("early_immunosuppression").status is ItemStatus.present
    assert result.category == "not_met"


def test_a_short_course_does_not_exclude() -> None:
    pred = {
        "drug": "prednisolone",
        "kind": "glucocorticoid",
        "start": "2020-02-01",
        "stop": "2020-03-15",
    }
    assert cadm.assess(make(treatments=[pred])).category == "cadm"


def test_a_course_after_the_first_six_months_does_not_exclude() -> None:
    mtx = {
        "drug": "methotrexate",
        "kind": "immunosuppressant",
        "start": "2020-06-15",
        "stop": "2021-06-01",
    }
    assert cadm.assess(make(treatments=[mtx])).category == "cadm"


def test_an_ongoing_course_without_stop_date() -> None:
    mtx = {"drug": "methotrexate", "kind": "immunosuppressant", "start": "2020-02-01"}
    result = cadm.assess(make(treatments=[mtx]), Context(as_of=None))
    assert result.item("early_immunosuppression").status is ItemStatus.present


def test_undated_immunosuppression_makes_the_category_unknown() -> None:
    mtx = {"drug": "methotrexate", "kind": "immunosuppressant"}
    result = cadm.assess(make(treatments=[mtx]))
    assert result.category == "unknown"
    assert "early_immunosuppression" in result.pivotal_items


def test_statin_before_skin_onset_excludes() -> None:
    statin = {"drug": "Atorvastatin 20 mg", "kind": "other", "start": "2019-06-01"}
    assert cadm.assess(make(treatments=[statin])).category == "not_met"
    later = {"drug": "hydroxyurea", "kind": "other", "start": "2020-03-01"}
    assert cadm.assess(make(treatments=[later])).category == "cadm"


def test_no_treatment_history_is_a_caveat() -> None:
    result = cadm.assess(make(treatments=[]))
    assert result.category == "cadm"
    assert any("No treatment history" in c for c in result.caveats)


def test_founding_case_is_not_cadm() -> None:
    result = cadm.assess(founding_case())
    assert result.category == "not_met"
    assert result.item("no_clinical_weakness").status is ItemStatus.absent
