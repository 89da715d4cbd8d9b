"""Sections of a document and the *scope* of their text.

:func:`split_sections` tiles ``Document.text`` (in order, no gaps, no overlaps) with
:class:`Section` pieces. Headings come from ``resources/nlp/sections.json`` (case-report
headings after the CARE guideline — Gagnier JJ, et al. The CARE guidelines: consensus-based
clinical case reporting guideline development. J Med Case Rep 2013;7:223 — and the usual
headings of clinical notes). The scope says whose story the text tells:

``patient``       this patient (case presentation, history, examination, investigations…)
``background``    what is known (introduction, the abstract's background)
``discussion``    the authors' reasoning (discussion, conclusions, differential diagnosis)
``references``    the reference list
``table``         a table ("Table 1 …" and its rows, until prose resumes)
``caption``       a figure caption ("Fig. 2 …"); whether it is about this patient is left to
                  the extractor
``front_matter``  title, journal line, keywords (and everything before an abstract)
``back_matter``   declarations, funding, abbreviations, author information…

``Section.name`` is the heading as written (without numbering, bullet or colon): "Case
report", "Abstract: Case presentation", "Table 1", "Fig. 2"; untitled leading text is "front
matter" or "body". After a table or caption the enclosing section resumes under its name.

Rules beyond the heading list:

* a heading starts with a capital letter (or a number or bullet);
* text before the first heading is ``front_matter`` when the document looks like an article
  (it has background, discussion, reference, back-matter or abstract headings), else
  ``patient``; a document without any heading (a clinical note) is one ``patient`` section;
* a structured abstract's parts are named ``Abstract: <label>`` and keep their own scope (the
  abstract's "Case presentation" is ``patient``); an unstructured abstract is
  ``front_matter`` when the document has another patient section, else ``patient``;
* a scraped web page's inline caption ("Fig. 1 … Full size image") is a caption section of
  its own inside the paragraph;
* a caption runs from its "Fig. N"/"Figure N" line until a blank line, a line ending in a
  full stop, an indented line starting in lower case or with a digit (PDF column text
  resuming), a heading, or a long prose line; a table runs from its "Table N" line until a
  heading, a caption, another table, or prose (an indented lower-case line, a lower-case line
  holding a sentence end, a long multi-sentence line, or three wrapped lines in a row).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from heliotrope.nlp.ingest import Document

__all__ = ["Scope", "Section", "split_sections"]

Scope = Literal[
    "patient",
    "background",
    "discussion",
    "references",
    "table",
    "caption",
    "front_matter",
    "back_matter",
]
_HeadingScope = Literal[
    "patient", "background", "discussion", "references", "front_matter", "back_matter"
]
_ARTICLE_SCOPES = frozenset({"background", "discussion", "references", "back_matter"})
_ABSTRACT_RANK = {"background": 0, "front_matter": 0, "patient": 1, "discussion": 2}


@dataclass(frozen=True)
class Section:
    """A piece of the document: ``text[start:end]`` under heading ``name``, with ``scope``."""

    name: str
    scope: Scope
    start: int
    end: int


class _HeadingGroup(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    scope: _HeadingScope
    labels: list[str] = Field(min_length=1)


class _SectionRules(BaseModel):
    """The closed schema of ``sections.json``."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    comment: str = Field(alias="$comment")
    version: Literal[1]
    headings: list[_HeadingGroup]
    abstract_parts: dict[str, _HeadingScope]
    midline: list[str]

    @model_validator(mode="after")
    def _labels_unique_and_normalised(self) -> _SectionRules:
        seen: set[str] = set()
        for group in self.headings:
            for label in group.labels:
                if label != _norm(label):
                    raise ValueError(f"label {label!r} is not normalised ({_norm(label)!r})")
                if label in seen:
                    raise ValueError(f"label {label!r} is listed twice")
                seen.add(label)
        return self


def _norm(label: str) -> str:
    label = label.lower().replace("&", " and ").replace("’", "'").replace("‘", "'")
    return " ".join(label.split()).strip(" .:")


@dataclass(frozen=True)
class _Compiled:
    labels: dict[str, _HeadingScope]
    abstract_parts: dict[str, _HeadingScope]
    midline: re.Pattern[str] | None


@cache
def _rules() -> _Compiled:
    raw = files("heliotrope.resources").joinpath("nlp/sections.json").read_text("utf-8")
    rules = _SectionRules.model_validate(json.loads(raw))
    labels = {label: group.scope for group in rules.headings for label in group.labels}
    midline = None
    if rules.midline:
        alternatives = "|".join(re.escape(m) for m in sorted(rules.midline, key=len, reverse=True))
        midline = re.compile(rf"(?<=[.;!?])[ \t]+((?:{alternatives})[ \t]*:)")
    return _Compiled(labels, {_norm(k): v for k, v in rules.abstract_parts.items()}, midline)


