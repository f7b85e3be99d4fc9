from __future__ import annotations

import gzip
import zlib

import pytest

from cleaner.errors import DecodeError, NotHTML, ResponseTooLarge
from cleaner.fetch.body import BoundedBody, charset_of, check_length, media_kind
from cleaner.read import InputKind


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("text/html; charset=utf-8", InputKind.HTML),
        ("application/xhtml+xml", InputKind.HTML),
        ("TEXT/HTML", InputKind.HTML),
        ("text/plain", InputKind.TEXT),
        (None, InputKind.HTML),
    ],
)
def test_media_kinds_we_clean(header: str | None, kind: InputKind) -> None:
    assert media_kind(header) is kind


@pytest.mark.parametrize("header", ["image/png", "application/pdf", "application/json", "text/css"])
def test_other_media_are_not_html(header: str) -> None:
    with pytest.raises(NotHTML):
        media_kind(header)


def test_charset_param() -> None:
    assert charset_of('text/html; charset="ISO-8859-1"') == "ISO-8859-1"
    assert charset_of("text/html") is None and charset_of(None) is None


def test_content_length_over_the_limit_is_refused_before_reading() -> None:
    check_length("100", 100)
    check_length("nonsense", 100)
    with pytest.raises(ResponseTooLarge):
        check_length("101", 100)


def _feed(body: BoundedBody, data: bytes, size: int = 4096) -> bytes:
    for i in range(0, len(data), size):
        body.feed(data[i : i + size])
    return body.content


def test_gzip_deflate_and_identity_are_undone_and_raw_kept() -> None:
    text = b"<p>hello</p>" * 1000
    for encoding, data in [
        ("gzip", gzip.compress(text)),
        ("deflate", zlib.compress(text)),
        ("deflate", zlib.compress(text)[2:-4]),  # raw deflate, as some servers send it
        (None, text),
        ("identity", text),
        ("gzip, gzip", gzip.compress(gzip.compress(text))),
    ]:
        body = BoundedBody(encoding, 1_000_000)
        assert _feed(body, data) == text, encoding
        assert body.raw == data


def test_multi_member_gzip() -> None:
    data = gzip.compress(b"one ") + gzip.compress(b"two")
    assert _feed(BoundedBody("gzip", 1000), data) == b"one two"


def test_a_gzip_bomb_stops_at_the_limit_without_inflating_it() -> None:
    bomb = gzip.compress(b"\0" * 20_000_000)
    body = BoundedBody("gzip", 100_000)
    with pytest.raises(ResponseTooLarge):
        _feed(body, bomb, 65_536)
    assert body.size <= 100_000


def test_raw_bytes_over_the_limit() -> None:
    with pytest.raises(ResponseTooLarge):
        _feed(BoundedBody(None, 10), b"x" * 11)


def test_unsupported_or_corrupt_encoding() -> None:
    with pytest.raises(DecodeError):
        BoundedBody("br", 100)
    with pytest.raises(DecodeError):
        _feed(BoundedBody("gzip", 100), b"\x1f\x8b\x08\x00not gzip at all")
