"""Quality signals: each high where it must be, low where it must be."""

from __future__ import annotations

from cleaner import Cleaner

ARTICLE = (
    "<html><body><nav><ul>"
    + "".join(f"<li><a href='/s{n}'>Section {n}</a></li>" for n in range(12))
    + "</ul></nav>"
    "<article><h1>The harbour ferry</h1>"
    + "".join(
        f"<p>Paragraph {n}: the council voted on Tuesday to run a second ferry across the harbour from the "
        "spring, after a long debate about its cost and about who would pay for the new piers.</p>"
        for n in range(8)
    )
    + "</article><footer><p>© 2024 Harbour News. All rights reserved.</p></footer></body></html>"
)
LINKS = (
    "<html><body><div class='content'><ul>"
    + "".join(
        f"<li><a href='/story/{n}'>Story number {n} about the town council and its harbour plans</a></li>"
        for n in range(15)
    )
    + "</ul></div></body></html>"
)


def test_an_article_scores_low_on_chrome_links_and_repetition() -> None:
    signals = Cleaner().clean_html(ARTICLE).signals
    assert signals is not None
    assert signals.words > 200
    assert signals.chrome_score == 0.0 and signals.repeated_lines == 0.0
    assert signals.link_density == 0.0
    assert signals.language_probability is not None and signals.language_probability > 0.9
    assert 0.0 < signals.removed_share < 0.5


def test_a_list_of_links_has_a_high_link_density() -> None:
    signals = Cleaner().clean_html(LINKS).signals
    assert signals is not None and signals.link_density is not None and signals.link_density > 0.9


def test_a_page_of_menu_words_and_repeats_scores_high() -> None:
    text = "\n".join(["Home", "News", "Sport", "Home", "News", "Weather", "Sport", "Contact"]) + "\n"
    signals = Cleaner().clean_text(text).signals
    assert signals is not None and signals.link_density is None  # text has no links
    assert signals.words and signals.chrome_score == 1.0  # what the chrome stage let through
    article = Cleaner().clean_html(ARTICLE.replace("<p>Paragraph 3", "<h2>New piers</h2><p>Paragraph 3"))
    assert article.signals is not None and article.signals.chrome_score < 0.05


def test_repeated_lines_and_removed_share_are_measured() -> None:
    para = "The ferry will run every hour from the old pier, the council said on Tuesday evening."
    text = f"{para}\n\n{para}\n\nAnother paragraph about the harbour and the new piers that are planned.\n"
    signals = Cleaner().clean_text(text).signals
    assert signals is not None and signals.repeated_lines > 0.5
    chrome = "Subscribe to our newsletter\nAdvertisement\n" * 3
    mostly_chrome = Cleaner().clean_text(chrome + para + "\n").signals
    assert mostly_chrome is not None and mostly_chrome.removed_share > 0.3


def test_a_mixed_language_text_has_a_lower_language_probability() -> None:
    en = "The council of the city voted on Tuesday evening to build a second ferry line across the harbour. "
    de = "Der Rat der Stadt hat am Dienstagabend beschlossen, eine zweite Fährlinie über den Hafen zu bauen. "
    english = Cleaner().clean_text(en * 6 + "\n")
    mixed = Cleaner().clean_text((en + de) * 3 + "\n")
    assert english.signals and mixed.signals
    assert english.signals.language_probability and mixed.signals.language_probability
    assert mixed.signals.language_probability < english.signals.language_probability


def test_signals_are_in_the_json_record() -> None:
    record = Cleaner().clean_html(ARTICLE).to_dict()
    assert set(record["signals"]) == {
        "words", "removed_share", "chrome_score", "repeated_lines", "language_probability", "link_density"
    }  # fmt: skip
