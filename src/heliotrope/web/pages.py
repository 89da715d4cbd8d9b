"""The HTML pages: calculator, case report (upload or paste), timeline and stored history,
criteria explanations. Server-rendered; the calculator's small script only refreshes the result
box, and every form also works as a plain post with JavaScript off."""

from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from heliotrope.criteria.registry import REGISTRY, get
from heliotrope.errors import HeliotropeError, InputError
from heliotrope.io.inputs import LoadedInput
from heliotrope.model.record import PatientRecord
from heliotrope.render.plot import plot_bytes
from heliotrope.render.timeline_html import render_timeline_html
from heliotrope.timeline import Timeline, build_timeline
from heliotrope.web import calculator, exports
from heliotrope.web.criteria_view import criterion_view
from heliotrope.web.report import BOUNDARY_RULES, Report, build_report, record_from_json
from heliotrope.web.security import RAW_DOCUMENT_CSP
from heliotrope.web.settings import Settings
from heliotrope.web.templating import templates
from heliotrope.web.uploads import (
    ACCEPTED_SUFFIXES,
    UploadRejected,
    load_bytes,
    private_directory,
    public_message,
)

__all__ = ["router"]

router = APIRouter()
MAX_PASTED_CHARS = 2_000_000
FORM_LIMITS: dict[str, Any] = {"max_files": 2, "max_fields": 400, "max_part_size": 4 * 1024**2}


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A rendered template (every value autoescaped)."""
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def error_page(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    return page(request, "error.html", status, title=title, message=message, status=status)


# -- home and criteria ----------------------------------------------------------------------
@lru_cache(maxsize=64)
def _fixed_page(template: str, criterion_id: str | None = None) -> str:
    """Pages that depend only on the heliotrope version, rendered once per process."""
    context: dict[str, Any] = {}
    if template == "criteria_list.html":
        rows = []
        for key, entry in REGISTRY.items():
            first = entry.variants()[0][1]
            rows.append({"id": key, "title": first.title, "version": first.version})
        context["rows"] = rows
    if criterion_id is not None:
        context["view"] = criterion_view(get(criterion_id))
    return templates.get_template(template).render(context)


@router.get("/", response_class=HTMLResponse)
def home() -> HTMLResponse:
    return HTMLResponse(_fixed_page("index.html"))


@router.get("/criteria", response_class=HTMLResponse)
def criteria_list() -> HTMLResponse:
    return HTMLResponse(_fixed_page("criteria_list.html"))


@router.get("/criteria/{criterion_id}", response_class=HTMLResponse)
def criterion_page(request: Request, criterion_id: str) -> HTMLResponse:
    """The rule table, weights, logic and citation (``heliotrope explain ID``)."""
    if criterion_id not in REGISTRY:
        return error_page(
            request,
            404,
            "Unknown criterion",
            f"There is no criterion '{criterion_id}'. Known: {', '.join(REGISTRY)}.",
        )
    return HTMLResponse(_fixed_page("criterion.html", criterion_id))


# -- calculator ------------------------------------------------------------------------------
def _calculator_form(form: FormData | Any) -> dict[str, str]:
    return {k: v for k, v in form.items() if isinstance(v, str) and not k.startswith("_")}


def _calculator(request: Request, answers: dict[str, str], partial: bool) -> HTMLResponse:
    try:
        calc = calculator.calculate(answers)
    except InputError as exc:
        if partial:
            return page(request, "_calc_error.html", 422, message=str(exc))
        return error_page(request, 422, "The calculator could not read the form", str(exc))
    name = "_calc_result.html" if partial else "calculator.html"
    return page(request, name, calc=calc, sections=calculator.sections())


@router.get("/calculator", response_class=HTMLResponse)
def calculator_page(request: Request) -> HTMLResponse:
    return _calculator(request, _calculator_form(request.query_params), partial=False)


@router.post("/calculator", response_class=HTMLResponse)
async def calculator_post(request: Request) -> HTMLResponse:
    """The plain form post (JavaScript off): the whole page with the result."""
    form = await request.form(**FORM_LIMITS)
    return _calculator(request, _calculator_form(form), partial=False)


@router.post("/calculator/result", response_class=HTMLResponse)
async def calculator_result(request: Request) -> HTMLResponse:
    """The result box alone, for the live update."""
    form = await request.form(**FORM_LIMITS)
    return _calculator(request, _calculator_form(form), partial=True)


# -- case report -----------------------------------------------------------------------------
@router.get("/report", response_class=HTMLResponse)
def report_form(request: Request) -> HTMLResponse:
    return page(request, "report_form.html", accepted=", ".join(ACCEPTED_SUFFIXES))


async def _read_input(
    request: Request, form: FormData, settings: Settings
) -> tuple[LoadedInput, str] | HTMLResponse:
    """The uploaded file or pasted text, read in a private directory (removed afterwards)."""
    upload = form.get("file")
    pasted = form.get("text")
    has_file = isinstance(upload, UploadFile) and bool(upload.filename)
    has_text = isinstance(pasted, str) and bool(pasted.strip())
    if not has_file and not has_text:
        return error_page(
            request,
            400,
            "Nothing to read",
            "Choose a file to upload or paste the text of a clinical document.",
        )
    with private_directory() as directory:
        try:
            if has_file:
                assert isinstance(upload, UploadFile)
                data = await upload.read(settings.max_upload_bytes + 1)
                if len(data) > settings.max_upload_bytes:
                    raise UploadRejected(413, _too_large(settings.max_upload_bytes))
                name = upload.filename or "upload"
                loaded = await run_in_threadpool(load_bytes, directory, name, data)
            else:
                assert isinstance(pasted, str)
                if len(pasted) > MAX_PASTED_CHARS:
                    raise UploadRejected(413, "The pasted text is too long.")
                name = "pasted text"
                # NUL characters mean nothing in clinical text; browsers can paste them
                data = pasted.replace("\x00", "").encode("utf-8")
                loaded = await run_in_threadpool(load_bytes, directory, "pasted.txt", data)
        except UploadRejected as exc:
            return error_page(request, exc.status, "The upload was refused", exc.message)
        except HeliotropeError as exc:
            return error_page(
                request, 422, "Heliotrope could not read this input", public_message(exc, directory)
            )
    return loaded, Path(name).name


def _too_large(limit: int) -> str:
    return f"The upload is larger than the limit of {limit // (1024 * 1024)} MB."


def _boundary(form: FormData) -> str:
    value = form.get("boundary_rule", "score")
    return value if isinstance(value, str) and value in BOUNDARY_RULES else "score"


@router.post("/report", response_class=HTMLResponse)
async def report_page(request: Request) -> HTMLResponse:
    """Upload or paste → the full assessment with evidence (and the highlighted text)."""
    form = await request.form(**FORM_LIMITS)
    read = await _read_input(request, form, _settings(request))
    if isinstance(read, HTMLResponse):
        return read
    loaded, name = read
    report = await run_in_threadpool(build_report, loaded, name, boundary_rule=_boundary(form))
    return page(request, "report.html", report=report)


_DOWNLOADS = {
    "json": ("application/json", "json"),
    "pdf": ("application/pdf", "pdf"),
    "ics": ("text/calendar", "ics"),
    "fhir": ("application/fhir+json", "fhir.json"),
}


def _download_report(form: FormData) -> Report:
    text = form.get("record")
    if not isinstance(text, str) or not text:
        raise InputError("The download form carries no record.")
    name = form.get("name")
    record = record_from_json(text)
    return build_report(
        record, name if isinstance(name, str) else record.id, boundary_rule=_boundary(form)
    )


@router.post("/report/download")
async def report_download(request: Request) -> Response:
    """JSON, PDF, iCalendar or FHIR of the record the report page carried back."""
    form = await request.form(**FORM_LIMITS)
    kind = form.get("format")
    if not isinstance(kind, str) or kind not in _DOWNLOADS:
        return error_page(request, 400, "Unknown download", "Choose JSON, PDF, iCalendar or FHIR.")
    try:
        report = await run_in_threadpool(_download_report, form)
        if kind == "json":
            body = exports.json_bytes(report)
        elif kind == "pdf":
            body = await run_in_threadpool(exports.pdf_bytes, report)
        elif kind == "ics":
            body = exports.ics_bytes(report)
        else:
            import json

            body = json.dumps(exports.fhir_export(report), indent=2).encode()
    except HeliotropeError as exc:
        return error_page(request, 422, "The download could not be made", str(exc))
    media, suffix = _DOWNLOADS[kind]
    filename = f"heliotrope-{report.record.id}.{suffix}"
    return Response(
        body,
        media_type=media,
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


# -- storage ---------------------------------------------------------------------------------
@router.post("/patients")
async def store_record(request: Request) -> Response:
    """Keep the record in the history database (only when the user asks)."""
    from heliotrope.storage import open_store

    form = await request.form(**FORM_LIMITS)
    text = form.get("record")
    settings = _settings(request)
    try:
        if not isinstance(text, str) or not text:
            raise InputError("The form carries no record to store.")
        record = record_from_json(text)
        name = form.get("name")

        def add() -> None:
            with open_store(settings.db_path) as store:
                store.add(record, name if isinstance(name, str) else None)

        await run_in_threadpool(add)
    except HeliotropeError as exc:
        return error_page(request, 422, "The record could not be stored", str(exc))
    return RedirectResponse(f"/patients/{record.id}", status_code=303)


@router.get("/patients", response_class=HTMLResponse)
def patients_page(request: Request) -> HTMLResponse:
    return page(request, "patients.html", patients=_patients(_settings(request)))


def _patients(settings: Settings) -> list[Any]:
    from heliotrope.storage import open_store

    path = settings.db_path
    if path is not None and not Path(path).exists():
        return []
    try:
        with open_store(path, create=False) as store:
            return list(store.patients())
    except HeliotropeError:
        return []


def _stored(settings: Settings, patient_id: str) -> tuple[PatientRecord, Any]:
    from heliotrope.storage import open_store

    with open_store(settings.db_path, create=False) as store:
        return store.load_record(patient_id), store.history(patient_id)


def _plot_src(timeline: Timeline) -> str:
    svg = plot_bytes(timeline, "svg")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


@router.get("/patients/{patient_id}", response_class=HTMLResponse)
async def patient_page(request: Request, patient_id: str) -> HTMLResponse:
    """The stored history and the timeline of the latest snapshot."""
    try:
        record, history = await run_in_threadpool(_stored, _settings(request), patient_id)
    except HeliotropeError as exc:
        return error_page(request, 404, "No such stored patient", str(exc))
    timeline = await run_in_threadpool(build_timeline, record)
    plot = await run_in_threadpool(_plot_src, timeline)
    return page(
        request,
        "timeline.html",
        timeline=timeline,
        plot=plot,
        history=history,
        record_json=_record_json(record),
        name=patient_id,
    )


def _record_json(record: PatientRecord) -> str:
    import json

    from heliotrope.nlp.reader import record_data

    return json.dumps(record_data(record), ensure_ascii=False, sort_keys=True)


# -- timeline --------------------------------------------------------------------------------
@router.get("/timeline", response_class=HTMLResponse)
def timeline_form(request: Request) -> HTMLResponse:
    return page(
        request,
        "timeline_form.html",
        patients=_patients(_settings(request)),
        accepted=", ".join(ACCEPTED_SUFFIXES),
    )


@router.post("/timeline", response_class=HTMLResponse)
async def timeline_page(request: Request) -> HTMLResponse:
    form = await request.form(**FORM_LIMITS)
    read = await _read_input(request, form, _settings(request))
    if isinstance(read, HTMLResponse):
        return read
    loaded, name = read
    timeline = await run_in_threadpool(build_timeline, loaded.record)
    plot = await run_in_threadpool(_plot_src, timeline)
    return page(
        request,
        "timeline.html",
        timeline=timeline,
        plot=plot,
        history=None,
        record_json=_record_json(loaded.record),
        name=name,
    )


@router.post("/timeline/document")
async def timeline_document(request: Request) -> Response:
    """The self-contained timeline page of ``render/timeline_html.py`` (its own CSP)."""
    form = await request.form(**FORM_LIMITS)
    text = form.get("record")
    try:
        if not isinstance(text, str) or not text:
            raise InputError("The form carries no record.")
        record = record_from_json(text)
        html = await run_in_threadpool(lambda: render_timeline_html(build_timeline(record)))
    except HeliotropeError as exc:
        return error_page(request, 422, "The timeline could not be drawn", str(exc))
    return HTMLResponse(
        html,
        headers={
            "content-security-policy": RAW_DOCUMENT_CSP,
            "content-disposition": f'attachment; filename="heliotrope-timeline-{record.id}.html"',
        },
    )
