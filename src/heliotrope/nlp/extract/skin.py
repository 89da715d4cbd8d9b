"""Skin signs of dermatomyositis, and the other organ findings the criteria read.

Terms and patterns are in ``resources/nlp/lexicon.json`` (``findings``). The heliotrope rash
is read only from its name or from a purple/lilac/erythematous colour of the eyelids or a
periorbital rash (EULAR/ACR 2017 Table 1 definition); periorbital oedema alone is its own
finding and never implies the rash. Gottron's papules (palpable) and Gottron's sign (macules)
are kept apart because they carry different EULAR/ACR weights; "Gottron's lesions" with the
kind unsaid is recorded as a DM rash (Bohan & Peter C5 only).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from heliotrope.model.vocabulary import FindingCode, Status
from heliotrope.nlp.extract.base import Caseless, FindingMention, clause_bounds
from heliotrope.nlp.extract.lexicon import Hit, Matcher, lexicon, term_table

__all__ = ["SKIN_CODES", "extract", "extract_generic", "extract_organs"]

SKIN_CODES = frozenset(
    {
        FindingCode.heliotrope_rash,
        FindingCode.gottron_papules,
        FindingCode.gottron_sign,
        FindingCode.dm_rash,
        FindingCode.shawl_sign,
        FindingCode.v_sign,
        FindingCode.holster_sign,
        FindingCode.periungual_erythema,
        FindingCode.nailfold_capillary_changes,
        FindingCode.mechanics_hands,
        FindingCode.flagellate_erythema,
        FindingCode.photodistributed_erythema,
        FindingCode.periorbital_oedema,
        FindingCode.cutaneous_ulceration,
        FindingCode.calcinosis,
    }
)

_SITES = Caseless(
    r"\b(face|facial|forehead|chin|cheeks?|eyelids?|periorbital|scalp|neck|upper\s+chest|"
    r"chest|upper\s+back|back|shoulders?|arms|forearms|hands|fingers|knuckles|elbows|knees|"
    r"thighs|hips|legs|trunk)\b"
)
_GENERIC = Caseless(
    r"\b(?:rash(?:es)?|skin\s+(?:lesions?|changes|rash(?:es)?|findings|involvement|"
    r"abnormalit(?:y|ies)|signs)|cutaneous\s+(?:lesions?|signs|findings|involvement|"
    r"manifestations|changes))\b"
)
#: The DM skin signs a negated "no rash" rules out (EULAR/ACR items 7–9, Bohan & Peter C5).
GENERIC_RULED_OUT = (
    FindingCode.heliotrope_rash,
    FindingCode.gottron_papules,
    FindingCode.gottron_sign,
)


@cache
def _matcher(skin: bool) -> Matcher[FindingCode]:
    groups = {
        code: entry
        for code, entry in lexicon()["findings"].items()
        if (FindingCode(code) in SKIN_CODES) == skin
    }
    terms, patterns = term_table(groups)
    return Matcher(
        {t: FindingCode(c) for t, c in terms.items()},
        [(p, FindingCode(c), r) for p, c, r in patterns],
    )


def _distribution(text: str, start: int, end: int) -> str | None:
    """Body sites said of the finding: in a bracket right after it ("(upper chest, neck and
    arms)"), or in the phrase that follows or precedes it up to a comma or full stop."""
    lo, hi = clause_bounds(text, start, end)
    bracket = re.match(r"\s*(?:distribution\s*)?\(([^()]{1,80})\)", text[end:hi])
    if bracket:
        window = (end, end + bracket.end())
    else:
        after = re.search(r"[,;.]|\band\b|\bwith\b", text[end:hi])
        before = max(lo, start - 40)
        comma = text.rfind(",", before, start)
        window = (comma + 1 if comma >= 0 else before, end + (after.start() if after else hi - end))
    sites: list[str] = []
    for m in _SITES.finditer(text, None, *window):
        if start <= m.start() < end:
            continue  # the finding's own words ("periorbital oedema")
        site = " ".join(m.group(1).lower().split())
        if site not in sites:
            sites.append(site)
    return ", ".join(sites) or None


@lru_cache(maxsize=8)
def _signs(text: str) -> tuple[Hit[FindingCode], ...]:
    """The skin-sign hits of a sentence (asked by :func:`extract` and
    :func:`extract_generic` of the same sentence)."""
    return tuple(_matcher(True).find(text))


def extract(text: str) -> list[FindingMention]:
    """Skin signs named in ``text``."""
    return [
        FindingMention(
            start=hit.start,
            end=hit.end,
            extractor="skin.lexicon",
            code=hit.value,
            distribution=_distribution(text, hit.start, hit.end),
        )
        for hit in _signs(text)
    ]


def extract_generic(text: str) -> list[FindingMention]:
    """ "Rash" or "skin lesions" naming no sign (``skin.generic``): only a negated one counts,
    and then it means none of the DM skin signs ("there were no rashes or skin lesions")."""
    out: list[FindingMention] = []
    signs = [(h.start, h.end) for h in _signs(text)] if _GENERIC.search(text) else []
    for m in _GENERIC.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in signs):
            continue  # the "rash" of "heliotrope rash" names that sign, not every sign
        for code in GENERIC_RULED_OUT:
            out.append(
                FindingMention(start=m.start(), end=m.end(), extractor="skin.generic", code=code)
            )
    return out


# Swallowing said to be normal: dysphagia absent (EULAR/ACR 2017 item 10).
_SWALLOW_NORMAL = Caseless(
    r"\bswallow(?:ing)?\s+(?:is\s+|was\s+|has\s+been\s+|remains\s+)?(?:entirely\s+)?"
    r"(?:normal|intact|unremarkable|unaffected|unimpaired|safe)\b"
    r"|\bnormal\s+swallow(?:ing)?\b|\bswallows?\s+normally\b"
)


def extract_organs(text: str) -> list[FindingMention]:
    """Dysphagia, oesophageal dysmotility, respiratory weakness, ILD, Raynaud, arthritis,
    fever, myalgia and non-response to treatment; normal swallowing as dysphagia absent."""
    out = [
        FindingMention(start=hit.start, end=hit.end, extractor="organs.lexicon", code=hit.value)
        for hit in _matcher(False).find(text)
    ]
    if "swallow" in text.lower():
        out += [
            FindingMention(
                start=m.start(),
                end=m.end(),
                extractor="organs.normal_swallowing",
                code=FindingCode.dysphagia,
                status=Status.absent,
            )
            for m in _SWALLOW_NORMAL.finditer(text)
        ]
    return out
