"""The WARC archive of a run, re-read with warcio as any WARC tool would read it."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from cleaner import Cleaner
from cleaner.fetch import FetchOptions, fetch_all
from cleaner.fetch.warc import WarcArchive, run_info
from cleaner.record import Document
from tests.fetch.conftest import FAST
from tests.fetch.server import Host


def archive_run(
    path: Path, cleaner: Cleaner, urls: list[str], options: FetchOptions = FAST
) -> list[Document]:
    archive = WarcArchive(path, run_info(options))

    async def run() -> list[Document]:
        return [doc async for doc in fetch_all(urls, cleaner, options, archive=archive)]

    try:
        return asyncio.run(run())
    finally:
        archive.close()


def read(path: Path) -> list[ArcWarcRecord]:
    """Every record, its block read (payload digests checked: a bad one raises)."""
    records = []
    with path.open("rb") as fh:
        for record in ArchiveIterator(fh, check_digests="raise"):
            record.body = record.content_stream().read()
            records.append(record)
    return records


def test_a_run_is_warcinfo_then_response_request_pairs_robots_included(
    cleaner: Cleaner, host: Host, tmp_path: Path
) -> None:
    path = tmp_path / "run.warc.gz"
    urls = [host.url("/page/a"), host.url("/redirect/1"), host.url("/latin1"), host.url("/text")]
    docs = archive_run(path, cleaner, urls)
    records = read(path)

    info = records[0]
    assert info.rec_type == "warcinfo" and info.rec_headers.get_header("WARC-Filename") == "run.warc.gz"
    assert b"software: cleaner/" in info.body and b"robots: obey" in info.body
    assert FAST.user_agent.encode() in info.body

    pairs = records[1:]
    assert len(pairs) % 2 == 0
    responses = {}
    for response, request in zip(pairs[::2], pairs[1::2], strict=True):
        assert (response.rec_type, request.rec_type) == ("response", "request")
        uri = response.rec_headers.get_header("WARC-Target-URI")
        assert request.rec_headers.get_header("WARC-Target-URI") == uri
        concurrent = request.rec_headers.get_header("WARC-Concurrent-To")
        assert concurrent == response.rec_headers.get_header("WARC-Record-ID")
        path_only = uri.split(str(host.port), 1)[1]
        assert (request.http_headers.protocol, request.http_headers.statusline) == (
            "GET", f"{path_only} HTTP/1.1")  # fmt: skip
        assert request.http_headers.get_header("User-Agent") == FAST.user_agent
        assert request.http_headers.get_header("Cookie") is None
        responses[uri] = response

    robots = responses[host.url("/robots.txt")]
    assert robots.http_headers.get_statuscode() == "200" and b"User-agent" in robots.body
    assert responses[host.url("/redirect/1")].http_headers.get_statuscode() == "302"
    assert responses[host.url("/latin1")].body.decode("latin-1").count("Café crème") == 2  # raw bytes kept
    assert all(d.status == "ok" for d in docs)
    for doc in docs:  # every page fetched is there, as its final URL
        assert doc.fetch is not None and doc.fetch.final_url is not None
        assert responses[doc.fetch.final_url].http_headers.get_statuscode() == "200"
    assert b"river town" in responses[host.url("/page/a")].body


def test_a_resumed_run_appends_its_own_warcinfo_and_a_torn_tail_is_cut(
    cleaner: Cleaner, host: Host, tmp_path: Path
) -> None:
    path = tmp_path / "run.warc.gz"
    archive_run(path, cleaner, [host.url("/page/a")])
    good = path.stat().st_size
    with path.open("ab") as fh:
        fh.write(b"\x1f\x8b\x08\x00torn by a kill")
    archive_run(path, cleaner, [host.url("/page/b")], replace(FAST, respect_robots=False))
    records = read(path)
    kinds = [r.rec_type for r in records]
    assert kinds == ["warcinfo", "response", "request", "response", "request",
                     "warcinfo", "response", "request"]  # fmt: skip
    assert b"robots: ignore" in records[5].body
    assert path.stat().st_size > good
