"""Items of which exactly one applies: the EULAR/ACR age-at-onset bands.

Lundberg 2017, Table 1 (spec §2.1): item 1 is onset at ≥ 18 and < 40 years, item 2 onset at
≥ 40; under 18 scores 0 and selects the juvenile branch of the tree. Every onset age falls in
exactly one band, so when an imprecise age ("in her forties", an age recorded on another date,
a partial birth date) straddles 40 or 18, the bands are alternatives, not independent unknowns.

How the result reads them (issue 7, departure 2):

- Each possible band is evaluated as its own scenario (that band present, the others absent);
  the range of outcomes and of the score is the union of those scenarios, so **the best case
  never counts two age items**.
- The headline counts the **lower of the possible weights**. When every possible band carries
  points (onset certainly ≥ 18, straddling 40) that is the lower band's weight, which is
  certain to accrue; when "under 18" is possible (0 points) the headline is the publication's
  convention (unknown counted as absent: 0 points, adult branch of the tree).
- The age items stay *unknown* in the result; the lower band shows the points it counted and a
  note says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from heliotrope.logic import (
    Context,
    CriterionResult,
    Definition,
    ItemResult,
    ItemStatus,
    Pivot,
    evaluate_items,
)

__all__ = ["evaluate_exclusive"]


def evaluate_exclusive(
    definition: Definition,
    items: tuple[ItemResult, ...],
    record: Any,
    context: Context,
    group: Sequence[str],
) -> CriterionResult:
    """Evaluate ``items`` knowing that exactly one item of ``group`` holds."""
    plain = evaluate_items(definition, items, record, context)
    by_key = {i.key: i for i in items}
    members = [by_key[k] for k in group]
    possible = [i.key for i in members if i.status is ItemStatus.unknown]
    if any(i.status is ItemStatus.present for i in members) or len(possible) < 2:
        return plain
    scenarios = {
        key: evaluate_items(definition, _fixed(items, group, key), record, context)
        for key in possible
    }
    weight = {key: by_key[key].points or 0.0 for key in possible}
    certain = min(weight, key=lambda k: weight[k]) if all(weight.values()) else None
    headline = scenarios[certain] if certain is not None else plain

    order = {c: n for n, c in enumerate(definition.categories)}
    results = list(scenarios.values())
    ranges = {
        name: (
            min(r.value_ranges[name][0] for r in results),
            max(r.value_ranges[name][1] for r in results),
        )
        for name in plain.value_ranges
    }
    effects = {p.key: p for p in headline.unknown_effects}
    for key, scenario in scenarios.items():
        effects[key] = Pivot(
            key=key,
            if_present=scenario.outcome,
            changes_outcome=scenario.outcome != headline.outcome,
            values={name: scenario.values.get(name) for name in ranges},
        )
    labels = ", ".join(f"{by_key[k].label} ({weight[k]:g})" for k in possible)
    note = (
        f"Exactly one age item applies and the age at onset allows several: {labels}. "
        + (
            f"The headline counts the lower weight ({weight[certain]:g}); "
            if certain is not None
            else "The headline counts none (the lowest possible weight is 0); "
        )
        + "the range never counts two age items (Lundberg 2017, Table 1)."
    )
    shown = tuple(
        i.model_copy(update={"counted": i.points, "note": _join(i.note, note)})
        if i.key == certain
        else (i.model_copy(update={"note": _join(i.note, note)}) if i.key in possible else i)
        for i in items
    )
    return plain.model_copy(
        update={
            "category": headline.category,
            "values": headline.values,
            "items": shown,
            # The headline is one of the outcomes even when it is the convention's (no age
            # band counted) rather than a scenario's.
            "possible_outcomes": tuple(
                sorted({headline.outcome} | {o for r in results for o in r.possible_outcomes})
            ),
            "best": max(
                (headline.category, *(r.best for r in results)), key=lambda c: order.get(c, -1)
            ),
            "worst": min(
                (headline.category, *(r.worst for r in results)), key=lambda c: order.get(c, -1)
            ),
            "unknown_effects": tuple(effects[k] for k in plain.unknown_items if k in effects),
            "value_ranges": ranges,
            "caveats": headline.caveats,
            "notes": (*headline.notes, note),
        }
    )


def _fixed(
    items: tuple[ItemResult, ...], group: Sequence[str], chosen: str
) -> tuple[ItemResult, ...]:
    """``items`` with ``chosen`` present and the rest of ``group`` absent."""
    out = []
    for item in items:
        if item.key not in group:
            out.append(item)
            continue
        status = ItemStatus.present if item.key == chosen else ItemStatus.absent
        counted = None if item.points is None else (item.points if item.key == chosen else 0.0)
        out.append(item.model_copy(update={"status": status, "counted": counted}))
    return tuple(out)


def _join(first: str | None, second: str) -> str:
    return f"{first}; {second}" if first else second
