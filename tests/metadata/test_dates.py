"""Publication days: as written, never converted between zones, cross-checked."""

from __future__ import annotations

from datetime import date

import pytest
from lxml.html import HtmlElement, fromstring

from cleaner.metadata.dates import line_dates, parse_day
from cleaner.metadata.html import extract_metadata


def page(head: str, body: str = "<p>text</p>", lang: str = "") -> HtmlElement:
    attr = f' lang="{lang}"' if lang else ""
    return fromstring(f"<html{attr}><head>{head}</head><body>{body}</body></html>")


def published(value: str) -> str:
    return f'<script type="application/ld+json">{{"@type": "Article", "datePublished": "{value}"}}</script>'


@pytest.mark.parametrize(
    "value",
    ["2020-01-23T23:30:00-05:00", "2020-01-23T23:30:00Z", "2020-01-23T00:30:00+09:00", "2020-01-23 23:59:59"],
)
def test_the_day_is_the_one_written_in_the_string(value: str) -> None:
    assert extract_metadata(page(published(value))).date == "2020-01-23"


def test_a_utc_time_gives_way_to_the_day_the_page_shows() -> None:
    # 05:30 UTC is the evening before in America: the page prints (and its URL says) the 8th.
    body = "<h1>Mayor elected</h1><p>Published: November 8, 2023 at 11:30 p.m.</p>"
    meta = extract_metadata(page(published("2023-11-09T05:30:59Z"), body), "https://city.example/mayor")
    assert meta.date == "2023-11-08"
    assert dict(meta.sources)["date"] == "text:near-headline+json-ld:datePublished:utc"


def test_a_utc_time_is_not_shifted_the_impossible_way() -> None:
    # 05:00 UTC cannot be the next day anywhere: the visible date one day later is something else.
    body = "<h1>Three years on</h1><p>13.12.2015</p>"
    assert extract_metadata(page(published("2015-12-12T05:00:37+00:00"), body)).date == "2015-12-12"


def test_a_local_time_is_never_shifted() -> None:
    body = "<h1>Glasgow talks</h1><p>27.10.2021</p>"
    assert extract_metadata(page(published("2021-10-28T13:21:30+01:00"), body)).date == "2021-10-28"


def test_modification_date_is_not_the_publication_date() -> None:
    head = (
        '<meta property="article:modified_time" content="2022-03-01T10:00:00+01:00">'
        '<meta property="article:published_time" content="2022-02-01T10:00:00+01:00">'
    )
    assert extract_metadata(page(head)).date == "2022-02-01"


def test_meta_tag_and_itemprop_dates() -> None:
    assert extract_metadata(page('<meta itemprop="datePublished" content="2022-5-5">')).date == "2022-05-05"
    assert extract_metadata(page('<meta name="dc.date" content="2019-12-10">')).date == "2019-12-10"


def test_visible_date_next_to_the_headline() -> None:
    body = "<article><h1>Im Schlepptau</h1><p>31. Oktober 2023. Dragqueens und Dragkings.</p></article>"
    meta = extract_metadata(page("", body))
    assert (meta.date, dict(meta.sources)["date"]) == ("2023-10-31", "text:near-headline")


def test_an_updated_date_next_to_the_headline_is_skipped() -> None:
    body = "<h1>Rates rise</h1><p>Aktualisiert am 05.03.2022</p><p>Veröffentlicht am 01.03.2022</p>"
    assert extract_metadata(page("", body)).date == "2022-03-01"


def test_url_date_of_an_archived_page_is_the_original_url() -> None:
    url = "https://web.archive.org/web/20160820205919/http://blog.example/2016/01/15/post/"
    assert extract_metadata(page(""), url).date == "2016-01-15"


def test_slashed_dates_follow_the_page_language() -> None:
    assert extract_metadata(page("", "<h1>Nouvelles</h1><p>03/05/2022</p>", lang="fr")).date == "2022-05-03"
    assert (
        extract_metadata(page("", "<h1>News today</h1><p>03/05/2022</p>", lang="en-US")).date == "2022-03-05"
    )
    assert (
        extract_metadata(page("", "<h1>News today</h1><p>03/05/2022</p>", lang="en-GB")).date == "2022-05-03"
    )


