"""The outcomes unknown items allow, from the structure (``logic.reach``), against exhaustive
enumeration of every scenario — the reference lives here, in the tests only (issue 13)."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Mapping
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heliotrope.logic import (
    All,
    AtLeast,
    Bands,
    Citation,
    Context,
    Count,
    CriterionResult,
    Decide,
    Definition,
    Item,
    ItemFinding,
    ItemSpec,
    ItemStatus,
    Logistic,
    Node,
    Not,
    Threshold,
    Truth,
    WeightedSum,
    evaluate,
)
from heliotrope.logic import Any as AnyOf
from heliotrope.logic.compiled import compile_trees
from heliotrope.logic.evaluate import _kernel
from heliotrope.logic.joint import _Choices, plan, reachable
from heliotrope.logic.reach import possible

KEYS = ("a", "b", "c", "d", "e", "f")
CITATION = Citation("Doe J", "A generated rule", "J Test", 2020, "1:1")
CATEGORIES = ("none", "low", "mid", "high", "x", "y", "z")
_TRUTHS = {"present": Truth.TRUE, "absent": Truth.FALSE, "unknown": Truth.UNKNOWN}

# -- generated trees -----------------------------------------------------------------------
items = st.sampled_from(KEYS).map(Item)


def _truth_nodes(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    parts = st.lists(children, min_size=1, max_size=4).map(tuple)
    return st.one_of(
        children.map(Not),
        parts.map(lambda p: All(*p)),
        parts.map(lambda p: AnyOf(*p)),
        st.builds(lambda n, p: AtLeast(n, *p), st.integers(0, 4), parts),
        st.builds(
            Threshold, st.deferred(lambda: numbers), st.sampled_from([0.0, 1.0, 1.5, 2.0, 3.3, 5.0])
        ),
    )


truths: st.SearchStrategy[Node] = st.recursive(items, _truth_nodes, max_leaves=8)
weights = st.sampled_from([0.0, 0.3, 0.7, 1.0, 1.3, 1.5, 2.1, 2.2, 3.9])
sums = st.lists(st.tuples(st.sampled_from(KEYS), weights), min_size=1, max_size=6).map(
    lambda terms: WeightedSum(tuple(terms))
)
numbers: st.SearchStrategy[Node] = st.one_of(
    sums,
    st.lists(items, min_size=1, max_size=5).map(lambda p: Count(*p)),
    st.builds(Logistic, sums, st.sampled_from([1.0, 3.5])),
)
bounds = st.lists(
    st.sampled_from([0.5, 1.0, 1.5, 2.0, 2.6, 3.0, 4.4, 5.5]), min_size=1, max_size=3, unique=True
).map(sorted)


@st.composite
def bands(draw: st.DrawFn) -> Node:
    measure = draw(numbers)
    cuts = draw(bounds)
    if isinstance(measure, Logistic):
        cuts = [c / 6 for c in cuts]
    return Bands(measure, tuple(zip(cuts, ("low", "mid", "high"), strict=False)), "none")


@st.composite
def decisions(draw: st.DrawFn, nested: bool = True) -> Node:
    names = draw(st.lists(st.sampled_from(("x", "y", "z", "high")), min_size=1, max_size=3))
    rules: list[tuple[str, Node]] = [(n, draw(truths)) for n in names]
    if nested and draw(st.booleans()):
        inner = draw(st.one_of(bands(), decisions(nested=False)))
        rules.append(("*", inner))
    return Decide(tuple(rules), draw(st.sampled_from(("none", "low"))))


categorical = st.one_of(bands(), decisions())


def _spec(key: str) -> ItemSpec:
    return ItemSpec(
        key, key, key, lambda record, _ctx: ItemFinding(ItemStatus(record[key])), points=None
    )


@st.composite
def shared_score(draw: st.DrawFn) -> tuple[Node, dict[str, Node]]:
    """EULAR/ACR's shape: one sum read by the category's bands and by the subgroup's first
    rule, whose other rules reuse the sum's items."""
    score = draw(sums)
    measure: Node = score
    cuts = draw(bounds)
    if draw(st.booleans()):
        measure = Logistic(score, 3.5)
        cuts = [c / 6 for c in cuts]
    outcome = Bands(measure, tuple(zip(cuts, ("low", "mid", "high"), strict=False)), "none")
    rules: list[tuple[str, Node]] = [("none", Not(Threshold(score, draw(bounds)[0])))]
    rules += [(n, draw(truths)) for n in draw(st.lists(st.sampled_from("xyz"), max_size=3))]
    subtype = Decide(tuple(rules), "z", label="subgroup")
    outputs: dict[str, Node] = {"subtype": subtype, "score": score, "p": Logistic(score, 3.5)}
    return outcome, outputs


