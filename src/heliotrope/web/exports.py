"""Downloads of a report: JSON, PDF, the IMACS plan as iCalendar, the timeline page, and FHIR.

FHIR export is the FHIR engineer's (issue 9, ``heliotrope.interop``); :func:`fhir_export` is the
one clearly-marked hook that calls it once it is merged.
"""

from __future__ import annotations

import importlib
import json
from typing import Any

from heliotrope.errors import InputError
from heliotrope.render.report_pdf import assessment_pdf
from heliotrope.screening import plan_to_ical
from heliotrope.web.report import Report, report_json

__all__ = ["FhirExportUnavailable", "fhir_export", "ics_bytes", "json_bytes", "pdf_bytes"]

#: HOOK (issue 9): the module and function that turn a record and its assessment into a FHIR
#: R4 Bundle (a JSON-ready dict). The lead points these at the merged ``heliotrope.interop``.
FHIR_EXPORT_MODULE = "heliotrope.interop.fhir.export"
FHIR_EXPORT_FUNCTION = "assessment_bundle"


class FhirExportUnavailable(InputError):
    """FHIR export is not installed in this build (issue 9 not merged yet)."""


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
    """HOOK (issue 9): the FHIR Bundle from ``heliotrope.interop`` once merged."""
    try:
        module = importlib.import_module(FHIR_EXPORT_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name is not None and not FHIR_EXPORT_MODULE.startswith(exc.name):
            raise
        raise FhirExportUnavailable(
            "FHIR export is not available in this build yet (it arrives with heliotrope's "
            "FHIR module); download JSON instead."
        ) from None
    export = getattr(module, FHIR_EXPORT_FUNCTION)
    bundle: dict[str, Any] = export(report.record, report.assessment)
    return bundle
