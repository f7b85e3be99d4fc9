"""Writing a report alongside a run (`cleaner clean --report DIR`) or from its JSONL output.

During a run each worker renders and writes the report pages of the inputs it cleaned (in
parallel, and from the `Document`, which knows the page order), under a temporary name, and
hands back its JSON line with the input's index row (`ReportedLine`); the main process, which
knows where the record lands in the output, gives the page its name and adds the row to the
index. A page is named by its record's number, its id made safe and a hash of the id
(`page_name`), so inputs that share an id do not share a page.

A resumed run (`-o FILE` again after an interruption) reports the whole output: the records
an earlier run wrote come first, each keeping the page that run wrote for it.
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleaner.errors import OutputError
from cleaner.record import Document
from cleaner.report.index import PAGE_SIZE, IndexBuilder, index_row
from cleaner.report.page import render_page
from cleaner.report.view import PageView, view_of_document, view_of_record
from cleaner.write import JsonLine, Writer, json_line, output_error, safe_name

PAGES = "pages"
_PART = ".part-"  # a page a worker wrote, not yet named


def page_name(number: int, id: str) -> str:
    """The page file of the `number`th record (from 1), whose id is `id`."""
    return f"{number:06d}-{safe_name(id, '.html')}"


@dataclass(frozen=True, slots=True)
class ReportedLine(JsonLine):
    """A record's JSON line, with its row of the report's index (its page is written), or
    why its page could not be written (a full disk: the run is to stop, not to go on)."""

    row: dict[str, Any]
    unwritten: OutputError | None = None


def write_page(folder: Path, view: PageView, name: str) -> dict[str, Any]:
    """Write the report page of `view` as `folder`/pages/`name`, whole or not at all; its
    index row. Not synced to disk, unlike the output's files: a page lost with the machine is
    made again from its record when the run resumes, and 10,000 syncs cost more than the pages."""
    target = folder / PAGES / name
    temp = target.with_name(f"{_PART}{uuid.uuid4().hex}.html")
    try:
        temp.write_text(render_page(view), encoding="utf-8")
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise output_error(target, exc) from exc
    return index_row(view, name)


@dataclass(frozen=True, slots=True)
class ReportEncoder:
    """The worker side of `--report`: picklable, so it goes to the worker processes."""

    folder: Path

    def __call__(self, doc: Document) -> ReportedLine:
        line = json_line(doc)
        try:
            row = write_page(self.folder, view_of_document(doc), f"{_PART}{uuid.uuid4().hex}.html")
        except OutputError as exc:  # raised in the parent, which stops the run
            return ReportedLine(line.id, line.status, line.error, line.line, {}, exc)
        return ReportedLine(line.id, line.status, line.error, line.line, row)


class ReportWriter:
    """Writes records to `inner` and their rows to the report's index, written on close.
    `earlier`: the output a resumed run appends to, whose records the report starts with."""

    def __init__(
        self, inner: Writer, folder: Path, page_size: int = PAGE_SIZE, earlier: Path | None = None
    ) -> None:
        self.inner = inner
        self.folder = folder
        (folder / PAGES).mkdir(parents=True, exist_ok=True)
        for part in (folder / PAGES).glob(f"{_PART}*"):  # left by an interrupted run
            part.unlink()
        self.index = IndexBuilder(folder, page_size)
        if earlier is not None:
            for record in read_records(earlier):
                self._add_earlier(record, earlier.parent)

    def _add_earlier(self, record: dict[str, Any], beside: Path) -> None:
        """`record` from an earlier run's output in the folder `beside`: an `--out-dir`
        index row names the file holding its text instead of carrying it."""
        view = view_of_record(record)
        name = page_name(self.index.rows + 1, view.id)
        if (self.folder / PAGES / name).is_file():  # the run that wrote the record wrote it
            self.index.add(index_row(view, name))
            return
        if "text" not in record and isinstance(record.get("file"), str):
            with contextlib.suppress(OSError, UnicodeDecodeError):
                text = (beside / record["file"]).read_text(encoding="utf-8")
                view = view_of_record({**record, "text": text})
        self.index.add(write_page(self.folder, view, name))

    def write(self, doc: Document | JsonLine) -> None:
        if isinstance(doc, ReportedLine) and doc.unwritten is not None:
            raise doc.unwritten
        name = page_name(self.index.rows + 1, doc.id)
        try:
            if isinstance(doc, ReportedLine):
                os.replace(self.folder / PAGES / doc.row["file"], self.folder / PAGES / name)
                self.index.add({**doc.row, "file": name})
            elif isinstance(doc, Document):  # a writer that needs Documents: pages are made here
                self.index.add(write_page(self.folder, view_of_document(doc), name))
            else:
                self.index.add(write_page(self.folder, view_of_record(json.loads(doc.line)), name))
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


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    """The records of a JSONL output file, streamed."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def report_from_records(records: Iterable[dict[str, Any]], folder: Path, page_size: int = PAGE_SIZE) -> int:
    """Write a report of JSON records (as `cleaner clean` writes them); how many there were."""
    (folder / PAGES).mkdir(parents=True, exist_ok=True)
    index = IndexBuilder(folder, page_size)
    try:
        for record in records:
            view = view_of_record(record)
            index.add(write_page(folder, view, page_name(index.rows + 1, view.id)))
    finally:
        index.close()
    return index.rows
