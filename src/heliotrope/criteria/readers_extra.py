"""Record readers shared by the DM, paraneoplastic and cancer-timing criteria (ENMC, Sontheimer,
Graus 2004, cancer-associated myositis), beside the core readers of ``criteria.readers``.

Conventions (documented choices, tested):
- *Mirrored* items ("no clinical weakness", "normal CK") are present only when the record
  documents the absence (weakness examined and absent, CK measured within the lab's range):
  an unexamined muscle is never taken to be normal.
- An antibody *panel* item is present when any antibody of the panel is positive, absent only
  when every antibody of the panel was tested negative, and unknown otherwise.
- Dates are :class:`~heliotrope.model.dates.DateRange` s (partial and relative dates are ranges).
  A window test is *true* when every date the ranges allow is inside the window, *false* when
  every one is outside, and *unknown* when the ranges straddle a window edge or a date is
  missing. Windows are calendar months (``add_months``) and both edges are inclusive.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from heliotrope.criteria import readers as r
from heliotrope.criteria.weakness import symmetric_weakness
from heliotrope.logic import Evidence, ItemFinding, ItemResult, ItemStatus, Node, Truth
from heliotrope.logic.result import trusted
from heliotrope.model.dates import DateRange, add_months
from heliotrope.model.describe import describe
from heliotrope.model.record import Cancer, PatientRecord, derived_cache
from heliotrope.model.resolution import dated_fields, field_path
from heliotrope.model.vocabulary import (
    MUSCLE_ENZYMES_BOHAN_PETER,
    PROXIMAL_LOWER,
    PROXIMAL_UPPER,
    Analyte,
    AntibodyName,
    AntibodyResult,
    CancerStatus,
    FindingCode,
    InvestigationFinding,
    InvestigationKind,
    Status,
)

__all__ = [
    "HALLMARK_SKIN",
    "CancerTiming",
    "antibody_panel",
    "cancer_timings",
    "date_evidence",
    "day_interval",
    "hallmark_skin",
    "headline_category",
    "investigation_normal",
    "last_follow_up",
    "mirror",
    "muscle_involvement",
    "no_clinical_weakness",
    "normal_enzymes",
    "on_or_before",
    "positive_antibodies",
    "proximal_weakness",
    "syndrome_date",
    "truth_status",
    "within_months",
]

# The three hallmark ("pathognomonic") cutaneous signs of DM (EULAR/ACR items 7-9; the ENMC
# 2018 skin domain).
HALLMARK_SKIN = (
    FindingCode.heliotrope_rash,
    FindingCode.gottron_papules,
    FindingCode.gottron_sign,
)

_STATUS = {Truth.TRUE: ItemStatus.present, Truth.FALSE: ItemStatus.absent}


def truth_status(truth: Truth) -> ItemStatus:
    """The item status of a three-valued truth."""
    return _STATUS.get(truth, ItemStatus.unknown)


def headline_category(outcome: Node, found: Mapping[str, ItemResult]) -> str:
    """The category a decision list gives with unknown items counted as absent (the headline
    convention), for ``derive`` functions whose values depend on the category. It depends on
    the outcome and which items are present alone, so it is kept per pair (issue 13)."""
    present = tuple(i.status is ItemStatus.present for i in found.values())
    memo = (id(outcome), tuple(found), present)
    kept = _HEADLINES.get(memo)
    if kept is not None and kept[0] is outcome:
        return kept[1]
    env = {k: Truth.TRUE if p else Truth.FALSE for k, p in zip(found, present, strict=True)}
    value = outcome.evaluate(env).value
    if not isinstance(value, frozenset) or len(value) != 1:
        raise TypeError(f"the outcome did not reduce to one category: {value!r}")
    category: str = next(iter(value))
    if len(_HEADLINES) >= _KEEP_HEADLINES:
        _HEADLINES.clear()
    _HEADLINES[memo] = (outcome, category)  # the outcome held: its id is not reused
    return category


_HEADLINES: dict[tuple[int, tuple[str, ...], tuple[bool, ...]], tuple[Node, str]] = {}
_KEEP_HEADLINES = 4096


# -- findings ------------------------------------------------------------------------------
def hallmark_skin(record: PatientRecord, *, include_unspecified: bool = False) -> ItemFinding:
    """Any hallmark DM skin sign; ``include_unspecified`` also accepts a clinician's "typical
    DM rash" (``dm_rash``) whose sign is not named."""
    codes = HALLMARK_SKIN + ((FindingCode.dm_rash,) if include_unspecified else ())
    return r.finding(record, *r.recorded(record, codes))


@r.per_record
def proximal_weakness(record: PatientRecord) -> ItemFinding:
    """Objective symmetric proximal weakness of the upper or lower limbs (findings with their
    side, or MRC grades): one-sided weakness does not count (``criteria.weakness``)."""
    return r.combine(
        symmetric_weakness(record, FindingCode.weakness_proximal_upper, PROXIMAL_UPPER),
        symmetric_weakness(record, FindingCode.weakness_proximal_lower, PROXIMAL_LOWER),
    )


