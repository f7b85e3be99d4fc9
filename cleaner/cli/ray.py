"""`cleaner ray`: files, folders and web archives cleaned on a Ray cluster, resumably.

Ray is imported only when the command runs, so `cleaner --help` works without it.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from cleaner.cli.clean import build_options, clean
from cleaner.engines.ray import (
    DEFAULT_SHARD_SIZE,
    UnitResult,
    plan_units,
    ray_session,
    run_units,
    split_done,
)
from cleaner.errors import CleanerError
from cleaner.pipeline import Cleaner

EXAMPLES = """
\b
Examples:
  cleaner ray samples/ -o cleaned/               # a local Ray on every core
  cleaner ray crawl/*.warc.gz -o cleaned/ --num-cpus 4
  cleaner ray /data/pages/ -o /data/cleaned/ --address auto
  cleaner ray /data/pages/ -o /data/cleaned/ --address ray://head-node:10001
"""

#: The options `cleaner ray` shares with `cleaner clean`, taken from it so they cannot drift.
SHARED_OPTIONS = (
    "config", "rules_path", "site_rules_path", "strip_chrome", "include_comments",
    "detect_language", "max_bytes", "timeout", "max_worker_memory", "quiet",
)  # fmt: skip


@click.command("ray", epilog=EXAMPLES)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out-dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for one JSONL file (and one .done marker) per input file or shard.",
)
@click.option(
    "--address",
    help="Ray cluster to join: auto, HOST:6379 or ray://HOST:10001. [default: start a local Ray]",
)
@click.option(
    "--num-cpus",
    type=click.IntRange(min=1),
    help="CPUs of the local Ray, one worker each (not with --address). [default: all]",
)
@click.option(
    "--shard-size",
    type=click.IntRange(min=1),
    default=DEFAULT_SHARD_SIZE,
    show_default=True,
    help="Page files of a folder per task.",
)
def ray_command(
    inputs: tuple[Path, ...],
    out_dir: Path,
    address: str | None,
    num_cpus: int | None,
    shard_size: int,
    config: Path | None,
    quiet: bool,
    **flags: Any,
) -> None:
    """Clean files and folders on Ray, one task per input file or shard; re-runs resume.

    Each input file (a page, a .jsonl file, a web archive), each .jsonl file or archive in a
    folder, and each shard of up to --shard-size page files of a folder (in sorted order) is
    one task. It writes its records, exactly one per input as with `cleaner clean`, to one
    JSONL file in OUT_DIR, then a .done marker. Run the same command again and only what is
    not done runs: after a crash, a stop, or a change of options or rules.

    Without --address a local Ray is started and stopped. With --address, inputs and OUT_DIR
    must be paths every node can read and write (relative ones are made absolute), and each
    node needs cleaner installed. Exit code 0 if every record is ok or empty, 1 if any is an
    error (or a task failed: run again), 2 for a usage error.
    """
    if Path("-") in inputs:
        raise click.UsageError("cleaner ray reads files and folders; for stdin use `cleaner clean -`")
    if address is not None and num_cpus is not None:
        raise click.UsageError("--num-cpus sizes a local Ray; a cluster at --address has its own")
    options = build_options(config, flags)
    if options.max_worker_memory == 0:  # --max-worker-memory none
        options = replace(options, max_worker_memory=None)
    if address is not None:  # the cluster's workers do not share this working directory
        inputs = tuple(path.absolute() for path in inputs)
    try:
        units = plan_units(inputs, shard_size)
        cleaner = Cleaner(options)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    except CleanerError as exc:
        raise click.ClickException(str(exc)) from exc
    done, todo = split_done(units, out_dir, cleaner)
    with RunProgress(len(units), quiet) as progress:
        for result in done:
            progress.advance(result)
        if todo:
            try:
                with ray_session(address, num_cpus):
                    run_units(todo, out_dir, cleaner, progress.advance)
            except (ImportError, ConnectionError) as exc:
                raise click.ClickException(str(exc)) from exc
    sys.exit(1 if progress.counts["error"] or progress.failed else 0)


_clean_params = {param.name: param for param in clean.params}
ray_command.params.extend(_clean_params[name] for name in SHARED_OPTIONS if name in _clean_params)


class RunProgress:
    """On stderr: a bar of tasks when it is a terminal, a line per error, and a summary."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.counts: Counter[str] = Counter()
        self.done_before = self.failed = self.skipped_records = 0
        self.quiet = quiet
        self._total = total
        self._console = Console(stderr=True)
        self._bar = (
            Progress(
                TextColumn("tasks"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[records]}"),
                TimeElapsedColumn(), console=self._console, transient=True,
            )
            if sys.stderr.isatty() and not quiet
            else None
        )  # fmt: skip
        self._task = self._bar.add_task("ray", total=total, records="") if self._bar else None
        self._started = time.monotonic()

    def __enter__(self) -> RunProgress:
        if self._bar is not None:
            self._bar.start()
        return self

    def advance(self, result: UnitResult) -> None:
        self.counts.update(result.counts)
        self.done_before += result.done_before
        self.failed += result.failure is not None
        self.skipped_records += result.skipped_records
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, advance=1, records=f"{sum(self.counts.values())} records")
        if self.quiet:
            return
        for id, kind, message in result.errors:
            self._console.print(Text.assemble(("error ", "red"), f"{id}: {kind}: {message}"), highlight=False)
        if result.failure is not None:
            line = Text.assemble(("failed ", "red"), f"{result.label}: {result.failure} (run again to retry)")
            self._console.print(line, highlight=False)

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
        if self.quiet or kind is not None:
            return
        records = ", ".join(f"{self.counts[s]} {s}" for s in ("ok", "empty", "error"))
        ran = self._total - self.done_before - self.failed
        summary = (
            f"{self._total} tasks ({ran} run, {self.done_before} already done, {self.failed} failed), "
            f"{sum(self.counts.values())} records ({records}) in {time.monotonic() - self._started:.1f} s"
        )
        if self.skipped_records:
            summary += f"; {self.skipped_records} archive records were not pages"
        self._console.print(summary, highlight=False, soft_wrap=True)
