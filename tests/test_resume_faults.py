"""Runs cut short by faults: `kill -9` at random points, and a disk that fills up. After each,
the same command carries on, and the output ends up as an uninterrupted run's: one record
per input, each file whole, nothing left over."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner import write
from cleaner.cli import main
from cleaner.write import TEMP_PREFIX

from .test_write import FullDisk

PAGE = (
    "<html><head><title>Harbour notes {n}</title></head><body><article><h1>Harbour notes {n}</h1>"
    + "<p>Note {n}: the ferry left at {n} past eight, and the harbour master logged the tide.</p>" * 4
    + "<ul><li>Pier {n}</li><li>Berth {m}</li></ul></article></body></html>"
)
SLOW = (
    "<html><body><article><h1>Long log {n}</h1>"
    + "".join(f"<p>Entry {i}: the harbour crane moved cargo from berth {i % 7}.</p>" for i in range(3000))
    + "</article></body></html>"
)
CLEANER = str(Path(sys.executable).with_name("cleaner"))


def make_pages(folder: Path, count: int, slow: int = 0) -> list[str]:
    """`count` small pages, `slow` long ones among them, one that leaves nothing and one
    that cannot be decoded; their names, in the order a folder is read."""
    folder.mkdir()
    for n in range(count):
        (folder / f"p{n:03d}.html").write_text(PAGE.format(n=n, m=n * 7 % 13))
    for n in range(slow):
        (folder / f"p{(n + 1) * count // (slow + 1):03d}-long.html").write_text(SLOW.format(n=n))
    (folder / "p000-nav.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    (folder / "p001-broken.html").write_bytes(b"\0\1\2\3" * 100)
    return sorted(p.name for p in folder.iterdir())


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in `folder` (hidden ones too) with its bytes."""
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def index_of(folder: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (folder / "index.jsonl").read_text().splitlines()]


