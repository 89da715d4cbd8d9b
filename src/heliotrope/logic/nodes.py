"""The rule kernel's node vocabulary: items, all / any / at-least-n, counts, weighted sums,
thresholds, bands and ordered decision lists.

A criterion's logic is a tree of these nodes. :meth:`Node.evaluate` walks it with three-valued
item truths and returns a :class:`Trace` (the explanation tree): every node with its value, so a
result shows not just *what* but *why*. Renderers (``explain``, HTML) walk the same nodes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from heliotrope.logic.truth import Interval, Truth

__all__ = [
    "All",
    "Any",
    "AtLeast",
    "Bands",
    "Categories",
    "Count",
    "Decide",
    "Env",
    "Item",
    "Logistic",
    "Node",
    "Not",
    "Threshold",
    "Trace",
    "Value",
    "WeightedSum",
]

_TRUE = Truth.TRUE
_FALSE = Truth.FALSE
_UNKNOWN = Truth.UNKNOWN

Categories = frozenset[str]
Value = Truth | Interval | Categories
Env = Mapping[str, Truth]


@dataclass(frozen=True)
class Trace:
    """One evaluated node: what it is, the value it took, and its children's traces."""

    node: Node
    value: Value
    children: tuple[Trace, ...] = ()

    def to_dict(self) -> dict[str, object]:
        value = self.value
        shown: object
        if isinstance(value, Truth):
            shown = value.value
        elif isinstance(value, Interval):
            shown = {"lo": round(value.lo, 6), "hi": round(value.hi, 6)}
        else:
            shown = sorted(value)
        out: dict[str, object] = {"node": described(self.node), "value": shown}
        if self.children:
            out["children"] = [c.to_dict() for c in self.children]
        return out


def described(node: Node) -> str:
    """``node.describe()``, computed once per node and kept on it (nodes are immutable), so
    every trace of a definition shares one string per node instead of rebuilding the
    descriptions of whole subtrees at every level (issue 13: memory per assessment)."""
    text: str | None = node.__dict__.get("_described")
    if text is None:
        text = node.describe()
        object.__setattr__(node, "_described", text)
    return text


class Node:
    """Base class of the kernel's nodes."""

    def evaluate(self, env: Env) -> Trace:
        """The value with its explanation tree."""
        raise NotImplementedError

    def value(self, env: Env) -> Value:
        """The value alone (the fast path used when varying unknown items)."""
        return self.evaluate(env).value

    def describe(self) -> str:
        raise NotImplementedError

    def children(self) -> tuple[Node, ...]:
        return ()

    def item_keys(self) -> set[str]:
        keys: set[str] = set()
        for child in self.children():
            keys |= child.item_keys()
        return keys


def _truth(trace: Trace) -> Truth:
    if not isinstance(trace.value, Truth):
        raise TypeError(f"{trace.node.describe()} is not a truth-valued node")
    return trace.value


def _count(parts: tuple[Node, ...], env: Env) -> Interval:
    yes = maybe = 0
    for part in parts:
        truth = part.value(env)
        if truth is Truth.TRUE:
            yes += 1
        elif truth is Truth.UNKNOWN:
            maybe += 1
    return Interval(yes, yes + maybe)


def _interval(trace: Trace) -> Interval:
    if not isinstance(trace.value, Interval):
        raise TypeError(f"{trace.node.describe()} is not a numeric node")
    return trace.value


@dataclass(frozen=True)
class Item(Node):
    """A criterion item: true when present, false when absent, unknown when not assessed."""

    key: str

    def evaluate(self, env: Env) -> Trace:
        return Trace(self, env.get(self.key, Truth.UNKNOWN))

    def value(self, env: Env) -> Value:
        return env.get(self.key, Truth.UNKNOWN)

    def describe(self) -> str:
        return self.key

    def item_keys(self) -> set[str]:
        return {self.key}


@dataclass(frozen=True)
class Not(Node):
    child: Node

    def evaluate(self, env: Env) -> Trace:
        inner = self.child.evaluate(env)
        return Trace(self, ~_truth(inner), (inner,))

    def value(self, env: Env) -> Value:
        inner = self.child.value(env)
        assert isinstance(inner, Truth)
        return ~inner

    def describe(self) -> str:
        return f"not {self.child.describe()}"

    def children(self) -> tuple[Node, ...]:
        return (self.child,)


