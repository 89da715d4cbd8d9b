"""The outcomes the unknown items allow, computed from the logic's structure (issue 13).

Each node gives the *set of values* it can take when the unknown items are decided either way
(:func:`possible`): an unknown item is {true, false}; all / any / not follow Kleene's logic; a
count is every whole number from the items certainly true to those possibly true; a weighted
sum is the set of its reachable subtotals (added part by part, so a band between two reachable
sums is not reported reachable); logistic, threshold and bands map those values; a decision
list keeps each rule whose condition can hold while every earlier one can fail.

For a tree in which every unknown item occurs once, these sets are exact and the trees of a
definition vary independently, so the reachable outcomes are the product of their sets. An
unknown item that occurs more than once (in two trees, or twice in one) couples them: the
search decides such items one at a time, and stops as soon as the sets allow a single outcome
or only outcomes already found. The cost is one pass over the tree per visited branch, not one
per each of the 2^k scenarios; tests check the result against exhaustive enumeration.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

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

__all__ = [
    "Coupling",
    "Possible",
    "coupling",
    "item_occurrences",
    "label",
    "possible",
    "reachable_outcomes",
]

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


# Memo of the search (cleared by each search): sums by (node, its items' truths) and maps of
# a value set by (node, that set), so a decision revisited under another branch costs a lookup.
# Each entry holds the node (and set) it was made for: ``possible`` may be called outside a
# search, and an id is reused once its object is gone (regression: a stale sum of another
# node made the property test flaky).
_SUMS: dict[tuple[int, tuple[Truth, ...]], tuple[Node, Possible]] = {}
_MAPS: dict[tuple[int, int], tuple[Node, Possible, Possible]] = {}
_MICRO = 1_000_000  # sums are kept in millionths: exact, and the kernel rounds to 6 places


def _weighted_sum(node: WeightedSum, env: Env) -> Possible:
    truths = tuple(env.get(key, Truth.UNKNOWN) for key, _ in node.terms)
    memo = (id(node), truths)
    found = _SUMS.get(memo)
    if found is not None and found[0] is node:
        return found[1]
    base = 0
    sums = {0}
    for (_key, weight), truth in zip(node.terms, truths, strict=True):
        micro = round(weight * _MICRO)
        if truth is _T:
            base += micro
        elif truth is Truth.UNKNOWN and micro:
            sums |= {s + micro for s in sums}
    out = frozenset(round((base + s) / _MICRO, 6) for s in sums)
    _SUMS[memo] = (node, out)
    return out


def _mapped(node: Node, values: Possible, rule: Callable[[Any], Any]) -> Possible:
    memo = (id(node), id(values))
    found = _MAPS.get(memo)
    if found is not None and found[0] is node and found[1] is values:
        return found[2]
    out = frozenset(map(rule, values))
    _MAPS[memo] = (node, values, out)
    return out


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


# Values of shared aggregates while the search conditions on them, by id(node) (hashing a
# frozen node tree is slow; equal copies of one aggregate are all listed).
_FIXED: dict[int, Possible] = {}
# During a search: for each subtree free of shared aggregates, the decided (coupled) items it
# holds; its value is memoised by their truths, so a branch re-evaluates only what it changed.
_WATCH: dict[int, tuple[str, ...]] = {}
_MEMO: dict[tuple[int, tuple[Truth | None, ...]], Possible] = {}


def possible(node: Node, env: Env) -> Possible:
    """Every value ``node`` can take when the items unknown in ``env`` are decided either way
    (exact when each unknown item occurs once in the tree, a superset otherwise)."""
    if _FIXED:
        fixed = _FIXED.get(id(node))
        if fixed is not None:
            return fixed
    watched = _WATCH.get(id(node))
    if watched is not None:  # during a search: reuse while its decided items are unchanged
        memo = (id(node), tuple([env.get(k) for k in watched]))
        found = _MEMO.get(memo)
        if found is None:
            found = _MEMO[memo] = _RULES[type(node)](node, env)
        return found
    rule = _RULES.get(type(node))
    if rule is None:
        raise TypeError(f"no reachability rule for {type(node).__name__}")
    return rule(node, env)


_AGGREGATES = (WeightedSum, Count)


def _walk(node: Node, seen: list[Node]) -> None:
    seen.append(node)
    for child in node.children():
        _walk(child, seen)


@dataclass(frozen=True)
class Coupling:
    """How the trees of a definition share items: the aggregates (sums, counts) that occur in
    more than one place, and how often each item occurs once those count as one."""

    shared: tuple[Node, ...]
    occurrences: Mapping[str, int]
    consumers: Mapping[Node, tuple[Node, ...]]
    copies: Mapping[Node, tuple[int, ...]]
    #: id of each composite subtree free of shared aggregates → the items it holds
    subtrees: Mapping[int, frozenset[str]]

    def watch(self, coupled: set[str]) -> None:
        """Memoise subtrees by the truths of the ``coupled`` items they hold."""
        _WATCH.clear()
        _MEMO.clear()
        for node_id, keys in self.subtrees.items():
            _WATCH[node_id] = tuple(sorted(keys & coupled))

    def fix(self, aggregate: Node, values: Possible) -> None:
        for copy in self.copies[aggregate]:
            _FIXED[copy] = values

    def release(self, aggregate: Node) -> None:
        for copy in self.copies[aggregate]:
            _FIXED.pop(copy, None)


def coupling(trees: tuple[Node, ...]) -> Coupling:
    """The shared aggregates of ``trees`` and the items' occurrences around them."""
    nodes: list[Node] = []
    for tree in trees:
        _walk(tree, nodes)
    aggregates = Counter(n for n in nodes if isinstance(n, _AGGREGATES))
    shared = tuple(n for n, times in aggregates.items() if times > 1)
    counts: Counter[str] = Counter()

    def count(node: Node, inside_shared: bool) -> None:
        if node in shared and not inside_shared:
            return
        if isinstance(node, Item):
            counts[node.key] += 1
        elif isinstance(node, WeightedSum):
            counts.update(k for k, _ in node.terms)
        for child in node.children():
            count(child, inside_shared)

    for tree in trees:
        count(tree, False)
    for node in shared:
        count(node, True)
    unique = list({id(n): n for n in nodes}.values())

    def deciders(node: Node) -> list[Node]:
        """The thresholds and bands that see ``node``'s value (through logistic maps)."""
        out: list[Node] = []
        for parent in unique:
            if any(child is node for child in parent.children()):
                out.extend(deciders(parent) if isinstance(parent, Logistic) else [parent])
        return out

    consumers: dict[Node, tuple[Node, ...]] = {}
    copies: dict[Node, tuple[int, ...]] = {}
    for agg in shared:
        same = [n for n in unique if n == agg]
        copies[agg] = tuple(id(n) for n in same)
        consumers[agg] = tuple(dict.fromkeys(c for n in same for c in deciders(n)))
    shared_ids = {i for ids in copies.values() for i in ids}
    subtrees: dict[int, frozenset[str]] = {}

    def holds(node: Node) -> frozenset[str] | None:
        """The items of ``node``'s subtree, None if it holds a shared aggregate."""
        if id(node) in shared_ids:
            return None
        keys: set[str] = set()
        if isinstance(node, Item):
            return frozenset((node.key,))
        if isinstance(node, WeightedSum):
            keys.update(k for k, _ in node.terms)
        free = True
        for child in node.children():
            inner = holds(child)
            if inner is None:
                free = False
            else:
                keys |= inner
        if not free:
            return None
        subtrees[id(node)] = frozenset(keys)
        return subtrees[id(node)]

    for tree in trees:
        holds(tree)
    return Coupling(shared, dict(counts), consumers, copies, subtrees)


