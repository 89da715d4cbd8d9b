"""The values one node can take when its unknown items are decided either way, from its
structure (:func:`possible`), and the outcome label (:func:`label`).

An unknown item is {true, false}; all / any / not follow Kleene's logic; a count is every
whole number from the items certainly true to those possibly true; a weighted sum is the set
of its reachable subtotals (added part by part, so a band between two reachable sums is not
reported reachable); logistic, threshold and bands map those values; a decision list keeps
each rule whose condition can hold while every earlier one can fail. Exact when each unknown
item occurs once in the node, a superset otherwise. A definition's reachable outcomes, with
items shared between its trees, are computed by :mod:`heliotrope.logic.joint`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from heliotrope.logic.nodes import (
    All,
    AtLeast,
    Bands,
    Count,
    Decide,
    Item,
    Logistic,
    Node,
    Not,
    Threshold,
    WeightedSum,
)
from heliotrope.logic.nodes import Any as AnyOf
from heliotrope.logic.truth import Truth

__all__ = ["Possible", "label", "possible"]

#: The concrete values a node can take: truths (never UNKNOWN), numbers or category names.
Possible = frozenset[Any]
_T = Truth.TRUE
_F = Truth.FALSE
_BOTH: Possible = frozenset((_T, _F))
_ONLY_T: Possible = frozenset((_T,))
_ONLY_F: Possible = frozenset((_F,))
Env = Mapping[str, Truth]


def _item(node: Item, env: Env) -> Possible:
    truth = env.get(node.key, Truth.UNKNOWN)
    if truth is _T:
        return _ONLY_T
    if truth is _F:
        return _ONLY_F
    return _BOTH


def _not(node: Not, env: Env) -> Possible:
    return frozenset(~t for t in possible(node.child, env))


def _all(node: All, env: Env) -> Possible:
    can_true = can_false = False
    all_true = True
    for part in node.parts:
        values = possible(part, env)
        if _F in values:
            can_false = True
        if _T not in values:
            all_true = False
    can_true = all_true
    return _truths(can_true, can_false)


def _any(node: AnyOf, env: Env) -> Possible:
    can_true = False
    all_false = True
    for part in node.parts:
        values = possible(part, env)
        if _T in values:
            can_true = True
        if _F not in values:
            all_false = False
    return _truths(can_true, all_false)


def _truths(can_true: bool, can_false: bool) -> Possible:
    if can_true and can_false:
        return _BOTH
    return _ONLY_T if can_true else _ONLY_F


def _counts(parts: tuple[Node, ...], env: Env) -> range:
    yes = maybe = 0
    for part in parts:
        values = possible(part, env)
        if _F not in values:
            yes += 1
        elif _T in values:
            maybe += 1
    return range(yes, yes + maybe + 1)


def _count(node: Count, env: Env) -> Possible:
    return frozenset(_counts(node.parts, env))


def _at_least(node: AtLeast, env: Env) -> Possible:
    counts = _counts(node.parts, env)
    return _truths(counts[-1] >= node.n, counts[0] < node.n)


_MICRO = 1_000_000  # sums are kept in millionths: exact, and the kernel rounds to 6 places


def _weighted_sum(node: WeightedSum, env: Env) -> Possible:
    base = 0
    sums = {0}
    for key, weight in node.terms:
        truth = env.get(key, Truth.UNKNOWN)
        micro = round(weight * _MICRO)
        if truth is _T:
            base += micro
        elif truth is Truth.UNKNOWN and micro:
            sums |= {s + micro for s in sums}
    return frozenset(round((base + s) / _MICRO, 6) for s in sums)


def _mapped(node: Node, values: Possible, rule: Callable[[Any], Any]) -> Possible:
    return frozenset(map(rule, values))


def _logistic(node: Logistic, env: Env) -> Possible:
    intercept = node.intercept
    return _mapped(node, possible(node.score, env), lambda s: node.probability(s, intercept))


def _threshold(node: Threshold, env: Env) -> Possible:
    values = possible(node.measure, env)
    return _truths(max(values) >= node.minimum, min(values) < node.minimum)


def _bands(node: Bands, env: Env) -> Possible:
    return _mapped(node, possible(node.measure, env), node.category)


def _decide(node: Decide, env: Env) -> Possible:
    reachable: set[Any] = set()
    for category, condition in node.rules:
        values = possible(condition, env)
        if _T not in values and _F not in values:  # a nested decision: categories pass through
            if category != "*":
                raise TypeError("only a '*' rule may hold a nested decision")
            reachable |= values
            return frozenset(reachable)
        if _T in values:
            reachable.add(category)
        if _F not in values:
            return frozenset(reachable)
    reachable.add(node.otherwise)
    return frozenset(reachable)


_RULES: dict[type[Node], Callable[[Any, Env], Possible]] = {
    Item: _item,
    Not: _not,
    All: _all,
    AnyOf: _any,
    Count: _count,
    AtLeast: _at_least,
    WeightedSum: _weighted_sum,
    Logistic: _logistic,
    Threshold: _threshold,
    Bands: _bands,
    Decide: _decide,
}


def possible(node: Node, env: Env) -> Possible:
    """Every value ``node`` can take when the items unknown in ``env`` are decided either way
    (exact when each unknown item occurs once in the tree, a superset otherwise)."""
    rule = _RULES.get(type(node))
    if rule is None:
        raise TypeError(f"no reachability rule for {type(node).__name__}")
    return rule(node, env)


def label(category: str, extras: tuple[str, ...]) -> str:
    """The outcome label: the category and each categorical output other than ``none``."""
    return " ".join([category, *[e for e in extras if e and e != "none"]])
