from __future__ import annotations

import asyncio
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from cleaner import Cleaner
from cleaner.fetch import fetch_all
from cleaner.fetch.warc import WarcArchive
from tests.fetch.conftest import FAST
from tests.fetch.server import Host


def test_raw_responses_are_archived_and_a_torn_tail_is_cut(
    cleaner: Cleaner, host: Host, tmp_path: Path
) -> None:
    path = tmp_path / "run.warc.gz"
    archive = WarcArchive(path)

    async def run() -> None:
        urls = [host.url("/page/a"), host.url("/redirect/1"), host.url("/latin1")]
        async for _ in fetch_all(urls, cleaner, FAST, archive=archive):
            pass

    asyncio.run(run())
    archive.close()
    with path.open("rb") as fh:
        records = {r.rec_headers.get_header("WARC-Target-URI"): (r.http_headers.get_statuscode(),
                   r.content_stream().read()) for r in ArchiveIterator(fh)}  # fmt: skip
    assert records[host.url("/redirect/1")][0] == "302"
    assert records[host.url("/latin1")][1].decode("latin-1").count("Café crème") == 2  # raw bytes kept
    assert b"river town" in records[host.url("/page/a")][1]

    good = path.stat().st_size
    with path.open("ab") as fh:
        fh.write(b"\x1f\x8b\x08\x00torn by a kill")
    WarcArchive(path).close()
    assert path.stat().st_size == good
