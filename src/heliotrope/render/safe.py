"""Neutralise control characters in text bound for a terminal (issue 12, output).

Record fields and clinical documents are untrusted: an escape sequence in a case file
(``\\x1b[2J`` clears the screen, ``\\x1b]0;...\\x07`` retitles the window, ``\\x9b`` is an 8-bit
CSI) must reach the terminal as something visible and inert. :func:`safe_text` is the one
function that does it; the consoles of :mod:`heliotrope.cli.common` apply it to every segment
they write, so every command (assess, timeline, screening, recist, db, extract) is covered,
and :func:`json_text` does the same for JSON written to standard output.
"""

from __future__ import annotations

import re

__all__ = ["json_text", "safe_text"]

# C0 controls except tab and newline, DEL, C1 controls, and the bidirectional embedding,
# override and isolate controls that reorder what the terminal shows ("Trojan source").
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control picture": ESC → ␛
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def safe_text(text: str) -> str:
    """``text`` with every terminal control character replaced by a visible, inert one
    (ESC → ␛, CR → ␍, other C0 → its control picture, C1 and bidi overrides → �).
    Tabs and newlines are kept. Idempotent."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_visible, text)


# In JSON, C0 controls are already escaped by the encoder; C1 and bidi controls, and the
# line/paragraph separators, are escaped here so raw JSON on a terminal is inert too.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_text(encoded: str) -> str:
    """Already encoded JSON with the characters above written as ``\\uXXXX`` escapes (they
    can occur only inside strings, so the JSON stays valid and means the same)."""
    if _JSON_UNSAFE.search(encoded) is None:
        return encoded
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)
