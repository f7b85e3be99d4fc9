"""Where listed URLs wait for their host: a bounded window over the list, read as it is fetched.

The list (a list, a generator, an async iterator over a file being read...) is read only as
fast as its URLs are taken: at most `read_ahead` URLs wait in memory at once, each in its
host's lane, in the order listed. A lane is worked by up to `per_host` workers, and at most
`max_hosts` lanes at once; a lane ends when it runs dry and starts again if the list brings
more URLs of its host. A worker hands each fetched page over to be cleaned and goes on to
its host's next URL; at most `cleaning_queue` pages wait for their cleaning or are being
cleaned, so a slow cleaner slows the workers down instead of piling bodies up.

So memory does not grow with the list, save for one thing: `Listed` remembers every URL it
has seen, so that one listed twice is fetched once (about 100 bytes a URL: 10 MB for
100,000).

While the window is full, reading waits: a list sorted by host, with more than `read_ahead`
URLs of one host in a row, has only that host worked until its lane drains below the window.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from cleaner.fetch.cleaning import Record
from cleaner.fetch.options import FetchOptions
from cleaner.fetch.robots import host_of
from cleaner.record import Document

URLs = Iterable[str] | AsyncIterable[str]
#: Fetches a URL: its record, or what is left to await for it (the cleaning of its page).
Start = Callable[[str], Awaitable[Document | Awaitable[Record]]]


class Listed:
    """The distinct URLs of a list as it is read: each one once, how many so far, and
    whether the list has ended."""

    def __init__(self) -> None:
        self._seen: set[str] = set()
        self.finished = False

    @property
    def count(self) -> int:
        return len(self._seen)

    def first(self, url: str) -> bool:
        """True the first time `url` comes, False after."""
        if url in self._seen:
            return False
        self._seen.add(url)
        return True


async def each(urls: URLs) -> AsyncIterator[str]:
    """The URLs of a list or an async iterator alike (a plain iterable must not block)."""
    if isinstance(urls, AsyncIterable):
        async for url in urls:
            yield url
    else:
        for url in urls:
            yield url


@dataclass(slots=True)
class _Lane:
    urls: deque[str] = field(default_factory=deque)
    workers: int = 0


class Frontier:
    """Reads a list into host lanes and works them: `await frontier.run(urls)` puts the
    record `start(url)` leads to, one per distinct URL, into `out` as each one finishes."""

    def __init__(
        self, start: Start, out: asyncio.Queue[Record], options: FetchOptions, listed: Listed | None = None
    ) -> None:
        self._start = start
        self._out = out
        self._per_host = options.per_host
        self._room = asyncio.Semaphore(options.read_ahead)
        self._hosts = asyncio.Semaphore(options.max_hosts)
        self._finishing = asyncio.Semaphore(options.cleaning_queue)
        self._lanes: dict[str, _Lane] = {}
        self.listed = listed or Listed()

    async def run(self, urls: URLs) -> None:
        async with asyncio.TaskGroup() as group:
            self._group = group
            async for url in each(urls):
                if not self.listed.first(url):
                    continue
                await self._room.acquire()
                host = host_of(url)
                lane = self._lanes.get(host)
                if lane is None:  # only this loop makes lanes: none appears while we wait
                    await self._hosts.acquire()
                    lane = self._lanes[host] = _Lane()
                lane.urls.append(url)
                if lane.workers < self._per_host:
                    lane.workers += 1
                    group.create_task(self._work(host, lane))
            self.listed.finished = True

    async def _work(self, host: str, lane: _Lane) -> None:
        try:
            while lane.urls:
                url = lane.urls.popleft()
                self._room.release()
                started = await self._start(url)
                if isinstance(started, Document):
                    await self._out.put(started)
                else:
                    await self._finishing.acquire()
                    self._group.create_task(self._finish(started))
        finally:
            # No await between finding the lane dry and dropping it: a URL of its host
            # read after this gets a new lane, never one nobody works.
            lane.workers -= 1
            if lane.workers == 0:
                del self._lanes[host]
                self._hosts.release()

    async def _finish(self, rest: Awaitable[Record]) -> None:
        try:
            doc = await rest
        finally:
            self._finishing.release()
        await self._out.put(doc)
