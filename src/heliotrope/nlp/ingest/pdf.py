"""PDF → plain text in reading order, with pdfplumber.

Per page: words are grouped into rows by their vertical position. A column gutter is looked
for in the middle half of the page: the widest vertical band that (almost) no word crosses,
with text on both sides. When there is one, rows that cross it (titles, full-width figures
and tables) are kept in place, and each run of rows between them is read left column first,
then right column. Rows in the top and bottom margins that repeat on at least half of the
pages (digits ignored: running headers, journal lines) and bare page numbers there are
dropped. A vertical gap larger than a line's height starts a new paragraph (a blank line);
a wide horizontal gap inside a row (a table cell) becomes a tab.

Before a page is laid out it is checked against :mod:`heliotrope.limits` (issue 12): the
page count (``MAX_PDF_PAGES``), each side of the page (``MAX_PDF_PAGE_SIDE``, the PDF 1.7
implementation limit), the decompressed size of its content and form streams, measured
without inflating more than the limit (``MAX_PDF_PAGE_CONTENT_BYTES`` per page,
``MAX_PDF_STREAM_BYTES`` for the document: compression bombs), and the bytes of text its
strings can show (``MAX_PDF_PAGE_CHARS``); each page's layout is released once its words are
read, so memory stays bounded on long PDFs. Crossing a limit is
:class:`~heliotrope.errors.DocumentLimitError` (HT108) naming the page.
"""

from __future__ import annotations

import math
import re
import statistics
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdftypes import PDFStream, resolve1

from heliotrope.errors import DocumentError, DocumentLimitError
from heliotrope.limits import (
    MAX_PDF_CHARS,
    MAX_PDF_PAGE_CHARS,
    MAX_PDF_PAGE_CONTENT_BYTES,
    MAX_PDF_PAGE_SIDE,
    MAX_PDF_PAGES,
    MAX_PDF_STREAM_BYTES,
)

__all__ = ["pdf_to_text"]

_MARGIN = 0.08  # fraction of the page height treated as header / footer zone
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")


@dataclass
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass
class _Row:
    words: list[_Word]
    top: float
    bottom: float

    @property
    def x0(self) -> float:
        return self.words[0].x0

    def text(self, gap: float) -> str:
        parts = [self.words[0].text]
        for prev, word in zip(self.words, self.words[1:], strict=False):
            parts.append("\t" if word.x0 - prev.x1 > gap else " ")
            parts.append(word.text)
        return "".join(parts)


def _rows(words: list[_Word]) -> list[_Row]:
    """Group words into rows (same line on the page), top to bottom, left to right."""
    rows: list[_Row] = []
    for word in sorted(words, key=lambda w: (round(w.top, 1), w.x0)):
        height = max(word.bottom - word.top, 1.0)
        if rows and abs(word.top - rows[-1].top) <= 0.4 * height:
            rows[-1].words.append(word)
            rows[-1].bottom = max(rows[-1].bottom, word.bottom)
        else:
            rows.append(_Row([word], word.top, word.bottom))
    for row in rows:
        row.words.sort(key=lambda w: w.x0)
    return rows


