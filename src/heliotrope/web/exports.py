"""Downloads of a report: JSON, PDF, the IMACS plan as iCalendar, the timeline page, and FHIR.

FHIR export is ``heliotrope.interop.fhir`` (issue 9); the web layer only calls it.
"""

from __future__ import annotations

import json
from typing import Any

from heliotrope.errors import InputError
from heliotrope.render.report_pdf import assessment_pdf
from heliotrope.screening import plan_to_ical
from heliotrope.web.report import Report, report_json

__all__ = ["fhir_export", "ics_bytes", "json_bytes", "pdf_bytes"]


def json_bytes(report: Report) -> bytes:
    return json.dumps(report_json(report), indent=2, ensure_ascii=False, default=str).encode()


def pdf_bytes(report: Report) -> bytes:
    return assessment_pdf(
        report.assessment, name=report.name, plan=report.plan, extraction=report.extraction
    )


def ics_bytes(report: Report) -> bytes:
    if report.plan is None:
        raise InputError("There is no IMACS 2023 plan for this record.")
    return plan_to_ical(report.plan)


def fhir_export(report: Report) -> dict[str, Any]:
    """The record and its results as a FHIR R4 Bundle (``heliotrope.interop.fhir``, issue 9)."""
    from heliotrope.interop.fhir.export import export_bundle

    return export_bundle(report.record, options=report.options)
