"""The URL list read as it is fetched: bounded read-ahead, one record per distinct URL, politeness kept."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import replace
from itertools import pairwise

from cleaner import Cleaner
from cleaner.fetch import Fetcher, fetch_all
from cleaner.fetch.frontier import Listed
from cleaner.record import Document
from tests.fetch.conftest import FAST
from tests.fetch.server import Host

SMALL = replace(FAST, delay=0.02, jitter=0.0, per_host=1, concurrency=2, cleaning_queue=2, read_ahead=4)


def test_a_list_longer_than_the_read_ahead_is_read_as_it_is_fetched(
    cleaner: Cleaner, make_host: Callable[..., Host]
) -> None:
    a, b = make_host(), make_host()
    # a's lane runs dry, b's fills the window, then a comes back: a new lane for it.
    urls = (
        [a.url("/page/a0")]
        + [b.url(f"/page/b{i}") for i in range(20)]
        + [a.url(f"/page/a{i}") for i in range(1, 20)]
    )
    read = 0
    leads: list[int] = []

    def listing() -> Iterator[str]:
        nonlocal read
        for url in urls:
            read += 1
            yield url

    async def run() -> list[Document]:
        docs = []
        async for doc in fetch_all(listing(), cleaner, SMALL):
            docs.append(doc)
            leads.append(read - len(docs))
        return docs

    docs = asyncio.run(run())
    assert sorted(d.id for d in docs) == sorted(urls) and all(d.status == "ok" for d in docs)
    # Read ahead of the records: the window (4), one page per host in flight (2), the pages
    # being cleaned (2), the records queued (2) and the URL waiting for room (1); never the list.
    assert max(leads) <= 11, leads
    for host in (a, b):
        starts = host.site.hits("/page/")
        assert len(starts) == 20
        assert all(y - x >= 0.015 for x, y in pairwise(starts)), starts  # the delay, per host


def test_an_async_list_with_repeats_gets_one_record_per_distinct_url(cleaner: Cleaner, host: Host) -> None:
    urls = [host.url(f"/page/{i % 7}") for i in range(30)]
    listed = Listed()

    async def listing() -> AsyncIterator[str]:
        for url in urls:
            await asyncio.sleep(0)
            yield url

    async def run() -> list[Document]:
        async with Fetcher(cleaner, SMALL) as fetcher:
            return [doc async for doc in fetcher.stream(listing(), listed)]

    docs = asyncio.run(run())
    assert sorted(d.id for d in docs) == sorted(set(urls))
    assert listed.count == 7 and listed.finished
    assert sorted(host.site.hits("/page/")) == host.site.hits("/page/") and len(host.site.hits("/page/")) == 7


def test_robots_still_refuses_urls_of_a_streamed_list(
    cleaner: Cleaner, make_host: Callable[..., Host]
) -> None:
    site = make_host("User-agent: *\nDisallow: /page/no\n")
    urls = (site.url(f"/page/{'no' if i % 2 else 'yes'}{i}") for i in range(12))

    async def run() -> dict[str, str]:
        return {
            doc.id: doc.error.type if doc.error else doc.status
            async for doc in fetch_all(urls, cleaner, SMALL)
        }

    statuses = asyncio.run(run())
    assert len(statuses) == 12
    assert {v for k, v in statuses.items() if "/page/no" in k} == {"robots_disallowed"}
    assert {v for k, v in statuses.items() if "/page/yes" in k} == {"ok"}
    assert not [p for p in site.site.paths() if p.startswith("/page/no")]
    assert site.site.paths().count("/robots.txt") == 1
