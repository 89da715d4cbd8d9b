"""Weakness in the language of the field (issue 8 part 2): MRC/MMT grades per muscle group,
charts in columns, sides, function, normal strength; age at onset against age at
presentation. Sentences written for these tests."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heliotrope.model.vocabulary import FindingCode, MuscleGroup, Side, Status
from heliotrope.nlp.extract.base import FindingMention
from heliotrope.nlp.extract.demographics import extract as demographics
from heliotrope.nlp.extract.muscle import extract
from heliotrope.nlp.ingest import ingest_text
from heliotrope.nlp.reader import read_record

F = FindingCode
PU, PL, NECK, DISTAL = (
    F.weakness_proximal_upper,
    F.weakness_proximal_lower,
    F.weakness_neck_flexors,
    F.weakness_distal,
)


def _findings(text: str) -> dict[FindingCode, FindingMention]:
    return {m.code: m for m in extract(text) if isinstance(m, FindingMention)}


def _weak(text: str) -> set[FindingCode]:
    return {c for c, m in _findings(text).items() if m.status is None}


def _not_weak(text: str) -> set[FindingCode]:
    return {c for c, m in _findings(text).items() if m.status is Status.absent}


@pytest.mark.parametrize(
    ("text", "weak", "not_weak"),
    [
        ("Deltoids 4/5 and iliopsoas 3/5 on both sides.", {PU, PL}, set()),
        ("Shoulder abduction 4/5 bilaterally, knee extension 5/5.", {PU}, {PL}),
        (
            "Hip flexion 4-/5 bilaterally, knee extension 5/5, ankle dorsiflexion 5/5.",
            {PL},
            {DISTAL},
        ),
        ("Power: elbow flexion 5/5, hip flexion 3/5.", {PL}, {PU}),
        ("Neck flexion 3/5, neck extension 5/5.", {NECK}, set()),
        ("MRC 4/5 prox. UL and LL, distal 5/5.", {PU, PL}, {DISTAL}),
        ("Power was 4/5 proximally in the arms.", {PU}, set()),
        ("She had 4+/5 strength in the hip flexors and 5/5 in the biceps.", {PL}, {PU}),
    ],
)
def test_weakness_from_grades_per_muscle_group(
    text: str, weak: set[FindingCode], not_weak: set[FindingCode]
) -> None:
    assert weak <= _weak(text)
    assert not_weak <= _not_weak(text)
    assert not (weak & _not_weak(text))


def test_regression_a_5_of_5_in_the_same_clause_does_not_undo_a_weak_grade() -> None:
    """Regression: "hip flexion 4-/5 bilaterally, knee extension 5/5" was proximal lower
    weakness *absent* (the 5/5 of the quadriceps overwrote the 4-/5 of the hip flexors)."""
    found = _findings("Hip flexion 4-/5 bilaterally, knee extension 5/5.")
    assert found[PL].status is None
    assert {g.mrc for g in found[PL].grades} == {"4-", "5"}


def test_regression_bilaterally_after_a_grade_does_not_read_forward() -> None:
    """Regression: "shoulder abduction 4/5 bilaterally, hip flexion ..." gave the 4/5 to the
    hip flexors."""
    found = _findings("Shoulder abduction 4/5 bilaterally, hip flexion 5/5.")
    assert found[PU].status is None
    assert found[PL].status is Status.absent


@pytest.mark.parametrize(
    ("row", "code", "weak"),
    [
        ("Hip flexion           3       3", PL, True),
        ("Shoulder abduction    4       4", PU, True),
        ("Neck flexion 3 3", NECK, True),
        ("Knee extension        5       5", PL, False),
        ("Deltoid: 4+ 4+", PU, True),
    ],
)
def test_mrc_chart_rows_in_columns(row: str, code: FindingCode, weak: bool) -> None:
    found = _findings(row)
    assert (found[code].status is None) is weak


@pytest.mark.parametrize(
    "text",
    ["Hip flexion was weak for 3 weeks", "Knee extension exercises 3 times daily 5 days"],
)
def test_text_that_is_not_a_chart_row(text: str) -> None:
    assert not [m for m in extract(text) if m.extractor == "muscle.grade"]


@pytest.mark.parametrize(
    ("text", "code", "side"),
    [
        ("Left shoulder abduction was weak at 3/5; right shoulder abduction 5/5.", PU, Side.left),
        ("Hip flexion 3/5 on the right and 5/5 on the left.", PL, Side.right),
        ("Knee extension 3/5 right, 4-/5 left.", PL, Side.both),
        ("Weakness of the right deltoid.", PU, Side.right),
        ("Shoulder abduction    3       5", PU, Side.right),
        ("Left arm 3/5 proximally and 2/5 distally.", PU, Side.left),
    ],
)
def test_one_sided_weakness_keeps_its_side(text: str, code: FindingCode, side: Side) -> None:
    weak = [m for m in extract(text) if isinstance(m, FindingMention) and m.code is code]
    assert [m.laterality for m in weak if m.status is None] == [side]


def test_bilateral_weakness_has_no_single_side() -> None:
    assert _findings("Proximal weakness of both arms, 4/5 bilaterally.")[PU].laterality in (
        None,
        Side.both,
    )


def test_one_sided_weakness_reaches_the_record_with_its_side() -> None:
    text = "Left shoulder abduction was weak at 3/5. Right shoulder abduction 5/5."
    record = read_record(ingest_text(text, "letter.txt")).record
    weak = [f for f in record.findings if f.code is PU and f.status is Status.present]
    assert [f.laterality for f in weak] == [Side.left]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("He struggles to get up from a squat.", PL),
        ("She finds it hard to get out of a low chair.", PL),
        ("Difficulty getting up from the floor.", PL),
        ("She has trouble lifting her arms above her head.", PU),
        ("He is unable to hold his arms up to shave.", PU),
        ("Difficulty combing her hair.", PU),
        ("Difficulty reaching up to high cupboards.", PU),
        ("She has difficulty lifting her head off the pillow.", NECK),
    ],
)
def test_weakness_from_function(text: str, code: FindingCode) -> None:
    assert code in _weak(text)


@pytest.mark.parametrize(
    "text",
    [
        "Power 5/5 throughout.",
        "Muscle strength was normal.",
        "Full power throughout.",
        "Strength 5/5 in all four limbs.",
    ],
)
def test_normal_strength_everywhere(text: str) -> None:
    assert {PU, PL, NECK} <= _not_weak(text)


@given(
    st.sampled_from(["0", "1", "2", "3", "4-", "4", "4+"]),
    st.sampled_from(["Hip flexion", "Knee extension", "Iliopsoas"]),
)
def test_any_grade_below_five_of_a_hip_or_thigh_muscle_is_proximal_lower_weakness(
    grade: str, muscle: str
) -> None:
    assert PL in _weak(f"{muscle} {grade}/5 bilaterally.")


@pytest.mark.parametrize(
    ("text", "onset"),
    [
        ("A 45-year-old woman with a 7-year history of weakness.", 38.0),
        ("This 52-year-old man has had weakness since the age of 38.", 38.0),
        ("Her rash began at the age of 7.", 7.0),
        ("Onset of symptoms at age 10.", 10.0),
        ("Myositis was diagnosed in 2015 at the age of 48.", 48.0),
        ("A 60-year-old with a three-year history of rash.", 57.0),
        ("Juvenile dermatomyositis diagnosed at 9 years of age; now 24 years old.", 9.0),
        ("Onset of symptoms at 17 years.", 17.0),
        ("The rash began at 44 years of age.", 44.0),
    ],
)
def test_age_at_onset(text: str, onset: float) -> None:
    assert [m.age for m in demographics(text) if m.extractor == "demographics.onset_age"] == [onset]


@pytest.mark.parametrize(
    "text",
    [
        "A 41-year-old man with a 2-month history of rash.",  # under a year: the age itself
        "Her mother developed myositis at the age of 50.",
        "A 60-year-old man with a history of smoking.",
        "Weakness began at 3 years into treatment.",  # a duration, not an age
        "She presented at 2 years after the stroke.",
    ],
)
def test_no_onset_age(text: str) -> None:
    assert not [m for m in demographics(text) if m.extractor == "demographics.onset_age"]


def test_age_at_onset_is_what_the_record_keeps() -> None:
    text = "A 45-year-old woman with a 7-year history of proximal weakness."
    record = read_record(ingest_text(text, "case.txt")).record
    assert record.demographics.age_years == 38.0


def test_y_o_abbreviation() -> None:
    assert [m.age for m in demographics("Referral: 47 y/o F with weakness.")] == [47.0]


def test_grade_groups_are_muscle_groups() -> None:
    found = _findings("Deltoids 4/5.")
    assert found[PU].grades[0].muscle is MuscleGroup.deltoid


@pytest.mark.parametrize(
    ("text", "not_weak"),
    [
        ("The upper limb power is normal.", {PU, DISTAL}),
        ("Proximal muscle power 5/5 in the arms and legs.", {PU, PL}),
        ("Distal power normal.", {DISTAL}),
        ("Strength full in the legs.", {PL}),
    ],
)
def test_normal_strength_of_a_limb_or_level(text: str, not_weak: set[FindingCode]) -> None:
    assert not_weak <= _not_weak(text)


def test_regression_a_bracket_ends_the_weakness_phrase() -> None:
    """Regression: in "proximal leg weakness (hip flexion 4/5), arms 5/5" the arms were
    read as weak."""
    text = "Mild proximal leg weakness (hip flexion 4/5 both sides), arms 5/5 proximally."
    assert PU not in _weak(text)
    assert PL in _weak(text)


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("Mr R. Smith, 68 years", 68.0),
        ("Mrs K. Lee, 56", 56.0),
        ("Ms Amy Khan, 39 years old", 39.0),
    ],
)
def test_age_in_a_letter_heading(text: str, age: float) -> None:
    assert [m.age for m in demographics(text)] == [age]


def test_regression_a_grade_read_forward_stops_at_with() -> None:
    """Regression: "(4/5) in the upper and lower extremities with preserved distal strength"
    graded the distal muscles 4/5."""
    text = (
        "Symmetric proximal weakness (4/5) in the upper and lower extremities with preserved "
        "distal strength."
    )
    assert DISTAL not in _weak(text)
    assert {PU, PL} <= _weak(text)


@pytest.mark.parametrize(
    ("text", "weak", "not_weak"),
    [
        ("Power 4/5 proximally, 5/5 distally.", {PU, PL}, {DISTAL}),
        ("4/5 strength in the hip flexors, with normal strength distally.", {PL}, {DISTAL}),
        ("Power: 4/5 at the shoulders and hips, 5/5 distally.", {PU, PL}, {DISTAL}),
    ],
)
def test_proximally_and_distally(
    text: str, weak: set[FindingCode], not_weak: set[FindingCode]
) -> None:
    assert weak <= _weak(text)
    assert not_weak <= _not_weak(text)
    assert not (_not_weak(text) & weak)


@pytest.mark.parametrize(
    ("text", "weak"),
    [
        ("Hip flexion MRC grade 4 bilaterally.", {PL}),
        ("Shoulder abduction MRC 4+ on both sides.", {PU}),
        ("Power was MRC 4 in the proximal upper and lower limbs.", {PU, PL}),
    ],
)
def test_mrc_grade_without_out_of_five(text: str, weak: set[FindingCode]) -> None:
    assert weak <= _weak(text)


def test_mrc_grade_five_without_out_of_five_is_not_weak() -> None:
    assert PL in _not_weak("Hip flexion MRC 5 bilaterally.")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Neck flexion weaker than neck extension.", F.neck_flexors_weaker_than_extensors),
        ("The legs were weaker proximally than distally.", F.legs_proximal_weaker_than_distal),
    ],
)
def test_comparisons_in_words(text: str, code: FindingCode) -> None:
    assert code in {m.code for m in extract(text) if isinstance(m, FindingMention)}


def test_neck_extensors_named_after_the_flexors() -> None:
    grades = [g for m in extract("Neck flexors 3/5 against extensors 5/5.") for g in m.grades]
    assert {(g.muscle, g.mrc) for g in grades} >= {
        (MuscleGroup.neck_flexors, "3"),
        (MuscleGroup.neck_extensors, "5"),
    }


def test_onset_age_with_aged() -> None:
    assert [
        m.age
        for m in demographics("A 12-year-old girl with JDM diagnosed aged 9.")
        if m.extractor == "demographics.onset_age"
    ] == [9.0]


def test_regression_a_rash_on_the_hands_after_weakness_is_not_distal_weakness() -> None:
    text = (
        "Six weeks of proximal muscle weakness (difficulty climbing stairs) and a pruritic "
        "rash on the face and hands."
    )
    assert DISTAL not in _weak(text)
    assert PL in _weak(text)


@pytest.mark.parametrize(
    ("text", "sex"),
    [("49 yo F with a rash.", "female"), ("Referral: 47 y/o M, weakness.", "male")],
)
def test_sex_letter_after_an_age(text: str, sex: str) -> None:
    [mention] = demographics(text)
    assert mention.sex is not None and mention.sex.value == sex


def test_a_letter_that_is_not_a_sex() -> None:
    [mention] = demographics("A 60-year-old M.D. student.")
    assert mention.sex is None


def test_right_left_pairs() -> None:
    """Regression: "deltoid 4/4, biceps 5/5" (right/left) gave the deltoid the biceps' 5."""
    found = _findings("MRC (R/L): deltoid 4/4, biceps 5/5, iliopsoas 3/3, tibialis anterior 5/5.")
    assert found[PU].status is None
    assert ("deltoid", "4", "right") in {
        (g.muscle.value, g.mrc, g.side.value) for g in found[PU].grades
    }
    assert found[PL].status is None
    assert found[DISTAL].status is Status.absent


