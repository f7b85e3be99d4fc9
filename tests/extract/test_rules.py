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
