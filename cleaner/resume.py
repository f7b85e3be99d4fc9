"""Resumable runs: `-o out.jsonl` with a done-manifest, `out.jsonl.done`, beside it; with
`--out-dir DIR` the output is `DIR/index.jsonl` (`cleaner.write.FolderWriter` writes each
page's file before its index line), its manifest `DIR/index.jsonl.done`.

The manifest is JSONL: a header naming the run (inputs and cleaning options), then one line
per input file whose records are all in the output, with the output's size at that point.
Records and manifest lines are appended whole and unbuffered, records first, so after any
interruption (even `kill -9`, or a full disk) the two agree up to a torn last line, which
resuming drops.

Resuming the same command: files in the manifest are skipped without being read; the
complete records after the last manifest line are a prefix of the records of the files
that follow (records come out in input order), so that many sources are skipped there, ids
checked. Nothing is redone that was written, nothing is written twice, nothing is lost.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleaner.errors import CleanerError
from cleaner.read import InputFile, ReadStats, Source, is_jsonl, is_warc, iter_file, kind_of
from cleaner.read.warc import span_name, warc_spans
from cleaner.record import Document, ErrorInfo
from cleaner.write import JsonLine, LineFile, line_of

_ERROR_MARK = b'"status": "error"'  # unambiguous: quotes inside JSON strings are escaped


class ResumeError(CleanerError):
    """The output cannot be resumed: another command wrote it, or the inputs changed."""

    type_name = "resume"
    stage = "write"


@dataclass(frozen=True, slots=True)
class FileDone:
    """Marks the end of an input file's sources in the stream of work; passes through the
    worker pool in order, so it arrives after the file's last record."""

    name: str


@dataclass(frozen=True, slots=True)
class SourceFile:
    """An input file (a page, a web archive, a JSONL file) for a worker process to read
    itself, so that its pages need not pass through the parent: its sources after the first
    `written` (the ids a resumed run finds in its output, checked) and `start` more (a worker
    that was replaced got that far in this run). A large web archive comes as several, one per
    `span` of it, so that workers can share it out."""

    file: InputFile
    max_bytes: int
    written: tuple[str, ...] = ()
    start: int = 0
    span: tuple[int, int] | None = None
    # what a replaced worker left: pages to give an error record instead of cleaning them
    # (they timed out or killed it), and where reading killed it twice (the rest of the file
    # then gets one error record)
    failed: tuple[tuple[int, ErrorInfo], ...] = ()
    give_up: tuple[int, ErrorInfo] | None = None

    def label_source(self) -> Source:
        """The file (or its span) as a source, for an error record about what is left of it."""
        name = self.file.name if self.span is None else span_name(self.file.name, self.span)
        return Source(name, str(self.file.path))


def file_sources(task: SourceFile, stats: ReadStats) -> Iterator[Source]:
    """The sources of `task` still to clean. Raises ResumeError if the file does not begin
    with the records that were written from it."""
    sources = iter_file(task.file, task.max_bytes, stats, task.span)
    for expected in task.written:
        source = next(sources, None)
        if source is None or source.id != expected:
            raise _changed(None if source is None else source.id, expected)
    for _ in range(task.start):
        next(sources, None)
    yield from sources


def _changed(found: str | None, expected: str) -> ResumeError:
    return ResumeError(
        f"inputs changed since the interrupted run ({found!r} where {expected!r} was written); "
        "use --fresh to start over"
    )


def worker_reads(file: InputFile) -> bool:
    """A web archive, a JSONL file or a page file: what a worker reads itself (see
    `SourceFile`). A missing file or one of no known type needs no reading: its error record
    is made at once."""
    path = file.path
    return path.is_file() and (is_warc(path) or is_jsonl(path) or kind_of(path) is not None)


@dataclass(frozen=True, slots=True)
class ResumeState:
    done: frozenset[str]  # input files whose records are all written
    tail_ids: tuple[str, ...]  # ids of the records written after the last of those
    offset: int  # output size to keep: everything after it is a torn line
    records: int  # records already in the output
    errors: int  # error records among them


def manifest_path(output: Path) -> Path:
    return output.with_name(output.name + ".done")


def _lines(path: Path) -> list[bytes]:
    """The complete lines of a file; a torn last line (no newline) is left out."""
    return path.read_bytes().split(b"\n")[:-1]


def load_state(output: Path, header: dict[str, Any]) -> ResumeState | None:
    """What an interrupted run with the same `header` left; None if there is nothing to
    resume. Raises ResumeError if the output belongs to another command."""
    manifest = manifest_path(output)
    if not (manifest.is_file() and output.is_file()):
        return None
    entries = [json.loads(line) for line in _lines(manifest)]
    if not entries:  # interrupted before the header was written
        return None
    if entries[0] != header:
        raise ResumeError(f"{output} was written by a different command; use --fresh to start over")
    done = frozenset(e["file"] for e in entries[1:])
    offset = entries[-1]["offset"] if len(entries) > 1 else 0
    records = errors = position = 0
    ids: list[str] = []
    with output.open("rb") as fh:
        for line in fh:  # streamed: the output may be far larger than memory
            if not line.endswith(b"\n"):
                break  # torn by the interruption: dropped
            if position >= offset:
                ids.append(str(json.loads(line)["id"]))
            position += len(line)
            records += 1
            errors += _ERROR_MARK in line
    if position < offset:
        raise ResumeError(f"{output} is shorter than its manifest says; use --fresh to start over")
    return ResumeState(done, tuple(ids), position, records, errors)


def pending(
    files: Iterable[InputFile],
    max_bytes: int,
    stats: ReadStats,
    state: ResumeState | None,
    *,
    in_workers: bool = False,
) -> Iterator[Source | SourceFile | FileDone]:
    """The sources still to clean, each input file's followed by its `FileDone`; with
    `in_workers`, a file is one `SourceFile` instead of its sources (a large `.warc.gz` one
    per span, unless a resumed run stopped inside it)."""
    skip = list(reversed(state.tail_ids)) if state else []
    for file in files:
        if state is not None and file.name in state.done:
            continue
        if in_workers and worker_reads(file):
            spans = None if skip else warc_spans(file.path)
            if spans:
                yield from (SourceFile(file, max_bytes, span=span) for span in spans)
            else:
                yield SourceFile(file, max_bytes, tuple(reversed(skip)))
            skip = []
        else:
            for source in iter_file(file, max_bytes, stats):
                if skip:
                    expected = skip.pop()
                    if source.id != expected:
                        raise _changed(source.id, expected)
                    continue
                yield source
        yield FileDone(file.name)


class ResumableWriter:
    """Appends JSONL records to `output` and finished input files to its manifest, each line
    whole (`LineFile`: a full disk leaves both at their last whole line)."""

    def __init__(self, output: Path, header: dict[str, Any], state: ResumeState | None) -> None:
        manifest = manifest_path(output)
        if state is None:
            self._out = LineFile(output)
            self._manifest = LineFile(manifest)
            self._manifest.append(json.dumps(header).encode() + b"\n")
        else:
            self._out = LineFile(output, keep=state.offset)  # drops a torn last record
            self._manifest = LineFile(manifest, keep=sum(len(line) + 1 for line in _lines(manifest)))

    @property
    def offset(self) -> int:
        return self._out.offset

    def write(self, doc: Document | JsonLine) -> None:
        self._out.append(line_of(doc).encode("utf-8"))

    def file_done(self, name: str) -> None:
        entry = {"file": name, "offset": self.offset}
        self._manifest.append(json.dumps(entry, ensure_ascii=False).encode() + b"\n")

    def close(self) -> None:
        self._out.close()
        self._manifest.close()
