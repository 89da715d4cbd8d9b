"""Text normalisation shared by every document kind.

Every offset heliotrope reports (sections, sentences, fact spans) refers to the text *after*
this step, so it runs exactly once, in :func:`normalise`.

What it does, in order:

1. line breaks: ``\\r\\n``, ``\\r``, U+2028/2029, NEL, VT and FF become ``\\n``;
2. odd spaces (NBSP, narrow NBSP, the U+2000 block, ideographic space…) become ``" "``;
   zero-width characters (ZWSP, ZWNJ, ZWJ, word joiner, stray BOMs) are removed;
   the Unicode hyphens U+2010/U+2011 become ``-``; Latin ligatures (``ﬁ`` ``ﬂ`` ``ﬀ``…) are
   spelled out; other control characters are removed;
3. soft hyphens: one before a line break joins the two halves (``myo\\u00ad⏎sitis`` →
   ``myositis``); any other soft hyphen is removed;
4. NFC composition (not NFKC: ``10⁹`` and ``µ`` keep their meaning);
5. trailing spaces of each line are dropped, and the whole text is stripped;
6. words hyphenated across a line break are rejoined (see :func:`rejoin_hyphenation`).

Leading spaces of lines are kept: PDF extractions use them as a layout signal that
:mod:`heliotrope.nlp.sections` reads.
"""

from __future__ import annotations

import re
import unicodedata

from heliotrope.errors import DocumentError

__all__ = ["check_not_binary", "normalise", "rejoin_hyphenation"]


def _words(text: str) -> frozenset[str]:
    """A set of words written as one string (data tables read better that way)."""
    return frozenset(text.split())


_LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}


def _table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for ch in "\r\u2028\u2029\x85\x0b\x0c":
        table[ord(ch)] = "\n"
    for cp in [0xA0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000]:
        table[cp] = " "
    for ch in "\u200b\u200c\u200d\u2060\ufeff":
        table[ord(ch)] = None
    table[0x2010] = "-"
    table[0x2011] = "-"
    for cp in [
        *range(0x00, 0x09),
        *range(0x0E, 0x20),
        0x7F,
        *range(0x80, 0x85),
        *range(0x86, 0xA0),
    ]:
        table[cp] = None
    for lig, plain in _LIGATURES.items():
        table[ord(lig)] = plain
    return table


_TRANSLATE = _table()
# The characters _TRANSLATE changes, found with one regex scan: str.translate looks every
# character of the text up in the table, and most texts have none of them.
_TRANSLATED = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_TRANSLATE)) + "]")


def _translate(text: str) -> str:
    if _TRANSLATED.search(text) is None:
        return text
    return _TRANSLATED.sub(lambda m: _TRANSLATE[ord(m.group())] or "", text)


_SOFT_BREAK = re.compile("\u00ad[ \t]*\n[ \t]*")
_TRAILING = re.compile(r"[ \t]+\n")
_CONTROL = re.compile(r"[\x01-\x08\x0e-\x1f\x7f]")
#: A hyphen ending a line before a word: ``myo-⏎sitis``.
_LINE_HYPHEN = re.compile(r"-[ \t]*\n[ \t]*(?=[^\W_])")
_COMPOUND = re.compile(r"[^\W_]+(?:-[^\W_]+)*")

#: Left parts that make a real compound (``non-⏎small`` → ``non-small``).
_KEEP_LEFT = _words("non self cross well ill low high long short first second third half full")
#: Right parts that make a real compound (``antibody-⏎positive`` → ``antibody-positive``).
_KEEP_RIGHT = _words(
    """related associated specific positive negative induced mediated based dependent like
    free onset term line grade directed guided exposed shaped sided limited resistant
    sensitive naive type year month week day old up fold level risk dose defined derived
    containing sparing predominant weighted enhanced threatening"""
)
#: Bound prefixes that never stand alone (``un-⏎related`` → ``unrelated``).
_BOUND_LEFT = _words("un re in im ir il de dis mis pre pro sub")


