"""Properties every input must satisfy, whatever it holds."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Cleaner
from cleaner.batch import clean_all, clean_source
from cleaner.read import InputKind, Source
from cleaner.record import Status

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

WORDS = [
    "the",
    "council",
    "river",
    "bridge",
    "market",
    "town",
    "morning",
    "officials",
    "said",
    "would",
    "close",
    "after",
    "weeks",
    "of",
    "rain",
    "and",
    "residents",
    "asked",
    "whether",
    "repairs",
    "could",
    "begin",
    "before",
    "winter",
    "while",
    "engineers",
    "measured",
    "water",
]


@st.composite
def sentences(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=8, max_size=20))
    return " ".join(words).capitalize() + "."


@st.composite
def paragraphs(draw: st.DrawFn) -> str:
    return " ".join(draw(st.lists(sentences(), min_size=2, max_size=5)))


@SETTINGS
@given(data=st.binary(max_size=4000), kind=st.sampled_from(list(InputKind)))
def test_arbitrary_bytes_never_raise(cleaner: Cleaner, data: bytes, kind: InputKind) -> None:
    doc = clean_source(cleaner, Source("x", "x", kind, data))
    assert doc.status in set(Status)
    assert (doc.error is not None) == (doc.status is Status.ERROR)


@SETTINGS
@given(texts=st.lists(st.text(max_size=300), max_size=8))
def test_one_record_per_input_with_ids_kept(cleaner: Cleaner, texts: list[str]) -> None:
    sources = [
        Source(f"id-{i}", "s", InputKind.TEXT if i % 2 else InputKind.HTML, t) for i, t in enumerate(texts)
    ]
    assert [d.id for d in clean_all(cleaner, sources)] == [s.id for s in sources]


@SETTINGS
@given(lines=st.lists(st.one_of(paragraphs(), st.text(min_size=1, max_size=80)), min_size=1, max_size=12))
def test_text_cleaning_only_removes(cleaner: Cleaner, lines: list[str]) -> None:
    page = "\n".join(lines)
    doc = cleaner.clean_text(page)
    for block in doc.blocks:
        assert block.text in page


@SETTINGS
@given(paras=st.lists(paragraphs(), min_size=1, max_size=6))
def test_html_cleaning_never_invents_words(cleaner: Cleaner, paras: list[str]) -> None:
    html = "<html><body><article>" + "".join(f"<p>{p}</p>" for p in paras) + "</article></body></html>"
    doc = cleaner.clean_html(html)
    source_words = set(re.findall(r"\w+", " ".join(paras)))
    assert set(re.findall(r"\w+", doc.text)) <= source_words


@SETTINGS
@given(title=sentences(), paras=st.lists(paragraphs(), min_size=2, max_size=8))
def test_clean_text_is_left_unchanged(cleaner: Cleaner, title: str, paras: list[str]) -> None:
    page = "\n\n".join([title.rstrip("."), *paras])
    doc = cleaner.clean_text(page)
    assert doc.text == page
    assert doc.removed == ()
