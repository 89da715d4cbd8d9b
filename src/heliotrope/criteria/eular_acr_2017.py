"""2017 EULAR/ACR classification criteria for adult and juvenile idiopathic inflammatory
myopathies (IIM) and their major subgroups.

Lundberg IE, Tjärnlund A, Bottai M, et al. 2017 European League Against Rheumatism/American
College of Rheumatology classification criteria for adult and juvenile idiopathic inflammatory
myopathies and their major subgroups. Ann Rheum Dis 2017;76:1955–1964
(doi 10.1136/annrheumdis-2017-211468); Arthritis Rheumatol 2017;69:2271–2282
(doi 10.1002/art.40320). Spec §2.

- Two scoring paths: without muscle biopsy (12 items) and with biopsy (16 items, re-estimated
  weights). The path is chosen by whether a muscle biopsy was performed; weights never mix.
- Items are additive: heliotrope rash, Gottron's papules and Gottron's sign each count.
- P(IIM) = 1 / (1 + exp(5.33 − S)) without biopsy, 1 / (1 + exp(6.49 − S)) with biopsy.
- Categories by the published score cut-offs (default), or by probability (option
  ``eular_boundary_rule: probability``): at S = 5.5 and 7.5 without biopsy the two disagree
  (P = 54.2% and 89.75%), so both S and P are reported with the rule applied (spec §2.3).
- Subgroups (only when probable or definite): JDM, juvenile non-JDM, DM, ADM, IBM, PM (§2.4).
- Entry condition: no better explanation for the symptoms.
- Age items: exactly one band applies to any onset age; an imprecise age that straddles 40 or
  18 is evaluated band by band (``criteria.exclusive``): the headline counts the lower weight,
  the range never counts two age items. When the onset date is missing the diagnosis date
  stands in for it, and the result says so.
- Karolinska calculator rule: without DM skin signs the with-biopsy path should be used; on the
  no-biopsy path with no skin sign the authors' calculator does not classify. The result says
  so prominently: the value ``classified_by_authors_calculator`` is false and the first caveat
  says "not classified" (the category is still computed, for information).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache

from heliotrope.criteria import readers as r
from heliotrope.criteria.exclusive import evaluate_exclusive
from heliotrope.criteria.weakness import symmetric_weakness
from heliotrope.errors import CriteriaError
from heliotrope.logic import (
    All,
    Any,
    Bands,
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
    Logistic,
    Node,
    Not,
    Threshold,
    WeightedSum,
    read_items,
)
from heliotrope.model.record import PatientRecord
from heliotrope.model.vocabulary import (
    DISTAL_LOWER,
    MUSCLE_ENZYMES_EULAR,
    PROXIMAL_LOWER,
    PROXIMAL_UPPER,
    AntibodyName,
    FindingCode,
    InvestigationFinding,
    InvestigationKind,
    Status,
)

__all__ = ["CITATION", "ID", "TABLE", "assess", "biopsy_performed", "definition"]

ID = "eular_acr_2017"
VERSION = "myositis.eular_acr_2017.v1"
CITATION = Citation(
    authors="Lundberg IE, Tjärnlund A, Bottai M, et al.",
    title="2017 European League Against Rheumatism/American College of Rheumatology "
    "classification criteria for adult and juvenile idiopathic inflammatory myopathies and "
    "their major subgroups",
    journal="Ann Rheum Dis",
    year=2017,
    volume_pages="76:1955–1964",
    doi="10.1136/annrheumdis-2017-211468",
)
INTERCEPT = {False: 5.33, True: 6.49}
SCORE_CUTOFFS = {  # (possible, probable, definite) lower bounds, spec §2.3
    False: (5.3, 5.5, 7.5),
    True: (6.5, 6.7, 8.7),
}
PROBABILITY_CUTOFFS = (0.50, 0.55, 0.90)
CATEGORIES = ("not_iim", "possible", "probable", "definite")

Reader = Callable[[PatientRecord, Context], ItemFinding]


@dataclass(frozen=True)
class Row:
    """One line of the paper's Table 1: item, weights without / with biopsy, definition."""

    key: str
    label: str
    without_biopsy: float | None
    with_biopsy: float
    definition: str