def check_not_binary(text: str, name: str) -> None:
    """Refuse text that is really binary data: any NUL, or more than 1% control characters."""
    if "\x00" in text:
        raise DocumentError(
            "this looks like a binary file (it contains NUL bytes), not text; if it is "
            "UTF-16 text without a byte-order mark, save it as UTF-8",
            source=name,
        )
    sample = text[:65536]
    controls = len(_CONTROL.findall(sample))
    if controls > max(8, len(sample) // 100):
        raise DocumentError(
            f"this looks like a binary file ({controls} control characters in the first "
            f"{len(sample)} characters), not text",
            source=name,
        )


class _Counts:
    """How often the document itself writes a word standing alone (a whole run of letters
    and digits, inside a hyphenated compound or not) or two words joined by a hyphen: what
    counting all its words and compounds would say, counted only for the words asked about
    (a document has few line-end hyphens)."""

    def __init__(self, text: str) -> None:
        self.low = text.lower()
        self.seen: dict[str, int] = {}

    def __call__(self, written: str) -> int:
        count = self.seen.get(written)
        if count is None:
            count = 0
            low = self.low
            at = low.find(written)
            while at >= 0:
                stop = at + len(written)
                if not (at and low[at - 1].isalnum()) and not (
                    stop < len(low) and low[stop].isalnum()
                ):
                    count += 1
                at = low.find(written, at + 1)
            self.seen[written] = count
        return count


def rejoin_hyphenation(text: str) -> str:
    """Rejoin words hyphenated across a line break.

    The rule, for ``LEFT-⏎RIGHT`` (``LEFT`` the letters just before the hyphen, ``RIGHT`` the
    next line's first word), first match wins:

    1. ``RIGHT`` starts with an uppercase letter or a digit, or ``LEFT`` ends with a digit:
       a real hyphen, kept (``anti-⏎TIF1γ`` → ``anti-TIF1γ``, ``COVID-19-⏎related``);
    2. the document itself decides: if ``left-right`` occurs elsewhere in it (unbroken) at
       least as often as ``leftright``, the hyphen is kept (``tumour-⏎directed``), else if
       ``leftright`` occurs, it is joined (``myo-⏎sitis`` → ``myositis``);
    3. ``LEFT`` is a free-standing compound former (``non``, ``self``, ``cross``, ``low``,
       ``second``…), or ``RIGHT`` is a common compound head (``related``, ``positive``,
       ``induced``, ``like``, ``onset``…) and ``LEFT`` is not a bound prefix (``un``, ``re``,
       ``dis``…): kept;
    4. otherwise joined: a typesetter's hyphen (``pre-⏎sented`` → ``presented``).

    Either way the line break and the next line's indentation are removed.
    """
    if _LINE_HYPHEN.search(text) is None:
        return text
    counts = _Counts(text)
    out: list[str] = []
    last = 0
    for m in _LINE_HYPHEN.finditer(text):
        hyphen = k = m.start()
        while k > 0 and text[k - 1].isalnum():
            k -= 1
        if k == hyphen:
            continue  # a dash after a space or punctuation, not a hyphenated word
        end = m.end()
        while end < len(text) and text[end].isalnum():
            end += 1
        left, right = text[k:hyphen], text[m.end() : end]
        out.append(text[last:hyphen])
        out.append("-" if _keep_hyphen(left, right, counts) else "")
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def _keep_hyphen(left: str, right: str, counts: _Counts) -> bool:
    if not right or right[0].isupper() or right[0].isdigit() or left[-1].isdigit():
        return True
    low_l, low_r = left.lower(), right.lower()
    hyphenated = counts(f"{low_l}-{low_r}")
    joined = counts(low_l + low_r)
    if hyphenated or joined:
        return hyphenated >= joined
    return low_l in _KEEP_LEFT or (
        low_r in _KEEP_RIGHT and len(low_l) >= 3 and low_l not in _BOUND_LEFT
    )


def normalise(text: str, name: str) -> str:
    """Normalise ``text`` (see the module docstring); refuse binary, empty or blank text."""
    check_not_binary(text, name)
    text = text.replace("\r\n", "\n")
    text = _translate(text)
    if "\u00ad" in text:
        text = _SOFT_BREAK.sub("", text).replace("\u00ad", "")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if " \n" in text or "\t\n" in text:
        text = _TRAILING.sub("\n", text)
    text = text.strip()
    if not text:
        raise DocumentError(
            "the document is empty or contains only whitespace; there is no text to read",
            source=name,
        )
    return rejoin_hyphenation(text)
