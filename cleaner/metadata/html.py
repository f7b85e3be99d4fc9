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
from typing import Any
from urllib.parse import urlsplit

from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.json_metadata import (
    JSON_UNICODE_REPLACE,
    extract_json,
    extract_json_parse_error,
)
from trafilatura.metadata import examine_meta, extract_sitename, extract_title
from trafilatura.settings import Document
from trafilatura.utils import HTML_STRIP_TAGS, trim

from cleaner.metadata.authors import clean_authors
from cleaner.metadata.byline import byline, headline_byline, labelled_byline
from cleaner.metadata.dates import meta_date_key, publication_date
from cleaner.metadata.headline import TitleFound, choose_title
from cleaner.metadata.texts import PageTexts
from cleaner.metadata.title import squash


@dataclass(frozen=True, slots=True)
class HtmlMetadata:
    title: str | None = None
    author: str | None = None
    date: str | None = None
    sitename: str | None = None
    description: str | None = None
    url: str | None = None
    language: str | None = None
    # field -> where its value was read ("json-ld:datePublished", "h1+og:title"), or why a
    # value was refused ("rejected:meta:author:email")
    sources: tuple[tuple[str, str], ...] = ()


_ARTICLE_TYPES = frozenset(
    {"article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
     "opinionnewsarticle", "reviewnewsarticle", "techarticle", "scholarlyarticle", "report",
     "webpage", "posting", "socialmediaposting", "liveblogposting", "review", "creativework",
     "recipe", "howto", "discussionforumposting"}
)  # fmt: skip
_LANG = re.compile(r"^([a-z]{2})(?:$|[-_])", re.I)
_LANGUAGE_KEYS = frozenset({"content-language", "og:locale", "language", "dc.language"})
_AUTHOR_KEYS = frozenset(
    {"author", "article:author", "dc.creator", "dcterms.creator", "parsely-author", "sailthru.author",
     "byl", "citation_author", "twitter:creator:name"}
)  # fmt: skip
_MAX_FIELD_CHARS = 2000  # a title, site name or description longer than this is not one
_DAY_FIRST_HOSTS = (".uk", ".ie", ".au", ".nz", ".in", ".za")
_DAY_FIRST_REGIONS = frozenset({"gb", "uk", "ie", "au", "nz", "in", "za"})

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
    modified: str | None = None
    created: str | None = None
    publisher: str | None = None
    broken: bool = False  # a JSON-LD script did not parse


@dataclass(slots=True)
class _MetaTags:
    """The `<meta>` tags trafilatura's reader does not keep raw: dates and authors."""

    dates: list[tuple[str, str, bool]]
    authors: list[tuple[str, str]]


def extract_metadata(tree: HtmlElement, url: str | None = None) -> HtmlMetadata:
    """Title, author, date, site name, description, URL and declared language of a page,
    and where each was read."""
    scripts = [s for s in tree.iterdescendants("script") if s.get("type") in _JSON_TYPES]
    meta = _meta_json(scripts, examine_meta(tree))
    data = _structured(s for s in scripts if s.get("type") == _JSON_LD)
    tags = _meta_tags(tree)
    sources: dict[str, str] = {}
    host = _host(url or _canonical(tree))
    sitename = _sitename(tree, meta, data, host, sources)
    title = _title(tree, meta, data, sitename, host, sources)
    language = declared_language(tree)
    monthfirst = _month_first(tree, language, host)
    headline = title.element if title.element is not None else next(tree.iter("h1"), None)
    texts = PageTexts(tree)  # read as far as the date and byline scans ask, once
    found = publication_date(_date_candidates(data, tags), tree, headline, url, monthfirst, texts)
    # htmldate would read a refused value again (and mend "2021-02-30" into another day)
    refused = bool(found.source and found.source.startswith("rejected:"))
    date = found.value or (None if refused else _found_date(tree, url))
    _note(sources, "date", found.source if found.value or not date else "htmldate", data)
    author = _author(tree, meta, data, tags, (sitename, host), sources, headline, texts)
    description = _field(_clean(meta.description), "description", sources)
    if description:
        sources["description"] = "meta:description"
    canonical = None if url else _canonical(tree)
    if url or canonical:
        sources["url"] = "input" if url else "link:canonical"
    return HtmlMetadata(
        title=title.value,
        author=author,
        date=date,
        sitename=sitename,
        description=description,
        url=url or canonical,
        language=language,
        sources=tuple(sorted(sources.items())),
    )


