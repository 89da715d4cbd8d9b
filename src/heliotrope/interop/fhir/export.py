"""A record and everything heliotrope concludes about it, as one FHIR R4 collection Bundle:
the inputs (``writer``), each criterion result, the serology RiskAssessment, the IMACS 2023
CarePlan with its ServiceRequests and the restaging alerts as DetectedIssues (``results``)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from heliotrope.api import assess
from heliotrope.interop.fhir.results import (
    alert_resource,
    assessment_resources,
    care_plan_resources,
)
from heliotrope.interop.fhir.writer import write_record
from heliotrope.logic import Context
from heliotrope.model.record import PatientRecord

__all__ = ["export_bundle", "record_bundle"]


def _bundle(entries: list[tuple[str, dict[str, Any]]], stamp: str) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": stamp,
        "entry": [{"fullUrl": url, "resource": resource} for url, resource in entries],
    }


def record_bundle(record: PatientRecord, *, as_of: date | None = None) -> dict[str, Any]:
    """The record's inputs only, as a collection Bundle (reads back to the same record)."""
    stamp = _stamp(as_of)
    return _bundle(write_record(record).entries, stamp)


def _stamp(as_of: date | None) -> str:
    if as_of is not None:
        return f"{as_of.isoformat()}T00:00:00Z"
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def export_bundle(
    record: PatientRecord,
    *,
    as_of: date | None = None,
    options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Inputs and results of ``record`` as one collection Bundle."""
    from heliotrope.screening import assess_imacs, screening_plan
    from heliotrope.timeline import RESTAGE_ID, build_timeline

    stamp = _stamp(as_of)
    written = write_record(record)
    context = Context(options=dict(options or {}), as_of=as_of or date.today())
    assessment = assess(record, None, context.options)
    entries = list(written.entries)
    entries += assessment_resources(assessment, written, stamp)
    imacs = assess_imacs(record, context)
    plan = screening_plan(record, imacs, context=context)
    entries += care_plan_resources(plan, written, stamp)
    alerts = [a for a in build_timeline(record).alerts if a.id == RESTAGE_ID]
    entries += [alert_resource(alert, written, i) for i, alert in enumerate(alerts)]
    return _bundle(entries, stamp)
