"""`cleaner report`: the HTML report of an existing run, from its JSONL output."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from cleaner.report import PAGE_SIZE, report_from_records

EXAMPLES = """
\b
Examples:
  cleaner report out.jsonl -o report/        # then open report/index.html
  cleaner report out.jsonl -o report/ --page-size 200
"""


def records(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise click.ClickException(f"{path}:{number}: not a JSON record: {exc}") from exc
            if not isinstance(record, dict):
                raise click.ClickException(f"{path}:{number}: not a JSON object")
            yield record


@click.command(epilog=EXAMPLES)
@click.argument("jsonl", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the report to (index.html, index-data.js, pages/).",
)
@click.option(
    "--page-size",
    type=click.IntRange(min=1),
    default=PAGE_SIZE,
    show_default=True,
    help="Rows per page of the index table (filters and sorting act on all rows).",
)
def report(jsonl: Path, output: Path, page_size: int) -> None:
    """Write a static HTML report of the records in JSONL (as `cleaner clean` writes them):
    an index of every input, sortable and filterable, with a chart of removals by reason,
    and one page per input with its kept text and removed blocks, each with reason and rule.

    A JSONL record does not keep the page order, so a page shows its kept text first and then
    its removed blocks; `cleaner clean --report DIR` shows removed blocks in place.
    """
    count = report_from_records(records(jsonl), output, page_size)
    click.echo(f"{count} inputs reported: open {output / 'index.html'}", err=True)
