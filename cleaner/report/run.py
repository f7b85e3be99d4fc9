"""Writing a report alongside a run (`cleaner clean --report DIR`) or from its JSONL output.

During a run each worker renders and writes the report pages of the inputs it cleaned (in
parallel, and from the `Document`, which knows the page order), and hands back its JSON line
with the input's index row (`ReportedLine`); the main process only adds rows to the index.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleaner.errors import OutputError
from cleaner.record import Document
from cleaner.report.index import PAGE_SIZE, IndexBuilder, index_row
from cleaner.report.page import render_page
from cleaner.report.view import PageView, view_of_document, view_of_record
from cleaner.write import JsonLine, Writer, json_line, output_error, put_file, safe_name

PAGES = "pages"


@dataclass(frozen=True, slots=True)
class ReportedLine(JsonLine):
    """A record's JSON line, with its row of the report's index (its page is written), or
    why its page could not be written (a full disk: the run is to stop, not to go on)."""

    row: dict[str, Any]
    unwritten: OutputError | None = None


def write_page(folder: Path, view: PageView) -> dict[str, Any]:
    """Write the report page of `view` into `folder`/pages; its index row."""
    name = safe_name(view.id, ".html")
    put_file(folder / PAGES / name, render_page(view))
    return index_row(view, name)


@dataclass(frozen=True, slots=True)
class ReportEncoder:
    """The worker side of `--report`: picklable, so it goes to the worker processes."""

    folder: Path

    def __call__(self, doc: Document) -> ReportedLine:
        line = json_line(doc)
        try:
            row = write_page(self.folder, view_of_document(doc))
        except OutputError as exc:  # raised in the parent, which stops the run
            return ReportedLine(line.id, line.status, line.error, line.line, {}, exc)
        return ReportedLine(line.id, line.status, line.error, line.line, row)


class ReportWriter:
    """Writes records to `inner` and their rows to the report's index, written on close."""

    def __init__(self, inner: Writer, folder: Path, page_size: int = PAGE_SIZE) -> None:
        self.inner = inner
        self.folder = folder
        (folder / PAGES).mkdir(parents=True, exist_ok=True)
        self.index = IndexBuilder(folder, page_size)

    def write(self, doc: Document | JsonLine) -> None:
        if isinstance(doc, ReportedLine) and doc.unwritten is not None:
            raise doc.unwritten
        try:
            if isinstance(doc, ReportedLine):
                self.index.add(doc.row)
            elif isinstance(doc, Document):  # a writer that needs Documents: pages are made here
                self.index.add(write_page(self.folder, view_of_document(doc)))
            else:
                self.index.add(write_page(self.folder, view_of_record(json.loads(doc.line))))
        except OSError as exc:
            raise output_error(self.folder, exc) from exc
        self.inner.write(doc)

    def close(self) -> None:
        try:
            self.inner.close()
        finally:
            try:
                self.index.close()
            except OSError as exc:
                raise output_error(self.folder, exc) from exc


def report_from_records(records: Iterable[dict[str, Any]], folder: Path, page_size: int = PAGE_SIZE) -> int:
    """Write a report of JSON records (as `cleaner clean` writes them); how many there were."""
    (folder / PAGES).mkdir(parents=True, exist_ok=True)
    index = IndexBuilder(folder, page_size)
    try:
        for record in records:
            index.add(write_page(folder, view_of_record(record)))
    finally:
        index.close()
    return index.rows
