"""Start tags with more attributes than any page needs, cut down before the page is parsed.

libxml2 checks each attribute of a tag against those before it, so a tag with 100,000
attributes takes it over ten seconds to parse (and the page times out). No real page has a
tag with more than a few dozen; past `MAX_ATTRIBUTES`, a tag keeps its first ones and
loses the rest. Attributes carry no article text, so nothing a reader sees is lost.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator

MAX_ATTRIBUTES = 256
_NAME = re.compile(r"<[A-Za-z][^\s/>]*")
_ATTRIBUTE = re.compile(r"""[\s/]*[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))?""")
_LETTERS = frozenset(string.ascii_letters)
# Where a start tag may be too long: `<` and the `2 * MAX_ATTRIBUTES + 1` characters after it
# hold no `<` (a fast loop in `re` for one excluded character).
_LONG_RUN = re.compile(rf"<[^<]{{{2 * MAX_ATTRIBUTES + 1}}}")


def cap_attributes(html: str) -> str:
    """`html` with no start tag holding more than `MAX_ATTRIBUTES` attributes (shorter if
    one did, else the same)."""
    parts: list[str] = []
    end = 0
    for start, stop in long_tags(html):
        capped = _capped(html[start:stop])
        if capped is not None:
            parts += (html[end:start], capped)
            end = stop
    if not parts:
        return html  # as it is, not copied
    parts.append(html[end:])
    return "".join(parts)


def long_tags(html: str) -> Iterator[tuple[int, int]]:
    """Where `<[A-Za-z][^<>]{512,}>?` matches in `html`: the start tags long enough to have
    too many attributes (each takes two characters or more). Most pages have a few (SVG
    paths, `i<n` in scripts). That expression would scan every tag; `_LONG_RUN` is three
    times faster and finds them among the few long runs of text after a tag."""
    for run in _LONG_RUN.finditer(html):
        start = run.start()
        if html[start + 1] in _LETTERS and html.find(">", start + 1, run.end()) < 0:
            after = html.find("<", run.end())
            stop = len(html) if after < 0 else after
            close = html.find(">", run.end(), stop)
            yield start, stop if close < 0 else close + 1


def _capped(tag: str) -> str | None:
    """The start of `tag` up to its last attribute kept, if it has too many."""
    name = _NAME.match(tag)
    if name is None or len(_ATTRIBUTE.findall(tag, name.end())) < MAX_ATTRIBUTES:
        return None  # findall counts at least the attributes read one after another below
    pos, kept = name.end(), 0
    while kept < MAX_ATTRIBUTES and (attribute := _ATTRIBUTE.match(tag, pos)) and attribute.end() > pos:
        pos, kept = attribute.end(), kept + 1
    if kept < MAX_ATTRIBUTES:
        return None
    return tag[:pos] + ">"
