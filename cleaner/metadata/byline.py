"""The author a page prints in a byline element, for pages whose metadata names none.

The candidates are elements marked as author or byline (`rel="author"`, `itemprop="author"`,
a class or id naming an author, a byline, a writer), in document order; the first whose
short text holds a clean name wins (see `authors.clean_authors`). Bylines inside a comments
section name readers, not the author.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice

from lxml.etree import Element
from lxml.html import HtmlElement

from cleaner.metadata.authors import clean_authors

_MAX_AUTHOR_CHARS = 120
_MAX_BYLINES = 5


def _clean(text: str | None) -> str | None:
    text = " ".join(text.split()) if text else ""
    return text or None


def byline(tree: HtmlElement, site: tuple[str | None, str | None]) -> str | None:
    for element in islice(_byline_candidates(tree), _MAX_BYLINES):
        if _in_comments(element):
            continue
        named = element.find('.//*[@itemprop="name"]')
        text = _clean((named if named is not None else element).text_content())
        if text and 2 < len(text) < _MAX_AUTHOR_CHARS:
            found = clean_authors(text, *site)
            if found.value:
                return found.value
    return None


def _in_comments(element: HtmlElement) -> bool:
    """Whether a byline belongs to a reader comment: a comments section around it."""
    for ancestor in islice(element.iterancestors(), _COMMENT_DEPTH):
        marks = f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}".lower()
        if "comment" in marks or "kommentar" in marks:
            return True
    return False


def _byline_candidates(tree: HtmlElement) -> Iterator[HtmlElement]:
    """Elements that hold a byline (`rel="author"`, `itemprop="author"`, a class or id that
    names an author or byline: "byline", "post-author", "autor", "writer", "posted-by"), in
    document order, lazily: the walk stops at the first good byline."""
    for element in tree.iterdescendants(Element):
        if element.tag in _NOT_BYLINES:
            continue
        marks = element.get("class") or ""
        if element.get("id"):
            marks = f"{marks} {element.get('id')}"
        specific = element.get("rel") == "author" or "author" in (element.get("itemprop") or "")
        if specific or (marks and _BYLINE_MARK.search(marks)):
            yield element


_COMMENT_DEPTH = 8
_NOT_BYLINES = frozenset(
    {"meta", "link", "script", "style", "time", "figure", "img", "body", "html", "article"}
)
_BYLINE_MARK = re.compile(
    r"author|autor|auteur|byline|writer|verfasser|posted-by|submitted-by|journalist", re.I
)
