"""Findings the text puts down to another cause ("left shoulder abduction 3/5 owing to a
rotator cuff tear", "dysphagia due to oesophageal candidiasis").

The EULAR/ACR 2017 items read weakness, skin signs and dysphagia *of the myositis*
(Lundberg et al., Ann Rheum Dis 2017;76:1955–1964, Table 1 and its entry condition: no better
explanation for the symptoms); a finding the sentence attributes to something else is not
one of them (issue 8, part 2: "a mimic's findings attributed to another cause"). A cause that
is the myositis itself ("weakness due to myositis", "a flare of her dermatomyositis") or the
cancer behind it keeps the finding.
"""

from __future__ import annotations

from heliotrope.nlp.extract.base import Caseless, clause_bounds

__all__ = ["attributed_elsewhere"]

_CUE = Caseless(
    r"\b(?:attributed\s+to|attributable\s+to|owing\s+to|due\s+to|secondary\s+to|caused\s+by|"
    r"explained\s+by|because\s+of|as\s+a\s+result\s+of|resulting\s+from|related\s+to)\s+"
    r"(?P<cause>[^.;()]{3,80})"
)
_OURS = Caseless(
    r"myositis|myopath|dermatomyositis|\bdm\b|\bjdm\b|\bpm\b|\biim\b|inflammat|disease\s+"
    r"activity|flare|relapse|the\s+disease|paraneoplastic|weakness|muscle\s+involvement"
)
_WORDS = ("due to", "owing to", "attribut", "secondary to", "caused by", "explained by",
          "because of", "result", "related to")  # fmt: skip


def attributed_elsewhere(text: str, start: int, end: int) -> str | None:
    """The other cause the clause of [start, end) gives the finding, or None."""
    low = text.lower()
    if not any(word in low for word in _WORDS):
        return None
    lo, hi = clause_bounds(text, start, end)
    for m in _CUE.finditer(text, None, lo, hi):
        if m.start() >= max(end, start + 40) + 100:
            continue  # too far on to be said of this finding
        cause = " ".join(m.group("cause").split()).rstrip(" ,")
        if _OURS.search(cause):
            return None
        return cause
    return None
