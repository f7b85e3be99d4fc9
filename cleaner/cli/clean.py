"""`cleaner clean`: saved pages from files, folders, JSONL streams and web archives.

Cleaning runs in worker processes (`cleaner.workers`); with `-o FILE` or `--out-dir DIR` the
run is resumable (`cleaner.resume`): run the same command again after an interruption (a
crash, `kill -9`, a full disk) and it carries on.
"""

from __future__ import annotations

import contextlib
import re
import sys
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any, NoReturn

import click

from cleaner.errors import CleanerError, OutputError
from cleaner.options import RUN_SETTINGS, Options, OutputFormat
from cleaner.progress import BatchProgress
from cleaner.read import ReadStats, Source, input_files, iter_jsonl
from cleaner.record import Document
from cleaner.report import ReportEncoder, ReportWriter
from cleaner.resume import (
    FileDone,
    ResumableWriter,
    ResumeError,
    ResumeState,
    SourceFile,
    load_state,
    pending,
)
from cleaner.rulesets import check_rules
from cleaner.workers import PoolStats, WorkerPool, start_fork_server
from cleaner.write import (
    INDEX,
    FolderWriter,
    JsonlFileWriter,
    JsonLine,
    JsonlWriter,
    Writer,
    json_line,
    prepare_folder,
    remove_indexed_files,
)

EXIT_OUTPUT_FAILED = 3  # the output could not be written (a full disk): the run stopped
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?", re.IGNORECASE)

EXAMPLES = """
\b
Examples:
  cleaner clean samples/                     # every page under samples/, JSONL to stdout
  cleaner clean page.html notes.txt -o out.jsonl
  cleaner clean samples/ --format markdown --out-dir cleaned/
  cat pages.jsonl | cleaner clean -          # {"id", "url"?, "html" | "text"} per line
  cleaner clean crawl/ -o out.jsonl --workers 4 --timeout 5   # .warc.gz too; rerun to resume
  cleaner clean samples/ -o out.jsonl --report report/   # then open report/index.html
"""


def load_config(path: Path | None) -> dict[str, Any]:
    """The `[clean]` table of a TOML config file (keys are option names)."""
    if path is None:
        return {}
    try:
        with path.open("rb") as fh:
            table = tomllib.load(fh).get("clean", {})
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise click.BadParameter(f"cannot read {path}: {exc}", param_hint="--config") from exc
    for key in ("rules_path", "site_rules_path"):
        if key in table:
            table[key] = Path(table[key])
    return dict(table)


def build_options(config: Path | None, flags: dict[str, Any]) -> Options:
    """Defaults < config file < command-line flags."""
    try:
        return Options().merged(load_config(config)).merged(flags)
    except TypeError as exc:
        raise click.BadParameter(str(exc), param_hint="--config") from exc


def parse_size(value: str | None) -> int | None:
    """`4G`, `500M`, `2000000000` as bytes; `none` or `0` give 0: no limit."""
    if value is None:
        return None
    if value.strip().lower() in ("none", "0"):
        return 0
    match = _SIZE.fullmatch(value.strip())
    if match is None:
        raise click.BadParameter(f"not a size: {value!r} (try 2G or 500M)", param_hint="--max-worker-memory")
    power = " KMGT".index(match.group(2).upper() or " ")
    return int(float(match.group(1)) * 1024**power)


def work_items(
    inputs: tuple[str, ...], max_bytes: int, stats: ReadStats, state: ResumeState | None
) -> Iterator[Source | SourceFile | FileDone]:
    """Every source to clean, in order, each input file's followed by its `FileDone`. Web
    archives and JSONL files are read by the workers themselves (`SourceFile`)."""
    if "-" not in inputs:
        yield from pending(input_files(Path(i) for i in inputs), max_bytes, stats, state, in_workers=True)
        return
    for item in inputs:
        if item == "-":
            yield from iter_jsonl(sys.stdin, max_bytes=max_bytes)
            yield FileDone("-")
        else:
            yield from pending(input_files([Path(item)]), max_bytes, stats, None, in_workers=True)


def count_inputs(inputs: tuple[str, ...]) -> int:
    """How many input files a run has (stdin counts as one)."""
    return sum(1 if i == "-" else sum(1 for _ in input_files([Path(i)])) for i in inputs)


def run_header(inputs: tuple[str, ...], options: Options, fmt: OutputFormat) -> dict[str, Any]:
    """What names a resumable run: its inputs, cleaning options (not worker settings) and
    the format of an `--out-dir`'s files."""
    cleaning = {k: None if v is None else str(v) for k, v in asdict(options).items() if k not in RUN_SETTINGS}
    header = {"run": "cleaner clean", "inputs": list(inputs), "options": cleaning}
    return header if fmt is OutputFormat.JSONL else {**header, "format": str(fmt)}


