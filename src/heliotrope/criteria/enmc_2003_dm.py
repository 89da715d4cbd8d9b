"""ENMC 2003 (119th workshop) diagnostic criteria for dermatomyositis.

Hoogendijk JE, Amato AA, Lecky BR, et al. 119th ENMC international workshop: trial design in
adult idiopathic inflammatory myopathies, with the exception of inclusion body myositis, 10–12
October 2003, Naarden, The Netherlands. Neuromuscul Disord 2004;14:337–345. Spec §3 (the
"older ENMC 2003 criteria", which the spec recommends implementing as a separate set).

Criteria (numbering of the paper's muscle-biopsy criteria in brackets)
- Clinical criteria: symmetric proximal weakness and a rash typical of DM (heliotrope rash,
  periorbital oedema, Gottron's papules or sign, V-sign, shawl sign, holster sign), with none of
  the clinical exclusion criteria (IBM features, ocular weakness, toxic or endocrine myopathy,
  dystrophy...).
- Elevated serum CK.
- Other laboratory criteria (1 of 3): myopathic EMG; MRI muscle oedema; a myositis-specific
  antibody.
- Muscle biopsy: perifascicular atrophy [4c]; MAC deposition on capillaries, reduced capillary
  density, tubuloreticular inclusions or perifascicular MxA [4d]; perivascular / perimysial
  infiltrate [4e].

Categories (first rule that holds)
1. ``definite``: all clinical criteria + perifascicular atrophy [4c].
2. ``probable``: all clinical criteria + [4d] or [4e], or elevated CK, or another laboratory
   criterion.
3. ``amyopathic_dm``: typical rash + skin biopsy consistent with DM + no objective weakness +
   normal CK + normal EMG + muscle biopsy, if done, without definite / probable DM features.
4. ``possible_dm_sine_dermatitis``: clinical criteria except the rash + elevated CK + another
   laboratory criterion + [4c] or [4d].
5. ``not_met`` otherwise.

Simplifications (caveats in every result): the clinical inclusion criteria on age and mode of
onset are not modelled; the skin-biopsy features of amyopathic DM (reduced capillary density,
MAC deposition) are represented by a biopsy reported "consistent with DM"; criterion [4d] is
represented by perifascicular MxA, the only one of its features in the record vocabulary.
Unknown items count as absent in the headline (publication convention); "no weakness", "normal
CK" and "normal EMG" are present only when documented.
"""

from __future__ import annotations

from collections.abc import Callable
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
    Item,
    ItemFinding,
    ItemSpec,
    ItemStatus,
    Not,
    evaluate,
)
from heliotrope.model.record import PatientRecord
from heliotrope.model.vocabulary import (
    ANTISYNTHETASE_ANTIBODIES,
    DM_SPECIFIC_ANTIBODIES,
    Analyte,
    AntibodyName,
    FindingCode,
    InvestigationFinding,
    InvestigationKind,
)

__all__ = ["CATEGORIES", "CITATION", "ID", "ITEMS", "VERSION", "assess", "definition"]

ID = "enmc_2003_dm"
VERSION = "myositis.enmc_2003_dm.v1"
CITATION = Citation(
    authors="Hoogendijk JE, Amato AA, Lecky BR, et al.",
    title="119th ENMC international workshop: trial design in adult idiopathic inflammatory "
    "myopathies, with the exception of inclusion body myositis, 10–12 October 2003, Naarden, "
    "The Netherlands",
    journal="Neuromuscul Disord",
    year=2004,
    volume_pages="14:337–345",
)
CATEGORIES = (
    "not_met",
    "possible_dm_sine_dermatitis",
    "amyopathic_dm",
    "probable",
    "definite",
)
RASH_2003 = (
    FindingCode.heliotrope_rash,
    FindingCode.periorbital_oedema,
    FindingCode.gottron_papules,
    FindingCode.gottron_sign,
    FindingCode.v_sign,
    FindingCode.shawl_sign,
    FindingCode.holster_sign,
    FindingCode.dm_rash,
)
MYOSITIS_SPECIFIC = tuple(
    sorted(
        DM_SPECIFIC_ANTIBODIES
        | ANTISYNTHETASE_ANTIBODIES
        | {AntibodyName.anti_srp, AntibodyName.anti_hmgcr},
        key=lambda a: a.value,
    )
)
DM_BIOPSY = (  # 4c, 4d, 4e: the features of definite / probable DM
    InvestigationFinding.perifascicular_atrophy,
    InvestigationFinding.perifascicular_mxa,
    InvestigationFinding.perimysial_perivascular_infiltrate,
)
SIMPLIFICATIONS = (
    "ENMC 2003 simplified: onset age and mode are not modelled; amyopathic-DM skin-biopsy "
    "features (reduced capillary density, MAC deposition) are read from a biopsy reported "
    "consistent with DM; biopsy criterion 4d is read from perifascicular MxA only."
)