@st.composite
def definitions(draw: st.DrawFn) -> Definition:
    outputs: dict[str, Node] = {}
    if draw(st.booleans()):
        outcome, outputs = draw(shared_score())
    else:
        outcome = draw(categorical)
        if draw(st.booleans()):
            outputs["subtype"] = draw(categorical)
        if draw(st.booleans()):
            outputs["score"] = draw(numbers)
    return Definition(
        id="generated",
        version="generated.v1",
        title="Generated",
        citation=CITATION,
        summary="",
        items=tuple(_spec(k) for k in KEYS),
        outcome=outcome,
        categories=CATEGORIES,
        outputs=outputs,
        headline=draw(st.sampled_from(["unknown_as_absent", "kleene"])),
    )


statuses = st.fixed_dictionaries(
    {k: st.sampled_from(["present", "absent", "unknown"]) for k in KEYS}
)


# -- the exhaustive reference --------------------------------------------------------------
def _scenarios(env: Mapping[str, Truth]) -> list[dict[str, Truth]]:
    unknown = [k for k in KEYS if env[k] is Truth.UNKNOWN]
    out = []
    for choice in itertools.product((Truth.FALSE, Truth.TRUE), repeat=len(unknown)):
        out.append({**env, **dict(zip(unknown, choice, strict=True))})
    return out


def _label(definition: Definition, env: Mapping[str, Truth]) -> tuple[str, str]:
    (category,) = definition.outcome.value(env)  # type: ignore[misc]
    extras = []
    for node in definition.outputs.values():
        value = node.value(env)
        if isinstance(value, frozenset):
            (only,) = value
            extras.append(only)
    return category, " ".join([category, *[e for e in extras if e and e != "none"]])


def reference(definition: Definition, record: Mapping[str, str]) -> CriterionResult:
    """The result with its range found by trying every scenario (the old evaluator's way)."""
    result = evaluate(definition, record, Context())
    env = {k: _TRUTHS[record[k]] for k in KEYS}
    outcomes = {_label(definition, s) for s in _scenarios(env)}
    order = {c: i for i, c in enumerate(definition.categories)}
    categories = sorted({c for c, _ in outcomes}, key=lambda c: order.get(c, -1))
    headline_env = {k: Truth.FALSE if v is Truth.UNKNOWN else v for k, v in env.items()}
    category = _label(definition, headline_env)[0]
    if definition.headline == "kleene" and len(categories) > 1:
        category = "unknown"
    return result.model_copy(
        update={
            "category": category,
            "possible_outcomes": tuple(sorted({lbl for _, lbl in outcomes})),
            "best": categories[-1],
            "worst": categories[0],
        }
    )


# -- properties ----------------------------------------------------------------------------
@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(definitions(), statuses)
def test_structural_range_equals_exhaustive_enumeration(
    definition: Definition, record: dict[str, str]
) -> None:
    result = evaluate(definition, record, Context())
    assert result == reference(definition, record)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(truths, numbers, categorical), statuses)
def test_possible_values_cover_every_scenario(node: Node, record: dict[str, str]) -> None:
    env = {k: _TRUTHS[record[k]] for k in KEYS}
    seen = set()
    for scenario in _scenarios(env):
        value = node.value(scenario)
        if isinstance(value, frozenset):
            seen |= value
        elif isinstance(value, Truth):
            seen.add(value)
        else:
            seen.add(round(value.lo, 6))
    got = possible(node, env)
    rounded = {round(v, 6) if isinstance(v, float) else v for v in got}
    assert seen <= rounded
    if len(node.item_keys()) == _occurrence_count(node):  # each item once: exact
        assert rounded == seen


def _occurrence_count(node: Node) -> int:
    if isinstance(node, Item):
        return 1
    if isinstance(node, WeightedSum):
        return len(node.terms) + sum(_occurrence_count(c) for c in node.children())
    return sum(_occurrence_count(c) for c in node.children())


# -- regressions ---------------------------------------------------------------------------
def test_band_between_two_reachable_sums_is_not_reachable() -> None:
    """Interval arithmetic says [1, 4] meets the band [2, 3); no scenario reaches it."""
    node = Bands(WeightedSum((("a", 1.0), ("b", 3.0))), ((2.0, "mid"), (3.0, "high")), "none")
    env = {"a": Truth.TRUE, "b": Truth.UNKNOWN}
    assert possible(node, env) == frozenset({"none", "high"})


def test_item_and_its_negation_cannot_both_hold() -> None:
    """Kleene says a ∧ ¬a is unknown when a is; the search decides the coupled item."""
    rule = Decide((("x", All(Item("a"), Not(Item("a")))),), "none")
    definition = Definition(
        id="t",
        version="t.v1",
        title="T",
        citation=CITATION,
        summary="",
        items=(_spec("a"),),
        outcome=rule,
        categories=("none", "x"),
    )
    result = evaluate(definition, {"a": "unknown"}, Context())
    assert result.possible_outcomes == ("none",)
    assert (result.worst, result.best) == ("none", "none")