@r.per_record
def _both_absent(record: PatientRecord) -> ItemFinding:
    upper = r.weakness(record, FindingCode.weakness_proximal_upper, PROXIMAL_UPPER)
    lower = r.weakness(record, FindingCode.weakness_proximal_lower, PROXIMAL_LOWER)
    if ItemStatus.present in (upper.status, lower.status):
        return r.combine(upper, lower)
    if upper.status is ItemStatus.absent and lower.status is ItemStatus.absent:
        return ItemFinding(ItemStatus.absent, upper.evidence + lower.evidence)
    return ItemFinding(
        ItemStatus.unknown,
        upper.evidence + lower.evidence,
        "proximal strength not documented in both upper and lower limbs",
    )


def mirror(found: ItemFinding, note: str | None = None) -> ItemFinding:
    """The negation of a finding: present when it was documented absent, and vice versa;
    ``note`` explains a present result."""
    flipped = {
        ItemStatus.present: ItemStatus.absent,
        ItemStatus.absent: ItemStatus.present,
        ItemStatus.unknown: ItemStatus.unknown,
    }[found.status]
    return ItemFinding(flipped, found.evidence, note if flipped is ItemStatus.present else None)


def no_clinical_weakness(record: PatientRecord) -> ItemFinding:
    """No clinical (proximal) weakness, documented in both upper and lower limbs."""
    return mirror(_both_absent(record), "weakness examined and absent")


@r.per_record
def normal_enzymes(record: PatientRecord, analytes: frozenset[Analyte]) -> ItemFinding:
    """Every measured value of ``analytes`` at or below the lab's ULN (at least one measured)."""
    found = r.elevated_enzymes(record, analytes)
    if found.status is ItemStatus.unknown:
        return found
    return mirror(found, "measured within the lab's range")


@r.per_record
def muscle_involvement(record: PatientRecord) -> ItemFinding:
    """Clinical or subclinical muscle involvement: proximal weakness, raised muscle enzymes,
    myopathic EMG, MRI muscle oedema, or inflammatory changes on muscle biopsy."""
    return r.combine(
        # Any proximal weakness is muscle involvement, one-sided or not.
        r.weakness(record, FindingCode.weakness_proximal_upper, PROXIMAL_UPPER),
        r.weakness(record, FindingCode.weakness_proximal_lower, PROXIMAL_LOWER),
        # ALT is a muscle enzyme here as in EULAR/ACR and Bohan & Peter (issue 7).
        r.elevated_enzymes(record, MUSCLE_ENZYMES_BOHAN_PETER),
        r.investigation_finding(record, InvestigationKind.emg, [InvestigationFinding.myopathic]),
        r.investigation_finding(
            record, InvestigationKind.mri, [InvestigationFinding.muscle_oedema]
        ),
        r.investigation_finding(
            record,
            InvestigationKind.muscle_biopsy,
            [
                InvestigationFinding.inflammatory_myopathy,
                InvestigationFinding.perifascicular_atrophy,
                InvestigationFinding.perimysial_perivascular_infiltrate,
                InvestigationFinding.endomysial_infiltrate,
                InvestigationFinding.perifascicular_mxa,
            ],
        ),
    )


# -- antibodies ----------------------------------------------------------------------------
def positive_antibodies(
    record: PatientRecord, names: Iterable[AntibodyName]
) -> tuple[AntibodyName, ...]:
    """The antibodies of ``names`` with a positive result, in ``names`` order."""
    positive = {t.name for t in record.antibodies if t.result == AntibodyResult.positive}
    return tuple(n for n in names if n in positive)


@r.per_record
def antibody_panel(record: PatientRecord, names: Sequence[AntibodyName]) -> ItemFinding:
    """Any of ``names`` positive; absent only if every one was tested negative (kept per
    record and panel)."""
    findings = {name: r.antibody(record, name) for name in names}
    positive = [f for f in findings.values() if f.status is ItemStatus.present]
    if positive:
        return ItemFinding(ItemStatus.present, tuple(e for f in positive for e in f.evidence))
    evidence = tuple(e for f in findings.values() for e in f.evidence)
    if all(f.status is ItemStatus.absent for f in findings.values()):
        return ItemFinding(ItemStatus.absent, evidence, "all tested negative")
    open_ = [n.value for n, f in findings.items() if f.status is ItemStatus.unknown]
    return ItemFinding(ItemStatus.unknown, evidence, "not tested or equivocal: " + ", ".join(open_))


# -- dates ---------------------------------------------------------------------------------
def day_interval(later: DateRange, earlier: DateRange) -> tuple[int, int]:
    """The (lowest, highest) number of days ``later − earlier`` the two ranges allow."""
    return (
        (later.earliest - earlier.latest).days,
        (later.latest - earlier.earliest).days,
    )


