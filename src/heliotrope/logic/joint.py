"""The outcomes the unknown items allow, in one bottom-up pass over a definition's trees
(issue 13: the range from the structure, whatever the number of unknown items).

Each tree node's *possible values* are computed per **choice**: a choice fixes every part of
the trees that is read in more than one place and could go either way (an unknown item used
twice, an aggregate read by several thresholds or bands, a sub-rule repeated in two rules).
The choices are kept as the bits of a Python integer, so one integer operation treats them all
at once: a truth node is two masks (the choices under which it can be true, can be false);
all-of is the AND of the parts' true-masks and the OR of their false-masks (Kleene); a
category node maps each category to its mask; a count or weighted sum is its certain part
(per choice) plus the subtotals of the items used nowhere else, read only through the
thresholds and bands that consume it. A choice can be impossible (a shared rule fixed true
that its items cannot make true): ``valid`` keeps the possible ones.

Everything else in the trees occurs once, so under a fixed choice the parts of a node vary
independently and these sets are exact: an outcome label is reachable exactly when the masks
of its categories meet in a valid choice. The choices are only those the record leaves open
among shared parts (for the bundled criteria at most a few hundred, not 2^k); the
exhaustive 2^k enumeration is the reference of the property test in ``tests/logic``.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from operator import le
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

__all__ = ["Plan", "plan", "reachable"]

_MICRO = 1_000_000  # sums in millionths: exact, and the kernel rounds to 6 places

# Unit kinds of a plan (small ints: the evaluation dispatches on them).
_ITEM, _NOT, _ALL, _ANY, _DECIDE = 0, 1, 2, 3, 4
_COUNT, _SUM, _LOGISTIC = 5, 6, 7
_THRESHOLD, _BANDS, _AT_LEAST = 8, 9, 10
_NUMERIC = (_COUNT, _SUM, _LOGISTIC)
_CONSUMERS = (_THRESHOLD, _BANDS, _AT_LEAST)


@dataclass(frozen=True)
class _Consumer:
    """A threshold, bands or at-least node reading a count or sum (through logistic maps)."""

    unit: int
    kind: int
    intercepts: tuple[float, ...]  # logistic maps applied to the value, innermost first
    cuts: tuple[float, ...]  # where the consumer's output can change
    read: Callable[[float], Any]  # the output at a mapped value
    #: without logistic maps: the cuts as the least total (in the base's unit) reaching them
    totals: tuple[int, ...] | None = None

    def output(self, value: float) -> Any:
        for intercept in self.intercepts:
            value = Logistic.probability(value, intercept)
        return self.read(value)


@dataclass(frozen=True)
class Plan:
    """A definition's trees as distinct units (equal subtrees are one unit), compiled once."""

    kinds: tuple[int, ...]
    payloads: tuple[Any, ...]
    children: tuple[tuple[int, ...], ...]
    references: tuple[int, ...]  # how many places read each unit
    roots: tuple[int, ...]
    families: Mapping[int, tuple[_Consumer, ...]]  # count/sum unit -> its consumers
    family_of: Mapping[int, int]  # consumer unit -> its count/sum unit


