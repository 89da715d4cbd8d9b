"""IMACS 2023 IIM-associated cancer screening: the risk category.

Oldroyd AGS, Callen JP, Chinoy H, et al. International Guideline for Idiopathic Inflammatory
Myopathy-Associated Cancer Screening: an International Myositis Assessment and Clinical Studies
Group (IMACS) initiative. *Nat Rev Rheumatol* 2023;19:805-817 (doi 10.1038/s41584-023-01045-w;
author correction *Nat Rev Rheumatol* 2024;20:315), Fig. 1 (clinical spec section 7).

Risk is stratified on three domains (IIM subtype, autoantibody profile, clinical features).
Each fact counts once (spec §7.2): an IMNM subtype is not counted beside the anti-HMGCR,
anti-SRP or seronegative result that describes it. PM and CADM are not risk-raising (Oldroyd
2021 found them at reduced relative risk); the data file holds the tiers in force.
Each high- or intermediate-risk factor of the data file (``resources/imacs_2023.json``) is an
item of a kernel :class:`Definition`; the category is an ordered decision list over the counts
of factors per tier::

    not_applicable  juvenile onset (< 18 y), or diagnosis > 3 years after symptom onset
                    (never the date the assessment is run), or a known active cancer — the
                    last is heliotrope's policy (the Hong Kong validation study's exclusion),
                    not an IMACS rule; the factors still give the category they would
    high            >= 2 high-risk factors                                  ⚠ unconfirmed
    moderate        1 high-risk factor, or >= 2 intermediate-risk factors   ⚠ unconfirmed
    standard        otherwise

The combination rule comes from a single secondary source (EULAR 2024 Hong Kong validation
summary); the data file names the variant used and the result says it is unconfirmed. Unknown
factors count as absent in the headline; the result lists them, the categories they allow and
which of them alone would change the category.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from functools import lru_cache
from typing import Any

from heliotrope.errors import CriteriaError
from heliotrope.logic.definition import (
    Citation,
    Context,
    Definition,
    Derived,
    ItemFinding,
    ItemSpec,
)
from heliotrope.logic.evaluate import evaluate
from heliotrope.logic.nodes import Any as AnyOf
from heliotrope.logic.nodes import AtLeast, Count, Decide, Item, Node
from heliotrope.logic.result import CriterionResult, ItemResult, ItemStatus
from heliotrope.logic.truth import Truth
from heliotrope.model.record import PatientRecord, derived_cache
from heliotrope.model.vocabulary import AntibodyName
from heliotrope.screening import readers
from heliotrope.screening.data import Factor, ImacsData, RuleVariant, load_imacs_data
from heliotrope.screening.subtype import SubtypeInference, infer_subtype

__all__ = [
    "APPLICABILITY_KEYS",
    "CATEGORIES",
    "KNOWN_CANCER_NOTE",
    "assess_imacs",
    "imacs_definition",
    "rule_variant",
]

CATEGORIES = ("not_applicable", "standard", "moderate", "high")
APPLICABILITY_KEYS = ("juvenile_onset", "outside_3_year_window", "known_active_cancer")
KNOWN_CANCER_NOTE = (
    "known active cancer — screening guideline not directly applicable; "
    "oncological restaging instead (heliotrope's policy, following the exclusion of the Hong "
    "Kong validation study; not an IMACS 2023 rule)"
)
#: Subtype and antibody facts that describe the same patient (spec §7.2, "count each fact
#: once"): IMNM inferred or given beside anti-HMGCR, anti-SRP or seronegativity is one fact.
IMNM_ANTIBODIES = ("anti_hmgcr", "anti_srp")


def subtype_reading(data: ImacsData) -> str:
    """The subtype tiers in force, read from the data file (configurable there)."""
    tiers: dict[str, list[str]] = {"high": [], "intermediate": [], "lower": []}
    for factor in data.factors:
        if factor.domain == "subtype" and factor.match.kind == "subtype":
            tiers[factor.tier] += list(factor.match.subtypes)
    return (
        "Subtype factors in force (resources/imacs_2023.json): high-risk "
        + (", ".join(tiers["high"]) or "none")
        + "; intermediate "
        + (", ".join(tiers["intermediate"]) or "none")
        + " (IMNM counted only when no antibody fact — anti-HMGCR, anti-SRP, seronegativity — "
        "already describes it); not counted "
        + (", ".join(tiers["lower"]) or "none")
        + ". PM and CADM had a reduced relative risk in Oldroyd 2021 (RR 0.49, 0.44); "
        "Fig. 1 unread."
    )


_REASONS = {
    "juvenile_onset": "juvenile-onset IIM (onset before 18 years): routine IIM-associated "
    "cancer screening is not required",
    "outside_3_year_window": "myositis diagnosed more than 3 years after symptom onset: "
    "outside the guideline's scope (diagnosed within 3 years of onset)",
    "known_active_cancer": KNOWN_CANCER_NOTE,
}
_TRUTH = {ItemStatus.present: Truth.TRUE, ItemStatus.absent: Truth.FALSE}
Reader = Callable[[PatientRecord, Context], ItemFinding]


def _as_of(context: Context) -> date:
    return context.as_of or date.today()


def _subtype(record: PatientRecord, context: Context) -> SubtypeInference:
    """The subtype, inferred once per record, given subtype and date (kept beside the record:
    the factor readers and ``derive`` ask for it five times per assessment, issue 13)."""
    given = context.option("subtype", None)
    key = ("imacs_subtype", given, context.as_of)
    cache = derived_cache(record) if isinstance(given, str | None) else {}
    found: SubtypeInference | None = cache.get(key)
    if found is None:
        try:
            found = infer_subtype(record, given, context.as_of)
        except ValueError as exc:
            raise CriteriaError(str(exc)) from None
        cache[key] = found
    return found


def rule_variant(name: str | None = None, data: ImacsData | None = None) -> tuple[str, RuleVariant]:
    """(name, variant) of a combination rule; ``None`` gives the data file's default."""
    data = data or load_imacs_data()
    chosen = name or data.rules.default
    if chosen not in data.rules.variants:
        raise CriteriaError(
            f"Unknown IMACS 2023 rule variant {chosen!r}; use one of: "
            + ", ".join(sorted(data.rules.variants))
        )
    return chosen, data.rules.variants[chosen]