def rules_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options that choose the rules a page is cleaned with, shared with `explain`."""
    for option in reversed(
        [
            click.option(
                "--rules",
                "rules_path",
                type=click.Path(exists=True, dir_okay=False, path_type=Path),
                help="Chrome rules file to use instead of the packaged one.",
            ),
            click.option(
                "--site-rules",
                "site_rules_path",
                type=click.Path(exists=True, dir_okay=False, path_type=Path),
                help="TOML file of per-site CSS selectors to remove before extraction (see README).",
            ),
            click.option(
                "--chrome/--no-chrome",
                "strip_chrome",
                default=None,
                help="Run the text-level chrome stage on HTML extraction output too. [default: on]",
            ),
        ]
    ):
        command = option(command)
    return command


@click.command(epilog=EXAMPLES)
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write JSONL here instead of stdout.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in OutputFormat]),
    default="jsonl",
    show_default=True,
    help="jsonl: one record per line. text/markdown: one file per input in --out-dir.",
)
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for --format text|markdown: one file per input, plus index.jsonl with every "
    "record (without its text; `file` names its file). Resumable like -o.",
)
@click.option(
    "--report",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write an HTML report here: an index of every input and one page per input "
    "with its removed blocks in place (open DIR/index.html).",
)
@click.option(
    "--config",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="TOML file with a [clean] table of options; flags override it.",
)
@rules_options
@click.option(
    "--comments/--no-comments",
    "include_comments",
    default=None,
    help="Keep reader comments found below an article. [default: off]",
)
@click.option(
    "--language/--no-language",
    "detect_language",
    default=None,
    help="Detect the text's language. [default: on]",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=None,
    help="Refuse inputs larger than this. [default: 20000000]",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes that clean pages (1 still uses one worker process). [default: all cores]",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Seconds a page may take; then its worker is stopped and it gets a timeout record. [default: 10]",
)
@click.option(
    "--max-worker-memory",
    "max_worker_memory",
    default=None,
    callback=lambda ctx, param, value: None if value is None else parse_size(value),
    help="Memory ceiling per worker, e.g. 2G (none: no limit); a page over it gets a too_large "
    "record. [default: 4G]",
)
@click.option(
    "--fresh",
    "--no-resume",
    "fresh",
    is_flag=True,
    help="With -o or --out-dir: start over instead of resuming an interrupted run of the same command.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar, error lines or summary on stderr.")
def clean(
    inputs: tuple[str, ...],
    output: Path | None,
    fmt: str,
    out_dir: Path | None,
    config: Path | None,
    report: Path | None,
    fresh: bool,
    quiet: bool,
    **flags: Any,
) -> None:
    """Clean saved pages: files, folders (recursively) or `-` for a JSONL stream on stdin.

    HTML (.html .htm .xhtml) and text (.txt .md) files are read, also gzipped (.gz), and
    web archives (.warc .warc.gz .warc.zst): each HTML response record is one input (other
    records are skipped and counted). Every input yields exactly one record with status ok,
    empty or error; other file types get an error record. Records keep the input order.
    Progress and errors go to stderr, records to stdout or -o.

    Pages are cleaned in worker processes; a page over --timeout or --max-worker-memory, or
    whose worker dies, gets an error record (timeout, too_large, worker_died) and the run goes
    on. With -o FILE or --out-dir DIR, an interrupted run (even kill -9) resumes when the same
    command is run again: done inputs are not redone, none is lost or written twice
    (FILE.done or DIR/index.jsonl.done tracks them). If the output cannot be written (no
    space left on the device), the run stops with exit code 3, leaving no half record or
    file; once there is space, the same command resumes.

    Exit codes: 0 every input ok or empty, 1 some inputs failed (each has an error record),
    2 usage error, 3 the output could not be written.
    """
    start_fork_server()
    output_format = OutputFormat(fmt)
    if (output_format is OutputFormat.JSONL) == (out_dir is not None):
        raise click.UsageError("--out-dir goes with --format text|markdown, and only with them")
    if output is not None and out_dir is not None:
        raise click.UsageError("-o or --out-dir, not both (--out-dir writes DIR/index.jsonl)")
    options = build_options(config, flags)
    if options.max_worker_memory == 0:  # --max-worker-memory none
        options = replace(options, max_worker_memory=None)
    try:
        digest = check_rules(options)  # fails early on bad rules; the workers compile their own
    except CleanerError as exc:
        raise click.ClickException(str(exc)) from exc
    header = run_header(inputs, options, output_format)
    target = out_dir if out_dir is not None else output
    resumable = target is not None and "-" not in inputs
    try:
        writer, state = open_output(output_format, target, header, resumable=resumable, fresh=fresh)
        if report is not None:
            earlier = (out_dir / INDEX if out_dir is not None else output) if state is not None else None
            writer = ReportWriter(writer, report, earlier=earlier)
        stats = ReadStats()
        files_done = len(state.done) if state else 0
        progress = BatchProgress(count_inputs(inputs), quiet=quiet, files_done=files_done)
        items = work_items(inputs, options.max_bytes, stats, state)
        failed = run(options, digest, items, writer, progress, stats)
    except ResumeError as exc:
        raise click.UsageError(str(exc)) from exc
    except OutputError as exc:
        output_failed(exc, target, resumable)
    if state is not None and not quiet:
        click.echo(f"resumed: {state.records} records were already in {target}", err=True)
    sys.exit(1 if failed or (state and state.errors) else 0)


def open_output(
    fmt: OutputFormat, target: Path | None, header: dict[str, Any], *, resumable: bool, fresh: bool
) -> tuple[Writer, ResumeState | None]:
    """The writer of a run into `target` (a JSONL file, a folder with `fmt`, or stdout if
    None) and what an interrupted run of the same command left there (None: nothing). Raises
    ResumeError if another command wrote it."""
    folder = target if fmt is not OutputFormat.JSONL else None
    jsonl = prepare_folder(folder) if folder is not None else target
    state = load_state(jsonl, header) if jsonl is not None and resumable and not fresh else None
    if folder is not None and state is None:
        remove_indexed_files(folder)  # starting over: the files of an earlier run go
    records: Writer
    if jsonl is None:
        records = JsonlWriter(sys.stdout)
    elif resumable:
        records = ResumableWriter(jsonl, header, state)
    else:
        records = JsonlFileWriter(jsonl)
    return (FolderWriter(folder, fmt, records) if folder is not None else records), state


def output_failed(exc: OutputError, target: Path | None, resumable: bool) -> NoReturn:
    """Stop the run on an output that cannot be written: say so, and what to do."""
    # a file is cut back to its last whole record; stdout cannot be
    kept = "What was written is whole (no half record)" if target else "Its last record may be cut short"
    again = "run the same command again: it resumes" if resumable else "run it again"
    hint = "free some space, then " if exc.no_space else ""
    click.echo(f"Error: {exc}. {kept}; {hint}{again}.", err=True)
    sys.exit(EXIT_OUTPUT_FAILED)


def resumable_writer(writer: Writer) -> ResumableWriter | None:
    """The writer under `writer` that records finished input files, if there is one."""
    if isinstance(writer, ReportWriter):
        writer = writer.inner
    if isinstance(writer, FolderWriter):
        writer = writer.index
    return writer if isinstance(writer, ResumableWriter) else None


def run(
    options: Options,
    digest: str,
    items: Iterator[Source | SourceFile | FileDone],
    writer: Writer,
    progress: BatchProgress,
    stats: ReadStats,
) -> int:
    """Clean every source into `writer`, then close it; the number of error records."""
    resumable = resumable_writer(writer)
    with progress:
        try:
            with WorkerPool(options, digest=digest, encode=encoder(writer)) as pool:
                for item in pool.imap(items):
                    if isinstance(item, FileDone):
                        if resumable is not None:
                            resumable.file_done(item.name)
                        progress.file_done()
                    else:
                        writer.write(item)
                        progress.advance(item)
        except BaseException:
            with contextlib.suppress(OSError, CleanerError):  # the first error is the one to tell
                writer.close()
            raise
        writer.close()
        stats.skipped.update(pool.read_stats.skipped)
        progress.notes.extend(summary_notes(stats, pool.stats))
    return progress.counts["error"]


def encoder(writer: Writer) -> Callable[[Document], JsonLine] | None:
    """What workers hand back: JSON lines, unless the writer needs whole Documents; with a
    report, the worker writes the input's report page too and adds its index row."""
    if isinstance(writer, ReportWriter):
        return None if isinstance(writer.inner, FolderWriter) else ReportEncoder(writer.folder)
    return None if isinstance(writer, FolderWriter) else json_line


def summary_notes(stats: ReadStats, pool: PoolStats) -> list[str]:
    notes = []
    if stats.skipped_total:
        reasons = ", ".join(f"{n} {why}" for why, n in stats.skipped.most_common(4))
        notes.append(f"{stats.skipped_total} WARC records skipped, not HTML responses ({reasons})")
    if pool.timeouts or pool.died:
        notes.append(f"{pool.timeouts} timed out, {pool.died} lost a worker")
    return notes
