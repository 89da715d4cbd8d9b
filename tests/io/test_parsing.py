"""Case-file parsing under hostile input (issue 12): each refusal is coded and says where."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heliotrope.errors import CaseFileLimitError, RecordFileError
from heliotrope.io.parsing import check_shape, parse_json, parse_yaml
from heliotrope.limits import MAX_CASE_NESTING, MAX_CASE_NODES, MAX_INTEGER_DIGITS

YAML_REFUSED = [
    # (what, text, error class, words the message must hold)
    ("Feb 30", "id: x\nd: 2019-02-30\n", RecordFileError, ["'2019-02-30'", "line 2", "calendar"]),
    ("month 13", "id: x\nd: 2019-13-01\n", RecordFileError, ["month must be in 1..12"]),
    ("day 0", "id: x\nd: 2019-01-00\n", RecordFileError, ["not a calendar date"]),
    ("year 0", "id: x\nd: 0000-01-01\n", RecordFileError, ["year 0 is out of range"]),
    (
        "duplicate key",
        "id: x\nid: y\n",
        RecordFileError,
        ["'id' appears twice", "line 1", "line 2"],
    ),
    (
        "duplicate nested key",
        "id: x\nlabs:\n  - analyte: ck\n    analyte: alt\n",
        RecordFileError,
        ["'analyte' appears twice", "line 3", "line 4"],
    ),
    (
        "5,000 digits",
        "id: x\nn: " + "9" * 5000 + "\n",
        CaseFileLimitError,
        ["5000 digits", "line 2"],
    ),
    ("recursive alias", "id: x\nn: &a [*a]\n", RecordFileError, ["refers to itself", "n[0]"]),
    (
        "nesting",
        "id: x\nn: " + "[" * (MAX_CASE_NESTING + 5) + "]" * (MAX_CASE_NESTING + 5) + "\n",
        CaseFileLimitError,
        ["nested deeper"],
    ),
    ("libyaml depth", "n: " + "[" * 5000 + "]" * 5000, RecordFileError, ["nesting depth"]),
]


@pytest.mark.parametrize(
    ("what", "text", "error", "words"), YAML_REFUSED, ids=[r[0] for r in YAML_REFUSED]
)
def test_yaml_refusals_are_coded_and_located(
    what: str, text: str, error: type[Exception], words: list[str]
) -> None:
    with pytest.raises(error) as caught:
        parse_yaml(text, "case.yaml")
    message = str(caught.value)
    assert "case.yaml" in message
    for word in words:
        assert word in message, (what, message)


def _laughs(levels: int, width: int = 10) -> str:
    lines = ['l0: &l0 "lol"']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*l{level - 1}"] * width)
        lines.append(f"l{level}: &l{level} [{refs}]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_quickly() -> None:
    with pytest.raises(CaseFileLimitError, match="alias bomb"):
        parse_yaml(_laughs(9), "bomb.yaml")


def test_a_few_honest_aliases_are_fine() -> None:
    data = parse_yaml(_laughs(3), "ok.yaml")
    assert len(data["l3"]) == 10 and data["l3"][0][0][0] == "lol"


def test_merge_keys_are_not_duplicates() -> None:
    data = parse_yaml("base: &b {unit: U/L}\nlab:\n  <<: *b\n  unit: IU/L\n", "m.yaml")
    assert data["lab"] == {"unit": "IU/L"}


JSON_REFUSED = [
    ("NaN", '{"v": NaN}', RecordFileError, ["NaN is not a JSON number"]),
    ("Infinity", '{"v": -Infinity}', RecordFileError, ["-Infinity"]),
    ("duplicate key", '{"id": "a", "id": "b"}', RecordFileError, ["'id' appears twice"]),
    ("digits", '{"v": ' + "1" * 4000 + "}", CaseFileLimitError, ["4000 digits"]),
    ("deep", '{"v": ' + "[" * 5000 + "]" * 5000 + "}", CaseFileLimitError, ["line 1", "nested"]),
    ("broken", '{"v": [1, 2', RecordFileError, ["not valid JSON", "line 1"]),
]


@pytest.mark.parametrize(
    ("what", "text", "error", "words"), JSON_REFUSED, ids=[r[0] for r in JSON_REFUSED]
)
def test_json_refusals_are_coded_and_located(
    what: str, text: str, error: type[Exception], words: list[str]
) -> None:
    with pytest.raises(error) as caught:
        parse_json(text, "case.json")
    for word in words:
        assert word in str(caught.value), (what, str(caught.value))


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    text = '{"notes": "' + "[" * 1000 + '", "x": [1, [2]]}'
    assert parse_json(text, "ok.json")["x"] == [1, [2]]


def test_the_integer_limit_is_inclusive() -> None:
    assert parse_json('{"v": ' + "9" * MAX_INTEGER_DIGITS + "}", "ok.json")["v"] > 0


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=40,
)


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


@given(_json)
def test_check_shape_accepts_every_small_tree(data: Any) -> None:
    assert _depth(data) < MAX_CASE_NESTING
    check_shape(data, "any")  # never raises on a tree within the limits


@given(st.integers(min_value=MAX_CASE_NESTING + 1, max_value=MAX_CASE_NESTING + 300))
def test_check_shape_refuses_every_depth_over_the_limit(depth: int) -> None:
    data: Any = 1
    for _ in range(depth):
        data = [data]
    with pytest.raises(CaseFileLimitError, match="nested deeper"):
        check_shape(data, "deep")


def test_check_shape_counts_shared_values_once_per_use() -> None:
    leaf = list(range(1000))
    wide = [leaf] * 1000  # 10^6 values when expanded, one list in memory
    with pytest.raises(CaseFileLimitError):
        check_shape({"a": [wide, wide]}, "bomb")
    check_shape({"a": [leaf] * 10}, "fine")
    assert MAX_CASE_NODES >= 1_000_000


def test_a_case_file_with_ten_thousand_labs_is_within_the_limits(tmp_path: Path) -> None:
    labs = "".join(
        f"  - {{analyte: ck, value: {i}, unit: U/L, date: 2019-01-01}}\n" for i in range(10_000)
    )
    data = parse_yaml("id: many\nlabs:\n" + labs, "many.yaml")
    assert len(data["labs"]) == 10_000
