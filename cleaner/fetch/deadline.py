"""The wall-clock allowance of one URL: how long its network work may take in all.

A URL's deadline (`FetchOptions.url_deadline`) covers what is done for that URL: its
robots.txt, every attempt, every redirect hop, and the backoff sleeps between attempts. It
does not cover waiting for the host's turn (the per-host and global caps, the per-host delay,
a Retry-After pause): that is the politeness queue, the same for every URL of the host, and
counting it would turn a long queue into spurious timeouts. Cleaning the page does not count
either: it is not waiting on anyone. So the allowance is an account
that only runs while something is being done for the URL, not a timer started on arrival.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from cleaner.errors import FetchError, FetchTimeout

# asyncio may wake a timeout a clock tick early; this much left counts as nothing left.
_EPSILON = 1e-3


class Allowance:
    """Seconds of work left: spent while inside `running()`, or by `charge`."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._spent = 0.0
        self._since: float | None = None

    @property
    def spent(self) -> float:
        """Seconds spent so far, the running stretch included."""
        running = self._clock() - self._since if self._since is not None else 0.0
        return self._spent + running

    @property
    def left(self) -> float:
        return max(0.0, self.seconds - self.spent)

    @property
    def exhausted(self) -> bool:
        return self.left <= _EPSILON

    def limit(self, seconds: float) -> float:
        """`seconds` cut down to what is left: the time one request may take."""
        return min(seconds, self.left)

    @contextmanager
    def running(self) -> Iterator[None]:
        """Spend the time spent inside (not re-entrant: one thing is done at a time)."""
        self._since = self._clock()
        try:
            yield
        finally:
            self._spent += self._clock() - self._since
            self._since = None

    def charge(self, seconds: float) -> None:
        self._spent += max(0.0, seconds)

    def expired(self, when: str, last: FetchError | None = None) -> FetchTimeout:
        """The error for a URL out of time: a retryable `timeout` saying when, and what failed last."""
        after = f"; last error: {last.type_name}: {last}" if last is not None else ""
        return FetchTimeout(f"URL deadline of {self.seconds:g} s {when}{after}", retryable=True)
