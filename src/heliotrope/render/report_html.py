"""HTML fragments for the web report: the read document with every extracted span highlighted
and addressable (``#span-START-END``), so an item's evidence links to its sentence.

Clinical text is untrusted: every character of the document goes through :func:`html.escape`;
the fragment has no scripts, attributes from the text or URLs.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from html import escape

from heliotrope.model.provenance import Source
from heliotrope.nlp.reader import ReadResult

__all__ = ["document_fragment", "span_id"]


def span_id(source: Source | None, document: str | None = None) -> str | None:
    """The anchor of a text span (``span-12-40``), or None for a span-less source (or one from
    another document than ``document``)."""
    if source is None or source.start is None or source.end is None:
        return None
    if document is not None and source.document != document:
        return None
    return f"span-{source.start}-{source.end}"


def _spans(result: ReadResult) -> list[tuple[int, int, str]]:
    """(start, end, family) of every fact's span in the document."""
    name = result.document.name
    out = []
    for fact in result.facts:
        for source in (fact.source, *fact.supporting):
            if span_id(source, name) is not None:
                assert source.start is not None and source.end is not None
                out.append((source.start, source.end, fact.family))
    return out


def _marked(text: str, offset: int, spans: Iterable[tuple[int, int, str]]) -> str:
    """``text`` at document ``offset`` with spans in <mark>, and an empty anchor where each
    span starts; overlapping spans are cut at every boundary so the markup stays nested."""
    inside = sorted(
        {
            (max(a, offset), min(b, offset + len(text)), a, b, family)
            for a, b, family in spans
            if a < offset + len(text) and b > offset and b > a
        }
    )
    if not inside:
        return escape(text)
    cuts = sorted({offset, offset + len(text), *(s[0] for s in inside), *(s[1] for s in inside)})
    anchors: dict[int, list[str]] = {}
    for lo, _hi, a, b, _family in inside:
        if lo == a:
            anchors.setdefault(lo, []).append(f"span-{a}-{b}")
    out: list[str] = []
    for lo, hi in itertools.pairwise(cuts):
        for ident in dict.fromkeys(anchors.get(lo, [])):
            out.append(f'<span class="anchor" id="{escape(ident)}"></span>')
        piece = escape(text[lo - offset : hi - offset])
        active = [s for s in inside if s[0] <= lo and hi <= s[1]]
        if active:
            family = escape(active[0][4].replace(" ", "-"))
            out.append(f'<mark class="fact {family}">{piece}</mark>')
        else:
            out.append(piece)
    return "".join(out)


def document_fragment(result: ReadResult) -> str:
    """The document, section by section, extracted spans highlighted and anchored."""
    text = result.document.text
    spans = _spans(result)
    parts = ['<div class="document">']
    sections = result.sections or []
    if not sections:
        parts.append(f'<div class="section">{_marked(text, 0, spans)}</div>')
    for section in sections:
        read = section.scope in ("patient", "caption")
        css = "section" if read else "section unread"
        parts.append(
            f'<div class="{css}"><span class="section-label">{escape(section.name)} · '
            f"{escape(section.scope)}</span>"
            + _marked(text[section.start : section.end], section.start, spans)
            + "</div>"
        )
    parts.append("</div>")
    return "".join(parts)
