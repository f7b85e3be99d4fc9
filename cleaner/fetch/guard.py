"""`public_only`: refuse to connect to private, loopback, link-local and other non-public
addresses, for pipelines that fetch URLs someone else supplied (SSRF).

The check sits where connections are made, in httpcore's network backend: the host name
is resolved here, every address it resolves to is checked, and the connection goes to the
checked address itself, never to the name, so a second resolution cannot swap in another
address (DNS rebinding). TLS still verifies the certificate against the name. Every
connection is made this way, so every redirect hop and robots.txt fetch is checked too.
(Redirects to anything but http(s) are refused whether this is on or not: see the fetcher.)

With `public_only`, proxies from the environment are not used: the guard must see where a
connection really goes.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import httpcore
import httpx

from cleaner.errors import AddressRefused, DNSError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]


def is_public(address: Address) -> bool:
    """True for an address on the public internet (not private, loopback, link-local,
    reserved, multicast or unspecified; an IPv4-mapped IPv6 address counts as its IPv4 one)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not (
        address.is_private or address.is_loopback or address.is_link_local or address.is_reserved
        or address.is_multicast or address.is_unspecified
    )  # fmt: skip


async def system_resolver(host: str, port: int) -> list[str]:
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise DNSError(f"{host}: {exc}", retryable=exc.errno != socket.EAI_NONAME) from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def checked(host: str, addresses: Iterable[str], allow: Callable[[Address], bool]) -> list[str]:
    """The addresses of `host`, if every one of them is allowed; else `AddressRefused`."""
    parsed = [ipaddress.ip_address(a.split("%", 1)[0]) for a in addresses]
    refused = [str(a) for a in parsed if not allow(a)]
    if refused:
        raise AddressRefused(f"{host} is (or resolves to) a non-public address: {', '.join(refused)}")
    if not parsed:
        raise DNSError(f"{host} resolves to no address")
    return [str(a) for a in parsed]


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves, checks, then connects to the checked address (see the module docstring)."""

    def __init__(self, resolver: Resolver = system_resolver, allow: Callable[[Address], bool] = is_public):
        self._inner = httpcore.AnyIOBackend()
        self._resolve = resolver
        self._allow = allow

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        literal = host.strip("[]")
        try:
            addresses = [str(ipaddress.ip_address(literal))]
        except ValueError:
            addresses = await self._resolve(host, port)
        last: Exception | None = None
        for address in checked(host, addresses, self._allow):
            try:
                return await self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:  # try the next address the name has
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise AddressRefused("unix sockets are not public addresses")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def guarded_transport(
    limits: httpx.Limits,
    resolver: Resolver = system_resolver,
    allow: Callable[[Address], bool] = is_public,
    ssl_context: ssl.SSLContext | None = None,
) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose every connection goes through `GuardedBackend`."""
    tls = ssl_context or httpx.create_ssl_context(verify=True, trust_env=False)
    transport = httpx.AsyncHTTPTransport(verify=tls, trust_env=False, limits=limits)
    transport._pool = httpcore.AsyncConnectionPool(  # httpx offers no other way to set the backend
        ssl_context=tls,
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=GuardedBackend(resolver, allow),
    )
    return transport
