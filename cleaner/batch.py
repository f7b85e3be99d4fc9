"""The batch runner: every `Source` becomes exactly one `Document`, whatever goes wrong.

This is the one place where exceptions stop: a `CleanerError` becomes an error record with
its type and stage; anything else (a bug, or a library failing in a way we did not foresee)
becomes an `internal` error record, so one bad page never ends a batch. This runs in one
process; `cleaner.workers` runs it in worker processes with a deadline per page.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from cleaner.errors import CleanerError
from cleaner.read import InputKind, Source
from cleaner.record import Document, ErrorInfo, Status

if TYPE_CHECKING:  # the parent process of a batch makes error records but never cleans
    from cleaner.pipeline import Cleaner


def error_info(exc: BaseException, stage: str = "clean") -> ErrorInfo:
    """What an exception says about a failure: ours carry type, stage and `retryable`;
    anything else is an `internal` error in `stage`."""
    if isinstance(exc, CleanerError):
        return ErrorInfo(exc.type_name, str(exc), exc.stage, bool(getattr(exc, "retryable", False)))
    return ErrorInfo("internal", f"{type(exc).__name__}: {exc}", stage)


def error_document(source: Source, exc: BaseException | ErrorInfo, digest: str | None = None) -> Document:
    """The error record for `source`: from an exception, or from an `ErrorInfo` made by the
    runner itself (a timeout, a worker that died)."""
    info = exc if isinstance(exc, ErrorInfo) else error_info(exc)
    return Document(
        id=source.id,
        source=source.origin,
        status=Status.ERROR,
        url=source.url,
        error=info,
        rules_digest=digest,
        fetch=source.fetch,
    )


def clean_source(cleaner: Cleaner, source: Source) -> Document:
    """Clean one source into one record; never raises (but lets KeyboardInterrupt through)."""
    if source.problem is not None:
        return error_document(source, source.problem, cleaner.rules_digest)
    if source.kind is None or source.data is None:
        return error_document(source, CleanerError("nothing to clean"), cleaner.rules_digest)
    try:
        doc = _clean(cleaner, source)
    except Exception as exc:
        return error_document(source, exc, cleaner.rules_digest)
    return replace(doc, source=source.origin, fetch=source.fetch)


def _clean(cleaner: Cleaner, source: Source) -> Document:
    data, url, id = source.data, source.url, source.id
    if isinstance(data, bytes):
        kind = source.kind or InputKind.HTML
        return cleaner.clean_bytes(data, kind, url, id=id, charset=source.charset)
    if source.kind == "html":
        return cleaner.clean_html(data or "", url, id=id)
    return cleaner.clean_text(data or "", url, id=id)


def clean_all(cleaner: Cleaner, sources: Iterable[Source]) -> Iterator[Document]:
    for source in sources:
        yield clean_source(cleaner, source)
