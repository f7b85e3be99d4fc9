"""`cleaner fetch`: a list of URLs fetched politely and cleaned, one record per distinct URL."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
import tomllib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import click

from cleaner.cli.clean import build_options
from cleaner.errors import CleanerError
from cleaner.fetch import Fetcher, FetchOptions
from cleaner.fetch.discover import DiscoverOptions, Seeds, discover
from cleaner.fetch.fetcher import Validators
from cleaner.fetch.frontier import Listed
from cleaner.fetch.output import AppendingJsonl, ResumeState, list_urls, read_validators, resume
from cleaner.fetch.progress import FetchProgress
from cleaner.fetch.warc import WarcArchive, run_info
from cleaner.options import Options
from cleaner.record import Document
from cleaner.rulesets import check_rules
from cleaner.workers import start_fork_server
from cleaner.write import JsonLine, JsonlWriter, Writer

EXAMPLES = """
\b
Examples:
  cleaner fetch urls.txt -o pages.jsonl       # run it again after a crash: it resumes
  cleaner fetch urls.txt -o pages.jsonl --warc-out pages.warc.gz
  grep example.org urls.txt | cleaner fetch - --delay 2 > pages.jsonl
  cleaner fetch --sitemap https://example.org/ --since 2024-05-01 -o new.jsonl
  cleaner fetch --discover https://example.org/ --max-urls 500 -o site.jsonl
  cleaner fetch urls.txt --since-run monday.jsonl -o tuesday.jsonl   # 304s: not_modified
  cleaner fetch urls.txt --public-only -o pages.jsonl   # URLs from users: no internal hosts
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
    """Defaults (pages cleaned in one process per core, into the JSON lines written) < config
    file < command-line flags."""
    try:
        return (
            FetchOptions(clean_workers=None, json_lines=True).merged(load_fetch_config(config)).merged(flags)
        )
    except TypeError as exc:
        raise click.BadParameter(str(exc), param_hint="--config") from exc


def remember_sniffio_is_missing() -> None:
    """httpcore imports the optional `sniffio` each time it makes a lock, several times a
    request, and Python does not remember an import that failed: without sniffio (anyio no
    longer brings it), each is a search of sys.path, about 65 us (encode/httpcore#1103).
    This process is ours: when it is not installed, say so once, where imports look first."""
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]  # None: "import fails", at once


def _since(value: datetime | None) -> datetime | None:
    return None if value is None or value.tzinfo is not None else value.replace(tzinfo=UTC)


@click.command(epilog=EXAMPLES)
@click.argument("url_list", type=click.File("r", encoding="utf-8"), required=False)
@click.option("--sitemap", "sitemaps", multiple=True, metavar="URL",
              help="Fetch the pages a sitemap lists: XML, gzipped or text, indexes followed; a "
              "site's root URL (or its robots.txt) means the sitemaps its robots.txt names "
              "(else /sitemap.xml). Repeatable.")  # fmt: skip
@click.option(
    "--feed",
    "feeds",
    multiple=True,
    metavar="URL",
    help="Fetch the pages an RSS, Atom or JSON feed links to. Repeatable.",
)
@click.option("--discover", "homepages", multiple=True, metavar="URL",
              help="Fetch the pages of a site's feeds and sitemaps, found from its homepage "
              "(<link rel=alternate|sitemap>) and its robots.txt. Repeatable.")  # fmt: skip
@click.option("--all-hosts", is_flag=True,
              help="Keep URLs of other hosts that sitemaps and feeds list (default: only the "
              "host named, with or without www.).")  # fmt: skip
@click.option(
    "--max-urls",
    type=click.IntRange(min=1),
    help="Fetch at most this many of the URLs that sitemaps and feeds list.",
)
@click.option("--since", type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
              help="Only sitemap and feed entries dated (lastmod, updated) on or after this "
              "UTC date; undated entries are kept.")  # fmt: skip
@click.option("--since-run", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A previous run's JSONL output: pages it fetched are asked for with "
              "If-None-Match / If-Modified-Since, and an unchanged one (304) gets a "
              "not_modified record and is not cleaned again.")  # fmt: skip
