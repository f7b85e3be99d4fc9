"""Discovery: the page URLs a site lists in its sitemaps and feeds, fed to the fetcher.

    cleaner fetch --sitemap https://example.org/           # robots.txt Sitemap: lines
    cleaner fetch --sitemap https://example.org/sitemap.xml.gz --since 2024-05-01
    cleaner fetch --feed https://example.org/feed.xml --max-urls 100
    cleaner fetch --discover https://example.org/          # its <link>ed feeds and sitemaps

Sitemaps and feeds are fetched by the same `Fetcher` as the pages, so robots.txt, the
per-host delay, retries, deadlines and the size limit hold for them too. What they list is
read by `cleaner.fetch.listing`. Guards: each sitemap is read once (an index that lists
itself, or two that list each other, end there), indexes nest at most `max_depth` deep, at
most `max_documents` are read, and at most `max_urls` page URLs come out. By default only
URLs of the host that was named are kept (`same_host`; `www.` is the same host).

A listing that was named (or listed) but could not be fetched or read gives an `error`
record (stage `discover`) with its URL as id, so no named input goes unrecorded; only a
guess (`/sitemap.xml` of a site whose robots.txt names none) fails quietly.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import urlsplit

from cleaner.batch import error_info
from cleaner.errors import FetchError
from cleaner.fetch.exchange import Want
from cleaner.fetch.fetcher import Fetcher
from cleaner.fetch.listing import Entry, Kind, homepage_links, read_listing, unpack
from cleaner.fetch.robots import host_of
from cleaner.record import Document, Status

log = logging.getLogger("cleaner.fetch")

LISTING = Want("application/xml,text/xml;q=0.9,application/rss+xml,application/atom+xml,"
               "application/feed+json,text/plain;q=0.8,*/*;q=0.5", any_type=True)  # fmt: skip
HOMEPAGE = Want("text/html,application/xhtml+xml;q=0.9,*/*;q=0.5", any_type=True)


@dataclass(frozen=True, slots=True)
class DiscoverOptions:
    same_host: bool = True
    max_urls: int | None = None
    #: Keep only what changed since then (by `lastmod` or the feed entry's date); undated
    #: entries are kept, since nothing says they did not change.
    since: datetime | None = None
    max_depth: int = 5
    max_documents: int = 1000


@dataclass(frozen=True, slots=True)
class Seeds:
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    homepages: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Todo:
    url: str
    kind: Kind | None  # None: a homepage
    host: str  # the host named by the user: what `same_host` keeps
    depth: int = 0
    guess: bool = False


def _bare(host: str) -> str:
    return host.removeprefix("www.")


class _Walk:
    def __init__(self, fetcher: Fetcher, options: DiscoverOptions) -> None:
        self.fetcher = fetcher
        self.options = options
        self.todo: deque[_Todo] = deque()
        self.read: set[str] = set()
        self.pages: set[str] = set()

    def full(self) -> bool:
        return self.options.max_urls is not None and len(self.pages) >= self.options.max_urls

    def keeps(self, entry: Entry, host: str) -> bool:
        if self.options.same_host and _bare(host_of(entry.url)) != _bare(host):
            return False
        since = self.options.since
        return since is None or entry.date is None or entry.date >= since

    def add(self, todo: _Todo) -> None:
        if todo.url not in self.read:
            self.read.add(todo.url)
            self.todo.append(todo)

    async def step(self, todo: _Todo) -> list[str]:
        """Read one document: the page URLs it lists (the listings it names join the queue)."""
        if todo.kind is None:
            await self._homepage(todo)
            return []
        if todo.kind is Kind.SITEMAP and urlsplit(todo.url).path in ("", "/", "/robots.txt"):
            await self._robots(todo)
            return []
        capture = await self.fetcher.get(todo.url, LISTING)
        content = unpack(capture.content, self.fetcher.options.max_bytes)
        found = []
        for entry in read_listing(content, capture.url):
            if not self.keeps(entry, todo.host):
                continue
            if entry.kind is Kind.PAGE:
                if entry.url not in self.pages and not self.full():
                    self.pages.add(entry.url)
                    found.append(entry.url)
            elif todo.depth < self.options.max_depth:
                self.add(_Todo(entry.url, entry.kind, todo.host, todo.depth + 1))
            else:
                log.warning("%s: sitemap indexes nested deeper than %d: %s not read", todo.url,
                            self.options.max_depth, entry.url)  # fmt: skip
        return found

    async def _robots(self, todo: _Todo) -> None:
        origin = f"{urlsplit(todo.url).scheme}://{urlsplit(todo.url).netloc}"
        named = await self.fetcher.robots.sitemaps(origin + "/")
        for url in named:
            self.add(_Todo(url, Kind.SITEMAP, todo.host, todo.depth + 1))
        if not named:
            self.add(_Todo(origin + "/sitemap.xml", Kind.SITEMAP, todo.host, todo.depth + 1, guess=True))

    async def _homepage(self, todo: _Todo) -> None:
        capture = await self.fetcher.get(todo.url, HOMEPAGE)
        for entry in homepage_links(capture.content, capture.url):
            if self.keeps(entry, todo.host):
                self.add(_Todo(entry.url, entry.kind, todo.host, 1))
        origin = f"{urlsplit(capture.url).scheme}://{urlsplit(capture.url).netloc}"
        self.add(_Todo(origin + "/robots.txt", Kind.SITEMAP, todo.host, 0))


async def discover(
    fetcher: Fetcher, seeds: Seeds, options: DiscoverOptions | None = None
) -> AsyncIterator[str | Document]:
    """Page URLs as they are found, each once; an error record for each listing that failed."""
    walk = _Walk(fetcher, options or DiscoverOptions())
    for url in seeds.sitemaps:
        walk.add(_Todo(url, Kind.SITEMAP, host_of(url)))
    for url in seeds.feeds:
        walk.add(_Todo(url, Kind.FEED, host_of(url)))
    for url in seeds.homepages:
        walk.add(_Todo(url, None, host_of(url)))
    documents = 0
    while walk.todo and not walk.full():
        todo = walk.todo.popleft()
        documents += 1
        if documents > walk.options.max_documents:
            log.warning("read %d sitemaps and feeds: the rest are left", walk.options.max_documents)
            break
        try:
            found = await walk.step(todo)
        except FetchError as exc:
            if todo.guess:
                log.info("%s: %s", todo.url, exc)
                continue
            yield _error(fetcher, todo.url, exc)
            continue
        for url in found:
            yield url


def _error(fetcher: Fetcher, url: str, exc: FetchError) -> Document:
    info = replace(error_info(exc), stage="discover")
    return Document(id=url, source=url, status=Status.ERROR, url=url, error=info,
                    rules_digest=fetcher.rules_digest)  # fmt: skip
