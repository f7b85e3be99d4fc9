"""A real HTTP server on 127.0.0.1 for the fetch tests: one instance per "host" (port).

Runs `http.server.ThreadingHTTPServer` in a background thread, so it serves sync tests,
`asyncio.run` and subprocesses alike. Every request is logged with its arrival time, so
tests can check politeness. Routes (query strings configure them):

    /robots.txt           the site's robots (text, or a status such as 500; drips if robots_drip)
    /page/<name>          a small article            /text        text/plain
    /slow?s=S             a page after S seconds     /drip        a byte every 0.2 s, forever
    /reset                connection reset, no answer
    /status/<code>        that status, empty page    /flaky?key=K&fail=N    500 N times, then a page
                                                     (&s=S: a page after S seconds)
    /busy?key=K&after=S   429 with Retry-After: S once, then a page
    /redirect/<n>         a chain of n redirects to /page/end
    /loop/a, /loop/b      redirect to each other     /to?url=U    302 to U
    /huge                 Content-Length over any limit    /stream-huge   chunked, endless
    /bomb                 gzip that inflates to 50 MB       /image   image/png
    /latin1               latin-1 bytes, <meta charset> only, no charset in the header
    /cookie               sets a cookie, then a page        /headers  echoes request headers
    /f/<name>             what `Site.files[name]` holds: (content type, body)
    /etag/<name>          a page with an ETag and Last-Modified; 304 when asked with them
"""

from __future__ import annotations

import gzip
import html
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ARTICLE = """<!doctype html><html><head><title>{title}</title>{meta}</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>{title}</h1>
<p>The river town held its annual market on Saturday, and traders came from three valleys
to sell wool, cheese and honey under the old stone arches of the square.</p>
<p>Organisers said the crowd was the largest in a decade, helped by clear weather and a new
bus service from the railway station that ran every twenty minutes through the day.</p>
<p>{extra}</p>
</article><footer>Copyright 2024 Example News</footer></body></html>"""

BOMB = gzip.compress(b"\0" * 50_000_000, compresslevel=9)


def article(
    title: str, extra: str = "Local musicians played until late in the evening.", meta: str = ""
) -> bytes:
    return ARTICLE.format(title=html.escape(title), extra=extra, meta=meta).encode("utf-8")