TABLE: tuple[Row, ...] = (
    Row(
        "age_onset_18_to_40",
        "Age of onset of first symptom ≥18 and <40 years",
        1.3,
        1.5,
        "18 ≤ age at onset of the first symptom assumed related to the disease < 40",
    ),
    Row(
        "age_onset_40_plus",
        "Age of onset of first symptom ≥40 years",
        2.1,
        2.2,
        "age at onset of the first symptom assumed related to the disease ≥ 40",
    ),
    Row(
        "weakness_proximal_upper",
        "Objective symmetric weakness, proximal upper extremities",
        0.7,
        0.7,
        "weakness on manual muscle or other objective testing, both sides, usually progressive",
    ),
    Row(
        "weakness_proximal_lower",
        "Objective symmetric weakness, proximal lower extremities",
        0.8,
        0.5,
        "as above, lower extremities",
    ),
    Row(
        "neck_flexors_weaker_than_extensors",
        "Neck flexors relatively weaker than neck extensors",
        1.9,
        1.6,
        "muscle grade of neck flexors lower than neck extensors",
    ),
    Row(
        "legs_proximal_weaker_than_distal",
        "In the legs, proximal muscles relatively weaker than distal",
        0.9,
        1.2,
        "muscle grades of proximal leg muscles lower than distal",
    ),
    Row(
        "heliotrope_rash",
        "Heliotrope rash",
        3.1,
        3.2,
        "purple, lilac or erythematous patches over the eyelids or periorbital, often with "
        "periorbital oedema",
    ),
    Row(
        "gottron_papules",
        "Gottron's papules",
        2.1,
        2.7,
        "erythematous to violaceous papules over extensor surfaces of joints, sometimes scaly",
    ),
    Row(
        "gottron_sign",
        "Gottron's sign",
        3.3,
        3.7,
        "erythematous to violaceous macules (not palpable) over extensor surfaces of joints",
    ),
    Row(
        "dysphagia_or_oesophageal_dysmotility",
        "Dysphagia or oesophageal dysmotility",
        0.7,
        0.6,
        "difficulty in swallowing or objective evidence of abnormal oesophageal motility",
    ),
    Row(
        "anti_jo1",
        "Anti-Jo-1 (anti-histidyl-tRNA synthetase) autoantibody present",
        3.9,
        3.8,
        "autoantibody testing with a standardised, validated test",
    ),
    Row(
        "elevated_muscle_enzymes",
        "Elevated CK, LDH, AST or ALT",
        1.3,
        1.4,
        "the most abnormal value during the disease course above the lab's upper limit of "
        "normal; one item however many enzymes are raised (aldolase is not listed)",
    ),
    Row(
        "biopsy_endomysial_infiltrate",
        "Endomysial infiltration of mononuclear cells surrounding, but not invading, myofibres",
        None,
        1.7,
        "endomysial mononuclear cells abutting the sarcolemma of non-necrotic fibres",
    ),
    Row(
        "biopsy_perimysial_perivascular_infiltrate",
        "Perimysial and/or perivascular infiltration of mononuclear cells",
        None,
        1.2,
        "mononuclear cells in the perimysium and/or around blood vessels",
    ),
    Row(
        "biopsy_perifascicular_atrophy",
        "Perifascicular atrophy",
        None,
        1.9,
        "several rows of muscle fibres smaller at the periphery of fascicles than centrally",
    ),
    Row(
        "biopsy_rimmed_vacuoles",
        "Rimmed vacuoles",
        None,
        3.1,
        "basophilic-rimmed vacuoles on H&E, reddish on modified Gomori trichrome",
    ),
)

#: Exactly one of these applies to any onset age (``criteria.exclusive``).
AGE_ITEMS = ("age_onset_under_18", "age_onset_18_to_40", "age_onset_40_plus")

# Items the subgroup tree and the entry condition read, which carry no points.
TREE_ITEMS: tuple[tuple[str, str, str], ...] = (
    (
        "age_onset_under_18",
        "Age of onset of first symptom <18 years",
        "juvenile onset: selects the juvenile branch of the subgroup tree",
    ),
    ("finger_flexor_weakness", "Finger flexor weakness", "IBM branch of the subgroup tree"),
    ("no_response_to_treatment", "No response to treatment", "IBM branch of the subgroup tree"),
    (
        "better_explanation",
        "A better explanation for the symptoms exists",
        "entry condition: the criteria apply only when there is no better explanation",
    ),
)


def _biopsy(*features: InvestigationFinding) -> Reader:
    return lambda rec, _ctx: r.investigation_finding(rec, InvestigationKind.muscle_biopsy, features)


def _better_explanation(record: PatientRecord, _ctx: Context) -> ItemFinding:
    status = record.myositis.better_explanation
    ev = (Evidence(path="myositis.better_explanation", summary=f"better explanation: {status}"),)
    if status == Status.present:
        return ItemFinding(ItemStatus.present, ev)
    if status == Status.absent:
        return ItemFinding(ItemStatus.absent, ev)
    return ItemFinding(ItemStatus.unknown, ev, "entry condition not recorded")


