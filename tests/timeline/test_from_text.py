"""The founding case's timeline from its own text, both renditions (issue 8, part 3).

Merry E, et al. Clin Sarcoma Res 2020;10:15: the rash at the pre-treatment consultation, its
fading on doxorubicin, stable disease at the end of first-line chemotherapy, the flare two
months later with the restaging alert, and progression at re-evaluation — the same story as
``examples/founding-case.yaml``.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from heliotrope.cli.main import app
from heliotrope.model.dates import DateRange, RelativeDate, add_months
from heliotrope.model.record import PatientRecord
from heliotrope.model.vocabulary import FindingCode, RecistResponse, Status
from heliotrope.nlp.reader import read_record
from heliotrope.timeline import RESTAGE_ID, Timeline, build_timeline

pytestmark = pytest.mark.shared
RENDITIONS = ("case-report.web.txt", "case-report.pdf.txt")
runner = CliRunner()


@pytest.fixture(scope="module")
def records(shared_dir: Path) -> dict[str, PatientRecord]:
    return {name: read_record(shared_dir / "seeds" / name).record for name in RENDITIONS}


def day(record: PatientRecord, spec: object) -> DateRange:
    found = record.date_of(spec)  # type: ignore[arg-type]
    assert found is not None
    return found


def finding_days(record: PatientRecord, code: FindingCode, status: Status) -> list[DateRange]:
    return sorted(
        day(record, f.date)
        for f in record.findings
        if f.code is code and f.status is status and f.date is not None
    )


def milestones(record: PatientRecord) -> dict[str, DateRange]:
    """The story's milestones as the record dates them."""
    [doxorubicin] = [t for t in record.treatments if t.drug == "doxorubicin"]
    [consultation] = [e for e in record.events if e.kind == "consultation"]
    [rash] = finding_days(record, FindingCode.photodistributed_erythema, Status.present)
    [faded] = finding_days(record, FindingCode.photodistributed_erythema, Status.absent)
    [flare] = finding_days(record, FindingCode.shawl_sign, Status.present)
    by_verdict = {t.reported_response: day(record, t.date) for t in record.tumour_assessments}
    return {
        "consultation": day(record, consultation.date),
        "rash": rash,
        "start": day(record, doxorubicin.start),
        "faded": faded,
        "stop": day(record, doxorubicin.stop),
        "sd": by_verdict[RecistResponse.SD],
        "flare": flare,
        "pd": by_verdict[RecistResponse.PD],
    }


@pytest.mark.parametrize("name", RENDITIONS)
def test_the_rash_is_dated_at_the_pre_treatment_consultation(
    records: dict[str, PatientRecord], name: str
) -> None:
    at = milestones(records[name])
    assert at["rash"] == at["consultation"]
    assert at["consultation"].latest <= at["start"].earliest


@pytest.mark.parametrize("name", RENDITIONS)
def test_the_rash_fades_during_the_first_cycle_of_doxorubicin(
    records: dict[str, PatientRecord], name: str
) -> None:
    at = milestones(records[name])
    assert at["faded"].earliest >= at["start"].earliest
    assert at["faded"].latest <= at["start"].latest + timedelta(days=21)  # cycle one: 3 weeks


@pytest.mark.parametrize("name", RENDITIONS)
def test_stable_disease_at_the_end_of_six_three_weekly_cycles(
    records: dict[str, PatientRecord], name: str
) -> None:
    at = milestones(records[name])
    assert at["stop"].earliest - at["start"].earliest == timedelta(weeks=18)
    assert at["sd"] == at["stop"]


@pytest.mark.parametrize("name", RENDITIONS)
def test_the_flare_two_months_later_and_progression_at_re_evaluation(
    records: dict[str, PatientRecord], name: str
) -> None:
    at = milestones(records[name])
    assert at["flare"].earliest == add_months(at["stop"].earliest, 2)
    assert at["pd"].earliest >= at["flare"].earliest


@pytest.mark.parametrize("name", RENDITIONS)
def test_the_restaging_alert_is_raised_at_the_flare(
    records: dict[str, PatientRecord], name: str
) -> None:
    record = records[name]
    timeline: Timeline = build_timeline(record)
    [alert] = timeline.restage_alerts
    assert alert.id == RESTAGE_ID
    assert alert.when == milestones(record)["flare"]
    statuses = [(t.status, t.origin) for t in timeline.tumour]
    assert statuses == [("SD", "reported"), ("PD", "reported")]
    flares = [str(p.when) for p in timeline.activity if p.flare == "yes"]
    assert flares == [str(alert.when)]


@pytest.mark.parametrize("name", RENDITIONS)
def test_the_same_story_as_the_founding_case_file(
    records: dict[str, PatientRecord], name: str, examples_dir: Path
) -> None:
    """The milestones come in the order the hand-written case file gives them."""
    from heliotrope.io import load_record

    hand = load_record(examples_dir / "founding-case.yaml")
    text = records[name]
    hand_order = [
        day(hand, RelativeDate(anchor="pretreatment_consultation")),
        day(hand, RelativeDate(anchor="doxorubicin.start")),
        day(hand, RelativeDate(anchor="doxorubicin.stop")),
        day(hand, RelativeDate(anchor="acute_presentation")),
    ]
    at = milestones(text)
    text_order = [at["consultation"], at["start"], at["stop"], at["flare"]]
    assert [d.earliest for d in hand_order] == sorted(d.earliest for d in hand_order)
    assert [d.earliest for d in text_order] == sorted(d.earliest for d in text_order)
    for order in (hand_order, text_order):  # the flare: two calendar months after the stop
        assert add_months(order[2].earliest, 2) == order[3].earliest
    assert len(build_timeline(hand).restage_alerts) == len(build_timeline(text).restage_alerts)


@pytest.mark.parametrize("name", RENDITIONS)
def test_cli_timeline_reads_the_document(shared_dir: Path, name: str) -> None:
    path = str(shared_dir / "seeds" / name)
    result = runner.invoke(app, ["timeline", path], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Read from text" in out
    assert "ALERT" in out and "DM worsening — restage the cancer" in out
    assert "SD (reported) → PD (reported)" in out
    assert RESTAGE_ID in out
    data = json.loads(runner.invoke(app, ["timeline", path, "--format", "json"]).stdout)
    assert [a["id"] for a in data["alerts"] if a["level"] == "alert"] == [RESTAGE_ID]
    assert data["extraction"]["facts"]


def test_without_nominal_dates_the_text_has_no_axis(shared_dir: Path) -> None:
    path = str(shared_dir / "seeds" / "case-report.web.txt")
    result = runner.invoke(app, ["timeline", path, "--no-nominal-dates", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["alerts"] == [] or all(a["level"] != "alert" for a in data["alerts"])
    assert any(path.startswith("findings[") for path in data["undated"])
