"""IMACS 2023 risk factors alone and in combination (spec §7.2; Oldroyd 2023 Fig. 1).

Combination rule (⚠ unconfirmed, the data file's default): high = >= 2 high-risk factors;
moderate = 1 high-risk factor or >= 2 intermediate-risk factors; standard otherwise.
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from heliotrope.io import parse_record
from heliotrope.logic import Context, ItemStatus
from heliotrope.screening import assess_imacs

from .imacs_helpers import (
    AS_OF,
    COUNTED,
    HIGH,
    INTERMEDIATE,
    assess,
    base_spec,
    build,
    context,
    with_factors,
)


def expected(keys: tuple[str, ...]) -> str:
    high = sum(k in HIGH for k in keys)
    intermediate = sum(k in INTERMEDIATE for k in keys)
    if high >= 2:
        return "high"
    if high == 1 or intermediate >= 2:
        return "moderate"
    return "standard"


def compatible(keys: tuple[str, ...]) -> bool:
    """Factors that can hold together: one subtype; seronegative excludes a positive MSA; an
    IMNM subtype is one fact with the anti-HMGCR or seronegative result that describes it."""
    subtypes = [k for k in keys if k.startswith("subtype_")]
    positive_msa = {"anti_tif1g", "anti_nxp2", "anti_sae", "anti_hmgcr"} & set(keys)
    imnm_described = "subtype_imnm" in keys and {"anti_hmgcr", "msa_negative"} & set(keys)
    return (
        len(subtypes) <= 1 and not ("msa_negative" in keys and positive_msa) and not imnm_described
    )


def test_no_factor_is_standard_with_nothing_unknown() -> None:
    result = assess()
    assert result.category == "standard"
    assert result.unknown_items == ()
    assert {result.item(k).status for k in COUNTED} == {ItemStatus.absent}
    assert result.values["lower_risk_features"] == [  # overlap myositis and anti-Mi2 are shown
        "IIM subtype: antisynthetase syndrome, overlap myositis or IBM",
        "anti-synthetase, anti-Mi2, anti-MDA5, anti-SRP or a myositis-associated antibody "
        "(PM/Scl, Ku, U1RNP)",
    ]


@pytest.mark.parametrize("key", COUNTED)
def test_each_factor_alone(key: str) -> None:
    result = assess(key)
    assert result.item(key).status is ItemStatus.present
    others = [k for k in COUNTED if k != key]
    assert all(result.item(k).status is ItemStatus.absent for k in others)
    assert result.category == ("moderate" if key in HIGH else "standard")
    assert result.values["factor_category"] == result.category


@pytest.mark.parametrize(("subtype", "counted"), [("PM", False), ("IMNM", True), ("CADM", False)])
def test_regression_imacs_pm_and_cadm_are_not_risk_raising(subtype: str, counted: bool) -> None:
    """PM and CADM were intermediate-risk factors; Oldroyd 2021 found both at reduced relative
    risk (RR 0.49, 0.44), so they are shown as lower-risk features, not counted (spec §7.2)."""
    spec = base_spec()
    spec["subtype"] = subtype
    result = assess_imacs(build(spec), context(spec))
    expected = ItemStatus.present if counted else ItemStatus.absent
    assert result.item("subtype_imnm").status is expected
    assert result.item("subtype_dm").status is ItemStatus.absent
    assert result.category == "standard"
    if not counted:
        assert any("PM or CADM" in f for f in result.values["lower_risk_features"])
    assert any("not counted PM, CADM" in n for n in result.notes)


@pytest.mark.parametrize("antibody", ["anti_hmgcr", "anti_srp"])
@pytest.mark.parametrize("given", [True, False])
def test_regression_imacs_count_each_fact_once(antibody: str, given: bool) -> None:
    """An anti-HMGCR-positive IMNM patient has one intermediate factor, not two; anti-SRP (a
    lower-risk antibody) must not raise the tier through the IMNM subtype it implies."""
    spec = base_spec()
    spec["subtype"] = "IMNM" if given else None
    spec["antibodies"]["anti_mi2"] = "negative"
    spec["antibodies"][antibody] = "positive"
    result = assess_imacs(build(spec), context(spec))
    assert result.item("subtype_imnm").status is ItemStatus.absent
    assert "each fact once" in (result.item("subtype_imnm").note or "")
    assert result.values["intermediate_risk_factors"] == (1 if antibody == "anti_hmgcr" else 0)
    assert result.category == "standard"


@pytest.mark.parametrize(
    "keys",
    [pair for pair in itertools.combinations(COUNTED, 2) if compatible(pair)],
    ids="+".join,
)
def test_pairs_of_factors(keys: tuple[str, ...]) -> None:
    result = assess(*keys)
    assert result.category == expected(keys)
    assert result.values["high_risk_factors"] == sum(k in HIGH for k in keys)
    assert result.values["intermediate_risk_factors"] == sum(k in INTERMEDIATE for k in keys)


@pytest.mark.parametrize(
    ("keys", "category"),
    [
        (("subtype_dm", "anti_tif1g", "age_onset_over_40"), "high"),
        (("anti_sae", "rapid_onset", "raised_inflammatory_markers"), "moderate"),
        (("subtype_imnm", "anti_sae", "dysphagia"), "moderate"),
        (("subtype_imnm", "anti_sae", "dysphagia", "age_onset_over_40"), "high"),
    ],
)
def test_larger_combinations(keys: tuple[str, ...], category: str) -> None:
    assert assess(*keys).category == category


def test_unknown_factor_gives_range_and_pivot() -> None:
    spec = base_spec()
    spec["subtype"] = "DM"
    del spec["findings"]["dysphagia"]  # not recorded: unknown
    result = assess_imacs(build(spec), context(spec))
    assert result.category == "moderate"  # unknown counted as absent in the headline
    assert "dysphagia" in result.unknown_items
    assert "dysphagia" in result.pivotal_items
    assert {"moderate", "high"} <= set(result.possible_outcomes)
    assert result.values["factor_category_possible"] == ["moderate", "high"]


def test_not_assessed_finding_is_unknown_not_absent() -> None:
    spec = base_spec()
    spec["findings"]["dysphagia"] = "not_assessed"
    result = assess_imacs(build(spec), context(spec))
    assert result.item("dysphagia").status is ItemStatus.unknown


@pytest.mark.parametrize(
    ("demographics", "status"),
    [
        ({"age_years": 43}, ItemStatus.present),
        ({"age_years": 40}, ItemStatus.unknown),  # 40.0-40.999: straddles 40
        ({"age_years": 39}, ItemStatus.absent),
        ({"birth_date": "1980-06-01"}, ItemStatus.present),  # 40.6 at onset
        ({"birth_date": "1981-06-01"}, ItemStatus.absent),  # 39.6 at onset
        ({"birth_date": "1981"}, ItemStatus.unknown),  # 39.0-40.0 at onset
        ({}, ItemStatus.unknown),
    ],
)
def test_age_over_40_uses_the_age_interval(
    demographics: dict[str, object], status: ItemStatus
) -> None:
    record = parse_record(
        {"id": "age", "demographics": demographics, "myositis": {"onset": "2021-01-10"}}
    )
    result = assess_imacs(record, Context(options={"subtype": "overlap"}, as_of=AS_OF))
    assert result.item("age_onset_over_40").status is status


def test_weak_antibody_is_unknown() -> None:
    spec = base_spec()
    spec["antibodies"]["anti_tif1g"] = "weak"
    result = assess_imacs(build(spec), context(spec))
    item = result.item("anti_tif1g")
    assert item.status is ItemStatus.unknown
    assert item.note and "weakly positive" in item.note


def test_seronegative_needs_every_msa_tested() -> None:
    spec = base_spec()
    spec["antibodies"] = {"anti_jo1": "negative", "anti_tif1g": "negative"}
    result = assess_imacs(build(spec), context(spec))
    item = result.item("msa_negative")
    assert item.status is ItemStatus.unknown
    assert item.note and "not tested" in item.note


def test_raised_inflammatory_marker_needs_a_range() -> None:
    record = parse_record(
        {
            "id": "crp",
            "demographics": {"age_years": 30},
            "myositis": {"onset": "2021-01-10"},
            "labs": [{"analyte": "crp", "value": 30, "unit": "mg/L"}],
        }
    )
    result = assess_imacs(record, Context(options={"subtype": "PM"}, as_of=AS_OF))
    assert result.item("raised_inflammatory_markers").status is ItemStatus.unknown


def test_censored_crp_below_uln_is_not_raised() -> None:
    record = parse_record(
        {
            "id": "crp",
            "demographics": {"age_years": 30},
            "myositis": {"onset": "2021-01-10"},
            "labs": [
                {
                    "analyte": "crp",
                    "value": 4,
                    "unit": "mg/L",
                    "comparator": "<",
                    "range": {"high": 5},
                }
            ],
        }
    )
    result = assess_imacs(record, Context(options={"subtype": "PM"}, as_of=AS_OF))
    assert result.item("raised_inflammatory_markers").status is ItemStatus.absent


def _crp_and_esr(*labs: dict[str, object]) -> ItemStatus:
    record = parse_record(
        {
            "id": "markers",
            "demographics": {"age_years": 30},
            "myositis": {"onset": "2021-01-10"},
            "labs": list(labs),
        }
    )
    result = assess_imacs(record, Context(options={"subtype": "PM"}, as_of=AS_OF))
    return result.item("raised_inflammatory_markers").status


def test_crp_censored_at_the_uln_is_unknown_not_raised() -> None:
    """Regression: 'CRP >= 5' with ULN 5 was read as raised, though it may equal the ULN."""
    crp = {"analyte": "crp", "value": 5, "unit": "mg/L", "comparator": ">=", "range": {"high": 5}}
    assert _crp_and_esr(crp) is ItemStatus.unknown
    above = {**crp, "comparator": ">", "value": 5}
    assert _crp_and_esr(above) is ItemStatus.present


def test_normal_esr_does_not_hide_a_crp_without_a_range() -> None:
    """Regression: one normal marker made the factor absent although CRP could not be read."""
    esr = {"analyte": "esr", "value": 10, "unit": "mm/h", "range": {"high": 20}}
    crp = {"analyte": "crp", "value": 30, "unit": "mg/L"}
    assert _crp_and_esr(esr) is ItemStatus.absent
    assert _crp_and_esr(esr, crp) is ItemStatus.unknown


def test_facts_after_the_assessment_date_are_ignored() -> None:
    record, ctx = with_factors("subtype_dm")
    data = record.model_dump(mode="json", exclude_none=True)
    data["findings"].append({"code": "dysphagia", "status": "present", "date": "2021-06-01"})
    later = parse_record({**data, "findings": data["findings"]})
    assert assess_imacs(later, ctx).item("dysphagia").status is ItemStatus.absent
    after = Context(options=ctx.options, as_of=date(2021, 7, 1))
    assert assess_imacs(later, after).item("dysphagia").status is ItemStatus.present


def test_result_uses_appendix_a_ids_and_names_its_rule() -> None:
    result = assess("subtype_dm", "anti_tif1g")
    data = result.to_json()
    assert data["id"] == "imacs_2023"
    assert data["version"] == "screening.imacs_2023.v1"
    assert data["kind"] == "risk"
    assert data["category"] == "high"  # two high-risk factors
    assert data["rule_variant"] == "eular_2024_hk_summary"
    assert data["rule_confirmed"] is False
    assert "unconfirmed" in data["rule"]
    assert any("Fig. 1" in c for c in data["caveats"])
    assert "Nat Rev Rheumatol" in data["citation"]


def test_a_multi_code_finding_factor_is_absent_only_when_every_code_is() -> None:
    """Factor lists are data: a factor naming two findings must not read 'absent' when only
    one of them was examined (regression guard for ``read_finding``)."""
    from heliotrope.model import FindingCode
    from heliotrope.screening.readers import read_finding

    codes = (FindingCode.dysphagia, FindingCode.oesophageal_dysmotility)

    def status(*findings: tuple[str, str]) -> ItemStatus:
        record = parse_record(
            {"id": "f", "findings": [{"code": c, "status": s} for c, s in findings]}
        )
        return read_finding(record, codes, None).status

    assert status(("dysphagia", "absent")) is ItemStatus.unknown
    assert status(("dysphagia", "absent"), ("oesophageal_dysmotility", "absent")) is (
        ItemStatus.absent
    )
    assert status(("dysphagia", "absent"), ("oesophageal_dysmotility", "present")) is (
        ItemStatus.present
    )
