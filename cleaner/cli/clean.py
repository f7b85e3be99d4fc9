"""`cleaner clean`: saved pages from files, folders and JSONL streams."""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from cleaner.batch import clean_all
from cleaner.errors import CleanerError
from cleaner.options import Options, OutputFormat
from cleaner.pipeline import Cleaner
from cleaner.progress import BatchProgress
from cleaner.read import Source, iter_jsonl, iter_paths, walk
from cleaner.write import FolderWriter, JsonlWriter, Writer

EXAMPLES = """
\b
Examples:
  cleaner clean samples/                     # every page under samples/, JSONL to stdout
  cleaner clean page.html notes.txt -o out.jsonl
  cleaner clean samples/ --format markdown --out-dir cleaned/
  cat pages.jsonl | cleaner clean -          # {"id", "url"?, "html" | "text"} per line
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


def iter_inputs(inputs: tuple[str, ...], max_bytes: int) -> Iterator[Source]:
    for item in inputs:
        if item == "-":
            yield from iter_jsonl(sys.stdin)
        else:
            yield from iter_paths([Path(item)], max_bytes)


def count_inputs(inputs: tuple[str, ...]) -> int | None:
    """How many records a run will make, when that is known without reading stdin."""
    if "-" in inputs:
        return None
    return sum(sum(1 for _ in walk(Path(i))) if Path(i).is_dir() else 1 for i in inputs)


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
    help="Folder for --format text|markdown (plus an index.jsonl of all records).",
)
@click.option(
    "--config",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="TOML file with a [clean] table of options; flags override it.",
)
@click.option(
    "--rules",
    "rules_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Chrome rules file to use instead of the packaged one.",
)
@click.option(
    "--site-rules",
    "site_rules_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="TOML file of per-site CSS selectors to remove before extraction (see README).",
)
@click.option(
    "--chrome/--no-chrome",
    "strip_chrome",
    default=None,
    help="Run the text-level chrome stage on HTML extraction output too. [default: on]",
)
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
@click.option("-q", "--quiet", is_flag=True, help="No progress bar, error lines or summary on stderr.")
def clean(
    inputs: tuple[str, ...],
    output: Path | None,
    fmt: str,
    out_dir: Path | None,
    config: Path | None,
    quiet: bool,
    **flags: Any,
) -> None:
    """Clean saved pages: files, folders (recursively) or `-` for a JSONL stream on stdin.

    HTML (.html .htm .xhtml) and text (.txt .md) files are read, also gzipped (.gz). Every
    input yields exactly one record with status ok, empty or error; other file types get an
    error record. Progress and errors go to stderr, records to stdout or -o.
    """
    output_format = OutputFormat(fmt)
    if (output_format is OutputFormat.JSONL) == (out_dir is not None):
        raise click.UsageError("--out-dir goes with --format text|markdown, and only with them")
    options = build_options(config, flags)
    try:
        cleaner = Cleaner(options)
    except CleanerError as exc:
        raise click.ClickException(str(exc)) from exc
    writer = open_writer(output, output_format, out_dir)
    sources = iter_inputs(inputs, options.max_bytes)
    failed = run(cleaner, sources, writer, count_inputs(inputs), quiet)
    sys.exit(1 if failed else 0)


def open_writer(output: Path | None, fmt: OutputFormat, out_dir: Path | None) -> Writer:
    if out_dir is not None:
        return FolderWriter(out_dir, fmt)
    if output is not None:
        return JsonlWriter(output.open("w", encoding="utf-8"), owned=True)
    return JsonlWriter(sys.stdout)


def run(cleaner: Cleaner, sources: Iterator[Source], writer: Writer, total: int | None, quiet: bool) -> int:
    """Clean every source into `writer`, then close it; the number of error records."""
    with BatchProgress(total, quiet=quiet) as progress:
        try:
            for doc in clean_all(cleaner, sources):
                writer.write(doc)
                progress.advance(doc)
        finally:
            writer.close()
    return progress.counts["error"]
