"""RECIST 1.1 time-point response, Tables 4 and 5 of Eisenhauer et al. (spec §9.6, §9.7).

Eisenhauer EA, et al. Eur J Cancer 2009;45:228-247.

Each table is written below as data, row by row and cell by cell as printed, and compiled into
a rule-kernel decision list (:class:`~heliotrope.logic.Decide`) whose rules are the rows. The
rows do not overlap and together cover every combination (``tests/oncology`` checks both), so
the order of the rules does not matter.

Cell values: target ``CR``/``PR``/``SD``/``PD``/``NE`` (NE = "not all evaluated"); non-target
``CR``, ``non_CR_non_PD``, ``NE``, ``PD`` and ``non_PD`` ("non-PD", which includes not all
evaluated); new lesions ``yes``/``no``; ``any`` matches everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from heliotrope.logic.nodes import All, Decide, Item, Node, Not, Trace
from heliotrope.logic.truth import Truth
from heliotrope.model.vocabulary import RecistResponse

__all__ = [
    "TABLE_4",
    "TABLE_5",
    "Row",
    "TableDecision",
    "compile_table",
    "environment",
    "time_point_response",
]

R = RecistResponse
ANY = "any"
UNCOVERED = "uncovered"
TARGET_VALUES = (R.CR, R.PR, R.SD, R.PD, R.NE)
NON_TARGET_VALUES = (R.CR, R.non_CR_non_PD, R.PD, R.NE)


@dataclass(frozen=True)
class Row:
    """One row of a time-point table: the cells as printed and the overall response."""

    number: int
    target: str
    non_target: str
    new: Literal["yes", "no", "any"]
    overall: RecistResponse

    def cells(self, table: str) -> str:
        """The row's input cells in words: ``target SD, non-target non-PD, new lesions no``."""
        cells = [f"non-target {_SHOW.get(self.non_target, self.non_target)}"]
        cells.append(f"new lesions {self.new}")
        if table == "Table 4":
            cells.insert(0, f"target {_SHOW.get(self.target, self.target)}")
        return ", ".join(cells)


_SHOW = {
    "non_PD": "non-PD or not all evaluated",
    "non_CR_non_PD": "non-CR/non-PD",
    "NE": "not all evaluated",
}


# RECIST 1.1 Table 4: patients with target (+/- non-target) disease.
TABLE_4 = (
    #   no  target  non-target       new    overall
    Row(1, "CR", "CR", "no", R.CR),
    Row(2, "CR", "non_CR_non_PD", "no", R.PR),
    Row(3, "CR", "NE", "no", R.PR),
    Row(4, "PR", "non_PD", "no", R.PR),  # "Non-PD or not all evaluated"
    Row(5, "SD", "non_PD", "no", R.SD),  # "Non-PD or not all evaluated"
    Row(6, "NE", "non_PD", "no", R.NE),  # "Not all evaluated" | "Non-PD"
    Row(7, "PD", ANY, "any", R.PD),
    Row(8, ANY, "PD", "any", R.PD),
    Row(9, ANY, ANY, "yes", R.PD),
)

# RECIST 1.1 Table 5: patients with non-target disease only (target cells are "any").
TABLE_5 = (
    #   no  target  non-target       new    overall
    Row(1, ANY, "CR", "no", R.CR),
    Row(2, ANY, "non_CR_non_PD", "no", R.non_CR_non_PD),  # preferred over "SD"
    Row(3, ANY, "NE", "no", R.NE),  # "Not all evaluated"
    Row(4, ANY, "PD", "any", R.PD),  # "Unequivocal PD"
    Row(5, ANY, ANY, "yes", R.PD),
)


def _cell(column: str, value: str) -> Node | None:
    if value == ANY:
        return None
    if column == "new":
        return Item("new_lesions") if value == "yes" else Not(Item("new_lesions"))
    if value == "non_PD":
        return Not(Item(f"{column}_PD"))
    return Item(f"{column}_{R(value).value}")


def compile_table(rows: tuple[Row, ...], label: str) -> Decide:
    """The table as a decision list: rule *n* is row *n*, the conjunction of its cells."""
    rules: list[tuple[str, Node]] = []
    for row in rows:
        cells = [
            _cell("target", row.target),
            _cell("non_target", row.non_target),
            _cell("new", row.new),
        ]
        rules.append((row.overall.value, All(*(c for c in cells if c is not None))))
    return Decide(tuple(rules), otherwise=UNCOVERED, label=label)


_TABLE_4_NODE = compile_table(TABLE_4, "RECIST 1.1 Table 4")
_TABLE_5_NODE = compile_table(TABLE_5, "RECIST 1.1 Table 5")


@dataclass(frozen=True)
class TableDecision:
    """The overall response, and every row that gave it (PD rows may overlap)."""

    overall: RecistResponse
    table: Literal["Table 4", "Table 5"]
    rows: tuple[Row, ...]
    trace: Trace

    def describe(self) -> str:
        shown = "; ".join(f"row {r.number} ({r.cells(self.table)})" for r in self.rows)
        return f"{self.table} {shown}: {self.overall.value}"


def environment(
    target: RecistResponse | None, non_target: RecistResponse, new_lesions: bool
) -> dict[str, Truth]:
    """The items of the table's rules: one-hot target and non-target responses, new lesions."""
    env = {f"non_target_{v.value}": Truth.of(non_target is v) for v in NON_TARGET_VALUES}
    env |= {f"target_{v.value}": Truth.of(target is v) for v in TARGET_VALUES}
    env["new_lesions"] = Truth.of(new_lesions)
    return env


def time_point_response(
    target: RecistResponse | None, non_target: RecistResponse | None, new_lesions: bool
) -> TableDecision:
    """Overall response at one time point: Table 4 with target disease, else Table 5.

    ``target`` is None for non-target disease only. ``non_target`` is None when the patient
    had no non-target lesions at baseline: with target disease this counts as non-target CR
    (nothing is left to disappear or progress), the usual reading of Table 4.
    """
    rows: tuple[Row, ...]
    if target is None:
        if non_target is None:
            raise ValueError("a time point needs target or non-target disease")
        table: Literal["Table 4", "Table 5"] = "Table 5"
        node, rows = _TABLE_5_NODE, TABLE_5
    else:
        if target not in TARGET_VALUES:
            raise ValueError(f"{target.value} is not a target-lesion response")
        table, node, rows = "Table 4", _TABLE_4_NODE, TABLE_4
    if non_target is not None and non_target not in NON_TARGET_VALUES:
        raise ValueError(f"{non_target.value} is not a non-target response")
    env = environment(target, non_target or R.CR, new_lesions)
    trace = node.evaluate(env)
    # The decision list stops at the first row that holds; name every row that holds.
    fired = [i for i, (_, rule) in enumerate(node.rules) if rule.evaluate(env).value is Truth.TRUE]
    if (
        not fired
        or len({rows[i].overall for i in fired}) != 1
        or trace.value == frozenset({UNCOVERED})
    ):
        raise AssertionError(f"{table} does not decide {target}, {non_target}, {new_lesions}")
    return TableDecision(rows[fired[0]].overall, table, tuple(rows[i] for i in fired), trace)
