"""removed_blocks: every piece of visible text not kept is listed once, with a reason."""

from __future__ import annotations

import pytest
from lxml.html import fromstring

from cleaner.extract.removed import removed_blocks
from cleaner.extract.rules import DomRules
from cleaner.record import Reason

KEPT = "The council voted on Tuesday to extend the library's opening hours into the evening."

PAGE = f"""<html><head><title>t</title><script>var x = "script text";</script></head><body>
<a href="#main" class="skip-link">Skip to content</a>
<header><button class="menu-toggle">Menu</button> <a class="signup" href="/s">Sign up</a>
<span>Town Gazette</span>
<nav><ul><li><a href="/">Home</a></li><li><a href="/n">News</a></li></ul></nav></header>
<main><article><div class="meta"><span class="author">Jo Bloggs</span><br><time>12 May 2025</time>
<p>{KEPT}</p><div class="inner"><p>{KEPT}</p>Photo: Town Gazette</div></div></article>
<form><label>Your email</label><input placeholder="Your email"><button>Subscribe</button></form>
</main><div class="cookie-notice"><p>We use cookies.</p><button>Accept</button><button>Reject</button></div>
</body></html>"""


@pytest.fixture(scope="module")
def removed() -> dict[str, tuple[Reason, str]]:
    out = removed_blocks(fromstring(PAGE), [KEPT], DomRules.load())
    texts = [r.text for r in out]
    assert len(texts) == len(set(texts)), texts
    return {r.text: (r.reason, r.rule) for r in out}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Skip to content", Reason.NAV),
        ("Menu", Reason.NAV),
        ("Sign up", Reason.SUBSCRIBE),
        ("Town Gazette", Reason.OUTSIDE_MAIN_CONTENT),
        ("Home", Reason.NAV),
        ("News", Reason.NAV),
        ("Jo Bloggs 12 May 2025", Reason.OUTSIDE_MAIN_CONTENT),
        ("Photo: Town Gazette", Reason.OUTSIDE_MAIN_CONTENT),
        ("Your email Subscribe", Reason.OUTSIDE_MAIN_CONTENT),
        ("We use cookies.", Reason.COOKIE),
        ("Accept Reject", Reason.COOKIE),
    ],
)
def test_inline_text_in_containers_is_listed_with_a_reason(
    removed: dict[str, tuple[Reason, str]], text: str, reason: Reason
) -> None:
    assert text in removed, sorted(removed)
    assert removed[text][0] is reason


def test_kept_and_invisible_text_is_not_listed(removed: dict[str, tuple[Reason, str]]) -> None:
    assert not any(KEPT in text or "script text" in text or text == "t" for text in removed)


def test_fallback_reason_names_the_extractor(removed: dict[str, tuple[Reason, str]]) -> None:
    assert removed["Town Gazette"] == (Reason.OUTSIDE_MAIN_CONTENT, "extractor")


def test_text_spanning_consecutive_kept_blocks_counts_as_kept() -> None:
    first, second = "A first paragraph of the article.", "And a second paragraph following it."
    html = f"<html><body><div><span>{first}</span> <span>{second}</span><p>x</p></div></body></html>"
    out = removed_blocks(fromstring(html), [first, second, "x"], DomRules.load())
    assert out == []


def test_known_removals_are_not_listed_again() -> None:
    html = "<html><body><p>Updated 12/03/2021</p><p>kept</p></body></html>"
    out = removed_blocks(fromstring(html), ["kept"], DomRules.load(), known=["Updated 12/03/2021"])
    assert out == []


def test_deep_nesting_does_not_recurse() -> None:
    html = "<html><body>" + "<div><span>x</span>" * 3000 + "deep" + "</div>" * 3000 + "</body></html>"
    out = removed_blocks(fromstring(html), [], DomRules.load())
    assert out and all(r.reason is Reason.OUTSIDE_MAIN_CONTENT for r in out)


def test_removals_come_in_page_order_with_their_reasons_and_rules() -> None:
    out = removed_blocks(fromstring(PAGE), [KEPT], DomRules.load())
    assert [(r.text, r.reason, r.rule) for r in out] == [
        ("Skip to content", Reason.NAV, "dom:nav:word=skip"),
        ("Menu", Reason.NAV, "dom:nav:word=menu"),
        ("Sign up", Reason.SUBSCRIBE, "dom:subscribe:word=signup"),
        ("Town Gazette", Reason.OUTSIDE_MAIN_CONTENT, "extractor"),
        ("Home", Reason.NAV, "dom:nav:tag=nav"),
        ("News", Reason.NAV, "dom:nav:tag=nav"),
        ("Jo Bloggs 12 May 2025", Reason.OUTSIDE_MAIN_CONTENT, "extractor"),
        ("Photo: Town Gazette", Reason.OUTSIDE_MAIN_CONTENT, "extractor"),
        ("Your email Subscribe", Reason.OUTSIDE_MAIN_CONTENT, "extractor"),
        ("We use cookies.", Reason.COOKIE, "dom:cookie:contains=cookie"),
        ("Accept Reject", Reason.COOKIE, "dom:cookie:contains=cookie"),
    ]


def test_unit_text_is_spaced_between_its_elements() -> None:
    # Flat and nested units, a comment, a closer after an element, a run around an inline
    # element, and a cell separator that the kept-text comparison ignores.
    html = """<html><body><nav class="site-nav"><ul><li><a href="/">Cup Final</a><span>2025</span></li>
    <li><a href="/t"><b>Tick</b>ets</a>, <i>sold</i> out<!-- note --> today</li>
    <li class="share-links">Share</li></ul></nav>
    <div class="promo">Deal<span class="x">of</span>the day<p>Big <em>offer</em>.</p></div>
    <table><tr><td>Cell one</td><td>Cell | two</td></tr></table>
    <footer><p>© Town Gazette</p></footer></body></html>"""
    out = removed_blocks(fromstring(html), ["Cell one Cell two"], DomRules.load())
    assert [(r.text, r.reason, r.rule) for r in out] == [
        ("Cup Final 2025", Reason.NAV, "dom:nav:tag=nav"),
        ("Tick ets, sold out today", Reason.NAV, "dom:nav:tag=nav"),
        ("Share", Reason.SHARE, "dom:share:word=share"),
        ("Deal of the day", Reason.AD, "dom:ad:word=promo"),
        ("Big offer.", Reason.AD, "dom:ad:word=promo"),
        ("© Town Gazette", Reason.FOOTER, "dom:footer:tag=footer"),
    ]


def test_css_selector_rules_mark_their_regions() -> None:
    # The first two need an attribute (looked for on the page first), the third does not.
    rules = DomRules.compile(
        {
            "share": {"selectors": ['section > [data-role="share"]']},
            "ad": {"selectors": ["#promo"]},
            "related": {"selectors": ['p[data-kind!="main"]']},
        },
        digest="test",
    )
    html = """<html><body><article><p>kept text</p></article>
    <section><div data-role="share">Share this</div><div data-role="other">Other</div></section>
    <div id="promo">Buy now</div><p>Plain paragraph</p><p data-kind="main">Main part</p></body></html>"""
    out = removed_blocks(fromstring(html), ["kept text"], rules)
    assert [(r.text, r.reason) for r in out] == [
        ("Share this", Reason.SHARE),
        ("Other", Reason.OUTSIDE_MAIN_CONTENT),
        ("Buy now", Reason.AD),
        ("Plain paragraph", Reason.RELATED),
        ("Main part", Reason.OUTSIDE_MAIN_CONTENT),
    ]
