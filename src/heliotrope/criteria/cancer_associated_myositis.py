"""Cancer-associated myositis (CAM): cancer diagnosed within 3 years before or after myositis
onset.

Definition as used by the IMACS 2023 cancer-screening guideline (Oldroyd AGS, Callen JP,
Chinoy H, et al. Nat Rev Rheumatol 2023;19:805–817, doi 10.1038/s41584-023-01045-w: "increased
cancer risk within the 3 years preceding and following IIM onset") and by the cohorts cited in
spec §6.1 (Humanitas cohort; ACR 2016 anti-TIF1γ abstract; SCRIM score).

The rule
- ``yes``: a cancer diagnosed within 3 calendar years (inclusive) before or after the anchor.
- ``no``: no cancer in the window **and** the whole window is observed: the record's follow-up
  (its latest dated entry) reaches 3 years after the anchor. Absence of a cancer entry is not
  proof of no cancer: while the window is still open the answer is ``unknown``, never ``no``.
  (A retrospective record is taken to document cancers diagnosed before the anchor.)
- ``unknown`` otherwise: a date missing, partial or relative dates straddling a window edge, or
  the window not yet fully observed. The headline is three-valued (``headline="kleene"``).

Anchor (spec §6.1 ambiguity): the myositis symptom onset (``myositis.onset``) by default, as
IMACS words it; option ``cam_anchor: diagnosis`` uses the diagnosis date. Without an onset date
the diagnosis date is used (and said). The result reports the category with the other anchor
and whether it differs.

Values: ``interval_days`` — cancer diagnosis − anchor, in days (negative: cancer first), exact
dates only; ``interval_days_range`` — the [lowest, highest] interval partial dates allow;
``cancer`` — the record path of the cancer used; ``anchor``, ``anchor_date``, ``window``,
``follow_up_until``, ``category_other_anchor``, ``anchor_changes_category``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Literal

from heliotrope.criteria import readers_extra as rx
from heliotrope.errors import CriteriaError
from heliotrope.logic import (
    Citation,
    Context,
    CriterionResult,
    Decide,
    Definition,
    Derived,
    Item,
    ItemFinding,
    ItemResult,
    ItemSpec,
    ItemStatus,
    Truth,
    evaluate,
)
from heliotrope.model.dates import DateRange, add_months
from heliotrope.model.record import PatientRecord

__all__ = [
    "CATEGORIES",
    "CITATION",
    "ID",
    "VERSION",
    "WINDOW_YEARS",
    "CamAnalysis",
    "analyse",
    "assess",
    "definition",
]

ID = "cancer_associated_myositis"
VERSION = "cancer.cancer_associated_myositis.v1"
CITATION = Citation(
    authors="Oldroyd AGS, Callen JP, Chinoy H, et al.",
    title="International Guideline for Idiopathic Inflammatory Myopathy-Associated Cancer "
    "Screening: an International Myositis Assessment and Clinical Studies Group (IMACS) "
    "initiative",
    journal="Nat Rev Rheumatol",
    year=2023,
    volume_pages="19:805–817",
    doi="10.1038/s41584-023-01045-w",
)
CATEGORIES = ("no", "yes")
WINDOW_YEARS = 3
Anchor = Literal["onset", "diagnosis"]
_STATUS_CATEGORY = {ItemStatus.present: "yes", ItemStatus.absent: "no"}


@dataclass(frozen=True)
class CamAnalysis:
    """Everything the CAM item and values need, for one anchor."""

    finding: ItemFinding
    anchor: Anchor | None
    anchor_date: DateRange | None
    timing: rx.CancerTiming | None
    follow_up: DateRange | None

    @property
    def category(self) -> str:
        return _STATUS_CATEGORY.get(self.finding.status, "unknown")


def _anchor(record: PatientRecord, wanted: Anchor) -> tuple[Anchor | None, DateRange | None]:
    onset = record.date_of(record.myositis.onset)
    diagnosis = record.date_of(record.myositis.diagnosis)
    if wanted == "diagnosis":
        return ("diagnosis", diagnosis) if diagnosis else (None, None)
    if onset is not None:
        return "onset", onset
    return ("diagnosis", diagnosis) if diagnosis else (None, None)


def analyse(record: PatientRecord, wanted: Anchor = "onset", strict: bool = False) -> CamAnalysis:
    """Decide CAM against the ``wanted`` anchor (``strict``: no fallback to the other date)."""
    anchor, when = _anchor(record, wanted)
    follow = rx.last_follow_up(record)
    if when is None or (strict and anchor != wanted):
        finding = ItemFinding(ItemStatus.unknown, (), f"myositis {wanted} date not recorded")
        return CamAnalysis(finding, None, None, None, follow)
    assert anchor is not None
    months = 12 * WINDOW_YEARS
    anchor_ev = rx.date_evidence(f"myositis.{anchor}", f"myositis {anchor}", when)
    timings = rx.cancer_timings(record, when)
    inside = [t for t in timings if t.within(when, months) is Truth.TRUE]
    if inside:
        first = min(inside, key=lambda t: abs(t.interval[0]) if t.interval else 0)
        finding = ItemFinding(
            ItemStatus.present,
            (anchor_ev, first.evidence),
            f"cancer diagnosed within {WINDOW_YEARS} years of myositis {anchor}",
        )
        return CamAnalysis(finding, anchor, when, first, follow)
    open_ = [t for t in timings if t.within(when, months) is Truth.UNKNOWN]
    if open_:
        first = open_[0]
        note = (
            "cancer diagnosis date not recorded"
            if first.when is None
            else "partial dates straddle the edge of the window"
        )
        finding = ItemFinding(ItemStatus.unknown, (anchor_ev, first.evidence), note)
        return CamAnalysis(finding, anchor, when, first, follow)
    nearest = min(timings, key=_distance, default=None)
    evidence = (anchor_ev, nearest.evidence) if nearest else (anchor_ev,)
    window_end = add_months(when.latest, months)
    if follow is not None and follow.earliest >= window_end:
        evidence = (*evidence, rx.date_evidence("record", "follow-up until", follow))
        finding = ItemFinding(
            ItemStatus.absent,
            evidence,
            f"no cancer diagnosed within {WINDOW_YEARS} years; follow-up covers the window",
        )
    else:
        finding = ItemFinding(
            ItemStatus.unknown,
            evidence,
            f"no cancer in the window so far, but follow-up ({follow or 'undated'}) ends before "
            f"the window closes ({window_end}): absence of a cancer entry is not proof of none",
        )
    return CamAnalysis(finding, anchor, when, nearest, follow)


def _distance(timing: rx.CancerTiming) -> int:
    return min(abs(timing.interval[0]), abs(timing.interval[1])) if timing.interval else 0


def _wanted(ctx: Context) -> Anchor:
    value = str(ctx.option("cam_anchor", "onset"))
    if value not in ("onset", "diagnosis"):
        raise CriteriaError(f"cam_anchor must be 'onset' or 'diagnosis', not {value!r}.")
    return "onset" if value == "onset" else "diagnosis"


def _read(record: PatientRecord, ctx: Context) -> ItemFinding:
    return analyse(record, _wanted(ctx)).finding


@cache
def definition() -> Definition:
    """CAM: a cancer within 3 years before or after myositis onset (three-valued)."""
    return Definition(
        id=ID,
        version=VERSION,
        title="Cancer-associated myositis (±3-year window)",
        citation=CITATION,
        summary="Cancer diagnosed within 3 years before or after myositis onset; unknown until "
        "dates and follow-up allow a decision.",
        items=(
            ItemSpec(
                "cancer_within_3_years",
                "Cancer within 3 years of myositis onset",
                "a cancer diagnosed from 3 years before to 3 years after the anchor (inclusive)",
                _read,
            ),
        ),
        outcome=Decide((("yes", Item("cancer_within_3_years")),), otherwise="no", label="category"),
        categories=CATEGORIES,
        headline="kleene",
        kind="classification",
        rule="yes: a cancer diagnosed within ±3 years of the anchor (default: symptom onset); "
        "no: none, with follow-up through the whole window; unknown otherwise.",
        derive=_derive,
    )


def _derive(record: PatientRecord, ctx: Context, _found: Mapping[str, ItemResult]) -> Derived:
    wanted = _wanted(ctx)
    main = analyse(record, wanted)
    other_name: Anchor = "diagnosis" if main.anchor == "onset" else "onset"
    other = analyse(record, other_name, strict=True)
    interval = main.timing.interval if main.timing else None
    values: dict[str, object] = {
        "interval_days": interval[0] if interval and interval[0] == interval[1] else None,
        "interval_days_range": list(interval) if interval else None,
        "cancer": main.timing.path if main.timing else None,
        "anchor": main.anchor,
        "anchor_date": str(main.anchor_date) if main.anchor_date else None,
        "window": _window(main.anchor_date),
        "follow_up_until": str(main.follow_up) if main.follow_up else None,
        "category_other_anchor": other.category if other.anchor else None,
        "anchor_changes_category": (
            other.category != main.category if other.anchor is not None else None
        ),
    }
    caveats: list[str] = []
    notes: list[str] = []
    if main.anchor is not None and main.anchor != wanted:
        notes.append(f"No myositis {wanted} date: the {main.anchor} date was used as the anchor.")
    if values["anchor_changes_category"]:
        caveats.append(
            f"The category depends on the anchor: '{main.category}' from the myositis "
            f"{main.anchor}, '{other.category}' from the {other.anchor} (spec §6.1)."
        )
    if interval and interval[0] != interval[1]:
        notes.append(
            f"Partial or relative dates: the interval lies between {interval[0]} and "
            f"{interval[1]} days."
        )
    return Derived(values=values, caveats=tuple(caveats), notes=tuple(notes))


def _window(anchor: DateRange | None) -> list[str] | None:
    if anchor is None:
        return None
    months = 12 * WINDOW_YEARS
    return [
        add_months(anchor.earliest, -months).isoformat(),
        add_months(anchor.latest, months).isoformat(),
    ]


def assess(record: PatientRecord, context: Context | None = None) -> CriterionResult:
    """Is ``record`` cancer-associated myositis (±3 years)?"""
    return evaluate(definition(), record, context)
