"""Titles as pages write them, less the site name they carry ("Story - WSJ")."""

from __future__ import annotations

import re

# A separator between the headline and the site's name: spaced dash, pipe, bullet, colons.
_SEPARATOR = re.compile(r"\s+(?:[-–—|•·»«:›]|::)\s+")
_MAX_SUFFIX_WORDS = 5
_MAX_SUFFIX_CHARS = 40
_MIN_HOST_LABEL = 3
_EDGES = " -–—|•·»«:›"


def squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).casefold()


def host_label(host: str | None) -> str | None:
    """The name part of a host: "www.homify.de" -> "homify"."""
    if not host:
        return None
    labels = [p for p in host.lower().removeprefix("www.").split(".") if p]
    name = labels[-2] if len(labels) >= 2 else (labels[0] if labels else "")
    return name if len(name) >= _MIN_HOST_LABEL else None


def names_site(segment: str, sitename: str | None, host: str | None) -> bool:
    """Whether a title segment is the site's name: it contains the known site name (or is
    part of it), or the name part of the host."""
    piece = squash(segment)
    if not piece:
        return False
    site = squash(sitename or "")
    if site and (site in piece or (len(piece) >= _MIN_HOST_LABEL and piece in site)):
        return True
    label = squash(host_label(host) or "")
    return bool(label) and (label in piece or piece == label)


def strip_site_suffix(title: str, sitename: str | None = None, host: str | None = None) -> str:
    """Drop a trailing (or leading) site name from a title.

    With a known `sitename` or `host`, only segments naming the site go, at the end
    ("Story - AOC media - Analyse") or in front ("WSJ | Story"). Without either, a short last
    segment after a longer headline goes.
    """
    title = title.strip()
    parts = _SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    if sitename or host:
        return _strip_named(title, parts, sitename, host)
    last = parts[-1]
    head = title[: len(title) - len(last)].rstrip().rstrip(_EDGES).strip()
    short = len(last.split()) <= _MAX_SUFFIX_WORDS and len(last) <= _MAX_SUFFIX_CHARS
    if short and len(head) > len(last) and len(head.split()) >= 3:
        return head
    return title


def _strip_named(title: str, parts: list[str], sitename: str | None, host: str | None) -> str:
    # The longest run of trailing segments that starts with the site's name goes.
    for keep in range(1, len(parts)):
        if names_site(parts[keep], sitename, host):
            tail = " ".join(parts[keep:])
            end = len(title) - len(parts[-1])
            head = _cut_before(title, parts[keep], end)
            if head and len(tail) < len(title):
                return head
    if names_site(parts[0], sitename, host):
        return title[len(parts[0]) :].lstrip(_EDGES).strip()
    return title


def _cut_before(title: str, segment: str, last_start: int) -> str:
    """The title up to the separator before `segment` (searched from the right)."""
    at = title.rfind(segment, 0, last_start + len(segment))
    return title[:at].rstrip().rstrip(_EDGES).strip() if at > 0 else ""
