"""The output of a resumable run: the URL list in (read as it is fetched), and the JSONL file
that survives `kill -9`.

Each record is appended with a single `write` on an `O_APPEND` descriptor, so a killed run
leaves at most one torn last line. On start, `resume` reads what is there, drops a torn last
line, corrupt lines, duplicates and the retryable errors that are about to be retried, and
rewrites the file atomically (temporary file, fsync, rename) when anything was dropped.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import io
import json
import os
import stat
import threading
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from cleaner.fetch.fetcher import Validators
from cleaner.record import Document
from cleaner.write import JsonLine, line_of

# URLs a thread reading a pipe hands over ahead of the fetcher, at most.
_HANDOFF = 256


def read_urls(lines: Iterable[str]) -> Iterator[str]:
    """The URLs of a list as it is read: one per line, blank lines and `#` comments skipped
    (a URL listed twice comes twice: the fetcher takes each once)."""
    for line in lines:
        url = line.strip()
        if url and not url.startswith("#"):
            yield url


async def list_urls(lines: IO[str]) -> AsyncIterator[str]:
    """`read_urls` from a file, without holding up the event loop: a regular file is read in
    place; a pipe or terminal, which may make us wait for its next line, by a thread of ours."""
    urls = read_urls(lines)
    if _is_regular(lines):
        for url in urls:
            yield url
        return
    loop = asyncio.get_running_loop()
    handed: asyncio.Queue[str | Exception | None] = asyncio.Queue(maxsize=_HANDOFF)

    def hand(item: str | Exception | None) -> None:
        asyncio.run_coroutine_threadsafe(handed.put(item), loop).result()

    def feed() -> None:
        try:
            try:
                for url in urls:
                    hand(url)
            except Exception as exc:  # an unreadable list: raised where the URLs are taken
                hand(exc)
            else:
                hand(None)
        except (RuntimeError, asyncio.CancelledError, concurrent.futures.CancelledError):
            pass  # the run ended (its loop is closed) before the list did

    # A daemon thread: one blocked on a pipe that never ends does not keep the process alive.
    threading.Thread(target=feed, name="cleaner-url-list", daemon=True).start()
    while (item := await handed.get()) is not None:
        if isinstance(item, Exception):
            raise item
        yield item


def _is_regular(stream: IO[str]) -> bool:
    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (OSError, ValueError, io.UnsupportedOperation):
        return False


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
