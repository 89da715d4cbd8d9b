"""Which text tells the patient's own story.

- Sections with scope ``patient`` (the case presentation, including an abstract's "Case
  presentation" part) are read in full.
- A figure caption is read when the document is a case report (it has a patient section)
  and the caption describes this patient: it names something an extractor reads (a skin
  sign, an investigation finding, a cancer) and has no generic or literature wording
  ("criteria", "classification", "patients", "cases", "review", "typical", a citation such
  as "[12]" or "et al."). So "Fig. 2 Facial heliotrope rash and periorbital oedema" is read,
  and "Figure 1 Classification criteria for dermatomyositis" is not.
- In the discussion and background, only a sentence that says it is about this patient
  ("our patient", "this patient", "in this case") is read, as a *secondary* statement: it
  yields facts, but in a conflict a statement from the patient section wins (see
  :mod:`heliotrope.nlp.conflicts`).
- Tables, references, front and back matter are never read: a criteria table lists what the
  criteria require, not what this patient has.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

from heliotrope.nlp.extract.base import Caseless, contains_any
from heliotrope.nlp.extract.lexicon import lexicon

__all__ = ["Tier", "caption_describes_patient", "refers_to_patient", "tier_of"]

Tier = Literal["patient", "caption", "secondary"]

_CITATION = re.compile(r"\[\d+(?:[,–-]\s*\d+)*\]|\bet\s+al\b", re.IGNORECASE)


@cache
def _words(key: str) -> Caseless:
    forms = sorted(lexicon()["scope"][key], key=len, reverse=True)
    return Caseless(
        r"\b(?:" + "|".join(r"\s+".join(map(re.escape, f.lower().split())) for f in forms) + r")\b"
    )


@cache
def _longest_words(key: str) -> tuple[str, ...]:
    """The longest word of each form: a sentence without any cannot hold a form."""
    return tuple({max(f.lower().split(), key=len) for f in lexicon()["scope"][key]})


def _says(key: str, text: str) -> bool:
    low = text.lower()
    if not contains_any(low, _longest_words(key)):
        return False
    return _words(key).search(text, low) is not None


def refers_to_patient(sentence: str) -> bool:
    """Does a discussion sentence say it is about this patient?"""
    return _says("patient_reference", sentence)


def caption_describes_patient(caption: str, has_mentions: bool) -> bool:
    """The caption rule (module docstring): a finding named, no generic wording."""
    if not has_mentions:
        return False
    return not (_says("caption_generic", caption) or _CITATION.search(caption))


def tier_of(scope: str, is_case_report: bool) -> Tier | None:
    """How a section's sentences are read (None: not at all)."""
    if scope == "patient":
        return "patient"
    if scope == "caption":
        return "caption" if is_case_report else None
    if scope in ("discussion", "background"):
        return "secondary"
    return None
