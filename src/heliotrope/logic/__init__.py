"""The rule kernel: three-valued logic, nodes, definitions, the evaluator and results."""

from heliotrope.logic.definition import (
    CLASSIFICATION_DISCLAIMER,
    Citation,
    Context,
    Definition,
    Derived,
    ItemFinding,
    ItemSpec,
)
from heliotrope.logic.evaluate import evaluate, evaluate_items, read_items
from heliotrope.logic.nodes import (
    All,
    Any,
    AtLeast,
    Bands,
    Count,
    Decide,
    Item,
    Logistic,
    Node,
    Not,
    Threshold,
    Trace,
    WeightedSum,
)
from heliotrope.logic.result import CriterionResult, Evidence, ItemResult, ItemStatus, Pivot
from heliotrope.logic.truth import Interval, Truth

__all__ = [
    "CLASSIFICATION_DISCLAIMER",
    "All",
    "Any",
    "AtLeast",
    "Bands",
    "Citation",
    "Context",
    "Count",
    "CriterionResult",
    "Decide",
    "Definition",
    "Derived",
    "Evidence",
    "Interval",
    "Item",
    "ItemFinding",
    "ItemResult",
    "ItemSpec",
    "ItemStatus",
    "Logistic",
    "Node",
    "Not",
    "Pivot",
    "Threshold",
    "Trace",
    "Truth",
    "WeightedSum",
    "evaluate",
    "evaluate_items",
    "read_items",
]
