"""The records the cleaner emits: plain, picklable data with no behaviour beyond serialising.

A `Document` is the one record every input yields, whatever happened to it. Its `status` says
which of three outcomes it is: `ok` (article text found), `empty` (nothing left after cleaning,
with `removed` telling why) or `error` (with `error` telling where and what).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    OK = "ok"
    EMPTY = "empty"
    ERROR = "error"
    #: A re-fetch (`cleaner fetch --since-run`) was told 304: the page is as the previous run
    #: found it, so it was not cleaned again (the previous record holds its text).
    NOT_MODIFIED = "not_modified"


class Reason(StrEnum):
    """Why a block was removed. The README documents each category."""

    AD = "ad"
    NAV = "nav"
    SUBSCRIBE = "subscribe"
    RELATED = "related"
    TEASER = "teaser"
    COMMENTS = "comments"
    SHARE = "share"
    COOKIE = "cookie"
    FOOTER = "footer"
    BYLINE = "byline"
    BRANDING = "branding"
    PAGE_META = "page-meta"
    TEMPLATE = "template"
    DUPLICATE = "duplicate"
    OUTSIDE_MAIN_CONTENT = "outside-main-content"


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list-item"
    QUOTE = "quote"
    TABLE = "table"
    CODE = "code"


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of text in reading order: a paragraph, heading, list item..."""

    text: str
    kind: BlockKind = BlockKind.PARAGRAPH


@dataclass(frozen=True, slots=True)
class Removal:
    """A block the cleaner removed, with the category and the rule that removed it."""

    text: str
    reason: Reason
    rule: str


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    type: str
    message: str
    stage: str
    retryable: bool = False


@dataclass(frozen=True, slots=True)
class FetchInfo:
    """How a fetched page was got: the fields `cleaner fetch` adds to each record."""

    final_url: str | None = None
    http_status: int | None = None
    fetched_at: str | None = None  # ISO 8601, UTC
    redirects: tuple[str, ...] = ()  # the URLs redirected from, in order
    attempts: int = 0
    #: The page's validators, sent back by a later `--since-run` (None: the server gave none).
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class Signals:
    """Quality signals of a record, for filtering downstream (see `cleaner.signals`)."""

    words: int
    removed_share: float
    chrome_score: float
    repeated_lines: float
    language_probability: float | None
    link_density: float | None


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    source: str
    status: Status
    url: str | None = None
    title: str | None = None
    author: str | None = None
    date: str | None = None
    sitename: str | None = None
    description: str | None = None
    language: str | None = None
    text: str = ""
    blocks: tuple[Block, ...] = field(default=(), repr=False)
    removed: tuple[Removal, ...] = ()
    error: ErrorInfo | None = None
    rules_digest: str | None = None
    fetch: FetchInfo | None = None
    # Where each metadata field was read ("date" -> "json-ld:datePublished"), or why a value
    # was refused ("rejected:meta:author:email"): (field, source) pairs, a tuple so the
    # record stays frozen and hashable; `to_dict` writes them as a JSON object.
    meta_sources: tuple[tuple[str, str], ...] = ()
    signals: Signals | None = None
    # Blocks and removals interleaved as on the page (`cleaner.order`): i >= 0 is blocks[i],
    # -1 - j is removed[j]. Left out of the JSON record, like `blocks`.
    order: tuple[int, ...] = field(default=(), repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape documented in the README: blocks are left out (`text` holds them),
        `error` only on errors, and the fetch fields at top level on fetched pages.

        Built field by field: `dataclasses.asdict` deep-copies every removal and costs more
        than the rest of writing a record."""
        out: dict[str, Any] = {name: getattr(self, name) for name in _RECORD_FIELDS}
        out["removed"] = [{"text": r.text, "reason": r.reason, "rule": r.rule} for r in self.removed]
        if self.error is not None:
            out["error"] = asdict(self.error)
        out["meta_sources"] = dict(self.meta_sources)
        out["rules_digest"] = self.rules_digest
        out["signals"] = None if self.signals is None else asdict(self.signals)
        if self.fetch is not None:
            fetch = asdict(self.fetch)
            fetch["redirects"] = list(self.fetch.redirects)
            out.update(fetch)
        return out


# The record's own fields, in the order they are written (blocks, error, fetch: see to_dict).
# The fields `meta_sources` can name.
META_FIELDS = ("url", "title", "author", "date", "sitename", "description")
_RECORD_FIELDS = (
    "id", "source", "status", "url", "title", "author", "date", "sitename",
    "description", "language", "text",
)  # fmt: skip
