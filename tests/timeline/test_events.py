"""Events: every dated fact on one axis, relative dates resolved, in date order."""

from __future__ import annotations

from datetime import date

from heliotrope.io import parse_record
from heliotrope.model.dates import DateRange
from heliotrope.model.record import PatientRecord
from heliotrope.timeline import build_timeline
from heliotrope.timeline.events import build_events, parse_range, path_key, undated_paths


def test_relative_dates_resolve_and_sort_by_date_not_file_order() -> None:
    # Written last-first: each date hangs off a later-listed anchor.
    record = parse_record(
        {
            "id": "order",
            "events": [
                {
                    "id": "flare",
                    "kind": "presentation",
                    "date": {"after": "chemo.stop", "by": "2 months"},
                },
                {
                    "id": "consult",
                    "kind": "consultation",
                    "date": {"before": "chemo.start", "by": "1 week"},
                },
            ],
            "findings": [
                {"code": "heliotrope_rash", "status": "present", "date": {"anchor": "flare"}},
                {"code": "v_sign", "status": "present", "date": {"anchor": "consult"}},
                {"code": "shawl_sign", "status": "present", "date": "2020-03"},
            ],
            "treatments": [
                {
                    "id": "chemo",
                    "drug": "doxorubicin",
                    "kind": "chemotherapy",
                    "target": "cancer",
                    "line": 1,
                    "start": "2020-02-03",
                    "stop": {"after": "chemo.start", "by": "18 weeks"},
                }
            ],
        }
    )
    events = build_events(record)
    order = [(e.path, str(e.when)) for e in events]
    assert order == [
        ("events[1]", "2020-01-27"),
        ("findings[1]", "2020-01-27"),
        ("treatments[0].start", "2020-02-03"),
        ("findings[2]", "2020-03-01..2020-03-31"),  # a partial date: shown as its range
        ("treatments[0].stop", "2020-06-08"),
        ("events[0]", "2020-08-08"),
        ("findings[0]", "2020-08-08"),
    ]
    assert [e.when.mid for e in events] == sorted(e.when.mid for e in events)


def test_founding_case_events_resolve_through_anchors(founding: PatientRecord) -> None:
    events = build_events(founding)
    by_path = {e.path: e for e in events}
    acute = founding.anchors["acute_presentation"]
    assert acute == DateRange(date(2019, 9, 1), date(2019, 9, 1))  # doxorubicin stop + 2 months
    heliotrope = next(
        f"findings[{i}]" for i, f in enumerate(founding.findings) if f.code == "heliotrope_rash"
    )
    assert by_path[heliotrope].when == acute
    assert by_path["events[2]"].when == founding.anchors["pretreatment_consultation"]
    assert by_path["treatments[3].start"].summary.startswith("chemotherapy: doxorubicin, line 1")
    assert "6 cycles" in by_path["treatments[3].start"].summary
    assert "dose change -25% (febrile neutropenia), date not given" in (
        by_path["treatments[3].start"].summary
    )
    assert by_path["treatments[3].stop"].kind == "treatment_stop"
    assert by_path["tumour_assessments[2]"].summary == "tumour assessment: SD (reported)"
    assert by_path["cancers[0]"].kind == "cancer_diagnosis"
    assert by_path["labs[3]"].summary.endswith("3.48×ULN")
    assert by_path["findings[0]"].source is not None
    assert by_path["findings[0]"].source.endswith("findings[0]")
    assert by_path["myositis.onset"].when == acute


def test_paths_sort_by_number_within_a_date(founding: PatientRecord) -> None:
    same_day = [
        e.path for e in build_events(founding) if e.kind == "finding" and e.when.mid.month == 9
    ]
    assert same_day == sorted(same_day, key=path_key)
    assert same_day.index("findings[9]") < same_day.index("findings[10]")


def test_undated_facts_are_listed_apart(founding: PatientRecord) -> None:
    assert undated_paths(founding) == ("investigations[3]",)  # muscle biopsy, not performed
    assert "investigations[3]" not in {e.path for e in build_events(founding)}
    assert build_timeline(founding).undated == ("investigations[3]",)


def test_range_text_round_trips() -> None:
    for text in ("2019-03-14", "2019-03-01..2019-03-31"):
        assert str(parse_range(text)) == text


def test_json_event_shape(founding: PatientRecord) -> None:
    event = build_timeline(founding).to_json()["events"][0]
    assert set(event) >= {"date", "kind", "summary", "path", "source", "origin"}
    assert event["origin"] == "record"


def test_activity_and_lab_statements_are_summarised_by_describe() -> None:
    """One summary for every entry kind: activity assessments go through ``describe`` (their
    own summary used to live in the timeline), and dated lab statements are on the axis."""
    from heliotrope.model.describe import describe

    record = parse_record(
        {
            "id": "summaries",
            "activity": [
                {
                    "date": "2020-02-01",
                    "mmt8": 64,
                    "cdasi_activity": 12,
                    "physician_global": 4,
                    "grades": [{"muscle": "deltoid", "mrc": "4-"}],
                },
                {"date": "2020-03-01"},
            ],
            "lab_statements": [{"analyte": "ck", "interpretation": "high", "date": "2020-02-01"}],
        }
    )
    assert describe(record.activity[0]) == (
        "activity: MMT-8 64/80; CDASI activity 12; PGA 4/10; MRC deltoid 4-"
    )
    assert describe(record.activity[1]) == "activity: no measures"
    events = {e.path: (e.kind, e.summary) for e in build_events(record)}
    assert events == {
        "activity[0]": ("activity", describe(record.activity[0])),
        "activity[1]": ("activity", "activity: no measures"),
        "lab_statements[0]": ("lab", "CK reported high (no value given)"),
    }


def test_on_treatment_follows_the_treatment_spans() -> None:
    """DM activity's 'on treatment' uses the same spans as the treatment bars: a drug with no
    stop is still given, a procedure with no stop lasts one day, a stopped drug ends."""
    from heliotrope.timeline.activity import activity_points

    record = parse_record(
        {
            "id": "spans",
            "findings": [
                {"code": "heliotrope_rash", "status": "present", "date": "2020-01-10"},
                {"code": "heliotrope_rash", "status": "present", "date": "2020-06-10"},
            ],
            "treatments": [
                {"drug": "femoral fixation", "kind": "surgery", "start": "2020-01-10"},
                {"drug": "prednisolone", "kind": "glucocorticoid", "start": "2020-01-10"},
                {
                    "drug": "methotrexate",
                    "kind": "immunosuppressant",
                    "start": "2020-01-01",
                    "stop": "2020-03-01",
                },
            ],
        }
    )
    points = activity_points(record)
    assert [p.on_treatment for p in points] == [
        ("femoral fixation", "prednisolone", "methotrexate"),
        ("prednisolone",),
    ]
