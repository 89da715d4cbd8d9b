"""Graus 2004 PNS criteria (spec §5.1): DM as the classical syndrome, the 5-year window (exact
boundaries, partial dates), the documented 'active at syndrome diagnosis' branch, definite and
possible rules 1-4 / 1-3, and the founding case (spec §11.3)."""

from __future__ import annotations

from typing import Any

import pytest

from heliotrope.criteria import graus_pns_2004 as graus
from heliotrope.errors import CriteriaError
from heliotrope.io import parse_record
from heliotrope.logic import Context, ItemStatus
from heliotrope.model import PatientRecord

from .helpers import founding_case

DIAGNOSIS = "2015-06-15"
DM = [
    {"code": "heliotrope_rash", "status": "present"},
    {"code": "weakness_proximal_upper", "status": "present", "laterality": "both"},
]
NEGATIVE_ONCONEURAL = dict.fromkeys((a.value for a in graus.WELL_CHARACTERISED), "negative")


def make(
    cancer_date: Any = None,
    *,
    status: str = "active",
    cancer: bool = True,
    findings: list[dict[str, Any]] | None = None,
    antibodies: dict[str, str] | None = None,
    myositis: dict[str, Any] | None = None,
) -> PatientRecord:
    cancers = []
    if cancer:
        entry: dict[str, Any] = {"histology": "adenocarcinoma", "status": status}
        if cancer_date is not None:
            entry["date"] = cancer_date
        cancers.append(entry)
    return parse_record(
        {
            "id": "graus",
            "myositis": myositis if myositis is not None else {"diagnosis": DIAGNOSIS},
            "findings": DM if findings is None else findings,
            "cancers": cancers,
            "antibodies": [{"name": n, "result": r} for n, r in (antibodies or {}).items()],
        }
    )


def test_founding_case_definite_via_active_cancer_before_dm() -> None:
    result = graus.assess(founding_case())
    assert result.category == "definite"
    assert result.item("classical_syndrome").status is ItemStatus.present
    assert result.values["cancer_branch"] == "active_at_syndrome_diagnosis"
    assert result.values["cancer_interval_days"] == [-229, -229]
    assert graus.NOT_FOR_DM_2021 in result.caveats
    assert any("diagnosed before the syndrome" in c for c in result.caveats)


@pytest.mark.parametrize(
    ("cancer_date", "status", "category", "branch"),
    [
        ("2020-06-15", "remission", "definite", "within_window_after"),  # exactly 5 years after
        ("2020-06-16", "active", "not_met", None),  # 5 years + 1 day after
        ("2010-06-15", "remission", "definite", "within_window_before"),  # exactly 5 years before
        ("2010-06-14", "active", "not_met", None),  # 5 years + 1 day before: unknown, not met
        ("2015-06-15", "active", "definite", "active_at_syndrome_diagnosis"),  # same day
    ],
)
def test_five_year_window_boundaries(
    cancer_date: str, status: str, category: str, branch: str | None
) -> None:
    result = graus.assess(make(cancer_date, status=status))
    assert result.category == category
    assert result.values["cancer_branch"] == branch


def test_old_cancer_in_remission_is_unknown_not_absent() -> None:
    """Diagnosed > 5 years before and in remission now: whether it was active at the syndrome
    diagnosis is not recorded, so the cancer item is unknown (headline not met; range definite)."""
    result = graus.assess(make("2010-06-14", status="remission"))
    assert result.item("cancer_within_5_years").status is ItemStatus.unknown
    assert result.category == "not_met"
    assert "definite" in result.possible_outcomes
    assert "cancer_within_5_years" in result.pivotal_items


def test_partial_cancer_date_straddling_the_window_is_unknown() -> None:
    result = graus.assess(make("2020-06", status="remission"))  # 1-30 June 2020 vs 15 June
    assert result.item("cancer_within_5_years").status is ItemStatus.unknown
    assert "definite" in result.possible_outcomes


def test_partial_cancer_date_wholly_inside_is_present() -> None:
    result = graus.assess(make("2019", status="remission"))
    assert result.category == "definite"


def test_missing_cancer_date_is_unknown() -> None:
    result = graus.assess(make(None, status="remission"))
    assert result.item("cancer_within_5_years").status is ItemStatus.unknown


