"""A fast rule-based sentence splitter for clinical text and case reports (no model).

Boundaries:

* ``.``/``!``/``?``/``…`` followed by white space, or a full stop glued to the next sentence
  (``dysphagia.Physical``, ``[2, 4].Population``), unless the full stop ends an abbreviation:
  *strong* ones never end a sentence (``e.g.``, ``i.e.``, ``Dr.``, ``Fig.``, ``et al.``,
  ``vs.``, ``approx.``, ``cf.``, ``no.`` before a number); *weak* ones (units such as
  ``mg.``, ``U/L.``, ``approx.``-like shortenings, single letters) end one only before a
  capital. Decimals (``11.4``) never split: the full stop is not followed by a space.
* never inside balanced parentheses or brackets on the same paragraph, so a reference range
  such as ``(normal range 4–11 × 10^9/L)`` or ``(approx. 5 mg. daily)`` stays whole;
* an enumeration at the start of a line (``1. dysphagia``, ``b. rash``) is not a sentence;
* line breaks: a blank line ends a sentence unless the text before it has no final
  punctuation and the next line starts in lower case (a PDF column or page break inside a
  sentence); a single line break ends one before a list item (``-``, ``•``, ``1.``, ``a)``)
  or a ``Label:`` line, after a line ending in ``:``, after a known section heading
  (``resources/nlp/sections.json``) or a short heading-like line (≤ 40 characters, ≤ 6
  words, not starting with a determiner nor ending in a comma, hyphen or function word) when
  the next line starts with a capital or digit, and around table rows (lines holding a tab).
  Otherwise a line break is a wrapped line.
* a sentence longer than ``MAX_SENTENCE_CHARS`` (1,500; :mod:`heliotrope.limits`) is cut
  into pieces no longer than that: at its last line break, else its last ``;`` or ``,`` in
  the second half, else its last space, else at the limit (a run of lines or words without
  punctuation; this bounds the cost of every extractor per sentence, issue 12).

Sentences are trimmed of surrounding white space; stretches without a letter or digit are
dropped. Offsets are into the text given (``Document.text``).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from heliotrope.limits import MAX_SENTENCE_CHARS
from heliotrope.nlp.sections import _heading

__all__ = ["Sentence", "split_sentences"]


def _words(text: str) -> frozenset[str]:
    """A set of words written as one string (data tables read better that way)."""
    return frozenset(text.split())


@dataclass(frozen=True)
class Sentence:
    """One sentence: ``text == document_text[start:end]``."""

    start: int
    end: int
    text: str


#: Full stops after these never end a sentence.
_STRONG = _words(
    """e.g eg i.e ie cf viz vs v dr drs mr mrs ms mx prof fig figs et al approx ca st mt sr
    jr nr resp incl esp"""
)
#: Full stops after these end a sentence only before a capital letter.
_WEAK = _words(
    """mg g kg mcg ug µg μg ng pg ml l dl mmol µmol μmol umol nmol mol iu u mm cm m km mmhg h
    hr hrs min mins sec s wk wks mo mos yr yrs d bid tid qid qd od bd tds prn po iv im sc
    sq pt pts dx hx tx sx rx fx etc max avg est no nos ref refs eq vol p pp ed eds jan feb
    mar apr jun jul aug sep sept oct nov dec univ dept co inc ltd bilat"""
)
#: Shortenings that describe what follows: opening a sentence, their full stop never ends it
#: ("Bilat. hip flexion 4/5", "Exam: Prox. weakness"); elsewhere they are weak ("weakness
#: bilat. Neck flexion 5/5" ends after "bilat.").
_OPENING = frozenset({"bilat", "prox"})
_NUMBER_ONLY = frozenset({"no", "nos", "fig", "figs", "ref", "refs", "eq", "vol", "p", "pp"})
_TITLES = frozenset({"dr", "drs", "mr", "mrs", "ms", "prof", "mx"})

_CANDIDATE = re.compile(
    r"[.!?…]+[\"'’”)\]]*(?=\s|$)"  # terminal punctuation before white space
    r"|\.(?=[A-Z][a-z])"  # glued: 'dysphagia.Physical'
    r"|\.(?=\[\d[\d,\s–-]*\]\s)"  # a reference after the full stop: '.[12] Next'
    r"|\n"
)
_TOKEN_CHARS = frozenset("_.’'/")
_BRACKETS = re.compile(r"[()\[\]]|\n[ \t]*\n")
_LIST_ITEM = re.compile(r"(?:[-•*▪◦·–]\s|\d{1,2}[.)]\s|[a-z][.)]\s|\([a-z0-9]{1,2}\)\s)")
_FUNCTION_END = re.compile(
    r"(?:[,;(\-–/&]|\b(?:and|or|of|the|a|an|to|in|on|with|for|by|at|from|as|than|was|were|is|"
    r"are|no|not|nor|but|that|which)|\b[a-z]+ly)$",
    re.IGNORECASE,
)
_LABELLED = re.compile(r"[A-Z][^:\n]{0,40}:\s")
_DETERMINER_START = re.compile(
    r"(?:a|an|the|this|that|these|those|her|his|their|she|he|it|there|we|our|in|on)\b",
    re.IGNORECASE,
)
_TERMINAL = re.compile(r"[.!?…:;][\"'’”)\]]*$")
_INITIAL = re.compile(r"[A-Z]\.\s")
_INITIAL_BEFORE = re.compile(r"(?:^|\s)[a-z]\.$")
_ALNUM = re.compile(r"[^\W_]")
_MAX_PAREN = 400


def _protected(piece: str, start: int) -> tuple[list[int], list[int]]:
    """Spans inside balanced (), [] on one paragraph of ``piece`` (which starts at offset
    ``start`` of the text): starts and ends, sorted, disjoint."""
    stack: list[tuple[str, int]] = []
    spans: list[tuple[int, int]] = []
    for m in _BRACKETS.finditer(piece):
        ch = m.group()
        at = start + m.start()
        if ch in "([":
            stack.append((ch, at))
        elif ch in ")]":
            want = "(" if ch == ")" else "["
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == want:
                    opened = stack[k][1]
                    del stack[k:]
                    if at - opened <= _MAX_PAREN:
                        spans.append((opened, at))
                    break
        else:  # a blank line closes nothing: forget unclosed brackets
            stack.clear()
    spans.sort()
    starts: list[int] = []
    ends: list[int] = []
    for a, b in spans:
        if ends and a <= ends[-1]:
            ends[-1] = max(ends[-1], b)
        else:
            starts.append(a)
            ends.append(b)
    return starts, ends


def _inside(pos: int, starts: list[int], ends: list[int]) -> bool:
    k = bisect.bisect_right(starts, pos) - 1
    return k >= 0 and pos < ends[k]


def _period_ends_sentence(text: str, pos: int, q: int) -> bool:
    """Whether the full stop at ``pos`` ends a sentence; ``q`` is the next non-space char."""
    nxt = text[q] if q < len(text) else "A"
    k = pos
    floor = max(0, pos - 24)
    while k > floor and (text[k - 1].isalnum() or text[k - 1] in _TOKEN_CHARS):
        k -= 1
    token = text[k:pos].lower().rstrip("’'")
    if (token.isdigit() and len(token) <= 2) or (len(token) == 1 and token.isalpha()):
        line_start = text.rfind("\n", 0, k) + 1
        if not text[line_start:k].strip(" \t-•*"):
            return False  # an enumeration at the start of a line: "1. dysphagia", "b. rash"
    if not token or not (token.isalpha() or any(c.isalpha() for c in token)):
        return True  # a number, a bracket, a quote: an ordinary sentence end
    bare = token.strip(".")
    if bare == "al" and text[max(0, pos - 6) : pos].lower().startswith(("et al", " et al")):
        return False
    if bare in _NUMBER_ONLY:
        if nxt.isdigit():
            return False
        if bare in ("no", "nos"):
            return True
    if bare in _STRONG:
        return False
    if bare in _OPENING and _opens_sentence(text, k):
        return False
    upper = nxt.isupper()
    if bare in _WEAK or "/" in bare or "." in bare:
        return upper
    if len(bare) == 1:
        if not upper:
            return False
        before = text[max(0, pos - 12) : pos - 1].rstrip().lower()
        initials = _INITIAL.match(text, q) is not None or _INITIAL_BEFORE.search(before)
        return not (initials or before.endswith(tuple(f"{t}." for t in _TITLES)))
    return True


def _opens_sentence(text: str, k: int) -> bool:
    """Whether the word at ``k`` opens a sentence: only white space, a list mark or a
    sentence's or label's final punctuation before it."""
    before = text[max(0, k - 40) : k].rstrip(" \t\n\r-•*")
    return not before or before[-1] in ".!?:;"


def _line_start(text: str, pos: int, floor: int) -> int:
    return max(text.rfind("\n", floor, pos) + 1, floor)


def _newline_ends_sentence(text: str, pos: int, start: int, end: int) -> tuple[bool, int]:
    """Decide the line break at ``pos``; returns (boundary?, position after any blank run)."""
    prev = text[_line_start(text, pos, start) : pos].rstrip()
    q = pos + 1
    blank = False
    while q < end and text[q] in " \t\n\r":
        if text[q] == "\n":
            blank = True
        q += 1
    if q >= end or not prev.strip():
        return True, q
    nxt = text[q : min(q + 64, end)]
    first = nxt[0]
    if blank:
        return not (_TERMINAL.search(prev) is None and first.islower()), q
    if first.islower() and nxt[1:2] not in (".", ")") and prev[-1] != ":" and "\t" not in prev:
        return False, q  # the usual case: a wrapped line continues in lower case
    if _TERMINAL.search(prev) is not None:
        return prev.endswith(":"), q  # '.' etc. are decided as punctuation candidates
    if _LIST_ITEM.match(nxt) or _LABELLED.match(nxt) or "\t" in prev or "\t" in nxt:
        return True, q
    head = prev.strip()
    if len(head) <= 80 and _heading(head, allow_inline=False, allow_short=True) is not None:
        return True, q
    if (
        len(head) <= 40
        and len(head.split()) <= 6
        and _FUNCTION_END.search(head) is None
        and _DETERMINER_START.match(head) is None
        and (first.isupper() or first.isdigit() or first in "\"'‘“")
    ):
        return True, q
    return False, q


def _trimmed(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _cut(text: str, a: int, b: int) -> int:
    """Where to cut an over-long sentence ``text[a:b]`` within ``MAX_SENTENCE_CHARS``: the
    last line break, else the last ``;`` or ``,`` in the second half, else the last space,
    else the limit itself."""
    limit = a + MAX_SENTENCE_CHARS
    cut = text.rfind("\n", a + 1, limit)
    if cut > a:
        return cut + 1
    half = a + MAX_SENTENCE_CHARS // 2
    for mark in ("; ", ", "):
        cut = text.rfind(mark, half, limit)
        if cut > a:
            return cut + 1
    cut = text.rfind(" ", a + 1, limit)
    return cut + 1 if cut > a else limit


def _emit(text: str, a: int, b: int, out: list[Sentence]) -> None:
    a, b = _trimmed(text, a, b)
    while b - a > MAX_SENTENCE_CHARS:  # a run without punctuation: cut, in bounded pieces
        cut = _cut(text, a, b)
        x, y = _trimmed(text, a, cut)
        if x < y and _ALNUM.search(text, x, y) is not None:
            out.append(Sentence(x, y, text[x:y]))
        a, b = _trimmed(text, cut, b)
    if a >= b or _ALNUM.search(text, a, b) is None:
        return
    out.append(Sentence(a, b, text[a:b]))


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Sentence]:
    """Sentences of ``text[start:end]``, with offsets into ``text``."""
    stop = len(text) if end is None else min(end, len(text))
    start = max(0, start)
    out: list[Sentence] = []
    if start >= stop:
        return out
    # The scans run over a slice of their own: narrower than the text when the text has a
    # character beyond Latin-1 elsewhere, which Python's regexes scan several times faster.
    piece = text[start:stop]
    starts, ends = _protected(piece, start)
    sentence_start = start
    skip_to = start
    for m in _CANDIDATE.finditer(piece):
        pos = start + m.start()
        if pos < skip_to:
            continue
        ch = text[pos]
        if ch == "\n":
            boundary, after = _newline_ends_sentence(text, pos, start, stop)
            skip_to = after
            if boundary and not (after - pos == 1 and starts and _inside(pos, starts, ends)):
                _emit(text, sentence_start, pos, out)
                sentence_start = pos
            continue
        if starts and _inside(pos, starts, ends):
            continue
        cut = start + m.end()
        q = cut
        while q < stop and text[q].isspace():
            q += 1
        nxt = text[q] if q < stop else "A"
        punct = m.group()
        if "?" in punct or "!" in punct:
            boundary = True
        elif punct.startswith(("..", "…")):
            boundary = nxt.isupper() or nxt.isdigit()
        else:
            boundary = _period_ends_sentence(text, pos, q if q < stop else len(text))
        if boundary:
            if text[pos] == "." and m.group() == "." and cut < stop and text[cut] == "[":
                close = text.find("]", cut, stop)
                cut = close + 1 if close > 0 else cut
            _emit(text, sentence_start, cut, out)
            sentence_start = cut
    _emit(text, sentence_start, stop, out)
    return out
