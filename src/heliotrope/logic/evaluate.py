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

from typing import Any

from heliotrope.logic.definition import CLASSIFICATION_DISCLAIMER, Context, Definition
from heliotrope.logic.nodes import Env, Node
from heliotrope.logic.reach import Coupling, coupling, label, reachable_outcomes
from heliotrope.logic.result import CriterionResult, ItemResult, ItemStatus, Pivot, trusted
from heliotrope.logic.truth import Interval, Truth

__all__ = ["evaluate", "evaluate_items", "read_items"]

_TRUTH = {
    ItemStatus.present: Truth.TRUE,
    ItemStatus.absent: Truth.FALSE,
    ItemStatus.unknown: Truth.UNKNOWN,
}


def read_items(definition: Definition, record: Any, context: Context) -> tuple[ItemResult, ...]:
    """Ask every item of ``definition`` what the record says.

    The results are built with ``trusted``: every field is made here with its declared
    type (weights as floats), so validating them again would only cost time (issue 13).
    """
    results = []
    present = ItemStatus.present
    for spec in definition.items:
        finding = spec.read(record, context)
        points = None if spec.points is None else float(spec.points)
        counted = None
        if points is not None:
            counted = points if finding.status is present else 0.0
        results.append(
            trusted(
                ItemResult,
                key=spec.key,
                label=spec.label,
                status=finding.status,
                points=points,
                counted=counted,
                evidence=tuple(finding.evidence),
                note=finding.note,
            )
        )
    return tuple(results)


def _single(value: object, name: str) -> str:
    if not isinstance(value, frozenset) or len(value) != 1:
        raise TypeError(f"{name} did not reduce to one category: {value!r}")
    only: str = next(iter(value))
    return only


def _plain(value: object) -> object:
    if isinstance(value, Interval):
        return round(value.lo, 6)
    if isinstance(value, frozenset):
        if len(value) == 1:
            only = next(iter(value))
            return None if only == "none" else only
        return sorted(value)
    if isinstance(value, Truth):
        return value is Truth.TRUE
    return value


def _outcome(definition: Definition, env: Env) -> tuple[str, str]:
    """(category, outcome label with categorical outputs) under a two-valued environment."""
    category = _single(definition.outcome.value(env), definition.id)
    extras = []
    for name, node in definition.outputs.items():
        value = node.value(env)
        if isinstance(value, frozenset):
            extras.append(_single(value, f"{definition.id}.{name}"))
    return category, label(category, tuple(extras))


def _coupling(
    definition: Definition, categorical: tuple[str, ...]
) -> tuple[tuple[Node, ...], Coupling]:
    """The trees that make an outcome label and how they share items (cached on the
    definition: definitions are immutable)."""
    cache: dict[tuple[str, ...], tuple[tuple[Node, ...], Coupling]]
    cache = definition.__dict__.setdefault("_reach_trees", {})
    found = cache.get(categorical)
    if found is None:
        trees = (definition.outcome, *(definition.outputs[n] for n in categorical))
        found = cache[categorical] = (trees, coupling(trees))
    return found


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
    env3: dict[str, Truth] = {i.key: _TRUTH[i.status] for i in items}
    unknown = [i.key for i in items if i.status is ItemStatus.unknown]
    headline_env = {k: (Truth.FALSE if v is Truth.UNKNOWN else v) for k, v in env3.items()}

    category, headline_label = _outcome(definition, headline_env)
    values: dict[str, Any] = {}
    ranges: dict[str, tuple[float, float]] = {}
    categorical: list[str] = []
    for name, node in definition.outputs.items():
        value = node.value(headline_env)
        if isinstance(value, frozenset):
            categorical.append(name)
        values[name] = _plain(value)
        full = node.value(env3)
        if isinstance(full, Interval):
            ranges[name] = (float(round(full.lo, 6)), float(round(full.hi, 6)))

    trees, shared = _coupling(definition, tuple(categorical))
    outcomes = reachable_outcomes(trees, shared, headline_env, unknown)
    order = {c: i for i, c in enumerate(definition.categories)}
    categories = sorted({c for c, _ in outcomes}, key=lambda c: order.get(c, -1))
    if definition.headline == "kleene" and len(categories) > 1:
        category = "unknown"

    pivots = []
    for key in unknown:
        flipped = dict(headline_env, **{key: Truth.TRUE})
        _cat, flipped_label = _outcome(definition, flipped)
        numbers = {
            name: _plain(node.value(flipped))
            for name, node in definition.outputs.items()
            if name in ranges
        }
        pivots.append(
            trusted(
                Pivot,
                key=key,
                if_present=flipped_label,
                changes_outcome=flipped_label != headline_label,
                values=numbers,
            )
        )

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

    result = CriterionResult.model_construct(
        id=definition.id,
        version=definition.version,
        title=definition.title,
        citation=str(definition.citation),
        kind=definition.kind,
        category=category,
        values=values,
        items=items,
        unknown_items=tuple(unknown),
        possible_outcomes=tuple(sorted({lbl for _, lbl in outcomes})),
        best=categories[-1],
        worst=categories[0],
        unknown_effects=tuple(pivots),
        value_ranges=ranges,
        caveats=tuple(caveats),
        notes=tuple(notes),
        rule=definition.rule,
        disclaimer=CLASSIFICATION_DISCLAIMER if definition.kind == "classification" else "",
    )
    result._trace_of = (definition.outcome, env3)  # the trace is built when asked for
    return result