def whole_lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def wait_until(proc: subprocess.Popen[bytes], ready: Callable[[], bool], limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while proc.poll() is None and not ready() and time.monotonic() < deadline:
        time.sleep(0.01)


def moment_passed(moment: float) -> Callable[[], bool]:
    return lambda: time.monotonic() >= moment


def lines_reach(path: Path, count: int) -> Callable[[], bool]:
    return lambda: whole_lines(path) >= count


def kill_at_random(command: list[str], index: Path, total: int, rng: random.Random, kills: int) -> int:
    """Start `command` up to `kills` times, each time killing it (SIGKILL) at a random point:
    a random moment (starting up included) or a random number of records into the run, so
    that the kills spread over the whole input. How many runs were killed before they
    finished; stops early if a run finishes."""
    interrupted = 0
    log = index.parent.with_name("stderr.txt")
    for left in range(kills, 0, -1):
        before = whole_lines(index)
        with log.open("wb") as stderr:
            proc = subprocess.Popen(command, stderr=stderr)
            if rng.random() < 0.25:
                ready = moment_passed(time.monotonic() + rng.uniform(0, 1.5))
            else:
                ready = lines_reach(index, before + rng.randint(1, max(1, 2 * (total - before) // left)))
            wait_until(proc, ready)
            time.sleep(rng.uniform(0, 0.03))
            finished = proc.poll() is not None
            proc.kill()
            proc.wait()
        if finished:
            assert proc.returncode in (0, 1), log.read_text()
            break
        interrupted += 1
        if left == kills // 2:  # as if a kill had torn an index line and a page file in half
            with index.open("ab") as fh:
                fh.write(b'{"id": "p1')
            (index.parent / (TEMP_PREFIX + "p100.html-0000.txt")).write_text("half of a pa")
    return interrupted


@pytest.mark.parametrize(("fmt", "seed"), [("text", 1604), ("markdown", 2718)])
def test_out_dir_killed_at_random_points_resumes_to_the_uninterrupted_output(
    tmp_path: Path, fmt: str, seed: int
) -> None:
    ids = make_pages(tmp_path / "pages", 150, slow=3)
    base, out = tmp_path / "base", tmp_path / "out"

    def command(folder: Path) -> list[str]:
        return [CLEANER, "clean", str(tmp_path / "pages"), "--format", fmt, "--out-dir", str(folder)]

    options = ["--workers", "2", "--no-language", "--timeout", "60", "-q"]  # slow pages never time out
    clean_run = subprocess.run([*command(base), *options], capture_output=True, timeout=300)
    assert clean_run.returncode == 1, clean_run.stderr  # the broken page: an error record
    assert {r["status"] for r in index_of(base)} == {"ok", "empty", "error"}

    kills = 15
    interrupted = kill_at_random(
        [*command(out), *options], out / "index.jsonl", len(ids), random.Random(seed), kills
    )
    assert interrupted >= kills // 2, f"only {interrupted} runs were killed before they finished"
    finished = subprocess.run([*command(out), *options], capture_output=True, timeout=300)
    assert finished.returncode == clean_run.returncode, finished.stderr

    index = index_of(out)
    assert [r["id"] for r in index] == ids  # one record per input, in input order
    for record in index:
        assert (record["file"] is None) == (record["status"] == "error")
    # the same index, manifest and files, byte for byte: nothing missing, doubled, torn or left over
    assert snapshot(out) == snapshot(base)


def test_out_dir_resumes_after_a_torn_index_line_a_temporary_file_and_an_unindexed_file(
    tmp_path: Path,
) -> None:
    make_pages(tmp_path / "pages", 8)
    runner = CliRunner()
    base, out = tmp_path / "base", tmp_path / "out"
    args = ["clean", str(tmp_path / "pages"), "--format", "markdown", "--workers", "1", "-q"]
    assert runner.invoke(main, [*args, "--out-dir", str(base)]).exit_code == 1
    expected = snapshot(base)
    # interrupted after the sixth record: its manifest line, the seventh's index line (torn)
    # and the rename of the seventh's file done, the eighth's file half written
    shutil.copytree(base, out)
    records = (out / "index.jsonl").read_bytes().splitlines(keepends=True)
    (out / "index.jsonl").write_bytes(b"".join(records[:6]) + records[6][:25])
    manifest = (out / "index.jsonl.done").read_bytes().splitlines(keepends=True)
    (out / "index.jsonl.done").write_bytes(b"".join(manifest[:6]))
    last = json.loads(records[7])["file"]
    (out / last).rename(out / (TEMP_PREFIX + last))
    (out / (TEMP_PREFIX + "p0-00000000.md")).write_text("one that no record of this run replaces")
    resumed = runner.invoke(main, [*args[:-1], "--out-dir", str(out)])
    assert resumed.exit_code == 1 and "resumed: 6 records" in resumed.stderr, resumed.stderr
    assert snapshot(out) == expected


def test_an_out_dir_run_with_other_options_is_refused_and_fresh_starts_over(tmp_path: Path) -> None:
    make_pages(tmp_path / "pages", 3)
    runner = CliRunner()
    out = tmp_path / "out"
    args = ["clean", str(tmp_path / "pages"), "--out-dir", str(out), "-q"]
    assert runner.invoke(main, [*args, "--format", "text"]).exit_code == 1
    first = snapshot(out)
    (out / "notes.txt").write_text("not the cleaner's")
    changed = runner.invoke(main, [*args, "--format", "markdown"])
    assert changed.exit_code == 2 and "--fresh" in changed.output
    assert snapshot(out) == {**first, "notes.txt": b"not the cleaner's"}  # refused: nothing touched
    assert runner.invoke(main, [*args, "--format", "markdown", "--fresh"]).exit_code == 1
    files = [str(r["file"]) for r in index_of(out) if r["file"]]
    assert files and all(name.endswith(".md") for name in files)
    assert sorted(snapshot(out)) == sorted(["index.jsonl", "index.jsonl.done", "notes.txt", *files])


def used_bytes(target: Path) -> int:
    """What the run into `target` wrote, its manifest included."""
    files = list(target.iterdir()) if target.is_dir() else [target, target.with_name(target.name + ".done")]
    return sum(p.stat().st_size for p in files)


def check_stopped_whole(result_output: str, target: Path, base: Path, out_dir: bool) -> None:
    """After a full disk: a clear message, and only whole records (and files) in the output."""
    assert "no space left on device writing" in result_output and str(target) in result_output
    assert "run the same command again" in result_output
    jsonl = target / "index.jsonl" if out_dir else target
    data = jsonl.read_bytes() if jsonl.exists() else b""
    assert data == b"" or data.endswith(b"\n")
    expected = (base / "index.jsonl" if out_dir else base).read_bytes()
    assert expected.startswith(data)  # the records of the uninterrupted run, cut at a line
    if out_dir:
        assert not any(p.name.startswith(TEMP_PREFIX) for p in target.iterdir())
        for record in index_of(target):
            if record["file"]:
                assert (target / str(record["file"])).read_bytes() == (
                    base / str(record["file"])
                ).read_bytes()


@pytest.mark.parametrize("out_dir", [False, True], ids=["-o", "--out-dir"])
def test_a_full_disk_stops_the_run_with_whole_records_and_the_rerun_completes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, out_dir: bool
) -> None:
    make_pages(tmp_path / "pages", 30)
    runner = CliRunner()

    def args(target: Path) -> list[str]:
        where = ["--format", "text", "--out-dir", str(target)] if out_dir else ["-o", str(target)]
        return ["clean", str(tmp_path / "pages"), *where, "--workers", "1", "-q"]

    base, out = tmp_path / "base", tmp_path / "out"
    assert runner.invoke(main, args(base)).exit_code == 1
    disk = FullDisk(free=used_bytes(base) // 2)
    monkeypatch.setattr(write, "write_all", disk)
    full = runner.invoke(main, args(out))
    assert full.exit_code == 3 and disk.free == 0, full.output
    check_stopped_whole(full.stderr, out, base, out_dir)
    monkeypatch.undo()  # space again
    resumed = runner.invoke(main, args(out))
    assert resumed.exit_code == 1, resumed.output
    if out_dir:
        assert snapshot(out) == snapshot(base)
    else:
        assert out.read_bytes() == base.read_bytes()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[[int], Path]]:
    """Mounts a tmpfs of a given size (needs root); remounting makes it larger."""
    mount = tmp_path / "disk"
    mount.mkdir()
    mounted = False

    def sized(size: int) -> Path:
        nonlocal mounted
        options = f"remount,size={size}" if mounted else f"size={size}"
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(mount)], capture_output=True
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a small tmpfs here (needs root): {done.stderr.decode().strip()}")
        mounted = True
        return mount

    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs to fill up needs root")
    yield sized
    if mounted:
        subprocess.run(["umount", str(mount)], check=True)


@pytest.mark.parametrize("out_dir", [False, True], ids=["-o", "--out-dir"])
def test_a_really_full_disk_stops_the_run_and_it_resumes_once_there_is_space(
    tmp_path: Path, small_disk: Callable[[int], Path], out_dir: bool
) -> None:
    make_pages(tmp_path / "pages", 40)

    def command(target: Path) -> list[str]:
        where = ["--format", "text", "--out-dir", str(target)] if out_dir else ["-o", str(target)]
        return [CLEANER, "clean", str(tmp_path / "pages"), *where, "--workers", "2", "--no-language", "-q"]

    base = tmp_path / "base"
    assert subprocess.run(command(base), capture_output=True, timeout=300).returncode == 1
    # tmpfs gives each file at least a 4 KiB page: half of what the uninterrupted run used
    files = list(base.iterdir()) if out_dir else [base]
    needed = sum(-(-p.stat().st_size // 4096) * 4096 for p in files)
    out = small_disk(needed // 2 // 4096 * 4096) / "out"
    full = subprocess.run(command(out), capture_output=True, text=True, timeout=300)
    assert full.returncode == 3, full.stderr
    check_stopped_whole(full.stderr, out, base, out_dir)
    small_disk(4 * needed + 65536)
    resumed = subprocess.run(command(out), capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 1, resumed.stderr
    if out_dir:
        assert snapshot(out) == snapshot(base)
    else:
        assert out.read_bytes() == base.read_bytes()


def test_a_report_on_a_full_disk_stops_the_run_instead_of_losing_its_pages(
    tmp_path: Path, small_disk: Callable[[int], Path]
) -> None:
    """Report pages are written by the workers: a full disk there stops the run too, and
    the records stay those of an uninterrupted run (no worker_died records)."""
    make_pages(tmp_path / "pages", 40)

    def command(output: Path, report: Path) -> list[str]:
        options = ["--workers", "2", "--no-language", "-q"]
        return [
            CLEANER,
            "clean",
            str(tmp_path / "pages"),
            "-o",
            str(output),
            "--report",
            str(report),
            *options,
        ]

    base = tmp_path / "base.jsonl"
    assert (
        subprocess.run(command(base, tmp_path / "report"), capture_output=True, timeout=300).returncode == 1
    )
    disk = small_disk(64 * 1024)
    out = tmp_path / "out.jsonl"
    full = subprocess.run(command(out, disk / "report"), capture_output=True, text=True, timeout=300)
    assert full.returncode == 3 and "no space left on device writing" in full.stderr, full.stderr
    assert base.read_bytes().startswith(out.read_bytes())
    small_disk(4 * 1024 * 1024)
    resumed = subprocess.run(command(out, disk / "report"), capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 1, resumed.stderr
    assert out.read_bytes() == base.read_bytes()