def _reader(factor: Factor) -> Reader:
    match = factor.match

    def read(record: PatientRecord, context: Context) -> ItemFinding:
        as_of = context.as_of
        if match.kind == "subtype":
            inferred = _subtype(record, context)
            inside = inferred.candidates & set(match.subtypes)
            if not inside:
                status = ItemStatus.absent
            elif inside == inferred.candidates:
                status = ItemStatus.present
            else:
                status = ItemStatus.unknown
            note = f"subtype {inferred.explanation}"
            if status is not ItemStatus.absent and "IMNM" in inside:
                described = _imnm_antibody_fact(record, as_of)
                if described is not None:
                    return ItemFinding(
                        ItemStatus.absent,
                        inferred.evidence + described.evidence,
                        f"{note}; IMNM is described by the antibody result, which is counted "
                        "in the antibody domain only (each fact once)",
                    )
            return ItemFinding(status, inferred.evidence, note)
        if match.kind == "antibody":
            return readers.read_antibody(record, match.antibodies, as_of)
        if match.kind == "seronegative":
            return readers.read_seronegative(record, match.antibodies, as_of)
        if match.kind == "age_over":
            return readers.read_age_over(record, match.years)
        if match.kind == "finding":
            return readers.read_finding(record, match.findings, as_of)
        return readers.read_lab_above_uln(record, match.analytes, as_of)

    return read


