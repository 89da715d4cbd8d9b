"""One-line human summaries of record entries, used as evidence text."""

from __future__ import annotations

from typing import Any

from heliotrope.model.record import (
    ActivityAssessment,
    AntibodyTest,
    Cancer,
    Event,
    Finding,
    Investigation,
    LabResult,
    LabStatement,
    Treatment,
    TumourAssessment,
)

__all__ = ["describe"]


def _lab(entry: LabResult) -> str:
    comparator = entry.comparator or ""
    text = f"{entry.analyte.value.upper()} {comparator}{entry.value:g} {entry.unit}"
    if entry.range is not None:
        low = "" if entry.range.low is None else f"{entry.range.low:g}"
        high = "" if entry.range.high is None else f"{entry.range.high:g}"
        text += f" (range {low}–{high})"
    times = entry.times_uln
    if times is not None:
        text += f", {times:.2f}×ULN"
    return text


# How each measure of an activity assessment is shown, in this order.
_ACTIVITY_PARTS = (
    ("mmt8", "MMT-8 {:g}/80"),
    ("mmt8_bilateral", "MMT-8 {:g}/150"),
    ("cdasi_activity", "CDASI activity {:g}"),
    ("cdasi_damage", "CDASI damage {:g}"),
    ("physician_global", "PGA {:g}/10"),
    ("patient_global", "patient global {:g}/10"),
    ("extramuscular_global", "extramuscular {:g}/10"),
    ("haq", "HAQ {:g}"),
)


def _activity(entry: ActivityAssessment) -> str:
    parts = [
        shown.format(value)
        for name, shown in _ACTIVITY_PARTS
        if (value := getattr(entry, name)) is not None
    ]
    if entry.grades:
        parts.append("MRC " + ", ".join(f"{g.muscle.value} {g.mrc}" for g in entry.grades))
    return "activity: " + ("; ".join(parts) if parts else "no measures")


def describe(entry: Any) -> str:
    """A short description of a record entry (activity assessments list their measures)."""
    if isinstance(entry, Finding):
        text = f"{entry.code.value.replace('_', ' ')}: {entry.status.value.replace('_', ' ')}"
        if entry.distribution:
            text += f" ({entry.distribution})"
        if entry.grades:
            text += "; MRC " + ", ".join(f"{g.muscle.value} {g.mrc}" for g in entry.grades)
        return text
    if isinstance(entry, LabResult):
        return _lab(entry)
    if isinstance(entry, LabStatement):
        return (
            f"{entry.analyte.value.upper()} reported {entry.interpretation.value} (no value given)"
        )
    if isinstance(entry, AntibodyTest):
        titre = f" ({entry.titre})" if entry.titre else ""
        return f"{entry.name.value}: {entry.result.value}{titre}"
    if isinstance(entry, Investigation):
        if entry.performed is False:
            why = f" ({entry.reason_not_performed})" if entry.reason_not_performed else ""
            return f"{entry.kind.value.replace('_', ' ')}: not performed{why}"
        found = [f.value.replace("_", " ") for f, s in entry.findings.items() if s == "present"]
        state = "performed" if entry.performed else "status unknown"
        return f"{entry.kind.value.replace('_', ' ')}: {state}" + (
            f"; {', '.join(found)}" if found else ""
        )
    if isinstance(entry, Cancer):
        where = f" of {entry.site}" if entry.site else ""
        spread = ", metastatic" if entry.metastatic else ""
        return f"cancer: {entry.histology}{where}{spread} ({entry.status.value})"
    if isinstance(entry, Treatment):
        line = f", line {entry.line}" if entry.line else ""
        return f"{entry.kind.value}: {entry.drug}{line}"
    if isinstance(entry, TumourAssessment):
        verdict = entry.reported_response.value if entry.reported_response else "no verdict"
        return f"tumour assessment: {verdict} (reported)"
    if isinstance(entry, ActivityAssessment):
        return _activity(entry)
    if isinstance(entry, Event):
        return f"{entry.kind}: {entry.description or ''}".strip(": ")
    return str(entry)
