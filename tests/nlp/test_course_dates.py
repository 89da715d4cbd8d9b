"""Facts read from a story are dated at the story's points (stories written for these tests).

See :mod:`heliotrope.nlp.course_dates` and :mod:`heliotrope.nlp.extract.story`.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from heliotrope.model.dates import DateRange
from heliotrope.model.record import PatientRecord
from heliotrope.model.vocabulary import Analyte, FindingCode, RecistResponse, Status
from heliotrope.nlp.ingest import ingest_text
from heliotrope.nlp.reader import ReadResult, read_record


def read(text: str, *, nominal: bool = True) -> ReadResult:
    return read_record(ingest_text(text, "story.txt"), nominal_dates=nominal)


def when(record: PatientRecord, code: FindingCode, status: Status) -> list[DateRange]:
    out = []
    for finding in record.findings:
        if finding.code is code and finding.status is status:
            found = record.date_of(finding.date)
            assert found is not None, f"{code.value} {status.value} is not dated"
            out.append(found)
    return sorted(out)


def lab_day(record: PatientRecord, analyte: Analyte) -> DateRange:
    [lab] = [lab for lab in record.labs if lab.analyte is analyte]
    found = record.date_of(lab.date)
    assert found is not None
    return found


def test_calendar_dates_date_the_findings_said_after_them() -> None:
    record = read(
        "In March 2019 she presented with a heliotrope rash and Gottron's papules. "
        "CK was 2400 U/L (normal 25-200 U/L). "
        "In August 2019 the heliotrope rash was worse and she had proximal weakness of the legs."
    ).record
    [first, second] = when(record, FindingCode.heliotrope_rash, Status.present)
    assert (str(first), str(second)) == ("2019-03-01..2019-03-31", "2019-08-01..2019-08-31")
    [gottron] = when(record, FindingCode.gottron_papules, Status.present)
    assert gottron == first
    assert lab_day(record, Analyte.ck) == first


def test_weeks_later_counts_from_the_sentence_before() -> None:
    record = read(
        "On 2 May 2021 she was admitted with a heliotrope rash. "
        "3 weeks later she developed proximal weakness of the arms."
    ).record
    [rash] = when(record, FindingCode.heliotrope_rash, Status.present)
    [weak] = when(record, FindingCode.weakness_proximal_upper, Status.present)
    assert rash == DateRange(date(2021, 5, 2), date(2021, 5, 2))
    assert weak.earliest - rash.earliest == timedelta(weeks=3)


def test_on_day_ten_of_admission() -> None:
    record = read(
        "She was admitted on 4 June 2020 with a shawl sign. "
        "On day 10 of admission her CK was 5000 U/L (normal 25-200 U/L)."
    ).record
    assert lab_day(record, Analyte.ck).earliest == date(2020, 6, 13)


def test_cycles_and_follow_up_count_from_the_start_of_treatment() -> None:
    record = read(
        "She commenced doxorubicin on 1 February 2022. "
        "After the second cycle she developed a heliotrope rash. "
        "At the 3-month follow-up CT showed a partial response."
    ).record
    [rash] = when(record, FindingCode.heliotrope_rash, Status.present)
    assert rash.earliest == date(2022, 2, 1) + timedelta(days=42)
    [assessment] = record.tumour_assessments
    assert assessment.reported_response is RecistResponse.PR
    day = record.date_of(assessment.date)
    assert day is not None and day.earliest == date(2022, 5, 1)
    [doxorubicin] = record.treatments
    start = record.date_of(doxorubicin.start)
    assert start is not None and start.earliest == date(2022, 2, 1)


def test_the_end_of_treatment_is_its_cycles_after_its_start() -> None:
    record = read(
        "She started gemcitabine in January 2020. Four cycles of gemcitabine were given. "
        "At the end of chemotherapy CT showed stable disease. "
        "Two months later she presented with a heliotrope rash and proximal weakness of the legs."
    ).record
    [gemcitabine] = record.treatments
    start, stop = record.date_of(gemcitabine.start), record.date_of(gemcitabine.stop)
    assert start is not None and stop is not None
    assert stop.earliest - start.earliest == timedelta(days=84)
    [sd] = record.tumour_assessments
    assert sd.reported_response is RecistResponse.SD and record.date_of(sd.date) == stop
    [rash] = when(record, FindingCode.heliotrope_rash, Status.present)
    assert rash.earliest.month == (stop.earliest.month + 2 - 1) % 12 + 1


def test_a_treatment_end_without_a_duration_is_left_undated_with_the_reason() -> None:
    result = read(
        "She started paclitaxel in May 2018. At the end of chemotherapy she had a heliotrope rash."
    )
    [end] = [e for e in result.record.events if e.kind == "treatment_end"]
    assert end.date is None
    assert end.note is not None and "duration is not given" in end.note
    [rash] = [f for f in result.record.findings if f.code is FindingCode.heliotrope_rash]
    assert rash.date is None  # its point is not dated: the fact is not either


def test_the_rash_that_resolved_is_absent_from_then_on() -> None:
    record = read(
        "In January 2021 she had a heliotrope rash and a V-sign. "
        "She commenced methotrexate. "
        "After six weeks the rash had resolved."
    ).record
    [before] = when(record, FindingCode.heliotrope_rash, Status.present)
    [after] = when(record, FindingCode.heliotrope_rash, Status.absent)
    assert after.earliest - before.earliest == timedelta(weeks=6)
    [v_gone] = when(record, FindingCode.v_sign, Status.absent)
    assert v_gone == after
    [absent] = [
        f
        for f in record.findings
        if f.code is FindingCode.heliotrope_rash and f.status is Status.absent
    ]
    assert absent.note == "stated as resolved (present before)"
    assert absent.source is not None and "resolved" in (absent.source.sentence or "")


def test_a_rash_that_has_not_resolved_stays_present_only() -> None:
    record = read(
        "In January 2021 she had a heliotrope rash. Six weeks later the rash had not resolved."
    ).record
    assert when(record, FindingCode.heliotrope_rash, Status.absent) == []


def test_a_finding_stated_at_two_points_is_two_dated_entries() -> None:
    record = read(
        "In 2015 she had a heliotrope rash. In 2019 the heliotrope rash recurred with a shawl sign."
    ).record
    dates = when(record, FindingCode.heliotrope_rash, Status.present)
    assert [d.earliest.year for d in dates] == [2015, 2019]


def test_no_evidence_of_progression_is_not_a_verdict() -> None:
    record = read("In May 2022 restaging CT showed no evidence of progression.").record
    [assessment] = record.tumour_assessments
    assert assessment.reported_response is None
    assert assessment.note is not None and "not given" in assessment.note
    assert assessment.date is not None


def test_without_nominal_dates_an_undated_story_dates_nothing() -> None:
    story = (
        "She commenced doxorubicin. After six cycles CT showed stable disease. "
        "Two months later she presented with a heliotrope rash."
    )
    dated = read(story).record
    assert all(f.date is not None for f in dated.findings)
    assert dated.tumour_assessments[0].date is not None
    plain = read(story, nominal=False).record
    assert all(f.date is None for f in plain.findings)
    assert all(t.date is None for t in plain.tumour_assessments)


@settings(max_examples=25)
@given(st.lists(st.integers(min_value=1, max_value=20), min_size=1, max_size=5))
def test_facts_of_later_sentences_are_never_dated_earlier(gaps: list[int]) -> None:
    """A chain of "N weeks later" sentences dates each CK at the sum of the gaps (property)."""
    sentences = ["On 3 March 2020 her CK was 1000 U/L (normal 25-200 U/L)."]
    for index, gap in enumerate(gaps):
        sentences.append(f"{gap} weeks later her CK was {1001 + index} U/L (normal 25-200 U/L).")
    record = read(" ".join(sentences)).record
    days = {lab.value: record.date_of(lab.date) for lab in record.labs}
    total = 0
    for index, gap in enumerate(gaps):
        total += gap
        day = days[1001 + index]
        assert day is not None and day.earliest == date(2020, 3, 3) + timedelta(weeks=total)


def test_the_end_of_chemotherapy_counts_from_the_chemotherapy_not_a_later_steroid() -> None:
    record = read(
        "She commenced doxorubicin on 2 March 2020; six cycles of doxorubicin were planned. "
        "On 20 March 2020 she started prednisolone for a heliotrope rash. "
        "At the end of chemotherapy CT showed stable disease."
    ).record
    [sd] = record.tumour_assessments
    end = record.date_of(sd.date)
    assert end is not None and end.earliest == date(2020, 3, 2) + timedelta(weeks=18)


POOL = (
    "In March 2019 she presented with a heliotrope rash.",
    "She commenced doxorubicin.",
    "Six cycles of doxorubicin were given.",
    "At her pre-treatment consultation she had a V-sign.",
    "The rash resolved during cycle one of doxorubicin.",
    "After the second cycle CT showed a partial response.",
    "At the end of chemotherapy CT showed stable disease.",
    "Two months later she presented with a shawl sign and proximal weakness of the legs.",
    "CK was 900 U/L (normal 25-200 U/L).",
    "A diagnosis of dermatomyositis was made.",
    "Restaging CT showed multifocal progression.",
    "After six weeks her weakness had resolved.",
    "At the 3-month follow-up there was no evidence of progression.",
    "She was admitted on 4 June 2024.",
    "On day 10 of admission she started prednisolone.",
    "A metastatic leiomyosarcoma was diagnosed.",
    "She completed chemotherapy in 2025.",
    "In November 2099 she will be reviewed.",  # a future date is never used
)


@settings(max_examples=40)
@given(st.lists(st.sampled_from(POOL), min_size=1, max_size=9), st.booleans())
def test_any_story_reads_with_every_date_on_or_before_today(
    sentences: list[str], nominal: bool
) -> None:
    """Whatever the order of a story's sentences, reading it never fails, and every fact the
    story dates lies on or before today (property)."""
    record = read(" ".join(sentences), nominal=nominal).record
    today = date.today()
    for path, entry in record.iter_facts():
        for name in ("date", "start", "stop"):
            spec = getattr(entry, name, None)
            if spec is None:
                continue
            found = record.date_of(spec)
            assert found is not None and found.earliest <= today, f"{path}.{name}"
    if not nominal and not any(re.search(r"\b20\d\d\b", s) for s in sentences):
        # without a calendar date and without the nominal anchor nothing can be dated
        assert all(f.date is None for f in record.findings)


def test_two_months_after_the_end_of_a_named_drug() -> None:
    record = read(
        "She commenced doxorubicin on 2 March 2020. Six cycles of doxorubicin were given. "
        "Two months after the end of doxorubicin she presented with a heliotrope rash."
    ).record
    [rash] = when(record, FindingCode.heliotrope_rash, Status.present)
    stop = date(2020, 3, 2) + timedelta(weeks=18)
    assert rash.earliest == date(stop.year, stop.month + 2, stop.day)


def test_weeks_after_starting_a_drug() -> None:
    record = read(
        "In May 2021 she had a heliotrope rash and started methotrexate. "
        "3 weeks after starting methotrexate the heliotrope rash had resolved."
    ).record
    [before] = when(record, FindingCode.heliotrope_rash, Status.present)
    [after] = when(record, FindingCode.heliotrope_rash, Status.absent)
    assert (after.earliest - before.earliest, after.latest - before.latest) == (
        timedelta(weeks=3),
        timedelta(weeks=3),
    )


def test_a_letter_with_slashed_dates() -> None:
    record = read(
        "Seen on 14/03/2021 with a heliotrope rash. CT on 20/04/2021 showed new liver metastases."
    ).record
    [rash] = when(record, FindingCode.heliotrope_rash, Status.present)
    assert rash == DateRange(date(2021, 3, 14), date(2021, 3, 14))
    [pd] = record.tumour_assessments
    assert pd.reported_response is RecistResponse.PD
    assert record.date_of(pd.date) == DateRange(date(2021, 4, 20), date(2021, 4, 20))


# -- a sign known only from its resolution (issue 8 after integration) -----------------------


def test_a_sign_told_only_as_resolved_was_present_before_and_absent_at_its_point() -> None:
    """Regression: "the rash resolved after IVIG" dropped the rash, so criteria lost it."""
    story = "She was admitted in March 2020. The heliotrope rash resolved after two cycles of IVIG."
    record = read(story).record
    rash = [f for f in record.findings if f.code is FindingCode.heliotrope_rash]
    present = [f for f in rash if f.status is Status.present]
    absent = [f for f in rash if f.status is Status.absent]
    assert len(present) == 1 and present[0].date is None
    assert "present before it resolved" in (present[0].note or "")
    assert len(absent) == 1 and record.date_of(absent[0].date) is not None


def test_a_sign_stated_earlier_is_not_repeated_undated_by_its_resolution() -> None:
    story = (
        "She presented in March 2020 with a heliotrope rash. "
        "The heliotrope rash resolved after two cycles of IVIG."
    )
    record = read(story).record
    present = [
        f
        for f in record.findings
        if f.code is FindingCode.heliotrope_rash and f.status is Status.present
    ]
    assert len(present) == 1 and present[0].date is not None
    assert when(record, FindingCode.heliotrope_rash, Status.absent)


@given(
    st.lists(st.integers(0, 500), max_size=30),
    st.lists(st.integers(0, 520), min_size=1, max_size=10),
)
def test_point_at_is_the_last_point_before_the_first_said_later(
    claimed: list[int], asked: list[int]
) -> None:
    """``story.point_at`` bisects the running maximum of the sentences' offsets: the same
    point as a scan that stops at the first sentence said after the statement, whatever the
    order the points were claimed in (regression: it was that scan, issue 8 part 5)."""
    from heliotrope.model.provenance import Source
    from heliotrope.nlp.extract.story import Timeline, point_at

    timeline = Timeline()
    for k, start in enumerate(claimed):
        source = Source(document="d", start=start, end=start + 1, sentence=f"s{k}")
        timeline._claim((f"s{k}", None), timeline._new("event", source))
    for at in asked:
        source = Source(document="d", start=at, end=at + 1, sentence="not claimed")
        scanned = None
        for start, point in timeline.sentence_points:
            if start > at:
                break
            scanned = point
        assert point_at(timeline, source) is scanned