Reader = Callable[[PatientRecord, Context], ItemFinding]


def _biopsy(*wanted: InvestigationFinding) -> Reader:
    return lambda rec, _c: r.investigation_finding(rec, InvestigationKind.muscle_biopsy, wanted)


def _biopsy_not_dm(record: PatientRecord, _ctx: Context) -> ItemFinding:
    """Muscle biopsy, if done, without definite or probable DM features (4c, 4d, 4e)."""
    done = [
        (f"investigations[{i}]", e)
        for i, e in enumerate(record.investigations)
        if e.kind == InvestigationKind.muscle_biopsy
    ]
    if not any(e.performed for _, e in done):
        if any(e.performed is None for _, e in done):
            return ItemFinding(
                ItemStatus.unknown,
                r.evidence(record, done),
                "whether a muscle biopsy was performed is not known",
            )
        note = "no muscle biopsy performed" if done else "no muscle biopsy recorded"
        return ItemFinding(ItemStatus.present, r.evidence(record, done), note)
    features = _biopsy(*DM_BIOPSY)(record, Context())
    return rx.mirror(features, "muscle biopsy without DM features")


def _normal_emg(record: PatientRecord, _ctx: Context) -> ItemFinding:
    return rx.investigation_normal(record, InvestigationKind.emg)


# key, label, definition, reader
ITEMS: tuple[tuple[str, str, str, Reader], ...] = (
    (
        "dm_rash",
        "Rash typical of DM",
        "heliotrope, periorbital oedema, Gottron's papules/sign, V-sign, shawl or holster sign",
        lambda rec, _c: r.finding(rec, *r.recorded(rec, RASH_2003)),
    ),
    (
        "proximal_weakness",
        "Symmetric proximal weakness",
        "objective proximal weakness of upper or lower limbs",
        lambda rec, _c: rx.proximal_weakness(rec),
    ),
    (
        "clinical_exclusions",
        "A clinical exclusion criterion is present",
        "IBM features, ocular weakness, toxic or endocrine myopathy, dystrophy and the like",
        lambda rec, _c: r.exclusions(rec),
    ),
    (
        "elevated_ck",
        "Elevated serum CK",
        "CK above the lab's upper limit of normal",
        lambda rec, _c: r.elevated_enzymes(rec, frozenset({Analyte.ck})),
    ),
    (
        "myopathic_emg",
        "Myopathic EMG",
        "other laboratory criterion (a)",
        lambda rec, _c: r.investigation_finding(
            rec, InvestigationKind.emg, [InvestigationFinding.myopathic]
        ),
    ),
    (
        "mri_muscle_oedema",
        "MRI muscle oedema",
        "other laboratory criterion (b): diffuse or patchy increased signal on STIR",
        lambda rec, _c: r.investigation_finding(
            rec, InvestigationKind.mri, [InvestigationFinding.muscle_oedema]
        ),
    ),
    (
        "myositis_specific_antibody",
        "Myositis-specific antibody",
        "other laboratory criterion (c): any myositis-specific antibody positive",
        lambda rec, _c: rx.antibody_panel(rec, MYOSITIS_SPECIFIC),
    ),
    (
        "biopsy_perifascicular_atrophy",
        "Perifascicular atrophy [4c]",
        "muscle biopsy: perifascicular atrophy",
        _biopsy(InvestigationFinding.perifascicular_atrophy),
    ),
    (
        "biopsy_microvascular",
        "Capillary / perifascicular changes [4d]",
        "MAC on capillaries, reduced capillary density, tubuloreticular inclusions or "
        "perifascicular MxA (read from perifascicular MxA)",
        _biopsy(InvestigationFinding.perifascicular_mxa),
    ),
    (
        "biopsy_perimysial_perivascular_infiltrate",
        "Perivascular, perimysial infiltrate [4e]",
        "muscle biopsy: perivascular and perimysial inflammatory infiltrate",
        _biopsy(InvestigationFinding.perimysial_perivascular_infiltrate),
    ),
    (
        "skin_biopsy_dm",
        "Skin biopsy consistent with DM",
        "reduced capillary density and MAC deposition (read from 'consistent with DM')",
        lambda rec, _c: r.investigation_finding(
            rec, InvestigationKind.skin_biopsy, [InvestigationFinding.consistent_with_dm]
        ),
    ),
    (
        "no_objective_weakness",
        "No objective weakness (documented)",
        "proximal strength examined in upper and lower limbs and normal",
        lambda rec, _c: rx.no_clinical_weakness(rec),
    ),
    (
        "normal_ck",
        "Normal serum CK (measured)",
        "every CK measured at or below the lab's upper limit of normal",
        lambda rec, _c: rx.normal_enzymes(rec, frozenset({Analyte.ck})),
    ),
    ("normal_emg", "Normal EMG", "EMG performed and reported normal", _normal_emg),
    (
        "muscle_biopsy_not_dm",
        "Muscle biopsy, if done, not DM",
        "no muscle biopsy, or one without definite / probable DM features (4c, 4d, 4e)",
        _biopsy_not_dm,
    ),
)

