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
MAX_TABLE_BYTES            5 MB        HT104 a lesion table larger than this is not read
MAX_CSV_FIELD_CHARS        10,000      HT104 a lesion-table cell longer than this
MAX_DOCUMENT_BYTES         20 MB       HT105 a clinical document larger than this
MAX_HTML_DEPTH             200         HT108 HTML elements nested deeper than this
MAX_PDF_PAGES              500         HT108 a PDF with more pages
MAX_PDF_PAGE_AREA          1e8 pt²     HT108 a page whose media box is larger (≈ 3.5 m²)
MAX_PDF_STREAM_BYTES       200 MB      HT108 decompressed content of all pages together
MAX_PDF_CHARS              5,000,000   HT108 characters laid out on all pages together
MAX_SENTENCE_CHARS         1,500       a longer sentence is cut (at line breaks, then spaces)
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
    "MAX_HTML_DEPTH",
    "MAX_INTEGER_DIGITS",
    "MAX_PDF_CHARS",
    "MAX_PDF_PAGES",
    "MAX_PDF_PAGE_AREA",
    "MAX_PDF_STREAM_BYTES",
    "MAX_SENTENCE_CHARS",
    "MAX_TABLE_BYTES",
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
#: Largest page (media box width × height, in PDF points²); A0 is ~4.9 × 10^6.
MAX_PDF_PAGE_AREA = 1.0e8
#: Most bytes of decompressed page content (all pages together) a PDF may expand to.
MAX_PDF_STREAM_BYTES = 200 * 1024 * 1024
#: Most characters laid out on the pages of a PDF (all pages together).
MAX_PDF_CHARS = 5_000_000
#: Longest sentence handed to the extractors, in characters; longer ones are cut.
MAX_SENTENCE_CHARS = 1500
