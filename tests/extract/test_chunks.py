"""An article body split into same-named chunks comes out whole."""

from __future__ import annotations

from cleaner import Cleaner


def para(chunk: int, n: int) -> str:
    return (
        f"<p>Chunk {chunk}, paragraph {n}: the city council met again on Tuesday to discuss the plans "
        "for the harbour, and the ferry operators said they were ready to start in the spring.</p>"
    )


def chunk(n: int, name: str = "entry") -> str:
    return f"<div class='grid'><div class='{name}'>{''.join(para(n, i) for i in range(1, 5))}</div></div>"


AD = "<div class='ad-slot'><p>Advertisement</p></div>"


def page(*parts: str) -> str:
    return (
        "<html><body><div class='page'><h1>The harbour plans</h1>"
        f"<div class='article-chunks'>{''.join(parts)}</div></div></body></html>"
    )


def test_every_chunk_of_a_split_body_is_kept_in_order() -> None:
    text = Cleaner().clean_html(page(chunk(1), AD, chunk(2), AD, chunk(3))).text
    starts = [text.find(f"Chunk {n}, paragraph 1") for n in (1, 2, 3)]
    assert -1 not in starts and starts == sorted(starts)
    assert text.count("paragraph 4") == 3


def test_a_sibling_without_the_text_box_is_no_chunk() -> None:
    # the same layout box, holding teasers of other stories instead of the article's text box
    teasers = (
        "<div class='grid'><div class='teasers'>"
        + "".join(
            f"<p>Other story {n}: a long teaser that talks about something else entirely, "
            "with enough words.</p>"
            for n in range(1, 5)
        )
        + "</div></div>"
    )
    text = Cleaner().clean_html(page(chunk(1), teasers)).text
    assert "Chunk 1, paragraph 4" in text and "Other story" not in text


def test_a_next_article_with_its_own_headline_is_no_chunk() -> None:
    next_article = chunk(2).replace("<div class='entry'>", "<div class='entry'><h1>Another story</h1>")
    text = Cleaner().clean_html(page(chunk(1), next_article)).text
    assert "Chunk 1, paragraph 1" in text and "Chunk 2" not in text
