"""Tags with thousands of attributes are cut down before parsing; the page keeps its text."""

from __future__ import annotations

import random
import re

from lxml.html import fromstring

from cleaner import Cleaner
from cleaner.extract.attributes import MAX_ATTRIBUTES, cap_attributes, long_tags

PARA = "<p>The harbour ferry will run again from Monday, the council said after a long debate on costs.</p>"


def _many(n: int) -> str:
    return " ".join(f'a{i}="{i}"' for i in range(n))


def test_a_tag_with_100000_attributes_keeps_only_the_first_ones_and_its_content() -> None:
    html = (
        f"<html><body><article>{PARA}<div {_many(100_000)}>Caption text</div>{PARA}</article></body></html>"
    )
    capped = cap_attributes(html)
    div = fromstring(capped).find(".//div")
    assert div is not None and len(div.attrib) == MAX_ATTRIBUTES
    assert div.get("a0") == "0" and div.text == "Caption text"
    doc = Cleaner().clean_html(html)
    assert doc.status == "ok" and doc.text.count("The harbour ferry will run again") == 2


def test_ordinary_long_tags_are_left_as_they_are() -> None:
    image = '<img src="data:image/png;base64,' + "A" * 50_000 + '" alt="x" class="a b">'
    tags = f"<div {_many(MAX_ATTRIBUTES)}>x</div>"
    html = f"<html><body>{image}{tags}{PARA}</body></html>"
    assert cap_attributes(html) == html


def test_attribute_values_with_spaces_and_quotes_count_as_one_attribute() -> None:
    attributes = " ".join(f"data-{i}='a b \"c\"'" for i in range(MAX_ATTRIBUTES + 5))
    capped = cap_attributes(f"<p {attributes}>Text</p>")
    p = fromstring(capped)
    assert len(p.attrib) == MAX_ATTRIBUTES and p.get("data-0") == 'a b "c"' and p.text == "Text"


def test_long_tags_are_found_where_a_regular_expression_finds_them() -> None:
    long_tag = re.compile(rf"<[A-Za-z][^<>]{{{2 * MAX_ATTRIBUTES},}}>?")
    rng = random.Random(7)
    pieces = ["<", ">", "a", "Z", "1", " ", "=", '"', "é", "<b", "x" * 300, "y" * 511]
    for _ in range(3000):
        html = "".join(rng.choice(pieces) for _n in range(rng.randrange(0, 40)))
        assert list(long_tags(html)) == [m.span() for m in long_tag.finditer(html)], html
