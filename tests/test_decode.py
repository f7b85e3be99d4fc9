"""decode_bytes: BOMs, declared and sniffed charsets, UTF-8, detection, binary refusal."""

from __future__ import annotations

import codecs
import contextlib
import random

import pytest

from cleaner.decode import decode_bytes, decode_page
from cleaner.errors import DecodeError

RUSSIAN = "Привет, мир! Это проверка кодировки страницы."
JAPANESE = "日本語のページです。文字コードの確認をしています。"
FRENCH = "Élève, garçon, déjà vu: où est la bibliothèque?"


def page(body: str, charset: str) -> bytes:
    head = f'<html><head><meta charset="{charset}"><title>t</title></head><body><p>'
    return (head + body + "</p></body></html>").encode(charset)


def test_empty_bytes_give_empty_text() -> None:
    assert decode_bytes(b"") == ""


def test_utf8_bom_is_stripped() -> None:
    assert decode_bytes(codecs.BOM_UTF8 + "déjà".encode()) == "déjà"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    html = "<html><body><p>" + RUSSIAN + "</p></body></html>"
    assert decode_bytes(bom + html.encode(codec)) == html


def test_utf16_without_bom_is_recognised_not_refused() -> None:
    html = "<html><body><p>plain ascii page text</p></body></html>"
    assert decode_bytes(html.encode("utf-16-le")) == html


@pytest.mark.parametrize(
    ("text", "charset"),
    [(RUSSIAN, "windows-1251"), (JAPANESE, "shift_jis"), (FRENCH, "iso-8859-1")],
)
def test_meta_charset(text: str, charset: str) -> None:
    assert text in decode_bytes(page(text, charset))


def test_http_equiv_declaration() -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        f"</head><body>{RUSSIAN}</body></html>"
    )
    assert RUSSIAN in decode_bytes(html.encode("cp1251"))


def test_declared_charset_wins_over_meta() -> None:
    data = page(RUSSIAN, "koi8-r").replace(b"koi8-r", b"utf-8")
    assert RUSSIAN in decode_bytes(data, declared="koi8-r")


def test_latin1_label_decodes_as_cp1252_like_browsers() -> None:
    data = page("“quoted” — dash", "cp1252").replace(b"cp1252", b"iso-8859-1")
    assert "“quoted” — dash" in decode_bytes(data)


def test_valid_utf8_beats_a_wrong_legacy_declaration() -> None:
    data = page("", "utf-8").replace(b"utf-8", b"iso-8859-1").replace(b"<p>", FRENCH.encode())
    assert FRENCH in decode_bytes(data)


def test_undeclared_legacy_text_is_detected() -> None:
    text = ("Съешь же ещё этих мягких французских булок, да выпей чаю. " * 20).encode("cp1251")
    assert "французских" in decode_bytes(text)


def test_broken_utf8_keeps_the_good_text() -> None:
    data = b"<p>good text here</p>" + b"\xff\xfe\xc3" + "<p>ça va</p>".encode()
    text = decode_bytes(data, declared="utf-8")
    assert "good text here" in text and "ça va" in text


def test_unknown_declared_label_is_ignored() -> None:
    assert decode_bytes("déjà".encode(), declared="no-such-charset") == "déjà"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(200),
        b"PK\x03\x04" + b"zipdata" * 10,
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        b"\xff\xd8\xff\xe0" + bytes(100),
        b"GIF89a" + bytes(50),
        b"<html>" + bytes(500) + b"</html>",
        bytes(range(1, 9)) * 200,
    ],
)
def test_binary_is_refused(data: bytes) -> None:
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(data)


def test_never_raises_anything_but_decode_error() -> None:
    rng = random.Random(7)
    for _ in range(200):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))
        with contextlib.suppress(DecodeError):
            assert isinstance(decode_bytes(data), str)


@pytest.mark.parametrize(
    ("data", "declared"),
    [
        ("<p>Grüße, 東京</p>".encode(), None),
        ("<meta charset=utf-8><p>Grüße</p>".encode(), None),
        ("<p>Grüße</p>".encode(), "utf-8"),
        (codecs.BOM_UTF8 + "<p>Grüße</p>".encode(), None),
        (b"<p>plain ascii</p>", None),
    ],
)
def test_utf8_pages_come_with_the_bytes_their_text_encodes_to(data: bytes, declared: str | None) -> None:
    text, utf8 = decode_page(data, declared=declared)
    assert text == decode_bytes(data, declared=declared)
    assert utf8 is not None and utf8 == text.encode("utf-8")


@pytest.mark.parametrize(
    ("data", "declared"),
    [
        (b"<meta charset=utf-8><p>caf\xe9 \xff broken</p>", None),  # replaced bytes: not exact
        ("<p>café</p>".encode("cp1252"), "iso-8859-1"),
        ("<p>Grüße</p>".encode("utf-16"), None),
        ("<p>a \ufffd of its own</p>".encode(), "utf-8"),  # cannot be told from a replacement
    ],
)
def test_other_pages_come_without_bytes(data: bytes, declared: str | None) -> None:
    text, utf8 = decode_page(data, declared=declared)
    assert text == decode_bytes(data, declared=declared)
    assert utf8 is None
