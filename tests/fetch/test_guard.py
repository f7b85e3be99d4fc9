"""`public_only` against real sockets: 127.0.0.1 servers are what it must refuse."""

from __future__ import annotations

import asyncio
import ipaddress
from dataclasses import replace

import httpx

from cleaner import Cleaner
from cleaner.fetch import fetch_all, fetch_urls
from cleaner.fetch.guard import Address, guarded_transport, is_public
from cleaner.record import Document
from tests.fetch.conftest import FAST
from tests.fetch.server import Host

GUARDED = replace(FAST, public_only=True, attempts=1)


def error_type(doc: Document) -> str | None:
    return doc.error.type if doc.error else None


def test_loopback_and_a_name_resolving_to_it_are_refused(cleaner: Cleaner, host: Host) -> None:
    urls = [host.url("/page/a"), f"http://localhost:{host.port}/page/b", f"http://[::1]:{host.port}/page/c"]
    docs = {d.id: d for d in fetch_urls(urls, cleaner, GUARDED)}
    assert {error_type(d) for d in docs.values()} == {"address_refused"}
    error = docs[urls[1]].error
    assert (
        error is not None and "localhost is (or resolves to) a non-public address: 127.0.0.1" in error.message
    )
    assert host.site.paths() == []  # not even robots.txt was asked for
    assert all(d.status == "ok" for d in fetch_urls(urls[:2], cleaner, FAST))  # the guard off: fetched


def test_a_redirect_to_a_private_address_is_refused(cleaner: Cleaner, make_host: object, host: Host) -> None:
    # The first hop is allowed (a policy that lets this one port's host through is not
    # possible by address, so the test allows 127.0.0.1 and redirects to 127.0.0.2 and 10.x).
    def allow(address: Address) -> bool:
        return address == ipaddress.ip_address("127.0.0.1")

    async def run(urls: list[str]) -> list[Document]:
        limits = httpx.Limits(max_connections=4)
        async with httpx.AsyncClient(transport=guarded_transport(limits, allow=allow)) as client:
            return [d async for d in fetch_all(urls, cleaner, replace(FAST, attempts=1), client)]

    target = f"http://127.0.0.2:{host.port}/page/x"
    docs = asyncio.run(run([host.url("/to?url=" + target), host.url("/page/ok")]))
    by_id = {d.id: d for d in docs}
    assert error_type(by_id[host.url("/to?url=" + target)]) == "address_refused"
    assert by_id[host.url("/page/ok")].status == "ok"


def test_the_connection_goes_to_the_checked_address(cleaner: Cleaner, host: Host) -> None:
    calls: list[str] = []

    async def resolver(name: str, port: int) -> list[str]:  # a name no system resolver knows
        calls.append(name)
        return ["127.0.0.1"]

    async def run() -> list[Document]:
        transport = guarded_transport(
            httpx.Limits(max_connections=4), resolver, allow=lambda a: a.is_loopback
        )
        async with httpx.AsyncClient(transport=transport) as client:
            url = f"http://rebind.invalid:{host.port}/headers"
            return [d async for d in fetch_all([url], cleaner, replace(FAST, attempts=1), client)]

    (doc,) = asyncio.run(run())
    assert doc.status == "ok", doc.error
    assert f"Host: rebind.invalid:{host.port}" in doc.text  # the name was kept for the request
    assert calls and set(calls) == {"rebind.invalid"}


def test_non_http_redirect_targets_are_always_refused(cleaner: Cleaner, host: Host) -> None:
    urls = [host.url("/to?url=file:///etc/passwd"), host.url("/to?url=ftp://127.0.0.1/x"),
            host.url("/to?url=gopher://x/")]  # fmt: skip
    for doc in fetch_urls(urls, cleaner, FAST):
        assert error_type(doc) == "invalid_url" and "not http(s)" in (doc.error.message if doc.error else "")


def test_what_counts_as_public() -> None:
    for bad in ("10.0.0.1", "172.16.0.1", "192.168.1.1", "127.0.0.1", "169.254.169.254", "0.0.0.0",
                "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "224.0.0.1", "100.64.0.1"):  # fmt: skip
        assert not is_public(ipaddress.ip_address(bad)), bad
    for good in ("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "1.1.1.1"):
        assert is_public(ipaddress.ip_address(good)), good
