"""ACR/EULAR 2016 myositis response criteria: the Total Improvement Score (TIS, 0-100).

Aggarwal R, Rider LG, Ruperto N, et al. 2016 American College of Rheumatology/European League
Against Rheumatism criteria for minimal, moderate, and major clinical response in adult
dermatomyositis and polymyositis. *Arthritis Rheumatol* 2017;69:898-910 and *Ann Rheum Dis*
2017;76:792-801. Rider LG, Aggarwal R, Pistorio A, et al. 2016 American College of
Rheumatology/European League Against Rheumatism criteria for minimal, moderate, and major
clinical response in juvenile dermatomyositis. *Arthritis Rheumatol* 2017;69:911-923 and
*Ann Rheum Dis* 2017;76:782-791. Clinical spec section 8.

Each core set measure's **absolute percentage change** (improvement positive) is converted to
points (table below, band edges exactly as printed: ">5-15%" means 5 < x <= 15) and summed.
The percentage changes, as implemented (exact rational arithmetic, so band edges are exact):

* physician, patient/parent and extramuscular global (VAS 0-10, lower is better):
  ``(baseline - follow-up) / 10 x 100`` (change relative to the scale's range);
* HAQ (0-3): ``(baseline - follow-up) / 3 x 100``;
* MMT-8: ``(follow-up - baseline) / maximum x 100`` with maximum 80 (or 150 bilateral), the
  same scale at both visits;
* muscle enzymes ⚠ ("relative to the ULN"; heliotrope's reading of spec 8.2): the enzyme most
  abnormal at baseline, in multiples of the ULN, is followed; the change is the share of the
  baseline *excess over the ULN* removed, ``(e(b) - e(f)) / e(b) x 100`` with
  ``e(x) = max(x - 1, 0)``; normalising is 100%. With a normal baseline, any rise above the
  ULN is worsening and no change is 0%.

=========================  ======  ========  =========  =========  ======
measure                    <= 5%   >5-15%    >15-25%    >25-40%    >40%
=========================  ======  ========  =========  =========  ======
physician global           0       7.5       15         17.5       20
patient/parent global      0       2.5       5          7.5        10
extramuscular activity     0       7.5       12.5       15         20
HAQ / CHAQ                 0       5         7.5        7.5        10
muscle enzymes             0       2.5       5          7.5        7.5
MMT-8 (<=2, >2-10, >10-20, >20-30, >30%)  0, 10, 20, 27.5, 32.5
=========================  ======  ========  =========  =========  ======

Points and band edges are confirmed cell by cell against the primary table (Aggarwal 2017,
Table 3; spec 8.2); the percentage formulas above are heliotrope's documented reading.
Juvenile DM may use the alternatives of the juvenile table when the adult measure is missing:
CMAS 0-52 for MMT (higher better), CHQ physical summary score 0-100 for enzymes (higher better)
and DAS 0-20 for extramuscular activity (lower better), each relative to its scale's range ⚠.

Thresholds: adult minimal >= 20, moderate >= 40, major >= 60; juvenile >= 30, >= 45, >= 70.
Not computable unless at least 4 of the 6 measures are known at both visits, including MMT
and physician global. A missing measure counts 0 in the headline; ``total_range`` shows what
the missing ones could add.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict

from heliotrope.activity.core_set import CoreSet, core_set
from heliotrope.model.record import ActivityAssessment, PatientRecord
from heliotrope.model.vocabulary import Analyte

__all__ = [
    "ID",
    "MEASURES",
    "THRESHOLDS",
    "TIS_TABLE",
    "VERSION",
    "MeasureChange",
    "MeasureSpec",
    "TisResult",
    "band_points",
    "tis_for_record",
    "total_improvement_score",
]

ID = "acr_eular_2016_response"
VERSION = "activity.tis_2016.v1"
TITLE = "ACR/EULAR 2016 myositis response criteria: Total Improvement Score"
CITATION = (
    "Aggarwal R, Rider LG, Ruperto N, et al. 2016 ACR/EULAR criteria for minimal, moderate, "
    "and major clinical response in adult dermatomyositis and polymyositis. Arthritis "
    "Rheumatol 2017;69:898-910; Ann Rheum Dis 2017;76:792-801. Rider LG, Aggarwal R, "
    "Pistorio A, et al. 2016 ACR/EULAR criteria for minimal, moderate, and major clinical "
    "response in juvenile dermatomyositis. Arthritis Rheumatol 2017;69:911-923; Ann Rheum "
    "Dis 2017;76:782-791."
)

Measure = Literal[
    "physician_global", "patient_global", "mmt", "haq", "enzymes", "extramuscular_global"
]
Category = Literal["major", "moderate", "minimal", "no_improvement", "not_computable"]


@dataclass(frozen=True)
class MeasureSpec:
    """One row of the conversion table: four band edges (exclusive) and five point values."""

    label: str
    edges: tuple[float, float, float, float]
    points: tuple[float, float, float, float, float]
    formula: str

    @property
    def max_points(self) -> float:
        return self.points[-1]


_GLOBAL = (5.0, 15.0, 25.0, 40.0)
TIS_TABLE: dict[Measure, MeasureSpec] = {
    "physician_global": MeasureSpec(
        "physician global activity",
        _GLOBAL,
        (0, 7.5, 15, 17.5, 20),
        "(baseline - follow-up) / 10 × 100",
    ),
    "patient_global": MeasureSpec(
        "patient/parent global activity",
        _GLOBAL,
        (0, 2.5, 5, 7.5, 10),
        "(baseline - follow-up) / 10 × 100",
    ),
    "mmt": MeasureSpec(
        "manual muscle testing (MMT-8)",
        (2.0, 10.0, 20.0, 30.0),
        (0, 10, 20, 27.5, 32.5),
        "(follow-up - baseline) / maximum × 100",
    ),
    "haq": MeasureSpec(
        "physical function (HAQ)",
        _GLOBAL,
        (0, 5, 7.5, 7.5, 10),
        "(baseline - follow-up) / 3 × 100",
    ),
    "enzymes": MeasureSpec(
        "muscle enzymes (most abnormal at baseline)",
        _GLOBAL,
        (0, 2.5, 5, 7.5, 7.5),
        "share of the baseline excess over the ULN removed × 100",
    ),
    "extramuscular_global": MeasureSpec(
        "extramuscular activity",
        _GLOBAL,
        (0, 7.5, 12.5, 15, 20),
        "(baseline - follow-up) / 10 × 100",
    ),
}
MEASURES: tuple[Measure, ...] = tuple(TIS_TABLE)
THRESHOLDS: dict[str, dict[str, float]] = {
    "adult": {"minimal": 20, "moderate": 40, "major": 60},
    "juvenile": {"minimal": 30, "moderate": 45, "major": 70},
}
MIN_MEASURES = 4
REQUIRED: tuple[Measure, ...] = ("mmt", "physician_global")


class MeasureChange(BaseModel):
    """One measure's change between the visits and its points."""

    model_config = ConfigDict(frozen=True)

    measure: Measure
    label: str
    baseline: float | None = None
    follow_up: float | None = None
    scale: str
    percent_change: float | None = None
    points: float | None = None
    max_points: float
    band: str | None = None
    formula: str
    note: str | None = None


