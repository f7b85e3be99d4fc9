"""The output of a resumable run: the URL list in, and the JSONL file that survives `kill -9`.

Each record is appended with a single `write` on an `O_APPEND` descriptor, so a killed run
leaves at most one torn last line. On start, `resume` reads what is there, drops a torn last
line, corrupt lines, duplicates and the retryable errors that are about to be retried, and
rewrites the file atomically (temporary file, fsync, rename) when anything was dropped.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleaner.fetch.fetcher import Validators
from cleaner.record import Document
from cleaner.write import JsonLine, line_of


def read_urls(lines: Iterable[str]) -> list[str]:
    """The URLs of a list: one per line, blank lines and `#` comments skipped, each URL once."""
    seen: dict[str, None] = {}
    for line in lines:
        url = line.strip()
        if url and not url.startswith("#"):
            seen.setdefault(url, None)
    return list(seen)


def read_validators(path: Path) -> dict[str, Validators]:
    """From a previous run's output: the validators of each page it got (ok, empty or
    not_modified, with an ETag or Last-Modified), by id; a later record of an id wins."""
    known: dict[str, Validators] = {}
    for _, record in _records(path):
        if record is None or record.get("status") not in ("ok", "empty", "not_modified"):
            continue
        etag, modified, final = record.get("etag"), record.get("last_modified"), record.get("final_url")
        if isinstance(final, str) and (isinstance(etag, str) or isinstance(modified, str)):
            known[record["id"]] = Validators(final, etag if isinstance(etag, str) else None,
                                             modified if isinstance(modified, str) else None)  # fmt: skip
    return known


@dataclass(frozen=True, slots=True)
class ResumeState:
    done: frozenset[str] = frozenset()  # ids with a final record: not fetched again
    failed: frozenset[str] = frozenset()  # ids among `done` whose record is a (permanent) error
    dropped: int = 0  # lines removed: torn, corrupt, duplicate, or an error to retry


def is_final(record: dict[str, Any], retry_failed: bool) -> bool:
    """ok, empty and not_modified records are final; errors are final when permanent, unless
    retrying them."""
    if record.get("status") in ("ok", "empty", "not_modified"):
        return True
    error = record.get("error") or {}
    return record.get("status") == "error" and not retry_failed and not error.get("retryable", False)


def _records(path: Path) -> Iterator[tuple[bytes, dict[str, Any] | None]]:
    """Each line with its parsed record; None for a torn (unterminated) or corrupt line."""
    with path.open("rb") as fh:
        for line in fh:
            if not line.endswith(b"\n"):
                yield line, None  # the write a kill interrupted
                continue
            try:
                record = json.loads(line)
            except ValueError:
                record = None
            yield line, record if isinstance(record, dict) and isinstance(record.get("id"), str) else None


def resume(path: Path, retry_failed: bool = False) -> ResumeState:
    """Make `path` hold only final records, one per id, and say which ids they are."""
    if not path.exists():
        return ResumeState()
    done: set[str] = set()
    failed: set[str] = set()
    dropped = 0
    for _, record in _records(path):
        if record is None or record["id"] in done or not is_final(record, retry_failed):
            dropped += 1
            continue
        done.add(record["id"])
        if record.get("status") == "error":
            failed.add(record["id"])
    if dropped:
        _rewrite(path, retry_failed)
    return ResumeState(frozenset(done), frozenset(failed), dropped)


def _rewrite(path: Path, retry_failed: bool) -> None:
    tmp = path.with_name(f".{path.name}.resume-tmp")
    kept: set[str] = set()
    with tmp.open("wb") as out:
        for line, record in _records(path):
            if record is not None and record["id"] not in kept and is_final(record, retry_failed):
                kept.add(record["id"])
                out.write(line)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class AppendingJsonl:
    """A JSONL file that only ever grows by whole lines: one `os.write` per record."""

    def __init__(self, path: Path) -> None:
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def write(self, doc: Document | JsonLine) -> None:
        data = memoryview(line_of(doc).encode("utf-8"))
        while data:  # a regular file takes it in one go; loop in case it does not
            data = data[os.write(self._fd, data) :]

    def close(self) -> None:
        os.close(self._fd)
