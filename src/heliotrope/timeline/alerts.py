"""Alerts that read the timeline: "DM worsening — restage the cancer".

Rule ``timeline.restage_alert.v1`` (a kernel :class:`~heliotrope.logic.Definition`, evaluated on
every date with a DM activity assessment):

    restage  =  DM flare  AND  (a known cancer  OR  a cancer in the CAM window)

* **DM flare** — new or worse rash, new or worse weakness, rising muscle enzymes (×ULN up),
  falling MMT-8 or rising CDASI activity compared with the previous assessment
  (:mod:`heliotrope.timeline.activity`).
* **known cancer** — a cancer diagnosed on or before that date and not in remission.
* **cancer in the CAM window** — a cancer diagnosed on or before that date, within 3 years before
  or after myositis onset (spec §6.1: IMACS 2023; onset anchor = symptom onset, else diagnosis),
  whatever its status: a flare then may mean recurrence. The window test is the one of
  :mod:`heliotrope.criteria.cancer_associated_myositis`.

Merry E, et al. Clin Sarcoma Res 2020;10:15 (the founding case): the rash of DM faded on
doxorubicin; its flare two months after chemotherapy "was a dramatic, and alarming red flag for
cancer progression, as confirmed on imaging".

Levels: ``alert`` when the rule holds; ``watch`` when it does not but an item that is unknown for
lack of comparison (activity on its first assessment) or an unknown cancer status alone would
make it hold; ``info`` ("review cancer screening per IMACS 2023") for a flare with no qualifying
cancer, when :mod:`heliotrope.screening` is installed. Alerts prompt review; they do not diagnose.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from heliotrope.criteria.cancer_associated_myositis import WINDOW_YEARS
from heliotrope.criteria.readers_extra import on_or_before, within_months
from heliotrope.logic import (
    All,
    Citation,
    Context,
    CriterionResult,
    Decide,
    Definition,
    Evidence,
    Item,
    ItemFinding,
    ItemSpec,
    ItemStatus,
    Truth,
    evaluate,
)
from heliotrope.logic import (
    Any as AnyOf,
)
from heliotrope.model.dates import DateRange, add_months
from heliotrope.model.describe import describe
from heliotrope.model.record import Cancer, PatientRecord
from heliotrope.model.vocabulary import CancerStatus
from heliotrope.timeline.activity import ActivityPoint, Change

__all__ = [
    "CAM_WINDOW_MONTHS",
    "CITATION",
    "RESTAGE_ID",
    "SCREEN_ID",
    "Alert",
    "FlareSituation",
    "alerts_for",
    "restage_definition",
]

RESTAGE_ID = "timeline.restage_alert.v1"
SCREEN_ID = "timeline.screen_note.v1"
CAM_WINDOW_MONTHS = 12 * WINDOW_YEARS
CITATION = Citation(
    authors="Merry E, Smrke A, Halai K, Patel G, Thway K, Jones RL, Benson C",
    title="Paraneoplastic dermatomyositis associated with metastatic leiomyosarcoma of unknown "
    "primary",
    journal="Clin Sarcoma Res",
    year=2020,
    volume_pages="10:15",
    doi="10.1186/s13569-020-00140-w",
)
CAM_WINDOW_NOTE = (
    "Cancer-associated myositis window: cancer within 3 years before or after myositis onset "
    "(spec §6.1; IMACS 2023)."
)
NOT_ASSESSED = "not assessed on this date"
FLARE_ITEMS = ("rash_worse", "weakness_worse", "enzymes_rising", "mmt8_falling", "cdasi_rising")
CANCER_ITEMS = ("cancer_known", "cancer_in_cam_window")

Level = Literal["alert", "watch", "info"]


@dataclass(frozen=True)
class FlareSituation:
    """What the rule reads: the record and one date's DM activity."""

    record: PatientRecord
    point: ActivityPoint


# -- item readers -------------------------------------------------------------------------------


