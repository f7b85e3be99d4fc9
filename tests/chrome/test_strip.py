"""The chrome stage on small pages: what goes, why, and what must stay."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.chrome import ChromeResult, ChromeRules, blocks_from_text, strip_chrome
from cleaner.chrome.lines import GLUED_MENU, shape_verdict
from cleaner.profile import SiteProfile
from cleaner.record import Block, Reason

P1 = (
    "The council voted on Tuesday to extend the tram line to the northern suburbs, a plan that "
    "has been debated for more than a decade and that residents have long campaigned for."
)
P2 = (
    "Work is expected to start next spring, and the first trams should run within three years, "
    "according to the transport department, which will publish a detailed timetable in June."
)
P3 = (
    "Opponents say the money would be better spent on buses, which can be rerouted as the city "
    "grows, but the mayor said the tram was the only option that would last for generations."
)
P4 = (
    "A public consultation on the exact route will open next month, and the council has promised "
    "that every household along the line will receive a letter explaining the changes."
)

PAGE = f"""Tram line to reach northern suburbs - City Gazette
HomeNewsLocalTram line to reach...
Home
News
Sport
Weather
Subscribe
Tram Line to Reach Northern Suburbs
Jane Roe Avatar
{P1}
{P2}
- Advertisement -
What Happens Next
{P3}
In Related News  Bus fares frozen for another year
{P4}
Share
Most Popular
Ten Things to Do This Weekend in the Old Town
The weekend brings markets, concerts and a food festival to the...
Why the River Flooded Again This Winter
Engineers blame the old embankments, which were built in a hurry in the...
Leave a Reply
Your email address will not be published. Required fields are marked *
© 2024 City Gazette. All rights reserved.
Privacy Policy
"""


@pytest.fixture(scope="module")
def rules() -> ChromeRules:
    return ChromeRules.load()


def clean(text: str, rules: ChromeRules, mode: str = "text") -> ChromeResult:
    return strip_chrome(blocks_from_text(text), rules, mode=mode)  # type: ignore[arg-type]


def kept(result: ChromeResult) -> list[str]:
    return [b.text for b in result.kept]


def removed(result: ChromeResult) -> dict[str, tuple[Reason, str]]:
    return {r.text: (r.reason, r.rule) for r in result.removed}


def test_text_page_keeps_the_article(rules: ChromeRules) -> None:
    result = clean(PAGE, rules)
    assert kept(result) == [
        "Tram Line to Reach Northern Suburbs",
        P1,
        P2,
        "What Happens Next",
        P3,
        P4,
    ]


STEPS_PAGE = f"""Bienenstich-Muffins - Kochseite
Home
Rezepte
Backen
Kontakt
Bienenstich-Muffins mit Sahne
{P1}
{P2}
Zutaten für 12 Stück
200 g Mehl und eine Prise Salz
1 Päckchen Trockenhefe
Zubereitung
Den Teig gehen lassen, bis er sich verdoppelt hat
Mit Mandeln bestreuen
{P3}
Schreibe einen Kommentar
Home
Rezepte
Backen
"""


def test_the_article_goes_on_through_its_lists_and_steps(rules: ChromeRules) -> None:
    # The steps cost the densest-run search more than one paragraph is worth; grown from
    # the run, they are the article's, up to the comment form.
    assert kept(clean(STEPS_PAGE, rules)) == [
        "Bienenstich-Muffins mit Sahne",
        P1,
        P2,
        "Zutaten für 12 Stück",
        "200 g Mehl und eine Prise Salz",
        "1 Päckchen Trockenhefe",
        "Zubereitung",
        "Den Teig gehen lassen, bis er sich verdoppelt hat",
        "Mit Mandeln bestreuen",
        P3,
    ]


def test_growth_stops_at_a_long_menu_with_no_prose(rules: ChromeRules) -> None:
    menu = "\n".join(f"Rubrik {name}" for name in "ABCDEFGHIJKLMNOP")
    footer = "© 2024 Muster Verlag. Alle Rechte vorbehalten."
    page = f"Titel - Seite\n{P1}\n{P2}\n{menu}\nEin kurzer Satz ohne Bedeutung.\n{footer}\n"
    assert kept(clean(page, rules)) == [P1, P2]


def test_text_with_no_chrome_around_the_article_is_kept_whole(rules: ChromeRules) -> None:
    """Cleaned text (no menus, no footers): its closing list and table rows are the article's."""
    rows = ["Rank | Team | Points", "1 | Leverkusen | 28", "2 | Bayern | 26"]
    items = ["Flour", "Two eggs", "A pinch of salt"]
    page = "\n".join([P1, P2, *items, *rows])
    assert kept(clean(page, rules)) == [P1, P2, *items, *rows]


