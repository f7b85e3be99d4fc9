"""Cleaning in worker processes, in input order, with a deadline and a memory ceiling per page.

    parent: list inputs -> [window] -> dispatch one task per idle worker -> reorder -> records
    worker: Cleaner(options) once -> "ready" -> (seq, Source | SourceFile) in, records out

The parent hands out work and writes records; workers read (a `SourceFile`) and clean. Only
`Source`s, `SourceFile`s and records (plain, picklable data) cross the process boundary. A
record is the `Document`, or what `encode` makes of it in the worker (`cleaner.write.json_line`:
the JSON line, which costs both sides much less to send than the Document). Each worker holds
one page at a time, so the parent always knows which page a worker is on and since when:

- a page still running after `timeout` seconds gets a `timeout` record, and its worker is
  killed (SIGKILL: the extractor cannot be interrupted from inside) and replaced;
- a worker that dies (killed, segfault, out of memory) is replaced, and the page it held
  gets a `worker_died` record;
- each worker's address space is capped (RLIMIT_AS) at `max_worker_memory`; a page that hits
  the cap gets a `too_large` record and the worker is replaced rather than trusted again.

An input file (a page, a web archive, a JSONL file) can come as one `SourceFile`: a worker
then reads it itself, and its pages never pass through the parent, which saves both sides
the copying. It sends the records a batch at a time, and keeps the page it is cleaning, and
since when, in a slot of memory shared with the parent, so the deadline holds as above.
After a timeout or a death, a new worker reads on from the last record the parent got,
making the error record of the page that failed itself. The file's records come out in
place; those of the files that wait for the files before them go to disk past `_IN_MEMORY`
in all.

At most `window` inputs are between reading and writing at any time, however many there are,
so memory stays flat. Everything else that passes through `imap` (markers that are not
sources) comes out in its place in the order, untouched. Even `workers=1` uses a worker
process: that is what makes the deadline enforceable.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import selectors
import signal
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from types import TracebackType
from typing import IO, Any, TypeVar

from cleaner.batch import clean_source, error_document
from cleaner.errors import CleanerError
from cleaner.options import Options
from cleaner.read import ReadStats, Source
from cleaner.record import Document, ErrorInfo, Status
from cleaner.resume import ResumeError, SourceFile, file_sources

T = TypeVar("T")
#: Turns a Document into what `imap` yields, in the worker (a top-level function: it is pickled).
Encoder = Callable[[Document], Any]
_READY = "ready"
# What a worker reading a `SourceFile` says: a batch of records, the file's end (with its last
# records), or a resumed file that does not begin with what was written from it.
_RECORDS, _FILE_END, _FAILED = "records", "end", "failed"
# A worker reading a file sends its records at most this often (seconds), not one by one:
# each message costs both processes a wake-up and a few system calls.
_BATCH_SECONDS = 0.05
_IDLE = -1  # a worker's slot when it reads no file
# How often the parent looks at the slots of workers reading files (seconds): a page's
# deadline is seen at most this late.
_LOOK = 0.1
_MAX_START_FAILURES = 3
_MAX_READ_DEATHS = 2
# Records of the files waiting for the files before them held in memory, in all (then on disk).
_IN_MEMORY = 1000


def default_workers() -> int:
    """One worker per CPU core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _limit_memory(limit: int | None) -> None:
    if not limit:
        return
    try:
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        soft = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    except (ImportError, ValueError, OSError):  # no RLIMIT_AS here (macOS, Windows)
        pass


# A page that took the worker's address space this close to its ceiling ran out of memory,
# whatever the libraries made of that (libxml2 reports "unknown error" and an empty page).
_NEAR_CEILING = 0.9


def _is_memory_error(doc: Document, limit: int | None) -> bool:
    error = doc.error
    if error is not None and ("MemoryError" in error.message or "memory allocation" in error.message.lower()):
        return True
    if not limit or doc.status == Status.OK:
        return False
    return _peak_address_space() >= _NEAR_CEILING * limit