class TisResult(BaseModel):
    """The Total Improvement Score, its category and each measure's contribution."""

    model_config = ConfigDict(frozen=True)

    id: str = ID
    version: str = VERSION
    title: str = TITLE
    population: Literal["adult", "juvenile"]
    computable: bool
    total: float | None = None
    total_range: tuple[float, float] | None = None
    category: Category
    possible_categories: tuple[Category, ...] = ()
    thresholds: dict[str, float]
    measures: tuple[MeasureChange, ...]
    missing: tuple[Measure, ...] = ()
    reason: str | None = None
    baseline_date: date | None = None
    follow_up_date: date | None = None
    citation: str = CITATION
    caveats: tuple[str, ...] = ()


def _exact(value: float) -> Fraction:
    return Fraction(repr(float(value)))


def band_points(measure: Measure, percent: Fraction | float) -> tuple[float, str]:
    """(points, band text) for a percentage change: ``5 < x <= 15`` is the ">5-15%" band."""
    spec = TIS_TABLE[measure]
    exact = percent if isinstance(percent, Fraction) else _exact(percent)
    index = sum(1 for edge in spec.edges if exact > _exact(edge))
    edges = [f"{e:g}" for e in spec.edges]
    names = [
        f"worsening to <= {edges[0]}%",
        f">{edges[0]}-{edges[1]}%",
        f">{edges[1]}-{edges[2]}%",
        f">{edges[2]}-{edges[3]}%",
        f">{edges[3]}%",
    ]
    return spec.points[index], names[index]