def test_pairs_of_unequal_sides() -> None:
    found = _findings("Iliopsoas 4/3, deltoid 5/5.")
    assert found[PL].status is None
    assert {(g.mrc, g.side.value) for g in found[PL].grades} == {("4", "right"), ("3", "left")}
    assert found[PU].status is Status.absent


@pytest.mark.parametrize("text", ["Gowers' sign was positive.", "Positive Gowers manoeuvre."])
def test_gowers_sign(text: str) -> None:
    assert PL in _weak(text)


@pytest.mark.parametrize(
    ("text", "onset"),
    [("She was 62 at the onset of symptoms.", 62.0), ("Aged 9 at diagnosis.", 9.0)],
)
def test_onset_age_said_as_age_at_onset(text: str, onset: float) -> None:
    assert onset in [m.age for m in demographics(text) if m.extractor == "demographics.onset_age"]


@pytest.mark.parametrize(
    "text",
    [
        "Symmetrical proximal weakness of the legs, MRC grade 4/5. Distal power normal.",
        "Proximal leg weakness with normal distal strength.",
    ],
)
def test_legs_proximal_weaker_than_distal_from_distal_power_normal(text: str) -> None:
    """Distal strength said normal with no limb named is normal in the legs too."""
    record = read_record(ingest_text(text, "letter.txt")).record
    assert F.legs_proximal_weaker_than_distal in {
        f.code for f in record.findings if f.status is Status.present
    }


