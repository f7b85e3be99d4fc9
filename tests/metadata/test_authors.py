"""Author names: interface words, roles and site names out; several authors joined."""

from __future__ import annotations

import pytest
from lxml.html import fromstring

from cleaner.metadata.authors import clean_authors
from cleaner.metadata.byline import _BYLINE_MARK, MARK_WORDS, _byline_candidates, _may_mark_byline, byline
from cleaner.metadata.html import extract_metadata


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("Von Max Mustermann", "Max Mustermann"),
        ("Zeige alle Beiträge von Petra Ruland", "Petra Ruland"),
        ("Veröffentlicht vonChris Jung", "Chris Jung"),
        ("Par Jean Dupont", "Jean Dupont"),
        ("Por Ana Gómez", "Ana Gómez"),
        ("Scritto da Giulia Rossi", "Giulia Rossi"),
        ("Door Jan Jansen", "Jan Jansen"),
        ("Jane Roe Email the author", "Jane Roe"),
        ("Amber Guetebier Shares", "Amber Guetebier"),
        ("Moritz Gathmann am 3. Februar 2022", "Moritz Gathmann"),
        ("Bryan DeArdo Nov 19, 2019", "Bryan DeArdo"),
        ("Redacci&oacute;n Central", "Redacción Central"),
    ],
)
def test_interface_words_go(raw: str, names: str) -> None:
    assert clean_authors(raw).value == names


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("Ana Lima, Tom Berg", "Ana Lima; Tom Berg"),
        ("Lars Fischer und Alina Schadwinkel", "Lars Fischer; Alina Schadwinkel"),
        ("Glen Owen and Brendan Carlin", "Glen Owen; Brendan Carlin"),
        ("Marie Curie et Pierre Curie", "Marie Curie; Pierre Curie"),
        ("Ana Lima; Redaktion", "Ana Lima"),
        ("Dana Whitfield, Staff Reporter", "Dana Whitfield"),
        ("Eva Nowak | Foto: Ingo Schneider", "Eva Nowak"),
    ],
)
def test_several_authors_are_joined(raw: str, names: str) -> None:
    assert clean_authors(raw).value == names


@pytest.mark.parametrize("raw", ["Redaktion", "La rédaction", "Redazione", "Staff", "admin", "Dezember"])
def test_roles_and_desks_are_not_names(raw: str) -> None:
    found = clean_authors(raw)
    assert found.value is None and found.reason == "interface-word"


def test_site_name_author_waits_for_a_byline() -> None:
    head = '<meta property="og:site_name" content="Valley Post"><meta name="author" content="Valley Post">'
    body = '<p class="byline">Von Lena Vogt</p><p>Story text goes here.</p>'
    meta = extract_metadata(fromstring(f"<html><head>{head}</head><body>{body}</body></html>"))
    assert (meta.author, dict(meta.sources)["author"]) == ("Lena Vogt", "byline")


def test_site_name_author_is_kept_when_nothing_else_names_one() -> None:
    head = (
        '<meta property="og:site_name" content="Frau Sabienes"><meta name="author" content="Frau Sabienes">'
    )
    meta = extract_metadata(fromstring(f"<html><head>{head}</head><body><p>x</p></body></html>"))
    assert (meta.author, dict(meta.sources)["author"]) == ("Frau Sabienes", "meta:author:site-name")


def test_comment_authors_are_not_bylines() -> None:
    body = (
        "<p>Story text goes here.</p>"
        '<div id="comments"><div class="comment"><span class="comment-author">Art Edwards</span></div></div>'
    )
    assert extract_metadata(fromstring(f"<html><body>{body}</body></html>")).author is None


@pytest.mark.parametrize(
    ("after", "name"),
    [
        ("<p>Von: Götz Warnke</p>", "Götz Warnke"),
        ("<p>25.10.2022 - Reiner Nagel</p>", "Reiner Nagel"),
        ("<p>05.02.2020 - Redaktion: Eberhard Fuhr (Pressesprecher)</p>", "Eberhard Fuhr"),
        ("<p>Autor: <a>Klausmartin Friedrich</a></p>", "Klausmartin Friedrich"),
        ("<p>By Jane Roe and John Poe</p>", "Jane Roe; John Poe"),
    ],
)
def test_text_byline_after_the_headline(after: str, name: str) -> None:
    body = f"<article><h1>Neue Regeln ab Montag</h1>{after}<p>Story text goes here.</p></article>"
    meta = extract_metadata(fromstring(f"<html><body>{body}</body></html>"))
    assert (meta.author, dict(meta.sources)["author"]) == (name, "text:byline-near-headline")


def test_a_lone_word_after_by_is_not_a_byline() -> None:
    body = "<article><h1>Neue Regeln ab Montag</h1><p>Von Rechtsanwalt</p><p>Story.</p></article>"
    assert extract_metadata(fromstring(f"<html><body>{body}</body></html>")).author is None


def test_an_organisation_author_waits_for_a_byline_and_is_kept_without_one() -> None:
    head = '<meta name="author" content="Bund der Energieverbraucher e.V.">'
    body = "<byline>Von Leonora Holling</byline><p>Story text goes here.</p>"
    meta = extract_metadata(fromstring(f"<html><head>{head}</head><body>{body}</body></html>"))
    assert (meta.author, dict(meta.sources)["author"]) == ("Leonora Holling", "byline")
    alone = extract_metadata(fromstring(f"<html><head>{head}</head><body><p>x</p></body></html>"))
    assert alone.author == "Bund der Energieverbraucher e.V."
    assert dict(alone.sources)["author"].endswith(":organisation")


