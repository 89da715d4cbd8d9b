"""Myositis serology → probability of cancer: post-test probability from published likelihood
ratios and a pretest probability.

Likelihood ratios: Trallero-Araguás E, Rodrigo-Pendás JÁ, Selva-O'Callaghan A, et al.
Usefulness of anti-p155 autoantibody for diagnosing cancer-associated dermatomyositis: a
systematic review and meta-analysis. Arthritis Rheum 2012;64:523–532 — anti-TIF1γ: sensitivity
78% (45–94), specificity 89% (82–93), LR+ 6.79 (4.11–11.23), LR− 0.25 (0.08–0.76), pooled
prevalence of cancer 17%. Context: Best M, et al. Acta Derm Venereol 2019;99:256–262 (cancer in
41% of anti-TIF1γ-positive DM); Oldroyd A, et al. Rheumatology 2021;60:2615–2628 (relative
risks). Spec §6.2 and §6.4. The figures live in ``resources/serology.json`` with their sources.

Formulas (spec §6.4)::

    O_pre  = p / (1 − p)
    LR+    = Se / (1 − Sp)          LR− = (1 − Se) / Sp
    O_post = O_pre × LR             (LR+ for a positive test, LR− for a negative one)
    p_post = O_post / (1 + O_post)

Edge cases: Sp = 1 makes LR+ infinite, so p_post = 1 when Se > 0 (Se = 0 with Sp = 1 is
undefined); p = 0 or 1 is returned unchanged; Se, Sp and p outside [0, 1] are rejected.
Check: p = 0.17 with LR+ 6.79 gives 58.2% (paper: 58%); with LR− 0.25, 4.9%, i.e. NPV 95.1%.

The published likelihood ratios are used, not ones recomputed from pooled sensitivity and
specificity (the paper's bivariate pooling gives 6.79, the naive ratio 7.09). Relative risks and
odds ratios are reported as context only: they are not likelihood ratios.

Pretest probability: option ``pretest_probability``, else 0.17 (the pooled prevalence of cancer
in Trallero 2012's adult DM cohorts). Category: the result of the test the probability is
conditioned on (``positive`` / ``negative``); three-valued, so ``unknown`` when not tested or
weakly positive. When the record already holds a cancer the probability is illustrative only.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from functools import cache
from importlib.resources import files
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from heliotrope.criteria import readers as r
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
    evaluate,
)
from heliotrope.model.record import PatientRecord
from heliotrope.model.vocabulary import AntibodyName, AntibodyResult

__all__ = [
    "CITATION",
    "ID",
    "VERSION",
    "SerologyData",
    "assess",
    "definition",
    "likelihood_ratios",
    "load_serology",
    "post_test_from_accuracy",
    "post_test_probability",
    "predictive_values",
]

ID = "serology_cancer_risk"
VERSION = "cancer.serology_cancer_risk.v1"
CITATION = Citation(
    authors="Trallero-Araguás E, Rodrigo-Pendás JÁ, Selva-O'Callaghan A, et al.",
    title="Usefulness of anti-p155 autoantibody for diagnosing cancer-associated "
    "dermatomyositis: a systematic review and meta-analysis",
    journal="Arthritis Rheum",
    year=2012,
    volume_pages="64:523–532",
)
CATEGORIES = ("negative", "positive")


# -- the formulas --------------------------------------------------------------------------
def _check_probability(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise ValueError(f"{name} must be a number between 0 and 1, not {value!r}")
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be between 0 and 1, not {value!r}")
    return float(value)


def likelihood_ratios(sensitivity: float, specificity: float) -> tuple[float, float]:
    """(LR+, LR−) from sensitivity and specificity; ``math.inf`` when a denominator is 0.

    Raises ValueError when a ratio is 0/0 (Se = 0 with Sp = 1, or Se = 1 with Sp = 0).
    """
    se = _check_probability("sensitivity", sensitivity)
    sp = _check_probability("specificity", specificity)
    if sp == 1.0:
        if se == 0.0:
            raise ValueError("LR+ is undefined when sensitivity is 0 and specificity is 1")
        positive = math.inf
    else:
        positive = se / (1.0 - sp)
    if sp == 0.0:
        if se == 1.0:
            raise ValueError("LR− is undefined when sensitivity is 1 and specificity is 0")
        negative = math.inf
    else:
        negative = (1.0 - se) / sp
    return positive, negative


def post_test_probability(pretest: float, likelihood_ratio: float) -> float:
    """Bayes in odds form; p = 0 or 1 is unchanged, an infinite LR gives 1, a zero LR 0."""
    p = _check_probability("pretest probability", pretest)
    if math.isnan(likelihood_ratio) or likelihood_ratio < 0:
        raise ValueError(f"a likelihood ratio must be ≥ 0, not {likelihood_ratio!r}")
    if p in (0.0, 1.0):
        return p
    if math.isinf(likelihood_ratio):
        return 1.0
    odds = p / (1.0 - p) * likelihood_ratio
    return odds / (1.0 + odds)


def post_test_from_accuracy(
    pretest: float, sensitivity: float, specificity: float, *, positive: bool
) -> float:
    """Post-test probability after a positive (or negative) test of given Se and Sp."""
    plus, minus = likelihood_ratios(sensitivity, specificity)
    return post_test_probability(pretest, plus if positive else minus)


def predictive_values(
    pretest: float, sensitivity: float, specificity: float
) -> tuple[float, float]:
    """(PPV, NPV) in Bayes form: Se·p / (Se·p + (1 − Sp)(1 − p)) and
    Sp(1 − p) / (Sp(1 − p) + (1 − Se)p)."""
    p = _check_probability("pretest probability", pretest)
    se = _check_probability("sensitivity", sensitivity)
    sp = _check_probability("specificity", specificity)
    ppv_den = se * p + (1 - sp) * (1 - p)
    npv_den = sp * (1 - p) + (1 - se) * p
    ppv = se * p / ppv_den if ppv_den else math.nan
    npv = sp * (1 - p) / npv_den if npv_den else math.nan
    return ppv, npv


# -- the data ------------------------------------------------------------------------------
class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Estimate(_Model):
    value: float = Field(ge=0)
    ci95: tuple[float, float] | None = None

    @field_validator("ci95")
    @classmethod
    def _ordered(cls, ci: tuple[float, float] | None) -> tuple[float, float] | None:
        if ci is not None and ci[0] > ci[1]:
            raise ValueError(f"confidence interval {ci} runs backwards")
        return ci


class Source(_Model):
    citation: str
    short: str
    design: str
    confirmed_in: str


class Accuracy(_Model):
    label: str
    target: str
    source: str
    sensitivity: Estimate
    specificity: Estimate
    lr_positive: Estimate
    lr_negative: Estimate
    diagnostic_odds_ratio: Estimate | None = None
    auc: Estimate | None = None
    pooled_prevalence: float = Field(ge=0, le=1)
    ppv_at_pooled_prevalence: float | None = None
    npv_at_pooled_prevalence: float | None = None
    note: str = ""


class ContextFigure(_Model):
    antibody: AntibodyName
    measure: str
    value: float = Field(ge=0)
    ci95: tuple[float, float] | None = None
    source: str
    note: str = ""


class DefaultPretest(_Model):
    value: float = Field(ge=0, le=1)
    source: str
    description: str


class SerologyData(_Model):
    """``resources/serology.json``, validated."""

    sources: dict[str, Source]
    default_pretest: DefaultPretest
    likelihood_ratios: dict[AntibodyName, Accuracy]
    context: tuple[ContextFigure, ...]

    def source(self, key: str) -> Source:
        return self.sources[key]


@cache
def load_serology() -> SerologyData:
    """``resources/serology.json``, validated once (every cited source must exist)."""
    text = files("heliotrope.resources").joinpath("serology.json").read_text(encoding="utf-8")
    data = json.loads(text)
    data.pop("$comment", None)
    loaded = SerologyData.model_validate(data)
    keys = [loaded.default_pretest.source, *(a.source for a in loaded.likelihood_ratios.values())]
    keys += [c.source for c in loaded.context]
    missing = sorted(set(keys) - set(loaded.sources))
    if missing:
        raise ValueError(f"serology.json cites unknown sources: {', '.join(missing)}")
    return loaded


# -- the criterion -------------------------------------------------------------------------
def _pretest(ctx: Context) -> tuple[float, str]:
    data = load_serology()
    value = ctx.option("pretest_probability", None)
    if value is None:
        default = data.default_pretest
        return default.value, data.source(default.source).short + " pooled prevalence (default)"
    try:
        number = float(value) if isinstance(value, str) else value
        return _check_probability("pretest_probability", number), "user-given"
    except ValueError:
        raise CriteriaError(
            f"Option pretest_probability must be a number between 0 and 1, not {value!r}."
        ) from None


def _antibody_reader(name: AntibodyName) -> Callable[[PatientRecord, Context], ItemFinding]:
    return lambda rec, _ctx: r.antibody(rec, name)


@cache
def definition() -> Definition:
    """Post-test probability of cancer for each antibody with published likelihood ratios."""
    data = load_serology()
    items = tuple(
        ItemSpec(
            name.value,
            f"{acc.label} positive",
            f"{acc.label}: LR+ {acc.lr_positive.value:g}, LR− {acc.lr_negative.value:g} for "
            f"{acc.target} ({data.source(acc.source).short})",
            _antibody_reader(name),
        )
        for name, acc in data.likelihood_ratios.items()
    )
    positive = [("positive", Item(spec.key)) for spec in items]
    return Definition(
        id=ID,
        version=VERSION,
        title="Serology → probability of cancer (post-test probability)",
        citation=CITATION,
        summary="Bayes' theorem with published likelihood ratios and a pretest probability.",
        items=items,
        outcome=Decide(tuple(positive), otherwise="negative", label="result"),
        categories=CATEGORIES,
        headline="kleene",
        kind="risk",
        caveats=(
            "A probability for a population like the one studied (adults with DM), not a "
            "diagnosis; it depends on the pretest probability assumed.",
        ),
        rule="O_post = O_pre × LR (LR+ if positive, LR− if negative); p_post = O_post / "
        "(1 + O_post). Published likelihood ratios; relative risks are context only.",
        derive=_derive,
    )


_RESULT = {
    ItemStatus.present: "positive",
    ItemStatus.absent: "negative",
    ItemStatus.unknown: "not_tested_or_equivocal",
}


def _per_antibody(
    name: AntibodyName, acc: Accuracy, status: ItemStatus, pretest: float
) -> dict[str, Any]:
    data = load_serology()
    out: dict[str, Any] = {"result": _RESULT[status], "pretest": pretest}
    if status is ItemStatus.unknown:
        out.update(post_test=None, likelihood_ratio=None)
    else:
        estimate = acc.lr_positive if status is ItemStatus.present else acc.lr_negative
        out["likelihood_ratio"] = estimate.value
        out["post_test"] = round(post_test_probability(pretest, estimate.value), 4)
        if estimate.ci95 is not None:
            out["post_test_ci95"] = [
                round(post_test_probability(pretest, bound), 4) for bound in estimate.ci95
            ]
    out["source"] = data.source(acc.source).citation
    out["label"] = acc.label
    return out


NOT_LIKELIHOOD_RATIOS = frozenset({"relative_risk", "odds_ratio", "diagnostic_odds_ratio"})


def _context(record: PatientRecord) -> list[dict[str, Any]]:
    """Published figures for the record's positive antibodies, reported but not computed on."""
    data = load_serology()
    positive = {t.name for t in record.antibodies if t.result == AntibodyResult.positive}
    out = []
    for c in data.context:
        if c.antibody not in positive:
            continue
        note = c.note
        if c.measure in NOT_LIKELIHOOD_RATIOS:
            note += "; not a likelihood ratio: not used in the calculation"
        out.append(
            {
                "antibody": c.antibody.value,
                "measure": c.measure,
                "value": c.value,
                "ci95": list(c.ci95) if c.ci95 else None,
                "source": data.source(c.source).citation,
                "note": note,
            }
        )
    return out


