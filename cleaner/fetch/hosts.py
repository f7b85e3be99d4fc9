"""Politeness per host: how many requests at once, how far apart, and pauses when asked.

Each host gets a small state: a semaphore (requests in flight), the earliest time the next
request may start, and a pause-until time. Requests to one host start at least `delay`
apart (jittered upwards by up to 10 % by default), counted from the moment each one really
starts; a 429/503 pauses the whole host (for Retry-After when given) and doubles its delay;
slow answers widen it too; quick, clean answers bring it back down slowly.
One `HostGate` lives in one `Fetcher`, never at module level.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from cleaner.fetch.options import FetchOptions

log = logging.getLogger("cleaner.fetch")

_RECOVERY = 0.9  # each fast, clean answer shrinks a widened delay by this factor


@dataclass(slots=True)
class HostState:
    slots: asyncio.Semaphore
    floor: float  # the delay never goes below this (our default, or the Crawl-delay)
    delay: float
    next_start: float = 0.0
    paused_until: float = 0.0
    requests: int = field(default=0)


class HostGate:
    def __init__(
        self,
        options: FetchOptions,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.options = options
        self._rng = rng or random.Random()
        self._clock = clock
        self._hosts: dict[str, HostState] = {}
        self._global = asyncio.Semaphore(options.concurrency)

    def state(self, host: str) -> HostState:
        state = self._hosts.get(host)
        if state is None:
            delay = self.options.delay
            state = HostState(asyncio.Semaphore(self.options.per_host), floor=delay, delay=delay)
            self._hosts[host] = state
        return state

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Hold one of the host's slots and one global slot, having waited for our turn."""
        state = self.state(host)
        async with state.slots:
            await self._take_turn(state)
            try:
                yield
            finally:
                self._global.release()

    async def _take_turn(self, state: HostState) -> None:
        """Wait for the host's turn, then take it with a global slot in hand: the spacing
        counts from when the request really starts, never from a wait for the global slot."""
        while True:
            start = max(state.next_start, state.paused_until)
            now = self._clock()
            if start > now:
                await asyncio.sleep(start - now)
                continue
            await self._global.acquire()
            # While we waited for the global slot, the host's other request may have taken
            # the turn, or a 429 may have paused the host: look again.
            now = self._clock()
            if max(state.next_start, state.paused_until) <= now:
                spacing = state.delay * (1 + self.options.jitter * self._rng.random())
                state.next_start = now + spacing
                state.requests += 1
                return
            self._global.release()

    def set_floor(self, host: str, delay: float) -> None:
        """Space this host's requests at least `delay` apart (a robots.txt Crawl-delay)."""
        state = self.state(host)
        state.floor = max(state.floor, delay)
        state.delay = max(state.delay, state.floor)

    def pause(self, host: str, seconds: float | None, status: int) -> None:
        """The host said 429/503: nobody asks it anything for a while, and then more slowly."""
        state = self.state(host)
        state.delay = min(self.options.max_delay, max(state.delay * 2, state.floor))
        wait = state.delay if seconds is None else min(seconds, self.options.max_retry_after)
        state.paused_until = max(state.paused_until, self._clock() + wait)
        log.info("%s answered %d: pausing it %.1f s, then one request every %.1f s", host, status, wait,
                 state.delay)  # fmt: skip

    def observe(self, host: str, elapsed: float) -> None:
        """A request finished (answer or not) after `elapsed` seconds: adapt the host's delay."""
        state = self.state(host)
        if elapsed > self.options.slow_after:
            widened = min(self.options.max_delay, max(state.delay * 2, elapsed))
            if widened > state.delay:
                log.info("%s is slow (%.1f s): one request every %.1f s", host, elapsed, widened)
            state.delay = widened
        elif state.delay > state.floor:
            state.delay = max(state.floor, state.delay * _RECOVERY)
