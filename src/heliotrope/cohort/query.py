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
from dataclasses import dataclass
from itertools import combinations

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
RANGES = ("score", "probability")  # the numeric outputs reported as ranges
Interval = tuple[exp.Expression, exp.Expression]
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


def _scenario_ref(group: Sequence[str], chosen: str) -> c.ItemRef:
    """Items with ``chosen`` present and the rest of ``group`` absent (``exclusive._fixed``)."""

    def ref(key: str) -> exp.Expression:
        if key in group:
            return c.TRUE() if key == chosen else c.FALSE()
        return _ref(key)

    return ref


def _scenarios(variant: Variant) -> list[tuple[str, c.ItemRef]]:
    """("", plain items) then, per alternative item, ("x<j>", that scenario's items)."""
    out: list[tuple[str, c.ItemRef]] = [("", _ref)]
    group = variant.exclusive
    out += [(f"x{j}_", _scenario_ref(group, key)) for j, key in enumerate(group)]
    return out


def _descendants(node: Node) -> set[Node]:
    out: set[Node] = set()
    for child in node.children():
        out |= {child} | _descendants(child)
    return out


def _columns(index: int, prefix: str, name: str) -> Interval:
    return (
        exp.column(f"v{index}_{prefix}{name}_lo", table="i"),
        exp.column(f"v{index}_{prefix}{name}_hi", table="i"),
    )


def _numeric_columns(plan: CriterionPlan) -> list[dict[str, exp.Expression]]:
    """Columns of the inner selects, level by level: each variant's numeric outputs as
    ``v<k>_<name>_lo/hi`` (and ``v<k>_x<j>_<name>_lo/hi`` in the scenario of the ``j``-th
    alternative item). An output built on another (the probability on the score) is computed
    at the next level from the other's columns, so no sum is written twice."""
    levels: list[dict[str, exp.Expression]] = []
    for index, variant in enumerate(plan.variants):
        outputs = _numeric(variant)
        placed: dict[Node, int] = {}
        while len(placed) < len(outputs):
            for name, node in outputs:
                if node in placed:
                    continue
                needs = [n for _, n in outputs if n in _descendants(node)]
                if any(n not in placed for n in needs):
                    continue
                level = max((placed[n] + 1 for n in needs), default=0)
                placed[node] = level
                while len(levels) <= level:
                    levels.append({})
                for prefix, ref in _scenarios(variant):
                    known = {n: _columns(index, prefix, m) for m, n in outputs if n in needs}
                    lo, hi = c.interval(node, c.Scope(ref, known))
                    levels[level][f"v{index}_{prefix}{name}_lo"] = lo
                    levels[level][f"v{index}_{prefix}{name}_hi"] = hi
    return levels


def _scope(index: int, variant: Variant, prefix: str = "", ref: c.ItemRef = _ref) -> c.Scope:
    known = {
        node: (
            exp.column(f"v{index}_{prefix}{name}_lo", table="i"),
            exp.column(f"v{index}_{prefix}{name}_hi", table="i"),
        )
        for name, node in _numeric(variant)
    }
    return c.Scope(ref, known)


@dataclass
class _Outcome:
    """One scenario's compiled outputs: headline, reachable categories, subgroup, ranges."""

    headline: exp.Expression
    reach: dict[str, exp.Expression]
    detail: exp.Expression
    ranges: dict[str, Interval]


def _outcome(variant: Variant, scope: c.Scope) -> _Outcome:
    definition = variant.definition
    two = c.headline_ref(scope)
    detail: exp.Expression = exp.null()
    for _name, node in _categorical_outputs(variant):
        detail = exp.Nullif(this=c.headline(node, two), expression=exp.Literal.string("none"))
        break
    ranges = {
        name: c.interval(definition.outputs[name], scope)
        for name in RANGES
        if name in definition.outputs
    }
    return _Outcome(
        c.headline(definition.outcome, two), c.reachable(definition.outcome, scope), detail, ranges
    )