def _derive(record: PatientRecord, ctx: Context, found: Mapping[str, ItemResult]) -> Derived:
    data = load_serology()
    pretest, pretest_source = _pretest(ctx)
    by_antibody = {
        name.value: _per_antibody(name, acc, found[name.value].status, pretest)
        for name, acc in data.likelihood_ratios.items()
    }
    tested = {k: v for k, v in by_antibody.items() if v["post_test"] is not None}
    values: dict[str, Any] = {
        "pretest": pretest,
        "pretest_source": pretest_source,
        "by_antibody": by_antibody,
        "context": _context(record),
    }
    if len(tested) == 1:
        only = next(iter(tested.values()))
        values.update(
            post_test=only["post_test"],
            likelihood_ratio=only["likelihood_ratio"],
            source=only["source"],
        )
    else:
        values.update(post_test=None, likelihood_ratio=None, source=None)
    caveats: list[str] = []
    notes: list[str] = []
    if record.cancers:
        caveats.append(
            "A cancer is already recorded for this patient: the post-test probability is "
            "illustrative only."
        )
    caveats += _assay_caveats(record, tested)
    for key, entry in by_antibody.items():
        if entry["post_test"] is None:
            notes.append(f"{entry['label']} not tested (or equivocal): no post-test probability.")
        elif key == AntibodyName.anti_tif1g.value and entry["result"] == "negative":
            notes.append(
                f"Negative {entry['label']}: probability of no cancer "
                f"{1 - entry['post_test']:.1%} (negative predictive value)."
            )
    return Derived(values=values, caveats=tuple(caveats), notes=tuple(notes))