_BULLET = re.compile(r"^(?:[-•*▪·◦]\s*)?(?:(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,4}\.)\s+)?")
_INLINE = re.compile(r"^([^:\n]{1,60}?)\s*:\s*(\S.*)?$")
_SPLIT = re.compile(r"\s*(?:\band\b|/|,)\s*")
_CAPTION = re.compile(
    r"^\s*((?:Supplementary\s+)?(?:Fig(?:ure)?s?\.?|FIG(?:URE)?S?\.?)\s*S?\d+[A-Za-z]?)\b"
    r"\s*[.:|–-]?\s*(?=[A-Z‘'\"“(\[]|[a-z][\s).,]|$)"
)
_TABLE = re.compile(
    r"^\s*((?:Supplementary\s+)?(?:Table|TABLE)\s+(?:S?\d+|[IVX]{1,4})[A-Za-z]?)\b"
    r"\s*[.:|–-]?\s*(?=[A-Z‘'\"“(\[]|$)"
)
#: A figure caption inside a paragraph of a scraped web page ("… Fig. 1 Lung scan showing
#: infiltrates Full size image The patient …").
_WEB_CAPTION = re.compile(
    r"(?:^|(?<=[.!?)\]]\s))((Fig(?:ure)?s?\.?\s*S?\d+[A-Za-z]?)\b[^\n]{0,800}?\bFull size image)\b"
)
_SENTENCE_END = re.compile(r"[a-z0-9)\]%]\.\s+[A-Z]")


@dataclass(frozen=True)
class _Heading:
    label: str  # as written, without numbering, bullet or colon
    key: str  # normalised
    scope: _HeadingScope
    inline: bool


def _lookup(key: str) -> _HeadingScope | None:
    labels = _rules().labels
    scope = labels.get(key)
    if scope is not None:
        return scope
    parts = [p for p in _SPLIT.split(key) if p]
    if len(parts) > 1:
        scopes = {labels.get(p) for p in parts}
        if len(scopes) == 1:
            return scopes.pop()
    return None


def _heading(line: str, allow_inline: bool, allow_short: bool) -> _Heading | None:
    stripped = line.strip()
    if not stripped or (len(stripped) > 84 and ":" not in stripped[:66]):
        return None
    bulleted = stripped[0] in "-•*▪·◦"
    body = _BULLET.sub("", stripped, count=1)
    candidates: list[tuple[str, bool, bool]] = []  # (label, inline, has colon)
    if len(body) <= 80:
        whole = body.rstrip()
        colon = whole.endswith(":")
        whole = whole.rstrip(":").rstrip()
        if whole and len(whole.split()) <= 10:
            candidates.append((whole, False, colon))
    if allow_inline and ":" in body[:62]:
        m = _INLINE.match(body)
        if m and m.group(2):
            candidates.append((m.group(1), True, True))
    for label, inline, colon in candidates:
        key = _norm(label)
        if not key or label[0].islower():  # headings start with a capital
            continue
        if len(key) <= 3 and not (
            (allow_short and colon and not bulleted and label.isupper()) or label == "A/P"
        ):
            continue
        scope = _lookup(key)
        if scope is not None:
            return _Heading(label.strip(), key, scope, inline)
    return None


def _prose_line(stripped: str) -> bool:
    """A long line holding several sentences: a paragraph, not a table row or caption."""
    return len(stripped) >= 200 and len(_SENTENCE_END.findall(stripped)) >= 2


@dataclass
class _Piece:
    start: int
    name: str
    scope: Scope
    abstract: bool = False  # an abstract without parts (scope decided at the end)


