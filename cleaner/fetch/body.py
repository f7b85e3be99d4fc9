"""Response bodies: what the content type allows, and undoing Content-Encoding within a limit.

We decode gzip/deflate ourselves, from the raw bytes, so that the size limit counts decoded
bytes as they are produced (a gzip bomb stops at the limit, not after inflating a whole
chunk) and so that the bytes as sent are kept for the WARC archive.
"""

from __future__ import annotations

import zlib
from email.message import Message

from cleaner.errors import DecodeError, NotHTML, ResponseTooLarge
from cleaner.read import InputKind

ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8"
ACCEPT_ENCODING = "gzip, deflate"

_KINDS = {
    "text/html": InputKind.HTML,
    "application/xhtml+xml": InputKind.HTML,
    "text/plain": InputKind.TEXT,
}


def _parse(content_type: str) -> Message:
    message = Message()
    message["content-type"] = content_type
    return message


def media_kind(content_type: str | None) -> InputKind:
    """HTML or text for the content types we clean; `NotHTML` for anything else.

    A missing header is read as HTML: the decoder still refuses bytes that are clearly binary.
    """
    if not content_type or not content_type.strip():
        return InputKind.HTML
    media = _parse(content_type).get_content_type()
    kind = _KINDS.get(media)
    if kind is None:
        raise NotHTML(f"content type {media!r} is neither HTML nor plain text")
    return kind


def charset_of(content_type: str | None) -> str | None:
    if not content_type:
        return None
    charset = _parse(content_type).get_param("charset")
    return charset if isinstance(charset, str) and charset.strip() else None


def check_length(content_length: str | None, limit: int) -> None:
    """Refuse before reading when the server announces more than `limit` bytes."""
    if content_length is None:
        return
    try:
        length = int(content_length.strip())
    except ValueError:
        return
    if length > limit:
        raise ResponseTooLarge(f"Content-Length {length} is over the {limit} byte limit")


class _Inflate:
    """One gzip or deflate layer whose output per call never exceeds `limit + 1` bytes."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._obj: zlib._Decompress | None = None
        if encoding != "deflate":
            self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS)

    def _start(self, first: bytes) -> zlib._Decompress:
        # "deflate" is zlib-wrapped by the RFC, raw by many servers: look at the header.
        wrapped = len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0
        return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)

    def feed(self, data: bytes, limit: int) -> bytes:
        if self._obj is None:
            if not data:
                return b""
            self._obj = self._start(data)
        out = []
        size = 0
        while data:
            try:
                chunk = self._obj.decompress(data, limit + 1 - size)
            except zlib.error as exc:
                raise DecodeError(f"corrupt {self.encoding} body: {exc}") from exc
            out.append(chunk)
            size += len(chunk)
            if size > limit:
                raise ResponseTooLarge(f"body inflates to more than {limit} bytes")
            data = self._obj.unconsumed_tail
            if self._obj.eof and self._obj.unused_data and self.encoding != "deflate":
                data = self._obj.unused_data  # another gzip member follows
                self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS)
        return b"".join(out)


def gunzip(data: bytes, limit: int) -> bytes:
    """A gzip file (a `sitemap.xml.gz`, sent as is) inflated to at most `limit` bytes."""
    return _Inflate("gzip").feed(data, limit)


class BoundedBody:
    """Collects a body chunk by chunk: raw bytes as sent, and content with encodings undone."""

    def __init__(self, content_encoding: str | None, limit: int) -> None:
        names = [e.strip().lower() for e in (content_encoding or "").split(",") if e.strip()]
        names = [n for n in names if n != "identity"]
        unsupported = [n for n in names if n not in ("gzip", "x-gzip", "deflate")]
        if unsupported:
            raise DecodeError(f"unsupported Content-Encoding: {', '.join(unsupported)}")
        # The last encoding listed was applied last, so it is undone first.
        self._layers = [_Inflate("deflate" if n == "deflate" else "gzip") for n in reversed(names)]
        self.limit = limit
        self._raw: list[bytes] = []
        self._content: list[bytes] = []
        self.raw_size = 0
        self.size = 0

    def feed(self, chunk: bytes) -> None:
        self.raw_size += len(chunk)
        if self.raw_size > self.limit:
            raise ResponseTooLarge(f"body is more than {self.limit} bytes")
        self._raw.append(chunk)
        if not self._layers:
            self.size = self.raw_size
            return
        for layer in self._layers:
            chunk = layer.feed(chunk, self.limit - self.size)
        self.size += len(chunk)
        if self.size > self.limit:
            raise ResponseTooLarge(f"body is more than {self.limit} bytes")
        self._content.append(chunk)

    @property
    def raw(self) -> bytes:
        if len(self._raw) != 1:  # joined once, however often asked
            self._raw = [b"".join(self._raw)]
        return self._raw[0]

    @property
    def content(self) -> bytes:
        if not self._layers:  # sent as is: the same bytes, not joined (copied) a second time
            return self.raw
        return b"".join(self._content)
