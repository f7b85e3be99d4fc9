"""The page's one-block elements and their text, read once for the passes that look for
kept blocks in the original page (`chunks`, `leads`, `boxes`, and the kept text's link
density).

A block and an element are the same text when they are equal without spacing: trafilatura
re-spaces what it keeps. Element text is read as a reader sees it (`visible`).
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml.html import HtmlElement

from cleaner.extract.blocks import visible
from cleaner.record import Block, BlockKind

UNIT_TAGS = ("p", "h2", "h3", "h4", "blockquote", "figcaption")

#: Elements of the page in document order, each with its text key.
Units = list[tuple[HtmlElement, str]]


def page_units(tree: HtmlElement) -> Units:
    return [(element, key(visible(element.text_content()))) for element in tree.iter(*UNIT_TAGS)]


def key(text: str) -> str:
    return "".join(text.split())


def link_chars(tree: HtmlElement, units: Units, blocks: Sequence[Block]) -> tuple[int, ...]:
    """How many characters of each block sat inside links on the page, as far as the block,
    or each of its lines (trafilatura joins a list's items), is one element's text there."""
    where = {text_key: element for element, text_key in units}
    if any((b.kind is BlockKind.LIST_ITEM or "\n" in b.text) and key(b.text) not in where for b in blocks):
        for item in tree.iter("li", "dd", "td"):
            where.setdefault(key(visible(item.text_content())), item)
    return tuple(sum(_linked(line, where) for line in _lines(block.text, where)) for block in blocks)


def _lines(text: str, where: dict[str, HtmlElement]) -> list[str]:
    return [text] if key(text) in where or "\n" not in text else text.split("\n")


def _linked(text: str, where: dict[str, HtmlElement]) -> int:
    text_key = key(text)
    element = where.get(text_key)
    if element is None or not text_key:
        return 0
    chars = sum(len(key(visible(a.text_content()))) for a in element.iter("a"))
    return round(len(text) * min(chars / len(text_key), 1.0))