def _peak_address_space() -> int:
    """The most address space this process has held (Linux; 0 where unknown)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def worker_main(options: Options, conn: Connection, encode: Encoder | None = None, slot: Any = None) -> None:
    """A worker process: build one Cleaner, then clean pages until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when the run ends
    _limit_memory(options.max_worker_memory)
    cleaner = _build_cleaner(options)
    # modules, rules and language profiles last as long as the worker: the garbage collector
    # need not go through them again at every full collection
    gc.freeze()
    conn.send(_READY)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        if task is None:
            return
        seq, item = task
        if isinstance(item, SourceFile):
            if not _clean_file(cleaner, options, conn, seq, item, encode, slot):
                return
            continue
        doc, retiring = _clean_page(cleaner, options, item)
        conn.send((seq, _encoded(doc, encode), retiring))
        if retiring:
            return


def _clean_page(cleaner: Any, options: Options, source: Source) -> tuple[Document, bool]:
    """The page's record, and whether it took the worker to its memory ceiling: a heap that
    did is not trusted with another page, so the worker says so and stops, and the parent
    replaces it instead of handing it the next page."""
    doc = clean_source(cleaner, source)
    if not _is_memory_error(doc, options.max_worker_memory):
        return doc, False
    info = ErrorInfo("too_large", f"page needs more than {options.max_worker_memory} bytes", "clean")
    return error_document(source, info, cleaner.rules_digest), True


def _clean_file(
    cleaner: Any,
    options: Options,
    conn: Connection,
    seq: int,
    task: SourceFile,
    encode: Encoder | None,
    slot: Any,
) -> bool:
    """Read and clean a file of many sources; False if the worker is to stop.

    Records go to the parent a batch at a time (`_BATCH_SECONDS`); what the worker is doing
    is in its `slot`, for the parent's deadline: the position of the page it is cleaning and
    since when, or `_reading(position)` of the source it reads."""
    stats = ReadStats()
    index = task.start
    failed = dict(task.failed)
    batch: list[Any] = []
    sent = time.monotonic()
    try:
        sources = file_sources(task, stats)
        slot[0] = _reading(index)
        while True:
            if task.give_up is not None and index == task.give_up[0]:
                rest = error_document(task.label_source(), task.give_up[1], cleaner.rules_digest)
                batch.append(_encoded(rest, encode))
                break
            source = next(sources, None)
            if source is None:
                break
            slot[1] = time.monotonic()
            slot[0] = index
            if index in failed:
                doc, retiring = error_document(source, failed[index], cleaner.rules_digest), False
            else:
                doc, retiring = _clean_page(cleaner, options, source)
            index += 1
            slot[0] = _reading(index)  # and sending: a death there is not the page's
            batch.append(_encoded(doc, encode))
            if retiring or time.monotonic() - sent >= _BATCH_SECONDS:
                conn.send((_RECORDS, seq, (batch, retiring)))
                batch, sent = [], time.monotonic()
            if retiring:
                return False
    except ResumeError as exc:
        conn.send((_FAILED, seq, str(exc)))
        return True
    slot[0] = _IDLE
    conn.send((_FILE_END, seq, (batch, stats.skipped)))
    return True


def _encoded(doc: Document, encode: Encoder | None) -> Any:
    return encode(doc) if encode else doc


def _reading(index: int) -> int:
    """A worker's slot while it reads the source at `index` (positions are 0 and up)."""
    return -2 - index


