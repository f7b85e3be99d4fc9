"""`--warc-out`: the raw responses of a run archived as WARC, so it can be re-cleaned later.

Each run opens with a `warcinfo` record (the tool, its user agent, whether robots.txt was
obeyed). Each answer that was read (pages, redirects and robots.txt) becomes a gzipped
`response` record holding the status line, the headers and the body as sent
(Content-Encoding kept; Transfer-Encoding undone, so Content-Length is rewritten to match),
followed by the `request` record we sent for it, which points to it with
`WARC-Concurrent-To`. Appending across resumed runs is safe: on open, a record torn by a
kill is cut off the end of the file.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from importlib import metadata
from io import BytesIO
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner.fetch.exchange import Capture
from cleaner.fetch.options import FetchOptions

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


def run_info(options: FetchOptions) -> dict[str, str]:
    """The `warcinfo` fields of a run: what fetched these pages, and how."""
    try:
        version = metadata.version("cleaner")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        version = "unknown"
    return {
        "software": f"cleaner/{version} (cleaner fetch)",
        "format": "WARC File Format 1.0",
        "http-header-user-agent": options.user_agent,
        "robots": "obey" if options.respect_robots else "ignore",
    }


class WarcArchive:
    """Appends request/response pairs; `write` may be called from several threads.

    `info` (see `run_info`) is written first, as this run's `warcinfo` record.
    """

    def __init__(self, path: Path, info: dict[str, str] | None = None) -> None:
        if path.exists():
            size, good = path.stat().st_size, complete_length(path)
            if good < size:
                log.info("%s: cutting a torn record off the end (%d bytes)", path, size - good)
                with path.open("r+b") as fh:
                    fh.truncate(good)
        self._fh = path.open("ab")
        self._writer = WARCWriter(self._fh, gzip=True)
        self._lock = threading.Lock()
        self._write(lambda w: w.write_record(w.create_warcinfo_record(path.name, info or {})))

    def write(self, capture: Capture, fetched_at: str) -> None:
        protocol = capture.http_version if capture.http_version.startswith("HTTP/") else "HTTP/1.1"
        headers = [(k, v) for k, v in capture.headers if k.lower() not in _HOP_BY_HOP]
        headers.append(("Content-Length", str(len(capture.raw))))
        status = StatusAndHeaders(f"{capture.status} {capture.reason}".strip(), headers, protocol=protocol)
        response = self._writer.create_warc_record(
            capture.url,
            "response",
            payload=BytesIO(capture.raw),
            http_headers=status,
            warc_headers_dict={"WARC-Date": fetched_at},
        )
        line = f"GET {capture.request_target} {protocol}"
        sent = StatusAndHeaders(line, list(capture.request_headers), is_http_request=True)
        request = self._writer.create_warc_record(
            capture.url, "request", payload=BytesIO(b""), length=0, http_headers=sent
        )
        # Sets the request's date and WARC-Concurrent-To from the response.
        self._write(lambda w: w.write_request_response_pair(request, response))

    def _write(self, put: Callable[[WARCWriter], None]) -> None:
        buffer = BytesIO()
        put(WARCWriter(buffer, gzip=True))
        with self._lock:  # one write per record or pair, so a kill tears at most the last one
            self._fh.write(buffer.getvalue())
            self._fh.flush()

    def close(self) -> None:
        self._fh.close()
