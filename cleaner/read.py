"""Where pages are read: files, folders (recursively, sorted) and JSONL streams.

Reading never raises for a bad input: a file we cannot read or do not handle becomes a
`Source` carrying the problem, so the batch still yields one record for it.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from cleaner.errors import CleanerError, DecodeError, InputError, InputTooLarge, UnsupportedInput


class InputKind(StrEnum):
    HTML = "html"
    TEXT = "text"


_SUFFIX_KINDS = {
    ".html": InputKind.HTML,
    ".htm": InputKind.HTML,
    ".xhtml": InputKind.HTML,
    ".txt": InputKind.TEXT,
    ".md": InputKind.TEXT,
}


@dataclass(frozen=True, slots=True)
class Source:
    """One input, read but not yet decoded or cleaned."""

    id: str
    origin: str
    kind: InputKind | None = None
    data: bytes | str | None = None
    url: str | None = None
    problem: CleanerError | None = None


def kind_of(path: Path) -> InputKind | None:
    """The input kind a file name says, looking through a `.gz` suffix."""
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return _SUFFIX_KINDS.get(suffixes[-1]) if suffixes else None


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """A file's bytes, gunzipped if it is gzip; more than `max_bytes` raises InputTooLarge."""
    try:
        with path.open("rb") as raw:
            if raw.read(2) == b"\x1f\x8b":
                raw.seek(0)
                with gzip.GzipFile(fileobj=raw) as unzipped:
                    data = unzipped.read(max_bytes + 1)
            else:
                raw.seek(0)
                data = raw.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        # gzip reports corrupt or truncated archives as OSError/EOFError/zlib.error
        raise DecodeError(f"cannot read {path.name}: {exc}") from exc
    if len(data) > max_bytes:
        raise InputTooLarge(f"{path.name} is larger than {max_bytes} bytes")
    return data


def read_file(path: Path, id: str, max_bytes: int) -> Source:
    origin = str(path)
    kind = kind_of(path)
    if kind is None:
        problem = UnsupportedInput(f"unsupported file type: {path.name!r}")
        return Source(id, origin, problem=problem)
    try:
        return Source(id, origin, kind, read_bytes(path, max_bytes))
    except InputError as exc:
        return Source(id, origin, kind, problem=exc)


def walk(folder: Path) -> Iterator[Path]:
    """Every file under `folder`, recursively, in sorted order; hidden entries are skipped."""
    entries = sorted(folder.iterdir(), key=lambda p: p.name)
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from walk(entry)
        elif entry.is_file():
            yield entry


def iter_paths(paths: Iterable[Path], max_bytes: int) -> Iterator[Source]:
    """Sources for files and folders; a folder's files get ids relative to the folder.

    A `.jsonl` file is a stream of pages, one source per object, like a stream on stdin.
    """
    for path in paths:
        if not path.exists():
            yield Source(path.as_posix(), str(path), problem=InputError(f"no such file: {path}"))
        for file, name in _named_files(path):
            if is_jsonl(file):
                yield from iter_jsonl_file(file, name)
            else:
                yield read_file(file, name, max_bytes)


def _named_files(path: Path) -> Iterator[tuple[Path, str]]:
    if path.is_dir():
        for file in walk(path):
            yield file, file.relative_to(path).as_posix()
    elif path.is_file():
        yield path, path.as_posix()


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
    id = str(obj.get("id", fallback_id))
    url = obj.get("url") if isinstance(obj.get("url"), str) else None
    for key, kind in (("html", InputKind.HTML), ("text", InputKind.TEXT)):
        if isinstance(obj.get(key), str):
            return Source(id, origin, kind, obj[key], url)
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
