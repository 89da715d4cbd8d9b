"""Read a clinical document into a patient record: :func:`read_record`.

Pipeline: :func:`~heliotrope.nlp.ingest.ingest` (text, HTML or PDF → normalised text) →
:func:`~heliotrope.nlp.sections.split_sections` (whose story each part tells) →
:func:`~heliotrope.nlp.sentences.split_sentences` → the extractors of
:mod:`heliotrope.nlp.extract`, only where :mod:`heliotrope.nlp.extract.scope` says the text is
about the patient, and in each sentence only the families whose keys it holds (one scan of the
text read: :class:`~heliotrope.nlp.extract.DocumentGates`) →
:class:`~heliotrope.nlp.context.ConText` on every mention's span →
:func:`heliotrope.nlp.build.build`. Every fact keeps its document, character offsets,
sentence, section and extractor. A sentence said again word for word in one document (a
template line, a note copied forward) is read once (:class:`_Memo`); each occurrence keeps
its own offsets and provenance.

A sentence cut by a figure or table dropped into the middle of a PDF column ("... and 32
(normal range" | Fig. 1 ... | "0–27 mm/h) respectively.") is read whole: the two pieces are
joined when the first lacks a final full stop and the second starts in lower case or with a
digit.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypeVar

from heliotrope.errors import DocumentError, DocumentLimitError
from heliotrope.io.inputs import DOCUMENT_SUFFIXES
from heliotrope.limits import MAX_DOCUMENT_MENTIONS
from heliotrope.model.provenance import Source
from heliotrope.model.record import PatientRecord
from heliotrope.model.vocabulary import InvestigationKind, Sex
from heliotrope.nlp.build import ExtractedFact, ExtractionWarning, Located, build
from heliotrope.nlp.conflicts import Conflict
from heliotrope.nlp.context import ConText, SentenceMemo
from heliotrope.nlp.extract import DocumentGates, cancer, course, extract_sentence
from heliotrope.nlp.extract.base import (
    DemographicMention,
    InvestigationMention,
    LabMention,
    Mention,
    TimeMention,
    TreatmentMention,
    lowered,
)
from heliotrope.nlp.extract.lexicon import literal_trie
from heliotrope.nlp.extract.scope import Tier, caption_describes_patient, refers_to_patient, tier_of
from heliotrope.nlp.ingest import Document, ingest
from heliotrope.nlp.sections import Section, split_sections
from heliotrope.nlp.sentences import Sentence, split_sentences

__all__ = [
    "TEXT_SUFFIXES",
    "ReadResult",
    "extraction_json",
    "is_text_document",
    "read_record",
    "record_data",
    "trusted_source",
]

#: Files :func:`read_record` reads (anything else is a case file, YAML or JSON).
TEXT_SUFFIXES = DOCUMENT_SUFFIXES


def is_text_document(path: str | Path) -> bool:
    """Is ``path`` a clinical document (text, HTML, PDF) rather than a case file?"""
    return Path(path).suffix.lower() in TEXT_SUFFIXES


def record_data(record: PatientRecord) -> dict[str, Any]:
    """The record as case-file data (JSON types) that :func:`parse_record` reads back equal."""
    data: dict[str, Any] = record.model_dump(mode="json", exclude_defaults=True)
    for value in data.values():
        if isinstance(value, list):
            for index, row in enumerate(value):
                if isinstance(row, dict) and "source" in row:
                    value[index] = {k: v for k, v in row.items() if k != "source"} | {
                        "source": row["source"]
                    }
    return data


@dataclass(frozen=True)
class ReadResult:
    """The record read from a document, the facts behind it, conflicts and warnings."""

    record: PatientRecord
    facts: list[ExtractedFact]
    conflicts: list[Conflict]
    document: Document
    warnings: list[ExtractionWarning]
    spans: list[Located] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Facts per family (for summaries)."""
        out: dict[str, int] = {}
        for fact in self.facts:
            out[fact.family] = out.get(fact.family, 0) + 1
        return out


@dataclass
class _Unit:
    """A sentence (or a sentence joined across a figure) of one section."""

    pieces: list[tuple[int, str]]
    section: Section
    tier: Tier

    @property
    def text(self) -> str:
        if len(self.pieces) == 1:
            return self.pieces[0][1]
        return " ".join(t for _, t in self.pieces)

    def to_doc(self, pos: int) -> int:
        base = 0
        for start, text in self.pieces:
            if pos <= base + len(text):
                return start + (pos - base)
            base += len(text) + 1
        last_start, last_text = self.pieces[-1]
        return last_start + len(last_text)

    def sentence(self) -> Sentence:
        if len(self.pieces) == 1:
            start, text = self.pieces[0]
            return Sentence(start, start + len(text), text)
        return Sentence(0, len(self.text), self.text)

    def target(self, start: int, end: int) -> tuple[int, int]:
        if len(self.pieces) == 1:
            base = self.pieces[0][0]
            return base + start, base + end
        return start, end


