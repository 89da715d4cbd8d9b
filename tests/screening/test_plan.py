"""The dated screening plan (spec §7.3 panels and modalities, §7.4 timing and repeats)."""

from __future__ import annotations

from datetime import date

import pytest

from heliotrope.errors import CriteriaError
from heliotrope.logic import Context
from heliotrope.screening import ScreeningPlan, assess_imacs, screening_plan

from .imacs_helpers import SWITCHES, base_spec, build, context

FEMALE_ONLY = {"cervical_smear", "mammography", "ca125", "pelvic_ultrasound"}
BASIC = {
    "history_examination",
    "full_blood_count",
    "liver_function_tests",
    "esr_crp",
    "serum_protein_electrophoresis",
    "urinalysis",
    "chest_radiograph",
}


def plan_for(*factors: str, repeat_variant: str | None = None, **changes: object) -> ScreeningPlan:
    spec = base_spec()
    spec.update(changes)
    for key in factors:
        SWITCHES[key](spec)
    record = build(spec)
    ctx = context(spec)
    return screening_plan(record, context=ctx, repeat_variant=repeat_variant)


def ids(plan: ScreeningPlan, occasion: str | None = None, panel: str | None = None) -> set[str]:
    return {
        e.test_id
        for e in plan.entries
        if (occasion is None or e.occasion == occasion) and (panel is None or e.panel == panel)
    }


def test_standard_risk_basic_panel_at_diagnosis_only() -> None:
    plan = plan_for()
    assert plan.category == "standard"
    assert ids(plan, "diagnosis") == BASIC
    assert {e.panel for e in plan.entries} == {"basic", "population"}
    assert all(e.earliest == date(2021, 2, 1) for e in plan.entries if e.occasion == "diagnosis")


def test_moderate_risk_basic_and_enhanced_no_repeats_by_default() -> None:
    plan = plan_for("dysphagia")
    assert plan.category == "moderate"
    assert {"basic", "enhanced"} <= {e.panel for e in plan.entries}
    assert not any(e.occasion.startswith("repeat") for e in plan.entries)
    assert not ids(plan, panel="pet_ct") and not ids(plan, panel="gi_endoscopy")


def test_regression_imacs_no_moderate_risk_repeat() -> None:
    """The moderate-risk annual repeat has no support in any source (spec §7.4): no schedule
    offers it; free light chains appear in no panel source (spec §7.3)."""
    plan = plan_for("dysphagia", repeat_variant="fig1_recalled")
    assert ids(plan, "repeat_1") == set()
    assert ids(plan, "diagnosis") >= BASIC
    assert "serum_free_light_chains" not in ids(plan)
    assert plan.schedule_variant == "fig1_recalled"
    assert not plan.schedule_confirmed


@pytest.mark.parametrize(
    ("variant", "repeated"),
    [("table_literal", "basic"), ("fig1_recalled", "enhanced"), (None, "basic")],
)
def test_high_risk_repeats_annually_for_3_years(variant: str | None, repeated: str) -> None:
    plan = plan_for("subtype_dm", "anti_tif1g", repeat_variant=variant)
    assert plan.category == "high"
    repeats = [e for e in plan.entries if e.occasion.startswith("repeat")]
    assert {e.panel for e in repeats} == {repeated}
    assert sorted({e.earliest for e in repeats}) == [
        date(2022, 2, 1),
        date(2023, 2, 1),
        date(2024, 2, 1),
    ]
    assert {e.occasion for e in repeats} == {"repeat_1", "repeat_2", "repeat_3"}
    assert any("Repeat schedule" in n and "unconfirmed" in n for n in plan.notes)


def test_unknown_repeat_variant_is_a_clear_error() -> None:
    with pytest.raises(CriteriaError, match="table_literal"):
        plan_for(repeat_variant="yearly-forever")


def test_high_risk_endoscopy_and_pet_ct_are_conditional() -> None:
    plan = plan_for("subtype_dm", "dysphagia")
    assert ids(plan, panel="gi_endoscopy") == {"upper_gi_endoscopy", "lower_gi_endoscopy"}
    pet = [e for e in plan.entries if e.panel == "pet_ct"]
    assert len(pet) == 1 and pet[0].condition and "no cancer" in pet[0].condition


def test_pet_ct_tif1g_and_age_alone_is_not_the_single_investigation_route() -> None:
    # anti-TIF1γ + age > 40 + DM: high risk, but no *additional* high-risk clinical feature.
    plan = plan_for("subtype_dm", "anti_tif1g", "age_onset_over_40")
    pet = next(e for e in plan.entries if e.panel == "pet_ct")
    assert "single screening investigation" not in pet.reason
    assert pet.condition is not None
    assert any("qualifying condition, not an additional feature" in n for n in plan.notes)


@pytest.mark.parametrize(
    "feature", ["dysphagia", "cutaneous_necrosis_ulceration", "persistent_high_disease_activity"]
)
def test_pet_ct_tif1g_route_with_an_additional_feature(feature: str) -> None:
    plan = plan_for("subtype_dm", "anti_tif1g", "age_onset_over_40", feature)
    pet = next(e for e in plan.entries if e.panel == "pet_ct")
    assert "single screening investigation" in pet.reason
    assert pet.condition is None
    assert pet.earliest == date(2021, 2, 1)


