"""DM activity on each date the record assesses it, and how it changed since the last time.

A simple, documented state (not a validated instrument; use MMT-8 and CDASI when recorded):

* **skin** — DM skin signs present and absent on that date, and a *skin score*: 2 points for
  each hallmark sign (heliotrope rash, Gottron's papules, Gottron's sign, a rash called typical of
  DM) and 1 for each supportive sign (shawl, V, holster, periungual erythema, nailfold changes,
  mechanic's hands, flagellate or photodistributed erythema, periorbital oedema, ulceration).
  Calcinosis is damage, not activity, and is left out.
* **muscle** — weak regions (proximal upper/lower, neck flexors, distal, truncal) and the lowest
  MRC grade recorded that day (findings' and activity assessments' grades).
* **enzymes** — each muscle enzyme (CK, aldolase, LDH, AST, ALT: the IMACS core-set enzymes,
  spec §8.1) as a multiple of the reporting lab's ULN (spec §10), and the most abnormal.
* **measures** — MMT-8 (0-80 or 0-150), CDASI activity, physician global (spec §8.4), read
  through :func:`heliotrope.activity.activity_series`.

Each domain is compared with the last earlier date that assessed it (:class:`Change`):

* rash *worse*: a sign present that was not present then (``new`` when none was);
* weakness *worse*: a newly weak region, or a lower lowest MRC grade;
* enzymes *rising*: an enzyme above its ULN now whose ×ULN is at least
  :data:`ENZYME_RISE` times its last value. A censored value ("CK < 150", "> 2000") is the
  interval of values it allows, never an exact value: a rise must hold for every value in both
  intervals; when it holds for some only, the change is ``uncertain`` (a possible flare);
* MMT-8 *falling* (any fall on the same scale); CDASI activity *rising* (any rise); a first
  MMT-8 below full strength, or a first CDASI activity above 0, is a ``baseline``.

Improvement is ``better``, or ``resolved`` when everything seen before is now recorded absent
(a sign not re-examined is not assumed gone). A domain active on the first date it is assessed
is a ``baseline``: there is nothing earlier to
compare, so whether it is a flare is unknown. A domain not assessed on a date is unknown there.
A **DM flare** is any domain worse than at the previous assessment.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from heliotrope.activity import activity_series
from heliotrope.activity.core_set import TIS_ENZYMES
from heliotrope.logic import Evidence, ItemStatus
from heliotrope.model.dates import DateRange
from heliotrope.model.describe import describe
from heliotrope.model.record import (
    ActivityAssessment,
    Finding,
    LabResult,
    MuscleGrade,
    PatientRecord,
)
from heliotrope.model.vocabulary import (
    Analyte,
    FindingCode,
    Status,
)
from heliotrope.timeline.events import path_key
from heliotrope.timeline.treatments import treatment_span

__all__ = [
    "ENZYME_RISE",
    "HALLMARK_SKIN",
    "SUPPORTIVE_SKIN",
    "WEAKNESS",
    "ActivityPoint",
    "Change",
    "EnzymeState",
    "MeasureState",
    "MuscleState",
    "SkinState",
    "activity_points",
]

HALLMARK_SKIN: tuple[FindingCode, ...] = (
    FindingCode.heliotrope_rash,
    FindingCode.gottron_papules,
    FindingCode.gottron_sign,
    FindingCode.dm_rash,
)
SUPPORTIVE_SKIN: tuple[FindingCode, ...] = (
    FindingCode.shawl_sign,
    FindingCode.v_sign,
    FindingCode.holster_sign,
    FindingCode.periungual_erythema,
    FindingCode.nailfold_capillary_changes,
    FindingCode.mechanics_hands,
    FindingCode.flagellate_erythema,
    FindingCode.photodistributed_erythema,
    FindingCode.periorbital_oedema,
    FindingCode.cutaneous_ulceration,
)
WEAKNESS: tuple[FindingCode, ...] = (
    FindingCode.weakness_proximal_upper,
    FindingCode.weakness_proximal_lower,
    FindingCode.weakness_neck_flexors,
    FindingCode.weakness_distal,
    FindingCode.weakness_truncal,
)
#: Enzymes count as rising when their ×ULN is at least this multiple of the last value.
ENZYME_RISE = 1.2
ENZYMES = TIS_ENZYMES

Trend = Literal[
    "new", "worse", "same", "better", "resolved", "baseline", "uncertain", "not_assessed"
]
_WORSE_STATUS = {
    "uncertain": ItemStatus.unknown,
    "new": ItemStatus.present,
    "worse": ItemStatus.present,
    "same": ItemStatus.absent,
    "better": ItemStatus.absent,
    "resolved": ItemStatus.absent,
    "baseline": ItemStatus.unknown,
    "not_assessed": ItemStatus.unknown,
}


def _name(code: Any) -> str:
    return str(getattr(code, "value", code)).replace("_", " ")


def _ev(path: str, entry: Any, when: DateRange) -> Evidence:
    summary = describe(entry)
    return Evidence(path=path, summary=f"{summary} [{when}]", source=getattr(entry, "source", None))


@dataclass(frozen=True)
class SkinState:
    present: tuple[FindingCode, ...]
    absent: tuple[FindingCode, ...]
    coded: tuple[tuple[FindingCode, Evidence], ...]

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        return tuple(e for _, e in self.coded)

    def evidence_for(self, codes: Iterable[FindingCode]) -> tuple[Evidence, ...]:
        wanted = set(codes)
        return tuple(e for c, e in self.coded if c in wanted)

    @property
    def score(self) -> int:
        return sum(2 if code in HALLMARK_SKIN else 1 for code in self.present)

    @property
    def label(self) -> str:
        if not self.present:
            return "no DM skin signs"
        return f"score {self.score}: " + ", ".join(_name(c) for c in self.present)


@dataclass(frozen=True)
class MuscleState:
    weak: tuple[FindingCode, ...]
    not_weak: tuple[FindingCode, ...]
    lowest_mrc: float | None
    grades: tuple[str, ...]
    coded: tuple[tuple[FindingCode | None, Evidence], ...]

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        return tuple(e for _, e in self.coded)

    @property
    def weak_evidence(self) -> tuple[Evidence, ...]:
        """Evidence of weakness: weak findings and activity grades."""
        return tuple(e for c, e in self.coded if c is None or c in self.weak)

    @property
    def is_weak(self) -> bool:
        return bool(self.weak) or (self.lowest_mrc is not None and self.lowest_mrc < 5)

    @property
    def label(self) -> str:
        if not self.is_weak:
            return "no weakness"
        regions = ", ".join(_name(c).removeprefix("weakness ") for c in self.weak)
        grade = f" (MRC {', '.join(self.grades)})" if self.grades else ""
        return f"weak: {regions or 'graded'}{grade}"


@dataclass(frozen=True)
class EnzymeState:
    """Enzymes of one date as ×ULN. ``times_uln`` holds the reported numbers; ``bounds`` the
    true values they allow: a censored result ("CK < 150", "> 2000") is an interval, never
    an exact value (issue 7)."""

    times_uln: tuple[tuple[Analyte, float], ...]
    evidence: tuple[Evidence, ...]
    bounds: tuple[tuple[Analyte, float, float], ...] = ()
    censored: tuple[tuple[Analyte, str], ...] = ()

    def bounds_of(self, analyte: Analyte) -> tuple[float, float] | None:
        """(lowest, highest) true ×ULN of ``analyte`` that day (exact values: lo == hi)."""
        found = [(lo, hi) for a, lo, hi in self.bounds if a == analyte]
        if not found:
            value = self.of(analyte)
            return None if value is None else (value, value)
        return max(lo for lo, _ in found), max(hi for _, hi in found)

    @property
    def highest(self) -> tuple[Analyte, float] | None:
        return max(self.times_uln, key=lambda item: item[1]) if self.times_uln else None

    def of(self, analyte: Analyte) -> float | None:
        values = [v for a, v in self.times_uln if a == analyte]
        return max(values) if values else None

    @property
    def label(self) -> str:
        top = self.highest
        if top is None:
            return "not measured against a range"
        return f"{top[0].value.upper()} {top[1]:.2f}×ULN"


@dataclass(frozen=True)
class MeasureState:
    mmt8: float | None
    mmt8_bilateral: float | None
    cdasi_activity: float | None
    physician_global: float | None
    evidence: tuple[Evidence, ...]

    @property
    def label(self) -> str:
        shown = (
            ("MMT-8 {:g}/80", self.mmt8),
            ("MMT-8 {:g}/150", self.mmt8_bilateral),
            ("CDASI {:g}", self.cdasi_activity),
            ("PGA {:g}", self.physician_global),
        )
        return ", ".join(text.format(value) for text, value in shown if value is not None) or "none"


@dataclass(frozen=True)
class Change:
    """How one domain compares with its previous assessment."""

    domain: str
    trend: Trend
    text: str
    evidence: tuple[Evidence, ...] = ()
    previous: DateRange | None = None

    @property
    def worse(self) -> ItemStatus:
        """present = worse than before, absent = not worse, unknown = cannot compare."""
        return _WORSE_STATUS[self.trend]

    def to_json(self) -> dict[str, Any]:
        return {
            "trend": self.trend,
            "text": self.text,
            "previous": str(self.previous) if self.previous else None,
            "evidence": [e.path for e in self.evidence],
        }


@dataclass(frozen=True)
class ActivityPoint:
    """DM activity on one date, and each domain's change since its previous assessment."""

    when: DateRange
    skin: SkinState | None
    muscle: MuscleState | None
    enzymes: EnzymeState | None
    measures: MeasureState | None
    changes: dict[str, Change] = field(default_factory=dict)
    on_treatment: tuple[str, ...] = ()

    @property
    def flare(self) -> Literal["yes", "possible", "no"]:
        """yes: a domain is worse; possible: active on its first assessment; no otherwise."""
        if any(c.worse is ItemStatus.present for c in self.changes.values()):
            return "yes"
        if any(c.trend in ("baseline", "uncertain") for c in self.changes.values()):
            return "possible"
        return "no"

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        parts = (self.skin, self.muscle, self.enzymes, self.measures)
        return tuple(e for p in parts if p is not None for e in p.evidence)

    def to_json(self) -> dict[str, Any]:
        return {
            "date": str(self.when),
            "skin": None
            if self.skin is None
            else {
                "present": [c.value for c in self.skin.present],
                "absent": [c.value for c in self.skin.absent],
                "score": self.skin.score,
            },
            "muscle": None
            if self.muscle is None
            else {
                "weak": [c.value for c in self.muscle.weak],
                "not_weak": [c.value for c in self.muscle.not_weak],
                "lowest_mrc": _round(self.muscle.lowest_mrc),
                "grades": list(self.muscle.grades),
            },
            "enzymes": None
            if self.enzymes is None
            else {a.value: round(v, 3) for a, v in self.enzymes.times_uln},
            "enzymes_censored": None
            if self.enzymes is None or not self.enzymes.censored
            else {a.value: c for a, c in self.enzymes.censored},
            "measures": None
            if self.measures is None
            else {
                "mmt8": self.measures.mmt8,
                "mmt8_bilateral": self.measures.mmt8_bilateral,
                "cdasi_activity": self.measures.cdasi_activity,
                "physician_global": self.measures.physician_global,
            },
            "changes": {k: v.to_json() for k, v in self.changes.items()},
            "flare": self.flare,
            "on_treatment": list(self.on_treatment),
            "evidence": [e.path for e in self.evidence],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


# -- reading one date ---------------------------------------------------------------------------


def _skin(items: Sequence[tuple[str, Finding]], when: DateRange) -> SkinState | None:
    codes = set(HALLMARK_SKIN) | set(SUPPORTIVE_SKIN)
    used = [(p, f) for p, f in items if f.code in codes and f.status != Status.not_assessed]
    if not used:
        return None
    present = tuple(dict.fromkeys(f.code for _, f in used if f.status == Status.present))
    absent = tuple(
        dict.fromkeys(
            f.code for _, f in used if f.status == Status.absent and f.code not in present
        )
    )
    return SkinState(present, absent, tuple((f.code, _ev(p, f, when)) for p, f in used))


def _muscle(
    findings: Sequence[tuple[str, Finding]],
    assessments: Sequence[tuple[str, ActivityAssessment]],
    when: DateRange,
) -> MuscleState | None:
    used = [(p, f) for p, f in findings if f.code in WEAKNESS and f.status != Status.not_assessed]
    grades: list[MuscleGrade] = [g for _, f in used for g in f.grades]
    graded = [(p, a) for p, a in assessments if a.grades]
    grades += [g for _, a in graded for g in a.grades]
    if not used and not grades:
        return None
    weak = tuple(dict.fromkeys(f.code for _, f in used if f.status == Status.present))
    not_weak = tuple(
        dict.fromkeys(f.code for _, f in used if f.status == Status.absent and f.code not in weak)
    )
    lowest = min((g.bounds[0] for g in grades), default=None)
    labels = tuple(dict.fromkeys(f"{g.muscle.value} {g.mrc}" for g in grades))
    coded: list[tuple[FindingCode | None, Evidence]] = [(f.code, _ev(p, f, when)) for p, f in used]
    coded += [(None, _ev(p, a, when)) for p, a in graded]
    return MuscleState(weak, not_weak, lowest, labels, tuple(coded))


def _enzymes(items: Sequence[tuple[str, LabResult]], when: DateRange) -> EnzymeState | None:
    used = [(p, lab) for p, lab in items if lab.analyte in ENZYMES and lab.times_uln is not None]
    if not used:
        return None
    values = tuple((lab.analyte, float(lab.times_uln or 0.0)) for _, lab in used)
    bounds = tuple(
        (lab.analyte, *_censored_bounds(float(lab.times_uln or 0.0), lab.comparator))
        for _, lab in used
    )
    censored = tuple((lab.analyte, lab.comparator) for _, lab in used if lab.comparator)
    return EnzymeState(values, tuple(_ev(p, lab, when) for p, lab in used), bounds, censored)


def _censored_bounds(value: float, comparator: str | None) -> tuple[float, float]:
    """The true values a (possibly censored) result allows: '< v' is [0, v], '> v' [v, ∞)."""
    if comparator in ("<", "<="):
        return 0.0, value
    if comparator in (">", ">="):
        return value, math.inf
    return value, value


_MEASURES = ("mmt8", "mmt8_bilateral", "cdasi_activity", "physician_global")


def _measure_series(record: PatientRecord) -> dict[DateRange, dict[str, tuple[float, str]]]:
    """IMACS measures per date from :func:`heliotrope.activity.activity_series` (the last value
    of a measure recorded twice on one date wins)."""
    out: dict[DateRange, dict[str, tuple[float, str]]] = defaultdict(dict)
    for point in activity_series(record):
        if point.measure in _MEASURES:
            out[DateRange(point.earliest, point.latest)][point.measure] = (point.value, point.path)
    return out


def _measures(
    record: PatientRecord, values: dict[str, tuple[float, str]], when: DateRange
) -> MeasureState | None:
    if not values:
        return None
    paths = sorted({path for _, path in values.values()}, key=path_key)
    entries = dict(record.iter_facts())

    def read(name: str) -> float | None:
        return values[name][0] if name in values else None

    return MeasureState(
        read("mmt8"),
        read("mmt8_bilateral"),
        read("cdasi_activity"),
        read("physician_global"),
        tuple(_ev(path, entries[path], when) for path in paths),
    )


# -- comparing with the previous assessment -----------------------------------------------------


def _skin_change(now: SkinState | None, before: tuple[DateRange, SkinState] | None) -> Change:
    if now is None:
        return Change("skin", "not_assessed", "skin not assessed on this date")
    if before is None:
        if now.present:
            text = f"first skin assessment: {now.label}"
            return Change("skin", "baseline", text, now.evidence_for(now.present))
        return Change("skin", "same", "no DM skin signs", now.evidence)
    when, then = before
    new = [c for c in now.present if c not in then.present]
    gone = [c for c in then.present if c in now.absent]
    if new:
        trend: Trend = "worse" if then.present else "new"
        text = f"{'new' if trend == 'new' else 'worse'} rash: " + ", ".join(map(_name, new))
        if then.present:
            text += f" (before: {', '.join(map(_name, then.present))} on {when})"
        else:
            text += f" (no DM skin signs on {when})"
        return Change("skin", trend, text, now.evidence_for(new), when)
    if gone:
        cleared = not now.present and all(c in now.absent for c in then.present)
        trend = "resolved" if cleared else "better"
        text = f"rash {'faded' if trend == 'resolved' else 'better'}: " + ", ".join(
            f"{_name(c)} now absent" for c in gone
        )
        return Change("skin", trend, text + f" (present on {when})", now.evidence, when)
    return Change("skin", "same", f"skin unchanged since {when}: {now.label}", now.evidence, when)


def _muscle_change(now: MuscleState | None, before: tuple[DateRange, MuscleState] | None) -> Change:
    if now is None:
        return Change("muscle", "not_assessed", "strength not assessed on this date")
    if before is None:
        if now.is_weak:
            return Change(
                "muscle", "baseline", f"first strength assessment: {now.label}", now.weak_evidence
            )
        return Change("muscle", "same", "no weakness", now.evidence)
    when, then = before
    new = [c for c in now.weak if c not in then.weak]
    lower = (
        now.lowest_mrc is not None
        and then.lowest_mrc is not None
        and now.lowest_mrc < then.lowest_mrc
    )
    if new or lower or (now.is_weak and not then.is_weak):
        trend: Trend = "new" if not then.is_weak else "worse"
        parts = [", ".join(_name(c) for c in new)] if new else []
        if lower:
            parts.append(f"lowest MRC {then.lowest_mrc:.2g} → {now.lowest_mrc:.2g}")
        text = f"{trend} weakness: {'; '.join(parts) or now.label} (before: {then.label}, {when})"
        return Change("muscle", trend, text, now.weak_evidence, when)
    gone = [c for c in then.weak if c in now.not_weak]
    higher = (
        now.lowest_mrc is not None
        and then.lowest_mrc is not None
        and now.lowest_mrc > then.lowest_mrc
    )
    if gone or higher:
        cleared = not now.is_weak and all(c in now.not_weak for c in then.weak)
        trend = "resolved" if cleared else "better"
        return Change("muscle", trend, f"strength {trend}: {now.label}", now.evidence, when)
    return Change("muscle", "same", f"strength unchanged since {when}", now.evidence, when)


def _enzyme_change(
    now: EnzymeState | None, history: Sequence[tuple[DateRange, EnzymeState]]
) -> Change:
    if now is None:
        return Change("enzymes", "not_assessed", "muscle enzymes not measured on this date")
    rising, first, fallen, unsure = [], [], [], []
    for analyte, _value in now.times_uln:
        bounds = now.bounds_of(analyte)
        assert bounds is not None
        lo, hi = bounds
        shown = _shown(now, analyte, lo, hi)
        before = next(
            ((w, s) for w, s in reversed(history) if s.bounds_of(analyte) is not None), None
        )
        if before is None:
            if lo > 1:
                first.append(f"{analyte.value.upper()} {shown}×ULN")
            elif hi > 1:
                unsure.append(f"{analyte.value.upper()} {shown}×ULN may or may not be raised")
            continue
        when, state = before
        old_bounds = state.bounds_of(analyte)
        assert old_bounds is not None
        old_lo, old_hi = old_bounds
        old_shown = _shown(state, analyte, old_lo, old_hi)
        text = f"{analyte.value.upper()} {old_shown}→{shown}×ULN"
        if lo > 1 and lo >= old_hi * ENZYME_RISE:
            rising.append((f"{text} (since {when})", when))
        elif hi > 1 and hi >= old_lo * ENZYME_RISE:
            unsure.append(f"{text}: a censored value, cannot tell whether it rose")
        elif hi < old_lo:
            fallen.append(text)
    if rising:
        return Change(
            "enzymes",
            "worse",
            "rising enzymes: " + "; ".join(t for t, _ in rising),
            now.evidence,
            rising[0][1],
        )
    if unsure:
        return Change(
            "enzymes",
            "uncertain",
            "enzymes not comparable (censored values are ranges, not exact): " + "; ".join(unsure),
            now.evidence,
        )
    if first:
        return Change(
            "enzymes",
            "baseline",
            "raised on first measurement, nothing earlier to compare: " + ", ".join(first),
            now.evidence,
        )
    if fallen:
        return Change("enzymes", "better", "falling enzymes: " + "; ".join(fallen), now.evidence)
    return Change("enzymes", "same", f"enzymes: {now.label}", now.evidence)


def _shown(state: EnzymeState, analyte: Analyte, lo: float, hi: float) -> str:
    """'0.75', '<0.75' or '>10.00' as the result was reported."""
    comparator = dict(state.censored).get(analyte)
    if comparator is None or lo == hi:
        return f"{lo:.2f}"
    return f"{comparator}{(hi if comparator.startswith('<') else lo):.2f}"


def _measure_change(
    name: str,
    now: MeasureState | None,
    history: Sequence[tuple[DateRange, MeasureState]],
    read: Callable[[MeasureState], float | None],
    worse_if_lower: bool,
    inactive: float,
) -> Change | None:
    """``inactive`` is the value that shows no disease (full MMT-8 strength, CDASI 0): a first
    measurement away from it is a baseline (nothing earlier to compare), not 'unchanged'."""
    value = None if now is None else read(now)
    if now is None or value is None:
        return None
    before = next(((w, read(s)) for w, s in reversed(history) if read(s) is not None), None)
    if before is None:
        if value != inactive:
            text = f"{name} {value:g} on first measurement, nothing earlier to compare"
            return Change(name, "baseline", text, now.evidence)
        return Change(name, "same", f"{name} {value:g} (first measurement)", now.evidence)
    when, old = before
    assert old is not None
    worse = value < old if worse_if_lower else value > old
    better = value > old if worse_if_lower else value < old
    trend: Trend = "worse" if worse else "better" if better else "same"
    verb = {"worse": "worse", "better": "better", "same": "unchanged"}[trend]
    return Change(
        name, trend, f"{name} {old:g} → {value:g} ({verb}, since {when})", now.evidence, when
    )


def _latest(history: Iterable[tuple[DateRange, Any]]) -> tuple[DateRange, Any] | None:
    items = list(history)
    return items[-1] if items else None


def _on_treatment(record: PatientRecord, when: DateRange) -> tuple[str, ...]:
    """The treatments whose span (:func:`~heliotrope.timeline.treatments.treatment_span`)
    covers ``when``: started by then and not yet stopped; a single-day procedure only on its
    day."""
    out = []
    for entry in record.treatments:
        span = treatment_span(record, entry)
        if span is None:
            continue
        start, stop = span
        if start <= when.mid and (stop is None or when.mid <= stop):
            out.append(entry.drug)
    return tuple(out)


def activity_points(record: PatientRecord) -> tuple[ActivityPoint, ...]:
    """DM activity on every date the record assesses skin, strength, enzymes or measures."""
    findings: dict[DateRange, list[tuple[str, Finding]]] = defaultdict(list)
    labs: dict[DateRange, list[tuple[str, LabResult]]] = defaultdict(list)
    graded: dict[DateRange, list[tuple[str, ActivityAssessment]]] = defaultdict(list)
    series = _measure_series(record)
    for index, finding in enumerate(record.findings):
        when = record.date_of(finding.date)
        if when is not None:
            findings[when].append((f"findings[{index}]", finding))
    for index, lab in enumerate(record.labs):
        when = record.date_of(lab.date)
        if when is not None and lab.analyte in ENZYMES:
            labs[when].append((f"labs[{index}]", lab))
    for index, entry in enumerate(record.activity):
        when = record.date_of(entry.date)
        if when is not None and entry.grades:
            graded[when].append((f"activity[{index}]", entry))

    skins: list[tuple[DateRange, SkinState]] = []
    muscles: list[tuple[DateRange, MuscleState]] = []
    enzymes: list[tuple[DateRange, EnzymeState]] = []
    scores: list[tuple[DateRange, MeasureState]] = []
    points = []
    dates = sorted(
        {*findings, *labs, *graded, *series}, key=lambda d: (d.mid, d.earliest, d.latest)
    )
    for when in dates:
        skin = _skin(findings[when], when)
        muscle = _muscle(findings[when], graded[when], when)
        enzyme = _enzymes(labs[when], when)
        measure = _measures(record, series.get(when, {}), when)
        if skin is None and muscle is None and enzyme is None and measure is None:
            continue
        changes = {
            "skin": _skin_change(skin, _latest(skins)),
            "muscle": _muscle_change(muscle, _latest(muscles)),
            "enzymes": _enzyme_change(enzyme, enzymes),
        }
        for name, read, lower, inactive in (
            ("MMT-8", lambda s: s.mmt8, True, 80.0),
            ("MMT-8 (0-150)", lambda s: s.mmt8_bilateral, True, 150.0),
            ("CDASI activity", lambda s: s.cdasi_activity, False, 0.0),
        ):
            change = _measure_change(name, measure, scores, read, lower, inactive)
            if change is not None:
                changes[name] = change
        points.append(
            ActivityPoint(when, skin, muscle, enzyme, measure, changes, _on_treatment(record, when))
        )
        if skin is not None:
            skins.append((when, skin))
        if muscle is not None:
            muscles.append((when, muscle))
        if enzyme is not None:
            enzymes.append((when, enzyme))
        if measure is not None:
            scores.append((when, measure))
    return tuple(points)
