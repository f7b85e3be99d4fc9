from __future__ import annotations

import random
import socket
import ssl
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from cleaner.errors import HTTPStatusError
from cleaner.fetch.policy import backoff, retry_after, translate


def _chained(outer: Exception, cause: BaseException) -> Exception:
    outer.__cause__ = cause
    return outer


@pytest.mark.parametrize(
    ("exc", "type_name", "retryable"),
    [
        (httpx.ReadTimeout("read"), "timeout", True),
        (httpx.ConnectTimeout("connect"), "timeout", True),
        (httpx.PoolTimeout("pool"), "timeout", True),
        (_chained(httpx.ConnectError("x"), socket.gaierror(socket.EAI_NONAME, "Name or service not known")),
         "dns", False),
        (_chained(httpx.ConnectError("x"), socket.gaierror(socket.EAI_AGAIN, "Try again")), "dns", True),
        (httpx.ConnectError("[Errno -3] Temporary failure in name resolution"), "dns", True),
        (_chained(httpx.ConnectError("x"), ssl.SSLCertVerificationError("certificate verify failed")),
         "tls", False),
        (httpx.ConnectError("[Errno 111] Connection refused"), "connect", True),
        (httpx.RemoteProtocolError("Server disconnected"), "connect", True),
        (httpx.ReadError("reset by peer"), "connect", True),
        (httpx.UnsupportedProtocol("ftp"), "invalid_url", False),
    ],
)  # fmt: skip
def test_httpx_errors_are_translated(exc: httpx.HTTPError, type_name: str, retryable: bool) -> None:
    ours = translate(exc)
    assert (ours.type_name, ours.retryable, ours.stage) == (type_name, retryable, "fetch")


@pytest.mark.parametrize(
    ("status", "type_name", "retryable"),
    [(404, "http_4xx", False), (410, "http_4xx", False), (403, "http_4xx", False), (408, "http_4xx", True),
     (429, "http_4xx", True), (500, "http_5xx", True), (503, "http_5xx", True)],
)  # fmt: skip
def test_status_errors(status: int, type_name: str, retryable: bool) -> None:
    exc = HTTPStatusError(status)
    assert (exc.type_name, exc.retryable, exc.status) == (type_name, retryable, status)


def test_retry_after_seconds_and_dates() -> None:
    now = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    assert retry_after("120") == 120.0
    assert retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30.0
    assert retry_after(format_datetime(now - timedelta(seconds=30), usegmt=True), now) == 0.0
    assert retry_after("soon") is None and retry_after(None) is None and retry_after("") is None


def test_backoff_grows_with_jitter_and_a_cap() -> None:
    rng = random.Random(1)
    for attempt, step in [(1, 1.0), (2, 2.0), (3, 4.0), (10, 5.0)]:
        waits = [backoff(attempt, 1.0, 5.0, rng) for _ in range(50)]
        assert all(step / 2 <= w <= step for w in waits)
        assert len(set(waits)) > 1