def test_missing_syndrome_dates_are_unknown() -> None:
    result = graus.assess(make("2016-01-01", myositis={}))
    assert result.item("cancer_within_5_years").status is ItemStatus.unknown


def test_syndrome_date_falls_back_to_onset() -> None:
    result = graus.assess(make("2016-01-01", myositis={"onset": "2015-01-01"}))
    assert result.values["syndrome_date_from"] == "myositis.onset"
    assert result.category == "definite"


def test_possible_rule_1_high_risk_without_cancer() -> None:
    result = graus.assess(make(cancer=False), Context({"graus_high_tumour_risk": True}))
    assert result.item("high_tumour_risk").status is ItemStatus.present
    assert result.category == "possible"


def test_regression_graus_anti_tif1g_is_not_high_tumour_risk_by_itself() -> None:
    """Graus 2004 leaves "high risk of an underlying tumour" undefined: a positive anti-TIF1γ
    is named in the note but does not make it present; the user says so with the option."""
    result = graus.assess(make(cancer=False, antibodies={"anti_tif1g": "positive"}))
    item = result.item("high_tumour_risk")
    assert item.status is ItemStatus.unknown
    assert "anti" in (item.note or "").lower() or "IMACS" in (item.note or "")
    assert result.category == "not_met"
    assert "possible" in result.possible_outcomes


def test_no_cancer_and_no_risk_information_is_not_met_with_range() -> None:
    result = graus.assess(make(cancer=False))
    assert result.category == "not_met"
    assert "high_tumour_risk" in result.pivotal_items


def test_definite_rule_4_well_characterised_antibody_without_cancer() -> None:
    result = graus.assess(make(cancer=False, antibodies={"anti_hu": "positive"}))
    assert result.category == "definite"


def test_amyopathic_dm_leaves_the_classical_syndrome_unknown() -> None:
    findings = [
        {"code": "gottron_papules", "status": "present"},
        {"code": "weakness_proximal_upper", "status": "absent"},
        {"code": "weakness_proximal_lower", "status": "absent"},
    ]
    result = graus.assess(make("2016-01-01", findings=findings))
    assert result.item("classical_syndrome").status is ItemStatus.unknown
    assert result.category == "not_met"
    assert "classical_syndrome" in result.pivotal_items


def test_option_names_another_classical_syndrome() -> None:
    ctx = Context(options={"pns_syndrome": "Limbic encephalitis"})
    assert graus.assess(make("2016-01-01", findings=[]), ctx).category == "definite"


def test_non_classical_rules() -> None:
    stiff = {"pns_syndrome": "stiff_person_syndrome"}
    # definite 3: non-classical + well-characterised antibody + cancer within 5 years
    with_antibody = make("2019-01-01", findings=[], antibodies={"anti_amphiphysin": "positive"})
    assert graus.assess(with_antibody, Context(options=stiff)).category == "definite"
    # possible 3: non-classical, no onconeural antibodies, cancer within 2 years
    no_antibody = dict(stiff, graus_partially_characterised_antibody=False)
    within_2 = make("2016-06-01", findings=[], antibodies=NEGATIVE_ONCONEURAL)
    assert graus.assess(within_2, Context(options=no_antibody)).category == "possible"
    beyond_2 = make("2018-06-01", findings=[], antibodies=NEGATIVE_ONCONEURAL)
    assert graus.assess(beyond_2, Context(options=no_antibody)).category == "not_met"
    # definite 2: improves after cancer treatment without immunotherapy
    improved = dict(stiff, graus_improved_after_cancer_treatment=True)
    assert graus.assess(beyond_2, Context(options=improved)).category == "definite"


def test_possible_rule_2_partially_characterised_antibody_without_cancer() -> None:
    ctx = Context(options={"graus_partially_characterised_antibody": True})
    assert graus.assess(make(cancer=False, antibodies=NEGATIVE_ONCONEURAL), ctx).category == (
        "possible"
    )


def test_unknown_syndrome_name_is_an_error() -> None:
    with pytest.raises(CriteriaError, match="not a Graus 2004 syndrome"):
        graus.assess(make("2016-01-01"), Context(options={"pns_syndrome": "migraine"}))


