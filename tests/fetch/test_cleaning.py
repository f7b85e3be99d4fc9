"""Cleaning fetched pages in worker processes or a thread: same records, deadlines enforced."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

from cleaner.errors import CleanerError
from cleaner.fetch.cleaning import ProcessCleaning, ThreadCleaning, make_cleaning, with_fetch
from cleaner.options import Options
from cleaner.pipeline import Cleaner
from cleaner.read import InputKind, Source
from cleaner.record import Document, FetchInfo
from cleaner.write import JsonLine, json_line, line_of
from tests.test_workers import GOOD, SLOW

LATIN_1 = (
    "<html><head><title>Caf\xe9</title></head><body><article>"
    + "<p>Le caf\xe9 de la gare rouvre ses portes apr\xe8s deux ans de travaux, annonce la mairie.</p>" * 4
    + "</article></body></html>"
).encode("latin-1")


def _sources() -> list[Source]:
    pages = [GOOD.encode(), LATIN_1, b"just a line of plain text, kept as text input " * 3]
    kinds = [InputKind.HTML, InputKind.HTML, InputKind.TEXT]
    return [
        Source(
            f"https://example.test/{i}",
            f"https://example.test/{i}",
            kind,
            page,
            charset="iso-8859-1" if i == 1 else None,
        )
        for i, (kind, page) in enumerate(zip(kinds, pages, strict=True))
    ]


async def _clean_all(cleaning: ThreadCleaning | ProcessCleaning, sources: list[Source]) -> list[Document]:
    try:
        return list(await asyncio.gather(*(cleaning.clean(s) for s in sources)))
    finally:
        await asyncio.to_thread(cleaning.close)


def test_processes_and_a_thread_give_the_same_records() -> None:
    cleaner = Cleaner(Options())
    in_thread = asyncio.run(_clean_all(ThreadCleaning(cleaner), _sources()))
    in_processes = asyncio.run(_clean_all(ProcessCleaning(cleaner, 2), _sources()))
    assert [d.to_dict() for d in in_processes] == [d.to_dict() for d in in_thread]
    assert [d.status for d in in_processes] == ["ok", "ok", "ok"]
    assert in_processes[1].title == "Café"


def test_a_runaway_page_is_a_timeout_and_the_others_are_cleaned() -> None:
    cleaner = Cleaner(Options(timeout=1.5))
    slow = Source("https://example.test/slow", "https://example.test/slow", InputKind.HTML, SLOW.encode())
    started = time.monotonic()
    docs = asyncio.run(_clean_all(ProcessCleaning(cleaner, 2), [slow, *_sources()]))
    assert time.monotonic() - started < 20  # the slow page alone runs for a minute unstopped
    assert docs[0].error is not None and docs[0].error.type == "timeout"
    assert [d.status for d in docs[1:]] == ["ok", "ok", "ok"]


def test_pages_still_waiting_at_close_get_an_error_not_a_hang() -> None:
    async def run() -> BaseException | Document:
        cleaning = ProcessCleaning(Cleaner(Options(timeout=60)), 1)
        slow = Source("slow", "slow", InputKind.HTML, SLOW.encode())
        task = asyncio.ensure_future(cleaning.clean(slow))
        await asyncio.sleep(1.0)
        await asyncio.to_thread(cleaning.close)
        return (await asyncio.gather(task, return_exceptions=True))[0]

    started = time.monotonic()
    outcome = asyncio.run(run())
    assert isinstance(outcome, CleanerError)
    assert time.monotonic() - started < 15


def test_zero_workers_means_a_thread() -> None:
    cleaner = Cleaner(Options())
    assert isinstance(make_cleaning(cleaner, 0), ThreadCleaning)
    cleaning = make_cleaning(cleaner, 1)
    try:
        assert isinstance(cleaning, ProcessCleaning)
    finally:
        cleaning.close()


def test_a_json_line_from_the_workers_gets_the_same_fetch_fields_as_the_document() -> None:
    info = FetchInfo("https://example.test/0?é=1", 200, "2024-05-01T00:00:00Z", ("https://a.test/x",), 2,
                     '"v1"', None)  # fmt: skip
    sources = _sources()

    async def run() -> list[Document | JsonLine]:
        cleaning = make_cleaning(Cleaner(Options(workers=1)), 1, json_line)
        try:
            return list(await asyncio.gather(*(cleaning.clean(s) for s in sources)))
        finally:
            cleaning.close()

    cleaner = Cleaner()
    for source, record in zip(sources, asyncio.run(run()), strict=True):
        assert isinstance(record, JsonLine)
        doc = ThreadCleaning(cleaner)._clean(source)
        assert isinstance(doc, Document)
        spliced = with_fetch(record, info)
        assert isinstance(spliced, JsonLine)
        assert spliced.line == line_of(replace(doc, fetch=info))  # byte for byte
        assert (spliced.id, spliced.status) == (doc.id, doc.status)
