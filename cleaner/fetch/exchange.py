"""One HTTP request and its answer, with every httpx failure translated into ours.

`exchange` sends a GET (no redirect following, no cookies), checks the status, the content
type and Content-Length before reading, then reads the body within the size limit. The whole
request runs under a wall-clock deadline (the per-request one, or less when the URL's own
deadline is nearer), so a server that drips a byte a second cannot hold a worker beyond it,
whatever the per-operation timeouts say.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Protocol

import httpx

from cleaner.errors import FetchError, FetchTimeout, HTTPStatusError
from cleaner.fetch.body import ACCEPT, ACCEPT_ENCODING, BoundedBody, check_length, media_kind
from cleaner.fetch.options import FetchOptions
from cleaner.fetch.policy import retry_after, translate
from cleaner.read import InputKind

REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True, slots=True)
class Capture:
    """A response as received: status line, headers, raw body (as sent) and decoded content.

    `request_target` and `request_headers` are the request as sent, for the WARC archive.
    """

    url: str
    status: int
    reason: str
    http_version: str
    headers: tuple[tuple[str, str], ...]
    raw: bytes = b""
    content: bytes = b""
    kind: InputKind | None = None
    elapsed: float = 0.0
    location: str | None = field(default=None)
    request_target: str = "/"
    request_headers: tuple[tuple[str, str], ...] = ()

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


@dataclass(frozen=True, slots=True)
class Want:
    """What a request is for: its Accept header, whether any content type is read (the
    caller looks at the bytes), and its size limit (None: `FetchOptions.max_bytes`)."""

    accept: str
    any_type: bool = False
    limit: int | None = None


class Sender(Protocol):
    """What requests go out through: an `httpx.AsyncClient`, or a `DirectClient` of ours."""

    def build_request(
        self, method: str, url: str, *, headers: dict[str, str], timeout: httpx.Timeout
    ) -> httpx.Request: ...

    async def send(
        self, request: httpx.Request, *, stream: bool, follow_redirects: bool
    ) -> httpx.Response: ...


ROBOTS_ACCEPT = "text/plain,*/*;q=0.5"
MAX_ROBOTS_BYTES = 1_000_000  # RFC 9309 asks crawlers to read at least 500 KiB
PAGE = Want(ACCEPT)
ROBOTS = Want(ROBOTS_ACCEPT, any_type=True, limit=MAX_ROBOTS_BYTES)


def build_request(
    client: Sender,
    url: str,
    options: FetchOptions,
    accept: str,
    extra: dict[str, str] | None = None,
) -> httpx.Request:
    headers = {"User-Agent": options.user_agent, "Accept": accept, "Accept-Encoding": ACCEPT_ENCODING}
    headers.update(extra or {})
    request = client.build_request("GET", url, headers=headers, timeout=options.timeout)
    request.headers.pop("Cookie", None)  # never send cookies, whatever the client holds
    return request


async def exchange(
    client: Sender,
    url: str,
    options: FetchOptions,
    *,
    want: Want = PAGE,
    deadline: float | None = None,
    headers: dict[str, str] | None = None,
) -> Capture:
    """GET `url` once. Redirects come back as a `Capture` with `location`, a 304 as one
    without a body; errors raise.

    `want` says what is accepted (pages: HTML or text; robots.txt and discovery: anything,
    within its own size limit). `deadline` (default `options.deadline`) bounds the whole
    exchange, body included. `headers` are sent besides ours (the validators of a re-fetch).
    """
    limit = options.deadline if deadline is None else deadline
    started = time.monotonic()
    try:
        async with asyncio.timeout(limit):
            return await _exchange(client, url, options, (want, headers), started)
    except TimeoutError as exc:
        raise FetchTimeout(f"no complete answer within the {limit:.3g} s deadline") from exc
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise translate(exc) from exc


async def _exchange(
    client: Sender,
    url: str,
    options: FetchOptions,
    asked: tuple[Want, dict[str, str] | None],
    started: float,
) -> Capture:
    want, extra = asked
    request = build_request(client, url, options, want.accept, extra)
    response = await client.send(request, stream=True, follow_redirects=False)
    try:
        capture = Capture(
            url=str(response.url),
            status=response.status_code,
            reason=response.reason_phrase,
            http_version=response.http_version,
            headers=tuple(response.headers.multi_items()),
            request_target=request.url.raw_path.decode("ascii"),
            request_headers=tuple(request.headers.multi_items()),
        )
        location = response.headers.get("location")
        if response.status_code in REDIRECTS and location:
            return _with(capture, started, location=str(response.url.join(location)))
        if response.status_code == 304:  # not modified since the validators we sent
            return _with(capture, started)
        if response.status_code >= 400:
            wait = retry_after(response.headers.get("retry-after"))
            raise HTTPStatusError(response.status_code, response.reason_phrase, retry_after=wait)
        return await _read(response, capture, want, options, started)
    finally:
        await response.aclose()


async def _read(
    response: httpx.Response, capture: Capture, want: Want, options: FetchOptions, started: float
) -> Capture:
    """Check the content type and size, then read the body; errors say the status they saw."""
    try:
        kind = None if want.any_type else media_kind(response.headers.get("content-type"))
        limit = options.max_bytes if want.limit is None else want.limit
        check_length(response.headers.get("content-length"), limit)
        if response.is_stream_consumed:
            # Built with `content=` (as with httpx.MockTransport): httpx has read and decoded it.
            body = BoundedBody(None, limit)
            body.feed(response.content)
        else:
            body = BoundedBody(response.headers.get("content-encoding"), limit)
            async for chunk in response.aiter_raw():
                body.feed(chunk)
    except FetchError as exc:
        exc.status = response.status_code
        raise
    return _with(capture, started, raw=body.raw, content=body.content, kind=kind)


def _with(capture: Capture, started: float, **changes: object) -> Capture:
    return replace(capture, elapsed=time.monotonic() - started, **changes)  # type: ignore[arg-type]


def timestamp() -> str:
    """Now, as the record's `fetched_at` and the WARC-Date: UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