@dataclass(frozen=True, init=False)
class All(Node):
    parts: tuple[Node, ...]

    def __init__(self, *parts: Node) -> None:
        object.__setattr__(self, "parts", parts)

    def evaluate(self, env: Env) -> Trace:
        traces = tuple(p.evaluate(env) for p in self.parts)
        return Trace(self, Truth.all(_truth(t) for t in traces), traces)

    def value(self, env: Env) -> Value:
        # Kleene conjunction, stopping at the first false part (false decides it).
        out = _TRUE
        for part in self.parts:
            truth = part.value(env)
            if truth is _FALSE:
                return _FALSE
            if truth is not _TRUE:
                out = _UNKNOWN
        return out

    def describe(self) -> str:
        return "all of (" + ", ".join(p.describe() for p in self.parts) + ")"

    def children(self) -> tuple[Node, ...]:
        return self.parts


@dataclass(frozen=True, init=False)
class Any(Node):
    parts: tuple[Node, ...]

    def __init__(self, *parts: Node) -> None:
        object.__setattr__(self, "parts", parts)

    def evaluate(self, env: Env) -> Trace:
        traces = tuple(p.evaluate(env) for p in self.parts)
        return Trace(self, Truth.any(_truth(t) for t in traces), traces)

    def value(self, env: Env) -> Value:
        # Kleene disjunction, stopping at the first true part (true decides it).
        out = _FALSE
        for part in self.parts:
            truth = part.value(env)
            if truth is _TRUE:
                return _TRUE
            if truth is not _FALSE:
                out = _UNKNOWN
        return out

    def describe(self) -> str:
        return "any of (" + ", ".join(p.describe() for p in self.parts) + ")"

    def children(self) -> tuple[Node, ...]:
        return self.parts


@dataclass(frozen=True, init=False)
class Count(Node):
    """How many of the parts are true: an interval when some are unknown."""

    parts: tuple[Node, ...]

    def __init__(self, *parts: Node) -> None:
        object.__setattr__(self, "parts", parts)

    def evaluate(self, env: Env) -> Trace:
        traces = tuple(p.evaluate(env) for p in self.parts)
        truths = [_truth(t) for t in traces]
        yes = sum(t is Truth.TRUE for t in truths)
        maybe = sum(t is Truth.UNKNOWN for t in truths)
        return Trace(self, Interval(yes, yes + maybe), traces)

    def value(self, env: Env) -> Value:
        return _count(self.parts, env)

    def describe(self) -> str:
        return "count of (" + ", ".join(p.describe() for p in self.parts) + ")"

    def children(self) -> tuple[Node, ...]:
        return self.parts


@dataclass(frozen=True, init=False)
class AtLeast(Node):
    n: int
    parts: tuple[Node, ...]

    def __init__(self, n: int, *parts: Node) -> None:
        object.__setattr__(self, "n", n)
        object.__setattr__(self, "parts", parts)

    def evaluate(self, env: Env) -> Trace:
        counted = Count(*self.parts).evaluate(env)
        return Trace(self, _interval(counted).at_least(self.n), counted.children)

    def value(self, env: Env) -> Value:
        return _count(self.parts, env).at_least(self.n)

    def describe(self) -> str:
        return f"at least {self.n} of (" + ", ".join(p.describe() for p in self.parts) + ")"

    def children(self) -> tuple[Node, ...]:
        return self.parts


@dataclass(frozen=True)
class WeightedSum(Node):
    """Sum of item weights: each present item adds its weight, each unknown one widens the
    interval's high end (weights are non-negative)."""

    terms: tuple[tuple[str, float], ...]

    def __post_init__(self) -> None:
        if any(weight < 0 for _, weight in self.terms):
            raise ValueError("weights must be non-negative")

    def evaluate(self, env: Env) -> Trace:
        traces = tuple(Item(key).evaluate(env) for key, _ in self.terms)
        return Trace(self, self.value(env), traces)

    def value(self, env: Env) -> Value:
        lo = hi = 0.0
        for key, weight in self.terms:
            truth = env.get(key, Truth.UNKNOWN)
            if truth is Truth.TRUE:
                lo += weight
                hi += weight
            elif truth is Truth.UNKNOWN:
                hi += weight
        return Interval(round(lo, 6), round(hi, 6))

    def describe(self) -> str:
        return "sum of (" + ", ".join(f"{k} {w:g}" for k, w in self.terms) + ")"

    def item_keys(self) -> set[str]:
        return {k for k, _ in self.terms}


