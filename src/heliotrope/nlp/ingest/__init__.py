"""Ingestion: a file (plain text, HTML or PDF) or a string → one normalised :class:`Document`.

``Document.text`` is the normalised text (see :mod:`.normalise`); every offset heliotrope
reports refers to it. Problems raise :class:`~heliotrope.errors.DocumentError` (HT105) saying
what is wrong and what to do: a missing, empty, blank, oversized, binary or badly encoded
file, an HTML page without content, a PDF without extractable text.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from heliotrope.errors import DocumentError
from heliotrope.limits import MAX_DOCUMENT_BYTES  # the largest document, checked before reading
from heliotrope.nlp.ingest.html import html_to_text
from heliotrope.nlp.ingest.normalise import normalise
from heliotrope.nlp.ingest.pdf import pdf_to_text

__all__ = ["MAX_DOCUMENT_BYTES", "Document", "DocumentKind", "ingest", "ingest_text"]


DocumentKind = Literal["text", "html", "pdf"]

_SUFFIXES: dict[str, DocumentKind] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
}
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True)
class Document:
    """One ingested document: its name (usually the path), its kind and normalised text."""

    name: str
    kind: DocumentKind
    text: str


def _too_large(size: int, name: str) -> DocumentError:
    return DocumentError(
        f"the document is {size / 1_048_576:.1f} MB; the limit is "
        f"{MAX_DOCUMENT_BYTES / 1_048_576:.0f} MB (heliotrope.limits.MAX_DOCUMENT_BYTES); "
        "split it or extract the relevant part",
        source=name,
    )


def _binary(name: str, why: str) -> DocumentError:
    return DocumentError(f"this looks like a binary file ({why}), not text", source=name)


def _decode(data: bytes, name: str) -> str:
    """Bytes → str: UTF-8 (with or without BOM), or UTF-16/32 when a BOM says so."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise DocumentError(
                    f"the file starts with a {encoding.upper()} byte-order mark but is not "
                    f"valid {encoding.upper()} at byte {exc.start + len(bom)}; "
                    "save it as UTF-8",
                    source=name,
                ) from exc
    if b"\x00" in data:
        raise _binary(name, "it contains NUL bytes; UTF-16 text needs a byte-order mark")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        head = data[:4096]
        controls = sum(1 for b in head if b < 9 or 13 < b < 32)
        if controls > len(head) // 20:
            raise _binary(name, f"{controls} control bytes in its first {len(head)}") from exc
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DocumentError(
            f"the file is not valid UTF-8: byte {exc.start} (0x{data[exc.start]:02x}, line "
            f"{line}, column {column}) cannot be decoded ({exc.reason}); save it as UTF-8",
            source=name,
        ) from exc


def _sniff(path: Path) -> DocumentKind:
    kind = _SUFFIXES.get(path.suffix.lower())
    if kind is not None:
        return kind
    with path.open("rb") as f:
        head = f.read(4096)
    stripped = head.removeprefix(codecs.BOM_UTF8).lstrip().lower()
    if stripped.startswith(b"%pdf-"):
        return "pdf"
    if stripped.startswith((b"<!doctype html", b"<html")) or b"<body" in stripped:
        return "html"
    return "text"


def ingest(path: str | Path) -> Document:
    """Read a document: ``.txt``/``.text``/``.md`` as text, ``.html``/``.htm`` as HTML,
    ``.pdf`` as PDF; any other name is sniffed from its first bytes."""
    p = Path(path)
    name = str(path)
    try:
        stat = p.stat()
    except FileNotFoundError as exc:
        raise DocumentError("the file does not exist", source=name) from exc
    except OSError as exc:
        raise DocumentError(f"the file cannot be read: {exc.strerror}", source=name) from exc
    if not p.is_file():
        raise DocumentError("this is not a regular file", source=name)
    if stat.st_size > MAX_DOCUMENT_BYTES:
        raise _too_large(stat.st_size, name)
    if stat.st_size == 0:
        raise DocumentError("the file is empty; there is no text to read", source=name)
    try:
        kind = _sniff(p)
        if kind == "pdf":
            return Document(name, "pdf", normalise(pdf_to_text(p, name), name))
        with p.open("rb") as f:
            data = f.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as exc:
        raise DocumentError(f"the file cannot be read: {exc.strerror}", source=name) from exc
    if len(data) > MAX_DOCUMENT_BYTES:
        raise _too_large(len(data), name)
    if kind == "html":
        if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise _binary(name, "it contains NUL bytes")
        return Document(name, "html", normalise(html_to_text(data, name), name))
    return Document(name, "text", normalise(_decode(data, name), name))


def ingest_text(text: str, name: str = "<text>") -> Document:
    """A string as a text document, normalised exactly as a ``.txt`` file would be."""
    if len(text) > MAX_DOCUMENT_BYTES or (
        4 * len(text) > MAX_DOCUMENT_BYTES
        and len(text.encode("utf-8", "surrogatepass")) > MAX_DOCUMENT_BYTES
    ):
        raise _too_large(len(text.encode("utf-8", "surrogatepass")), name)
    return Document(name, "text", normalise(text, name))
