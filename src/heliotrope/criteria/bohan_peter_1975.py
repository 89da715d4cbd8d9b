"""Bohan & Peter criteria for polymyositis (PM) and dermatomyositis (DM).

Bohan A, Peter JB. Polymyositis and dermatomyositis (first and second of two parts).
N Engl J Med 1975;292:344–347 and 403–407. Spec §1.

Let m = number of C1–C4 met (C1 weakness, C2 enzymes, C3 EMG, C4 biopsy):

=========  ==================  ==================
 outcome    DM (C5 rash)        PM (no C5)
=========  ==================  ==================
definite    C5 + m ≥ 3          m = 4
probable    C5 + m = 2          m = 3
possible    C5 + m = 1          m = 2
not met     C5 + m = 0          m ≤ 1
=========  ==================  ==================

Implementation choices (spec §1.1 notes): MRI oedema, skin biopsy and myositis antibodies are
not criteria. C5 counts heliotrope rash, Gottron's papules or sign, or a rash the record calls
typical of DM; shawl/V-sign alone are supportive only. C1 is *symmetric* proximal (limb-girdle)
weakness of the upper or lower limbs (one-sided weakness does not count; weakness of unrecorded
side is unknown), or weakness of the anterior neck flexors, which C1 names. C4 counts
degeneration/necrosis, phagocytosis, regeneration and the mononuclear infiltrate; "variation in
fibre size" has no code in the record vocabulary and is read through ``inflammatory_myopathy``
or the features above. Exclusions (§1.3) must be considered: an exclusion present gives
``not_met``; exclusions not recorded as considered give a caveat and an unknown item.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from heliotrope.criteria import readers as r
from heliotrope.criteria.weakness import symmetric_weakness
from heliotrope.logic import (
    All,
    Any,
    AtLeast,
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
    Node,
    Not,
    evaluate,
)
from heliotrope.model.record import PatientRecord
from heliotrope.model.vocabulary import (
    MUSCLE_ENZYMES_BOHAN_PETER,
    PROXIMAL_LOWER,
    PROXIMAL_UPPER,
    FindingCode,
    InvestigationFinding,
    InvestigationKind,
)

__all__ = ["CITATION", "ID", "VERSION", "assess", "definition"]

ID = "bohan_peter_1975"
VERSION = "myositis.bohan_peter_1975.v1"
CITATION = Citation(
    authors="Bohan A, Peter JB",
    title="Polymyositis and dermatomyositis (first and second of two parts)",
    journal="N Engl J Med",
    year=1975,
    volume_pages="292:344–347 and 403–407",
    doi="10.1056/NEJM197502132920706",
)
CATEGORIES = ("not_met", "possible", "probable", "definite")
MUSCLE_CRITERIA = (
    "proximal_weakness",
    "elevated_muscle_enzymes",
    "myopathic_emg",
    "muscle_biopsy_myositis",
)
EXCLUSIONS = (
    "central or peripheral neurological disease (including motor neuron disease, neuropathies)",
    "muscular dystrophies",
    "granulomatous myositis (e.g. sarcoid)",
    "infectious myositis",
    "metabolic and endocrine myopathies",
    "myasthenia gravis",
    "drug or toxin myopathy (statins, colchicine, alcohol), rhabdomyolysis",
)
C5_SIGNS = (
    FindingCode.heliotrope_rash,
    FindingCode.gottron_papules,
    FindingCode.gottron_sign,
    FindingCode.dm_rash,
)
BIOPSY_FEATURES = (
    InvestigationFinding.inflammatory_myopathy,
    InvestigationFinding.endomysial_infiltrate,
    InvestigationFinding.perimysial_perivascular_infiltrate,
    InvestigationFinding.perifascicular_atrophy,
    InvestigationFinding.necrosis,
    InvestigationFinding.phagocytosis,
    InvestigationFinding.regeneration,
)


def _weakness(record: PatientRecord, _ctx: Context) -> ItemFinding:
    """C1: symmetric limb-girdle weakness (both sides, ``criteria.weakness``) or weakness of
    the anterior neck flexors, which the paper names in C1 (a midline group: no side)."""
    return r.combine(
        symmetric_weakness(record, FindingCode.weakness_proximal_upper, PROXIMAL_UPPER),
        symmetric_weakness(record, FindingCode.weakness_proximal_lower, PROXIMAL_LOWER),
        r.weakness(record, FindingCode.weakness_neck_flexors, r.NECK_FLEXORS),
    )


def _rash(record: PatientRecord, _ctx: Context) -> ItemFinding:
    # A rash "typical of DM" with no sign named counts only when the record states it.
    return r.finding(record, *r.recorded(record, C5_SIGNS))


ITEMS: tuple[ItemSpec, ...] = (
    ItemSpec(
        "proximal_weakness",
        "C1 Symmetric proximal muscle weakness",
        "symmetric weakness of limb-girdle muscles and anterior neck flexors, progressing over "
        "weeks to months, with or without dysphagia or respiratory muscle involvement",
        _weakness,
    ),
    ItemSpec(
        "elevated_muscle_enzymes",
        "C2 Elevated serum skeletal-muscle enzymes",
        "CK (especially), aldolase, AST, ALT or LDH above the lab's upper limit of normal",
        lambda rec, _c: r.elevated_enzymes(rec, MUSCLE_ENZYMES_BOHAN_PETER),
    ),
    ItemSpec(
        "myopathic_emg",
        "C3 Myopathic EMG",
        "short, small, polyphasic motor units; fibrillations, positive sharp waves, insertional "
        "irritability; bizarre high-frequency repetitive discharges",
        lambda rec, _c: r.investigation_finding(
            rec, InvestigationKind.emg, (InvestigationFinding.myopathic,)
        ),
    ),
    ItemSpec(
        "muscle_biopsy_myositis",
        "C4 Muscle biopsy evidence of myositis",
        "degeneration, regeneration, necrosis, phagocytosis and an interstitial mononuclear "
        "infiltrate",
        lambda rec, _c: r.investigation_finding(
            rec, InvestigationKind.muscle_biopsy, BIOPSY_FEATURES
        ),
    ),
    ItemSpec(
        "dm_rash",
        "C5 Typical skin rash of DM",
        "heliotrope rash (lilac eyelids with periorbital oedema) or Gottron's sign/papules",
        _rash,
    ),
    ItemSpec(
        "exclusion_present",
        "An exclusion applies",
        "neurological disease, dystrophy, granulomatous, infectious, metabolic/endocrine, "
        "drug/toxin myopathy, myasthenia gravis (spec §1.3)",
        lambda rec, _c: r.exclusions(rec),
    ),
)


@cache
def definition() -> Definition:
    """Bohan & Peter 1975 as a decision list over C5 and the count of C1–C4."""
    c5 = Item("dm_rash")
    muscle = [Item(k) for k in MUSCLE_CRITERIA]

    def level(dm_needs: int, pm_needs: int) -> Node:
        return Any(All(c5, AtLeast(dm_needs, *muscle)), All(Not(c5), AtLeast(pm_needs, *muscle)))

    met = level(1, 2)
    category = Decide(
        (
            ("not_met", Item("exclusion_present")),
            ("definite", level(3, 4)),
            ("probable", level(2, 3)),
            ("possible", met),
        ),
        otherwise="not_met",
        label="category",
    )
    subtype = Decide(
        (("none", Item("exclusion_present")), ("none", Not(met)), ("DM", c5)),
        otherwise="PM",
        label="subtype",
    )
    return Definition(
        id=ID,
        version=VERSION,
        title="Bohan & Peter criteria for polymyositis and dermatomyositis",
        citation=CITATION,
        summary="DM: rash plus 3 (definite), 2 (probable) or 1 (possible) of C1–C4; "
        "PM: 4, 3 or 2 of C1–C4 without rash.",
        items=ITEMS,
        outcome=category,
        categories=CATEGORIES,
        outputs={"subtype": subtype},
        rule="count of C1–C4 with or without C5; not performed counts as not met",
        derive=_derive,
    )


def _derive(record: PatientRecord, _ctx: Context, found: Mapping[str, ItemResult]) -> Derived:
    met = [k for k in MUSCLE_CRITERIA if found[k].status is ItemStatus.present]
    total = len(met) + (found["dm_rash"].status is ItemStatus.present)
    caveats: list[str] = []
    notes = [f"{total} of 5 criteria met."]
    exclusion = found["exclusion_present"].status
    if exclusion is ItemStatus.present:
        caveats.append("An exclusion is recorded: the criteria do not classify this patient.")
    elif exclusion is ItemStatus.unknown:
        caveats.append(
            "Exclusions not recorded as considered (" + "; ".join(EXCLUSIONS) + "). "
            "Bohan & Peter require them to be excluded before classifying."
        )
    if found["dm_rash"].status is ItemStatus.present and not met:
        notes.append("Rash only: consider amyopathic DM (Sontheimer).")
    for key in MUSCLE_CRITERIA:
        if found[key].note == "not performed":
            notes.append(f"{found[key].label}: not performed (counted as not met).")
    return Derived(values={"criteria_met": total}, caveats=tuple(caveats), notes=tuple(notes))


def assess(record: PatientRecord, context: Context | None = None) -> CriterionResult:
    """Classify ``record`` by Bohan & Peter 1975."""
    return evaluate(definition(), record, context)
