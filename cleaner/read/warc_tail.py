"""The tail of a web archive that may have been cut off (a crawler killed mid-write).

A cut-off archive (a crawler killed mid-write) is not a silent loss. fastwarc stops quietly at
a damaged gzip member, hands over a cut plain-WARC record as if it were whole, and raises for
a cut zstd frame; so once it stops, only the tail is checked, from the last record it gave us:
that record must hold all its Content-Length bytes, and nothing may follow it. The damaged
record becomes one error source (id `<name>#<its offset>`, DecodeError "truncated archive")
if it was or may have been an HTML response; if its headers are readable and say it was not
(a request, an image, a 404...), it is counted as skipped (`truncated`), like any such record.
A record whose bytes all arrived is whole even if its gzip trailer was cut. Archives
compressed as one stream rather than record by record cannot be checked this cheaply, and
are not.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cleaner.errors import DecodeError
from cleaner.read.source import InputKind, Source

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})

_HEAD = 1 << 20  # decoded bytes kept of a record: its WARC and HTTP headers, whatever their size
_CHUNK = 1 << 16
_SLACK = 64  # blank lines a writer may leave between records


@dataclass(frozen=True, slots=True)
class _Member:
    """One record's stretch of the archive file: a gzip member, a zstd frame, or plain bytes."""

    start: int
    head: bytes  # its first decoded bytes (up to _HEAD)
    size: int  # decoded bytes available
    end: int | None  # file offset after it; None when the file ends inside it


@dataclass(frozen=True, slots=True)
class Damage:
    """The record a cut-off archive damaged: where it starts, what is left of it, and why."""

    offset: int
    head: bytes
    why: str

    def source(self, path: Path, name: str) -> Source | str:
        """An error source if the record was or may have been an HTML response, else the
        reason it is skipped."""
        fields = warc_fields(self.head)
        if not may_be_html(self.head):
            return "truncated"
        url = (fields.get("warc-target-uri") or "").strip("<> ") or None
        problem = DecodeError(f"truncated archive: the record at offset {self.offset} {self.why}")
        origin = f"{path}#{self.offset}"
        return Source(f"{name}#{self.offset}", origin, InputKind.HTML, url=url, problem=problem)


class _Unchecked(Exception):
    """The tail cannot be checked cheaply (not one member per record): it is left alone."""


def tail_damage(path: Path, last: int | None, *, checked: bool, start: int = 0) -> Damage | None:
    """The damaged record at the end of an archive read from offset `start`, if any, looking
    only at the last record fastwarc gave (at offset `last`) and what follows it. `checked`:
    fastwarc already found the stream broken, which it does reliably for zstd only, so zstd
    is inspected only then."""
    suffix = path.name.lower().rpartition(".")[2]
    if suffix == "zst" and not checked:
        return None
    members = {"gz": _gzip_members, "zst": _zstd_members}.get(suffix, _plain_members)
    try:
        with path.open("rb") as f:
            for member in members(f, start if last is None else last):
                length = record_length(member.head)
                if member.start != last:  # fastwarc did not give this record
                    why = "was not readable (cut or corrupt)"
                    if length is not None and member.size < length:
                        why = f"is cut short ({member.size} of {length} bytes)"
                    return Damage(member.start, member.head, why)
                if length is None and member.end is not None:
                    raise _Unchecked  # fastwarc read headers we cannot: not ours to judge
                if length is None or member.size < length:
                    got = f"{member.size} of {length} bytes" if length else "its headers did not arrive whole"
                    return Damage(member.start, member.head, f"is cut short ({got})")
                if member.end is None:  # all its bytes arrived, only the gzip/zstd end is cut
                    return None
    except (OSError, _Unchecked):
        return None
    return None


_GZIP_MAGIC = b"\x1f\x8b\x08"  # a gzip member's first bytes (deflate is the only method)


def gzip_record_start(f: BinaryIO, offset: int) -> int | None:
    """The first offset at or after `offset` where a gzip member holding one whole WARC record
    begins (None: none before the end). Candidates are the gzip magic bytes; inside
    compressed data, and in incompressible payloads that gzip stores as they are, those also
    turn up, so a candidate counts only if it decompresses to a whole record."""
    pos = offset
    while True:
        f.seek(pos)
        chunk = f.read(_CHUNK)
        found = chunk.find(_GZIP_MAGIC)
        if found < 0:
            if len(chunk) < _CHUNK:
                return None
            pos += len(chunk) - len(_GZIP_MAGIC) + 1  # the magic may straddle two chunks
            continue
        pos += found
        if _holds_a_record(f, pos):
            return pos
        pos += 1