@dataclass
class Site:
    """What one host serves and what it was asked."""

    robots: str | int = "User-agent: *\nAllow: /\n"
    page_delay: float = 0.0  # seconds each /page/ takes to answer
    robots_drip: bool = False  # /robots.txt drips like /drip
    log: list[tuple[float, str, dict[str, str]]] = field(default_factory=list)
    spans: list[tuple[float, float, str]] = field(default_factory=list)  # (start, end, path)
    counters: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    peers: set[tuple[str, int]] = field(default_factory=set)  # the connections requests came on

    def hits(self, prefix: str) -> list[float]:
        with self.lock:
            return [t for t, path, _ in self.log if path.startswith(prefix)]

    def paths(self) -> list[str]:
        with self.lock:
            return [path for _, path, _ in self.log]

    def count(self, key: str) -> int:
        with self.lock:
            self.counters[key] = self.counters.get(key, 0) + 1
            return self.counters[key]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    site: Site

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def handle_one_request(self) -> None:
        # A client may go away mid-answer, or close a connection with an answer unread (an
        # error page): the kernel then resets it, and reading the next request fails. Left to
        # socketserver, that prints a traceback on sys.stderr, which `CliRunner` has swapped,
        # process-wide, for the stderr a test checks.
        try:
            super().handle_one_request()
        except ConnectionError:
            self.close_connection = True

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        with self.site.lock:
            self.site.log.append((time.monotonic(), parts.path, dict(self.headers.items())))
            self.site.peers.add(self.client_address[:2])
        route = ROUTES.get(parts.path.split("/")[1] if "/" in parts.path else "", Handler.not_found)
        started = time.monotonic()
        try:
            route(self, parts.path, query)
        finally:
            with self.site.lock:
                self.site.spans.append((started, time.monotonic(), parts.path))

    def send(
        self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8", **headers: str
    ) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def not_found(self, path: str, q: dict[str, str]) -> None:
        self.send(404, b"<html><body>not here</body></html>")

    def robots(self, path: str, q: dict[str, str]) -> None:
        robots = self.site.robots
        if self.site.robots_drip:
            self.drip(path, q)
        elif isinstance(robots, int):
            self.send(robots, b"", "text/plain")
        else:
            self.send(200, robots.encode(), "text/plain")

    def page(self, path: str, q: dict[str, str]) -> None:
        if self.site.page_delay:
            time.sleep(self.site.page_delay)
        self.send(200, article(f"Market day {path.rsplit('/', 1)[-1]}"))

    def text(self, path: str, q: dict[str, str]) -> None:
        body = (
            "Market day\n\nThe river town held its annual market on Saturday, with traders from far away.\n"
        )
        self.send(200, body.encode(), "text/plain; charset=utf-8")

    def slow(self, path: str, q: dict[str, str]) -> None:
        time.sleep(float(q.get("s", "1")))
        self.page(path, q)

    def drip(self, path: str, q: dict[str, str]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        for _ in range(600):  # at most two minutes; the client gives up long before
            self.wfile.write(b"<")
            self.wfile.flush()
            time.sleep(0.2)

    def reset(self, path: str, q: dict[str, str]) -> None:
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True

    def status(self, path: str, q: dict[str, str]) -> None:
        self.send(int(path.rsplit("/", 1)[-1]), b"<html><body>status</body></html>")

    def flaky(self, path: str, q: dict[str, str]) -> None:
        if self.site.count("flaky:" + q.get("key", "")) <= int(q.get("fail", "1")):
            self.send(500, b"oops")
        elif "s" in q:
            self.slow(path, q)
        else:
            self.page(path, q)

    def busy(self, path: str, q: dict[str, str]) -> None:
        if self.site.count("busy:" + q.get("key", "")) <= 1:
            self.send(429, b"slow down", Retry_After=q.get("after", "1"))
        else:
            self.page(path, q)

    def redirect(self, path: str, q: dict[str, str]) -> None:
        n = int(path.rsplit("/", 1)[-1])
        self.send(302, b"", Location="/page/end" if n <= 1 else f"/redirect/{n - 1}")

    def loop(self, path: str, q: dict[str, str]) -> None:
        self.send(302, b"", Location="/loop/b" if path.endswith("/a") else "/loop/a")

    def to(self, path: str, q: dict[str, str]) -> None:
        self.send(302, b"", Location=q["url"])

    def huge(self, path: str, q: dict[str, str]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(10**9))
        self.end_headers()
        self.wfile.write(b"<html>")

    def stream_huge(self, path: str, q: dict[str, str]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = b"<p>" + b"x" * 65_536 + b"</p>"
        for _ in range(2000):
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))

    def bomb(self, path: str, q: dict[str, str]) -> None:
        self.send(200, BOMB, Content_Encoding="gzip")

    def image(self, path: str, q: dict[str, str]) -> None:
        self.send(200, b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "image/png")

    def latin1(self, path: str, q: dict[str, str]) -> None:
        meta = '<meta charset="iso-8859-1">'
        body = ARTICLE.format(title="Café crème à Noël", meta=meta, extra="Führung über die Brücke.")
        self.send(200, body.encode("latin-1"), "text/html")

    def cookie(self, path: str, q: dict[str, str]) -> None:
        self.send(200, article("Cookie page"), Set_Cookie="session=secret; Path=/")

    def headers_(self, path: str, q: dict[str, str]) -> None:
        shown = "".join(f"<p>{html.escape(k)}: {html.escape(v)}</p>" for k, v in self.headers.items())
        self.send(200, article("Headers", extra=shown))

    def file(self, path: str, q: dict[str, str]) -> None:
        found = self.site.files.get(path.split("/", 2)[2])
        if found is None:
            self.not_found(path, q)
        else:
            self.send(200, found[1], found[0])

    def etag(self, path: str, q: dict[str, str]) -> None:
        tag, modified = '"v1"', "Mon, 01 Jan 2024 00:00:00 GMT"
        if self.headers.get("If-None-Match") == tag or self.headers.get("If-Modified-Since") == modified:
            self.send(304, b"", "", ETag=tag)
        else:
            self.send(200, article(f"Tagged {path.rsplit('/', 1)[-1]}"), ETag=tag, Last_Modified=modified)


ROUTES = {
    "robots.txt": Handler.robots, "page": Handler.page, "text": Handler.text, "slow": Handler.slow,
    "drip": Handler.drip, "reset": Handler.reset, "status": Handler.status, "flaky": Handler.flaky,
    "busy": Handler.busy, "redirect": Handler.redirect, "loop": Handler.loop, "to": Handler.to,
    "huge": Handler.huge, "stream-huge": Handler.stream_huge, "bomb": Handler.bomb,
    "image": Handler.image, "latin1": Handler.latin1, "cookie": Handler.cookie, "headers": Handler.headers_,
    "f": Handler.file, "etag": Handler.etag,
}  # fmt: skip


class Host:
    """One site on its own port of 127.0.0.1."""

    def __init__(self, site: Site | None = None) -> None:
        self.site = site or Site()
        handler = type("SiteHandler", (Handler,), {"site": self.site})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