def test_table_rows_are_not_a_pipe_menu(rules: ChromeRules) -> None:
    rows = ["Rank | Team | Points", "1 | Leverkusen | 28"]
    page = "\n".join(["Markets | Science | Culture | Travel", P1, *rows, P2, "© 2024 City Gazette."])
    result = removed(clean(page, rules))
    assert result["Markets | Science | Culture | Travel"] == (Reason.NAV, "structure.pipe-list")
    assert not set(rows) & set(result)


def test_text_page_removals_are_explained(rules: ChromeRules) -> None:
    gone = removed(clean(PAGE, rules))
    assert gone["HomeNewsLocalTram line to reach..."][1] == "nav.breadcrumb-glued"
    assert gone["Sport"] == (Reason.OUTSIDE_MAIN_CONTENT, "structure.outside-main")
    assert gone["Jane Roe Avatar"][0] is Reason.BYLINE
    assert gone["- Advertisement -"] == (Reason.AD, "ad.marker")
    assert gone["In Related News  Bus fares frozen for another year"][0] is Reason.RELATED
    assert gone["Most Popular"] == (Reason.TEASER, "teaser.heading")
    assert gone["Leave a Reply"][0] is Reason.COMMENTS
    assert gone["© 2024 City Gazette. All rights reserved."][0] is Reason.FOOTER
    teaser = "Why the River Flooded Again This Winter"
    assert gone[teaser][0] in (Reason.TEASER, Reason.OUTSIDE_MAIN_CONTENT)


def test_teaser_run_inside_the_article(rules: ChromeRules) -> None:
    page = "\n".join([P1, P2, "Related Stories", "Buses to Run All Night", "New Bridge Opens in May", P3, P4])
    result = clean(page, rules)
    assert kept(result) == [P1, P2, P3, P4]
    gone = removed(result)
    assert gone["Buses to Run All Night"] == (Reason.TEASER, "structure.teaser-run")


def test_truncated_teaser_inside_the_article(rules: ChromeRules) -> None:
    summary = "The weekend brings markets, concerts and a food festival to the..."
    result = clean("\n".join([P1, P2, summary, P3]), rules)
    assert removed(result)[summary] == (Reason.TEASER, "structure.truncated-teaser")


def test_a_lone_paragraph_ending_in_an_ellipsis_is_prose(rules: ChromeRules) -> None:
    pause = (
        "Nobody on the council expected the vote to be close, and yet the count went on late into "
        "the night while the public gallery waited and waited..."
    )
    result = clean("\n".join([P1, P2, pause, P3, P4]), rules)
    assert kept(result) == [P1, P2, pause, P3, P4]


def test_cut_lines_side_by_side_are_still_teasers(rules: ChromeRules) -> None:
    cuts = [
        "Nobody on the council expected the vote to be close, and yet the count went on late into the...",
        "The weekend brings markets, concerts and a food festival to the old town, and the mayor is...",
    ]
    footer = "© 2024 City Gazette. All rights reserved."
    result = clean("\n".join([P1, P2, P3, *cuts, P4, footer]), rules)
    assert kept(result) == [P1, P2, P3]
    assert all(c in removed(result) for c in cuts)


def test_title_line_bounds_the_article(rules: ChromeRules) -> None:
    page = "\n".join(["A teaser for the story above the title.", "Title: The Tram Line", P1, P2])
    result = clean(page, rules)
    assert kept(result) == ["Title: The Tram Line", P1, P2]


def test_repeated_headline_is_kept_once(rules: ChromeRules) -> None:
    page = "\n".join(["Trams Are Coming", "Trams Are Coming", P1, P2, P3])
    result = clean(page, rules)
    assert kept(result) == ["Trams Are Coming", P1, P2, P3]
    assert removed(result)["Trams Are Coming"][0] is Reason.DUPLICATE


