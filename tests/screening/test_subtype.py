"""The IIM subtype: given, or inferred simply (documented in ``screening.subtype``)."""

from __future__ import annotations

from typing import Any

import pytest

from heliotrope.errors import CriteriaError
from heliotrope.io import parse_record
from heliotrope.logic import Context
from heliotrope.screening import assess_imacs, infer_subtype


def _record(findings: dict[str, str], antibodies: dict[str, str] | None = None) -> Any:
    return parse_record(
        {
            "id": "subtype",
            "findings": [{"code": c, "status": s} for c, s in findings.items()],
            "antibodies": [{"name": n, "result": r} for n, r in (antibodies or {}).items()],
        }
    )


@pytest.mark.parametrize(
    ("findings", "antibodies", "label"),
    [
        ({"gottron_papules": "present", "weakness_proximal_lower": "present"}, {}, "DM"),
        (
            {
                "heliotrope_rash": "present",
                "weakness_proximal_upper": "absent",
                "weakness_proximal_lower": "absent",
            },
            {},
            "CADM",
        ),
        # Regression: strength documented in the arms only was enough for CADM; the legs may
        # be weak (ENMC 2018's "no clinical weakness" asks for both, too).
        ({"heliotrope_rash": "present", "weakness_proximal_upper": "absent"}, {}, "DM or CADM"),
        ({"heliotrope_rash": "present", "weakness_neck_flexors": "absent"}, {}, "DM or CADM"),
        ({"gottron_sign": "present"}, {}, "DM or CADM"),
        ({"gottron_papules": "present"}, {"anti_jo1": "positive"}, "antisynthetase"),
        ({"weakness_proximal_lower": "present"}, {"anti_hmgcr": "positive"}, "IMNM"),
        (
            {
                "weakness_proximal_lower": "present",
                "heliotrope_rash": "absent",
                "gottron_papules": "absent",
                "gottron_sign": "absent",
            },
            {},
            "PM",
        ),
        ({"weakness_proximal_lower": "present"}, {}, "unknown"),  # skin not assessed
        ({"weakness_proximal_lower": "present"}, {"anti_jo1": "weak"}, "unknown"),
        ({}, {}, "unknown"),
    ],
)
def test_inference(findings: dict[str, str], antibodies: dict[str, str], label: str) -> None:
    assert infer_subtype(_record(findings, antibodies)).label == label


def test_given_subtype_wins_and_is_case_insensitive() -> None:
    record = _record({"gottron_papules": "present", "weakness_proximal_lower": "present"})
    inferred = infer_subtype(record, "imnm")
    assert inferred.subtype == "IMNM"
    assert inferred.basis == "given"


def test_unknown_given_subtype_is_a_clear_error() -> None:
    record = _record({})
    with pytest.raises(CriteriaError, match="unknown IIM subtype 'XYZ'"):
        assess_imacs(record, Context(options={"subtype": "XYZ"}))


def test_dm_or_cadm_leaves_both_subtype_items_unknown() -> None:
    record = _record({"gottron_sign": "present"})
    result = assess_imacs(record, Context())
    assert result.item("subtype_dm").status.value == "unknown"
    assert result.item("subtype_imnm").status.value == "absent"  # CADM is not counted
    assert result.values["iim_subtype"] == "DM or CADM"