def _from_change(change: Change | None) -> ItemFinding:
    if change is None:
        return ItemFinding(ItemStatus.unknown, note=NOT_ASSESSED)
    if change.trend == "not_assessed":
        return ItemFinding(change.worse, change.evidence, NOT_ASSESSED)
    if change.trend == "baseline" and "nothing earlier" not in change.text:
        return ItemFinding(
            change.worse, change.evidence, f"{change.text} (nothing earlier to compare)"
        )
    return ItemFinding(change.worse, change.evidence, change.text)


def _change(name: str, *alternatives: str) -> Any:
    def read(situation: FlareSituation, context: Context) -> ItemFinding:
        changes = situation.point.changes
        for key in (name, *alternatives):
            if key in changes:
                return _from_change(changes[key])
        return _from_change(None)

    return read


def _before(record: PatientRecord, cancer: Cancer, when: DateRange) -> Truth:
    return on_or_before(record.date_of(cancer.date), when)


def _in_window(record: PatientRecord, cancer: Cancer) -> Truth:
    """Diagnosed within 3 years of myositis onset (the CAM criterion's own window test)."""
    onset = record.myositis_onset
    diagnosed = record.date_of(cancer.date)
    if onset is None or diagnosed is None:
        return Truth.UNKNOWN
    return within_months(diagnosed, onset, CAM_WINDOW_MONTHS)


def _cancer_evidence(record: PatientRecord, index: int) -> Evidence:
    cancer = record.cancers[index]
    when = record.date_of(cancer.date)
    dated = f", diagnosed {when}" if when else ", diagnosis date not recorded"
    return Evidence(
        path=f"cancers[{index}]", summary=describe(cancer) + dated, source=cancer.source
    )


def _over_cancers(
    situation: FlareSituation, test: Any, empty: str, unknown_note: str
) -> ItemFinding:
    record = situation.record
    if not record.cancers:
        return ItemFinding(ItemStatus.absent, note=empty)
    truths = [(i, test(record, c, situation.point.when)) for i, c in enumerate(record.cancers)]
    overall = Truth.any(t for _, t in truths)
    if overall is Truth.TRUE:
        used = [i for i, t in truths if t is Truth.TRUE]
        return ItemFinding(ItemStatus.present, tuple(_cancer_evidence(record, i) for i in used))
    evidence = tuple(_cancer_evidence(record, i) for i, _ in truths)
    if overall is Truth.FALSE:
        return ItemFinding(ItemStatus.absent, evidence)
    return ItemFinding(ItemStatus.unknown, evidence, unknown_note)


def _known(record: PatientRecord, cancer: Cancer, when: DateRange) -> Truth:
    status = {
        CancerStatus.active: Truth.TRUE,
        CancerStatus.remission: Truth.FALSE,
        CancerStatus.unknown: Truth.UNKNOWN,
    }[cancer.status]
    return _before(record, cancer, when) & status


def _windowed(record: PatientRecord, cancer: Cancer, when: DateRange) -> Truth:
    return _before(record, cancer, when) & _in_window(record, cancer)


def _read_known(situation: FlareSituation, context: Context) -> ItemFinding:
    return _over_cancers(
        situation,
        _known,
        "no cancer recorded",
        "cancer status or diagnosis date unknown",
    )


def _read_window(situation: FlareSituation, context: Context) -> ItemFinding:
    if situation.record.cancers and situation.record.myositis_onset is None:
        evidence = tuple(
            _cancer_evidence(situation.record, i) for i in range(len(situation.record.cancers))
        )
        return ItemFinding(ItemStatus.unknown, evidence, "myositis onset not recorded")
    return _over_cancers(
        situation,
        _windowed,
        "no cancer recorded",
        "diagnosis date too imprecise to place against the window",
    )


