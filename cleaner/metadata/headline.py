"""Which title a page gives its article: the visible headline, checked against its metadata.

The `<h1>` is what a reader sees as the title; `og:title`, JSON-LD `headline` and `<title>`
often carry the same words plus a site name, or an SEO rewording. So:

1. an `<h1>` (then an `<h2>`) that one of them repeats, alone or with affixes, wins
   ("h1+og:title");
2. else the first `<h1>` that is not the site's name ("h1");
3. else the first of og:title, headline, `<title>`, less the site-name affixes that match
   the site name or host.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

from lxml.etree import XPath
from lxml.html import HtmlElement

from cleaner.metadata.title import host_label, squash, strip_site_suffix

_MAX_HEADINGS = 6
_MAX_WORDS = 40
_MIN_CONTAINED_CHARS = 12
_MIN_CONTAINED_SHARE = 0.4
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class TitleFound:
    value: str | None
    source: str | None
    element: HtmlElement | None  # the heading it came from, if one


def _is_site(text: str, sitename: str | None, host: str | None) -> bool:
    """A heading that is only the site's name (a logo in an `<h1>`)."""
    piece = squash(text)
    return piece in {squash(sitename or ""), squash(host_label(host) or "")}


def _fold(text: str) -> str:
    return _SPACE.sub(" ", text).casefold().strip()


def repeats(heading: str, other: str) -> bool:
    """`other` is `heading`, or `heading` with something around it (a site name, a kicker)."""
    h, o = _fold(heading), _fold(other)
    if h == o:
        return True
    return len(h) >= _MIN_CONTAINED_CHARS and len(h) >= _MIN_CONTAINED_SHARE * len(o) and h in o


def _text(element: HtmlElement) -> str:
    return " ".join("".join(_VISIBLE_TEXT(element)).split())


def _headings(tree: HtmlElement, tag: str) -> list[tuple[str, HtmlElement, list[str]]]:
    """The headings' texts, each with the texts of the elements inside it: a heading often
    holds a kicker or a date beside the headline proper ("<h1><span>Tunesien</span>
    <span>Große Aufgaben für die neue Regierung</span></h1>")."""
    found = []
    for element in islice(tree.iter(tag), _MAX_HEADINGS):
        text = _text(element)
        if text and len(text.split()) <= _MAX_WORDS:
            parts = [
                t
                for child in element.iterdescendants()
                if len((t := _text(child)).split()) >= 2 and t != text
            ]
            found.append((text, element, parts))
    return found


def choose_title(
    tree: HtmlElement, declared: list[tuple[str, str]], sitename: str | None, host: str | None
) -> TitleFound:
    """`declared`: (source label, text) of og:title, JSON-LD headline and `<title>`, in order."""
    h1s = _headings(tree, "h1")
    for headings in (h1s, _headings(tree, "h2")):
        for text, element, parts in headings:
            for piece in (text, *parts):
                label = next((lab for lab, value in declared if repeats(piece, value)), None)
                if label and not _is_site(piece, sitename, host):
                    return TitleFound(piece, f"{element.tag}+{label}", element)
    for text, element, _parts in h1s:
        if not _is_site(text, sitename, host):
            return TitleFound(strip_site_suffix(text, sitename, host) or text, "h1", element)
    for label, value in declared:
        stripped = strip_site_suffix(value, sitename, host)
        if stripped:
            return TitleFound(stripped, label, None)
    return TitleFound(None, None, None)


_VISIBLE_TEXT = XPath(".//text()[not(ancestor::style or ancestor::script)]")
