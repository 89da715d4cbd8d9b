"""Investigations: EMG, muscle MRI, skin and muscle biopsy, echocardiogram.

For each investigation named in a sentence: was it performed ("was not performed, given the
potential risk of ..." -> ``performed=False`` with the reason; "underwent", "showed" ->
``True``; otherwise unknown), and which findings of its kind the sentence reports (EMG
myopathic/neuropathic, MRI muscle oedema, biopsy features of EULAR/ACR items 13–16 and
Bohan & Peter C4). Each finding keeps its own span so that ConText can negate it alone
("... no perifascicular atrophy").

An MRI counts only when the sentence is about muscle (thigh, femur, muscles, myositis...):
a brain or hand MRI is not a myositis investigation. A sentence that names no investigation
but continues the previous one ("Immunohistological examination showed necrotic fibres")
gives its findings to that investigation (``carried=True``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from heliotrope.model.vocabulary import InvestigationFinding, InvestigationKind, Status
from heliotrope.nlp.extract.base import (
    Caseless,
    InvestigationMention,
    clause_bounds,
    contains_any,
)
from heliotrope.nlp.extract.lexicon import (
    Hit,
    Matcher,
    lexicon,
    requirement,
    resolve_overlaps,
    term_table,
)

__all__ = ["extract", "self_contradicting"]

K = InvestigationKind


@cache
def _kinds() -> Matcher[InvestigationKind]:
    data = lexicon()["investigations"]
    terms = {t: K(kind) for kind, forms in data["kinds"].items() for t in forms}
    patterns = [
        (p, K(kind), requirement(data[f"{kind}_pattern_requires"]))
        for kind in ("muscle_biopsy", "skin_biopsy")
        for p in data[f"{kind}_patterns"]
    ]
    return Matcher(terms, patterns)


@cache
def _findings(kind: InvestigationKind) -> Matcher[InvestigationFinding]:
    table = lexicon()["investigations"]["findings"].get(kind.value, {})
    terms, patterns = term_table(table)
    return Matcher(
        {t: InvestigationFinding(c) for t, c in terms.items()},
        [(p, InvestigationFinding(c), r) for p, c, r in patterns],
    )


@dataclass(frozen=True)
class _Group:
    """Status patterns, searched only when one of their required words is in the clause."""

    regex: Caseless
    requires: tuple[str, ...]

    def search(self, clause: str, low: str) -> re.Match[str] | None:
        if self.requires and not contains_any(low, self.requires):
            return None
        return self.regex.search(clause, low)


def _group(entry: dict[str, list[str]]) -> _Group:
    return _Group(Caseless("|".join(entry["patterns"])), tuple(entry.get("pattern_requires", ())))


@cache
def _status_patterns() -> tuple[_Group, _Group, Caseless]:
    data = lexicon()["investigations"]
    not_done = _group(data["not_performed"])
    done = _group(data["performed"])
    cues = sorted(data["not_performed"]["reason_cues"], key=len, reverse=True)
    reason = Caseless(
        r"[\s,;]*\b(?:"
        + "|".join(r"\s+".join(map(re.escape, c.lower().split())) for c in cues)
        + r")\b\s+(?P<r>[^.;]+)"
    )
    return not_done, done, reason


@cache
def _mri_context() -> re.Pattern[str]:
    words = lexicon()["investigations"]["mri_muscle_context"]
    return re.compile(
        r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b",
        re.IGNORECASE,
    )


@cache
def _followers() -> re.Pattern[str]:
    words = lexicon()["investigations"]["histology_followers"]
    return re.compile(
        r"^\W*(?:(?:the|on|an?|further|in\s+addition,?|additionally,?)\s+)?(?:"
        + "|".join(r"\s+".join(map(re.escape, w.split())) for w in words)
        + r")\b",
        re.IGNORECASE,
    )


def _clean_reason(text: str) -> str:
    text = re.sub(r"\s*\((?:fig|figure|table)[^)]*\)", "", text, flags=re.IGNORECASE)
    return " ".join(text.split()).strip(" ,")


def _merge_kinds(text: str, hits: list[Hit[InvestigationKind]]) -> list[Hit[InvestigationKind]]:
    """Drop an abbreviation in brackets after the same investigation ("electromyography (EMG)")."""
    out: list[Hit[InvestigationKind]] = []
    for hit in hits:
        if (
            out
            and out[-1].value is hit.value
            and re.fullmatch(r"[^.;()]{0,40}\(\s*", text[out[-1].end : hit.start])
        ):
            last = out[-1]
            # through the closing bracket when there is one (never past the text: issue 12)
            end = hit.end + 1 if text[hit.end : hit.end + 1] == ")" else hit.end
            out[-1] = Hit(last.start, end, last.value, text[last.start : end])
            continue
        out.append(hit)
    return out


_NON = re.compile(r"\bnon[-\s]?$", re.IGNORECASE)
#: Findings only a muscle biopsy reports: a sentence naming one right after a biopsy
#: continues it ("No rimmed vacuoles." after the biopsy's sentence).
_BIOPSY_ONLY = frozenset(
    {
        InvestigationFinding.perifascicular_atrophy,
        InvestigationFinding.rimmed_vacuoles,
        InvestigationFinding.endomysial_infiltrate,
        InvestigationFinding.perimysial_perivascular_infiltrate,
        InvestigationFinding.perifascicular_mxa,
    }
)


_BARE_BIOPSY = Caseless(r"\bbiops(?:y|ies)\b")


def _bare_muscle_biopsy(text: str) -> list[Hit[InvestigationKind]]:
    """ "Biopsy demonstrated rimmed vacuoles": a biopsy named without its tissue is the muscle's
    when the sentence reports a finding only a muscle biopsy reports (:data:`_BIOPSY_ONLY`)."""
    m = _BARE_BIOPSY.search(text)
    if m is None:
        return []
    if not any(h.value in _BIOPSY_ONLY for h in _findings(K.muscle_biopsy).finditer(text)):
        return []
    return [Hit(m.start(), m.end(), K.muscle_biopsy, m.group())]


def _by_value(
    hits: Iterable[Hit[InvestigationFinding]], text: str = ""
) -> list[Hit[InvestigationFinding]]:
    """Overlaps are resolved per finding only: "inflammatory infiltrates in the perimysium"
    is both an inflammatory myopathy and a perimysial infiltrate. A finding written with
    "non-" ("invasion of non-necrotic fibres") is not that finding."""
    groups: dict[InvestigationFinding, list[Hit[InvestigationFinding]]] = {}
    for hit in hits:
        if text and _NON.search(text, max(0, hit.start - 4), hit.start):
            continue
        groups.setdefault(hit.value, []).append(hit)
    return sorted((h for g in groups.values() for h in resolve_overlaps(g)), key=lambda h: h.start)


def _status(text: str, lo: int, hi: int) -> tuple[bool | None, str | None]:
    not_done, done, reason = _status_patterns()
    clause = text[lo:hi]
    low = clause.lower()
    negative = not_done.search(clause, low)
    positive = done.search(clause, low)
    performed: bool | None = None
    cue_end = 0
    if negative:
        performed, cue_end = False, negative.end()
    elif positive:
        performed, cue_end = True, positive.end()
    if performed is None:
        return None, None
    why = reason.search(clause, low, cue_end)
    if why is None and negative is not None:
        # "Given the risk of bleeding, a muscle biopsy was not performed."
        before = reason.match(clause, low, 0, negative.start())
        if before is not None:
            said = clause[before.start("r") : before.end("r")]
            return performed, _clean_reason(said.split(",")[0])
    return performed, (_clean_reason(clause[why.start("r") : why.end("r")]) if why else None)


def self_contradicting(performed: bool | None, reason: str | None) -> bool:
    """A "performed" statement whose own reason is a reason not to perform it
    ("performed due to high risk for metastatic spread")."""
    if performed is not True or not reason:
        return False
    words = lexicon()["investigations"]["contradicting_reasons"]
    low = reason.lower()
    return any(w in low for w in words)


def extract(text: str, previous: InvestigationKind | None = None) -> list[InvestigationMention]:
    """Investigations named in ``text``; ``previous`` is the investigation of the sentence
    before (for a sentence that only continues it)."""
    hits = _merge_kinds(text, _kinds().find(text))
    if hits and any(h.value is K.mri for h in hits) and not _mri_context().search(text):
        hits = [h for h in hits if h.value is not K.mri]
    if not hits and "biops" in text.lower():
        hits = _bare_muscle_biopsy(text)
    if not hits:
        if previous is not None and (_followers().match(text) or previous is K.muscle_biopsy):
            found = _by_value(_findings(previous).finditer(text), text)
            if not _followers().match(text):
                found = [h for h in found if h.value in _BIOPSY_ONLY]
            if found:
                return [
                    InvestigationMention(
                        start=found[0].start,
                        end=found[-1].end,
                        extractor="investigations.carried",
                        kind=previous,
                        performed=True,
                        findings=tuple((h.value, Status.present, h.start, h.end) for h in found),
                        carried=True,
                    )
                ]
        return []
    out: list[InvestigationMention] = []
    for index, hit in enumerate(hits):
        lo, hi = clause_bounds(text, hit.start, hit.end)
        # findings between this investigation and the next one named in the sentence
        seg_lo = hits[index - 1].end if index > 0 else 0
        seg_hi = hits[index + 1].start if index + 1 < len(hits) else len(text)
        lo_status = max(lo, seg_lo)
        hi_status = min(hi, seg_hi)
        performed, reason = _status(text, lo_status, hi_status)
        found = [
            h
            for h in _by_value(_findings(hit.value).finditer(text), text)
            if seg_lo <= h.start < seg_hi
        ]
        if found and performed is None:
            performed = True  # a result was reported
        if performed is False:
            found = []
        out.append(
            InvestigationMention(
                start=hit.start,
                end=hit.end,
                extractor="investigations.lexicon",
                kind=hit.value,
                performed=performed,
                findings=tuple((h.value, Status.present, h.start, h.end) for h in found),
                reason=reason,
                summary=_clean_reason(text[hit.start : hi_status])[:200] or None,
            )
        )
    return out
