"""Muscle weakness: where it is, and MRC grades ("3–4/5", "grade 2/5 for hip flexion").

Rules (each clause of a sentence is read on its own; clauses end at ``;``, "but", "while"...):

- A weakness cue ("weakness", "reduced power", "strength ... decreased") or a grade below 5
  makes the regions named in its clause weak: *proximal* with *upper*/*lower* (or a shoulder
  or hip girdle muscle) gives the EULAR/ACR proximal items; *proximal* with no limb named means
  both girdles (the usual sense of "proximal muscle weakness"); a limb with no proximal/distal
  word ("4/5 in the upper limbs") gives no item (Bohan & Peter and EULAR/ACR need proximal).
- Functional complaints name a region: "difficulty climbing stairs" is proximal lower limb,
  "difficulty combing hair" proximal upper, "difficulty lifting her head" neck flexors ("head
  drop" and difficulty holding the head upright are neck extensor weakness: not the anterior neck
  flexors of Bohan & Peter C1).
- "Good/normal strength" or a grade of 5/5 makes the named regions not weak (``absent``).
- Weakness with no region at all ("muscle weakness") is emitted as ``muscle.generic``: when
  negated ("no muscle weakness") it means no proximal weakness; when affirmed it says nothing
  about distribution and is dropped by the builder.
- A grade governs the muscles after it when followed by "for/in/at/of ..." ("2/5 for hip
  flexion"), otherwise those before it ("proximal power in both limbs (3–4/5)").
MRC scale: Medical Research Council, Aids to the examination of the peripheral nervous system
(1976). EULAR/ACR 2017 items 3–6 (Lundberg et al., Ann Rheum Dis 2017;76:1955–1964).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from heliotrope.model.record import MuscleGrade
from heliotrope.model.vocabulary import FindingCode, MuscleGroup, Side, Status
from heliotrope.nlp.extract.base import (
    Caseless,
    FindingMention,
    GradeMention,
    Mention,
    clause_bounds,
    lowered,
)
from heliotrope.nlp.extract.lexicon import Hit, Matcher, lexicon, term_table

__all__ = ["extract"]

F = FindingCode
G = MuscleGroup

_GRADE = Caseless(
    r"(?<![\w/.])([+-]?[0-5][+-]?)(?:\s*(?:-|–|—|to)\s*([0-5][+-]?))?\s*(?:/\s*5|out\s+of\s+5)"
    r"(?![\d])"
    r"|(?<=strength of )([+-][0-5]|[0-5][+-])(?![\w/])"
)
_FORWARD = Caseless(
    r"\s*\)?\s*,?\s*(?!on\s+(?:the\s+)?(?:right|left|both)\b)"
    r"(?:for|in|at|of|on|(?:symmetrically|bilaterally)\s+(?:in|at|of|for|on)|"
    r"as\s+measured|and\s+\w+\s+in)\b"
)
_JOINT = Caseless(
    r"\b(hip|knee|elbow|neck|ankle|wrist|shoulder)\s+(flexion|extension|abduction|"
    r"dorsiflexion|plantarflexion|plantar\s+flexion)(?:\s+and\s+(flexion|extension|abduction))?"
)
_MOVES: dict[tuple[str, str], MuscleGroup] = {
    ("hip", "flexion"): G.hip_flexors,
    ("hip", "extension"): G.gluteus_maximus,
    ("hip", "abduction"): G.gluteus_medius,
    ("knee", "extension"): G.quadriceps,
    ("knee", "flexion"): G.hamstrings,
    ("elbow", "flexion"): G.biceps,
    ("elbow", "extension"): G.triceps,
    ("shoulder", "abduction"): G.deltoid,
    ("neck", "flexion"): G.neck_flexors,
    ("neck", "extension"): G.neck_extensors,
    ("ankle", "dorsiflexion"): G.ankle_dorsiflexors,
    ("ankle", "plantarflexion"): G.ankle_plantarflexors,
    ("ankle", "plantar flexion"): G.ankle_plantarflexors,
    ("wrist", "extension"): G.wrist_extensors,
}
_COMPARISONS = (
    (
        Caseless(
            r"neck\s+flex(?:ors?|ion)\s+(?:\w+\s+){0,3}?(?:weaker|more\s+affected|more\s+severely\s+"
            r"affected)\s+than\s+(?:the\s+)?(?:neck\s+)?extens(?:ors?|ion)"
        ),
        F.neck_flexors_weaker_than_extensors,
    ),
    (
        Caseless(
            r"proximal[\s,]+(?:\w+\s+){0,3}?(?:weaker|more\s+affected|greater|worse|more\s+severe|more)"
            r"\s+than\s+(?:the\s+)?distal|proximal\s*>\s*distal|weaker\s+proximally\s+than\s+"
            r"distally"
        ),
        F.legs_proximal_weaker_than_distal,
    ),
)
# "predominantly proximal weakness (of the legs)", "weakness, mainly proximal": proximal weaker
# than distal (EULAR/ACR item 6) unless only the arms are named.
_MAINLY_PROXIMAL = Caseless(
    r"\b(?:predominant(?:ly)?|mainly|mostly|chiefly|largely|principally)\s+proximal\b"
    r"(?P<rest>[^.;]{0,60})"
)
_ARMS_ONLY = Caseless(r"\b(?:arms?|upper\s+(?:limbs?|extremit\w+)|shoulders?|deltoids?)\b")
_LEGS = Caseless(r"\b(?:legs?|lower\s+(?:limbs?|extremit\w+)|hips?|thighs?)\b")
# Neck flexors weak and extensors spared, in words (EULAR/ACR item 5): "neck flexor weakness;
# neck extensors normal", "weak neck flexors with preserved extensors". Neck flexor weakness
# with the extensors not mentioned leaves the comparison unknown (it is relative weakness).
_NECK_SPARED = Caseless(
    r"\bneck\s+flex(?:ors?|ion)\b[^.]{0,40}?\bweak[^.]{0,60}?\b(?:(?:neck\s+)?extens(?:ors?|ion)"
    r"\s+(?:(?:were|was|are|is)\s+)?(?:normal|preserved|spared|intact|strong|full|5\s*/\s*5)|"
    r"(?:normal|preserved|spared|intact|full|sparing\s+of\s+(?:the\s+)?)\s*(?:neck\s+)?extens)"
    r"|\bweak(?:ness)?\s+(?:of\s+)?(?:the\s+)?neck\s+flex(?:ors?|ion)\b[^.]{0,40}?\b"
    r"(?:(?:neck\s+)?extens(?:ors?|ion)\s+(?:(?:were|was|are|is)\s+)?(?:normal|preserved|spared|"
    r"intact|strong|full)|(?:normal|preserved|spared|intact|full|sparing\s+of\s+(?:the\s+)?)\s*"
    r"(?:neck\s+)?extens)"
)
_PROXIMAL_UPPER = frozenset({G.deltoid, G.biceps, G.proximal_upper})
_PROXIMAL_LOWER = frozenset(
    {G.gluteus_maximus, G.gluteus_medius, G.hip_flexors, G.quadriceps, G.hamstrings}
) | {G.proximal_lower}


@dataclass(frozen=True, slots=True)
class _Grade:
    start: int
    end: int
    mrc: str
    forward: bool
    side: Side | None = None  # said just after the grade ("3/5 right", "4/5 bilaterally")
    spread: str | None = None  # "proximally", "distally", "throughout" after the grade
    paired: bool = False  # the left grade of a right/left pair ("deltoid 4/3"): same muscles


# Right/left pairs ("MRC (R/L): deltoid 4/4, iliopsoas 3/3"): a sentence that says "R/L" or
# holds a pair whose second number is below 5 writes every "N/M" as right/left, "5/5" too.
_PAIR = Caseless(r"(?<![\w/.])([0-5][+-]?)\s*/\s*([0-5][+-]?)(?![\w/]|\.\d)")
_PAIR_MARK = Caseless(r"\br\s*/\s*l\b|\bright\s*/\s*left\b|\(r,\s*l\)")


def _pairs(text: str) -> list[_Grade] | None:
    pairs = list(_PAIR.finditer(text))
    if not pairs or not (_PAIR_MARK.search(text) or any(m.group(2)[0] != "5" for m in pairs)):
        return None
    out: list[_Grade] = []
    for m in pairs:
        forward = bool(_FORWARD.match(text, None, m.end()))
        right = _Grade(m.start(1), m.end(1), m.group(1), forward, Side.right)
        left = _Grade(m.start(2), m.end(2), m.group(2), forward, Side.left, paired=True)
        out += [right, left]
    return out


_SIDE_AFTER = Caseless(
    r"\s*,?\s*\(?\s*(?:on\s+the\s+|on\s+)?(?P<s>right|left|bilaterally|bilateral|"
    r"bilat|b/l|both\s+sides|symmetrically|r|l)\b(?![-/])"
)
_SPREAD_AFTER = Caseless(r"\s*,?\s*(?P<w>proximally|distally|throughout)\b")
# Words that say the side (see :func:`_side_in`): one side, or both in the words clinicians use
# for bilateral weakness ("bilaterally", "bilat.", "B/L", "on both sides", "R and L",
# "symmetrical", "in all four limbs").
_SIDE_WORD = Caseless(
    r"\b(?:(?P<one>right|left)(?:-sided)?|(?P<both>bilateral(?:ly)?|bilat\b\.?|b/l|both|"
    r"symmetric(?:al)?(?:ly)?|r\s*(?:and|&|\+|>|<|=)\s*l|l\s*(?:and|&|\+|>|<|=)\s*r|"
    r"all\s+(?:four\s+|4\s+)?(?:limbs|extremities)|four\s+limbs|either\s+(?:arm|leg|side)|"
    r"(?:worse|weaker|more\s+\w+)\s+on\s+the\s+(?:right|left)|(?:right|left)\s*>\s*(?:right|left)|"
    r"(?:right|left)\s+(?:worse|weaker)\s+than\s+(?:right|left)))(?![\w/])"
)
# A paired part named in the plural is both of the pair ("weakness of the upper extremities",
# "in his shoulders and hips", "difficulty raising her arms", "deltoids"): a reading used only
# when no side word is said. Muscles whose plural is their singular (biceps, quadriceps,
# iliopsoas) and groups of several muscles per side ("hip flexors") say nothing of the side.
_PAIRED_PLURAL = Caseless(
    r"\b(?:(?:upper|lower)\s+(?:extremities|limbs)|arms|legs|thighs|shoulders|hips|"
    r"(?:shoulder|hip|pelvic)\s+girdles|deltoids|glutei|upper\s+arms|forearms)\b"
)
_SIDES = {"right": Side.right, "r": Side.right, "left": Side.left, "l": Side.left}


# What may follow a side said after a grade ("3/5 right, 4-/5 left", "4/5 on the right and
# 5/5 on the left"); anything else means the side word begins the next item ("deltoid 4/5,
# left deltoid 4/5", "R 4/5, L 4/5") and is not this grade's.
_AFTER_SIDE_END = Caseless(
    r"(?:\s*(?:[,;:.)\]]|$)|\s+(?:and|but|with|while|whereas|than|side|sided|only|"
    r"proximally|distally|throughout)\b|-sided)"
)


def _side_after(text: str, end: int) -> Side | None:
    m = _SIDE_AFTER.match(text, None, end)
    if m is None:
        return None
    side = _SIDES.get(m.group("s").lower(), Side.both)
    if side is not Side.both and not _AFTER_SIDE_END.match(text, None, m.end()):
        return None
    return side


# A side word is the weakness's only when it is said of a limb, a muscle, a movement or the
# weakness itself ("left deltoid", "left-sided", "weakness on the left", "right hip flexion"),
# not of another organ in the same stretch ("following her left mastectomy", "left ptosis").
_SIDE_OF_LIMB = Caseless(
    r"(?:-sided|\s+side)\b|\s+(?:[\w-]+\s+){0,2}?(?:arms?|legs?|limbs?|upper|lower|hands?|"
    r"deltoids?|shoulders?|hips?|thighs?|quadriceps|biceps|triceps|iliopsoas|psoas|glute\w*|knees?|"
    r"elbows?|ankles?|wrists?|hamstrings?|proximal\w*|distal\w*|weak\w*|power|strength|hemi\w*|"
    r"extremit\w*|girdles?|flexors?|extensors?|abductors?|flexion|extension|abduction|"
    r"dorsiflexion|muscles?|grip|mrc|\d)\b|\s*(?:[,:]|\d)"
)
_ON_THE = Caseless(r"\b(?:on|of)\s+the\s+$|\bon\s+$")


def _side_in(text: str, lo: int, hi: int) -> Side | None:
    """The side a stretch names: left or right alone, both (or bilateral), or None."""
    sides: set[Side] = set()
    for m in _SIDE_WORD.finditer(text, None, lo, hi):
        if m.group("one") and not (
            _SIDE_OF_LIMB.match(text, None, m.end())
            or _ON_THE.search(text, None, max(0, m.start() - 8), m.start())
        ):
            continue  # "her left mastectomy": not a side of the weakness
        sides.add(_SIDES[m.group("one").lower()] if m.group("one") else Side.both)
    if not sides:
        return Side.both if _PAIRED_PLURAL.search(text, None, lo, hi) else None
    if len(sides) == 1:
        return sides.pop()
    return Side.both


_GOWERS = Caseless(r"\bgower")


def _function_side(text: str, start: int, end: int) -> Side | None:
    """The sides a functional description tells. Gowers' sign (climbing up the thighs with the
    hands to stand) is a sign of weakness of both hips; an activity of a paired limb in the
    plural ("raising her arms") or said with its side ("bilaterally") tells it. Climbing stairs,
    rising from a chair or a squat, combing the hair say nothing of the side (one weak leg or
    arm is enough to make them hard): None."""
    if _GOWERS.search(text, None, start, end):
        return Side.both
    return _side_after(text, end) or _side_in(text, start, end)


def _merge_side(a: Side | None, b: Side | None) -> Side | None:
    """Sides of two statements of one weakness: both (said, or left with right) is both; a
    statement that names no side leaves one side alone unsettled (None)."""
    if Side.both in (a, b) or {a, b} == {Side.left, Side.right}:
        return Side.both
    if a is None or b is None:
        return None
    return a


@cache
def _cues() -> tuple[Matcher[str], Matcher[str], Matcher[str], Matcher[str], Matcher[G]]:
    data = lexicon()["muscle"]
    weak_terms, weak_patterns = term_table({"weak": data["weakness"]})
    normal_terms, normal_patterns = term_table({"normal": data["normal_strength"]})
    functional_terms, _ = term_table(data["functional"])
    region_terms, _ = term_table(data["regions"])
    grade_terms, _ = term_table(data["grade_muscles"])
    return (
        Matcher(weak_terms, weak_patterns, plural=False),
        Matcher(normal_terms, normal_patterns, plural=False),
        Matcher(functional_terms, plural=False),
        Matcher(region_terms),
        Matcher({t: G(c) for t, c in grade_terms.items()}),
    )


# "MRC grade 4", "MRC 4+", "MRC 3-4" with no "/5": the scale is named instead.
_MRC_WORD = Caseless(
    r"\bmrc\s+(?:grade\s+|power\s+)?(?P<g>[0-5][+-]?)(?:\s*(?:-|–|to)\s*(?P<h>[0-5][+-]?))?"
    r"(?![\d/.]|\s*(?:/|out\s+of))"
)


# A grade written bare right after the muscle or movement ("hip flexors 4+", "deltoids 4-",
# "neck flexion 3"): not a table row (a second column), a measure or a "/5" grade.
_BARE = Caseless(
    r"\b(?:flexors?|extensors?|abductors?|deltoids?|biceps|triceps|quadriceps|iliopsoas|psoas|"
    r"hamstrings|glutei|flexion|extension|abduction|dorsiflexion|plantarflexion)[ \t]*:?[ \t]*"
    r"(?P<g>[0-5][+-]?)(?![\w/%°+-]|\.\d|\s*(?:/|out\s+of|degrees|°|cm|mm|kg|times|x\b|[0-5]\b))"
)
_BARE_WORDS = ("flex", "extens", "abduct", "deltoid", "biceps", "quadriceps", "psoas", "hamstring")


def _bare_grades(text: str, low: str, taken: list[tuple[int, int]]) -> list[_Grade]:
    if not any(w in low for w in _BARE_WORDS):
        return []
    out: list[_Grade] = []
    for m in _BARE.finditer(text, low):
        start, end = m.start("g"), m.end("g")
        if any(a <= start < b for a, b in taken):
            continue
        out.append(_Grade(start, end, m.group("g"), False, _side_after(text, end)))
    return out


def _grades(text: str) -> list[_Grade]:
    out = _grades_written(text)
    low = lowered(text)
    bare = _bare_grades(text, low, [(g.start, g.end) for g in out])
    if bare:
        out = sorted(out + [g for g in bare if _valid(g.mrc)], key=lambda g: g.start)
    return out


def _grades_written(text: str) -> list[_Grade]:
    out: list[_Grade] = []
    low = lowered(text)
    if "/" in text:
        paired = _pairs(text)
        if paired is not None:
            return paired
    if "5" not in text and "strength of" not in low and "mrc" not in low:
        return out  # every grade is "N/5", "N out of 5", "strength of 4+" or "MRC 4"
    matches = list(_GRADE.finditer(text))
    if "mrc" in low:
        matches += [m for m in _MRC_WORD.finditer(text) if m.group("g")]
        matches.sort(key=lambda m: m.start())
    for m in matches:
        if m.re.pattern == _MRC_WORD.lower.pattern or m.re.pattern == _MRC_WORD.any_case.pattern:
            g = m.group("g")
            mrc = g + (f"-{m.group('h')}" if m.group("h") else "")
            start = m.start("g")
            forward = bool(_FORWARD.match(text, None, m.end()))
            spread = _SPREAD_AFTER.match(text, None, m.end())
            out.append(
                _Grade(
                    start,
                    m.end(),
                    mrc,
                    forward,
                    _side_after(text, m.end()),
                    spread.group("w").lower() if spread else None,
                )
            )
            continue
        if m.group(3):
            raw = m.group(3)
            mrc = raw[1] + raw[0] if raw[0] in "+-" else raw
        else:
            low = m.group(1)
            if low[0] in "+-":  # "+3" is written for 3+
                low = low[1] + low[0]
            mrc = low + (f"-{m.group(2)}" if m.group(2) else "")
        forward = bool(_FORWARD.match(text, None, m.end()))
        spread = _SPREAD_AFTER.match(text, None, m.end())
        out.append(
            _Grade(
                m.start(),
                m.end(),
                mrc,
                forward,
                _side_after(text, m.end()),
                spread.group("w").lower() if spread else None,
            )
        )
    return [g for g in out if _valid(g.mrc)]


def _bounds(mrc: str) -> tuple[float, float]:
    return MuscleGrade(muscle=G.deltoid, mrc=mrc).bounds


def _valid(mrc: str) -> bool:
    """A grade the MRC scale allows ("5-0", a range running backwards, is not one)."""
    try:
        _bounds(mrc)
    except ValueError:
        return False
    return True


def _groups(text: str, lo: int, hi: int, regions: list[Hit[str]]) -> list[MuscleGroup]:
    """Muscle groups named between ``lo`` and ``hi`` (specific muscles, then regions)."""
    found: list[MuscleGroup] = []
    covered: list[tuple[int, int]] = []
    window = text[lo:hi].lower()
    moves = "flexion" in window or "extension" in window or "abduction" in window
    for m in _JOINT.finditer(text, None, lo, hi) if moves else ():
        joint = m.group(1).lower()
        for move in (m.group(2), m.group(3)):
            if move and (joint, " ".join(move.lower().split())) in _MOVES:
                found.append(_MOVES[(joint, " ".join(move.lower().split()))])
        covered.append((m.start(), m.end()))
    for hit in _cues()[4].find(text[lo:hi]):
        a, b = hit.start + lo, hit.end + lo
        if not any(a < y and b > x for x, y in covered):
            found.append(hit.value)
            covered.append((a, b))
    kinds = {
        h.value
        for h in regions
        if lo <= h.start < hi and not any(h.start < y and h.end > x for x, y in covered)
    }
    upper = bool(kinds & {"upper", "all_limbs"})
    lower = bool(kinds & {"lower", "all_limbs"})
    if "proximal" in kinds:
        if upper or not lower:
            found.append(G.proximal_upper)
        if lower or not upper:
            found.append(G.proximal_lower)
    if "distal" in kinds:
        if upper or not lower:
            found.append(G.distal_upper)
        if lower or not upper:
            found.append(G.distal_lower)
    if "proximal_upper_muscles" in kinds:
        found.append(G.proximal_upper)
    if "proximal_lower_muscles" in kinds:
        found.append(G.proximal_lower)
    if "neck" in kinds:
        found.append(G.neck_flexors)
    if "neck_extensors" in kinds:
        found.append(G.neck_extensors)
    if "finger_flexors" in kinds:
        found.append(G.finger_flexors)
    return list(dict.fromkeys(found))


_LEFT_STOP = Caseless(r"[;()]|\.\s|\bwith\b|\band\s+associated\b")
_RIGHT_STOP = Caseless(
    r";|\.\s|\)\s*(?:,|and\b)|\bwith\b|\band\s+(?:associated|she|he|had|has|was|her|his|an?)\b"
)


# "worse in the legs", "more marked in the arms", "particularly the thighs": the limb is where
# the weakness is worse, not the only place it is.
_EMPHASIS = Caseless(
    r"\b(?:worse|more\s+(?:marked|severe|pronounced)|particularly|especially)\s+"
    r"(?:in\s+|of\s+|affecting\s+)?(?:the\s+|both\s+)?(?:lower\s+|upper\s+)?$"
)
_NEW_BEFORE = Caseless(r"\b(?:new|further|worsening\s+of|more)\s+(?:muscle\s+)?$")
_NOT_WEAKNESS = Caseless(r"\s+(?:score|scale|index)\b")


def _window(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """Where a cue's regions may be: 45 characters before it and 110 after, within its
    clause, not across brackets, full stops or a following "with ..." phrase."""
    left = max(lo, start - 45)
    for m in _LEFT_STOP.finditer(text, None, left, start):
        left = m.end()
    right = min(hi, end + 110)
    stop = _RIGHT_STOP.search(text, None, end, right)
    return left, (stop.start() if stop else right)


def _codes(kinds: set[str]) -> list[FindingCode]:
    """Weakness finding codes for the region kinds named in one clause."""
    codes: list[FindingCode] = []
    upper = bool(kinds & {"upper", "all_limbs"})
    lower = bool(kinds & {"lower", "all_limbs"})
    girdle_upper = "proximal_upper_muscles" in kinds
    girdle_lower = "proximal_lower_muscles" in kinds
    if girdle_upper or ("proximal" in kinds and (upper or not (lower or girdle_lower))):
        codes.append(F.weakness_proximal_upper)
    if girdle_lower or ("proximal" in kinds and (lower or not (upper or girdle_upper))):
        codes.append(F.weakness_proximal_lower)
    if kinds & {"distal", "distal_upper_muscles", "distal_lower_muscles"}:
        codes.append(F.weakness_distal)
    if "neck" in kinds:
        codes.append(F.weakness_neck_flexors)
    if "truncal" in kinds:
        codes.append(F.weakness_truncal)
    if "finger_flexors" in kinds:
        codes.append(F.finger_flexor_weakness)
    return codes


_GROUP_CODE: dict[MuscleGroup, FindingCode] = {
    **{g: F.weakness_proximal_upper for g in _PROXIMAL_UPPER},
    **{g: F.weakness_proximal_lower for g in _PROXIMAL_LOWER},
    G.neck_flexors: F.weakness_neck_flexors,
    G.distal_upper: F.weakness_distal,
    G.distal_lower: F.weakness_distal,
    G.ankle_dorsiflexors: F.weakness_distal,
    G.ankle_plantarflexors: F.weakness_distal,
    G.wrist_extensors: F.weakness_distal,
    G.finger_flexors: F.finger_flexor_weakness,
}


#: "Normal strength" naming no region, or "5/5 throughout": no weakness anywhere.
_EVERYWHERE = (
    F.weakness_proximal_upper,
    F.weakness_proximal_lower,
    F.weakness_neck_flexors,
    F.weakness_distal,
)
_ALL_GROUPS = Caseless(
    r"\s*,?\s*(?:in\s+)?(?:throughout|globally|all\s+(?:four\s+)?(?:limbs|extremities|muscle))"
)

# Function that needs the girdle muscles (Medical Research Council; the CMAS and MMT-8 items
# of Lovell 1999 and Rider 2011 grade the same movements): a word of difficulty, then the
# movement, within a few words. Negation ("climbs stairs without difficulty") is ConText's.
_DIFFICULTY = (
    r"(?:difficult(?:y|ies)|struggl\w*|hard|trouble|unable|inability|cannot|can['’]?t|could\s+not|"
    r"problems?|needs?\s+help|impossible|(?:can|could)\s+no\s+longer|no\s+longer\s+able\s+to)"
)
_ACTIVITIES = (
    r"(?P<lower>(?:climb\w*|walk\w*\s+up|go\w*\s+up)\s+(?:\w+\s+)?stairs|"
    r"(?:climb\w*|walk\w*|go\w*|get\w*)\s+upstairs|"
    r"(?:ris\w*|get\w*\s+up|getting\s+up|stand\w*\s+up|stand\w*)\s+(?:up\s+)?from\s+(?:a|the|her|his)?"
    r"\s*(?:low\s+|deep\s+)?(?:chair|seat|squat\w*|floor|toilet|bed|sofa|couch|crouch\w*|kneel\w*)|"
    r"(?:get\w*|getting)\s+(?:up\s+)?(?:out\s+of|off)\s+(?:a|the|her|his)?\s*(?:low\s+)?"
    r"(?:chair|bath\w*|car|bed|sofa|couch|floor|toilet)|squat\w*|rise\s+from\s+squatting)"
    r"|(?P<upper>comb\w*|brush\w*\s+(?:her|his)\s+hair|wash\w*\s+(?:her|his)\s+hair|"
    r"(?:rais\w*|lift\w*|hold\w*|reach\w*)\s+(?:up\s+)?(?:her|his|the|both|their)?\s*arms|"
    r"(?:reach\w*|lift\w*\s+\w+)\s+(?:up\s+)?(?:to|onto|above)\s+(?:\w+\s+){0,2}?(?:shel\w+|cupboards?|head)|"
    r"hang\w*\s+(?:out\s+)?(?:the\s+)?washing)"
    r"|(?P<neck>(?:lift\w*|rais\w*)\s+(?:up\s+)?(?:her|his|the)\s+head(?!\s+(?:up|upright)\b))"
)
_FUNCTIONAL = Caseless(rf"\b{_DIFFICULTY}\s+(?:\w+\s+){{0,4}}?(?:{_ACTIVITIES})")
# The difficulty said after the activity ("rising from a squat was impossible", "climbing
# stairs has become difficult").
_FUNCTIONAL_AFTER = Caseless(
    rf"(?:{_ACTIVITIES})\s+(?:(?:was|is|has\s+become|had\s+become|became|were|are)\s+"
    r"(?!not\b|never\b|no\s+longer\b)(?:\w+\s+)?)?(?:impossible|difficult|hard|a\s+struggle|"
    r"laborious|effortful)\b"
)
# An activity said to be easy ("climbing stairs was not difficult", "rising from a chair
# without help"): no weakness is told (ConText does not see a denial after its target).
_NOT_HARD_AFTER = Caseless(
    r"\s+(?:(?:was|is|were|are|has\s+been|had\s+been)\s+(?:not|never|no\s+longer)\b|"
    r"without\s+(?:any\s+)?(?:difficulty|help|aid|assistance|problems?|support))"
)
# A further activity joined to one just read ("could not climb stairs or lift her arms").
_NEXT_ACTIVITY = Caseless(
    rf"(?:\s+[\w-]+){{0,4}}?\s*(?:,\s*(?:or|and)?|\bor\b|\band\b|\bnor\b)\s+(?:\w+\s+){{0,2}}?"
    rf"(?:{_ACTIVITIES})"
)
_FUNCTION_WORDS = Caseless(
    r"difficult|struggl|hard|trouble|unable|inabil|cannot|can['’]?t|can\s+not|could\s+not|"
    r"problem|needs?\s+help|impossib|no\s+longer"
)
# Hauling oneself up the stairs by the rail (a sign of hip girdle weakness).
_HAULS = Caseless(
    r"\bpull\w*\s+(?:her|him|them)sel(?:f|ves)\s+up\b(?:\s+\w+){0,3}?\s+(?:stairs|steps)\b|"
    r"\b(?:uses?|using|needs?|relies\s+on|relying\s+on)\s+(?:the\s+|a\s+)?(?:banisters?|bannisters?|"
    r"hand\s*rails?)\b"
)
_FUNCTION_GROUPS = (
    ("lower", F.weakness_proximal_lower),
    ("upper", F.weakness_proximal_upper),
    ("neck", F.weakness_neck_flexors),
)


_ALL = (G.proximal_upper, G.proximal_lower, G.neck_flexors, G.distal_upper, G.distal_lower)
_CHAIN = Caseless(
    r"[\s,;]*(?:\(?\s*(?:on\s+the\s+)?(?:right|left|r|l|bilaterally|proximally|distally)\)?)?"
    r"[\s,]*(?:and|but|with|while|whereas)?\s*(?:\w+\s+)?$"
)


_NECK_PAIR = Caseless(
    r"\bneck\s+flex(?:ors?|ion)\s+(?:[0-5][+-]?\s*/\s*5|mrc\s+[0-5][+-]?)\s*,?\s*(?:(?:against|"
    r"versus|vs\.?|compared\s+(?:with|to)|whereas|while|with|and|but)\s+)?(?:the\s+)?extens(?:ors?|ion)"
    r"\s*:?\s+"
    r"(?:mrc\s+)?(?P<e>[0-5][+-]?)(?:\s*/\s*5)?"
)


_NEXT_CLAUSE = Caseless(r"[,;]|\band\s+(?:the\s+)?(?:distal|proximal)|\bwhile\b|\bbut\b")


def _limbs(regions: list[Hit[str]], lo: int, hi: int) -> set[str]:
    out = {h.value for h in regions if lo <= h.start < hi and h.value in ("upper", "lower")}
    if any(lo <= h.start < hi and h.value == "all_limbs" for h in regions):
        out |= {"upper", "lower"}  # "4/5 in all limbs"
    return out


def _spread(limbs: set[str], word: str) -> list[MuscleGroup]:
    """Groups of the limbs graded "proximally", "distally" or "throughout" (no limb named
    and "throughout": every group)."""
    upper, lower = "upper" in limbs, "lower" in limbs
    if not (upper or lower):
        if word == "throughout":
            return list(_ALL)
        upper = lower = True  # "4/5 proximally": the girdles of both limbs
    out: list[MuscleGroup] = []
    if word in ("proximally", "throughout"):
        out += [G.proximal_upper] * upper + [G.proximal_lower] * lower
    if word in ("distally", "throughout"):
        out += [G.distal_upper] * upper + [G.distal_lower] * lower
    return out


@dataclass(frozen=True, slots=True)
class _Row:
    start: int
    name_end: int
    end: int
    grades: tuple[tuple[Side, str], ...]


# A row of an MRC table: a movement or muscle, then one grade or a right and a left grade
# ("Hip flexion    3    4"); two columns are read right then left, the order of the usual
# examination chart.
_ROW = Caseless(
    r"^[ \t]*(?P<name>[a-z][a-z .'-]{2,40}?)[ \t]*:?[ \t]+(?P<a>[0-5][+-]?)(?:/5)?"
    r"(?:[ \t]+(?P<b>[0-5][+-]?)(?:/5)?)?[ \t]*$"
)


# A row holds a grade 0-5: a sentence without one of these digits has no row (a search, not
# a loop over its characters).
_ROW_DIGIT = re.compile(r"[0-5]")


def _table_rows(text: str) -> list[_Row]:
    if len(text) > 200 or _ROW_DIGIT.search(text) is None:
        return []
    out: list[_Row] = []
    offset = 0
    for line in text.split("\n"):
        m = _ROW.match(line)
        if m:
            a, b = m.group("a"), m.group("b")
            grades = ((Side.both, a),) if b is None or a == b else ((Side.right, a), (Side.left, b))
            out.append(_Row(offset + m.start(), offset + m.end("name"), offset + m.end(), grades))
        offset += len(line) + 1
    return out


# Scores of the myositis assessments: the MMT-8 (Rider et al., Arthritis Care Res 2011;63
# Suppl 11; 0-80 one side, 0-150 both sides) at its full score is normal strength of its
# groups (the deltoid, biceps, glutei and quadriceps among them). A lower MMT-8 total, and the
# CMAS (Lovell et al., Arthritis Rheum 1999;42:2213-19; 0-52), a global functional score, say
# weakness without saying where: no item (the arms of "CMAS 28/52" stay unknown, dev-04).
_MMT8 = Caseless(r"\bmmt[-\s]?8\b[^0-9.;]{0,25}?(?P<v>\d{1,3})\s*(?:/|out\s+of)\s*(?P<of>80|150)\b")


def _scores(text: str, low: str) -> list[tuple[int, int, Status | None, str]]:
    """(start, end, status, note) of the MMT-8 scores that tell the absence of weakness."""
    out: list[tuple[int, int, Status | None, str]] = []
    if "mmt" in low:
        for m in _MMT8.finditer(text, low):
            if m.group("v") == m.group("of"):
                said = f"MMT-8 {m.group('v')}/{m.group('of')}"
                out.append((m.start(), m.end(), Status.absent, said))
    return out


def extract(text: str) -> list[Mention]:
    """Weakness findings (with their grades) and stand-alone grades named in ``text``."""
    weak, normal, functional, region_matcher, _ = _cues()
    grades = _grades(text)
    weak_hits = weak.find(text)
    normal_hits = normal.find(text)
    # the regions only matter to a weakness or strength cue, or to a grade
    regions = region_matcher.find(text) if weak_hits or normal_hits or grades else []
    # code -> [start, end, status, grades, extractor, distribution]
    found: dict[tuple[FindingCode, int], FindingMention] = {}
    spare: list[MuscleGrade] = []

    def add(
        code: FindingCode,
        start: int,
        end: int,
        status: Status | None,
        extractor: str,
        clause: int,
        grade_list: tuple[MuscleGrade, ...] = (),
        distribution: str | None = None,
        laterality: Side | None = None,
    ) -> None:
        key = (code, clause)
        old = found.get(key)
        if old is not None:
            grade_list = old.grades + grade_list
            start, end = min(start, old.start), max(end, old.end)
            graded = "muscle.grade" in (extractor, old.extractor)
            if graded and (old.status is None) != (status is None):
                # a grade below 5 and a 5/5 of the same region in one clause ("hip flexion
                # 4/5, knee extension 5/5"): the region is weak, on the weak side only
                laterality = laterality if status is None else old.laterality
                status = None
            else:
                status = old.status if old.status is not None else status
                laterality = _merge_side(old.laterality, laterality)
            if old.extractor != "muscle.generic":
                extractor = old.extractor
            distribution = old.distribution or distribution
        found[key] = FindingMention(
            start=start,
            end=end,
            extractor=extractor,
            code=code,
            status=status,
            grades=grade_list,
            distribution=distribution,
            laterality=laterality,
        )

    low_all = lowered(text)

    def clause_kinds(lo: int, hi: int, a: int, b: int) -> tuple[set[str], int, int]:
        lo, hi = _window(text, a, b, lo, hi)
        inside = [h for h in regions if lo <= h.start and h.end <= hi]
        kinds = {h.value for h in inside}
        emphasised = any(w in low_all for w in ("worse", "more", "particular", "especial"))
        if "proximal" in kinds and kinds & {"upper", "lower"} and emphasised:
            # "proximal weakness, worse in the legs": both girdles, the legs more
            emphasis = [
                h
                for h in inside
                if h.value in ("upper", "lower")
                and _EMPHASIS.search(text, None, max(lo, h.start - 30), h.start)
            ]
            if emphasis and len({h.value for h in inside if h.value in ("upper", "lower")}) == 1:
                kinds = kinds - {"upper", "lower"}
        starts = [h.start for h in inside]
        ends = [h.end for h in inside]
        return kinds, min(starts, default=hi), max(ends, default=lo)

    for hit in weak_hits:
        if _NOT_WEAKNESS.match(text, None, hit.end):
            continue
        lo, hi = clause_bounds(text, hit.start, hit.end)
        kinds, first, last = clause_kinds(lo, hi, hit.start, hit.end)
        codes = _codes(kinds)
        start, end = min(hit.start, first), max(hit.end, last)
        if not codes:
            # weakness naming no muscle: said present, it tells nothing of the items (the
            # builder drops it); denied ("no weakness"), it denies it everywhere, the anterior
            # neck flexors of Bohan & Peter C1 included, but "no new weakness" denies only a
            # change (nothing is read)
            if _NEW_BEFORE.search(text, None, max(0, hit.start - 12), hit.start):
                continue
            for code in _EVERYWHERE:
                add(code, hit.start, hit.end, None, "muscle.generic", lo)
        side = _side_in(text, *_window(text, hit.start, hit.end, lo, hi)) if codes else None
        for code in codes:
            add(code, start, end, None, "muscle.weakness", lo, laterality=side)

    for hit in normal_hits:
        lo, hi = clause_bounds(text, hit.start, hit.end)
        kinds, first, last = clause_kinds(lo, hi, hit.start, hit.end)
        start, end = min(hit.start, first), max(hit.end, last)
        if not kinds - {"all_limbs"}:  # "muscle strength was normal", "full power throughout"
            for code in _EVERYWHERE:
                if code is F.weakness_neck_flexors and kinds:
                    continue  # "power is full in all four limbs": the neck is not a limb
                add(code, start, end, Status.absent, "muscle.normal_strength", lo)
            continue
        if kinds & {"upper", "lower"} and not kinds & {"proximal", "distal"}:
            kinds = kinds | {"proximal", "distal"}  # "upper limb power is normal": all of it
        for code in _codes(kinds):
            where = None
            if code is F.weakness_distal:
                where = (
                    ", ".join(
                        side
                        for side, names in (
                            ("upper limbs", {"distal_upper_muscles", "upper"}),
                            ("lower limbs", {"distal_lower_muscles", "lower"}),
                        )
                        if kinds & names
                    )
                    or "upper limbs, lower limbs"
                )  # "distal power normal": in every limb
            add(code, start, end, Status.absent, "muscle.normal_strength", lo, (), where or None)

    for hit in functional.find(text):
        if _NOT_HARD_AFTER.match(text, None, hit.end):
            continue  # "climbing stairs was not difficult", "... without difficulty"
        lo, _ = clause_bounds(text, hit.start, hit.end)
        code = {
            "proximal_lower": F.weakness_proximal_lower,
            "proximal_upper": F.weakness_proximal_upper,
            "neck_flexors": F.weakness_neck_flexors,
        }[hit.value]
        add(
            code,
            hit.start,
            hit.end,
            None,
            "muscle.functional",
            lo,
            laterality=_function_side(text, hit.start, hit.end),
        )

    told = (
        [*_FUNCTIONAL.finditer(text), *_FUNCTIONAL_AFTER.finditer(text)]
        if _FUNCTION_WORDS.search(text)
        else ()
    )
    for said in told:
        lo, _ = clause_bounds(text, said.start(), said.end())
        m: re.Match[str] | None = said
        # "can no longer hang out the washing": the words of inability are part of what is
        # stated (ConText would read "no" as a denial of the activity)
        unable = "no longer" in said.group().lower()
        while m is not None:
            for name, code in _FUNCTION_GROUPS:
                if m.group(name):
                    side = _function_side(text, m.start(name), m.end(name))
                    add(
                        code,
                        said.start() if unable and m is said else m.start(name),
                        m.end(name),
                        None,
                        "muscle.functional",
                        lo,
                        laterality=side,
                    )
                    break
            m = _NEXT_ACTIVITY.match(text, None, m.end())

    low_text = lowered(text)
    if "stairs" in low_text or "steps" in low_text or "rail" in low_text or "banister" in low_text:
        for m in _HAULS.finditer(text, low_text):
            lo, _ = clause_bounds(text, m.start(), m.end())
            add(F.weakness_proximal_lower, m.start(), m.end(), None, "muscle.functional", lo)
    comparisons = _COMPARISONS if "than" in low_text or ">" in low_text else ()
    for regex, code in comparisons:
        for m in regex.finditer(text):
            lo, _ = clause_bounds(text, m.start(), m.end())
            add(code, m.start(), m.end(), None, "muscle.comparison", lo)
    if "ly proximal" in low_text or "predominant proximal" in low_text:
        for m in _MAINLY_PROXIMAL.finditer(text):
            rest = (m.start("rest"), m.end("rest"))
            if _ARMS_ONLY.search(text, None, *rest) and not _LEGS.search(text, None, *rest):
                continue
            lo, _ = clause_bounds(text, m.start(), m.end())
            add(
                F.legs_proximal_weaker_than_distal,
                m.start(),
                m.end(),
                None,
                "muscle.comparison",
                lo,
            )
    if "neck" in low_text and "extens" in low_text and "weak" in low_text:
        for m in _NECK_SPARED.finditer(text):
            lo, _ = clause_bounds(text, m.start(), m.end())
            add(
                F.neck_flexors_weaker_than_extensors,
                m.start(),
                m.end(),
                None,
                "muscle.comparison",
                lo,
            )

    # "neck flexors 3/5, extensors 5/5": the second grade is the neck extensors' (kept below),
    # never chained to the flexors of the grade before
    neck_pairs = (
        list(_NECK_PAIR.finditer(text)) if "extens" in low_text and "neck" in low_text else []
    )
    extensor_grades = {m.start("e") for m in neck_pairs}
    last_groups: list[MuscleGroup] = []
    last_limbs: set[str] = set()
    last_side = Side.both
    consumed = 0  # the end of the text a grade read forward: not read again backward
    for index, grade in enumerate(grades):
        if grade.start in extensor_grades:
            continue
        lo, hi = clause_bounds(text, grade.start, grade.end)
        following = grades[index + 1].start if index + 1 < len(grades) else hi
        if grade.forward:
            stop = _RIGHT_STOP.search(text, None, grade.end, following)
            seg = (grade.end, stop.start() if stop else following)  # not into "with ..."
        else:
            seg = (max(grades[index - 1].end, consumed) if index > 0 else lo, grade.start)
        seg = (max(seg[0], lo, grade.start - 120), min(seg[1], hi, grade.end + 120))
        groups = _groups(text, seg[0], seg[1], regions)
        limbs = _limbs(regions, *seg)
        chained = index > 0 and bool(_CHAIN.match(text, None, grades[index - 1].end, grade.start))
        if grade.paired:
            groups, limbs = last_groups, last_limbs
        elif not groups and not limbs and chained:
            # "3/5 right, 4-/5 left", "3/5 proximally and 2/5 distally": the muscles, limb
            # and side of the grade before
            groups, limbs = last_groups, last_limbs
            own_side = _side_in(text, *seg)  # "right 3/5, left 4/5": its own side word
            if grade.side is None and own_side is None and last_side is not Side.both:
                grade = replace(grade, side=last_side)
        elif not groups and not limbs and not grade.forward:
            # "MRC 4/5 prox. UL and LL": the regions follow the grade without a preposition
            ahead = _NEXT_CLAUSE.search(text, None, grade.end, following)
            seg = (grade.end, min(ahead.start() if ahead else following, grade.end + 80))
            groups, limbs = _groups(text, *seg, regions), _limbs(regions, *seg)
            consumed = seg[1] if groups or limbs else consumed
        if grade.forward and limbs and not groups:
            # "proximal muscle power 5/5 in the arms and legs": the level is said before
            level = {h.value for h in regions if lo <= h.start < grade.start} & {
                "proximal",
                "distal",
            }
            if len(level) == 1:
                groups = _spread(limbs, "proximally" if "proximal" in level else "distally")
        if grade.spread is not None:
            groups = _spread(limbs, grade.spread) or groups
        elif not groups and _ALL_GROUPS.match(text, None, grade.end, min(hi, grade.end + 40)):
            groups = list(_ALL)
        last_groups, last_limbs = groups, limbs
        if grade.forward:
            consumed = seg[1]
        weak_grade = _bounds(grade.mrc)[1] < 5
        side = grade.side or _side_in(text, seg[0], seg[1]) or Side.both
        last_side = side
        for group in groups:
            entry = MuscleGrade(muscle=group, mrc=grade.mrc, side=side)
            group_code = _GROUP_CODE.get(group)
            if group_code is None:
                spare.append(entry)
                continue
            status = None if weak_grade else Status.absent
            add(
                group_code,
                min(grade.start, seg[0]),
                max(grade.end, seg[1]),
                status,
                "muscle.grade",
                lo,
                (entry,),
                laterality=side if weak_grade and side is not Side.both else None,
            )
    for m in neck_pairs:
        # "neck flexors 3/5 against extensors 5/5": the extensors are the neck's
        spare.append(MuscleGrade(muscle=G.neck_extensors, mrc=m.group("e")))
    for row in _table_rows(text):
        for group in _groups(text, row.start, row.name_end, regions or region_matcher.find(text)):
            for side, mrc in row.grades:
                entry = MuscleGrade(muscle=group, mrc=mrc, side=side)
                group_code = _GROUP_CODE.get(group)
                if group_code is None:
                    spare.append(entry)
                    continue
                weak_grade = _bounds(mrc)[1] < 5
                add(
                    group_code,
                    row.start,
                    row.end,
                    None if weak_grade else Status.absent,
                    "muscle.grade",
                    row.start,
                    (entry,),
                    laterality=side if weak_grade and side is not Side.both else None,
                )
    for start, end, status, score in _scores(text, low_text):
        lo, _ = clause_bounds(text, start, end)
        for code in (F.weakness_proximal_upper, F.weakness_proximal_lower):
            add(
                code,
                start,
                end,
                status,
                "muscle.score",
                lo,
                laterality=Side.both if status is None else None,
                distribution=score,
            )
    out: list[Mention] = list(found.values())
    if spare:
        first = min(g.start for g in grades) if grades else 0
        out.append(
            GradeMention(
                start=first,
                end=max(g.end for g in grades) if grades else len(text),
                extractor="muscle.grade",
                grades=tuple(spare),
            )
        )
    out.sort(key=lambda m: m.start)
    return out