@cache
def restage_definition() -> Definition:
    """The restaging alert as a kernel definition."""
    items = (
        ItemSpec(
            "rash_worse",
            "New or worse rash",
            "A DM skin sign present that was not present at the previous skin assessment.",
            _change("skin"),
        ),
        ItemSpec(
            "weakness_worse",
            "New or worse weakness",
            "A newly weak muscle region, or a lower MRC grade, than at the previous assessment.",
            _change("muscle"),
        ),
        ItemSpec(
            "enzymes_rising",
            "Rising muscle enzymes",
            "A muscle enzyme above the lab's ULN whose ×ULN rose by 20% or more.",
            _change("enzymes"),
        ),
        ItemSpec(
            "mmt8_falling",
            "Falling MMT-8",
            "MMT-8 lower than at the previous measurement on the same scale.",
            _change("MMT-8", "MMT-8 (0-150)"),
        ),
        ItemSpec(
            "cdasi_rising",
            "Rising CDASI activity",
            "CDASI activity higher than at the previous measurement.",
            _change("CDASI activity"),
        ),
        ItemSpec(
            "cancer_known",
            "Known cancer",
            "A cancer diagnosed on or before this date and not in remission.",
            _read_known,
        ),
        ItemSpec(
            "cancer_in_cam_window",
            "Cancer in the CAM window",
            "A cancer diagnosed on or before this date within 3 years of myositis onset.",
            _read_window,
        ),
    )
    flare = AnyOf(*(Item(k) for k in FLARE_ITEMS))
    cancer = AnyOf(*(Item(k) for k in CANCER_ITEMS))
    return Definition(
        id="restage_alert",
        version=RESTAGE_ID,
        title="DM worsening — restage the cancer",
        citation=CITATION,
        summary="A DM flare while a cancer is known or within the cancer-associated myositis "
        "window prompts restaging of the cancer.",
        items=items,
        outcome=Decide((("restage", All(flare, cancer)),), otherwise="no_alert", label="alert"),
        categories=("no_alert", "restage"),
        outputs={"dm_flare": flare, "cancer_context": cancer},
        kind="risk",
        caveats=(
            CAM_WINDOW_NOTE,
            "Flare = a simple comparison with the previous assessment, not a validated "
            "definition of disease worsening; the alert prompts review, not a diagnosis.",
        ),
        rule="restage when (rash_worse or weakness_worse or enzymes_rising or mmt8_falling or "
        "cdasi_rising) and (cancer_known or cancer_in_cam_window)",
    )


# -- alerts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alert:
    """One alert on the timeline, with the facts and the rule that raised it."""

    id: str
    level: Level
    when: DateRange
    title: str
    message: str
    changes: tuple[str, ...]
    cancers: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    citations: tuple[str, ...]
    result: CriterionResult | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "level": self.level,
            "date": str(self.when),
            "earliest": self.when.earliest.isoformat(),
            "latest": self.when.latest.isoformat(),
            "title": self.title,
            "message": self.message,
            "changes": list(self.changes),
            "cancers": list(self.cancers),
            "evidence": [e.model_dump(mode="json", exclude_none=True) for e in self.evidence],
            "citations": list(self.citations),
            "rule": self.result.to_json() if self.result is not None else None,
        }


def _screening_available() -> bool:
    try:
        return importlib.util.find_spec("heliotrope.screening") is not None
    except (ImportError, ValueError):
        return False


def _watch(result: CriterionResult) -> list[str]:
    """Unknown items (other than 'not assessed on this date') that alone would raise it."""
    by_key = {i.key: i for i in result.items}
    return [key for key in result.pivotal_items if by_key[key].note != NOT_ASSESSED]


def _dedupe(evidence: Iterable[Evidence]) -> tuple[Evidence, ...]:
    return tuple({e.path: e for e in evidence}.values())


