"""A definition's trees compiled once into one Python expression over two-valued item truths
(issue 13): the headline, each unknown item's effect and the ends of the numeric ranges are
all evaluations with every item decided, where Kleene logic is plain Boolean logic.

The expression computes exactly what :meth:`Node.value` computes when no item is unknown: the
same additions in the same order (a weighted sum adds its present weights to 0.0 term by term
and rounds to 6 places), the same logistic formula, the same comparisons; a decision list gives
its first holding rule's category, a category node its category, a count its whole number.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
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

__all__ = ["Compiled", "compile_trees", "monotone"]

Decided = Callable[[Mapping[str, bool]], tuple[Any, ...]]


@dataclass(frozen=True)
class Compiled:
    """The trees' values (outcome, then each output) for decided items."""

    keys: frozenset[str]  # every item the trees read
    run: Decided


def compile_trees(trees: tuple[Node, ...], name: str) -> Compiled:
    """One function returning each tree's two-valued value."""
    namespace: dict[str, Any] = {"exp": math.exp}
    keys: set[str] = set()

    def constant(value: Any) -> str:
        slot = f"k{len(namespace)}"
        namespace[slot] = value
        return slot

    def source(node: Node) -> str:
        if isinstance(node, Item):
            keys.add(node.key)
            return f"t[{node.key!r}]"
        if isinstance(node, Not):
            return f"(not {source(node.child)})"
        if isinstance(node, All):
            return "(" + " and ".join(source(p) for p in node.parts) + ")" if node.parts else "True"
        if isinstance(node, AnyOf):
            return "(" + " or ".join(source(p) for p in node.parts) + ")" if node.parts else "False"
        if isinstance(node, Count | AtLeast):
            count = " + ".join(f"(1 if {source(p)} else 0)" for p in node.parts) or "0"
            return f"(({count}) >= {node.n!r})" if isinstance(node, AtLeast) else f"({count})"
        if isinstance(node, WeightedSum):
            terms = "".join(f" + ({w!r} if t[{k!r}] else 0.0)" for k, w in node.terms)
            keys.update(k for k, _ in node.terms)
            return f"round(0.0{terms}, 6)"
        if isinstance(node, Logistic):
            return f"(1.0 / (1.0 + exp({node.intercept!r} - {source(node.score)})))"
        if isinstance(node, Threshold):
            return f"({source(node.measure)} >= {node.minimum!r})"
        if isinstance(node, Bands):
            return f"{constant(node.category)}({source(node.measure)})"
        if isinstance(node, Decide):
            out = repr(node.otherwise)
            for category, condition in reversed(node.rules):
                nested = isinstance(condition, Decide | Bands)
                if nested and category != "*":
                    raise TypeError("only a '*' rule may hold a nested decision")
                if nested:
                    out = source(condition)
                else:
                    out = f"({category!r} if {source(condition)} else {out})"
            return out
        raise TypeError(f"cannot compile {type(node).__name__}")

    text = "lambda t: (" + "".join(f"{source(tree)}, " for tree in trees) + ")"
    run: Decided = eval(compile(text, f"<compiled {name}>", "eval"), namespace)  # our own text
    return Compiled(frozenset(keys), run)


def monotone(node: Node) -> bool:
    """Whether ``node`` is a sum, a count of items or a logistic map of one: then its
    three-valued interval runs from its value with the unknown items absent to its value
    with them present."""
    if isinstance(node, WeightedSum):
        return True
    if isinstance(node, Count):
        return all(isinstance(p, Item) for p in node.parts)
    if isinstance(node, Logistic):
        return monotone(node.score)
    return False