def _dysphagia(record: PatientRecord) -> ItemFinding:
    """Item 10. Documented choice (spec §11.2 worked example, "No (denied)"): when dysphagia is
    denied and oesophageal motility was not tested, the item is absent — objective motility
    testing follows symptoms. Documented dysmotility makes it present; with dysphagia not
    assessed the item stays unknown."""
    dysphagia = r.finding(record, FindingCode.dysphagia)
    motility = r.finding(record, FindingCode.oesophageal_dysmotility)
    if ItemStatus.present in (dysphagia.status, motility.status):
        return r.combine(dysphagia, motility)
    if dysphagia.status is ItemStatus.absent:
        note = (
            None
            if motility.status is ItemStatus.absent
            else "dysphagia denied; motility not tested"
        )
        return ItemFinding(ItemStatus.absent, dysphagia.evidence + motility.evidence, note)
    return r.finding(record, FindingCode.dysphagia, FindingCode.oesophageal_dysmotility)


READERS: Mapping[str, Reader] = {
    "age_onset_18_to_40": lambda rec, _c: r.age_band(rec, 18, 40),
    "age_onset_40_plus": lambda rec, _c: r.age_band(rec, 40, None),
    "age_onset_under_18": lambda rec, _c: r.age_band(rec, None, 18),
    "weakness_proximal_upper": lambda rec, _c: symmetric_weakness(
        rec, FindingCode.weakness_proximal_upper, PROXIMAL_UPPER
    ),
    "weakness_proximal_lower": lambda rec, _c: symmetric_weakness(
        rec, FindingCode.weakness_proximal_lower, PROXIMAL_LOWER
    ),
    "neck_flexors_weaker_than_extensors": lambda rec, _c: r.muscle_comparison(
        rec,
        FindingCode.neck_flexors_weaker_than_extensors,
        r.NECK_FLEXORS,
        r.NECK_EXTENSORS,
        FindingCode.weakness_neck_flexors,
    ),
    "legs_proximal_weaker_than_distal": lambda rec, _c: r.muscle_comparison(
        rec,
        FindingCode.legs_proximal_weaker_than_distal,
        PROXIMAL_LOWER,
        DISTAL_LOWER,
        FindingCode.weakness_proximal_lower,
    ),
    "heliotrope_rash": lambda rec, _c: r.finding(rec, FindingCode.heliotrope_rash),
    "gottron_papules": lambda rec, _c: r.finding(rec, FindingCode.gottron_papules),
    "gottron_sign": lambda rec, _c: r.finding(rec, FindingCode.gottron_sign),
    "dysphagia_or_oesophageal_dysmotility": lambda rec, _c: _dysphagia(rec),
    "anti_jo1": lambda rec, _c: r.antibody(rec, AntibodyName.anti_jo1),
    "elevated_muscle_enzymes": lambda rec, _c: r.elevated_enzymes(rec, MUSCLE_ENZYMES_EULAR),
    "biopsy_endomysial_infiltrate": _biopsy(InvestigationFinding.endomysial_infiltrate),
    "biopsy_perimysial_perivascular_infiltrate": _biopsy(
        InvestigationFinding.perimysial_perivascular_infiltrate
    ),
    "biopsy_perifascicular_atrophy": _biopsy(InvestigationFinding.perifascicular_atrophy),
    "biopsy_rimmed_vacuoles": _biopsy(InvestigationFinding.rimmed_vacuoles),
    "finger_flexor_weakness": lambda rec, _c: r.finding(rec, FindingCode.finger_flexor_weakness),
    "no_response_to_treatment": lambda rec, _c: r.finding(
        rec, FindingCode.no_response_to_treatment
    ),
    "better_explanation": _better_explanation,
}


def biopsy_performed(record: PatientRecord) -> bool:
    """The with-biopsy path applies when a muscle biopsy was performed (spec §2.3)."""
    return any(
        inv.kind == InvestigationKind.muscle_biopsy and inv.performed
        for inv in record.investigations
    )


