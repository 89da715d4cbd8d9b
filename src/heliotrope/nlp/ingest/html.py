"""HTML → plain text: the page's main content, one block per line.

Navigation, headers, footers, asides, forms, scripts and styles are dropped, as is anything
hidden (``hidden``, ``aria-hidden="true"``, ``display:none``). The main content is ``<main>``
(or ``role="main"``), else the longest ``<article>``, else ``<body>``. Headings, paragraphs and
figure captions become lines of their own separated by a blank line; list items become lines
that start with ``"- "``; table rows become lines whose cells are separated by a tab.

The page is parsed by lxml (libxml2, in C) and walked without recursion, so time and memory
grow linearly with the page; elements nested deeper than
:data:`~heliotrope.limits.MAX_HTML_DEPTH` are refused (HT108), as libxml2 would otherwise
silently flatten them (issue 12). Bytes are decoded from a byte-order mark, else the page's
declared ``charset``, else UTF-8, else Windows-1252.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from typing import Any, TypeAlias

import lxml.etree  # type: ignore[import-untyped]

from heliotrope.errors import DocumentError, DocumentLimitError
from heliotrope.limits import MAX_HTML_DEPTH

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


#: An lxml element (lxml ships no type information).
_Element: TypeAlias = Any
_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_PARSER = lxml.etree.HTMLParser(remove_comments=False, no_network=True)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _decode(data: bytes) -> str:
    """Bytes → text (module docstring); never fails."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    declared = _CHARSET.search(data[:4096])
    if declared is not None:
        try:
            encoding = codecs.lookup(declared.group(1).decode("ascii")).name
        except LookupError:
            encoding = ""
        if encoding and not encoding.startswith("utf-16"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _hidden(tag: _Element) -> bool:
    attrs = tag.attrib
    if "hidden" in attrs or str(attrs.get("aria-hidden", "")).lower() == "true":
        return True
    if str(attrs.get("role", "")).lower() in _DROP_ROLES:
        return True
    return bool(_HIDDEN_STYLE.search(str(attrs.get("style", ""))))


def _name(element: _Element) -> str | None:
    """The lower-case tag name; None for comments and processing instructions."""
    return element.tag.lower() if isinstance(element.tag, str) else None


def _main(root: _Element) -> _Element:
    """``<main>``, else ``role="main"``, else the longest ``<article>``, else ``<body>``
    (one pass over the elements)."""
    main = role = body = None
    articles: list[_Element] = []
    for element in root.iter():
        name = _name(element)
        if name is None:
            continue
        if name == "main" and main is None:
            main = element
            break
        if role is None and element.get("role") == "main":
            role = element
        elif name == "article":
            articles.append(element)
        elif name == "body" and body is None:
            body = element
    if main is not None:
        return main
    if role is not None:
        return role
    if articles:
        return max(articles, key=lambda a: sum(len(t) for t in a.itertext()))
    return body if body is not None else root


def _depth(root: _Element) -> int:
    """The deepest nesting of elements under ``root``, without recursion."""
    deepest = 0
    stack: list[tuple[_Element, int]] = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in element)
    return deepest


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

    def string(self, s: str | None, pre: bool) -> None:
        """A run of text: in ``<pre>`` each line break ends a line."""
        if not s:
            return
        if pre:
            first, *rest = s.split("\n")
            self.text(first)
            for part in rest:
                self.flush()
                self.text(part)
        else:
            self.text(s)


_Step = Callable[[], None]


def _walk(node: _Element, out: _Writer) -> None:
    """Write the text of ``node``'s content (not its tail), depth first, with an explicit
    stack of steps instead of recursion."""
    steps: list[_Step] = []

    def push_children(element: _Element, pre: bool) -> None:
        block: list[_Step] = [lambda: out.string(element.text, pre)]
        block += [_visit(child, pre) for child in element]
        steps.extend(reversed(block))

    def _visit(element: _Element, pre: bool) -> _Step:
        def step() -> None:
            tail = element.tail
            after: list[_Step] = [lambda: out.string(tail, pre)] if tail else []
            name = _name(element)
            if name is None or name in _DROP or _hidden(element):
                steps.extend(reversed(after))
                return
            inner = pre or name == "pre"
            if name in ("td", "th"):
                before: list[_Step] = [lambda: out.text(_CELL)]
                close: list[_Step] = [lambda: out.text(_CELL)]
            elif name in _PARAGRAPH:
                before = [lambda: out.flush(blank=True)]
                close = [lambda: out.flush(blank=True)]
            elif name in _LINE:
                before = [out.flush, lambda: out.text("- ")] if name == "li" else [out.flush]
                close = [out.flush]
            else:
                before, close = [], []
            steps.extend(reversed([*close, *after]))
            steps.append(lambda: push_children(element, inner))
            steps.extend(reversed(before))

        return step

    push_children(node, False)
    while steps:
        steps.pop()()


def html_to_text(data: bytes | str, name: str) -> str:
    """The main content of an HTML page as text (see the module docstring)."""
    text = _decode(data) if isinstance(data, bytes) else data
    text = _XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        raise DocumentError("the HTML page is empty", source=name)
    try:
        root = lxml.etree.fromstring(text, _PARSER)  # plain elements: no class lookups
    except (lxml.etree.LxmlError, ValueError) as exc:
        raise DocumentError(f"the HTML could not be parsed: {exc}", source=name) from exc
    if root is None:  # only a comment, a doctype, a stray end tag...
        raise DocumentError("the HTML page has no elements and no readable text", source=name)
    depth = _depth(root)
    if depth > MAX_HTML_DEPTH:
        raise DocumentLimitError(
            f"the HTML nests elements {depth} deep; the limit is {MAX_HTML_DEPTH} "
            "(heliotrope.limits.MAX_HTML_DEPTH); save the page's text instead",
            source=name,
        )
    out = _Writer()
    _walk(_main(root), out)
    out.flush()
    result = "\n".join(out.lines).strip()
    if not result:
        raise DocumentError("the HTML page has no readable text in its main content", source=name)
    return result
