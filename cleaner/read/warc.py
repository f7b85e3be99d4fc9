"""Web archives: the HTML responses in `.warc`, `.warc.gz` and `.warc.zst` files.

Every response record that is an HTTP 2xx answer with an HTML or XHTML Content-Type is one
input (id `<archive name>#<record offset>`, stable across runs); every other record (requests,
warcinfo, images, redirects, errors...) is not an input and is only counted in `ReadStats`.
The HTTP body is undone here (chunked transfer coding, gzip/deflate/br content coding) rather
than by fastwarc, whose decoding errors would end the iteration of the whole archive.
A cut-off archive is not a silent loss: see `cleaner.read.warc_tail`.

A large `.warc.gz` of one gzip member per record (as crawlers write them) is read in spans of
about `SPAN_BYTES`, which workers can share out: each span starts at the first record whose
member starts in it (found from the gzip magic bytes, checked by decompressing it). One process
reading the whole archive reads it span by span too, so the records are the same however it
is shared out, even for a damaged archive. A `.warc.gz` stored verbatim inside a record (as
an incompressible payload) could pass for the start of a span and have its records read too.
"""

from __future__ import annotations

import contextlib
import itertools
import zlib
from collections.abc import Generator, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cleaner.errors import DecodeError, InputError, InputTooLarge
from cleaner.read.source import InputKind, ReadStats, Source
from cleaner.read.warc_tail import (
    HTML_TYPES,
    first_member,
    gzip_record_start,
    plain_record_start,
    tail_damage,
)
from cleaner.record import FetchInfo

if TYPE_CHECKING:
    from fastwarc.warc import WarcRecord

WARC_SUFFIXES = (".warc", ".warc.gz", ".warc.zst")
#: About how much of a `.warc.gz` one worker reads at a time (see `warc_spans`): small enough
#: that the last parts of a run share out evenly across workers, large enough to cost nothing
#: (finding a span's first record reads a few kilobytes).
SPAN_BYTES = 1 << 20


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


def iter_warc_file(
    path: Path, name: str, max_bytes: int, stats: ReadStats, span: tuple[int, int] | None = None
) -> Iterator[Source]:
    """One source per HTML response record, in archive order, or those of one `span` of it
    (file offsets `lo, hi`, see `warc_spans`).

    A cut-off tail ends with one error source for the damaged record. In a `.warc.gz` and a `.warc`,
    reading goes on after a damaged record from the next whole one. An archive fastwarc
    cannot read on in, for reasons not found in its gzip members, gets one error source
    (id `name`, or `name#lo-hi` for a span) and is read on from the next span."""
    spans: Sequence[tuple[int, int] | None] = [span]
    if span is None:
        spans = warc_spans(path) or [None]
    for part in spans:
        yield from _iter_span(path, name, max_bytes, stats, part)


def _iter_span(
    path: Path, name: str, max_bytes: int, stats: ReadStats, span: tuple[int, int] | None
) -> Iterator[Source]:
    """The records from the first member at or after `lo` to the first at or after `hi`
    (all of them if `span` is None): consecutive spans share out the records exactly."""
    start: int | None = 0
    stop = None  # where the next span's records begin
    label = name
    if span is not None:
        label = span_name(name, span)
        with path.open("rb") as f:
            start = gzip_record_start(f, span[0]) if span[0] else 0
            stop = gzip_record_start(f, span[1])
        if start is None or (stop is not None and start >= stop):
            return
    while start is not None:
        start = yield from _read_from(path, name, label, max_bytes, stats, start, stop)


def span_name(name: str, span: tuple[int, int]) -> str:
    """The id of an error record about a span of archive `name` as a whole."""
    return f"{name}#{span[0]}-{span[1]}"


