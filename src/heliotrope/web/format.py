"""Jinja filters: how numbers, categories, statuses and sources read on the page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from heliotrope.model.provenance import Source

__all__ = [
    "FILTERS",
    "item_label",
    "label",
    "number",
    "percent",
    "source_text",
    "status_label",
    "value_text",
]


def percent(value: Any) -> str:
    """0.9916 → ``99.2 %`` (the README's style)."""
    if not isinstance(value, int | float):
        return "—"
    return f"{value * 100:.1f} %"


def number(value: Any) -> str:
    """10.1 → ``10.1``; 11.0 → ``11.0`` for scores; other values as text."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.1f}" if abs(value) < 1000 else f"{value:g}"
    if value is None:
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "none"
    return str(value)


def label(value: Any) -> str:
    """``not_iim`` → ``not iim``; identifiers read as words."""
    return str(value).replace("_", " ")


def status_label(value: Any) -> str:
    """Item status as the page says it: ``unknown`` is *not assessed / unknown*."""
    text = str(getattr(value, "value", value))
    return "not assessed / unknown" if text == "unknown" else text


def source_text(source: Source | None) -> str:
    """Where a fact came from, with only the file's own name (never a server path)."""
    if source is None:
        return ""
    parts = []
    if source.document:
        parts.append(PurePath(source.document).name)
    if source.field:
        parts.append(source.field)
    if source.section:
        parts.append(source.section)
    if source.start is not None:
        parts.append(f"chars {source.start}–{source.end}")
    return ", ".join(parts)


def basename(value: Any) -> str:
    return PurePath(str(value)).name


FILTERS: dict[str, Callable[..., str]] = {
    "percent": percent,
    "number": number,
    "label": label,
    "status_label": status_label,
    "source_text": source_text,
    "basename": basename,
}


def item_label(result: Any, key: str) -> str:
    """The label of ``result``'s item ``key`` (the key read as words if it has none)."""
    for item in getattr(result, "items", ()):
        if item.key == key:
            return str(item.label)
    return label(key)


def value_text(name: str, value: Any) -> str:
    """A result value: probabilities as percentages, numbers to one decimal."""
    share = "probability" in name or name in ("pretest", "post_test")
    if share and isinstance(value, float) and 0.0 <= value <= 1.0:
        return percent(value)
    return number(value)


FILTERS.update({"item_label": item_label, "value_text": value_text})
