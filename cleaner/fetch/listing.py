"""Reading the documents that list a site's pages: sitemaps, feeds and a homepage's links.

Pure functions from bytes to entries, no I/O. What a document is comes from its bytes, not
from its Content-Type (servers send sitemaps as text/html and feeds as text/plain):

- gzip magic: a `sitemap.xml.gz` sent as is; inflated within the size limit (no bombs);
- `{`: a JSON Feed (jsonfeed.org) read with `json`;
- `<`: XML read with lxml (no entities resolved, no network, no huge trees, broken markup
  recovered as far as it goes): a `<urlset>` or `<sitemapindex>`, else RSS or Atom, read
  with feedparser; an HTML page is no listing;
- anything else: a text sitemap, one URL a line.

Dates (`lastmod`, a feed entry's updated or published date) are kept as aware datetimes so
`--since` can compare them; a date that does not parse is no date.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from time import struct_time
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
from lxml import etree
from lxml import html as lxml_html

from cleaner.errors import DecodeError, NotAListing
from cleaner.fetch.body import gunzip


class Kind(StrEnum):
    PAGE = "page"  # a page to fetch and clean
    SITEMAP = "sitemap"  # another sitemap to read (from an index, robots.txt or a homepage)
    FEED = "feed"  # a feed to read (from a homepage)


@dataclass(frozen=True, slots=True)
class Entry:
    url: str
    kind: Kind = Kind.PAGE
    date: datetime | None = None


_FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/feed+json", "application/json",
               "application/rdf+xml", "application/xml", "text/xml"}  # fmt: skip
_HTML_ROOTS = {"html", "head", "body"}


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)


def parse_date(value: str | None) -> datetime | None:
    """A W3C datetime (`2024-05-01`, `2024-05-01T10:00:00+02:00`, `...Z`), aware; None if not one."""
    if not value or not value.strip():
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def unpack(content: bytes, limit: int) -> bytes:
    """The document's bytes: inflated when it is a gzip file (a `.xml.gz` sent as is)."""
    if content[:2] == b"\x1f\x8b":
        try:
            return gunzip(content, limit)
        except DecodeError as exc:
            raise NotAListing(f"a broken gzip file: {exc}") from exc
    return content


def read_listing(content: bytes, base: str) -> list[Entry]:
    """The entries of a sitemap (XML, text, index) or feed (RSS, Atom, JSON Feed)."""
    head = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"{":
        return _json_feed(content, base)
    if head == b"<":
        return _xml(content, base)
    return _text(content, base)


def _absolute(url: str | None, base: str) -> str | None:
    if not url or not url.strip():
        return None
    joined = urljoin(base, url.strip())
    return joined if urlsplit(joined).scheme in ("http", "https") else None


def _text(content: bytes, base: str) -> list[Entry]:
    text = content.decode("utf-8", errors="replace")
    if "\0" in text:
        raise NotAListing("binary content, not a sitemap or feed")
    urls = [line.strip() for line in text.splitlines()]
    entries = [Entry(u) for u in urls if u.startswith(("http://", "https://")) and " " not in u]
    if not entries and text.strip():
        raise NotAListing("text without a single http(s) URL")
    return entries


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _xml(content: bytes, base: str) -> list[Entry]:
    try:
        root = etree.fromstring(content, _parser())
    except etree.XMLSyntaxError as exc:  # recover gave up: nothing at all to read
        raise NotAListing(f"unreadable XML: {exc}") from exc
    if root is None:
        raise NotAListing("unreadable XML")
    name = _local(root.tag)
    if name in ("urlset", "sitemapindex"):
        kind = Kind.PAGE if name == "urlset" else Kind.SITEMAP
        return list(_sitemap(root, kind, base))
    if name in _HTML_ROOTS:
        raise NotAListing("an HTML page, not a sitemap or feed")
    return _feed(content, base)


def _sitemap(root: Any, kind: Kind, base: str) -> Iterator[Entry]:
    for item in root:
        if _local(item.tag) not in ("url", "sitemap"):
            continue
        fields = {_local(child.tag): (child.text or "") for child in item}
        url = _absolute(fields.get("loc"), base)
        if url is not None:
            yield Entry(url, kind, parse_date(fields.get("lastmod")))


def _struct_date(value: struct_time | None) -> datetime | None:
    return datetime(*value[:6], tzinfo=UTC) if value else None


def _feed(content: bytes, base: str) -> list[Entry]:
    parsed = feedparser.parse(content, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version") and not parsed.entries:
        raise NotAListing("XML that is neither a sitemap nor an RSS or Atom feed")
    entries = []
    for item in parsed.entries:
        url = _absolute(item.get("link"), base)
        if url is not None:
            when = _struct_date(dict.get(item, "updated_parsed")) or _struct_date(
                dict.get(item, "published_parsed")
            )
            entries.append(Entry(url, Kind.PAGE, when))
    return entries


def _json_feed(content: bytes, base: str) -> list[Entry]:
    try:
        feed = json.loads(content)
    except ValueError as exc:
        raise NotAListing(f"broken JSON: {exc}") from exc
    if not isinstance(feed, dict) or "jsonfeed.org" not in str(feed.get("version", "")):
        raise NotAListing("JSON that is not a JSON Feed")
    entries = []
    for item in feed.get("items") or []:
        if not isinstance(item, dict):
            continue
        url = _absolute(item.get("url") or item.get("external_url"), base)
        if url is not None:
            when = parse_date(item.get("date_modified")) or parse_date(item.get("date_published"))
            entries.append(Entry(url, Kind.PAGE, when))
    return entries


def homepage_links(content: bytes, base: str) -> list[Entry]:
    """The feeds and sitemaps a homepage names in `<link rel="alternate|sitemap">`."""
    try:
        root = lxml_html.fromstring(content)
    except (etree.ParserError, ValueError):
        return []
    entries = []
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        media = (link.get("type") or "").lower().split(";")[0].strip()
        url = _absolute(link.get("href"), base)
        if url is None:
            continue
        if "sitemap" in rel:
            entries.append(Entry(url, Kind.SITEMAP))
        elif "alternate" in rel and media in _FEED_TYPES:
            entries.append(Entry(url, Kind.FEED))
    return entries
