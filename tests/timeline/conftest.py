"""Records for the timeline tests: the founding case, and small synthetic DM courses."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from heliotrope.io import load_record, parse_record
from heliotrope.model.record import PatientRecord

ROOT = Path(__file__).resolve().parents[2]
FOUNDING = ROOT / "examples" / "founding-case.yaml"

Maker = Callable[..., PatientRecord]


@pytest.fixture(scope="session")
def founding() -> PatientRecord:
    return load_record(FOUNDING)


@pytest.fixture()
def founding_data() -> dict[str, Any]:
    data = yaml.safe_load(FOUNDING.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return copy.deepcopy(data)


def _finding(code: str, status: str, when: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, "status": status, "date": when, **extra}


@pytest.fixture()
def dm_course() -> Maker:
    """A DM course: a mild rash on 2020-01-10, then a flare on 2020-06-10 (new heliotrope rash,
    Gottron's papules, proximal weakness). ``cancers`` and ``myositis`` are set per test."""

    def make(
        cancers: list[dict[str, Any]] | None = None,
        onset: str | None = "2020-01-10",
        extra: dict[str, Any] | None = None,
    ) -> PatientRecord:
        data: dict[str, Any] = {
            "id": "course",
            "myositis": {"onset": onset} if onset else {},
            "findings": [
                _finding("v_sign", "present", "2020-01-10"),
                _finding("weakness_proximal_upper", "absent", "2020-01-10"),
                _finding("v_sign", "present", "2020-06-10"),
                _finding("heliotrope_rash", "present", "2020-06-10"),
                _finding("gottron_papules", "present", "2020-06-10"),
                _finding("weakness_proximal_upper", "present", "2020-06-10"),
            ],
            "cancers": cancers or [],
        }
        for key, value in (extra or {}).items():
            if isinstance(value, list):
                data[key] = [*data.get(key, []), *value]
            else:
                data[key] = value
        return parse_record(data)

    return make
