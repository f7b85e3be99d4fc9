from __future__ import annotations

from cleaner.chrome import ChromeRules, blocks_from_text, strip_chrome
from cleaner.metadata.text import TextMetadata, text_metadata
from cleaner.record import Block, BlockKind, Reason, Removal

PROSE = (
    "Russian President Vladimir Putin is scheduled to have a meeting with Xi Jinping in China "
    "this week, aiming to strengthen the partnership between the two countries."
)


def test_title_is_the_first_heading_like_line() -> None:
    blocks = [Block("Putin's Visit to China", BlockKind.HEADING), Block(PROSE)]
    assert text_metadata(blocks, []).title == "Putin's Visit to China"


def test_title_line_counts_and_loses_its_prefix() -> None:
    blocks = [Block("Title: The Steadfast Duo: Xi and Putin's Alliance Afoot"), Block(PROSE)]
    assert text_metadata(blocks, []).title == "The Steadfast Duo: Xi and Putin's Alliance Afoot"


def test_site_suffix_is_dropped() -> None:
    blocks = [Block("Google Stadia and the Cost of Play - WSJ"), Block(PROSE)]
    assert text_metadata(blocks, []).title == "Google Stadia and the Cost of Play"


def test_prose_is_not_a_title() -> None:
    assert text_metadata([Block(PROSE)], []) == TextMetadata(None, None)


def test_author_from_removed_avatar_line() -> None:
    removed = [Removal("Tiffany Hudson Avatar", Reason.BYLINE, "byline.avatar")]
    assert text_metadata([Block(PROSE)], removed).author == "Tiffany Hudson"


def test_author_from_bylines_in_several_languages() -> None:
    for line, name in [
        ("By Jane Doe", "Jane Doe"),
        ("Von Max Mustermann", "Max Mustermann"),
        ("Par Jean Dupont", "Jean Dupont"),
        ("Por Ana Gómez", "Ana Gómez"),
    ]:
        removed = [Removal(line, Reason.BYLINE, "byline.by")]
        assert text_metadata([Block(PROSE)], removed).author == name


def test_author_from_a_kept_byline() -> None:
    assert text_metadata([Block("By Jane Doe"), Block(PROSE)], []).author == "Jane Doe"


def test_other_removals_are_not_authors() -> None:
    removed = [Removal("By the Numbers", Reason.NAV, "nav.menu-word")]
    assert text_metadata([Block(PROSE)], removed).author is None


def test_end_to_end_on_a_page() -> None:
    headline = "Putin's Visit to China Aimed at Strengthening Collaboration"
    page = f",\n{headline}\nTiffany Hudson Avatar\n{PROSE}\n{PROSE}\n"
    result = strip_chrome(blocks_from_text(page), ChromeRules.load(), mode="text")
    meta = text_metadata(result.kept, result.removed)
    sources = (("author", "text:byline"), ("title", "text:heading"))
    assert meta == TextMetadata(headline, "Tiffany Hudson", None, sources)


def test_markdown_heading_is_a_title() -> None:
    blocks = [Block("# Copper climbs to 11-month high"), Block(PROSE)]
    assert text_metadata(blocks, []).title == "Copper climbs to 11-month high"


def test_author_from_italian_and_markdown_bylines() -> None:
    for line, name in [
        ("di Giulia Ferraresi", "Giulia Ferraresi"),
        ("*By Priya Raman* · 5 min read", "Priya Raman"),
    ]:
        removed = [Removal(line, Reason.BYLINE, "byline.by")]
        assert text_metadata([Block(PROSE)], removed).author == name


def test_headline_repeated_by_the_title_line_wins() -> None:
    blocks = [
        Block("Bohren, bis es heiß wird | Die Wochenzeitung"),
        Block("Bohren, bis es heiß wird"),
        Block(PROSE),
    ]
    meta = text_metadata(blocks, [])
    assert (meta.title, dict(meta.sources)["title"]) == (
        "Bohren, bis es heiß wird",
        "text:heading+title-line",
    )


def test_text_dates_from_lines() -> None:
    lines = [Block("Rates rise again"), Block("Aktualisiert am 05.03.2022"), Block(PROSE)]
    meta = text_metadata(lines, [])
    assert meta.date is None
    assert dict(meta.sources)["date"] == "rejected:text:updated-line:modification-date"
    lines.insert(2, Block("Veröffentlicht am 01.03.2022"))
    meta = text_metadata(lines, [])
    assert (meta.date, dict(meta.sources)["date"]) == ("2022-03-01", "text:published-line")
    meta = text_metadata([Block("Rates rise again"), Block(PROSE)], [], "https://x.example/2021/07/09/rates")
    assert (meta.date, dict(meta.sources)["date"]) == ("2021-07-09", "url")
    meta = text_metadata([Block("Rates rise again"), Block("3. Mai 2022"), Block(PROSE)], [])
    assert (meta.date, dict(meta.sources)["date"]) == ("2022-05-03", "text:date-line")
