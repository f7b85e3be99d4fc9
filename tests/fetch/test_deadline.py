from __future__ import annotations

from cleaner.errors import FetchTimeout, HTTPStatusError
from cleaner.fetch.deadline import Allowance


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_only_time_inside_running_and_charges_are_spent() -> None:
    clock = Clock()
    allowance = Allowance(10, clock)
    clock.now += 50  # waiting for the host's turn: free
    with allowance.running():
        clock.now += 3
        assert allowance.spent == 3 and allowance.left == 7  # the running stretch counts at once
    clock.now += 50
    allowance.charge(2)
    assert allowance.spent == 5 and allowance.limit(60) == 5 and allowance.limit(1) == 1
    assert not allowance.exhausted
    with allowance.running():
        clock.now += 6
    assert allowance.left == 0 and allowance.exhausted


def test_expired_is_a_retryable_timeout_naming_the_last_error() -> None:
    error = Allowance(1.5).expired("would pass before try 3", HTTPStatusError(500, "Internal Server Error"))
    assert isinstance(error, FetchTimeout) and error.type_name == "timeout" and error.retryable
    assert str(error) == (
        "URL deadline of 1.5 s would pass before try 3; last error: http_5xx: HTTP 500 Internal Server Error"
    )
