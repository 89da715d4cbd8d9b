"""Concept sets as data (``resources/omop/concept_sets.yaml``) and their resolution against a CDM.

Each set names codes by vocabulary and code, so the site's own concept ids are used: a code is
looked up in CONCEPT, and a set marked ``descendants`` also takes every descendant from
CONCEPT_ANCESTOR (OMOP CDM v5.4 vocabulary tables). Heliotrope's local vocabulary
(``Heliotrope``) has deterministic ids from 2,000,000,000 up, the OMOP range for local concepts.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = [
    "LOCAL_VOCABULARY",
    "Code",
    "ConceptSet",
    "concept_sets",
    "local_concept_id",
    "resolve",
]

LOCAL_VOCABULARY = "Heliotrope"
LOCAL_BASE = 2_000_000_000


@dataclass(frozen=True)
class Code:
    """One code of a concept set."""

    vocabulary: str
    code: str
    name: str
    concept_id: int | None = None
    descendants: bool = False

    @property
    def default_id(self) -> int:
        """The OMOP id named in the file, or the local id of a Heliotrope code."""
        if self.concept_id is not None:
            return self.concept_id
        return local_concept_id(self.vocabulary, self.code)


@dataclass(frozen=True)
class ConceptSet:
    name: str
    description: str
    domain: str
    codes: tuple[Code, ...]


def local_concept_id(vocabulary: str, code: str) -> int:
    """A stable id in the local range for a code without a known OMOP id."""
    return LOCAL_BASE + zlib.crc32(f"{vocabulary}|{code}".encode()) % 100_000_000


@cache
def concept_sets() -> Mapping[str, ConceptSet]:
    """Every concept set shipped with heliotrope, by name."""
    text = resources.files("heliotrope.resources").joinpath("omop/concept_sets.yaml").read_text()
    data: dict[str, Any] = yaml.safe_load(text)
    out = {}
    for name, entry in data.items():
        codes = tuple(
            Code(
                vocabulary=str(c["vocabulary"]),
                code=str(c["code"]),
                name=str(c["name"]),
                concept_id=c.get("concept_id"),
                descendants=bool(c.get("descendants", False)),
            )
            for c in entry["codes"]
        )
        out[name] = ConceptSet(name, str(entry.get("description", "")), entry["domain"], codes)
    return out


Query = Callable[[str], Sequence[tuple[Any, ...]]]


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def resolve(query: Query | None, names: Sequence[str] | None = None) -> dict[str, tuple[int, ...]]:
    """Concept ids of each set, looked up through ``query`` (an engine's SQL runner over the CDM
    vocabulary tables); without vocabulary tables (``query`` None or failing), the ids the file
    names."""
    sets = concept_sets()
    chosen = [sets[n] for n in (names or list(sets))]
    found: dict[tuple[str, str], int] = {}
    ancestors: dict[int, set[int]] = {}
    if query is not None:
        pairs = {(c.vocabulary, c.code) for s in chosen for c in s.codes}
        where = " OR ".join(
            f"(vocabulary_id = {_quote(v)} AND concept_code = {_quote(c)})" for v, c in pairs
        )
        try:
            rows = query(
                f"SELECT vocabulary_id, concept_code, concept_id FROM concept WHERE {where}"
            )
        except Exception:  # no vocabulary tables: use the ids the file names
            rows = []
        found = {(str(v), str(c)): int(i) for v, c, i in rows}
        roots = {
            found.get((c.vocabulary, c.code), c.default_id)
            for s in chosen
            for c in s.codes
            if c.descendants
        }
        if roots:
            listed = ", ".join(str(r) for r in sorted(roots))
            try:
                pairs_rows = query(
                    "SELECT ancestor_concept_id, descendant_concept_id FROM concept_ancestor "
                    f"WHERE ancestor_concept_id IN ({listed})"
                )
            except Exception:
                pairs_rows = []
            for ancestor, descendant in pairs_rows:
                ancestors.setdefault(int(ancestor), set()).add(int(descendant))
    out: dict[str, tuple[int, ...]] = {}
    for concept_set in chosen:
        ids: set[int] = set()
        for code in concept_set.codes:
            concept_id = found.get((code.vocabulary, code.code), code.default_id)
            ids.add(concept_id)
            if code.descendants:
                ids |= ancestors.get(concept_id, set())
        out[concept_set.name] = tuple(sorted(ids))
    return out
