"""Sontheimer: clinically amyopathic dermatomyositis (CADM), amyopathic and hypomyopathic DM.

Sontheimer RD. Would a new name hasten the acceptance of amyopathic dermatomyositis
(dermatomyositis siné myositis) as a distinctive subset within the idiopathic inflammatory
dermatomyopathies spectrum of clinical illness? J Am Acad Dermatol 2002;46:626–636. Euwer RL,
Sontheimer RD. Amyopathic dermatomyositis (dermatomyositis siné myositis): presentation of six
new cases and review of the literature. J Am Acad Dermatol 1991;24:959–966 (the original ADM
definition). Spec §4.

The rule
- **CADM** (the umbrella, ``category: cadm``): hallmark cutaneous DM (confirmed by skin biopsy
  when possible) **without clinical proximal weakness for ≥ 6 months** from skin onset, and
  neither exclusion:
  * systemic immunosuppression (glucocorticoids, immunosuppressants) for ≥ 2 consecutive
    months within the first 6 months of skin disease (it could mask myositis): read as a course
    overlapping the first 6 months by ≥ 2 calendar months;
  * a drug that causes DM-like eruptions (hydroxyurea, statins) started before skin onset.
- Subgroups (``subgroup``, within CADM):
  * ``hypomyopathic_dm``: subclinical myositis — raised CK or aldolase, myopathic EMG, MRI
    muscle oedema or inflammatory changes on muscle biopsy;
  * ``amyopathic_dm``: normal muscle enzymes (CK, aldolase) and no subclinical evidence;
    ``amyopathic_dm_confirmed`` when no weakness and normal enzymes are documented ≥ 24 months
    after skin onset (⚠ the 24-month figure is from recall, spec §4);
  * null: CADM whose enzymes were not measured.
  (Post-myositic DM — resolved myositis with persisting skin disease — is not modelled.)

Durations come from record dates: skin onset is the earliest of the myositis onset and the
dated hallmark skin findings; the amyopathic period runs to the latest dated examination
documenting no proximal weakness. Partial or relative dates give ranges; a duration is decided
only when its whole range is on one side of the threshold. Missing dates make the duration
items unknown, and the headline is three-valued (``headline="kleene"``): the category is
``unknown`` whenever unknown items could change it — a missing date never gives ``not_met``.
Exclusions not recorded (no treatment of the kind in the record) are read as absent, with a
note, because the record cannot affirm that a drug was never given.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from functools import cache
from typing import TypeVar

from heliotrope.criteria import readers as r
from heliotrope.criteria import readers_extra as rx
from heliotrope.logic import (
    All,
    Citation,
    Context,
    CriterionResult,
    Decide,
    Definition,
    Derived,
    Evidence,
    Item,
    ItemFinding,
    ItemResult,
    ItemSpec,
    ItemStatus,
    Not,
    evaluate,
)
from heliotrope.model.dates import DateRange, add_months
from heliotrope.model.record import PatientRecord, Treatment, derived_cache
from heliotrope.model.vocabulary import (
    PROXIMAL_LOWER,
    PROXIMAL_UPPER,
    Analyte,
    FindingCode,
    InvestigationFinding,
    InvestigationKind,
    Status,
    TreatmentKind,
)

__all__ = [
    "CATEGORIES",
    "CITATION",
    "DM_LIKE_ERUPTION_DRUGS",
    "ID",
    "VERSION",
    "assess",
    "definition",
    "skin_onset",
]

ID = "sontheimer_cadm"
VERSION = "myositis.sontheimer_cadm.v1"
CITATION = Citation(
    authors="Sontheimer RD",
    title="Would a new name hasten the acceptance of amyopathic dermatomyositis "
    "(dermatomyositis siné myositis) as a distinctive subset within the idiopathic "
    "inflammatory dermatomyopathies spectrum of clinical illness?",
    journal="J Am Acad Dermatol",
    year=2002,
    volume_pages="46:626–636",
)
CATEGORIES = ("not_met", "cadm")
PROVISIONAL_MONTHS = 6
CONFIRMED_MONTHS = 24  # ⚠ spec §4: from recall
IMMUNOSUPPRESSION_WINDOW_MONTHS = 6
IMMUNOSUPPRESSION_MIN_MONTHS = 2
SYSTEMIC_IMMUNOSUPPRESSION = frozenset(
    {TreatmentKind.glucocorticoid, TreatmentKind.immunosuppressant}
)
# Drugs that cause DM-like eruptions (spec §4): hydroxyurea and the statins.
DM_LIKE_ERUPTION_DRUGS = re.compile(
    r"hydroxyurea|hydroxycarbamide|\b\w*vastatin\b|\bstatins?\b", re.IGNORECASE
)
SKIN_ENZYMES = frozenset({Analyte.ck, Analyte.aldolase})

Reader = Callable[[PatientRecord, Context], ItemFinding]
_T = TypeVar("_T")


# -- dates ---------------------------------------------------------------------------------
def _per_record(record: PatientRecord, key: str, make: Callable[[PatientRecord], _T]) -> _T:
    """``make(record)`` made once per record and kept beside it (``derived_cache``): the
    readers below ask for the same dates several times per assessment (issue 13)."""
    kept = derived_cache(record)
    if key in kept:
        found: _T = kept[key]
        return found
    made = kept[key] = make(record)
    return made


def skin_onset(record: PatientRecord) -> tuple[DateRange | None, tuple[Evidence, ...]]:
    """Earliest of the myositis onset and the dated hallmark skin findings (made once per
    record)."""
    return _per_record(record, "sontheimer.skin_onset", _skin_onset)


def _skin_onset(record: PatientRecord) -> tuple[DateRange | None, tuple[Evidence, ...]]:
    candidates: list[tuple[DateRange, Evidence]] = []
    onset = record.date_of(record.myositis.onset)
    if onset is not None:
        candidates.append((onset, rx.date_evidence("myositis.onset", "first symptom", onset)))
    codes = (*rx.HALLMARK_SKIN, FindingCode.dm_rash)
    for i, f in enumerate(record.findings):
        when = record.date_of(f.date)
        if f.code in codes and f.status == Status.present and when is not None:
            label = f.code.value.replace("_", " ")
            candidates.append((when, rx.date_evidence(f"findings[{i}]", label, when)))
    if not candidates:
        return None, ()
    earliest = min(c[0].earliest for c in candidates)
    latest = min(c[0].latest for c in candidates)
    first = min(candidates, key=lambda c: c[0].earliest)
    return DateRange(earliest, latest), (first[1],)


def _last_normal_strength(
    record: PatientRecord, onset: DateRange
) -> tuple[DateRange, Evidence] | None:
    """The latest dated examination documenting no proximal weakness, on or after ``onset``
    (an examination before the skin disease began says nothing about the amyopathic period)."""
    dated = _per_record(record, "sontheimer.normal_strength", _normal_strength)
    found = [c for c in dated if c[0].latest >= onset.earliest]
    return max(found, key=lambda c: c[0].earliest) if found else None


def _normal_strength(record: PatientRecord) -> list[tuple[DateRange, Evidence]]:
    """Every dated examination documenting no proximal weakness, in record order."""
    codes = (FindingCode.weakness_proximal_upper, FindingCode.weakness_proximal_lower)
    found: list[tuple[DateRange, Evidence]] = []
    for i, f in enumerate(record.findings):
        when = record.date_of(f.date)
        if f.code in codes and f.status == Status.absent and when is not None:
            found.append((when, rx.date_evidence(f"findings[{i}]", "no proximal weakness", when)))
    groups = PROXIMAL_UPPER | PROXIMAL_LOWER
    for i, a in enumerate(record.activity):
        when = record.date_of(a.date)
        graded = [g for g in a.grades if g.muscle in groups]
        if when is not None and graded and all(g.bounds[0] >= 5 for g in graded):
            found.append((when, rx.date_evidence(f"activity[{i}]", "proximal MRC 5/5", when)))
    return found


def _last_normal_enzymes(
    record: PatientRecord, onset: DateRange
) -> tuple[DateRange, Evidence] | None:
    found: list[tuple[DateRange, Evidence]] = []
    for i, lab in enumerate(record.labs):
        when = record.date_of(lab.date)
        times = lab.times_uln
        if lab.analyte in SKIN_ENZYMES and when is not None and times is not None and times <= 1:
            label = f"{lab.analyte.value.upper()} within range"
            found.append((when, rx.date_evidence(f"labs[{i}]", label, when)))
    found = [c for c in found if c[0].latest >= onset.earliest]
    return max(found, key=lambda c: c[0].earliest) if found else None


def _span(onset: DateRange, until: DateRange, months: int) -> ItemStatus:
    if until.earliest >= add_months(onset.latest, months):
        return ItemStatus.present
    if until.latest < add_months(onset.earliest, months):
        return ItemStatus.absent
    return ItemStatus.unknown


def _amyopathic_for(months: int, with_enzymes: bool) -> Reader:
    def read(record: PatientRecord, _ctx: Context) -> ItemFinding:
        onset, onset_ev = skin_onset(record)
        if onset is None:
            return ItemFinding(ItemStatus.unknown, (), "skin onset date not recorded")
        strength = _last_normal_strength(record, onset)
        if strength is None:
            return ItemFinding(
                ItemStatus.unknown,
                onset_ev,
                "no dated normal strength examination after skin onset",
            )
        ends = [strength]
        if with_enzymes:
            enzymes = _last_normal_enzymes(record, onset)
            if enzymes is None:
                return ItemFinding(
                    ItemStatus.unknown,
                    (*onset_ev, strength[1]),
                    "no dated CK or aldolase within range",
                )
            ends.append(enzymes)
        until = min(ends, key=lambda c: c[0].earliest)
        status = _span(onset, until[0], months)
        evidence = onset_ev + tuple(e for _, e in ends)
        notes = {
            ItemStatus.present: f"documented ≥ {months} months after skin onset",
            ItemStatus.absent: f"documented for less than {months} months so far",
            ItemStatus.unknown: f"partial dates straddle {months} months",
        }
        return ItemFinding(status, evidence, notes[status])

    return read


# -- exclusions ----------------------------------------------------------------------------
def _overlap(
    record: PatientRecord, treatment: Treatment, window: DateRange, ctx: Context
) -> ItemStatus:
    """Does the course overlap ``window`` by ≥ 2 calendar months (present), certainly not
    (absent), or might it (unknown)? A course without a stop date is ongoing."""
    start = record.date_of(treatment.start)
    if start is None:
        return ItemStatus.unknown
    stop = record.date_of(treatment.stop)
    if stop is None:  # no stop date: ongoing at the assessment
        today = ctx.as_of or date.today()
        stop = DateRange(max(today, start.latest), max(today, start.latest))
    return _min_overlap(start, stop, window)


def _min_overlap(start: DateRange, stop: DateRange, window: DateRange) -> ItemStatus:
    months = IMMUNOSUPPRESSION_MIN_MONTHS
    sure_from = max(start.latest, window.earliest)
    sure_to = min(stop.earliest, window.latest)
    if add_months(sure_from, months) <= sure_to:
        return ItemStatus.present
    maybe_from = max(start.earliest, window.earliest)
    maybe_to = min(stop.latest, window.latest)
    if add_months(maybe_from, months) > maybe_to:
        return ItemStatus.absent
    return ItemStatus.unknown


def _early_immunosuppression(record: PatientRecord, ctx: Context) -> ItemFinding:
    courses = [
        (f"treatments[{i}]", t)
        for i, t in enumerate(record.treatments)
        if t.kind in SYSTEMIC_IMMUNOSUPPRESSION
    ]
    if not courses:
        return ItemFinding(ItemStatus.absent, (), "no systemic immunosuppression recorded")
    onset, onset_ev = skin_onset(record)
    if onset is None:
        return ItemFinding(
            ItemStatus.unknown, r.evidence(record, courses), "skin onset date not recorded"
        )
    # The first 6 months: certainly from onset.latest to onset.earliest + 6 months; the
    # overlap test uses the narrowest window for "present" and the widest for "absent".
    narrow = DateRange(onset.latest, add_months(onset.earliest, IMMUNOSUPPRESSION_WINDOW_MONTHS))
    wide = DateRange(onset.earliest, add_months(onset.latest, IMMUNOSUPPRESSION_WINDOW_MONTHS))
    statuses = []
    for _path, t in courses:
        sure = _overlap(record, t, narrow, ctx) if narrow.earliest <= narrow.latest else None
        maybe = _overlap(record, t, wide, ctx)
        if sure is ItemStatus.present:
            statuses.append(ItemStatus.present)
        elif maybe is ItemStatus.absent:
            statuses.append(ItemStatus.absent)
        else:
            statuses.append(ItemStatus.unknown)
    evidence = onset_ev + r.evidence(record, courses)
    if ItemStatus.present in statuses:
        return ItemFinding(ItemStatus.present, evidence, "≥ 2 months within the first 6 months")
    if all(s is ItemStatus.absent for s in statuses):
        return ItemFinding(ItemStatus.absent, evidence, "not ≥ 2 months in the first 6 months")
    return ItemFinding(ItemStatus.unknown, evidence, "course dates missing or straddling")


def _dm_like_drug(record: PatientRecord, _ctx: Context) -> ItemFinding:
    drugs = [
        (f"treatments[{i}]", t)
        for i, t in enumerate(record.treatments)
        if DM_LIKE_ERUPTION_DRUGS.search(t.drug)
    ]
    if not drugs:
        return ItemFinding(ItemStatus.absent, (), "no hydroxyurea or statin recorded")
    onset, onset_ev = skin_onset(record)
    statuses = []
    for _path, t in drugs:
        start = record.date_of(t.start)
        if onset is None or start is None:
            statuses.append(ItemStatus.unknown)
        elif start.latest <= onset.earliest:
            statuses.append(ItemStatus.present)
        elif start.earliest > onset.latest:
            statuses.append(ItemStatus.absent)
        else:
            statuses.append(ItemStatus.unknown)
    evidence = onset_ev + r.evidence(record, drugs)
    if ItemStatus.present in statuses:
        return ItemFinding(ItemStatus.present, evidence, "started before skin onset")
    if all(s is ItemStatus.absent for s in statuses):
        return ItemFinding(ItemStatus.absent, evidence, "started after skin onset")
    return ItemFinding(ItemStatus.unknown, evidence, "start relative to skin onset unknown")


# -- items ---------------------------------------------------------------------------------
ITEMS: tuple[tuple[str, str, str, Reader], ...] = (
    (
        "hallmark_skin",
        "Hallmark cutaneous DM",
        "heliotrope rash, Gottron's papules or sign, or a rash recorded as typical of DM",
        lambda rec, _c: rx.hallmark_skin(rec, include_unspecified=True),
    ),
    (
        "skin_biopsy_compatible",
        "Skin biopsy compatible with DM",
        "supporting: Sontheimer asks for biopsy confirmation when possible (not required)",
        lambda rec, _c: r.investigation_finding(
            rec,
            InvestigationKind.skin_biopsy,
            [InvestigationFinding.interface_dermatitis, InvestigationFinding.consistent_with_dm],
        ),
    ),
    (
        "no_clinical_weakness",
        "No clinical proximal weakness (documented)",
        "proximal strength examined in upper and lower limbs and never weak",
        lambda rec, _c: rx.no_clinical_weakness(rec),
    ),
    (
        "amyopathic_6_months",
        "Amyopathic for ≥ 6 months",
        "normal strength documented ≥ 6 months after skin onset",
        _amyopathic_for(PROVISIONAL_MONTHS, with_enzymes=False),
    ),
    (
        "amyopathic_24_months",
        "Amyopathic with normal enzymes for ≥ 24 months",
        "normal strength and normal CK/aldolase documented ≥ 24 months after skin onset (⚠)",
        _amyopathic_for(CONFIRMED_MONTHS, with_enzymes=True),
    ),
    (
        "normal_enzymes",
        "Normal muscle enzymes (measured)",
        "every CK and aldolase measured at or below the lab's upper limit of normal",
        lambda rec, _c: rx.normal_enzymes(rec, SKIN_ENZYMES),
    ),
    (
        "subclinical_myositis",
        "Subclinical myositis",
        "raised CK or aldolase, myopathic EMG, MRI muscle oedema, or myositis on biopsy",
        lambda rec, _c: r.combine(
            r.elevated_enzymes(rec, SKIN_ENZYMES),
            r.investigation_finding(rec, InvestigationKind.emg, [InvestigationFinding.myopathic]),
            r.investigation_finding(
                rec, InvestigationKind.mri, [InvestigationFinding.muscle_oedema]
            ),
            r.investigation_finding(
                rec,
                InvestigationKind.muscle_biopsy,
                [
                    InvestigationFinding.inflammatory_myopathy,
                    InvestigationFinding.perifascicular_atrophy,
                    InvestigationFinding.perimysial_perivascular_infiltrate,
                    InvestigationFinding.endomysial_infiltrate,
                ],
            ),
        ),
    ),
    (
        "early_immunosuppression",
        "Exclusion: early systemic immunosuppression",
        "glucocorticoids or immunosuppressants ≥ 2 consecutive months in the first 6 months",
        _early_immunosuppression,
    ),
    (
        "dm_like_drug_exposure",
        "Exclusion: drug causing DM-like eruptions",
        "hydroxyurea or a statin started before skin onset",
        _dm_like_drug,
    ),
)

RULE = (
    "cadm: hallmark skin + no clinical weakness + amyopathic ≥ 6 months + no early "
    "immunosuppression + no DM-like-eruption drug; subgroup: hypomyopathic_dm if subclinical "
    "myositis, amyopathic_dm_confirmed if normal enzymes and ≥ 24 months, amyopathic_dm if "
    "normal enzymes. Three-valued: unknown when unknown items could change the category."
)


@cache
def definition() -> Definition:
    """Sontheimer's CADM, with the amyopathic / hypomyopathic subgroups."""
    cadm = All(
        Item("hallmark_skin"),
        Item("no_clinical_weakness"),
        Item("amyopathic_6_months"),
        Not(Item("early_immunosuppression")),
        Not(Item("dm_like_drug_exposure")),
    )
    subgroup = Decide(
        (
            ("none", Not(cadm)),
            ("hypomyopathic_dm", Item("subclinical_myositis")),
            (
                "amyopathic_dm_confirmed",
                All(Item("normal_enzymes"), Item("amyopathic_24_months")),
            ),
            ("amyopathic_dm", Item("normal_enzymes")),
        ),
        otherwise="none",
        label="subgroup",
    )
    return Definition(
        id=ID,
        version=VERSION,
        title="Sontheimer clinically amyopathic dermatomyositis (CADM)",
        citation=CITATION,
        summary="Hallmark DM skin disease without clinical weakness for ≥ 6 months; amyopathic "
        "(normal enzymes) or hypomyopathic (subclinical myositis).",
        items=tuple(ItemSpec(k, label, text, read) for k, label, text, read in ITEMS),
        outcome=Decide((("cadm", cadm),), otherwise="not_met", label="category"),
        categories=CATEGORIES,
        outputs={"subgroup": subgroup},
        headline="kleene",
        caveats=("The 24-month threshold for confirmed amyopathic DM is from recall (spec §4 ⚠).",),
        rule=RULE,
        derive=_derive,
    )


def _derive(record: PatientRecord, _ctx: Context, found: Mapping[str, ItemResult]) -> Derived:
    onset, _ev = skin_onset(record)
    values: dict[str, object] = {"skin_onset": str(onset) if onset else None}
    strength = _last_normal_strength(record, onset) if onset is not None else None
    if onset is not None and strength is not None:
        values["amyopathic_days"] = list(rx.day_interval(strength[0], onset))
    caveats: list[str] = []
    notes: list[str] = []
    if not record.treatments:
        caveats.append(
            "No treatment history recorded: the exclusions (systemic immunosuppression in the "
            "first 6 months; hydroxyurea or statins) were read as absent — check them."
        )
    if found["skin_biopsy_compatible"].status is not ItemStatus.present:
        notes.append("Sontheimer asks for skin-biopsy confirmation of the rash when possible.")
    if found["no_clinical_weakness"].status is ItemStatus.absent:
        notes.append("Clinical weakness is documented: classic DM, not CADM.")
    return Derived(values=values, caveats=tuple(caveats), notes=tuple(notes))


def assess(record: PatientRecord, context: Context | None = None) -> CriterionResult:
    """Classify ``record`` by Sontheimer's CADM definitions."""
    return evaluate(definition(), record, context)