def test_comments_below_the_article_are_not_the_article(rules: ChromeRules) -> None:
    comments = [f"{name} on May 3, 2024 at 4:47 pm said:" for name in ("Ann", "Bob", "Cy")]
    thread = [line for c in comments for line in (c, P1.replace("council", "neighbour"))]
    page = "\n".join(["Trams for the north - Gazette", "Trams for the North", P2, "Comments", *thread])
    result = clean(page, rules)
    assert kept(result) == ["Trams for the North", P2]


def test_clean_prose_is_left_whole(rules: ChromeRules) -> None:
    text = "\n\n".join(["A Quiet Revolution in City Transport", P1, "The Plan", P2, P3, P4])
    result = clean(text, rules)
    assert result.removed == ()
    assert kept(result) == [b.text for b in blocks_from_text(text)]


def test_german_page(rules: ChromeRules) -> None:
    body = [
        "Der Stadtrat hat am Dienstag beschlossen, die Straßenbahn bis in die nördlichen "
        "Vororte zu verlängern, nachdem jahrelang darüber gestritten wurde.",
        "Die Arbeiten sollen im nächsten Frühjahr beginnen, und die ersten Bahnen könnten "
        "nach Angaben der Verwaltung in drei Jahren fahren.",
    ]
    page = "\n".join(
        [
            "Startseite",
            "Suche",
            "Anzeige",
            body[0],
            "Lesen Sie auch: Busse fahren nachts",
            body[1],
            "Kommentare",
            "Impressum",
            "Datenschutz",
        ]
    )
    result = clean(page, rules)
    assert kept(result) == body
    assert removed(result)["Lesen Sie auch: Busse fahren nachts"][0] is Reason.RELATED


def test_html_mode_is_conservative(rules: ChromeRules) -> None:
    blocks = [
        Block(t) for t in ["Search", P1, "- Advertisement -", "Photo: Jane Roe", "Read more: Buses", P2]
    ]
    result = strip_chrome(blocks, rules, mode="html")
    assert kept(result) == ["Search", P1, P2]
    assert removed(result) == {
        "Photo: Jane Roe": (Reason.PAGE_META, "page-meta.photo-credit"),
        "- Advertisement -": (Reason.AD, "ad.marker"),
        "Read more: Buses": (Reason.RELATED, "related.lead-in"),
    }


def test_profile_template_blocks_go(rules: ChromeRules) -> None:
    profile = SiteProfile("gazette.example", frozenset({"the city gazette, since 1851"}))
    blocks = [Block(P1), Block("The City Gazette, since 1851"), Block(P2)]
    for mode in ("html", "text"):
        result = strip_chrome(blocks, rules, mode=mode, profile=profile)  # type: ignore[arg-type]
        assert removed(result) == {"The City Gazette, since 1851": (Reason.TEMPLATE, "profile.template")}


def test_bad_mode_raises(rules: ChromeRules) -> None:
    with pytest.raises(ValueError):
        strip_chrome([], rules, mode="pdf")  # type: ignore[arg-type]


def test_no_blocks(rules: ChromeRules) -> None:
    assert strip_chrome([], rules, mode="text") == ChromeResult((), ())


LINES = st.lists(
    st.one_of(
        st.text(max_size=200),
        st.sampled_from(["Advertisement", "Most Popular", "Leave a Reply", "Share", P1, P2, "a..."]),
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(LINES, st.sampled_from(["text", "html"]))
def test_partition_and_determinism(rules: ChromeRules, lines: list[str], mode: str) -> None:
    blocks = blocks_from_text("\n".join(lines))
    result = strip_chrome(blocks, rules, mode=mode)  # type: ignore[arg-type]
    # Kept and removed are exactly the input, in order, and nothing is invented.
    kept_ids = {id(b) for b in result.kept}
    assert len(result.kept) + len(result.removed) == len(blocks)
    assert [b.text for b in blocks if id(b) in kept_ids] == kept(result)
    assert [b.text for b in blocks if id(b) not in kept_ids] == [r.text for r in result.removed]
    assert all(r.rule for r in result.removed)
    assert strip_chrome(blocks, rules, mode=mode) == result  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([P1, P2, P3, P4]), min_size=1, max_size=12))
def test_prose_alone_loses_nothing(rules: ChromeRules, paragraphs: list[str]) -> None:
    result = clean("\n".join(paragraphs), rules)
    assert result.removed == ()


