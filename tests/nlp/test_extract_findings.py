"""Sentence-level extraction of findings: skin signs, other organs, weakness and MRC grades.

Every sentence here is written for the test (never copied from a case report)."""

from __future__ import annotations

import pytest

from heliotrope.model.vocabulary import FindingCode as F
from heliotrope.model.vocabulary import MuscleGroup as G
from heliotrope.model.vocabulary import Status
from heliotrope.nlp.extract import muscle, skin
from heliotrope.nlp.extract.base import FindingMention, GradeMention


def codes(mentions: list[FindingMention]) -> set[F]:
    return {m.code for m in mentions}


def weakness(text: str) -> dict[F, FindingMention]:
    return {m.code: m for m in muscle.extract(text) if isinstance(m, FindingMention)}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Examination showed a heliotrope rash.", {F.heliotrope_rash}),
        ("She had violaceous discoloration of the upper eyelids.", {F.heliotrope_rash}),
        ("There was lilac erythema over both eyelids.", {F.heliotrope_rash}),
        ("He had periorbital erythema and facial swelling.", {F.heliotrope_rash}),
        ("Gottron's papules were seen over the knuckles.", {F.gottron_papules}),
        ("Gottron papules on the MCP joints.", {F.gottron_papules}),
        ("Violaceous papules over the metacarpophalangeal joints.", {F.gottron_papules}),
        ("A Gottron's sign was present on both elbows.", {F.gottron_sign}),
        ("Erythematous macules over the extensor surfaces of the knees.", {F.gottron_sign}),
        ("Gottron’s lesions were described.", {F.dm_rash}),
        ("An erythematous rash in a shawl-like distribution.", {F.shawl_sign}),
        ("There was a positive V-sign.", {F.v_sign}),
        ("Erythema in a ‘V’ neck distribution.", {F.v_sign}),
        ("Periungual erythema was noted.", {F.periungual_erythema}),
        ("Capillaroscopy showed dilated nailfold capillaries.", {F.nailfold_capillary_changes}),
        ("She had mechanic's hands.", {F.mechanics_hands}),
        ("Flagellate erythema over the back.", {F.flagellate_erythema}),
        ("A photodistributed rash on the face.", {F.photodistributed_erythema}),
        ("A rash on sun-exposed areas of the arms.", {F.photodistributed_erythema}),
        ("Marked periorbital edema was present.", {F.periorbital_oedema}),
        ("Digital ulcers developed.", {F.cutaneous_ulceration}),
        ("Calcinosis cutis of the elbows.", {F.calcinosis}),
    ],
)
def test_skin_signs(sentence: str, expected: set[F]) -> None:
    assert codes(skin.extract(sentence)) == expected


def test_periorbital_oedema_alone_is_not_a_heliotrope_rash() -> None:
    found = codes(skin.extract("She had marked periorbital oedema and a facial rash."))
    assert F.periorbital_oedema in found
    assert F.heliotrope_rash not in found


def test_distribution_is_read_from_the_bracket_after_the_sign() -> None:
    [mention] = skin.extract("A shawl-like rash (upper back, neck and shoulders) was seen.")
    assert mention.distribution == "upper back, neck, shoulders"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("He reported dysphagia to solids.", {F.dysphagia}),
        ("She had difficulty swallowing liquids.", {F.dysphagia}),
        ("Manometry showed oesophageal dysmotility.", {F.oesophageal_dysmotility}),
        ("CT showed interstitial lung disease.", {F.interstitial_lung_disease}),
        ("She had Raynaud's phenomenon.", {F.raynaud}),
        ("Synovitis of both wrists.", {F.arthritis}),
        ("He was febrile on arrival.", {F.fever}),
        ("A course complicated by febrile neutropenia.", set()),
        ("She complained of myalgia.", {F.myalgia}),
        ("Weakness was refractory to corticosteroids.", {F.no_response_to_treatment}),
    ],
)
def test_other_organ_findings(sentence: str, expected: set[F]) -> None:
    assert codes(skin.extract_organs(sentence)) == expected


def test_breathing_or_swallowing_difficulty_gives_two_findings() -> None:
    found = codes(skin.extract_organs("He denied breathing or swallowing difficulty."))
    assert found == {F.dysphagia, F.respiratory_muscle_weakness}


