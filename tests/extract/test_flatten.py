"""Pages nested past the parser's limit, and text nodes over 10 MB, keep their text."""

from __future__ import annotations

from lxml.html import fromstring

from cleaner import Cleaner
from cleaner.extract.flatten import MAX_DEPTH, flatten_deep_html

PARA = "<p>The harbour ferry will run again from Monday, the council said after a long debate on costs.</p>"


def _depth(html: str) -> int:
    tree = fromstring(html)
    return max(sum(1 for _ in e.iterancestors()) for e in tree.iter())


def test_a_page_nested_3000_deep_keeps_its_article() -> None:
    html = "<html><body>" + "<div>" * 3000 + PARA * 6 + "</div>" * 3000 + "</body></html>"
    doc = Cleaner().clean_html(html)
    assert doc.status == "ok" and doc.text.count("The harbour ferry will run again") == 6


def test_an_unclosed_deep_page_keeps_its_text_but_not_its_deep_scripts() -> None:
    html = "<html><body>" + "<div><span>" * 1500 + PARA * 4 + "<script>var secret = '<b>';</script>" + PARA
    doc = Cleaner().clean_html(html)
    assert doc.text.count("The harbour ferry") == 5 and "secret" not in doc.text


def test_flattening_bounds_the_depth_and_keeps_text_paragraphs_and_entities() -> None:
    deep = "<div class='x'>" * 500 + "<p>Fish &amp; chips &lt;3</p><p>Second</p>" + "</div>" * 500
    flat = flatten_deep_html(f"<html><body>{deep}</body></html>")
    assert _depth(flat) <= MAX_DEPTH + 3
    tree = fromstring(flat)
    assert [p.text_content() for p in tree.iter("p")] == ["Fish & chips <3", "Second"]


def test_a_shallow_page_is_written_out_as_it_was() -> None:
    html = (
        "<html><head><title>T</title></head><body><div id='a'><p>One &amp; two</p><br/></div></body></html>"
    )
    assert flatten_deep_html(html) == html


def test_a_text_node_over_10_mb_is_kept_whole() -> None:
    words = "word " * 2_200_000
    doc = Cleaner().clean_html(f"<html><body><p>{words}</p></body></html>")
    assert doc.status == "ok" and len(doc.text) == len(words.strip())


def test_text_tags_nested_thousands_deep_are_flattened_too() -> None:
    """Paragraph-like tags are kept below MAX_DEPTH, but not so many that the page stays
    past the parser's limit (which would lose everything after them)."""
    html = "<html><body>" + "<blockquote>" * 5000 + PARA + "</blockquote>" * 5000 + PARA + "</body></html>"
    assert _depth(flatten_deep_html(html)) <= 3 * MAX_DEPTH
    doc = Cleaner().clean_html(html)
    assert doc.text.count("The harbour ferry will run again") == 2
