"""What a failure means: httpx exceptions translated into ours, Retry-After, and backoff.

Pure functions, no I/O: the fetcher asks them whether and how long to wait.
"""

from __future__ import annotations

import random
import socket
import ssl
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from cleaner.errors import (
    ConnectionFailed,
    DNSError,
    FetchError,
    FetchTimeout,
    InvalidURL,
    TLSError,
)

_DNS_HINTS = ("name or service not known", "nodename nor servname", "getaddrinfo", "name resolution")
_TLS_HINTS = ("ssl", "certificate", "tls")
# The resolver said the name does not exist (as opposed to "try again").
_PERMANENT_DNS = {getattr(socket, "EAI_NONAME", -2)}


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def translate(exc: httpx.HTTPError | httpx.InvalidURL) -> FetchError:
    """Our exception for an httpx one; the caller raises it `from exc`."""
    message = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return FetchTimeout(f"{type(exc).__name__}: {message}")
    if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return InvalidURL(message)
    if isinstance(exc, httpx.ConnectError):
        return _connect_error(exc, message)
    if isinstance(exc, httpx.TransportError):
        return ConnectionFailed(f"{type(exc).__name__}: {message}")
    return FetchError(f"{type(exc).__name__}: {message}")


def _connect_error(exc: httpx.ConnectError, message: str) -> FetchError:
    chain = _causes(exc)
    if any(isinstance(c, ssl.SSLError | ssl.CertificateError) for c in chain):
        return TLSError(message)
    for cause in chain:
        if isinstance(cause, socket.gaierror):
            return DNSError(message, retryable=cause.errno not in _PERMANENT_DNS)
    lowered = message.lower()
    if any(hint in lowered for hint in _DNS_HINTS):
        return DNSError(message)
    if any(hint in lowered for hint in _TLS_HINTS):
        return TLSError(message)
    return ConnectionFailed(message)


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """Exponential backoff with jitter: about base, 2*base, 4*base... never above `cap`.

    The jitter (between half and all of the step) spreads out retries that failed together.
    """
    step: float = min(cap, base * 2.0 ** max(0, attempt - 1))
    return step * (0.5 + 0.5 * rng.random())
