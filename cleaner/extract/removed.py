"""The page's visible text that the extraction left out, each piece with the reason we can name.

One walk over the body cuts the page into units of text: an element without block-level
elements inside is one unit (a paragraph, a list item, a nav bar made of links), and in an
element that does have block-level children, each run of inline text between them (a skip
link, a "Menu" button, bare links in a header) is a unit too. So every visible piece of text
lands in exactly one unit. A unit's reason comes from the nearest enclosing element whose tag,
role, class, id or a CSS selector in the DOM rules says what the region is (nav, footer,
share...); without one it is `outside-main-content`. An inline element the rules name
("Sign up" with class `signup`) is a unit of its own, so it carries its own reason.

Cheap by construction: each element is looked at once, below a unit nothing is visited, and
rule verdicts are memoised per attribute value within the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lxml.html import HtmlElement

from cleaner.extract.rules import DomRules, Match
from cleaner.record import Reason, Removal

# Elements that start a block of their own; an element with one of these inside is not a unit.
_BLOCK_TAGS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dt", "dd",
     "figcaption", "table", "address", "summary", "legend", "div", "section", "ul", "ol", "dl",
     "article", "aside", "nav", "header", "footer", "main", "form", "figure", "fieldset",
     "details", "hr"}
)  # fmt: skip
# A unit when nothing block-level is inside; table cells too, as the extractor keeps them apart.
_UNIT_TAGS = _BLOCK_TAGS | {"td", "th", "caption"}
# Never rendered as text (or, for a textarea or a select, only what the reader types or picks).
_SKIP_TAGS = frozenset(
    {"head", "script", "style", "noscript", "template", "svg", "math", "select", "iframe",
     "object", "textarea", "input"}
)  # fmt: skip
# No space is put before these when two pieces of text meet.
_CLOSERS = frozenset(",.;:!?)]}»”’'")
_DEFAULT: Match = (Reason.OUTSIDE_MAIN_CONTENT, "extractor")
# Shorter texts are matched against kept blocks whole, never as a substring of the article.
_MIN_SUBSTRING_CHARS = 20


def removed_blocks(
    tree: HtmlElement, kept: Iterable[str], rules: DomRules, *, known: Iterable[str] = ()
) -> list[Removal]:
    """Text units of `tree` not among `kept` (or already `known` as removed), with reasons."""
    body = tree.find("body")
    root = body if body is not None else tree
    listing = _Listing(_Verdicts(tree, rules), list(kept), known)
    listing.walk(root)
    return listing.out


def _key(text: str) -> str:
    """Text without spacing or cell separators: the extractor re-spaces what it keeps."""
    return "".join(text.split()).replace("|", "")


class _Listing:
    """One walk over the page, collecting the units that were not kept."""

    def __init__(self, own: _Verdicts, kept: list[str], known: Iterable[str]) -> None:
        self.own = own
        self.out: list[Removal] = []
        self._kept = {_key(text) for text in kept}
        # In order, so that a unit whose text runs across two kept blocks counts as kept.
        self._kept_joined = "".join(_key(text) for text in kept)
        self._seen = {_key(text) for text in known}

    def walk(self, root: HtmlElement) -> None:
        """Depth first without recursion: pages can nest thousands of elements deep."""
        with_blocks = _with_blocks(root)
        frames = [(root, iter(root), _Context(root, None))]
        run: list[str] = [root.text or ""]
        while frames:
            node, children, context = frames[-1]
            child = next(children, None)
            if child is None:
                frames.pop()
                self._run(run, context)
                run = [node.tail or ""]
                continue
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP_TAGS:
                run.append(child.tail or "")
            elif child in with_blocks:
                self._run(run, context)
                frames.append((child, iter(child), _Context(child, context)))
                run = [child.text or ""]
            elif tag in _UNIT_TAGS or self.own(child) is not None:
                self._run(run, context)
                self._unit(_text(child), child, context)
                run = [child.tail or ""]
            else:
                run += (_text(child), child.tail or "")

    def _run(self, run: list[str], context: _Context) -> None:
        if "".join(run).strip():
            self._unit(_join(run), None, context)

    def _unit(self, text: str, element: HtmlElement | None, context: _Context) -> None:
        key = _key(text)
        if not key or key in self._seen or key in self._kept:
            return
        if len(key) >= _MIN_SUBSTRING_CHARS and key in self._kept_joined:
            return
        self._seen.add(key)
        own = self.own(element) if element is not None else None
        reason, rule = own or context.resolve(self.own)
        self.out.append(Removal(" ".join(text.split()), reason, rule))


class _Context:
    """What the enclosing elements say about the text inside, worked out only when a unit
    inside turns out to be removed, and then once."""

    __slots__ = ("element", "match", "parent")

    def __init__(self, element: HtmlElement, parent: _Context | None) -> None:
        self.element = element
        self.parent = parent
        self.match: Match | None = None

    def resolve(self, own: _Verdicts) -> Match:
        chain: list[_Context] = []
        node: _Context | None = self
        while node is not None and node.match is None:
            chain.append(node)
            node = node.parent
        match: Match = node.match if node is not None and node.match is not None else _DEFAULT
        for pending in reversed(chain):
            match = pending.match = own(pending.element) or match
        return match


def _with_blocks(root: HtmlElement) -> set[Any]:
    """The elements that have a block-level element somewhere inside."""
    marked: set[Any] = set()
    for element in root.iter(*_BLOCK_TAGS):
        parent = element.getparent()
        while parent is not None and parent not in marked:
            marked.add(parent)
            parent = parent.getparent()
    return marked


def _text(element: HtmlElement) -> str:
    return _join(element.itertext()) if len(element) else element.text or ""


def _join(pieces: Iterable[str]) -> str:
    """Text pieces of separate elements, spaced apart where nothing separates them:
    "Cup Final 2025" and "12 articles" in two spans, or two buttons, are not one word."""
    out: list[str] = []
    last = " "
    for piece in pieces:
        if not piece:
            continue
        if not last.isspace() and not piece[0].isspace() and piece[0] not in _CLOSERS:
            out.append(" ")
        out.append(piece)
        last = piece[-1]
    return "".join(out)


class _Verdicts:
    """An element's own rule match; name verdicts memoised per attribute value in the page."""

    def __init__(self, tree: HtmlElement, rules: DomRules) -> None:
        self._rules = rules
        self._memo: dict[str, Match | None] = {}
        self._selected: dict[Any, Match] = {}
        for xpath, match in rules.selectors:
            for element in xpath(tree):
                self._selected.setdefault(element, match)

    def __call__(self, element: HtmlElement) -> Match | None:
        # The element stands in for its attribute mapping: `get` is all the rules use.
        hit = self._rules.match(element.tag, element, memo=self._memo)
        if hit is None and self._selected:
            return self._selected.get(element)
        return hit