def _lines(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _table_ends(lines: list[tuple[int, str]], i: int, rows: int) -> bool:
    line = lines[i][1]
    stripped = line.strip()
    if not stripped:
        return False
    if line[0] in " \t" and stripped[0].islower():
        return True
    if stripped[0].islower() and re.search(r"[.!?]\s+[A-Z]", stripped):
        return True
    if _prose_line(stripped) or rows > 120:
        return True
    wrapped = 0
    for j in range(i + 1, min(i + 4, len(lines))):
        prev, cur = lines[j - 1][1].strip(), lines[j][1]
        if len(prev) >= 40 and cur[:1].islower():
            wrapped += 1
        else:
            break
    return wrapped >= 3


def _caption_ends(line: str, previous: str, count: int) -> bool:
    stripped = line.strip()
    if not stripped or count >= 10 or _prose_line(stripped):
        return True
    if line[0] in " \t" and (stripped[0].islower() or stripped[0].isdigit()):
        return True
    return bool(re.search(r"[.!?][\"'’”)\]]*$", previous.rstrip()))


def split_sections(doc: Document) -> list[Section]:
    """Split ``doc.text`` into sections that tile it (see the module docstring)."""
    text = doc.text
    if not text:
        return []
    rules = _rules()
    lines = _lines(text)
    pieces: list[_Piece] = [_Piece(0, "body", "patient")]
    enclosing = pieces[0]
    mode = "prose"
    abstract_at: int | None = None  # index in pieces of the "Abstract" heading
    in_abstract = False
    abstract_rank = -1
    abstract_seen: set[str] = set()
    abstract_inline: bool | None = None
    article = False
    note_labels: list[_Piece] = []  # "Background: text" lines: a clinical note's, if no article
    caption_prev = ""
    caption_count = 0
    table_rows = 0

    def open_piece(start: int, name: str, scope: Scope) -> _Piece:
        piece = _Piece(start, name, scope)
        if pieces[-1].start == start:
            pieces[-1] = piece
        else:
            pieces.append(piece)
        return piece

    for i, (start, line) in enumerate(lines):
        stripped = line.strip()
        in_end_matter = enclosing.scope in ("references", "back_matter")
        heading = (
            _heading(line, allow_inline=mode == "prose", allow_short=not in_end_matter)
            if stripped
            else None
        )
        if heading is not None:
            scope: Scope = heading.scope
            name = heading.label
            if in_abstract:
                part = rules.abstract_parts.get(heading.key)
                rank = _ABSTRACT_RANK.get(part, -1) if part else -1
                if (
                    part is not None
                    and heading.key not in abstract_seen
                    and rank >= abstract_rank
                    and abstract_inline in (None, heading.inline)
                ):
                    abstract_seen.add(heading.key)
                    abstract_rank = rank
                    abstract_inline = heading.inline
                    scope, name = part, f"Abstract: {heading.label}"
                else:
                    in_abstract = False
            if heading.key == "abstract" and abstract_at is None:
                in_abstract, abstract_rank, abstract_inline = True, -1, None
                abstract_seen = set()
            elif scope in _ARTICLE_SCOPES and not heading.inline:
                article = True  # "Background: ..." / "Conclusion: ..." on one line: a note's
            enclosing = open_piece(start, name, scope)
            if heading.inline and scope in ("background", "discussion"):
                note_labels.append(enclosing)
            if heading.key == "abstract" and abstract_at is None:
                abstract_at = len(pieces) - 1
                enclosing.abstract = True
                article = True
            mode = "prose"
        elif (m := _CAPTION.match(line)) is not None:
            open_piece(start, " ".join(m.group(1).split()), "caption")
            mode, caption_prev, caption_count = "caption", line, 1
            continue
        elif (m := _TABLE.match(line)) is not None:
            open_piece(start, " ".join(m.group(1).split()), "table")
            mode, table_rows = "table", 0
            continue
        elif mode == "caption":
            if _caption_ends(line, caption_prev, caption_count):
                open_piece(start, enclosing.name, enclosing.scope)
                mode = "prose"
            else:
                caption_prev, caption_count = line, caption_count + 1
                continue
        elif mode == "table":
            table_rows += 1
            if _table_ends(lines, i, table_rows):
                open_piece(start, enclosing.name, enclosing.scope)
                mode = "prose"
            else:
                continue
        if mode == "prose" and stripped:
            events: list[tuple[int, int, str]] = []  # (start, end, label); end 0: a heading
            if rules.midline is not None and ":" in line:  # "… end. Heading: text"
                events += [(m.start(1), 0, m.group(1)) for m in rules.midline.finditer(line)]
            if "Full size image" in line:
                events += [(m.start(1), m.end(), m.group(2)) for m in _WEB_CAPTION.finditer(line)]
            for at, until, label in sorted(events):
                if until:
                    open_piece(start + at, " ".join(label.split()), "caption")
                    open_piece(start + until, enclosing.name, enclosing.scope)
                    continue
                label = label.rstrip(": \t")
                scope_mid = _lookup(_norm(label))
                if scope_mid is not None:
                    enclosing = open_piece(start + at, label, scope_mid)

    if not article:  # a clinical note's "Background:" is the patient's history
        for piece in note_labels:
            piece.scope = "patient"
    # text before the first heading; an abstract's preamble; an unstructured abstract
    lead = pieces[0]
    if lead.start == 0 and lead.name == "body" and len(pieces) > 1 and article:
        lead.name, lead.scope = "front matter", "front_matter"
    if abstract_at is not None and pieces[abstract_at].start <= max(5000, len(text) // 4):
        for piece in pieces[:abstract_at]:
            if piece.scope not in ("table", "caption"):
                piece.scope = "front_matter"
        head = pieces[abstract_at]
        structured = abstract_at + 1 < len(pieces) and pieces[abstract_at + 1].name.startswith(
            "Abstract: "
        )
        if not structured:
            others = any(p.scope == "patient" for p in pieces[abstract_at + 1 :])
            head.scope = "front_matter" if others else "patient"

    sections: list[Section] = []
    for piece, nxt in zip(pieces, [*pieces[1:], None], strict=True):
        end = nxt.start if nxt is not None else len(text)
        if end <= piece.start:
            continue
        last = sections[-1] if sections else None
        if last is not None and (
            (last.name == piece.name and last.scope == piece.scope)
            or not text[piece.start : end].strip()
        ):
            sections[-1] = Section(last.name, last.scope, last.start, end)
        else:
            sections.append(Section(piece.name, piece.scope, piece.start, end))
    return sections