def _context() -> Any:
    """forkserver: workers fork from a clean process with the cleaner already imported, the
    rules compiled and the language profiles loaded (cleaner.preload), so starting or
    replacing one is cheap, and they inherit no threads or open files of ours."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["cleaner.workers", "cleaner.pipeline", "cleaner.preload"])
    return context


def start_fork_server() -> None:
    """Start the workers' fork server now, so that its imports and compiling (about a second)
    overlap what this process does before its first `WorkerPool` (reading the inputs' list,
    opening the output). A pool starts it anyway when it is not running."""
    if _context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def _build_cleaner(options: Options) -> Any:
    from cleaner.pipeline import Cleaner

    return Cleaner(options)


@dataclass(slots=True)
class _Worker:
    process: BaseProcess
    conn: Connection
    ready: bool = False
    task: tuple[int, Source | SourceFile] | None = None
    started: float = 0.0
    retiring: bool = False  # it hit the memory ceiling and stops after its last record
    # shared with the process, when it reads a SourceFile: the position of the page it is
    # cleaning and since when (see `_clean_file`)
    slot: Any = None

    @property
    def reading_file(self) -> bool:
        return self.task is not None and isinstance(self.task[1], SourceFile)

    def file_state(self) -> tuple[int, float]:
        """The slot: the page position (or `_reading(position)`, `_IDLE`) and its start."""
        while True:
            state, started = int(self.slot[0]), self.slot[1]
            if int(self.slot[0]) == state:  # not torn by the worker moving on meanwhile
                return state, started

    @property
    def timed(self) -> bool:
        """Cleaning a page (since `since`), rather than idle or reading a file."""
        return self.task is not None and (not self.reading_file or self.file_state()[0] >= 0)

    @property
    def since(self) -> float:
        return self.file_state()[1] if self.reading_file else self.started


@dataclass(slots=True)
class _Budget:
    """How many more records the files waiting to be written may hold in memory, together."""

    left: int


class _FileOutput:
    """The records of a `SourceFile`, in order, until they are written. Past `_IN_MEMORY` of
    them, across all such files (those waiting for the files before them), they go to a
    temporary file: memory stays flat whatever the files' sizes and number."""

    def __init__(self, budget: _Budget) -> None:
        self.done = False
        self.next = 0  # the position, among the file's sources, of the next record
        self.failed: dict[int, ErrorInfo] = {}  # pages that timed out or killed their worker
        self.read_deaths: Counter[int] = Counter()  # workers that died reading there
        self.give_up: tuple[int, ErrorInfo] | None = None  # where reading is not tried again
        self._budget = budget
        self._memory: list[Any] = []
        self._spool: IO[bytes] | None = None

    def extend(self, records: list[Any]) -> None:
        for record in records:
            self.append(record)

    def append(self, record: Any) -> None:
        self.next += 1
        if self._spool is None and self._budget.left > 0:
            self._memory.append(record)
            self._budget.left -= 1
            return
        if self._spool is None:
            self._spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed by drain, or with the pool)
            for held in self._memory:
                pickle.dump(held, self._spool)
            self._budget.left += len(self._memory)
            self._memory = []
        pickle.dump(record, self._spool)

    def drain(self) -> Iterator[Any]:
        """The records held, oldest first; they are no longer held."""
        if self._spool is not None:
            spool, self._spool = self._spool, None
            spool.seek(0)
            with spool:
                while True:
                    try:
                        yield pickle.load(spool)
                    except EOFError:
                        break
        records, self._memory = self._memory, []
        self._budget.left += len(records)
        yield from records


@dataclass(slots=True)
class PoolStats:
    timeouts: int = 0
    died: int = 0
    restarts: int = 0
    _start_failures: int = field(default=0, repr=False)


