"""The site's own name, printed as a line of its own (a masthead, a logo's text).

A flattened page names its site in two places that are easy to read: the saved <title>'s
suffix ("Story - The Valley Courier") and the copyright notice ("© 2025 Valley Courier Media
Group"). A short line that spells that name out, alone or ahead of a tagline ("Mitteldeutsche
Rundschau – Nachrichten aus der Region"), is the masthead, not the article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from cleaner.chrome.lines import Line, LineClass, Verdict
from cleaner.metadata.title import strip_site_suffix
from cleaner.record import Reason

SITE_NAME = Verdict("structure.site-name", Reason.BRANDING)
_MAX_WORDS = 8
_WORD = re.compile(r"[^\W\d_]{2,}")
# A Markdown link's target is not part of the name a reader sees: "[Name](https://...)".
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
# Where a name ends in a copyright notice or a masthead: a full stop, a bar, a spaced dash.
_NAME_END = re.compile(r"\.(?:\s|$)|\s[|–—-]\s|,|\s[·•]\s")
_COPYRIGHT = re.compile(r"^(?:copyright|©|\(c\)|[\s\d©,-])+", re.IGNORECASE)
# Words of a company's legal form, which mastheads leave out ("Valley Courier Media Group").
_LEGAL = frozenset(
    {"ltd", "inc", "llc", "plc", "corp", "co", "company", "group", "media", "gmbh", "kg", "ag"}
    | {"sa", "sl", "srl", "spa", "bv", "nv"}
)


def mark_site_names(lines: Sequence[Line], stopwords: frozenset[str]) -> list[Line]:
    """The lines, with those that spell out the site's name made chrome."""
    names = [n for n in _site_names(lines, stopwords) if n]
    if not names:
        return list(lines)
    # A name's longest word must be in the line: a cheap test that most lines fail.
    keys = [max(name, key=len) for name in names]
    out = []
    for line in lines:
        if line.verdict is None and line.words <= _MAX_WORDS and _mentions(line.text, keys):
            words = _content_words(_first_segment(line.text), stopwords)
            if any(_spells(words, name) for name in names):
                line = replace(line, cls=LineClass.CHROME, verdict=SITE_NAME)
        out.append(line)
    return out


def _mentions(text: str, keys: Sequence[str]) -> bool:
    folded = text[:200].casefold()
    return any(key in folded for key in keys)


def _spells(words: set[str], name: frozenset[str]) -> bool:
    """The line holds the whole name, and little else."""
    return bool(words) and name <= words and 3 * len(words & name) >= 2 * len(words)


def _site_names(lines: Sequence[Line], stopwords: frozenset[str]) -> list[frozenset[str]]:
    names = []
    if lines:
        title = lines[0].text[:300]
        shorter = strip_site_suffix(title)
        if shorter != title:
            suffix = title[len(shorter) :].lstrip(" -–—|•·»«:")
            names.append(frozenset(_content_words(suffix, stopwords)))
    for line in lines:
        if line.verdict is not None and line.verdict.rule.startswith("footer.copyright"):
            notice = _COPYRIGHT.sub("", line.text[:200])
            names.append(frozenset(_content_words(_first_segment(notice), stopwords) - _LEGAL))
    return names


def _first_segment(text: str) -> str:
    text = _LINK_TARGET.sub("]", text[:200])
    return _NAME_END.split(text, maxsplit=1)[0]


def _content_words(text: str, stopwords: frozenset[str]) -> set[str]:
    return {w for w in (m.casefold() for m in _WORD.findall(text)) if w not in stopwords}
