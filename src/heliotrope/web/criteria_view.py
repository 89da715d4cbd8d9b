"""A criterion as the page shows it: the same content as ``heliotrope explain ID`` (rule table,
weights per variant, logic, categories, citation, version), from the registry's definitions."""

from __future__ import annotations

from dataclasses import dataclass

from heliotrope.criteria.registry import RegistryEntry

__all__ = ["CriterionView", "ItemRow", "criterion_view"]


@dataclass(frozen=True)
class ItemRow:
    key: str
    label: str
    points: tuple[str, ...]
    definition: str


@dataclass(frozen=True)
class CriterionView:
    id: str
    version: str
    title: str
    citation: str
    summary: str
    variants: tuple[str, ...]
    rows: tuple[ItemRow, ...]
    categories: tuple[str, ...]
    rules: tuple[tuple[str, str, str], ...]  # (variant, rule, logic)
    outputs: tuple[tuple[str, str, str], ...]  # (variant, output, logic)
    caveats: tuple[str, ...]


def criterion_view(entry: RegistryEntry) -> CriterionView:
    variants = list(entry.variants())
    first = variants[0][1]
    keys = list(dict.fromkeys(i.key for _, d in variants for i in d.items))
    rows = []
    for key in keys:
        specs = [next((i for i in d.items if i.key == key), None) for _, d in variants]
        spec = next(s for s in specs if s is not None)
        points = tuple("—" if s is None or s.points is None else f"{s.points:g}" for s in specs)
        rows.append(ItemRow(key, spec.label, points, spec.definition))
    return CriterionView(
        id=entry.id,
        version=first.version,
        title=first.title,
        citation=str(first.citation),
        summary=first.summary,
        variants=tuple(name or "points" for name, _ in variants),
        rows=tuple(rows),
        categories=first.categories,
        rules=tuple((name, d.rule, d.outcome.describe()) for name, d in variants),
        outputs=tuple(
            (name, output, node.describe())
            for name, d in variants
            for output, node in d.outputs.items()
        ),
        caveats=first.caveats,
    )
