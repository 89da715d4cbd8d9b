"""A self-contained HTML page to review what was read from a document: the text, section by
section (sections that are not read are dimmed), with every span that became a fact
highlighted and linked to the list of facts, conflicts and warnings.

The document text is untrusted: every piece of it, and every string derived from it, goes
through :func:`html.escape`; the page has no scripts and loads nothing.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from html import escape

from heliotrope.model.provenance import Source
from heliotrope.nlp.reader import ReadResult

__all__ = ["render_review"]

_CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
header,main{max-width:72rem;margin:0 auto;padding:0 1.2rem}
h1{font-size:1.3rem;margin:1rem 0 .2rem}h2{font-size:1.1rem;margin:1.4rem 0 .4rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}
td,th{border-bottom:1px solid #ddd;padding:.25rem .4rem;text-align:left;vertical-align:top}
.doc{background:#fff;border:1px solid #ddd;padding:1rem;white-space:pre-wrap}
.sec{margin:0 0 .8rem}.sec-label{font:600 .75rem system-ui;color:#555;display:block}
.unread{color:#999}
mark{background:#fff3a6;border-radius:2px;padding:0 1px}
mark.finding{background:#ffe0b3}mark.lab{background:#cfe8ff}mark.antibody{background:#e0d4ff}
mark.investigation{background:#c9f2d0}mark.cancer{background:#ffc9c9}
mark.treatment{background:#e6e6e6}mark.event{background:#d9f7f7}mark.warning{background:none;
text-decoration:underline dotted #b00}
.flag{font-size:.75rem;background:#eee;border-radius:3px;padding:0 4px;margin-left:3px}
.muted{color:#666}.conflict{border-left:3px solid #c60;padding-left:.6rem;margin:.4rem 0}
"""


#: Words of the warnings that leave a fact unknown because the text hedges it.
_AMBIGUOUS = ("uncertain statement", "hedged in the same sentence", "ambiguous")


def _span_class(family: str) -> str:
    return {
        "finding": "finding",
        "muscle grades": "finding",
        "lab": "lab",
        "antibody": "antibody",
        "investigation": "investigation",
        "cancer": "cancer",
        "treatment": "treatment",
        "event": "event",
    }.get(family, "finding")


def _where(source: Source) -> str:
    parts = []
    if source.section:
        parts.append(source.section)
    if source.start is not None:
        parts.append(f"chars {source.start}–{source.end}")
    if source.extractor:
        parts.append(source.extractor)
    return " · ".join(parts)


def _marked(text: str, offset: int, spans: Iterable[tuple[int, int, str, str]]) -> str:
    """``text`` (starting at document offset ``offset``) with spans wrapped in <mark>;
    overlapping spans are split at every boundary so the markup stays well nested."""
    inside = [
        (max(a, offset), min(b, offset + len(text)), css, ident)
        for a, b, css, ident in spans
        if a < offset + len(text) and b > offset and b > a
    ]
    if not inside:
        return escape(text)
    cuts = sorted(
        {offset, offset + len(text), *(a for a, *_ in inside), *(b for _, b, *_ in inside)}
    )
    out: list[str] = []
    for lo, hi in itertools.pairwise(cuts):
        piece = escape(text[lo - offset : hi - offset])
        active = [s for s in inside if s[0] <= lo and hi <= s[1]]
        if not active:
            out.append(piece)
            continue
        css, ident = active[0][2], active[0][3]
        ids = " ".join(dict.fromkeys(s[3] for s in active))
        out.append(
            f'<mark class="{escape(css)}" title="{escape(ids)}">'
            f'<a href="#{escape(ident)}">{piece}</a></mark>'
        )
    return "".join(out)


