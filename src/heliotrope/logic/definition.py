"""What a published algorithm is, as data: its items (with weights and wording), its logic tree,
its ordered categories and its citation with a versioned id."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from heliotrope.logic.nodes import Node
from heliotrope.logic.result import Evidence, ItemResult, ItemStatus

__all__ = ["Citation", "Context", "Definition", "Derived", "ItemFinding", "ItemSpec"]

CLASSIFICATION_DISCLAIMER = (
    "Classification criteria classify patients for research and communication; "
    "they do not make a diagnosis."
)


@dataclass(frozen=True)
class Citation:
    """The publication an algorithm implements."""

    authors: str
    title: str
    journal: str
    year: int
    volume_pages: str
    doi: str | None = None

    def __str__(self) -> str:
        doi = f" doi:{self.doi}" if self.doi else ""
        authors = self.authors.rstrip(".")
        return f"{authors}. {self.title}. {self.journal} {self.year};{self.volume_pages}.{doi}"


@dataclass(frozen=True)
class Context:
    """Options of one assessment (e.g. the EULAR/ACR boundary rule, a pretest probability)."""

    options: Mapping[str, Any] = field(default_factory=dict)
    as_of: date | None = None

    def option(self, name: str, default: Any) -> Any:
        return self.options.get(name, default)


@dataclass(frozen=True)
class ItemFinding:
    """What an item reader concluded from the record."""

    status: ItemStatus
    evidence: tuple[Evidence, ...] = ()
    note: str | None = None


ItemReader = Callable[[Any, Context], ItemFinding]


@dataclass(frozen=True)
class ItemSpec:
    """One item of a criterion: key (spec Appendix A), wording, weight, and how to read it."""

    key: str
    label: str
    definition: str
    read: ItemReader
    points: float | None = None


@dataclass(frozen=True)
class Derived:
    """Values and caveats a criterion computes beyond its logic tree (intervals, paths)."""

    values: Mapping[str, Any] = field(default_factory=dict)
    caveats: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Definition:
    """A published algorithm, ready for the evaluator.

    ``categories`` are ordered from the lowest to the highest outcome; ``headline`` says how
    unknown items count in the headline: as absent (the publications' convention, spec
    preamble) or three-valued, giving the category ``unknown`` when they could change it.
    """

    id: str
    version: str
    title: str
    citation: Citation
    summary: str
    items: tuple[ItemSpec, ...]
    outcome: Node
    categories: tuple[str, ...]
    outputs: Mapping[str, Node] = field(default_factory=dict)
    headline: Literal["unknown_as_absent", "kleene"] = "unknown_as_absent"
    kind: Literal["classification", "risk", "measurement"] = "classification"
    caveats: tuple[str, ...] = ()
    rule: str = ""
    derive: Callable[[Any, Context, Mapping[str, ItemResult]], Derived] | None = None

    def item(self, key: str) -> ItemSpec:
        for spec in self.items:
            if spec.key == key:
                return spec
        raise KeyError(key)
