"""Codes heliotrope reads and writes in FHIR, loaded from ``resources/terminology/*.json``.

The data files name their sources (LOINC, SNOMED CT, ICD-10, mCODE, laboratory catalogues).
heliotrope's own CodeSystems (``https://heliotrope.dev/fhir/CodeSystem/<vocabulary>``, one per
record vocabulary in ``model/vocabulary.py``) always round-trip; external codes are matched
through the value sets here, and anything unmatched is reported by the reader, never dropped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from heliotrope.model.synonyms import canonical_antibody
from heliotrope.model.vocabulary import (
    Analyte,
    AntibodyName,
    AntibodyResult,
    InvestigationKind,
    LabInterpretation,
    RecistResponse,
    TreatmentKind,
)

__all__ = [
    "BASE",
    "DAR",
    "LOINC",
    "SNOMED",
    "UCUM",
    "Terminology",
    "cs",
    "ext",
    "terminology",
    "ucum_to_unit",
    "unit_to_ucum",
]

BASE = "https://heliotrope.dev/fhir"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
ICD10 = ("http://hl7.org/fhir/sid/icd-10", "http://hl7.org/fhir/sid/icd-10-cm")
DAR = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
ASSERTED_DATE = "http://hl7.org/fhir/StructureDefinition/condition-assertedDate"
FACT_ID = f"{BASE}/record-fact-id"


def cs(name: str) -> str:
    """URL of heliotrope's CodeSystem ``name`` (e.g. ``finding``, ``criterion``)."""
    return f"{BASE}/CodeSystem/{name}"


def ext(name: str) -> str:
    """URL of heliotrope's extension ``name``."""
    return f"{BASE}/StructureDefinition/{name}"


def _load(name: str) -> dict[str, Any]:
    text = files("heliotrope.resources").joinpath(f"terminology/{name}").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


_WORD = re.compile(r"[a-z0-9]+")
_AB_TAIL = re.compile(r"\s*(\[|\(|,|\bab\b|\bantibod|\bigg\b|\bautoantibod).*$", re.IGNORECASE)


@dataclass(frozen=True)
class Terminology:
    """Every lookup the FHIR reader and writer need, built once from the data files."""

    antibody_loinc: dict[str, AntibodyName]
    antibody_results_snomed: dict[str, AntibodyResult]
    antibody_results_interpretation: dict[str, AntibodyResult]
    antibody_results_text: dict[str, AntibodyResult]
    analyte_loinc: dict[str, Analyte]
    analyte_display: dict[Analyte, tuple[str, str]]
    age_code: str
    lab_interpretation: dict[str, LabInterpretation]
    myositis_snomed: dict[str, str]
    myositis_icd10: tuple[str, ...]
    myositis_text: tuple[str, ...]
    cancer_snomed: dict[str, str]
    cancer_icd10: tuple[str, ...]
    cancer_profiles: tuple[str, ...]
    cancer_text: tuple[str, ...]
    condition_exclude_text: tuple[str, ...]
    finding_snomed: dict[str, str]
    investigation_snomed: dict[str, InvestigationKind]
    investigation_text: dict[str, InvestigationKind]
    treatment_procedure_snomed: dict[str, TreatmentKind]
    treatment_procedure_text: dict[str, TreatmentKind]
    disease_status_loinc: tuple[str, ...]
    disease_status_values: dict[str, RecistResponse]
    disease_status_unmapped: dict[str, str]
    drugs: dict[str, tuple[TreatmentKind, str]]

    # -- lookups ---------------------------------------------------------------------------
    def antibody_from_text(self, text: str) -> AntibodyName | None:
        """An antibody named in a code's text or display ("TIF1 gamma Ab [Presence]...")."""
        found = canonical_antibody(text)
        if found is not None:
            return found
        head = _AB_TAIL.sub("", text).strip()
        return canonical_antibody(head) if head else None

    def drug(self, text: str) -> tuple[TreatmentKind, str] | None:
        """(kind, usual target) of the first known drug named in ``text``."""
        for word in _WORD.findall(text.lower()):
            if word in self.drugs:
                return self.drugs[word]
        return None