def _gutter(rows: list[_Row], width: float) -> float | None:
    """The x of a two-column gutter, or None for a single-column page."""
    if len(rows) < 6 or width <= 0:
        return None
    lo, hi = int(width * 0.3), int(width * 0.7)
    cover = [0] * (hi - lo + 1)
    for row in rows:
        for word in row.words:
            a, b = max(int(word.x0) - lo, 0), min(int(word.x1) - lo, hi - lo)
            for x in range(a, b + 1):
                cover[x] += 1
    allowed = max(1, len(rows) // 5)
    best: tuple[int, int] | None = None  # (start, length) of the widest low-coverage run
    start = -1
    for x, count in enumerate([*cover, allowed + 1]):
        if count <= allowed and start < 0:
            start = x
        elif count > allowed and start >= 0:
            if best is None or x - start > best[1]:
                best = (start, x - start)
            start = -1
    if best is None or best[1] < 6:
        return None
    gutter = lo + best[0] + best[1] / 2
    both = sum(
        1
        for row in rows
        if any(w.x1 <= gutter for w in row.words) and any(w.x0 >= gutter for w in row.words)
    )
    left = sum(1 for row in rows for w in row.words if w.x1 <= gutter)
    right = sum(1 for row in rows for w in row.words if w.x0 >= gutter)
    total = left + right
    if both < 3 or total == 0 or min(left, right) < 0.15 * total:
        return None
    return gutter


def _fits(rows: list[_Row], gutter: float) -> bool:
    """No word crosses ``gutter`` and there is text on both sides of it."""
    words = [w for row in rows for w in row.words]
    return (
        not any(w.x0 < gutter < w.x1 for w in words)
        and any(w.x1 <= gutter for w in words)
        and any(w.x0 >= gutter for w in words)
    )


def _order(rows: list[_Row], gutter: float | None) -> list[_Row]:
    """Rows in reading order: full-width rows in place, column runs left then right."""
    if gutter is None:
        return rows
    out: list[_Row] = []
    left: list[_Row] = []
    right: list[_Row] = []
    for row in rows:
        if any(w.x0 < gutter < w.x1 for w in row.words):
            out += left + right + [row]
            left, right = [], []
            continue
        lw = [w for w in row.words if w.x1 <= gutter]
        rw = [w for w in row.words if w.x0 >= gutter]
        if lw and rw and rw[0].x0 - lw[-1].x1 < 4.0:  # an ordinary space: a full-width row
            out += left + right + [row]
            left, right = [], []
            continue
        if lw:
            left.append(_Row(lw, row.top, row.bottom))
        if rw:
            right.append(_Row(rw, row.top, row.bottom))
    return out + left + right


def _margin_text(row: _Row, height: float) -> str | None:
    """The text of a row in the header or footer zone (None elsewhere)."""
    if row.top < height * _MARGIN or row.bottom > height * (1 - _MARGIN):
        return " ".join(w.text for w in row.words).strip().lower()
    return None


def _render(rows: list[_Row]) -> list[str]:
    heights = [r.bottom - r.top for r in rows if r.bottom > r.top]
    line = statistics.median(heights) if heights else 10.0
    lines: list[str] = []
    prev: _Row | None = None
    for row in rows:
        # a paragraph gap; a jump back up the page (the next column) continues the text
        if prev is not None and row.top - prev.bottom > line:
            lines.append("")
        lines.append(row.text(gap=1.5 * line))
        prev = row
    return lines


# Literal strings (one level of nested parentheses) and hex strings of a content stream:
# an upper bound on the characters the page can show.
_STRINGS = re.compile(rb"\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\)|<[0-9A-Fa-f\s]*>", re.DOTALL)


def _streams(page_obj: Any) -> list[PDFStream]:
    """The page's content streams and the form XObjects its resources name."""
    found: list[PDFStream] = []
    for item in page_obj.contents or []:
        stream = resolve1(item)
        if isinstance(stream, PDFStream):
            found.append(stream)
    resources = resolve1(page_obj.resources) or {}
    xobjects = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
    if isinstance(xobjects, dict):
        for item in xobjects.values():
            stream = resolve1(item)
            if isinstance(stream, PDFStream) and str(stream.get("Subtype")) == "/'Form'":
                found.append(stream)
    return found


def _inflate(stream: PDFStream, cap: int) -> bytes | None:
    """The stream's decoded bytes, inflating at most ``cap + 1`` of them; None when it cannot
    be measured here (other filters, encryption) and is left to pdfminer."""
    if stream.data is not None:
        return stream.data
    raw = stream.rawdata
    if raw is None or stream.decipher is not None:
        return None
    filters = [str(f) for f, _ in stream.get_filters()]
    if not filters:
        return raw
    if filters not in (["/'FlateDecode'"], ["/'Fl'"]):
        return None
    try:
        return zlib.decompressobj().decompress(raw, cap + 1)
    except zlib.error:
        return None


class _Budget:
    """The document's running totals against its limits."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.inflated = 0
        self.chars = 0

    def refuse(self, what: str) -> DocumentLimitError:
        return DocumentLimitError(f"{what}; split the PDF or supply its text", source=self.name)

    def check_page(self, page: Any, number: int) -> None:
        width, height = float(page.width), float(page.height)
        if not (math.isfinite(width) and math.isfinite(height)) or max(width, height) > (
            MAX_PDF_PAGE_SIDE
        ):
            raise self.refuse(
                f"page {number} is {width:g} × {height:g} points; a side may be at most "
                f"{MAX_PDF_PAGE_SIDE:,} (heliotrope.limits.MAX_PDF_PAGE_SIDE)"
            )
        content = 0
        shown = 0
        for stream in _streams(page.page_obj):
            data = _inflate(stream, MAX_PDF_PAGE_CONTENT_BYTES - content)
            if data is None:
                continue
            content += len(data)
            if content > MAX_PDF_PAGE_CONTENT_BYTES:
                raise self.refuse(
                    f"page {number} decompresses to more than {MAX_PDF_PAGE_CONTENT_BYTES:,} "
                    "bytes of content (heliotrope.limits.MAX_PDF_PAGE_CONTENT_BYTES): a "
                    "compression bomb or not a text document"
                )
            shown += sum(len(m.group()) - 2 for m in _STRINGS.finditer(data))
        if shown > MAX_PDF_PAGE_CHARS:
            raise self.refuse(
                f"page {number} can show about {shown:,} characters; the limit is "
                f"{MAX_PDF_PAGE_CHARS:,} (heliotrope.limits.MAX_PDF_PAGE_CHARS)"
            )
        self.inflated += content
        if self.inflated > MAX_PDF_STREAM_BYTES:
            raise self.refuse(
                f"by page {number} the PDF decompresses to more than {MAX_PDF_STREAM_BYTES:,} "
                "bytes (heliotrope.limits.MAX_PDF_STREAM_BYTES)"
            )

    def count(self, words: list[_Word], number: int) -> None:
        self.chars += sum(len(w.text) for w in words)
        if self.chars > MAX_PDF_CHARS:
            raise self.refuse(
                f"by page {number} the PDF holds more than {MAX_PDF_CHARS:,} characters "
                "(heliotrope.limits.MAX_PDF_CHARS)"
            )


def _declared_pages(pdf: Any) -> int:
    try:
        count = resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count"))
    except Exception:  # a damaged page tree: pdfminer reports it while reading pages
        return 0
    return count if isinstance(count, int) else 0


def pdf_to_text(path: Path, name: str) -> str:
    """The text of a PDF in reading order (see the module docstring)."""
    pages: list[tuple[list[_Row], float, float]] = []
    budget = _Budget(name)
    too_many = budget.refuse(
        f"the PDF has more than {MAX_PDF_PAGES} pages (heliotrope.limits.MAX_PDF_PAGES)"
    )
    try:
        with pdfplumber.open(path) as pdf:
            if _declared_pages(pdf) > MAX_PDF_PAGES:
                raise too_many
            for number, page in enumerate(pdf.pages, start=1):
                if number > MAX_PDF_PAGES:
                    raise too_many
                budget.check_page(page, number)
                raw: list[dict[str, Any]] = page.extract_words(
                    x_tolerance=1.5, y_tolerance=3, keep_blank_chars=False
                )
                words = [
                    _Word(
                        str(w["text"]),
                        float(w["x0"]),
                        float(w["x1"]),
                        float(w["top"]),
                        float(w["bottom"]),
                    )
                    for w in raw
                    if str(w["text"]).strip()
                ]
                budget.count(words, number)
                pages.append((_rows(words), float(page.width), float(page.height)))
                page.close()  # release the page's layout: memory stays bounded
    except DocumentError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated exception types
        raise DocumentError(
            f"the PDF could not be read ({type(exc).__name__}); it may be damaged or encrypted",
            source=name,
        ) from exc
    if not any(rows for rows, _, _ in pages):
        raise DocumentError(
            "the PDF has no extractable text (it may be a scanned image); run OCR on it first "
            "or supply the text",
            source=name,
        )
    repeated: Counter[str] = Counter()
    for rows, _, height in pages:
        repeated.update(
            {_DIGITS.sub("#", t) for r in rows if (t := _margin_text(r, height)) is not None}
        )
    threshold = max(2, (len(pages) + 1) // 2)
    bodies: list[tuple[list[_Row], float | None]] = []
    for rows, width, height in pages:
        kept = []
        for row in rows:
            text = _margin_text(row, height)
            if text is not None and (
                repeated[_DIGITS.sub("#", text)] >= threshold or _PAGE_NUMBER.match(text)
            ):
                continue
            kept.append(row)
        bodies.append((kept, _gutter(kept, width)))
    # a page too short to show its columns borrows the document's usual gutter
    found = Counter(round(g) for _, g in bodies if g is not None)
    usual = float(found.most_common(1)[0][0]) if found else None
    chunks: list[str] = []
    for kept, gutter in bodies:
        if not kept:
            continue
        if gutter is None and usual is not None and _fits(kept, usual):
            gutter = usual
        chunks.append("\n".join(_render(_order(kept, gutter))))
    return "\n".join(chunks)
