"""From mentions to the record: assertion policy, merging, conflicts, dates, round trip."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from heliotrope.io import parse_record
from heliotrope.model.provenance import Source
from heliotrope.model.record import PatientRecord
from heliotrope.model.vocabulary import (
    AntibodyName,
    AntibodyResult,
    FindingCode,
    InvestigationFinding,
    InvestigationKind,
    Status,
)
from heliotrope.nlp.conflicts import Claim, resolve
from heliotrope.nlp.extract.story import Timeline
from heliotrope.nlp.ingest import ingest_text
from heliotrope.nlp.reader import ReadResult, read_record, record_data


def read(text: str, name: str = "note.txt") -> ReadResult:
    return read_record(ingest_text(text, name))


def statuses(result: ReadResult, code: FindingCode) -> set[Status]:
    return {f.status for f in result.record.findings if f.code is code}


# -- assertions --------------------------------------------------------------------------------


def test_negated_finding_is_absent() -> None:
    result = read("She denied dysphagia. There was no heliotrope rash.")
    assert statuses(result, FindingCode.dysphagia) == {Status.absent}
    assert statuses(result, FindingCode.heliotrope_rash) == {Status.absent}


def test_affirmed_finding_is_present_and_unknown_stays_unrecorded() -> None:
    result = read("Gottron's papules were seen over the knuckles.")
    assert statuses(result, FindingCode.gottron_papules) == {Status.present}
    assert statuses(result, FindingCode.heliotrope_rash) == set()  # unknown, not absent


def test_not_performed_investigation() -> None:
    result = read("No muscle biopsy was obtained.")
    [biopsy] = result.record.investigations
    assert biopsy.kind is InvestigationKind.muscle_biopsy and biopsy.performed is False


def test_negated_finding_of_a_performed_investigation() -> None:
    result = read("A muscle biopsy showed necrotic fibres but no perifascicular atrophy.")
    [biopsy] = result.record.investigations
    assert biopsy.performed is True
    assert biopsy.findings[InvestigationFinding.necrosis] is Status.present
    assert biopsy.findings[InvestigationFinding.perifascicular_atrophy] is Status.absent


@pytest.mark.parametrize(
    "text",
    [
        "Possible Gottron's papules were noted.",
        "If Gottron's papules appear she will return.",
    ],
)
def test_uncertain_or_hypothetical_is_a_warning_not_a_fact(text: str) -> None:
    result = read(text)
    assert statuses(result, FindingCode.gottron_papules) == set()
    assert any("gottron papules" in w.message for w in result.warnings)


def test_historical_is_kept_and_flagged() -> None:
    result = read("She has a history of Raynaud's phenomenon.")
    assert statuses(result, FindingCode.raynaud) == {Status.present}
    [fact] = [f for f in result.facts if "raynaud" in f.summary]
    assert "historical" in fact.flags


def test_a_relatives_cancer_is_never_the_patients() -> None:
    result = read("Her mother had ovarian cancer. She has no other history.")
    assert result.record.cancers == ()


def test_antibody_named_without_result_is_negative_only_when_negated() -> None:
    result = read("There were no anti-Jo-1 antibodies. Anti-MDA5 antibodies were sent.")
    by = {a.name: a.result for a in result.record.antibodies}
    assert by == {AntibodyName.anti_jo1: AntibodyResult.negative}
    assert any("anti_mda5" in w.message for w in result.warnings)


def statements(result: ReadResult) -> set[tuple[str, str]]:
    return statements_of(result.record)


def test_lab_stated_without_value_is_a_statement_with_provenance() -> None:
    result = read("Her CK was raised.")
    assert result.record.labs == ()
    [said] = result.record.lab_statements
    assert (said.analyte.value, said.interpretation.value) == ("ck", "high")
    assert said.source is not None and said.source.extractor == "labs.stated"
    assert said.source.start is not None
    assert result.document.text[said.source.start : said.source.end] == "CK"
    [fact] = [f for f in result.facts if f.path == "lab_statements[0]"]
    assert "reported high" in fact.summary


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Neither a rise in aldolase nor any CK elevation was found.",
         {("aldolase", "normal"), ("ck", "normal")}),
        ("At no point did she show an elevation of LDH.", {("ldh", "normal")}),
        ("Creatine kinase was within normal limits on two occasions.", {("ck", "normal")}),
        ("The transaminases were not raised.", {("alt", "normal"), ("ast", "normal")}),
    ],
)  # fmt: skip
def test_a_negated_raised_statement_is_normal(text: str, expected: set[tuple[str, str]]) -> None:
    assert statements(read(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Her CK might be elevated, so it will be repeated.",
        "Should the aldolase be raised, a biopsy is planned.",
        "Her brother's CK was found to be high.",
    ],
)
def test_uncertain_hypothetical_or_family_statements_are_not_facts(text: str) -> None:
    result = read(text)
    assert result.record.lab_statements == ()
    assert result.warnings


def test_a_historical_statement_is_kept_and_flagged() -> None:
    result = read("She has a history of raised liver enzymes.")
    assert statements(result) == {("alt", "high"), ("ast", "high")}
    assert all("historical" in f.flags for f in result.facts if f.path.startswith("lab_stat"))


def test_a_value_of_the_same_analyte_in_the_sentence_wins_over_the_words() -> None:
    result = read("Her CK was raised at 2400 U/L (normal 25–190 U/L) and LDH was also raised.")
    assert [(lab.analyte.value, lab.value) for lab in result.record.labs] == [("ck", 2400)]
    assert statements(result) == {("ldh", "high")}


def test_the_same_statement_twice_is_one_fact_with_two_sources() -> None:
    result = read("On arrival her CK was elevated. A week later CK was still elevated.")
    [said] = result.record.lab_statements
    [fact] = [f for f in result.facts if f.path == "lab_statements[0]"]
    assert said.interpretation.value == "high" and len(fact.supporting) == 1


def test_statements_reach_the_enzyme_items_and_values_with_ranges_beat_them() -> None:
    from heliotrope.api import assess

    words = read("Blood tests showed an increase in ferritin, CK and aldolase.").record
    result = assess(words, ("bohan_peter_1975",)).results["bohan_peter_1975"]
    [item] = [i for i in result.items if i.key == "elevated_muscle_enzymes"]
    assert item.status.value == "present"
    both = read(
        "Her CK was 950 U/L (normal 30–200 U/L). A later letter called her CK normal."
    ).record
    assert statements_of(both) == {("ck", "normal")}
    result = assess(both, ("eular_acr_2017",)).results["eular_acr_2017"]
    [item] = [i for i in result.items if i.key == "elevated_muscle_enzymes"]
    assert item.status.value == "present"  # the value above its range beats the words


def statements_of(record: PatientRecord) -> set[tuple[str, str]]:
    return {(s.analyte.value, s.interpretation.value) for s in record.lab_statements}


# -- merging and derived facts -----------------------------------------------------------------


def test_same_fact_said_twice_is_one_fact_with_two_sources() -> None:
    result = read("Gottron's papules were seen. The Gottron papules were scaly.")
    [fact] = [f for f in result.facts if "gottron papules" in f.summary]
    assert len(fact.supporting) == 1


def test_legs_proximal_weaker_than_distal_is_derived_from_words() -> None:
    result = read("There was weakness of the hips, while strength at the ankles remained normal.")
    assert statuses(result, FindingCode.legs_proximal_weaker_than_distal) == {Status.present}
    [fact] = [f for f in result.facts if "legs proximal" in f.summary]
    assert "derived" in fact.flags and len(fact.supporting) == 1


def test_generic_chemotherapy_line_merges_into_the_named_drug() -> None:
    result = read(
        "Second-line chemotherapy was started. Second-line chemotherapy with eribulin began."
    )
    assert [(t.drug, t.line) for t in result.record.treatments] == [("eribulin", 2)]


# -- conflicts ---------------------------------------------------------------------------------


def _claim(value: bool, tier: str, *, bad: bool = False, spec: int = 0) -> Claim:
    return Claim(value, str(value), Source(document="d"), tier, bad, spec)


def test_rule_order_scope_then_self_contradiction_then_specificity() -> None:
    kept, conflict = resolve("x", [_claim(True, "secondary"), _claim(False, "patient")])
    assert kept is not None and kept.value is False
    assert conflict is not None and conflict.rule == "scope"

    kept, conflict = resolve("x", [_claim(True, "patient", bad=True), _claim(False, "patient")])
    assert kept is not None and kept.value is False
    assert conflict is not None and conflict.rule == "self_contradiction"

    kept, conflict = resolve("x", [_claim(True, "patient", spec=2), _claim(False, "patient")])
    assert kept is not None and kept.value is True
    assert conflict is not None and conflict.rule == "specificity"

    kept, conflict = resolve("x", [_claim(True, "patient"), _claim(False, "patient")])
    assert kept is None and conflict is not None and not conflict.resolved


def test_agreeing_claims_are_no_conflict() -> None:
    kept, conflict = resolve("x", [_claim(False, "patient"), _claim(False, "secondary")])
    assert kept is not None and conflict is None


CASE_WITH_DISCUSSION = """Case presentation
A 58-year-old man presented with proximal weakness. A muscle biopsy was not performed because
of the bleeding risk.

