"""Results: each criterion's category, values, items with their evidence, the range of outcomes
the unknown items allow, and the explanation tree. ``to_json`` uses the spec's Appendix A ids."""

from __future__ import annotations

import copy
import dataclasses
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from heliotrope.logic.truth import Truth
from heliotrope.model.provenance import Source

if TYPE_CHECKING:
    from heliotrope.logic.nodes import Node

__all__ = [
    "CriterionResult",
    "Evidence",
    "ItemResult",
    "ItemStatus",
    "Pivot",
    "frozen_slots",
    "shared",
    "trusted",
]

_M = TypeVar("_M", bound=BaseModel)
_set = object.__setattr__


def trusted(cls: type[_M], private: dict[str, Any] | None = None, **fields: Any) -> _M:
    """A result model made from values the kernel built with their declared types, every
    field given: what ``model_construct`` does without its per-field alias and default lookups
    (issue 13: a hundred of these per patient). Every instance of a class shares one set of
    field names (pydantic copies it before changing it, in ``model_copy``): a set per result
    was most of its memory. ``private`` gives the private attributes, all of them."""
    count, private_names, names = _SHAPES.get(cls) or _shape(cls)
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


def _shape(cls: type[BaseModel]) -> tuple[int, frozenset[str], set[str]]:
    """Read once per class: ``model_fields`` is a deprecated-descriptor path."""
    shape = _SHAPES[cls] = (
        len(cls.model_fields),
        frozenset(cls.__private_attributes__),
        set(cls.model_fields),
    )
    return shape


def shared(value: Any) -> Any:
    """``value`` as the one object already made with its contents, when it is text or a tuple
    of text (notes, caveats, keys, outcome labels): most patients' results say the same
    things, so a kept assessment holds one copy of each (issue 13: memory per assessment).
    Other values come back as they are."""
    if type(value) is str:
        return sys.intern(value)
    if type(value) is tuple and all(type(v) is str for v in value):
        if not value:
            return ()
        value = tuple(sys.intern(v) for v in value)
        found = _TUPLES.get(value)
        if found is None:
            if len(_TUPLES) >= _KEEP:
                _TUPLES.clear()
            found = _TUPLES[value] = value
        return found
    return value


_TUPLES: dict[tuple[str, ...], tuple[str, ...]] = {}
_KEEP = 20_000


class _Result(BaseModel):
    """A frozen result: copies share what they can (issue 13: memory per assessment)."""

    model_config = ConfigDict(frozen=True)

    def model_post_init(self, context: Any, /) -> None:
        """Every field given (the usual case): the class's one field-name set instead of a
        set per result."""
        count, _, shared_names = _SHAPES.get(type(self)) or _shape(type(self))
        if len(self.__pydantic_fields_set__) == count:
            _set(self, "__pydantic_fields_set__", shared_names)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """As pydantic's ``model_copy`` (the update is not validated), but a shallow copy
        shares the class's field-name set and the text it changes (:func:`shared`)."""
        if deep:
            return super().model_copy(update=update, deep=True)
        fields = dict(self.__dict__)
        if update:
            unknown = set(update) - fields.keys()
            if unknown:  # pydantic would keep them as extra or private: leave it to pydantic
                return super().model_copy(update=update)
            fields.update((k, shared(v)) for k, v in update.items())
        made = self.__class__.__new__(self.__class__)
        _set(made, "__dict__", fields)
        names = self.__pydantic_fields_set__
        if update and not names >= update.keys():
            names = names | update.keys()
        _set(made, "__pydantic_fields_set__", names)
        _set(made, "__pydantic_extra__", None)
        private = self.__pydantic_private__
        _set(made, "__pydantic_private__", None if private is None else dict(private))
        return made


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


class Evidence(_Result):
    """A record fact an item used: its path in the record, a summary, and its source."""

    path: str
    summary: str
    source: Source | None = None


