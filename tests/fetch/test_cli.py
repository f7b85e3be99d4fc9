"""`cleaner fetch` as a user runs it: exit codes, resuming, and surviving `kill -9`."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from cleaner.cli.fetch import fetch, fetch_options
from cleaner.fetch import FetchOptions
from cleaner.options import Options
from cleaner.rulesets import check_rules
from tests.fetch.server import Host

ROOT = Path(__file__).resolve().parents[2]
CONFIG = """
[fetch]
delay = 0.05
jitter = 0.2
backoff = 0.05
max_backoff = 0.2
attempts = 1
deadline = 10
"""


def setup(tmp_path: Path, urls: list[str]) -> tuple[Path, Path, Path]:
    (tmp_path / "fast.toml").write_text(CONFIG)
    (tmp_path / "urls.txt").write_text("# test list\n\n" + "\n".join(urls) + "\n")
    return tmp_path / "urls.txt", tmp_path / "out.jsonl", tmp_path / "fast.toml"


def records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_help_says_what_ignore_robots_does() -> None:
    result = CliRunner().invoke(fetch, ["--help"])
    assert result.exit_code == 0
    assert "--ignore-robots" in result.output and "Neither fetch nor obey robots.txt" in result.output
    assert "cleaner fetch urls.txt -o pages.jsonl" in result.output
    assert "--url-deadline" in result.output and "not waiting for the host's turn" in result.output


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert CliRunner().invoke(fetch, []).exit_code == 2
    assert CliRunner().invoke(fetch, [str(tmp_path / "missing.txt")]).exit_code == 2
    (tmp_path / "u.txt").write_text("")
    assert CliRunner().invoke(fetch, [str(tmp_path / "u.txt"), "--delay", "-1"]).exit_code == 2


def test_all_fetched_exits_0_and_stdin_works(host: Host, tmp_path: Path) -> None:
    _, _, config = setup(tmp_path, [])
    stdin = f"{host.url('/page/a')}\n{host.url('/text')}\n{host.url('/page/a')}\n"
    result = CliRunner().invoke(fetch, ["-", "--config", str(config)], input=stdin)
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert sorted(r["id"] for r in lines) == [host.url("/page/a"), host.url("/text")]
    assert all(r["status"] == "ok" and r["http_status"] == 200 for r in lines)
    assert "fetched 2 of 2 URLs" in result.stderr  # the summary; no bar when not a terminal
    assert "\r" not in result.stderr


def test_failures_exit_1_and_resume_skips_what_is_done(host: Host, tmp_path: Path) -> None:
    ok, gone, down = host.url("/page/a"), host.url("/status/404"), host.url("/status/503")
    urls, out, config = setup(tmp_path, [ok, gone, down])
    args = [str(urls), "-o", str(out), "--config", str(config), "-q"]
    result = CliRunner().invoke(fetch, args)
    assert result.exit_code == 1 and result.stderr == ""
    by_id = {r["id"]: r for r in records(out)}
    assert by_id[gone]["error"] == {"type": "http_4xx", "message": "HTTP 404 Not Found", "stage": "fetch",
                                    "retryable": False}  # fmt: skip
    assert by_id[down]["error"]["retryable"] is True

    before = Counter(host.site.paths())
    assert CliRunner().invoke(fetch, args).exit_code == 1
    again = Counter(host.site.paths()) - before
    assert again == Counter({"/robots.txt": 1, "/status/503": 1})  # only the transient failure
    assert sorted(r["id"] for r in records(out)) == sorted([ok, gone, down])

    before = Counter(host.site.paths())
    assert CliRunner().invoke(fetch, [*args, "--retry-failed"]).exit_code == 1
    again = Counter(host.site.paths()) - before
    assert again == Counter({"/robots.txt": 1, "/status/503": 1, "/status/404": 1})
    assert sorted(r["id"] for r in records(out)) == sorted([ok, gone, down])


def test_url_deadline_and_warc_out_flags(host: Host, tmp_path: Path) -> None:
    urls, out, config = setup(tmp_path, [host.url("/page/a"), host.url("/drip")])
    warc = tmp_path / "run.warc.gz"
    args = [str(urls), "-o", str(out), "--config", str(config), "-q", "--url-deadline", "0.5",
            "--warc-out", str(warc), "--user-agent", "cleaner-test/1 (+https://example.org/t)"]  # fmt: skip
    assert CliRunner().invoke(fetch, args).exit_code == 1
    by_id = {r["id"]: r for r in records(out)}
    assert by_id[host.url("/page/a")]["status"] == "ok"
    error = by_id[host.url("/drip")]["error"]
    assert error["type"] == "timeout" and error["retryable"] is True
    assert "URL deadline of 0.5 s" in error["message"]
    with warc.open("rb") as fh:
        kinds = [(r.rec_type, r.content_stream().read()) for r in ArchiveIterator(fh)]
    assert kinds[0][0] == "warcinfo" and b"cleaner-test/1" in kinds[0][1]
    assert [k for k, _ in kinds[1:]] == ["response", "request"] * 2  # robots.txt and the page


def test_ignore_robots_flag(make_host: Callable[..., Host], tmp_path: Path) -> None:
    host = make_host("User-agent: *\nDisallow: /\n")
    urls, out, config = setup(tmp_path, [host.url("/page/a")])
    assert CliRunner().invoke(fetch, [str(urls), "-o", str(out), "--config", str(config)]).exit_code == 1
    out.unlink()
    assert CliRunner().invoke(fetch, [str(urls), "-o", str(out), "--config", str(config),
                                      "--ignore-robots"]).exit_code == 0  # fmt: skip


def test_kill_9_at_any_moment_then_resume(make_host: Callable[..., Host], tmp_path: Path) -> None:
    hosts = [make_host() for _ in range(3)]
    for h in hosts:
        h.site.page_delay = 0.05
    listed = [h.url(f"/page/{i}") for h in hosts for i in range(25)]
    listed += [hosts[0].url("/status/404"), hosts[1].url("/status/503")]
    urls, out, config = setup(tmp_path, listed)
    cli = str(Path(sys.executable).with_name("cleaner"))
    command = [cli, "fetch", str(urls), "-o", str(out), "--config", str(config), "-q"]
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    rng = random.Random()
    for _ in range(2):  # two rounds: killed at a random moment, then run again to the end
        out.unlink(missing_ok=True)
        process = subprocess.Popen(command, cwd=ROOT, env=env)
        time.sleep(rng.uniform(0.3, 3.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        killed_at = time.monotonic()
        final = _final_ids(out)
        assert subprocess.run(command, cwd=ROOT, env=env, timeout=120).returncode == 1
        for h in hosts:
            refetched = {h.url(path) for t, path, _ in h.site.log if t > killed_at}
            assert not (refetched & final), "a URL already done was fetched again"
        lines = out.read_text().splitlines()
        assert sorted(json.loads(line)["id"] for line in lines) == sorted(listed)  # each exactly once
        statuses = Counter(json.loads(line)["status"] for line in lines)
        assert statuses == Counter({"ok": 75, "error": 2})


def _final_ids(out: Path) -> set[str]:
    """Ids of the complete, final records a killed run left behind."""
    if not out.exists():
        return set()
    done = set()
    for line in out.read_text().split("\n")[:-1]:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record["status"] != "error" or not record["error"]["retryable"]:
            done.add(record["id"])
    return done


def test_the_command_cleans_in_worker_processes_and_a_library_call_in_its_own() -> None:
    assert fetch_options(None, {}).clean_workers is None  # one per core
    assert fetch_options(None, {"clean_workers": 0}).clean_workers == 0
    assert FetchOptions().clean_workers == 0


def test_the_fetching_process_never_imports_the_pipeline(host: Host, tmp_path: Path) -> None:
    # its workers clean (forked from a server that has it loaded); it only fetches and writes
    urls, out, config = setup(tmp_path, [host.url("/page/a")])
    code = (
        "import sys\n"
        "from cleaner.cli import main\n"
        f"try:\n    main(['fetch', {str(urls)!r}, '-o', {str(out)!r}, '-q', '--config', {str(config)!r},"
        " '--workers', '1'])\n"
        "except SystemExit:\n    pass\n"
        "heavy = ('trafilatura', 'cleaner.pipeline', 'langdetect')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120, check=True)  # fmt: skip
    assert run.stdout.strip() == "[]", run.stderr
    (record,) = records(out)
    assert record["status"] == "ok" and record["rules_digest"] == check_rules(Options())


def test_a_piped_list_is_fetched_as_it_comes(make_host: Callable[..., Host], tmp_path: Path) -> None:
    # The writer of the pipe is slow: the first URLs are fetched and written before the list
    # ends, and a resumed run skips what is done, a repeat of it included.
    host = make_host()
    _, out, config = setup(tmp_path, [])
    cli = str(Path(sys.executable).with_name("cleaner"))
    command = [cli, "fetch", "-", "-o", str(out), "--config", str(config), "--workers", "0"]
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    first = [host.url(f"/page/{i}") for i in range(3)]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdin=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdin is not None
    process.stdin.write("".join(f"{url}\n" for url in first))
    process.stdin.flush()
    deadline = time.monotonic() + 30
    while len(_final_ids(out)) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _final_ids(out) == set(first)  # written while the list is still open
    process.stdin.write(f"{first[0]}\n{host.url('/page/3')}\n")
    process.stdin.close()
    assert process.wait(timeout=30) == 0
    assert sorted(r["id"] for r in records(out)) == sorted([*first, host.url("/page/3")])
    assert process.stderr is not None and "fetched 4 of 4 URLs" in process.stderr.read()

    listed = f"{first[1]}\n{first[1]}\n{host.url('/page/4')}\n"
    again = subprocess.run(
        command, cwd=ROOT, env=env, input=listed, capture_output=True, text=True, timeout=60
    )
    summary = " ".join(again.stderr.split())
    assert again.returncode == 0
    assert "fetched 1 of 1 URLs" in summary and "; 1 already done before" in summary
    assert len(records(out)) == 5
