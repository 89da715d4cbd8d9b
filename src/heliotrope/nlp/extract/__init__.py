"""Clinical text -> typed mentions, one small module per fact family.

:func:`extract_sentence` runs every family over one sentence and returns mentions with
offsets relative to it. Families: :mod:`.skin` (skin signs, other organ findings),
:mod:`.muscle` (weakness, distribution, MRC grades), :mod:`.labs`, :mod:`.antibodies`,
:mod:`.investigations`, :mod:`.cancer`, :mod:`.treatments`, :mod:`.demographics` and
:mod:`.temporal`. Surface forms are data in ``resources/nlp/lexicon.json``.

Speed: a family runs only when its gate is open (:func:`families`: one scan of every family's
keys); :class:`DocumentGates` finds the gates of every sentence of a document with one scan
per stretch of text read. A gate only needs to be permissive (``benchmarks/extraction.py``
checks on real texts, ``tests/nlp/test_gates.py`` on written ones, that no family that would
find something is ever skipped). Inside the families, cheap substring tests come before
regexes, and case-insensitive regexes run case-sensitively over the lower-cased sentence
(:class:`~heliotrope.nlp.extract.base.Caseless`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from typing import Any, Literal

from heliotrope.model.vocabulary import FindingCode, InvestigationKind
from heliotrope.nlp.extract import (
    antibodies,
    attribution,
    cancer,
    demographics,
    investigations,
    labs,
    muscle,
    skin,
    temporal,
    treatments,
)
from heliotrope.nlp.extract import lexicon as _lexicon
from heliotrope.nlp.extract.base import (
    AntibodyMention,
    CancerMention,
    DemographicMention,
    FindingMention,
    GradeMention,
    InvestigationMention,
    LabMention,
    Mention,
    TimeMention,
    TreatmentMention,
)
from heliotrope.nlp.extract.lexicon import literal_trie as _trie_regex_literal

__all__ = [
    "AntibodyMention",
    "CancerMention",
    "DemographicMention",
    "DocumentGates",
    "FindingMention",
    "GradeMention",
    "InvestigationMention",
    "LabMention",
    "Mention",
    "TimeMention",
    "TreatmentMention",
    "extract_sentence",
    "families",
]


# Gates: a family runs only when one of its keys is in the sentence (its own matchers then
# decide). All keys are scanned at once with one prefix-factored (trie) regex over the
# lower-cased sentence, at every position (keys may overlap); a key written "=ck" must be a
# whole word. Keys only need to be permissive: a family that runs and finds nothing costs
# time, not accuracy. Treatments are gated by their drugs' names (lexicon.json), dates by
# their time words and by a year.
_GATES: dict[str, tuple[str, ...]] = {
    "skin": (
        "rash", "erythem", "heliotrop", "gottron", "shawl", "=sign", "=signs", "papul", "macul",
        "=v", "periungual", "nail", "capillar", "cuticl", "mechanic", "flagellat", "photo",
        "=sun", "sun-", "orbital", "eyelid", "=lids", "=lid", "palpebral", "ulcer", "necros",
        "calcino", "calcific", "violaceous", "purpl", "lilac", "holster", "skin", "cutaneous",
        "patch", "plaque",
    ),
    "organs": (
        "dysphag", "swallow", "motil", "oesophag", "esophag", "pharyn", "respirat", "breath",
        "diaphragm", "interstitial", "=ild", "fibros", "pneumon", "raynaud", "arthrit",
        "synovit", "arthropath", "fever", "febrile", "pyrex", "myalg", "muscle pain",
        "muscle ache", "muscle tender", "refractory", "unresponsive", "resistant", "respond",
        "response to", "chok", "regurgit", "cough", "sticking", "sticks", "stuck", "solid",
        "tablet", "thin liquid",
    ),
    "muscle": (
        "weak", "power", "strength", "pares", "force", "difficult", "/5", "/ 5", "of 5",
        "head", "proximal", "distal", "grade", "flexor", "extensor", "unable", "stairs",
        "myasthen", "climb", "rising", "flexion", "extension", "abduction", "dorsiflex",
        "struggl", "trouble", "hard to", "cannot", "can't", "can not", "could not",
        "couldn't", "problem", "need help", "needs help", "impossib", "inabil", "=prox", "gower",
        "waddl", "trendelenburg", "cmas", "mmt", "no longer", "banister", "bannister", "rail",
    ),
    "labs": (
        "kinase", "=ck", "=cpk", "=ldh", "=alt", "=ast", "=esr", "=crp", "=wbc", "=wcc", "=hb",
        "=hgb", "=plt", "=sgot", "=sgpt", "dehydrogenase", "transaminase", "aminotransferase",
        "aldolase", "sediment", "reactive", "white", "leuc", "leuk", "haemo", "hemo",
        "platelet", "creatinine", "myoglobin", "troponin", "ferritin", "enzyme", "hyperck",
        "hypercpk",
    ),
    "antibodies": (
        "anti", "positiv", "negativ", "titre", "titer", "detect", "serolog", "panel", "tested",
        "equivocal", "borderline", "=ana", "=ena", "jo-1", "jo1", "mi-2", "mi2", "mda5",
        "mda-5", "tif1", "tif-1", "nxp", "=sae", "sae1", "srp", "hmgcr", "pl-7", "pl7", "pl-12",
        "pl12", "=ej", "=oj", "ro52", "ro-52",
    ),
    "investigations": (
        "emg", "electromyo", "=mri", "magnetic", "mr imaging", "biops", "stir", "echocardio",
        "histolog", "histopatholog", "vacuol", "perifascicular", "endomysi", "perimysi",
        "perivascular", "physiolog",
    ),
    "cancer": (
        "sarcoma", "carcinom", "cancer", "malignan", "tumour", "tumor", "neoplasm", "neoplasia",
        "lymphoma",
        "melanoma", "leuk", "myeloma", "mesothelioma", "seminoma", "thymoma", "sclc", "=hcc",
        "=lms",
    ),
    "demographics": (
        "year", "aged", "=age", "=yr", "=yrs", "y/o", "=yo", "y.o", "=mr", "=mrs", "=ms",
        "=miss", "=master", "=mx", "onset", "yo ", "yo,", "yo.", "ties", "=dob", "d.o.b",
        "birth", "=born", "date", "=seen", "dictated",
        *(f"{d}{x}{p}" for d in "0123456789" for x in "fm" for p in " ,"),
    ),
    "temporal": (
        "day", "week", "month", "year", "later", "earlier", "ago", "history", "diagnos",
        "preceded", "predated", "end", "complet",
    ),
}  # fmt: skip
_YEAR = re.compile(r"(?:19|20)\d\d")


def _antibody_keys() -> tuple[str, ...]:
    """Every antibody name opens the antibodies gate, with a result word or not:
    "Dermatomyositis (Mi-2)" names the antibody found (before, only "anti", "positive" and
    the like opened it, and a disease name followed by its antibody in brackets lost it).

    A hyphen in a name may be written as a space or left out ("Mi-2", "Mi 2", "Mi2"): each
    way is keyed. A key of three letters or fewer ("mi", "scl", "ana") must be a whole word
    where the name has one there, else it would open the gate on "similar" or "muscle"; of
    a key beyond Latin-1 ("mi2α") its longest Latin-1 part is a key ("mi2", inside a word).
    """
    forms = [*_lexicon.antibody_forms(), *_lexicon.lexicon()["antibodies"]["case_sensitive"]]
    keys: set[str] = set()
    for form in forms:
        for written in _hyphen_variants(form.lower()):
            key = _lexicon.required_literal(written)
            wide = re.search(r"[^\x00-\xff]|\?", key)
            if wide is not None:  # "mi2α": "mi2", inside a word
                key = max(re.split(r"[^\x00-\xff]|\?", key), key=len)
            if not key:
                continue
            at = written.find(key)
            before = written[at - 1 : at]
            after = written[at + len(key) : at + len(key) + 1]
            whole = wide is None and at >= 0
            whole = whole and not (before.isalnum() or after.isalnum() or "'" in before + after)
            keys.add(f"={key}" if len(key) <= 3 and whole else key)
    return tuple(sorted(keys))


def _hyphen_variants(form: str) -> list[str]:
    """``form`` with each hyphen kept, written as a space or left out."""
    out = [""]
    for part in form.split("-")[1:]:
        out = [w + glue for w in out for glue in ("-", " ", "")]
        out = [w + part for w in out]
    head = form.split("-")[0]
    return [head + w for w in out] if "-" in form else [form]


def _bounded_trie(keys: Iterable[str], whole: frozenset[str]) -> str:
    """:func:`~.lexicon.literal_trie` of ``keys`` in which a key of ``whole`` matches only
    as a whole word of the scanned text (no letter or digit either side): "ro", "v", "mi"
    are not matched inside "problem", "over", "similar" only to be discarded."""
    trie: dict[str, Any] = {}
    for key in keys:
        node = trie
        for ch in key:
            node = node.setdefault(re.escape(ch), {})
        node[""] = key

    def build(node: dict[str, Any]) -> str:
        branches = [piece + build(child) for piece, child in node.items() if piece]
        key = node.get("")
        end = "" if key is None or key not in whole else rf"(?<![^\W_]{re.escape(key)})(?![^\W_])"
        if not branches:
            return end
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if key is None:
            return body
        return f"(?:{body}|{end})" if end else f"(?:{body})?"

    return build(trie)


@dataclass(frozen=True)
class _Gate:
    regex: re.Pattern[str]
    # ``regex`` with the whole-word keys matched only as whole words of the scanned text
    bounded: re.Pattern[str]
    families: dict[str, frozenset[str]]  # key -> families
    whole_word: frozenset[str]
    # The scan does not overlap: for each key, the (offset, key) of the keys inside it
    # (offset 0: the shorter keys it starts with), and, by the character that follows it,
    # those of the keys that start inside it and run on past its end.
    inside: dict[str, tuple[tuple[int, str], ...]]
    straddle: dict[str, dict[str, tuple[tuple[int, str], ...]]]
    narrow: bool  # every key is Latin-1 without "?"


@cache
def _gate() -> _Gate:
    table: dict[str, set[str]] = {}
    whole: set[str] = set()
    gates = dict(_GATES)
    drugs = treatments.gate_keys()
    gates["treatments"] = tuple(drugs) if drugs is not None else ()
    gates["antibodies"] += _antibody_keys()
    plain: set[str] = set()
    for family, keys in gates.items():
        for key in keys:
            word = key.removeprefix("=")
            (whole if key.startswith("=") else plain).add(word)
            table.setdefault(word, set()).add(family)
    whole -= plain  # a key also given as a plain substring is one
    inside = {
        key: tuple(
            (offset, other)
            for offset in range(len(key))
            for other in table
            if (offset or other != key) and key.startswith(other, offset)
        )
        for key in table
    }
    straddle: dict[str, dict[str, tuple[tuple[int, str], ...]]] = {}
    for key in table:
        by_next: dict[str, list[tuple[int, str]]] = {}
        for offset in range(1, len(key)):
            tail = key[offset:]
            for other in table:
                if len(other) > len(tail) and other.startswith(tail):
                    by_next.setdefault(other[len(tail)], []).append((offset, other))
        straddle[key] = {c: tuple(v) for c, v in by_next.items()}
    regex = re.compile(_trie_regex_literal(sorted(table)))
    bounded = re.compile(_bounded_trie(sorted(table), frozenset(whole)))
    families = {k: frozenset(v) for k, v in table.items()}
    narrow = all(c <= "\xff" and c != "?" for k in table for c in k)
    return _Gate(regex, bounded, families, frozenset(whole), inside, straddle, narrow)


def _keys(
    low: str, start: int = 0, end: int | None = None, *, bounded: bool = False
) -> list[tuple[int, str]]:
    """(position, key) of the longest key at every position of ``low[start:end]`` where one
    starts (and of the shorter keys there): one scan, plus the keys inside each match.
    ``bounded``: a whole-word key is found only where no letter or digit of ``low`` touches
    it (see :meth:`DocumentGates.of` for the sentences this may not do for)."""
    gate = _gate()
    inside, straddle = gate.inside, gate.straddle
    size = len(low)
    found: list[tuple[int, str]] = []
    append = found.append
    regex = gate.bounded if bounded else gate.regex
    for m in regex.finditer(low, start, size if end is None else end):
        at, stop = m.span()
        key = m.group()
        append((at, key))
        within = inside[key]
        if within:
            found += [(at + offset, other) for offset, other in within]
        across = straddle[key]
        if across and stop < size:
            for offset, other in across.get(low[stop], ()):
                if low.startswith(other, at + offset):
                    append((at + offset, other))
    return found


def _families_of(low: str, keys: Iterable[tuple[int, str]], start: int, end: int) -> set[str]:
    """The families of the keys lying in ``low[start:end]`` (a whole-word key must not touch
    a letter or digit inside that stretch)."""
    gate = _gate()
    found: set[str] = set()
    for at, key in keys:
        stop = at + len(key)
        if at < start or stop > end:
            continue
        if key in gate.whole_word and (
            (at > start and low[at - 1].isalnum()) or (stop < end and low[stop].isalnum())
        ):
            continue
        found |= gate.families[key]
    return found


def families(low: str) -> set[str]:
    """The families whose keys are in the lower-cased sentence ``low`` ("treatments" and
    "temporal" included)."""
    found = _families_of(low, _keys(low), 0, len(low))
    if "temporal" not in found and _YEAR.search(low):
        found.add("temporal")
    return found


class DocumentGates:
    """:func:`families` for every sentence of a document from one scan of the stretches
    read (a sentence is a ``(start, end)`` span of ``text``)."""

    def __init__(self, text: str, stretches: Iterable[tuple[int, int]]) -> None:
        low = text.lower()
        self._low = low if len(low) == len(text) else None  # else: sentence by sentence
        self._keys: list[tuple[int, str]] = []
        self._years: list[int] = []
        if self._low is None:
            return
        # Python's regexes scan Latin-1 text several times faster than wider text: a
        # character beyond Latin-1 (a dash, a curly quote, γ), which no key holds, is scanned
        # as "?", which no key holds either; offsets stay those of the text.
        narrow = low.encode("latin-1", "replace").decode("latin-1") if _gate().narrow else low
        self._narrow = narrow
        for start, end in stretches:
            piece = narrow[start:end]
            self._keys += [(start + at, key) for at, key in _keys(piece, bounded=True)]
            self._years += [start + m.start() for m in _YEAR.finditer(piece)]
        self._keys.sort()
        self._starts = [at for at, _ in self._keys]
        self._years.sort()

    def of(self, start: int, end: int) -> set[str] | None:
        """The families of ``text[start:end]``; None when the document was not scanned."""
        low = self._low
        if low is None:
            return None
        if (start > 0 and low[start - 1].isalnum()) or (end < len(low) and low[end].isalnum()):
            # A letter or digit touches the sentence: a whole-word key at its edge counts
            # (the test is relative to the sentence) though the document scan left it out.
            piece = self._narrow[start:end]
            keys = [(start + at, key) for at, key in _keys(piece)]
        else:
            first = bisect.bisect_left(self._starts, start)
            last = bisect.bisect_left(self._starts, end)
            keys = self._keys[first:last]
        found = _families_of(low, keys, start, end)
        if "temporal" not in found:
            k = bisect.bisect_left(self._years, start)
            if k < len(self._years) and self._years[k] + 4 <= end:
                found.add("temporal")
        return found


def extract_sentence(
    text: str,
    previous: InvestigationKind | None = None,
    *,
    times: bool | Literal["preceded"] = True,
    gates: set[str] | None = None,
) -> list[Mention]:
    """Every mention in one sentence (offsets relative to ``text``), in text order.

    ``previous`` is the investigation the sentence before was about (see
    :func:`heliotrope.nlp.extract.investigations.extract`); ``times`` whether to read dates
    and intervals (``"preceded"``: only "X preceded Y by N months"); ``gates`` the
    :func:`families` of ``text`` when the caller knows them (see :class:`DocumentGates`).
    """
    if gates is None:
        gates = families(text.lower())
    found: list[Mention] = []
    if "skin" in gates:
        found += skin.extract(text)
        found += skin.extract_generic(text)
    if "organs" in gates:
        found += skin.extract_organs(text)
    if "muscle" in gates:
        found += muscle.extract(text)
    if "labs" in gates:
        found += labs.extract(text)
    if "antibodies" in gates:
        found += antibodies.extract(text)
    if previous is not None or "investigations" in gates:
        found += investigations.extract(text, previous)
    if "cancer" in gates:
        found += cancer.extract(text)
    if "treatments" in gates:
        found += treatments.extract(text)
    if "demographics" in gates:
        found += demographics.extract(text)
    if times and "temporal" in gates:
        found += temporal.extract(text, preceded_only=times == "preceded")
    if found and ("muscle" in gates or "skin" in gates or "organs" in gates):
        past = attribution.previous_episode(text)
        found = [_attribution(text, m, past) for m in found]
    found.sort(key=lambda m: (m.start, m.end))
    return found


#: The findings that must be of the myositis to count (see :mod:`.attribution`).
_ATTRIBUTABLE = frozenset(
    {
        FindingCode.weakness_proximal_upper,
        FindingCode.weakness_proximal_lower,
        FindingCode.weakness_neck_flexors,
        FindingCode.weakness_distal,
        FindingCode.heliotrope_rash,
        FindingCode.gottron_papules,
        FindingCode.gottron_sign,
        FindingCode.dysphagia,
    }
)


def _attribution(text: str, m: Mention, past: bool) -> Mention:
    if not isinstance(m, FindingMention) or m.code not in _ATTRIBUTABLE or m.status is not None:
        return m
    if past:
        return replace(m, note="from a previous episode, years before and since resolved")
    cause = attribution.attributed_elsewhere(text, m.start, m.end)
    if cause is None:
        return m
    return replace(m, note=f"attributed to {cause}")