def test_masthead_spelling_the_copyright_name_is_branding(rules: ChromeRules) -> None:
    page = "\n".join(
        ["THE VALLEY COURIER", "Trams to reach the north", P1, P2, P3, "© 2025 Valley Courier Ltd."]
    )
    result = clean(page, rules)
    assert removed(result)["THE VALLEY COURIER"] == (Reason.BRANDING, "structure.site-name")
    assert kept(result)[0] == "Trams to reach the north"


def test_masthead_repeating_the_title_suffix_is_branding(rules: ChromeRules) -> None:
    page = "\n".join(["Trams to reach the north | City Gazette", "City Gazette", "Trams", P1, P2])
    assert removed(clean(page, rules))["City Gazette"] == (Reason.BRANDING, "structure.site-name")


def test_sentence_case_headline_and_short_head_lines(rules: ChromeRules) -> None:
    page = "\n".join(
        ["Menu", "Trams to reach the northern suburbs", "Jane Roe", "Transport Reporter", P1, P2]
    )
    result = clean(page, rules)
    assert kept(result) == ["Trams to reach the northern suburbs", P1, P2]
    assert removed(result)["Jane Roe"] == (Reason.PAGE_META, "structure.head-meta")


def test_title_case_headline_above_a_dek(rules: ChromeRules) -> None:
    page = "\n".join(
        ["Menu", "Trams Reach the Northern Suburbs", "The council backs a decade-old plan", P1, P2]
    )
    assert kept(clean(page, rules))[0] == "Trams Reach the Northern Suburbs"


def test_short_closing_sentence_stays(rules: ChromeRules) -> None:
    page = "\n".join(
        ["Trams to reach the north", P1, P2, P3, "The council meets again in May.", "Most Popular"]
    )
    assert kept(clean(page, rules))[-1] == "The council meets again in May."


@pytest.mark.parametrize(
    "line",
    [
        "Accurec wird mit der HydroLiC-Technologie die geplanten Quoten bereits erreichen",
        "— Solidaires Étudiant-e-s Saint-Denis (@SolidairesEtuP8) February 17, 2020",
    ],
)
def test_a_camel_cased_name_is_not_a_glued_menu(rules: ChromeRules, line: str) -> None:
    assert shape_verdict(line, len(line.split())) is not GLUED_MENU
    assert shape_verdict("HomeWorldCementing the deal", 4) is GLUED_MENU


def test_a_comments_link_in_the_byline_is_not_where_comments_begin(rules: ChromeRules) -> None:
    page = (
        "Through the Darkest of Times review - PC Gamer\nHome\nReviews\n"
        "Through the Darkest of Times review\n"
        "Lead a band in Berlin in this dark and vital game of hope, fear and loss in the year 1933.\n"
        "By Luke Kemp 11 February 2020\nComments\n"
        f"{P1}\n{P2}\n{P3}\nLeave a Reply\nGreat review, thanks!\n"
    )
    assert kept(clean(page, rules))[-3:] == [P1, P2, P3]


def test_a_list_announced_below_the_article_is_the_article(rules: ChromeRules) -> None:
    items = ["Two tram stops", "A new depot", "Wider pavements"]
    footer = "© 2024 City Gazette. All rights reserved."
    menu = ["Sport", "Weather", "Culture", "Travel"]
    page = "\n".join([*menu, P1, P2, "What the plan includes:", *items, footer, *menu])
    assert kept(clean(page, rules)) == [P1, P2, "What the plan includes:", *items]


def test_a_table_of_contents_between_lead_and_body_is_crossed(rules: ChromeRules) -> None:
    headings = ["The route", "The cost", "The timetable"]
    body = [headings[0], P2, headings[1], P3, headings[2], P4]
    footer = "© 2024 City Gazette. All rights reserved."
    page = "\n".join(["Sport", "Weather", "Culture", P1, "Contents", *headings, *body, footer])
    assert P1 in kept(clean(page, rules))


def test_a_lead_above_a_subheading_belongs_to_the_article(rules: ChromeRules) -> None:
    footer = "© 2024 City Gazette. All rights reserved."
    menu = ["Sport", "Weather", "Culture", "Travel"]
    lead = "The council has voted to take the tram line on to the northern suburbs by the year 2030."
    page = "\n".join(
        [*menu, "Trams Are Coming North", lead, "Foto: Max Muster", "The new route", P2, P3, footer]
    )
    assert kept(clean(page, rules))[:2] == ["Trams Are Coming North", lead]
