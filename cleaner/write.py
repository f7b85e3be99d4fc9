"""Where output is written: JSONL records, or one text/markdown file per input.

Nothing half-written is left to be read. JSONL lines are appended whole (`LineFile`): a
write that fails, on a full disk say, is cut back to the last whole line and raised as an
`OutputError` naming the file. A page file is written under a temporary name, synced and
moved into place; only then is its index line appended. So after any interruption every
index line's file is whole, and a resumed run (`cleaner.resume`) only has to drop a torn
last line and the temporary files.

File names for `--out-dir` come from record ids, which come from outside (paths, JSONL ids),
so they are reduced to a safe character set, never contain a path separator or start with a
dot, and carry a short hash of the id so that two ids never map to the same file.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from cleaner.errors import OutputError
from cleaner.options import OutputFormat
from cleaner.record import BlockKind, Document, ErrorInfo, Status

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_STEM = 120
_MARKDOWN_PREFIX = {BlockKind.HEADING: "## ", BlockKind.LIST_ITEM: "- ", BlockKind.QUOTE: "> "}
_SUFFIX = {OutputFormat.TEXT: ".txt", OutputFormat.MARKDOWN: ".md"}
_NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT})
INDEX = "index.jsonl"
TEMP_PREFIX = ".partial-"  # safe names never start with a dot: no page file looks like this


def output_error(path: Path | str, exc: OSError) -> OutputError:
    """`exc`, raised writing `path`, as the error a user reads."""
    if exc.errno in _NO_SPACE:
        return OutputError(f"no space left on device writing {path}", no_space=True)
    return OutputError(f"cannot write {path}: {exc.strerror or exc}")


def write_all(fh: IO[bytes], data: bytes) -> None:
    """Write all of `data` to the unbuffered `fh` (a raw write may take only part of it)."""
    view = memoryview(data)
    while view:
        written = fh.write(view)
        if not written:
            raise OSError(errno.EIO, "the write made no progress")
        view = view[written:]


class LineFile:
    """A file that lines are appended to whole. After a failed write it is cut back to its
    last whole line; should even that fail, the torn line has no newline, and readers of the
    output (and resuming) drop a last line without one."""

    def __init__(self, path: Path, keep: int | None = None) -> None:
        """A new, empty file at `path`; or, with `keep`, the file as it is up to `keep` bytes."""
        self.path = path
        try:
            self._fh: IO[bytes] = path.open("wb" if keep is None else "r+b", buffering=0)
            if keep is not None:
                self._fh.truncate(keep)
                self._fh.seek(keep)
        except OSError as exc:
            raise output_error(path, exc) from exc
        self.offset = keep or 0

    def append(self, data: bytes) -> None:
        try:
            write_all(self._fh, data)
        except OSError as exc:
            with contextlib.suppress(OSError):
                self._fh.truncate(self.offset)
                self._fh.seek(self.offset)
            raise output_error(self.path, exc) from exc
        self.offset += len(data)

    def close(self) -> None:
        try:
            self._fh.close()
        except OSError as exc:  # a network file system may tell of a full disk only now
            raise output_error(self.path, exc) from exc


def to_json_line(doc: Document) -> str:
    return json.dumps(doc.to_dict(), ensure_ascii=False) + "\n"


@dataclass(frozen=True, slots=True)
class JsonLine:
    """A record already rendered as its JSON line, where it was made (a worker process), with
    what the writing side still needs to count and report it. Sending this between processes
    costs a fraction of sending the `Document`."""

    id: str
    status: Status
    error: ErrorInfo | None
    line: str


def json_line(doc: Document) -> JsonLine:
    return JsonLine(doc.id, doc.status, doc.error, to_json_line(doc))


def line_of(record: Document | JsonLine) -> str:
    return record.line if isinstance(record, JsonLine) else to_json_line(record)


class Writer(Protocol):
    def write(self, doc: Document | JsonLine) -> None: ...
    def close(self) -> None: ...


class JsonlWriter:
    """Writes one JSON object per line to a stream (stdout) and flushes it, so a reader
    downstream sees it at once."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def write(self, doc: Document | JsonLine) -> None:
        try:
            self._stream.write(line_of(doc))
            self._stream.flush()
        except OSError as exc:
            raise output_error(getattr(self._stream, "name", "the output"), exc) from exc

    def close(self) -> None:
        pass


