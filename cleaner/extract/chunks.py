"""The rest of an article whose body the page splits into chunks, put back.

Some publishers cut the article body into several sibling containers of the same name, with
ads, newsletter boxes or pictures between them (`<div class="body">` ... `<div
class="body">`). trafilatura takes the first container it recognises as the body and stops
there, so the article ends after its first chunk. When the kept blocks lie in one such
container, the prose paragraphs of its same-named siblings go back in, in page order.

A sibling is a chunk of the same article only if it is named exactly like the one kept, , holds
a box named like the one holding the kept text, by a name that speaks of text (`body`,
`text`, `content`: a layout grid's `row` is shared by every box on a page), is no
`<article>` of its own and has no headline (`<h1>`): an infinite-scroll page appends the
next article in a container like the first, headline and all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from lxml.html import HtmlElement

from cleaner.extract.blocks import visible
from cleaner.extract.units import Units, page_units
from cleaner.record import Block, BlockKind

# How far above a kept paragraph its chunk container may be.
_MAX_LEVELS = 4
_BLOCK_TAGS = ("p", "h2", "h3", "h4", "li", "blockquote")
_KIND = {"h2": BlockKind.HEADING, "h3": BlockKind.HEADING, "h4": BlockKind.HEADING,
         "li": BlockKind.LIST_ITEM, "blockquote": BlockKind.QUOTE}  # fmt: skip
_SKIP = frozenset({"script", "style", "noscript", "template", "aside", "nav", "form", "figure", "button"})
# The name of the box holding the kept text says it holds text: layout names alone ("row",
# "col-xs-12", "container") are shared by every box on a page.
_CONTENT_NAME = re.compile(r"body|text|content|article|story|chunk|paragraph|copy|entry|prose|rte", re.I)
# A chunk holds this much prose in paragraphs before it counts.
_MIN_CHUNK_CHARS = 200
_MIN_PARAGRAPH_CHARS = 40


def restore_chunks(tree: HtmlElement, blocks: Sequence[Block], units: Units | None = None) -> list[Block]:
    """`blocks` with the paragraphs of the article's other body chunks in their places.
    `units`: the page's `page_units`, if the caller has them."""
    keys = {_key(b.text) for b in blocks if b.kind is BlockKind.PARAGRAPH}
    units = units if units is not None else page_units(tree)
    kept = [p for p, text_key in units if p.tag == "p" and text_key in keys] if keys else []
    chunks = _chunks(kept[0]) if kept else None
    if chunks is None:
        return list(blocks)
    holding = [c for c in chunks if any(c in p.iterancestors() for p in kept[:50])]
    if len(holding) != 1:
        return list(blocks)
    position = chunks.index(holding[0])
    before = [b for chunk in chunks[:position] for b in _chunk_blocks(chunk)]
    after = [b for chunk in chunks[position + 1 :] for b in _chunk_blocks(chunk)]
    seen = {_key(b.text) for b in blocks}
    before = [b for b in before if _key(b.text) not in seen]
    after = [b for b in after if _key(b.text) not in seen]
    return before + list(blocks) + after


def _chunks(paragraph: HtmlElement) -> list[HtmlElement] | None:
    """The same-named sibling containers, the kept one among them, of a kept paragraph."""
    node = paragraph.getparent()
    text_box: str | None = None  # the first container on the way up named for text
    for _ in range(_MAX_LEVELS):
        parent = node.getparent() if node is not None else None
        if node is None or parent is None or node.tag in ("body", "html"):
            return None
        name = node.get("class")
        if text_box is None and name and _CONTENT_NAME.search(name):
            text_box = name
        if name and text_box and node.tag != "article":
            same = [s for s in parent if s.tag == node.tag and s.get("class") == name]
            if len(same) > 1:
                chunks = [s for s in same if s is node or _is_chunk(s, text_box)]
                return chunks if len(chunks) > 1 else None
        node = parent
    return None


def _is_chunk(element: HtmlElement, text_box: str) -> bool:
    """A sibling holding a box named like the kept text's, prose in it, and no headline."""
    if element.find(".//h1") is not None:
        return False
    if element.get("class") != text_box and not any(e.get("class") == text_box for e in element.iter()):
        return False
    prose = sum(len(t) for t in _paragraph_texts(element) if len(t) >= _MIN_PARAGRAPH_CHARS)
    return prose >= _MIN_CHUNK_CHARS


def _paragraph_texts(element: HtmlElement) -> Iterator[str]:
    for p in element.iter("p"):
        yield _text(p)


def _chunk_blocks(chunk: HtmlElement) -> list[Block]:
    blocks = []
    for element in chunk.iter(*_BLOCK_TAGS):
        if any(a.tag in _SKIP for a in element.iterancestors()) or _has_block_child(element):
            continue
        text = _text(element)
        if text:
            blocks.append(Block(text, _KIND.get(element.tag, BlockKind.PARAGRAPH)))
    return blocks


def _has_block_child(element: HtmlElement) -> bool:
    return any(child.tag in _BLOCK_TAGS or child.tag in ("ul", "ol", "div") for child in element)


def _text(element: HtmlElement) -> str:
    parts: list[str] = []
    _collect(element, parts)
    return " ".join(visible("".join(parts)).split())


def _collect(element: HtmlElement, parts: list[str]) -> None:
    if element.text:
        parts.append(element.text)
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _SKIP:
            _collect(child, parts)
        if child.tail:
            parts.append(child.tail)


def _key(text: str) -> str:
    return "".join(text.split())
