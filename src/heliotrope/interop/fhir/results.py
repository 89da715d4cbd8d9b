"""heliotrope's results → FHIR R4 resources. Interop only converts: the results come from
``heliotrope.api.assess``, the plan from ``heliotrope.screening`` and the restaging alert from
``heliotrope.timeline``.

* each criterion result → an Observation: code = the Appendix A versioned id in heliotrope's
  ``criterion`` CodeSystem; value = the category; components = score, probability, subgroup
  and every item with its points (unknown items carry ``dataAbsentReason`` unknown);
  ``derivedFrom`` = the input resources the items used; a note that criteria classify and do
  not diagnose;
* serology → cancer probability → a RiskAssessment;
* the IMACS 2023 plan → a CarePlan (intent proposal) with proposed ServiceRequests;
* the restaging alert (``timeline.restage_alert.v1``) → a DetectedIssue.
"""

from __future__ import annotations

from typing import Any

from heliotrope.api import Assessment
from heliotrope.interop.fhir import terminology as t
from heliotrope.interop.fhir.writer import WrittenRecord, full_url, own
from heliotrope.logic import CLASSIFICATION_DISCLAIMER, CriterionResult
from heliotrope.logic.result import ItemStatus
from heliotrope.screening.plan import ScreeningPlan
from heliotrope.timeline.alerts import Alert

__all__ = ["alert_resource", "care_plan_resources", "criterion_observation", "risk_assessment"]

_NUMERIC = ("score", "probability", "interval_days", "criteria_met", "post_test", "pretest")
_CODED = ("subtype", "subgroup")


def _concept(coding: dict[str, Any], text: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"coding": [coding]}
    if text:
        out["text"] = text
    return out


def _derived(result_evidence: Any, written: WrittenRecord) -> list[dict[str, str]]:
    urls: dict[str, None] = {}
    for evidence in result_evidence:
        url = written.by_path.get(evidence.path)
        if url is None and evidence.source is not None and evidence.source.field:
            url = written.by_path.get(evidence.source.field)
        if url:
            urls[url] = None
    return [{"reference": url} for url in urls]


def _item_component(result: CriterionResult, item: Any) -> dict[str, Any]:
    component: dict[str, Any] = {
        "code": _concept(
            own("criterion-item", f"{result.id}.{item.key}", item.label), text=item.label
        )
    }
    if item.points is not None:
        component["extension"] = [
            {"url": t.ext("item-points"), "valueDecimal": item.points},
            {"url": t.ext("item-counted"), "valueDecimal": item.counted or 0.0},
        ]
    if item.status is ItemStatus.unknown:
        component["dataAbsentReason"] = _concept(
            {"system": t.DAR, "code": "unknown", "display": "Unknown"}
        )
    else:
        component["valueCodeableConcept"] = _concept(own("item-status", item.status.value))
    return component


def criterion_observation(
    result: CriterionResult, written: WrittenRecord, issued: str
) -> dict[str, Any]:
    """One criterion result as an Observation."""
    components: list[dict[str, Any]] = []
    for name in _NUMERIC:
        value = result.values.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            components.append(
                {"code": _concept(own("result-value", name)), "valueQuantity": {"value": value}}
            )
    for name in _CODED:
        value = result.values.get(name)
        if isinstance(value, str) and value:
            components.append({"code": _concept(own("result-value", name)), "valueString": value})
    components += [_item_component(result, item) for item in result.items]
    evidence = [e for item in result.items for e in item.evidence]
    notes = [CLASSIFICATION_DISCLAIMER if not result.disclaimer else result.disclaimer]
    if result.unknown_items:
        effects = {p.key: p for p in result.unknown_effects}
        described = []
        for key in result.unknown_items:
            effect = effects.get(key)
            change = (
                f"if present: {effect.if_present}"
                + (" (changes the outcome)" if effect.changes_outcome else " (no change)")
                if effect
                else "effect not computed"
            )
            described.append(f"{key} — {change}")
        notes.append("Unknown items: " + "; ".join(described) + ".")
    notes.append(f"{result.title}. {result.citation}")
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "code": _concept(own("criterion", result.version, result.title), text=result.title),
        "subject": {"reference": written.patient_url},
        "issued": issued,
        "valueCodeableConcept": _concept(
            own("category", f"{result.id}.{result.category}", result.outcome),
            text=result.outcome,
        ),
        "method": {"text": f"{result.version} — {result.citation}"},
        "note": [{"text": text} for text in notes],
    }
    derived = _derived(evidence, written)
    if derived:
        resource["derivedFrom"] = derived
    if components:
        resource["component"] = components
    return resource


