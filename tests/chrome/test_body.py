"""The main-content search's weights: what a line costs by its shape."""

from __future__ import annotations

import pytest

from cleaner.chrome import ChromeRules
from cleaner.chrome.body import weight
from cleaner.chrome.lines import describe


@pytest.fixture(scope="module")
def rules() -> ChromeRules:
    return ChromeRules.load()


def cost(text: str, rules: ChromeRules) -> int:
    return -weight(describe(text, rules, "text"), rules.structure)


def test_short_lines_cost_by_shape(rules: ChromeRules) -> None:
    sentence = cost("The council will vote again in May.", rules)
    heading = cost("What Happens Next for the Tram", rules)
    menu_item = cost("Rennserien A-Z", rules)
    assert 0 < sentence < heading < menu_item


def test_a_short_question_or_colon_line_is_not_a_menu_item(rules: ChromeRules) -> None:
    assert cost("Was nun?", rules) == cost("What Happens Next for the Tram", rules)
