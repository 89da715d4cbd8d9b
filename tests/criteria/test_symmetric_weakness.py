"""Issue 7, departure 1: the weakness items need weakness on *both* sides.

Golden cases in our own words from the publications' definitions:
- EULAR/ACR 2017 Table 1 glossary (Lundberg 2017, items 3-4): objective weakness "present on
  both sides"; the subgroup tree's DM node asks for that weakness (spec §2.1, §2.4).
- Bohan & Peter 1975 (NEJM 292:344, criterion 1): symmetric weakness of the limb-girdle
  muscles and the anterior neck flexors (spec §1.1).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heliotrope.criteria import bohan_peter_1975 as bp
from heliotrope.criteria import enmc_2018_dm as enmc
from heliotrope.criteria import eular_acr_2017 as eular
from heliotrope.io import parse_record
from heliotrope.logic import ItemStatus
from heliotrope.model import PatientRecord

from .helpers import CK_HIGH, EMG_MYOPATHIC

SKIN = [{"code": "heliotrope_rash", "status": "present"}]


def make(weakness: list[dict[str, Any]], **extra: Any) -> PatientRecord:
    data: dict[str, Any] = {
        "id": "side",
        "demographics": {"age_years": 50},
        "findings": SKIN + weakness,
        **extra,
    }
    return parse_record(data)


def upper(**fields: Any) -> dict[str, Any]:
    return {"code": "weakness_proximal_upper", "status": "present", **fields}


def lower(**fields: Any) -> dict[str, Any]:
    return {"code": "weakness_proximal_lower", "status": "present", **fields}


def grade(muscle: str, side: str, mrc: str) -> dict[str, Any]:
    return {"muscle": muscle, "side": side, "mrc": mrc}


@pytest.mark.parametrize(
    ("weakness", "status"),
    [
        ([upper(laterality="both")], ItemStatus.present),
        ([upper(laterality="left"), upper(laterality="right")], ItemStatus.present),
        ([upper(laterality="left")], ItemStatus.absent),
        ([upper(laterality="right"), upper(laterality="right")], ItemStatus.absent),
        ([upper()], ItemStatus.unknown),
        ([upper(laterality="left"), upper()], ItemStatus.unknown),
        (
            [upper(grades=[grade("deltoid", "left", "3"), grade("deltoid", "right", "4")])],
            ItemStatus.present,
        ),
        (
            [upper(grades=[grade("deltoid", "left", "3"), grade("deltoid", "right", "5")])],
            ItemStatus.absent,
        ),
        ([upper(grades=[grade("deltoid", "left", "3")])], ItemStatus.unknown),
        ([upper(grades=[grade("proximal_upper", "both", "3-4")])], ItemStatus.present),
        ([{"code": "weakness_proximal_upper", "status": "absent"}], ItemStatus.absent),
    ],
)
def test_regression_symmetric_weakness_item_3_reads_the_side(
    weakness: list[dict[str, Any]], status: ItemStatus
) -> None:
    result = eular.assess(make(weakness))
    assert result.item("weakness_proximal_upper").status is status


def test_regression_symmetric_weakness_one_sided_is_adm_not_dm() -> None:
    """One-sided arm and leg weakness scored items 3-4 and moved the subgroup from ADM to DM."""
    left = [upper(laterality="left"), lower(laterality="left")]
    skin = [*SKIN, {"code": "gottron_papules", "status": "present"}]
    record = parse_record(
        {
            "id": "left",
            "demographics": {"age_years": 50},
            "findings": skin + left,
            "labs": CK_HIGH,
        }
    )
    result = eular.assess(record)
    assert result.item("weakness_proximal_upper").status is ItemStatus.absent
    assert "left side only" in (result.item("weakness_proximal_upper").note or "")
    assert result.values["score"] == pytest.approx(2.1 + 3.1 + 2.1 + 1.3)
    assert result.values["subgroup"] == "ADM"
    both = parse_record(
        {
            "id": "both",
            "demographics": {"age_years": 50},
            "findings": [*skin, upper(laterality="both"), lower(laterality="both")],
            "labs": CK_HIGH,
        }
    )
    assert eular.assess(both).values["subgroup"] == "DM"


def test_regression_symmetric_weakness_bohan_peter_c1() -> None:
    no_neck = {"code": "weakness_neck_flexors", "status": "absent"}
    no_legs = {"code": "weakness_proximal_lower", "status": "absent"}
    one_sided = make(
        [upper(laterality="right"), no_neck, no_legs], labs=CK_HIGH, investigations=EMG_MYOPATHIC
    )
    result = bp.assess(one_sided)
    assert result.item("proximal_weakness").status is ItemStatus.absent
    assert (result.category, result.values["criteria_met"]) == ("probable", 3)
    unknown_side = make([upper(), no_neck, no_legs], labs=CK_HIGH, investigations=EMG_MYOPATHIC)
    assert bp.assess(unknown_side).item("proximal_weakness").status is ItemStatus.unknown
    assert bp.assess(unknown_side).best == "definite"


def test_regression_symmetric_weakness_neck_flexors_count_for_bohan_peter_c1() -> None:
    """C1 names the anterior neck flexors beside the limb-girdle muscles (NEJM 1975)."""
    neck = make([{"code": "weakness_neck_flexors", "status": "present"}])
    assert bp.assess(neck).item("proximal_weakness").status is ItemStatus.present


def test_regression_symmetric_weakness_enmc_muscle_involvement() -> None:
    no_legs = {"code": "weakness_proximal_lower", "status": "absent"}
    result = enmc.assess(make([upper(laterality="left"), no_legs]))
    assert result.item("proximal_weakness").status is ItemStatus.absent
    # One-sided weakness is still clinical weakness: never "no clinical weakness".
    assert result.item("no_clinical_weakness").status is not ItemStatus.present


SIDES = st.sampled_from(["left", "right", "both", None])


@st.composite
def weakness_entries(draw: st.DrawFn) -> list[dict[str, Any]]:
    out = []
    for code in ("weakness_proximal_upper", "weakness_proximal_lower"):
        for _ in range(draw(st.integers(0, 2))):
            entry: dict[str, Any] = {
                "code": code,
                "status": draw(st.sampled_from(["present", "absent"])),
            }
            side = draw(SIDES)
            if side is not None:
                entry["laterality"] = side
            out.append(entry)
    return out


def _one_sided(entries: list[dict[str, Any]], side: str) -> list[dict[str, Any]]:
    """The same record with one more present finding of one-sided weakness."""
    return [*entries, upper(laterality=side), lower(laterality=side)]


@settings(max_examples=60, deadline=None)
@given(weakness_entries(), st.sampled_from(["left", "right"]), st.booleans())
def test_one_sided_weakness_never_raises_a_score(
    entries: list[dict[str, Any]], side: str, biopsy: bool
) -> None:
    """Adding weakness on one side only never raises the EULAR/ACR headline score, nor the
    best case of the symmetric items 3-4, nor the Bohan & Peter count. (Item 6, "proximal leg
    muscles weaker than distal", is not a symmetric item: leg weakness on one side may open it.)"""
    other = "right" if side == "left" else "left"
    entries = [e for e in entries if e.get("laterality") != other]  # weakness on one side only
    extra: dict[str, Any] = {"labs": CK_HIGH}
    if biopsy:
        extra["investigations"] = [{"kind": "muscle_biopsy", "performed": True}]
    before, after = make(entries, **extra), make(_one_sided(entries, side), **extra)
    e0, e1 = eular.assess(before), eular.assess(after)
    assert e1.values["score"] <= e0.values["score"]
    symmetric = ("weakness_proximal_upper", "weakness_proximal_lower")
    for key in symmetric:
        rank = {ItemStatus.absent: 0, ItemStatus.unknown: 1, ItemStatus.present: 2}
        assert rank[e1.item(key).status] <= rank[e0.item(key).status]
    b0, b1 = bp.assess(before), bp.assess(after)
    assert b1.values["criteria_met"] <= b0.values["criteria_met"]
