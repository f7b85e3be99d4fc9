"""Document.order: kept blocks and removals interleaved as the page had them."""

from __future__ import annotations

from cleaner import Options, clean_html, clean_text
from cleaner.order import page_order
from cleaner.record import Block, Document

STORY = "The council voted on Tuesday to extend the library's opening hours into the evening."
MORE = "Residents had asked for longer hours for years, the mayor said after the meeting ended."

PAGE = f"""<html><head><title>Library hours</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/n">News</a></li></ul></nav>
<article><h1>Library opens later</h1><p>{STORY} {STORY}</p>
<div class="advertisement">Advertisement: buy the new phone today</div>
<p>{MORE} {MORE}</p></article>
<footer><p>All rights reserved 2025</p></footer></body></html>"""


def sequence(doc: Document) -> list[str]:
    return [doc.blocks[i].text if i >= 0 else doc.removed[-1 - i].text for i in doc.order]


def test_order_covers_every_block_and_removal_once() -> None:
    doc = clean_html(PAGE, options=Options(detect_language=False))
    expected = sorted([*range(len(doc.blocks)), *(-1 - j for j in range(len(doc.removed)))])
    assert sorted(doc.order) == expected


def test_removals_sit_where_the_page_had_them() -> None:
    doc = clean_html(PAGE, options=Options(detect_language=False))
    texts = sequence(doc)
    first = next(i for i, t in enumerate(texts) if STORY in t)
    second = next(i for i, t in enumerate(texts) if MORE in t)
    ad = next(i for i, t in enumerate(texts) if "buy the new phone" in t)
    nav = next(i for i, t in enumerate(texts) if "Home" in t)
    footer = next(i for i, t in enumerate(texts) if "All rights reserved" in t)
    assert nav < first < ad < second < footer


def test_text_input_keeps_its_line_order() -> None:
    lines = ["Skip to content", "Library opens later", STORY, "Advertisement", MORE, "Share this article"]
    doc = clean_text("\n".join(lines), options=Options(detect_language=False))
    assert [t for t in sequence(doc)] == lines
    assert doc.removed  # some chrome went, and it is still in place


def test_page_order_merges_stage_by_stage() -> None:
    a, b, c = Block("a"), Block("b"), Block("c")
    # one site removal, two extraction removals (after a, before all), c removed by the chrome stage
    assert page_order([a, b, c], [a, b], [0, -1], first=1) == (-1, -3, 0, -2, 1, -4)
