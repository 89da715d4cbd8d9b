"""The whole cohort query: OMOP readers → one items row per person → every criterion's columns.

Result rows (long format, one per person and criterion):

``person_id, criterion, version, variant, category, detail, possible, unknown_items,
score_lo, score_hi, probability_lo, probability_hi``

- ``category``: the headline by the publication's convention (unknown items counted as absent;
  for three-valued definitions ``unknown`` when the unknown items could change it);
- ``detail``: the categorical output (EULAR/ACR subgroup) with the same convention;
- ``possible``: the categories the unknown items allow (comma-separated, in the definition's
  order);
- ``unknown_items``: the items the CDM could not decide (comma-separated, definition order);
- ``score_*`` / ``probability_*``: the range of the numeric outputs the unknown items allow.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sqlglot
from sqlglot import exp

from heliotrope.cohort import compiler as c
from heliotrope.cohort.criteria import CriterionPlan, Variant
from heliotrope.cohort.readers import base_sql, reader_sql
from heliotrope.logic.nodes import Node

__all__ = ["COLUMNS", "build_parts", "build_query", "criterion_select"]

COLUMNS = (
    "person_id",
    "criterion",
    "version",
    "variant",
    "category",
    "detail",
    "possible",
    "unknown_items",
    "score_lo",
    "score_hi",
    "probability_lo",
    "probability_hi",
)
READ = "duckdb"  # the dialect the reader fragments are written in


def _ref(key: str) -> exp.Expression:
    return exp.column(key, table="i")


def _concat(parts: Sequence[tuple[exp.Expression, str]]) -> exp.Expression:
    """Comma-separated names whose condition holds (CONCAT_WS skips NULLs in both engines)."""
    cases = [exp.Case().when(cond, exp.Literal.string(name)) for cond, name in parts]
    if not cases:
        return exp.Literal.string("")
    # CONCAT_WS as written: sqlglot rewrites its ConcatWs node with NULL propagation.
    joined = exp.Anonymous(this="CONCAT_WS", expressions=[exp.Literal.string(","), *cases])
    return c.coalesce(joined, exp.Literal.string(""))  # DuckDB gives NULL when all are NULL


def _categorical_outputs(variant: Variant) -> list[tuple[str, Node]]:
    return [(n, node) for n, node in variant.definition.outputs.items() if c.is_categorical(node)]


def _numeric(variant: Variant) -> list[tuple[str, Node]]:
    """The variant's numeric outputs (score, probability), computed once per person."""
    return [(name, node) for name, node in variant.definition.outputs.items() if c.is_numeric(node)]


def _numeric_columns(plan: CriterionPlan) -> dict[str, exp.Expression]:
    """Columns of the inner select: each variant's numeric outputs as ``v<k>_<name>_lo/hi``."""
    cols: dict[str, exp.Expression] = {}
    for index, variant in enumerate(plan.variants):
        for name, node in _numeric(variant):
            lo, hi = c.interval(node, _ref)
            cols[f"v{index}_{name}_lo"] = lo
            cols[f"v{index}_{name}_hi"] = hi
    return cols


def _scope(index: int, variant: Variant) -> c.Scope:
    known = {
        node: (
            exp.column(f"v{index}_{name}_lo", table="i"),
            exp.column(f"v{index}_{name}_hi", table="i"),
        )
        for name, node in _numeric(variant)
    }
    return c.Scope(_ref, known)


def _variant_columns(index: int, variant: Variant) -> dict[str, exp.Expression]:
    definition = variant.definition
    scope = _scope(index, variant)
    two = c.headline_ref(scope)
    reach = c.reachable(definition.outcome, scope)
    order = list(definition.categories) + sorted(set(reach) - set(definition.categories))
    headline: exp.Expression = c.headline(definition.outcome, two)
    if definition.headline == "kleene":
        count: exp.Expression = exp.Literal.number(0)
        for name in order:
            one = exp.Case().when(reach[name], exp.Literal.number(1))
            count = exp.Add(this=count, expression=one.else_(exp.Literal.number(0)))
        many = exp.GT(this=exp.Paren(this=count), expression=exp.Literal.number(1))
        headline = exp.Case().when(many, exp.Literal.string("unknown")).else_(headline)
    unknown = [(exp.Is(this=_ref(s.key), expression=exp.null()), s.key) for s in definition.items]
    cols: dict[str, exp.Expression] = {
        "version": exp.Literal.string(definition.version),
        "variant": exp.Literal.string(variant.label),
        "category": headline,
        "possible": _concat([(reach[n], n) for n in order]),
        "unknown_items": _concat(unknown),
    }
    detail: exp.Expression = exp.null()
    for _name, node in _categorical_outputs(variant):
        value = c.headline(node, two)
        detail = exp.Nullif(this=value, expression=exp.Literal.string("none"))
        break
    cols["detail"] = detail
    for name in ("score", "probability"):
        numeric = definition.outputs.get(name)
        if numeric is None:
            cols[f"{name}_lo"] = cols[f"{name}_hi"] = exp.Cast(
                this=exp.null(), to=exp.DataType.build("DOUBLE")
            )
            continue
        lo, hi = c.interval(numeric, scope)
        cols[f"{name}_lo"] = exp.Cast(this=lo, to=exp.DataType.build("DOUBLE"))
        cols[f"{name}_hi"] = exp.Cast(this=hi, to=exp.DataType.build("DOUBLE"))
    return cols


