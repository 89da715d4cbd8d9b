"""The calculator against the publications (spec §1–§3) and against ``heliotrope assess``.

EULAR/ACR 2017 (Lundberg 2017, Table 1 and the logistic model, spec §2): P = 1/(1+e^(5.33−S))
without biopsy and 1/(1+e^(6.49−S)) with biopsy; categories by score ≥ 5.3 / 5.5 / 7.5 (no
biopsy) or ≥ 6.5 / 6.7 / 8.7 (biopsy). Bohan & Peter 1975 (spec §1): DM = rash + 3/2/1 of
C1–C4, PM = 4/3/2 without rash.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heliotrope.api import assess
from heliotrope.criteria import eular_acr_2017
from heliotrope.errors import InputError
from heliotrope.io.casefile import load_record
from heliotrope.web.calculator import answers_from_results, calculate, parse_answers, sections

ROOT = Path(__file__).resolve().parents[2]
E = "eular_acr_2017."

# (answers, biopsy, expected score, expected category, expected subgroup)
EULAR_TABLE = [
    # the founding case (Merry 2020): 2.1 + 0.7 + 0.8 + 3.1 + 2.1 + 1.3
    (
        {
            "age": "40_plus",
            "weakness_proximal_upper": "present",
            "weakness_proximal_lower": "present",
            "heliotrope_rash": "present",
            "gottron_papules": "present",
            "elevated_muscle_enzymes": "present",
        },
        "no",
        10.1,
        "definite",
        "DM",
    ),
    # the same without the heliotrope rash: 7.0, probable (below 7.5)
    (
        {
            "age": "40_plus",
            "weakness_proximal_upper": "present",
            "weakness_proximal_lower": "present",
            "gottron_papules": "present",
            "elevated_muscle_enzymes": "present",
        },
        "no",
        7.0,
        "probable",
        "DM",
    ),
    # skin alone, young adult: 1.3 + 3.3 = 4.6 → not IIM
    ({"age": "18_to_40", "gottron_sign": "present"}, "no", 4.6, "not_iim", None),
    # anti-Jo-1 + weakness + enzymes, no skin: 3.9 + 0.7 + 0.8 + 1.3 + 2.1 = 8.8 → definite PM
    (
        {
            "age": "40_plus",
            "anti_jo1": "present",
            "weakness_proximal_upper": "present",
            "weakness_proximal_lower": "present",
            "elevated_muscle_enzymes": "present",
        },
        "no",
        8.8,
        "definite",
        "PM",
    ),
    # with biopsy: 2.2 + 0.7 + 0.5 + 1.4 + 1.7 + 1.9 = 8.4 → probable (6.7 ≤ S < 8.7)
    (
        {
            "age": "40_plus",
            "weakness_proximal_upper": "present",
            "weakness_proximal_lower": "present",
            "elevated_muscle_enzymes": "present",
            "biopsy_endomysial_infiltrate": "present",
            "biopsy_perifascicular_atrophy": "present",
        },
        "yes",
        8.4,
        "probable",
        "PM",
    ),
    # with biopsy, juvenile with skin: 3.2 + 3.7 + 0.7 + 0.5 = 8.1 (no age points under 18)
    (
        {
            "age": "under_18",
            "heliotrope_rash": "present",
            "gottron_sign": "present",
            "weakness_proximal_upper": "present",
            "weakness_proximal_lower": "present",
        },
        "yes",
        8.1,
        "probable",
        "JDM",
    ),
]


def _eular_form(items: dict[str, str], biopsy: str) -> dict[str, str]:
    form = {E + "biopsy": biopsy, E + "better_explanation": "absent"}
    form.update({E + k: v for k, v in items.items()})
    return form


@pytest.mark.parametrize(("items", "biopsy", "score", "category", "subgroup"), EULAR_TABLE)
def test_eular_acr_scores_from_the_paper(
    items: dict[str, str], biopsy: str, score: float, category: str, subgroup: str | None
) -> None:
    result = calculate(_eular_form(items, biopsy)).results["eular_acr_2017"]
    intercept = 6.49 if biopsy == "yes" else 5.33
    assert result.values["score"] == pytest.approx(score)
    assert result.values["probability"] == pytest.approx(
        1 / (1 + math.exp(intercept - score)), abs=5e-5
    )
    assert result.category == category
    assert result.values["subgroup"] == subgroup
    assert result.values["biopsy_path"] is (biopsy == "yes")


def test_founding_case_probability_is_99_2_percent() -> None:
    result = calculate(_eular_form(EULAR_TABLE[0][0], "no")).results["eular_acr_2017"]
    assert f"{result.values['probability'] * 100:.1f}" == "99.2"
    assert result.outcome == "definite DM"


def test_biopsy_items_do_not_count_without_biopsy() -> None:
    """The weight sets never mix: biopsy answers are ignored on the no-biopsy path."""
    form = _eular_form({"biopsy_rimmed_vacuoles": "present"}, "no")
    result = calculate(form).results["eular_acr_2017"]
    assert result.values["score"] == 0.0
    assert "biopsy_rimmed_vacuoles" not in {i.key for i in result.items}


B = "bohan_peter_1975."
MUSCLE = ("proximal_weakness", "elevated_muscle_enzymes", "myopathic_emg", "muscle_biopsy_myositis")


@pytest.mark.parametrize(
    ("rash", "muscle_met", "category", "subtype"),
    [
        ("present", 3, "definite", "DM"),
        ("present", 2, "probable", "DM"),
        ("present", 1, "possible", "DM"),
        ("absent", 4, "definite", "PM"),
        ("absent", 3, "probable", "PM"),
        ("absent", 2, "possible", "PM"),
        ("absent", 1, "not_met", None),
    ],
)
def test_bohan_peter_table(rash: str, muscle_met: int, category: str, subtype: str | None) -> None:
    form = {B + "dm_rash": rash, B + "exclusion_present": "absent"}
    for index, key in enumerate(MUSCLE):
        form[B + key] = "present" if index < muscle_met else "absent"
    result = calculate(form).results["bohan_peter_1975"]
    assert result.category == category
    assert result.values["subtype"] == subtype
    assert result.unknown_items == ()


def test_bohan_peter_exclusion_present_is_not_met() -> None:
    form = {B + k: "present" for k in (*MUSCLE, "dm_rash", "exclusion_present")}
    assert calculate(form).results["bohan_peter_1975"].category == "not_met"


def test_enmc_subtype_from_the_antibody_rows() -> None:
    form = {
        "enmc_2018_dm.heliotrope_rash": "present",
        "enmc_2018_dm.proximal_weakness": "present",
        "enmc_2018_dm.antibody.anti_tif1g": "positive",
        "enmc_2018_dm.antibody.anti_mi2": "negative",
    }
    result = calculate(form).results["enmc_2018_dm"]
    assert result.category == "definite"
    assert result.values["subtype"] == "anti-TIF1γ DM"
    assert any("not tested: anti-NXP2, anti-MDA5, anti-SAE" in c for c in result.caveats)


def test_calculator_agrees_with_assess_on_the_founding_case() -> None:
    """Terminal and web can never disagree: the same item statuses give the same results."""
    record = load_record(ROOT / "examples" / "founding-case.yaml")
    direct = assess(record).results
    calc = calculate(answers_from_results(record, direct))
    for cid, result in calc.results.items():
        assert result.outcome == direct[cid].outcome, cid
        assert result.best == direct[cid].best and result.worst == direct[cid].worst, cid
        assert result.value_ranges == direct[cid].value_ranges, cid
        assert [p.key for p in result.unknown_effects] == [
            p.key for p in direct[cid].unknown_effects
        ]
        for name in ("score", "probability", "subgroup", "subtype"):
            assert result.values.get(name) == direct[cid].values.get(name), (cid, name)
    assert calc.results["eular_acr_2017"].values["score"] == 10.1


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"eular_acr_2017.heliotrope_rash": "maybe"}, "eular_acr_2017.heliotrope_rash"),
        ({"eular_acr_2017.nonexistent": "present"}, "eular_acr_2017.nonexistent"),
        ({"eular_acr_2017.biopsy": "present"}, "eular_acr_2017.biopsy"),
        ({"enmc_2018_dm.antibody.anti_tif1g": "present"}, "enmc_2018_dm.antibody.anti_tif1g"),
    ],
)
def test_a_tampered_form_is_refused_naming_the_field(form: dict[str, str], field: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_answers(form)
    assert [d.location for d in caught.value.details] == [field]


def test_every_item_defaults_to_not_assessed() -> None:
    answers = parse_answers({})
    for section in sections():
        for row in section.rows:
            if row.kind == "item":
                assert answers[row.name] == "unknown"
            if row.kind == "antibody":
                assert answers[row.name] == "not_tested"


_ROWS = [row for section in sections() for row in section.rows]
_FORMS = st.fixed_dictionaries(
    {},
    optional={row.name: st.sampled_from([c for c, _ in row.choices]) for row in _ROWS},
)


@given(_FORMS)
def test_calculator_invariants(form: dict[str, str]) -> None:
    """For any answers: the EULAR/ACR score is the sum of the present items' weights on the
    chosen path; the headline lies inside the range; each item said to change the outcome
    alone does so when answered present."""
    calc = calculate(form)
    eular = calc.results["eular_acr_2017"]
    biopsy = calc.answers[E + "biopsy"] == "yes"
    weights = {r.key: (r.with_biopsy if biopsy else r.without_biopsy) for r in eular_acr_2017.TABLE}
    present = sum(
        weights[i.key] or 0.0
        for i in eular.items
        if i.status.value == "present" and i.key in weights
    )
    assert eular.values["score"] == pytest.approx(round(present, 1))
    lo, hi = eular.value_ranges["score"]
    assert lo - 1e-9 <= eular.values["score"] <= hi + 1e-9
    for cid, result in calc.results.items():
        order = list(
            {
                "bohan_peter_1975": ("not_met", "possible", "probable", "definite"),
                "eular_acr_2017": eular_acr_2017.CATEGORIES,
            }.get(cid, ())
        )
        if order:
            assert order.index(result.worst) <= order.index(result.category)
            assert order.index(result.category) <= order.index(result.best)
        for pivot in result.unknown_effects:
            if not pivot.changes_outcome or pivot.key.startswith("age_onset"):
                continue
            if pivot.key == "dm_specific_antibody":  # answered per antibody
                change = {"enmc_2018_dm.antibody.anti_tif1g": "positive"}
            else:
                change = {f"{cid}.{pivot.key}": "present"}
            flipped = calculate(dict(calc.answers, **change)).results[cid]
            # ENMC 2018's antibody subtype is a derived value, not part of the category
            assert pivot.if_present in (flipped.outcome, flipped.category)
