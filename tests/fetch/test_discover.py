"""Discovery against real local servers: sitemaps (XML, gzipped, text, indexes, loops,
broken, huge, wrong content types), feeds (RSS, Atom, JSON Feed), homepages, and the CLI."""

from __future__ import annotations

import asyncio
import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

from cleaner import Cleaner
from cleaner.cli.fetch import fetch
from cleaner.fetch import Fetcher
from cleaner.fetch.discover import DiscoverOptions, Seeds, discover
from cleaner.record import Document
from tests.fetch.conftest import FAST
from tests.fetch.server import Host

XML = "application/xml"


def urlset(host: Host, pages: list[tuple[str, str | None]]) -> bytes:
    items = "".join(
        f"<url><loc>{host.url('/page/' + p)}</loc>{f'<lastmod>{d}</lastmod>' if d else ''}</url>"
        for p, d in pages
    )
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</urlset>'.encode()


def index(host: Host, names: list[str]) -> bytes:
    items = "".join(f"<sitemap><loc>{host.url('/f/' + n)}</loc></sitemap>" for n in names)
    return (
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</sitemapindex>'.encode()
    )


def found(cleaner: Cleaner, seeds: Seeds, options: DiscoverOptions | None = None) -> list[str | Document]:
    async def run() -> list[str | Document]:
        async with Fetcher(cleaner, FAST) as fetcher:
            return [item async for item in discover(fetcher, seeds, options)]

    return asyncio.run(run())


def test_robots_sitemap_lines_an_index_gzip_and_text(cleaner: Cleaner, host: Host) -> None:
    host.site.robots = f"User-agent: *\nAllow: /\nSitemap: {host.url('/f/index.xml')}\n"
    host.site.files["index.xml"] = ("text/html", index(host, ["a.xml.gz", "b.txt", "index.xml"]))  # a loop
    host.site.files["a.xml.gz"] = ("application/octet-stream", gzip.compress(urlset(host, [("a1", None)])))
    host.site.files["b.txt"] = (
        "text/plain",
        f"{host.url('/page/b1')}\nnot a url\n{host.url('/page/a1')}\n".encode(),
    )
    items = found(cleaner, Seeds(sitemaps=(host.url("/"),)))
    assert items == [host.url("/page/a1"), host.url("/page/b1")]
    assert host.site.paths().count("/f/index.xml") == 1


def test_since_max_urls_and_same_host(cleaner: Cleaner, host: Host) -> None:
    pages = [("old", "2020-01-01"), ("new", "2024-06-01T10:00:00+00:00"), ("undated", None)]
    body = urlset(host, pages).replace(
        b"</urlset>", b"<url><loc>http://elsewhere.test/x</loc></url></urlset>"
    )
    host.site.files["s.xml"] = (XML, body)
    since = DiscoverOptions(since=datetime(2024, 1, 1, tzinfo=UTC))
    assert found(cleaner, Seeds(sitemaps=(host.url("/f/s.xml"),)), since) == [
        host.url("/page/new"), host.url("/page/undated")]  # fmt: skip
    assert len(found(cleaner, Seeds(sitemaps=(host.url("/f/s.xml"),)), DiscoverOptions(max_urls=2))) == 2
    every = found(cleaner, Seeds(sitemaps=(host.url("/f/s.xml"),)), DiscoverOptions(same_host=False))
    assert "http://elsewhere.test/x" in every


def test_broken_and_wrong_documents_are_error_records(cleaner: Cleaner, host: Host) -> None:
    host.site.files["broken.xml"] = (XML, urlset(host, [("x1", None), ("x2", None)])[:-40])
    host.site.files["page.xml"] = (XML, b"<html><body><p>hello</p></body></html>")
    host.site.files["bin"] = ("image/png", b"\x89PNG\0\0\0")
    host.site.files["bomb.xml.gz"] = (XML, gzip.compress(b"<urlset>" + b" " * 30_000_000))
    seeds = Seeds(sitemaps=tuple(host.url(f"/f/{n}") for n in ("broken.xml", "page.xml", "bin", "bomb.xml.gz",
                                                                 "missing.xml")))  # fmt: skip
    items = found(cleaner, seeds)
    assert host.url("/page/x1") in items  # what a broken sitemap still holds is read
    errors = {d.id: d.error.type for d in items if isinstance(d, Document) and d.error}
    assert errors == {host.url("/f/page.xml"): "not_a_listing", host.url("/f/bin"): "not_a_listing",
                      host.url("/f/bomb.xml.gz"): "too_large", host.url("/f/missing.xml"): "http_4xx"}  # fmt: skip  # noqa: E501


