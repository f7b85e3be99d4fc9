"""Progress on stderr while a batch runs, and the summary line at its end.

The bar shows only when stderr is a terminal; piped or in CI the run stays quiet apart from
the summary, which `--quiet` silences too.
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


class BatchProgress:
    def __init__(self, total: int | None, *, show_bar: bool | None = None, quiet: bool = False) -> None:
        self.counts: Counter[str] = Counter()
        self.quiet = quiet
        self._console = Console(stderr=True)
        show = sys.stderr.isatty() if show_bar is None else show_bar
        self._bar = (
            Progress(
                TextColumn("cleaning"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[failed]} failed"), TextColumn("{task.fields[rate]} pages/s"),
                TimeElapsedColumn(), console=self._console, transient=True,
            )
            if show and not quiet
            else None
        )  # fmt: skip
        self._task = self._bar.add_task("clean", total=total, failed=0, rate="-") if self._bar else None
        self._started = time.monotonic()

    def __enter__(self) -> BatchProgress:
        if self._bar is not None:
            self._bar.start()
        return self

    def advance(self, doc: Document) -> None:
        self.counts[doc.status] += 1
        if self._bar is not None and self._task is not None:
            rate = f"{self.done / max(time.monotonic() - self._started, 1e-9):.1f}"
            self._bar.update(self._task, advance=1, failed=self.counts["error"], rate=rate)
        if doc.error is not None and not self.quiet:
            line = Text.assemble(("error ", "red"), f"{doc.id}: {doc.error.type}: {doc.error.message}")
            self._console.print(line, highlight=False)

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
        self._console.print(
            f"{self.done} records ({parts}) in {elapsed:.1f} s, {rate:.1f} pages/s", highlight=False
        )
