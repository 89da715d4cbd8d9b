"""``parse_json`` measures nesting after parsing (issue 13) and answers as the scan-first order
did: too deep wins over every other refusal, with the line and column of the first level."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from heliotrope.errors import HeliotropeError
from heliotrope.io import parsing
from heliotrope.io.parsing import parse_json
from heliotrope.limits import MAX_CASE_NESTING


def _outcome(text: str) -> Any:
    try:
        return parse_json(text, "case.json")
    except HeliotropeError as exc:
        return ("refused", type(exc).__name__, str(exc))


def _scan_first(text: str) -> Any:
    """The former order: the bracket scan, then the parse, then the shape check."""
    where = parsing._json_depth_position(text)
    if where is not None:
        return ("refused", "CaseFileLimitError", str(parsing._too_deep("case.json", where)))
    try:
        data = json.loads(
            text,
            object_pairs_hook=parsing._pairs,
            parse_constant=parsing._constant,
            parse_int=parsing._integer,
        )
    except Exception as exc:  # worded by the module's own function
        try:
            parsing._json_refusal(exc, "case.json")
        except HeliotropeError as coded:
            return ("refused", type(coded).__name__, str(coded))
    parsing.check_shape(data, "case.json")
    return data


@st.composite
def _nested(draw: st.DrawFn) -> str:
    depth = draw(st.integers(0, MAX_CASE_NESTING + 6))
    inner = draw(st.sampled_from(["1", '"x"', "[]", "{}", "NaN", "1" * 40, '{"a": 1, "a": 2}']))
    opener = draw(st.sampled_from(["[", '{"k": ']))
    closer = "]" if opener == "[" else "}"
    text = opener * depth + inner + closer * depth
    if draw(st.booleans()):  # break it somewhere
        cut = draw(st.integers(0, len(text)))
        text = text[:cut]
    return text


@settings(max_examples=300, deadline=None)
@given(_nested())
def test_parse_json_answers_as_the_scan_first_order(text: str) -> None:
    assert _outcome(text) == _scan_first(text)


def test_brackets_in_strings_still_do_not_count() -> None:
    text = '{"a": "' + "[" * 200 + '"}'
    assert parse_json(text, "ok.json") == {"a": "[" * 200}