def _sitename(
    tree: HtmlElement, meta: Document, data: _Structured, host: str | None, sources: dict[str, str]
) -> str | None:
    for label, value in (("meta:site_name", _clean(meta.sitename)), ("json-ld:publisher", data.publisher)):
        if _field(value, "sitename", sources):
            sources["sitename"] = label
            return value.lstrip("@") if value else None
    value = _field(extract_sitename(tree), "sitename", sources)
    if value:
        sources["sitename"] = "title"
        return value.lstrip("@")
    if host:
        sources["sitename"] = "host"
    return host


def _month_first(tree: HtmlElement, language: str | None, host: str | None) -> bool:
    """Whether "3/5/2022" is March 5 here: American English, not British and the like."""
    declared = (
        tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or tree.get("xml:lang")
    )
    region = (declared or "").lower().replace("_", "-").partition("-")[2]
    return (
        language == "en" and region not in _DAY_FIRST_REGIONS and not (host or "").endswith(_DAY_FIRST_HOSTS)
    )


def _note(sources: dict[str, str], name: str, source: str | None, data: _Structured) -> None:
    if source:
        sources[name] = source
    elif data.broken:
        sources[name] = "rejected:json-ld:unparsable"


def _field(value: str | None, name: str, sources: dict[str, str]) -> str | None:
    if value and len(value) > _MAX_FIELD_CHARS:
        sources[name] = f"rejected:{name}:too-long"
        return None
    return value


def _title(
    tree: HtmlElement, meta: Document, data: _Structured, sitename: str | None, host: str | None,
    sources: dict[str, str],
) -> TitleFound:  # fmt: skip
    declared: list[tuple[str, str]] = []
    for label, value in (("og:title", _clean(meta.title)), ("json-ld:headline", data.headline),
                         ("title", _clean(tree.findtext(".//title")))):  # fmt: skip
        if value and len(value) > _MAX_FIELD_CHARS:
            sources["title"] = f"rejected:{label}:too-long"
        elif value:
            declared.append((label, value))
    found = choose_title(tree, declared, sitename, host)
    if found.value is None and not declared:
        fallback = _clean(extract_title(tree))
        found = TitleFound(_field(fallback, "title", sources), "title", None)
    _note(sources, "title", found.source if found.value else None, data)
    return found


def _date_candidates(data: _Structured, tags: _MetaTags) -> list[tuple[str, str, bool]]:
    pairs = [("json-ld:datePublished", data.published, False)] if data.published else []
    pairs += [c for c in tags.dates if not c[2]]
    if data.created:
        pairs.append(("json-ld:dateCreated", data.created, False))
    if data.modified:
        pairs.append(("json-ld:dateModified", data.modified, True))
    return pairs + [c for c in tags.dates if c[2]]


def _meta_tags(tree: HtmlElement) -> _MetaTags:
    tags = _MetaTags([], [])
    for element in tree.iterfind(".//meta[@content]"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or "").lower()
        content = element.get("content") or ""
        if not key or not content.strip():
            continue
        kind = meta_date_key(key)
        if kind:
            tags.dates.append((f"meta:{key}", content[:_MAX_FIELD_CHARS], kind == "modified"))
        elif key in _AUTHOR_KEYS:
            tags.authors.append((f"meta:{key}", content))
    return tags


