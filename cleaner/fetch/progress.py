"""Progress of a fetch run on stderr: a bar on a terminal, silence when piped, a summary.

Like `cleaner.progress.BatchProgress`, with what a fetch needs besides: failures and what
remains, and the URLs a resumed run found already done. The URL list is read as it is
fetched, so how many URLs there are in all is known only once it has been read to the end.
"""

from __future__ import annotations

import logging
import sys
import time
from collections import Counter
from types import TracebackType

from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from cleaner.record import Document
from cleaner.write import JsonLine


class FetchProgress:
    def __init__(
        self, total: int | None, *, skipped: int = 0, show_bar: bool | None = None, quiet: bool = False
    ) -> None:
        self.counts: Counter[str] = Counter()
        self.total = total
        self.skipped = skipped
        self.quiet = quiet
        self.console = Console(stderr=True)
        show = sys.stderr.isatty() if show_bar is None else show_bar
        self._bar = (
            Progress(
                TextColumn("fetching"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[failed]} failed, {task.fields[remaining]} to go"),
                TextColumn("{task.fields[rate]} pages/s"), TimeElapsedColumn(),
                console=self.console, transient=True,
            )
            if show and not quiet
            else None
        )  # fmt: skip
        self._task = (
            self._bar.add_task("fetch", total=total, failed=0, remaining=self._remaining, rate="-")
            if self._bar
            else None
        )
        self._started = time.monotonic()
        self._log_handler: logging.Handler | None = None
        self._old_level = logging.NOTSET

    def __enter__(self) -> FetchProgress:
        if not self.quiet:
            # The fetcher's notes (Crawl-delay honoured, host paused...) print above the bar.
            self._log_handler = RichHandler(console=self.console, show_time=False, show_path=False)
            logger = logging.getLogger("cleaner.fetch")
            logger.addHandler(self._log_handler)
            self._old_level = logger.level
            logger.setLevel(logging.INFO)
        if self._bar is not None:
            self._bar.start()
        return self

    def set_total(self, total: int) -> None:
        """How many URLs there are in all, once the list has been read."""
        if total != self.total:
            self.total = total
            if self._bar is not None and self._task is not None:
                self._bar.update(self._task, total=total, remaining=self._remaining)

    @property
    def _remaining(self) -> str:
        return "?" if self.total is None else str(max(0, self.total - self.done))

    @property
    def done(self) -> int:
        return sum(self.counts.values())

    def advance(self, doc: Document | JsonLine) -> None:
        self.counts[doc.status] += 1
        if self._bar is not None and self._task is not None:
            rate = f"{self.done / max(time.monotonic() - self._started, 1e-9):.1f}"
            self._bar.update(
                self._task, advance=1, failed=self.counts["error"], remaining=self._remaining, rate=rate
            )
        if doc.error is not None and not self.quiet:
            again = " (will retry on resume)" if doc.error.retryable else ""
            line = Text.assemble(("error ", "red"), f"{doc.id}: {doc.error.type}: {doc.error.message}{again}")
            self.console.print(line, highlight=False)

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
        if self._log_handler is not None:
            logger = logging.getLogger("cleaner.fetch")
            logger.removeHandler(self._log_handler)
            logger.setLevel(self._old_level)
        if self.quiet:
            return
        elapsed = time.monotonic() - self._started
        shown = (
            ("ok", "empty", "not_modified", "error")
            if self.counts["not_modified"]
            else ("ok", "empty", "error")
        )
        parts = ", ".join(f"{self.counts[s]} {s}" for s in shown)
        rate = self.done / elapsed if elapsed > 0 else 0.0
        resumed = f"; {self.skipped} already done before" if self.skipped else ""
        of = "" if self.total is None else f" of {self.total}"
        self.console.print(
            f"fetched {self.done}{of} URLs ({parts}) in {elapsed:.1f} s, {rate:.1f} pages/s{resumed}",
            highlight=False,
        )
