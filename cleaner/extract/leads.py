"""The article's lead paragraph, when the precise extractor dropped it, put back.

Most articles open with a standfirst (lead, intro, summary, "Vorspann", "chapô") between the
headline and the body. Pages put it in the article's `<header>`, which trafilatura's
precision mode deletes whole, or give it a class such as `teaser` (German newsrooms' word
for the lead), which it drops in every mode. The body then starts at its second paragraph.

The lead is found from where the extracted body starts in the original page: walking back
from the first kept paragraph, in document order, past the short things that sit between
a lead and the body (the byline, the date, a photo credit, share buttons), the prose
paragraphs met before the headline are the lead. The walk gives up after a little text
that is not prose, so a sidebar's teasers or a menu before the article are never reached.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from lxml.html import HtmlElement

from cleaner.extract.blocks import visible
from cleaner.extract.units import Units, page_units
from cleaner.record import Block, BlockKind

# The elements of the original page that hold one block of text.
_LEAF_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "div", "dd", "td"})
_CONTAINERS = frozenset(
    {"p", "li", "blockquote", "div", "dd", "td", "section", "header", "article", "ul", "ol"}
)
_NEVER = frozenset(
    {"script", "style", "noscript", "template", "nav", "form", "button", "select", "aside", "figure"}
)
# Text that is not a lead and may stand between one and the body: bylines, dates, credits.
_SKIP_BUDGET = 400
_MAX_LEADS = 2
_MIN_LEAD_CHARS = 60
_MIN_LEAD_WORDS = 8
# A lead without a full stop is longer than a headline.
_MIN_UNPUNCTUATED_WORDS = 12
_MAX_LINK_SHARE = 0.2
# How many of the first blocks are looked for in the page.
_ANCHOR_BLOCKS = 5
# A photo caption's credit: "© Agency", "(Foto: dpa)", "Bild: ...", "Credit: ...".
_CREDIT = re.compile(
    r"©|\((?:foto|photo|bild|image|credit|quelle|source)s?\b|^(?:foto|photo|bild|image)s?\s*:", re.I
)
# Class and id words of page furniture that may sit between a lead and the body.
_FURNITURE = re.compile(
    r"caption|credit|copyright|legend|byline|author|avatar|share|social|breadcrumb|cookie|consent"
    r"|newsletter|subscribe|sign-?up|comment|related|sidebar|widget|footer|promo|advert|banner|\btags\b|meta"
    r"|overlay|modal|popup|dialog|tooltip|review|branding|slogan"
)
_NAME_LEVELS = 3
_FURNITURE_LEVELS = 2
# The names pages give a lead: lead, intro, teaser (German), summary, standfirst, excerpt,
# chapô (French), entradilla and bajada (Spanish), occhiello (Italian), abstract, subtitle.
_LEAD_NAMES = re.compile(
    r"lead|intro|teaser|summary|standfirst|excerpt|chap[oô]|entradilla|bajada|occhiello|sommario"
    r"|abstract|subtitle|sub-?head|vorspann|header|hero|description|kicker|dek\b"
)
_SENTENCE = re.compile(r"[.!?…:;\"“”»«)]\s*$|[.!?]\s")


def restore_lead(tree: HtmlElement, blocks: Sequence[Block], units: Units | None = None) -> list[Block]:
    """`blocks` with the article's dropped lead paragraphs in front. `units`: the page's
    `page_units`, if the caller has them."""
    anchor = _first_kept(tree, blocks, units if units is not None else page_units(tree))
    if anchor is None:
        return list(blocks)
    kept = {_key(b.text) for b in blocks}
    leads: list[Block] = []
    skipped = 0
    for element in _preceding_leaves(anchor):
        text = _visible_text(element)
        if not text:
            continue
        if element.tag == "h1":
            break
        if _key(text) in kept:  # a photo credit or a kicker the body starts with
            continue
        if _is_prose(element, text):
            if all(lead.text != text for lead in leads):  # a lead given twice (dek and abstract)
                leads.insert(0, Block(text, BlockKind.PARAGRAPH))
            if len(leads) == _MAX_LEADS:
                break
            continue
        skipped += len(text)
        if skipped > _SKIP_BUDGET:
            break
    return leads + list(blocks)


def _first_kept(tree: HtmlElement, blocks: Sequence[Block], units: Units) -> HtmlElement | None:
    """The page's element holding the body's first paragraph of prose (a `<p>`, else a
    `<div>` with no blocks inside)."""
    wanted = {
        _key(b.text)
        for b in blocks[:_ANCHOR_BLOCKS]
        if b.kind is BlockKind.PARAGRAPH and len(b.text) >= _MIN_LEAD_CHARS
    }
    if not wanted:
        return None
    for element, text_key in units:
        if element.tag == "p" and text_key in wanted:
            return element
    for element in tree.iter("div"):
        leaf = not any(child.tag in _LEAF_TAGS for child in element)
        if leaf and _key(visible(element.text_content())) in wanted:
            return element
    return None


def _preceding_leaves(element: HtmlElement) -> Iterator[HtmlElement]:
    """The one-block elements before `element` in document order, nearest first."""
    node: HtmlElement | None = element
    while node is not None and node.tag != "body":
        for sibling in node.itersiblings(preceding=True):
            yield from _leaves_backwards(sibling)
        node = node.getparent()


def _leaves_backwards(element: HtmlElement) -> Iterator[HtmlElement]:
    tag = element.tag
    if not isinstance(tag, str) or tag in _NEVER:
        return
    children = [
        c for c in element if isinstance(c.tag, str) and (c.tag in _CONTAINERS or c.tag in _LEAF_TAGS)
    ]
    if tag in _LEAF_TAGS and not children:
        yield element
        return
    if children and not (element.text or "").strip():
        for child in reversed(element):
            yield from _leaves_backwards(child)
    elif tag in _LEAF_TAGS:
        yield element


def _visible_text(element: HtmlElement) -> str:
    """The element's text less what scripts and styles hold, spaces collapsed."""
    parts: list[str] = []
    _collect(element, parts)
    return " ".join(visible("".join(parts)).split())


