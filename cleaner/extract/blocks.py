"""trafilatura's body XML (head, p, list/item, quote, table/row/cell, code, lb) as Blocks."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from lxml.etree import _Element

from cleaner.record import Block, BlockKind

# Runs of spacing other than a lone space (which stays as it is): matching every space between
# words would cost a replacement each.
_SPACES = re.compile(r" [ \t\r\f\v\u00a0\u200b]+|[\t\r\f\v\u00a0\u200b][ \t\r\f\v\u00a0\u200b]*")
_LINES = re.compile(r" *\n[ \n]*")
# Soft hyphen, Arabic letter mark, Mongolian vowel separator, direction
# marks, embeddings and isolates, word joiner and invisible operators, byte-order mark.
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")

_KIND_BY_TAG = {
    "head": BlockKind.HEADING,
    "p": BlockKind.PARAGRAPH,
    "quote": BlockKind.QUOTE,
    "code": BlockKind.CODE,
    "item": BlockKind.LIST_ITEM,
}
# Containers whose children are blocks of their own rather than inline text.
_CONTAINERS = frozenset({"div", "article", "section", "main", "body", "doc", "comments"})


def normalise_space(text: str) -> str:
    """Runs of spaces become one; line breaks survive as single newlines. Invisible format
    characters go and the text is NFC-normalised (see `visible`); a zero-width space counts
    as a space."""
    return _LINES.sub("\n", _SPACES.sub(" ", visible(text))).strip()


def visible(text: str) -> str:
    """`text` as a reader sees and copies it: without soft hyphens, word joiners, byte-order
    marks and direction marks (the zero-width joiner and non-joiner, which shape Indic,
    Persian and emoji text, stay), in NFC (one code point for "é", whichever way the page
    spelled it)."""
    if text.isascii():
        return text
    text = _INVISIBLE.sub("", text)
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def body_blocks(body: _Element | None) -> list[Block]:
    """The body's blocks in reading order, empty ones dropped."""
    if body is None:
        return []
    return [block for block in _walk(body) if block.text]


def _walk(element: _Element) -> Iterator[Block]:
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "list":
            yield from _list_items(child)
        elif tag == "table":
            yield Block(_table_text(child), BlockKind.TABLE)
        elif tag == "code":
            yield Block(_code_text(child), BlockKind.CODE)
        elif tag in _CONTAINERS:
            yield from _walk(child)
        elif tag == "quote" and _has_blocks(child):
            for block in _walk(child):
                yield Block(block.text, BlockKind.QUOTE)
        elif tag in ("graphic", ""):
            continue
        else:
            yield Block(inline_text(child), _KIND_BY_TAG.get(tag, BlockKind.PARAGRAPH))
        if child.tail and child.tail.strip() and element.tag not in ("list", "table"):
            yield Block(normalise_space(child.tail))


def _has_blocks(element: _Element) -> bool:
    return any(child.tag in ("p", "list", "head", "table", "quote") for child in element)


def _list_items(element: _Element) -> Iterator[Block]:
    """One block per item; a nested list's items follow their parent item."""
    for item in element:
        if item.tag != "item":
            if item.tag == "list":
                yield from _list_items(item)
            continue
        sublists = [child for child in item if child.tag == "list"]
        yield Block(inline_text(item, skip=frozenset({"list"})), BlockKind.LIST_ITEM)
        for sublist in sublists:
            yield from _list_items(sublist)


def _table_text(table: _Element) -> str:
    rows = []
    for row in table.iter("row"):
        cells = (inline_text(cell, skip=frozenset({"table"})) for cell in row if cell.tag == "cell")
        line = " | ".join(cell.replace("\n", " ") for cell in cells if cell)
        if line:
            rows.append(line)
    return "\n".join(rows)


def _code_text(code: _Element) -> str:
    parts: list[str] = [code.text or ""]
    for child in code.iterdescendants():
        parts.append("\n" if child.tag == "lb" else child.text or "")
        parts.append(child.tail or "")
    return "".join(parts).strip("\n")


def inline_text(element: _Element, *, skip: frozenset[str] = frozenset()) -> str:
    """All text under an element, `<lb/>` as a newline, subtrees tagged `skip` left out."""
    parts: list[str] = []
    _collect(element, parts, skip)
    return normalise_space("".join(parts))


def _collect(element: _Element, parts: list[str], skip: frozenset[str]) -> None:
    if element.text:
        parts.append(element.text)
    for child in element:
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag in ("p", "head", "item", "row"):
            parts.append("\n")
            _collect(child, parts, skip)
        elif child.tag not in skip and isinstance(child.tag, str):
            _collect(child, parts, skip)
        if child.tail:
            parts.append(child.tail)