def test_a_rash_naming_no_sign_is_a_generic_mention() -> None:
    found = skin.extract_generic("There were no rashes on examination.")
    assert {m.code for m in found} == {F.heliotrope_rash, F.gottron_papules, F.gottron_sign}
    assert {m.extractor for m in found} == {"skin.generic"}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "She had proximal muscle weakness.",
            {F.weakness_proximal_upper, F.weakness_proximal_lower},
        ),
        ("Weakness of the proximal upper limbs.", {F.weakness_proximal_upper}),
        ("Proximal lower limb weakness was noted.", {F.weakness_proximal_lower}),
        ("Weakness of the shoulder girdle and deltoids.", {F.weakness_proximal_upper}),
        ("Marked weakness of the hip flexors.", {F.weakness_proximal_lower}),
        ("He had difficulty climbing stairs.", {F.weakness_proximal_lower}),
        ("She had difficulty combing her hair.", {F.weakness_proximal_upper}),
        ("Neck flexor weakness was prominent.", {F.weakness_neck_flexors}),
        ("There was truncal weakness.", {F.weakness_truncal}),
        ("Weakness of the finger flexors.", {F.finger_flexor_weakness}),
        ("Distal weakness of the hands.", {F.weakness_distal}),
        ("Neck flexors were weaker than extensors.", {F.neck_flexors_weaker_than_extensors}),
        (
            "Weakness was proximal, more severe than distal.",
            {
                F.weakness_proximal_upper,
                F.weakness_proximal_lower,
                F.weakness_distal,
                F.legs_proximal_weaker_than_distal,
            },
        ),
    ],
)
def test_weakness_distribution(sentence: str, expected: set[F]) -> None:
    assert expected <= set(weakness(sentence))


def test_a_limb_without_proximal_or_distal_gives_no_item() -> None:
    assert weakness("Strength was 4 out of 5 in the upper limbs.") == {}


def test_a_rash_distribution_does_not_leak_into_weakness() -> None:
    found = weakness(
        "She had a rash over the chest (neck and arms), with oedema and proximal limb weakness."
    )
    assert set(found) == {F.weakness_proximal_upper, F.weakness_proximal_lower}


@pytest.mark.parametrize(
    ("sentence", "groups", "mrc"),
    [
        ("Power was reduced in both proximal upper and lower limbs (3–4/5).",
         {G.proximal_upper, G.proximal_lower}, "3-4"),
        ("Strength of 4/5 symmetrically in the proximal muscles of the arms.",
         {G.proximal_upper}, "4"),
        ("Weakness with grade 2/5 for hip flexion and extension.",
         {G.hip_flexors, G.gluteus_maximus}, "2"),
        ("Proximal weakness, MRC grade 4-/5 in the deltoids.", {G.deltoid}, "4-"),
        ("Muscle strength of +3 bilaterally at the psoas.", {G.hip_flexors}, "3+"),
    ],
)  # fmt: skip
def test_mrc_grades_go_to_the_muscles_they_qualify(sentence: str, groups: set[G], mrc: str) -> None:
    found = muscle.extract(sentence)
    graded = {g.muscle: g.mrc for m in found if isinstance(m, FindingMention) for g in m.grades}
    assert groups <= set(graded)
    assert {graded[g] for g in groups} == {mrc}


def test_grades_of_muscles_without_a_weakness_item_are_kept_apart() -> None:
    found = muscle.extract("Strength was 4/5 for elbow extension.")
    spare = [m for m in found if isinstance(m, GradeMention)]
    assert spare and spare[0].grades[0].muscle is G.triceps


def test_grade_five_means_not_weak() -> None:
    found = weakness("Power was 5/5 in the proximal upper limbs.")
    assert found[F.weakness_proximal_upper].status is Status.absent


def test_normal_distal_strength_is_recorded_with_its_side() -> None:
    found = weakness("Weakness of the hips, while strength at the ankles remained good.")
    assert found[F.weakness_proximal_lower].status is None
    assert found[F.weakness_distal].status is Status.absent
    assert found[F.weakness_distal].distribution == "lower limbs"


def test_weakness_with_no_region_is_generic() -> None:
    found = muscle.extract("She denied any muscle weakness.")
    assert {m.extractor for m in found} == {"muscle.generic"}


def test_a_weakness_score_is_not_weakness() -> None:
    assert muscle.extract("Her muscle weakness score was 60/80.") == []