@pytest.mark.parametrize(
    ("raw", "names"),
    [("David Hutzler, dpa", "David Hutzler"), ("Jane Roe; Reuters", "Jane Roe"), ("dpa", "dpa")],
)
def test_a_news_agency_beside_a_person_is_the_wire_not_an_author(raw: str, names: str) -> None:
    assert clean_authors(raw).value == names


@pytest.mark.parametrize(
    ("body", "name"),
    [
        (
            "<h1>Wahl</h1><p>Story text.</p><p>Weitere Absätze.</p>"
            "<p><strong>Text:</strong> Klausmartin Friedrich</p><p><strong>Fotos:</strong> Ina Roth</p>",
            "Klausmartin Friedrich",
        ),
        (
            '<div class="meta"><span class="label">Datum:</span> 19.11.2021<br>'
            '<span class="label">Autor:</span> Fritz Imhof</div><p>Story text.</p>',
            "Fritz Imhof",
        ),
        ("<div>05.02.2020 <span>- Redaktion: Eberhard Fuhr (Pressesprecher)</span></div>", "Eberhard Fuhr"),
    ],
)
def test_a_labelled_byline_anywhere_on_the_page(body: str, name: str) -> None:
    meta = extract_metadata(fromstring(f"<html><body>{body}</body></html>"))
    assert (meta.author, dict(meta.sources)["author"]) == (name, "text:labelled-byline")


@pytest.mark.parametrize(
    "body",
    [
        '<p>Story.</p><div class="comments"><p>Autor: Art Edwards</p></div>',
        "<p>Story.</p><p>Autor: unbekannt</p>",
        "<p>Text: Die Regeln gelten ab Montag für alle Mieter in der Stadt und im Umland.</p>",
        "<script>var x = 'Autor: Jane Roe';</script><p>Story.</p>",
    ],
)
def test_a_labelled_byline_is_not_read_from_comments_scripts_or_prose(body: str) -> None:
    assert extract_metadata(fromstring(f"<html><body>{body}</body></html>")).author is None


def test_a_recipe_names_its_author_in_json_ld() -> None:
    script = (
        '<script type="application/ld+json">{"@type": "Recipe", "name": "Kuchen",'
        ' "author": {"@type": "Person", "name": "jesusfreak"}}</script>'
    )
    meta = extract_metadata(fromstring(f"<html><head>{script}</head><body><p>x</p></body></html>"))
    assert (meta.author, dict(meta.sources)["author"]) == ("jesusfreak", "json-ld:author")


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://zahlenzauberin.wordpress.com/2012/08/22/ferien/", "zahlenzauberin"),
        (
            "https://web.archive.org/web/20140109030403/http://nesselsetzer.wordpress.com/2013/12/09/x/",
            "nesselsetzer",
        ),
        ("https://anna-kocht.blogspot.de/2020/01/suppe.html", "anna-kocht"),
        ("https://www.example.com/2020/01/suppe.html", None),
        ("https://wordpress.com/2020/01/suppe.html", None),
    ],
)
def test_a_hosted_blog_is_its_owners_as_a_last_resort(url: str, name: str | None) -> None:
    meta = extract_metadata(fromstring("<html><body><p>Story text.</p></body></html>"), url)
    assert meta.author == name
    if name:
        assert dict(meta.sources)["author"] == "url:blog-host"


def test_a_byline_beats_the_blog_host() -> None:
    body = '<p class="byline">Von Lena Vogt</p><p>Story text goes here.</p>'
    meta = extract_metadata(fromstring(f"<html><body>{body}</body></html>"), "https://x-y.wordpress.com/a/")
    assert meta.author == "Lena Vogt"


@pytest.mark.parametrize(
    "marks",
    ['class="Post-AUTHOR"', 'id="meta-Byline"', 'class="x" id="WRITER-box"', 'class="po\u017fted-by"',
     'class="wr\u0130ter"', 'rel="author"', 'itemprop="author name"'],
)  # fmt: skip
def test_an_element_marked_as_a_byline_in_any_case_is_found(marks: str) -> None:
    """The elements are found by an XPath that folds letters; the page's own spelling varies."""
    html = f"<html><body><h1>Headline</h1><span {marks}>Erika Musterfrau</span><p>Text.</p></body></html>"
    assert byline(fromstring(html), (None, None)) == "Erika Musterfrau"


def test_the_byline_search_keeps_document_order_and_skips_unmarked_elements() -> None:
    html = (
        "<html><body><div class='teaser'>Max Mustermann</div><p class='author'>Jane Roe</p>"
        "<p class='byline'>John Doe</p></body></html>"
    )
    assert [e.text for e in _byline_candidates(fromstring(html))] == ["Jane Roe", "John Doe"]


@pytest.mark.parametrize("word", MARK_WORDS)
def test_the_quick_test_for_a_byline_mark_lets_every_mark_word_through(word: str) -> None:
    for marks in (word, word.upper(), f"post {word.title()}-box", f"x-{word}"):
        assert _may_mark_byline(marks) and _BYLINE_MARK.search(marks), marks
    assert not _may_mark_byline("entry-content post-meta")
