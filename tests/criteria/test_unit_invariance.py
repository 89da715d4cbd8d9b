"""Converting lab units never changes a classification (spec §10)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from heliotrope.api import assess
from heliotrope.io import parse_record

from .helpers import founding_case


def _in_microkatal(data: dict[str, object]) -> dict[str, object]:
    labs = []
    for lab in data["labs"]:  # type: ignore[attr-defined]
        lab = dict(lab)
        if lab["unit"] == "U/L":
            lab["value"] = lab["value"] / 60
            lab["unit"] = "µkat/L"
            if "range" in lab:
                lab["range"] = {k: v / 60 for k, v in lab["range"].items() if v is not None}
        labs.append(lab)
    return {**data, "labs": labs}


def _categories(record: object) -> dict[str, tuple[str, object, object]]:
    results = assess(record).results  # type: ignore[arg-type]
    return {
        k: (r.category, r.values.get("score"), r.values.get("subtype")) for k, r in results.items()
    }


def test_founding_case_in_microkatal_gives_the_same_results() -> None:
    record = founding_case()
    data = record.model_dump(mode="json", exclude_none=True)
    converted = parse_record(_in_microkatal(data))
    assert converted.labs[3].unit == "µkat/L"
    assert _categories(converted) == _categories(record)


@settings(max_examples=30)
@given(st.floats(min_value=10, max_value=20000), st.floats(min_value=20, max_value=400))
def test_any_ck_in_either_unit_gives_the_same_results(ck: float, uln: float) -> None:
    base = {
        "id": "p",
        "demographics": {"age_years": 50},
        "findings": [{"code": "heliotrope_rash", "status": "present"}],
        "labs": [{"analyte": "ck", "value": ck, "unit": "U/L", "range": {"high": uln}}],
    }
    assert _categories(parse_record(base)) == _categories(parse_record(_in_microkatal(base)))
