"""The batch runner: every `Source` becomes exactly one `Document`, whatever goes wrong.

This is the one place where exceptions stop: a `CleanerError` becomes an error record with
its type and stage; anything else (a bug, or a library failing in a way we did not foresee)
becomes an `internal` error record, so one bad page never ends a batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from cleaner.errors import CleanerError
from cleaner.pipeline import Cleaner
from cleaner.read import Source
from cleaner.record import Document, ErrorInfo, Status


def error_document(source: Source, exc: BaseException, digest: str | None = None) -> Document:
    if isinstance(exc, CleanerError):
        info = ErrorInfo(exc.type_name, str(exc), exc.stage)
    else:
        info = ErrorInfo("internal", f"{type(exc).__name__}: {exc}", "clean")
    return Document(
        id=source.id,
        source=source.origin,
        status=Status.ERROR,
        url=source.url,
        error=info,
        rules_digest=digest,
    )


def clean_source(cleaner: Cleaner, source: Source) -> Document:
    """Clean one source into one record; never raises (but lets KeyboardInterrupt through)."""
    if source.problem is not None:
        return error_document(source, source.problem, cleaner.rules_digest)
    if source.kind is None or source.data is None:
        return error_document(source, CleanerError("nothing to clean"), cleaner.rules_digest)
    try:
        if isinstance(source.data, bytes):
            doc = cleaner.clean_bytes(source.data, source.kind, source.url, id=source.id)
        elif source.kind == "html":
            doc = cleaner.clean_html(source.data, source.url, id=source.id)
        else:
            doc = cleaner.clean_text(source.data, source.url, id=source.id)
    except Exception as exc:
        return error_document(source, exc, cleaner.rules_digest)
    return replace(doc, source=source.origin)


def clean_all(cleaner: Cleaner, sources: Iterable[Source]) -> Iterator[Document]:
    for source in sources:
        yield clean_source(cleaner, source)
