"""The language of a patient's course, sentence by sentence (sentences written for these tests).

Time points told by events (:mod:`heliotrope.nlp.extract.course`), resolutions of a sign,
and tumour responses reported in words (:func:`heliotrope.nlp.extract.cancer.extract_responses`).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heliotrope.model.dates import parse_offset
from heliotrope.model.vocabulary import RecistResponse
from heliotrope.nlp.extract.cancer import extract_responses
from heliotrope.nlp.extract.course import (
    CourseTime,
    ResolutionMention,
    extract_resolutions,
    extract_times,
)
from heliotrope.nlp.extract.treatments import DEFAULT_CYCLE_DAYS, cycle_days


def only_time(text: str) -> CourseTime:
    [time] = extract_times(text)
    return time


# -- time points told by events ------------------------------------------------------------------

TIMES = [
    # sentence, extractor, anchor kind, direction, offset, event
    (
        "She started weekly methotrexate in clinic.",
        "course.event",
        "current",
        None,
        "0 days",
        "treatment_start",
    ),
    (
        "He commenced second-line gemcitabine and docetaxel.",
        "course.event",
        "current",
        None,
        "0 days",
        "treatment_start",
    ),
    (
        "He underwent a right hemicolectomy.",
        "course.event",
        "current",
        None,
        "0 days",
        "surgery",
    ),
    (
        "She was admitted under the medical team.",
        "course.event",
        "current",
        None,
        "0 days",
        "admission",
    ),
    (
        "He completed adjuvant chemotherapy.",
        "course.event",
        "current",
        None,
        "0 days",
        "treatment_end",
    ),
    (
        "Restaging CT was requested by the oncologist.",
        "course.event",
        "current",
        None,
        "0 days",
        "restaging",
    ),
    (
        "A faint rash was seen at his pre-chemotherapy review.",
        "course.pre_treatment",
        "treatment_start",
        "before",
        "1-14 days",
        "consultation",
    ),
    (
        "The cough worsened during cycle 2 of docetaxel.",
        "course.cycle",
        "treatment_start",
        "after",
        "21-42 days",
        "cycle",
    ),
    (
        "After the second cycle the nodules were smaller.",
        "course.cycle",
        "treatment_start",
        "after",
        "42 days",
        "cycle",
    ),
    (
        "After four cycles of doxorubicin she felt stronger.",
        "course.cycle",
        "treatment_start",
        "after",
        "84 days",
        "cycle",
    ),
    (
        "At the 3-month follow-up her CK was normal.",
        "course.follow_up",
        "treatment_start",
        "after",
        "3 months",
        "follow_up",
    ),
    (
        "Six weeks into treatment the heliotrope rash had faded.",
        "course.follow_up",
        "treatment_start",
        "after",
        "6 weeks",
        "follow_up",
    ),
    (
        "Mid-treatment imaging was reassuring.",
        "course.mid_treatment",
        "treatment_end",
        "after",
        "0 days",
        "mid_treatment",
    ),
    (
        "After six weeks the rash had gone.",
        "course.after",
        "later",
        "after",
        "6 weeks",
        None,
    ),
    (
        "Following a further 2 months her strength improved.",
        "course.after",
        "later",
        "after",
        "2 months",
        None,
    ),
    (
        "Bloods on admission showed a CK of 900 U/L.",
        "course.at_event",
        "admission",
        None,
        "0 days",
        None,
    ),
    (
        "At presentation she could not rise from a chair.",
        "course.at_event",
        "presentation",
        None,
        "0 days",
        None,
    ),
]


@pytest.mark.parametrize(("text", "extractor", "anchor", "direction", "offset", "event"), TIMES)
def test_time_points_told_by_events(
    text: str,
    extractor: str,
    anchor: str,
    direction: str | None,
    offset: str,
    event: str | None,
) -> None:
    time = only_time(text)
    assert (time.extractor, time.anchor_kind, time.direction, time.offset, time.event) == (
        extractor,
        anchor,
        direction,
        offset,
        event,
    )
    assert text[time.start : time.end].strip()


@pytest.mark.parametrize(
    "text",
    [
        "She started to notice weakness climbing stairs.",  # no treatment is named
        "The rash was worse in the afternoons.",
        "CK was 900 U/L.",
        "She had a fall at home.",
        "After 2 weeks of prednisolone the CK fell.",  # a duration of treatment, not a time
    ],
)
def test_sentences_without_a_course_event(text: str) -> None:
    assert extract_times(text) == []


def test_a_regimen_without_a_known_cycle_length_is_taken_as_three_weekly_and_says_so() -> None:
    time = only_time("After the third cycle of an investigational agent the rash flared.")
    assert time.offset == f"{3 * DEFAULT_CYCLE_DAYS} days"
    assert time.note is not None and "assumed" in time.note


def test_a_known_regimen_uses_its_own_cycle_length() -> None:
    assert cycle_days("nivolumab") == (14, True)
    assert only_time("After two cycles of nivolumab the rash flared.").offset == "28 days"


@given(st.integers(min_value=1, max_value=12), st.sampled_from(["doxorubicin", "nivolumab", "x"]))
def test_cycle_windows_follow_one_another(n: int, drug: str) -> None:
    """Cycle n covers the days between the ends of cycles n-1 and n (a property)."""
    days, _ = cycle_days(drug)
    time = only_time(f"The rash cleared during cycle {n} of {drug}.")
    low, high = parse_offset(f"+{time.offset}")
    assert (low.amount, high.amount) == ((n - 1) * days, n * days)
    after = only_time(f"After {n} cycles of {drug} she was well.")
    assert parse_offset(f"+{after.offset}")[0].amount == high.amount


# -- resolutions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "domain", "word"),
    [
        ("The rash resolved within a fortnight of starting prednisolone.", "skin", "resolved"),
        ("Her facial erythema faded during the first cycle.", "skin", "faded"),
        ("The skin lesions cleared completely on hydroxychloroquine.", "skin", "cleared"),
        ("There was complete resolution of the rash by the second visit.", "skin", "resolution"),
        ("His weakness recovered fully over three months.", "muscle", "recovered"),
        ("Muscle strength normalised after IVIG.", "muscle", "normalised"),
    ],
)
def test_resolutions(text: str, domain: str, word: str) -> None:
    [found] = extract_resolutions(text)
    assert isinstance(found, ResolutionMention)
    assert (found.domain, found.word) == (domain, word)


@pytest.mark.parametrize(
    "text",
    [
        "The rash has not resolved despite topical steroids.",
        "The rash never cleared.",
        "The rash partially resolved.",
        "Her weakness slowly recovered.",  # partial: not a resolution
        "The rash was present on the face and chest.",
        "It was unclear whether the rash was photosensitive.",
    ],
)
def test_partial_negated_and_unrelated_are_not_resolutions(text: str) -> None:
    assert extract_resolutions(text) == []


# -- reported tumour responses ---------------------------------------------------------------

RESPONSES = [
    ("Restaging CT showed stable disease by RECIST 1.1.", RecistResponse.SD, "CT"),
    ("The metastases remained stable on PET-CT.", RecistResponse.SD, "PET-CT"),
    ("CT of the chest showed disease progression with new lung nodules.", RecistResponse.PD, "CT"),
    ("MRI of the liver showed new liver metastases.", RecistResponse.PD, "MRI"),
    ("Her lymphoma progressed after the third cycle.", RecistResponse.PD, None),
    ("Re-evaluation of the sarcoma revealed multifocal progression.", RecistResponse.PD, None),
    ("A partial remission was reached after four cycles.", RecistResponse.PR, None),
    ("The scan after six cycles showed a partial response.", RecistResponse.PR, None),
    ("PET-CT confirmed a complete metabolic response.", RecistResponse.CR, "PET-CT"),
    ("Progressive disease was seen on the staging scan.", RecistResponse.PD, None),
]


@pytest.mark.parametrize(("text", "response", "modality"), RESPONSES)
def test_reported_responses(text: str, response: RecistResponse, modality: str | None) -> None:
    [found] = extract_responses(text)
    assert found.response is response
    assert found.modality == modality
    assert found.words == " ".join(text.split())


@pytest.mark.parametrize(
    "text",
    [
        "Restaging CT showed no evidence of progression.",
        "There were no new lesions on the CT.",
        "PET-CT was without progression of the known metastases.",
    ],
)
def test_no_evidence_of_progression_is_an_assessment_without_a_verdict(text: str) -> None:
    [found] = extract_responses(text)
    assert found.response is None


@pytest.mark.parametrize(
    "text",
    [
        "She had progressive proximal weakness over three months.",
        "There was progression of her weakness despite steroids.",
        "Her dermatomyositis showed a partial response to IVIG with improvement in her rash.",
        "A complete blood count was normal.",
        "Her weight was stable.",
        "The rash was stable.",
        "CT did not show a partial response.",  # negated, and says nothing of what it was
    ],
)
def test_myositis_course_and_other_words_are_not_tumour_responses(text: str) -> None:
    assert extract_responses(text) == []


# -- calendar dates written with slashes or dots --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "when", "ambiguous"),
    [
        ("CT on 14/03/2021 showed stable disease.", "2021-03-14", False),
        ("Reviewed 03/25/2022 in clinic (US order).", "2022-03-25", False),
        ("Seen on 5.5.2020 with a heliotrope rash.", "2020-05-05", False),
        ("Seen on 03/04/2022 with a heliotrope rash.", "2022", True),  # 3 April or March 4
    ],
)
def test_slashed_dates(text: str, when: str, ambiguous: bool) -> None:
    [time] = extract_times(text)
    assert time.extractor == "course.calendar" and time.date == when
    assert (time.note is not None) is ambiguous
    if ambiguous:
        assert time.note is not None and "ambiguous" in time.note


@pytest.mark.parametrize(
    "text", ["MRC 4/5 in the deltoids.", "ANA positive at 1/160.", "On 31/02/2020 nothing."]
)
def test_grades_titres_and_impossible_dates_are_not_dates(text: str) -> None:
    assert [t for t in extract_times(text) if t.extractor == "course.calendar"] == []


# -- the reader's precheck (issue 8, part 5: speed) ----------------------------------------------


def _course_found(text: str) -> bool:
    from heliotrope.nlp.extract.course import extract

    return bool(extract(text)) or bool(extract_responses(text))


@pytest.mark.parametrize(
    "text",
    [row[0] for row in TIMES]
    + [row[0] for row in RESPONSES]
    + [
        "The rash resolved during cycle one of doxorubicin.",
        "Resolution of her weakness followed.",
        "Seen on 12/03/2021 in clinic.",
        "CT on 03.12.2021 showed partial response.",
    ],
)
def test_the_reader_precheck_lets_through_every_sentence_with_a_course(text: str) -> None:
    """``reader._with_course`` hands a sentence to the course and response readers only when
    it holds one of their words: every sentence they read something in holds one."""
    from heliotrope.nlp.reader import _course_words

    assert _course_found(text)
    assert _course_words().search(text.lower()) is not None


_COURSE_VOCABULARY = [
    "she", "started", "completed", "chemotherapy", "after", "two", "cycles", "the", "rash",
    "resolved", "faded", "weakness", "CT", "showed", "stable", "disease", "progression",
    "of", "metastatic", "lesions", "at", "presentation", "on", "admission", "3", "months",
    "into", "treatment", "follow-up", "was", "admitted", "underwent", "resection", "12/03/2021",
    "re-evaluation", "partial", "response", "complete", "new", "mid-treatment", "pre-treatment",
    "consultation", "doxorubicin", "weeks", "later", "muscle", "power", "recovered", "and", ".",
]  # fmt: skip


@given(st.lists(st.sampled_from(_COURSE_VOCABULARY), min_size=1, max_size=25))
def test_a_sentence_the_precheck_skips_has_no_course(words: list[str]) -> None:
    """The precheck only skips work: where it finds none of the words, the readers find
    nothing either."""
    from heliotrope.nlp.reader import _course_words

    text = " ".join(words)
    if _course_words().search(text.lower()) is None:
        assert not _course_found(text)