@cache
def _context() -> ConText:
    return ConText()


_ENDED = re.compile(r"[.!?:]\W*$")
_CONTINUES = re.compile(r"^[\s(]*[a-z0-9–-]")
_PRONOUN_WORDS = r"\b(?:(?P<she>she|her|hers|herself)|he|his|him|himself)\b"
_PRONOUN = re.compile(_PRONOUN_WORDS)  # over lower-cased text: faster than ignoring case
_PRONOUN_I = re.compile(_PRONOUN_WORDS, re.IGNORECASE)


def _units(document: Document, sections: Sequence[Section]) -> list[_Unit]:
    is_case_report = any(s.scope == "patient" for s in sections)
    units: list[_Unit] = []
    open_unit: dict[tuple[str, str], _Unit] = {}  # an unterminated last sentence per section
    for section in sections:
        tier = tier_of(section.scope, is_case_report)
        if tier is None:
            continue
        sentences = split_sentences(document.text, section.start, section.end)
        if not sentences:
            continue
        key = (section.name, section.scope)
        pending = open_unit.pop(key, None)
        first = 0
        if (
            pending is not None
            and section.scope not in ("caption", "table")
            and _CONTINUES.match(sentences[0].text)
        ):
            pending.pieces.append((sentences[0].start, sentences[0].text))
            first = 1
        for sentence in sentences[first:]:
            units.append(_Unit([(sentence.start, sentence.text)], section, tier))
        last = units[-1] if sentences[first:] else pending
        if (
            last is not None
            and section.scope not in ("caption", "table")
            and not _ENDED.search(last.text)
        ):
            open_unit[key] = last
    return units


def _main_story(sections: Sequence[Section]) -> set[str]:
    """Patient sections that tell the full story (the abstract only if nothing else does)."""
    names = {s.name for s in sections if s.scope == "patient"}
    full = {n for n in names if not n.lower().startswith("abstract")}
    return full or names


def trusted_source(
    document: str, start: int, end: int, sentence: str, section: str, extractor: str
) -> Source:
    """A :class:`Source` of a span this module has checked (``0 <= start <= end``), set up
    the way ``Source.model_construct`` sets one up but without its per-field lookups: one is
    made for every mention of every sentence (``tests/nlp/test_reader.py`` checks that it
    equals a validated one)."""
    values = {
        "document": document,
        "field": None,
        "start": start,
        "end": end,
        "sentence": sentence,
        "section": section,
        "extractor": extractor,
    }
    source = Source.__new__(Source)
    object.__setattr__(source, "__dict__", values)
    object.__setattr__(source, "__pydantic_fields_set__", set(values))
    object.__setattr__(source, "__pydantic_extra__", None)
    object.__setattr__(source, "__pydantic_private__", None)
    return source


def _stretches(units: Sequence[_Unit]) -> list[tuple[int, int]]:
    """The document stretches the units cover, neighbours merged (one scan each)."""
    spans = sorted((start, start + len(text)) for u in units for start, text in u.pieces)
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1] + 8:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


_MemoKey = tuple[str, InvestigationKind | None, bool | str, frozenset[str] | None]


_K = TypeVar("_K")
_V = TypeVar("_V")
#: Sentences a document's memo keeps (memory stays bounded on long documents, issue 12).
_MEMO_SENTENCES = 4096


class _Bounded(dict[_K, _V]):
    """A dict that takes no new key once it holds ``_MEMO_SENTENCES``."""

    def __setitem__(self, key: _K, value: _V) -> None:
        if len(self) < _MEMO_SENTENCES or key in self:
            super().__setitem__(key, value)


@dataclass
class _Memo:
    """What one document's sentences gave, by sentence text: a sentence said again word for
    word (a note copied forward, a repeated template line) is read once. Extraction depends
    only on the sentence's text, the investigation the sentence before named, whether dates
    are read and the gates; mentions are immutable and carry offsets relative to the
    sentence, so they are shared; each occurrence keeps its own offsets, source and
    assertions. At most ``_MEMO_SENTENCES`` sentences are kept (the first ones read)."""

    mentions: dict[_MemoKey, list[Mention]] = field(default_factory=_Bounded)
    sentences: SentenceMemo = field(default_factory=_Bounded)
    normalised: dict[str, str] = field(default_factory=_Bounded)