def risk_assessment(
    result: CriterionResult, written: WrittenRecord, issued: str
) -> dict[str, Any] | None:
    """Serology → post-test probability of cancer, per antibody, as a RiskAssessment."""
    by_antibody = result.values.get("by_antibody") or {}
    predictions = []
    for name, entry in by_antibody.items():
        post = entry.get("post_test")
        if not isinstance(post, int | float):
            continue
        prediction: dict[str, Any] = {
            "outcome": {"text": "cancer (post-test probability)"},
            "probabilityDecimal": round(float(post), 6),
            "rationale": (
                f"{entry.get('label', name)} {entry.get('result', '')}: pretest "
                f"{entry.get('pretest')} × LR {entry.get('likelihood_ratio')} "
                f"({entry.get('source', '')})"
            ).strip(),
        }
        interval = entry.get("post_test_ci95")
        if isinstance(interval, list | tuple) and len(interval) == 2:
            prediction["probabilityRange"] = {
                "low": {"value": interval[0]},
                "high": {"value": interval[1]},
            }
            del prediction["probabilityDecimal"]
            prediction["rationale"] += f"; point estimate {round(float(post), 4)}"
        predictions.append(prediction)
    if not predictions:
        return None
    evidence = [e for item in result.items for e in item.evidence]
    resource: dict[str, Any] = {
        "resourceType": "RiskAssessment",
        "status": "final",
        "subject": {"reference": written.patient_url},
        "occurrenceDateTime": issued,
        "code": _concept(own("criterion", result.version, result.title), text=result.title),
        "method": {"text": result.citation},
        "prediction": predictions,
        "note": [{"text": text} for text in (*result.caveats, *result.notes)][:10]
        or [{"text": result.title}],
    }
    basis = _derived(evidence, written)
    if basis:
        resource["basis"] = basis
    return resource


def care_plan_resources(
    plan: ScreeningPlan, written: WrittenRecord, issued: str
) -> list[tuple[str, dict[str, Any]]]:
    """The IMACS 2023 plan: a CarePlan (intent proposal) and one ServiceRequest per test."""
    out: list[tuple[str, dict[str, Any]]] = []
    activities = []
    for index, entry in enumerate(plan.entries):
        request: dict[str, Any] = {
            "resourceType": "ServiceRequest",
            "status": "draft",
            "intent": "proposal",
            "code": _concept(own("screening-test", entry.test_id, entry.test), text=entry.test),
            "subject": {"reference": written.patient_url},
            "authoredOn": issued,
            "reasonCode": [{"text": entry.reason}],
            "note": [
                {"text": text}
                for text in (entry.when, entry.condition, entry.caveat, entry.citation)
                if text
            ],
        }
        if entry.earliest and entry.latest:
            request["occurrencePeriod"] = {
                "start": entry.earliest.isoformat(),
                "end": entry.latest.isoformat(),
            }
        url = full_url(written.record_id, f"plan.{index}.{entry.key}")
        request["id"] = url.rsplit(":", 1)[-1]
        out.append((url, request))
        activities.append({"reference": {"reference": url}})
    care_plan: dict[str, Any] = {
        "resourceType": "CarePlan",
        "status": "draft",
        "intent": "proposal",
        "title": f"IMACS 2023 cancer screening: {plan.category.replace('_', ' ')}",
        "description": (
            f"Risk category {plan.category} (factors give {plan.factor_category}); rule "
            f"{plan.rule_variant}, repeat schedule {plan.schedule_variant}. {plan.citation}"
        ),
        "subject": {"reference": written.patient_url},
        "created": issued,
        "category": [_concept(own("care-plan", "imacs_2023_screening", "IMACS 2023 screening"))],
        "note": [{"text": note} for note in plan.notes]
        + [{"text": f"{plan.version}; proposals for review, not orders."}],
    }
    if activities:
        care_plan["activity"] = activities
    url = full_url(written.record_id, "plan")
    care_plan["id"] = url.rsplit(":", 1)[-1]
    return [(url, care_plan), *out]


def alert_resource(alert: Alert, written: WrittenRecord, index: int) -> tuple[str, dict[str, Any]]:
    """A timeline alert (the restaging alert) as a DetectedIssue."""
    resource: dict[str, Any] = {
        "resourceType": "DetectedIssue",
        "status": "preliminary" if alert.level != "alert" else "final",
        "code": _concept(own("alert", alert.id, alert.title), text=alert.title),
        "severity": "high" if alert.level == "alert" else "moderate",
        "patient": {"reference": written.patient_url},
        "identifiedDateTime": alert.when.earliest.isoformat(),
        "detail": alert.message,
        "reference": t.BASE + "/alerts/" + alert.id,
    }
    implicated = _derived(alert.evidence, written)
    if implicated:
        resource["implicated"] = implicated
        resource["evidence"] = [{"detail": implicated}]
    url = full_url(written.record_id, f"alert.{index}.{alert.id}")
    resource["id"] = url.rsplit(":", 1)[-1]
    return url, resource


def assessment_resources(
    assessment: Assessment, written: WrittenRecord, issued: str
) -> list[tuple[str, dict[str, Any]]]:
    """An Observation per criterion, plus the serology RiskAssessment."""
    out: list[tuple[str, dict[str, Any]]] = []
    for key, result in assessment.results.items():
        resource = criterion_observation(result, written, issued)
        url = full_url(written.record_id, f"result.{key}")
        resource["id"] = url.rsplit(":", 1)[-1]
        out.append((url, resource))
        if key == "serology_cancer_risk":
            risk = risk_assessment(result, written, issued)
            if risk is not None:
                url = full_url(written.record_id, "result.serology_cancer_risk.risk")
                risk["id"] = url.rsplit(":", 1)[-1]
                out.append((url, risk))
    return out


__all__ += ["assessment_resources"]