#: Words that name a line-blot (or dot-blot / immunoblot strip) assay in ``AntibodyTest.method``.
BLOT_WORDS = ("blot", "line", "euroline", "strip")


def _assay_caveats(record: PatientRecord, tested: Mapping[str, Any]) -> list[str]:
    """Trallero-Araguás 2012 pooled studies that detected anti-p155/140 (anti-TIF1γ) mostly
    by immunoprecipitation; a commercial line blot agrees only in part (issue 7). Say so when
    the likelihood ratios are applied to a line-blot result, or to one of unrecorded method."""
    out: list[str] = []
    for test in record.antibodies:
        if test.name.value not in tested or test.result == AntibodyResult.not_tested:
            continue
        method = (test.method or "").lower()
        label = tested[test.name.value]["label"]
        if any(word in method for word in BLOT_WORDS):
            out.append(
                f"{label} was measured by line blot ({test.method}); the likelihood ratios "
                "come from studies using immunoprecipitation-based assays, with which line "
                "blots agree only in part: the post-test probability may be off."
            )
        elif not method:
            out.append(
                f"{label}: assay method not recorded; the likelihood ratios come from "
                "immunoprecipitation-based assays (Trallero-Araguás 2012)."
            )
    return sorted(set(out))


def assess(record: PatientRecord, context: Context | None = None) -> CriterionResult:
    """Post-test probability of cancer from the record's myositis serology."""
    return evaluate(definition(), record, context)
