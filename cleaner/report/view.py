"""What a report shows of one record: its blocks in page order, kept or removed, and its facts.

A `PageView` is made from a `Document` (which knows the page order, `Document.order`) or from a
JSON record as `cleaner clean` wrote it (which does not: the kept text comes first, then the
removed blocks, and `ordered` says so). The HTML report and `cleaner explain` both draw it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from cleaner.record import META_FIELDS, Document

# Bounds that keep one page's report file small whatever the page holds.
MAX_BLOCK_CHARS = 4_000
MAX_PAGE_CHARS = 400_000


@dataclass(frozen=True, slots=True)
class Item:
    """One block: kept (`reason` None) or removed, with the reason and rule that removed it."""

    text: str
    kind: str = "paragraph"
    reason: str | None = None
    rule: str | None = None


@dataclass(frozen=True, slots=True)
class PageView:
    id: str
    source: str
    status: str
    items: tuple[Item, ...]
    ordered: bool  # False: page order unknown, kept blocks first, then the removed ones
    meta: tuple[tuple[str, str | None, str | None], ...] = ()  # (field, value, source)
    error: Mapping[str, Any] | None = None
    language: str | None = None
    words: int = 0
    cut: int = 0  # characters left out to keep the view within its bounds
    signals: Mapping[str, Any] | None = field(default=None)

    @property
    def title(self) -> str | None:
        return next((value for name, value, _ in self.meta if name == "title"), None)

    def counts(self) -> Counter[str]:
        """Removed blocks per reason."""
        return Counter(item.reason for item in self.items if item.reason is not None)


def view_of_document(doc: Document) -> PageView:
    if doc.order:
        items = [
            Item(doc.blocks[i].text, doc.blocks[i].kind) if i >= 0 else _removed(doc.removed[-1 - i])
            for i in doc.order
        ]
        ordered = True
    else:  # an error record, or one built without the pipeline
        items = [Item(b.text, b.kind) for b in doc.blocks] + [_removed(r) for r in doc.removed]
        ordered = not doc.removed or not doc.blocks
    sources = dict(doc.meta_sources)
    meta = tuple((name, getattr(doc, name), sources.get(name)) for name in META_FIELDS)
    error = None if doc.error is None else asdict(doc.error)
    signals = None if doc.signals is None else asdict(doc.signals)
    words = doc.signals.words if doc.signals is not None else len(doc.text.split())
    return _bounded(
        doc.id, doc.source, str(doc.status), items, ordered, meta, error, doc.language, words, signals
    )


def view_of_record(record: Mapping[str, Any]) -> PageView:
    """A view of a JSON record: kept paragraphs (split at blank lines) first, then removals."""
    text = record.get("text") or ""
    items = [Item(part) for part in text.split("\n\n") if part.strip()]
    removed = record.get("removed") or []
    items += [
        Item(str(r.get("text", "")), "paragraph", str(r.get("reason")), str(r.get("rule"))) for r in removed
    ]
    sources = record.get("meta_sources") or {}
    meta = tuple((name, _str(record.get(name)), _str(sources.get(name))) for name in META_FIELDS)
    signals = record.get("signals") if isinstance(record.get("signals"), Mapping) else None
    words = int(signals["words"]) if signals and isinstance(signals.get("words"), int) else len(text.split())
    error = record.get("error") if isinstance(record.get("error"), Mapping) else None
    ordered = not removed or not text.strip()
    return _bounded(
        str(record.get("id", "")),
        str(record.get("source", "")),
        str(record.get("status", "")),
        items,
        ordered,
        meta,
        error,
        _str(record.get("language")),
        words,
        signals,
    )


def _bounded(id: str, source: str, status: str, items: list[Item], *rest: Any) -> PageView:
    """The view with each block cut at MAX_BLOCK_CHARS and the page at MAX_PAGE_CHARS."""
    out, budget, cut = [], MAX_PAGE_CHARS, 0
    for item in items:
        text = item.text[: min(MAX_BLOCK_CHARS, max(budget, 0))]
        cut += len(item.text) - len(text)
        budget -= len(text)
        if text or not item.text:
            out.append(Item(text, item.kind, item.reason, item.rule) if text != item.text else item)
    ordered, meta, error, language, words, signals = rest
    return PageView(id, source, status, tuple(out), ordered, meta, error, language, words, cut, signals)


def _removed(removal: Any) -> Item:
    return Item(removal.text, "paragraph", str(removal.reason), removal.rule)


def _str(value: Any) -> str | None:
    return None if value is None else str(value)
