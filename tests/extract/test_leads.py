"""The article's lead paragraph, dropped by the precise extractor, put back."""

from __future__ import annotations

from cleaner import Cleaner

BODY = "".join(
    f"<p>Paragraph {n} of the story goes on about the council's plans for the harbour, "
    "the ferries that cross it and the people who use them every single day.</p>"
    for n in range(1, 7)
)
LEAD = "The council wants a second ferry line by spring, and the harbour master says it can be done."


def page(before_body: str, *, header_extra: str = "") -> str:
    return (
        "<html><head><title>Harbour ferry</title></head><body>"
        "<nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li></ul></nav>"
        "<article><header><h1>A second ferry for the harbour</h1>"
        f"{header_extra}{before_body}<p class='byline'>By Jane Doe, 3 May 2024</p></header>"
        f"<div class='article-body'>{BODY}</div></article>"
        "<footer><p>© 2024 Harbour News. All rights reserved.</p></footer></body></html>"
    )


def test_a_lead_in_the_article_header_is_kept_before_the_body() -> None:
    doc = Cleaner().clean_html(page(f"<p class='lead'>{LEAD}</p>"))
    assert doc.text.startswith(LEAD + "\n\nParagraph 1 of the story")


def test_a_teaser_class_lead_outside_a_header_is_kept() -> None:
    html = page("").replace(
        "<div class='article-body'>", f"<div class='teaser-text'><p>{LEAD}</p></div><div>"
    )
    assert Cleaner().clean_html(html).text.startswith(LEAD)


def test_the_same_lead_given_twice_is_kept_once() -> None:
    doc = Cleaner().clean_html(
        page(f"<p class='lead'>{LEAD}</p>", header_extra=f"<div class='abstract'>{LEAD}</div>")
    )
    assert doc.text.count(LEAD) == 1


def test_a_photo_caption_or_a_cookie_notice_is_no_lead() -> None:
    caption = "Ferries at the harbour in the morning fog, seen from the old pier. © Harbour News / J. Doe"
    cookie = "We use cookies to understand how this site is used and to improve it for everyone who reads it."
    html = page(f"<p class='lead-caption'>{caption}</p><div class='cookie-lead'><p>{cookie}</p></div>")
    text = Cleaner().clean_html(html).text
    assert caption not in text and cookie not in text
    assert text.startswith("Paragraph 1 of the story")


def test_prose_without_a_lead_name_or_header_is_left_out() -> None:
    # a paragraph of a widget before the article: prose, but nothing says it is the lead
    widget = "Sign up today and get the best stories of the week in your inbox, every Friday morning."
    html = page("").replace("<article>", f"<div class='box'><p>{widget}</p></div><article>")
    assert widget not in Cleaner().clean_html(html).text


def test_the_walk_stops_at_the_headline() -> None:
    # a teaser of another story above the headline is never the lead
    other = "Yesterday the mayor opened the new bridge, which took three years and more money than planned."
    html = page(f"<p class='lead'>{LEAD}</p>").replace(
        "<header><h1>", f"<header><p class='teaser'>{other}</p><h1>"
    )
    text = Cleaner().clean_html(html).text
    assert LEAD in text and other not in text
