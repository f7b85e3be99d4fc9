"""`--warc-out`: the raw responses of a run archived as WARC, so it can be re-cleaned later.

Each response (redirects included) becomes a gzipped WARC `response` record holding the
status line, the headers and the body as sent (Content-Encoding kept; Transfer-Encoding
undone, so Content-Length is rewritten to match). Appending across resumed runs is safe: on
open, a record torn by a kill is cut off the end of the file.
"""

from __future__ import annotations

import logging
import threading
from io import BytesIO
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner.fetch.exchange import Capture

log = logging.getLogger("cleaner.fetch")

_HOP_BY_HOP = {"transfer-encoding", "content-length", "connection", "keep-alive"}


def complete_length(path: Path) -> int:
    """Bytes of `path` up to the end of its last complete WARC record."""
    end = 0
    try:
        with path.open("rb") as fh:
            records = ArchiveIterator(fh)
            for record in records:
                record.content_stream().read()
                end = records.get_record_offset() + records.get_record_length()
    except Exception:  # whatever warcio or zlib make of a torn tail, the good part stands
        pass
    return end


class WarcArchive:
    """Appends response records; `write` may be called from several threads."""

    def __init__(self, path: Path) -> None:
        if path.exists():
            size, good = path.stat().st_size, complete_length(path)
            if good < size:
                log.info("%s: cutting a torn record off the end (%d bytes)", path, size - good)
                with path.open("r+b") as fh:
                    fh.truncate(good)
        self._fh = path.open("ab")
        self._writer = WARCWriter(self._fh, gzip=True)
        self._lock = threading.Lock()

    def write(self, capture: Capture, fetched_at: str) -> None:
        headers = [(k, v) for k, v in capture.headers if k.lower() not in _HOP_BY_HOP]
        headers.append(("Content-Length", str(len(capture.raw))))
        protocol = capture.http_version if capture.http_version.startswith("HTTP/") else "HTTP/1.1"
        http_headers = StatusAndHeaders(
            f"{capture.status} {capture.reason}".strip(), headers, protocol=protocol
        )
        record = self._writer.create_warc_record(
            capture.url,
            "response",
            payload=BytesIO(capture.raw),
            http_headers=http_headers,
            warc_headers_dict={"WARC-Date": fetched_at},
        )
        buffer = BytesIO()
        WARCWriter(buffer, gzip=True).write_record(record)
        with self._lock:  # one write per record, so a kill tears at most the last one
            self._fh.write(buffer.getvalue())
            self._fh.flush()

    def close(self) -> None:
        self._fh.close()
