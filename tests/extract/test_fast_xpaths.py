"""The Python matchers select exactly what trafilatura's regex XPaths select, in the same order."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from copy import copy

import pytest
from lxml.etree import XPath, _Element
from lxml.html import HtmlElement, fromstring
from trafilatura import xpaths
from trafilatura.htmlprocessing import convert_tags, tree_cleaning
from trafilatura.settings import Extractor
from trafilatura.utils import load_html

from cleaner.extract import fast_xpaths
from tests.conftest import SAMPLES, SHARED

ZYTE = SHARED / "benchmarks" / "zyte" / "html"

# Attribute order matters (`@id|@class` is whichever comes first), so do empty attributes,
# the converted tags (<list>, <item>) and every clause of every expression.
EDGE_CASES = """<html><body>
<div class="share-bar" id="main">a</div><div id="main" class="share-bar">b</div>
<div id="" class="">c</div><span role="Navigation">d</span><p role="main">e</p>
<div data-lp-replacement-content="">f</div><section data-component="xMostPopularStoriesx">g</section>
<div id="cookie-wall">h</div><div class="x" id="cookie">i</div><div class="cookie" id="x">j</div>
<div class="comments-title">k</div><div id="reply-1" class="ok">l</div><div class="reply-1" id="ok">m</div>
<div style="display: none">n</div><div style="display:none">o</div><div id="hidden-x" style="a">p</div>
<div style="hidden" id="ok">q</div><div aria-hidden="true">r</div><div aria-hidden="false">s</div>
<div class="page bottom">t</div><div class="bottomline">u</div><div id="x" class="bottom">v</div>
<div class="link">w</div><div class="permalink">x</div><p style="border: 1px">y</p>
<ol class="comment-list"><li>z</li></ol><ul id="comments"><li>z</li></ul>
<ol id="disqus_thread"><li>z</li></ol>
<details id="comment-3">z</details><div class="commentary">z</div><div class="post-comments">z</div>
<div class="mvp-post-add-box"><h1>t</h1></div><div class="infinite-scroll"><h1>t</h1></div>
<aside id="infinite-scroll">z</aside><section class="x infinitescroll">z</section>
<div class="nocomments">z</div><p class="a-reply-b">z</p><div class="signin">z</div>
<div id="akismet-x">z</div><div class="ad-slot">z</div><div class="top ad-slot">z</div>
<div class="sidebar"><div class="widget"><p class="meta">nested</p></div></div>
<section><div class="entry">first</div><div class="post">second sibling</div></section>
<div><p><article class="x article-body">deeper</article></p><div itemprop="articleBody">z</div></div>
<main id="primary-x">z</main><div role="article">z</div><div class="FullText">z</div>
<div class="story-content">z</div><div id="x" class="Page-Content">z</div><div class="main-Content">z</div>
<div class="x elementor-share-buttons">z</div><aside class="Elementor-share-buttons">z</aside>
<span id="Teaser-1">z</span><p class="TEASER">z</p><div class="img-caption">z</div><p id="Caption">z</p>
<section id="content">z</section><div class="content-main">z</div><div class="mainbar">z</div><main>z</main>
</body></html>"""


def _pages() -> Iterator[tuple[str, HtmlElement]]:
    for path in sorted(ZYTE.glob("*.html.gz")):
        yield path.name, load_html(gzip.decompress(path.read_bytes()))
    for path in sorted(SAMPLES.rglob("*.htm*")):
        tree = load_html(path.read_bytes())
        if tree is not None:
            yield path.name, tree
    yield "edge cases", fromstring(EDGE_CASES)


def _stages(tree: HtmlElement) -> Iterator[HtmlElement]:
    """The raw tree and the cleaned, converted tree trafilatura's later prunes see."""
    yield tree
    options = Extractor(output_format="xml", precision=True)
    yield convert_tags(tree_cleaning(copy(tree), options), options)


def _path(element: _Element) -> str:
    return element.getroottree().getpath(element)


def test_every_replaced_expression_has_a_matcher_in_place() -> None:
    assert len(fast_xpaths.MATCHERS) == 14, "a trafilatura expression changed: review fast_xpaths"
    for name, index, expression, matcher in fast_xpaths.MATCHERS:
        assert isinstance(expression, XPath)
        assert getattr(xpaths, name)[index] is matcher  # installed by cleaner.extract


@pytest.mark.skipif(not ZYTE.is_dir(), reason="needs ../shared/benchmarks")
def test_matchers_select_what_the_expressions_select() -> None:
    checked = matched = 0
    for label, page in _pages():
        for tree in _stages(page):
            for name, index, expression, matcher in fast_xpaths.MATCHERS:
                expected = [_path(e) for e in expression(tree)]
                assert [_path(e) for e in matcher(tree)] == expected, f"{name}[{index}] on {label}"
                checked += 1
                matched += bool(expected)
    assert checked > 1000 and matched > 300  # the comparison saw real matches, not only empties


def test_edge_cases_match_something_for_every_expression() -> None:
    tree = fromstring(EDGE_CASES)
    for name, index, expression, matcher in fast_xpaths.MATCHERS:
        found = list(matcher(tree))
        assert found, f"{name}[{index}] matched nothing in the edge cases"
        assert found == list(expression(tree))


def test_a_changed_expression_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    changed = [XPath(".//div[@id='x']")]
    monkeypatch.setattr(xpaths, "OVERALL_DISCARD_XPATH", changed)
    names = {name for name, *_ in fast_xpaths._matchers()}
    assert "OVERALL_DISCARD_XPATH" not in names


def test_shipped_puts_trafilaturas_expressions_back_for_a_while() -> None:
    with fast_xpaths.shipped():
        for name, index, expression, _ in fast_xpaths.MATCHERS:
            assert getattr(xpaths, name)[index] is expression
    for name, index, _, matcher in fast_xpaths.MATCHERS:
        assert getattr(xpaths, name)[index] is matcher
