from __future__ import annotations

import gzip
import io
import itertools
import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner.cli import main
from cleaner.errors import InputTooLarge
from cleaner.read import InputKind, ReadStats, Source, iter_paths, iter_warc_file, warc
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


# --- cut-off archives: a crawler killed mid-write -----------------------------------------------


def cut_archive(path: Path, *, compress: bool, last_type: str = "text/html") -> list[int]:
    """warcinfo, an HTML page, an image, and a last response of `last_type`: the offsets of
    the four records and the archive's length."""
    offsets = []
    with path.open("wb") as out:
        w = WARCWriter(out, gzip=compress)
        offsets.append(out.tell())
        w.write_record(w.create_warcinfo_record(path.name, {"software": "test"}))
        for uri, ctype in (("https://a.test/1", "text/html"), ("https://a.test/logo.png", "image/png")):
            offsets.append(out.tell())
            response(w, uri, ARTICLE.encode() if ctype == "text/html" else b"\x89PNG" * 200, ctype)
        offsets.append(out.tell())
        response(w, "https://a.test/last", ARTICLE.encode() * 3, last_type)
        offsets.append(out.tell())
    return offsets


def zst_archive(plain: Path, offsets: list[int]) -> Path:
    """The same records, one zstd frame each, as .warc.zst writers do."""
    from fastwarc.stream_io import ZstdWriter

    data, frames = plain.read_bytes(), io.BytesIO()
    for start, end in itertools.pairwise(offsets):
        frame = io.BytesIO()
        writer = ZstdWriter(frame)
        writer.write(data[start:end])
        writer.close()
        frames.write(frame.getvalue())
    path = plain.with_name(plain.name + ".zst")
    path.write_bytes(frames.getvalue())
    return path


def read_cut(path: Path, size: int) -> tuple[list[tuple[str, str | None]], ReadStats]:
    cut = path.with_name("cut-" + path.name)
    cut.write_bytes(path.read_bytes()[:size])
    stats = ReadStats()
    sources = [
        (s.id.removeprefix(f"{cut}#"), str(s.problem) if s.problem else None)
        for s in iter_paths([cut], 10**7, stats)
    ]
    return sources, stats


@pytest.mark.parametrize("compress", [True, False], ids=["gzip", "plain"])
def test_a_cut_off_archive_ends_with_one_error_for_the_cut_html_record(
    tmp_path: Path, compress: bool
) -> None:
    path = tmp_path / ("crawl.warc.gz" if compress else "crawl.warc")
    _, page, image, last, size = cut_archive(path, compress=compress)
    whole = [(str(page), None), (str(last), None)]
    sources, stats = read_cut(path, size)
    assert sources == whole and stats.skipped == {"warcinfo": 1, "image/png": 1}
    assert read_cut(path, last)[0] == whole[:1]  # cut between records: nothing is damaged
    if compress:  # only the gzip trailer is cut: every byte of the record arrived
        assert read_cut(path, size - 4)[0] == whole
    else:  # only the blank lines after the record are cut
        assert read_cut(path, size - 2)[0] == whole
    cuts = [last + 10, last + (size - last) // 2, size - 40]  # its WARC headers, its body
    if not compress:
        cuts.append(path.read_bytes().index(b"HTTP/1.1", last) + 20)  # its HTTP headers
    for cut in cuts:
        sources, stats = read_cut(path, cut)
        assert sources[0] == whole[0] and len(sources) == 2, (cut, sources)
        assert sources[1][0] == str(last) and sources[1][1], (cut, sources)
        assert sources[1][1].startswith("truncated archive: the record at offset"), sources
        assert "truncated" not in stats.skipped
    sources, _ = read_cut(path, image + 10)  # the image's headers are cut: it may have been a page
    assert sources == [(str(page), None), (str(image), sources[1][1])] and sources[1][1]


@pytest.mark.parametrize("compress", [True, False], ids=["gzip", "plain"])
def test_a_cut_record_whose_headers_say_it_is_no_page_is_counted_as_skipped(
    tmp_path: Path, compress: bool
) -> None:
    path = tmp_path / ("crawl.warc.gz" if compress else "crawl.warc")
    offsets = cut_archive(path, compress=compress, last_type="image/jpeg")
    page, size = offsets[1], offsets[-1]
    sources, stats = read_cut(path, size - 40)  # its headers arrived whole, its body did not
    assert sources == [(str(page), None)]
    assert stats.skipped == {"warcinfo": 1, "image/png": 1, "truncated": 1}


def test_a_cut_off_zstd_archive_ends_with_one_error(tmp_path: Path) -> None:
    plain = tmp_path / "crawl.warc"
    offsets = cut_archive(plain, compress=False)
    path = zst_archive(plain, offsets)
    sources, stats = read_cut(path, path.stat().st_size)
    assert [p for _, p in sources] == [None, None] and stats.skipped == {"warcinfo": 1, "image/png": 1}
    complete = sources
    sources, _ = read_cut(path, path.stat().st_size - 30)
    assert sources[0] == complete[0] and sources[1][0] == complete[1][0]
    assert sources[1][1] and sources[1][1].startswith("truncated archive")


def test_the_cli_records_the_cut_record(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    _, page, _, last, size = cut_archive(path, compress=True)
    path.write_bytes(path.read_bytes()[: size - 40])
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["clean", str(path), "-o", str(out), "--workers", "1"])
    assert result.exit_code == 1, result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in records] == [f"{path}#{page}", f"{path}#{last}"]
    assert records[0]["status"] == "ok" and records[1]["status"] == "error"
    assert records[1]["error"]["type"] == "decode" and "truncated archive" in records[1]["error"]["message"]


