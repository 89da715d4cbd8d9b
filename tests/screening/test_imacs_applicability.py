"""When IMACS 2023 does not apply (spec §7.1; Appendix A ``not_applicable``), and the founding
case (spec §11.5: factors give high; known active cancer → not applicable)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from heliotrope.io import load_record, parse_record
from heliotrope.logic import Context, ItemStatus
from heliotrope.screening import KNOWN_CANCER_NOTE, assess_imacs, screening_plan

from .imacs_helpers import (
    FOUNDING_AS_OF,
    FOUNDING_CASE,
    base_spec,
    build,
    context,
    founding_facts,
)


def test_juvenile_onset_is_not_applicable_but_shows_factors() -> None:
    spec = base_spec()
    spec.update(age=12, subtype="DM")
    spec["antibodies"]["anti_nxp2"] = "positive"
    result = assess_imacs(build(spec), context(spec))
    assert result.category == "not_applicable"
    assert result.item("juvenile_onset").status is ItemStatus.present
    assert result.values["factor_category"] == "high"
    assert any("juvenile" in r for r in result.values["not_applicable_reasons"])


def test_age_17_to_18_straddles_juvenile_onset() -> None:
    spec = base_spec()
    spec["age"] = 17.5
    result = assess_imacs(build(spec), context(spec))
    assert result.item("juvenile_onset").status is ItemStatus.present
    spec["age"] = 18
    assert assess_imacs(build(spec), context(spec)).item("juvenile_onset").status is (
        ItemStatus.absent
    )


@pytest.mark.parametrize(
    ("diagnosis", "status", "category"),
    [
        ("2024-01-10", ItemStatus.absent, "moderate"),  # exactly 3 years after onset: inside
        ("2024-01-11", ItemStatus.present, "not_applicable"),
        ("2021-03-01", ItemStatus.absent, "moderate"),
    ],
)
def test_regression_imacs_window_compares_diagnosis_with_onset(
    diagnosis: str, status: ItemStatus, category: str
) -> None:
    """Applicability compares the diagnosis date with symptom onset (Oldroyd 2023, Fig. 1
    caption: diagnosed within 3 years of onset), never with the day the assessment is run."""
    spec = base_spec()
    spec.update(subtype="DM", diagnosis=diagnosis)  # onset 2021-01-10
    result = assess_imacs(build(spec), context(spec, as_of=date(2026, 6, 1)))
    assert result.item("outside_3_year_window").status is status
    assert result.category == category


def test_regression_imacs_retrospective_record_is_applicable() -> None:
    """Diagnosed a month after onset in 2021, assessed in 2026: in scope (it used to be
    "not applicable" because onset was more than 3 years before the assessment date)."""
    spec = base_spec()
    spec["subtype"] = "DM"
    result = assess_imacs(build(spec), context(spec, as_of=date(2026, 12, 1)))
    assert result.item("outside_3_year_window").status is ItemStatus.absent
    assert result.category == "moderate"


def test_missing_diagnosis_date_is_settled_only_by_an_early_assessment() -> None:
    spec = base_spec()
    spec.update(subtype="DM", diagnosis=None)
    early = assess_imacs(build(spec), context(spec, as_of=date(2022, 1, 1)))
    assert early.item("outside_3_year_window").status is ItemStatus.absent
    late = assess_imacs(build(spec), context(spec, as_of=date(2026, 1, 1)))
    assert late.item("outside_3_year_window").status is ItemStatus.unknown
    assert "not_applicable" in late.possible_outcomes


def test_imprecise_onset_near_the_window_edge_is_unknown() -> None:
    spec = base_spec()
    spec.update(subtype="DM", onset="2021", diagnosis="2024")
    result = assess_imacs(build(spec), context(spec, as_of=date(2026, 6, 1)))
    assert result.item("outside_3_year_window").status is ItemStatus.unknown
    assert result.category == "moderate"
    assert "outside_3_year_window" in result.pivotal_items
    assert "not_applicable" in result.possible_outcomes


def test_regression_imacs_known_active_cancer_is_labelled_policy() -> None:
    assert "not an IMACS 2023 rule" in KNOWN_CANCER_NOTE
    assert "policy" in KNOWN_CANCER_NOTE


def test_cancer_in_remission_or_unknown_status() -> None:
    spec = base_spec()
    spec["cancers"] = [{"histology": "breast carcinoma", "status": "remission"}]
    result = assess_imacs(build(spec), context(spec))
    assert result.item("known_active_cancer").status is ItemStatus.absent
    spec["cancers"] = [{"histology": "breast carcinoma", "status": "unknown"}]
    result = assess_imacs(build(spec), context(spec))
    assert result.item("known_active_cancer").status is ItemStatus.unknown
    assert "known_active_cancer" in result.pivotal_items


def test_founding_facts_with_known_cancer() -> None:
    record = parse_record(founding_facts(with_cancer=True))
    result = assess_imacs(record, Context(as_of=FOUNDING_AS_OF))
    assert result.values["iim_subtype"] == "DM"
    assert result.item("subtype_dm").status is ItemStatus.present
    assert result.item("anti_tif1g").status is ItemStatus.present
    assert result.item("age_onset_over_40").status is ItemStatus.present
    assert result.item("dysphagia").status is ItemStatus.absent
    assert result.values["factor_category"] == "high"
    assert result.category == "not_applicable"
    assert result.values["not_applicable_reasons"] == [KNOWN_CANCER_NOTE]
    assert any("oncological restaging instead" in n for n in result.notes)

    plan = screening_plan(record, result, context=Context(as_of=FOUNDING_AS_OF))
    assert not plan.applicable
    assert {e.panel for e in plan.entries} == {"oncology", "population"}
    restaging = next(e for e in plan.entries if e.panel == "oncology")
    assert restaging.reason == KNOWN_CANCER_NOTE


def test_founding_facts_without_the_cancer_give_high_with_the_full_plan() -> None:
    record = parse_record(founding_facts(with_cancer=False))
    ctx = Context(as_of=FOUNDING_AS_OF)
    result = assess_imacs(record, ctx)
    assert result.category == "high"
    plan = screening_plan(record, result, context=ctx)
    assert plan.applicable
    panels = {e.panel for e in plan.entries}
    assert panels == {"basic", "enhanced", "pet_ct", "gi_endoscopy", "population"}
    baseline = [e for e in plan.entries if e.occasion == "diagnosis"]
    assert all(e.earliest == date(2019, 9, 1) for e in baseline)
    tests = {e.test_id for e in plan.entries}
    assert {"mammography", "cervical_smear", "ca125", "pelvic_ultrasound"} <= tests
    assert "psa" not in tests
    assert "nasoendoscopy" not in tests  # United Kingdom
    repeats = sorted({e.earliest for e in plan.entries if e.occasion.startswith("repeat")})
    assert repeats == [date(2020, 9, 1), date(2021, 9, 1), date(2022, 9, 1)]
    # PET-CT: the anti-TIF1γ single-investigation route is NOT met (age is the qualifying
    # condition, not an additional feature); the high-risk route is, conditionally.
    pet = next(e for e in plan.entries if e.panel == "pet_ct")
    assert pet.condition == "if the basic and enhanced panels found no cancer"
    assert any("not met" in n for n in plan.notes)


def test_bundled_founding_case_is_not_applicable_with_the_cancer_note() -> None:
    record = load_record(FOUNDING_CASE)
    onset = record.myositis_onset
    assert onset is not None
    result = assess_imacs(record, Context(as_of=onset.latest + timedelta(days=30)))
    assert result.values["factor_category"] == "high"
    assert result.category == "not_applicable"
    assert KNOWN_CANCER_NOTE in result.values["not_applicable_reasons"]