def plan(trees: tuple[Node, ...]) -> Plan:
    """Compile ``trees`` (the outcome, then the categorical outputs) into a :class:`Plan`."""
    ids: dict[tuple[Any, ...], int] = {}
    kinds: list[int] = []
    payloads: list[Any] = []
    children: list[tuple[int, ...]] = []

    def unit(kind: int, payload: Any, kids: tuple[int, ...]) -> int:
        key = (kind, payload, kids)
        found = ids.get(key)
        if found is None:
            found = ids[key] = len(kinds)
            kinds.append(kind)
            payloads.append(payload)
            children.append(kids)
        return found

    def visit(node: Node) -> int:
        if isinstance(node, Item):
            return unit(_ITEM, node.key, ())
        if isinstance(node, Not):
            return unit(_NOT, None, (visit(node.child),))
        if isinstance(node, All):
            return unit(_ALL, None, tuple(visit(p) for p in node.parts))
        if isinstance(node, AnyOf):
            return unit(_ANY, None, tuple(visit(p) for p in node.parts))
        if isinstance(node, Count):
            return unit(_COUNT, None, tuple(visit(p) for p in node.parts))
        if isinstance(node, AtLeast):  # at least n of the parts: a threshold on their count
            counted = unit(_COUNT, None, tuple(visit(p) for p in node.parts))
            return unit(_AT_LEAST, node.n, (counted,))
        if isinstance(node, WeightedSum):
            weights = tuple(round(w * _MICRO) for _, w in node.terms)
            return unit(_SUM, weights, tuple(unit(_ITEM, k, ()) for k, _ in node.terms))
        if isinstance(node, Logistic):
            return unit(_LOGISTIC, node.intercept, (visit(node.score),))
        if isinstance(node, Threshold):
            return unit(_THRESHOLD, node.minimum, (visit(node.measure),))
        if isinstance(node, Bands):
            return unit(_BANDS, (node.bands, node.below), (visit(node.measure),))
        if isinstance(node, Decide):
            rules = tuple(visit(condition) for _, condition in node.rules)
            names = tuple(category for category, _ in node.rules)
            return unit(_DECIDE, (names, node.otherwise), rules)
        raise TypeError(f"no reachability rule for {type(node).__name__}")

    roots = tuple(visit(tree) for tree in trees)
    references = [0] * len(kinds)
    parents: list[list[int]] = [[] for _ in kinds]
    for index, kids in enumerate(children):
        for kid in kids:
            references[kid] += 1
            parents[kid].append(index)
    for root in roots:
        references[root] += 1
    families: dict[int, tuple[_Consumer, ...]] = {}
    family_of: dict[int, int] = {}
    for index, kind in enumerate(kinds):
        if kind in (_COUNT, _SUM):
            scale = 1 if kind == _COUNT else _MICRO
            found = [_with_totals(c, scale) for c in _family(index, (), kinds, payloads, parents)]
            families[index] = tuple(dict.fromkeys(found))
            for consumer in found:
                family_of[consumer.unit] = index
    if any(kinds[root] not in (_DECIDE, _BANDS) for root in roots):
        raise TypeError("an outcome is a decision list or bands: it gives one category")
    return Plan(
        tuple(kinds),
        tuple(payloads),
        tuple(children),
        tuple(references),
        roots,
        families,
        family_of,
    )


def _family(
    index: int,
    intercepts: tuple[float, ...],
    kinds: list[int],
    payloads: list[Any],
    parents: list[list[int]],
) -> list[_Consumer]:
    """The consumers that read numeric unit ``index``, looking through logistic maps."""
    out: list[_Consumer] = []
    for parent in dict.fromkeys(parents[index]):
        kind = kinds[parent]
        payload = payloads[parent]
        if kind == _LOGISTIC:
            out.extend(_family(parent, (*intercepts, payload), kinds, payloads, parents))
        elif kind == _THRESHOLD:
            # operator.le(cut, value) is value >= cut
            out.append(_Consumer(parent, kind, intercepts, (payload,), partial(le, payload)))
        elif kind == _AT_LEAST:
            out.append(_Consumer(parent, kind, intercepts, (payload,), partial(le, payload)))
        elif kind == _BANDS:
            bands, below = payload
            shape = Bands(Item("_"), bands, below)
            cuts = tuple(bound for bound, _ in bands)
            out.append(_Consumer(parent, kind, intercepts, cuts, shape.category))
        else:
            raise TypeError("a count or sum is read only by thresholds, bands and logistic maps")
    return out


def _with_totals(consumer: _Consumer, scale: int) -> _Consumer:
    """``consumer`` with each cut as the least total whose value reaches it, so a cut is
    found in the sorted subtotals by plain bisection (no logistic map in between)."""
    if consumer.intercepts:
        return consumer
    totals = []
    for cut in consumer.cuts:
        total = math.ceil(cut * scale) - 2
        while _number(total, scale) < cut:
            total += 1
        totals.append(total)
    return _Consumer(
        consumer.unit,
        consumer.kind,
        consumer.intercepts,
        consumer.cuts,
        consumer.read,
        tuple(totals),
    )


