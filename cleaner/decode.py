"""Bytes to text, the way a browser would pick the encoding.

Order: byte-order mark, then the encoding the transport declared (an HTTP charset), then for
HTML a `<meta charset>` / `http-equiv` / XML declaration in the first few kilobytes, then
UTF-8 if the bytes decode strictly, then statistical detection, and last cp1252 with
replacement characters. Input that is clearly not text (image or archive magic numbers, NUL
bytes, control characters) is refused with `DecodeError`; nothing else is ever raised.

One deliberate departure from browsers: a declared single-byte legacy charset loses to UTF-8
when the bytes are valid, non-ASCII UTF-8. Servers that say ISO-8859-1 and send UTF-8 are
common, and valid multi-byte UTF-8 is very unlikely to be meant as cp1252.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from cleaner.errors import DecodeError

_SNIFF_BYTES = 4096
_SAMPLE_BYTES = 8192
_MAX_NUL_SHARE = 0.01
_MAX_CONTROL_SHARE = 0.10

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"PK\x03\x04", "zip archive"),
    (b"%PDF-", "PDF document"),
    (b"\x1f\x8b", "gzip stream"),
    (b"BZh", "bzip2 stream"),
    (b"\xfd7zXZ\x00", "xz stream"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"Rar!\x1a\x07", "rar archive"),
    (b"\x7fELF", "ELF executable"),
    (b"\x00asm", "WebAssembly module"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"fLaC", "FLAC audio"),
    (b"\x00\x00\x01\x00", "icon image"),
    (b"wOFF", "web font"),
    (b"wOF2", "web font"),
)

# WHATWG maps these labels to a superset; Python would decode them too strictly.
_LABEL_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "x-sjis": "shift_jis",
    "shift-jis": "shift_jis",
    "ms932": "cp932",
    "windows-31j": "cp932",
    "x-user-defined": "cp1252",
}

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.I)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\x1b")


def decode_bytes(data: bytes, *, declared: str | None = None, html: bool = True) -> str:
    """Decode a page's bytes to text; `DecodeError` for input that is clearly binary."""
    return decode_page(data, declared=declared, html=html)[0]


def decode_page(data: bytes, *, declared: str | None = None, html: bool = True) -> tuple[str, bytes | None]:
    """`decode_bytes`, and the bytes the text is the exact UTF-8 decoding of (the input, less
    a BOM), or None: a parser can read those instead of the text encoded once more."""
    if not data:
        return "", None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decoded(data[len(bom) :], encoding)
    bomless = _bomless_utf16(data[:_SAMPLE_BYTES])
    if bomless:
        return data.decode(bomless, errors="replace"), None
    _refuse_binary(data[:_SAMPLE_BYTES])
    stated = _normalise(declared) or (_sniff_declaration(data) if html else None)
    if stated and not _prefer_utf8(data, stated):
        return _decoded(data, stated)
    try:
        return data.decode("utf-8"), data
    except UnicodeDecodeError:
        pass
    return data.decode(_detect(data) or "cp1252", errors="replace"), None


def _decoded(data: bytes, encoding: str) -> tuple[str, bytes | None]:
    text = data.decode(encoding, errors="replace")
    # UTF-8 that decodes without a replacement character is exact (a page with one of its
    # own is not worth telling apart)
    return text, data if encoding == "utf-8" and "\ufffd" not in text else None


def _refuse_binary(sample: bytes) -> None:
    for magic, kind in _MAGIC:
        if sample.startswith(magic):
            raise DecodeError(f"binary input: {kind}")
    nuls = sample.count(0)
    if nuls > _MAX_NUL_SHARE * len(sample):
        raise DecodeError(f"binary input: {nuls} NUL bytes in the first {len(sample)}")
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > _MAX_CONTROL_SHARE * len(sample):
        raise DecodeError(f"binary input: {controls} control bytes in the first {len(sample)}")


def _bomless_utf16(sample: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII-range text leaves NULs on every other byte."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.8 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.8 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _normalise(label: str | bytes | None) -> str | None:
    """A Python codec name for a charset label, or None when the label is unknown."""
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", errors="ignore")
    label = label.strip().strip("\"'").lower()
    label = _LABEL_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except (LookupError, ValueError):
        return None
    # A document that says "utf-16" in its own markup was already decodable as ASCII.
    return "utf-8" if name.startswith("utf-16") or name.startswith("utf-32") else name


def _sniff_declaration(data: bytes) -> str | None:
    head = data[:_SNIFF_BYTES]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return _normalise(match.group(1)) if match else None


def _prefer_utf8(data: bytes, encoding: str) -> bool:
    if encoding == "utf-8" or _is_multibyte_codec(encoding) or data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _is_multibyte_codec(encoding: str) -> bool:
    # Shift_JIS, GB18030, EUC-* and Big5 byte runs can be valid UTF-8 by accident.
    return encoding in {"shift_jis", "cp932", "gb18030", "euc_jp", "euc_kr", "cp949", "big5"}


def _detect(data: bytes) -> str | None:
    try:
        best = charset_normalizer.from_bytes(data[: 64 * 1024]).best()
    except Exception:  # detection is a best guess; its failing is not an error
        return None
    return _normalise(best.encoding) if best is not None else None
