from __future__ import annotations

from cleaner.profile import block_key, learn_profile


def test_blocks_on_most_pages_of_a_site_are_template() -> None:
    pages = [["Menu  Home", f"Story {i} body.", "© 2024 Site"] for i in range(5)]
    pages.append(["A page without the footer."])
    profile = learn_profile("site.test", pages)
    assert profile.is_template("menu home")
    assert profile.is_template("© 2024 SITE")
    assert not profile.is_template("Story 1 body.")


def test_too_few_pages_learn_nothing() -> None:
    assert learn_profile("s", [["a"], ["a"]]).template == frozenset()


def test_block_key_normalises_width_case_and_space() -> None:
    assert block_key("  ＡＢＣ\n def ") == "abc def"
