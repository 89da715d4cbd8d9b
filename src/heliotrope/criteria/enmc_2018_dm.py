"""ENMC 2018 (239th workshop) classification of dermatomyositis, with antibody-defined subtypes.

Mammen AL, Allenbach Y, Stenzel W, Benveniste O; ENMC 239th Workshop Study Group. 239th ENMC
International Workshop: Classification of dermatomyositis, Amsterdam, the Netherlands, 14–16
December 2018. Neuromuscul Disord 2020;30:70–92 (doi 10.1016/j.nmd.2019.10.005). Spec §3.

⚠ The structure below is UNCONFIRMED (spec §3: recalled from the primary paper, confirmed only
in part by the ENMC lay report and the EURO-NMD publication page, which do confirm the mandatory
testing of the five DM-specific autoantibodies and the antibody-defined subtypes). Every result
says so. Implemented as the spec recommends: DM / amyopathic DM / DM sine dermatitis, each with
its antibody subtype.

Domains
- DM skin findings: Gottron's sign, Gottron's papules, heliotrope rash (V-sign, shawl sign and
  periungual changes are supportive only and do not count).
- Skin biopsy compatible with DM (interface dermatitis, or reported consistent with DM).
- Muscle involvement: proximal weakness, raised CK, muscle biopsy with DM features
  (perifascicular atrophy and/or perifascicular MxA over-expression).
- DM-specific autoantibody: anti-TIF1γ, anti-NXP2, anti-Mi-2, anti-MDA5, anti-SAE1/2.

Categories (mapping of the 2018 classes onto spec Appendix A ids; first rule that holds)
1. ``definite``: 2018 **DM** — DM skin findings with muscle involvement (weakness, raised CK or
   DM muscle pathology).
2. ``hypomyopathic_dm``: 2018 **amyopathic DM** with subclinical muscle involvement — skin
   findings, skin biopsy or DM-specific antibody, no clinical weakness and normal CK (both
   documented), myopathic EMG or MRI muscle oedema.
3. ``amyopathic_dm``: 2018 **amyopathic DM** — as 2 without subclinical involvement. (That a
   DM-specific antibody can stand in for the skin biopsy is part of the unconfirmed structure.)
4. ``probable``: **not a class of the 2018 criteria** (documented choice: the Appendix A id is
   kept as a contract) — skin findings plus a DM-specific antibody or a compatible skin biopsy,
   while muscle involvement is neither shown nor documented absent, so 2018 DM cannot be told
   apart from amyopathic DM. Every result names the reading used (``READINGS``).
5. ``dm_sine_dermatitis``: 2018 **DM sine dermatitis** — no DM skin findings, DM muscle
   pathology (± DM-specific antibody).
6. ``not_met`` otherwise.

``subtype`` (a value, not a category): the antibody-defined subtype, e.g. ``anti-TIF1γ DM``,
when classified and a DM-specific antibody is positive; null otherwise.

"No weakness" and "normal CK" are their own items, present only when documented (weakness
examined and absent; CK measured within the lab's range), so an unexamined muscle never makes a
patient amyopathic. Unknown items count as absent in the headline (publication convention).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache

from heliotrope.criteria import readers as r
from heliotrope.criteria import readers_extra as rx
from heliotrope.logic import (
    All,
    Any,
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
    Not,
    evaluate,
)
from heliotrope.model.record import PatientRecord
from heliotrope.model.vocabulary import (
    Analyte,
    AntibodyName,
    AntibodyResult,
    FindingCode,
    InvestigationFinding,
    InvestigationKind,
)

__all__ = [
    "ANTIBODY_LABELS",
    "CATEGORIES",
    "CITATION",
    "DM_SPECIFIC",
    "ID",
    "ITEMS",
    "UNCONFIRMED",
    "VERSION",
    "assess",
    "definition",
    "subtype",
]

ID = "enmc_2018_dm"
VERSION = "myositis.enmc_2018_dm.v1"
CITATION = Citation(
    authors="Mammen AL, Allenbach Y, Stenzel W, Benveniste O; ENMC 239th Workshop Study Group",
    title="239th ENMC International Workshop: Classification of dermatomyositis, Amsterdam, "
    "the Netherlands, 14–16 December 2018",
    journal="Neuromuscul Disord",
    year=2020,
    volume_pages="30:70–92",
    doi="10.1016/j.nmd.2019.10.005",
)
# Ordered from not met to the full DM phenotype (a reading order, not a severity scale).
CATEGORIES = (
    "not_met",
    "dm_sine_dermatitis",
    "probable",
    "amyopathic_dm",
    "hypomyopathic_dm",
    "definite",
)
# The five DM-specific autoantibodies whose testing the workshop made mandatory (spec §3).
DM_SPECIFIC = (
    AntibodyName.anti_tif1g,
    AntibodyName.anti_nxp2,
    AntibodyName.anti_mi2,
    AntibodyName.anti_mda5,
    AntibodyName.anti_sae,
)
ANTIBODY_LABELS = {
    AntibodyName.anti_tif1g: "anti-TIF1γ",
    AntibodyName.anti_nxp2: "anti-NXP2",
    AntibodyName.anti_mi2: "anti-Mi-2",
    AntibodyName.anti_mda5: "anti-MDA5",
    AntibodyName.anti_sae: "anti-SAE",
}
UNCONFIRMED = (
    "ENMC 2018 structure UNCONFIRMED (spec §3): the domains and classes are recalled from the "
    "primary paper and were not verified against its tables; the mapping onto definite / "
    "probable / amyopathic / DM sine dermatitis is heliotrope's (see the module docstring)."
)

Reader = Callable[[PatientRecord, Context], ItemFinding]


def _investigation(kind: InvestigationKind, *wanted: InvestigationFinding) -> Reader:
    return lambda rec, _c: r.investigation_finding(rec, kind, wanted)


# key, label, definition, reader
ITEMS: tuple[tuple[str, str, str, Reader], ...] = (
    (
        "heliotrope_rash",
        "Heliotrope rash",
        "DM skin domain: violaceous periorbital erythema, often with oedema",
        lambda rec, _c: r.finding(rec, FindingCode.heliotrope_rash),
    ),
    (
        "gottron_papules",
        "Gottron's papules",
        "DM skin domain: violaceous papules over extensor surfaces of joints",
        lambda rec, _c: r.finding(rec, FindingCode.gottron_papules),
    ),
    (
        "gottron_sign",
        "Gottron's sign",
        "DM skin domain: violaceous macules over extensor surfaces of joints",
        lambda rec, _c: r.finding(rec, FindingCode.gottron_sign),
    ),
    (
        "proximal_weakness",
        "Proximal muscle weakness",
        "muscle involvement: objective weakness of proximal upper or lower limbs",
        lambda rec, _c: rx.proximal_weakness(rec),
    ),
    (
        "elevated_ck",
        "Raised CK",
        "muscle involvement: CK above the lab's upper limit of normal",
        lambda rec, _c: r.elevated_enzymes(rec, frozenset({Analyte.ck})),
    ),
    (
        "muscle_biopsy_dm_features",
        "Muscle biopsy with DM features",
        "perifascicular atrophy and/or perifascicular MxA over-expression",
        _investigation(
            InvestigationKind.muscle_biopsy,
            InvestigationFinding.perifascicular_atrophy,
            InvestigationFinding.perifascicular_mxa,
        ),
    ),
    (
        "skin_biopsy_compatible",
        "Skin biopsy compatible with DM",
        "interface dermatitis, or a skin biopsy reported consistent with DM",
        _investigation(
            InvestigationKind.skin_biopsy,
            InvestigationFinding.interface_dermatitis,
            InvestigationFinding.consistent_with_dm,
        ),
    ),
    (
        "dm_specific_antibody",
        "DM-specific autoantibody",
        "anti-TIF1γ, anti-NXP2, anti-Mi-2, anti-MDA5 or anti-SAE positive",
        lambda rec, _c: rx.antibody_panel(rec, DM_SPECIFIC),
    ),
    (
        "no_clinical_weakness",
        "No clinical muscle weakness (documented)",
        "proximal strength examined in upper and lower limbs and normal",
        lambda rec, _c: rx.no_clinical_weakness(rec),
    ),
    (
        "normal_ck",
        "Normal CK (measured)",
        "every CK measured at or below the lab's upper limit of normal",
        lambda rec, _c: rx.normal_enzymes(rec, frozenset({Analyte.ck})),
    ),
    (
        "subclinical_muscle_involvement",
        "Subclinical muscle involvement",
        "myopathic EMG or MRI muscle oedema (hypomyopathic DM)",
        lambda rec, _c: r.combine(
            r.investigation_finding(rec, InvestigationKind.emg, [InvestigationFinding.myopathic]),
            r.investigation_finding(
                rec, InvestigationKind.mri, [InvestigationFinding.muscle_oedema]
            ),
        ),
    ),
)

RULE = (
    "definite (DM): DM skin finding + (weakness or raised CK or DM muscle pathology); "
    "hypomyopathic_dm / amyopathic_dm: DM skin finding + (compatible skin biopsy or DM-specific "
    "antibody) + no clinical weakness + normal CK, with / without myopathic EMG or MRI oedema; "
    "probable: DM skin finding + (skin biopsy or DM-specific antibody), muscle status "
    "undocumented; dm_sine_dermatitis: no DM skin finding + DM muscle pathology; otherwise "
    "not_met. Subtype by DM-specific antibody."
)


#: What each category means under the reading in force; every result names its own (issue 7:
#: "probable" is not a class of the 2018 criteria, which the spec could not confirm).
READINGS: Mapping[str, str] = {
    "definite": "2018 'DM': DM skin findings with muscle involvement (weakness on both sides, "
    "raised CK alone, or DM muscle pathology).",
    "hypomyopathic_dm": "2018 'amyopathic DM' with subclinical muscle involvement (EMG or MRI).",
    "amyopathic_dm": "2018 'amyopathic DM': skin findings, skin biopsy or DM-specific antibody, "
    "no weakness and normal CK documented.",
    "probable": "'probable' is NOT a class of the ENMC 2018 criteria: heliotrope uses this "
    "Appendix A id for skin findings with a DM-specific antibody or compatible skin biopsy "
    "while muscle involvement is undocumented, so 2018 'DM' and 'amyopathic DM' cannot be told "
    "apart; document strength and CK to decide.",
    "dm_sine_dermatitis": "2018 'DM sine dermatitis': no DM skin findings, DM muscle pathology "
    "(perifascicular atrophy or MxA) with or without weakness or a DM-specific antibody.",
    "not_met": "none of the 2018 classes holds on the documented facts.",
}


@cache
def definition() -> Definition:
    """The ENMC 2018 DM classification as a decision list."""
    skin = Any(Item("heliotrope_rash"), Item("gottron_papules"), Item("gottron_sign"))
    muscle = Any(Item("proximal_weakness"), Item("elevated_ck"), Item("muscle_biopsy_dm_features"))
    support = Any(Item("skin_biopsy_compatible"), Item("dm_specific_antibody"))
    amyopathic = All(skin, support, Item("no_clinical_weakness"), Item("normal_ck"))
    category = Decide(
        (
            ("definite", All(skin, muscle)),
            ("hypomyopathic_dm", All(amyopathic, Item("subclinical_muscle_involvement"))),
            ("amyopathic_dm", amyopathic),
            ("probable", All(skin, support)),
            ("dm_sine_dermatitis", All(Not(skin), Item("muscle_biopsy_dm_features"))),
        ),
        otherwise="not_met",
        label="category",
    )
    return Definition(
        id=ID,
        version=VERSION,
        title="ENMC 2018 dermatomyositis classification (239th workshop)",
        citation=CITATION,
        summary="DM / amyopathic DM / DM sine dermatitis from skin, muscle, skin biopsy and "
        "DM-specific antibody domains, with the antibody-defined subtype.",
        items=tuple(ItemSpec(k, label, text, read) for k, label, text, read in ITEMS),
        outcome=category,
        categories=CATEGORIES,
        caveats=(UNCONFIRMED,),
        rule=RULE,
        derive=_derive,
    )


def subtype(positives: tuple[AntibodyName, ...]) -> str | None:
    """``anti-TIF1γ DM`` from the positive DM-specific antibodies (joined with '/' if several)."""
    if not positives:
        return None
    return "/".join(ANTIBODY_LABELS[a] for a in positives) + " DM"


def _derive(record: PatientRecord, _ctx: Context, found: Mapping[str, ItemResult]) -> Derived:
    category = rx.headline_category(definition().outcome, found)
    classified = category != "not_met"
    positives = rx.positive_antibodies(record, DM_SPECIFIC)
    tested = {t.name for t in record.antibodies if t.result != AntibodyResult.not_tested}
    untested = [ANTIBODY_LABELS[a] for a in DM_SPECIFIC if a not in tested]
    caveats: list[str] = []
    notes: list[str] = []
    if untested:
        caveats.append(
            "The workshop made testing of all five DM-specific antibodies mandatory; not "
            "tested: " + ", ".join(untested) + "."
        )
    if len(positives) > 1:
        caveats.append(
            "More than one DM-specific antibody is positive, which is unusual: check the "
            "assays before relying on the subtype."
        )
    notes.append(f"Reading used (unconfirmed structure, spec §3): {READINGS[category]}")
    if found["dm_specific_antibody"].status is ItemStatus.absent:
        notes.append("All five DM-specific antibodies negative: no antibody-defined subtype.")
    return Derived(
        values={
            "subtype": subtype(positives) if classified else None,
            "dm_specific_antibodies": [a.value for a in positives],
        },
        caveats=tuple(caveats),
        notes=tuple(notes),
    )


def assess(record: PatientRecord, context: Context | None = None) -> CriterionResult:
    """Classify ``record`` by the ENMC 2018 DM classification (structure unconfirmed)."""
    return evaluate(definition(), record, context)
