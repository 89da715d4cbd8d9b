"""The restaging rule: a DM flare with a known cancer or a cancer in the CAM window."""

from __future__ import annotations

import importlib.util
from typing import Any

import pytest

from heliotrope.io import parse_record
from heliotrope.logic import ItemStatus
from heliotrope.model.record import PatientRecord
from heliotrope.timeline import RESTAGE_ID, SCREEN_ID, build_timeline
from heliotrope.timeline.activity import activity_points
from heliotrope.timeline.alerts import restage_definition

from .conftest import Maker

FLARE = "2020-06-10"


def _cancer(when: str, status: str = "active") -> dict[str, Any]:
    return {"histology": "adenocarcinoma", "site": "lung", "status": status, "date": when}


def _levels(record: PatientRecord) -> list[tuple[str, str, str]]:
    return [(a.id, a.level, str(a.when)) for a in build_timeline(record).alerts]


def test_flare_is_detected_without_any_cancer(dm_course: Maker) -> None:
    points = activity_points(dm_course())
    assert [p.flare for p in points] == ["possible", "yes"]
    assert points[1].changes["skin"].trend == "worse"
    assert points[1].changes["muscle"].trend == "new"


def test_no_cancer_raises_no_restaging_alert(dm_course: Maker) -> None:
    timeline = build_timeline(dm_course())
    assert timeline.restage_alerts == ()
    assert all(a.id != RESTAGE_ID for a in timeline.alerts)
    if importlib.util.find_spec("heliotrope.screening") is not None:
        notes = [a for a in timeline.alerts if a.id == SCREEN_ID]
        assert [(n.level, str(n.when)) for n in notes] == [("info", FLARE)]
        assert "IMACS 2023" in notes[0].message
        assert "within 3 years of myositis onset" in notes[0].message


@pytest.mark.parametrize(
    ("onset", "said"),
    [
        ("2017-07-01", "within 3 years of myositis onset, the period of raised cancer risk"),
        ("2016", "more than 3 years after myositis onset"),
        # Regression: a year-only onset (2017-01-01..2017-12-31) was said to be "more than
        # 3 years" before the flare on 2020-06-10, although a late-2017 onset is within.
        ("2017", "depends on the exact onset date (2017-01-01..2017-12-31)"),
    ],
)
def test_screening_note_places_the_flare_against_an_imprecise_onset(
    dm_course: Maker, onset: str, said: str
) -> None:
    notes = [a for a in build_timeline(dm_course(onset=onset)).alerts if a.id == SCREEN_ID]
    assert [str(n.when) for n in notes] == [FLARE]
    assert said in notes[0].message


def test_flare_without_a_cancer_in_the_window_raises_none(dm_course: Maker) -> None:
    # A cancer in remission, diagnosed 10 years before myositis onset: outside the ±3-year window.
    record = dm_course([_cancer("2010-01-01", "remission")])
    assert [lvl for i, lvl, _ in _levels(record) if i == RESTAGE_ID] == []


def test_cancer_diagnosed_after_the_flare_raises_none(dm_course: Maker) -> None:
    record = dm_course([_cancer("2021-02-01")])  # inside the window, but found after the flare
    assert [lvl for i, lvl, _ in _levels(record) if i == RESTAGE_ID] == []


def test_cancer_in_remission_inside_the_window_alerts(dm_course: Maker) -> None:
    record = dm_course([_cancer("2018-05-01", "remission")])
    alerts = build_timeline(record).restage_alerts
    assert [str(a.when) for a in alerts] == [FLARE]
    rule = alerts[0].result
    assert rule is not None
    assert rule.item("cancer_known").status is ItemStatus.absent
    assert rule.item("cancer_in_cam_window").status is ItemStatus.present
    assert "within the CAM window" in alerts[0].message


def test_active_cancer_outside_the_window_still_alerts(dm_course: Maker) -> None:
    record = dm_course([_cancer("2012-01-01", "active")])
    alerts = build_timeline(record).restage_alerts
    assert [str(a.when) for a in alerts] == [FLARE]
    assert alerts[0].result is not None
    assert alerts[0].result.item("cancer_in_cam_window").status is ItemStatus.absent


def test_unknown_cancer_status_gives_a_watch(dm_course: Maker) -> None:
    record = dm_course([_cancer("2012-01-01", "unknown")])
    assert (RESTAGE_ID, "watch", FLARE) in _levels(record)
    timeline = build_timeline(record)
    assert timeline.restage_alerts == ()
    watch = next(a for a in timeline.alerts if str(a.when) == FLARE)
    assert "cancers[0]" in {e.path for e in watch.evidence}
    assert "cancer status or diagnosis date unknown" in watch.message