def _locate(
    document: Document, units: Sequence[_Unit], main: set[str]
) -> tuple[list[Located], list[ExtractionWarning]]:
    context = _context()
    located: list[Located] = []
    warnings: list[ExtractionWarning] = []
    captions: dict[int, list[tuple[_Unit, list[Mention]]]] = {}
    previous: InvestigationKind | None = None
    previous_section = ""
    read = [u for u in units if u.tier != "secondary" or refers_to_patient(u.text)]
    gates = DocumentGates(document.text, _stretches(read))
    memo = _Memo()
    for unit in read:
        if unit.section.name != previous_section:
            previous, previous_section = None, unit.section.name
        text = unit.text
        # Dates are read from the main story; elsewhere only "X preceded Y by N months"
        # (see build.py): a caption has none.
        times: bool | Literal["preceded"] = (
            unit.tier == "patient" and unit.section.name in main
        ) or ("preceded" if unit.tier != "caption" else False)
        known = None
        if len(unit.pieces) == 1:
            start, piece = unit.pieces[0]
            known = gates.of(start, start + len(piece))
        key = (text, previous, times, None if known is None else frozenset(known))
        mentions = memo.mentions.get(key)
        if mentions is None:
            mentions = extract_sentence(text, previous, times=times, gates=known)
            if times is True:  # the main story: its course in words (events, responses)
                mentions = _with_course(text, mentions)
            memo.mentions[key] = mentions
        kinds = [m for m in mentions if isinstance(m, InvestigationMention)]
        previous = kinds[-1].kind if kinds else None
        if unit.tier == "caption":
            captions.setdefault(unit.section.start, []).append((unit, mentions))
            continue
        located += _assert(document, unit, mentions, context, main, memo)
        if len(located) > MAX_DOCUMENT_MENTIONS:
            raise _too_many_mentions(document, unit)
    for pieces in captions.values():
        caption_text = " ".join(u.text for u, _ in pieces)
        found = [m for _, ms in pieces for m in ms if not isinstance(m, TimeMention)]
        if not caption_describes_patient(caption_text, bool(found)):
            if found:
                warnings.append(
                    ExtractionWarning(
                        message="caption not read: it does not describe this patient "
                        "(generic or literature wording)",
                        source=Source(
                            document=document.name,
                            start=pieces[0][0].pieces[0][0],
                            end=pieces[-1][0].to_doc(len(pieces[-1][0].text)),
                            section=pieces[0][0].section.name,
                            extractor="scope.caption",
                        ),
                    )
                )
            continue
        for unit, mentions in pieces:
            located += _assert(document, unit, mentions, context, main, memo)
    return located, warnings


@cache
def _course_words() -> re.Pattern[str]:
    """One prefix-factored regex of the words the course and tumour-response readers need
    (a plain alternation costs four times as much): a main-story sentence holding none of
    them is not handed to them (most sentences)."""
    return re.compile(literal_trie({*course.PRECHECK_WORDS, *cancer.RESPONSE_WORDS}))


def _with_course(text: str, mentions: list[Mention]) -> list[Mention]:
    """``mentions`` with the story's course in words: time points told by events,
    resolutions (:mod:`~heliotrope.nlp.extract.course`) and reported tumour responses."""
    if _course_words().search(lowered(text)) is None:
        return mentions
    named = [m for m in mentions if isinstance(m, TreatmentMention)]
    extra: list[Mention] = [*course.extract(text, named), *cancer.extract_responses(text)]
    if not extra:
        return mentions
    return sorted([*mentions, *extra], key=lambda m: (m.start, m.end))


def _too_many_mentions(document: Document, unit: _Unit) -> DocumentLimitError:
    """Issue 12: memory stays bounded on text dense with facts."""
    return DocumentLimitError(
        f"the document holds more than {MAX_DOCUMENT_MENTIONS:,} mentions of clinical facts "
        f"(by character {unit.pieces[0][0]}); the limit is "
        "heliotrope.limits.MAX_DOCUMENT_MENTIONS: split the document or extract the relevant "
        "part",
        source=document.name,
    )


def _assert(
    document: Document,
    unit: _Unit,
    mentions: Sequence[Mention],
    context: ConText,
    main: set[str],
    memo: _Memo,
) -> list[Located]:
    if not mentions:
        return []
    text = unit.text
    single = len(unit.pieces) == 1
    # offsets of the sentence in the document (a unit joined across a figure: its own text)
    base = unit.pieces[0][0] if single else 0
    targets: list[tuple[int, int]] = []
    for m in mentions:
        if m.end <= m.start:
            continue
        # A statement without a value: ConText reads the words that say it ("no elevation")
        if isinstance(m, LabMention) and m.said is not None:
            targets.append((base + m.said[0], base + m.said[1]))
        else:
            targets.append((base + m.start, base + m.end))
        if isinstance(m, InvestigationMention):
            targets += [(base + a, base + b) for _f, _s, a, b in m.findings]
    assertions = context.assert_targets(unit.sentence(), targets, memo=memo.sentences)
    sentence = memo.normalised.get(text)
    if sentence is None:
        sentence = memo.normalised[text] = " ".join(text.split())
    out = []
    name, tier, main_story, size = document.name, unit.tier, unit.section.name in main, len(text)
    section = unit.section.name
    k = 0  # the assertions are in the order of the targets
    for m in mentions:
        if m.end <= m.start:
            continue
        assertion = assertions[k]
        k += 1
        findings: tuple[object, ...] = ()
        if isinstance(m, InvestigationMention) and m.findings:
            findings = tuple(assertions[k : k + len(m.findings)])
            k += len(m.findings)
        if single:
            first = base + min(m.start, size)
            last = max(first, base + min(m.end, size))
        else:
            first = unit.to_doc(m.start)
            last = max(first, unit.to_doc(m.end))
        out.append(
            Located(
                mention=m,
                source=trusted_source(name, first, last, sentence, section, m.extractor),
                tier=tier,
                assertion=assertion,
                findings=findings,  # type: ignore[arg-type]
                main_story=main_story,
            )
        )
    return out