def _collect(element: HtmlElement, parts: list[str]) -> None:
    if element.text:
        parts.append(element.text)
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _NEVER:
            _collect(child, parts)
        if child.tail:
            parts.append(child.tail)


def _named_lead(element: HtmlElement) -> bool:
    """An element named as a lead, or one inside the article's header."""
    node: HtmlElement | None = element
    for _ in range(_NAME_LEVELS):
        if node is None:
            return False
        tag = "header" if node.tag == "header" else ""
        names = f"{tag} {node.get('class') or ''} {node.get('id') or ''}".lower()
        if _LEAD_NAMES.search(names):
            return True
        node = node.getparent()
    return False


def _is_prose(element: HtmlElement, text: str) -> bool:
    if element.tag not in ("p", "div") or len(text) < _MIN_LEAD_CHARS or len(text.split()) < _MIN_LEAD_WORDS:
        return False
    if (
        not _SENTENCE.search(text)
        or _CREDIT.search(text)
        or _named_furniture(element)
        or not _named_lead(element)
    ):
        return False
    linked = sum(len(_visible_text(a)) for a in element.iter("a"))
    return linked <= _MAX_LINK_SHARE * len(text)


def _named_furniture(element: HtmlElement) -> bool:
    """A caption, credit, byline or other page furniture, by its or its parent's names (not
    further up: a blog's article element carries the post's category and tag names)."""
    node: HtmlElement | None = element
    for _ in range(_FURNITURE_LEVELS):
        if node is None:
            return False
        names = f"{node.get('class') or ''} {node.get('id') or ''}".lower()
        if names.strip() and _FURNITURE.search(names):
            return True
        node = node.getparent()
    return False


def _key(text: str) -> str:
    return "".join(text.split())
