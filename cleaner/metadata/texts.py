"""The text a reader sees on a page, piece by piece, for the metadata scans over a whole
page (a labelled byline, a labelled publication date)."""

from __future__ import annotations

from collections.abc import Iterator

from lxml.etree import iterwalk
from lxml.html import HtmlElement

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


def _marks_comments(element: HtmlElement) -> bool:
    marks = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    return "comment" in marks or "kommentar" in marks
