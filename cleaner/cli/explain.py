"""`cleaner explain`: one page cleaned in the terminal, its blocks in page order, each removed
one with its reason and rule."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from cleaner.batch import clean_source
from cleaner.cli.clean import build_options, rules_options
from cleaner.errors import CleanerError
from cleaner.pipeline import Cleaner
from cleaner.read.files import read_file
from cleaner.report.terminal import print_view
from cleaner.report.view import view_of_document

EXAMPLES = """
\b
Examples:
  cleaner explain samples/html/en_cup_final.html
  cleaner explain page.html --url https://example.org/story | less   # plain text when piped
  cleaner explain notes.txt --removed-only
"""


@click.command(epilog=EXAMPLES)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", help="The page's URL (for metadata and per-site rules).")
@rules_options
@click.option("--removed-only", is_flag=True, help="Show only the removed blocks.")
def explain(file: Path, url: str | None, removed_only: bool, **flags: Any) -> None:
    """Clean FILE (HTML or text, also .gz) and show its blocks in page order: kept ones as
    text, removed ones in place, each with the reason and the rule that removed it, and the
    metadata with where each field was read. In colour on a terminal, plain when piped.
    Exit code 1 if the page could not be cleaned (its error is shown)."""
    options = build_options(None, {k: v for k, v in flags.items() if v is not None})
    try:
        cleaner = Cleaner(options)
    except CleanerError as exc:
        raise click.ClickException(str(exc)) from exc
    source = read_file(file, file.name, options.max_bytes)
    if url:
        source = replace(source, url=url)
    doc = clean_source(cleaner, source)
    print_view(view_of_document(doc), Console(highlight=False, soft_wrap=False), only_removed=removed_only)
    sys.exit(1 if doc.error else 0)