class JsonlFileWriter:
    """Writes one JSON object per line to a new file, each line whole (`LineFile`)."""

    def __init__(self, path: Path) -> None:
        self._file = LineFile(path)

    def write(self, doc: Document | JsonLine) -> None:
        self._file.append(line_of(doc).encode("utf-8"))

    def close(self) -> None:
        self._file.close()


def safe_name(id: str, suffix: str) -> str:
    """A file name for `id` that cannot escape its folder and cannot collide with another id's."""
    stem = _UNSAFE.sub("_", id).strip("._")[:_MAX_STEM] or "page"
    digest = hashlib.sha256(id.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{stem}-{digest}{suffix}"


def render_markdown(doc: Document) -> str:
    lines = [f"# {doc.title}"] if doc.title else []
    for block in doc.blocks:
        lines.append(_MARKDOWN_PREFIX.get(block.kind, "") + block.text)
    return "\n\n".join(lines) + "\n"


def render(doc: Document, fmt: OutputFormat) -> str:
    if fmt is OutputFormat.MARKDOWN:
        return render_markdown(doc)
    if fmt is OutputFormat.TEXT:
        return doc.text + "\n" if doc.text else ""
    return to_json_line(doc)


def put_file(target: Path, text: str) -> None:
    """Write `text` to `target` whole or not at all: to a temporary name beside it, synced
    (so that after a crash of the machine too the name never shows a truncated file), then
    renamed over it."""
    temp = target.with_name(TEMP_PREFIX + target.name)
    try:
        with temp.open("wb", buffering=0) as fh:
            write_all(fh, text.encode("utf-8"))
            os.fsync(fh.fileno())
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise output_error(target, exc) from exc


def index_entry(doc: Document, file: str | None) -> JsonLine:
    """The index line of `doc`: its record without the text (that is in `file`), and `file`."""
    entry = doc.to_dict()
    del entry["text"]
    entry["file"] = file
    return JsonLine(doc.id, doc.status, doc.error, json.dumps(entry, ensure_ascii=False) + "\n")


class FolderWriter:
    """One file per `ok`/`empty` record in `folder`, plus `index.jsonl`, written by `index`
    (a `ResumableWriter` when the run can be resumed): every record, errors included, without
    its text, with the name of the file it went to (`file`, null for errors). A record's file
    is in place before its index line is written (see the module's docstring); temporary
    files an interrupted run left are removed when the writer opens."""

    def __init__(self, folder: Path, fmt: OutputFormat, index: Writer) -> None:
        self.folder = folder
        self.fmt = fmt
        self.index = index
        for temp in folder.glob(TEMP_PREFIX + "*"):
            temp.unlink(missing_ok=True)

    def write(self, doc: Document | JsonLine) -> None:
        if not isinstance(doc, Document):
            raise TypeError("a folder of files is written from Documents, not JSON lines")
        name = None
        if doc.status != "error":
            name = safe_name(doc.id, _SUFFIX[self.fmt])
            target = (self.folder / name).resolve()
            if target.parent != self.folder.resolve():  # safe_name makes this impossible
                raise ValueError(f"refusing to write outside {self.folder}: {name}")
            put_file(target, render(doc, self.fmt))
        self.index.write(index_entry(doc, name))

    def close(self) -> None:
        self.index.close()


def prepare_folder(folder: Path) -> Path:
    """Create `folder` if need be; the path of its index."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(folder, exc) from exc
    return folder / INDEX


def remove_indexed_files(folder: Path) -> None:
    """Delete the page files the index in `folder` names, so that a run starting over leaves
    only its own files (nothing else in the folder is touched)."""
    index = folder / INDEX
    if not index.is_file():
        return
    with index.open("rb") as fh:
        for line in fh:
            try:
                name = json.loads(line).get("file")
            except (ValueError, AttributeError):
                continue  # a torn last line
            if isinstance(name, str) and name == Path(name).name and not name.startswith("."):
                (folder / name).unlink(missing_ok=True)
