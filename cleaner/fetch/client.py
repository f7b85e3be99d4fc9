"""The HTTP client `cleaner fetch` makes when none is injected: TLS verified, no cookie jar."""

from __future__ import annotations

from http.cookiejar import Cookie, CookieJar, DefaultCookiePolicy
from urllib.request import Request

import httpx

from cleaner.fetch.options import FetchOptions


class _RefuseCookies(DefaultCookiePolicy):
    """Keep no cookie at all: pages are fetched as a first visit, and nothing crosses hosts."""

    def set_ok(self, cookie: Cookie, request: Request) -> bool:
        return False


def make_client(
    options: FetchOptions, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """An `httpx.AsyncClient` for fetching: certificates always verified, redirects left to us."""
    return httpx.AsyncClient(
        transport=transport,
        verify=True,
        follow_redirects=False,
        timeout=options.timeout,
        cookies=CookieJar(policy=_RefuseCookies()),
        headers={"User-Agent": options.user_agent},
        limits=httpx.Limits(
            max_connections=options.concurrency * 2, max_keepalive_connections=options.concurrency
        ),
    )