def _excess(times_uln: Fraction) -> Fraction:
    return max(times_uln - 1, Fraction(0))


def _enzyme_percent(baseline: float, follow_up: float) -> Fraction:
    before, after = _excess(_exact(baseline)), _excess(_exact(follow_up))
    if before > 0:
        return (before - after) / before * 100
    return -after * 100


#: Juvenile alternatives (Rider 2017; spec §8.2): measure -> (field, scale top, higher is
#: better, label). Used only for juvenile DM, and only when the adult measure is missing.
JUVENILE_ALTERNATIVES: dict[Measure, tuple[str, int, bool, str]] = {
    "mmt": ("cmas", 52, True, "CMAS 0-52"),
    "enzymes": ("chq_phs", 100, True, "CHQ-PhS 0-100"),
    "extramuscular_global": ("das", 20, False, "DAS 0-20"),
}


def _juvenile_change(
    measure: Measure, baseline: CoreSet, follow_up: CoreSet
) -> tuple[float | None, float | None, Fraction | None, str, str | None] | None:
    """The juvenile alternative's change, relative to its scale's range ⚠ (heliotrope's
    reading, as for the adult global scores), or None when it is not recorded at both visits."""
    if measure not in JUVENILE_ALTERNATIVES:
        return None
    field, top, higher_better, scale = JUVENILE_ALTERNATIVES[measure]
    b, f = getattr(baseline, field), getattr(follow_up, field)
    if b is None or f is None:
        return None
    sign = 1 if higher_better else -1
    note = f"juvenile alternative: {scale} instead of the adult measure"
    return b, f, sign * (_exact(f) - _exact(b)) * 100 / top, scale, note


def _change(
    measure: Measure, baseline: CoreSet, follow_up: CoreSet, juvenile: bool = False
) -> tuple[float | None, float | None, Fraction | None, str, str | None]:
    """(baseline value, follow-up value, exact % change, scale, note)."""
    adult = _adult_change(measure, baseline, follow_up)
    if adult[2] is None and juvenile:
        return _juvenile_change(measure, baseline, follow_up) or adult
    return adult


def _adult_change(
    measure: Measure, baseline: CoreSet, follow_up: CoreSet
) -> tuple[float | None, float | None, Fraction | None, str, str | None]:
    """(baseline value, follow-up value, exact % change, scale, note) of the adult measure."""
    if measure in ("physician_global", "patient_global", "extramuscular_global", "haq"):
        b, f = getattr(baseline, measure), getattr(follow_up, measure)
        top = 3 if measure == "haq" else 10
        scale = f"0-{top}"
        if b is None or f is None:
            return b, f, None, scale, "not recorded at both visits"
        return b, f, (_exact(b) - _exact(f)) * 100 / top, scale, None
    if measure == "mmt":
        for field, top in (("mmt8", 80), ("mmt8_bilateral", 150)):
            b, f = getattr(baseline, field), getattr(follow_up, field)
            if b is not None and f is not None:
                return b, f, (_exact(f) - _exact(b)) * 100 / top, f"MMT-8 0-{top}", None
        note = "MMT-8 not recorded on the same scale at both visits"
        return None, None, None, "MMT-8 0-80 or 0-150", note
    if not baseline.enzymes:
        return None, None, None, "×ULN", "no muscle enzyme with a ULN at baseline"
    order = list(Analyte)
    analyte = max(baseline.enzymes, key=lambda a: (baseline.enzymes[a], -order.index(a)))
    b = baseline.enzymes[analyte]
    f = follow_up.enzymes.get(analyte)
    scale = f"{analyte.value} ×ULN"
    if f is None:
        return b, None, None, scale, f"{analyte.value} not measured at follow-up"
    return b, f, _enzyme_percent(b, f), scale, None


