"""Build small FHIR inputs for the reader tests."""

from __future__ import annotations

from typing import Any

from heliotrope.interop.fhir.terminology import cs

PATIENT: dict[str, Any] = {"resourceType": "Patient", "id": "p1", "gender": "female"}


def bundle(*resources: dict[str, Any], kind: str = "collection") -> dict[str, Any]:
    """A Bundle holding the patient and ``resources`` (ids ``r0``, ``r1``... when missing)."""
    entries = [{"fullUrl": "Patient/p1", "resource": PATIENT}]
    for index, resource in enumerate(resources):
        resource = {"id": f"r{index}", "subject": {"reference": "Patient/p1"}, **resource}
        entries.append({"resource": resource})
    return {"resourceType": "Bundle", "type": kind, "entry": entries}


def observation(code: dict[str, Any], **value: Any) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": code,
        "effectiveDateTime": "2024-03-01",
        **value,
    }


def own(name: str, code: str) -> dict[str, Any]:
    return {"coding": [{"system": cs(name), "code": code}]}


def loinc(code: str) -> dict[str, Any]:
    return {"coding": [{"system": "http://loinc.org", "code": code}]}