def test_no_onset_date_leaves_the_window_unknown(dm_course: Maker) -> None:
    record = dm_course([_cancer("2019-01-01", "remission")], onset=None)
    situation_items = build_timeline(record).alerts
    watch = [a for a in situation_items if a.id == RESTAGE_ID and str(a.when) == FLARE]
    assert [a.level for a in watch] == ["watch"]
    assert watch[0].result is not None
    assert watch[0].result.item("cancer_in_cam_window").note == "myositis onset not recorded"


def _enzyme_course(second_ck: float, cancer: bool = True) -> PatientRecord:
    labs = [
        {
            "analyte": "ck",
            "value": 300,
            "unit": "U/L",
            "range": {"high": 200},
            "date": "2020-01-10",
        },
        {"analyte": "ck", "value": second_ck, "unit": "U/L", "range": {"high": 200}, "date": FLARE},
    ]
    return parse_record(
        {
            "id": "ck",
            "myositis": {"onset": "2020-01-01"},
            "labs": labs,
            "cancers": [_cancer("2019-06-01")] if cancer else [],
        }
    )


def test_rising_ck_alone_is_a_flare() -> None:
    alerts = build_timeline(_enzyme_course(700)).restage_alerts
    assert [str(a.when) for a in alerts] == [FLARE]
    assert "CK 1.50→3.50×ULN" in alerts[0].changes[0]


def test_small_ck_rise_is_not_a_flare() -> None:
    record = _enzyme_course(330)  # 1.50 → 1.65 ×ULN: below the 20% rise
    assert build_timeline(record).restage_alerts == ()
    assert activity_points(record)[1].changes["enzymes"].trend == "same"


def test_first_raised_ck_with_a_cancer_is_a_watch_only() -> None:
    record = parse_record(
        {
            "id": "ck1",
            "labs": [
                {
                    "analyte": "ck",
                    "value": 700,
                    "unit": "U/L",
                    "range": {"high": 200},
                    "date": FLARE,
                }
            ],
            "cancers": [_cancer("2019-06-01")],
        }
    )
    assert _levels(record) == [(RESTAGE_ID, "watch", FLARE)]


@pytest.mark.parametrize(
    ("measure", "first", "second", "item"),
    [("mmt8", 74, 62, "mmt8_falling"), ("cdasi_activity", 8, 21, "cdasi_rising")],
)
def test_imacs_measures_worsening_is_a_flare(
    measure: str, first: float, second: float, item: str
) -> None:
    record = parse_record(
        {
            "id": "measures",
            "myositis": {"onset": "2020-01-01"},
            "activity": [{measure: first, "date": "2020-01-10"}, {measure: second, "date": FLARE}],
            "cancers": [_cancer("2019-06-01")],
        }
    )
    alerts = build_timeline(record).restage_alerts
    assert [str(a.when) for a in alerts] == [FLARE]
    assert alerts[0].result is not None
    assert alerts[0].result.item(item).status is ItemStatus.present


@pytest.mark.parametrize(
    ("measure", "first", "trend"),
    [
        ("mmt8", 62, "baseline"),
        ("mmt8", 80, "same"),
        ("cdasi_activity", 21, "baseline"),
        ("cdasi_activity", 0, "same"),
    ],
)
def test_a_first_measure_is_not_taken_as_no_worsening(
    measure: str, first: float, trend: str
) -> None:
    """Regression: a first MMT-8 or CDASI was 'same' (not worse), while a first raised enzyme
    was a baseline: with nothing earlier to compare, active disease is unknown, not stable."""
    record = parse_record(
        {
            "id": "first",
            "myositis": {"onset": "2020-01-01"},
            "activity": [{measure: first, "date": "2020-01-10"}],
            "cancers": [_cancer("2019-06-01")],
        }
    )
    name = "MMT-8" if measure == "mmt8" else "CDASI activity"
    (point,) = build_timeline(record).activity
    assert point.changes[name].trend == trend
    expected = [(RESTAGE_ID, "watch", "2020-01-10")] if trend == "baseline" else []
    assert _levels(record) == expected


def test_improvement_with_a_cancer_raises_nothing(dm_course: Maker) -> None:
    record = dm_course(
        [_cancer("2019-06-01")],
        extra={
            "findings": [
                {"code": "heliotrope_rash", "status": "absent", "date": "2020-09-10"},
                {"code": "gottron_papules", "status": "absent", "date": "2020-09-10"},
                {"code": "weakness_proximal_upper", "status": "absent", "date": "2020-09-10"},
            ]
        },
    )
    timeline = build_timeline(record)
    last = timeline.activity[-1]
    assert last.changes["skin"].trend == "better"  # the V sign was not re-examined
    assert last.changes["muscle"].trend == "resolved"
    assert all(str(a.when) != "2020-09-10" for a in timeline.alerts)


def test_definition_is_a_versioned_kernel_rule() -> None:
    definition = restage_definition()
    assert definition.version == RESTAGE_ID
    assert definition.categories == ("no_alert", "restage")
    assert "Clin Sarcoma Res" in str(definition.citation)
    assert {i.key for i in definition.items} == definition.outcome.item_keys()
