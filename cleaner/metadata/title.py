"""Titles as pages write them, less the site name they carry ("Story - WSJ")."""

from __future__ import annotations

import re

# A separator between the headline and the site's name: spaced dash, pipe, bullet, colons.
_SEPARATOR = re.compile(r"\s+(?:[-–—|•·»«:]|::)\s+")
_MAX_SUFFIX_WORDS = 5
_MAX_SUFFIX_CHARS = 40


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).casefold()


def strip_site_suffix(title: str, sitename: str | None = None) -> str:
    """Drop a trailing (or leading) site name from a title.

    With a known `sitename`, only a segment naming it goes, at the end or in front
    ("WSJ | Story"). Without one, a short last segment after a longer headline goes.
    """
    title = title.strip()
    parts = _SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    site = _squash(sitename or "")
    last = parts[-1]
    head = title[: len(title) - len(last)].rstrip()
    head = re.sub(r"(?:\s+(?:[-–—|•·»«:]|::))$", "", head).strip()
    if site:
        if site in _squash(last):
            return head
        if _squash(parts[0]) == site:
            return title[len(parts[0]) :].lstrip(" -–—|•·»«:").strip()
        return title
    short = len(last.split()) <= _MAX_SUFFIX_WORDS and len(last) <= _MAX_SUFFIX_CHARS
    if short and len(head) > len(last) and len(head.split()) >= 3:
        return head
    return title
