"""HTML → plain text: the page's main content, one block per line.

Navigation, headers, footers, asides, forms, scripts and styles are dropped, as is anything
hidden (``hidden``, ``aria-hidden="true"``, ``display:none``). The main content is ``<main>``
(or ``role="main"``), else the longest ``<article>``, else ``<body>``. Headings, paragraphs and
figure captions become lines of their own separated by a blank line; list items become lines
that start with ``"- "``; table rows become lines whose cells are separated by a tab.
"""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup
from bs4.element import Comment, NavigableString, Tag

from heliotrope.errors import DocumentError

__all__ = ["html_to_text"]


def _words(text: str) -> frozenset[str]:
    """A set of words written as one string (data tables read better that way)."""
    return frozenset(text.split())


_DROP = _words(
    """script style noscript template nav header footer aside form button select option
    textarea input label iframe object embed svg canvas math img picture video audio map
    head meta link title"""
)
_DROP_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search"})
#: Blocks separated from their neighbours by a blank line.
_PARAGRAPH = _words(
    """p h1 h2 h3 h4 h5 h6 blockquote pre figure figcaption table caption ul ol dl address
    details summary hr section article main"""
)
#: Blocks that just start a new line.
_LINE = _words("div li dt dd tr br")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_CELL = "\ue000"  # a private-use character marks cell boundaries until the line is built
_CELLS = re.compile("(?: ?\ue000 ?)+")


def _hidden(tag: Tag) -> bool:
    attrs: dict[str, Any] = tag.attrs or {}
    if "hidden" in attrs or str(attrs.get("aria-hidden", "")).lower() == "true":
        return True
    if str(attrs.get("role", "")).lower() in _DROP_ROLES:
        return True
    return bool(_HIDDEN_STYLE.search(str(attrs.get("style", ""))))


def _main(soup: BeautifulSoup) -> Tag:
    main = soup.find("main") or soup.select_one('[role="main"]')
    if isinstance(main, Tag):
        return main
    articles = [a for a in soup.find_all("article") if isinstance(a, Tag)]
    if articles:
        return max(articles, key=lambda a: len(a.get_text()))
    body = soup.find("body")
    return body if isinstance(body, Tag) else soup


class _Writer:
    """Collects inline text into lines; block boundaries flush it."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.buffer: list[str] = []

    def text(self, s: str) -> None:
        self.buffer.append(s)

    def flush(self, blank: bool = False) -> None:
        line = _SPACE.sub(" ", "".join(self.buffer))
        line = _CELLS.sub("\t", line).strip(" \t")
        self.buffer.clear()
        if line:
            self.lines.append(line)
        if blank and self.lines and self.lines[-1] != "":
            self.lines.append("")


def _walk(node: Tag, out: _Writer, pre: bool = False) -> None:
    for child in node.children:
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            if pre:
                first, *rest = str(child).split("\n")
                out.text(first)
                for part in rest:
                    out.flush()
                    out.text(part)
            else:
                out.text(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name.lower()
        if name in _DROP or _hidden(child):
            continue
        if name in ("td", "th"):
            out.text(_CELL)
            _walk(child, out, pre)
            out.text(_CELL)
            continue
        if name in _PARAGRAPH:
            out.flush(blank=True)
            _walk(child, out, pre or name == "pre")
            out.flush(blank=True)
        elif name in _LINE:
            out.flush()
            if name == "li":
                out.text("- ")
            _walk(child, out, pre)
            out.flush()
        else:
            _walk(child, out, pre)


def html_to_text(data: bytes | str, name: str) -> str:
    """The main content of an HTML page as text (see the module docstring)."""
    try:
        soup = BeautifulSoup(data, "lxml")
    except Exception as exc:  # lxml raises a variety of parser errors
        raise DocumentError(f"the HTML could not be parsed: {exc}", source=name) from exc
    out = _Writer()
    _walk(_main(soup), out)
    out.flush()
    text = "\n".join(out.lines).strip()
    if not text:
        raise DocumentError("the HTML page has no readable text in its main content", source=name)
    return text
