"""The one evaluator: record + definition → :class:`CriterionResult`.

1. Each item reads the record once (present / absent / unknown, with evidence).
2. The logic tree is walked with three-valued truths: the trace is the explanation, and numeric
   outputs come back as intervals (best and worst case).
3. The headline follows the definition's convention (unknown counted as absent, as the
   publications do, or three-valued).
4. The outcomes the unknown items allow are computed from the tree's structure
   (``logic.reach``: sets of reachable values per node, never the 2^k scenarios), and each
   unknown item is set present alone to see whether it would change the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from heliotrope.logic.compiled import Compiled, compile_trees, monotone
from heliotrope.logic.definition import CLASSIFICATION_DISCLAIMER, Context, Definition
from heliotrope.logic.joint import Plan, plan, reachable
from heliotrope.logic.nodes import Bands, Count, Decide, Logistic, Node, WeightedSum
from heliotrope.logic.reach import label
from heliotrope.logic.result import (
    CriterionResult,
    Evidence,
    ItemResult,
    ItemStatus,
    Pivot,
    shared,
    trusted,
)
from heliotrope.logic.truth import Interval, Truth

__all__ = ["evaluate", "evaluate_items", "read_items"]

_TRUTH = {
    ItemStatus.present: Truth.TRUE,
    ItemStatus.absent: Truth.FALSE,
    ItemStatus.unknown: Truth.UNKNOWN,
}


def read_items(definition: Definition, record: Any, context: Context) -> tuple[ItemResult, ...]:
    """Ask every item of ``definition`` what the record says.

    The results are made from values built here with their declared types (weights as
    floats): no second validation (issue 13).
    Equal item results without evidence are one object (``_ITEMS``): results are immutable.
    """
    results = []
    own = False  # whether an item result is this record's own (it carries evidence)
    for spec in definition.items:
        finding = spec.read(record, context)
        status = finding.status
        evidence = tuple(finding.evidence)
        points = None if spec.points is None else float(spec.points)
        if evidence:  # a record's own facts: this result is this record's
            note = shared(finding.note)
            results.append(_item(spec.key, spec.label, status, points, evidence, note))
            own = True
            continue
        key = (spec.key, spec.label, points, status, finding.note)
        item = _ITEMS.get(key)
        if item is None:
            item = _item(spec.key, spec.label, status, points, evidence, finding.note)
            _keep(_ITEMS, key, item)
        results.append(item)
    return tuple(results) if own else _items_tuple(results)


def _items_tuple(items: list[ItemResult]) -> tuple[ItemResult, ...]:
    """Shared item results as one tuple shared by every result with the same ones (most
    patients' items are all shared: issue 13, memory per assessment)."""
    key = tuple(map(id, items))
    found = _ITEM_TUPLES.get(key)
    if found is None:  # the entry holds the items: their ids stay theirs while it lives
        found = tuple(items)
        _keep(_ITEM_TUPLES, key, found)
    return found


def _item(
    key: str,
    label: str,
    status: ItemStatus,
    points: float | None,
    evidence: tuple[Evidence, ...],
    note: str | None,
) -> ItemResult:
    counted = None
    if points is not None:
        counted = points if status is ItemStatus.present else 0.0
    return ItemResult(
        key=key,
        label=label,
        status=status,
        points=points,
        counted=counted,
        evidence=evidence,
        note=note,
    )


# Item results without evidence and unknown effects already made, by what they hold: most
# patients share most of them (an item absent, or unknown, with nothing recorded), so a kept
# assessment holds little of its own (issue 13).
_ITEMS: dict[tuple[Any, ...], ItemResult] = {}
_PIVOTS: dict[tuple[Any, ...], Pivot] = {}
_ITEM_TUPLES: dict[tuple[int, ...], tuple[ItemResult, ...]] = {}
_DICTS: dict[tuple[Any, ...], dict[str, Any]] = {}
_PIVOT_TUPLES: dict[tuple[int, ...], tuple[Pivot, ...]] = {}
_KEEP = 20_000


def _keep(table: dict[tuple[Any, ...], Any], key: tuple[Any, ...], value: Any) -> None:
    if len(table) >= _KEEP:
        table.clear()
    table[key] = value


def _pivot(key: str, if_present: str, changes: bool, values: dict[str, Any]) -> Pivot:
    typed = _typed(values)
    memo = (key, if_present, changes, typed)
    found = _PIVOTS.get(memo) if typed is not None else None
    if found is None:
        found = trusted(
            Pivot, key=key, if_present=if_present, changes_outcome=changes, values=values
        )
        if typed is not None:
            _keep(_PIVOTS, memo, found)
    return found


def _pivots_tuple(pivots: list[Pivot]) -> tuple[Pivot, ...]:
    """The unknown effects as one tuple shared by every result with the same (shared) ones."""
    if not pivots:
        return ()
    key = tuple(map(id, pivots))
    found = _PIVOT_TUPLES.get(key)
    if found is None:  # the entry holds the pivots: their ids stay theirs while it lives
        found = tuple(pivots)
        _keep(_PIVOT_TUPLES, key, found)
    return found


def _shared_dict(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` as the one dictionary already made with the same contents, when they are
    text, numbers, truths or tuples of them (scores, categories, ranges; not lists): results
    never change them, and most patients' results hold the same few (issue 13: memory per
    kept assessment)."""
    key = _typed(values)
    if key is None:  # a list or a dictionary among the values: this result's own
        return values
    found = _DICTS.get(key)
    if found is None:
        found = values
        _keep(_DICTS, key, found)
    return found


_SCALARS = (str, float, int, bool, type(None))


def _typed(values: dict[str, Any]) -> tuple[Any, ...] | None:
    """The contents with each value's type (``1``, ``1.0`` and ``True`` are equal in Python
    but not in JSON), or None when a value is not a scalar or a tuple of scalars."""
    key: list[Any] = []
    for name, value in values.items():
        kind = type(value)
        if kind is tuple:
            if not all(type(v) in _SCALARS for v in value):
                return None
            key.append((name, tuple((type(v), v) for v in value)))
        elif kind in _SCALARS:
            key.append((name, kind, value))
        else:
            return None
    return tuple(key)


@dataclass(frozen=True)
class _Kernel:
    """A definition compiled once: its trees as one two-valued function and the plan of
    its reachable outcomes (cached on the definition: definitions are immutable)."""

    decided: Compiled  # outcome, then every output, with every item decided
    names: tuple[str, ...]
    kinds: tuple[str, ...]  # per output: "category", "number" or "truth"
    monotone: tuple[bool, ...]  # per output: its interval runs from unknown absent to present
    plan: Plan  # the outcome and the categorical outputs, for the reachable outcomes
    # The status-dependent part of a result per items' statuses (:func:`_outcomes`).
    memo: dict[tuple[Any, ...], _Outcomes] = field(default_factory=dict, compare=False)


def _kernel(definition: Definition) -> _Kernel:
    """The definition's kernel, made once for its trees: kept on the definition, and on its
    outcome node for copies that keep the same trees (``dataclasses.replace`` of the items,
    as the web calculator does on every answer)."""
    found: _Kernel | None = definition.__dict__.get("_kernel")
    if found is None:
        outcome, outputs = definition.outcome, definition.outputs
        made: dict[int, tuple[object, _Kernel]] = outcome.__dict__.setdefault("_kernels", {})
        entry = made.get(id(outputs))
        if entry is not None and entry[0] is outputs:
            found = entry[1]
        else:
            found = _compiled(definition)
            made[id(outputs)] = (outputs, found)  # holds the outputs: their id stays theirs
        object.__setattr__(definition, "_kernel", found)
    return found


def _compiled(definition: Definition) -> _Kernel:
    names = tuple(definition.outputs)
    nodes = tuple(definition.outputs[n] for n in names)
    kinds = tuple(_kind(node) for node in nodes)
    trees = (
        definition.outcome,
        *(n for n, k in zip(nodes, kinds, strict=True) if k == "category"),
    )
    return _Kernel(
        compile_trees((definition.outcome, *nodes), definition.id),
        names,
        kinds,
        tuple(monotone(node) for node in nodes),
        plan(trees),
    )


def _kind(node: Node) -> str:
    if isinstance(node, Decide | Bands):
        return "category"
    if isinstance(node, WeightedSum | Count | Logistic):
        return "number"
    return "truth"


def _citation(definition: Definition) -> str:
    """The citation as text, made once per definition and shared by its results."""
    text: str | None = definition.__dict__.get("_citation_text")
    if text is None:
        text = str(definition.citation)
        object.__setattr__(definition, "_citation_text", text)
    return text


def _label(category: str, values: tuple[Any, ...], kinds: tuple[str, ...]) -> str:
    """The outcome label: the category and each categorical output other than ``none``."""
    extras = tuple(v for v, k in zip(values[1:], kinds, strict=True) if k == "category")
    return label(category, extras)


#: Status patterns kept per kernel: a few MiB at most per criterion in a long-lived server.
_MEMO_KEEP = 4096

#: category, values before ``derive``, value ranges, unknown item keys, possible outcome
#: labels, best and worst categories, unknown effects.
_Outcomes = tuple[
    str,
    dict[str, Any],
    dict[str, tuple[float, float]],
    tuple[str, ...],
    tuple[str, ...],
    str,
    str,
    tuple[Pivot, ...],
]


def _outcomes(definition: Definition, kernel: _Kernel, items: tuple[ItemResult, ...]) -> _Outcomes:
    """What a result says that depends on the items' statuses alone (the headline, the
    range, the reachable outcomes and each unknown item's effect): a pure function of the
    statuses, kept per kernel so patients with the same statuses share it (issue 13)."""
    env3: dict[str, Truth] = {i.key: _TRUTH[i.status] for i in items}
    unknown = [i.key for i in items if i.status is ItemStatus.unknown]
    decided = {i.key: i.status is ItemStatus.present for i in items}
    if not kernel.decided.keys <= decided.keys():
        missing = ", ".join(sorted(kernel.decided.keys - decided.keys()))
        raise TypeError(f"{definition.id}: the logic reads items it does not list: {missing}")
    run = kernel.decided.run
    names, kinds = kernel.names, kernel.kinds

    headline = run(decided)
    category = headline[0]
    headline_label = _label(category, headline, kinds)
    values: dict[str, Any] = {}
    ranges: dict[str, tuple[float, float]] = {}
    highest = run(dict(decided, **dict.fromkeys(unknown, True))) if unknown else headline
    for position, (name, kind) in enumerate(zip(names, kinds, strict=True), 1):
        value = headline[position]
        if kind == "category":
            values[name] = None if value == "none" else value
        elif kind == "number":
            values[name] = round(value, 6)
            if kernel.monotone[position - 1]:
                lo, hi = value, highest[position]
            else:  # not monotone in the items: the three-valued interval
                full = definition.outputs[name].value(env3)
                assert isinstance(full, Interval)
                lo, hi = full.lo, full.hi
            ranges[name] = (float(round(lo, 6)), float(round(hi, 6)))
        else:
            values[name] = value

    if unknown:
        reached = reachable(kernel.plan, env3)
        outcomes = {(c[0], label(c[0], c[1:])) for c in reached}
    else:  # every item decided: the headline is the only outcome
        outcomes = {(category, headline_label)}
    order = {c: i for i, c in enumerate(definition.categories)}
    categories = sorted({c for c, _ in outcomes}, key=lambda c: order.get(c, -1))
    if definition.headline == "kleene" and len(categories) > 1:
        category = "unknown"

    pivots = []
    numeric = [
        (p, n) for p, (n, k) in enumerate(zip(names, kinds, strict=True), 1) if k == "number"
    ]
    for key in unknown:
        flipped = dict(decided)
        flipped[key] = True
        then = run(flipped)
        flipped_label = _label(then[0], then, kinds)
        pivots.append(
            _pivot(
                key,
                flipped_label,
                flipped_label != headline_label,
                {name: round(then[p], 6) for p, name in numeric},
            )
        )

    return (
        category,
        values,
        _shared_dict(ranges),
        shared(tuple(unknown)),
        shared(tuple(sorted({lbl for _, lbl in outcomes}))),
        categories[-1],
        categories[0],
        _pivots_tuple(pivots),
    )


def evaluate(
    definition: Definition, record: Any, context: Context | None = None
) -> CriterionResult:
    """Evaluate one criterion for one record."""
    context = context or Context()
    items = read_items(definition, record, context)
    return evaluate_items(definition, items, record, context)


def evaluate_items(
    definition: Definition,
    items: tuple[ItemResult, ...],
    record: Any,
    context: Context,
) -> CriterionResult:
    """Evaluate a criterion from already-read items (shared by every front end)."""
    kernel = _kernel(definition)
    statuses = tuple((i.key, i.status) for i in items)
    memo = (definition.headline, definition.categories, statuses)
    found = kernel.memo.get(memo)
    if found is None:
        found = _outcomes(definition, kernel, items)
        if len(kernel.memo) >= _MEMO_KEEP:
            kernel.memo.clear()
        kernel.memo[memo] = found
    category, kernel_values, ranges, unknown, possible, best, worst, pivots = found
    values = dict(kernel_values)

    caveats = list(definition.caveats)
    notes: list[str] = []
    if definition.derive is not None:
        derived = definition.derive(record, context, {i.key: i for i in items})
        values.update(derived.values)
        caveats.extend(derived.caveats)
        notes.extend(derived.notes)
    if unknown and definition.headline == "unknown_as_absent":
        notes.append(
            "Unknown items are counted as absent in the headline (the publication's "
            "convention); see the range of outcomes they allow."
        )

    return CriterionResult(
        id=definition.id,
        version=definition.version,
        title=definition.title,
        citation=_citation(definition),
        kind=definition.kind,
        category=category,
        values=_shared_dict(values),
        items=items,
        unknown_items=unknown,
        possible_outcomes=possible,
        best=best,
        worst=worst,
        unknown_effects=pivots,
        value_ranges=ranges,
        caveats=shared(tuple(caveats)),
        notes=shared(tuple(notes)),
        rule=definition.rule,
        disclaimer=CLASSIFICATION_DISCLAIMER if definition.kind == "classification" else "",
        # the trace is built when asked for, from the logic and the items' statuses
        _trace_of=(definition.outcome, items),
    )
