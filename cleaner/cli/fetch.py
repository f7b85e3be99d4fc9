"""`cleaner fetch`: a list of URLs fetched politely and cleaned, one record per distinct URL."""

from __future__ import annotations

import asyncio
import sys
import tomllib
from pathlib import Path
from typing import IO, Any

import click

from cleaner.cli.clean import build_options
from cleaner.errors import CleanerError
from cleaner.fetch import Fetcher, FetchOptions
from cleaner.fetch.output import AppendingJsonl, ResumeState, read_urls, resume
from cleaner.fetch.progress import FetchProgress
from cleaner.fetch.warc import WarcArchive, run_info
from cleaner.pipeline import Cleaner
from cleaner.write import JsonlWriter, Writer

EXAMPLES = """
\b
Examples:
  cleaner fetch urls.txt -o pages.jsonl       # run it again after a crash: it resumes
  cleaner fetch urls.txt -o pages.jsonl --warc-out pages.warc.gz
  grep example.org urls.txt | cleaner fetch - --delay 2 > pages.jsonl
"""


def load_fetch_config(path: Path | None) -> dict[str, Any]:
    """The `[fetch]` table of a TOML config file (keys are `FetchOptions` field names)."""
    if path is None:
        return {}
    try:
        with path.open("rb") as fh:
            return dict(tomllib.load(fh).get("fetch", {}))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise click.BadParameter(f"cannot read {path}: {exc}", param_hint="--config") from exc


def fetch_options(config: Path | None, flags: dict[str, Any]) -> FetchOptions:
    """Defaults (pages cleaned in one process per core) < config file < command-line flags."""
    try:
        return FetchOptions(clean_workers=None).merged(load_fetch_config(config)).merged(flags)
    except TypeError as exc:
        raise click.BadParameter(str(exc), param_hint="--config") from exc


@click.command(epilog=EXAMPLES)
@click.argument("url_list", type=click.File("r", encoding="utf-8"))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Append JSONL records here (instead of stdout). An existing file is resumed: "
    "URLs with a final record are not fetched again.",
)
@click.option(
    "--warc-out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also archive every raw response (robots.txt too) with its request in this WARC "
    "file (gzipped records, a warcinfo record per run).",
)
@click.option(
    "--ignore-robots",
    is_flag=True,
    help="Neither fetch nor obey robots.txt (nor its Crawl-delay). Only for sites you "
    "run or have permission to crawl.",
)
@click.option(
    "--retry-failed",
    is_flag=True,
    help="When resuming, fetch again the URLs whose error was permanent (4xx, not_html...); "
    "transient errors (timeouts, 5xx, 429) are always retried.",
)
@click.option(
    "--user-agent",
    help="User-Agent header: name the tool and a contact URL. [default: "
    "cleaner/0.1 (+https://example.org/cleaner)]",
)
@click.option(
    "--delay",
    type=click.FloatRange(min=0),
    help="Seconds between requests to one host, at least "
    "(jittered; Crawl-delay and 429/503 raise it). [default: 1]",
)
@click.option("--per-host", type=click.IntRange(min=1), help="Requests at once per host. [default: 2]")
@click.option("--concurrency", type=click.IntRange(min=1), help="Requests at once in all. [default: 16]")
@click.option(
    "--attempts",
    type=click.IntRange(min=1),
    help="Tries per request on connection errors, timeouts, 408, 429 and 5xx. [default: 3]",
)
@click.option(
    "--timeout",
    "read_timeout",
    type=click.FloatRange(min=0.1),
    help="Seconds to wait for any read or write. [default: 20]",
)
@click.option(
    "--deadline",
    type=click.FloatRange(min=0.1),
    help="Seconds one request may take in all, body included. [default: 60]",
)
@click.option(
    "--url-deadline",
    type=click.FloatRange(min=0.1),
    help="Seconds all the work for one URL may take: robots.txt, tries, redirects and "
    "backoffs, but not waiting for the host's turn. Past it, the URL is a timeout error "
    "(retried on resume). [default: 60]",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    help="Refuse bodies larger than this, after decompression. [default: 20000000]",
)
@click.option(
    "--workers",
    "clean_workers",
    type=click.IntRange(min=0),
    help="Processes that clean the fetched pages, each page within the [clean] timeout "
    "(10 s by default); 0 cleans in this process instead. [default: one per core]",
)
@click.option(
    "--config",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="TOML file with [fetch] and [clean] tables of options; flags override it.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar, notes, error lines or summary on stderr.")
def fetch(
    url_list: IO[str],
    output: Path | None,
    warc_out: Path | None,
    ignore_robots: bool,
    retry_failed: bool,
    config: Path | None,
    quiet: bool,
    **flags: Any,
) -> None:
    """Fetch the URLs listed in URL_LIST (one per line; `-` for stdin) and clean each page.

    Blank lines and lines starting with # are skipped; a URL listed twice is fetched once.
    Every distinct URL gets exactly one record, whose id is the URL as listed: ok or empty
    (with final_url, http_status, fetched_at, redirects, attempts), or error (error.type
    such as timeout, dns, tls, connect, http_4xx, http_5xx, robots_disallowed, too_large,
    not_html, too_many_redirects, and error.retryable). Polite by default: robots.txt,
    2 requests at a time and 1 per second per host. Exit code 0 when every URL was fetched,
    1 when some failed (each has its error record), 2 on usage errors.
    """
    options = fetch_options(config, {**flags, "respect_robots": False if ignore_robots else None})
    try:
        cleaner = Cleaner(build_options(config, {}))
    except CleanerError as exc:
        raise click.ClickException(str(exc)) from exc
    urls = read_urls(url_list)
    state = resume(output, retry_failed) if output is not None else ResumeState()
    todo = [url for url in urls if url not in state.done]
    writer: Writer = AppendingJsonl(output) if output is not None else JsonlWriter(sys.stdout)
    archive = WarcArchive(warc_out, run_info(options)) if warc_out is not None else None
    progress = FetchProgress(len(todo), skipped=len(urls) - len(todo), quiet=quiet)
    try:
        with progress:
            asyncio.run(_run(cleaner, options, todo, writer, progress, archive))
    finally:
        writer.close()
        if archive is not None:
            archive.close()
    failed_before = sum(1 for url in urls if url in state.failed)
    sys.exit(1 if progress.counts["error"] + failed_before else 0)


async def _run(
    cleaner: Cleaner,
    options: FetchOptions,
    urls: list[str],
    writer: Writer,
    progress: FetchProgress,
    archive: WarcArchive | None,
) -> None:
    async with Fetcher(cleaner, options, archive=archive) as fetcher:
        async for doc in fetcher.stream(urls):
            writer.write(doc)
            progress.advance(doc)
