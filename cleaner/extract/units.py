"""The page's one-block elements and their text, read once for the passes that look for
kept blocks in the original page (`chunks`, `leads`, `boxes`).

A block and an element are the same text when they are equal without spacing: trafilatura
re-spaces what it keeps. Element text is read as a reader sees it (`visible`).
"""

from __future__ import annotations

from lxml.html import HtmlElement

from cleaner.extract.blocks import visible

UNIT_TAGS = ("p", "h2", "h3", "h4", "blockquote", "figcaption")

#: Elements of the page in document order, each with its text key.
Units = list[tuple[HtmlElement, str]]


def page_units(tree: HtmlElement) -> Units:
    return [(element, key(visible(element.text_content()))) for element in tree.iter(*UNIT_TAGS)]


def key(text: str) -> str:
    return "".join(text.split())
