"""JSONL streams of pages: one `{id, url?, html | text}` object per line, on stdin or in files.

A line is one input whatever it holds: a line that is not a JSON object, is nested too deep
for the parser, or is longer than a page may be (`line_limit`) becomes a source carrying
the problem, and the lines after it are read as usual.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from cleaner.errors import DecodeError, InputTooLarge, UnsupportedInput
from cleaner.read.source import InputKind, Source

#: JSON escapes make a line longer than the page it carries: `\u00e9` is six characters for
#: two bytes of UTF-8, `\"` two for one. Three times covers any page but one of controls.
_ESCAPE_FACTOR = 3
_SKIP_CHUNK = 1 << 20


def line_limit(max_bytes: int) -> int:
    """The longest line (in characters) that may hold a page of `max_bytes`."""
    return _ESCAPE_FACTOR * max_bytes + 4096


def parse_json_line(line: str, number: int, stream: str = "stdin", max_bytes: int | None = None) -> Source:
    """One JSONL object `{id, url?, html | text}` as a Source; without a string or integer
    id, `line-N` (`<stream>:line-N` in a file)."""
    origin = f"{stream}:{number}"
    fallback_id = _fallback_id(number, stream)
    try:
        obj: Any = json.loads(line)
    except ValueError as exc:
        return Source(fallback_id, origin, problem=UnsupportedInput(f"not JSON: {exc}"))
    except RecursionError:
        return Source(fallback_id, origin, problem=UnsupportedInput("not JSON we can read: nested too deep"))
    if not isinstance(obj, dict):
        return Source(fallback_id, origin, problem=UnsupportedInput("not a JSON object"))
    return object_source(obj, object_id(obj, fallback_id), origin, max_bytes)


def _fallback_id(number: int, stream: str) -> str:
    return f"line-{number}" if stream == "stdin" else f"{stream}:line-{number}"


def object_id(obj: Mapping[str, Any], fallback: str) -> str:
    """An object's `id` if it is a non-empty string or an integer, else `fallback`: `null`,
    `true` or a list would make ids like `None` that many lines share."""
    value = obj.get("id")
    if isinstance(value, str) and value:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return fallback


def object_source(obj: Mapping[str, Any], id: str, origin: str, max_bytes: int | None = None) -> Source:
    """An object `{url?, html | text}` (a JSONL line, a Ray Data row) as a Source: `html`
    first, then `text`; strings and bytes (numpy's str_/bytes_ become plain ones). A page
    over `max_bytes` (in UTF-8) gets `InputTooLarge`."""
    url = str(obj["url"]) if isinstance(obj.get("url"), str) else None
    for key, kind in (("html", InputKind.HTML), ("text", InputKind.TEXT)):
        value = obj.get(key)
        if isinstance(value, str | bytes):
            data = str(value) if isinstance(value, str) else bytes(value)
            if max_bytes is not None and _utf8_size(data, max_bytes) > max_bytes:
                too_large = InputTooLarge(f"{key!r} is larger than {max_bytes} bytes")
                return Source(id, origin, kind, url=url, problem=too_large)
            return Source(id, origin, kind, data, url)
    problem = UnsupportedInput("object has neither an 'html' nor a 'text' string")
    return Source(id, origin, url=url, problem=problem)


def _utf8_size(data: str | bytes, limit: int) -> int:
    """The size of `data` in UTF-8, counted exactly only when it may be near `limit`."""
    if isinstance(data, bytes) or len(data) > limit or 4 * len(data) <= limit:
        return len(data)
    return len(data.encode("utf-8", errors="surrogatepass"))


def iter_jsonl(stream: IO[str], name: str = "stdin", max_bytes: int | None = None) -> Iterator[Source]:
    """Sources from a JSONL stream, one per non-blank line. A line longer than
    `line_limit(max_bytes)` is not read into memory whole but refused (`InputTooLarge`) and
    skipped; one that goes on for as long again (a decompression bomb) ends the stream, with
    an error source (id `name`) for the rest of it."""
    limit = line_limit(max_bytes) if max_bytes is not None else -1
    number = 0
    while line := stream.readline(limit):
        number += 1
        if limit > 0 and len(line) >= limit and not line.endswith("\n"):
            problem = InputTooLarge(f"line {number} is longer than {limit} characters")
            yield Source(_fallback_id(number, name), f"{name}:{number}", problem=problem)
            if not _skip_line(stream, limit):
                rest = InputTooLarge(
                    f"line {number} goes on for more than {2 * limit} characters; not read on"
                )
                yield Source(name, name, problem=rest)
                return
        elif line.strip():
            yield parse_json_line(line, number, name, max_bytes)


def _skip_line(stream: IO[str], budget: int) -> bool:
    """Read on to the end of the current line, a chunk at a time, for at most `budget`
    characters; whether its end was found (or the stream's)."""
    while budget > 0:
        chunk = stream.readline(min(_SKIP_CHUNK, budget))
        if not chunk or chunk.endswith("\n"):
            return True
        budget -= len(chunk)
    return False


def is_jsonl(path: Path) -> bool:
    return path.name.lower().endswith((".jsonl", ".jsonl.gz"))


def iter_jsonl_file(path: Path, name: str, max_bytes: int | None = None) -> Iterator[Source]:
    """The objects of a `.jsonl` file (gzip allowed) found among the inputs."""
    try:
        with path.open("rb") as raw:
            gzipped = raw.read(2) == b"\x1f\x8b"
        opener = gzip.open if gzipped else open
        with opener(path, "rt", encoding="utf-8", errors="replace") as stream:
            yield from iter_jsonl(stream, name, max_bytes)
    except (OSError, EOFError, zlib.error) as exc:
        yield Source(name, str(path), problem=DecodeError(f"cannot read {path.name}: {exc}"))