# --- large archives read in spans ----------------------------------------------------------------


def spanned_archive(path: Path, pages: int = 16) -> list[int]:
    """warcinfo, then `pages` HTML responses of varied sizes, each followed by an image of
    random bytes, which gzip stores as they are, with gzip's magic bytes planted in them (a
    false start a span must not take for a record): the offsets of the HTML records."""
    rng = random.Random(7)
    offsets = []
    with path.open("wb") as out:
        w = WARCWriter(out, gzip=True)
        w.write_record(w.create_warcinfo_record(path.name, {"software": "test"}))
        for n in range(pages):
            offsets.append(out.tell())
            response(w, f"https://a.test/{n}", (ARTICLE * (1 + n % 4)).encode())
            noise = rng.randbytes(30_000 + 40 * n)  # past gzip's first block, stored as they are
            image = noise[:20_000] + b"\x1f\x8b\x08\x00" + noise[20_000:25_000] + gzip.compress(b"WARC/1.0")
            image += noise[25_000:]
            response(w, f"https://a.test/{n}.png", image, "image/png")
    return offsets


def read_spans(
    path: Path, span_bytes: int, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[Source], ReadStats]:
    """The sources of `path` read span by span, as workers would share them out."""
    monkeypatch.setattr(warc, "SPAN_BYTES", span_bytes)
    spans = warc.warc_spans(path)
    assert spans is not None and len(spans) >= 3
    stats = ReadStats()
    sources = [s for span in spans for s in iter_warc_file(path, path.name, 10**7, stats, span)]
    return sources, stats


