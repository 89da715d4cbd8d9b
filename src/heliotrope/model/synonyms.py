"""Synonym tables (``resources/synonyms.json``), loaded once with importlib.resources."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files

from heliotrope.model.vocabulary import AntibodyName

__all__ = ["antibody_surface_forms", "canonical_antibody", "load_synonyms"]

_FOLD = re.compile(r"[\s\-_.]+")


@cache
def load_synonyms() -> dict[str, dict[str, list[str]]]:
    """``resources/synonyms.json`` (loaded once)."""
    text = files("heliotrope.resources").joinpath("synonyms.json").read_text(encoding="utf-8")
    data: dict[str, dict[str, list[str]]] = json.loads(text)
    data.pop("$comment", None)
    return data


def _fold(text: str) -> str:
    folded = _FOLD.sub("", text.lower())
    if folded.startswith("anti") and len(folded) > 4:
        folded = folded[4:]
    return folded.replace("gamma", "γ").replace("tif1g", "tif1γ")


@cache
def _antibody_index() -> dict[str, AntibodyName]:
    index: dict[str, AntibodyName] = {}
    for key, forms in load_synonyms()["antibodies"].items():
        name = AntibodyName(key)
        index[_fold(key)] = name
        for form in forms:
            index[_fold(form)] = name
    return index


def canonical_antibody(text: str) -> AntibodyName | None:
    """``"TIF1-γ"``, ``"anti-p155/140"``, ``"anti_tif1g"`` → ``AntibodyName.anti_tif1g``."""
    return _antibody_index().get(_fold(text))


def antibody_surface_forms() -> dict[AntibodyName, list[str]]:
    """Every written form of each antibody (for text matching)."""
    return {AntibodyName(k): v for k, v in load_synonyms()["antibodies"].items()}
