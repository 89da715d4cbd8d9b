"""Small builders for criteria tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from heliotrope.io import load_record, parse_record
from heliotrope.model import PatientRecord

SYMMETRIC = ("weakness_proximal_upper", "weakness_proximal_lower")
FOUNDING_CASE = Path(__file__).resolve().parents[2] / "examples" / "founding-case.yaml"


def founding_case() -> PatientRecord:
    return load_record(FOUNDING_CASE)


def record(
    *present: str,
    absent: tuple[str, ...] = (),
    age: float | None = 45,
    labs: list[dict[str, Any]] | None = None,
    antibodies: list[dict[str, Any]] | None = None,
    investigations: list[dict[str, Any]] | None = None,
    myositis: dict[str, Any] | None = None,
) -> PatientRecord:
    """A record with the given finding codes present / absent.

    Proximal weakness given as present is recorded on both sides (``laterality: both``): the
    symmetric-weakness items need the side (tests of one-sided weakness build their own)."""
    findings = [
        {"code": c, "status": "present", **({"laterality": "both"} if c in SYMMETRIC else {})}
        for c in present
    ]
    findings += [{"code": c, "status": "absent"} for c in absent]
    data: dict[str, Any] = {
        "id": "test",
        "findings": findings,
        "labs": labs or [],
        "antibodies": antibodies or [],
        "investigations": investigations or [],
        "myositis": myositis or {},
    }
    if age is not None:
        data["demographics"] = {"age_years": age}
    return parse_record(data)


CK_HIGH = [{"analyte": "ck", "value": 900, "unit": "U/L", "range": {"low": 25, "high": 200}}]
CK_NORMAL = [{"analyte": "ck", "value": 90, "unit": "U/L", "range": {"low": 25, "high": 200}}]
EMG_MYOPATHIC = [{"kind": "emg", "performed": True, "findings": {"myopathic": "present"}}]
BIOPSY_MYOSITIS = [
    {
        "kind": "muscle_biopsy",
        "performed": True,
        "findings": {"perimysial_perivascular_infiltrate": "present"},
    }
]