def item_occurrences(trees: tuple[Node, ...]) -> Counter[str]:
    """How often each item occurs across ``trees``."""
    counts: Counter[str] = Counter()
    nodes: list[Node] = []
    for tree in trees:
        _walk(tree, nodes)
    for node in nodes:
        if isinstance(node, Item):
            counts[node.key] += 1
        elif isinstance(node, WeightedSum):
            counts.update(k for k, _ in node.terms)
    return counts


def _classes(coupled: Coupling, aggregate: Node, env: Env) -> list[Possible]:
    """The aggregate's reachable values, grouped by what the thresholds and bands that read it
    make of them (they see only which side of their bounds a value lies): one value a group.

    Thresholds and bands (directly or through a logistic map) are monotone in the value, so
    a run of sorted values whose two ends look the same looks the same throughout: the runs
    are found by bisection, reading the consumers O(groups × log values) times.
    """
    consumers = coupled.consumers[aggregate]
    values = sorted(possible(aggregate, env))
    if not all(isinstance(c, Threshold | Bands) for c in consumers):
        return [frozenset((v,)) for v in values]
    seen: dict[int, tuple[Possible, ...]] = {}

    def key(index: int) -> tuple[Possible, ...]:
        found = seen.get(index)
        if found is None:
            coupled.fix(aggregate, frozenset((values[index],)))
            try:
                found = seen[index] = tuple(possible(c, env) for c in consumers)
            finally:
                coupled.release(aggregate)
        return found

    groups: dict[tuple[Possible, ...], Possible] = {}

    def split(lo: int, hi: int) -> None:
        if key(lo) == key(hi):
            groups.setdefault(key(lo), frozenset((values[lo],)))
            return
        if hi - lo == 1:
            groups.setdefault(key(lo), frozenset((values[lo],)))
            groups.setdefault(key(hi), frozenset((values[hi],)))
            return
        middle = (lo + hi) // 2
        split(lo, middle)
        split(middle, hi)

    split(0, len(values) - 1)
    return list(groups.values())