class WorkerPool:
    """`with WorkerPool(options) as pool: for doc in pool.imap(sources): ...`

    With `encode`, `imap` yields `encode(doc)` instead of each Document, made in the worker
    (and in the parent for the records it makes itself: timeouts, dead workers, bad inputs).
    """

    def __init__(
        self,
        options: Options,
        *,
        digest: str | None = None,
        window: int | None = None,
        encode: Encoder | None = None,
    ) -> None:
        self.options = options
        self.encode = encode
        self.size = options.workers or default_workers()
        self.window = window or max(256, 64 * self.size)
        self.digest = digest
        self.stats = PoolStats()
        self._context: Any = _context()
        self._workers: list[_Worker] = []
        self._queue: deque[tuple[int, Source | SourceFile]] = deque()
        self._files: dict[int, _FileOutput] = {}
        self._budget = _Budget(_IN_MEMORY)
        #: what the workers reading `SourceFile`s passed over (as `cleaner.read` counts it)
        self.read_stats = ReadStats()
        # the workers' pipes and process sentinels, registered once (not at every wait)
        self._selector: selectors.BaseSelector = selectors.DefaultSelector()

    def __enter__(self) -> WorkerPool:
        if self._selector.get_map() is None:  # closed by an earlier close()
            self._selector = selectors.DefaultSelector()
        self._workers = [self._start() for _ in range(self.size)]
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close(graceful=kind is None)

    @property
    def busy_pids(self) -> list[int]:
        """The process ids of the workers cleaning a page right now (for monitoring)."""
        return [w.process.pid for w in self._workers if w.task is not None and w.process.pid]

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe(duplex=True)
        slot = self._context.RawArray("d", [_IDLE, 0.0])
        process = self._context.Process(
            target=worker_main, args=(self.options, child, self.encode, slot), daemon=True
        )
        process.start()
        child.close()
        self._selector.register(parent, selectors.EVENT_READ)
        self._selector.register(process.sentinel, selectors.EVENT_READ)
        return _Worker(process, parent, slot=slot)

    def wake_on(self, fd: int) -> None:
        """Make `collect` return (perhaps with nothing) as soon as `fd` is readable too: a
        caller feeding the pool from elsewhere (`cleaner.fetch.cleaning`) writes to it when
        there is work, instead of waking up every so often to look. The caller reads it."""
        self._selector.register(fd, selectors.EVENT_READ)

    def close(self, graceful: bool = True) -> None:
        for worker in self._workers:
            if graceful and worker.process.is_alive():
                with contextlib.suppress(OSError):
                    worker.conn.send(None)
        deadline = time.monotonic() + (2.0 if graceful else 0.0)
        for worker in self._workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            self._stop(worker)
        self._workers = []
        self._selector.close()

    def _stop(self, worker: _Worker) -> None:
        for handle in (worker.conn, worker.process.sentinel):
            with contextlib.suppress(KeyError, ValueError):
                self._selector.unregister(handle)
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.conn.close()

    def imap(self, items: Iterable[Source | SourceFile | T]) -> Iterator[Any]:
        """Clean every source in `items` (and every source of each `SourceFile`, read by a
        worker); records (and markers) come out in input order."""
        items_left = iter(items)
        results: dict[int, Any] = {}
        read = emitted = 0
        exhausted = False
        while True:
            while not exhausted and read - emitted < self.window and len(self._queue) < self.size:
                item = next(items_left, _END)
                if item is _END:
                    exhausted = True
                    break
                if isinstance(item, SourceFile):
                    results[read] = self._files[read] = _FileOutput(self._budget)
                    self._queue.append((read, item))
                elif isinstance(item, Source) and item.problem is None:
                    self.submit(read, item)
                else:  # nothing to clean: no need to bother a worker
                    results[read] = self._settled(item)
                read += 1
            self._dispatch()
            while emitted in results:
                result = results[emitted]
                if isinstance(result, _FileOutput):
                    yield from result.drain()
                    if not result.done:
                        break
                else:
                    yield result
                del results[emitted]
                emitted += 1
            if emitted == read:
                if exhausted:
                    return
                continue  # all caught up, nothing in flight: read on before waiting
            results.update(self.collect())

    def submit(self, ticket: int, source: Source) -> None:
        """Queue `source` for cleaning; its record comes out of `collect` with `ticket`.
        For callers that are not a simple loop over inputs (`imap` is one)."""
        self._queue.append((ticket, source))
        self._dispatch()

    def collect(self, timeout: float | None = None) -> dict[int, Any]:
        """Records finished since the last call, by ticket: waits for at least one, a
        deadline, a `wake_on` descriptor, or `timeout` seconds (None: no limit but those)."""
        results: dict[int, Any] = {}
        self._dispatch()
        self._poll(results, timeout)
        self._dispatch()
        return results

    def _settled(self, item: Source | SourceFile | T) -> Any:
        if isinstance(item, Source):  # only sources with a problem get here
            return self._error(item, item.problem or CleanerError("nothing to clean"))
        return item

    def _error(self, source: Source, problem: BaseException | ErrorInfo) -> Any:
        doc = error_document(source, problem, self.digest)
        return self.encode(doc) if self.encode else doc

    def _dispatch(self) -> None:
        queue = self._queue
        for index, worker in enumerate(self._workers):
            if not queue:
                return
            if worker.ready and worker.task is None:
                task = queue.popleft()
                worker.task, worker.started = task, time.monotonic()
                try:
                    worker.conn.send(task)
                except OSError:  # died while idle: the page goes to another worker
                    worker.task = None
                    queue.appendleft(task)
                    self._replace(index)

    def _poll(self, results: dict[int, Any], limit: float | None = None) -> None:
        """Wait for a record, a ready worker, a death or a deadline (or `limit` seconds), and
        deal with it."""
        now = time.monotonic()
        deadlines = [w.since + self.options.timeout - now for w in self._workers if w.timed]
        if limit is not None:
            deadlines.append(limit)
        if any(w.reading_file for w in self._workers):  # they start pages without a word
            deadlines.append(_LOOK)
        timeout = max(0.0, min(deadlines)) if deadlines else None
        ready = {key.fileobj for key, _ in self._selector.select(timeout)}
        for index, worker in enumerate(self._workers):
            if worker.conn in ready and self._receive(worker, results):
                if worker.retiring:
                    self._replace(index)
                continue
            if worker.conn in ready or worker.process.sentinel in ready:
                self._died(index, results)
            elif worker.timed and time.monotonic() - worker.since > self.options.timeout:
                self._timed_out(index, results)

    def _receive(self, worker: _Worker, results: dict[int, Any]) -> bool:
        try:
            message = worker.conn.recv()
        except (EOFError, OSError, ValueError, TypeError):  # died mid-message, or before it
            return False
        if message == _READY:
            worker.ready = True
            self.stats._start_failures = 0
        elif isinstance(message[0], str):
            self._file_message(worker, *message)
        else:
            seq, doc, worker.retiring = message
            results[seq] = doc
            worker.task = None
        return True

    def _file_message(self, worker: _Worker, kind: str, seq: int, payload: Any) -> None:
        """What a worker reading a `SourceFile` says: records, or the file's end."""
        output = self._files[seq]
        if kind == _RECORDS:
            records, worker.retiring = payload
            output.extend(records)
        elif kind == _FILE_END:
            records, skipped = payload
            output.extend(records)
            self.read_stats.skipped.update(skipped)
            output.done = True
            del self._files[seq]
            worker.task = None
        else:  # _FAILED
            raise ResumeError(payload)

    def _died(self, index: int, results: dict[int, Any]) -> None:
        worker = self._workers[index]
        worker.process.join(1.0)
        code = worker.process.exitcode
        how = f"signal {signal.Signals(-code).name}" if code and code < 0 else f"exit code {code}"
        if worker.timed:
            self.stats.died += 1
            message = f"worker process died ({how}) while cleaning this page; it was replaced"
            self._record(worker, ErrorInfo("worker_died", message, "clean", retryable=True), results)
        elif worker.task is not None:  # reading a SourceFile, between pages
            self.stats.died += 1
            self._died_reading(worker, how)
        elif not worker.ready:
            self.stats._start_failures += 1
            if self.stats._start_failures >= _MAX_START_FAILURES:
                raise CleanerError(f"worker processes fail to start (exit code {code})")
        self._replace(index)

    def _timed_out(self, index: int, results: dict[int, Any]) -> None:
        worker = self._workers[index]
        self.stats.timeouts += 1
        message = f"cleaning took longer than {self.options.timeout:g} s; the worker was stopped"
        self._record(worker, ErrorInfo("timeout", message, "clean"), results)
        self._replace(index)

    def _died_reading(self, worker: _Worker, how: str) -> None:
        """A worker died reading a file: its replacement reads on from the same place, but
        after a second death there the rest of the file gets one error record."""
        assert worker.task is not None
        seq, _ = worker.task
        output = self._files[seq]
        state, _ = worker.file_state()
        if state == _IDLE:
            return
        position = _reading(state)  # the encoding is its own inverse
        output.read_deaths[position] += 1
        if output.read_deaths[position] >= _MAX_READ_DEATHS:
            message = (
                f"worker processes died ({how}) reading this file after {position} of its records, "
                f"{output.read_deaths[position]} times; the rest of it was not read"
            )
            output.give_up = (position, ErrorInfo("worker_died", message, "read", retryable=True))

    def _record(self, worker: _Worker, info: ErrorInfo, results: dict[int, Any]) -> None:
        """The error record for the page `worker` was cleaning."""
        assert worker.task is not None
        seq, item = worker.task
        if isinstance(item, SourceFile):  # the next worker on the file makes it (see _replace)
            self._files[seq].failed[worker.file_state()[0]] = info
            return
        results[seq] = self._error(item, info)
        worker.task = None

    def _replace(self, index: int) -> None:
        worker = self._workers[index]
        seq, item = worker.task or (0, None)
        if isinstance(item, SourceFile):  # the file goes on in a worker, after its last record
            output = self._files[seq]
            failed = tuple(sorted((i, e) for i, e in output.failed.items() if i >= output.next))
            resumed = replace(item, start=output.next, failed=failed, give_up=output.give_up)
            self._queue.appendleft((seq, resumed))
            worker.task = None
        self._stop(self._workers[index])
        self.stats.restarts += 1
        self._workers[index] = self._start()


_END: Any = object()
