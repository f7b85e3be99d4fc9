"""Section headings the extractor dropped from the middle of an article, put back.

When trafilatura finds no article container it has a name for (`class="corps"`,
`class="texto-materia"`), it falls back to collecting the page's loose paragraphs, and that
fallback takes `<p>`, quotes, code and tables but never headings. The article comes out
whole but without its `<h2>`s. A heading of the original page goes back in when it sits
between two paragraphs of one container that the extraction kept as consecutive blocks:
that is a section break inside the text, not a widget title or a teaser.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml.html import HtmlElement

from cleaner.record import Block, BlockKind

_SECTION_HEADINGS = ("h2", "h3", "h4")
# Siblings without kept text (an ad slot, an empty div) between a heading and its paragraph.
_MAX_SKIPPED = 3


def restore_headings(tree: HtmlElement, blocks: Sequence[Block]) -> list[Block]:
    """`blocks` with the dropped section headings of `tree` back in their places."""
    position: dict[str, int] = {}
    for i, block in enumerate(blocks):
        position.setdefault(_key(block.text), i)
    inserts: dict[int, list[Block]] = {}
    for heading in tree.iter(*_SECTION_HEADINGS):
        text = " ".join(heading.text_content().split())
        if not text or _key(text) in position or heading.find(".//a") is not None:
            continue
        before = _kept_sibling(heading, position, backwards=True)
        after = _kept_sibling(heading, position, backwards=False)
        if before is not None and after == before + 1:
            inserts.setdefault(after, []).append(Block(text, BlockKind.HEADING))
    if not inserts:
        return list(blocks)
    restored: list[Block] = []
    for i, block in enumerate(blocks):
        restored += inserts.get(i, ())
        restored.append(block)
    return restored


def _kept_sibling(element: HtmlElement, position: dict[str, int], *, backwards: bool) -> int | None:
    """The block position of the nearest sibling whose text was kept, if one is near."""
    sibling = element.getprevious() if backwards else element.getnext()
    for _ in range(_MAX_SKIPPED + 1):
        if sibling is None:
            return None
        if isinstance(sibling.tag, str):
            found = position.get(_key(sibling.text_content()))
            if found is not None:
                return found
        sibling = sibling.getprevious() if backwards else sibling.getnext()
    return None


def _key(text: str) -> str:
    return "".join(text.split())
