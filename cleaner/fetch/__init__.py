"""Where pages are fetched: URLs in, one cleaned record per distinct URL out.

    from cleaner import Cleaner
    from cleaner.fetch import FetchOptions, fetch_all, fetch_urls

    async for doc in fetch_all(urls, Cleaner(), FetchOptions(delay=2.0)):
        ...
    docs = fetch_urls(urls)            # the same, from synchronous code, as a list

Polite by default: robots.txt, two requests at a time and one a second per host, retries
with backoff, size and time limits. Failures are `error` records (`error.type` such as
`timeout`, `http_4xx`, `robots_disallowed`), never exceptions.
"""

from __future__ import annotations

import asyncio
import dataclasses
import typing
from collections.abc import AsyncIterator

import httpx

from cleaner import options as clean_options
from cleaner.fetch import frontier
from cleaner.fetch.client import make_client
from cleaner.fetch.exchange import Capture
from cleaner.fetch.fetcher import Archive, Fetcher
from cleaner.fetch.options import DEFAULT_USER_AGENT, FetchOptions
from cleaner.record import Document

if typing.TYPE_CHECKING:
    from cleaner.pipeline import Cleaner

__all__ = [
    "DEFAULT_USER_AGENT",
    "Archive",
    "Capture",
    "FetchOptions",
    "Fetcher",
    "fetch_all",
    "fetch_urls",
    "make_client",
]


async def fetch_all(
    urls: frontier.URLs,
    cleaner: Cleaner | None = None,
    options: FetchOptions | None = None,
    client: httpx.AsyncClient | None = None,
    *,
    archive: Archive | None = None,
) -> AsyncIterator[Document]:
    """A record per distinct URL, in the order they finish. An injected `client` is not closed."""
    documents = dataclasses.replace(options or FetchOptions(), json_lines=False)
    async with Fetcher(cleaner or clean_options.Options(), documents, client, archive=archive) as fetcher:
        async for doc in fetcher.stream(urls):
            assert isinstance(doc, Document)  # not JSON lines, as asked
            yield doc


def fetch_urls(
    urls: frontier.URLs,
    cleaner: Cleaner | None = None,
    options: FetchOptions | None = None,
) -> list[Document]:
    """`fetch_all` for synchronous code: runs its own event loop and returns every record."""

    async def collect() -> list[Document]:
        return [doc async for doc in fetch_all(urls, cleaner, options)]

    return asyncio.run(collect())
