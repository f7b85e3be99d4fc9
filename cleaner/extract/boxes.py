"""Boxes inside the article that the extractor kept with it, taken out.

trafilatura keeps the article's container, and with it the boxes pages put inside it: a
card of related stories, a newsletter sign-up, share buttons, an author box, a reader
comment. Such a box is named like the page regions the DOM rules know (`related`,
`newsletter`, `share`...), so a kept block whose element sits in a region the rules name
goes, with that region's reason, when the region is a box inside the article: it holds
less than a third of the kept text. A region that holds more is the article's own wrapper,
whatever its name (`teaser_blog_text`), and its blocks stay.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml.html import HtmlElement

from cleaner.extract.rules import DomRules, Match
from cleaner.extract.units import Units, key
from cleaner.record import Block, Reason, Removal

# The regions that are boxes when inside an article. Navigation and footers are not looked
# for (an article's own list of links or its closing line match them too often), nor ads
# (a shop's test report sits in a section named for its ads).
_BOX_REASONS = frozenset({Reason.RELATED, Reason.SUBSCRIBE, Reason.SHARE, Reason.COMMENTS, Reason.COOKIE})
# Names of related regions too loose for a box: a widget, a sidebar column, and "teaser",
# which German pages also call the article's lead.
_LOOSE_RULES = frozenset(
    {
        "dom:related:word=teaser",
        "dom:related:word=teasers",
        "dom:related:word=widget",
        "dom:related:word=sidebar",
        "dom:related:contains=sidebar",
        "dom:related:tag=aside",
    }
)
_BOX_SHARE = 1 / 3
# How far above a block's element its box may start.
_MAX_LEVELS = 6


def drop_boxes(
    tree: HtmlElement, blocks: Sequence[Block], rules: DomRules
) -> tuple[list[Block], list[Removal]]:
    """`blocks` without those that sit in a named box inside the article, and those."""
    where = _locate(tree, blocks)
    if not where:
        return list(blocks), []
    memo: dict[str, Match | None] = {}
    parents: dict[HtmlElement, tuple[HtmlElement, Match] | None] = {}
    boxes = {
        i: box for i, element in where.items() if (box := _box(element, rules, memo, parents)) is not None
    }
    if not boxes:
        return list(blocks), []
    total = sum(len(b.text) for b in blocks)
    held: dict[HtmlElement, int] = {}
    for i, element in where.items():
        for region, _ in set(boxes.values()):
            if region is element or region in element.iterancestors():
                held[region] = held.get(region, 0) + len(blocks[i].text)
    kept, dropped = [], []
    for i, block in enumerate(blocks):
        box = boxes.get(i)
        if box is not None and held.get(box[0], 0) < _BOX_SHARE * total:
            reason, rule = box[1]
            dropped.append(Removal(block.text, reason, f"{rule}:in-article"))
        else:
            kept.append(block)
    return kept, dropped


def _locate(units: Units, blocks: Sequence[Block]) -> dict[int, HtmlElement]:
    """The page element of each block that is one element's text, by block index."""
    index: dict[str, int] = {}
    for i, block in enumerate(blocks):
        index.setdefault(key(block.text), i)
    where: dict[int, HtmlElement] = {}
    for element, text_key in units:
        found = index.get(text_key)
        if found is not None and found not in where:
            where[found] = element
    return where


def _box(
    element: HtmlElement,
    rules: DomRules,
    memo: dict[str, Match | None],
    parents: dict[HtmlElement, tuple[HtmlElement, Match] | None],
) -> tuple[HtmlElement, Match] | None:
    """The nearest region around `element` the rules name, if it is a kind of box (what a
    parent's ancestors say is kept in `parents`: an article's paragraphs share a parent)."""
    own = rules.match(element.tag, element, memo)
    if own is not None:
        return (element, own) if _is_box(own) else None
    parent = element.getparent()
    if parent is None:
        return None
    if parent not in parents:
        parents[parent] = _nearest_box(parent, rules, memo)
    return parents[parent]


def _is_box(match: Match) -> bool:
    return match[0] in _BOX_REASONS and match[1] not in _LOOSE_RULES


def _nearest_box(
    element: HtmlElement, rules: DomRules, memo: dict[str, Match | None]
) -> tuple[HtmlElement, Match] | None:
    node: HtmlElement | None = element
    for _ in range(_MAX_LEVELS - 1):
        if node is None or node.tag in ("body", "html"):
            return None
        match = rules.match(node.tag, node, memo)
        if match is not None:
            return (node, match) if _is_box(match) else None
        node = node.getparent()
    return None