@click.option("--public-only", is_flag=True,
              help="Refuse private, loopback, link-local and other non-public addresses, "
              "checked after DNS resolution and on every redirect (for URLs others supplied). "
              "Redirects to non-http(s) URLs are always refused.")  # fmt: skip
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
    help="Seconds between the starts of two requests to one host, at least (plus up to "
    "10 % jitter; Crawl-delay and 429/503 raise it). [default: 1]",
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
    url_list: IO[str] | None,
    sitemaps: tuple[str, ...],
    feeds: tuple[str, ...],
    homepages: tuple[str, ...],
    all_hosts: bool,
    max_urls: int | None,
    since: datetime | None,
    since_run: Path | None,
    public_only: bool,
    output: Path | None,
    warc_out: Path | None,
    ignore_robots: bool,
    retry_failed: bool,
    config: Path | None,
    quiet: bool,
    **flags: Any,
) -> None:
    """Fetch the URLs listed in URL_LIST (one per line; `-` for stdin), and those that
    --sitemap, --feed and --discover find, and clean each page.

    Blank lines and lines starting with # are skipped; a URL listed twice is fetched once.
    Every distinct URL gets exactly one record, whose id is the URL as listed: ok or empty
    (with final_url, http_status, fetched_at, redirects, attempts), or error (error.type
    such as timeout, dns, tls, connect, http_4xx, http_5xx, robots_disallowed, too_large,
    not_html, too_many_redirects, and error.retryable). Polite by default: robots.txt,
    2 requests at a time and 1 per second per host. Exit code 0 when every URL was fetched,
    1 when some failed (each has its error record), 2 on usage errors. A sitemap or feed
    that cannot be read gets an error record too (stage discover).
    """
    start_fork_server()  # its imports and compiling overlap ours and the reading of the list
    seeds = Seeds(sitemaps, feeds, homepages)
    if url_list is None and not (sitemaps or feeds or homepages):
        raise click.UsageError("give a URL_LIST, or --sitemap, --feed or --discover")
    overrides = {"respect_robots": False if ignore_robots else None, "public_only": public_only or None}
    options = fetch_options(config, {**flags, **overrides})
    found = DiscoverOptions(same_host=not all_hosts, max_urls=max_urls, since=_since(since))
    clean = build_options(config, {})
    try:
        check_rules(clean)  # fails early on bad rules; the Cleaner is built where pages are cleaned
    except CleanerError as exc:
        raise click.ClickException(str(exc)) from exc
    remember_sniffio_is_missing()
    state = resume(output, retry_failed) if output is not None else ResumeState()
    known = read_validators(since_run) if since_run is not None else {}
    writer: Writer = AppendingJsonl(output) if output is not None else JsonlWriter(sys.stdout)
    archive = WarcArchive(warc_out, run_info(options)) if warc_out is not None else None
    progress = FetchProgress(None, quiet=quiet)
    run = _Run(clean, options, writer, progress, state)
    try:
        with progress:
            asyncio.run(run.all(url_list, known, (seeds, found), archive))
    finally:
        writer.close()
        if archive is not None:
            archive.close()
    sys.exit(1 if progress.counts["error"] + run.failed_before else 0)


class _Run:
    """One run: the URL list (read as it is fetched) and what discovery finds, fetched and
    written; what a resumed run already has is skipped and counted."""

    def __init__(
        self,
        clean: Options,
        options: FetchOptions,
        writer: Writer,
        progress: FetchProgress,
        state: ResumeState,
    ) -> None:
        self.clean, self.options, self.state = clean, options, state
        self.writer, self.progress = writer, progress
        self.listed = Listed()
        self.discovered = 0  # records of listings that could not be read
        self._skipped: set[str] = set()  # listed URLs already done (a part of `state.done`)
        self.failed_before = 0  # of those, the ones whose record is an error

    def record(self, doc: Document | JsonLine) -> None:
        self.writer.write(doc)
        if self.listed.finished:
            self.progress.set_total(self.discovered + self.listed.count)
        self.progress.advance(doc)

    async def all(
        self,
        url_list: IO[str] | None,
        known: dict[str, Validators],
        discovery: tuple[Seeds, DiscoverOptions],
        archive: WarcArchive | None,
    ) -> None:
        async with Fetcher(self.clean, self.options, archive=archive, known=known) as fetcher:
            found: list[str] = []
            async for item in discover(fetcher, *discovery):
                if isinstance(item, Document):
                    if item.id not in self.state.done:
                        self.discovered += 1
                        self.record(item)
                elif item not in self.state.done:
                    found.append(item)
            async for doc in fetcher.stream(self._todo(url_list, found), self.listed):
                self.record(doc)
        self.progress.set_total(self.discovered + self.listed.count)

    async def _todo(self, url_list: IO[str] | None, found: list[str]) -> AsyncIterator[str]:
        """The listed URLs not done yet, then the ones discovery found."""
        if url_list is not None:
            async for url in list_urls(url_list):
                if url not in self.state.done:
                    yield url
                elif url not in self._skipped:
                    self._skipped.add(url)
                    self.failed_before += url in self.state.failed
                    self.progress.skipped += 1
        for url in found:
            yield url