def _author(
    tree: HtmlElement, meta: Document, data: _Structured, tags: _MetaTags,
    site: tuple[str | None, str | None], sources: dict[str, str], headline: HtmlElement | None,
    texts: PageTexts,
) -> str | None:  # fmt: skip
    """JSON-LD names, then `<meta>` authors, then a byline: the first that survives cleaning."""
    offered = [("json-ld:author", "; ".join(data.authors))] if data.authors else []
    offered += tags.authors
    if meta.author:
        offered.append(("meta:author", meta.author))  # as trafilatura reads JSON and meta tags
    refused: str | None = None
    last_resort: tuple[str, str] | None = None
    for label, raw in offered:
        found = clean_authors(raw, *site)
        if found.value and last_resort and squash(found.value.split(";")[0]) in squash(last_resort[1]):
            continue  # the organisation again, as another source split it ("Verband; V")
        if found.value:
            sources["author"] = label
            return found.value
        refused = refused or f"rejected:{label}:{found.reason}"
        if found.site_value and last_resort is None:
            last_resort = (f"{label}:{found.reason}", found.site_value)
    found_byline = byline(tree, site)
    if found_byline:
        sources["author"] = "byline"
        return found_byline
    found_byline = headline_byline(headline, site) if headline is not None else None
    if found_byline:
        sources["author"] = "text:byline-near-headline"
        return found_byline
    found_byline = labelled_byline(tree, site, texts)
    if found_byline:
        sources["author"] = "text:labelled-byline"
        return found_byline
    if last_resort:
        sources["author"] = last_resort[0]
        return last_resort[1]
    blog = _hosted_blog(site[1])
    if blog:
        sources["author"] = "url:blog-host"
        return blog
    _note(sources, "author", refused, data)
    return None


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
            found.broken = True
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
    found.modified = found.modified or _clean(_name(obj.get("dateModified")))
    found.created = found.created or _clean(_name(obj.get("dateCreated")))
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


_LATEST_DATE = "2099-12-31"


def _found_date(tree: HtmlElement, url: str | None) -> str | None:
    # htmldate's fast mode (meta tags, JSON, URL, <time>), then on the few pages it leaves
    # undated its extensive text scan (~7 ms), less its guesses from a bare year ("2021" ->
    # 2021-01-01). Its default upper bound is today: a fixed one keeps cleaning deterministic.
    found = find_date(tree, url=url, original_date=True, extensive_search=False, max_date=_LATEST_DATE)
    if not found:
        found = find_date(tree, url=url, original_date=True, extensive_search=True, max_date=_LATEST_DATE)
        found = None if isinstance(found, str) and found.endswith("-01-01") else found
    return found if isinstance(found, str) else None


def _canonical(tree: HtmlElement) -> str | None:
    link = tree.find('.//head/link[@rel="canonical"]')
    href = link.get("href") if link is not None else None
    return href if href and href.startswith(("http://", "https://")) else None


def _host(url: str | None) -> str | None:
    """The page's host; for a page saved in a web archive, the host it was saved from."""
    archived = _ARCHIVED.match(url) if url else None
    host = urlsplit(archived.group(1) if archived else url).hostname if url else None
    return host.removeprefix("www.") if host else None


# "https://web.archive.org/web/20140109030403/http://example.org/..."
_ARCHIVED = re.compile(r"^https?://(?:web\.)?archive\.org/web/\d+[a-z_]*/(https?://.+)$", re.I)
# Blogging platforms that give each blog a subdomain named by its owner.
_BLOG_HOST = re.compile(
    r"^([\w-]+)\.(?:wordpress\.com|blogspot\.[a-z.]+|tumblr\.com|substack\.com|over-blog\.com"
    r"|livejournal\.com|typepad\.com|blogger\.de|blog\.de|wixsite\.com|jimdofree\.com|weebly\.com)$"
)


def _hosted_blog(host: str | None) -> str | None:
    """The blog's name on a blogging platform ("zahlenzauberin.wordpress.com"): its owner's
    name or pen name, the author of last resort."""
    found = _BLOG_HOST.match(host) if host else None
    return found.group(1) if found and not found.group(1).isdigit() else None


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