@cache
def definition(biopsy: bool, boundary_rule: str = "score") -> Definition:
    """The criteria for one path; ``boundary_rule`` is ``score`` (default) or ``probability``."""
    if boundary_rule not in ("score", "probability"):
        raise CriteriaError(
            f"Option eular_boundary_rule (--eular-boundary-rule) must be 'score' or "
            f"'probability', not {boundary_rule!r}."
        )
    rows = [row for row in TABLE if biopsy or row.without_biopsy is not None]
    weight = {row.key: (row.with_biopsy if biopsy else row.without_biopsy) for row in rows}
    items = [
        ItemSpec(row.key, row.label, row.definition, READERS[row.key], weight[row.key])
        for row in rows
    ] + [ItemSpec(key, label, text, READERS[key]) for key, label, text in TREE_ITEMS]

    score = WeightedSum(tuple((k, float(w)) for k, w in weight.items() if w is not None))
    probability = Logistic(score, INTERCEPT[biopsy])
    if boundary_rule == "score":
        measure: Node = score
        cuts = SCORE_CUTOFFS[biopsy]
    else:
        measure, cuts = probability, PROBABILITY_CUTOFFS
    bands = Bands(measure, tuple(zip(cuts, CATEGORIES[1:], strict=True)), below="not_iim")
    category = Decide(
        (("not_iim", Item("better_explanation")), ("*", bands)),
        otherwise="not_iim",
        label="category",
    )

    skin = Any(Item("heliotrope_rash"), Item("gottron_papules"), Item("gottron_sign"))
    weakness = Any(Item("weakness_proximal_upper"), Item("weakness_proximal_lower"))
    ibm_parts: list[Node] = [All(Item("finger_flexor_weakness"), Item("no_response_to_treatment"))]
    if biopsy:
        ibm_parts.append(Item("biopsy_rimmed_vacuoles"))
    subgroup = Decide(
        (
            ("none", Not(Threshold(measure, cuts[1]))),
            ("none", Item("better_explanation")),
            ("JDM", All(Item("age_onset_under_18"), skin)),
            ("juvenile_non_jdm", Item("age_onset_under_18")),
            ("DM", All(skin, weakness)),
            ("ADM", skin),
            ("IBM", Any(*ibm_parts)),
        ),
        otherwise="PM",
        label="subgroup",
    )
    path = "with" if biopsy else "without"
    return Definition(
        id=ID,
        version=VERSION,
        title="2017 EULAR/ACR classification criteria for IIM",
        citation=CITATION,
        summary=f"Weighted score {path} muscle biopsy; probability by logistic model; "
        "subgroup tree when probable or definite.",
        items=tuple(items),
        outcome=category,
        categories=CATEGORIES,
        outputs={"score": score, "probability": probability, "subgroup": subgroup},
        rule=f"{path}-biopsy path; categories by published "
        + ("score cut-offs" if boundary_rule == "score" else "probability cut-offs")
        + " ("
        + ", ".join(f"{c} ≥ {v:g}" for c, v in zip(CATEGORIES[1:], cuts, strict=True))
        + ")",
        derive=lambda rec, ctx, found: _derive(biopsy, boundary_rule, rec, found),
    )


def _category(value: float, cuts: tuple[float, float, float]) -> str:
    out = "not_iim"
    for bound, name in zip(cuts, CATEGORIES[1:], strict=True):
        if value >= bound:
            out = name
    return out


def _derive(
    biopsy: bool, rule: str, record: PatientRecord, found: Mapping[str, ItemResult]
) -> Derived:
    score = round(sum(i.counted or 0.0 for i in found.values() if i.points is not None), 1)
    probability = Logistic.probability(score, INTERCEPT[biopsy])
    caveats: list[str] = []
    notes: list[str] = []
    by_score = _category(score, SCORE_CUTOFFS[biopsy])
    by_probability = _category(probability, PROBABILITY_CUTOFFS)
    if by_score != by_probability:
        used = by_score if rule == "score" else by_probability
        caveats.append(
            f"Boundary: score {score:g} gives '{by_score}' by the published score cut-offs but "
            f"P = {probability:.1%} gives '{by_probability}' by probability; classified as "
            f"'{used}' by the {rule} rule (spec §2.3)."
        )
    skin = [found[k].status for k in ("heliotrope_rash", "gottron_papules", "gottron_sign")]
    calculator_classifies = biopsy or ItemStatus.present in skin
    if not calculator_classifies:
        caveats.insert(
            0,
            "NOT CLASSIFIED BY THE AUTHORS' CALCULATOR: no heliotrope rash, Gottron's papules "
            "or Gottron's sign and no muscle biopsy. Without DM skin signs, muscle-biopsy "
            "features should be present to classify as IIM (Karolinska calculator "
            "instructions); the score below is on the no-biopsy path and is shown for "
            "information only.",
        )
    if found["better_explanation"].status is ItemStatus.present:
        caveats.append(
            "A better explanation for the symptoms is recorded: the criteria do not apply."
        )
    if record.myositis.onset is None and record.myositis.diagnosis is not None:
        notes.append(f"Age at onset: {r.ONSET_FROM_DIAGNOSIS}.")
    if not biopsy:
        notes.append("No muscle biopsy performed: scored on the without-biopsy path (12 items).")
    return Derived(
        values={
            "score": score,
            "probability": round(probability, 4),
            "biopsy_path": biopsy,
            "classified_by_authors_calculator": calculator_classifies,
        },
        caveats=tuple(caveats),
        notes=tuple(notes),
    )


def assess(record: PatientRecord, context: Context | None = None) -> CriterionResult:
    """Classify ``record`` by the 2017 EULAR/ACR criteria."""
    context = context or Context()
    rule = str(context.option("eular_boundary_rule", "score"))
    criteria = definition(biopsy_performed(record), rule)
    items = read_items(criteria, record, context)
    return evaluate_exclusive(criteria, items, record, context, AGE_ITEMS)
