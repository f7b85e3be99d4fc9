from __future__ import annotations

import pytest

from cleaner import Cleaner
from cleaner.batch import clean_all, clean_source
from cleaner.errors import UnsupportedInput
from cleaner.read import InputKind, Source
from cleaner.record import Status


def test_a_source_with_a_problem_becomes_an_error_record(cleaner: Cleaner) -> None:
    source = Source("x.pdf", "dir/x.pdf", problem=UnsupportedInput("unsupported file type"))
    doc = clean_source(cleaner, source)
    assert doc.status is Status.ERROR and doc.id == "x.pdf" and doc.source == "dir/x.pdf"
    assert doc.error is not None and doc.error.type == "unsupported" and doc.error.stage == "read"


def test_binary_bytes_become_a_decode_error(cleaner: Cleaner) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20
    doc = clean_source(cleaner, Source("i.html", "i.html", InputKind.HTML, png))
    assert doc.status is Status.ERROR and doc.error is not None and doc.error.type == "decode"


def test_empty_input_is_an_empty_record_not_an_error(cleaner: Cleaner) -> None:
    doc = clean_source(cleaner, Source("e.html", "e.html", InputKind.HTML, b""))
    assert doc.status is Status.EMPTY and doc.error is None


def test_unexpected_exceptions_are_recorded_as_internal_errors() -> None:
    class Broken(Cleaner):
        def clean_text(self, *args: object, **kwargs: object) -> object:  # type: ignore[override]
            raise RuntimeError("boom")

    doc = clean_source(Broken(), Source("t", "t", InputKind.TEXT, "some text"))
    assert doc.status is Status.ERROR and doc.error is not None
    assert doc.error.type == "internal" and "boom" in doc.error.message


def test_every_source_yields_exactly_one_record_in_order(cleaner: Cleaner) -> None:
    sources = [
        Source("a", "a", InputKind.TEXT, "A sentence that is an article paragraph of some length here."),
        Source("b", "b", problem=UnsupportedInput("no")),
        Source("c", "c", InputKind.HTML, "<html><body><p>Hello there.</p></body></html>"),
    ]
    assert [d.id for d in clean_all(cleaner, sources)] == ["a", "b", "c"]


def test_keyboard_interrupt_is_not_swallowed() -> None:
    class Interrupted(Cleaner):
        def clean_text(self, *args: object, **kwargs: object) -> object:  # type: ignore[override]
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        clean_source(Interrupted(), Source("t", "t", InputKind.TEXT, "x"))


def test_error_records_carry_the_retryable_flag(cleaner: Cleaner) -> None:
    from cleaner.batch import error_document
    from cleaner.errors import FetchTimeout, HTTPStatusError

    source = Source("u", "u")
    timeout = error_document(source, FetchTimeout("slow"))
    gone = error_document(source, HTTPStatusError(410))
    assert timeout.error is not None and timeout.error.retryable is True
    assert gone.error is not None and gone.error.retryable is False and gone.error.type == "http_4xx"
