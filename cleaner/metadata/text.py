"""Title and author of a page that arrived as text, read from its cleaned lines.

The title is the first heading-like line the chrome stage kept (a "Title: ..." line and a
Markdown "# ..." heading count), less a site name after a separator. The author comes from
a byline: bylines are removed as chrome (Reason.BYLINE) but the name in them is metadata,
so removed blocks are read too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from cleaner.chrome.lines import title_prefix_end
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


@dataclass(frozen=True)
class TextMetadata:
    title: str | None
    author: str | None


def text_metadata(blocks: Sequence[Block], removed: Sequence[Removal]) -> TextMetadata:
    """Metadata from the kept blocks (title) and the kept and removed ones (author)."""
    return TextMetadata(_title(blocks), _author(blocks, removed))


def _title(blocks: Sequence[Block]) -> str | None:
    for block in blocks:
        text = block.text.strip()
        start = title_prefix_end(text)
        if start:
            return strip_site_suffix(text[start:]) or None
        marker = _MD_HEADING.match(text)
        if marker:
            text = text[marker.end() :]
        if _heading_like(block, text):
            return strip_site_suffix(text) or None
    return None


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
        match = _BYLINE.match(text) or _AVATAR.match(text)
        if match:
            return match.group(1).strip()
    return None
