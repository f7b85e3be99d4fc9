"""Provenance of every metadata field, and bad metadata that must never poison a record."""

from __future__ import annotations

import json
import pickle

from lxml.html import HtmlElement, fromstring

from cleaner import Cleaner
from cleaner.metadata.html import extract_metadata


def page(head: str, body: str = "<p>text</p>") -> HtmlElement:
    return fromstring(f"<html><head>{head}</head><body>{body}</body></html>")


def sources(head: str, body: str = "<p>text</p>", url: str | None = None) -> dict[str, str]:
    return dict(extract_metadata(page(head, body), url).sources)


def ld(obj: str) -> str:
    return f'<script type="application/ld+json">{obj}</script>'


def test_broken_json_ld_gives_null_fields_and_says_why() -> None:
    meta = extract_metadata(page(ld('{"@type": "NewsArticle", "datePublished": "2021-')))
    assert meta.date is None
    assert dict(meta.sources)["date"] == "rejected:json-ld:unparsable"


def test_broken_json_ld_does_not_hide_the_meta_tags() -> None:
    head = ld("{not json") + '<meta property="article:published_time" content="2021-05-06T10:00:00+02:00">'
    meta = extract_metadata(page(head))
    assert (meta.date, dict(meta.sources)["date"]) == ("2021-05-06", "meta:article:published_time")


def test_year_zero_and_9999_are_rejected() -> None:
    for value in ("0000-01-01T00:00:00Z", "9999-12-31"):
        meta = extract_metadata(page(ld(f'{{"@type": "Article", "datePublished": "{value}"}}')))
        assert meta.date is None
        assert dict(meta.sources)["date"] == "rejected:json-ld:datePublished:year-out-of-range"


def test_a_day_that_does_not_exist_is_rejected() -> None:
    meta = extract_metadata(page('<meta property="article:published_time" content="2021-02-30">'))
    assert meta.date is None
    assert dict(meta.sources)["date"] == "rejected:meta:article:published_time:no-such-day"


def test_a_rejected_date_gives_way_to_the_next_source() -> None:
    head = ld('{"@type": "Article", "datePublished": "9999-01-01"}')
    meta = extract_metadata(page(head), "https://news.example/2020/03/04/story")
    assert (meta.date, dict(meta.sources)["date"]) == ("2020-03-04", "url")


def test_megabyte_meta_tags_are_refused() -> None:
    huge = "x" * 1_000_000
    head = f'<meta property="og:title" content="{huge}"><meta name="description" content="{huge}">'
    head += f'<meta name="author" content="{huge}">'
    meta = extract_metadata(page(head))
    assert meta.title is None and meta.description is None and meta.author is None
    found = dict(meta.sources)
    assert found["title"] == "rejected:og:title:too-long"
    assert found["description"] == "rejected:description:too-long"
    assert found["author"].startswith("rejected:meta:author:too-long")


def test_author_that_is_a_url_or_an_email_is_refused() -> None:
    for value, why in (("https://www.facebook.com/jane.doe", "url"), ("jane.doe@example.org", "email")):
        meta = extract_metadata(page(f'<meta name="author" content="{value}">'))
        assert meta.author is None
        assert dict(meta.sources)["author"] == f"rejected:meta:author:{why}"


def test_sources_of_every_field() -> None:
    head = (
        '<title>Rivers rise again | Valley Post</title><meta property="og:site_name" content="Valley Post">'
        '<meta name="description" content="Water everywhere.">'
        + ld('{"@type": "NewsArticle", "datePublished": "2021-03-04T08:15:00+01:00", "author": "Ana Lima"}')
    )
    found = sources(head, "<h1>Rivers rise again</h1><p>text</p>", "https://valley.example/rivers")
    assert found == {
        "title": "h1+title",
        "author": "json-ld:author",
        "date": "json-ld:datePublished",
        "sitename": "meta:site_name",
        "description": "meta:description",
        "url": "input",
    }


def test_meta_sources_in_the_record_json() -> None:
    html = (
        '<html><head><meta property="article:published_time" content="2020-07-01T10:00:00Z">'
        '<meta name="author" content="Mia Ross"></head><body><h1>A quiet harbour town</h1>'
        "<p>Boats and gulls fill the harbour every morning, and the lighthouse keeper counts them all.</p>"
        "</body></html>"
    )
    doc = Cleaner().clean_html(html, "https://harbour.example/town")
    record = json.loads(json.dumps(doc.to_dict()))
    assert record["meta_sources"]["date"] == "meta:article:published_time"
    assert record["meta_sources"]["author"] == "meta:author"
    assert record["meta_sources"]["title"] == "h1"
    assert pickle.loads(pickle.dumps(doc)) == doc
    assert hash(doc.meta_sources) == hash(pickle.loads(pickle.dumps(doc)).meta_sources)


def test_text_record_has_date_and_sources() -> None:
    text = (
        "Council approves the new water rates\n"
        "By Dana Whitfield and Omar Haddad\n"
        "Published: 3 May 2022\n"
        "Updated: 4 May 2022\n"
        "The council voted late on Tuesday to raise water rates by nine percent over two years.\n"
    )
    record = Cleaner().clean_text(text).to_dict()
    assert record["date"] == "2022-05-03"
    assert record["author"] == "Dana Whitfield; Omar Haddad"
    assert record["meta_sources"]["date"] == "text:published-line"
    assert record["meta_sources"]["author"] == "text:byline"
