from __future__ import annotations

import pytest

from cleaner.metadata.title import strip_site_suffix


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        ("Stadia, xCloud, Arcade: Ways to Play - WSJ", None, "Stadia, xCloud, Arcade: Ways to Play"),
        ("Putin and Xi meet again | The Guardian", "The Guardian", "Putin and Xi meet again"),
        ("Le Monde | Les marchés reculent fortement", "Le Monde", "Les marchés reculent fortement"),
        ("Wars – a history of conflict in Europe and Asia over three centuries", None,
         "Wars – a history of conflict in Europe and Asia over three centuries"),
        ("Short - Title", None, "Short - Title"),
        ("No separator here", None, "No separator here"),
    ],
)  # fmt: skip
def test_site_suffix_is_dropped_only_when_it_looks_like_a_site(
    title: str, site: str | None, expected: str
) -> None:
    assert strip_site_suffix(title, site) == expected


def test_known_site_name_protects_a_dash_inside_the_headline() -> None:
    title = "Freiburg: Genossenschaft baut Wohnungen – Miete unter neun Euro"
    assert strip_site_suffix(title, "Badische Tagespost") == title
    assert strip_site_suffix(title + " | Badische Tagespost", "Badische Tagespost") == title


@pytest.mark.parametrize(
    ("title", "site", "host", "expected"),
    [
        # the trailing segments from the one naming the site on
        ("Pour la retraite - AOC media - Analyse Opinion Critique", "AOC media", None, "Pour la retraite"),
        # the host's name is enough when the site name is unknown
        ("Wie man eine Tischdecke näht | homify", None, "www.homify.de", "Wie man eine Tischdecke näht"),
        ("Fishing Show in Rostock - BLINKER", None, "blinker.de", "Fishing Show in Rostock"),
        # a segment that names neither stays, however short
        ("Zu Besuch bei Véronique - Interior", "Herz und Blut", "herzundblut.com",
         "Zu Besuch bei Véronique - Interior"),
        ("Brexit: Nervenkrieg geht weiter - Politik", None, "zeitung.example",
         "Brexit: Nervenkrieg geht weiter - Politik"),
    ],
)  # fmt: skip
def test_affixes_go_only_when_they_name_the_site_or_host(
    title: str, site: str | None, host: str | None, expected: str
) -> None:
    assert strip_site_suffix(title, site, host) == expected


def test_h1_repeated_by_the_title_tag_wins() -> None:
    from lxml.html import fromstring

    from cleaner.metadata.html import extract_metadata

    head = (
        "<title>Klimaschutz: Bohren, bis es heiß wird | ZEIT ONLINE</title>"
        '<meta property="og:title" content="Klimaschutz: Bohren, bis es heiß wird">'
    )
    body = "<h1>Bohren, bis es heiß wird</h1><p>text</p>"
    meta = extract_metadata(fromstring(f"<html><head>{head}</head><body>{body}</body></html>"))
    assert (meta.title, dict(meta.sources)["title"]) == ("Bohren, bis es heiß wird", "h1+og:title")


def test_logo_h1_is_not_the_title() -> None:
    from lxml.html import fromstring

    from cleaner.metadata.html import extract_metadata

    head = (
        '<meta property="og:site_name" content="Feuerwehr Oldenburg">'
        '<meta property="og:title" content="Bootsdienst Ausbildung">'
    )
    body = "<h1>Feuerwehr Oldenburg</h1><p>text</p>"
    meta = extract_metadata(fromstring(f"<html><head>{head}</head><body>{body}</body></html>"))
    assert (meta.title, dict(meta.sources)["title"]) == ("Bootsdienst Ausbildung", "og:title")


def test_the_headline_inside_an_h1_with_a_kicker() -> None:
    from lxml.html import fromstring

    from cleaner.metadata.html import extract_metadata

    head = '<meta property="og:title" content="Große Aufgaben für die neue Regierung | Stiftung">'
    body = "<h1><span>Tunesien</span> <span>Große Aufgaben für die neue Regierung</span></h1><p>text</p>"
    meta = extract_metadata(fromstring(f"<html><head>{head}</head><body>{body}</body></html>"))
    assert (meta.title, dict(meta.sources)["title"]) == (
        "Große Aufgaben für die neue Regierung",
        "h1+og:title",
    )


def test_style_inside_an_h1_is_not_title_text() -> None:
    from lxml.html import fromstring

    from cleaner.metadata.html import extract_metadata

    body = "<h1><style>.x{color:red}</style>Impfen ist noch möglich</h1><p>text</p>"
    assert (
        extract_metadata(fromstring(f"<html><body>{body}</body></html>")).title == "Impfen ist noch möglich"
    )