def _exclusive(index: int, variant: Variant, plain: _Outcome) -> tuple[_Outcome, exp.Expression]:
    """The outputs when exactly one of ``variant.exclusive`` holds, as
    :func:`heliotrope.criteria.exclusive.evaluate_exclusive` computes them: when no item of the
    group is TRUE and two or more are NULL, each NULL one is a scenario (it TRUE, the others
    FALSE); the headline is the scenario of the lowest weight when every possible weight is
    non-zero (else the plain headline), ranges and reachable categories are the scenarios'
    union (the headline's category included). Otherwise the plain outputs. Returns the
    outputs and the headline's expression (the middle select's ``v<k>_headline``)."""
    group = variant.exclusive
    points = {s.key: s.points or 0.0 for s in variant.definition.items}
    scenarios = {
        key: _outcome(variant, _scope(index, variant, prefix, ref))
        for key, (prefix, ref) in zip(group, _scenarios(variant)[1:], strict=True)
    }
    unknown = {key: exp.Is(this=_ref(key), expression=exp.null()) for key in group}
    none_true = exp.and_(*(exp.Not(this=c.coalesce(_ref(k), c.FALSE())) for k in group))
    n_unknown: exp.Expression = exp.Literal.number(0)
    for key in group:
        one = exp.Case().when(unknown[key], exp.Literal.number(1)).else_(exp.Literal.number(0))
        n_unknown = exp.Add(this=n_unknown, expression=one)
    applies = exp.Paren(
        this=exp.and_(
            none_true, exp.GTE(this=exp.Paren(this=n_unknown), expression=exp.Literal.number(2))
        )
    )

    def by_subset(pick: str) -> exp.Expression:
        """The pick of the headline scenario: per set of possible items whose weights are all
        non-zero, the lowest weight's scenario; otherwise (and outside the group) the plain."""
        case = exp.Case().when(exp.Not(this=applies.copy()), getattr(plain, pick).copy())
        for size in range(len(group), 1, -1):
            for subset in combinations(group, size):
                if not all(points[k] for k in subset):
                    continue
                cond = exp.and_(
                    *(unknown[k] if k in subset else exp.Not(this=unknown[k]) for k in group)
                )
                certain = min(subset, key=lambda k: points[k])
                case = case.when(cond, getattr(scenarios[certain], pick).copy())
        return case.else_(getattr(plain, pick).copy())

    # The headline is computed once, in a middle select, and read by every reachable category.
    computed = by_subset("headline")
    headline = exp.column(f"v{index}_headline", table="i")
    detail = by_subset("detail")
    names = list(plain.reach) + [
        n for o in scenarios.values() for n in o.reach if n not in plain.reach
    ]
    reach: dict[str, exp.Expression] = {}
    for name in names:
        parts: list[exp.Expression] = [
            exp.EQ(this=headline.copy(), expression=exp.Literal.string(name))
        ]
        parts += [
            exp.Paren(this=exp.and_(unknown[k], o.reach[name]))
            for k, o in scenarios.items()
            if name in o.reach
        ]
        reach[name] = (
            exp.Case()
            .when(applies, exp.Paren(this=exp.or_(*parts)))
            .else_(plain.reach.get(name, c.FALSE()))
        )
    ranges: dict[str, Interval] = {}
    for name, (plain_lo, plain_hi) in plain.ranges.items():
        los = [exp.Case().when(unknown[k], o.ranges[name][0]) for k, o in scenarios.items()]
        his = [exp.Case().when(unknown[k], o.ranges[name][1]) for k, o in scenarios.items()]
        # LEAST / GREATEST skip NULLs in DuckDB and Spark (a scenario not possible is NULL);
        # written as plain calls: sqlglot rewrites its Least / Greatest nodes for DuckDB with
        # NULL propagation.
        ranges[name] = (
            exp.Case().when(applies, exp.Anonymous(this="LEAST", expressions=los)).else_(plain_lo),
            exp.Case()
            .when(applies, exp.Anonymous(this="GREATEST", expressions=his))
            .else_(plain_hi),
        )
    return _Outcome(headline, reach, detail, ranges), computed


def _variant_columns(
    index: int, variant: Variant
) -> tuple[dict[str, exp.Expression], dict[str, exp.Expression]]:
    """The variant's result columns, and the middle select's columns they read."""
    definition = variant.definition
    result = _outcome(variant, _scope(index, variant))
    middle: dict[str, exp.Expression] = {}
    if variant.exclusive:
        result, middle[f"v{index}_headline"] = _exclusive(index, variant, result)
    reach = result.reach
    order = list(definition.categories) + sorted(set(reach) - set(definition.categories))
    headline = result.headline
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
        "detail": result.detail,
    }
    double = exp.DataType.build("DOUBLE")
    for name in RANGES:
        if name not in result.ranges:
            cols[f"{name}_lo"] = cols[f"{name}_hi"] = exp.Cast(this=exp.null(), to=double)
            continue
        lo, hi = result.ranges[name]
        cols[f"{name}_lo"] = exp.Cast(this=lo, to=double)
        cols[f"{name}_hi"] = exp.Cast(this=hi, to=double)
    return cols, middle


def criterion_select(plan: CriterionPlan) -> exp.Select:
    """One criterion's SELECT over the items CTE ``i`` (variants chosen per person); numeric
    outputs are computed once in an inner select and read by every band and threshold; a
    headline that several columns read (alternative items), once in a middle select."""
    built = [(v, _variant_columns(k, v)) for k, v in enumerate(plan.variants)]
    per_variant = [(v, cols) for v, (cols, _middle) in built]
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
    source: exp.Expression = exp.to_table("i")
    for level in _numeric_columns(plan):
        inner = exp.select("i.*")
        for name, expression in level.items():
            inner = inner.select(exp.alias_(expression, name))
        source = inner.from_(source).subquery("i")
    middle = [(n, e) for _v, (_cols, m) in built for n, e in m.items()]
    if middle:
        mid = exp.select("i.*")
        for name, expression in middle:
            mid = mid.select(exp.alias_(expression, name))
        source = mid.from_(source).subquery("i")
    return select.from_(source)


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
