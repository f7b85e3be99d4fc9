"""A connection pool per host: connections are kept and reused however many hosts there are."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from cleaner import Cleaner
from cleaner.fetch import fetch_urls
from tests.fetch.conftest import FAST
from tests.fetch.server import Host


def test_each_host_keeps_its_connection_with_more_hosts_than_requests_in_flight(
    cleaner: Cleaner, make_host: Callable[..., Host]
) -> None:
    hosts = [make_host() for _ in range(12)]
    urls = [h.url(f"/page/{i}") for i in range(3) for h in hosts]
    docs = fetch_urls(urls, cleaner, replace(FAST, per_host=1, concurrency=2))
    assert sorted(d.id for d in docs) == sorted(urls) and all(d.status == "ok" for d in docs)
    for host in hosts:  # robots.txt and three pages, on one connection
        assert len(host.site.log) == 4 and len(host.site.peers) == 1, host.site.peers


def test_pools_of_idle_hosts_are_closed_past_max_hosts_and_all_still_answer(
    cleaner: Cleaner, make_host: Callable[..., Host]
) -> None:
    hosts = [make_host() for _ in range(4)]
    urls = [h.url(f"/page/{i}") for h in hosts for i in range(3)]
    docs = fetch_urls(urls, cleaner, replace(FAST, per_host=1, max_hosts=1))
    assert sorted(d.id for d in docs) == sorted(urls) and all(d.status == "ok" for d in docs)
