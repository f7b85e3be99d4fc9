"""trafilatura body XML -> Blocks."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from cleaner.extract.blocks import body_blocks, normalise_space
from cleaner.record import Block, BlockKind


def blocks(xml: str) -> list[Block]:
    return body_blocks(etree.fromstring(f"<body>{xml}</body>"))


def test_kinds_and_order() -> None:
    out = blocks(
        "<head rend='h2'>Sub  heading</head><p>One <hi>two</hi><lb/>three</p>"
        "<list><item>a</item><item>b<list><item>b1</item></list></item></list>"
        "<quote><p>q1</p><p>q2</p></quote><code>x = 1<lb/>y = 2</code>"
        "<table><row><cell>h1</cell><cell>h2</cell></row><row><cell>1</cell><cell>2</cell></row></table>"
        "<graphic src='x.png'/><p>  </p>"
    )
    assert out == [
        Block("Sub heading", BlockKind.HEADING),
        Block("One two\nthree", BlockKind.PARAGRAPH),
        Block("a", BlockKind.LIST_ITEM),
        Block("b", BlockKind.LIST_ITEM),
        Block("b1", BlockKind.LIST_ITEM),
        Block("q1", BlockKind.QUOTE),
        Block("q2", BlockKind.QUOTE),
        Block("x = 1\ny = 2", BlockKind.CODE),
        Block("h1 | h2\n1 | 2", BlockKind.TABLE),
    ]


def test_no_body_gives_no_blocks() -> None:
    assert body_blocks(None) == []


@given(st.text(alphabet=" \t\n\r\f\v\u00a0\u200bab", max_size=30))
def test_spacing_runs_become_one_space_and_line_breaks_one_newline(text: str) -> None:
    spaced = re.sub(r"[ \t\r\f\v\u00a0\u200b]+", " ", text)
    assert normalise_space(text) == re.sub(r" *\n[ \n]*", "\n", spaced).strip()


def test_invisible_characters_go_and_text_is_nfc() -> None:
    # soft hyphens inside words, a word joiner, a byte-order mark, direction marks
    assert (
        normalise_space("Mit\u00adtel\u00adal\u00adter\u2060 war\ufeff \u200eschön\u200f")
        == "Mittelalter war schön"
    )
    # "é" as e + combining acute, Vietnamese "ế" as e + circumflex + acute: one code point each
    assert normalise_space("Caf\u0065\u0301 Ti\u0065\u0302\u0301ng") == "Caf\u00e9 Ti\u1ebfng"
    # the joiners that shape Persian and emoji text stay
    assert normalise_space("می\u200cخواهم 👩\u200d💻") == "می\u200cخواهم 👩\u200d💻"


def test_invisible_characters_in_a_page_body() -> None:
    out = blocks("<p>Wein\u00adwirt\u00adschaft</p>")
    assert out == [Block("Weinwirtschaft", BlockKind.PARAGRAPH)]