_RANKED: tuple[Category, ...] = ("major", "moderate", "minimal")


def _category(total: float, thresholds: dict[str, float]) -> Category:
    for name in _RANKED:
        if total >= thresholds[name]:
            return name
    return "no_improvement"


def _as_core_set(value: CoreSet | ActivityAssessment) -> CoreSet:
    return value if isinstance(value, CoreSet) else CoreSet.from_assessment(value)


def total_improvement_score(
    baseline: CoreSet | ActivityAssessment,
    follow_up: CoreSet | ActivityAssessment,
    juvenile: bool = False,
) -> TisResult:
    """The ACR/EULAR 2016 Total Improvement Score between two visits (see module docstring).

    An :class:`ActivityAssessment` carries no enzymes; use :func:`core_set` (or
    :func:`tis_for_record`) to add the record's muscle enzymes.
    """
    base, follow = _as_core_set(baseline), _as_core_set(follow_up)
    population: Literal["adult", "juvenile"] = "juvenile" if juvenile else "adult"
    thresholds = THRESHOLDS[population]
    changes: list[MeasureChange] = []
    missing: list[Measure] = []
    for measure, spec in TIS_TABLE.items():
        b, f, percent, scale, note = _change(measure, base, follow, juvenile)
        points = band = None
        if percent is None:
            missing.append(measure)
        else:
            points, band = band_points(measure, percent)
        changes.append(
            MeasureChange(
                measure=measure,
                label=spec.label,
                baseline=b,
                follow_up=f,
                scale=scale,
                percent_change=None if percent is None else round(float(percent), 4),
                points=points,
                max_points=spec.max_points,
                band=band,
                formula=spec.formula,
                note=note,
            )
        )
    caveats = (
        "Points and band edges are confirmed against the primary table (Aggarwal 2017, "
        "Table 3; spec 8.2). Unconfirmed: the percentage-change formulas of the global "
        "scores, HAQ and enzymes (heliotrope's reading of 'relative to the ULN' for enzymes), "
        "those of the juvenile alternatives, and the 4-of-6 minimum.",
    )
    available = len(TIS_TABLE) - len(missing)
    problems = []
    if available < MIN_MEASURES:
        problems.append(f"only {available} of 6 core set measures known at both visits (need 4)")
    problems += [f"{TIS_TABLE[m].label} is required" for m in REQUIRED if m in missing]

    def result(
        category: Category,
        possible: tuple[Category, ...],
        total: float | None = None,
        total_range: tuple[float, float] | None = None,
    ) -> TisResult:
        return TisResult(
            population=population,
            computable=total is not None,
            total=total,
            total_range=total_range,
            category=category,
            possible_categories=possible,
            thresholds=thresholds,
            measures=tuple(changes),
            missing=tuple(missing),
            reason="; ".join(problems) or None,
            baseline_date=base.date,
            follow_up_date=follow.date,
            caveats=caveats,
        )

    if problems:
        return result("not_computable", ("not_computable",))
    total = sum(c.points or 0.0 for c in changes)
    best = total + sum(TIS_TABLE[m].max_points for m in missing)
    order: list[Category] = ["no_improvement", "minimal", "moderate", "major"]
    low, high = order.index(_category(total, thresholds)), order.index(_category(best, thresholds))
    return result(_category(total, thresholds), tuple(order[low : high + 1]), total, (total, best))


def tis_for_record(
    record: PatientRecord,
    baseline: ActivityAssessment,
    follow_up: ActivityAssessment,
    juvenile: bool = False,
    window_days: int = 7,
) -> TisResult:
    """TIS between two activity assessments of ``record``, with the muscle enzymes measured
    within ``window_days`` of each."""
    return total_improvement_score(
        core_set(record, baseline, window_days),
        core_set(record, follow_up, window_days),
        juvenile=juvenile,
    )
