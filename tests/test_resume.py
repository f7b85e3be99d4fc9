"""Resumable runs: kill -9 in the middle of a WARC run, run the same command, get every
record exactly once."""

from __future__ import annotations

import io
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner.cli import main
from cleaner.read import InputFile, ReadStats, warc
from cleaner.resume import FileDone, SourceFile, manifest_path, pending

PAGE = (
    "<html><head><title>Page {n}</title></head><body><article><h1>Page {n}</h1>"
    + "<p>Paragraph about the harbour, the ferry timetable and the new pier, number {n}.</p>" * 4
    + "</article></body></html>"
)
CLEANER = str(Path(sys.executable).with_name("cleaner"))


def make_archives(folder: Path, archives: int = 3, per_archive: int = 60) -> list[str]:
    """Archives of HTML responses with an image between pages; the URLs of the HTML ones."""
    folder.mkdir()
    urls = []
    for a in range(archives):
        with (folder / f"part-{a}.warc.gz").open("wb") as out:
            writer = WARCWriter(out, gzip=True)
            for n in range(per_archive):
                url = f"https://harbour.test/{a}/{n}"
                for ctype, body in (("text/html", PAGE.format(n=n).encode()), ("image/gif", b"GIF89a")):
                    headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
                    record = writer.create_warc_record(
                        url, "response", payload=io.BytesIO(body), http_headers=headers
                    )
                    writer.write_record(record)
                urls.append(url)
    return urls


def lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_kill_9_then_same_command_gives_each_record_exactly_once(tmp_path: Path) -> None:
    urls = make_archives(tmp_path / "crawl")
    out = tmp_path / "out.jsonl"
    command = [CLEANER, "clean", str(tmp_path / "crawl"), "-o", str(out), "--workers", "2", "-q"]
    proc = subprocess.Popen(command)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and out.read_bytes().count(b"\n") >= 70:  # into the second archive
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    written_before = out.read_bytes().count(b"\n")
    with out.open("ab") as fh:  # as if the kill had torn a line in half
        fh.write(b'{"id": "part-9.warc.gz#0", "status": "o')
    finished = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    records = lines(out)
    assert [r["url"] for r in records] == urls  # all there, once each, in input order
    assert len({r["id"] for r in records}) == len(urls)
    assert written_before < len(urls), "the run finished before it could be killed"
    done = [json.loads(line) for line in manifest_path(out).read_text().splitlines()][1:]
    assert [d["file"] for d in done] == ["part-0.warc.gz", "part-1.warc.gz", "part-2.warc.gz"]


def test_a_finished_run_is_not_redone_and_fresh_starts_over(tmp_path: Path) -> None:
    make_archives(tmp_path / "crawl", archives=1, per_archive=3)
    out = tmp_path / "out.jsonl"
    args = ["clean", str(tmp_path / "crawl"), "-o", str(out), "--workers", "1"]
    runner = CliRunner()
    assert runner.invoke(main, args).exit_code == 0
    first = out.read_text()
    again = runner.invoke(main, args)
    assert again.exit_code == 0 and "0 records" in again.stderr and "resumed: 3 records" in again.stderr
    assert out.read_text() == first
    fresh = runner.invoke(main, [*args, "--fresh"])
    assert fresh.exit_code == 0 and "3 records" in fresh.stderr and len(lines(out)) == 3


def test_another_command_on_the_same_output_is_refused(tmp_path: Path) -> None:
    make_archives(tmp_path / "crawl", archives=1, per_archive=2)
    out = tmp_path / "out.jsonl"
    runner = CliRunner()
    assert runner.invoke(main, ["clean", str(tmp_path / "crawl"), "-o", str(out), "-q"]).exit_code == 0
    other = runner.invoke(main, ["clean", str(tmp_path / "crawl"), "-o", str(out), "--no-language"])
    assert other.exit_code == 2 and "--fresh" in other.output


def test_an_archive_that_changed_since_the_interruption_is_refused(tmp_path: Path) -> None:
    """The worker that reads the archive checks the records already written from it."""
    make_archives(tmp_path / "crawl", archives=1, per_archive=4)
    out = tmp_path / "out.jsonl"
    args = ["clean", str(tmp_path / "crawl"), "-o", str(out), "--workers", "1", "-q"]
    runner = CliRunner()
    assert runner.invoke(main, args).exit_code == 0
    # interrupted after two records of the archive, before it was marked done
    manifest = manifest_path(out)
    manifest.write_text(manifest.read_text().splitlines()[0] + "\n")
    out.write_text("".join(out.read_text().splitlines(keepends=True)[:2]))
    resumed = runner.invoke(main, args)
    assert resumed.exit_code == 0 and len(lines(out)) == 4
    assert [r["url"] for r in lines(out)] == [f"https://harbour.test/0/{n}" for n in range(4)]
    manifest.write_text(manifest.read_text().splitlines()[0] + "\n")
    out.write_text("".join(out.read_text().splitlines(keepends=True)[:2]))
    (tmp_path / "crawl" / "part-0.warc.gz").unlink()
    (tmp_path / "other").mkdir()
    make_archives(tmp_path / "other" / "crawl", archives=1, per_archive=1)  # different offsets
    (tmp_path / "other" / "crawl" / "part-0.warc.gz").rename(tmp_path / "crawl" / "part-0.warc.gz")
    changed = runner.invoke(main, args)
    assert changed.exit_code == 2 and "inputs changed" in changed.output


def test_a_large_archive_is_shared_out_in_spans_and_resumes_inside_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    urls = make_archives(tmp_path / "crawl", archives=1, per_archive=40)
    archive = tmp_path / "crawl" / "part-0.warc.gz"
    runner = CliRunner()
    whole = tmp_path / "whole.jsonl"
    assert (
        runner.invoke(main, ["clean", str(archive), "-o", str(whole), "--workers", "1", "-q"]).exit_code == 0
    )

    monkeypatch.setattr(warc, "SPAN_BYTES", 2000)
    items = list(pending([InputFile(archive, archive.name)], 10**7, ReadStats(), None, in_workers=True))
    assert len(items) > 5 and all(isinstance(i, SourceFile) and i.span for i in items[:-1])
    assert items[-1] == FileDone(archive.name)
    out = tmp_path / "out.jsonl"
    args = ["clean", str(archive), "-o", str(out), "--workers", "2", "-q"]
    assert runner.invoke(main, args).exit_code == 0
    assert out.read_text() == whole.read_text()  # the same records as one worker reading it whole
    assert [r["url"] for r in lines(out)] == urls

    # interrupted inside the archive, before it was marked done: the rest is read whole
    manifest = manifest_path(out)
    manifest.write_text(manifest.read_text().splitlines()[0] + "\n")
    out.write_text("".join(whole.read_text().splitlines(keepends=True)[:13]))
    resumed = runner.invoke(main, args[:-1])  # not quiet: the summary says what was resumed
    assert resumed.exit_code == 0 and "resumed: 13 records" in resumed.stderr, resumed.stderr
    assert out.read_text() == whole.read_text()
