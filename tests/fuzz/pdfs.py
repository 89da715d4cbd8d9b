"""A small PDF writer for hostile PDFs: any media box, Flate-compressed content (bombs), many
pages, two columns. Written for these tests; it produces only what they need."""

from __future__ import annotations

import zlib
from collections.abc import Sequence

__all__ = ["pdf_bytes", "two_column_pages"]

Page = Sequence[tuple[float, float, str]]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf_bytes(
    pages: Sequence[Page],
    *,
    media_box: tuple[float, float] = (612.0, 792.0),
    size: float = 9.0,
    compress: bool = False,
    padding: int = 0,
) -> bytes:
    """A PDF with each ``(x, y, text)`` drawn on its page (Helvetica, WinAnsi).

    ``padding`` appends that many bytes of a no-op comment line to every content stream
    (before compression: ``compress=True`` with a large padding is a compression bomb).
    """
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    width, height = media_box
    for i, items in enumerate(pages):
        content = "".join(
            f"BT /F1 {size} Tf {x:.1f} {y:.1f} Td ({_escape(t)}) Tj ET\n" for x, y, t in items
        ).encode("cp1252", errors="replace")
        if padding:
            content += b"%" + b" " * padding + b"\n"
        objects.append(
            (
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width:.2f} {height:.2f}] "
                f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>"
            ).encode()
        )
        if compress:
            packed = zlib.compress(content, 9)
            head = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed)
            objects.append(head + packed + b"\nendstream")
        else:
            objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


_LINES = [
    "A 52-year-old woman presented with proximal weakness",
    "and a heliotrope rash. Creatine kinase was 3,400 U/L",
    "(normal range 26-192 U/L). Anti-TIF1 gamma antibodies",
    "were positive. CT of the chest showed a lung mass;",
    "biopsy found adenocarcinoma. She had no dysphagia.",
]


def two_column_pages(
    count: int, lines_per_column: int = 40
) -> list[list[tuple[float, float, str]]]:
    """``count`` pages of two-column clinical prose."""
    pages = []
    for _ in range(count):
        items: list[tuple[float, float, str]] = []
        for row in range(lines_per_column):
            y = 740.0 - row * 16
            items.append((40.0, y, _LINES[row % len(_LINES)]))
            items.append((320.0, y, _LINES[(row + 2) % len(_LINES)]))
        pages.append(items)
    return pages
