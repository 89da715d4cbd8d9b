"""The founding case (Merry 2020): rash at the pre-treatment consultation, fading on
doxorubicin, SD at the end of first line, the flare two months after chemotherapy → restaging
alert, PD at restaging, then second-line trabectedin."""

from __future__ import annotations

from typing import Any

import pytest

from heliotrope.io import parse_record
from heliotrope.model.record import PatientRecord
from heliotrope.model.vocabulary import FindingCode
from heliotrope.timeline import RESTAGE_ID, build_timeline


def test_pretreatment_consultation_shows_the_early_mild_rash(founding: PatientRecord) -> None:
    timeline = build_timeline(founding)
    first = timeline.activity[0]
    assert first.when == founding.anchors["pretreatment_consultation"]
    assert first.skin is not None
    assert set(first.skin.present) == {FindingCode.photodistributed_erythema, FindingCode.v_sign}
    assert first.muscle is not None and not first.muscle.is_weak
    assert first.changes["skin"].trend == "baseline"
    # Cancer known, rash first seen: nothing earlier to compare, so a watch, not an alert.
    at_consult = [a for a in timeline.alerts if a.when == first.when]
    assert [a.level for a in at_consult] == ["watch"]


def test_restaging_alert_at_the_acute_presentation(founding: PatientRecord) -> None:
    timeline = build_timeline(founding)
    acute = founding.anchors["acute_presentation"]
    assert [a.when for a in timeline.restage_alerts] == [acute]
    alert = timeline.restage_alerts[0]
    assert alert.id == RESTAGE_ID == "timeline.restage_alert.v1"
    assert alert.title == "DM worsening — restage the cancer"
    text = " ".join(alert.changes)
    for sign in ("shawl sign", "heliotrope rash", "gottron papules", "weakness proximal upper"):
        assert sign in text
    assert "CK 3.48×ULN" in text
    paths = {e.path for e in alert.evidence}
    acute_signs = {
        f"findings[{i}]"
        for i, f in enumerate(founding.findings)
        if f.status == "present"
        and f.date is not None
        and founding.date_of(f.date) == acute
        and f.code
        in ("shawl_sign", "heliotrope_rash", "gottron_papules", "weakness_proximal_upper")
    }
    assert len(acute_signs) == 4
    assert acute_signs | {"labs[3]"} <= paths
    assert "cancers[0]" in paths
    assert any("leiomyosarcoma" in c for c in alert.cancers)
    assert any("Clin Sarcoma Res 2020;10:15" in c for c in alert.citations)
    assert any("§6.1" in c for c in alert.citations)
    # The kernel result explains itself.
    assert alert.result is not None
    rule = alert.result.to_json()
    assert (rule["version"], rule["category"]) == (RESTAGE_ID, "restage")
    assert rule["items"]["rash_worse"]["status"] == "present"
    assert rule["items"]["weakness_worse"]["status"] == "present"
    assert rule["items"]["enzymes_rising"]["status"] == "unknown"  # first CK: no earlier value
    assert rule["items"]["cancer_known"]["status"] == "present"
    assert rule["items"]["cancer_in_cam_window"]["status"] == "present"
    assert rule["dm_flare"] is True


def test_rash_fades_on_doxorubicin_then_flares(founding: PatientRecord) -> None:
    """Merry 2020: the rash resolved in cycle one of doxorubicin; the flare came 2 months after."""
    activity = build_timeline(founding).activity
    during_chemo = founding.anchors["doxorubicin.start"].earliest
    faded = next(p for p in activity if p.when.earliest > during_chemo)
    assert faded.changes["skin"].trend == "resolved"
    point = activity[-1]
    assert point.flare == "yes"
    assert point.changes["skin"].trend == "new"
    assert point.changes["muscle"].trend == "new"
    assert point.changes["skin"].previous == faded.when
    assert point.enzymes is not None and point.enzymes.highest is not None
    assert point.enzymes.highest[1] == pytest.approx(3.475)
    assert "doxorubicin" not in point.on_treatment  # off chemotherapy at the flare


