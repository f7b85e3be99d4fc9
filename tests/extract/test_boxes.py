"""Named boxes inside the kept article (related stories, a sign-up, comments) are taken out."""

from __future__ import annotations

from cleaner import Cleaner, Reason

STORY = "".join(
    f"<p>Paragraph {n}: the council voted on the harbour plans on Tuesday evening, after a long "
    "debate about the cost of the second ferry line and who would pay for the new piers.</p>"
    for n in range(1, 7)
)


def page(box: str) -> str:
    return (
        "<html><body><article><h1>Harbour plans</h1>"
        f"<div class='entry-content'>{STORY[:600]}{box}{STORY[600:]}</div></article></body></html>"
    )


def test_a_related_box_inside_the_article_goes_with_its_reason() -> None:
    box = (
        "<div class='recommended'><p>Read this too: the mayor explains in a long interview why "
        "the old ferry line had to close after forty years of service.</p></div>"
    )
    doc = Cleaner().clean_html(page(box))
    assert "Read this too" not in doc.text and "Paragraph 6" in doc.text
    assert any(r.reason is Reason.RELATED and r.rule.endswith(":in-article") for r in doc.removed)


def test_a_region_holding_most_of_the_article_is_its_wrapper_and_stays() -> None:
    html = page("").replace("class='entry-content'", "class='recommended'")
    assert Cleaner().clean_html(html).text.count("Paragraph") == 6
