"""Author names: interface words, roles and site names out; several authors joined."""

from __future__ import annotations

import pytest
from lxml.html import fromstring

from cleaner.metadata.authors import clean_authors
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
