"""The one-shot functions keep their Cleaner per options and per thread."""

from __future__ import annotations

import multiprocessing
import threading

import cleaner
from cleaner import Cleaner, InputKind, Options, clean_bytes, clean_html, clean_text
from cleaner.oneshot import default_cleaner

PAGE = (
    "<html><body><nav><a href='/'>Home</a></nav><article><h1>Ferry</h1>"
    + "<p>The harbour ferry runs again from Monday, the council said after a long debate.</p>" * 3
    + "</article></body></html>"
)


def test_the_same_options_get_the_same_cleaner_and_other_options_another() -> None:
    assert default_cleaner() is default_cleaner(Options())
    assert default_cleaner(Options(include_comments=True)) is not default_cleaner()


def test_one_shot_records_equal_a_fresh_cleaners() -> None:
    fresh = Cleaner()
    assert clean_html(PAGE, "https://x.test/a") == fresh.clean_html(PAGE, "https://x.test/a")
    assert clean_text("Title line\n\nSome text.") == fresh.clean_text("Title line\n\nSome text.")
    assert clean_bytes(PAGE.encode("cp1252"), InputKind.HTML) == fresh.clean_bytes(
        PAGE.encode("cp1252"), InputKind.HTML
    )
    no_language = clean_html(PAGE, options=Options(detect_language=False))
    assert no_language.language is None and clean_html(PAGE).language == "en"


def test_each_thread_has_its_own_cleaner() -> None:
    seen: list[Cleaner] = []
    thread = threading.Thread(target=lambda: seen.append(default_cleaner()))
    thread.start()
    thread.join()
    assert seen and seen[0] is not default_cleaner()


def _clean_in_child(queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    queue.put(cleaner.clean_html(PAGE).text)


def test_a_forked_child_cleans_with_the_copy_it_inherited() -> None:
    expected = clean_html(PAGE).text  # the parent has built its cleaner
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_clean_in_child, args=(queue,))
    child.start()
    got = queue.get(timeout=60)
    child.join(timeout=60)
    assert child.exitcode == 0 and got == expected