def test_many_unknown_items_cost_a_few_passes_not_two_to_the_k() -> None:
    """Twenty coupled-free unknown items: the range whatever k, and the sum never walked once
    per item (the compiled function evaluates it)."""
    keys = [f"i{n}" for n in range(20)]
    calls = 0
    original = WeightedSum.value

    score = WeightedSum(tuple((k, 1.0) for k in keys))
    outcome = Bands(score, ((5.0, "mid"), (15.0, "high")), "none")
    definition = Definition(
        id="wide",
        version="wide.v1",
        title="Wide",
        citation=CITATION,
        summary="",
        items=tuple(_spec(k) for k in keys),
        outcome=outcome,
        categories=("none", "mid", "high"),
        outputs={"score": score},
    )

    def counting(self: WeightedSum, env: Mapping[str, Truth]) -> Any:
        nonlocal calls
        calls += 1
        return original(self, env)

    WeightedSum.value = counting  # type: ignore[method-assign]
    try:
        result = evaluate(definition, dict.fromkeys(keys, "unknown"), Context())
    finally:
        WeightedSum.value = original  # type: ignore[method-assign]
    assert result.possible_outcomes == ("high", "mid", "none")
    assert result.value_ranges["score"] == (0.0, 20.0)
    assert calls < 4 * len(keys)


def test_sum_memo_outside_a_search_is_not_reused_for_a_new_node() -> None:
    """Regression: ``possible`` called outside a search kept sums by ``id(node)``; a new sum
    node given a freed node's id got the old node's sums."""
    env = {"a": Truth.TRUE, "b": Truth.UNKNOWN}
    for weight in (1.0, 2.5, 4.0, 5.3):
        node = WeightedSum((("a", weight), ("b", 1.0)))
        assert possible(node, env) == frozenset({weight, weight + 1.0})
        del node


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(truths, numbers, categorical), statuses)
def test_compiled_trees_compute_what_the_nodes_compute(node: Node, record: dict[str, str]) -> None:
    """The headline, each unknown effect and the ends of the ranges come from the compiled
    two-valued function: every value identical to ``Node.value`` with every item decided."""
    decided = {k: record[k] == "present" for k in KEYS}
    env = {k: Truth.TRUE if v else Truth.FALSE for k, v in decided.items()}
    (got,) = compile_trees((node,), "generated").run(decided)
    value = node.value(env)
    if isinstance(value, frozenset):
        assert value == frozenset((got,))
    elif isinstance(value, Truth):
        assert value is Truth.of(got)
    else:
        assert (value.lo, value.hi) == (got, got)
        assert type(round(value.lo, 6)) is type(round(got, 6))


def test_items_used_once_add_no_choices() -> None:
    """Twenty unknown items each read once: the trees vary independently, so the reachable
    outcomes need a single choice (one bit), not 2^20 scenarios."""
    keys = [f"i{n}" for n in range(20)]
    score = WeightedSum(tuple((k, 1.0) for k in keys))
    outcome = Bands(score, ((5.0, "mid"), (15.0, "high")), "none")
    choices = _Choices(plan((outcome,)), dict.fromkeys(keys, Truth.UNKNOWN))
    categories = choices.categories(plan((outcome,)).roots[0])
    assert choices.size == 1
    assert categories == {"none": 1, "mid": 1, "high": 1}


def test_shared_sum_is_one_choice_for_its_bands_and_threshold() -> None:
    """EULAR/ACR's shape: the category's bands and the subgroup's threshold read one sum; a
    band and a threshold side that no single sum gives together are not combined."""
    score = WeightedSum((("a", 1.0), ("b", 2.0)))
    outcome = Bands(score, ((2.0, "mid"),), "none")
    subtype = Decide((("none", Not(Threshold(score, 1.0))),), "x")
    reached = reachable(plan((outcome, subtype)), {"a": Truth.UNKNOWN, "b": Truth.UNKNOWN})
    # sums 0, 1, 2, 3: (none, none) at 0, (none, x) at 1, (mid, x) at 2 and 3
    assert reached == {("none", "none"), ("none", "x"), ("mid", "x")}


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(definitions(), statuses, statuses)
def test_outcome_memo_gives_what_a_fresh_evaluation_gives(
    definition: Definition, first: dict[str, str], second: dict[str, str]
) -> None:
    """Regression (issue 13, the kernel's outcome memo): a result made from the memo — after
    other statuses, and for a copy with the other headline convention that shares the
    kernel — equals the one computed with the memo empty."""
    kernel = _kernel(definition)
    other = dataclasses.replace(
        definition,
        headline="kleene" if definition.headline == "unknown_as_absent" else "unknown_as_absent",
    )
    kernel.memo.clear()
    fresh = [evaluate(d, r, Context()) for d in (definition, other) for r in (first, second)]
    assert _kernel(other) is kernel
    for _ in range(2):  # the second round reads every result from the memo
        again = [evaluate(d, r, Context()) for d in (definition, other) for r in (first, second)]
        assert again == fresh
    assert fresh[0] == reference(definition, first)
    assert fresh[2] == reference(other, first)
