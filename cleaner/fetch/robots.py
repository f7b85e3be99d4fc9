"""robots.txt: fetched once per origin per run, cached in the fetcher, read with protego.

RFC 9309 semantics: a 2xx body is parsed; a 4xx means there are no rules (allow all); a 5xx,
a 429, or no answer at all means "assume everything is disallowed" for now (the resulting
`robots_disallowed` records are retryable). Up to five redirects are followed. Rules are
matched against our user agent's product token, and a Crawl-delay (capped) spaces out the
host's requests.

Fetching robots.txt is work done for every URL waiting on it, so it counts towards their
deadlines (`cleaner.fetch.deadline`): each waiting URL is charged the time the fetch spent
on the network while it waited, and gives up when that uses up what it has left. The fetch
itself gets one URL's allowance, so a robots.txt that drips cannot hold its host forever.
Its answers go to the archive, like pages.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from cleaner.errors import FetchError, FetchTimeout, RobotsDisallowed
from cleaner.fetch.deadline import Allowance
from cleaner.fetch.exchange import ROBOTS, Capture, Sender, exchange, timestamp
from cleaner.fetch.hosts import HostGate
from cleaner.fetch.options import FetchOptions

log = logging.getLogger("cleaner.fetch")

_MAX_REDIRECTS = 5


@dataclass(frozen=True, slots=True)
class RobotsRules:
    parser: Protego | None = None  # None: no rules apply (allow all), unless `unavailable`
    unavailable: FetchError | None = None  # why everything is disallowed for now

    def check(self, url: str, token: str) -> None:
        """Raise when the rules forbid `url` to `token`, or robots.txt could not be had.

        A robots.txt that answered 5xx/429 gives a retryable `robots_disallowed`; one that
        did not answer at all gives the network error itself (tls, dns, timeout...).
        """
        problem = self.unavailable
        if problem is not None and problem.status is not None:
            raise RobotsDisallowed(
                f"robots.txt unavailable: {problem}", retryable=True, status=problem.status
            )
        if problem is not None:
            raise type(problem)(f"fetching robots.txt: {problem}", retryable=problem.retryable)
        if self.parser is not None and not self.parser.can_fetch(url, token):
            raise RobotsDisallowed(f"robots.txt disallows {url} for {token!r}")

    def crawl_delay(self, token: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(token)
        return float(delay) if delay is not None else None


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


@dataclass(frozen=True, slots=True)
class _Load:
    """One origin's robots.txt fetch, and the time it has spent on the network."""

    task: asyncio.Task[RobotsRules]
    allowance: Allowance


class RobotsCache:
    """One robots.txt fetch per origin, shared by every request to it (per fetcher).

    `archive`, when given, is called (in a worker thread) with each robots.txt answer.
    """

    def __init__(
        self,
        client: Sender,
        gate: HostGate,
        options: FetchOptions,
        archive: Callable[[Capture, str], None] | None = None,
    ) -> None:
        self._client = client
        self._gate = gate
        self._options = options
        self._archive = archive
        self._loads: dict[str, _Load] = {}

    async def check(self, url: str, allowance: Allowance | None = None) -> None:
        """Raise `RobotsDisallowed` unless the origin's robots.txt lets us fetch `url`.

        With an `allowance`, the wait is charged to it, and a `timeout` is raised when it runs out.
        """
        load = self._load_for(url)
        rules = await (self._wait(load, allowance) if allowance else asyncio.shield(load.task))
        rules.check(url, self._options.product_token)

    async def sitemaps(self, url: str) -> list[str]:
        """The `Sitemap:` lines of the robots.txt of `url`'s origin (none if it has no file)."""
        rules = await asyncio.shield(self._load_for(url).task)
        return list(rules.parser.sitemaps) if rules.parser is not None else []

    def close(self) -> None:
        """Cancel robots.txt fetches still running (the run was cancelled)."""
        for load in self._loads.values():
            load.task.cancel()

    def _load_for(self, url: str) -> _Load:
        origin = origin_of(url)
        load = self._loads.get(origin)
        if load is None:
            allowance = Allowance(self._options.url_deadline)
            load = _Load(asyncio.ensure_future(self._load(origin, allowance)), allowance)
            self._loads[origin] = load
        return load

    async def _wait(self, load: _Load, allowance: Allowance) -> RobotsRules:
        # Only the fetch's network time counts, not its wait for the host's turn: wake up when
        # it would have used up what is left, and look again.
        before = load.allowance.spent
        while not load.task.done():
            spent = load.allowance.spent - before
            if allowance.left - spent <= 0:
                allowance.charge(spent)
                raise allowance.expired("passed while waiting for robots.txt")
            await asyncio.wait({load.task}, timeout=allowance.left - spent)
        allowance.charge(load.allowance.spent - before)
        return load.task.result()

    async def _load(self, origin: str, allowance: Allowance) -> RobotsRules:
        rules = await self._fetch(origin, allowance)
        delay = rules.crawl_delay(self._options.product_token)
        if delay is not None and delay > 0:
            capped = min(delay, self._options.max_crawl_delay)
            note = f" (capped at {capped:g} s)" if capped < delay else ""
            log.info("%s asks for Crawl-delay %g s%s: honoured", origin, delay, note)
            self._gate.set_floor(host_of(origin), capped)
        return rules

    async def _fetch(self, origin: str, allowance: Allowance) -> RobotsRules:
        url = origin + "/robots.txt"
        for _ in range(_MAX_REDIRECTS + 1):
            try:
                capture = await self._get(url, allowance)
            except FetchError as exc:
                return _from_error(exc)
            if capture.location is None:
                text = capture.content.decode("utf-8", errors="replace")
                return RobotsRules(parser=Protego.parse(text))
            url = capture.location
        return RobotsRules()  # RFC 9309: past five redirects, act as if there were no file

    async def _get(self, url: str, allowance: Allowance) -> Capture:
        async with self._gate.slot(host_of(url)):
            if allowance.exhausted:
                raise allowance.expired("passed before robots.txt answered")
            fetched_at = timestamp()
            try:
                with allowance.running():
                    limit = allowance.limit(self._options.deadline)
                    capture = await exchange(self._client, url, self._options, want=ROBOTS, deadline=limit)
            except FetchTimeout as exc:
                if allowance.exhausted:
                    raise allowance.expired("passed before robots.txt answered") from exc
                raise
        if self._archive is not None:
            await asyncio.to_thread(self._archive, capture, fetched_at)
        return capture


def _from_error(exc: FetchError) -> RobotsRules:
    status = exc.status
    if status is not None and 400 <= status < 500 and status != 429:
        return RobotsRules()  # "unavailable": no rules, everything allowed
    return RobotsRules(unavailable=exc)
