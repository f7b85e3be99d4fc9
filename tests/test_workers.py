"""The worker pool: order, deadlines, dead workers. Real slow inputs, no test-only hooks."""

from __future__ import annotations

import io
import json
import os
import signal
import tempfile
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner import workers
from cleaner.cli import main
from cleaner.options import Options
from cleaner.read import InputFile, InputKind, ReadStats, Source, warc
from cleaner.record import Document
from cleaner.resume import FileDone, SourceFile, pending
from cleaner.workers import WorkerPool
from cleaner.write import JsonLine, json_line, to_json_line

GOOD = (
    "<html><head><title>Bridge</title></head><body><article><h1>Bridge</h1>"
    + "<p>Officials said the bridge would stay closed for repairs until the spring.</p>" * 5
    + "</article></body></html>"
)
# 20,000 short repeated paragraphs: the extractor's work grows with the square of their number
# (a minute or more on one core), though the page is under 1 MB.
SLOW = "<html><body>" + "<div><p>word word word word.</p></div>" * 20_000 + "</body></html>"
DEEP = "<html><body>" + "<div>" * 100_000 + "deep" + "</div>" * 100_000 + "</body></html>"


def test_records_keep_input_order_and_markers_pass_through() -> None:
    sources = [Source(f"p{i}", f"p{i}", InputKind.HTML, GOOD) for i in range(12)]
    items: list[object] = [*sources[:5], "end of file 1", *sources[5:], "end of file 2"]
    with WorkerPool(Options(workers=2)) as pool:
        out = list(pool.imap(items))
    assert [getattr(o, "id", o) for o in out] == [getattr(i, "id", i) for i in items]
    assert all(getattr(o, "status", "ok") == "ok" for o in out)


def test_a_slow_first_page_holding_back_a_full_window_does_not_stall_the_run() -> None:
    # the fast pages fill the window behind the slow one; once it is done, everything read
    # so far comes out at once and the pool must read on rather than wait for nothing
    slowish = "<html><body>" + "<div><p>word word word word.</p></div>" * 3000 + "</body></html>"
    sources = [Source("slow", "slow", InputKind.HTML, slowish)] + [
        Source(f"p{i}", f"p{i}", InputKind.HTML, GOOD) for i in range(7)
    ]
    out: list[Document] = []

    def run() -> None:  # no deadline, no worker replaced: nothing else wakes the pool
        with WorkerPool(Options(workers=2, timeout=60), window=4) as pool:
            out.extend(pool.imap(sources))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(30)
    assert not thread.is_alive(), f"stalled after {len(out)} records"
    assert [d.id for d in out] == [s.id for s in sources]
    assert all(d.status == "ok" for d in out)


def test_pathological_pages_time_out_and_the_run_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(6):
        (folder / f"good-{i}.html").write_text(GOOD)
    (folder / "slow-1.html").write_text(SLOW)
    (folder / "slow-2.html").write_text(SLOW)
    (folder / "deep.html").write_text(DEEP)
    (folder / "huge.html").write_bytes(b"<p>" + b"x" * 50_000_000 + b"</p>")
    started = time.monotonic()
    result = CliRunner().invoke(main, ["clean", str(folder), "--workers", "2", "--timeout", "2"])
    elapsed = time.monotonic() - started
    assert result.exit_code == 1, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == sorted(p.name for p in folder.iterdir())
    status = {r["id"]: (r["error"]["type"] if r["status"] == "error" else r["status"]) for r in records}
    assert status["slow-1.html"] == status["slow-2.html"] == "timeout"
    assert status["huge.html"] == "too_large"
    assert status["deep.html"] in ("ok", "empty", "extraction", "timeout")
    assert all(status[f"good-{i}.html"] == "ok" for i in range(6))
    # two 2 s deadlines side by side on two workers, plus start-up and the other pages; each
    # slow page alone runs for a minute or more when nothing stops it
    assert elapsed < 30, elapsed


def test_a_worker_that_dies_is_replaced_and_its_page_recorded() -> None:
    sources = [Source("slow", "slow", InputKind.HTML, SLOW)] + [
        Source(f"p{i}", f"p{i}", InputKind.HTML, GOOD) for i in range(4)
    ]
    with WorkerPool(Options(workers=1, timeout=120)) as pool:

        def kill_soon() -> None:
            while not pool.busy_pids:  # once the slow page is in a worker
                time.sleep(0.05)
            time.sleep(1)
            os.kill(pool.busy_pids[0], signal.SIGKILL)

        threading.Thread(target=kill_soon, daemon=True).start()
        out = list(pool.imap(sources))
        assert pool.stats.died == 1
    assert [d.id for d in out] == ["slow", "p0", "p1", "p2", "p3"]
    assert out[0].error is not None and out[0].error.type == "worker_died"
    assert "SIGKILL" in out[0].error.message
    assert all(d.status == "ok" for d in out[1:])