def _restage(situation: FlareSituation, result: CriterionResult) -> Alert | None:
    definition = restage_definition()
    items = {i.key: i for i in result.items}
    worse = [items[k] for k in FLARE_ITEMS if items[k].status is ItemStatus.present]
    context = [items[k] for k in CANCER_ITEMS if items[k].status is ItemStatus.present]
    watch = _watch(result) if result.category == "no_alert" else []
    if result.category != "restage" and not watch:
        return None
    when = situation.point.when
    used_flare = worse or [items[k] for k in watch if k in FLARE_ITEMS]
    # Activity that cannot be compared yet (e.g. a first CK above the ULN) supports the alert.
    also = [
        items[k]
        for k in FLARE_ITEMS
        if items[k].status is ItemStatus.unknown
        and items[k].note != NOT_ASSESSED
        and items[k] not in used_flare
    ]
    changes = tuple(i.note or i.label for i in [*used_flare, *also])
    cancers = tuple(
        dict.fromkeys(
            e.summary for i in items.values() if i.key in CANCER_ITEMS for e in i.evidence
        )
    )
    cancer_items = [*context, *(items[k] for k in watch if k in CANCER_ITEMS)]
    evidence = _dedupe(e for i in [*used_flare, *also, *cancer_items] for e in i.evidence)
    citations = (str(CITATION), CAM_WINDOW_NOTE)
    if result.category == "restage":
        why = " and ".join(
            {"cancer_known": "a cancer is known", "cancer_in_cam_window": "within the CAM window"}[
                i.key
            ]
            for i in context
        )
        shown = "; ".join(i.note or i.label for i in used_flare)
        message = (
            f"DM worsening on {when} ({shown}) while {why}: restage the cancer. "
            "In Merry 2020 a DM flare two months after chemotherapy heralded multifocal "
            "progression."
        )
        return Alert(
            RESTAGE_ID,
            "alert",
            when,
            definition.title,
            message,
            changes,
            cancers,
            evidence,
            citations,
            result,
        )
    reasons = "; ".join(f"{items[k].label}: {items[k].note or 'unknown'}" for k in watch)
    message = (
        f"DM activity on {when} could call for restaging, but it cannot be decided ({reasons}). "
        "Watch the next assessment."
    )
    return Alert(
        RESTAGE_ID,
        "watch",
        when,
        "Possible DM worsening with a cancer — watch",
        message,
        changes,
        cancers,
        evidence,
        citations,
        result,
    )


def _screen_note(situation: FlareSituation, result: CriterionResult) -> Alert | None:
    if result.values.get("dm_flare") is not True or result.category == "restage":
        return None
    if not _screening_available():
        return None
    items = {i.key: i for i in result.items}
    if any(items[k].status is not ItemStatus.absent for k in CANCER_ITEMS):
        return None
    worse = [items[k] for k in FLARE_ITEMS if items[k].status is ItemStatus.present]
    changes = tuple(i.note or i.label for i in worse)
    when = situation.point.when
    onset = situation.record.myositis_onset
    inside = ""
    if onset is not None:
        if add_months(onset.earliest, CAM_WINDOW_MONTHS) >= when.latest:
            inside = " It falls within 3 years of myositis onset, the period of raised cancer risk."
        elif add_months(onset.latest, CAM_WINDOW_MONTHS) < when.earliest:
            inside = " It falls more than 3 years after myositis onset."
        else:
            inside = (
                " Whether it falls within 3 years of myositis onset (the period of raised "
                f"cancer risk) depends on the exact onset date ({onset})."
            )
    message = (
        f"DM worsening on {when} ({'; '.join(changes)}) with no known cancer: review cancer "
        f"screening per IMACS 2023 ('heliotrope screening').{inside}"
    )
    return Alert(
        SCREEN_ID,
        "info",
        when,
        "DM worsening, no known cancer — review screening",
        message,
        changes,
        (),
        _dedupe(e for i in worse for e in i.evidence),
        ("Spec §7: IMACS 2023 guideline for IIM-associated cancer screening.",),
        None,
    )


def alerts_for(record: PatientRecord, points: tuple[ActivityPoint, ...]) -> tuple[Alert, ...]:
    """Evaluate the rules on every activity date."""
    out: list[Alert] = []
    for point in points:
        situation = FlareSituation(record, point)
        result = evaluate(restage_definition(), situation, Context(as_of=point.when.latest))
        alert = _restage(situation, result) or _screen_note(situation, result)
        if alert is not None:
            out.append(alert)
    return tuple(out)