def within_months(when: DateRange, anchor: DateRange, months: int) -> Truth:
    """Is ``when`` within ``months`` calendar months before or after ``anchor`` (inclusive)?"""
    low_edge = add_months(anchor.latest, -months)  # the latest possible lower edge
    high_edge = add_months(anchor.earliest, months)  # the earliest possible upper edge
    if when.earliest >= low_edge and when.latest <= high_edge:
        return Truth.TRUE
    if when.latest < add_months(anchor.earliest, -months):
        return Truth.FALSE
    if when.earliest > add_months(anchor.latest, months):
        return Truth.FALSE
    return Truth.UNKNOWN


def on_or_before(when: DateRange | None, anchor: DateRange) -> Truth:
    """Is ``when`` on or before ``anchor``? Unknown when a range straddles it or ``when`` is
    missing."""
    if when is None:
        return Truth.UNKNOWN
    if when.latest <= anchor.earliest:
        return Truth.TRUE
    if when.earliest > anchor.latest:
        return Truth.FALSE
    return Truth.UNKNOWN


def date_evidence(path: str, label: str, when: DateRange | None) -> Evidence:
    """Evidence naming a date (or that it was not recorded)."""
    shown = str(when) if when is not None else "not recorded"
    return r.plain_evidence(path, f"{label}: {shown}")


def last_follow_up(record: PatientRecord) -> DateRange | None:
    """The latest date the record documents (the end of its follow-up), or None.

    The range's ``earliest`` is the date follow-up certainly reached.
    """
    cache = derived_cache(record)
    if _LAST_FOLLOW_UP in cache:
        found: DateRange | None = cache[_LAST_FOLLOW_UP]
        return found
    latest: DateRange | None = None
    for _path, _name, spec in dated_fields(record):
        when = record.date_of(spec)
        if when is not None and (latest is None or when.earliest > latest.earliest):
            latest = when
    cache[_LAST_FOLLOW_UP] = latest
    return latest


_LAST_FOLLOW_UP = "last_follow_up"  # its key in the record's derived cache


def syndrome_date(record: PatientRecord) -> tuple[str, DateRange | None]:
    """Date of diagnosis of the (paraneoplastic) syndrome: myositis diagnosis, else onset."""
    diagnosis = record.date_of(record.myositis.diagnosis)
    if diagnosis is not None:
        return "myositis.diagnosis", diagnosis
    return "myositis.onset", record.date_of(record.myositis.onset)


@dataclass(frozen=True)
class CancerTiming:
    """One recorded cancer against an anchor date: its date range and the signed interval
    (cancer diagnosis − anchor, days; negative = cancer first)."""

    path: str
    cancer: Cancer
    when: DateRange | None
    interval: tuple[int, int] | None

    @property
    def evidence(self) -> Evidence:
        return trusted(
            Evidence,
            path=self.path,
            summary=f"{describe(self.cancer)}, diagnosed {self.when or 'on an unrecorded date'}",
            source=self.cancer.source,
        )

    def within(self, anchor: DateRange, months: int) -> Truth:
        return Truth.UNKNOWN if self.when is None else within_months(self.when, anchor, months)

    def before(self, anchor: DateRange) -> Truth:
        """Diagnosed on or before ``anchor``?"""
        return on_or_before(self.when, anchor)

    def active_at(self, anchor: DateRange) -> Truth:
        """Diagnosed on or before ``anchor`` and still active (a cancer recorded as active is
        taken to have been active since its diagnosis; one in remission or of unknown status
        may or may not have been active then)."""
        status = Truth.TRUE if self.cancer.status == CancerStatus.active else Truth.UNKNOWN
        return self.before(anchor) & status


def cancer_timings(record: PatientRecord, anchor: DateRange) -> list[CancerTiming]:
    """Every recorded cancer with its date and signed interval to ``anchor``."""
    out = []
    for index, cancer in enumerate(record.cancers):
        when = record.date_of(cancer.date)
        interval = day_interval(when, anchor) if when is not None else None
        out.append(CancerTiming(field_path("cancers", index), cancer, when, interval))
    return out


@r.per_record
def investigation_normal(record: PatientRecord, kind: InvestigationKind) -> ItemFinding:
    """An investigation performed and reported normal (its abnormal findings absent)."""
    done = [
        (p, e) for p, e in r.record_index(record).investigations if e.kind == kind and e.performed
    ]
    if not done:
        return ItemFinding(ItemStatus.unknown, (), "not performed or not recorded")
    abnormal = [
        (p, e)
        for p, e in done
        if any(
            s == Status.present and f != InvestigationFinding.normal for f, s in e.findings.items()
        )
    ]
    if abnormal:
        return ItemFinding(ItemStatus.absent, r.evidence(record, abnormal), "abnormal")
    normal = [
        (p, e)
        for p, e in done
        if e.findings.get(InvestigationFinding.normal) == Status.present
        or (e.findings and all(s == Status.absent for s in e.findings.values()))
    ]
    if normal:
        return ItemFinding(ItemStatus.present, r.evidence(record, normal), "reported normal")
    return ItemFinding(ItemStatus.unknown, r.evidence(record, done), "result not reported")
