"""The fetcher against real sockets: a server per host on 127.0.0.1 (tests/fetch/server.py)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import replace
from http.cookiejar import CookieJar
from itertools import pairwise

import httpx
import pytest

from cleaner import Cleaner
from cleaner.fetch import FetchOptions, fetch_all, fetch_urls, make_client
from cleaner.fetch.body import ACCEPT
from cleaner.record import Document
from tests.fetch.conftest import FAST
from tests.fetch.server import Host


def fetch(cleaner: Cleaner, urls: list[str], options: FetchOptions = FAST) -> dict[str, Document]:
    docs = fetch_urls(urls, cleaner, options)
    assert sorted(d.id for d in docs) == sorted(set(urls))  # one record per distinct URL
    return {d.id: d for d in docs}


def error_of(doc: Document) -> tuple[str, bool]:
    assert doc.status == "error" and doc.error is not None, doc
    assert doc.error.stage in ("fetch", "decode")
    return doc.error.type, doc.error.retryable


def test_a_page_is_fetched_and_cleaned_with_fetch_fields(cleaner: Cleaner, host: Host) -> None:
    url = host.url("/page/one")
    doc = fetch(cleaner, [url, url])[url]
    assert doc.status == "ok" and doc.title == "Market day one" and "river town" in doc.text
    assert "Copyright" not in doc.text
    assert doc.fetch is not None
    assert (doc.fetch.final_url, doc.fetch.http_status, doc.fetch.attempts) == (url, 200, 1)
    assert doc.fetch.fetched_at and doc.fetch.fetched_at.endswith("Z")
    assert doc.to_dict()["final_url"] == url and doc.source == url and doc.id == url
    assert host.site.paths().count("/page/one") == 1  # listed twice, fetched once


def test_plain_text_is_cleaned_as_text(cleaner: Cleaner, host: Host) -> None:
    doc = fetch(cleaner, [host.url("/text")])[host.url("/text")]
    assert doc.status == "ok" and "river town" in doc.text


def test_user_agent_names_the_tool_and_no_cookie_is_sent(
    cleaner: Cleaner, make_host: Callable[..., Host]
) -> None:
    a, b = make_host(), make_host()
    # A sets a cookie, then A and B (via a redirect from A) are asked: neither gets it back.
    urls = [a.url("/cookie"), a.url("/headers"), a.url("/to?url=" + b.url("/headers"))]
    options = replace(FAST, per_host=1, user_agent="cleaner/0.1 (+https://example.org/cleaner)")
    docs = fetch(cleaner, urls, options)
    assert all(d.status == "ok" for d in docs.values())
    for site in (a.site, b.site):
        for _, path, headers in site.log:
            assert headers["User-Agent"] == "cleaner/0.1 (+https://example.org/cleaner)"
            assert "Cookie" not in headers, path


def test_our_client_sends_straight_to_its_transport_what_it_would_send_itself(
    cleaner: Cleaner, make_host: Callable[..., Host]
) -> None:
    # a fetcher's own client skips its client layer; an injected one (here, the same kind
    # of client) goes through it: the same request headers, in the same order, reach the server
    ours, injected = make_host(), make_host()
    fetch(cleaner, [ours.url("/headers")])

    async def run() -> None:
        async with make_client(FAST) as client:
            _ = [d async for d in fetch_all([injected.url("/headers")], cleaner, FAST, client)]

    asyncio.run(run())

    def sent(host: Host) -> list[list[tuple[str, str]]]:
        return [[(k, v) for k, v in headers.items() if k != "Host"] for _, _, headers in host.site.log]

    assert sent(ours) == sent(injected)
    assert [path for _, path, _ in ours.site.log] == ["/robots.txt", "/headers"]
    page = dict(sent(ours)[1])
    assert page["Accept"] == ACCEPT and page["Connection"] == "keep-alive"


def test_an_injected_client_keeps_no_cookie_and_gets_its_own_jar_back(
    cleaner: Cleaner, make_host: Callable[..., Host]
) -> None:
    a, b = make_host(), make_host()
    urls = [a.url("/cookie"), a.url("/headers"), a.url("/to?url=" + b.url("/cookie")), b.url("/headers")]

    async def run() -> tuple[list[Document], httpx.AsyncClient, CookieJar]:
        async with httpx.AsyncClient() as client:
            client.cookies.set("mine", "the caller's", domain="example.org")
            jar = client.cookies.jar
            docs = [d async for d in fetch_all(urls, cleaner, replace(FAST, per_host=1), client)]
            return docs, client, jar

    docs, client, jar = asyncio.run(run())
    assert all(d.status == "ok" for d in docs)
    for site in (a.site, b.site):
        assert all("Cookie" not in headers for _, _, headers in site.log)
    assert client.cookies.jar is jar and [c.name for c in jar] == ["mine"]  # nothing kept from a or b


def test_robots_disallow_is_honoured_per_product_token(
    cleaner: Cleaner, make_host: Callable[..., Host]
) -> None:
    site = make_host("User-agent: otherbot\nDisallow: /\n\nUser-agent: cleaner\nDisallow: /page/private\n")
    urls = [site.url("/page/private"), site.url("/page/public"), site.url("/page/public2")]
    docs = fetch(cleaner, urls)
    assert error_of(docs[urls[0]]) == ("robots_disallowed", False)
    assert docs[urls[1]].status == "ok"
    assert site.site.paths().count("/robots.txt") == 1  # fetched once, cached for the run
    assert "/page/private" not in site.site.paths()


def test_ignore_robots_neither_fetches_nor_obeys_it(cleaner: Cleaner, make_host: Callable[..., Host]) -> None:
    site = make_host("User-agent: *\nDisallow: /\n")
    docs = fetch(cleaner, [site.url("/page/a")], replace(FAST, respect_robots=False))
    assert docs[site.url("/page/a")].status == "ok"
    assert "/robots.txt" not in site.site.paths()


def test_robots_5xx_disallows_for_now_and_4xx_allows(
    cleaner: Cleaner, make_host: Callable[..., Host]
) -> None:
    down, missing = make_host(500), make_host(404)
    docs = fetch(cleaner, [down.url("/page/a"), missing.url("/page/b")])
    assert error_of(docs[down.url("/page/a")]) == ("robots_disallowed", True)
    assert "/page/a" not in down.site.paths()
    assert docs[missing.url("/page/b")].status == "ok"


def test_crawl_delay_spaces_requests_and_is_logged(
    cleaner: Cleaner, make_host: Callable[..., Host], caplog: pytest.LogCaptureFixture
) -> None:
    site = make_host("User-agent: *\nCrawl-delay: 30\n")  # capped at FAST.max_crawl_delay = 0.5 s
    urls = [site.url(f"/page/{i}") for i in range(3)]
    with caplog.at_level("INFO", logger="cleaner.fetch"):
        docs = fetch(cleaner, urls)
    assert all(d.status == "ok" for d in docs.values())
    starts = sorted(site.site.hits("/page/"))
    assert all(b - a >= 0.4 for a, b in pairwise(starts)), starts
    assert any(
        "Crawl-delay 30" in r.getMessage() and "capped at 0.5" in r.getMessage() for r in caplog.records
    )


def test_redirect_chain_is_followed_and_recorded(cleaner: Cleaner, host: Host) -> None:
    url = host.url("/redirect/3")
    doc = fetch(cleaner, [url])[url]
    assert doc.status == "ok" and doc.fetch is not None
    assert doc.fetch.final_url == host.url("/page/end") and doc.url == host.url("/page/end")
    assert doc.fetch.redirects == (url, host.url("/redirect/2"), host.url("/redirect/1"))


def test_too_many_redirects_and_loops(cleaner: Cleaner, host: Host) -> None:
    docs = fetch(cleaner, [host.url("/redirect/9"), host.url("/loop/a")])
    assert error_of(docs[host.url("/redirect/9")]) == ("too_many_redirects", False)
    assert len(docs[host.url("/redirect/9")].fetch.redirects) == 6  # type: ignore[union-attr]
    assert error_of(docs[host.url("/loop/a")]) == ("too_many_redirects", False)
    assert "loop" in docs[host.url("/loop/a")].error.message  # type: ignore[union-attr]


def test_robots_is_checked_again_when_a_redirect_changes_host(
    cleaner: Cleaner, make_host: Callable[..., Host]
) -> None:
    start, closed = make_host(), make_host("User-agent: *\nDisallow: /\n")
    url = start.url("/to?url=" + closed.url("/page/x"))
    doc = fetch(cleaner, [url])[url]
    assert error_of(doc) == ("robots_disallowed", False)
    assert doc.fetch is not None and doc.fetch.redirects == (url,)
    assert closed.site.paths() == ["/robots.txt"]


def test_http_errors_are_typed_and_4xx_is_never_retried(cleaner: Cleaner, host: Host) -> None:
    urls = [host.url("/status/404"), host.url("/status/410"), host.url("/status/503")]
    docs = fetch(cleaner, urls)
    assert error_of(docs[urls[0]]) == ("http_4xx", False)
    assert error_of(docs[urls[1]]) == ("http_4xx", False)
    assert error_of(docs[urls[2]]) == ("http_5xx", True)
    assert docs[urls[0]].fetch.http_status == 404  # type: ignore[union-attr]
    paths = host.site.paths()
    assert paths.count("/status/404") == 1 and paths.count("/status/410") == 1
    assert paths.count("/status/503") == FAST.attempts


def test_5xx_then_200_is_retried_with_backoff(cleaner: Cleaner, host: Host) -> None:
    url = host.url("/flaky?key=f&fail=1")
    doc = fetch(cleaner, [url])[url]
    assert doc.status == "ok" and doc.fetch is not None and doc.fetch.attempts == 2


def test_429_pauses_the_host_for_retry_after(cleaner: Cleaner, host: Host) -> None:
    urls = [host.url("/busy?key=b&after=1")] + [host.url(f"/page/{i}") for i in range(3)]
    options = replace(FAST, per_host=1)
    docs = fetch(cleaner, urls, options)
    assert all(d.status == "ok" for d in docs.values())
    assert docs[urls[0]].fetch.attempts == 2  # type: ignore[union-attr]
    busy = host.site.hits("/busy")[0]
    after = [t for t in host.site.hits("/") if t > busy + 0.01]
    assert after and min(after) - busy >= 0.9  # nobody asked the host anything for 1 s


def test_retry_after_is_capped(cleaner: Cleaner, host: Host) -> None:
    url = host.url("/busy?key=c&after=3600")
    started = time.monotonic()
    doc = fetch(cleaner, [url], replace(FAST, max_retry_after=0.3))[url]
    assert doc.status == "ok" and time.monotonic() - started < 60


def test_reset_connection_is_retried_then_recorded(cleaner: Cleaner, host: Host) -> None:
    doc = fetch(cleaner, [host.url("/reset")])[host.url("/reset")]
    assert error_of(doc) == ("connect", True)
    assert doc.fetch is not None and doc.fetch.attempts == FAST.attempts


def test_nothing_listening_is_a_connect_error(cleaner: Cleaner, host: Host) -> None:
    port = host.port
    host.close()
    url = f"http://127.0.0.1:{port}/page/a"
    doc = fetch(cleaner, [url], replace(FAST, respect_robots=False))[url]
    assert error_of(doc) == ("connect", True)


def test_tls_failure_is_an_error_never_a_downgrade(cleaner: Cleaner, host: Host) -> None:
    url = f"https://127.0.0.1:{host.port}/page/a"  # a plain-HTTP server: the handshake fails
    for options in (FAST, replace(FAST, respect_robots=False)):
        doc = fetch(cleaner, [url], options)[url]
        assert error_of(doc) == ("tls", False)
    assert "/page/a" not in host.site.paths()


def test_a_slow_answer_times_out(cleaner: Cleaner, host: Host) -> None:
    url = host.url("/slow?s=3")
    doc = fetch(cleaner, [url], replace(FAST, read_timeout=0.3, attempts=2))[url]
    assert error_of(doc) == ("timeout", True) and doc.fetch.attempts == 2  # type: ignore[union-attr]


def test_a_dripping_server_is_cut_off_by_the_deadline(cleaner: Cleaner, host: Host) -> None:
    url = host.url("/drip")
    started = time.monotonic()
    doc = fetch(cleaner, [url], replace(FAST, deadline=1.0, attempts=1))[url]
    assert error_of(doc) == ("timeout", True) and "deadline" in doc.error.message  # type: ignore[union-attr]
    assert time.monotonic() - started >= 1.0


def test_the_url_deadline_cuts_a_dripping_server_off_whatever_the_attempts(
    cleaner: Cleaner, host: Host
) -> None:
    url = host.url("/drip")  # each try would take the whole 30 s per-request deadline
    started = time.monotonic()
    doc = fetch(cleaner, [url], replace(FAST, deadline=30, url_deadline=1.0, attempts=3))[url]
    elapsed = time.monotonic() - started
    assert error_of(doc) == ("timeout", True)
    assert "URL deadline of 1 s passed during try 1" in doc.error.message  # type: ignore[union-attr]
    assert doc.fetch is not None and doc.fetch.attempts == 1
    assert 1.0 <= elapsed < 10, elapsed


def test_the_url_deadline_ends_the_retries_of_a_server_that_fails_forever(
    cleaner: Cleaner, host: Host
) -> None:
    url = host.url("/status/500")
    options = replace(FAST, attempts=100, backoff=0.2, max_backoff=0.2, url_deadline=1.5)
    started = time.monotonic()
    doc = fetch(cleaner, [url], options)[url]
    elapsed = time.monotonic() - started
    assert error_of(doc) == ("timeout", True)
    message = doc.error.message  # type: ignore[union-attr]
    # the time runs out between tries (no use sleeping), as a try fails, or in an overlong backoff
    assert "URL deadline of 1.5 s" in message and "last error: http_5xx" in message
    assert doc.fetch is not None and 3 <= doc.fetch.attempts < 100
    hits = host.site.paths().count("/status/500")
    if doc.fetch.http_status is None:  # the last try got no answer: the deadline cut it off,
        # maybe before its request reached the server, or before the server logged it
        assert f"passed during try {doc.fetch.attempts};" in message
        assert doc.fetch.attempts - 1 <= hits <= doc.fetch.attempts
    else:
        assert doc.fetch.http_status == 500 and hits == doc.fetch.attempts
    assert elapsed < 10, elapsed  # backoffs count: 1.5 s of them, not 100 tries' worth


def test_a_try_cut_off_by_the_url_deadline_names_the_error_of_the_try_before(
    cleaner: Cleaner, host: Host
) -> None:
    url = host.url("/flaky?key=cut&fail=1&s=3")  # a 500, then an answer far beyond the deadline
    doc = fetch(cleaner, [url], replace(FAST, attempts=3, url_deadline=1.0))[url]
    assert error_of(doc) == ("timeout", True)
    assert doc.error.message == (  # type: ignore[union-attr]
        "URL deadline of 1 s passed during try 2; last error: http_5xx: HTTP 500 Internal Server Error"
    )
    assert doc.fetch is not None and (doc.fetch.attempts, doc.fetch.http_status) == (2, None)


def test_waiting_for_the_hosts_turn_does_not_count_towards_the_url_deadline(
    cleaner: Cleaner, host: Host
) -> None:
    # One at a time, 0.2 s apart, 0.2 s each: the last URL waits about 1.6 s for its turn,
    # twice its deadline, but its own work takes a quarter of it.
    urls = [host.url(f"/slow?s=0.2&n={i}") for i in range(5)]
    options = replace(FAST, per_host=1, delay=0.2, jitter=0.0, url_deadline=0.8)
    docs = fetch(cleaner, urls, options)
    assert all(d.status == "ok" for d in docs.values()), [d.error for d in docs.values()]
    starts = sorted(host.site.hits("/slow"))
    assert starts[-1] - starts[0] > 0.8  # the queue was longer than the deadline


def test_a_dripping_robots_txt_counts_towards_the_url_deadline(cleaner: Cleaner, host: Host) -> None:
    host.site.robots_drip = True
    urls = [host.url("/page/a"), host.url("/page/b")]
    started = time.monotonic()
    docs = fetch(cleaner, urls, replace(FAST, deadline=30, url_deadline=1.0))
    assert time.monotonic() - started < 10
    for doc in docs.values():
        assert error_of(doc) == ("timeout", True)
        assert "URL deadline of 1 s" in doc.error.message and "robots.txt" in doc.error.message  # type: ignore[union-attr]
    assert host.site.paths() == ["/robots.txt"]  # fetched once, pages never asked for


def test_size_limits(cleaner: Cleaner, host: Host) -> None:
    urls = [host.url("/huge"), host.url("/stream-huge"), host.url("/bomb")]
    docs = fetch(cleaner, urls, replace(FAST, max_bytes=1_000_000))
    for url in urls:
        assert error_of(docs[url]) == ("too_large", False)
    assert "Content-Length" in docs[urls[0]].error.message  # type: ignore[union-attr]
    assert "inflates" in docs[urls[2]].error.message  # type: ignore[union-attr]


def test_wrong_content_type_is_not_html(cleaner: Cleaner, host: Host) -> None:
    doc = fetch(cleaner, [host.url("/image")])[host.url("/image")]
    assert error_of(doc) == ("not_html", False)
    assert doc.fetch is not None and doc.fetch.http_status == 200


def test_meta_charset_is_used_when_the_header_has_none(cleaner: Cleaner, host: Host) -> None:
    doc = fetch(cleaner, [host.url("/latin1")])[host.url("/latin1")]
    assert doc.status == "ok" and doc.title == "Café crème à Noël"


def test_invalid_urls_get_error_records(cleaner: Cleaner) -> None:
    docs = fetch(cleaner, ["ftp://example.org/x", "example.org/page"])
    assert {error_of(d) for d in docs.values()} == {("invalid_url", False)}


def test_per_host_cap_delay_and_hosts_in_parallel(cleaner: Cleaner, make_host: Callable[..., Host]) -> None:
    hosts = [make_host() for _ in range(3)]
    urls = [h.url(f"/slow?s=0.3&n={i}") for h in hosts for i in range(4)]
    docs = fetch(cleaner, urls, replace(FAST, per_host=2, delay=0.1, jitter=0.0))
    assert all(d.status == "ok" for d in docs.values())
    for h in hosts:
        spans = [(s, e) for s, e, p in h.site.spans if p == "/slow"]
        assert max(_overlap(spans, t) for t, _ in spans) <= 2  # per-host cap
        starts = sorted(s for s, _ in spans)
        assert all(b - a >= 0.08 for a, b in pairwise(starts))  # min delay
    everything = [(s, e) for h in hosts for s, e, p in h.site.spans if p == "/slow"]
    assert max(_overlap(everything, t) for t, _ in everything) >= 3  # hosts at once


def test_global_cap(cleaner: Cleaner, make_host: Callable[..., Host]) -> None:
    hosts = [make_host() for _ in range(4)]
    urls = [h.url(f"/slow?s=0.2&n={i}") for h in hosts for i in range(2)]
    fetch(cleaner, urls, replace(FAST, concurrency=2, respect_robots=False))
    everything = [(s, e) for h in hosts for s, e, p in h.site.spans if p == "/slow"]
    assert max(_overlap(everything, t + 0.01) for t, _ in everything) <= 2


def _overlap(spans: list[tuple[float, float]], t: float) -> int:
    return sum(1 for s, e in spans if s <= t < e)
