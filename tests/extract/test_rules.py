"""DomRules: loading, digest, errors, and that every packaged rule names its region."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from lxml.html import fromstring

from cleaner.errors import RulesError
from cleaner.extract import DomRules
from cleaner.extract.removed import removed_blocks
from cleaner.extract.rules import DEFAULT_RULES_PATH, Match
from cleaner.record import Reason

RAW = tomllib.loads(DEFAULT_RULES_PATH.read_text())


def test_load_is_deterministic_and_digested() -> None:
    one, two = DomRules.load(), DomRules.load()
    assert one.digest == two.digest and len(one.digest) == 16


def test_digest_follows_the_file(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text('[nav]\nwords = ["menu"]\n')
    assert DomRules.load(path).digest != DomRules.load().digest


@pytest.mark.parametrize(
    "text",
    [
        '[nope]\nwords = ["x"]\n',
        '[nav]\nwords = "menu"\n',
        '[nav]\nfoo = ["x"]\n',
        "[nav\n",
        '[nav]\nselectors = ["[[["]\n',
    ],
)
def test_bad_rules_raise_rules_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(text)
    with pytest.raises(RulesError):
        DomRules.load(path)


def test_missing_file_raises_rules_error(tmp_path: Path) -> None:
    with pytest.raises(RulesError):
        DomRules.load(tmp_path / "absent.toml")


def _sample(key: str, value: str) -> str:
    """A page where one region is marked by exactly one rule."""
    attr = {"tags": "", "roles": f' role="{value}"', "words": f' class="x-{value}"',
            "contains": f' id="zz{value}zz"', "selectors": ""}[key]  # fmt: skip
    if key == "tags":
        region = f"<{value}><p>marked block</p></{value}>"
    elif key == "selectors":
        region = '<div itemprop="comment"><p>marked block</p></div>'
    else:
        region = f"<div{attr}><p>marked block</p></div>"
    return f"<html><body><article><p>kept text</p></article>{region}</body></html>"


CASES = [
    (reason, key, value) for reason, group in RAW.items() for key, values in group.items() for value in values
]


@pytest.mark.parametrize(("reason", "key", "value"), CASES, ids=[f"{r}-{k}-{v}" for r, k, v in CASES])
def test_every_rule_marks_its_region(reason: str, key: str, value: str) -> None:
    rules = DomRules.load()
    if key == "words" and "-" in value:
        html = _sample("words", value).replace(f"x-{value}", value)
    else:
        html = _sample(key, value)
    removed = removed_blocks(fromstring(html), ["kept text"], rules)
    assert [(r.text, r.reason) for r in removed] == [("marked block", Reason(reason))]


def test_memoised_matching_agrees_with_plain_matching() -> None:
    rules = DomRules.load()
    memo: dict[str, Match | None] = {}
    values = ({"class": "site-footer"}, {"id": "Main-Menu"}, {"class": "loader"}, {"class": "site-footer"})
    for attrib in values:
        assert rules.match("div", attrib, memo=memo) == rules.match("div", attrib)
    assert memo["site-footer"] is not None and memo["loader"] is None
    assert rules.match_names("header") is None and rules.match_names("ad-slot") is not None


ELEMENT_SELECTORS = [
    '[itemprop="comment"]',
    "[data-id]",
    "#main",
    ".share",
    "div.content",
    "li.menu-item.current",
    'a[rel="nofollow"]',
    "section#comments[role]",
    "*",
    "DIV",
]
PAGE_SELECTORS = ["nav a", "ul > li", "p:first-child", '[class~="share"]', "div, span", "::first-line"]
SELECTOR_PAGE = """<html><body><div id="main" class="content  wide">
<p class="share" data-id="1">one</p><p class="x share\ty">two</p><p class="shared">three</p>
<ul><li class="menu-item current">a</li><li class="menu-item">b</li>
<li class="current menu-item x">c</li></ul>
<a rel="nofollow" href="/">l</a><a rel="nofollow author">m</a><nav><a>n</a></nav>
<section id="comments" role="region"><div itemprop="comment">c</div></section>
<section id="comments"><div itemprop="comments">d</div></section></div></body></html>"""


def _pages() -> list[str]:
    pages = [SELECTOR_PAGE]
    samples = Path(__file__).resolve().parents[2] / "samples"
    for path in sorted([*samples.glob("html/*.html"), *samples.glob("seeds/*.html")])[:10]:
        pages.append(path.read_text(encoding="utf-8", errors="replace"))
    return pages


@pytest.mark.parametrize("css", ELEMENT_SELECTORS)
def test_element_tests_select_what_the_xpath_selects(css: str) -> None:
    from cleaner.extract.rules import _selector, element_test

    test = element_test(css)
    assert test is not None
    for html in _pages():
        tree = fromstring(html)
        assert [e for e in tree.iter() if isinstance(e.tag, str) and test(e)] == _selector(css)(tree), css


@pytest.mark.parametrize("css", PAGE_SELECTORS)
def test_selectors_about_more_than_one_element_keep_their_xpath(css: str) -> None:
    from cleaner.extract.rules import element_test

    assert element_test(css) is None


def test_a_page_selector_still_marks_its_elements() -> None:
    rules = DomRules.compile(
        {"share": {"selectors": ["ul > li"]}, "ad": {"selectors": [".share"]}}, digest="t"
    )
    removed = {r.text: r.rule for r in removed_blocks(fromstring(SELECTOR_PAGE), [], rules)}
    assert removed["b"] == "dom:share:css=ul > li"
    assert removed["one"] == removed["two"] == "dom:ad:css=.share"
    assert removed["three"] == "extractor"
