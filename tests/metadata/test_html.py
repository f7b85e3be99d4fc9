"""HTML metadata: meta tags, JSON-LD, title suffixes, authors, dates, declared language."""

from __future__ import annotations

import random

import pytest
from lxml.html import HtmlElement, fromstring
from trafilatura.metadata import JSON_MINIFY, examine_meta, extract_meta_json

from cleaner.metadata.byline import _byline_candidates
from cleaner.metadata.html import (
    HtmlMetadata,
    _meta_json,
    _minify_json,
    declared_language,
    extract_metadata,
    structured_data,
)


def tree(head: str, body: str = "<p>text</p>", lang: str = "") -> HtmlElement:
    attr = f' lang="{lang}"' if lang else ""
    return fromstring(f"<html{attr}><head>{head}</head><body>{body}</body></html>")


JSON_LD = """<script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [
  {"@type": "WebSite", "name": "Ignored Site"},
  {"@type": "NewsArticle", "headline": "Rivers rise after a week of rain",
   "datePublished": "2021-03-04T08:15:00+01:00",
   "author": [{"@type": "Person", "name": "By Ana Lima"}, {"@type": "Person", "name": "Tom Berg"}],
   "publisher": {"@type": "Organization", "name": "The Valley Post"}}
]}</script>"""


def test_json_ld_article_fields() -> None:
    meta = extract_metadata(tree(JSON_LD), "https://valley.example/rivers")
    assert meta.title == "Rivers rise after a week of rain"
    assert meta.author == "Ana Lima; Tom Berg"
    assert meta.date == "2021-03-04"
    assert meta.sitename == "The Valley Post"
    assert meta.url == "https://valley.example/rivers"


def test_structured_data_skips_broken_scripts() -> None:
    head = '<script type="application/ld+json">{not json</script>' + JSON_LD
    assert structured_data(tree(head)).publisher == "The Valley Post"


def test_site_suffix_is_dropped_from_title() -> None:
    head = '<title>Markets slide as rates climb - WSJ</title><meta property="og:site_name" content="WSJ">'
    meta = extract_metadata(tree(head))
    assert meta.title == "Markets slide as rates climb"
    assert meta.sitename == "WSJ"


def test_opengraph_and_meta_tags() -> None:
    head = (
        '<meta property="og:title" content="A quiet harbour town">'
        '<meta name="description" content="Boats, gulls and a lighthouse.">'
        '<meta name="author" content="By Mia Ross">'
        '<meta property="article:published_time" content="2020-07-01T10:00:00Z">'
        '<link rel="canonical" href="https://harbour.example/town">'
    )
    meta = extract_metadata(tree(head))
    assert meta.title == "A quiet harbour town"
    assert meta.description == "Boats, gulls and a lighthouse."
    assert meta.author == "Mia Ross"
    assert meta.date == "2020-07-01"
    assert meta.url == "https://harbour.example/town"


def test_byline_when_no_meta_author() -> None:
    body = '<article><p class="byline">By Lena Vogt</p><p>Story text goes here.</p></article>'
    assert extract_metadata(tree("<title>x</title>", body)).author == "Lena Vogt"


def test_author_trailing_date_is_cut() -> None:
    head = '<meta name="author" content="Bryan DeArdo Nov 19, 2019">'
    assert extract_metadata(tree(head)).author == "Bryan DeArdo"


def test_declared_language() -> None:
    assert declared_language(tree("", lang="pt-BR")) == "pt"
    assert declared_language(tree('<meta http-equiv="content-language" content="de">')) == "de"
    assert declared_language(tree("")) is None
    assert declared_language(tree("", lang="x-klingon")) is None


def test_nothing_found_is_all_none() -> None:
    meta = extract_metadata(fromstring("<html><body><div>plain</div></body></html>"))
    assert meta == HtmlMetadata(title=meta.title)


def test_declared_language_from_meta_tags() -> None:
    assert declared_language(tree('<meta property="og:locale" content="fr_FR">')) == "fr"
    head = '<meta name="language" content="klingon"><meta name="dc.language" content="nl">'
    assert declared_language(tree(head, lang="x-klingon")) == "nl"


# Our stand-ins for trafilatura's JSON-LD reading must give exactly its results.
_SCRIPTS = [
    '{"@context": "https://schema.org", "@type": "NewsArticle",\n  "headline": "Caf\\u00e9 <b>news</b>",'
    ' "author": {"@type": "Person", "name": "Zo\\u00eb  Ba\\tker"}, "publisher": {"name": "A &amp; B"}}',
    '{"@context": "https://schema.org", "@type": "Article",'
    ' "headline": "Smile \\ud83d\\ude00 \\ud800 \\"q\\"", "author": "Jo Li\\nAnn Ek"}',
    '{"@context": "https://schema.org", "@type": "BlogPosting", "headline": "broken \\\n line", "author": ',
    '{"@context": "http://schema.org", "@graph": [{"@type": "WebSite", "name": "The  Site"},'
    ' {"@type": "Person", "name": "Ed \\u0022Q\\u0022 Mo"}]}',
    "",
]


@pytest.mark.parametrize("script", _SCRIPTS)
def test_json_ld_read_like_trafilatura(script: str) -> None:
    page = tree(
        f'<script type="application/ld+json">{script}</script>'
        '<script type="application/settings+json">{"@context": "https://schema.org",'
        ' "@type": "Organization", "name": "Settings \\u00c5 Org"}</script>'
    )
    scripts = page.xpath('.//script[@type="application/ld+json" or @type="application/settings+json"]')
    ours, theirs = _meta_json(scripts, examine_meta(page)), extract_meta_json(page, examine_meta(page))
    fields = ("title", "author", "url", "description", "sitename", "categories", "tags", "image", "pagetype")
    assert [getattr(ours, k) for k in fields] == [getattr(theirs, k) for k in fields]


def test_json_minify_like_trafilatura() -> None:
    pieces = ['"', "\\", " ", "\n", "\t", "\u00a0", "a", ":", "{", "\\u00e9", "\\n"]
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 24)))
        assert _minify_json(text) == JSON_MINIFY.sub(r"\1", text), text


def test_byline_candidates_match_the_xpath() -> None:
    body = (
        '<meta itemprop="author" content="x"><link rel="author" href="/a">'
        '<div class="post-byline"><!-- c --><a rel="author">Ana</a><span itemprop="author">Ana</span></div>'
        '<p class="author-names">Bo</p><p rel="authors">no</p><span class="by">no</span>'
    )
    page = tree("", body)
    page.set("class", "byline")  # the page itself is not a candidate
    xpath = (
        './/*[@rel="author" or @itemprop="author" or contains(@class, "byline")'
        ' or contains(@class, "author-name")][not(self::meta or self::link)]'
    )
    expected = page.xpath(xpath)
    assert len(expected) == 4
    assert list(_byline_candidates(page)) == expected