# 100,000 empty elements with seven attributes each: 3.5 MB of HTML whose parse takes about
# 1 GB of memory (lxml's nodes and attributes), reached in a second or two.
HUNGRY = (
    "<html><body><p>Officials said the bridge would stay closed.</p>"
    + "<i a=1 b=2 c=3 d=4 e=5 f=6 g=7></i>" * 100_000
    + "</body></html>"
)


def test_a_page_over_the_memory_ceiling_is_too_large_and_its_worker_replaced() -> None:
    sources = [Source("p0", "p0", InputKind.HTML, GOOD), Source("hungry", "hungry", InputKind.HTML, HUNGRY)]
    sources += [Source(f"p{i}", f"p{i}", InputKind.HTML, GOOD) for i in range(1, 4)]
    # a worker starts at about 150 MB of address space and cleans GOOD well within 400 MB
    # (one worker: the pages after the hungry one can only be cleaned by its replacement, and
    # none of them may be handed to the worker that is retiring)
    with WorkerPool(Options(workers=1, timeout=60, max_worker_memory=400 * 1024**2)) as pool:
        out = list(pool.imap(sources))
        assert pool.stats.restarts == 1 and pool.stats.died == 0 and pool.stats.timeouts == 0
    assert [d.id for d in out] == ["p0", "hungry", "p1", "p2", "p3"]
    hungry = out[1]
    assert hungry.status == "error" and hungry.error is not None and hungry.error.type == "too_large"
    assert str(400 * 1024**2) in hungry.error.message
    assert all(d.status == "ok" for d in out if d.id != "hungry")


