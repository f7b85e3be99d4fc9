from __future__ import annotations

import errno
import io
import json
import os
from pathlib import Path
from typing import IO

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaner import write
from cleaner.errors import OutputError
from cleaner.options import OutputFormat
from cleaner.record import Block, BlockKind, Document, ErrorInfo, Status
from cleaner.write import (
    TEMP_PREFIX,
    FolderWriter,
    JsonlFileWriter,
    JsonlWriter,
    LineFile,
    prepare_folder,
    remove_indexed_files,
    render_markdown,
    safe_name,
)


@given(st.text())
def test_safe_name_never_escapes_or_hides(id: str) -> None:
    name = safe_name(id, ".txt")
    assert "/" not in name and "\\" not in name and "\0" not in name
    assert not name.startswith(".")
    assert name not in {".", ".."}
    assert len(name) < 200


def test_safe_name_keeps_distinct_ids_distinct() -> None:
    assert safe_name("a/b.html", ".txt") != safe_name("a_b.html", ".txt")
    assert safe_name("../../etc/passwd", ".md").startswith("etc_passwd-")


def test_markdown_marks_headings_lists_and_quotes() -> None:
    doc = Document(
        id="x",
        source="x",
        status=Status.OK,
        title="Title",
        blocks=(
            Block("Intro."),
            Block("Part", BlockKind.HEADING),
            Block("item", BlockKind.LIST_ITEM),
            Block("said", BlockKind.QUOTE),
        ),
    )
    assert render_markdown(doc) == "# Title\n\nIntro.\n\n## Part\n\n- item\n\n> said\n"


def test_folder_writer_writes_files_and_an_index_of_every_record(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    writer = FolderWriter(folder, OutputFormat.TEXT, JsonlFileWriter(prepare_folder(folder)))
    writer.write(Document(id="../evil", source="s", status=Status.OK, text="Body."))
    writer.write(
        Document(id="bad", source="s", status=Status.ERROR, error=ErrorInfo("decode", "binary", "decode"))
    )
    writer.close()
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(files) == 2 and "index.jsonl" in files
    index = [json.loads(line) for line in (tmp_path / "out" / "index.jsonl").read_text().splitlines()]
    assert [e["id"] for e in index] == ["../evil", "bad"]
    assert index[1]["file"] is None and index[1]["error"]["type"] == "decode"
    assert (tmp_path / "out" / index[0]["file"]).read_text() == "Body.\n"


class FullDisk:
    """Stands in for `write_all` on a disk with `free` bytes left: a write that does not fit
    puts what fits on the disk, then fails as the kernel does (ENOSPC)."""

    def __init__(self, free: int) -> None:
        self.free = free

    def __call__(self, fh: IO[bytes], data: bytes) -> None:
        fits = data[: self.free]
        fh.write(fits)
        self.free -= len(fits)
        if len(fits) < len(data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_disk_cuts_a_line_file_back_to_its_last_whole_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "out.jsonl"
    lines = [json.dumps({"id": n, "text": "x" * n}).encode() + b"\n" for n in range(40)]
    monkeypatch.setattr(write, "write_all", FullDisk(free=sum(map(len, lines)) // 2))
    out = LineFile(path)
    with pytest.raises(OutputError) as raised:
        for line in lines:
            out.append(line)
    out.close()
    assert raised.value.no_space and "no space left" in str(raised.value) and str(path) in str(raised.value)
    kept = path.read_bytes()
    assert kept.endswith(b"\n") and kept == b"".join(lines[: kept.count(b"\n")])
    assert 0 < kept.count(b"\n") < len(lines)


def test_other_write_errors_name_the_file_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(fh: IO[bytes], data: bytes) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(write, "write_all", broken)
    with pytest.raises(OutputError) as raised:
        LineFile(tmp_path / "o.jsonl").append(b"{}\n")
    assert not raised.value.no_space and str(tmp_path / "o.jsonl") in str(raised.value)


def test_a_page_file_that_does_not_fit_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "out"
    index = JsonlFileWriter(prepare_folder(folder))
    writer = FolderWriter(folder, OutputFormat.TEXT, index)
    writer.write(Document(id="a", source="a", status=Status.OK, text="Short."))
    monkeypatch.setattr(write, "write_all", FullDisk(free=100))
    with pytest.raises(OutputError, match="no space left"):
        writer.write(Document(id="b", source="b", status=Status.OK, text="Long. " * 100))
    writer.close()
    assert sorted(p.name for p in folder.iterdir()) == sorted(["index.jsonl", safe_name("a", ".txt")])
    index_lines = (folder / "index.jsonl").read_text().splitlines()
    assert [json.loads(line)["id"] for line in index_lines] == ["a"]


def test_a_folder_writer_removes_the_temporary_files_of_an_interrupted_run(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    prepare_folder(folder)
    (folder / (TEMP_PREFIX + safe_name("a", ".md"))).write_text("half a pa")
    (folder / "notes.txt").write_text("not ours")
    FolderWriter(folder, OutputFormat.MARKDOWN, JsonlFileWriter(folder / "index.jsonl")).close()
    assert sorted(p.name for p in folder.iterdir()) == ["index.jsonl", "notes.txt"]


def test_starting_over_removes_the_files_the_old_index_names_and_nothing_else(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    writer = FolderWriter(folder, OutputFormat.TEXT, JsonlFileWriter(prepare_folder(folder)))
    writer.write(Document(id="a", source="a", status=Status.OK, text="Body."))
    writer.close()
    (folder / "notes.txt").write_text("not ours")
    with (folder / "index.jsonl").open("a") as fh:  # a torn line, and one naming a path outside
        fh.write(json.dumps({"id": "x", "file": "../outside.txt"}) + '\n{"id": "y", "fi')
    (tmp_path / "outside.txt").write_text("not ours either")
    remove_indexed_files(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["index.jsonl", "notes.txt"]
    assert (tmp_path / "outside.txt").exists()


def test_a_full_disk_under_stdout_is_an_output_error_too() -> None:
    class Full(io.StringIO):
        name = "<stdout>"

        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.raises(OutputError, match="no space left on device writing <stdout>"):
        JsonlWriter(Full()).write(Document(id="a", source="a", status=Status.OK, text="Body."))
