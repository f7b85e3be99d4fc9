from __future__ import annotations

import asyncio
import random
from dataclasses import replace
from itertools import pairwise

from cleaner.fetch.hosts import HostGate
from tests.fetch.conftest import FAST


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_requests_to_one_host_start_at_least_delay_apart() -> None:
    async def run() -> list[float]:
        gate = HostGate(replace(FAST, delay=0.1, jitter=0.5, per_host=4), random.Random(0))
        loop = asyncio.get_running_loop()
        starts: list[float] = []

        async def one() -> None:
            async with gate.slot("h"):
                starts.append(loop.time())

        await asyncio.gather(*(one() for _ in range(4)))
        return sorted(starts)

    starts = asyncio.run(run())
    assert all(b - a >= 0.095 for a, b in pairwise(starts)), starts


def test_429_pauses_the_host_and_widens_its_delay() -> None:
    clock = Clock()
    gate = HostGate(replace(FAST, delay=1.0, max_delay=8.0, max_retry_after=60), random.Random(0), clock)
    gate.pause("h", 30.0, 429)
    state = gate.state("h")
    assert state.paused_until == 130.0 and state.delay == 2.0
    gate.pause("h", 1000.0, 503)  # Retry-After is capped
    assert state.paused_until == 160.0 and state.delay == 4.0
    gate.pause("h", None, 503)
    gate.pause("h", None, 503)
    assert state.delay == 8.0  # never above max_delay
    for _ in range(100):  # quick, clean answers bring it back down, not below the floor
        gate.observe("h", 0.01)
    assert state.delay == 1.0


def test_slow_answers_widen_the_delay() -> None:
    gate = HostGate(replace(FAST, delay=0.5, slow_after=2.0, max_delay=30.0), random.Random(0), Clock())
    gate.observe("h", 1.0)
    assert gate.state("h").delay == 0.5
    gate.observe("h", 6.0)
    assert gate.state("h").delay == 6.0


def test_crawl_delay_sets_a_floor() -> None:
    gate = HostGate(replace(FAST, delay=0.5), random.Random(0), Clock())
    gate.set_floor("h", 3.0)
    for _ in range(10):
        gate.observe("h", 0.01)
    assert gate.state("h").delay == 3.0 and gate.state("other").delay == 0.5


def test_a_paused_host_waits_and_others_do_not() -> None:
    async def run() -> tuple[float, float]:
        gate = HostGate(replace(FAST, delay=0.0), random.Random(0))
        loop = asyncio.get_running_loop()
        gate.pause("a", 0.3, 429)
        start = loop.time()
        async with gate.slot("b"):
            b = loop.time() - start
        async with gate.slot("a"):
            a = loop.time() - start
        return a, b

    a, b = asyncio.run(run())
    assert a >= 0.29 and b < a


def test_the_delay_counts_from_the_real_start_not_from_a_wait_for_the_global_slot() -> None:
    # Host h's two requests are due while another host holds the only global slot: they
    # must still start `delay` apart once it is free, not one right after the other.
    async def run() -> list[float]:
        gate = HostGate(replace(FAST, delay=0.1, jitter=0.0, per_host=2, concurrency=1), random.Random(0))
        loop = asyncio.get_running_loop()
        starts: list[float] = []

        async def hold_global() -> None:
            async with gate.slot("g"):
                await asyncio.sleep(0.3)

        async def one() -> None:
            async with gate.slot("h"):
                starts.append(loop.time())
                await asyncio.sleep(0.01)

        holder = asyncio.create_task(hold_global())
        await asyncio.sleep(0)
        await asyncio.gather(holder, one(), one())
        return starts

    starts = asyncio.run(run())
    assert len(starts) == 2 and starts[1] - starts[0] >= 0.095, starts
