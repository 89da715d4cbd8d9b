"""ENMC 2003 DM criteria (Hoogendijk 2004; spec §3): definite / probable / amyopathic DM /
possible DM sine dermatitis, exclusions, and the founding case."""

from __future__ import annotations

from typing import Any

from heliotrope.criteria import enmc_2003_dm as enmc
from heliotrope.io import parse_record
from heliotrope.logic import ItemStatus
from heliotrope.model import PatientRecord

from .helpers import founding_case

WEAK = {"code": "weakness_proximal_upper", "status": "present", "laterality": "both"}
NO_WEAKNESS = [
    {"code": "weakness_proximal_upper", "status": "absent"},
    {"code": "weakness_proximal_lower", "status": "absent"},
]
HELIOTROPE = {"code": "heliotrope_rash", "status": "present"}
CK_HIGH = {"analyte": "ck", "value": 900, "unit": "U/L", "range": {"high": 200}}
CK_NORMAL = {"analyte": "ck", "value": 90, "unit": "U/L", "range": {"high": 200}}
NO_RASH = [{"code": c.value, "status": "absent"} for c in enmc.RASH_2003]


def biopsy(*found: str) -> dict[str, Any]:
    return {"kind": "muscle_biopsy", "performed": True, "findings": dict.fromkeys(found, "present")}


def make(
    findings: list[dict[str, Any]],
    labs: list[dict[str, Any]] | None = None,
    investigations: list[dict[str, Any]] | None = None,
    exclusions: tuple[str, ...] | None = (),
) -> PatientRecord:
    myositis: dict[str, Any] = {}
    if exclusions is not None:
        myositis = {"exclusions_considered": True, "exclusions_present": list(exclusions)}
    return parse_record(
        {
            "id": "enmc2003",
            "findings": findings,
            "labs": labs or [],
            "investigations": investigations or [],
            "myositis": myositis,
        }
    )


def test_founding_case_is_probable_without_a_biopsy() -> None:
    result = enmc.assess(founding_case())
    assert result.category == "probable"
    assert (
        "biopsy_perifascicular_atrophy" in result.pivotal_items
    )  # a biopsy could make it definite
    assert result.item("clinical_exclusions").status is ItemStatus.unknown


def test_definite_needs_perifascicular_atrophy() -> None:
    assert (
        enmc.assess(
            make([HELIOTROPE, WEAK], investigations=[biopsy("perifascicular_atrophy")])
        ).category
        == "definite"
    )


def test_probable_from_perimysial_infiltrate_or_ck() -> None:
    infiltrate = [biopsy("perimysial_perivascular_infiltrate")]
    assert enmc.assess(make([HELIOTROPE, WEAK], investigations=infiltrate)).category == "probable"
    assert enmc.assess(make([HELIOTROPE, WEAK], labs=[CK_HIGH])).category == "probable"


def test_v_sign_is_a_2003_rash() -> None:
    v_sign = {"code": "v_sign", "status": "present"}
    assert enmc.assess(make([v_sign, WEAK], labs=[CK_HIGH])).category == "probable"


def test_rash_and_weakness_alone_are_not_enough() -> None:
    assert enmc.assess(make([HELIOTROPE, WEAK])).category == "not_met"


def test_an_exclusion_gives_not_met() -> None:
    patient = make([HELIOTROPE, WEAK], labs=[CK_HIGH], exclusions=("hypothyroidism",))
    assert enmc.assess(patient).category == "not_met"


ADM_WORKUP = [
    {"kind": "skin_biopsy", "performed": True, "findings": {"consistent_with_dm": "present"}},
    {"kind": "emg", "performed": True, "findings": {"normal": "present"}},
]


def test_amyopathic_dm() -> None:
    result = enmc.assess(
        make([HELIOTROPE, *NO_WEAKNESS], labs=[CK_NORMAL], investigations=ADM_WORKUP)
    )
    assert result.category == "amyopathic_dm"
    assert result.item("muscle_biopsy_not_dm").note == "no muscle biopsy recorded"


def test_amyopathic_dm_needs_a_normal_emg() -> None:
    result = enmc.assess(
        make([HELIOTROPE, *NO_WEAKNESS], labs=[CK_NORMAL], investigations=ADM_WORKUP[:1])
    )
    assert result.category == "not_met"
    assert "amyopathic_dm" in result.possible_outcomes


def test_amyopathic_dm_excluded_by_a_dm_muscle_biopsy() -> None:
    workup = [*ADM_WORKUP, biopsy("perifascicular_atrophy")]
    result = enmc.assess(make([HELIOTROPE, *NO_WEAKNESS], labs=[CK_NORMAL], investigations=workup))
    assert result.item("muscle_biopsy_not_dm").status is ItemStatus.absent
    assert result.category == "not_met"


def test_biopsy_of_unknown_performed_status_leaves_amyopathic_dm_open() -> None:
    """Regression: a muscle biopsy with performed: null was read as 'no biopsy performed'."""
    unknown = {"kind": "muscle_biopsy", "performed": None}
    workup = [*ADM_WORKUP, unknown]
    result = enmc.assess(make([HELIOTROPE, *NO_WEAKNESS], labs=[CK_NORMAL], investigations=workup))
    item = result.item("muscle_biopsy_not_dm")
    assert item.status is ItemStatus.unknown
    assert item.note == "whether a muscle biopsy was performed is not known"
    assert result.category == "not_met"
    assert result.pivotal_items == ("muscle_biopsy_not_dm",)
    not_done = [*ADM_WORKUP, {"kind": "muscle_biopsy", "performed": False}]
    result = enmc.assess(
        make([HELIOTROPE, *NO_WEAKNESS], labs=[CK_NORMAL], investigations=not_done)
    )
    assert result.category == "amyopathic_dm"
    assert result.item("muscle_biopsy_not_dm").note == "no muscle biopsy performed"


def test_possible_dm_sine_dermatitis() -> None:
    patient = make(
        [*NO_RASH, WEAK],
        labs=[CK_HIGH],
        investigations=[
            {"kind": "emg", "performed": True, "findings": {"myopathic": "present"}},
            biopsy("perifascicular_mxa"),
        ],
    )
    assert enmc.assess(patient).category == "possible_dm_sine_dermatitis"


def test_definition_items_match_logic() -> None:
    d = enmc.definition()
    assert d.outcome.item_keys() == {spec.key for spec in d.items}
    assert d.version == "myositis.enmc_2003_dm.v1"
