from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner.cli import main
from cleaner.read import InputKind, ReadStats, iter_paths
from cleaner.read.warc import dechunk, http_body

ARTICLE = (
    "<html><head><title>Café owners rally</title></head><body><article><h1>Café owners rally</h1>"
    + "<p>The owners of the old café on the square met the council again to argue about rent.</p>" * 6
    + "</article></body></html>"
)


def response(
    writer: WARCWriter, uri: str, body: bytes, ctype: str = "text/html", status: str = "200 OK", **h: str
) -> None:
    headers = StatusAndHeaders(status, [("Content-Type", ctype), *h.items()], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers)
    )


def make_warc(path: Path, *, compress: bool = True) -> None:
    with path.open("wb") as out:
        w = WARCWriter(out, gzip=compress)
        w.write_record(w.create_warcinfo_record(path.name, {"software": "test"}))
        request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "a.test")], is_http_request=True)
        w.write_record(w.create_warc_record("https://a.test/", "request", http_headers=request))
        response(w, "https://a.test/", ARTICLE.encode(), "text/html; charset=utf-8")
        response(w, "https://a.test/gz", gzip.compress(ARTICLE.encode()), **{"Content-Encoding": "gzip"})
        chunked = b"10\r\n" + ARTICLE.encode()[:16] + b"\r\n" + f"{len(ARTICLE.encode()) - 16:x}".encode()
        chunked += b"\r\n" + ARTICLE.encode()[16:] + b"\r\n0\r\n\r\n"
        response(w, "https://a.test/chunked", chunked, **{"Transfer-Encoding": "chunked"})
        response(w, "https://a.test/latin", ARTICLE.encode("cp1252"), "text/html; charset=windows-1252")
        response(w, "https://a.test/logo.png", b"\x89PNG\r\n\x1a\n", "image/png")
        response(w, "https://a.test/missing", b"<html>gone</html>", status="404 Not Found")
        response(w, "https://a.test/broken", b"\x1f\x8bnot really gzip", **{"Content-Encoding": "gzip"})
        response(
            w,
            "https://a.test/x",
            b"<?xml version='1.0'?><html><body><p>x</p></body></html>",
            "application/xhtml+xml",
        )


def test_html_responses_are_the_inputs_and_the_rest_is_counted(tmp_path: Path) -> None:
    make_warc(tmp_path / "crawl.warc.gz")
    stats = ReadStats()
    sources = list(iter_paths([tmp_path], 10_000_000, stats))
    urls = [s.url for s in sources]
    assert urls == [f"https://a.test/{p}" for p in ("", "gz", "chunked", "latin", "broken", "x")]
    assert all(s.id.startswith("crawl.warc.gz#") and s.kind is InputKind.HTML for s in sources)
    assert len({s.id for s in sources}) == len(sources)
    assert stats.skipped == {"warcinfo": 1, "request": 1, "image/png": 1, "status 404": 1}
    assert sources[0].data == sources[1].data == sources[2].data == ARTICLE.encode()
    assert sources[3].charset == "windows-1252" and sources[4].problem is not None
    first = sources[0].fetch
    assert (
        first is not None and first.http_status == 200 and first.fetched_at and first.fetched_at.endswith("Z")
    )
    again = list(iter_paths([tmp_path], 10_000_000))
    assert [s.id for s in again] == [s.id for s in sources]  # ids are stable


def test_cli_gives_one_record_per_html_record_with_fetch_fields(tmp_path: Path) -> None:
    make_warc(tmp_path / "a.warc", compress=False)
    result = CliRunner().invoke(main, ["clean", str(tmp_path), "--workers", "1"])
    assert result.exit_code == 1, result.output  # the broken gzip body is an error record
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 6 and [r["status"] for r in records].count("error") == 1
    by_url = {r["url"]: r for r in records}
    assert by_url["https://a.test/broken"]["error"]["type"] == "decode"
    assert "old café on" in by_url["https://a.test/latin"]["text"]  # the HTTP charset was used
    assert by_url["https://a.test/gz"]["http_status"] == 200 and by_url["https://a.test/gz"]["fetched_at"]
    assert "4 WARC records skipped" in result.stderr


def test_http_body_decoding() -> None:
    assert dechunk(b"4\r\nWiki\r\n5;ext=1\r\npedia\r\n0\r\n\r\n") == b"Wikipedia"
    assert dechunk(b"<html>already de-chunked</html>") == b"<html>already de-chunked</html>"
    assert http_body(gzip.compress(b"<p>x</p>"), None, "gzip", 100) == b"<p>x</p>"
    assert http_body(b"<p>stored decoded</p>", None, "gzip", 100) == b"<p>stored decoded</p>"
