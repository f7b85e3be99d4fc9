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
