"""Findings the text puts down to another cause ("left shoulder abduction 3/5 owing to a
rotator cuff tear", "dysphagia due to oesophageal candidiasis").

The EULAR/ACR 2017 items read weakness, skin signs and dysphagia *of the myositis*
(Lundberg et al., Ann Rheum Dis 2017;76:1955–1964, Table 1 and its entry condition: no better
explanation for the symptoms); a finding the sentence attributes to something else is not
one of them (issue 8, part 2: "a mimic's findings attributed to another cause"). A cause that
is the myositis itself ("weakness due to myositis", "a flare of her dermatomyositis") or the
cancer behind it keeps the finding.

A sentence that tells of an episode years before, since resolved ("she had dermatomyositis
15 years ago, with a heliotrope rash, which resolved completely") describes a previous
episode: its findings are not those of the presentation (issue 8: "a past episode of DM years
before an unrelated presentation"). Both marks are needed: a rash that "resolved after IVIG"
is the current episode's.
"""

from __future__ import annotations

from heliotrope.nlp.extract.base import Caseless, clause_bounds

__all__ = ["attributed_elsewhere", "previous_episode"]

_CUE = Caseless(
    r"\b(?:attributed\s+to|attributable\s+to|put\s+down\s+to|owing\s+to|due\s+to|secondary\s+to|caused\s+by|"
    r"explained\s+by|because\s+of|as\s+a\s+result\s+of|resulting\s+from|related\s+to)\s+"
    r"(?P<cause>[^.;()]{3,80})"
)
_OURS = Caseless(
    r"myositis|myopath|dermatomyositis|\bdm\b|\bjdm\b|\bpm\b|\biim\b|inflammat|disease\s+"
    r"activity|flare|relapse|the\s+disease|paraneoplastic|weakness|muscle\s+involvement"
)
# A named mimic wins over the myositis words it contains ("hypothyroid myopathy", "statin
# myopathy", "steroid myopathy" are other causes).
_MIMIC = Caseless(
    r"hypothyroid|thyroid|statin|steroid|glucocorticoid|alcohol|toxic|metabolic|mitochondri|"
    r"critical\s+illness|dystroph|radiculopath|neuropath|myelopath|stroke|infarct|osteoarthrit|"
    r"rotator\s+cuff|fracture|deconditioning|disuse|myasthen|motor\s+neuron|parkinson|"
    r"hypokal|electrolyte|rhabdo|exercise|drug-induced|drug\s+induced"
)
_WORDS = ("due to", "owing to", "attribut", "put down to", "secondary to", "caused by",
          "explained by", "because of", "result", "related to")  # fmt: skip


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
        if _OURS.search(cause) and not _MIMIC.search(cause):
            return None
        return cause
    return None


_YEARS_BEFORE = Caseless(
    r"\b(?:\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|many|several|some)\s+years?\s+"
    r"(?:ago|earlier|previously|before|prior)\b|\bdecades?\s+ago\b|\bin\s+(?:her|his|their)\s+"
    r"(?:twenties|thirties|forties|fifties|childhood|youth)\b"
)
_RESOLVED = Caseless(
    r"\b(?:resolved|remission|remitted|recovered|off\s+(?:all\s+)?treatment|no\s+further\s+"
    r"(?:episodes|relapses)|never\s+recurred|did\s+not\s+recur)\b"
)


_YEAR = Caseless(r"\b(?:19|20)\d\d\b")
_LASTING_REMISSION = Caseless(
    r"\b(?:remission|remitted|off\s+(?:all\s+)?treatment|treatment\s+was\s+(?:stopped|withdrawn)|"
    r"never\s+recurred|did\s+not\s+recur)\b"
)


_CAME_BACK = Caseless(r"\b(?:relaps\w*|flare\w*|recurr\w*|returned|came\s+back|reactivat\w*)")


def previous_episode(text: str) -> bool:
    """Does the sentence tell of an episode years before, since resolved? ("15 years ago ...
    resolved"; or two calendar years at least two apart with a remission: "dermatomyositis in
    2009 ... in remission by 2011")."""
    low = text.lower()
    spans_years = "year" in low or "decade" in low or "childhood" in low
    if spans_years and _YEARS_BEFORE.search(text) and _RESOLVED.search(text):
        return True
    if "19" not in low and "20" not in low:
        return False
    years = sorted({int(m.group()) for m in _YEAR.finditer(text)})
    if len(years) < 2 or years[-1] - years[0] < 2 or not _LASTING_REMISSION.search(text):
        return False
    return not _CAME_BACK.search(text)  # "... in remission by 2020; she relapsed in 2023 with ..."
