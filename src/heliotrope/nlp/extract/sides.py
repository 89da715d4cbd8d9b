"""The side of weakness a note does not state (issue 8, part 1).

EULAR/ACR 2017 items 3-4 (Lundberg 2017, Table 1 glossary: "present on both sides"), Bohan &
Peter 1975 C1 ("symmetric weakness") and ENMC need weakness on both sides; the criteria keep
that rule (``criteria/weakness.py``). What the reader decides is how a statement that names no
side is read. Clinicians document a side when weakness is one-sided (a hemiparesis, a nerve or
root lesion, a shoulder injury); a weakness statement with no side ("proximal muscle weakness",
"weakness of the hip flexors", "difficulty climbing stairs", "limb-girdle weakness") is, by that
documentation convention, weakness of both sides. The reader therefore records it as both
sides, with :data:`UNSIDED_NOTE` on the finding, unless the document tells asymmetry anywhere
in its statements of weakness:

- a weakness statement on one side only ("left arm MRC 3/5", "weakness of the right deltoid",
  including one attributed to another cause: a rotator cuff tear), or
- a statement of weakness that says it is one-sided or asymmetric ("left-sided weakness",
  "unilateral", "asymmetric", "on one side"), or a hemiparesis, hemiplegia or monoparesis
  anywhere in the patient's story.

Then an unsided statement stays unsided (the item unknown, not a guess), as the conflict rule
of ``docs/text.md`` says ("one says left, another names no side: unknown"). "R>L", "worse on the
right" say both sides (weak on each, one worse) and are not asymmetry in this sense.
"""

from __future__ import annotations

from heliotrope.model.vocabulary import FindingCode, MuscleGroup
from heliotrope.nlp.extract.base import Caseless

__all__ = [
    "DISTAL_LEG_GROUPS",
    "PROXIMAL_LEG_GROUPS",
    "UNSIDED_CODES",
    "UNSIDED_NOTE",
    "one_sided_words",
    "tells_one_side",
]

G = MuscleGroup
#: Leg muscle groups compared by EULAR/ACR item 6 (proximal against distal lower limb).
PROXIMAL_LEG_GROUPS = frozenset(
    {G.hip_flexors, G.gluteus_maximus, G.gluteus_medius, G.quadriceps, G.hamstrings,
     G.proximal_lower}
)  # fmt: skip
DISTAL_LEG_GROUPS = frozenset({G.ankle_dorsiflexors, G.ankle_plantarflexors, G.distal_lower})

UNSIDED_NOTE = "side not stated: read as both sides, clinical documentation convention"

#: The weakness findings whose side the criteria read (the limb girdles); the neck flexors are
#: a midline group and distal weakness enters no symmetric item.
UNSIDED_CODES = frozenset(
    {FindingCode.weakness_proximal_upper, FindingCode.weakness_proximal_lower}
)

# A statement of weakness that says it is on one side or uneven. "r>l", "worse on the right"
# are not here: they say weakness on both sides.
_ONE_SIDED = Caseless(
    r"\b(?:unilateral(?:ly)?|one[- ]sided|(?:right|left)[- ]sided)(?=\s+(?:[\w-]+\s+){0,2}?"
    r"(?:weak|paresis|power|arm|leg|limb|hemi|deficit|motor|proximal))|"
    r"\bweak\w*\s+(?:\w+\s+){0,3}?(?:unilateral|one[- ]sided|on\s+one\s+side)|"
    r"\b(?:asymmetr\w*|hemipar\w*|hemipleg\w*|monopar\w*|monopleg\w*)"
)
# Words that tell one-sided weakness wherever they stand in the patient's story.
_HEMI = Caseless(
    r"(?<!no )(?<!without )(?<!or )\b(?:hemipar\w*|hemipleg\w*|monopar\w*|monopleg\w*)"
)


def one_sided_words(sentence: str) -> bool:
    """Whether a sentence stating weakness says it is one-sided or asymmetric."""
    low = sentence.lower()
    if not any(k in low for k in ("side", "lateral", "symm", "par", "pleg")):
        return False
    return _ONE_SIDED.search(sentence, low) is not None


def tells_one_side(sentence: str) -> bool:
    """Whether any sentence of the story names a hemiparesis, hemiplegia or monoparesis."""
    low = sentence.lower()
    if "par" not in low and "pleg" not in low:
        return False
    return _HEMI.search(sentence, low) is not None
