from __future__ import annotations

import pytest

from cleaner.metadata.title import strip_site_suffix


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        ("Stadia, xCloud, Arcade: Ways to Play - WSJ", None, "Stadia, xCloud, Arcade: Ways to Play"),
        ("Putin and Xi meet again | The Guardian", "The Guardian", "Putin and Xi meet again"),
        ("Le Monde | Les marchés reculent fortement", "Le Monde", "Les marchés reculent fortement"),
        ("Wars – a history of conflict in Europe and Asia over three centuries", None,
         "Wars – a history of conflict in Europe and Asia over three centuries"),
        ("Short - Title", None, "Short - Title"),
        ("No separator here", None, "No separator here"),
    ],
)  # fmt: skip
def test_site_suffix_is_dropped_only_when_it_looks_like_a_site(
    title: str, site: str | None, expected: str
) -> None:
    assert strip_site_suffix(title, site) == expected


def test_known_site_name_protects_a_dash_inside_the_headline() -> None:
    title = "Freiburg: Genossenschaft baut Wohnungen – Miete unter neun Euro"
    assert strip_site_suffix(title, "Badische Tagespost") == title
    assert strip_site_suffix(title + " | Badische Tagespost", "Badische Tagespost") == title
