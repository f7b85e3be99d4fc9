"""A connection pool per host: the transport of the client `cleaner fetch` makes.

httpcore's pool looks at every connection it holds, idle or not, each time a request comes
or goes (is it idle, has it expired, is its socket readable: a system call). One pool for
a crawl of many hosts holds many connections, and that cost grows with them; capping them
instead closes one host's idle connection for each request to another. Here each host has
its own small pool (`per_host` connections), so a request costs the same with 500 hosts as
with one, and connections are reused. Pools of hosts with nothing in flight are closed
when there are more than `max_hosts` of them, least recently used first.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import httpx


@dataclass(slots=True)
class _Pool:
    transport: httpx.AsyncBaseTransport
    in_flight: int = 0


class HostPools(httpx.AsyncBaseTransport):
    def __init__(self, make: Callable[[], httpx.AsyncBaseTransport], keep: int) -> None:
        self._make = make
        self._keep = keep
        self._pools: OrderedDict[tuple[bytes, bytes, int | None], _Pool] = OrderedDict()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        key = (request.url.raw_scheme, request.url.raw_host, request.url.port)
        pool = self._pools.get(key)
        if pool is None:
            pool = self._pools[key] = _Pool(self._make())
            await self._trim()
        self._pools.move_to_end(key)
        pool.in_flight += 1
        try:
            response = await pool.transport.handle_async_request(request)
        except BaseException:
            pool.in_flight -= 1
            raise
        response.stream = _Tracked(response.stream, pool)
        return response

    async def _trim(self) -> None:
        for key in [k for k, p in self._pools.items() if p.in_flight == 0][: len(self._pools) - self._keep]:
            await self._pools.pop(key).transport.aclose()

    async def aclose(self) -> None:
        pools, self._pools = list(self._pools.values()), OrderedDict()
        for pool in pools:
            await pool.transport.aclose()


class _Tracked(httpx.AsyncByteStream):
    """A response body that tells its pool when it is done with."""

    def __init__(self, stream: httpx.AsyncByteStream | httpx.SyncByteStream, pool: _Pool) -> None:
        assert isinstance(stream, httpx.AsyncByteStream)
        self._stream = stream
        self._pool: _Pool | None = pool

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            if self._pool is not None:
                self._pool.in_flight -= 1
                self._pool = None
