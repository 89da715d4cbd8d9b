"""Sources made by the loader without validation (issue 13) equal validated ones."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from heliotrope.io import load_record
from heliotrope.io.casefile import file_source
from heliotrope.model.provenance import Source

ROOT = Path(__file__).resolve().parents[2]


@given(st.text(max_size=30), st.text(max_size=30))
def test_file_source_equals_the_validated_source(document: str, field: str) -> None:
    made, validated = file_source(document, field), Source(document=document, field=field)
    assert made == validated
    assert made.__dict__ == validated.__dict__
    assert made.model_fields_set == validated.model_fields_set
    assert made.model_dump_json() == validated.model_dump_json()
    assert made.where() == validated.where()


def test_every_fact_of_a_loaded_file_names_its_file_and_field() -> None:
    path = ROOT / "examples" / "founding-case.yaml"
    record = load_record(path)
    for where, entry in record.iter_facts():
        assert entry.source == Source(document=str(path), field=where)
