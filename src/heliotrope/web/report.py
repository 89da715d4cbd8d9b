"""The case report: one input read by :func:`heliotrope.io.inputs.load_input`, assessed by
:func:`heliotrope.api.assess` with every criterion, the IMACS 2023 plan from
:mod:`heliotrope.screening` and, for documents, what was read and where."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from heliotrope.api import Assessment, assess
from heliotrope.io.casefile import parse_record
from heliotrope.io.inputs import LoadedInput
from heliotrope.model.record import PatientRecord
from heliotrope.nlp.reader import ReadResult, extraction_json, record_data
from heliotrope.render.report_html import document_fragment
from heliotrope.screening import screening_plan
from heliotrope.screening.plan import ScreeningPlan
from heliotrope.web.calculator import answers_from_results

__all__ = ["BOUNDARY_RULES", "Report", "build_report", "record_from_json", "report_json"]

BOUNDARY_RULES = ("score", "probability")


@dataclass(frozen=True)
class Report:
    """Everything the report page, its downloads and the PDF show."""

    name: str
    kind: str
    record: PatientRecord
    assessment: Assessment
    plan: ScreeningPlan | None
    extraction: ReadResult | None
    document_html: str | None
    record_json: str
    options: dict[str, Any]
    calculator_query: str = ""


def build_report(
    loaded: LoadedInput | PatientRecord, name: str, *, boundary_rule: str = "score"
) -> Report:
    """Assess ``loaded`` with every criterion (same call as ``heliotrope assess``)."""
    if isinstance(loaded, PatientRecord):
        record, kind, extraction = loaded, "casefile", None
    else:
        record, kind, extraction = loaded.record, loaded.kind, loaded.extraction
    options = {"eular_boundary_rule": boundary_rule}
    assessment = assess(record, None, options)
    imacs = assessment.results.get("imacs_2023")
    plan = screening_plan(record, imacs) if imacs is not None else None
    document = document_fragment(extraction) if extraction is not None else None
    answers = answers_from_results(record, assessment.results)
    answers["eular_acr_2017.boundary"] = boundary_rule
    return Report(
        name=name,
        kind=kind,
        record=record,
        assessment=assessment,
        plan=plan,
        extraction=extraction,
        document_html=document,
        record_json=json.dumps(record_data(record), ensure_ascii=False, sort_keys=True),
        options=options,
        calculator_query=urlencode(answers),
    )


def record_from_json(text: str, name: str = "record") -> PatientRecord:
    """The record a report page carried in its download forms (validated again)."""
    from heliotrope.errors import RecordFileError

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordFileError(f"The record is not JSON: {exc.msg}.", source=name) from None
    return parse_record(data, name)


def report_json(report: Report) -> dict[str, Any]:
    """The JSON download: the assessment as ``assess --format json`` writes it, the plan and,
    for documents, the extraction with provenance."""
    data = report.assessment.to_json()
    if report.plan is not None:
        data["screening_plan"] = report.plan.to_json()
    if report.extraction is not None:
        data["extraction"] = extraction_json(report.extraction)
    data["record"] = json.loads(report.record_json)
    return data
