"""Autoantibody results, including lists ("negative for ENA, dsDNA, anti-CCP").

Names come from ``resources/synonyms.json`` (the record's own normalisation) plus the
lexicon's extra written forms; short names (``ANA``, ``Ku``) match only as written. A result
word is given to an antibody by, in order:

1. an adjective right before it ("weakly positive ANA", "a positive anti-TIF1γ result");
2. a "<result> for <list>" phrase that the antibody is part of ("positive for SAE1 and MDA5");
3. the nearest result word after it in its clause ("anti-Jo1 and anti-Mi2 ... negative");
4. the nearest result word before it in its clause ("tests were negative, including ANA").

Clauses end at ";", "but", "whilst", "however"... A clause with a result but no name that
starts without a subject ("... but was positive on HEp-2 cells") speaks of the previous
clause's antibodies. When one antibody gets both a positive and a negative result in one
sentence (different methods), the positive one is kept, with its method.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from heliotrope.model.synonyms import canonical_antibody
from heliotrope.model.vocabulary import AntibodyName, AntibodyResult
from heliotrope.nlp.extract.base import AntibodyMention, Caseless, clause_bounds
from heliotrope.nlp.extract.lexicon import Hit, Matcher, antibody_forms, lexicon, resolve_overlaps

__all__ = ["extract"]

_ANTI = Caseless(r"\banti[-\s]?(?P<name>[a-z0-9][\w/γ]*(?:-[\w/γ]+)*)")
_ANTI_BEFORE = re.compile(r"anti[-\s]?$", re.IGNORECASE)
_TITRE = re.compile(r"\b1\s*:\s*\d{2,5}\b")
_METHOD = Caseless(
    r"\b(?:by|on|using|with)\s+(?P<m>(?:indirect\s+)?immunofluorescence|hep-?2(?:\s+cells)?|"
    r"human\s+epithelial\s+cell\s+type\s+2(?:\s+cells)?|elisa|line\s*blot|immunoblot(?:ting)?|"
    r"immunoprecipitation|euroline)|\((?P<p>immunoblotting|elisa|line\s*blot|iif|ifa)\)"
)
_LIST_GLUE = re.compile(
    r"^(?:[\s,/()]|and|or|anti|antibod(?:y|ies)|autoantibod(?:y|ies)|abs?|the|both|[-γ])*$",
    re.IGNORECASE,
)
_ADJECTIVE_GAP = re.compile(
    r"^\s*(?:(?:for|to)\b.*|(?:\w+\s+){0,2}?)$",
    re.IGNORECASE,
)
_SUBJECTLESS = re.compile(r"^[\s,]*(?:however,?\s*)?(?:it\s+)?(?:was|were|is|are|tested|turned)\b")
# A result written as a sign right after the name, as notes and tables do: "anti-Jo-1+",
# "TIF1-γ Ab +", "Mi-2 +ve", "MDA5 pos", "Jo-1 Ab: -ve".
_SIGN_AFTER = Caseless(
    r"\s*(?:\(?\s*(?:abs?|antibod(?:y|ies)|igg)\s*\)?)?\s*:?\s*(?:(?P<pos>\+\s*ve\b|\+(?![\w+])|pos\b)|"
    r"(?P<neg>-\s*ve\b|neg\b|[-–−](?=\s*(?:[,;.)]|$))))"
)
# An antibody naming the patient's serotype beside the diagnosis: "Dermatomyositis (Mi-2)",
# "anti-Mi-2 DM", "MDA5 dermatomyositis", "Jo-1 antisynthetase syndrome": positive.
_DISEASE = (
    r"(?:dermatomyositis|dm|jdm|myositis|antisynthetase\s+syndrome|anti-synthetase\s+syndrome|"
    r"ass|imnm|necrotising\s+myopathy|necrotizing\s+myopathy)"
)
_DISEASE_BEFORE = Caseless(rf"\b{_DISEASE}\s*\(\s*(?:anti[-\s]?)?$")
_DISEASE_AFTER = Caseless(
    rf"\s*(?:\+|-?positive|antibody[-\s]positive)?\s*(?:associated\s+)?{_DISEASE}\b"
)
_NOT_THE_PATIENTS = Caseless(
    r"\b(?:differential|consider\w*|exclude\w*|rule\s+out|ruled\s+out|possib\w*|suspect\w*|"
    r"unlikely|whether|if\b|cohort|patients\s+with|series|literature|reported)"
)
_CLOSE_AFTER = Caseless(r"\s*(?:\+|positive)?\s*\)")
_RESULT_ORDER = {
    AntibodyResult.positive: 3,
    AntibodyResult.weak: 2,
    AntibodyResult.negative: 1,
    AntibodyResult.not_tested: 0,
}


@cache
def _names() -> tuple[Matcher[AntibodyName], dict[str, AntibodyName]]:
    forms = antibody_forms()
    exact = {
        form: AntibodyName(canonical_antibody(form) or form)
        for form in lexicon()["antibodies"]["case_sensitive"]
        if canonical_antibody(form) is not None
    }
    return Matcher(forms, plural=False, case_sensitive=exact), exact


@cache
def _results() -> Matcher[AntibodyResult]:
    table = lexicon()["antibodies"]["results"]
    terms = {t: AntibodyResult(k) for k, forms in table.items() for t in forms}
    return Matcher(terms, plural=False)


@dataclass
class _Name:
    start: int
    end: int
    name: AntibodyName


def _find_names(text: str) -> list[_Name]:
    matcher, _ = _names()
    hits: list[Hit[AntibodyName]] = list(matcher.finditer(text))
    for m in _ANTI.finditer(text) if "anti" in text.lower() else ():
        name = canonical_antibody(text[m.start("name") : m.end("name")])
        if name is not None:
            hits.append(Hit(m.start(), m.end(), name, text[m.start() : m.end()]))
    kept = resolve_overlaps(hits)
    out: list[_Name] = []
    for hit in kept:
        start = hit.start
        prefix = _ANTI_BEFORE.search(text, max(0, start - 6), start)
        if prefix:
            start = prefix.start()
        # "transcription intermediary factor-1 gamma (TIF1γ)": the abbreviation is the same name
        if (
            out
            and out[-1].name is hit.value
            and re.fullmatch(r"\s*\(\s*", text[out[-1].end : start])
        ):
            out[-1].end = max(out[-1].end, hit.end)
            continue
        out.append(_Name(start, hit.end, hit.value))
    return out


def _choose(
    text: str, name: _Name, cues: list[Hit[AntibodyResult]], lo: int, hi: int
) -> Hit[AntibodyResult] | None:
    inside = [c for c in cues if lo <= c.start and c.end <= hi]
    before = [c for c in inside if c.end <= name.start]
    after = [c for c in inside if c.start >= name.end]
    if before:
        last = before[-1]
        gap = text[last.end : name.start]
        if re.fullmatch(r"\s*(?:\w+\s+){0,2}?", gap) and "," not in gap:
            return last  # "weakly positive ANA"
        glue = re.match(r"\s*(?:for|to|against)\b(.*)$", gap, re.IGNORECASE | re.DOTALL)
        if glue and _LIST_GLUE.match(_strip_names(text, last.end, name.start)):
            return last  # "negative for ENA, dsDNA, anti-CCP"
    if after:
        return after[0]
    if before:
        return before[-1]
    return None


def _strip_names(text: str, start: int, end: int) -> str:
    """The gap with antibody names and "for" removed (to test that it is only a list)."""
    gap = text[start:end]
    gap = re.sub(r"^\s*(?:for|to|against)\b", " ", gap, flags=re.IGNORECASE)
    for found in _find_names(gap):
        gap = gap[: found.start] + " " * (found.end - found.start) + gap[found.end :]
    return gap


def _method(text: str, m: re.Match[str] | None) -> str | None:
    """The method named, as written."""
    if m is None:
        return None
    group = "m" if m.group("m") is not None else "p"
    return text[m.start(group) : m.end(group)]


def extract(text: str) -> list[AntibodyMention]:
    """Antibody tests named in ``text`` with their results (None when no result is said)."""
    names = _find_names(text)
    if not names:
        return []
    cues = _results().find(text)
    results: dict[int, list[tuple[AntibodyResult, int]]] = {}
    clauses: list[tuple[int, int]] = []
    for index, name in enumerate(names):
        lo, hi = clause_bounds(text, name.start, name.end)
        clauses.append((lo, hi))
        cue = _choose(text, name, cues, lo, hi)
        if cue is not None:
            results.setdefault(index, []).append((cue.value, cue.end))
    # A subjectless clause ("... but was positive on HEp-2 cells") speaks of the last names.
    for cue in cues:
        lo, hi = clause_bounds(text, cue.start, cue.end)
        if not _SUBJECTLESS.match(text[lo:]):
            continue
        first_name = next((n.start for n in names if lo <= n.start < hi), hi)
        if cue.end > first_name:
            continue
        previous = [i for i, (a, b) in enumerate(clauses) if b <= lo]
        if previous:
            last_clause = clauses[previous[-1]]
            for i in previous:
                if clauses[i] == last_clause:
                    results.setdefault(i, []).append((cue.value, cue.end))
    out: list[AntibodyMention] = []
    for index, name in enumerate(names):
        found = results.get(index, [])
        result: AntibodyResult | None = None
        cue_end = name.end
        if found:
            result, cue_end = max(found, key=lambda rc: _RESULT_ORDER[rc[0]])
        if result is None:
            result = _written_result(text, name)
        lo, hi = clauses[index]
        window_end = min(hi, max(cue_end, name.end) + 60)
        titre = _TITRE.search(text, name.start, window_end)
        method = _METHOD.search(text, None, max(name.end, cue_end - 40), window_end)
        # a titre belongs to this name only if no other name sits between them
        if titre and any(name.end <= n.start < titre.start() for n in names):
            titre = None
        out.append(
            AntibodyMention(
                start=name.start,
                end=name.end,
                extractor="antibodies.lexicon",
                name=name.name,
                result=result,
                titre=titre.group().replace(" ", "") if titre else None,
                method=_method(text, method),
            )
        )
    return out


def _written_result(text: str, name: _Name) -> AntibodyResult | None:
    """A result written as a sign after the name, or the name given as the patient's serotype
    beside the diagnosis (see :data:`_SIGN_AFTER`, :data:`_DISEASE_AFTER`)."""
    sign = _SIGN_AFTER.match(text, None, name.end)
    if sign is not None:
        return AntibodyResult.positive if sign.group("pos") else AntibodyResult.negative
    if _NOT_THE_PATIENTS.search(text):
        return None  # "anti-Jo-1 antisynthetase syndrome as a differential"
    before = _DISEASE_BEFORE.search(text, None, max(0, name.start - 40), name.start)
    if before is not None and _CLOSE_AFTER.match(text, None, name.end):
        return AntibodyResult.positive
    if _DISEASE_AFTER.match(text, None, name.end):
        return AntibodyResult.positive
    return None