# Subtotals of the free weights of a sum (weights in millionths), by the weights: records
# repeat the same pattern of unknown items, so this stays small; bounded all the same.
_SUBTOTALS: dict[tuple[int, ...], tuple[int, ...]] = {}


def _subtotals(weights: tuple[int, ...]) -> tuple[int, ...]:
    found = _SUBTOTALS.get(weights)
    if found is None:
        sums = {0}
        for weight in weights:
            sums |= {s + weight for s in sums}
        found = tuple(sorted(sums))
        if len(_SUBTOTALS) > 4096:
            _SUBTOTALS.clear()
        _SUBTOTALS[weights] = found
    return found


class _Choices:
    """One evaluation: the space of choices (bits), the valid ones, the units' values."""

    def __init__(self, plan: Plan, env: Mapping[str, Truth]) -> None:
        self.plan = plan
        self.env = env
        self.size = 1  # number of choices (bits)
        self.all = 1
        self.valid = 1
        self.values: dict[int, tuple[int, Any]] = {}  # unit -> (size it was made in, value)
        self.outputs: dict[int, tuple[int, Any]] = {}  # consumer unit -> its value

    # -- the space of choices ------------------------------------------------------------
    def lift(self, mask: int, size: int) -> int:
        """``mask`` made in a space of ``size`` choices, in the current (larger) space: new
        choices are added as the most significant digit, so it repeats."""
        if size == self.size:
            return mask
        return mask * (self.all // ((1 << size) - 1))

    def choose(self, reach: list[int]) -> list[int]:
        """A new choice among ``len(reach)`` alternatives, each possible where its mask is:
        the masks of the alternatives in the widened space."""
        size = self.size
        block = self.all
        self.size = size * len(reach)
        self.all = (1 << self.size) - 1
        self.valid = self.lift(self.valid, size)
        patterns = [block << (k * size) for k in range(len(reach))]
        allowed = 0
        for pattern, mask in zip(patterns, reach, strict=True):
            allowed |= pattern & self.lift(mask, size)
        self.valid &= allowed
        return patterns

    # -- values --------------------------------------------------------------------------
    def truths(self, indexes: tuple[int, ...]) -> list[tuple[int, int]]:
        """(can be true, can be false) masks of truth-valued units, in the current space (all
        read first: reading one may widen the space)."""
        values = self.values
        found = [values.get(i) or self.value(i) for i in indexes]
        size = self.size
        out = []
        for made, (can_true, can_false) in found:
            if made != size:
                factor = self.all // ((1 << made) - 1)
                can_true *= factor
                can_false *= factor
            out.append((can_true, can_false))
        return out

    def categories(self, index: int) -> dict[str, int]:
        size, value = self.value(index)
        return {c: self.lift(m, size) for c, m in value.items()}

    def value(self, index: int) -> tuple[int, Any]:
        """(size of the space it was made in, value) of a unit, computed once."""
        found = self.values.get(index)
        if found is None:
            value = self._compute(index)
            shared = self.plan.references[index] > 1
            found = self.values[index] = self._shared(value) if shared else (self.size, value)
        return found

    def _shared(self, value: Any) -> tuple[int, Any]:
        """A unit read in several places that could go more than one way becomes a choice."""
        if isinstance(value, tuple):
            can_true, can_false = value
            if not can_true & can_false & self.valid:
                return self.size, value
            if_false, if_true = self.choose([can_false, can_true])
            return self.size, (if_true, if_false)
        names = list(value)
        if not _overlap([value[n] for n in names], self.valid):
            return self.size, value
        patterns = self.choose([value[n] for n in names])
        return self.size, dict(zip(names, patterns, strict=True))

    def _compute(self, index: int) -> Any:
        plan = self.plan
        kind = plan.kinds[index]
        kids = plan.children[index]
        if kind == _ITEM:
            truth = self.env.get(plan.payloads[index], Truth.UNKNOWN)
            if truth is Truth.TRUE:
                return (self.all, 0)
            if truth is Truth.FALSE:
                return (0, self.all)
            return (self.all, self.all)
        if kind == _NOT:
            ((can_true, can_false),) = self.truths(kids)
            return (can_false, can_true)
        if kind in (_ALL, _ANY):
            parts = self.truths(kids)
            every_true = every_false = self.all
            some_true = some_false = 0
            for can_true, can_false in parts:
                every_true &= can_true
                every_false &= can_false
                some_true |= can_true
                some_false |= can_false
            if kind == _ALL:
                return (every_true, some_false)
            return (some_true, every_false)
        if kind == _DECIDE:
            return self._decide(index)
        if kind in _CONSUMERS:
            return self._consumed(index)
        raise TypeError("a count, sum or logistic map is read only by thresholds and bands")

    def _decide(self, index: int) -> dict[str, int]:
        """An ordered decision list: a category is reachable where its condition can hold
        and every earlier one can fail; a '*' rule passes a nested decision's categories."""
        names, otherwise = self.plan.payloads[index]
        rules: list[tuple[str, int, bool]] = []
        for name, condition in zip(names, self.plan.children[index], strict=True):
            kind = self.plan.kinds[condition]
            nested = kind in (_DECIDE, _BANDS)
            if nested and name != "*":
                raise TypeError("only a '*' rule may hold a nested decision")
            self.value(condition)
            rules.append((name, condition, nested))
            if nested:
                break
        out: dict[str, int] = {}
        alive = self.all
        for name, condition, nested in rules:
            if nested:
                for category, mask in self.categories(condition).items():
                    out[category] = out.get(category, 0) | (mask & alive)
                return out
            ((can_true, can_false),) = self.truths((condition,))
            out[name] = out.get(name, 0) | (alive & can_true)
            alive &= can_false
        out[otherwise] = out.get(otherwise, 0) | alive
        return out

    # -- counts and sums, read through their consumers ----------------------------------
    def _consumed(self, index: int) -> Any:
        found = self.outputs.get(index)
        if found is None:
            self._family(self.plan.family_of[index])
            found = self.outputs[index]
        size, value = found
        if isinstance(value, tuple):
            return (self.lift(value[0], size), self.lift(value[1], size))
        return {c: self.lift(m, size) for c, m in value.items()}

    def _family(self, base: int) -> None:
        """The outputs of every consumer of ``base`` (jointly: one value feeds them all)."""
        consumers = self.plan.families[base]
        scale, free, certain = self._numeric(base)
        reach: dict[tuple[Any, ...], int] = {}
        for offset, mask in certain.items():
            for outputs in _outputs(consumers, scale, free, offset):
                reach[outputs] = reach.get(outputs, 0) | mask
        combos = list(reach)
        masks = [reach[c] for c in combos]
        if len(consumers) > 1 and _overlap(masks, self.valid):
            masks = self.choose(masks)
        for position, consumer in enumerate(consumers):
            by_output: dict[Any, int] = {}
            for outputs, mask in zip(combos, masks, strict=True):
                by_output[outputs[position]] = by_output.get(outputs[position], 0) | mask
            if consumer.kind == _BANDS:
                self.outputs[consumer.unit] = (self.size, by_output)
            else:
                value = (by_output.get(True, 0), by_output.get(False, 0))
                self.outputs[consumer.unit] = (self.size, value)

    def _numeric(self, base: int) -> tuple[int, tuple[int, ...], dict[int, int]]:
        """(scale, free subtotals sorted, certain part -> the choices giving it) of a count
        or sum: its value under a choice is a certain part plus any free subtotal."""
        plan = self.plan
        kids = plan.children[base]
        if plan.kinds[base] == _COUNT:
            weights: tuple[int, ...] = (1,) * len(kids)
            scale = 1
        else:
            weights = plan.payloads[base]
            scale = _MICRO
        parts = self.truths(kids)
        everything = self.all
        certain = {0: everything}
        free: list[int] = []
        for (can_true, can_false), weight in zip(parts, weights, strict=True):
            if can_true == everything and can_false == everything:
                if weight:
                    free.append(weight)
                continue
            if not can_false:
                certain = {v + weight: m for v, m in certain.items()}
                continue
            if not can_true:
                continue
            widened: dict[int, int] = {}
            for v, m in certain.items():
                stays = m & can_false
                if stays:
                    widened[v] = widened.get(v, 0) | stays
                adds = m & can_true
                if adds:
                    widened[v + weight] = widened.get(v + weight, 0) | adds
            certain = widened
        return scale, _subtotals(tuple(free)), certain


# The consumers' outputs a certain part reaches with the free subtotals, by (consumers, part,
# subtotals): records repeat the same patterns. Each entry holds its consumers and subtotals,
# so their ids are not reused while it exists.
_OUTPUTS: dict[tuple[int, int, int], tuple[Any, Any, frozenset[tuple[Any, ...]]]] = {}


def _outputs(
    consumers: tuple[_Consumer, ...], scale: int, free: tuple[int, ...], offset: int
) -> frozenset[tuple[Any, ...]]:
    """Every tuple of the consumers' outputs at ``offset`` plus some free subtotal: the
    subtotals are cut where a consumer's output can change, and each piece read once."""
    memo = (id(consumers), offset, id(free))
    found = _OUTPUTS.get(memo)
    if found is not None and found[0] is consumers and found[1] is free:
        return found[2]
    last = len(free) - 1
    starts = {0}
    if last:
        for consumer in consumers:
            if consumer.totals is not None:
                for total in consumer.totals:
                    starts.add(bisect.bisect_left(free, total - offset))
            else:
                for cut in consumer.cuts:
                    starts.add(_first(free, offset, scale, consumer.intercepts, cut))
    seen = set()
    for start in starts:
        if start <= last:
            number = _number(offset + free[start], scale)
            seen.add(tuple(c.output(number) for c in consumers))
    out = frozenset(seen)
    if len(_OUTPUTS) > 20_000:
        _OUTPUTS.clear()
    _OUTPUTS[memo] = (consumers, free, out)
    return out


def _number(total: int, scale: int) -> float:
    if scale == 1:
        return total
    return round(total / scale, 6)


def _first(
    free: tuple[int, ...], offset: int, scale: int, intercepts: tuple[float, ...], cut: float
) -> int:
    """The first free subtotal whose value, mapped, reaches ``cut`` (the maps are monotone)."""

    def reaches(subtotal: int) -> bool:
        return _mapped(_number(offset + subtotal, scale), intercepts) >= cut

    return bisect.bisect_left(free, True, key=reaches)


def _mapped(value: float, intercepts: tuple[float, ...]) -> float:
    for intercept in intercepts:
        value = 1.0 / (1.0 + math.exp(intercept - value))
    return value


def _overlap(masks: list[int], valid: int) -> bool:
    seen = 0
    for mask in masks:
        if seen & mask & valid:
            return True
        seen |= mask
    return False


def reachable(plan: Plan, env: Mapping[str, Truth]) -> set[tuple[str, ...]]:
    """Every combination of the roots' categories (outcome, then categorical outputs) that
    some way of deciding the unknown items of ``env`` reaches."""
    choices = _Choices(plan, env)
    for root in plan.roots:
        choices.value(root)
    roots = [choices.categories(r) for r in plan.roots]
    valid = choices.valid
    found: set[tuple[str, ...]] = set()
    lists = [[(c, m) for c, m in root.items() if m & valid] for root in roots]
    for combo in itertools.product(*lists):
        mask = valid
        for _, m in combo:
            mask &= m
            if not mask:
                break
        if mask:
            found.add(tuple(c for c, _ in combo))
    return found
