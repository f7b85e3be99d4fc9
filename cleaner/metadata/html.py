"""Metadata of an HTML page: trafilatura's meta-tag reading plus the page's structured data.

Works on a tree the caller already parsed (the extractor shares its parse). trafilatura reads
OpenGraph and `<meta>` names; JSON-LD `Article`-like objects then fill what it missed
(headline, author names, datePublished, publisher name). trafilatura's own author search
deep-copies the whole tree, so a cheap byline lookup stands in for it.

The JSON-LD scripts are found once for both readers, and the fallbacks (byline, date
search, `<meta>` languages) run only when an earlier source left the field empty.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html import unescape
from itertools import islice
from typing import Any
from urllib.parse import urlsplit

from htmldate import find_date
from lxml.etree import Element
from lxml.html import HtmlElement
from trafilatura.json_metadata import (
    JSON_UNICODE_REPLACE,
    extract_json,
    extract_json_parse_error,
    normalize_authors,
)
from trafilatura.metadata import examine_meta, extract_sitename, extract_title
from trafilatura.settings import Document
from trafilatura.utils import HTML_STRIP_TAGS, trim

from cleaner.metadata.title import strip_site_suffix


@dataclass(frozen=True, slots=True)
class HtmlMetadata:
    title: str | None = None
    author: str | None = None
    date: str | None = None
    sitename: str | None = None
    description: str | None = None
    url: str | None = None
    language: str | None = None


_ARTICLE_TYPES = frozenset(
    {"article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
     "opinionnewsarticle", "reviewnewsarticle", "techarticle", "scholarlyarticle", "report",
     "webpage", "posting", "socialmediaposting", "liveblogposting", "review", "creativework"}
)  # fmt: skip
_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_BY = re.compile(r"^\s*(?:by|von|par|por|di|door|av|przez|автор)[:\s]+", re.I)
# Bylines run into the date ("Bryan DeArdo Nov 19, 2019"): month words and numbers at the end.
_TRAILING_DATE = re.compile(
    r"(?:[\s,]+(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april"
    r"|june|july|august|september|october|november|december)\.?|[\s,]+\d[\d,:./-]*)+$",
    re.I,
)
_LANG = re.compile(r"^([a-z]{2})(?:$|[-_])", re.I)
_LANGUAGE_KEYS = frozenset({"content-language", "og:locale", "language", "dc.language"})
_MAX_AUTHOR_CHARS = 120
_MAX_BYLINES = 5

_JSON_LD = "application/ld+json"
_JSON_TYPES = (_JSON_LD, "application/settings+json")  # what trafilatura reads
# trafilatura's JSON_MINIFY, `("(?:\\.|[^"\\])*")|\s`, with its string loop unrolled and its
# spaces taken in runs: the same strings are kept, the same spaces dropped.
_JSON_MINIFY = re.compile(r'("[^"\\]*(?:\\.[^"\\]*)*")|\s+')
_SURROGATES = re.compile(r"[\ud800-\udfff]")


@dataclass(slots=True)
class _Structured:
    """What the page's JSON-LD says about its article."""

    headline: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    publisher: str | None = None


def extract_metadata(tree: HtmlElement, url: str | None = None) -> HtmlMetadata:
    """Title, author, date, site name, description, URL and declared language of a page."""
    scripts = [s for s in tree.iterdescendants("script") if s.get("type") in _JSON_TYPES]
    meta = _meta_json(scripts, examine_meta(tree))
    data = _structured(s for s in scripts if s.get("type") == _JSON_LD)
    sitename = _clean(meta.sitename) or data.publisher or extract_sitename(tree) or _host(url)
    sitename = sitename.lstrip("@") if sitename else None
    title = _clean(meta.title) or data.headline or extract_title(tree)
    return HtmlMetadata(
        title=strip_site_suffix(title, sitename) if title else None,
        author=_authors(meta.author, data.authors) or _byline(tree),
        date=_date(data.published) or _found_date(tree, url),
        sitename=sitename,
        description=_clean(meta.description),
        url=url or _canonical(tree),
        language=declared_language(tree),
    )


def _meta_json(scripts: list[HtmlElement], metadata: Document) -> Document:
    """trafilatura's `extract_meta_json` over scripts found already, same result.

    Its minify and normalize run a Python call per JSON string and per character; these
    stand-ins do the same work in the regex engine.
    """
    for script in scripts:
        if not script.text:
            continue
        text = _normalize_json(_minify_json(script.text))
        try:
            schema = json.loads(text, strict=False)
            metadata = extract_json(schema, metadata)
        except json.JSONDecodeError:
            metadata = extract_json_parse_error(text, metadata)
    return metadata


def _minify_json(text: str) -> str:
    """`JSON_MINIFY.sub(r"\\1", text)`: white space outside JSON strings dropped."""
    return "".join(filter(None, _JSON_MINIFY.split(text)))


