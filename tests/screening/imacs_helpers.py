"""Builders for IMACS 2023 tests: a record where every counted risk factor is known absent,
and switches that turn one factor on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from heliotrope.io import parse_record
from heliotrope.logic import Context, CriterionResult
from heliotrope.model import PatientRecord
from heliotrope.screening import assess_imacs

AS_OF = date(2021, 3, 1)
FOUNDING_CASE = Path(__file__).resolve().parents[2] / "examples" / "founding-case.yaml"
MSAS = (
    "anti_jo1",
    "anti_pl7",
    "anti_pl12",
    "anti_ej",
    "anti_oj",
    "anti_tif1g",
    "anti_nxp2",
    "anti_mi2",
    "anti_mda5",
    "anti_sae",
    "anti_srp",
    "anti_hmgcr",
)
HIGH = (
    "subtype_dm",
    "anti_tif1g",
    "anti_nxp2",
    "age_onset_over_40",
    "persistent_high_disease_activity",
    "dysphagia",
    "cutaneous_necrosis_ulceration",
)
INTERMEDIATE = (
    "subtype_imnm",
    "anti_sae",
    "anti_hmgcr",
    "msa_negative",
    "raised_inflammatory_markers",
    "rapid_onset",
)
COUNTED = HIGH + INTERMEDIATE


def base_spec() -> dict[str, Any]:
    """Every counted factor known absent: overlap myositis, anti-Mi2 positive, age 30."""
    return {
        "subtype": "overlap",
        "age": 30,
        "sex": "female",
        "region": None,
        "crp": 3.0,
        "findings": {
            "dysphagia": "absent",
            "cutaneous_ulceration": "absent",
            "persistent_high_disease_activity": "absent",
            "rapid_onset": "absent",
        },
        "antibodies": {name: "negative" for name in MSAS} | {"anti_mi2": "positive"},
        "cancers": [],
        "onset": "2021-01-10",
        "diagnosis": "2021-02-01",
    }


def _antibody(name: str) -> Callable[[dict[str, Any]], None]:
    def switch(spec: dict[str, Any]) -> None:
        spec["antibodies"][name] = "positive"

    return switch


def _finding(code: str) -> Callable[[dict[str, Any]], None]:
    def switch(spec: dict[str, Any]) -> None:
        spec["findings"][code] = "present"

    return switch


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def switch(spec: dict[str, Any]) -> None:
        spec[key] = value

    return switch


def _seronegative(spec: dict[str, Any]) -> None:
    spec["antibodies"]["anti_mi2"] = "negative"


SWITCHES: dict[str, Callable[[dict[str, Any]], None]] = {
    "subtype_dm": _set("subtype", "DM"),
    "subtype_imnm": _set("subtype", "IMNM"),
    "anti_tif1g": _antibody("anti_tif1g"),
    "anti_nxp2": _antibody("anti_nxp2"),
    "anti_sae": _antibody("anti_sae"),
    "anti_hmgcr": _antibody("anti_hmgcr"),
    "msa_negative": _seronegative,
    "age_onset_over_40": _set("age", 52),
    "persistent_high_disease_activity": _finding("persistent_high_disease_activity"),
    "dysphagia": _finding("dysphagia"),
    "cutaneous_necrosis_ulceration": _finding("cutaneous_ulceration"),
    "raised_inflammatory_markers": _set("crp", 25.0),
    "rapid_onset": _finding("rapid_onset"),
}


def build(spec: dict[str, Any], record_id: str = "imacs-test") -> PatientRecord:
    data: dict[str, Any] = {
        "id": record_id,
        "demographics": {"sex": spec["sex"], "age_years": spec["age"]},
        "myositis": {},
        "findings": [{"code": c, "status": s} for c, s in spec["findings"].items()],
        "antibodies": [{"name": n, "result": r} for n, r in spec["antibodies"].items()],
        "labs": [
            {
                "analyte": "crp",
                "value": spec["crp"],
                "unit": "mg/L",
                "range": {"high": 5},
                "date": "2021-02-01",
            }
        ],
        "cancers": spec["cancers"],
    }
    if spec["region"]:
        data["demographics"]["region"] = spec["region"]
    for key in ("onset", "diagnosis"):
        if spec[key] is not None:
            data["myositis"][key] = spec[key]
    return parse_record(data)


def with_factors(*keys: str) -> tuple[PatientRecord, Context]:
    spec = base_spec()
    for key in keys:
        SWITCHES[key](spec)
    return build(spec), context(spec)


def context(spec: dict[str, Any] | None = None, as_of: date = AS_OF) -> Context:
    subtype = (spec or base_spec())["subtype"]
    options = {"subtype": subtype} if subtype else {}
    return Context(options=options, as_of=as_of)


def assess(*keys: str) -> CriterionResult:
    record, ctx = with_factors(*keys)
    return assess_imacs(record, ctx)


def founding_facts(with_cancer: bool = True) -> dict[str, Any]:
    """The founding case's facts as a small case: 43-year-old woman, DM, anti-TIF1γ positive,
    no dysphagia, active metastatic leiomyosarcoma already known (Merry 2020)."""
    data: dict[str, Any] = {
        "id": "founding-facts",
        "demographics": {"sex": "female", "age_years": 43, "region": "United Kingdom"},
        "myositis": {"onset": "2019-09-01", "diagnosis": "2019-09-01"},
        "findings": [
            {"code": "heliotrope_rash", "status": "present"},
            {"code": "gottron_papules", "status": "present"},
            {"code": "weakness_proximal_upper", "status": "present"},
            {"code": "weakness_proximal_lower", "status": "present"},
            {"code": "dysphagia", "status": "absent"},
        ],
        "antibodies": [
            {"name": "TIF1-γ", "result": "positive"},
            {"name": "anti-Jo1", "result": "negative"},
            {"name": "anti-Mi2", "result": "negative"},
        ],
        "cancers": [],
    }
    if with_cancer:
        data["cancers"] = [
            {
                "histology": "leiomyosarcoma",
                "primary_unknown": True,
                "metastatic": True,
                "status": "active",
                "date": "2019-01-15",
            }
        ]
    return data


FOUNDING_AS_OF = date(2019, 10, 1)
