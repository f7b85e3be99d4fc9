"""The HTTP client `cleaner fetch` makes when none is injected: TLS verified, no cookie jar.

An injected client is the caller's: while a fetcher uses it, its jar is swapped for one that
keeps nothing (so no cookie set by one host is kept, let alone sent to another), and the
caller's jar, untouched, is put back when the fetcher closes.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Callable
from http.cookiejar import Cookie, CookieJar, DefaultCookiePolicy
from urllib.request import Request

import httpx

from cleaner.fetch.guard import guarded_transport
from cleaner.fetch.options import FetchOptions
from cleaner.fetch.pools import HostPools


class _RefuseCookies(DefaultCookiePolicy):
    """Keep no cookie at all: pages are fetched as a first visit, and nothing crosses hosts."""

    def set_ok(self, cookie: Cookie, request: Request) -> bool:
        return False


class _RefusingJar(CookieJar):
    def __init__(self) -> None:
        super().__init__(policy=_RefuseCookies())


def refuse_cookies(client: httpx.AsyncClient) -> Callable[[], None] | None:
    """Make `client` keep no cookies; returns what puts its own jar back (None: nothing to undo).

    A client whose jar already refuses everything (ours, or one lent to another fetcher) is
    left as it is, so nested or concurrent fetchers never put a refusing jar "back".
    """
    jar = client.cookies.jar
    if isinstance(jar, _RefusingJar):
        return None
    client.cookies = _RefusingJar()

    def restore() -> None:
        client.cookies = jar  # httpx wraps a CookieJar as is: the same jar, with what it held

    return restore


def make_client(
    options: FetchOptions, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """An `httpx.AsyncClient` for fetching: certificates always verified, redirects left to us.

    With `options.public_only` (and no `transport` given), every connection is checked by
    `cleaner.fetch.guard`: no private, loopback or link-local address is ever connected to."""
    limits = httpx.Limits(
        max_connections=options.concurrency * 2, max_keepalive_connections=options.concurrency
    )
    return httpx.AsyncClient(
        # None: httpx's own, which goes through the proxies of the environment
        transport=transport or default_transport(options),
        verify=True,
        follow_redirects=False,
        timeout=options.timeout,
        cookies=_RefusingJar(),
        headers={"User-Agent": options.user_agent},
        limits=limits,
    )


def default_transport(options: FetchOptions) -> HostPools | None:
    """A pool per host, unless the environment names a proxy that is to be used (None)."""
    return host_pools(options) if options.public_only or not _proxied() else None


class DirectClient:
    """A client of ours used without its client layer: each request goes straight to the
    transport it was made with (`make_client(options, transport)`).

    Such a client has no auth, event hooks, mounts, base URL, proxies or cookies (its jar
    keeps nothing), and redirects are ours: all `AsyncClient.build_request` and `send` do
    besides is merge its headers, which this does too, and the rest (auth and redirect
    steps, cookie merging and extraction, a timer on the body) costs about a fifth of the
    CPU a request takes in this process. An injected client always goes through its own
    `send`."""

    def __init__(self, client: httpx.AsyncClient, transport: httpx.AsyncBaseTransport) -> None:
        self.headers = client.headers
        self._transport = transport

    def build_request(
        self, method: str, url: str, *, headers: dict[str, str], timeout: httpx.Timeout
    ) -> httpx.Request:
        merged = self.headers.copy()  # as the client does: its headers, ours over them
        merged.update(headers)
        return httpx.Request(method, url, headers=merged, extensions={"timeout": timeout.as_dict()})

    async def send(self, request: httpx.Request, *, stream: bool, follow_redirects: bool) -> httpx.Response:
        assert stream and not follow_redirects, "bodies are read, and redirects followed, by the fetcher"
        response = await self._transport.handle_async_request(request)
        response.request = request
        return response


def host_pools(options: FetchOptions) -> HostPools:
    """A pool per host (`cleaner.fetch.pools`), all with one TLS context: the certificates
    are loaded once, not once a host."""
    limits = httpx.Limits(max_connections=options.per_host, max_keepalive_connections=options.per_host)
    tls = httpx.create_ssl_context(verify=True, trust_env=not options.public_only)
    if options.public_only:
        return HostPools(lambda: guarded_transport(limits, ssl_context=tls), options.max_hosts)
    return HostPools(lambda: httpx.AsyncHTTPTransport(verify=tls, limits=limits), options.max_hosts)


def _proxied() -> bool:
    """Whether the environment names a proxy for http or https (httpx then uses it)."""
    proxies = urllib.request.getproxies()
    return any(proxies.get(scheme) for scheme in ("http", "https", "all"))
