from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from cleaner.options import OutputFormat
from cleaner.record import Block, BlockKind, Document, ErrorInfo, Status
from cleaner.write import FolderWriter, render_markdown, safe_name


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
    writer = FolderWriter(tmp_path / "out", OutputFormat.TEXT)
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
