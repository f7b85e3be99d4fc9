"""robots.txt: fetched once per origin per run, cached in the fetcher, read with protego.

RFC 9309 semantics: a 2xx body is parsed; a 4xx means there are no rules (allow all); a 5xx,
a 429, or no answer at all means "assume everything is disallowed" for now (the resulting
`robots_disallowed` records are retryable). Up to five redirects are followed. Rules are
matched against our user agent's product token, and a Crawl-delay (capped) spaces out the
host's requests.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from protego import Protego

from cleaner.errors import FetchError, RobotsDisallowed
from cleaner.fetch.exchange import exchange
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


class RobotsCache:
    """One robots.txt fetch per origin, shared by every request to it (per fetcher)."""

    def __init__(self, client: httpx.AsyncClient, gate: HostGate, options: FetchOptions) -> None:
        self._client = client
        self._gate = gate
        self._options = options
        self._rules: dict[str, asyncio.Task[RobotsRules]] = {}

    async def check(self, url: str) -> None:
        """Raise `RobotsDisallowed` unless the origin's robots.txt lets us fetch `url`."""
        rules = await self.rules_for(url)
        rules.check(url, self._options.product_token)

    def close(self) -> None:
        """Cancel robots.txt fetches still running (the run was cancelled)."""
        for task in self._rules.values():
            task.cancel()

    async def rules_for(self, url: str) -> RobotsRules:
        origin = origin_of(url)
        task = self._rules.get(origin)
        if task is None:
            task = asyncio.ensure_future(self._load(origin))
            self._rules[origin] = task
        return await asyncio.shield(task)

    async def _load(self, origin: str) -> RobotsRules:
        rules = await self._fetch(origin)
        delay = rules.crawl_delay(self._options.product_token)
        if delay is not None and delay > 0:
            capped = min(delay, self._options.max_crawl_delay)
            note = f" (capped at {capped:g} s)" if capped < delay else ""
            log.info("%s asks for Crawl-delay %g s%s: honoured", origin, delay, note)
            self._gate.set_floor(host_of(origin), capped)
        return rules

    async def _fetch(self, origin: str) -> RobotsRules:
        url = origin + "/robots.txt"
        for _ in range(_MAX_REDIRECTS + 1):
            try:
                async with self._gate.slot(host_of(url)):
                    capture = await exchange(self._client, url, self._options, robots=True)
            except FetchError as exc:
                return _from_error(exc)
            if capture.location is None:
                text = capture.content.decode("utf-8", errors="replace")
                return RobotsRules(parser=Protego.parse(text))
            url = capture.location
        return RobotsRules()  # RFC 9309: past five redirects, act as if there were no file


def _from_error(exc: FetchError) -> RobotsRules:
    status = exc.status
    if status is not None and 400 <= status < 500 and status != 429:
        return RobotsRules()  # "unavailable": no rules, everything allowed
    return RobotsRules(unavailable=exc)
