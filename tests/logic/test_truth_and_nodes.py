"""The rule kernel: Kleene logic, intervals, nodes, and their explanation traces."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heliotrope.logic import (
    All,
    Any,
    AtLeast,
    Bands,
    Count,
    Decide,
    Interval,
    Item,
    Logistic,
    Not,
    Threshold,
    Truth,
    WeightedSum,
)

T, F, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN


@pytest.mark.parametrize(
    ("a", "b", "and_", "or_"),
    [
        (T, T, T, T),
        (T, F, F, T),
        (T, U, U, T),
        (F, F, F, F),
        (F, U, F, U),
        (U, U, U, U),
    ],
)
def test_kleene_tables(a: Truth, b: Truth, and_: Truth, or_: Truth) -> None:
    assert a & b is and_ and b & a is and_
    assert a | b is or_ and b | a is or_


def test_negation_and_no_implicit_bool() -> None:
    assert ~T is F and ~F is T and ~U is U
    with pytest.raises(TypeError):
        bool(U)


def test_at_least_is_unknown_only_when_unknowns_could_decide() -> None:
    node = AtLeast(2, Item("a"), Item("b"), Item("c"))
    assert node.evaluate({"a": T, "b": T, "c": U}).value is T
    assert node.evaluate({"a": T, "b": U, "c": F}).value is U
    assert node.evaluate({"a": F, "b": U, "c": F}).value is F


def test_weighted_sum_interval() -> None:
    node = WeightedSum((("a", 1.5), ("b", 2.0), ("c", 0.5)))
    assert node.evaluate({"a": T, "b": U, "c": F}).value == Interval(1.5, 3.5)


def test_bands_report_every_category_the_interval_allows() -> None:
    bands = Bands(
        WeightedSum((("a", 5.0), ("b", 3.0))), ((5.3, "possible"), (7.5, "definite")), "none"
    )
    assert bands.evaluate({"a": T, "b": U}).value == frozenset({"none", "possible", "definite"})
    assert bands.evaluate({"a": T, "b": T}).value == frozenset({"definite"})


def test_decide_keeps_reachable_categories_in_order() -> None:
    node = Decide((("high", Item("a")), ("low", Item("b"))), otherwise="none")
    assert node.evaluate({"a": F, "b": T}).value == frozenset({"low"})
    assert node.evaluate({"a": U, "b": T}).value == frozenset({"high", "low"})
    assert node.evaluate({"a": U, "b": F}).value == frozenset({"high", "none"})


def test_nested_decision_only_under_a_star_rule_in_both_paths() -> None:
    """Regression: ``value`` (the fast path) accepted a nested decision under any category,
    where ``evaluate`` refused it, so the two paths could disagree."""
    inner = Decide((("x", Item("a")),), otherwise="y")
    good = Decide((("none", Item("b")), ("*", inner)), otherwise="z")
    assert good.value({"a": T, "b": F}) == good.evaluate({"a": T, "b": F}).value == {"x"}
    bad = Decide((("named", inner),), otherwise="z")
    for run in (bad.value, lambda env: bad.evaluate(env).value):
        with pytest.raises(TypeError, match="only a '\\*' rule may hold a nested decision"):
            run({"a": T})


def test_trace_explains_every_node() -> None:
    node = All(Item("a"), Not(Item("b")))
    trace = node.evaluate({"a": T, "b": F}).to_dict()
    assert trace["value"] == "true"
    children = trace["children"]
    assert isinstance(children, list) and len(children) == 2


def test_logistic_threshold() -> None:
    score = WeightedSum((("a", 10.1),))
    probability = Logistic(score, 5.33)
    value = probability.evaluate({"a": T}).value
    assert isinstance(value, Interval)
    assert value.lo == pytest.approx(0.9916, abs=1e-4)
    assert Threshold(probability, 0.9).evaluate({"a": T}).value is T


truths = st.sampled_from([T, F, U])


@given(st.lists(truths, min_size=1, max_size=6), st.integers(min_value=0, max_value=6))
def test_three_valued_results_agree_with_every_completion(values: list[Truth], n: int) -> None:
    """Soundness: a definite three-valued answer holds for every way of settling the unknowns."""
    keys = [f"k{i}" for i in range(len(values))]
    env = dict(zip(keys, values, strict=True))
    nodes = [
        AtLeast(n, *(Item(k) for k in keys)),
        All(*(Item(k) for k in keys)),
        Any(*(Item(k) for k in keys)),
    ]
    unknown = [k for k in keys if env[k] is U]
    for node in nodes:
        three = node.evaluate(env).value
        completions = set()
        for choice in itertools.product([T, F], repeat=len(unknown)):
            full = dict(env, **dict(zip(unknown, choice, strict=True)))
            completions.add(node.evaluate(full).value)
        if three is U:
            assert completions == {T, F} or len(unknown) > 0
        else:
            assert completions == {three}


@given(st.lists(truths, min_size=1, max_size=6))
def test_count_interval_brackets_every_completion(values: list[Truth]) -> None:
    keys = [f"k{i}" for i in range(len(values))]
    env = dict(zip(keys, values, strict=True))
    interval = Count(*(Item(k) for k in keys)).evaluate(env).value
    assert isinstance(interval, Interval)
    yes = sum(v is T for v in values)
    assert interval.lo == yes
    assert interval.hi == yes + sum(v is U for v in values)
