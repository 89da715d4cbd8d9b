"""Bohan & Peter 1975 (spec §1): decision table, exclusions, not performed, founding case."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heliotrope.criteria import bohan_peter_1975 as bp
from heliotrope.logic import ItemStatus

from .helpers import BIOPSY_MYOSITIS, CK_HIGH, EMG_MYOPATHIC, founding_case, record

ORDER = {c: i for i, c in enumerate(bp.CATEGORIES)}

# Spec §1.2 table: (rash, m) -> (category, subtype)
TABLE = {
    (True, 4): ("definite", "DM"),
    (True, 3): ("definite", "DM"),
    (True, 2): ("probable", "DM"),
    (True, 1): ("possible", "DM"),
    (True, 0): ("not_met", None),
    (False, 4): ("definite", "PM"),
    (False, 3): ("probable", "PM"),
    (False, 2): ("possible", "PM"),
    (False, 1): ("not_met", None),
    (False, 0): ("not_met", None),
}


def _patient(rash: bool, criteria: tuple[str, ...]) -> object:
    present = ["heliotrope_rash"] if rash else []
    absent = ("heliotrope_rash", "gottron_papules", "gottron_sign") if not rash else ()
    if "proximal_weakness" in criteria:
        present.append("weakness_proximal_upper")
    return record(
        *present,
        absent=absent,
        labs=CK_HIGH if "elevated_muscle_enzymes" in criteria else None,
        investigations=(EMG_MYOPATHIC if "myopathic_emg" in criteria else [])
        + (BIOPSY_MYOSITIS if "muscle_biopsy_myositis" in criteria else []),
        myositis={"exclusions_considered": True},
    )


@pytest.mark.parametrize("rash", [True, False])
@pytest.mark.parametrize(
    "criteria",
    [c for n in range(5) for c in itertools.combinations(bp.MUSCLE_CRITERIA, n)],
)
def test_decision_table(rash: bool, criteria: tuple[str, ...]) -> None:
    result = bp.assess(_patient(rash, criteria))  # type: ignore[arg-type]
    category, subtype = TABLE[(rash, len(criteria))]
    assert result.category == category
    assert result.values.get("subtype") == subtype


def test_exclusion_present_gives_not_met() -> None:
    patient = record(
        "heliotrope_rash",
        "weakness_proximal_upper",
        labs=CK_HIGH,
        investigations=EMG_MYOPATHIC,
        myositis={"exclusions_present": ["statin myopathy"]},
    )
    result = bp.assess(patient)
    assert result.category == "not_met"
    assert any("exclusion" in c.lower() for c in result.caveats)


def test_exclusions_not_considered_is_a_caveat_and_an_unknown() -> None:
    result = bp.assess(record("heliotrope_rash", "weakness_proximal_upper", labs=CK_HIGH))
    assert result.category == "probable"
    assert result.item("exclusion_present").status is ItemStatus.unknown
    assert any("Exclusions not recorded" in c for c in result.caveats)


def test_post_1975_tests_do_not_count() -> None:
    patient = record(
        "weakness_proximal_upper",
        investigations=[
            {"kind": "mri", "performed": True, "findings": {"muscle_oedema": "present"}},
            {
                "kind": "skin_biopsy",
                "performed": True,
                "findings": {"consistent_with_dm": "present"},
            },
        ],
        antibodies=[{"name": "anti_tif1g", "result": "positive"}],
    )
    result = bp.assess(patient)
    assert [i.key for i in result.items if i.status is ItemStatus.present] == ["proximal_weakness"]


def test_shawl_sign_alone_is_not_c5() -> None:
    """Shawl and V-sign are supportive only: C5 stays unknown (hallmark signs not recorded),
    and becomes absent once the hallmark signs are recorded absent."""
    unknown = bp.assess(record("shawl_sign", "v_sign")).item("dm_rash")
    assert unknown.status is ItemStatus.unknown
    assert unknown.evidence == ()
    hallmarks = ("heliotrope_rash", "gottron_papules", "gottron_sign")
    absent = bp.assess(record("shawl_sign", "v_sign", absent=hallmarks)).item("dm_rash")
    assert absent.status is ItemStatus.absent


def test_founding_case_definite_dm_four_of_five() -> None:
    """Spec §11.1 and Merry 2020: definite DM, 4 of 5, biopsy not performed."""
    result = bp.assess(founding_case())
    assert result.category == "definite"
    assert result.values["subtype"] == "DM"
    assert result.values["criteria_met"] == 4
    biopsy = result.item("muscle_biopsy_myositis")
    assert biopsy.status is ItemStatus.unknown
    assert biopsy.note == "not performed"
    assert biopsy.counted is None
    assert "muscle_biopsy_myositis" not in result.pivotal_items


@given(st.sets(st.sampled_from(bp.MUSCLE_CRITERIA)), st.sampled_from(bp.MUSCLE_CRITERIA))
def test_adding_a_met_criterion_never_lowers_the_category(met: set[str], extra: str) -> None:
    before = bp.assess(_patient(True, tuple(met)))  # type: ignore[arg-type]
    after = bp.assess(_patient(True, tuple(met | {extra})))  # type: ignore[arg-type]
    assert ORDER[after.category] >= ORDER[before.category]
