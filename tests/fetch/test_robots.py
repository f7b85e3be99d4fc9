"""robots.txt logic with httpx.MockTransport (no sockets)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace

import httpx
import pytest

from cleaner import Cleaner
from cleaner.errors import FetchTimeout, RobotsDisallowed
from cleaner.fetch import Fetcher, make_client
from cleaner.fetch.deadline import Allowance
from cleaner.fetch.hosts import HostGate
from cleaner.fetch.robots import RobotsCache
from tests.fetch.conftest import FAST

PAGE = (
    b"<html><head><title>T</title></head><body><article><p>"
    + b"Some words here. " * 30
    + b"</p></article></body></html>"
)


def transport(robots: Callable[[httpx.Request], httpx.Response], seen: list[str]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path == "/robots.txt":
            return robots(request)
        return httpx.Response(200, content=PAGE, headers={"content-type": "text/html"})

    return httpx.MockTransport(handle)


def check(
    robots: Callable[[httpx.Request], httpx.Response], url: str, user_agent: str | None = None
) -> list[str]:
    seen: list[str] = []
    options = FAST if user_agent is None else replace(FAST, user_agent=user_agent)

    async def run() -> None:
        async with make_client(options, transport(robots, seen)) as client:
            cache = RobotsCache(client, HostGate(options), options)
            await cache.check(url)

    asyncio.run(run())
    return seen


def text(body: str, status: int = 200) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(status, text=body)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410])
def test_4xx_means_no_rules(status: int) -> None:
    check(text("User-agent: *\nDisallow: /", status), "https://a.test/x")


@pytest.mark.parametrize("status", [429, 500, 503])
def test_5xx_and_429_mean_disallow_everything_for_now(status: int) -> None:
    with pytest.raises(RobotsDisallowed) as info:
        check(text("", status), "https://a.test/x")
    assert info.value.retryable


def test_unreachable_robots_gives_the_network_error() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused")

    with pytest.raises(Exception) as info:
        check(refuse, "https://a.test/x")
    assert info.value.type_name == "connect" and info.value.retryable  # type: ignore[attr-defined]


def test_rules_match_our_product_token_not_the_whole_user_agent() -> None:
    robots = text("User-agent: *\nAllow: /\n\nUser-agent: cleaner\nDisallow: /private\n")
    check(robots, "https://a.test/public")
    with pytest.raises(RobotsDisallowed):
        check(robots, "https://a.test/private")
    check(robots, "https://a.test/private", user_agent="otherbot/2.0 (+https://example.org)")


def test_robots_redirects_are_followed() -> None:
    def moved(request: httpx.Request) -> httpx.Response:
        if request.url.host == "a.test":
            return httpx.Response(301, headers={"location": "https://b.test/robots.txt"})
        return httpx.Response(200, text="User-agent: *\nDisallow: /\n")

    with pytest.raises(RobotsDisallowed):
        check(moved, "https://a.test/x")


def test_fetched_once_per_origin_even_when_asked_at_once(cleaner: Cleaner) -> None:
    seen: list[str] = []
    urls = [f"https://a.test/{i}" for i in range(5)] + [f"https://b.test/{i}" for i in range(3)]

    async def run() -> list[str]:
        options = replace(FAST, delay=0.0, per_host=3)
        client = make_client(options, transport(text("User-agent: *\nAllow: /"), seen))
        async with client, Fetcher(cleaner, options, client) as fetcher:
            return [doc.status async for doc in fetcher.stream(urls)]

    assert asyncio.run(run()) == ["ok"] * 8
    assert sorted(u for u in seen if u.endswith("robots.txt")) == [
        "https://a.test/robots.txt",
        "https://b.test/robots.txt",
    ]


def test_rules_already_had_cost_no_time_and_are_archived_once() -> None:
    seen: list[str] = []
    archived: list[tuple[str, int]] = []

    async def run() -> None:
        async with make_client(FAST, transport(text("User-agent: *\nDisallow: /private"), seen)) as client:
            cache = RobotsCache(client, HostGate(FAST), FAST, lambda c, _: archived.append((c.url, c.status)))
            allowance = Allowance(5)
            await cache.check("https://a.test/x", allowance)
            assert 0 < allowance.spent < 5  # charged the fetch's network time
            with pytest.raises(RobotsDisallowed):
                await cache.check("https://a.test/private", Allowance(0))  # no time left, none needed
            with pytest.raises(FetchTimeout):
                await cache.check("https://b.test/x", Allowance(0))  # this one would need some
            cache.close()
            await asyncio.sleep(0)

    asyncio.run(run())
    assert archived == [("https://a.test/robots.txt", 200)]
    assert seen == ["https://a.test/robots.txt"]
