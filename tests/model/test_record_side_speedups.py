"""The record-side speed-ups of issue 13 change no value: shared field sets, dates walked through
``__dict__`` and resolved once, zero offsets, the readers' per-record index."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from heliotrope.criteria import readers
from heliotrope.io import load_record, parse_record
from heliotrope.model.consistency import dated
from heliotrope.model.dates import DateRange, Offset, RelativeDate, resolve_spec
from heliotrope.model.record import FACT_LISTS, Finding, PatientRecord
from heliotrope.model.resolution import dated_fields

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "golden"))

from record_strategy import case_files  # noqa: E402


def _walk_by_getattr(record: PatientRecord) -> list[tuple[str, str | None, Any]]:
    """The dated fields as the former walk listed them (getattr with defaults)."""
    out: list[tuple[str, str | None, Any]] = []
    m, d = record.myositis, record.demographics
    for path, name, spec in (
        ("myositis.onset", "myositis_onset", m.onset),
        ("myositis.diagnosis", "myositis_diagnosis", m.diagnosis),
        ("demographics.birth_date", "birth", d.birth_date),
        ("demographics.age_at", None, d.age_at),
    ):
        if spec is not None:
            out.append((path, name, spec))
    for path, entry in record.iter_facts():
        spec = getattr(entry, "date", None)
        name = getattr(entry, "id", None)
        if spec is not None:
            out.append((f"{path}.date", name, spec))
        for end in ("start", "stop"):
            end_spec = getattr(entry, end, None)
            if end_spec is not None:
                out.append((f"{path}.{end}", f"{name}.{end}" if name else None, end_spec))
        for index, change in enumerate(getattr(entry, "dose_changes", ())):
            if change.date is not None:
                out.append((f"{path}.dose_changes[{index}].date", None, change.date))
    return out


def _valid(data: dict[str, Any]) -> PatientRecord | None:
    try:
        return parse_record(data, "gen.yaml")
    except Exception:  # a generated record may be refused; only valid ones are compared
        return None


@settings(max_examples=60, deadline=None)
@given(case_files())
def test_dated_fields_and_dates_are_those_of_the_getattr_walk(data: dict[str, Any]) -> None:
    record = _valid(data)
    if record is None:
        return
    fields = list(dated_fields(record))
    assert fields == _walk_by_getattr(record)
    anchors = record.anchors
    assert dated(record) == [(p, resolve_spec(s, anchors)) for p, _n, s in fields]


@settings(max_examples=60, deadline=None)
@given(case_files())
def test_shared_field_sets_equal_the_fields_given(data: dict[str, Any]) -> None:
    record = _valid(data)
    if record is None:
        return
    given_only = record.model_dump(exclude_unset=True)
    again = PatientRecord.model_validate(given_only)
    assert again == record
    assert again.model_dump(exclude_unset=True) == given_only
    assert "id" in given_only and given_only.get("schema_version") is None
    for name in FACT_LISTS:
        for entry in getattr(record, name):
            assert entry.model_fields_set <= set(type(entry).model_fields)


def test_a_copy_with_an_update_does_not_touch_other_records_field_sets() -> None:
    first = parse_record({"id": "a", "findings": [{"code": "v_sign", "status": "present"}]})
    second = parse_record({"id": "b", "findings": [{"code": "v_sign", "status": "absent"}]})
    shared = first.findings[0].__pydantic_fields_set__
    assert shared is second.findings[0].__pydantic_fields_set__  # one object for both
    copy = first.findings[0].model_copy(update={"note": "added"})
    assert "note" in copy.model_fields_set
    assert "note" not in first.findings[0].model_fields_set
    assert "note" not in second.findings[0].model_fields_set
    assert isinstance(copy, Finding)


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
    st.integers(0, 400),
    st.sampled_from(["0 days", "+0 weeks", "-0 months", "0-0 years", "0 day"]),
)
def test_a_zero_offset_gives_its_anchors_range(start: date, days: int, offset: str) -> None:
    anchor = DateRange(start, date.fromordinal(start.toordinal() + days))
    spec = RelativeDate(anchor="x", offset=offset)
    zero = Offset(0.0, "day")
    assert resolve_spec(spec, {"x": anchor}) == anchor.shift(zero, zero) == anchor


def test_the_index_lists_entries_in_record_order_with_their_paths() -> None:
    record = load_record(ROOT / "examples" / "founding-case.yaml")
    index = readers.record_index(record)
    assert index.findings == [(f"findings[{i}]", f) for i, f in enumerate(record.findings)]
    for code, pairs in index.findings_by_code.items():
        assert pairs == [(p, f) for p, f in index.findings if f.code == code]
    assert index.labs == [(f"labs[{i}]", e) for i, e in enumerate(record.labs)]
    assert index.codes == {f.code for f in record.findings}
    grades = [
        (f"{name}[{i}].grades[{j}]", g)
        for name in ("findings", "activity")
        for i, e in enumerate(getattr(record, name))
        for j, g in enumerate(e.grades)
    ]
    assert index.grades == grades
