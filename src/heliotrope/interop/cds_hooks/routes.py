"""The CDS Hooks 2.0.1 HTTP surface as a FastAPI router (the web app mounts it):

* ``GET /cds-services`` — discovery;
* ``POST /cds-services/{id}`` — a ``patient-view`` call → ``{"cards": [...]}``;
* ``POST /cds-services/{id}/feedback`` — card feedback (accepted, not stored).

Bad input never gives a traceback: malformed JSON → 400, a request or FHIR data that does not
fit → 422, data neither prefetched nor obtainable from ``fhirServer`` → 412, an unknown service
→ 404; each with a FHIR OperationOutcome naming the element. Logs carry the service id, the
status and the error code only — never patient data or tokens.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from heliotrope.errors import HeliotropeError
from heliotrope.interop.cds_hooks import services
from heliotrope.interop.cds_hooks.models import CdsRequest, CdsResponse, DiscoveryResponse
from heliotrope.interop.cds_hooks.prefetch import FetchError, gather_resources
from heliotrope.interop.fhir.outcome import operation_outcome

__all__ = ["MAX_BODY_BYTES", "router"]

MAX_BODY_BYTES = 20 * 1024 * 1024
log = logging.getLogger("heliotrope.cds_hooks")
router = APIRouter(tags=["CDS Hooks"])


def _error(status: int, code: str, issues: list[tuple[str, str]]) -> JSONResponse:
    return JSONResponse(operation_outcome(issues, code=code), status_code=status)


@router.get("/cds-services")
def discovery() -> dict[str, Any]:
    """CDS Hooks discovery: every heliotrope service with its prefetch templates."""
    body = DiscoveryResponse(services=[s.service for s in services.SERVICES.values()])
    return body.model_dump(mode="json", exclude_none=True)


def _validation_issues(exc: ValidationError, prefix: str) -> list[tuple[str, str]]:
    issues = []
    for error in exc.errors()[:10]:
        where = ".".join(str(p) for p in error["loc"]) or "(body)"
        issues.append((f"{prefix}{where}", str(error["msg"]).removeprefix("Value error, ")))
    return issues


@router.post("/cds-services/{service_id}", response_model=None)
async def call_service(service_id: str, request: Request) -> JSONResponse:
    """Answer a hook call with cards."""
    if service_id not in services.SERVICES:
        return _error(404, "not-found", [("service", f"no CDS service {service_id!r}")])
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        return _error(413, "too-costly", [("(body)", f"larger than {MAX_BODY_BYTES} bytes")])
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = getattr(exc, "lineno", None)
        detail = f"line {where}" if where else "(body)"
        return _error(400, "structure", [(detail, "the request body is not valid JSON")])
    try:
        hook_request = CdsRequest.model_validate(data)
    except ValidationError as exc:
        return _error(422, "invalid", _validation_issues(exc, ""))
    service = services.SERVICES[service_id].service
    if hook_request.hook != service.hook:
        return _error(
            422, "invalid", [("hook", f"this service answers {service.hook}, not another hook")]
        )
    context = hook_request.context
    patient_id = context.get("patientId")
    if not isinstance(patient_id, str) or not patient_id:
        return _error(422, "required", [("context.patientId", "a patient-view needs patientId")])
    base = str(request.base_url).rstrip("/")
    try:
        return JSONResponse(
            await run_in_threadpool(_answer, service_id, hook_request, patient_id, base)
        )
    except FetchError as exc:
        log.info("cds %s: 412 (%s)", service_id, exc.key)
        return _error(412, "incomplete", [(f"prefetch.{exc.key}", exc.reason)])
    except HeliotropeError as exc:
        log.info("cds %s: 422 (%s)", service_id, exc.code)
        issues = [(d.location, d.message) for d in exc.details] or [("(data)", exc.message)]
        return _error(422, "invalid", [("(data)", exc.message), *issues])


def _answer(
    service_id: str, hook_request: CdsRequest, patient_id: str, base: str
) -> dict[str, Any]:
    template = services.SERVICES[service_id].service.prefetch or {}
    resources, _fetched = gather_resources(hook_request, template)
    cards = services.cards_for(service_id, resources, patient_id, base)
    # Checked against the response model (cds-resp-1 … 7) before it leaves.
    return CdsResponse.model_validate({"cards": cards}).model_dump(mode="json", exclude_none=True)


@router.post("/cds-services/{service_id}/feedback", response_model=None)
async def feedback(service_id: str, request: Request) -> JSONResponse:
    """Card feedback (CDS Hooks 2.0.1 §Feedback): validated and acknowledged, not stored."""
    if service_id not in services.SERVICES:
        return _error(404, "not-found", [("service", f"no CDS service {service_id!r}")])
    try:
        data = json.loads(await request.body())
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _error(400, "structure", [("(body)", "the feedback body is not valid JSON")])
    if not isinstance(data, dict) or not isinstance(data.get("feedback"), list):
        return _error(422, "required", [("feedback", "a list of feedback entries is required")])
    return JSONResponse({}, status_code=200)