def test_slashed_dates_follow_an_xml_lang_too() -> None:
    tree = fromstring(
        '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en-GB"><body>'
        "<h1>Halls too full</h1><p>02/10/2020</p></body></html>"
    )
    assert extract_metadata(tree).date == "2020-10-02"


def test_a_date_labelled_as_published_anywhere_dates_the_page() -> None:
    body = (
        "<article><h1>Folge 158</h1></article>"
        + "<p>Eine Stunde über Teilchen, Sterne und die Frage, woraus alles besteht.</p>" * 8
        + '<div class="info"><span>Veröffentlicht am 16.08.2019</span><span>Dauer: 1:04</span></div>'
        '<time datetime="2019-08-24">24.08.2019</time>'
        '<div class="comments"><p>Veröffentlicht am 01.01.2020</p></div>'
    )
    meta = extract_metadata(page("", body))
    assert (meta.date, dict(meta.sources)["date"]) == ("2019-08-16", "text:published-label")


def test_a_vague_date_tag_gives_way_to_the_date_by_the_headline() -> None:
    head = '<meta name="date" content="2020-02-12">'
    body = "<article><h1>Faire Lieferketten</h1><p>05.02.2020 - Redaktion: Eva Roth</p></article>"
    meta = extract_metadata(page(head, body))
    assert (meta.date, dict(meta.sources)["date"]) == ("2020-02-05", "text:near-headline+meta:date:vague")
    strong = extract_metadata(page(published("2020-02-12"), body))
    assert strong.date == "2020-02-12"


def test_structured_dates_that_disagree_are_settled_by_the_one_the_page_prints() -> None:
    head = published("2022-01-04T07:29:00.000Z") + (
        '<meta property="article:published_time" content="2022-01-06T08:29:34">'
    )
    body = (
        '<div class="slide"><h1>Vanlife in Schweden</h1></div>'
        + "<p>Ein Traum vieler Camping-Fans, einmal durch Schweden.</p>" * 8
        + '<div class="info">06.01.2022</div>'
    )
    meta = extract_metadata(page(head, body))
    assert (meta.date, dict(meta.sources)["date"]) == (
        "2022-01-06",
        "text:printed+meta:article:published_time",
    )
    unprinted = extract_metadata(page(head, "<h1>Vanlife in Schweden</h1><p>Ohne Datum.</p>"))
    assert unprinted.date == "2022-01-04"


def test_a_url_date_beats_a_structured_date_far_from_it() -> None:
    url = "https://www.example.com/home/2017/7/12/unter-uns"
    meta = extract_metadata(page(published("2019-06-17T10:00:00+02:00")), url)
    assert (meta.date, dict(meta.sources)["date"]) == ("2017-07-12", "url+json-ld:datePublished:contradicted")
    near = extract_metadata(page(published("2017-07-13T10:00:00+02:00")), url)
    assert near.date == "2017-07-13"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("3. Mai 2022", date(2022, 5, 3)),
        ("3 de mayo de 2022", date(2022, 5, 3)),
        ("1er mars 2021", date(2021, 3, 1)),
        ("12 maggio 2020", date(2020, 5, 12)),
        ("4 listopada 2019", date(2019, 11, 4)),
        ("5 марта 2018", date(2018, 3, 5)),
        ("May 3, 2022", date(2022, 5, 3)),
        ("Wed, 04 May 2022 02:41:00 GMT", date(2022, 5, 4)),
    ],
)
def test_dates_written_in_words(text: str, day: date) -> None:
    assert parse_day(text) == day


def test_labelled_lines() -> None:
    assert list(line_dates("Veröffentlicht am 3. Mai 2022")) == [("2022-05-03", "published")]
    assert list(line_dates("Updated: May 4, 2022")) == [("2022-05-04", "updated")]
    assert list(line_dates("Publié le 1er mars 2021 | Mis à jour le 2 mars 2021")) == [
        ("2021-03-01", "published"),
        ("2021-03-02", "updated"),
    ]
