"""heliotrope's results as CDS Hooks cards: a summary under 140 characters, an indicator
(``warning`` for the restaging alert and for cancer-associated myositis, ``info`` otherwise),
markdown detail listing the unknown items and what each would change, the source labelled
with the criterion's versioned id, and links to the web report and the publication.

Record text in the detail is escaped for markdown: clinical text is untrusted.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from heliotrope.interop.cds_hooks.models import Action, Card, CardSource, Coding, Link, Suggestion
from heliotrope.interop.fhir import terminology as t
from heliotrope.logic import CLASSIFICATION_DISCLAIMER, CriterionResult
from heliotrope.screening.plan import ScreeningPlan
from heliotrope.timeline.alerts import Alert

__all__ = ["alert_card", "criterion_card", "markdown_escape", "plan_card"]

_DOI = re.compile(r"doi:\s*(10\.\S+?)\.?$")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#|<>~])")
_NAMESPACE = uuid.UUID("0b8f7a52-3c1e-4f7e-9a55-7d1d2c6e4a90")


def markdown_escape(text: str) -> str:
    """Escape markdown and HTML specials in record text shown in a card."""
    flat = " ".join(str(text).split()).replace("&", "&amp;")
    return _MD_SPECIAL.sub(r"\\\1", flat)


def _short(text: str, limit: int = 139) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _doi_link(citation: str) -> Link | None:
    match = _DOI.search(citation.strip())
    if match is None:
        return None
    return Link(label="Publication", url=f"https://doi.org/{match.group(1)}", type="absolute")


def _links(base: str, criterion_id: str, citation: str) -> list[Link]:
    links = [
        Link(
            label="heliotrope report for this criterion",
            url=f"{base.rstrip('/')}/criteria/{criterion_id}",
            type="absolute",
        )
    ]
    publication = _doi_link(citation)
    if publication is not None:
        links.append(publication)
    return links


def _source(result: CriterionResult) -> CardSource:
    publication = _doi_link(result.citation)
    return CardSource(
        label=f"heliotrope · {result.version}",
        url=publication.url if publication is not None else None,
        topic=Coding(system=t.cs("criterion"), code=result.version, display=result.title),
    )


def _card_uuid(patient: str, key: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{patient}/{key}"))


def unknown_lines(result: CriterionResult) -> list[str]:
    """One markdown line per unknown item: what it would change if present."""
    effects = {p.key: p for p in result.unknown_effects}
    labels = {i.key: i.label for i in result.items}
    lines = []
    for key in result.unknown_items:
        effect = effects.get(key)
        label = markdown_escape(labels.get(key, key))
        if effect is None:
            lines.append(f"- {label} (`{key}`): unknown")
            continue
        change = "would change the outcome" if effect.changes_outcome else "would not change it"
        values = ", ".join(f"{k} {v}" for k, v in effect.values.items())
        lines.append(
            f"- {label} (`{key}`): unknown; if present → "
            f"{markdown_escape(effect.if_present)} ({change}{'; ' + values if values else ''})"
        )
    return lines


def _headline(result: CriterionResult) -> str:
    values = result.values
    extra = []
    if isinstance(values.get("score"), int | float):
        extra.append(f"score {values['score']}")
    if isinstance(values.get("probability"), int | float):
        extra.append(f"{values['probability'] * 100:.1f} %")
    if isinstance(values.get("interval_days"), int):
        extra.append(f"cancer {abs(values['interval_days'])} days from onset")
    return result.outcome.replace("_", " ") + (f" ({', '.join(extra)})" if extra else "")


def criterion_card(
    result: CriterionResult, base: str, patient: str, *, warning: bool = False
) -> Card:
    """One criterion result as a card."""
    present = [i for i in result.items if i.status.value == "present"]
    lines = [
        f"**{markdown_escape(result.title)}**: {markdown_escape(_headline(result))}.",
        "",
        f"Items present: {', '.join(markdown_escape(i.label) for i in present) or 'none'}.",
    ]
    unknown = unknown_lines(result)
    if unknown:
        lines += ["", "Unknown items and what each would change:", *unknown]
    if len(result.possible_outcomes) > 1:
        lines += ["", f"Outcomes the unknown items allow: {', '.join(result.possible_outcomes)}."]
    lines += ["", f"*{CLASSIFICATION_DISCLAIMER}*", "", markdown_escape(result.citation)]
    summary = f"{result.title}: {_headline(result)}"
    return Card(
        uuid=_card_uuid(patient, result.id),
        summary=_short(summary),
        detail="\n".join(lines),
        indicator="warning" if warning else "info",
        source=_source(result),
        links=_links(base, result.id, result.citation),
    )


def plan_card(result: CriterionResult, plan: ScreeningPlan, base: str, patient: str) -> Card:
    """The IMACS 2023 category and plan; the proposed tests at diagnosis as suggestions."""
    category = plan.category.replace("_", " ")
    if plan.applicable:
        summary = (
            f"IMACS 2023 cancer screening: {category} risk — {len(plan.entries)} planned tests"
        )
    else:
        summary = f"IMACS 2023 screening not applicable (factors give {plan.factor_category})"
    lines = [f"**{markdown_escape(result.title)}**: {markdown_escape(category)}."]
    if plan.reasons:
        lines.append("Not applicable: " + markdown_escape("; ".join(plan.reasons)) + ".")
    lines += ["", "| date | test | panel |", "| --- | --- | --- |"]
    lines += [
        f"| {markdown_escape(e.date_text)} | {markdown_escape(e.test)} | "
        f"{markdown_escape(e.panel)} |"
        for e in plan.entries
    ]
    unknown = unknown_lines(result)
    if unknown:
        lines += ["", "Unknown factors and what each would change:", *unknown]
    lines += [""] + [f"- {markdown_escape(n)}" for n in plan.notes]
    lines += ["", markdown_escape(plan.citation)]
    first = [e for e in plan.entries if e.dated and e.occasion == "diagnosis"]
    actions = [
        Action(
            type="create",
            description=f"Propose: {e.test}",
            resource={
                "resourceType": "ServiceRequest",
                "status": "draft",
                "intent": "proposal",
                "code": {"text": e.test},
                "subject": {"reference": f"Patient/{patient}"},
                "reasonCode": [{"text": e.reason}],
            },
        )
        for e in first
    ]
    suggestions = (
        [
            Suggestion(
                label="Propose the tests due at diagnosis", isRecommended=True, actions=actions
            )
        ]
        if actions
        else None
    )
    return Card(
        uuid=_card_uuid(patient, "imacs_2023"),
        summary=_short(summary),
        detail="\n".join(lines),
        indicator="info",
        source=_source(result),
        suggestions=suggestions,
        selectionBehavior="at-most-one" if suggestions else None,
        links=_links(base, "imacs_2023", result.citation),
    )


def alert_card(alert: Alert, base: str, patient: str) -> Card:
    """The restaging alert ("DM worsening — restage the cancer") as a warning card."""
    lines = [
        f"**{markdown_escape(alert.title)}** on {alert.when}.",
        "",
        markdown_escape(alert.message),
        "",
        "Changes: " + "; ".join(markdown_escape(c) for c in alert.changes) + ".",
    ]
    if alert.cancers:
        lines.append("Cancer: " + "; ".join(markdown_escape(c) for c in alert.cancers) + ".")
    if alert.result is not None:
        unknown = unknown_lines(alert.result)
        if unknown:
            lines += ["", "Unknown items and what each would change:", *unknown]
    lines += ["", "*Alerts prompt review; they do not diagnose.*"]
    lines += [markdown_escape(c) for c in alert.citations]
    summary = f"DM worsening on {alert.when.earliest.isoformat()}: restage the cancer"
    version = alert.id
    source: dict[str, Any] = {
        "label": f"heliotrope · {version}",
        "topic": Coding(system=t.cs("alert"), code=version, display=alert.title),
    }
    return Card(
        uuid=_card_uuid(patient, f"{alert.id}/{alert.when}"),
        summary=_short(summary),
        detail="\n".join(lines),
        indicator="warning",
        source=CardSource(**source),
        links=[
            Link(
                label="heliotrope timeline for this patient",
                url=f"{base.rstrip('/')}/criteria/{alert.id}",
                type="absolute",
            )
        ],
    )