@pytest.mark.parametrize(
    "name",
    [
        "graus_high_tumour_risk",
        "graus_partially_characterised_antibody",
        "graus_improved_after_cancer_treatment",
    ],
)
def test_yes_no_options_refuse_anything_but_a_boolean(name: str) -> None:
    """Regression: the options were read with bool(), so the string "false" meant true."""
    patient = make(cancer=False, antibodies=NEGATIVE_ONCONEURAL)
    with pytest.raises(CriteriaError, match=f"Option {name} must be true or false, not 'false'"):
        graus.assess(patient, Context(options={name: "false"}))


def test_high_tumour_risk_option_false_is_absent() -> None:
    patient = make(cancer=False, antibodies=NEGATIVE_ONCONEURAL)
    result = graus.assess(patient, Context(options={"graus_high_tumour_risk": False}))
    assert result.item("high_tumour_risk").status is ItemStatus.absent
    assert result.category == "not_met"


def test_one_absent_skin_sign_does_not_rule_out_dm_skin() -> None:
    """Regression: 'heliotrope rash absent' made the DM skin signs absent although Gottron's
    papules and sign were never examined, so the classical syndrome read as absent."""
    weak = {"code": "weakness_proximal_upper", "status": "present", "laterality": "both"}
    partly = make("2016-01-01", findings=[{"code": "heliotrope_rash", "status": "absent"}, weak])
    item = graus.assess(partly).item("classical_syndrome")
    assert item.status is ItemStatus.unknown
    assert graus.assess(partly).pivotal_items == ("classical_syndrome",)
    none = [{"code": c, "status": "absent"} for c in graus.rx.HALLMARK_SKIN]
    examined = make("2016-01-01", findings=[*none, weak])  # dm_rash (umbrella) not needed
    assert graus.assess(examined).item("classical_syndrome").status is ItemStatus.absent


def test_classical_list_has_eight_syndromes_including_dm() -> None:
    assert len(graus.CLASSICAL_SYNDROMES) == 8
    assert "dermatomyositis" in graus.CLASSICAL_SYNDROMES
    assert not set(graus.CLASSICAL_SYNDROMES) & set(graus.NON_CLASSICAL_SYNDROMES)


def test_regression_graus_time_window_old_cancer_of_unrecorded_status() -> None:
    """A cancer diagnosed ten years before DM with no status recorded gave definite PNS (the
    status defaulted to active and the window was skipped). Graus 2004 (JNNP 75:1135, definite
    criterion 1) asks for a cancer that develops within 5 years of the syndrome diagnosis."""
    record = parse_record(
        {
            "id": "old",
            "myositis": {"diagnosis": DIAGNOSIS},
            "findings": DM,
            "cancers": [{"histology": "breast carcinoma", "date": "2005-06-15"}],
        }
    )
    assert record.cancers[0].status.value == "unknown"
    result = graus.assess(record)
    item = result.item("cancer_within_5_years")
    assert item.status is ItemStatus.unknown
    assert "more than 5 years before" in (item.note or "")
    assert "status unknown" in (item.note or "")
    assert result.category == "not_met"
    assert result.values["cancer_branch"] is None


@pytest.mark.parametrize("status", ["active", "remission", "unknown"])
def test_regression_graus_time_window_applies_whatever_the_status(status: str) -> None:
    outside = graus.assess(make("2008-01-01", status=status))
    assert outside.item("cancer_within_5_years").status is ItemStatus.unknown
    assert outside.category == "not_met"
    inside = graus.assess(make("2013-01-01", status=status))
    assert inside.category == "definite"
    expected = "active_at_syndrome_diagnosis" if status == "active" else "within_window_before"
    assert inside.values["cancer_branch"] == expected


def test_regression_graus_alt_shows_muscle_involvement() -> None:
    """ALT is among the muscle enzymes (as in EULAR/ACR item 12 and Bohan & Peter C2)."""
    record = parse_record(
        {
            "id": "alt",
            "myositis": {"diagnosis": DIAGNOSIS},
            "findings": [{"code": "gottron_papules", "status": "present"}],
            "labs": [
                {"analyte": "alt", "value": 90, "unit": "U/L", "range": {"low": 10, "high": 49}}
            ],
        }
    )
    assert graus.assess(record).item("classical_syndrome").status is ItemStatus.present