def label(category: str, extras: tuple[str, ...]) -> str:
    """The outcome label: the category and each categorical output other than ``none``."""
    return " ".join([category, *[e for e in extras if e and e != "none"]])


def reachable_outcomes(
    trees: tuple[Node, ...],
    shared: Coupling,
    base: Mapping[str, Truth],
    unknown: list[str],
) -> set[tuple[str, str]]:
    """(category, label) of every outcome reachable by deciding the ``unknown`` items of
    ``base``; ``trees`` are the outcome then the categorical outputs.

    Items that occur more than once are decided one at a time (pruned as soon as the sets
    allow one outcome, or only outcomes already found); an aggregate shared by several trees
    is conditioned on each group of its values that its consumers tell apart.
    """
    _SUMS.clear()
    _MAPS.clear()
    found: set[tuple[str, str]] = set()
    env = dict(base)
    for key in unknown:
        env[key] = Truth.UNKNOWN
    occurrences = shared.occurrences
    coupled = sorted(
        (k for k in unknown if occurrences.get(k, 0) > 1), key=lambda k: -occurrences[k]
    )

    def combos() -> set[tuple[str, str]]:
        sets = [cast(frozenset[str], possible(tree, env)) for tree in trees]
        return {(c[0], label(c[0], c[1:])) for c in itertools.product(*sets)}

    def condition(index: int) -> None:
        """Fix each shared aggregate to each group of its values: then the trees are
        independent and their sets' product is exact."""
        if index == len(shared.shared):
            found.update(combos())
            return
        aggregate = shared.shared[index]
        for one in _classes(shared, aggregate, env):
            shared.fix(aggregate, one)
            try:
                condition(index + 1)
            finally:
                shared.release(aggregate)

    def visit(depth: int) -> None:
        loose = combos()
        if loose <= found:
            return
        if len(loose) == 1:
            found.update(loose)
            return
        if depth == len(coupled):
            condition(0)
            return
        key = coupled[depth]
        for truth in (_F, _T):
            env[key] = truth
            visit(depth + 1)
        env[key] = Truth.UNKNOWN

    shared.watch(set(coupled))
    try:
        visit(0)
    finally:
        _SUMS.clear()
        _MAPS.clear()
        _WATCH.clear()
        _MEMO.clear()
    return found
