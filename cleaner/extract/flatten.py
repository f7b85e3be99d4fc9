"""Pages nested deeper than the HTML parser goes, flattened so their text survives.

libxml2 stops building the tree at 2,048 levels of nesting (256 outside its "huge" mode)
and the rest of the page is lost: a page of 3,000 nested `<div>`s around its article comes
out empty. Such a page is rewritten before it is parsed again: below `MAX_DEPTH` levels,
the containers (`<div>`, `<span>`, `<section>`, tables...) go and their text stays where it
was; paragraphs, headings, list items and line breaks stay, so the article keeps its
paragraphs (unless they too nest hundreds deep). Scripts and styles below that depth go with their content.
"""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser

MAX_DEPTH = 200
# How deep the page written out may go: text tags below MAX_DEPTH are kept up to here.
_MAX_WRITTEN = 2 * MAX_DEPTH
# Kept below MAX_DEPTH: they carry the text's own structure and do not nest in practice.
_TEXT_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br", "pre", "blockquote"})
_VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)
_RAW = frozenset({"script", "style"})


def flatten_deep_html(html: str) -> str:
    """`html` with no element deeper than about `MAX_DEPTH` levels; text and order kept."""
    writer = _Flattener()
    writer.feed(html)
    writer.close()
    return "".join(writer.out)


class _Flattener(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        # Open elements: (tag, written out?)
        self.open: list[tuple[str, bool]] = []
        self.counts: dict[str, int] = {}  # open elements by tag, for end tags without a start
        self.raw_depth = 0  # inside a dropped <script> or <style>
        self.written = 0  # open elements written out: the depth of the page being written

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        deep = len(self.open) >= MAX_DEPTH
        # text tags nested in each other thousands deep would keep the page too deep
        keep = not deep or (tag in _TEXT_TAGS and self.written < _MAX_WRITTEN)
        if deep and tag in _RAW:
            self.raw_depth += 1
        if keep:
            self.out.append(self.get_starttag_text() or f"<{tag}>")
        if tag not in _VOID:
            self.open.append((tag, keep))
            self.written += keep
            self.counts[tag] = self.counts.get(tag, 0) + 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if len(self.open) < MAX_DEPTH or (tag in _TEXT_TAGS and self.written < _MAX_WRITTEN):
            self.out.append(self.get_starttag_text() or f"<{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if not self.counts.get(tag):
            return
        while self.open:
            name, kept = self.open.pop()
            self.counts[name] -= 1
            if kept:
                self.out.append(f"</{name}>")
                self.written -= 1
            elif name in _RAW and len(self.open) >= MAX_DEPTH:
                self.raw_depth = max(0, self.raw_depth - 1)
            if name == tag:
                return

    def handle_data(self, data: str) -> None:
        if self.raw_depth:
            return
        parent = self.open[-1][0] if self.open else ""
        self.out.append(data if parent in _RAW else escape(data, quote=False))
