"""The IMACS 2023 data file: closed schema, references checked on load, rules as data."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from heliotrope.errors import CriteriaError
from heliotrope.logic import Context, evaluate
from heliotrope.screening import imacs_definition, load_imacs_data
from heliotrope.screening.data import parse_imacs_data

from .imacs_helpers import with_factors


def _raw() -> dict[str, Any]:
    text = resources.files("heliotrope.resources").joinpath("imacs_2023.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def test_packaged_data_loads() -> None:
    data = load_imacs_data()
    assert data.id == "imacs_2023"
    assert data.version == "screening.imacs_2023.v1"
    assert data.rules.default in data.rules.variants
    assert set(data.schedules.variants) == {"table_literal", "fig1_recalled"}
    assert data.schedules.default == "table_literal"
    assert not any(v.confirmed for v in data.rules.variants.values())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(unexpected=1), "unexpected"),
        (lambda d: d["factors"][0].update(tier="very_high"), "tier"),
        (lambda d: d["factors"][3]["match"].update(antibodies=["anti_zzz"]), "antibodies"),
        (lambda d: d["rules"].update(default="nope"), "default rule"),
        (
            lambda d: d["modalities"]["pet_ct"]["tif1g_route"].update(qualifying_factor="x"),
            "PET-CT route",
        ),
        (lambda d: d["schedules"]["variants"]["table_literal"]["categories"].pop("high"), "high"),
        (lambda d: d["factors"].append(dict(d["factors"][0])), "used twice"),
    ],
)
def test_schema_rejects_bad_data(change: Any, message: str) -> None:
    data = _raw()
    change(data)
    with pytest.raises(CriteriaError) as info:
        parse_imacs_data(json.dumps(data))
    assert message in str(info.value)


def test_invalid_json_is_a_coded_error() -> None:
    with pytest.raises(CriteriaError, match="not valid JSON"):
        parse_imacs_data("{")


def test_rule_variants_are_data() -> None:
    raw = _raw()
    raw["rules"]["variants"]["strict"] = {
        "label": "high = >= 3 high-risk factors",
        "source": "test",
        "confirmed": False,
        "decisions": [{"category": "high", "any_of": [{"tier": "high", "at_least": 3}]}],
        "otherwise": "standard",
    }
    data = parse_imacs_data(json.dumps(raw))
    record, ctx = with_factors("subtype_dm", "anti_tif1g")
    default = evaluate(imacs_definition(data=data), record, ctx)
    strict = evaluate(imacs_definition("strict", data=data), record, ctx)
    assert default.category == "high"
    assert strict.category == "standard"
    assert strict.values["rule_variant"] == "strict"


def test_unknown_rule_variant() -> None:
    with pytest.raises(CriteriaError, match="eular_2024_hk_summary"):
        imacs_definition("nope")


def test_definition_shape() -> None:
    definition = imacs_definition()
    assert definition.id == "imacs_2023"
    assert definition.version == "screening.imacs_2023.v1"
    assert definition.kind == "risk"
    assert definition.categories == ("not_applicable", "standard", "moderate", "high")
    keys = [i.key for i in definition.items]
    assert keys[:3] == ["juvenile_onset", "outside_3_year_window", "known_active_cancer"]
    assert len(keys) == len(set(keys))
    assert "Fig. 1" in str(definition.citation)


def test_evaluate_directly_with_a_context() -> None:
    record, ctx = with_factors("dysphagia")
    result = evaluate(imacs_definition(), record, Context(options=ctx.options, as_of=ctx.as_of))
    assert result.category == "moderate"


@pytest.mark.parametrize("package", ["heliotrope.screening", "heliotrope.activity"])
def test_public_api_names_exist(package: str) -> None:
    import importlib

    module = importlib.import_module(package)
    assert sorted(module.__all__) == sorted(set(module.__all__))
    assert all(hasattr(module, name) for name in module.__all__)
