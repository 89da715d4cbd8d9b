"""ACR/EULAR 2016 Total Improvement Score (spec §8.2-8.3; Aggarwal 2017, Rider 2017)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heliotrope.activity import (
    TIS_TABLE,
    CoreSet,
    band_points,
    core_set,
    tis_for_record,
    total_improvement_score,
)
from heliotrope.io import parse_record
from heliotrope.model import ActivityAssessment, Analyte

from .tis_helpers import UNCHANGED, visits

EDGE_CASES = [
    (measure, index, edge)
    for measure, spec in TIS_TABLE.items()
    for index, edge in enumerate(spec.edges)
]


@pytest.mark.parametrize(("measure", "index", "edge"), EDGE_CASES)
def test_every_band_edge(measure: str, index: int, edge: float) -> None:
    """ ">5-15%" means 5 < x <= 15: the edge itself stays in the lower band."""
    spec = TIS_TABLE[measure]  # type: ignore[index]
    at, above = (
        visits(**{measure: edge}),
        visits(**{measure: Fraction(str(edge)) + Fraction(1, 10)}),
    )
    at_result, above_result = total_improvement_score(*at), total_improvement_score(*above)
    assert at_result.total == spec.points[index]
    assert above_result.total == spec.points[index + 1]
    change = next(m for m in at_result.measures if m.measure == measure)
    assert change.percent_change == edge
    assert band_points(measure, edge) == (spec.points[index], change.band)  # type: ignore[arg-type]


@pytest.mark.parametrize("measure", list(TIS_TABLE))
@pytest.mark.parametrize("percent", ["0", "-10", "-100", "100"])
def test_no_change_worsening_and_full_improvement(measure: str, percent: str) -> None:
    if measure == "mmt" and percent in ("-100", "100"):
        percent = "-50" if percent == "-100" else "50"
    result = total_improvement_score(*visits(**{measure: percent}))
    expected = TIS_TABLE[measure].points[-1] if float(percent) > 0 else 0  # type: ignore[index]
    assert result.total == expected


def test_table_sums_to_100() -> None:
    assert sum(spec.max_points for spec in TIS_TABLE.values()) == 100


@pytest.mark.parametrize(
    ("percents", "total", "adult", "juvenile"),
    [
        ({"physician_global": 30}, 17.5, "no_improvement", "no_improvement"),
        ({"mmt": 15}, 20, "minimal", "no_improvement"),
        ({"mmt": 15, "haq": 50}, 30, "minimal", "minimal"),
        ({"mmt": 15, "physician_global": 50}, 40, "moderate", "minimal"),
        ({"mmt": 50, "extramuscular_global": 20}, 45, "moderate", "moderate"),
        ({"mmt": 50, "physician_global": 50, "patient_global": 30}, 60, "major", "moderate"),
        (
            {"mmt": 50, "physician_global": 50, "patient_global": 50, "haq": 20},
            70,
            "major",
            "major",
        ),
    ],
)
def test_adult_and_juvenile_thresholds(
    percents: dict[str, float], total: float, adult: str, juvenile: str
) -> None:
    pair = visits(**percents)
    adult_result = total_improvement_score(*pair)
    juvenile_result = total_improvement_score(*pair, juvenile=True)
    assert adult_result.total == juvenile_result.total == total
    assert adult_result.category == adult
    assert juvenile_result.category == juvenile
    assert adult_result.thresholds == {"minimal": 20, "moderate": 40, "major": 60}
    assert juvenile_result.thresholds == {"minimal": 30, "moderate": 45, "major": 70}


def _without(*fields: str) -> tuple[CoreSet, CoreSet]:
    base, follow = visits(mmt=15)
    update = dict.fromkeys(fields)
    if "enzymes" in fields:
        update["enzymes"] = {}
    return base.model_copy(update=update), follow.model_copy(update=update)


@pytest.mark.parametrize(
    ("missing", "reason"),
    [
        (("patient_global", "haq", "enzymes"), "only 3 of 6"),
        (("mmt8",), "manual muscle testing (MMT-8) is required"),
        (("physician_global",), "physician global activity is required"),
        (("physician_global", "mmt8", "haq"), "only 3 of 6"),
    ],
)
def test_not_computable(missing: tuple[str, ...], reason: str) -> None:
    result = total_improvement_score(*_without(*missing))
    assert not result.computable
    assert result.total is None
    assert result.category == "not_computable"
    assert result.reason and reason in result.reason


def test_two_missing_measures_give_a_range() -> None:
    result = total_improvement_score(*_without("haq", "extramuscular_global"))
    assert result.computable
    assert result.total == 20
    assert result.total_range == (20, 50)
    assert result.missing == ("haq", "extramuscular_global")
    assert result.possible_categories == ("minimal", "moderate")


def test_mmt_on_different_scales_is_missing() -> None:
    base, follow = visits()
    follow = follow.model_copy(update={"mmt8": None, "mmt8_bilateral": 120.0})
    result = total_improvement_score(base, follow)
    assert "mmt" in result.missing and not result.computable


def test_bilateral_mmt_is_relative_to_150() -> None:
    base = CoreSet(**{**UNCHANGED, "mmt8": None, "mmt8_bilateral": 100.0})
    follow = CoreSet(**{**UNCHANGED, "mmt8": None, "mmt8_bilateral": 115.0})
    change = total_improvement_score(base, follow).measures[2]
    assert (change.measure, change.percent_change, change.points) == ("mmt", 10.0, 10)
    assert change.scale == "MMT-8 0-150"


def test_enzyme_most_abnormal_at_baseline_is_followed() -> None:
    base = CoreSet(**{**UNCHANGED, "enzymes": {"ck": 5.0, "alt": 1.2}})
    follow = CoreSet(**{**UNCHANGED, "enzymes": {"ck": 3.0, "alt": 4.0}})
    change = next(
        m for m in total_improvement_score(base, follow).measures if m.measure == "enzymes"
    )
    assert change.scale == "ck ×ULN"
    assert change.percent_change == 50.0  # excess 4 -> 2
    missing = CoreSet(**{**UNCHANGED, "enzymes": {"alt": 1.0}})
    result = total_improvement_score(base, missing)
    assert "enzymes" in result.missing


@pytest.mark.parametrize(
    ("before", "after", "percent"),
    [(1.0, 0.5, 0.0), (0.8, 1.0, 0.0), (0.8, 1.5, -50.0), (3.0, 0.9, 100.0), (3.0, 4.0, -50.0)],
)
def test_enzyme_excess_over_uln(before: float, after: float, percent: float) -> None:
    base = CoreSet(**{**UNCHANGED, "enzymes": {"ck": before}})
    follow = CoreSet(**{**UNCHANGED, "enzymes": {"ck": after}})
    change = next(
        m for m in total_improvement_score(base, follow).measures if m.measure == "enzymes"
    )
    assert change.percent_change == percent


def test_result_names_its_source() -> None:
    result = total_improvement_score(*visits(mmt=15))
    assert result.version == "activity.tis_2016.v1"
    # Regression: the juvenile paper was cited with the adult paper's pages (69:898-910).
    assert "adult dermatomyositis and polymyositis. Arthritis Rheumatol 2017;69:898-910" in (
        result.citation
    )
    assert "juvenile dermatomyositis. Arthritis Rheumatol 2017;69:911-923" in result.citation
    # Regression (issue 7): the points and bands are confirmed (spec 8.2); only the
    # percentage formulas keep the caveat.
    [caveat] = result.caveats
    assert caveat.startswith("Points and band edges are confirmed against the primary table")
    assert "Unconfirmed: the percentage-change formulas" in caveat


@pytest.mark.parametrize(
    ("field", "before", "after", "measure", "points"),
    [
        ("cmas", 26, 52, "mmt", 32.5),  # +50% of 0-52: > 30% band
        ("das", 10, 6, "extramuscular_global", 12.5),  # -4 of 0-20 = 20%: >15-25% band
        ("chq_phs", 40, 50, "enzymes", 2.5),  # +10 of 0-100: >5-15% band
    ],
)
def test_regression_tis_juvenile_alternatives(
    field: str, before: float, after: float, measure: str, points: float
) -> None:
    """Rider 2017 (juvenile table): CMAS for MMT, CHQ-PhS for enzymes, DAS for extramuscular
    activity, used for juvenile DM when the adult measure is missing."""
    base = ActivityAssessment(physician_global=5, patient_global=5, haq=1, **{field: before})
    follow = ActivityAssessment(physician_global=5, patient_global=5, haq=1, **{field: after})
    juvenile = total_improvement_score(base, follow, juvenile=True)
    [change] = [m for m in juvenile.measures if m.measure == measure]
    assert change.points == points
    assert "juvenile alternative" in (change.note or "")
    adult = total_improvement_score(base, follow, juvenile=False)
    [unused] = [m for m in adult.measures if m.measure == measure]
    assert unused.points is None


def test_activity_assessments_are_accepted() -> None:
    base = ActivityAssessment(physician_global=6, patient_global=6, mmt8=60, haq=1)
    follow = ActivityAssessment(physician_global=2, patient_global=5, mmt8=72, haq=0.5)
    result = total_improvement_score(base, follow)
    assert result.computable and result.missing == ("enzymes", "extramuscular_global")
    assert result.total == 17.5 + 2.5 + 20 + 7.5  # 40% is in ">25-40%"; HAQ 16.7%


def test_tis_for_record_reads_enzymes_near_each_visit() -> None:
    record = parse_record(
        {
            "id": "tis",
            "activity": [
                {
                    "date": "2021-01-10",
                    "physician_global": 6,
                    "patient_global": 6,
                    "mmt8": 60,
                    "haq": 1,
                    "extramuscular_global": 4,
                },
                {
                    "date": "2021-07-10",
                    "physician_global": 3,
                    "patient_global": 5,
                    "mmt8": 70,
                    "haq": 0.8,
                    "extramuscular_global": 2,
                },
            ],
            "labs": [
                {
                    "date": "2021-01-08",
                    "analyte": "ck",
                    "value": 1000,
                    "unit": "U/L",
                    "range": {"high": 200},
                },
                {
                    "date": "2020-11-01",
                    "analyte": "ck",
                    "value": 5000,
                    "unit": "U/L",
                    "range": {"high": 200},
                },
                {
                    "date": "2021-07-12",
                    "analyte": "ck",
                    "value": 400,
                    "unit": "U/L",
                    "range": {"high": 200},
                },
            ],
        }
    )
    result = tis_for_record(record, record.activity[0], record.activity[1])
    enzymes = next(m for m in result.measures if m.measure == "enzymes")
    assert (enzymes.baseline, enzymes.follow_up) == (5.0, 2.0)
    assert enzymes.percent_change == 75.0
    assert result.baseline_date == date(2021, 1, 10)
    assert not result.missing


# -- properties --------------------------------------------------------------------------
vas = st.integers(0, 100).map(lambda x: x / 10)
haq = st.integers(0, 24).map(lambda x: x / 8)
mmt = st.integers(0, 160).map(lambda x: x / 2)
enzyme = st.integers(0, 5000).map(lambda x: x / 100)


@st.composite
def core_sets(draw: st.DrawFn) -> CoreSet:
    return CoreSet(
        physician_global=draw(vas),
        patient_global=draw(vas),
        extramuscular_global=draw(vas),
        haq=draw(haq),
        mmt8=draw(mmt),
        enzymes={"ck": draw(enzyme)},
    )


def _improve(visit: CoreSet, measure: str, step: float) -> CoreSet:
    if measure == "mmt":
        return visit.model_copy(update={"mmt8": min(80.0, (visit.mmt8 or 0) + step * 8)})
    if measure == "enzymes":
        return visit.model_copy(update={"enzymes": {"ck": max(0.0, visit.enzymes["ck"] - step)}})
    top = 3 if measure == "haq" else 10
    value = getattr(visit, measure)
    return visit.model_copy(update={measure: max(0.0, value - step * top / 10)})


@settings(deadline=None, max_examples=300)
@given(core_sets(), core_sets(), st.sampled_from(list(TIS_TABLE)), st.integers(1, 10))
def test_improving_one_measure_never_lowers_tis(
    baseline: CoreSet, follow_up: CoreSet, measure: str, step: int
) -> None:
    before = total_improvement_score(baseline, follow_up)
    after = total_improvement_score(baseline, _improve(follow_up, measure, step / 2))
    assert before.total is not None and after.total is not None
    assert after.total >= before.total
    assert 0 <= before.total <= 100


@settings(deadline=None, max_examples=300)
@given(
    core_sets(),
    core_sets(),
    st.sets(st.sampled_from(["physician_global", "patient_global", "haq", "mmt8", "enzymes"])),
    st.booleans(),
)
def test_tis_stays_in_range_with_missing_measures(
    baseline: CoreSet, follow_up: CoreSet, missing: set[str], juvenile: bool
) -> None:
    update: dict[str, object] = {f: None for f in missing if f != "enzymes"}
    if "enzymes" in missing:
        update["enzymes"] = {}
    result = total_improvement_score(
        baseline.model_copy(update=update), follow_up, juvenile=juvenile
    )
    if result.computable:
        assert result.total is not None and result.total_range is not None
        assert 0 <= result.total == result.total_range[0] <= result.total_range[1] <= 100
        assert result.category in result.possible_categories
    else:
        assert result.total is None and result.category == "not_computable"


@pytest.mark.parametrize(
    ("comparator", "value", "baseline"),
    [
        (">", 2000, None),  # how far above the ULN is unknown: no enzyme number
        (">=", 200, None),
        ("<", 150, 0.75),  # certainly within the range: no excess, whatever the true value
        ("<", 500, None),  # may be above the ULN
    ],
)
def test_censored_enzymes_give_a_number_only_when_certainly_within_range(
    comparator: str, value: float, baseline: float | None
) -> None:
    """Regression: a censored enzyme ('CK > 2000') was used as if exact (10 × ULN)."""
    record = parse_record(
        {
            "id": "censored",
            "activity": [{"date": "2021-01-10", "physician_global": 6, "mmt8": 60}],
            "labs": [
                {
                    "date": "2021-01-10",
                    "analyte": "ck",
                    "value": value,
                    "comparator": comparator,
                    "unit": "U/L",
                    "range": {"high": 200},
                }
            ],
        }
    )
    enzymes = core_set(record, record.activity[0]).enzymes
    assert enzymes == ({} if baseline is None else {Analyte.ck: baseline})
