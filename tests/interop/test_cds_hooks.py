"""CDS Hooks 2.0.1: discovery, the three patient-view services, prefetch and fhirServer
fetching, cards and their invariants (cds-resp-1 … 7), errors as OperationOutcomes."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError

from heliotrope.interop.cds_hooks import prefetch as prefetch_module
from heliotrope.interop.cds_hooks import services
from heliotrope.interop.cds_hooks.models import Action, Card, CardSource, Link, Suggestion
from heliotrope.interop.cds_hooks.prefetch import PREFETCH
from heliotrope.interop.cds_hooks.routes import router

SEARCH = {
    "conditions": "Condition",
    "observations": "Observation",
    "procedures": "Procedure",
    "reports": "DiagnosticReport",
    "medications": "MedicationStatement",
    "administrations": "MedicationAdministration",
}


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setattr(services, "today", lambda: date(2026, 12, 1))
    services.clear_cache()
    app = FastAPI()
    app.include_router(router)
    with TestClient(app) as test_client:
        yield test_client


def _prefetch(examples_dir: Path, case: str) -> tuple[str, dict[str, Any]]:
    bundle = json.loads((examples_dir / f"{case}.fhir.json").read_text(encoding="utf-8"))
    patient_entry = next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    patient_id = patient_entry["resource"]["id"]
    out: dict[str, Any] = {"patient": patient_entry["resource"]}
    for key, kind in SEARCH.items():
        matches = [e for e in bundle["entry"] if e["resource"]["resourceType"] == kind]
        out[key] = {
            "resourceType": "Bundle",
            "type": "searchset",
            "entry": [*matches, {**patient_entry, "search": {"mode": "include"}}],
        }
    return patient_id, out


def _request(patient_id: str, prefetch: dict[str, Any] | None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "hook": "patient-view",
        "hookInstance": str(uuid.uuid4()),
        "context": {"userId": "Practitioner/1", "patientId": patient_id},
        **extra,
    }
    if prefetch is not None:
        body["prefetch"] = prefetch
    return body


def test_discovery_lists_patient_view_services_with_prefetch(client: TestClient) -> None:
    services_json = client.get("/cds-services").json()["services"]
    assert {s["id"] for s in services_json} == {
        "heliotrope-classification",
        "heliotrope-cancer-associated-myositis",
        "heliotrope-restaging-alert",
    }
    for service in services_json:
        assert service["hook"] == "patient-view"
        assert service["prefetch"]["patient"] == "Patient/{{context.patientId}}"


def _cards(client: TestClient, service: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    response = client.post(f"/cds-services/{service}", json=body)
    assert response.status_code == 200, response.text
    cards: list[dict[str, Any]] = response.json()["cards"]
    for card in cards:
        Card.model_validate(card)
        assert len(card["summary"]) < 140
    return cards


def test_founding_case_cards(client: TestClient, examples_dir: Path) -> None:
    patient_id, prefetch = _prefetch(examples_dir, "founding-case")
    body = _request(patient_id, prefetch)
    classification = _cards(client, "heliotrope-classification", body)
    assert [c["indicator"] for c in classification] == ["info"] * 3
    eular = classification[1]
    assert "definite DM (score 10.1, 99.2 %)" in eular["summary"]
    assert "legs_proximal_weaker_than_distal" in eular["detail"]
    assert eular["source"]["label"] == "heliotrope · myositis.eular_acr_2017.v1"
    assert eular["links"][0]["url"].endswith("/criteria/eular_acr_2017")
    assert eular["links"][1]["url"].startswith("https://doi.org/10.")

    cam = _cards(client, "heliotrope-cancer-associated-myositis", body)
    assert cam[0]["indicator"] == "warning" and "yes" in cam[0]["summary"]
    assert "not applicable" in cam[-1]["summary"]

    (alert,) = _cards(client, "heliotrope-restaging-alert", body)
    assert alert["indicator"] == "warning"
    assert "restage the cancer" in alert["summary"]


def test_anti_tif1g_case_gives_the_enhanced_plan(client: TestClient, examples_dir: Path) -> None:
    patient_id, prefetch = _prefetch(examples_dir, "anti-tif1g-dm")
    cards = _cards(client, "heliotrope-cancer-associated-myositis", _request(patient_id, prefetch))
    plan = cards[-1]
    assert plan["indicator"] == "info"
    assert "high risk" in plan["summary"]
    assert "enhanced" in plan["detail"] and "PET" in plan["detail"]
    (suggestion,) = plan["suggestions"]
    assert plan["selectionBehavior"] == "at-most-one"
    tests = {a["resource"]["code"]["text"] for a in suggestion["actions"]}
    assert "CT neck, thorax, abdomen and pelvis" in tests
    assert _cards(client, "heliotrope-restaging-alert", _request(patient_id, prefetch)) == []


def test_fetches_from_fhir_server_with_bearer_token(
    client: TestClient, examples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    patient_id, prefetch = _prefetch(examples_dir, "anti-tif1g-dm")
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        path = request.url.path.removeprefix("/fhir/")
        if path.startswith("Patient/"):
            return httpx.Response(200, json=prefetch["patient"])
        key = next(k for k, kind in SEARCH.items() if path == kind)
        return httpx.Response(200, json=prefetch[key])

    monkeypatch.setattr(prefetch_module, "TRANSPORT", httpx.MockTransport(answer))
    authorization = {
        "access_token": "tok-123",
        "token_type": "Bearer",
        "expires_in": 300,
        "scope": "patient/*.read",
        "subject": "cds-service",
    }
    body = _request(
        patient_id, None, fhirServer="https://ehr.example/fhir", fhirAuthorization=authorization
    )
    cards = _cards(client, "heliotrope-cancer-associated-myositis", body)
    assert "high risk" in cards[-1]["summary"]
    assert len(seen) == len(PREFETCH)
    assert all(r.method == "GET" for r in seen)
    assert all(r.headers["Authorization"] == "Bearer tok-123" for r in seen)


def test_fhir_server_failure_is_412_without_retry(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def fail(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        raise httpx.ConnectError("refused", request=request)

    monkeypatch.setattr(prefetch_module, "TRANSPORT", httpx.MockTransport(fail))
    body = _request("abc", None, fhirServer="https://ehr.example/fhir")
    response = client.post("/cds-services/heliotrope-classification", json=body)
    assert response.status_code == 412
    assert response.json()["resourceType"] == "OperationOutcome"
    assert len(calls) == 1


def test_no_prefetch_and_no_server_is_412(client: TestClient) -> None:
    response = client.post("/cds-services/heliotrope-classification", json=_request("abc", None))
    assert response.status_code == 412
    assert response.json()["issue"][0]["expression"] == ["prefetch.patient"]


_FIXED_UUID = "3f0e1c9a-8b7d-4e2f-9a61-5c4d3b2a1f00"


@pytest.mark.parametrize(
    ("body", "status", "where"),
    [
        pytest.param(b"{not json", 400, None, id="malformed-json"),
        pytest.param(
            json.dumps({"hook": "patient-view"}).encode(), 422, "hookInstance", id="no-instance"
        ),
        pytest.param(
            json.dumps({"hook": "order-sign", "hookInstance": _FIXED_UUID, "context": {}}).encode(),
            422,
            "hook",
            id="wrong-hook",
        ),
        pytest.param(
            json.dumps(
                {
                    "hook": "patient-view",
                    "hookInstance": "not-a-uuid",
                    "context": {"patientId": "a", "userId": "u"},
                }
            ).encode(),
            422,
            "hookInstance",
            id="bad-uuid",
        ),
    ],
)
def test_bad_requests_get_an_operation_outcome(
    client: TestClient, body: bytes, status: int, where: str | None
) -> None:
    response = client.post(
        "/cds-services/heliotrope-classification",
        content=body,
        headers={"content-type": "application/json"},
    )
    assert response.status_code == status
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    if where:
        assert any(where in e for i in outcome["issue"] for e in i["expression"])


def test_bad_fhir_data_is_422_naming_the_element(client: TestClient, examples_dir: Path) -> None:
    patient_id, prefetch = _prefetch(examples_dir, "anti-tif1g-dm")
    entry = next(
        e
        for e in prefetch["observations"]["entry"]
        if e["resource"]["code"].get("coding", [{}])[0].get("code") == "2157-6"
    )
    quantity = {"value": 3, "code": "furlong", "system": "http://unitsofmeasure.org"}
    entry["resource"] = {**entry["resource"], "valueQuantity": quantity}
    response = client.post(
        "/cds-services/heliotrope-classification", json=_request(patient_id, prefetch)
    )
    assert response.status_code == 422
    expressions = [e for i in response.json()["issue"] for e in i["expression"]]
    assert any(e.startswith("Observation/") for e in expressions)


def test_unknown_service_is_404(client: TestClient) -> None:
    assert client.post("/cds-services/nope", json={}).status_code == 404


def test_feedback_is_accepted(client: TestClient) -> None:
    body = {
        "feedback": [
            {
                "card": str(uuid.uuid4()),
                "outcome": "accepted",
                "outcomeTimestamp": "2026-12-01T10:00:00Z",
            }
        ]
    }
    assert (
        client.post("/cds-services/heliotrope-classification/feedback", json=body).status_code
        == 200
    )


# -- response invariants -------------------------------------------------------------------
_SOURCE = CardSource(label="heliotrope")


def _card(**fields: Any) -> Card:
    return Card(summary="s", indicator="info", source=_SOURCE, **fields)


def _suggestion(recommended: bool) -> Suggestion:
    return Suggestion(label="x", isRecommended=recommended)


@pytest.mark.parametrize(
    ("rule", "make"),
    [
        (
            "cds-resp-1",
            lambda: _card(
                suggestions=[_suggestion(True), _suggestion(True)], selectionBehavior="at-most-one"
            ),
        ),
        ("cds-resp-2", lambda: Action(type="delete", description="d", resource={"a": 1})),
        ("cds-resp-3", lambda: Link(label="l", url="https://x", type="absolute", appContext="c")),
        ("cds-resp-4", lambda: _card(overrideReasons=[{"code": "x"}])),
        ("cds-resp-5", lambda: Action(type="create", description=" ")),
        ("cds-resp-6", lambda: _card(suggestions=[_suggestion(False)])),
        ("cds-resp-7", lambda: _card(suggestions=[_suggestion(False)], selectionBehavior="some")),
    ],
)
def test_response_invariants(rule: str, make: Any) -> None:
    with pytest.raises(ValidationError, match=rule):
        make()


def test_summary_must_be_under_140_characters() -> None:
    with pytest.raises(ValidationError):
        Card(summary="x" * 140, indicator="info", source=_SOURCE)


def test_logs_carry_no_patient_data(
    client: TestClient, examples_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    patient_id, prefetch = _prefetch(examples_dir, "anti-tif1g-dm")
    prefetch["patient"] = {
        **prefetch["patient"],
        "name": [{"text": "Secret Person"}],
        "birthDate": "not-a-date",
    }
    with caplog.at_level("DEBUG", logger="heliotrope"):
        response = client.post(
            "/cds-services/heliotrope-classification",
            json=_request(patient_id, prefetch, fhirAuthorization=None),
        )
    assert response.status_code == 422
    assert "Secret Person" not in response.text and "not-a-date" not in response.text
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "heliotrope-classification" in logged
    assert "Secret" not in logged and patient_id not in logged


def test_a_prefetch_of_100000_entries_is_refused_quickly(
    client: TestClient, examples_dir: Path
) -> None:
    patient_id, prefetch = _prefetch(examples_dir, "anti-tif1g-dm")
    basic = {"resource": {"resourceType": "Basic", "code": {"text": "x"}}}
    prefetch["observations"] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [basic] * 100_000,
    }
    response = client.post(
        "/cds-services/heliotrope-classification", json=_request(patient_id, prefetch)
    )
    assert response.status_code == 422
    expressions = [e for i in response.json()["issue"] for e in i["expression"]]
    assert "Bundle.entry" in expressions
