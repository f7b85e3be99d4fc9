"""The author a page prints in a byline element, for pages whose metadata names none.

The candidates are elements marked as author or byline (`rel="author"`, `itemprop="author"`,
a class or id naming an author, a byline, a writer), in document order; the first whose
short text holds a clean name wins (see `authors.clean_authors`). Bylines inside a comments
section name readers, not the author. Failing those, a byline printed as plain text just
after the headline ("Von: Götz Warnke", "25.10.2022 - Reiner Nagel") counts, and then one
printed as a label and a name anywhere on the page ("Autor: Fritz Imhof", "Text: ...").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice

from lxml.etree import Element
from lxml.html import HtmlElement

from cleaner.metadata.authors import clean_authors
from cleaner.metadata.texts import PageTexts

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
        specific = (
            element.get("rel") == "author"
            or "author" in (element.get("itemprop") or "")
            or element.tag == "byline"
        )
        if specific or (marks and _may_mark_byline(marks) and _BYLINE_MARK.search(marks)):
            yield element


def _may_mark_byline(marks: str) -> bool:
    """Whether `_BYLINE_MARK` may match: each of its words holds one of these, and testing
    for them costs a fifth of the case-blind expression (outside ASCII, `re.I` and `lower`
    fold letters apart, so the expression decides)."""
    if not marks.isascii():
        return True
    low = marks.lower()
    return (
        "aut" in low
        or "by" in low
        or "user" in low
        or "writer" in low
        or "verfasser" in low
        or "journalist" in low
    )


_COMMENT_DEPTH = 8
_NOT_BYLINES = frozenset(
    {"meta", "link", "script", "style", "time", "figure", "img", "body", "html", "article"}
)
MARK_WORDS = (
    "author", "autor", "auteur", "byline", "writer", "verfasser", "posted-by", "submitted-by", "journalist",
    "username", "user-name",
)  # fmt: skip
_BYLINE_MARK = re.compile("|".join(MARK_WORDS), re.I)


_NEAR_NODES = 40
_MAX_BYLINE_WORDS = 8
_NAME_WORD = re.compile(r"^(?:[A-ZÀ-ÖØ-ÞĀ-Ž][\w.'’-]*|van|von|de|da|del|der|di|du|la|le|zu)$")


def headline_byline(headline: HtmlElement, site: tuple[str | None, str | None]) -> str | None:
    """A byline printed as text after the headline ("Von: Götz Warnke", "By Jane Roe",
    "Redaktion: Eberhard Fuhr"): a short text led by a byline word, then a name in capitals."""
    container = headline
    for _ in range(_ANCESTORS):
        parent = container.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        container = parent
    texts = container.itertext()
    title = " ".join(headline.text_content().split())
    for text in texts:  # up to the headline
        if title and " ".join(text.split()) in title and text.strip():
            break
    pending = ""
    for node in islice(texts, _NEAR_NODES):
        text, pending = pending + node, ""
        if _LEAD.fullmatch(text.strip()):  # "Autor:" alone, the name in the next element
            pending = text.strip() + " "
            continue
        words = text.split()
        if not 2 <= len(words) <= _MAX_BYLINE_WORDS:
            continue
        dated = _DATED.match(text.strip())
        rest = text.strip()[dated.end() :] if dated else text.strip()
        if not dated and not _LEAD.match(rest):
            continue
        found = clean_authors(rest, *site).value
        names = found.split("; ") if found else []
        if names and all(len(n.split()) >= 2 and all(_NAME_WORD.match(w) for w in n.split()) for n in names):
            return found
    return None


_ANCESTORS = 4
# A byline word ("Von: Götz Warnke", "Redaktion: Eberhard Fuhr")...
_LEAD = re.compile(
    r"^(?:von|by|par|por|di|door|przez|text|texte|autor|autorin|auteur|redaktion|interview"
    r"|written by)\b\s*:?",
    re.I,
)
# ...or a date and a dash before the name ("25.10.2022 - Reiner Nagel").
_DATED = re.compile(r"^\d{1,2}\.\s?\d{1,2}\.\s?\d{4}\s*[-–|]\s*")


# The label of a byline printed anywhere: a byline word and a colon ("Autor:", "Text:").
_LABEL = re.compile(
    r"^[-–—|·•\s]*(?P<label>(?:autor|autorin|autoren|author|authors|text|texte|von|by|par|por|redaktion|verfasser"
    r"|verfasst von|geschrieben von|written by|posted by)\s*:)",
    re.I,
)


def labelled_byline(
    tree: HtmlElement, site: tuple[str | None, str | None], texts: PageTexts | None = None
) -> str | None:
    """A byline printed as a label and a name anywhere on the page, outside comments: the
    label alone in its element ("<b>Autor:</b> <a>Fritz Imhof</a>") or leading the text."""
    pending = ""
    for node in texts if texts is not None else PageTexts(tree):
        text, pending = pending + node, ""
        stripped = text.strip()
        if not stripped:
            continue
        label = _LABEL.match(stripped)
        if label is None:
            continue
        if label.end() == len(stripped):  # the name is in the next element
            pending = stripped + " "
            continue
        if len(stripped.split()) > _MAX_BYLINE_WORDS:
            continue
        found = clean_authors(stripped[label.start("label") :], *site).value
        names = found.split("; ") if found else []
        if names and all(len(n.split()) >= 2 and all(_NAME_WORD.match(w) for w in n.split()) for n in names):
            return found
    return None
