"""Fetching URLs into records: one per distinct URL, whatever happens to it (a `Document`,
or with `json_lines` a page's JSON line as the worker that cleaned it wrote it).

    robots.txt check -> host's turn (politeness) -> GET (retries) -> redirects -> clean

Each URL has a wall-clock allowance (`url_deadline`) for all of that except the waits for
the host's turn (see `cleaner.fetch.deadline`); when it runs out the record is a retryable
`timeout` and the worker moves on to the next URL.

`Fetcher` holds one run's state: the HTTP client (injected or made here), the per-host
politeness gate, the robots.txt cache and the cleaning (a thread, or worker processes: see
`cleaner.fetch.cleaning`). Hosts are worked on side by side, each by at most `per_host`
workers, from a bounded window over the URL list (`cleaner.fetch.frontier`). A fetched page
leaves its host's slot and its global slot for one of `cleaning_queue` places in the
cleaning, and waits for it there: a slow cleaner slows fetching down instead of piling
bodies up.
Records come out in the order they finish, each with the URL as listed as its id.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncIterator, Coroutine, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

import httpx

from cleaner.batch import error_info
from cleaner.errors import CleanerError, FetchError, FetchTimeout, InvalidURL, TooManyRedirects
from cleaner.fetch.body import charset_of
from cleaner.fetch.cleaning import Record, make_cleaning, rules_digest, with_fetch
from cleaner.fetch.client import DirectClient, default_transport, make_client, refuse_cookies
from cleaner.fetch.deadline import Allowance
from cleaner.fetch.exchange import PAGE, Capture, Sender, Want, exchange, timestamp
from cleaner.fetch.frontier import Frontier, Listed, URLs
from cleaner.fetch.hosts import HostGate
from cleaner.fetch.options import FetchOptions
from cleaner.fetch.policy import backoff
from cleaner.fetch.robots import RobotsCache, host_of
from cleaner.options import Options
from cleaner.read import InputKind, Source
from cleaner.record import Document, FetchInfo, Status
from cleaner.write import json_line

if TYPE_CHECKING:
    from cleaner.pipeline import Cleaner

log = logging.getLogger("cleaner.fetch")


class Archive(Protocol):
    """Somewhere raw responses go (a WARC file): `write` is called from a worker thread."""

    def write(self, capture: Capture, fetched_at: str) -> None: ...


@dataclass(slots=True)
class _Trail:
    """What happened to one URL so far (it becomes the record's `FetchInfo`), and its time left."""

    allowance: Allowance
    redirects: list[str] = field(default_factory=list)
    attempts: int = 0
    status: int | None = None
    final_url: str | None = None
    fetched_at: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    def info(self) -> FetchInfo:
        return FetchInfo(self.final_url, self.status, self.fetched_at, tuple(self.redirects), self.attempts,
                         self.etag, self.last_modified)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Validators:
    """What a previous run was told about a page: sent back as If-None-Match and
    If-Modified-Since to `final_url` (the URL that answered), so an unchanged page is a 304."""

    final_url: str
    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        sent = {"If-None-Match": self.etag, "If-Modified-Since": self.last_modified}
        return {k: v for k, v in sent.items() if v}


@dataclass(frozen=True, slots=True)
class _Redirect:
    location: str


def check_url(url: str, what: str = "not an absolute http(s) URL") -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidURL(f"{what}: {url!r}")


def capture_source(listed: str, capture: Capture) -> Source:
    """The page to clean: its bytes, decoded later like a browser would (BOM, the HTTP
    charset, `<meta charset>`, detection)."""
    kind = InputKind.TEXT if capture.kind is InputKind.TEXT else InputKind.HTML
    charset = charset_of(capture.header("content-type"))
    return Source(listed, listed, kind, capture.content, capture.url, charset=charset)


class Fetcher:
    """Use as `async with Fetcher(cleaner, options) as fetcher: async for doc in fetcher.stream(urls)`.

    `cleaner` is a `Cleaner`, or the `Options` to build one from where the pages are cleaned:
    with worker processes (`clean_workers` not 0), this process then never imports the
    cleaning pipeline (what `cleaner fetch` does)."""

    def __init__(
        self,
        cleaner: Cleaner | Options,
        options: FetchOptions | None = None,
        client: httpx.AsyncClient | None = None,
        *,
        archive: Archive | None = None,
        rng: random.Random | None = None,
        known: Mapping[str, Validators] | None = None,
    ) -> None:
        self.cleaner = cleaner
        self.rules_digest = rules_digest(cleaner)
        self.options = options or FetchOptions()
        self._owns_client = client is None
        # An injected client keeps no cookie while we use it; its own jar comes back on close.
        self._restore_cookies = None if client is None else refuse_cookies(client)
        self._sender: Sender
        if client is None:  # ours: requests go straight to its transport, when it has ours
            transport = default_transport(self.options)
            client = make_client(self.options, transport)
            self._sender = client if transport is None else DirectClient(client, transport)
        else:
            self._sender = client
        self._client = client
        self._archive = archive
        self._known = known or {}
        self._rng = rng or random.Random()
        self.gate = HostGate(self.options, self._rng)
        archive_robots = archive.write if archive is not None else None
        self.robots = RobotsCache(self._sender, self.gate, self.options, archive_robots)
        encode = json_line if self.options.json_lines else None
        self._cleaning = make_cleaning(cleaner, self.options.clean_workers, encode, self.rules_digest)

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        self.robots.close()
        await asyncio.to_thread(self._cleaning.close)
        if self._owns_client:
            await self._client.aclose()
        elif self._restore_cookies is not None:
            self._restore_cookies()
            self._restore_cookies = None

    async def fetch(self, url: str) -> Record:
        """One URL, one record: never raises (cancellation aside)."""
        started = await self.start(url)
        return started if isinstance(started, Document) else await started

    async def start(self, url: str) -> Document | Coroutine[None, None, Record]:
        """Fetch one URL: its record if that is all (an error, a 304), else the cleaning of
        its page still to await (it never raises either). The host is free for its next
        request once this returns: its pages need not wait for one another's cleaning."""
        trail = _Trail(Allowance(self.options.url_deadline))
        try:
            capture = await self._follow(url, trail, PAGE)
        except Exception as exc:
            return self._error(url, exc, trail)
        if capture.status == 304:  # unchanged since the run the validators came from: not cleaned
            return Document(id=url, source=url, status=Status.NOT_MODIFIED, url=capture.url,
                            rules_digest=self.rules_digest, fetch=trail.info())  # fmt: skip
        return self._clean(url, capture, trail)

    async def get(self, url: str, want: Want) -> Capture:
        """The final answer for `url` (robots.txt, politeness, retries and redirects as for a
        page), not cleaned: what discovery reads sitemaps and feeds with. Raises `FetchError`."""
        return await self._follow(url, _Trail(Allowance(self.options.url_deadline)), want)

    async def stream(self, urls: URLs, listed: Listed | None = None) -> AsyncIterator[Record]:
        """A record for each distinct URL, as each one finishes. The list is read as the
        fetching goes (`cleaner.fetch.frontier`); `listed` counts what was read of it."""
        out: asyncio.Queue[Record] = asyncio.Queue(maxsize=self.options.concurrency)
        frontier = Frontier(self.start, out, self.options, listed)
        producer = asyncio.create_task(frontier.run(urls))
        try:
            while not (producer.done() and out.empty()):
                getter = asyncio.ensure_future(out.get())
                await asyncio.wait({getter, producer}, return_when=asyncio.FIRST_COMPLETED)
                if getter.done():
                    yield getter.result()
                else:
                    getter.cancel()
            producer.result()
        finally:
            producer.cancel()
            await asyncio.gather(producer, return_exceptions=True)

    async def _follow(self, listed: str, trail: _Trail, want: Want) -> Capture:
        check_url(listed)
        url, seen = listed, {listed}
        for _ in range(self.options.max_redirects + 1):
            if self.options.respect_robots:
                await self.robots.check(url, trail.allowance)  # every hop: a redirect may change host
            result = await self._attempts(listed, url, trail, want)
            if not isinstance(result, _Redirect):
                return result
            trail.redirects.append(url)
            target = result.location
            check_url(target, "redirect to a URL that is not http(s)")  # never file:, ftp:, data:...
            if target in seen:
                raise TooManyRedirects(f"redirect loop: {url} -> {target}")
            seen.add(target)
            url = target
        raise TooManyRedirects(f"more than {self.options.max_redirects} redirects")

    async def _attempts(self, listed: str, url: str, trail: _Trail, want: Want) -> Capture | _Redirect:
        """One hop, tried up to `attempts` times: a record, or the URL it redirects to."""
        last: FetchError | None = None
        for attempt in range(1, self.options.attempts + 1):
            # robots.txt, or a backoff that overslept, may have taken the last of the time
            # (waiting for the host's turn, in _hop, takes none of it)
            if trail.allowance.exhausted:
                raise trail.allowance.expired(f"passed before try {attempt}", last)
            trail.attempts = attempt
            try:
                return await self._hop(listed, url, trail, want)
            except FetchError as exc:
                if isinstance(exc, FetchTimeout) and trail.allowance.exhausted:
                    # cut off by the URL's deadline: the try has no error of its own to tell
                    raise trail.allowance.expired(f"passed during try {attempt}", last) from exc
                last = exc
                if not exc.retryable or attempt >= self.options.attempts:
                    raise
                if trail.allowance.exhausted:  # the try failed just as the URL's time ran out
                    raise trail.allowance.expired(f"passed during try {attempt}", exc) from exc
                wait = backoff(attempt, self.options.backoff, self.options.max_backoff, self._rng)
                if wait >= trail.allowance.left:  # no use sleeping only to give up
                    raise trail.allowance.expired(f"would pass before try {attempt + 1}", exc) from exc
                log.debug("%s: %s; try %d in %.2f s", url, exc, attempt + 1, wait)
                with trail.allowance.running():
                    await asyncio.sleep(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _hop(self, listed: str, url: str, trail: _Trail, want: Want) -> Capture | _Redirect:
        capture = await self._request(listed, url, trail, want)
        return capture if capture.location is None else _Redirect(capture.location)

    async def _request(self, listed: str, url: str, trail: _Trail, want: Want) -> Capture:
        host = host_of(url)
        known = self._known.get(listed)
        validators = known.headers() if known is not None and known.final_url == url else None
        async with self.gate.slot(host):  # the wait for our turn is not charged to the URL
            started = time.monotonic()
            trail.final_url = url
            trail.fetched_at = fetched_at = timestamp()
            try:
                with trail.allowance.running():
                    limit = trail.allowance.limit(self.options.deadline)
                    capture = await exchange(
                        self._sender, url, self.options, want=want, deadline=limit, headers=validators
                    )
            except FetchError as exc:
                self._observe_failure(host, exc, time.monotonic() - started)
                trail.status = exc.status
                raise
        self.gate.observe(host, capture.elapsed)
        trail.status, trail.final_url = capture.status, capture.url
        trail.etag, trail.last_modified = capture.header("etag"), capture.header("last-modified")
        if capture.status == 304 and known is not None:  # the server kept no validator of its own
            trail.etag = trail.etag or known.etag
            trail.last_modified = trail.last_modified or known.last_modified
        if self._archive is not None:
            await asyncio.to_thread(self._archive.write, capture, fetched_at)
        return capture

    def _observe_failure(self, host: str, exc: FetchError, elapsed: float) -> None:
        self.gate.observe(host, elapsed)
        if exc.status in (429, 503):
            self.gate.pause(host, getattr(exc, "retry_after", None), exc.status)

    async def _clean(self, listed: str, capture: Capture, trail: _Trail) -> Record:
        try:
            record = await self._cleaning.clean(capture_source(listed, capture))
        except Exception as exc:
            return self._error(listed, exc, trail)
        return with_fetch(record, trail.info())

    def _error(self, url: str, exc: Exception, trail: _Trail) -> Document:
        if not isinstance(exc, CleanerError):
            log.exception("internal error on %s", url)
        info = error_info(exc, stage="fetch")
        return Document(
            id=url,
            source=url,
            status=Status.ERROR,
            url=trail.final_url or url,
            error=info,
            rules_digest=self.rules_digest,
            fetch=trail.info(),
        )
