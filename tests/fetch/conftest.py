from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from cleaner.fetch import FetchOptions
from tests.fetch.server import Host, Site

# Small delays and limits: the suite runs on two shared CI cores.
FAST = FetchOptions(delay=0.05, jitter=0.2, backoff=0.05, max_backoff=0.2, connect_timeout=5, read_timeout=5,
                    deadline=10, max_retry_after=2, max_crawl_delay=0.5)  # fmt: skip


@pytest.fixture
def make_host() -> Iterator[Callable[..., Host]]:
    hosts: list[Host] = []

    def make(robots: str | int = "User-agent: *\nAllow: /\n") -> Host:
        host = Host(Site(robots=robots))
        hosts.append(host)
        return host

    yield make
    for host in hosts:
        host.close()


@pytest.fixture
def host(make_host: Callable[..., Host]) -> Host:
    return make_host()
