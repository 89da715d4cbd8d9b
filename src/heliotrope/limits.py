"""Every limit heliotrope puts on its inputs, in one place (issue 12: bounded time and memory).

Each limit is a named setting with the coded error raised when it is crossed. They are sized
so that any accepted input is read in bounded time and well under 1 GB of memory, and so that
no real case file, lesion table or clinical document comes near them:

=========================  ==========  =======================================================
setting                    value       crossed →
=========================  ==========  =======================================================
MAX_CASE_FILE_BYTES        5 MB        HT100 a case file larger than this is not read
MAX_CASE_NESTING           64          HT107 a case file nested deeper (JSON or YAML)
MAX_CASE_NODES             1,000,000   HT107 values after YAML aliases are expanded (bombs)
MAX_INTEGER_DIGITS         30          HT107 an integer literal with more digits
MAX_UNIT_CHARS             60          HT103 a lab unit longer than this is not parsed
MAX_TABLE_BYTES            5 MB        HT104 a lesion table larger than this is not read
MAX_CSV_FIELD_CHARS        10,000      HT104 a lesion-table cell longer than this
MAX_DOCUMENT_BYTES         20 MB       HT105 a clinical document larger than this
MAX_HTML_DEPTH             200         HT108 HTML elements nested deeper than this
MAX_PDF_PAGES              500         HT108 a PDF with more pages
MAX_PDF_PAGE_SIDE          14,400 pt   HT108 a page side longer than this (PDF 1.7 limit)
MAX_PDF_PAGE_CONTENT_BYTES 8 MB        HT108 decompressed content streams of one page
MAX_PDF_PAGE_CHARS         100,000     HT108 characters one page's strings can show
MAX_PDF_STREAM_BYTES       200 MB      HT108 decompressed content of all pages together
MAX_PDF_CHARS              5,000,000   HT108 characters laid out on all pages together
MAX_SENTENCE_CHARS         1,500       a longer sentence is cut (at line breaks, then spaces)
MAX_DOCUMENT_MENTIONS      250,000     HT108 mentions found in one document (memory bound)
=========================  ==========  =======================================================

The document limits apply to the file (bytes read) and to what it expands to (pages, area,
decompressed streams, characters), so a small compression bomb is refused as cleanly as a
large file.
"""

from __future__ import annotations

__all__ = [
    "MAX_CASE_FILE_BYTES",
    "MAX_CASE_NESTING",
    "MAX_CASE_NODES",
    "MAX_CSV_FIELD_CHARS",
    "MAX_DOCUMENT_BYTES",
    "MAX_DOCUMENT_MENTIONS",
    "MAX_HTML_DEPTH",
    "MAX_INTEGER_DIGITS",
    "MAX_PDF_CHARS",
    "MAX_PDF_PAGES",
    "MAX_PDF_PAGE_CHARS",
    "MAX_PDF_PAGE_CONTENT_BYTES",
    "MAX_PDF_PAGE_SIDE",
    "MAX_PDF_STREAM_BYTES",
    "MAX_SENTENCE_CHARS",
    "MAX_TABLE_BYTES",
    "MAX_UNIT_CHARS",
]

#: Largest case file (YAML or JSON) read, in bytes.
MAX_CASE_FILE_BYTES = 5 * 1024 * 1024
#: Deepest nesting of mappings and lists in a case file (the record model needs < 10).
MAX_CASE_NESTING = 64
#: Most values (mappings, lists and scalars) a case file may expand to once YAML aliases are
#: followed: a record with 10^4 labs is ~10^5; a "billion laughs" bomb is 10^9.
MAX_CASE_NODES = 1_000_000
#: Most digits in an integer literal of a case file (no clinical quantity needs more).
MAX_INTEGER_DIGITS = 30
#: Largest RECIST lesion table read, in bytes.
MAX_TABLE_BYTES = 5 * 1024 * 1024
#: Longest cell of a lesion table, in characters.
MAX_CSV_FIELD_CHARS = 10_000
#: Largest clinical document (text, HTML or PDF) read, in bytes.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
#: Deepest nesting of HTML elements read.
MAX_HTML_DEPTH = 200
#: Most pages of a PDF read.
MAX_PDF_PAGES = 500
#: Longest page side in PDF points (1/72 inch): the PDF 1.7 implementation limit (Annex C,
#: 200 inches); it bounds the rendering area (A0 is 2,384 points high).
MAX_PDF_PAGE_SIDE = 14_400
#: Most decompressed bytes of one page's content and form streams (a dense page has ~100 KB).
MAX_PDF_PAGE_CONTENT_BYTES = 8 * 1024 * 1024
#: Most characters the strings of one page can show (a dense page has ~8,000); with the
#: layout's per-character objects this bounds a page's memory to a few hundred MB.
MAX_PDF_PAGE_CHARS = 100_000
#: Most bytes of decompressed page content (all pages together) a PDF may expand to.
MAX_PDF_STREAM_BYTES = 200 * 1024 * 1024
#: Most characters laid out on the pages of a PDF (all pages together).
MAX_PDF_CHARS = 5_000_000
#: Longest sentence handed to the extractors, in characters; longer ones are cut.
MAX_SENTENCE_CHARS = 1500
#: Most mentions (findings, labs, dates...) read from one document: a case report has
#: hundreds, 20 MB of case-report prose ~150,000; each costs ~1.6 KB, so this bounds memory
#: (~0.5 GB) on text dense with facts (a 20 MB lab dump is refused part-way).
MAX_DOCUMENT_MENTIONS = 250_000
#: Longest lab unit string parsed (pint's parser is slow on huge strings; "µkat/L" is 6).
MAX_UNIT_CHARS = 60
