"""The page's text blocks that the extraction left out, each with the reason we can name.

A block's reason comes from the nearest enclosing element whose tag, role, class, id or a
CSS selector in the DOM rules says what the region is (nav, footer, share...); without one it
is `outside-main-content`. Cheap by construction: only text-bearing block elements are
visited, and each ancestor's verdict is worked out once per page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lxml.html import HtmlElement

from cleaner.extract.rules import DomRules, Match
from cleaner.record import Reason, Removal

# Elements that are a text block of their own; the outermost one on a path is the unit.
# A table is one unit, as the extractor keeps it.
_BLOCK_TAGS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dt", "dd",
     "figcaption", "table", "address", "summary", "legend"}
)  # fmt: skip
# A div or section counts as a block only when it holds text and no block-level children.
_TEXT_CONTAINERS = frozenset({"div", "section"})
_STRUCTURE_TAGS = _BLOCK_TAGS | _TEXT_CONTAINERS | {
    "ul", "ol", "dl", "article", "aside", "nav", "header", "footer", "main", "form", "figure"
}  # fmt: skip
_CANDIDATE_TAGS = tuple(_BLOCK_TAGS | _TEXT_CONTAINERS)
_SKIP_TAGS = frozenset(
    {"head", "script", "style", "noscript", "template", "svg", "select", "option", "button",
     "iframe", "object", "textarea"}
)  # fmt: skip
_SKIP, _INSIDE = "skip", "inside"
_DEFAULT: Match = (Reason.OUTSIDE_MAIN_CONTENT, "extractor")
# Shorter texts are matched against kept blocks whole, never as a substring of the article.
_MIN_SUBSTRING_CHARS = 20


def removed_blocks(
    tree: HtmlElement, kept: Iterable[str], rules: DomRules, *, known: Iterable[str] = ()
) -> list[Removal]:
    """Text blocks of `tree` not among `kept` (or already `known` as removed), with reasons."""
    kept_set = {_key(text) for text in kept}
    kept_joined = "\n".join(kept_set)
    seen = {_key(text) for text in known}
    selected = _selector_hits(tree, rules)
    memo: dict[Any, Any] = {}
    out: list[Removal] = []
    for element in tree.iter(*_CANDIDATE_TAGS):
        if element.tag in _TEXT_CONTAINERS and not _is_text_container(element):
            continue
        context = _context(element.getparent(), rules, selected, memo)
        if context is _SKIP or context is _INSIDE:
            continue
        words = element.text_content().split()
        text, key = " ".join(words), "".join(words).replace("|", "")
        if not key or key in seen or key in kept_set:
            continue
        if len(key) >= _MIN_SUBSTRING_CHARS and key in kept_joined:
            continue
        seen.add(key)
        reason, rule = _own(element, rules, selected) or context or _DEFAULT
        out.append(Removal(text, reason, rule))
    return out


def _key(text: str) -> str:
    """Text without spacing or cell separators: the extractor re-spaces what it keeps."""
    return "".join(text.split()).replace("|", "")


def _is_text_container(element: HtmlElement) -> bool:
    # Text is not checked here: a container without any holds nothing to list either way.
    return not any(child.tag in _STRUCTURE_TAGS for child in element)


def _is_candidate(element: HtmlElement) -> bool:
    tag = element.tag
    return tag in _BLOCK_TAGS or (tag in _TEXT_CONTAINERS and _is_text_container(element))


def _own(element: HtmlElement, rules: DomRules, selected: dict[Any, Match]) -> Match | None:
    tag = element.tag if isinstance(element.tag, str) else ""
    return rules.match(tag, element.attrib) or selected.get(element)


def _context(element: Any, rules: DomRules, selected: dict[Any, Match], memo: dict[Any, Any]) -> Any:
    """What an element means for the blocks under it: skipped, inside a block, or a reason.

    Walks up only as far as the nearest ancestor already worked out, then back down.
    """
    chain = []
    while element is not None and element not in memo:
        chain.append(element)
        element = element.getparent()
    state = memo.get(element) if element is not None else None
    for node in reversed(chain):
        if state is not _SKIP:
            tag = node.tag if isinstance(node.tag, str) else ""
            if tag in _SKIP_TAGS:
                state = _SKIP
            elif state is not _INSIDE:
                state = _INSIDE if _is_candidate(node) else _own(node, rules, selected) or state
        memo[node] = state
    return state


def _selector_hits(tree: HtmlElement, rules: DomRules) -> dict[Any, Match]:
    hits: dict[Any, Match] = {}
    for xpath, match in rules.selectors:
        for element in xpath(tree):
            hits.setdefault(element, match)
    return hits