@pytest.mark.parametrize("span_bytes", [5000, 50_000, 120_000])
def test_an_archive_read_in_spans_gives_each_record_once_in_order(
    tmp_path: Path, span_bytes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "crawl.warc.gz"
    offsets = spanned_archive(path)
    sources, stats = read_spans(path, span_bytes, monkeypatch)
    assert [s.id for s in sources] == [f"crawl.warc.gz#{o}" for o in offsets]
    assert all(s.problem is None for s in sources)
    assert [s.url for s in sources] == [f"https://a.test/{n}" for n in range(len(offsets))]
    assert stats.skipped == {"warcinfo": 1, "image/png": len(offsets)}
    whole = list(iter_warc_file(path, path.name, 10**7, ReadStats()))  # one process: the same
    assert [(s.id, s.data) for s in whole] == [(s.id, s.data) for s in sources]


@pytest.mark.parametrize("total", [10_000, 10_001, 39_999, 1_000_003])
def test_an_archive_splits_into_spans_of_one_length(
    tmp_path: Path, total: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No short or long part at the end: the last one would keep one worker busy alone."""
    path = tmp_path / "crawl.warc.gz"
    spanned_archive(path)
    with path.open("ab") as out:  # the size is what counts, not what the tail holds
        out.truncate(total)
    spans = warc.warc_spans(path, size=5000)
    assert spans is not None
    assert spans[0][0] == 0 and spans[-1][1] == total
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    lengths = {hi - lo for lo, hi in spans}
    assert max(lengths) <= 5000 and max(lengths) - min(lengths) <= 1


@pytest.mark.parametrize("span_bytes", [50_000, 10**9], ids=["spans", "whole"])
def test_a_damaged_record_in_the_middle_of_an_archive_costs_only_that_record(
    tmp_path: Path, span_bytes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "crawl.warc.gz"
    offsets = spanned_archive(path)
    data = bytearray(path.read_bytes())
    damaged = offsets[10]
    data[damaged + 200 : damaged + 260] = bytes(60)  # inside its compressed bytes
    path.write_bytes(bytes(data))
    monkeypatch.setattr(warc, "SPAN_BYTES", span_bytes)
    sources = list(iter_warc_file(path, path.name, 10**7, ReadStats()))
    assert [s.id for s in sources] == [f"crawl.warc.gz#{o}" for o in offsets]
    problems = [s.id for s in sources if s.problem is not None]
    assert problems == [f"crawl.warc.gz#{damaged}"]
    assert str(sources[10].problem).startswith("truncated archive: the record at offset")


def test_a_cut_off_archive_read_in_spans_ends_with_one_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "crawl.warc.gz"
    offsets = spanned_archive(path)
    path.write_bytes(path.read_bytes()[: offsets[-1] + 150])  # inside the last page
    sources, _ = read_spans(path, 50_000, monkeypatch)
    assert [s.id for s in sources] == [f"crawl.warc.gz#{o}" for o in offsets]
    assert [s.problem is None for s in sources] == [True] * (len(offsets) - 1) + [False]


def test_an_archive_compressed_as_one_stream_is_not_split(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its records do not start gzip members: a span could not find its first one."""
    plain = tmp_path / "crawl.warc"
    with plain.open("wb") as out:
        w = WARCWriter(out, gzip=False)
        for n in range(20):
            response(w, f"https://a.test/{n}", (ARTICLE * 3).encode())
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(gzip.compress(plain.read_bytes()))
    monkeypatch.setattr(warc, "SPAN_BYTES", 500)
    assert warc.warc_spans(path) is None
    assert warc.warc_spans(tmp_path / "crawl.warc") is None  # nor is a plain archive
    sources = list(iter_warc_file(path, path.name, 10**7, ReadStats()))
    assert [s.url for s in sources] == [f"https://a.test/{n}" for n in range(20)]


# --- damaged framing: every whole record still comes out, every damaged part gets a record ------


def raw_record(n: int, head_fix: Callable[[bytes], bytes] = lambda h: h) -> bytes:
    """A plain WARC response record of ARTICLE for https://a.test/<n>; `head_fix` may damage
    its WARC headers."""
    body = ARTICLE.encode()
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(body) + body
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        f"WARC-Record-ID: <urn:uuid:{n:08d}-0000-0000-0000-000000000000>\r\n"
        f"WARC-Target-URI: https://a.test/{n}\r\nContent-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}"
    ).encode()
    return head_fix(head) + b"\r\n\r\n" + http + b"\r\n\r\n"


def damaged_archive(path: Path, parts: list[bytes]) -> list[int]:
    """`parts` written one after another (each gzipped for a `.gz`): their offsets."""
    offsets, out = [], bytearray()
    for part in parts:
        offsets.append(len(out))
        out += gzip.compress(part, mtime=0) if path.name.endswith(".gz") else part
    path.write_bytes(bytes(out))
    return offsets


def read_all(path: Path) -> list[tuple[str, str | None]]:
    return [
        (s.id.split("#")[1], s.problem and str(s.problem))
        for s in iter_warc_file(path, "a", 10**7, ReadStats())
    ]


def test_garbage_between_plain_records_costs_no_record_after_it(tmp_path: Path) -> None:
    path = tmp_path / "a.warc"
    first, garbage, second, third = damaged_archive(
        path, [raw_record(0), b"\x00\xffnot a record\r\n", raw_record(1), raw_record(2)]
    )
    sources = read_all(path)
    assert [id for id, _ in sources] == [str(first), str(garbage), str(second), str(third)]
    assert [problem is None for _, problem in sources] == [True, False, True, True]


@pytest.mark.parametrize("suffix", [".warc", ".warc.gz"])
def test_a_record_with_a_garbled_warc_type_is_an_error_record(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"a{suffix}"
    garbled = raw_record(1, lambda h: h.replace(b"WARC-Type: ", b"WARC-Type ", 1))
    offsets = damaged_archive(path, [raw_record(0), garbled, raw_record(2)])
    sources = read_all(path)
    assert [id for id, _ in sources] == [str(o) for o in offsets]
    assert sources[1][1] is not None and "no readable WARC-Type" in sources[1][1]
    assert sources[0][1] is None and sources[2][1] is None


@pytest.mark.parametrize("suffix", [".warc", ".warc.gz"])
def test_a_record_whose_headers_run_into_its_body_is_an_error_record(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"a{suffix}"
    no_blank_line = raw_record(1).replace(b"\r\n\r\nHTTP/1.1", b"\r\nHTTP/1.1", 1)
    offsets = damaged_archive(path, [raw_record(0), no_blank_line, raw_record(2)])
    sources = read_all(path)
    assert sources[0] == (str(offsets[0]), None)
    assert sources[1][0] == str(offsets[1]) and sources[1][1] is not None
    assert len(sources) >= 2  # what follows the damaged record may be swallowed by it, never silently


@pytest.mark.parametrize("wrong", [-5, 1, 10**12])
def test_a_wrong_content_length_in_a_warc_gz_costs_only_that_record(tmp_path: Path, wrong: int) -> None:
    path = tmp_path / "a.warc.gz"
    lying = raw_record(1, lambda h: h.rsplit(b"Content-Length: ", 1)[0] + b"Content-Length: %d" % wrong)
    offsets = damaged_archive(path, [raw_record(0), lying, raw_record(2), raw_record(3)])
    sources = read_all(path)
    whole = {id for id, problem in sources if problem is None}
    assert {str(offsets[0]), str(offsets[2]), str(offsets[3])} <= whole
    assert any(problem is not None for _, problem in sources)  # the lying record is not silently lost


@pytest.mark.parametrize("coding", ["gzip", "br"])
def test_a_compressed_body_that_expands_past_max_bytes_is_too_large(coding: str) -> None:
    import brotli

    bomb = gzip.compress(bytes(10**7)) if coding == "gzip" else brotli.compress(bytes(10**7))
    with pytest.raises(InputTooLarge):
        http_body(bomb, None, coding, 10_000)
    assert http_body(gzip.compress(b"<p>x</p>"), None, "gzip", 10_000) == b"<p>x</p>"