class _Frozen:
    """What the slotted results share: pydantic's ``model_copy`` and ``model_dump`` as the
    callers use them. Results are made by the kernel from values it built with their
    declared types (never read back from outside), so they are plain frozen slotted
    dataclasses: no per-result field dictionary, field-name set or private dictionary
    (issue 13: memory per kept assessment)."""

    __slots__ = ()

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy with ``update`` applied (not validated, as pydantic's); the text it changes
        is :func:`shared`."""
        base = copy.deepcopy(self) if deep else self
        changes = {k: shared(v) for k, v in (update or {}).items()}
        return dataclasses.replace(base, **changes)  # type: ignore[type-var]

    def model_dump(
        self,
        *,
        mode: str = "python",
        exclude: set[str] | None = None,
        exclude_none: bool = False,
    ) -> dict[str, Any]:
        """The public fields as a dictionary, as pydantic's ``model_dump`` (``mode="json"``:
        enums as their values, tuples as lists)."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            name = f.name
            if name.startswith("_") or (exclude is not None and name in exclude):
                continue
            value = getattr(self, name)
            if value is None and exclude_none:
                continue
            out[name] = _dumped(value, mode, exclude_none)
        return out


_C = TypeVar("_C", bound=type)


def frozen_slots(cls: _C) -> _C:
    """Make a frozen ``dataclass(slots=True)`` refuse changes with ``FrozenInstanceError``
    (Python 3.11's generated ``__setattr__`` calls ``super()`` on the class it replaced and
    fails with a ``TypeError``)."""

    def refuse(self: object, name: str, *value: object) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    cls.__setattr__ = refuse  # type: ignore[method-assign]
    cls.__delattr__ = refuse  # type: ignore[assignment]
    return cls


def _dumped(value: Any, mode: str, exclude_none: bool) -> Any:
    if isinstance(value, BaseModel | _Frozen):
        return value.model_dump(mode=mode, exclude_none=exclude_none)
    if isinstance(value, tuple | list):
        made = [_dumped(v, mode, exclude_none) for v in value]
        return made if mode == "json" or isinstance(value, list) else tuple(made)
    if isinstance(value, dict):
        return {k: _dumped(v, mode, exclude_none) for k, v in value.items()}
    if mode == "json" and isinstance(value, StrEnum):
        return value.value
    return value


@frozen_slots
@dataclass(frozen=True, slots=True, kw_only=True)
class ItemResult(_Frozen):
    """One item's status for one patient, its points (if weighted) and the evidence."""

    key: str
    label: str
    status: ItemStatus
    points: float | None = None  # the item's weight, if weighted
    counted: float | None = None  # points counted in the headline
    evidence: tuple[Evidence, ...] = ()
    note: str | None = None

    def json_fields(self) -> dict[str, Any]:
        """``model_dump(mode="json", exclude={"key"}, exclude_none=True)``, written out (the
        JSON of every assessment makes one per item)."""
        out: dict[str, Any] = {"label": self.label, "status": self.status.value}
        if self.points is not None:
            out["points"] = self.points
        if self.counted is not None:
            out["counted"] = self.counted
        out["evidence"] = [e.model_dump(mode="json", exclude_none=True) for e in self.evidence]
        if self.note is not None:
            out["note"] = self.note
        return out


class Pivot(_Result):
    """What an unknown item would do if it alone were present."""

    key: str
    if_present: str = Field(description="the outcome if this item alone were present")
    changes_outcome: bool
    values: dict[str, Any] = Field(default_factory=dict, description="numeric values then")


@frozen_slots
@dataclass(frozen=True, slots=True, kw_only=True)
class CriterionResult(_Frozen):
    """One criterion's result for one patient."""

    id: str
    version: str
    title: str
    citation: str
    kind: str
    category: str
    values: dict[str, Any] = field(default_factory=dict)
    items: tuple[ItemResult, ...] = ()
    unknown_items: tuple[str, ...] = ()
    possible_outcomes: tuple[str, ...] = ()
    best: str
    worst: str
    unknown_effects: tuple[Pivot, ...] = ()
    value_ranges: dict[str, tuple[float, float]] = field(default_factory=dict)
    caveats: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    rule: str = ""
    disclaimer: str = ""
    #: The logic tree and the items it was evaluated with: the explanation tree
    #: (:attr:`trace`) is built from them each time it is asked for, never kept (issue 13:
    #: memory per assessment; most callers never read it; results equal field by field stay
    #: equal whether or not their trace was read).
    _trace_of: tuple[Node, tuple[ItemResult, ...]] | None = field(default=None, repr=False)

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
            "items": {i.key: i.json_fields() for i in self.items},
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