def test_a_huge_sitemap_stops_at_max_urls(cleaner: Cleaner, host: Host) -> None:
    host.site.files["huge.xml"] = (XML, urlset(host, [(str(i), None) for i in range(50_000)]))
    items = found(cleaner, Seeds(sitemaps=(host.url("/f/huge.xml"),)), DiscoverOptions(max_urls=1000))
    assert len(items) == 1000 and items[0] == host.url("/page/0")


def test_feeds_rss_atom_json(cleaner: Cleaner, host: Host) -> None:
    host.site.files["rss"] = ("text/plain", f"""<?xml version="1.0"?><rss version="2.0"><channel>
<item><link>{host.url('/page/r1')}</link><pubDate>Sat, 01 Jun 2024 10:00:00 GMT</pubDate></item>
<item><link>{host.url('/page/r0')}</link><pubDate>Sat, 01 Jun 2019 10:00:00 GMT</pubDate></item>
</channel></rss>""".encode())  # fmt: skip
    host.site.files["atom"] = (
        XML,
        f"""<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><link href="{host.url("/page/a1")}"/><updated>2024-06-01T00:00:00Z</updated></entry>
</feed>""".encode(),
    )
    host.site.files["json"] = (
        "application/feed+json",
        json.dumps(
            {"version": "https://jsonfeed.org/version/1.1", "items": [{"url": host.url("/page/j1")}]}
        ).encode(),
    )
    seeds = Seeds(feeds=tuple(host.url(f"/f/{n}") for n in ("rss", "atom", "json")))
    items = found(cleaner, seeds, DiscoverOptions(since=datetime(2024, 1, 1, tzinfo=UTC)))
    assert items == [host.url("/page/r1"), host.url("/page/a1"), host.url("/page/j1")]


def test_homepage_finds_feeds_and_sitemaps_and_the_cli_fetches_them(host: Host, tmp_path: Path) -> None:
    host.site.files["home"] = (
        "text/html",
        f"""<html><head>
<link rel="alternate" type="application/rss+xml" href="/f/rss">
<link rel="sitemap" href="{host.url("/f/s.xml")}"></head><body>hi</body></html>""".encode(),
    )
    host.site.files["rss"] = (XML, f'<rss version="2.0"><channel><item><link>{host.url("/page/r1")}</link>'
                              "</item></channel></rss>".encode())  # fmt: skip
    host.site.files["s.xml"] = (XML, urlset(host, [("s1", None), ("r1", None)]))
    (tmp_path / "fast.toml").write_text("[fetch]\ndelay = 0.05\njitter = 0.2\nattempts = 1\n")
    out = tmp_path / "out.jsonl"
    args = ["--discover", host.url("/f/home"), "--config", str(tmp_path / "fast.toml"), "-o", str(out), "-q"]
    result = CliRunner().invoke(fetch, args)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(r["id"] for r in records) == [host.url("/page/r1"), host.url("/page/s1")]
    assert all(r["status"] == "ok" for r in records)


def test_discovery_is_polite(cleaner: Cleaner, host: Host) -> None:
    host.site.robots = "User-agent: *\nDisallow: /f/secret\n"
    host.site.files["secret"] = (XML, urlset(host, [("x", None)]))
    items = found(cleaner, Seeds(sitemaps=(host.url("/f/secret"),)))
    assert [d.error.type for d in items if isinstance(d, Document) and d.error] == ["robots_disallowed"]
    assert "/f/secret" not in host.site.paths()


def test_usage_needs_a_list_or_a_seed() -> None:
    assert CliRunner().invoke(fetch, []).exit_code == 2
    help_text = CliRunner().invoke(fetch, ["--help"]).output
    assert "--sitemap" in help_text and "--since-run" in help_text and "--public-only" in help_text