_WARC_LINE = b"WARC/1."


def plain_record_start(f: BinaryIO, offset: int) -> int | None:
    """The first offset at or after `offset` where a record of a plain `.warc` begins: a
    `WARC/1.x` version line with whole headers that give its length (None: none before the
    end). Garbage, or the rest of a record cut short, is passed over."""
    pos = offset
    while True:
        f.seek(pos)
        chunk = f.read(_CHUNK)
        found = chunk.find(_WARC_LINE)
        if found < 0:
            if len(chunk) < _CHUNK:
                return None
            pos += len(chunk) - len(_WARC_LINE) + 1  # the line may straddle two chunks
            continue
        pos += found
        f.seek(pos)
        if record_length(f.read(_HEAD)) is not None:
            return pos
        pos += 1


def _holds_a_record(f: BinaryIO, pos: int) -> bool:
    try:
        member = next(_gzip_members(f, pos))
    except (_Unchecked, zlib.error, StopIteration):  # more than one record, or none
        return False
    length = record_length(member.head)
    whole = member.end is not None and length is not None and member.size >= length
    return whole and member.head.startswith(b"WARC/")


def first_member(path: Path) -> _Member | None:
    """The first gzip member of a `.warc.gz` if it is whole and holds one record (None if not,
    as in an archive compressed as one stream)."""
    try:
        with path.open("rb") as f:
            member = next(_gzip_members(f, 0), None)
    except (OSError, _Unchecked):
        return None
    return member if member is not None and member.end is not None else None


def record_length(head: bytes) -> int | None:
    """A record's length from its WARC headers (headers, blank line, Content-Length bytes),
    or None if the headers are cut or have no Content-Length."""
    end = head.find(b"\r\n\r\n")
    if end < 0:
        return None
    try:
        return end + 4 + int(warc_fields(head).get("content-length", ""))
    except ValueError:
        return None


def warc_fields(head: bytes) -> dict[str, str]:
    """The WARC header fields of a record's first bytes, names lower-cased; empty if cut."""
    block, sep, _ = head.partition(b"\r\n\r\n")
    return _fields(block.split(b"\r\n")[1:]) if sep else {}


def may_be_html(head: bytes) -> bool:
    """Whether a damaged record was, or may have been, an HTML response: only headers that
    arrived whole and say otherwise (see `skip_reason`) make it not an input."""
    fields = warc_fields(head)
    if not fields or not head.startswith(b"WARC/"):  # cut, or not headers we can trust
        return True
    if fields.get("warc-type") != "response" or "application/http" not in fields.get("content-type", ""):
        return False
    http, sep, _ = head.partition(b"\r\n\r\n")[2].partition(b"\r\n\r\n")
    if not sep or not http.startswith(b"HTTP/"):  # cut, or unreadable: it may have been
        return True
    status_line, *lines = http.split(b"\r\n")
    status = status_line.split()[1:2]
    content_type = _fields(lines).get("content-type", "").split(";")[0].strip().lower()
    ok = bool(status) and status[0].isdigit() and 200 <= int(status[0]) < 300
    return ok and content_type in HTML_TYPES


