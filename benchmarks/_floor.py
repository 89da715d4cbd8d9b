"""The floor for the benchmarks: a criterion's rules as plain Python expressions.

Each definition's logic tree is written out once as one straight-line Python expression over a
dict of item truths (unknown counted as absent, as the headline does): ``t["a"] and not
t["b"]``, ``(2.1 if t["x"] else 0.0) + ...``, ``"definite" if ... else "probable" if ... else
"no"`` — exactly what a hand-written implementation of the headline would compute, with no
kernel, no intervals and no explanation. Its cost is what the rules themselves cost.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from heliotrope.logic import (
    All,
    AtLeast,
    Bands,
    Count,
    Decide,
    Definition,
    Item,
    Logistic,
    Node,
    Not,
    Threshold,
    WeightedSum,
)
from heliotrope.logic import Any as AnyOf

__all__ = ["expression", "floor_function"]


def expression(node: Node) -> str:
    """Python source of ``node`` over ``t`` (item key → bool)."""
    if isinstance(node, Item):
        return f"t[{node.key!r}]"
    if isinstance(node, Not):
        return f"(not {expression(node.child)})"
    if isinstance(node, All):
        return "(" + " and ".join(expression(p) for p in node.parts) + ")"
    if isinstance(node, AnyOf):
        return "(" + " or ".join(expression(p) for p in node.parts) + ")"
    if isinstance(node, Count):
        return "(" + " + ".join(f"(1 if {expression(p)} else 0)" for p in node.parts) + ")"
    if isinstance(node, AtLeast):
        count = " + ".join(f"(1 if {expression(p)} else 0)" for p in node.parts) or "0"
        return f"(({count}) >= {node.n})"
    if isinstance(node, WeightedSum):
        terms = " + ".join(f"({w!r} if t[{k!r}] else 0.0)" for k, w in node.terms)
        return f"round({terms or '0.0'}, 6)"
    if isinstance(node, Logistic):
        return f"(1.0 / (1.0 + exp({node.intercept!r} - {expression(node.score)})))"
    if isinstance(node, Threshold):
        return f"({expression(node.measure)} >= {node.minimum!r})"
    if isinstance(node, Bands):
        out = repr(node.below)
        for bound, name in node.bands:
            out = f"({name!r} if m >= {bound!r} else {out})"
        return f"(lambda m: {out})({expression(node.measure)})"
    if isinstance(node, Decide):
        out = repr(node.otherwise)
        for category, condition in reversed(node.rules):
            if category == "*":
                out = expression(condition)
            else:
                out = f"({category!r} if {expression(condition)} else {out})"
        return out
    raise TypeError(f"no expression for {type(node).__name__}")


def floor_function(definition: Definition) -> Callable[[dict[str, bool]], tuple[Any, ...]]:
    """The headline category and every output, as one compiled expression."""
    parts = [expression(definition.outcome), *map(expression, definition.outputs.values())]
    source = "lambda t: (" + ", ".join(parts) + ",)"
    function: Callable[[dict[str, bool]], tuple[Any, ...]] = eval(  # the source is our own text
        compile(source, f"<floor {definition.id}>", "eval"), {"exp": math.exp}
    )
    return function