def criterion_select(plan: CriterionPlan) -> exp.Select:
    """One criterion's SELECT over the items CTE ``i`` (variants chosen per person); numeric
    outputs are computed once in an inner select and read by every band and threshold."""
    per_variant = [(v, _variant_columns(k, v)) for k, v in enumerate(plan.variants)]
    select = exp.select(exp.column("person_id", table="i").as_("person_id"))
    select = select.select(exp.Literal.string(plan.id).as_("criterion"))
    for name in COLUMNS[2:]:
        value: exp.Expression | None = None
        case = exp.Case()
        for variant, cols in per_variant:
            if variant.guard is None:
                value = case.else_(cols[name]) if case.args.get("ifs") else cols[name]
                break
            case = case.when(c.coalesce(_ref(variant.guard), c.FALSE()), cols[name])
        assert value is not None, "a plan's last variant has no guard"
        select = select.select(exp.alias_(value, name))
    inner = exp.select("i.*")
    for name, expression in _numeric_columns(plan).items():
        inner = inner.select(exp.alias_(expression, name))
    return select.from_(inner.from_("i").subquery("i"))


def build_parts(
    plans: Sequence[CriterionPlan],
    ids: Mapping[str, tuple[int, ...]],
    dialect: str = "duckdb",
    extra_items: Sequence[str] = (),
) -> tuple[str, str]:
    """(items query, criteria query over a table ``i`` holding the items): engines that inline
    CTEs (Spark) materialise the items once and run the criteria over them."""
    readers = reader_sql(ids)
    needed: list[str] = []
    for plan in plans:
        for variant in plan.variants:
            keys = [s.key for s in variant.definition.items]
            keys += [variant.guard] if variant.guard else []
            needed += [k for k in keys if k not in needed]
    needed += [k for k in extra_items if k not in needed]
    missing = [k for k in needed if k not in readers.items]
    if missing:
        raise KeyError(f"no OMOP reader for items: {', '.join(missing)}")
    items_sql = (
        "SELECT b.person_id, b.index_date, "
        + ", ".join(f"({readers.items[k]}) AS {k}" for k in needed)
        + " FROM b"
    )
    ctes = [*readers.ctes, ("b", base_sql())]
    items_text = "WITH " + ", ".join(f"{n} AS ({t})" for n, t in ctes) + " " + items_sql
    if dialect != READ:  # the fragments are written in DuckDB's dialect: transpile them
        items_text = sqlglot.transpile(items_text, read=READ, write=dialect)[0]
    return items_text, _criteria_sql(tuple(plans), dialect)


# Generated SQL by the identity of the (immutable, cached) definitions; the value keeps the
# plans alive so an id is never reused while its entry exists.
_GENERATED: dict[tuple[object, ...], tuple[tuple[CriterionPlan, ...], str]] = {}


def _criteria_sql(plans: tuple[CriterionPlan, ...], dialect: str) -> str:
    """The criteria's UNION ALL, generated once per set of definitions and dialect (the
    definitions are immutable; generation is the slow part of compiling)."""
    key = (
        dialect,
        *((p.id, *((v.label, v.guard, id(v.definition)) for v in p.variants)) for p in plans),
    )
    if key in _GENERATED:
        return _GENERATED[key][1]
    union: exp.Expression | None = None
    for plan in plans:
        select = criterion_select(plan)
        union = select if union is None else exp.union(union, select, distinct=False)
    assert union is not None
    text = union.sql(dialect=dialect)
    if len(_GENERATED) > 64:
        _GENERATED.clear()
    _GENERATED[key] = (plans, text)
    return text


def build_query(
    plans: Sequence[CriterionPlan], ids: Mapping[str, tuple[int, ...]], dialect: str = "duckdb"
) -> str:
    """The SQL text of the whole cohort run for ``dialect`` (``duckdb`` or ``spark``)."""
    items, criteria = build_parts(plans, ids, dialect)
    # DuckDB: compute the items once for the criteria's UNION ALL (the CTE is read per criterion)
    materialized = "MATERIALIZED " if dialect == "duckdb" else ""
    return f"WITH i AS {materialized}({items}) {criteria}"