def _imnm_antibody_fact(record: PatientRecord, as_of: date | None) -> ItemFinding | None:
    """The antibody fact that already describes an IMNM patient, if any."""
    names = [AntibodyName(n) for n in IMNM_ANTIBODIES]
    for name in names:
        found = readers.read_antibody(record, (name,), as_of)
        if found.status is ItemStatus.present:
            return found
    data = load_imacs_data()
    for factor in data.factors:
        if factor.match.kind == "seronegative":
            found = readers.read_seronegative(record, factor.match.antibodies, as_of)
            if found.status is ItemStatus.present:
                return found
    return None


def _risk_node(variant: RuleVariant, data: ImacsData) -> Decide:
    tiers = {
        tier: tuple(Item(f.key) for f in data.counted_factors(tier))
        for tier in ("high", "intermediate")
    }
    rules: list[tuple[str, Node]] = []
    for decision in variant.decisions:
        conditions = [AtLeast(c.at_least, *tiers[c.tier]) for c in decision.any_of]
        node: Node = conditions[0] if len(conditions) == 1 else AnyOf(*conditions)
        rules.append((decision.category, node))
    return Decide(tuple(rules), variant.otherwise, label="IMACS 2023 risk")


def imacs_definition(rule: str | None = None, data: ImacsData | None = None) -> Definition:
    """The IMACS 2023 risk category as a kernel definition (id ``imacs_2023``)."""
    data = data or load_imacs_data()
    rule_name, variant = rule_variant(rule, data)
    counted = [f for f in data.factors if f.tier != "lower"]
    lower = [f for f in data.factors if f.tier == "lower"]
    scope = data.scope

    def juvenile(record: PatientRecord, context: Context) -> ItemFinding:
        return readers.read_juvenile_onset(record, scope.adult_age_years)

    def window(record: PatientRecord, context: Context) -> ItemFinding:
        return readers.read_outside_window(record, scope.window_months, _as_of(context))

    def cancer(record: PatientRecord, context: Context) -> ItemFinding:
        return readers.read_active_cancer(record, context.as_of)

    applicability = (
        ItemSpec("juvenile_onset", "juvenile-onset IIM (onset < 18 y)", scope.citation, juvenile),
        ItemSpec(
            "outside_3_year_window",
            "myositis diagnosed > 3 years after symptom onset",
            scope.citation,
            window,
        ),
        ItemSpec(
            "known_active_cancer",
            "known active cancer (heliotrope policy, not IMACS)",
            "a cancer with status active: oncological restaging replaces screening — "
            "heliotrope's policy, following the Hong Kong validation study's exclusion; not "
            "an IMACS 2023 rule (spec §7.2)",
            cancer,
        ),
    )
    factor_items = tuple(
        ItemSpec(f.key, f.label, f"{f.tier}-risk factor ({f.domain})", _reader(f)) for f in counted
    )
    risk = _risk_node(variant, data)
    outcome = Decide(
        (
            ("not_applicable", AnyOf(*(Item(k) for k in APPLICABILITY_KEYS))),
            ("*", risk),
        ),
        "standard",
        label="IMACS 2023",
    )
    outputs = {
        "high_risk_factors": Count(*(Item(f.key) for f in data.counted_factors("high"))),
        "intermediate_risk_factors": Count(
            *(Item(f.key) for f in data.counted_factors("intermediate"))
        ),
    }
    status = "confirmed" if variant.confirmed else "unconfirmed"
    rule_text = f"{variant.label} (rule variant '{rule_name}', {status}; source: {variant.source})"

    risk_memo: dict[tuple[tuple[str, ...], tuple[ItemStatus, ...]], tuple[frozenset[str], ...]]
    risk_memo = {}

    def _risk_categories(
        items: Mapping[str, ItemResult],
    ) -> tuple[frozenset[str], frozenset[str]]:
        """The risk categories with unknown items absent (headline) and kept unknown (the
        range): they depend on the items' statuses alone, so each set of statuses is
        evaluated once (issue 13)."""
        memo = (tuple(items), tuple(i.status for i in items.values()))
        found = risk_memo.get(memo)
        if found is None:
            env = {k: _TRUTH.get(i.status, Truth.FALSE) for k, i in items.items()}
            full = {
                k: _TRUTH.get(i.status, Truth.UNKNOWN) for k, i in items.items()
            }  # unknown kept for the range
            headline = risk.evaluate(env).value
            possible = risk.evaluate(full).value
            assert isinstance(headline, frozenset) and isinstance(possible, frozenset)
            if len(risk_memo) >= 4096:
                risk_memo.clear()
            found = risk_memo[memo] = (headline, possible)
        return found[0], found[1]

    def derive(record: PatientRecord, context: Context, items: Mapping[str, ItemResult]) -> Derived:
        headline, possible = _risk_categories(items)
        factor_category = next(iter(headline))
        inferred = _subtype(record, context)
        lower_present = []
        for factor in lower:
            found = _reader(factor)(record, context)
            if found.status is ItemStatus.present:
                lower_present.append(factor.label)
        reasons = [_REASONS[k] for k in APPLICABILITY_KEYS if items[k].status is ItemStatus.present]
        order = {c: i for i, c in enumerate(CATEGORIES)}
        values: dict[str, Any] = {
            "factor_category": factor_category,
            "factor_category_possible": sorted(possible, key=order.__getitem__),
            "iim_subtype": inferred.label,
            "iim_subtype_basis": inferred.basis,
            "iim_subtype_explanation": inferred.explanation,
            "rule_variant": rule_name,
            "rule_confirmed": variant.confirmed,
            "not_applicable_reasons": reasons,
            "lower_risk_features": lower_present,
            "as_of": _as_of(context).isoformat(),
        }
        caveats = []
        if not variant.confirmed:
            caveats.append(variant.caveat or f"Rule variant '{rule_name}' is unconfirmed.")
        caveats.append(f"Factor lists are {data.factors_status}.")
        notes = []
        if items["known_active_cancer"].status is ItemStatus.present:
            notes.append(KNOWN_CANCER_NOTE[0].upper() + KNOWN_CANCER_NOTE[1:] + ".")
        if reasons:
            notes.append(f"Not applicable; the factors alone would give '{factor_category}' risk.")
        notes.append(subtype_reading(data))
        if inferred.basis == "inferred":
            notes.append(f"IIM subtype inferred: {inferred.explanation}.")
        return Derived(values=values, caveats=tuple(caveats), notes=tuple(notes))

    citation = Citation(**data.citation.model_dump())
    return Definition(
        id=data.id,
        version=data.version,
        title=data.title,
        citation=citation,
        summary="Cancer-screening risk category of adult-onset IIM from subtype, "
        "autoantibodies and clinical features; decides which screening panels to do and when.",
        items=applicability + factor_items,
        outcome=outcome,
        categories=CATEGORIES,
        outputs=outputs,
        kind="risk",
        caveats=("Risk stratification guides screening; it does not diagnose or exclude cancer.",),
        rule=rule_text,
        derive=derive,
    )


def assess_imacs(record: PatientRecord, context: Context | None = None) -> CriterionResult:
    """Evaluate IMACS 2023 for one record.

    Context options: ``subtype`` (DM, PM, IMNM, CADM, antisynthetase, overlap, IBM; inferred
    when absent) and ``rule`` (a rule variant of the data file); ``as_of`` is the assessment
    date (today when not given).
    """
    context = context or Context()
    if context.as_of is None:
        context = Context(options=context.options, as_of=date.today())
    rule = context.option("rule", None)
    definition = _default_data_definition(rule) if rule is None or isinstance(rule, str) else None
    return evaluate(definition or imacs_definition(rule), record, context)


@lru_cache(maxsize=16)
def _default_data_definition(rule: str | None) -> Definition:
    """``imacs_definition(rule)`` made once per rule: the kernel compiles a definition once
    and keeps it on the definition (issue 13)."""
    return imacs_definition(rule)
