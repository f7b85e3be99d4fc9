from __future__ import annotations

from cleaner.chrome import blocks_from_text
from cleaner.record import BlockKind


def test_one_block_per_non_empty_line_stripped() -> None:
    blocks = blocks_from_text("  Headline Here  \n\n\tA sentence of prose, ending here.\n   \n")
    assert [b.text for b in blocks] == ["Headline Here", "A sentence of prose, ending here."]


def test_kinds_are_guessed() -> None:
    text = "\n".join(
        [
            "- first point",
            "• second point",
            "* third",
            "A Short Title",
            "“A quotation that runs on a while.”",
            "Plain prose, with a full stop.",
        ]
    )
    kinds = [b.kind for b in blocks_from_text(text)]
    assert kinds == [
        BlockKind.LIST_ITEM,
        BlockKind.LIST_ITEM,
        BlockKind.LIST_ITEM,
        BlockKind.HEADING,
        BlockKind.QUOTE,
        BlockKind.PARAGRAPH,
    ]


def test_bullets_are_kept_in_the_text() -> None:
    assert blocks_from_text("- item")[0].text == "- item"


def test_empty_text_gives_no_blocks() -> None:
    assert blocks_from_text("") == []
    assert blocks_from_text("\n \n\t\n") == []