Discussion
Our patient met three criteria, the muscle biopsy being performed due to the high risk of
bleeding. Dermatomyositis is most often seen with lung cancer in older men.
"""


def test_case_section_beats_the_discussion_and_the_self_contradicting_statement() -> None:
    result = read(CASE_WITH_DISCUSSION, "conflict.txt")
    [biopsy] = result.record.investigations
    assert biopsy.performed is False
    assert biopsy.reason_not_performed == "the bleeding risk"
    [conflict] = result.conflicts
    assert conflict.rule == "scope" and "self_contradiction" in conflict.agreeing_rules
    assert conflict.kept is not None and conflict.kept.tier == "patient"
    assert conflict.rejected[0].self_contradicting
    assert result.record.cancers == ()  # a literature sentence is never a fact


def test_unresolved_conflict_leaves_the_fact_unknown() -> None:
    result = read("An EMG was performed. An EMG was not performed.")
    [emg] = result.record.investigations
    assert emg.performed is None
    assert result.conflicts and not result.conflicts[0].resolved


# -- dates -------------------------------------------------------------------------------------

STORY = """Case report
A 49-year-old woman was diagnosed with a metastatic breast carcinoma. She completed
chemotherapy. Three months later she presented with proximal weakness and a heliotrope rash,
and a diagnosis of dermatomyositis was made.
"""


def test_a_story_without_calendar_dates_gets_one_nominal_anchor() -> None:
    result = read(STORY, "story.txt")
    record = result.record
    assert record.myositis.diagnosis is not None
    diagnosis = record.date_of(record.myositis.diagnosis)
    cancer = record.date_of(record.cancers[0].date)
    assert diagnosis is not None and cancer is not None
    assert cancer.latest <= diagnosis.earliest <= date.today()
    assert any("nominal" in (e.note or "") for e in record.events)


def test_nominal_dates_can_be_turned_off() -> None:
    result = read_record(ingest_text(STORY, "story.txt"), nominal_dates=False)
    assert result.record.myositis.diagnosis is None
    assert all(e.date is None for e in result.record.events)


def test_calendar_dates_are_used_as_written() -> None:
    result = read("In March 2015 she presented with weakness. In 2016 a lymphoma was found.")
    dated = [str(e.date) for e in result.record.events if e.date is not None]
    assert dated == ["2015-03", "2016"]


def test_a_point_dated_from_one_left_in_the_future_is_left_undated_too() -> None:
    ahead = date.today() + timedelta(days=70)
    story = Timeline()
    later = story._new("event", Source(document="d.txt", sentence="a"))
    later.date = ahead.strftime("%Y-%m")
    earlier = story._new("event", Source(document="d.txt", sentence="b"))
    earlier.anchor, earlier.offset = later.id, "-2 years"
    points, _ = story.finish(nominal=False)
    assert [(p.date, p.anchor) for p in points] == [(None, None), (None, None)]
    assert "from e1" in (earlier.note or "")


# -- round trip --------------------------------------------------------------------------------


def test_record_round_trips_through_json_and_parse_record() -> None:
    result = read(STORY + "CK 900 U/L (normal 20–200 U/L). Anti-TIF1γ positive.", "story.txt")
    data = json.loads(json.dumps(record_data(result.record)))
    again = parse_record(data, "story.txt")
    assert again == result.record
    assert all(f.source is not None and f.source.extractor for f in again.findings)
