"""The text a reader sees on a page, piece by piece, for the metadata scans over a whole
page (a labelled byline, a labelled publication date)."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from lxml.etree import iterwalk
from lxml.html import HtmlElement

#: How many pieces of a page's text the scans read, at most.
MAX_TEXTS = 6000
_SKIPPED = frozenset({"script", "style", "noscript", "template", "svg", "select", "option", "textarea"})


def visible_texts(root: HtmlElement) -> Iterator[str]:
    """The text pieces under `root` in reading order, less scripts and comment sections."""
    skipping: HtmlElement | None = None
    for event, element in iterwalk(root, events=("start", "end")):
        if skipping is not None:
            if event == "end" and element is skipping:
                skipping = None
                if element.tail:
                    yield element.tail
            continue
        if event == "start":
            if not isinstance(element.tag, str) or element.tag in _SKIPPED or _marks_comments(element):
                skipping = element
                continue
            if element.text:
                yield element.text
        elif element.tail and element is not root:
            yield element.tail


class PageTexts:
    """The first `MAX_TEXTS` visible text pieces of a page's body, read as far as a scan asks
    and kept for the next scan: a page's date and byline scans share one walk."""

    def __init__(self, tree: HtmlElement) -> None:
        body = tree.find("body")
        self._source = islice(visible_texts(tree if body is None else body), MAX_TEXTS)
        self._read: list[str] = []

    def __iter__(self) -> Iterator[str]:
        read = self._read
        at = 0
        while True:
            if at == len(read):
                piece = next(self._source, None)
                if piece is None:
                    return
                read.append(piece)
            yield read[at]
            at += 1


def _marks_comments(element: HtmlElement) -> bool:
    marks, ident = element.get("class"), element.get("id")
    if not (marks or ident):
        return False  # as most elements: no string to build
    marks = f"{marks or ''} {ident or ''}".lower()
    return "comment" in marks or "kommentar" in marks