def test_sd_then_pd_and_second_line(founding: PatientRecord) -> None:
    timeline = build_timeline(founding)
    verdicts = [(t.status, t.origin) for t in timeline.tumour if t.status]
    assert verdicts == [("SD", "reported"), ("PD", "reported")]
    sd = next(t for t in timeline.tumour if t.status == "SD")
    pd = next(t for t in timeline.tumour if t.status == "PD")
    acute = founding.anchors["acute_presentation"]
    assert sd.when == founding.anchors["doxorubicin.stop"]
    assert sd.when.mid < acute.mid < pd.when.mid
    trabectedin = next(b for b in timeline.treatments if b.label.startswith("trabectedin"))
    assert trabectedin.line == 2 and trabectedin.start > pd.when.mid


def test_intervals_side_by_side(founding: PatientRecord) -> None:
    intervals = build_timeline(founding).intervals
    texts = [i.tumour_text for i in intervals]
    assert texts == [
        "assessed, no verdict → assessed, no verdict",
        "assessed, no verdict → SD (reported)",
        "SD (reported) → PD (reported)",
        "PD (reported) → not yet reassessed",
    ]
    first, on_chemo, flare, after = intervals
    assert "doxorubicin (line 1)" in first.treatments["cancer"]
    assert first.dm_summary()["skin_score_peak"] == 2
    assert on_chemo.dm_summary()["text"] == "DM activity not assessed"
    assert flare.treatments["cancer"] == ()  # off chemotherapy when DM flared
    assert "prednisolone" in flare.treatments["myositis"]
    summary = flare.dm_summary()
    assert summary["flares"] == [str(founding.anchors["acute_presentation"])]
    assert summary["weakness"] is True
    assert summary["enzyme_peak_uln"] == pytest.approx(3.475)
    assert after.end is None and after.treatments["cancer"] == ("trabectedin (line 2)",)
    row = flare.to_json()
    assert row["tumour"]["start"]["status"] == "SD" and row["tumour"]["end"]["status"] == "PD"


def _with_fading(data: dict[str, Any]) -> PatientRecord:
    """The report: the rash "resolved during cycle one of doxorubicin with a sustained remission
    throughout chemotherapy. She did not report any muscle weakness or pain during this time."""
    cycle_one = {"after": "doxorubicin.start", "by": "3 weeks"}
    data["findings"] += [
        {"code": "photodistributed_erythema", "status": "absent", "date": cycle_one},
        {"code": "v_sign", "status": "absent", "date": cycle_one},
        {"code": "weakness_proximal_upper", "status": "absent", "date": cycle_one},
        {"code": "weakness_proximal_lower", "status": "absent", "date": cycle_one},
    ]
    return parse_record(data)


def test_rash_fades_on_doxorubicin_and_flare_still_alerts(founding_data: dict[str, Any]) -> None:
    record = _with_fading(founding_data)
    timeline = build_timeline(record)
    _consult, faded, acute = timeline.activity
    assert faded.changes["skin"].trend == "resolved"
    assert "faded" in faded.changes["skin"].text
    assert faded.muscle is not None and not faded.muscle.is_weak
    assert "doxorubicin" in faded.on_treatment
    assert faded.flare == "no"
    assert acute.changes["skin"].trend == "new"  # none present at the last look
    assert [a.when for a in timeline.restage_alerts] == [record.anchors["acute_presentation"]]
    on_chemo = timeline.intervals[0]
    assert any("faded" in change for change in on_chemo.dm_summary()["changes"])


def test_json_has_the_contract_keys(founding: PatientRecord) -> None:
    data = build_timeline(founding).to_json()
    assert {"patient_id", "events", "alerts", "intervals"} <= set(data)
    assert data["patient_id"] == "founding-case"
    levels = [(a["level"], a["id"]) for a in data["alerts"]]
    assert ("alert", RESTAGE_ID) in levels
    alert = next(a for a in data["alerts"] if a["level"] == "alert")
    assert alert["rule"]["category"] == "restage"
    assert alert["date"] == str(founding.anchors["acute_presentation"])