def _fields(lines: list[bytes]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in lines:
        name, sep, value = line.decode("latin-1").partition(":")
        if sep:  # the first of a name counts: the WARC headers, if the HTTP ones run on from them
            fields.setdefault(name.strip().lower(), value.strip())
    return fields


def _plain_members(f: BinaryIO, offset: int) -> Iterator[_Member]:
    size = f.seek(0, io.SEEK_END)
    start = offset
    while True:
        f.seek(start)
        head = f.read(_HEAD)
        if not head.strip():  # the end, or only blank lines
            return
        length = record_length(head)
        if length is None or start + length > size:
            yield _Member(start, head, size - start, None)
            return
        yield _Member(start, head, length, start + length)
        f.seek(start + length)
        gap = f.read(_SLACK)
        start += length + len(gap) - len(gap.lstrip(b"\r\n"))


def _gzip_members(f: BinaryIO, offset: int) -> Iterator[_Member]:
    f.seek(offset)
    start, data = offset, f.read(_CHUNK)
    if len(data) > 1 and data[:2] != b"\x1f\x8b":  # fastwarc's offsets are not members' offsets
        raise _Unchecked
    while data:
        inflate, head, size = zlib.decompressobj(wbits=31), bytearray(), 0
        try:
            while not inflate.eof:
                more = data or f.read(_CHUNK)
                out = inflate.decompress(more, _CHUNK) if more else inflate.flush()
                data = inflate.unconsumed_tail
                head += out[: _HEAD - len(head)]
                size += len(out)
                _one_record(head, size)
                if not more:
                    break
        except zlib.error:  # a cut or corrupt member: what it gave so far is all there is
            pass
        if not inflate.eof:
            yield _Member(start, bytes(head), size, None)
            return
        end = f.tell() - len(inflate.unused_data)
        yield _Member(start, bytes(head), size, end)
        # read from the member's start: what a corrupt member gives depends on where reads begin
        f.seek(end)
        start, data = end, f.read(_CHUNK)


def _zstd_members(f: BinaryIO, offset: int) -> Iterator[_Member]:
    from fastwarc.stream_io import ZstdReader

    size, start = f.seek(0, io.SEEK_END), offset
    while start < size:
        end, skippable = _zstd_frame_end(f, start, size)
        if skippable:  # a dictionary or padding frame, not a record
            start = size if end is None else end
            continue
        f.seek(start)
        reader, head, total = ZstdReader(_Window(f, end or size)), bytearray(), 0
        try:
            while chunk := reader.read(1024):  # small reads: a failing read loses its bytes
                head += chunk[: _HEAD - len(head)]
                total += len(chunk)
                _one_record(head, total)
        except OSError:  # a cut frame: zstd gives little or nothing of its last block
            pass
        yield _Member(start, bytes(head), total, end)
        if end is None:
            return
        start = end


def _zstd_frame_end(f: BinaryIO, start: int, size: int) -> tuple[int | None, bool]:
    """Where the zstd frame at `start` ends (None if the file ends first), found by walking
    its block headers without decompressing; and whether it is a skippable frame."""
    f.seek(start)
    header = f.read(18)
    magic = int.from_bytes(header[:4], "little")
    if magic & 0xFFFFFFF0 == 0x184D2A50 and len(header) >= 8:
        end = start + 8 + int.from_bytes(header[4:8], "little")
        return (end if end <= size else None), True
    if magic != 0xFD2FB528 or len(header) < 5:
        return None, False
    descriptor = header[4]
    single_segment, checksum = descriptor >> 5 & 1, descriptor >> 2 & 1
    pos = start + 5 + (1 - single_segment) + (0, 1, 2, 4)[descriptor & 3]
    pos += (single_segment, 2, 4, 8)[descriptor >> 6]
    last = 0
    while not last and pos + 3 <= size:
        f.seek(pos)
        block = int.from_bytes(f.read(3), "little")
        last, kind = block & 1, block >> 1 & 3
        pos += 3 + (1 if kind == 1 else block >> 3)  # an RLE block stores one byte
    pos += 4 * checksum
    return (pos if last and pos <= size else None), False


class _Window:
    """The file from its current position up to `end`: one zstd frame for fastwarc's reader."""

    def __init__(self, f: BinaryIO, end: int) -> None:
        self.f, self.end = f, end

    def read(self, n: int = -1) -> bytes:
        left = max(0, self.end - self.f.tell())
        return self.f.read(left if n < 0 else min(n, left))

    def tell(self) -> int:
        return self.f.tell()

    def seek(self, pos: int, whence: int = 0) -> int:
        return self.f.seek(pos, whence)

    def close(self) -> None:
        pass


def _one_record(head: bytearray, size: int) -> None:
    """Stop decoding a member that holds more than one record (a whole archive compressed as
    one stream): it cannot be checked without decompressing all of it."""
    length = record_length(bytes(head[:_CHUNK]))
    if (length is None and size >= _HEAD) or (length is not None and size > length + _SLACK):
        raise _Unchecked