def _pronoun_sex(document: Document, sections: Sequence[Section], main: set[str]) -> Located | None:
    """The patient's sex from pronouns when no sexed noun says it (3 to 1 at least)."""
    she = he = 0
    first: tuple[int, int] | None = None
    for section in sections:
        if section.scope != "patient" or section.name not in main:
            continue
        first_she = first_he = None
        text = document.text[section.start : section.end]
        low = text.lower()
        found = _PRONOUN.finditer(low) if len(low) == len(text) else _PRONOUN_I.finditer(text)
        for m in found:
            if m.group("she") is not None:
                she += 1
                first_she = first_she or m
            else:
                he += 1
                first_he = first_he or m
        mark = first_she or first_he  # the span cited: her first "she/her", else "he/his"
        if first is None and mark is not None:
            first = (section.start + mark.start(), section.start + mark.end())
    if first is None:
        return None
    if she >= 3 * max(1, he):
        sex = Sex.female
    elif he >= 3 * max(1, she):
        sex = Sex.male
    else:
        return None
    mention = DemographicMention(start=0, end=0, extractor="demographics.pronouns", sex=sex)
    source = Source(
        document=document.name,
        start=first[0],
        end=first[1],
        sentence=f"pronouns: she/her {she}, he/his {he}",
        extractor="demographics.pronouns",
    )
    return Located(mention=mention, source=source, tier="patient")


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a document is read. Reading makes
    objects by the hundred thousand (mentions, sources, facts) and almost no reference
    cycles (a few thousand small ones per MB, freed at the next collection after), yet each
    of its passes walks every live object: paused, a 1 MB document reads 10-20 % faster
    (``benchmarks/extraction.py``), its peak memory within 10 MB (``extraction_scaling.py`` at
    1 MB: prose 85 MB either way; the worst shape, 116 MB against 107).
    Left alone when the caller has already turned it off; always turned back on."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def read_record(source: str | Path | Document, *, nominal_dates: bool = True) -> ReadResult:
    """Read a clinical document (``.txt``, ``.html``, ``.pdf`` or an ingested
    :class:`Document`) into a record. Raises :class:`~heliotrope.errors.DocumentError` when
    the document cannot be read; an empty story gives an empty record with a warning."""
    with _collector_paused():
        return _read_record(source, nominal_dates=nominal_dates)


def _read_record(source: str | Path | Document, *, nominal_dates: bool) -> ReadResult:
    document = source if isinstance(source, Document) else ingest(source)
    if not document.text.strip():
        raise DocumentError("the document has no text to read", source=document.name)
    sections = split_sections(document)
    main = _main_story(sections)
    units = _units(document, sections)
    located, warnings = _locate(document, units, main)
    pronouns = _pronoun_sex(document, sections, main)
    if pronouns is not None:
        located.append(pronouns)
    if not any(s.scope == "patient" for s in sections):
        warnings.append(
            ExtractionWarning(message="no part of the document tells a patient's story")
        )
    built = build(located, document.name, nominal_dates=nominal_dates)
    return ReadResult(
        record=built.record,
        facts=built.facts,
        conflicts=built.conflicts,
        document=document,
        warnings=warnings + built.warnings,
        spans=located,
        sections=list(sections),
    )


def extraction_json(result: ReadResult) -> dict[str, Any]:
    """The ``extraction`` block of ``assess --format json``: facts with provenance,
    conflicts and warnings."""
    return {
        "document": result.document.name,
        "kind": result.document.kind,
        "characters": len(result.document.text),
        "counts": result.counts(),
        "facts": [f.model_dump(mode="json", exclude_none=True) for f in result.facts],
        "conflicts": [
            {**c.model_dump(mode="json", exclude_none=True), "resolved": c.resolved}
            for c in result.conflicts
        ],
        "warnings": [w.model_dump(mode="json", exclude_none=True) for w in result.warnings],
    }
