"""heliotrope's CDS Hooks services (all on ``patient-view``):

* ``heliotrope-classification`` — Bohan & Peter 1975, 2017 EULAR/ACR, ENMC 2018 DM;
* ``heliotrope-cancer-associated-myositis`` — cancer-associated myositis (warning when yes),
  serology → cancer probability, and the IMACS 2023 plan (proposed tests as suggestions);
* ``heliotrope-restaging-alert`` — "DM worsening — restage the cancer"
  (``timeline.restage_alert.v1``), a warning card when the latest alert is raised.

Each answers from the record read out of the prefetch (or fetched from ``fhirServer``). Results
come from ``heliotrope.api.assess``, ``heliotrope.screening`` and ``heliotrope.timeline``.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from threading import Lock
from typing import Any

from heliotrope.api import assess
from heliotrope.interop.cds_hooks.cards import alert_card, criterion_card, plan_card
from heliotrope.interop.cds_hooks.models import Card, Service
from heliotrope.interop.cds_hooks.prefetch import PREFETCH
from heliotrope.interop.fhir import MAX_ENTRIES, read_fhir_data
from heliotrope.interop.fhir.errors import fhir_error
from heliotrope.logic import Context
from heliotrope.model.record import PatientRecord

__all__ = ["SERVICES", "CdsService", "cards_for", "clear_cache", "today"]

#: The service's clock; tests and benchmarks may replace it (``services.today = ...``).
today: Callable[[], date] = date.today


def _classification(record: PatientRecord, base: str, as_of: date) -> list[Card]:
    ids = ["bohan_peter_1975", "eular_acr_2017", "enmc_2018_dm"]
    results = assess(record, ids).results
    return [criterion_card(results[i], base, record.id) for i in ids]


def _cancer(record: PatientRecord, base: str, as_of: date) -> list[Card]:
    from heliotrope.screening import assess_imacs, screening_plan

    results = assess(record, ["cancer_associated_myositis", "serology_cancer_risk"]).results
    cam = results["cancer_associated_myositis"]
    cards = [criterion_card(cam, base, record.id, warning=cam.category == "yes")]
    serology = results["serology_cancer_risk"]
    if serology.values.get("by_antibody"):
        cards.append(criterion_card(serology, base, record.id))
    context = Context(as_of=as_of)
    imacs = assess_imacs(record, context)
    plan = screening_plan(record, imacs, context=context)
    cards.append(plan_card(imacs, plan, base, record.id))
    return cards


def _restaging(record: PatientRecord, base: str, as_of: date) -> list[Card]:
    from heliotrope.timeline import RESTAGE_ID, build_timeline

    alerts = [
        a
        for a in build_timeline(record).alerts
        if a.id == RESTAGE_ID and a.level == "alert" and a.when.earliest <= as_of
    ]
    if not alerts:
        return []
    latest = max(alerts, key=lambda a: a.when.earliest)
    return [alert_card(latest, base, record.id)]


@dataclass(frozen=True)
class CdsService:
    """A service's discovery entry and the function that makes its cards."""

    service: Service
    cards: Callable[[PatientRecord, str, date], list[Card]]


def _service(id_: str, title: str, description: str, run: Any) -> CdsService:
    return CdsService(
        Service(
            hook="patient-view",
            id=id_,
            title=title,
            description=description,
            prefetch=dict(PREFETCH),
            usageRequirements="Criteria classify; they do not diagnose. Results need the "
            "patient's conditions, observations, procedures, reports and medications.",
        ),
        run,
    )


SERVICES: dict[str, CdsService] = {
    s.service.id: s
    for s in (
        _service(
            "heliotrope-classification",
            "Myositis classification criteria",
            "Bohan & Peter 1975, 2017 EULAR/ACR and ENMC 2018 DM classification, with the "
            "items each used and what unknown items would change.",
            _classification,
        ),
        _service(
            "heliotrope-cancer-associated-myositis",
            "Cancer-associated myositis and IMACS 2023 screening",
            "Is this myositis cancer-associated (3-year window), the antibody-based cancer "
            "probability, and the IMACS 2023 risk category with its screening plan.",
            _cancer,
        ),
        _service(
            "heliotrope-restaging-alert",
            "DM worsening: restage the cancer",
            "Raises 'DM worsening — restage the cancer' when a dermatomyositis flare occurs "
            "while a cancer is known or within the cancer-associated-myositis window.",
            _restaging,
        ),
    )
}

# Results depend only on the resources read, the service and the date: identical inputs
# (a chart opened again) are answered from a small LRU cache.
_CACHE: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
_CACHE_SIZE = 256
_LOCK = Lock()


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()


def _key(service_id: str, entries: list[dict[str, Any]], base: str, as_of: date) -> str:
    digest = hashlib.sha256()
    digest.update(f"{service_id}\n{base}\n{as_of.isoformat()}\n".encode())
    digest.update(json.dumps(entries, separators=(",", ":")).encode())
    return digest.hexdigest()


def unique(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Bundle entries once each (a report may come both from a search and an _include)."""
    seen: dict[str, dict[str, Any]] = {}
    out = []
    for entry in entries:
        resource = entry.get("resource") or {}
        key = f"{resource.get('resourceType')}/{resource.get('id')}"
        if resource.get("id") is not None and key in seen:
            kept = seen[key]
            if "fullUrl" not in kept and "fullUrl" in entry:
                kept["fullUrl"] = entry["fullUrl"]
            continue
        entry = dict(entry)
        seen[key] = entry
        out.append(entry)
    return out


def cards_for(
    service_id: str, entries: list[dict[str, Any]], patient_id: str, base: str
) -> list[dict[str, Any]]:
    """The cards (as JSON) of ``service_id`` for the patient's resources (Bundle entries)."""
    as_of = today()
    if len(entries) > MAX_ENTRIES:
        raise fhir_error(
            "The prefetched data is too large to read.",
            "Bundle.entry",
            f"{len(entries)} resources exceed the limit of {MAX_ENTRIES}",
        )
    entries = unique(entries)
    key = _key(service_id, entries, base, as_of)
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": entries}
    report = read_fhir_data(bundle, "cds-hooks prefetch", patient_id=patient_id)
    cards = SERVICES[service_id].cards(report.record, base, as_of)
    out = [card.model_dump(mode="json", exclude_none=True) for card in cards]
    with _LOCK:
        _CACHE[key] = out
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return out
