"""Fetch options: one frozen dataclass, passed explicitly (see `cleaner fetch --help`)."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

import httpx

DEFAULT_USER_AGENT = "cleaner/0.1 (+https://example.org/cleaner)"


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """How to fetch: politeness, retries, limits. Times are in seconds."""

    #: Names the tool and a contact URL; its product token ("cleaner") is matched in robots.txt.
    user_agent: str = DEFAULT_USER_AGENT
    #: Requests in flight to one host at a time.
    per_host: int = 2
    #: Requests in flight in all.
    concurrency: int = 16
    #: Fetched pages waiting to be cleaned or being cleaned, at most: past that, fetching
    #: waits (enough to go on fetching while the cleaning processes start, about 2 s).
    cleaning_queue: int = 64
    #: Hosts worked on at once; most of a host's time is spent waiting out `delay`.
    max_hosts: int = 256
    #: URLs read from the list ahead of fetching, at most (the rest of the list waits unread).
    read_ahead: int = 10_000
    #: Minimum time between the starts of two requests to one host, jittered upwards by up
    #: to `jitter` (a fraction of it): requests to a host start `delay * (1 + jitter / 2)`
    #: apart on average, so a host is asked at most 1 / delay times a second.
    delay: float = 1.0
    jitter: float = 0.1
    #: Ceiling of the delay when a host slows us down (429/503, slow answers).
    max_delay: float = 30.0
    #: An answer slower than this makes us space that host's requests out more.
    slow_after: float = 5.0
    #: Cap on a robots.txt Crawl-delay and on a Retry-After pause.
    max_crawl_delay: float = 10.0
    max_retry_after: float = 60.0
    #: Tries per request (retries on connection errors, timeouts, 408, 429 and 5xx).
    attempts: int = 3
    #: The first retry waits about this long, doubling each time, with jitter.
    backoff: float = 1.0
    max_backoff: float = 30.0
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    #: Wall-clock limit on one request, from sending it to the body's last byte.
    deadline: float = 60.0
    #: Wall-clock limit on all that is done for one URL: its robots.txt, every try, redirect
    #: and backoff. Waiting for the host's turn (politeness) does not count.
    url_deadline: float = 60.0
    #: Bodies over this many bytes (after Content-Encoding is undone) are refused.
    max_bytes: int = 20_000_000
    max_redirects: int = 5
    #: Obey robots.txt (RFC 9309). Turning this off is for hosts you own or may crawl.
    respect_robots: bool = True
    #: Refuse private, loopback, link-local and other non-public addresses, checked after
    #: DNS resolution and on every redirect hop (`cleaner.fetch.guard`). For URLs others supplied.
    public_only: bool = False
    #: Worker processes that clean the pages (None: one per core, what `cleaner fetch` uses).
    #: 0, the default for library calls, cleans in a thread of the calling process: no
    #: processes started behind a caller's back, but one core at most and no per-page deadline.
    clean_workers: int | None = 0
    #: Records as their JSON lines (`cleaner.write.JsonLine`), made where the pages are
    #: cleaned: what `cleaner fetch` writes, since a worker then sends the line, not the
    #: Document, which costs both processes much less. Library calls get Documents.
    json_lines: bool = False

    @property
    def timeout(self) -> httpx.Timeout:
        return httpx.Timeout(self.read_timeout, connect=self.connect_timeout)

    @property
    def product_token(self) -> str:
        """The robots.txt product token: the user agent up to its first "/" or space."""
        token = self.user_agent.split("/", 1)[0].split(" ", 1)[0].strip()
        return token or self.user_agent

    def merged(self, overrides: dict[str, Any]) -> FetchOptions:
        """A copy with the given fields replaced (None means "keep"); unknown names raise TypeError."""
        unknown = set(overrides) - {f.name for f in fields(self)}
        if unknown:
            raise TypeError(f"unknown fetch option(s): {', '.join(sorted(unknown))}")
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})
