"""Results: each criterion's category, values, items with their evidence, the range of outcomes
the unknown items allow, and the explanation tree. ``to_json`` uses the spec's Appendix A ids."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from heliotrope.logic.truth import Truth
from heliotrope.model.provenance import Source

if TYPE_CHECKING:
    from heliotrope.logic.nodes import Node

__all__ = ["CriterionResult", "Evidence", "ItemResult", "ItemStatus", "Pivot", "trusted"]

_M = TypeVar("_M", bound=BaseModel)
_set = object.__setattr__


def trusted(cls: type[_M], private: dict[str, Any] | None = None, **fields: Any) -> _M:
    """A result model made from values the kernel built with their declared types, every
    field given: what ``model_construct`` does without its per-field alias and default lookups
    (issue 13: a hundred of these per patient). Every instance of a class shares one set of
    field names (pydantic copies it before changing it, in ``model_copy``): a set per result
    was most of its memory. ``private`` gives the private attributes, all of them."""
    shape = _SHAPES.get(cls)
    if shape is None:  # read once per class: ``model_fields`` is a deprecated-descriptor path
        shape = _SHAPES[cls] = (
            len(cls.model_fields),
            frozenset(cls.__private_attributes__),
            set(cls.model_fields),
        )
    count, private_names, names = shape
    if len(fields) != count or (
        private_names != private.keys() if private else bool(private_names)
    ):
        raise TypeError(f"trusted({cls.__name__}) needs every field and private attribute")
    made = cls.__new__(cls)
    _set(made, "__dict__", fields)
    _set(made, "__pydantic_fields_set__", names)
    _set(made, "__pydantic_extra__", None)
    _set(made, "__pydantic_private__", private)
    return made


# Per class: the number of fields, the private attribute names, and the one field-name set
# every instance shares.
_SHAPES: dict[type[BaseModel], tuple[int, frozenset[str], set[str]]] = {}


class ItemStatus(StrEnum):
    """Item status values of spec Appendix A."""

    present = "present"
    absent = "absent"
    unknown = "unknown"


_TRUTHS = {
    ItemStatus.present: Truth.TRUE,
    ItemStatus.absent: Truth.FALSE,
    ItemStatus.unknown: Truth.UNKNOWN,
}


class Evidence(BaseModel):
    """A record fact an item used: its path in the record, a summary, and its source."""

    model_config = ConfigDict(frozen=True)

    path: str
    summary: str
    source: Source | None = None


class ItemResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    label: str
    status: ItemStatus
    points: float | None = Field(default=None, description="the item's weight, if weighted")
    counted: float | None = Field(default=None, description="points counted in the headline")
    evidence: tuple[Evidence, ...] = ()
    note: str | None = None


class Pivot(BaseModel):
    """What an unknown item would do if it alone were present."""

    model_config = ConfigDict(frozen=True)

    key: str
    if_present: str = Field(description="the outcome if this item alone were present")
    changes_outcome: bool
    values: dict[str, Any] = Field(default_factory=dict, description="numeric values then")


class CriterionResult(BaseModel):
    """One criterion's result for one patient."""

    model_config = ConfigDict(frozen=True)

    id: str
    version: str
    title: str
    citation: str
    kind: str
    category: str
    values: dict[str, Any] = Field(default_factory=dict)
    items: tuple[ItemResult, ...] = ()
    unknown_items: tuple[str, ...] = ()
    possible_outcomes: tuple[str, ...] = ()
    best: str
    worst: str
    unknown_effects: tuple[Pivot, ...] = ()
    value_ranges: dict[str, tuple[float, float]] = Field(default_factory=dict)
    caveats: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    rule: str = ""
    disclaimer: str = ""
    #: The logic tree and the items it was evaluated with: the explanation tree
    #: (:attr:`trace`) is built from them each time it is asked for, never kept (issue 13:
    #: memory per assessment; most callers never read it; results equal field by field stay
    #: equal whether or not their trace was read).
    _trace_of: tuple[Node, tuple[ItemResult, ...]] | None = PrivateAttr(default=None)

    @property
    def trace(self) -> dict[str, Any]:
        """The explanation tree: every node of the logic with the value it took."""
        if self._trace_of is None:
            return {}
        node, items = self._trace_of
        env = {i.key: _TRUTHS[i.status] for i in items}
        return node.evaluate(env).to_dict()

    @property
    def outcome(self) -> str:
        """Category plus any categorical value (subtype/subgroup), e.g. ``definite DM``."""
        return _outcome_label(self.category, self.values)

    @property
    def pivotal_items(self) -> tuple[str, ...]:
        """Unknown items whose presence alone would change the outcome."""
        return tuple(p.key for p in self.unknown_effects if p.changes_outcome)

    def item(self, key: str) -> ItemResult:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)

    def to_json(self, *, trace: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "version": self.version,
            "kind": self.kind,
            "category": self.category,
            **self.values,
            "items": {
                i.key: i.model_dump(mode="json", exclude={"key"}, exclude_none=True)
                for i in self.items
            },
            "unknown_items": list(self.unknown_items),
            "range": {
                "best": self.best,
                "worst": self.worst,
                "possible": list(self.possible_outcomes),
                "values": {k: list(v) for k, v in self.value_ranges.items()},
            },
            "unknown_effects": [p.model_dump() for p in self.unknown_effects],
            "pivotal_items": list(self.pivotal_items),
            "caveats": list(self.caveats),
            "notes": list(self.notes),
            "rule": self.rule,
            "citation": self.citation,
            "title": self.title,
        }
        if self.disclaimer:
            out["disclaimer"] = self.disclaimer
        if trace:
            out["trace"] = self.trace
        return out


def _outcome_label(category: str, values: dict[str, Any]) -> str:
    extra = [str(values[k]) for k in ("subtype", "subgroup") if values.get(k)]
    return " ".join([category, *extra])