@dataclass(frozen=True)
class Logistic(Node):
    """P = 1 / (1 + exp(intercept - score)): monotone, so it maps an interval end to end."""

    score: Node
    intercept: float

    @staticmethod
    def probability(score: float, intercept: float) -> float:
        return 1.0 / (1.0 + math.exp(intercept - score))

    def evaluate(self, env: Env) -> Trace:
        inner = self.score.evaluate(env)
        return Trace(self, self._map(_interval(inner)), (inner,))

    def value(self, env: Env) -> Value:
        inner = self.score.value(env)
        assert isinstance(inner, Interval)
        return self._map(inner)

    def _map(self, interval: Interval) -> Interval:
        return Interval(
            self.probability(interval.lo, self.intercept),
            self.probability(interval.hi, self.intercept),
        )

    def describe(self) -> str:
        return f"1 / (1 + exp({self.intercept:g} - {self.score.describe()}))"

    def children(self) -> tuple[Node, ...]:
        return (self.score,)


@dataclass(frozen=True)
class Threshold(Node):
    """True when a numeric node is at least ``minimum``."""

    measure: Node
    minimum: float

    def evaluate(self, env: Env) -> Trace:
        inner = self.measure.evaluate(env)
        return Trace(self, _interval(inner).at_least(self.minimum), (inner,))

    def value(self, env: Env) -> Value:
        inner = self.measure.value(env)
        assert isinstance(inner, Interval)
        return inner.at_least(self.minimum)

    def describe(self) -> str:
        return f"{self.measure.describe()} >= {self.minimum:g}"

    def children(self) -> tuple[Node, ...]:
        return (self.measure,)


@dataclass(frozen=True)
class Bands(Node):
    """Map a numeric node to a category: ``bands`` are (lower bound inclusive, category) in
    ascending order; below the first bound the category is ``below``."""

    measure: Node
    bands: tuple[tuple[float, str], ...]
    below: str

    def category(self, number: float) -> str:
        out = self.below
        for bound, name in self.bands:
            if number >= bound:
                out = name
        return out

    def evaluate(self, env: Env) -> Trace:
        inner = self.measure.evaluate(env)
        return Trace(self, self._categories(_interval(inner)), (inner,))

    def value(self, env: Env) -> Value:
        inner = self.measure.value(env)
        assert isinstance(inner, Interval)
        return self._categories(inner)

    def _categories(self, interval: Interval) -> Categories:
        if interval.exact:
            return frozenset((self.category(interval.lo),))
        points = [interval.lo, interval.hi] + [
            b for b, _ in self.bands if interval.lo <= b <= interval.hi
        ]
        return frozenset(self.category(p) for p in points)

    def describe(self) -> str:
        steps = ", ".join(f">= {b:g}: {c}" for b, c in self.bands)
        return f"bands of {self.measure.describe()} (< {self.bands[0][0]:g}: {self.below}, {steps})"

    def children(self) -> tuple[Node, ...]:
        return (self.measure,)


@dataclass(frozen=True)
class Decide(Node):
    """An ordered decision list: the first rule whose condition holds gives the category.

    With unknown conditions every category still reachable is kept, so the value is the set of
    categories the unknown items allow.
    """

    rules: tuple[tuple[str, Node], ...]
    otherwise: str
    label: str = ""

    def evaluate(self, env: Env) -> Trace:
        reachable: set[str] = set()
        traces = []
        for category, condition in self.rules:
            trace = condition.evaluate(env)
            traces.append(trace)
            value = trace.value
            if isinstance(value, frozenset):  # a nested decision: its categories pass through
                if category == "*":
                    reachable |= value
                    return Trace(self, frozenset(reachable), tuple(traces))
                raise TypeError("only a '*' rule may hold a nested decision")
            truth = _truth(trace)
            if truth is Truth.TRUE:
                reachable.add(category)
                return Trace(self, frozenset(reachable), tuple(traces))
            if truth is Truth.UNKNOWN:
                reachable.add(category)
        reachable.add(self.otherwise)
        return Trace(self, frozenset(reachable), tuple(traces))

    def value(self, env: Env) -> Value:
        reachable: set[str] = set()
        for category, condition in self.rules:
            value = condition.value(env)
            if isinstance(value, frozenset):
                if category != "*":
                    raise TypeError("only a '*' rule may hold a nested decision")
                reachable |= value
                return frozenset(reachable)
            if value is Truth.TRUE:
                reachable.add(category)
                return frozenset(reachable)
            if value is Truth.UNKNOWN:
                reachable.add(category)
        reachable.add(self.otherwise)
        return frozenset(reachable)

    def describe(self) -> str:
        rules = "; ".join(
            f"{c}: {n.describe()}" if c != "*" else n.describe() for c, n in self.rules
        )
        name = f"{self.label} " if self.label else ""
        return f"{name}first of ({rules}; otherwise {self.otherwise})"

    def children(self) -> tuple[Node, ...]:
        return tuple(n for _, n in self.rules)
