"""The SQL compiler against the kernel, node by node: for random logic trees and every
three-valued environment, DuckDB's answer equals ``Node.value`` (truths, intervals, reachable
categories) and the headline equals the kernel's under unknown-as-absent."""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlglot import exp

from heliotrope.cohort import compiler as c
from heliotrope.logic.nodes import (
    All,
    Any,
    AtLeast,
    Bands,
    Decide,
    Item,
    Logistic,
    Node,
    Not,
    Threshold,
    WeightedSum,
)
from heliotrope.logic.truth import Interval, Truth

KEYS = ("a", "b", "c", "d")
SQL_OF = {Truth.TRUE: "TRUE", Truth.FALSE: "FALSE", Truth.UNKNOWN: "CAST(NULL AS BOOLEAN)"}
CON = duckdb.connect()


def _ref(key: str) -> exp.Expression:
    return exp.column(key, table="t")


def _run(expressions: list[exp.Expression], env: dict[str, Truth]) -> tuple[object, ...]:
    row = ", ".join(f"{SQL_OF[env[k]]} AS {k}" for k in KEYS)
    select = ", ".join(e.sql("duckdb") for e in expressions)
    result = CON.execute(f"SELECT {select} FROM (SELECT {row}) AS t").fetchone()
    assert result is not None
    return tuple(result)


def _truth(value: object) -> Truth:
    return Truth.of(None if value is None else bool(value))


truth_trees = st.recursive(
    st.sampled_from(KEYS).map(Item),
    lambda inner: st.one_of(
        inner.map(Not),
        st.lists(inner, min_size=1, max_size=3).map(lambda p: All(*p)),
        st.lists(inner, min_size=1, max_size=3).map(lambda p: Any(*p)),
        st.tuples(st.integers(0, 3), st.lists(inner, min_size=1, max_size=3)).map(
            lambda t: AtLeast(t[0], *t[1])
        ),
    ),
    max_leaves=6,
)
weights = st.lists(
    st.tuples(st.sampled_from(KEYS), st.sampled_from([0.5, 0.7, 1.3, 2.1, 3.3])),
    min_size=1,
    max_size=4,
    unique_by=lambda t: t[0],
).map(lambda terms: WeightedSum(tuple(terms)))
envs = st.fixed_dictionaries({k: st.sampled_from(list(Truth)) for k in KEYS})


@settings(max_examples=60)
@given(truth_trees, envs)
def test_truth_nodes_follow_kleene(node: Node, env: dict[str, Truth]) -> None:
    (value,) = _run([c.truth(node, _ref)], env)
    assert _truth(value) is node.value(env)


@settings(max_examples=40)
@given(weights, st.sampled_from([2.0, 3.4, 5.5]), envs)
def test_weighted_sum_range_and_threshold(
    node: WeightedSum, cut: float, env: dict[str, Truth]
) -> None:
    lo, hi = c.interval(node, _ref)
    got = _run([lo, hi, c.truth(Threshold(node, cut), _ref)], env)
    expected = node.value(env)
    assert isinstance(expected, Interval)
    assert (float(got[0]), float(got[1])) == (expected.lo, expected.hi)  # type: ignore[arg-type]
    assert _truth(got[2]) is Threshold(node, cut).value(env)


@settings(max_examples=40)
@given(weights, envs)
def test_logistic_maps_both_ends(node: WeightedSum, env: dict[str, Truth]) -> None:
    logistic = Logistic(node, 5.33)
    lo, hi = c.interval(logistic, _ref)
    got = _run([lo, hi], env)
    expected = logistic.value(env)
    assert isinstance(expected, Interval)
    assert got == pytest.approx((expected.lo, expected.hi), rel=1e-12)


@settings(max_examples=60)
@given(weights, truth_trees, truth_trees, envs)
def test_decisions_and_bands_reach_the_kernels_categories(
    score: WeightedSum, first: Node, second: Node, env: dict[str, Truth]
) -> None:
    bands = Bands(score, ((2.0, "low"), (3.4, "mid"), (5.0, "high")), below="none")
    decide = Decide((("x", first), ("y", second), ("*", bands)), otherwise="z")
    plain = Decide((("x", first), ("y", second)), otherwise="z")
    for node in (bands, decide, plain):
        reach = c.reachable(node, _ref)
        names = sorted(reach)
        two = {k: (Truth.FALSE if v is Truth.UNKNOWN else v) for k, v in env.items()}
        got = _run([reach[n] for n in names] + [c.headline(node, c.headline_ref(_ref))], env)
        assert {n for n, hit in zip(names, got[:-1], strict=True) if hit} == set(node.value(env))  # type: ignore[arg-type]
        assert frozenset({got[-1]}) == node.value(two)
        assert all(hit is not None for hit in got[:-1]), "reachability is never NULL"
