"""The evaluator: headline convention, ranges, unknown effects, kleene headline."""

from __future__ import annotations

from typing import Any

from heliotrope.logic import (
    AtLeast,
    Citation,
    Context,
    Decide,
    Definition,
    ItemFinding,
    ItemSpec,
    ItemStatus,
    evaluate,
)

CITATION = Citation("Doe J", "A test rule", "J Test", 2020, "1:1")


def _spec(key: str) -> ItemSpec:
    return ItemSpec(key, key, key, lambda record, _ctx: ItemFinding(ItemStatus(record[key])))


def _definition(headline: Any = "unknown_as_absent") -> Definition:
    items = tuple(_spec(k) for k in ("a", "b", "c"))
    from heliotrope.logic import Item

    outcome = Decide(
        (
            ("definite", AtLeast(3, *(Item(k) for k in "abc"))),
            ("probable", AtLeast(2, *(Item(k) for k in "abc"))),
        ),
        otherwise="no",
    )
    return Definition(
        id="toy",
        version="toy.v1",
        title="Toy",
        citation=CITATION,
        summary="",
        items=items,
        outcome=outcome,
        categories=("no", "probable", "definite"),
        headline=headline,
    )


def test_headline_counts_unknown_as_absent_and_reports_the_range() -> None:
    result = evaluate(_definition(), {"a": "present", "b": "present", "c": "unknown"}, Context())
    assert result.category == "probable"
    assert result.unknown_items == ("c",)
    assert (result.worst, result.best) == ("probable", "definite")
    assert result.pivotal_items == ("c",)
    assert result.unknown_effects[0].if_present == "definite"
    assert any("counted as absent" in n for n in result.notes)


def test_no_unknowns_no_range() -> None:
    result = evaluate(_definition(), {"a": "present", "b": "absent", "c": "absent"}, Context())
    assert result.category == "no"
    assert result.best == result.worst == "no"
    assert result.unknown_effects == ()


def test_kleene_headline_says_unknown() -> None:
    result = evaluate(
        _definition("kleene"), {"a": "present", "b": "present", "c": "unknown"}, Context()
    )
    assert result.category == "unknown"


def test_many_unknowns_fall_back_to_extremes_and_single_flips() -> None:
    keys = [f"k{i}" for i in range(14)]
    from heliotrope.logic import Item

    definition = Definition(
        id="wide",
        version="wide.v1",
        title="Wide",
        citation=CITATION,
        summary="",
        items=tuple(_spec(k) for k in keys),
        outcome=Decide((("yes", AtLeast(1, *(Item(k) for k in keys))),), otherwise="no"),
        categories=("no", "yes"),
    )
    result = evaluate(definition, dict.fromkeys(keys, "unknown"), Context())
    assert result.category == "no"
    assert result.best == "yes"
    assert len(result.pivotal_items) == 14
