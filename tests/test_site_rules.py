from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import Cleaner, Options, RulesError
from cleaner.read import InputKind
from cleaner.record import Reason
from cleaner.site_rules import SiteRules

RULES = """
[sites."news.example"]
ad = [".promo"]
related = ["section.more", "section.more li"]
"""

PAGE = (
    "<html><body><article><h1>Storm</h1>"
    + "<p>The storm reached the coast at dawn and the harbour stayed closed all day long.</p>" * 4
    + "<div class='promo'>Try our premium plan today</div>"
    + "<p>Crews worked through the night to restore power to the old town and the port.</p>" * 3
    + "<section class='more'><ul><li>Other story one</li><li>Other story two</li></ul></section>"
    + "</article></body></html>"
)


@pytest.fixture
def rules_file(tmp_path: Path) -> Path:
    path = tmp_path / "sites.toml"
    path.write_text(RULES)
    return path


def test_selectors_apply_to_the_host_and_its_subdomains(rules_file: Path) -> None:
    rules = SiteRules.load(rules_file)
    assert rules.for_url("https://www.news.example/a") is not None
    assert rules.for_url("https://othernews.example/a") is None
    assert rules.for_url(None) is None


def test_matching_elements_are_removed_once_with_their_reason(rules_file: Path) -> None:
    html, removed = SiteRules.load(rules_file).apply(PAGE, "https://news.example/storm")
    assert "premium plan" not in html and "Other story" not in html
    assert [(r.reason, r.rule) for r in removed] == [
        (Reason.AD, "site:news.example:.promo"),
        (Reason.RELATED, "site:news.example:section.more"),
    ]


def test_other_sites_are_left_alone(rules_file: Path) -> None:
    assert SiteRules.load(rules_file).apply(PAGE, "https://elsewhere.example/") == (PAGE, [])


def test_the_cleaner_records_site_removals(rules_file: Path) -> None:
    cleaner = Cleaner(Options(site_rules_path=rules_file, detect_language=False))
    doc = cleaner.clean_html(PAGE, "https://news.example/storm")
    assert "premium plan" not in doc.text and "harbour stayed closed" in doc.text
    assert any(r.rule == "site:news.example:.promo" for r in doc.removed)


def test_site_removals_hold_for_page_bytes_too(tmp_path: Path) -> None:
    # the parser reads a page's own bytes when it can: not once the site rules changed it
    rules_file = tmp_path / "sites.toml"
    rules_file.write_text('[sites."news.example"]\nrelated = [".tail-notes"]\n')
    cleaner = Cleaner(Options(site_rules_path=rules_file, detect_language=False))
    page = PAGE.replace(
        "</article>", "<p class='tail-notes'>Ferries will sail again on Monday morning.</p></article>"
    )
    doc = cleaner.clean_bytes(page.encode(), InputKind.HTML, "https://news.example/storm")
    assert "Ferries will sail" not in doc.text and "harbour stayed closed" in doc.text
    assert any(r.rule == "site:news.example:.tail-notes" for r in doc.removed)


@pytest.mark.parametrize(
    "content", ['[sites."a.example"]\nnot_a_reason = ["p"]\n', '[sites."a.example"]\nad = ["p[["]\n', "[["]
)
def test_bad_rules_files_raise_rules_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content)
    with pytest.raises(RulesError):
        SiteRules.load(path)
