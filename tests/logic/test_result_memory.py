"""Kept results hold little of their own (issue 13: memory per kept assessment): slotted
frozen results, copies that share, contents shared across patients without changing a value."""

from __future__ import annotations

import copy
import dataclasses
import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heliotrope.api import Assessment, assess
from heliotrope.io import load_record
from heliotrope.logic import CriterionResult, ItemResult, ItemStatus
from heliotrope.logic.evaluate import _shared_dict, _typed
from heliotrope.logic.result import shared
from heliotrope.model.record import PatientRecord

CASE = Path(__file__).resolve().parents[2] / "examples" / "founding-case.yaml"


@pytest.fixture(scope="module")
def founding() -> Assessment:
    return assess(load_record(CASE))


def test_results_are_slotted_and_frozen(founding: Assessment) -> None:
    for obj in (founding, *founding.results.values(), *founding.results["eular_acr_2017"].items):
        assert not hasattr(obj, "__dict__"), type(obj).__name__
        with pytest.raises(dataclasses.FrozenInstanceError):
            obj.category = "changed"  # type: ignore[attr-defined]
        with pytest.raises(dataclasses.FrozenInstanceError):
            del obj.category  # type: ignore[attr-defined]


def test_model_copy_applies_the_update_and_keeps_the_original(founding: Assessment) -> None:
    result = founding.results["eular_acr_2017"]
    copied = result.model_copy(update={"category": "changed", "notes": ("a note",)})
    assert (copied.category, copied.notes) == ("changed", ("a note",))
    assert result.category != "changed"
    assert copied.items is result.items
    assert copied.trace == result.trace  # the trace source travels with the copy
    deep = result.model_copy(deep=True)
    assert deep == result and deep.values is not result.values


def test_copies_and_json_round_trip(founding: Assessment) -> None:
    for result in founding.results.values():
        assert copy.copy(result) == result
        assert copy.copy(result).to_json(trace=True) == result.to_json(trace=True)
    item = founding.results["eular_acr_2017"].items[0]
    assert pickle.loads(pickle.dumps(item)) == item
    assert json.loads(json.dumps(founding.to_json(trace=True)))["patient_id"] == founding.patient_id


def test_item_json_fields_equal_the_generic_dump(founding: Assessment) -> None:
    for result in founding.results.values():
        for item in result.items:
            dumped = item.model_dump(mode="json", exclude={"key"}, exclude_none=True)
            assert item.json_fields() == dumped
            assert isinstance(dumped["status"], str) and not isinstance(
                dumped["status"], ItemStatus
            )


def test_model_dump_python_mode_keeps_types(founding: Assessment) -> None:
    item = founding.results["eular_acr_2017"].items[0]
    dumped = item.model_dump()
    assert dumped["status"] is item.status
    assert isinstance(dumped["evidence"], tuple)


def test_two_patients_with_the_same_facts_share_their_results_contents() -> None:
    data = load_record(CASE).model_dump(mode="json")
    first = assess(PatientRecord.model_validate(data))
    second = assess(PatientRecord.model_validate(data))
    assert first.to_json(trace=True) == second.to_json(trace=True) | {
        "assessed_on": first.assessed_on.isoformat()
    }
    for key, result in first.results.items():
        other = second.results[key]
        assert result.possible_outcomes is other.possible_outcomes
        assert result.notes is other.notes and result.caveats is other.caveats
        assert result.unknown_effects is other.unknown_effects
        if _typed(result.value_ranges) is not None:
            assert result.value_ranges is other.value_ranges


@pytest.mark.parametrize(
    ("first", "second"),
    [({"n": 1}, {"n": 1.0}), ({"n": True}, {"n": 1}), ({"r": (0, 1)}, {"r": (0.0, 1.0)})],
)
def test_regression_shared_dicts_keep_the_value_types(
    first: dict[str, Any], second: dict[str, Any]
) -> None:
    """``1``, ``1.0`` and ``True`` are equal in Python but print differently in JSON."""
    assert json.dumps(_shared_dict(first)) == json.dumps(first)
    assert json.dumps(_shared_dict(second)) == json.dumps(second)


def test_dicts_with_lists_are_never_shared() -> None:
    values = {"flags": [1, 2]}
    assert _shared_dict(values) is values
    assert _shared_dict({"flags": [1, 2]}) is not values


_SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.floats(-3, 3), st.sampled_from(["a", "b"])
)


@given(st.dictionaries(st.sampled_from(["x", "y", "z"]), _SCALAR | st.tuples(_SCALAR, _SCALAR)))
def test_shared_dicts_equal_their_input_value_by_value_and_type(values: dict[str, Any]) -> None:
    made = _shared_dict(dict(values))
    assert list(made) == list(values)
    for name, value in values.items():
        assert repr(made[name]) == repr(value)


@given(st.lists(st.text(max_size=5), max_size=4))
def test_shared_text_tuples_are_equal_and_one_object(texts: list[str]) -> None:
    first, second = shared(tuple(texts)), shared(tuple("".join(t) for t in texts))
    assert first == tuple(texts) and first is second


def test_item_result_built_by_its_constructor_equals_the_kernels(founding: Assessment) -> None:
    item = founding.results["bohan_peter_1975"].items[0]
    fields = {f.name: getattr(item, f.name) for f in dataclasses.fields(ItemResult)}
    assert ItemResult(**fields) == item
    assert hash(ItemResult(**fields)) == hash(item)
    assert isinstance(founding.results["bohan_peter_1975"], CriterionResult)
