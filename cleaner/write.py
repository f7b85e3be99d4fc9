"""Where output is written: JSONL records, or one text/markdown file per input.

File names for `--out-dir` come from record ids, which come from outside (paths, JSONL ids),
so they are reduced to a safe character set, never contain a path separator or start with a
dot, and carry a short hash of the id so that two ids never map to the same file.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from cleaner.options import OutputFormat
from cleaner.record import BlockKind, Document, ErrorInfo, Status

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_STEM = 120
_MARKDOWN_PREFIX = {BlockKind.HEADING: "## ", BlockKind.LIST_ITEM: "- ", BlockKind.QUOTE: "> "}
_SUFFIX = {OutputFormat.TEXT: ".txt", OutputFormat.MARKDOWN: ".md"}


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
    """Writes one JSON object per line and flushes it, so a reader downstream sees it at once."""

    def __init__(self, stream: IO[str], *, owned: bool = False) -> None:
        self._stream = stream
        self._owned = owned

    def write(self, doc: Document | JsonLine) -> None:
        self._stream.write(line_of(doc))
        self._stream.flush()

    def close(self) -> None:
        if self._owned:
            self._stream.close()


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


class FolderWriter:
    """One file per `ok`/`empty` record in `folder`, plus `index.jsonl` listing every record
    (errors included, without their text) and the file each one went to."""

    def __init__(self, folder: Path, fmt: OutputFormat) -> None:
        self.folder = folder
        self.fmt = fmt
        folder.mkdir(parents=True, exist_ok=True)
        self._index = (folder / "index.jsonl").open("a", encoding="utf-8")

    def write(self, doc: Document | JsonLine) -> None:
        if not isinstance(doc, Document):
            raise TypeError("a folder of files is written from Documents, not JSON lines")
        entry = doc.to_dict()
        del entry["text"]
        entry["file"] = None
        if doc.status != "error":
            name = safe_name(doc.id, _SUFFIX[self.fmt])
            target = (self.folder / name).resolve()
            if target.parent != self.folder.resolve():  # safe_name makes this impossible
                raise ValueError(f"refusing to write outside {self.folder}: {name}")
            target.write_text(render(doc, self.fmt), encoding="utf-8")
            entry["file"] = name
        self._index.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._index.flush()

    def close(self) -> None:
        self._index.close()
