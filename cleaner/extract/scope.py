"""Loose paragraphs from all over the page, narrowed down to the article's own container.

When trafilatura finds no article container it has a name for, it falls back to collecting
the page's loose paragraphs, from the article but also from the sidebar's teasers, the
comment form's notice and the header's date line. Such a body is a flat run of paragraphs
without a heading. Then the article is the smallest element of the original page holding
most of that text, and the paragraphs from outside it go, as outside the main content.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lxml.etree import _Element
from lxml.html import HtmlElement

from cleaner.record import Block, Reason, Removal

# The article's container holds at least this share of the text found in the page's <p>s...
_DOMINANT_SHARE = 0.8
# ...and the fallback has found at least this many paragraphs.
_MIN_PARAGRAPHS = 4
_LOOSE_TAGS = frozenset({"p"})
_RULE = "extract:outside-article"


def is_loose(body: _Element | None) -> bool:
    """A body made of paragraphs only, as trafilatura's paragraph fallback leaves it."""
    return body is not None and len(body) >= _MIN_PARAGRAPHS and all(c.tag in _LOOSE_TAGS for c in body)


def scope_blocks(tree: HtmlElement, blocks: Sequence[Block]) -> tuple[list[Block], list[Removal]]:
    """`blocks` without those from outside the element holding most of their text."""
    where: dict[str, Any] = {}
    for paragraph in tree.iter("p"):
        where.setdefault(_key(paragraph.text_content()), paragraph)
    located = [(block, where.get(_key(block.text))) for block in blocks]
    weight: dict[Any, int] = {}
    for block, element in located:
        for ancestor in element.iterancestors() if element is not None else ():
            weight[ancestor] = weight.get(ancestor, 0) + len(block.text)
    total = sum(len(block.text) for block, element in located if element is not None)
    holders = [a for a, w in weight.items() if w >= _DOMINANT_SHARE * total]
    if not holders:
        return list(blocks), []
    # The holders nest one in another; the innermost is the one with the most ancestors.
    article = max(holders, key=lambda a: sum(1 for _ in a.iterancestors()))
    kept: list[Block] = []
    dropped: list[Removal] = []
    for block, element in located:
        if element is None or article in element.iterancestors():
            kept.append(block)
        else:
            dropped.append(Removal(block.text, Reason.OUTSIDE_MAIN_CONTENT, _RULE))
    return kept, dropped


def _key(text: str) -> str:
    return "".join(text.split())
