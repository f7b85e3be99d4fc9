"""The page's visible text that the extraction left out, each piece with the reason we can name.

One walk over the body cuts the page into units of text: an element without block-level
elements inside is one unit (a paragraph, a list item, a nav bar made of links), and in an
element that does have block-level children, each run of inline text between them (a skip
link, a "Menu" button, bare links in a header) is a unit too. So every visible piece of text
lands in exactly one unit. A unit's reason comes from the nearest enclosing element whose tag,
role, class, id or a CSS selector in the DOM rules says what the region is (nav, footer,
share...); without one it is `outside-main-content`. An inline element the rules name
("Sign up" with class `signup`) is a unit of its own, so it carries its own reason.

Cheap by construction: each element is looked at once, below a unit nothing is visited but
by lxml in C (a unit's text is read in one call, and split into its pieces only when the unit
is listed), rule verdicts are memoised per attribute value within the page, and what the
enclosing elements say is worked out only for the units listed.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate
from typing import Any

from lxml.etree import tostring
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
    return removed_in_order(tree, kept, rules, known=known)[0]


def removed_in_order(
    tree: HtmlElement, kept: Iterable[str], rules: DomRules, *, known: Iterable[str] = ()
) -> tuple[list[Removal], list[int], list[int]]:
    """`removed_blocks`, with where the walk met each removal: the index of the last of `kept`
    it had passed (-1: none yet), for each removal and for each of `known` (-1 too when the
    walk never met it). The same walk, so page order costs a dict lookup per unit."""
    body = next(tree.iterchildren("body"), None)
    root = body if body is not None else tree
    listing = _Listing(_Verdicts(tree, rules), list(kept), known)
    listing.walk(root)
    return listing.out, listing.anchors, [-1 if at is None else at for at in listing.known_at]


def _key(text: str) -> str:
    """Text without spacing or cell separators: the extractor re-spaces what it keeps."""
    return "".join(text.split()).replace("|", "")


class _Listing:
    """One walk over the page, collecting the units that were not kept."""

    def __init__(self, own: _Verdicts, kept: list[str], known: Iterable[str]) -> None:
        self.own = own
        self.out: list[Removal] = []
        keys = [_key(text) for text in kept]
        # A kept block's key -> its index (the first, for a text kept twice).
        self._kept: dict[str, int] = {}
        for index, key in enumerate(keys):
            self._kept.setdefault(key, index)
        # In order, so that a unit whose text runs across two kept blocks counts as kept.
        self._kept_joined = "".join(keys)
        self._starts = list(accumulate((len(k) for k in keys[:-1]), initial=0)) if keys else []
        known = list(known)
        self._known: dict[str, int] = {}
        for index, text in enumerate(known):
            self._known.setdefault(_key(text), index)
        self._seen = set(self._known)
        # Page order: the last kept block the walk passed, and where each removal was met.
        self._at = -1
        self.anchors: list[int] = []
        self.known_at: list[int | None] = [None] * len(known)
        # The elements the walk is inside, root first, and what each says about the text in
        # it (its own match, else what its parent says): None until a listed unit inside asks.
        self._open: list[HtmlElement] = []
        self._says: list[Match | None] = []

    def walk(self, root: HtmlElement) -> None:
        """Depth first without recursion: pages can nest thousands of elements deep."""
        with_blocks = _with_blocks(root)
        own, unit, opened, says = self.own, self._unit, self._open, self._says
        opened.append(root)
        says.append(None)
        levels = [iter(root)]
        # The pieces of inline text since the last unit: one unit of their own, if not blank.
        run: list[str] = [root.text or ""]
        while levels:
            for child in levels[-1]:
                tag = child.tag
                if not isinstance(tag, str) or tag in _SKIP_TAGS:
                    run.append(child.tail or "")
                    continue
                nested = len(child)
                if nested and child in with_blocks:
                    if (text := "".join(run)).strip():
                        unit(text, None, run)
                    opened.append(child)
                    says.append(None)
                    levels.append(iter(child))
                    run = [child.text or ""]
                    break
                if tag in _UNIT_TAGS or own(child) is not None:
                    if (text := "".join(run)).strip():
                        unit(text, None, run)
                    unit(_all_text(child) if nested else child.text or "", child)
                    run = [child.tail or ""]
                else:
                    if nested:
                        run += child.itertext()
                    else:
                        run.append(child.text or "")
                    run.append(child.tail or "")
            else:
                levels.pop()
                if (text := "".join(run)).strip():
                    unit(text, None, run)
                says.pop()
                run = [opened.pop().tail or ""]

    def _unit(self, text: str, element: HtmlElement | None, run: Sequence[str] = ()) -> None:
        """One unit, with the text of `element` or else of the inline `run` of pieces: listed
        unless blank, kept or listed already."""
        words = text.split()
        if not words:
            return
        # As `_key`; spacing between the pieces, which `_join` adds, makes no difference.
        key = "".join(words).replace("|", "")
        if not key:
            return
        if key in self._seen:
            known = self._known.get(key)
            if known is not None and self.known_at[known] is None:
                self.known_at[known] = self._at
            return
        kept = self._kept.get(key)
        if kept is not None:
            self._at = max(self._at, kept)
            return
        if len(key) >= _MIN_SUBSTRING_CHARS and (offset := self._kept_joined.find(key)) >= 0:
            self._at = max(self._at, bisect_right(self._starts, offset) - 1)
            return
        self._seen.add(key)
        self.anchors.append(self._at)
        reason, rule = (element is not None and self.own(element)) or self._says[-1] or self._context()
        if element is None:
            words = _join(run).split()
        elif len(element):
            words = _join(_pieces(element)).split()
        self.out.append(Removal(" ".join(words), reason, rule))

    def _context(self) -> Match:
        """What the open elements say about the text at the walk's place, worked out once
        per element, from the innermost one already known."""
        says = self._says
        known = len(says)
        while known and says[known - 1] is None:
            known -= 1
        match = (says[known - 1] if known else None) or _DEFAULT
        for depth in range(known, len(says)):
            match = says[depth] = self.own(self._open[depth]) or match
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


def _all_text(element: HtmlElement) -> str:
    """All the text inside `element` run together, as `itertext` gives it, in one C call (a
    parsed page holds no entity references, where the two would differ)."""
    text: str = tostring(element, method="text", encoding="unicode", with_tail=False)
    return text


def _pieces(element: HtmlElement) -> list[str]:
    """The pieces of text inside `element`, as `itertext` gives them, less the empty ones.
    Read directly when no child has children of its own (`<li><a>Home</a></li>`): `itertext`
    costs more to set up than reading a few elements."""
    pieces = [element.text]
    for child in element:
        if len(child):
            pieces = list(element.itertext())
            break
        if isinstance(child.tag, str):  # a comment or processing instruction adds only its tail
            pieces.append(child.text)
        pieces.append(child.tail)
    return [piece for piece in pieces if piece]


def _join(pieces: Sequence[str]) -> str:
    """Text pieces of separate elements, spaced apart where nothing separates them:
    "Cup Final 2025" and "12 articles" in two spans, or two buttons, are not one word."""
    if len(pieces) == 1:
        return pieces[0]
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
    """An element's own rule match; name verdicts memoised per attribute value in the page.
    CSS selectors about one element are tested on the elements asked about; the others are
    run over the page once, in advance."""

    def __init__(self, tree: HtmlElement, rules: DomRules) -> None:
        self._match = rules.match
        self._memo: dict[str, Match | None] = {}
        self._css = [(r.test or set(r.xpath(tree)).__contains__, r.match) for r in rules.selectors]

    def __call__(self, element: HtmlElement) -> Match | None:
        # The element stands in for its attribute mapping: `get` is all the rules use.
        hit = self._match(element.tag, element, self._memo)
        if hit is None:
            for test, match in self._css:
                if test(element):
                    return match
        return hit
