"""Cleaning fetched pages off the event loop: in worker processes, or in one thread.

The fetcher awaits `cleaning.clean(source)`, and gets one record back whatever happens.

- `ProcessCleaning` (what `cleaner fetch` uses) hands pages to the `WorkerPool` that
  `cleaner clean` uses, through a thread of ours that feeds it and collects from it. Pages
  are cleaned on every core, each within the pool's deadline (`Options.timeout`) and memory
  ceiling; a page that runs over gets a `timeout` or `too_large` record and one that kills
  its worker a `worker_died` record, while fetching goes on.
- `ThreadCleaning` (the default for library calls, `FetchOptions.clean_workers = 0`) runs the
  cleaner in one thread beside the event loop: no processes started behind the caller's
  back, but the cleaner holds the GIL while it works, so this is one core at most, and a
  runaway page cannot be stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import queue
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import fields, replace
from typing import TYPE_CHECKING, Protocol

from cleaner.batch import clean_source
from cleaner.errors import CleanerError
from cleaner.options import Options
from cleaner.read import Source
from cleaner.record import Document, FetchInfo
from cleaner.rulesets import check_rules
from cleaner.workers import Encoder, WorkerPool
from cleaner.write import JsonLine

if TYPE_CHECKING:  # a fetch that cleans in worker processes never imports the pipeline
    from cleaner.pipeline import Cleaner

Record = Document | JsonLine
_FETCH_FIELDS = tuple(f.name for f in fields(FetchInfo))


class Cleaning(Protocol):
    async def clean(self, source: Source) -> Record: ...
    def close(self) -> None: ...


def rules_digest(cleaner: Cleaner | Options) -> str:
    """The digest on the records of pages cleaned by `cleaner`, or by a Cleaner built from
    these options (from the rule files: raises RulesError for a bad one)."""
    return check_rules(cleaner) if isinstance(cleaner, Options) else cleaner.rules_digest


def make_cleaning(
    cleaner: Cleaner | Options, workers: int | None, encode: Encoder | None = None, digest: str | None = None
) -> Cleaning:
    """Worker processes (`workers` of them, all cores if None), or a thread if `workers` is 0;
    with `encode` (`cleaner.write.json_line`), what it makes of each Document comes back.
    Given Options, the Cleaner is built only where pages are cleaned (the workers, or here
    for the thread). `digest`: `rules_digest(cleaner)`, if the caller has it."""
    if workers == 0:
        return ThreadCleaning(_built(cleaner), encode)
    return ProcessCleaning(cleaner, workers, encode, digest)


def _built(cleaner: Cleaner | Options) -> Cleaner:
    if not isinstance(cleaner, Options):
        return cleaner
    from cleaner.pipeline import Cleaner

    return Cleaner(cleaner)


def with_fetch(record: Record, info: FetchInfo) -> Record:
    """The record of a fetched page, with the fetch fields. A JSON line gets them spliced in
    where `Document.to_dict` puts them, last: the same line as from the Document."""
    if isinstance(record, Document):
        return replace(record, fetch=info)
    values = {name: getattr(info, name) for name in _FETCH_FIELDS}  # asdict, without deep copies
    values["redirects"] = list(info.redirects)
    spliced = json.dumps(values, ensure_ascii=False)[1:]  # without its "{"
    return replace(record, line=f"{record.line[:-2]}, {spliced}\n")  # the line without its "}\n"


class ThreadCleaning:
    def __init__(self, cleaner: Cleaner, encode: Encoder | None = None) -> None:
        self._cleaner = cleaner
        self._encode = encode
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="cleaner-clean")

    async def clean(self, source: Source) -> Record:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._clean, source)

    def _clean(self, source: Source) -> Record:
        doc = clean_source(self._cleaner, source)
        return self._encode(doc) if self._encode is not None else doc

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


class ProcessCleaning:
    """Worker processes built from `cleaner.options` (or the options given), fed by a thread
    of ours."""

    def __init__(
        self,
        cleaner: Cleaner | Options,
        workers: int | None = None,
        encode: Encoder | None = None,
        digest: str | None = None,
    ) -> None:
        options = cleaner if isinstance(cleaner, Options) else cleaner.options
        digest = digest or rules_digest(cleaner)
        self._pool = WorkerPool(replace(options, workers=workers), digest=digest, encode=encode)
        self._inbox: queue.SimpleQueue[tuple[Future[Record], Source] | None] = queue.SimpleQueue()
        # a byte written here wakes the thread up to take what is in the inbox
        self._bell, self._ring = os.pipe()
        os.set_blocking(self._bell, False)
        os.set_blocking(self._ring, False)
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="cleaner-pool", daemon=True)
        self._thread.start()

    async def clean(self, source: Source) -> Record:
        if self._failure is not None:
            raise CleanerError(f"the cleaning workers stopped: {self._failure}")
        future: Future[Record] = Future()
        self._put((future, source))
        return await asyncio.wrap_future(future)

    def close(self) -> None:
        self._put(None)
        self._thread.join()
        os.close(self._bell)
        os.close(self._ring)

    def _put(self, item: tuple[Future[Record], Source] | None) -> None:
        self._inbox.put(item)
        with contextlib.suppress(BlockingIOError):  # full: the thread has bytes to wake on
            os.write(self._ring, b"\0")

    def _run(self) -> None:
        waiting: dict[int, Future[Record]] = {}
        try:
            with self._pool as pool:
                pool.wake_on(self._bell)
                self._serve(pool, waiting)
        except BaseException as exc:  # each waiting page gets told, none is lost
            self._failure = exc
        finally:
            self._fail(waiting)

    def _serve(self, pool: WorkerPool, waiting: dict[int, Future[Record]]) -> None:
        tickets = itertools.count()
        while True:
            with contextlib.suppress(BlockingIOError):
                os.read(self._bell, 4096)  # before the inbox: no page put after it goes unseen
            # block for new pages only when none is in the pool
            block = not waiting
            while True:
                try:
                    item = self._inbox.get(block=block)
                except queue.Empty:
                    break
                if item is None:
                    return
                block = False
                future, source = item
                ticket = next(tickets)
                waiting[ticket] = future
                pool.submit(ticket, source)
            for ticket, doc in pool.collect().items():  # a record, a deadline, or a new page
                future = waiting.pop(ticket)
                if not future.cancelled():
                    future.set_result(doc)

    def _fail(self, waiting: dict[int, Future[Record]]) -> None:
        """Pages still in the pool or the inbox when it stops: an exception each."""
        error = CleanerError(f"the cleaning workers stopped: {self._failure or 'closed'}")
        futures = list(waiting.values())
        while True:
            try:
                item = self._inbox.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                futures.append(item[0])
        for future in futures:
            if not future.done():
                future.set_exception(error)
