"""scope_blocks: a flat run of paragraphs is narrowed to the container holding most of it."""

from __future__ import annotations

from lxml.etree import Element, SubElement
from lxml.html import fromstring

from cleaner.extract.scope import is_loose, scope_blocks
from cleaner.record import Block, Reason

ARTICLE = [f"Paragraph {i} of the article, long enough to carry most of the text here." for i in range(5)]
TEASER = "A teaser from the sidebar..."


def test_paragraphs_outside_the_article_go() -> None:
    paragraphs = "".join(f"<p>{t}</p>" for t in ARTICLE)
    html = (
        "<html><body><div id='page'><p>12/05/2025</p><div class='text'>"
        f"{paragraphs}</div></div><div id='side'><p>{TEASER}</p></div></body></html>"
    )
    blocks = [Block("12/05/2025"), *(Block(t) for t in ARTICLE), Block(TEASER), Block("Unlocated")]
    kept, dropped = scope_blocks(fromstring(html), blocks)
    assert [b.text for b in kept] == [*ARTICLE, "Unlocated"]
    assert [(r.text, r.reason) for r in dropped] == [
        ("12/05/2025", Reason.OUTSIDE_MAIN_CONTENT),
        (TEASER, Reason.OUTSIDE_MAIN_CONTENT),
    ]


def test_only_flat_paragraph_bodies_are_loose() -> None:
    body = Element("body")
    for _ in range(4):
        SubElement(body, "p").text = "x"
    assert is_loose(body)
    SubElement(body, "head").text = "A heading"
    assert not is_loose(body)
    assert not is_loose(None)
