"""Compile the kernel's logic trees (:mod:`heliotrope.logic.nodes`) to SQL expressions (sqlglot).

One compiler for every engine: each node type has one rule below, in dispatch tables keyed by
node type (``_TRUTH``, ``_INTERVAL``, ``_REACH``, ``_HEADLINE``); sqlglot then writes the
expression in the engine's dialect (DuckDB, Spark SQL).

Semantics, node by node, are those of the single-patient kernel:

- An item is a SQL boolean column: TRUE present, FALSE absent, NULL unknown. SQL's AND / OR /
  NOT are Kleene's strong three-valued logic, as :class:`~heliotrope.logic.truth.Truth` is.
- A numeric node (count, weighted sum, logistic) compiles to its interval ``(lo, hi)``: a
  weighted sum's low end counts unknown items as absent, its high end as present (the sum of
  its parts' ranges, computed structurally; weights as DECIMAL so sums are exact, as the
  kernel's rounding to 6 places makes them).
- ``Threshold`` / ``AtLeast`` of an interval: TRUE when lo ≥ t, FALSE when hi < t, else NULL.
- A category node (``Bands``, ``Decide``) compiles to one never-NULL boolean per category: is
  it reachable for some resolution of the unknown items (the kernel's ``value`` on the
  three-valued environment); and, with unknown items counted as absent (the publications'
  headline convention), to a CASE giving the one headline category.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from sqlglot import exp

from heliotrope.logic.nodes import (
    All,
    Any,
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

__all__ = [
    "ItemRef",
    "Scope",
    "at_least",
    "coalesce",
    "headline",
    "headline_ref",
    "interval",
    "is_categorical",
    "is_numeric",
    "reachable",
    "truth",
]

ItemRef = Callable[[str], exp.Expression]
Interval = tuple[exp.Expression, exp.Expression]

TRUE = exp.true
FALSE = exp.false


def coalesce(value: exp.Expression, default: exp.Expression) -> exp.Expression:
    return exp.Coalesce(this=value, expressions=[default])


def _case(*whens: tuple[exp.Expression, exp.Expression], default: exp.Expression) -> exp.Case:
    case = exp.Case()
    for condition, then in whens:
        case = case.when(condition, then)
    return case.else_(default)


def _null_bool() -> exp.Expression:
    return exp.Cast(this=exp.null(), to=exp.DataType.build("BOOLEAN"))


def _decimal(value: float) -> exp.Expression:
    text = format(Decimal(str(round(value, 6))), "f")
    return exp.Cast(this=exp.Literal.number(text), to=exp.DataType.build("DECIMAL(18, 6)"))


def _number(value: float) -> exp.Expression:
    return exp.Literal.number(repr(float(value)))


class Scope:
    """Item references plus numeric nodes already computed as columns (``known``: node →
    (lo, hi)), so a score used by several bands and thresholds is summed once."""

    def __init__(self, ref: ItemRef, known: Mapping[Node, Interval] | None = None) -> None:
        self.ref = ref
        self.known: dict[Node, Interval] = dict(known or {})

    def __call__(self, key: str) -> exp.Expression:
        return self.ref(key)


def headline_ref(ref: ItemRef) -> ItemRef:
    """Items with unknown counted as absent (the headline convention); a known interval
    becomes its low end (unknown items counted absent)."""

    def absent(key: str) -> exp.Expression:
        return coalesce(ref(key), FALSE())

    if isinstance(ref, Scope):
        return Scope(absent, {node: (lo, lo) for node, (lo, _hi) in ref.known.items()})
    return absent


# -- truth-valued nodes ------------------------------------------------------------------------
def truth(node: Node, ref: ItemRef) -> exp.Expression:
    """A truth node as a three-valued SQL boolean (NULL = unknown)."""
    rule = _TRUTH.get(type(node))
    if rule is None:
        raise TypeError(f"{node.describe()} is not a truth-valued node")
    return rule(node, ref)


def _item(node: Node, ref: ItemRef) -> exp.Expression:
    assert isinstance(node, Item)
    return ref(node.key)


def _not(node: Node, ref: ItemRef) -> exp.Expression:
    assert isinstance(node, Not)
    return exp.Not(this=exp.Paren(this=truth(node.child, ref)))


def _all(node: Node, ref: ItemRef) -> exp.Expression:
    assert isinstance(node, All)
    if not node.parts:
        return TRUE()
    return exp.Paren(this=exp.and_(*(exp.Paren(this=truth(p, ref)) for p in node.parts)))


def _any(node: Node, ref: ItemRef) -> exp.Expression:
    assert isinstance(node, Any)
    if not node.parts:
        return FALSE()
    return exp.Paren(this=exp.or_(*(exp.Paren(this=truth(p, ref)) for p in node.parts)))


def at_least(bounds: Interval, threshold: exp.Expression) -> exp.Expression:
    """Interval ≥ threshold in three values (kernel ``Interval.at_least``)."""
    lo, hi = bounds
    return _case(
        (exp.GTE(this=lo, expression=threshold), TRUE()),
        (exp.LT(this=hi, expression=threshold), FALSE()),
        default=_null_bool(),
    )


def _at_least(node: Node, ref: ItemRef) -> exp.Expression:
    assert isinstance(node, AtLeast)
    return at_least(_count(node.parts, ref), exp.Literal.number(node.n))


def _threshold(node: Node, ref: ItemRef) -> exp.Expression:
    assert isinstance(node, Threshold)
    bounds = interval(node.measure, ref)
    limit = _number(node.minimum) if isinstance(node.measure, Logistic) else _decimal(node.minimum)
    return at_least(bounds, limit)


_TRUTH: dict[type[Node], Callable[[Node, ItemRef], exp.Expression]] = {
    Item: _item,
    Not: _not,
    All: _all,
    Any: _any,
    AtLeast: _at_least,
    Threshold: _threshold,
}


# -- numeric nodes -----------------------------------------------------------------------------
def interval(node: Node, ref: ItemRef) -> Interval:
    """A numeric node as its (lo, hi) SQL expressions."""
    if isinstance(ref, Scope) and node in ref.known:
        lo, hi = ref.known[node]
        return lo.copy(), hi.copy()
    rule = _INTERVAL.get(type(node))
    if rule is None:
        raise TypeError(f"{node.describe()} is not a numeric node")
    return rule(node, ref)


def _sum(terms: list[tuple[exp.Expression, exp.Expression]], zero: exp.Expression) -> Interval:
    """(lo, hi) of a sum of weights: lo counts parts that are TRUE, hi those not FALSE."""
    if not terms:
        return zero, zero
    lo_parts = [_case((coalesce(t, FALSE()), w), default=zero) for t, w in terms]
    hi_parts = [_case((coalesce(t, TRUE()), w), default=zero) for t, w in terms]
    lo: exp.Expression = lo_parts[0]
    hi: exp.Expression = hi_parts[0]
    for part in lo_parts[1:]:
        lo = exp.Add(this=lo, expression=part)
    for part in hi_parts[1:]:
        hi = exp.Add(this=hi, expression=part)
    return exp.Paren(this=lo), exp.Paren(this=hi)


def _count(parts: tuple[Node, ...], ref: ItemRef) -> Interval:
    one = exp.Literal.number(1)
    return _sum([(truth(p, ref), one) for p in parts], exp.Literal.number(0))


def _count_node(node: Node, ref: ItemRef) -> Interval:
    assert isinstance(node, Count)
    return _count(node.parts, ref)


def _weighted(node: Node, ref: ItemRef) -> Interval:
    assert isinstance(node, WeightedSum)
    return _sum([(ref(k), _decimal(w)) for k, w in node.terms], _decimal(0.0))


def _logistic(node: Node, ref: ItemRef) -> Interval:
    assert isinstance(node, Logistic)
    lo, hi = interval(node.score, ref)

    def prob(score: exp.Expression) -> exp.Expression:
        as_double = exp.Cast(this=score, to=exp.DataType.build("DOUBLE"))
        power = exp.Exp(this=exp.Sub(this=_number(node.intercept), expression=as_double))
        return exp.Div(
            this=_number(1.0),
            expression=exp.Paren(this=exp.Add(this=_number(1.0), expression=power)),
        )

    return prob(lo), prob(hi)


_INTERVAL: dict[type[Node], Callable[[Node, ItemRef], Interval]] = {
    Count: _count_node,
    WeightedSum: _weighted,
    Logistic: _logistic,
}


def _bound(node: Bands, value: float) -> exp.Expression:
    return _number(value) if isinstance(node.measure, Logistic) else _decimal(value)


# -- category nodes ----------------------------------------------------------------------------
def reachable(node: Node, ref: ItemRef) -> dict[str, exp.Expression]:
    """Per category, a never-NULL boolean: reachable by some resolution of unknown items."""
    rule = _REACH.get(type(node))
    if rule is None:
        raise TypeError(f"{node.describe()} is not a category node")
    return rule(node, ref)


def _or_into(out: dict[str, exp.Expression], category: str, condition: exp.Expression) -> None:
    joined = exp.Paren(this=exp.or_(out[category], condition)) if category in out else condition
    out[category] = joined


def _bands_reach(node: Node, ref: ItemRef) -> dict[str, exp.Expression]:
    assert isinstance(node, Bands)
    lo, hi = interval(node.measure, ref)
    edges = [b for b, _ in node.bands]
    names = [node.below] + [c for _, c in node.bands]
    out: dict[str, exp.Expression] = {}
    for index, name in enumerate(names):
        conditions: list[exp.Expression] = []
        if index > 0:  # band starts at edges[index - 1]
            conditions.append(exp.GTE(this=hi, expression=_bound(node, edges[index - 1])))
        if index < len(edges):  # band ends before edges[index]
            conditions.append(exp.LT(this=lo, expression=_bound(node, edges[index])))
        condition = exp.and_(*conditions) if conditions else TRUE()
        _or_into(out, name, coalesce(exp.Paren(this=condition), FALSE()))
    return out


def _decide_reach(node: Node, ref: ItemRef) -> dict[str, exp.Expression]:
    assert isinstance(node, Decide)
    out: dict[str, exp.Expression] = {}
    going: exp.Expression = TRUE()
    for category, condition in node.rules:
        if type(condition) in _REACH:
            if category != "*":
                raise TypeError("only a '*' rule may hold a nested decision")
            for name, reach in reachable(condition, ref).items():
                _or_into(out, name, exp.Paren(this=exp.and_(going, exp.Paren(this=reach))))
            return out
        value = truth(condition, ref)
        _or_into(out, category, exp.Paren(this=exp.and_(going, coalesce(value, TRUE()))))
        going = exp.Paren(this=exp.and_(going, exp.Not(this=coalesce(value, FALSE()))))
    _or_into(out, node.otherwise, going)
    return out


_REACH: dict[type[Node], Callable[[Node, ItemRef], dict[str, exp.Expression]]] = {
    Bands: _bands_reach,
    Decide: _decide_reach,
}


def headline(node: Node, ref: ItemRef) -> exp.Expression:
    """The one category of a category node under a two-valued environment (``ref`` never
    NULL, e.g. :func:`headline_ref`), as a SQL CASE."""
    rule = _HEADLINE.get(type(node))
    if rule is None:
        raise TypeError(f"{node.describe()} is not a category node")
    return rule(node, ref)


def _bands_headline(node: Node, ref: ItemRef) -> exp.Expression:
    assert isinstance(node, Bands)
    lo, _hi = interval(node.measure, ref)
    whens = [
        (exp.GTE(this=lo, expression=_bound(node, bound)), exp.Literal.string(name))
        for bound, name in reversed(node.bands)
    ]
    return _case(*whens, default=exp.Literal.string(node.below))


def _decide_headline(node: Node, ref: ItemRef) -> exp.Expression:
    assert isinstance(node, Decide)
    whens: list[tuple[exp.Expression, exp.Expression]] = []
    for category, condition in node.rules:
        if type(condition) in _HEADLINE:
            return (
                _case(*whens, default=headline(condition, ref))
                if whens
                else headline(condition, ref)
            )
        whens.append((coalesce(truth(condition, ref), FALSE()), exp.Literal.string(category)))
    return _case(*whens, default=exp.Literal.string(node.otherwise))


_HEADLINE: dict[type[Node], Callable[[Node, ItemRef], exp.Expression]] = {
    Bands: _bands_headline,
    Decide: _decide_headline,
}


def is_numeric(node: Node) -> bool:
    """Does ``node`` compile to an interval (count, weighted sum, logistic)?"""
    return type(node) in _INTERVAL


def is_categorical(node: Node) -> bool:
    """Does ``node`` compile to categories (bands, decision list)?"""
    return type(node) in _HEADLINE