def warc_spans(path: Path, size: int | None = None) -> list[tuple[int, int]] | None:
    """Byte ranges of one length, at most `size`, that split a `.warc.gz` into parts to read on
    their own (see `iter_warc_file`); None if it is not worth it, or the archive is not one gzip member
    per record (compressed as one stream), where a part could not find its first record."""
    size = size or SPAN_BYTES
    if not path.name.lower().endswith(".warc.gz"):
        return None
    total = path.stat().st_size
    if total < 2 * size:
        return None
    member = first_member(path)
    if member is None or member.end is None or member.end >= total or not member.head.startswith(b"WARC/"):
        return None
    parts = -(-total // size)  # one length, so that no part is left to one worker at the end
    return list(itertools.pairwise(total * n // parts for n in range(parts + 1)))


def _read_from(
    path: Path, name: str, label: str, max_bytes: int, stats: ReadStats, start: int, stop: int | None
) -> Generator[Source, None, int | None]:
    """The sources of the records from offset `start` to `stop` (None: the end); returns where
    to read on after a damaged record, or None. `label`: the id of an error source for what
    cannot be read."""
    from fastwarc.warc import ArchiveIterator

    # the last record is held back until the tail is known to be whole: it may be cut short
    last: int | None = None  # where the last record fastwarc gave starts
    held: Source | str | None = None  # its source, or why it is skipped
    failure: OSError | None = None
    with contextlib.ExitStack() as files:
        if start:
            stream: Any = files.enter_context(path.open("rb"))
            stream.seek(start)
        else:
            stream = str(path)
        try:
            for record in ArchiveIterator(stream, parse_http=True, auto_decode="none"):
                if held is not None:
                    yield from _settle(held, stats)
                    held = None
                if stop is not None and record.stream_pos >= stop:  # the next span's
                    return None
                last = record.stream_pos
                held = (
                    damaged_record(record, path, name)
                    or skip_reason(record)
                    or record_source(record, path, name, max_bytes)
                )
        except OSError as exc:  # fastwarc reports unreadable, corrupt or cut zstd archives so
            failure = exc
    damage = tail_damage(path, last, checked=failure is not None, start=start)
    if damage is not None and stop is not None and damage.offset >= stop:
        damage = failure = None  # the next span's first record: it is reported there
    if held is not None and (damage is None or damage.offset != last):
        yield from _settle(held, stats)
    if damage is not None:
        yield from _settle(damage.source(path, name), stats)
        after = _next_record(path, damage.offset + 1)
        if after is not None and (stop is None or after < stop):
            return after
    elif failure is not None:
        # fastwarc stopped for a reason found in no gzip member: read on from the next record
        lo = start if last is None else last
        after = _next_record(path, lo + 1)
        if after is not None and stop is not None and after >= stop:
            after = None
        hi = after if after is not None else path.stat().st_size
        problem = DecodeError(f"cannot read archive {path.name} from offset {lo} to {hi}: {failure}")
        yield Source(
            label if after is None and last is None else f"{name}#{lo}-{hi}", str(path), problem=problem
        )
        return after
    return None


def _next_record(path: Path, offset: int) -> int | None:
    """Where reading goes on after a damaged record: the next whole record's offset (None:
    none, or a `.warc.zst`, whose frames are not searched)."""
    lower = path.name.lower()
    if not lower.endswith((".gz", ".warc")):
        return None
    with path.open("rb") as f:
        return gzip_record_start(f, offset) if lower.endswith(".gz") else plain_record_start(f, offset)


def _settle(item: Source | str, stats: ReadStats) -> Iterator[Source]:
    """A source is yielded; a skip reason is counted."""
    if isinstance(item, Source):
        yield item
    else:
        stats.skipped[item] += 1


def damaged_record(record: WarcRecord, path: Path, name: str) -> Source | None:
    """An error source for a record fastwarc read but whose headers are damaged, if it may
    have been an HTML response: its WARC-Type is missing or garbled but its other headers say
    HTML response, or it is an HTTP response whose status line cannot be read."""
    from fastwarc.warc import WarcRecordType

    content_type = (record.headers.get("Content-Type") or "").lower()
    if "msgtype=response" not in content_type or not record.is_http:
        return None
    if record.record_type in (WarcRecordType.no_type, WarcRecordType.unknown):
        if (record.http_content_type or "").lower() not in HTML_TYPES:
            return None
        why = "has no readable WARC-Type"
    elif record.record_type == WarcRecordType.response and record.http_headers.status_code is None:
        why = "has no readable HTTP status line"
    else:
        return None
    offset = record.stream_pos
    url = (record.headers.get("WARC-Target-URI") or "").strip("<> ") or None
    problem = DecodeError(f"damaged archive: the record at offset {offset} {why}")
    return Source(f"{name}#{offset}", f"{path}#{offset}", InputKind.HTML, url=url, problem=problem)


def skip_reason(record: WarcRecord) -> str | None:
    """Why a record is not an input, or None for an HTML response."""
    from fastwarc.warc import WarcRecordType

    if record.record_type != WarcRecordType.response:
        return str(record.record_type)
    if not record.is_http:
        return "not HTTP"
    status = record.http_headers.status_code
    if status is None or not 200 <= status < 300:
        return f"status {status}"
    content_type = (record.http_content_type or "").lower()
    if content_type not in HTML_TYPES:
        return content_type or "no content type"
    return None


def record_source(record: WarcRecord, path: Path, name: str, max_bytes: int) -> Source:
    offset = record.stream_pos
    url = (record.headers.get("WARC-Target-URI") or "").strip("<> ") or None
    http = record.http_headers
    fetch = FetchInfo(http_status=http.status_code, fetched_at=record.headers.get("WARC-Date"))
    source = Source(
        f"{name}#{offset}",
        f"{path}#{offset}",
        InputKind.HTML,
        url=url,
        charset=record.http_charset,
        fetch=fetch,
    )
    try:
        raw = read_payload(record, max_bytes)
        body = http_body(raw, http.get("Transfer-Encoding"), http.get("Content-Encoding"), max_bytes)
    except InputError as exc:
        return Source(source.id, source.origin, source.kind, url=url, problem=exc, fetch=fetch)
    return Source(source.id, source.origin, source.kind, body, url, charset=source.charset, fetch=fetch)


def read_payload(record: WarcRecord, max_bytes: int) -> bytes:
    chunks, size = [], 0
    while size <= max_bytes:
        chunk = record.reader.read(max_bytes + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > max_bytes:
        raise InputTooLarge(f"HTTP body larger than {max_bytes} bytes")
    return b"".join(chunks)


def http_body(raw: bytes, transfer: str | None, encoding: str | None, max_bytes: int) -> bytes:
    """The entity body: transfer coding, then content codings (last applied, first undone)."""
    body = dechunk(raw) if transfer and "chunked" in transfer.lower() else raw
    for coding in reversed([c.strip().lower() for c in (encoding or "").split(",") if c.strip()]):
        body = decompress(body, coding, max_bytes)
    return body


def dechunk(data: bytes) -> bytes:
    """Undo chunked transfer coding; a body that does not start with a chunk header was
    stored de-chunked already (many archivers do that and keep the header), so it is kept."""
    out, pos = bytearray(), 0
    while True:
        eol = data.find(b"\n", pos)
        header = data[pos : eol if eol >= 0 else len(data)].split(b";")[0].strip()
        try:
            size = int(header, 16)
        except ValueError:
            if pos == 0:
                return data
            raise DecodeError("malformed chunked HTTP body") from None
        if size == 0 or eol < 0:
            return bytes(out)
        out += data[eol + 1 : eol + 1 + size]
        pos = eol + 1 + size
        pos += 2 if data[pos : pos + 2] == b"\r\n" else 1
        if pos >= len(data):  # truncated record: keep what arrived
            return bytes(out)


def _gunzip(data: bytes, limit: int) -> bytes:
    return zlib.decompressobj(wbits=47).decompress(data, limit)  # 47: gzip or zlib header


def _inflate(data: bytes, limit: int) -> bytes:
    wbits = 15 if data[:1] == b"\x78" else -15  # servers send zlib-wrapped or raw deflate
    return zlib.decompressobj(wbits=wbits).decompress(data, limit)


def _unbrotli(data: bytes, limit: int) -> bytes:
    import brotli  # a dependency of fastwarc

    # bounded like zlib's max_length: a brotli bomb stops at `limit` bytes
    return bytes(brotli.Decompressor().process(data, output_buffer_limit=limit))


_DECODERS = {"gzip": _gunzip, "x-gzip": _gunzip, "deflate": _inflate, "br": _unbrotli}


def decompress(data: bytes, coding: str, max_bytes: int) -> bytes:
    """Undo one content coding. A body that already looks like markup was stored decoded
    (some archivers keep the header), so it is kept as it is."""
    if coding in ("identity", "none") or data.lstrip()[:1] == b"<":
        return data
    decoder = _DECODERS.get(coding)
    if decoder is None:
        raise DecodeError(f"unsupported Content-Encoding {coding!r}")
    try:
        out = decoder(data, max_bytes + 1)
    except Exception as exc:  # zlib.error, brotli.error: translated where they enter
        raise DecodeError(f"cannot undo Content-Encoding {coding}: {exc}") from exc
    if len(out) > max_bytes:
        raise InputTooLarge(f"decoded HTTP body larger than {max_bytes} bytes")
    return out
