"""The data a service needs: from the request's prefetch, or fetched from ``fhirServer``.

Prefetch templates (CDS Hooks 2.0.1 §Prefetch) use ``{{context.patientId}}``. A key the client
left out (or sent as null) is fetched from ``fhirServer`` with the bearer token it gave, with
httpx: GET only, timeouts, no retries, at most ``MAX_PAGES`` pages of a search. Nothing from
the data or the token is logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from heliotrope.interop.cds_hooks.models import CdsRequest
from heliotrope.interop.fhir.parse import MAX_ENTRIES

__all__ = ["PREFETCH", "FetchError", "gather_resources", "render_template"]

PREFETCH: dict[str, str] = {
    "patient": "Patient/{{context.patientId}}",
    "conditions": "Condition?patient={{context.patientId}}",
    "observations": "Observation?patient={{context.patientId}}",
    "procedures": "Procedure?patient={{context.patientId}}&_include=Procedure:report",
    "reports": "DiagnosticReport?patient={{context.patientId}}",
    "medications": (
        "MedicationStatement?patient={{context.patientId}}&_include=MedicationStatement:medication"
    ),
    "administrations": (
        "MedicationAdministration?patient={{context.patientId}}"
        "&_include=MedicationAdministration:medication"
    ),
}
MAX_PAGES = 20
#: The transport httpx uses (None: the network); tests put an ``httpx.MockTransport`` here.
TRANSPORT: httpx.BaseTransport | None = None
TIMEOUT = httpx.Timeout(10.0, connect=3.0)


class FetchError(Exception):
    """The data could not be obtained (said without patient data or the token)."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(f"prefetch '{key}': {reason}")
        self.key = key
        self.reason = reason


def render_template(template: str, context: dict[str, Any]) -> str:
    """Fill ``{{context.x}}`` tokens of a prefetch template."""
    out = template
    for name, value in context.items():
        if isinstance(value, str):
            out = out.replace("{{context." + name + "}}", value)
    return out


@dataclass
class _Fetcher:
    base: str
    headers: dict[str, str]
    client: httpx.Client

    def get(self, key: str, url: str) -> dict[str, Any]:
        try:
            response = self.client.get(url, headers=self.headers)
        except httpx.TimeoutException:
            raise FetchError(key, "the FHIR server did not answer in time") from None
        except httpx.HTTPError:
            raise FetchError(key, "the FHIR server could not be reached") from None
        if response.status_code == 404 and key == "patient":
            raise FetchError(key, "the patient was not found on the FHIR server")
        if response.status_code >= 400:
            raise FetchError(key, f"the FHIR server answered HTTP {response.status_code}")
        try:
            data = response.json()
        except ValueError:
            raise FetchError(key, "the FHIR server's answer is not JSON") from None
        if not isinstance(data, dict):
            raise FetchError(key, "the FHIR server's answer is not a FHIR resource")
        return data

    def fetch(self, key: str, query: str) -> list[dict[str, Any]]:
        url: str | None = f"{self.base.rstrip('/')}/{query}"
        resources: list[dict[str, Any]] = []
        pages = 0
        while url is not None:
            pages += 1
            if pages > MAX_PAGES:
                raise FetchError(key, f"more than {MAX_PAGES} pages of results")
            data = self.get(key, url)
            resources += resources_of(data)
            if len(resources) > MAX_ENTRIES:
                raise FetchError(key, f"more than {MAX_ENTRIES} resources")
            url = next_link(data)
        return resources


def next_link(bundle: dict[str, Any]) -> str | None:
    if bundle.get("resourceType") != "Bundle":
        return None
    for link in bundle.get("link") or []:
        if isinstance(link, dict) and link.get("relation") == "next" and link.get("url"):
            return str(link["url"])
    return None


def resources_of(data: Any) -> list[dict[str, Any]]:
    """Bundle entries (``fullUrl`` and ``resource``) of a prefetch value: a searchset Bundle's
    matches and includes (not its OperationOutcomes), or a single resource."""
    if not isinstance(data, dict):
        return []
    if data.get("resourceType") != "Bundle":
        return [{"resource": data}] if data.get("resourceType") != "OperationOutcome" else []
    out = []
    for entry in data.get("entry") or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("resource"), dict):
            continue
        if (entry.get("search") or {}).get("mode") == "outcome":
            continue
        if entry["resource"].get("resourceType") == "OperationOutcome":
            continue
        kept: dict[str, Any] = {"resource": entry["resource"]}
        if isinstance(entry.get("fullUrl"), str):
            kept["fullUrl"] = entry["fullUrl"]
        out.append(kept)
    return out


def gather_resources(
    request: CdsRequest,
    templates: dict[str, str],
    *,
    transport: httpx.BaseTransport | None = None,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Every resource the service needs (as Bundle entries), and the keys that were fetched."""
    prefetch = request.prefetch or {}
    resources: list[dict[str, Any]] = []
    missing = [key for key in templates if prefetch.get(key) is None]
    for key in templates:
        if prefetch.get(key) is not None:
            resources += resources_of(prefetch[key])
    if not missing:
        return resources, []
    if request.fhirServer is None:
        raise FetchError(missing[0], "not prefetched, and the request names no fhirServer")
    headers = {"Accept": "application/fhir+json"}
    if request.fhirAuthorization is not None:
        headers["Authorization"] = f"Bearer {request.fhirAuthorization.access_token}"
    transport = transport or TRANSPORT
    with httpx.Client(timeout=TIMEOUT, transport=transport, follow_redirects=False) as client:
        fetcher = _Fetcher(request.fhirServer, headers, client)
        for key in missing:
            query = render_template(templates[key], request.context)
            resources += fetcher.fetch(key, query)
    return resources, missing
