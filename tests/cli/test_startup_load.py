"""The load path (issue 13): an unchanged case file is not parsed and validated again, a changed
one is; every date of a record is resolved once and read back by lookup, equal to resolving it
afresh."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from heliotrope.errors import RecordValidationError
from heliotrope.io import load_record
from heliotrope.model.dates import resolve_spec
from heliotrope.model.record import PatientRecord
from heliotrope.model.resolution import dated_fields

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "examples" / "founding-case.yaml"


def test_unchanged_file_gives_the_same_record_and_a_changed_one_a_new_record(
    tmp_path: Path,
) -> None:
    path = tmp_path / "case.yaml"
    shutil.copy(CASE, path)
    first = load_record(path)
    assert load_record(path) is first
    path.write_text(path.read_text(encoding="utf-8").replace("age_years: 43", "age_years: 44"))
    changed = load_record(path)
    assert changed is not first
    assert changed.demographics.age_years == 44
    assert first.demographics.age_years == 43


def test_a_file_made_invalid_is_reported_not_served_from_memory(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    shutil.copy(CASE, path)
    load_record(path)
    path.write_text(path.read_text(encoding="utf-8").replace("id: founding-case", "id: 9bad"))
    with pytest.raises(RecordValidationError):
        load_record(path)


def test_every_date_is_looked_up_equal_to_resolving_it_afresh() -> None:
    record = load_record(CASE)
    fields = list(dated_fields(record))
    assert len(fields) > 20
    for _path, _name, spec in fields:
        assert record.date_of(spec) == resolve_spec(spec, record.anchors)


def test_a_copy_with_a_new_date_resolves_the_new_date() -> None:
    """A specification the record did not validate is resolved, never confused by identity."""
    record = load_record(CASE)
    copy = record.model_copy(
        update={"myositis": record.myositis.model_copy(update={"onset": "2019-05"})}
    )
    onset = copy.date_of(copy.myositis.onset)
    assert onset is not None
    assert (onset.earliest.isoformat(), onset.latest.isoformat()) == ("2019-05-01", "2019-05-31")


def test_dated_fields_of_a_copy_are_the_copys() -> None:
    record = load_record(CASE)
    copy = record.model_copy(
        update={"myositis": record.myositis.model_copy(update={"onset": "2019-05"})}
    )
    onsets = [spec for path, _n, spec in dated_fields(copy) if path == "myositis.onset"]
    assert onsets == ["2019-05"]
    assert [s for p, _n, s in dated_fields(record) if p == "myositis.onset"] != ["2019-05"]


def test_records_equal_field_by_field_stay_equal() -> None:
    """Regression: the resolved-date cache is keyed by object ids; it must not make two equal
    records (a case file and its round trip) compare unequal."""
    data = load_record(CASE).model_dump(mode="json")
    first = PatientRecord.model_validate(data)
    again = PatientRecord.model_validate(data)
    assert again is not first
    assert again == first
    assert again.date_of(again.myositis.onset) == first.date_of(first.myositis.onset)
