"""Files and folders: page files, and the input files a run is made of.

A folder is walked recursively in sorted order; each file in it is an `InputFile`, the unit a
resumed run skips or redoes. A page file is one source; a JSONL file or web archive is a
stream of sources. Reading never raises for a bad input: a file we cannot read or do not
handle becomes a `Source` carrying the problem, so the batch still yields one record for it.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cleaner.errors import DecodeError, InputError, InputTooLarge, UnsupportedInput
from cleaner.read.jsonl import is_jsonl, iter_jsonl_file
from cleaner.read.source import InputKind, ReadStats, Source
from cleaner.read.warc import is_warc, iter_warc_file

_SUFFIX_KINDS = {
    ".html": InputKind.HTML,
    ".htm": InputKind.HTML,
    ".xhtml": InputKind.HTML,
    ".txt": InputKind.TEXT,
    ".md": InputKind.TEXT,
}


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file named on the command line or found in a folder; `name` is its id (or the
    prefix of its records' ids): the path relative to the folder, or the path as given."""

    path: Path
    name: str


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


def input_files(paths: Iterable[Path]) -> Iterator[InputFile]:
    """The input files of a run, in order; a missing path is one too (it yields an error)."""
    for path in paths:
        if path.is_dir():
            for file in walk(path):
                yield InputFile(file, file.relative_to(path).as_posix())
        else:
            yield InputFile(path, path.as_posix())


def iter_file(
    file: InputFile, max_bytes: int, stats: ReadStats | None = None, span: tuple[int, int] | None = None
) -> Iterator[Source]:
    """The sources of one input file: one for a page file, one per object or HTML record for
    a JSONL file or a web archive (those of one `span` of it, see `warc_spans`)."""
    path, name = file.path, file.name
    if not path.exists():
        yield Source(name, str(path), problem=InputError(f"no such file: {path}"))
    elif is_jsonl(path):
        yield from iter_jsonl_file(path, name, max_bytes)
    elif is_warc(path):
        yield from iter_warc_file(path, name, max_bytes, stats if stats is not None else ReadStats(), span)
    else:
        yield read_file(path, name, max_bytes)


def iter_paths(paths: Iterable[Path], max_bytes: int, stats: ReadStats | None = None) -> Iterator[Source]:
    """Sources for files and folders; a folder's files get ids relative to the folder.

    A `.jsonl` file is a stream of pages, one source per object, like a stream on stdin; a
    web archive (`.warc`, `.warc.gz`, `.warc.zst`) one source per HTML response record.
    """
    for file in input_files(paths):
        yield from iter_file(file, max_bytes, stats)
