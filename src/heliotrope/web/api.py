"""The REST API under ``/api/v1``: the same functions as the CLI and the pages (assess,
extract, RECIST, screening, timeline, calculator), JSON in and out, OpenAPI from FastAPI.

Errors are JSON ``{"error": {"code", "message", "details"}}`` with HTTP 422 (heliotrope's coded
errors) or 413 (too large); never a traceback.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from heliotrope.api import assess
from heliotrope.errors import InputError
from heliotrope.io.casefile import parse_record
from heliotrope.logic import Context
from heliotrope.model.record import PatientRecord
from heliotrope.web import calculator
from heliotrope.web.uploads import load_bytes, private_directory

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["api"])


class AssessRequest(BaseModel):
    """A case record (the case-file format, ``heliotrope schema``) and options."""

    record: dict[str, Any] = Field(description="the patient record, as a case file")
    criteria: list[str] | None = Field(default=None, description="criterion ids; default all")
    options: dict[str, Any] = Field(default_factory=dict, description="e.g. eular_boundary_rule")
    trace: bool = False


class RecordRequest(BaseModel):
    record: dict[str, Any]


class ScreeningRequest(BaseModel):
    record: dict[str, Any]
    as_of: date | None = None
    subtype: str | None = None
    repeat_variant: str | None = None


class ExtractRequest(BaseModel):
    """Clinical text (plain text or HTML) and the name it goes by in provenance."""

    text: str = Field(max_length=2_000_000)
    name: str = Field(default="document.txt", description="suffix .txt/.html chooses the reader")


class RecistRequest(BaseModel):
    """Either a lesion table in CSV (``date,lesion,organ,kind,node,mm,assessment``) or a
    record with ``lesions``."""

    csv: str | None = None
    record: dict[str, Any] | None = None


class CalculateRequest(BaseModel):
    """The calculator's answers: field name → choice (see ``GET /api/v1/calculator``)."""

    answers: dict[str, str] = Field(default_factory=dict)


def _record(data: dict[str, Any]) -> PatientRecord:
    return parse_record(data, "request.record")


@router.post("/assess")
def api_assess(body: AssessRequest) -> dict[str, Any]:
    """Every (or the chosen) criterion for a record, as ``heliotrope assess --format json``."""
    assessment = assess(_record(body.record), body.criteria, body.options)
    return assessment.to_json(trace=body.trace)


@router.post("/extract")
def api_extract(body: ExtractRequest) -> dict[str, Any]:
    """Clinical text → record and facts with provenance (``heliotrope extract``)."""
    from heliotrope.nlp.reader import extraction_json, record_data

    name = body.name if body.name.lower().endswith((".txt", ".html", ".htm")) else "document.txt"
    with private_directory() as directory:
        loaded = load_bytes(directory, name, body.text.encode("utf-8"))
    assert loaded.extraction is not None
    data = {"record": record_data(loaded.record), "extraction": extraction_json(loaded.extraction)}
    return _strip(data, str(directory))


def _strip(data: dict[str, Any], directory: str) -> dict[str, Any]:
    text = json.dumps(data, ensure_ascii=False, default=str).replace(directory + "/", "")
    result: dict[str, Any] = json.loads(text)
    return result


@router.post("/recist")
def api_recist(body: RecistRequest) -> dict[str, Any]:
    """RECIST 1.1 per time point and best overall response."""
    from heliotrope.oncology.recist import evaluate_recist, read_lesion_csv, reported_timepoints

    if body.csv is not None:
        with private_directory() as directory:
            path = directory / "lesions.csv"
            path.write_text(body.csv, encoding="utf-8")
            return evaluate_recist(read_lesion_csv(path)).to_json()
    if body.record is None:
        raise InputError("Give 'csv' (a lesion table) or 'record' (with lesions).")
    record = _record(body.record)
    reported = [p.model_dump(mode="json") for p in reported_timepoints(record)]
    if not record.lesions:
        return {
            "id": "recist_1_1",
            "timepoints": [],
            "reported": reported,
            "note": "no lesion measurements: responses are as reported, not computed",
        }
    data = evaluate_recist(record.lesions, resolve=record.date_of).to_json()
    data["reported"] = reported
    return data


@router.post("/screening")
def api_screening(body: ScreeningRequest) -> dict[str, Any]:
    """IMACS 2023 risk category and the dated plan (``heliotrope screening --format json``)."""
    from heliotrope.screening import assess_imacs, screening_json, screening_plan

    record = _record(body.record)
    options = {"subtype": body.subtype} if body.subtype else {}
    context = Context(options=options, as_of=body.as_of or date.today())
    result = assess_imacs(record, context)
    plan = screening_plan(record, result, context=context, repeat_variant=body.repeat_variant)
    return screening_json(result, plan)


@router.post("/timeline")
def api_timeline(body: RecordRequest) -> dict[str, Any]:
    """Events, DM activity, intervals and alerts (``heliotrope timeline --format json``)."""
    from heliotrope.timeline import build_timeline

    return build_timeline(_record(body.record)).to_json()


@router.get("/calculator")
def api_calculator_form() -> dict[str, Any]:
    """The calculator's questions: field names, choices and defaults, per criterion."""
    return {
        "sections": [
            {
                "criterion_id": s.criterion_id,
                "title": s.title,
                "version": s.version,
                "questions": [
                    {
                        "name": r.name,
                        "label": r.label,
                        "choices": [c for c, _ in r.choices],
                        "default": r.default,
                        "points": list(r.points),
                    }
                    for r in s.rows
                ],
            }
            for s in calculator.sections()
        ]
    }


@router.post("/calculator")
async def api_calculate(body: CalculateRequest) -> dict[str, Any]:
    """Each criterion's result for the answers, and where the criteria disagree."""
    calc = await run_in_threadpool(calculator.calculate, body.answers)
    return {
        "answers": calc.answers,
        "results": {k: v.to_json() for k, v in calc.results.items()},
        "comparison": {
            "verdicts": calc.comparison.verdicts,
            "agree": calc.comparison.agree,
            "disagreements": list(calc.comparison.disagreements),
            "shared_answers": list(calc.comparison.shared_answers),
        },
    }
