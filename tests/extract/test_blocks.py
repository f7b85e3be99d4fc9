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
