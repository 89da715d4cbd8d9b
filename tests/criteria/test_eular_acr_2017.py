"""2017 EULAR/ACR (spec §2): weights, probability, cut-offs on both paths, the rounding
boundary, the biopsy path switch, the subgroup tree, unknown items and the founding case."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heliotrope.criteria import eular_acr_2017 as eular
from heliotrope.io import parse_record
from heliotrope.logic import Context, ItemStatus, Truth
from heliotrope.model import LabStatement

from .helpers import CK_HIGH, CK_NORMAL, founding_case, record

# Spec §2.1 (primary Table 1): key -> (without biopsy, with biopsy)
PUBLISHED_WEIGHTS = {
    "age_onset_18_to_40": (1.3, 1.5),
    "age_onset_40_plus": (2.1, 2.2),
    "weakness_proximal_upper": (0.7, 0.7),
    "weakness_proximal_lower": (0.8, 0.5),
    "neck_flexors_weaker_than_extensors": (1.9, 1.6),
    "legs_proximal_weaker_than_distal": (0.9, 1.2),
    "heliotrope_rash": (3.1, 3.2),
    "gottron_papules": (2.1, 2.7),
    "gottron_sign": (3.3, 3.7),
    "dysphagia_or_oesophageal_dysmotility": (0.7, 0.6),
    "anti_jo1": (3.9, 3.8),
    "elevated_muscle_enzymes": (1.3, 1.4),
    "biopsy_endomysial_infiltrate": (None, 1.7),
    "biopsy_perimysial_perivascular_infiltrate": (None, 1.2),
    "biopsy_perifascicular_atrophy": (None, 1.9),
    "biopsy_rimmed_vacuoles": (None, 3.1),
}
BIOPSY_DONE = [{"kind": "muscle_biopsy", "performed": True, "findings": {}}]


@pytest.mark.parametrize(("key", "weights"), PUBLISHED_WEIGHTS.items())
def test_weights_match_the_publication(key: str, weights: tuple[float | None, float]) -> None:
    without, with_ = weights
    assert eular.definition(True).item(key).points == with_
    if without is None:
        assert key not in {i.key for i in eular.definition(False).items}
    else:
        assert eular.definition(False).item(key).points == without


def test_sixteen_items_on_the_biopsy_path_twelve_without() -> None:
    scored = lambda d: [i for i in d.items if i.points is not None]  # noqa: E731
    assert len(scored(eular.definition(True))) == 16
    assert len(scored(eular.definition(False))) == 12


@pytest.mark.parametrize(
    ("age", "under_18", "from_18", "from_40"),
    [
        (17, "present", "absent", "absent"),
        (18, "absent", "present", "absent"),
        (39, "absent", "present", "absent"),
        (40, "absent", "absent", "present"),
        (None, "unknown", "unknown", "unknown"),
    ],
)
def test_age_boundaries(age: float | None, under_18: str, from_18: str, from_40: str) -> None:
    result = eular.assess(record("heliotrope_rash", age=age))
    assert result.item("age_onset_under_18").status == under_18
    assert result.item("age_onset_18_to_40").status == from_18
    assert result.item("age_onset_40_plus").status == from_40


def test_regression_imprecise_onset_age_counts_the_lower_weight() -> None:
    """Born in 1980, onset in June 2020: 39.4 to 40.5 years, so both adult bands are possible.
    The headline used to score neither (3.1); exactly one applies, so it counts the lower
    weight, 1.3 (issue 7, departure 2; Lundberg 2017 Table 1)."""
    patient = parse_record(
        {
            "id": "straddle",
            "demographics": {"birth_date": "1980"},
            "myositis": {"onset": "2020-06"},
            "findings": [{"code": "heliotrope_rash", "status": "present"}],
        }
    )
    result = eular.assess(patient)
    assert result.item("age_onset_under_18").status is ItemStatus.absent
    for key in ("age_onset_18_to_40", "age_onset_40_plus"):
        assert result.item(key).status is ItemStatus.unknown
        assert (result.item(key).note or "").startswith("age at onset straddles the boundary")
        assert key in result.unknown_items
    assert result.item("age_onset_18_to_40").counted == pytest.approx(1.3)
    assert result.item("age_onset_40_plus").counted == 0.0
    assert result.values["score"] == pytest.approx(3.1 + 1.3)
    low, high = result.value_ranges["score"]
    assert low == pytest.approx(4.4)
    others = sum(
        i.points or 0.0
        for i in result.items
        if i.status is ItemStatus.unknown and not i.key.startswith("age_")
    )
    assert high == pytest.approx(3.1 + 2.1 + others)  # never 1.3 and 2.1 together
    assert any("lower weight (1.3)" in n for n in result.notes)
    [effect] = [e for e in result.unknown_effects if e.key == "age_onset_40_plus"]
    assert effect.values["score"] == pytest.approx(5.2)


def _env_for(definition: eular.Definition, target: float) -> dict[str, Truth]:
    """Items (no age conflicts) whose weights sum exactly to ``target``."""
    scored = [(i.key, i.points) for i in definition.items if i.points is not None]
    for n in range(1, len(scored) + 1):
        for combo in itertools.combinations(scored, n):
            keys = {k for k, _ in combo}
            if {"age_onset_18_to_40", "age_onset_40_plus"} <= keys:
                continue
            if math.isclose(sum(w for _, w in combo if w), target, abs_tol=1e-9):
                env = {i.key: Truth.FALSE for i in definition.items}
                env.update(dict.fromkeys(keys, Truth.TRUE))
                return env
    raise AssertionError(f"no combination sums to {target}")


@pytest.mark.parametrize(
    ("biopsy", "score", "by_score", "by_probability"),
    [
        (False, 5.2, "not_iim", "not_iim"),
        (False, 5.3, "possible", "not_iim"),  # P = 49.3%
        (False, 5.4, "possible", "possible"),
        (False, 5.5, "probable", "possible"),  # P = 54.2%: the rounding conflict
        (False, 7.4, "probable", "probable"),
        (False, 7.5, "definite", "probable"),  # P = 89.75%
        (False, 7.6, "definite", "definite"),
        (True, 6.4, "not_iim", "not_iim"),
        (True, 6.5, "possible", "possible"),
        (True, 6.7, "probable", "probable"),
        (True, 8.6, "probable", "probable"),
        (True, 8.7, "definite", "definite"),
    ],
)
def test_cut_offs_under_both_rules(
    biopsy: bool, score: float, by_score: str, by_probability: str
) -> None:
    for rule, expected in (("score", by_score), ("probability", by_probability)):
        definition = eular.definition(biopsy, rule)
        env = _env_for(definition, score)
        assert definition.outcome.evaluate(env).value == frozenset({expected}), rule


def test_probability_formula() -> None:
    assert eular.Logistic.probability(10.1, 5.33) == pytest.approx(0.9916, abs=1e-4)
    assert eular.Logistic.probability(5.5, 5.33) == pytest.approx(0.542, abs=1e-3)
    assert eular.Logistic.probability(8.7, 6.49) == pytest.approx(0.901, abs=1e-3)


def test_boundary_conflict_is_reported_with_both_numbers() -> None:
    """S = 5.5 without biopsy: probable by score cut-off, P = 54.2% (possible) by probability."""
    conflict = record("gottron_papules", age=45, labs=CK_HIGH)  # 2.1 + 2.1 + 1.3
    result = eular.assess(conflict)
    assert result.values["score"] == pytest.approx(5.5)
    assert result.values["probability"] == pytest.approx(0.5424, abs=1e-4)
    assert result.category == "probable"
    assert any("Boundary" in c and "5.5" in c and "54.2%" in c for c in result.caveats)
    by_probability = eular.assess(conflict, Context(options={"eular_boundary_rule": "probability"}))
    assert by_probability.category == "possible"
    assert by_probability.values["subgroup"] is None


def test_no_boundary_caveat_when_rules_agree() -> None:
    result = eular.assess(record("gottron_papules", "heliotrope_rash", age=45, labs=CK_HIGH))
    assert not any("Boundary" in c for c in result.caveats)


def test_biopsy_path_switch() -> None:
    without = eular.assess(record("gottron_papules", "weakness_proximal_lower", age=45))
    with_ = eular.assess(
        record("gottron_papules", "weakness_proximal_lower", age=45, investigations=BIOPSY_DONE)
    )
    assert without.values["biopsy_path"] is False
    assert with_.values["biopsy_path"] is True
    assert without.values["score"] == pytest.approx(2.1 + 2.1 + 0.8)
    assert with_.values["score"] == pytest.approx(2.2 + 2.7 + 0.5)


def test_not_performed_biopsy_stays_on_the_no_biopsy_path() -> None:
    patient = record(
        "heliotrope_rash", age=45, investigations=[{"kind": "muscle_biopsy", "performed": False}]
    )
    assert eular.assess(patient).values["biopsy_path"] is False


def test_skin_items_are_additive() -> None:
    result = eular.assess(record("heliotrope_rash", "gottron_papules", "gottron_sign", age=45))
    assert result.values["score"] == pytest.approx(2.1 + 3.1 + 2.1 + 3.3)


def test_no_skin_sign_on_no_biopsy_path_warns() -> None:
    result = eular.assess(
        record("weakness_proximal_upper", absent=("heliotrope_rash",), age=45, labs=CK_HIGH)
    )
    assert any("Karolinska" in c for c in result.caveats)


@pytest.mark.parametrize(
    ("present", "age", "extra", "subgroup"),
    [
        (("heliotrope_rash", "gottron_papules", "weakness_proximal_upper"), 10, {}, "JDM"),
        (
            (
                "weakness_proximal_upper",
                "weakness_proximal_lower",
                "neck_flexors_weaker_than_extensors",
                "dysphagia",
            ),
            10,
            {"antibodies": [{"name": "anti_jo1", "result": "positive"}]},
            "juvenile_non_jdm",
        ),
        (("heliotrope_rash", "gottron_papules", "weakness_proximal_upper"), 50, {}, "DM"),
        (("heliotrope_rash", "gottron_papules", "gottron_sign"), 50, {}, "ADM"),
        (
            (
                "weakness_proximal_upper",
                "weakness_proximal_lower",
                "finger_flexor_weakness",
                "no_response_to_treatment",
                "dysphagia",
            ),
            60,
            {"antibodies": [{"name": "anti_jo1", "result": "positive"}]},
            "IBM",
        ),
        (
            (
                "weakness_proximal_upper",
                "weakness_proximal_lower",
                "neck_flexors_weaker_than_extensors",
            ),
            50,
            {"antibodies": [{"name": "anti_jo1", "result": "positive"}]},
            "PM",
        ),
    ],
)
def test_subgroup_tree(
    present: tuple[str, ...], age: int, extra: dict[str, object], subgroup: str
) -> None:
    patient = record(*present, age=age, labs=CK_HIGH, **extra)  # type: ignore[arg-type]
    result = eular.assess(patient)
    assert result.category in ("probable", "definite")
    assert result.values["subgroup"] == subgroup


def test_rimmed_vacuoles_give_ibm_on_the_biopsy_path() -> None:
    biopsy = [
        {"kind": "muscle_biopsy", "performed": True, "findings": {"rimmed_vacuoles": "present"}}
    ]
    patient = record(
        "weakness_proximal_upper",
        "weakness_proximal_lower",
        age=65,
        labs=CK_HIGH,
        investigations=biopsy,
    )
    result = eular.assess(patient)  # 2.2 + 0.7 + 0.5 + 1.4 + 3.1 = 7.9 -> probable
    assert result.values["subgroup"] == "IBM"


def test_no_subgroup_below_probable() -> None:
    result = eular.assess(record("gottron_papules", age=30))
    assert result.category == "not_iim"
    assert result.values["subgroup"] is None


def test_better_explanation_blocks_classification() -> None:
    patient = record(
        "heliotrope_rash",
        "gottron_papules",
        "weakness_proximal_upper",
        age=50,
        myositis={"better_explanation": "present"},
    )
    result = eular.assess(patient)
    assert result.category == "not_iim"
    assert result.values["subgroup"] is None


def test_unknown_is_not_absent() -> None:
    unknown = eular.assess(record("heliotrope_rash", age=45))
    absent = eular.assess(record("heliotrope_rash", age=45, absent=("gottron_sign",)))
    assert unknown.values["score"] == absent.values["score"]
    assert "gottron_sign" in unknown.unknown_items
    assert "gottron_sign" not in absent.unknown_items
    effect = next(e for e in unknown.unknown_effects if e.key == "gottron_sign")
    assert effect.values["score"] == pytest.approx(2.1 + 3.1 + 3.3)
    assert effect.changes_outcome


def test_weak_jo1_is_unknown_not_positive() -> None:
    result = eular.assess(
        record("heliotrope_rash", age=45, antibodies=[{"name": "Jo-1", "result": "weak"}])
    )
    assert result.item("anti_jo1").status is ItemStatus.unknown


def test_founding_case() -> None:
    """Spec §11.2: 10.1 strict (11.0 with the leg item), P 99.2%, definite IIM, adult DM."""
    result = eular.assess(founding_case())
    assert result.category == "definite"
    assert result.values["score"] == pytest.approx(10.1)
    assert result.values["probability"] == pytest.approx(0.992, abs=5e-4)
    assert result.values["subgroup"] == "DM"
    assert result.values["biopsy_path"] is False
    legs = result.item("legs_proximal_weaker_than_distal")
    assert legs.status is ItemStatus.unknown
    effect = next(e for e in result.unknown_effects if e.key == "legs_proximal_weaker_than_distal")
    assert effect.values["score"] == pytest.approx(11.0)
    assert effect.values["probability"] == pytest.approx(0.997, abs=5e-4)
    assert not effect.changes_outcome
    assert result.item("neck_flexors_weaker_than_extensors").status is ItemStatus.absent
    # Spec §11.2: "Dysphagia: No (denied)".
    swallow = result.item("dysphagia_or_oesophageal_dysmotility")
    assert swallow.status is ItemStatus.absent


def test_denied_dysphagia_without_motility_testing_is_absent() -> None:
    """Spec §11.2 worked example scores item 10 "No (denied)": motility testing follows
    symptoms, so denied dysphagia with untested motility is absent (documented choice)."""
    key = "dysphagia_or_oesophageal_dysmotility"
    denied = eular.assess(record("heliotrope_rash", absent=("dysphagia",), age=45))
    assert denied.item(key).status is ItemStatus.absent
    assert denied.item(key).note == "dysphagia denied; motility not tested"
    both = eular.assess(
        record("heliotrope_rash", absent=("dysphagia", "oesophageal_dysmotility"), age=45)
    )
    assert both.item(key).status is ItemStatus.absent
    either = eular.assess(
        record("heliotrope_rash", "oesophageal_dysmotility", absent=("dysphagia",), age=45)
    )
    assert either.item(key).status is ItemStatus.present
    silent = eular.assess(record("heliotrope_rash", age=45))
    assert silent.item(key).status is ItemStatus.unknown
    motility_only = eular.assess(
        record("heliotrope_rash", absent=("oesophageal_dysmotility",), age=45)
    )
    assert motility_only.item(key).status is ItemStatus.unknown


ITEM_FINDINGS = [
    "weakness_proximal_upper",
    "weakness_proximal_lower",
    "neck_flexors_weaker_than_extensors",
    "legs_proximal_weaker_than_distal",
    "heliotrope_rash",
    "gottron_papules",
    "gottron_sign",
    "dysphagia",
]
ORDER = {c: i for i, c in enumerate(eular.CATEGORIES)}


@settings(max_examples=60)
@given(
    st.sets(st.sampled_from(ITEM_FINDINGS)),
    st.sampled_from(ITEM_FINDINGS),
    st.booleans(),
    st.integers(10, 80),
)
def test_a_present_finding_never_lowers_score_or_category(
    present: set[str], extra: str, biopsy: bool, age: int
) -> None:
    investigations = BIOPSY_DONE if biopsy else None
    before = eular.assess(record(*sorted(present), age=age, investigations=investigations))
    after = eular.assess(record(*sorted(present | {extra}), age=age, investigations=investigations))
    assert after.values["score"] >= before.values["score"]
    assert after.values["probability"] >= before.values["probability"]
    assert ORDER[after.category] >= ORDER[before.category]


@settings(max_examples=40)
@given(st.sets(st.sampled_from(ITEM_FINDINGS)), st.integers(10, 80))
def test_headline_lies_within_the_reported_range(present: set[str], age: int) -> None:
    result = eular.assess(record(*sorted(present), age=age))
    lo, hi = result.value_ranges["score"]
    assert lo <= result.values["score"] <= hi
    assert ORDER[result.worst] <= ORDER[result.category] <= ORDER[result.best]


@pytest.mark.parametrize(
    ("comparator", "value", "status"),
    [
        (">", 150, "unknown"),
        (">", 250, "present"),
        (">", 200, "present"),  # above 200 is above a ULN of 200
        (">=", 200, "unknown"),  # regression: may be exactly the ULN, was read as raised
        ("<", 150, "absent"),
        ("<", 250, "unknown"),
        ("<=", 200, "absent"),
    ],
)
def test_censored_enzyme_values(comparator: str, value: float, status: str) -> None:
    labs = [
        {
            "analyte": "ck",
            "value": value,
            "comparator": comparator,
            "unit": "U/L",
            "range": {"high": 200},
        }
    ]
    result = eular.assess(record("heliotrope_rash", age=45, labs=labs))
    assert result.item("elevated_muscle_enzymes").status == status


@pytest.mark.parametrize(
    ("labs", "said", "status"),
    [
        (None, "high", "present"),  # "raised CK, LDH and aldolase" with no numbers
        (None, "normal", "absent"),
        ("normal", "high", "present"),  # a statement of a raised enzyme adds to normal values
        ("high", "normal", "present"),  # a raised value beats a statement
    ],
)
def test_enzymes_reported_in_words(labs: str | None, said: str, status: str) -> None:
    values = {"normal": CK_NORMAL, "high": CK_HIGH, None: None}[labs]
    patient = record("heliotrope_rash", age=45, labs=values)
    patient = patient.model_copy(
        update={
            "lab_statements": (
                LabStatement(analyte="ldh", interpretation=said),  # type: ignore[arg-type]
            )
        }
    )
    assert eular.assess(patient).item("elevated_muscle_enzymes").status == status


def test_an_enzyme_without_a_range_is_not_hidden_by_a_normal_one() -> None:
    """Regression: CK measured without a reference range plus a normal ALT read as 'absent'."""
    alt = {"analyte": "alt", "value": 20, "unit": "U/L", "range": {"high": 49}}
    ck = {"analyte": "ck", "value": 5000, "unit": "U/L"}
    only_alt = eular.assess(record("heliotrope_rash", age=45, labs=[alt]))
    assert only_alt.item("elevated_muscle_enzymes").status is ItemStatus.absent
    both = eular.assess(record("heliotrope_rash", age=45, labs=[alt, ck]))
    item = both.item("elevated_muscle_enzymes")
    assert item.status is ItemStatus.unknown
    assert item.note == "CK measured without a reference range: cannot be placed against the ULN"
    assert "elevated_muscle_enzymes" in both.unknown_items


def test_regression_no_skin_no_biopsy_is_not_classified_prominently() -> None:
    """The authors' calculator does not classify a patient with no DM skin sign and no muscle
    biopsy (Karolinska calculator instructions; spec §2.3): said in a value and the first
    caveat, not only as a later warning."""
    patient = parse_record(
        {
            "id": "no-skin",
            "demographics": {"age_years": 50},
            "findings": [
                {"code": "weakness_proximal_upper", "status": "present", "laterality": "both"},
                {"code": "heliotrope_rash", "status": "absent"},
            ],
            "antibodies": [{"name": "anti_jo1", "result": "positive"}],
        }
    )
    result = eular.assess(patient)
    assert result.values["classified_by_authors_calculator"] is False
    assert result.caveats[0].startswith("NOT CLASSIFIED BY THE AUTHORS' CALCULATOR")
    with_skin = eular.assess(founding_case())
    assert with_skin.values["classified_by_authors_calculator"] is True
