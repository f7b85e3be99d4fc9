"""Start tags with more attributes than any page needs, cut down before the page is parsed.

libxml2 checks each attribute of a tag against those before it, so a tag with 100,000
attributes takes it over ten seconds to parse (and the page times out). No real page has a
tag with more than a few dozen; past `MAX_ATTRIBUTES`, a tag keeps its first ones and
loses the rest. Attributes carry no article text, so nothing a reader sees is lost.
"""

from __future__ import annotations

import re

MAX_ATTRIBUTES = 256
# A tag this long may have too many attributes; shorter ones cannot (each takes 2+ chars).
_LONG_TAG = re.compile(rf"<[A-Za-z][^<>]{{{2 * MAX_ATTRIBUTES},}}>?")
_NAME = re.compile(r"<[A-Za-z][^\s/>]*")
_ATTRIBUTE = re.compile(r"""[\s/]*[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))?""")


def cap_attributes(html: str) -> str:
    """`html` with no start tag holding more than `MAX_ATTRIBUTES` attributes (shorter if
    one did, else the same)."""
    if len(html) < 2 * MAX_ATTRIBUTES:
        return html
    return _LONG_TAG.sub(_capped, html)


def _capped(match: re.Match[str]) -> str:
    tag = match.group()
    name = _NAME.match(tag)
    if name is None:
        return tag
    pos, kept = name.end(), 0
    while kept < MAX_ATTRIBUTES and (attribute := _ATTRIBUTE.match(tag, pos)) and attribute.end() > pos:
        pos, kept = attribute.end(), kept + 1
    if kept < MAX_ATTRIBUTES:
        return tag
    return tag[:pos] + ">"
