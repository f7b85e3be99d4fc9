"""JSONL streams of pages: one `{id, url?, html | text}` object per line, on stdin or in files."""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from cleaner.errors import DecodeError, UnsupportedInput
from cleaner.read.source import InputKind, Source


def parse_json_line(line: str, number: int, stream: str = "stdin") -> Source:
    """One JSONL object `{id, url?, html | text}` as a Source; without an id, `line-N`."""
    origin = f"{stream}:{number}"
    fallback_id = f"line-{number}" if stream == "stdin" else f"{stream}:line-{number}"
    try:
        obj: Any = json.loads(line)
    except ValueError as exc:
        return Source(fallback_id, origin, problem=UnsupportedInput(f"not JSON: {exc}"))
    if not isinstance(obj, dict):
        return Source(fallback_id, origin, problem=UnsupportedInput("not a JSON object"))
    return object_source(obj, str(obj.get("id", fallback_id)), origin)


def object_source(obj: Mapping[str, Any], id: str, origin: str) -> Source:
    """An object `{url?, html | text}` (a JSONL line, a Ray Data row) as a Source: `html`
    first, then `text`; strings and bytes (numpy's str_/bytes_ become plain ones)."""
    url = str(obj["url"]) if isinstance(obj.get("url"), str) else None
    for key, kind in (("html", InputKind.HTML), ("text", InputKind.TEXT)):
        value = obj.get(key)
        if isinstance(value, str | bytes):
            data = str(value) if isinstance(value, str) else bytes(value)
            return Source(id, origin, kind, data, url)
    problem = UnsupportedInput("object has neither an 'html' nor a 'text' string")
    return Source(id, origin, url=url, problem=problem)


def iter_jsonl(stream: IO[str], name: str = "stdin") -> Iterator[Source]:
    """Sources from a JSONL stream, one per non-blank line."""
    for number, line in enumerate(stream, start=1):
        if line.strip():
            yield parse_json_line(line, number, name)


def is_jsonl(path: Path) -> bool:
    return path.name.lower().endswith((".jsonl", ".jsonl.gz"))


def iter_jsonl_file(path: Path, name: str) -> Iterator[Source]:
    """The objects of a `.jsonl` file (gzip allowed) found among the inputs."""
    try:
        with path.open("rb") as raw:
            gzipped = raw.read(2) == b"\x1f\x8b"
        opener = gzip.open if gzipped else open
        with opener(path, "rt", encoding="utf-8", errors="replace") as stream:
            yield from iter_jsonl(stream, name)
    except (OSError, EOFError, zlib.error) as exc:
        yield Source(name, str(path), problem=DecodeError(f"cannot read {path.name}: {exc}"))