def test_pet_ct_tif1g_route_needs_age_over_40() -> None:
    plan = plan_for("subtype_dm", "anti_tif1g", "dysphagia")  # age 30
    pet = next(e for e in plan.entries if e.panel == "pet_ct")
    assert "single screening investigation" not in pet.reason


@pytest.mark.parametrize(
    ("sex", "included", "excluded"),
    [
        ("female", FEMALE_ONLY, {"psa"}),
        ("male", {"psa"}, FEMALE_ONLY),
    ],
)
def test_sex_specific_tests(sex: str, included: set[str], excluded: set[str]) -> None:
    plan = plan_for("dysphagia", sex=sex)
    enhanced = ids(plan, "diagnosis", "enhanced")
    assert included <= enhanced
    assert not excluded & enhanced
    assert {"ct_neck_thorax_abdomen_pelvis", "faecal_occult_blood"} <= enhanced


def test_unknown_sex_keeps_sex_specific_tests_as_conditional() -> None:
    plan = plan_for("dysphagia", sex="unknown")
    conditional = {e.test_id: e.condition for e in plan.entries if e.panel == "enhanced"}
    assert conditional["psa"] == "if male (sex not recorded)"
    assert conditional["mammography"] == "if female (sex not recorded)"
    assert conditional["ct_neck_thorax_abdomen_pelvis"] is None


@pytest.mark.parametrize(
    "region",
    [
        "southern China",
        "Hong Kong",
        "Singapore",
        "South-East Asia",
        "Taiwan",
        "Malaysia",
        "Guangdong, China",
    ],
)
def test_nasoendoscopy_in_high_npc_regions(region: str) -> None:
    plan = plan_for(region=region)  # standard risk: nasoendoscopy still applies
    naso = [e for e in plan.entries if e.test_id == "nasoendoscopy"]
    assert len(naso) == 1
    assert naso[0].earliest == date(2021, 2, 1)
    assert region in naso[0].reason


@pytest.mark.parametrize("region", ["United Kingdom", "Northern Europe", "Chinatown, London"])
def test_no_nasoendoscopy_elsewhere(region: str) -> None:
    plan = plan_for(region=region)
    assert "nasoendoscopy" not in ids(plan)


def test_broad_region_gives_a_note_not_a_test() -> None:
    plan = plan_for(region="China")
    assert "nasoendoscopy" not in ids(plan)
    assert any("broad" in n for n in plan.notes)


def test_population_screening_always_continues() -> None:
    for plan in (plan_for(), plan_for("subtype_dm", "anti_tif1g"), plan_for(age=12)):
        population = [e for e in plan.entries if e.panel == "population"]
        assert len(population) == 1
        assert population[0].earliest is None
        assert "national population" in population[0].test


def test_juvenile_plan_has_only_population_screening() -> None:
    plan = plan_for("subtype_dm", "anti_tif1g", age=12)
    assert plan.category == "not_applicable"
    assert plan.factor_category == "high"
    assert [e.panel for e in plan.entries] == ["population"]


def test_undated_diagnosis_gives_undated_entries_and_a_note() -> None:
    plan = plan_for("dysphagia", onset=None, diagnosis=None)
    assert all(e.earliest is None for e in plan.entries)
    assert any("entries are undated" in n for n in plan.notes)


def test_onset_used_when_diagnosis_missing() -> None:
    plan = plan_for(diagnosis=None)
    first = next(e for e in plan.entries if e.occasion == "diagnosis")
    assert first.earliest == date(2021, 1, 10)
    assert "onset" in first.when


def test_partial_diagnosis_date_gives_a_date_range() -> None:
    plan = plan_for(onset="2021-01", diagnosis="2021-01")
    first = next(e for e in plan.entries if e.occasion == "diagnosis")
    assert (first.earliest, first.latest) == (date(2021, 1, 1), date(2021, 1, 31))
    assert first.date_text == "2021-01-01..2021-01-31"


def test_plan_notes_unknown_factors_that_could_change_it() -> None:
    spec = base_spec()
    spec["subtype"] = "DM"
    del spec["findings"]["dysphagia"]
    record = build(spec)
    plan = screening_plan(record, assess_imacs(record, context(spec)), context=context(spec))
    assert any("dysphagia" in n and "Unknown factors allow" in n for n in plan.notes)


def test_plan_json_has_every_entry_field() -> None:
    data = plan_for("subtype_dm", "anti_tif1g").to_json()
    assert data["category"] == "high"
    assert data["rule_confirmed"] is False
    entry = data["entries"][0]
    assert {"date", "test", "panel", "reason", "citation", "when"} <= set(entry)
    assert entry["date"] == "2021-02-01"


def test_plan_defaults_to_today() -> None:
    spec = base_spec()
    plan = screening_plan(build(spec), context=Context(options={"subtype": "overlap"}))
    assert plan.as_of == date.today()