RULE = (
    "definite: rash + proximal weakness + no exclusion + perifascicular atrophy; probable: "
    "the clinical criteria + (4d or 4e or elevated CK or myopathic EMG or MRI oedema or MSA); "
    "amyopathic_dm: rash + DM skin biopsy + no weakness + normal CK + normal EMG + muscle "
    "biopsy (if done) not DM; possible_dm_sine_dermatitis: no rash + weakness + no exclusion + "
    "elevated CK + another laboratory criterion + (4c or 4d); otherwise not_met."
)


@cache
def definition() -> Definition:
    """The ENMC 2003 DM criteria as a decision list."""
    clinical = All(Item("dm_rash"), Item("proximal_weakness"), Not(Item("clinical_exclusions")))
    other_lab = Any(
        Item("myopathic_emg"), Item("mri_muscle_oedema"), Item("myositis_specific_antibody")
    )
    category = Decide(
        (
            ("definite", All(clinical, Item("biopsy_perifascicular_atrophy"))),
            (
                "probable",
                All(
                    clinical,
                    Any(
                        Item("biopsy_microvascular"),
                        Item("biopsy_perimysial_perivascular_infiltrate"),
                        Item("elevated_ck"),
                        other_lab,
                    ),
                ),
            ),
            (
                "amyopathic_dm",
                All(
                    Item("dm_rash"),
                    Item("skin_biopsy_dm"),
                    Item("no_objective_weakness"),
                    Item("normal_ck"),
                    Item("normal_emg"),
                    Item("muscle_biopsy_not_dm"),
                ),
            ),
            (
                "possible_dm_sine_dermatitis",
                All(
                    Not(Item("dm_rash")),
                    Item("proximal_weakness"),
                    Not(Item("clinical_exclusions")),
                    Item("elevated_ck"),
                    other_lab,
                    Any(Item("biopsy_perifascicular_atrophy"), Item("biopsy_microvascular")),
                ),
            ),
        ),
        otherwise="not_met",
        label="category",
    )
    return Definition(
        id=ID,
        version=VERSION,
        title="ENMC 2003 dermatomyositis criteria (119th workshop)",
        citation=CITATION,
        summary="Definite / probable DM, amyopathic DM and possible DM sine dermatitis from "
        "clinical, CK, laboratory and biopsy criteria.",
        items=tuple(ItemSpec(k, label, text, read) for k, label, text, read in ITEMS),
        outcome=category,
        categories=CATEGORIES,
        caveats=(SIMPLIFICATIONS,),
        rule=RULE,
    )


def assess(record: PatientRecord, context: Context | None = None) -> CriterionResult:
    """Classify ``record`` by the ENMC 2003 DM criteria."""
    return evaluate(definition(), record, context)