def test_the_cli_flag_sets_the_ceiling(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "good.html").write_text(GOOD)
    (folder / "hungry.html").write_text(HUNGRY)
    result = CliRunner().invoke(main, ["clean", str(folder), "--workers", "1", "--max-worker-memory", "400M"])
    assert result.exit_code == 1, result.output
    records = {r["id"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert records["good.html"]["status"] == "ok"
    assert records["hungry.html"]["error"]["type"] == "too_large"


def test_encoded_records_are_the_documents_json_lines_timeouts_included() -> None:
    sources = [Source(f"p{i}", f"p{i}", InputKind.HTML, GOOD) for i in range(3)]
    sources.insert(1, Source("slow", "slow", InputKind.HTML, SLOW))
    options = Options(workers=2, timeout=1)
    with WorkerPool(options) as pool:
        documents = list(pool.imap(sources))
    with WorkerPool(options, encode=json_line) as pool:
        lines = list(pool.imap(sources))
    assert all(isinstance(line, JsonLine) for line in lines)
    assert [line.line for line in lines] == [to_json_line(doc) for doc in documents]
    assert [(line.id, line.status) for line in lines][:2] == [("p0", "ok"), ("slow", "error")]
    assert lines[1].error is not None and lines[1].error.type == "timeout"


# 600,000 paragraphs with three attributes: 15 MB of HTML that libxml2 cannot parse within
# 300 MB, and reports only as "unknown error" (lxml) and no page.
SWALLOWED = "<html><body>" + '<p a="1" b="2" c="3">x</p>' * 600_000 + "</body></html>"


def test_a_page_whose_parser_runs_out_of_memory_quietly_is_still_too_large() -> None:
    sources = [Source("big", "big", InputKind.HTML, SWALLOWED), Source("p0", "p0", InputKind.HTML, GOOD)]
    with WorkerPool(Options(workers=1, timeout=60, max_worker_memory=300 * 1024**2)) as pool:
        out = list(pool.imap(sources))
        assert pool.stats.restarts == 1
    assert out[0].error is not None and out[0].error.type == "too_large"
    assert out[1].status == "ok"


def _warc(path: Path, pages: list[tuple[str, str]]) -> Path:
    """A web archive of HTML responses, one per (name, html), with a non-HTML record between
    each two (it is skipped and counted, not an input)."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for name, html in pages:
            for ctype, body in (("text/html", html.encode()), ("image/png", b"\x89PNG\r\n\x1a\n")):
                headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
                writer.write_record(
                    writer.create_warc_record(
                        f"https://a.test/{name}", "response", payload=io.BytesIO(body), http_headers=headers
                    )
                )
    return path


def _file_items(*paths: Path) -> list[object]:
    items: list[object] = []
    for path in paths:
        items += [SourceFile(InputFile(path, path.name), 50_000_000), f"end of {path.name}"]
    return items


def _urls(out: list[object]) -> list[object]:
    return [getattr(o, "url", o) for o in out]


def test_archives_read_by_workers_keep_their_order_and_count_what_they_skip(tmp_path: Path) -> None:
    one = _warc(tmp_path / "one.warc.gz", [(f"a{i}", GOOD) for i in range(5)])
    two = _warc(tmp_path / "two.warc.gz", [(f"b{i}", GOOD) for i in range(3)])
    with WorkerPool(Options(workers=2)) as pool:
        out = list(pool.imap(_file_items(one, two)))
        assert pool.read_stats.skipped == {"image/png": 8}
    expected = [f"https://a.test/a{i}" for i in range(5)] + ["end of one.warc.gz"]
    expected += [f"https://a.test/b{i}" for i in range(3)] + ["end of two.warc.gz"]
    assert _urls(out) == expected
    assert all(getattr(o, "status", "ok") == "ok" for o in out)


def test_a_slow_page_in_an_archive_times_out_and_the_archive_goes_on(tmp_path: Path) -> None:
    archive = _warc(tmp_path / "a.warc.gz", [("p0", GOOD), ("slow", SLOW), ("p1", GOOD), ("p2", GOOD)])
    started = time.monotonic()
    with WorkerPool(Options(workers=1, timeout=2)) as pool:
        out = list(pool.imap(_file_items(archive)))
        assert pool.stats.timeouts == 1 and pool.stats.restarts == 1
    assert time.monotonic() - started < 30
    assert _urls(out) == [f"https://a.test/{n}" for n in ("p0", "slow", "p1", "p2")] + ["end of a.warc.gz"]
    slow = out[1]
    assert isinstance(slow, Document) and slow.error is not None and slow.error.type == "timeout"
    assert slow.id.startswith("a.warc.gz#") and slow.fetch is not None and slow.fetch.http_status == 200
    assert [getattr(o, "status", None) for o in out[2:4]] == ["ok", "ok"]


def test_a_worker_killed_on_an_archive_page_is_replaced_and_the_archive_goes_on(tmp_path: Path) -> None:
    archive = _warc(tmp_path / "a.warc.gz", [("slow", SLOW), ("p0", GOOD), ("p1", GOOD)])
    with WorkerPool(Options(workers=1, timeout=120)) as pool:

        def kill_soon() -> None:
            while not pool.busy_pids:
                time.sleep(0.05)
            time.sleep(2)  # well into the slow page
            os.kill(pool.busy_pids[0], signal.SIGKILL)

        threading.Thread(target=kill_soon, daemon=True).start()
        out = list(pool.imap(_file_items(archive)))
        assert pool.stats.died == 1
    assert _urls(out) == [f"https://a.test/{n}" for n in ("slow", "p0", "p1")] + ["end of a.warc.gz"]
    assert isinstance(out[0], Document) and out[0].error is not None
    assert out[0].error.type == "worker_died" and "SIGKILL" in out[0].error.message
    assert [getattr(o, "status", None) for o in out[1:3]] == ["ok", "ok"]


def test_a_page_over_the_memory_ceiling_in_an_archive_is_too_large(tmp_path: Path) -> None:
    archive = _warc(tmp_path / "a.warc.gz", [("p0", GOOD), ("hungry", HUNGRY), ("p1", GOOD)])
    with WorkerPool(Options(workers=1, timeout=60, max_worker_memory=400 * 1024**2)) as pool:
        out = list(pool.imap(_file_items(archive)))
        assert pool.stats.restarts == 1
    assert _urls(out) == [f"https://a.test/{n}" for n in ("p0", "hungry", "p1")] + ["end of a.warc.gz"]
    assert isinstance(out[1], Document) and out[1].error is not None and out[1].error.type == "too_large"
    assert getattr(out[2], "status", None) == "ok"


def test_records_waiting_for_earlier_files_go_to_disk_past_a_limit_for_all_files() -> None:
    budget = workers._Budget(3)
    one, two = workers._FileOutput(budget), workers._FileOutput(budget)
    one.append("a0")
    for i in range(3):
        two.append(f"b{i}")
    assert one._spool is None and two._spool is not None and two._memory == []  # 1 + 3 > 3
    assert budget.left == 2  # what went to disk is no longer counted
    assert list(one.drain()) == ["a0"] and budget.left == 3
    assert list(two.drain()) == ["b0", "b1", "b2"] and budget.left == 3
    two.append("b3")  # after a drain, in memory again
    assert two._spool is None and list(two.drain()) == ["b3"] and two.next == 4 and budget.left == 3


def test_spans_waiting_for_a_slow_one_go_to_disk_and_come_out_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = _warc(tmp_path / "a.warc.gz", [("slow", SLOW)] + [(f"p{i}", GOOD) for i in range(30)])
    monkeypatch.setattr(warc, "SPAN_BYTES", 1500)
    monkeypatch.setattr(workers, "_IN_MEMORY", 2)
    spools: list[object] = []

    def spool() -> object:
        spools.append(tempfile.TemporaryFile())  # noqa: SIM115 (closed by the pool)
        return spools[-1]

    monkeypatch.setattr(workers, "tempfile", SimpleNamespace(TemporaryFile=spool))
    items = list(pending([InputFile(archive, archive.name)], 50_000_000, ReadStats(), None, in_workers=True))
    assert len(items) > 4
    with WorkerPool(Options(workers=2, timeout=2)) as pool:
        out = list(pool.imap(items))  # the other worker cleans the later spans meanwhile
        assert pool.stats.timeouts == 1
    assert spools, "no span's records waited on disk"
    assert _urls(out) == [f"https://a.test/{n}" for n in ["slow"] + [f"p{i}" for i in range(30)]] + [
        FileDone(archive.name)
    ]
    assert [getattr(o, "status", None) for o in out[1:-1]] == ["ok"] * 30
