"""Title, author and date of a page that arrived as text, read from its lines.

The title is the first heading-like line the chrome stage kept (a "Title: ..." line and a
Markdown "# ..." heading count), less a site name after a separator (the host's, when the
URL is known). The author comes from a byline: bylines are removed as chrome
(Reason.BYLINE) but the names in them are metadata, so removed blocks are read too. The
date is the day a "Published ..." line states, else the URL's, else the first short date line
around the headline; an "Updated ..." line is a modification, never the publication day.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from cleaner.chrome.lines import title_prefix_end
from cleaner.metadata.authors import clean_authors
from cleaner.metadata.dates import line_dates, url_date
from cleaner.metadata.headline import repeats
from cleaner.metadata.title import strip_site_suffix
from cleaner.record import Block, BlockKind, Reason, Removal

_SENTENCE_END = re.compile(r"[.!?,;]$")
_MAX_TITLE_WORDS = 30
_NAME = r"[A-ZÀ-ÖØ-Þ][\w.’'-]*(?:[ \t]+(?:[A-ZÀ-ÖØ-Þ][\w.’'-]*|van|von|de|da|del|der|di|du|la|le)){0,4}"
# "By Jane Doe", "Von Max Muster", "Par Jean Dupont", "Por Ana Gómez", "di Giulia Rossi",
# "Door Jan Jansen", also in Markdown emphasis: "*By Jane Doe*".
_BYLINE = re.compile(rf"^[*_]{{0,2}}(?:By|BY|Von|VON|Par|PAR|Por|POR|Door|DOOR|Di|di|DI)[ \t:]+({_NAME})")
# A Markdown heading's marker: "# Title", "## Section".
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+(?=\S)")
# The alt text of an author picture: "Jane Doe Avatar".
_AVATAR = re.compile(rf"^({_NAME})[ \t]+[Aa]vatar$")


_AFFILIATION = re.compile(r"\s*[,|·•]\s*")
_MAX_DATE_LINE_WORDS = 25
_HEADLINE_LINES = 60
_HEADLINE_SPAN = 400
# A page's date line sits in its head: from a screenful of menus before the headline to the
# first part of the article after it.
_DATE_LINES_AFTER_TITLE = 120
_DATE_LINES_BEFORE_TITLE = 60


@dataclass(frozen=True)
class TextMetadata:
    title: str | None
    author: str | None
    date: str | None = None
    sources: tuple[tuple[str, str], ...] = ()  # field -> where it was read, as on HTML


def text_metadata(
    blocks: Sequence[Block],
    removed: Sequence[Removal],
    url: str | None = None,
    lines: Sequence[Block] | None = None,
) -> TextMetadata:
    """Metadata from the kept blocks (title), the kept and removed ones (author) and the
    page's lines in order (`lines`, default: the kept blocks then the removed; date)."""
    host = urlsplit(url).hostname if url else None
    ordered = list(lines) if lines is not None else [*blocks, *(Block(r.text) for r in removed)]
    title, title_source = _title(blocks, host)
    author = _author(blocks, removed)
    day, day_source = _date(ordered, title, url)
    found = {"title": title and title_source, "author": author and "text:byline", "date": day_source}
    sources = tuple(sorted((k, v) for k, v in found.items() if v))
    return TextMetadata(title, author, day, sources)


def _title(blocks: Sequence[Block], host: str | None) -> tuple[str | None, str]:
    """The first heading-like kept line; if a kept line after it is the headline it repeats
    with a site name around it (a page's `<title>` line, then its `<h1>`), that line."""
    for index, block in enumerate(blocks):
        text = block.text.strip()
        start = title_prefix_end(text)
        if start:
            return strip_site_suffix(text[start:], None, host) or None, "text:title-line"
        marker = _MD_HEADING.match(text)
        if marker:
            text = text[marker.end() :]
        if _heading_like(block, text):
            headline = _repeated_later(text, blocks[index + 1 : index + 1 + _HEADLINE_LINES])
            if headline:  # a page's <title> line, then its headline: the headline
                return headline, "text:heading+title-line"
            return strip_site_suffix(text, None, host) or None, "text:heading"
    return None, ""


def _repeated_later(first: str, later: Sequence[Block]) -> str | None:
    """A later line that the first one repeats with something around it (a site name)."""
    for block in later:
        line = block.text.strip()
        if line != first and len(line.split()) >= 2 and repeats(line, first):
            return line
    return None


def _date(lines: Sequence[Block], title: str | None, url: str | None) -> tuple[str | None, str | None]:
    """A "Published" line's day, else the URL's, else the first date line around the title."""
    # the headline's line: its last appearance (the <title> line comes first, the <h1> later)
    at = max((i for i, b in enumerate(lines[:_HEADLINE_SPAN]) if title and title in b.text), default=0)
    near: str | None = None
    updated = False
    for index, block in enumerate(lines):
        if len(block.text.split()) > _MAX_DATE_LINE_WORDS:
            continue
        for day, label in line_dates(block.text):
            if label == "published":
                return day, "text:published-line"
            updated = updated or label == "updated"
            if (
                label is None
                and near is None
                and at - _DATE_LINES_BEFORE_TITLE <= index <= at + _DATE_LINES_AFTER_TITLE
            ):
                near = day
    in_url = url_date(url)
    if in_url:
        return in_url, "url"
    if near:
        return near, "text:date-line"
    return None, "rejected:text:updated-line:modification-date" if updated else None


def _heading_like(block: Block, text: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= _MAX_TITLE_WORDS or _SENTENCE_END.search(text):
        return False
    return block.kind in (BlockKind.HEADING, BlockKind.PARAGRAPH) and text[0].isupper()


def _author(blocks: Sequence[Block], removed: Sequence[Removal]) -> str | None:
    # Bylines the chrome stage removed come first: that is what it recognised them as.
    candidates = [r.text for r in removed if r.reason is Reason.BYLINE]
    candidates += [b.text for b in blocks if len(b.text.split()) <= 8]
    for text in candidates:
        text = text.strip()
        match = _BYLINE.match(text)
        if match:
            # the rest of the line up to a comma or bar, for co-authors ("By Ana Lima and Tom
            # Berg | May 3"); after a comma comes an affiliation ("By Rob Picheta, CNN")
            names = clean_authors(_AFFILIATION.split(text[match.start(1) :], maxsplit=1)[0]).value
            return names if names and match.group(1).strip() in names else match.group(1).strip()
        match = _AVATAR.match(text)
        if match:
            return match.group(1).strip()
    return None
