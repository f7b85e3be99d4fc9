"""restore_headings: a dropped section heading between two consecutive kept blocks goes back."""

from __future__ import annotations

from lxml.html import fromstring

from cleaner.extract.headings import restore_headings
from cleaner.record import Block, BlockKind

ONE, TWO, THREE = "First paragraph.", "Second paragraph.", "Third paragraph."


def _blocks(*texts: str) -> list[Block]:
    return [Block(t) for t in texts]


def test_heading_between_kept_paragraphs_is_restored_in_order() -> None:
    html = (
        f"<html><body><div><p>{ONE}</p><div class='ad'></div><h2>Costs  rise</h2><h3>Sub</h3>"
        f"<p>{TWO}</p><p>{THREE}</p></div></body></html>"
    )
    out = restore_headings(fromstring(html), _blocks(ONE, TWO, THREE))
    assert [(b.kind, b.text) for b in out] == [
        (BlockKind.PARAGRAPH, ONE),
        (BlockKind.HEADING, "Costs rise"),
        (BlockKind.HEADING, "Sub"),
        (BlockKind.PARAGRAPH, TWO),
        (BlockKind.PARAGRAPH, THREE),
    ]


def test_headings_outside_the_kept_text_stay_out() -> None:
    html = (
        f"<html><body><div><h2>Widget title</h2><p>{ONE}</p></div>"
        f"<div><p>{TWO}</p><h2><a href='/x'>Teaser link</a></h2><p>{THREE}</p></div>"
        f"<div><p>Not kept at all.</p><h2>Between dropped text</h2><p>{THREE}</p></div></body></html>"
    )
    blocks = _blocks(ONE, TWO, THREE)
    assert restore_headings(fromstring(html), blocks) == blocks


def test_kept_heading_is_not_doubled() -> None:
    html = f"<html><body><p>{ONE}</p><h2>Kept</h2><p>{TWO}</p></body></html>"
    blocks = [Block(ONE), Block("Kept", BlockKind.HEADING), Block(TWO)]
    assert restore_headings(fromstring(html), blocks) == blocks