def render_review(result: ReadResult) -> str:
    """The review page for one read document."""
    doc = result.document
    spans: list[tuple[int, int, str, str]] = []
    for index, fact in enumerate(result.facts):
        ident = f"fact-{index}"
        for source in (fact.source, *fact.supporting):
            if source.start is not None and source.end is not None and source.document == doc.name:
                spans.append((source.start, source.end, _span_class(fact.family), ident))
    for index, warning in enumerate(result.warnings):
        said = warning.source
        if said is not None and said.start is not None and said.end is not None:
            spans.append((said.start, said.end, "warning", f"warning-{index}"))

    counts = ", ".join(f"{n} {family}" for family, n in sorted(result.counts().items()))
    html: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        f"<title>heliotrope review — {escape(doc.name)}</title>",
        f"<style>{_CSS}</style></head><body>",
        "<header>",
        f"<h1>What heliotrope read from {escape(doc.name)}</h1>",
        f'<p class="muted">{escape(doc.kind)} document, {len(doc.text):,} characters · '
        f"{len(result.facts)} facts ({escape(counts) or 'none'}) · "
        f"{len(result.conflicts)} conflicts · {len(result.warnings)} warnings. "
        "Extraction can be wrong: check every fact against the text before use.</p>",
        "</header><main>",
    ]
    if result.conflicts:
        html.append("<h2>Conflicts</h2>")
        for conflict in result.conflicts:
            kept = (
                f"kept <b>{escape(conflict.kept.value)}</b>"
                if conflict.kept
                else "<b>unresolved</b>: left unknown"
            )
            html.append(
                f'<div class="conflict"><b>{escape(conflict.subject)}</b>: {kept} — rule '
                f"<i>{escape(conflict.rule)}</i> ({escape(conflict.explanation)})<ul>"
            )
            statements = ([conflict.kept] if conflict.kept else []) + list(conflict.rejected)
            for statement in statements:
                html.append(
                    f"<li><b>{escape(statement.value)}</b> "
                    f'<span class="muted">[{escape(statement.tier)}; '
                    f"{escape(_where(statement.source))}]</span><br>"
                    f"“{escape(statement.source.sentence or '')}”</li>"
                )
            html.append("</ul></div>")
    html.append("<h2>Facts</h2><table><tr><th>record</th><th>fact</th><th>from</th></tr>")
    for index, fact in enumerate(result.facts):
        flags = "".join(f'<span class="flag">{escape(f)}</span>' for f in fact.flags)
        support = f" (+{len(fact.supporting)} more)" if fact.supporting else ""
        html.append(
            f'<tr id="fact-{index}"><td><code>{escape(fact.path)}</code></td>'
            f"<td>{escape(fact.summary)}{flags}</td>"
            f"<td>“{escape(fact.source.sentence or '')}”"
            f'<br><span class="muted">{escape(_where(fact.source))}{escape(support)}</span></td>'
            "</tr>"
        )
    html.append("</table>")
    ambiguous = [
        (index, w)
        for index, w in enumerate(result.warnings)
        if any(word in w.message for word in _AMBIGUOUS)
    ]
    if ambiguous:
        # issue 8 part 4: where the text is truly ambiguous the fact is unknown, and why
        html.append(
            '<h2>Left unknown: the text is ambiguous</h2><p class="muted">These statements '
            "hedge (\u201cmay be\u201d, \u201ccould represent\u201d, \u201cdifficult to "
            "assess\u201d) or say a thing and doubt it in one sentence: the fact is "
            "recorded as unknown, not guessed. Criteria list such items as unknown and show "
            "what they would change.</p><table><tr><th>fact</th><th>why unknown</th>"
            "<th>the text</th></tr>"
        )
        for index, warning in ambiguous:
            subject, _, why = warning.message.partition(": ")
            sentence = warning.source.sentence if warning.source else None
            html.append(
                f'<tr><td><a href="#warning-{index}">{escape(subject)}</a></td>'
                f"<td>{escape(why)}</td><td>\u201c{escape(sentence or '')}\u201d</td></tr>"
            )
        html.append("</table>")
    if result.warnings:
        html.append("<h2>Read but not recorded</h2><ul>")
        for index, warning in enumerate(result.warnings):
            quote = ""
            if warning.source is not None and warning.source.sentence:
                quote = f"<br>“{escape(warning.source.sentence)}”"
            html.append(f'<li id="warning-{index}">{escape(warning.message)}{quote}</li>')
        html.append("</ul>")
    html.append('<h2>Document</h2><div class="doc">')
    for section in result.sections:
        read = section.scope in ("patient", "caption") or any(
            s.section == section.name for f in result.facts for s in (f.source, *f.supporting)
        )
        css = "sec" if read else "sec unread"
        html.append(
            f'<div class="{css}"><span class="sec-label">{escape(section.name)} '
            f"· {escape(section.scope)}</span>"
            + _marked(doc.text[section.start : section.end], section.start, spans)
            + "</div>"
        )
    html.append("</div></main></body></html>")
    return "\n".join(html)