def _normalize_json(text: str) -> str:
    """trafilatura's `normalize_json`, with lone surrogates dropped by a regex."""
    if "\\" in text:
        text = text.replace("\\n", "").replace("\\r", "").replace("\\t", "")
        text = JSON_UNICODE_REPLACE.sub(lambda match: chr(int(match[1], 16)), text)
        text = unescape(_SURROGATES.sub("", text))
    return trim(HTML_STRIP_TAGS.sub("", text))


def structured_data(tree: HtmlElement) -> _Structured:
    """The first article-like JSON-LD object's fields; unparsable scripts are skipped."""
    return _structured(tree.iterfind(f'.//script[@type="{_JSON_LD}"]'))


def _structured(scripts: Iterable[HtmlElement]) -> _Structured:
    found = _Structured()
    for script in scripts:
        try:
            payload = json.loads(script.text or "", strict=False)
        except (ValueError, RecursionError):
            continue
        for obj in _objects(payload):
            if _is_article(obj):
                _fill(found, obj)
    return found


def _objects(payload: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(payload, list):
        for item in payload:
            yield from _objects(item, depth + 1)
    elif isinstance(payload, dict):
        yield payload
        yield from _objects(payload.get("@graph"), depth + 1)
        yield from _objects(payload.get("mainEntity"), depth + 1)


def _is_article(obj: dict[str, Any]) -> bool:
    kinds = obj.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds)


def _fill(found: _Structured, obj: dict[str, Any]) -> None:
    found.headline = found.headline or _clean(_name(obj.get("headline")))
    found.published = found.published or _clean(_name(obj.get("datePublished")))
    found.publisher = found.publisher or _clean(_name(obj.get("publisher")))
    if not found.authors:
        authors = obj.get("author")
        authors = authors if isinstance(authors, list) else [authors]
        found.authors = tuple(n for a in authors if (n := _clean(_name(a))))


def _name(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, str) else None


def _clean(text: str | None) -> str | None:
    text = " ".join(text.split()) if text else ""
    return text or None


def _authors(from_meta: str | None, from_data: tuple[str, ...]) -> str | None:
    """A clean "; "-joined name list; JSON-LD names win over meta tags."""
    raw = "; ".join(from_data) if from_data else from_meta
    if not raw:
        return None
    names: list[str] = []
    for part in re.split(r"\s*(?:;|,|\band\b|&|\|)\s*", raw):
        name = _TRAILING_DATE.sub("", " " + _BY.sub("", part)).strip(" .:-")
        if name and "@" not in name and "://" not in name and name not in names:
            names.append(name)
    joined = "; ".join(names)
    return joined if names and len(joined) <= _MAX_AUTHOR_CHARS * 2 else None


def _byline(tree: HtmlElement) -> str | None:
    for element in islice(_byline_candidates(tree), _MAX_BYLINES):
        text = _clean(element.text_content())
        if text and 2 < len(text) < _MAX_AUTHOR_CHARS:
            return _authors(normalize_authors(None, text), ())
    return None


def _byline_candidates(tree: HtmlElement) -> Iterator[HtmlElement]:
    """What `.//*[@rel="author" or @itemprop="author" or contains(@class, "byline") or
    contains(@class, "author-name")][not(self::meta or self::link)]` finds, in document
    order, but lazily: the walk stops at the first good byline (and costs half the XPath's)."""
    for element in tree.iterdescendants(Element):
        if element.tag == "meta" or element.tag == "link":
            continue
        kind = element.get("class") or ""
        if (
            element.get("rel") == "author"
            or element.get("itemprop") == "author"
            or "byline" in kind
            or "author-name" in kind
        ):
            yield element


_LATEST_DATE = "2099-12-31"


def _date(value: str | None) -> str | None:
    match = _ISO_DATE.match(value.strip()) if value else None
    return match.group(1) if match else None


def _found_date(tree: HtmlElement, url: str | None) -> str | None:
    # htmldate's fast mode: meta tags, JSON, URL, <time>; its extensive scan costs ~7 ms.
    # Its default upper bound is today's date: a fixed one keeps cleaning deterministic.
    found = find_date(tree, url=url, original_date=True, extensive_search=False, max_date=_LATEST_DATE)
    return found if isinstance(found, str) else None


def _canonical(tree: HtmlElement) -> str | None:
    link = tree.find('.//head/link[@rel="canonical"]')
    href = link.get("href") if link is not None else None
    return href if href and href.startswith(("http://", "https://")) else None


def _host(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def declared_language(tree: HtmlElement) -> str | None:
    """The ISO 639-1 code the page declares (`<html lang>`, content-language, og:locale)."""
    for value in _declared_languages(tree):
        match = _LANG.match(value.strip()) if value else None
        if match:
            return match.group(1).lower()
    return None


def _declared_languages(tree: HtmlElement) -> Iterator[str | None]:
    """The candidates in order of trust; lazy, as `<html lang>` usually settles it."""
    yield tree.get("lang")
    yield tree.get("xml:lang")
    for meta in tree.iterfind(".//head/meta[@content]"):
        key = (meta.get("http-equiv") or meta.get("property") or meta.get("name") or "").lower()
        if key in _LANGUAGE_KEYS:
            yield meta.get("content")
