from __future__ import annotations

import json
from pathlib import Path

from cleaner.fetch.output import AppendingJsonl, read_urls, resume
from cleaner.record import Document, ErrorInfo, Status


def test_url_list_skips_blanks_and_comments() -> None:
    lines = [
        "# a comment\n",
        "https://a.test/1\n",
        "\n",
        "  https://a.test/2  \n",
        "https://a.test/1\n",
        "   \n",
    ]
    # a repeat comes again: the fetcher takes each URL once (tests/fetch/test_frontier.py)
    assert list(read_urls(lines)) == ["https://a.test/1", "https://a.test/2", "https://a.test/1"]


def line(id: str, status: str, retryable: bool = False) -> str:
    record: dict[str, object] = {"id": id, "status": status}
    if status == "error":
        record["error"] = {"type": "x", "message": "", "stage": "fetch", "retryable": retryable}
    return json.dumps(record) + "\n"


def test_resume_keeps_final_records_and_drops_the_rest(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    content = (
        line("ok", "ok") + line("empty", "empty") + line("gone", "error")
        + line("later", "error", retryable=True) + "not json\n" + line("ok", "ok") + '{"id": "torn", "sta'
    )  # fmt: skip
    out.write_text(content)
    state = resume(out)
    assert state.done == {"ok", "empty", "gone"} and state.failed == {"gone"} and state.dropped == 4
    assert out.read_text() == line("ok", "ok") + line("empty", "empty") + line("gone", "error")
    assert not list(tmp_path.glob(".*tmp"))


def test_retry_failed_drops_permanent_errors_too(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text(line("ok", "ok") + line("gone", "error"))
    assert resume(out, retry_failed=True).done == {"ok"}
    assert out.read_text() == line("ok", "ok")


def test_a_clean_file_is_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text(line("a", "ok"))
    before = out.stat().st_mtime_ns
    assert resume(out).dropped == 0 and out.stat().st_mtime_ns == before
    assert resume(tmp_path / "missing.jsonl").done == frozenset()


def test_appending_writer_writes_whole_lines(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text(line("a", "ok"))
    writer = AppendingJsonl(out)
    error = ErrorInfo("timeout", "slow", "fetch", retryable=True)
    writer.write(Document(id="b", source="b", status=Status.ERROR, error=error))
    writer.close()
    records = [json.loads(x) for x in out.read_text().splitlines()]
    assert [r["id"] for r in records] == ["a", "b"] and records[1]["error"]["retryable"] is True
