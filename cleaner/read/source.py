"""What the readers produce: a `Source` per input, and a tally of what they skipped."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from cleaner.errors import CleanerError
from cleaner.record import FetchInfo


class InputKind(StrEnum):
    HTML = "html"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class Source:
    """One input, read but not yet decoded or cleaned.

    `charset` is an encoding the transport declared (an HTTP header in a web archive);
    `fetch` says how an archived page was fetched (status, date).
    """

    id: str
    origin: str
    kind: InputKind | None = None
    data: bytes | str | None = None
    url: str | None = None
    problem: CleanerError | None = None
    charset: str | None = None
    fetch: FetchInfo | None = None


@dataclass(slots=True)
class ReadStats:
    """What readers passed over that is not an input: WARC records other than HTML responses,
    counted by reason (`request`, `warcinfo`, `status 404`, `image/png`...)."""

    skipped: Counter[str] = field(default_factory=Counter)

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())
