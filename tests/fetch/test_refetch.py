"""Conditional re-fetch: `--since-run` sends the validators a previous run recorded."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from cleaner.cli.fetch import fetch
from tests.fetch.server import Host


def test_a_second_run_gets_not_modified_without_cleaning(host: Host, tmp_path: Path) -> None:
    (tmp_path / "fast.toml").write_text("[fetch]\ndelay = 0.05\njitter = 0.2\nattempts = 1\n")
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{host.url('/etag/a')}\n{host.url('/page/b')}\n")
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    base = [str(urls), "--config", str(tmp_path / "fast.toml"), "-q"]
    assert CliRunner().invoke(fetch, [*base, "-o", str(first)]).exit_code == 0
    one = {r["id"]: r for r in map(json.loads, first.read_text().splitlines())}
    assert one[host.url("/etag/a")]["etag"] == '"v1"' and one[host.url("/etag/a")]["status"] == "ok"
    assert one[host.url("/etag/a")]["last_modified"] == "Mon, 01 Jan 2024 00:00:00 GMT"

    result = CliRunner().invoke(fetch, [*base, "-o", str(second), "--since-run", str(first)])
    assert result.exit_code == 0, result.output
    two = {r["id"]: r for r in map(json.loads, second.read_text().splitlines())}
    assert sorted(two) == sorted(one)  # one input, one record
    tagged = two[host.url("/etag/a")]
    assert (tagged["status"], tagged["http_status"], tagged["text"]) == ("not_modified", 304, "")
    assert tagged["etag"] == '"v1"' and tagged["last_modified"] == "Mon, 01 Jan 2024 00:00:00 GMT"
    assert two[host.url("/page/b")]["status"] == "ok"  # no validators: fetched as before
    asked = [h for _, p, h in host.site.log if p == "/etag/a"]
    assert "If-None-Match" not in asked[0] and asked[1]["If-None-Match"] == '"v1"'
    assert asked[1]["If-Modified-Since"] == "Mon, 01 Jan 2024 00:00:00 GMT"

    third = tmp_path / "third.jsonl"  # validators carry on through a not_modified record
    assert CliRunner().invoke(fetch, [*base, "-o", str(third), "--since-run", str(second)]).exit_code == 0
    assert json.loads(third.read_text().splitlines()[0])["status"] in ("not_modified", "ok")
    statuses = {r["id"]: r["status"] for r in map(json.loads, third.read_text().splitlines())}
    assert statuses[host.url("/etag/a")] == "not_modified"