@pytest.mark.parametrize(
    "text", ["MRC 5-0 in the deltoids.", "Hip flexion MRC 4 to 2.", "Deltoid 5-0/5."]
)
def test_regression_a_backward_grade_range_is_not_read(text: str) -> None:
    """Regression (fuzzing): "MRC 4 to 2" raised a validation error."""
    for mention in extract(text):
        for grade in mention.grades:
            low, high = grade.bounds
            assert low <= high


@given(
    st.lists(
        st.sampled_from(
            [
                "MRC",
                "4-3",
                "5/5",
                "4/3",
                "deltoid",
                "hip flexion",
                "R/L",
                "left",
                "right",
                "proximally",
                "throughout",
                "\n",
                "  ",
                ",",
                ".",
                "3",
                "to",
                "5-0",
                "weak",
                "normal",
                "power",
                "Hip flexion   4   3",
                "neck flexors",
                "against",
                "extensors",
            ]
        ),
        max_size=16,
    )
)
def test_muscle_reader_never_fails(tokens: list[str]) -> None:
    """Any arrangement of grade-like words is read or ignored, never an exception."""
    extract(" ".join(tokens))


def test_age_in_a_heading_line_split_from_its_title() -> None:
    """The sentence splitter may cut "Mr R. Jenkins, 68 years" after the initial."""
    assert [m.age for m in demographics("Jenkins, 68 years")] == [68.0]


@pytest.mark.parametrize(
    ("text", "weak", "not_found"),
    [
        ("She was unable to lift her arms above shoulder height or climb stairs.", {PU, PL}, set()),
        ("Difficulty climbing stairs, rising from a chair and combing his hair.", {PU, PL}, set()),
        ("Difficulty climbing stairs and he was seen to lift his arms easily.", {PL}, {PU}),
    ],
)
def test_activities_joined_to_a_difficulty(
    text: str, weak: set[FindingCode], not_found: set[FindingCode]
) -> None:
    assert weak <= _weak(text)
    assert not (not_found & _weak(text))


@pytest.mark.parametrize("text", ["She has a waddling gait.", "A Trendelenburg gait was noted."])
def test_gait_of_hip_girdle_weakness(text: str) -> None:
    assert PL in _weak(text)
