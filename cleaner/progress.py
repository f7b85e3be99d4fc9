"""Progress on stderr while a batch runs, and the summary line at its end.

The bar (input files done of all, records, pages/s, failures) shows only when stderr is a
terminal; piped or in CI the run stays quiet apart from error lines and the summary, which
`--quiet` silences too.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from cleaner.record import Document
from cleaner.write import JsonLine


class BatchProgress:
    """Counts records by status and input files done; `notes` are added to the summary."""

    def __init__(
        self, total: int | None, *, show_bar: bool | None = None, quiet: bool = False, files_done: int = 0
    ) -> None:
        self.counts: Counter[str] = Counter()
        self.quiet = quiet
        self.notes: list[str] = []
        self._console = Console(stderr=True)
        show = sys.stderr.isatty() if show_bar is None else show_bar
        self._bar = (
            Progress(
                TextColumn("cleaning"), BarColumn(), TextColumn("files"), MofNCompleteColumn(),
                TextColumn("{task.fields[records]} records"), TextColumn("{task.fields[rate]} pages/s"),
                TextColumn("{task.fields[failed]} failed"), TimeElapsedColumn(),
                console=self._console, transient=True,
            )
            if show and not quiet
            else None
        )  # fmt: skip
        self._task = (
            self._bar.add_task("clean", total=total, completed=files_done, records=0, failed=0, rate="-")
            if self._bar
            else None
        )
        self._started = time.monotonic()

    def __enter__(self) -> BatchProgress:
        if self._bar is not None:
            self._bar.start()
        return self

    def advance(self, doc: Document | JsonLine) -> None:
        self.counts[doc.status] += 1
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, records=self.done, failed=self.counts["error"], rate=self._rate())
        if doc.error is not None and not self.quiet:
            line = Text.assemble(("error ", "red"), f"{doc.id}: {doc.error.type}: {doc.error.message}")
            self._console.print(line, highlight=False, soft_wrap=True)

    def file_done(self) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, advance=1)

    def _rate(self) -> str:
        return f"{self.done / max(time.monotonic() - self._started, 1e-9):.1f}"

    @property
    def done(self) -> int:
        return sum(self.counts.values())

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
        if self.quiet:
            return
        elapsed = time.monotonic() - self._started
        parts = ", ".join(f"{self.counts[s]} {s}" for s in ("ok", "empty", "error"))
        rate = self.done / elapsed if elapsed > 0 else 0.0
        notes = "".join(f"; {note}" for note in self.notes)
        self._console.print(
            f"{self.done} records ({parts}) in {elapsed:.1f} s, {rate:.1f} pages/s{notes}",
            highlight=False,
            soft_wrap=True,
        )