@cache
def terminology() -> Terminology:
    """The terminology tables (loaded once)."""
    ab = _load("antibodies.json")
    an = _load("analytes.json")
    cl = _load("clinical.json")
    tr = _load("treatments.json")
    results = ab["results"]
    return Terminology(
        antibody_loinc={
            entry["code"]: AntibodyName(name)
            for name, spec in ab["antibodies"].items()
            for entry in spec["loinc"]
        },
        antibody_results_snomed={k: AntibodyResult(v) for k, v in results["snomed"].items()},
        antibody_results_interpretation={
            k: AntibodyResult(v) for k, v in results["interpretation"].items()
        },
        antibody_results_text={k: AntibodyResult(v) for k, v in results["text"].items()},
        analyte_loinc={
            code: Analyte(name) for name, codes in an["analytes"].items() for code, _ in codes
        },
        analyte_display={
            Analyte(name): (codes[0][0], codes[0][1]) for name, codes in an["analytes"].items()
        },
        age_code=an["age"]["code"],
        lab_interpretation={
            k: LabInterpretation(v)
            for k, v in an["interpretation"].items()
            if not k.startswith("$")
        },
        myositis_snomed=dict(cl["myositis"]["snomed"]),
        myositis_icd10=tuple(cl["myositis"]["icd10_prefixes"]),
        myositis_text=tuple(cl["myositis"]["text"]),
        cancer_snomed=dict(cl["cancer"]["snomed"]),
        cancer_icd10=tuple(cl["cancer"]["icd10_prefixes"]),
        cancer_profiles=tuple(cl["cancer"]["profiles"]),
        cancer_text=tuple(cl["cancer"]["text"]),
        condition_exclude_text=tuple(cl["condition_exclude_text"]),
        finding_snomed=dict(cl["findings"]["snomed"]),
        investigation_snomed={
            k: InvestigationKind(v) for k, v in cl["investigations"]["snomed"].items()
        },
        investigation_text={
            k: InvestigationKind(v) for k, v in cl["investigations"]["text"].items()
        },
        treatment_procedure_snomed={
            k: TreatmentKind(v) for k, v in cl["treatment_procedures"]["snomed"].items()
        },
        treatment_procedure_text={
            k: TreatmentKind(v) for k, v in cl["treatment_procedures"]["text"].items()
        },
        disease_status_loinc=tuple(cl["cancer_disease_status"]["loinc"]),
        disease_status_values={
            k: RecistResponse(v) for k, v in cl["cancer_disease_status"]["values"].items()
        },
        disease_status_unmapped=dict(cl["cancer_disease_status"]["unmapped"]),
        drugs={name: (TreatmentKind(k), t) for name, (k, t) in tr["drugs"].items()},
    )


# -- UCUM ------------------------------------------------------------------------------------
_ANNOTATION = re.compile(r"\{[^}]*\}")


def ucum_to_unit(code: str) -> str:
    """A UCUM code as text pint reads (``10*9/L`` → ``10^9/L``, ``[IU]/L`` → ``IU/L``);
    annotations such as ``{cells}`` carry no dimension and are dropped."""
    text = _ANNOTATION.sub("", code).replace("[", "").replace("]", "")
    return text.replace("10*", "10^") or "1"


def unit_to_ucum(unit: str) -> str:
    """A record's unit text as a UCUM code (``10^9/L`` → ``10*9/L``, ``µmol/L`` → ``umol/L``,
    ``IU/L`` → ``[IU]/L``)."""
    text = unit.strip().replace("µ", "u").replace("μ", "u").replace(" ", "")
    text = re.sub(r"[x×]10\^?", "10*", text)
    text = text.replace("10^", "10*")
    return re.sub(r"\bIU\b", "[IU]", text)
