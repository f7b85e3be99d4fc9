"""HTML mode's one structural signal: runs of teasers cut off with "..." (teasers.py)."""

from __future__ import annotations

import pytest

from cleaner.chrome import ChromeResult, ChromeRules, strip_chrome
from cleaner.record import Block, Reason

from .test_strip import P1, P2, P3, kept, removed

RUN = (Reason.TEASER, "structure.teaser-run")
CUT_A = "The weekend brings markets, concerts and a food festival to the..."
CUT_B = "Engineers blame the old embankments, which were built in a hurry in the…"


@pytest.fixture(scope="module")
def rules() -> ChromeRules:
    return ChromeRules.load()


def html(texts: list[str], rules: ChromeRules) -> ChromeResult:
    return strip_chrome([Block(t) for t in texts], rules, mode="html")


def test_box_of_cut_teasers_goes_with_headlines_and_heading(rules: ChromeRules) -> None:
    box = [
        "Les plus lus",
        "Ten Things to Do This Weekend",
        CUT_A,
        "Why the River Flooded Again",
        CUT_B,
    ]
    result = html([P1, P2, *box, P3], rules)
    assert kept(result) == [P1, P2, P3]
    # the heading goes by its own rule, the teasers under it as a run
    assert removed(result) == {**dict.fromkeys(box, RUN), "Les plus lus": (Reason.TEASER, "teaser.heading")}


def test_summaries_alone_make_a_run(rules: ChromeRules) -> None:
    result = html([P1, P2, CUT_A, CUT_B], rules)
    assert kept(result) == [P1, P2]
    assert removed(result) == {CUT_A: RUN, CUT_B: RUN}


def test_one_cut_paragraph_between_prose_stays(rules: ChromeRules) -> None:
    # An ellipsis can end a real quote: one block proves nothing.
    texts = [P1, "Short Heading", CUT_A, P2, CUT_B, P3]
    assert html(texts, rules).removed == ()


def test_a_writers_pause_is_not_a_cut(rules: ChromeRules) -> None:
    texts = [P1, "The next big challenge is …", "Here is the other important thing …", P2]
    assert html(texts, rules).removed == ()


def test_removed_blocks_do_not_break_a_run(rules: ChromeRules) -> None:
    texts = [P1, "Mais lidas", "Chuva forte derruba árvores", "15/05/2025 às 06h00", CUT_A, CUT_B]
    gone = removed(html(texts, rules))
    assert gone["15/05/2025 às 06h00"] == (Reason.PAGE_META, "page-meta.dateline")
    assert gone["Chuva forte derruba árvores"] == RUN
    assert gone["Mais lidas"] == (Reason.TEASER, "teaser.heading")
    assert [t for t in texts if t not in gone] == [P1]


def test_a_sentence_above_the_run_is_not_its_heading(rules: ChromeRules) -> None:
    last = "The council meets again in May."
    result = html([P1, last, CUT_A, CUT_B], rules)
    assert kept(result) == [P1, last]
