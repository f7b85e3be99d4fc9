"""Properties every input must satisfy, whatever it holds."""

from __future__ import annotations

import gzip
import io
import json
import random
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Cleaner
from cleaner.batch import clean_all, clean_source
from cleaner.read import InputKind, Source, iter_jsonl
from cleaner.record import Status
from cleaner.write import safe_name, to_json_line
from tests.conftest import ROOT, SAMPLES

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


# -- the same input gives the same record, byte for byte -----------------------------------


def _sample_pages() -> list[Path]:
    return sorted(p for p in SAMPLES.rglob("*") if p.is_file() and p.suffix != ".xyz")


@pytest.mark.parametrize("path", _sample_pages(), ids=lambda p: p.name)
def test_a_sample_gives_the_same_record_twice(cleaner: Cleaner, path: Path) -> None:
    raw = path.read_bytes()
    data = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    kind = InputKind.TEXT if ".txt" in path.name or ".md" in path.name else InputKind.HTML
    first = to_json_line(clean_source(cleaner, Source(path.name, str(path), kind, data)))
    second = to_json_line(clean_source(Cleaner(), Source(path.name, str(path), kind, data)))
    assert first == second


@SETTINGS
@given(
    paras=st.lists(paragraphs(), min_size=1, max_size=6),
    chrome=st.sampled_from(["", "<nav>Home | News</nav>"]),
)
def test_a_page_gives_the_same_record_twice(cleaner: Cleaner, paras: list[str], chrome: str) -> None:
    html = (
        f"<html><body>{chrome}<article>" + "".join(f"<p>{p}</p>" for p in paras) + "</article></body></html>"
    )
    assert to_json_line(cleaner.clean_html(html, id="p")) == to_json_line(cleaner.clean_html(html, id="p"))


def test_two_runs_of_the_cli_write_the_same_bytes(tmp_path: Path) -> None:
    """Two processes (and their workers) over samples/: the same output file, byte for byte."""
    outputs = []
    for n in (1, 2):
        out = tmp_path / f"out{n}.jsonl"
        command = [sys.executable, "-m", "cleaner", "clean", "-q", str(SAMPLES), "-o", str(out)]
        proc = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=300, check=False)
        assert proc.returncode == 1, proc.stderr  # samples/bad holds failures on purpose
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] and outputs[0].count(b"\n") >= len(_sample_pages())


# -- cleaning the cleaned text again removes nothing ----------------------------------------

_CHROME_LINES = [
    "Subscribe to our newsletter",
    "Advertisement",
    "Read more: Council votes on the bridge",
    "Share this article",
    "Home | News | Sport | Weather",
    "© 2024 The Gazette. All rights reserved.",
    "Most Popular",
]


@SETTINGS
@given(
    lines=st.lists(
        st.one_of(
            paragraphs(), sentences(), st.sampled_from(_CHROME_LINES), st.text(min_size=1, max_size=60)
        ),
        min_size=1,
        max_size=14,
    )
)
def test_cleaning_cleaned_text_again_removes_nothing(cleaner: Cleaner, lines: list[str]) -> None:
    once = cleaner.clean_text("\n\n".join(lines))
    twice = cleaner.clean_text(once.text)
    assert twice.removed == ()
    assert twice.text == once.text


def _text_pages() -> list[Path]:
    pages = sorted((SAMPLES / "text").iterdir())
    shared = ROOT.parent / "shared" / "benchmarks" / "zyte-text"
    return pages + (sorted(shared.glob("*.txt"))[:40] if shared.is_dir() else [])


def test_cleaning_a_cleaned_real_text_again_removes_nothing(cleaner: Cleaner) -> None:
    """On the text path a second pass is the same cleaner on its own output: it keeps it all."""
    for path in _text_pages():
        raw = path.read_bytes()
        text = (gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode("utf-8")
        once = cleaner.clean_text(text)
        twice = cleaner.clean_text(once.text)
        assert (path.name, twice.removed) == (path.name, ())
        assert twice.text == once.text


_HTML_SAMPLE = 40


def _html_pages() -> list[Path]:
    """A seeded sample of the benchmark pages (zyte and multilingual), the same every run."""
    shared = ROOT.parent / "shared" / "benchmarks"
    pages = sorted(shared.glob("zyte/html/*.html.gz")) + sorted(shared.glob("multilingual/html/*.html.gz"))
    if not pages:
        pytest.skip("../shared/benchmarks is not beside the checkout")
    return random.Random(16).sample(pages, min(_HTML_SAMPLE, len(pages)))


def test_cleaning_the_text_of_a_cleaned_page_again_removes_almost_nothing(cleaner: Cleaner) -> None:
    """HTML -> text -> `clean_text` keeps the text on all but a few pages.

    The text path finds the article among a flattened page's menus and footers; the text of
    a cleaned page has none around it, so its short closing lines, lists and table rows (as
    `a | b | c`) stay. Before that, the second pass cut lines on 252 of the 663 benchmark
    pages (12 of this sample); now on 61.

    It does not hold on every page yet: where the HTML path left chrome in ("Filed under:
    ...", "DON'T MISS"), the text path's rules name it and the text reads as a framed page,
    whose lines outside the densest run go; and inside the run, text-only signals (a cut-off
    line, a reference list's glued initials) still remove a few lines.
    """
    losing = []
    for path in _html_pages():
        once = cleaner.clean_bytes(gzip.decompress(path.read_bytes()), InputKind.HTML)
        if not once.text:
            continue
        twice = cleaner.clean_text(once.text)
        if twice.removed:
            losing.append((path.name, [r.text[:60] for r in twice.removed]))
        else:
            # the same words in the same order; blocks may be spaced differently
            assert twice.text.split() == once.text.split()
    assert len(losing) <= _HTML_SAMPLE // 10, losing


# -- ids and output file names never collide or leave the output folder ---------------------

_TRICKY = st.one_of(
    st.text(max_size=300),
    st.text(alphabet="./\\\x00:~ Aa", max_size=40),
    st.sampled_from(["", ".", "..", "../../etc/passwd", "/abs/path", "a/../../b", "\x00", "CON", "~"]),
    st.text(min_size=200, max_size=2000),
)


@settings(max_examples=300, deadline=None)
@given(id=_TRICKY, suffix=st.sampled_from([".txt", ".md"]))
def test_a_file_name_never_leaves_its_folder(
    id: str, suffix: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    name = safe_name(id, suffix)
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert not name.startswith(".") and name.endswith(suffix)
    assert name.isascii() and len(name.encode()) <= 255  # within any file system's limit
    folder = Path("/srv/out")
    assert (folder / name).resolve().parent == folder


@settings(max_examples=300, deadline=None)
@given(ids=st.lists(_TRICKY, min_size=2, max_size=20, unique=True))
def test_two_ids_never_share_a_file_name_even_ignoring_case(ids: list[str]) -> None:
    """Names carry a hash of the id: ids that differ only in case, in characters made safe
    (`a/b`, `a_b`, `a:b`) or past the length limit get different files, also on a
    case-insensitive file system."""
    names = {safe_name(id, ".txt").lower() for id in ids}
    assert len(names) == len(ids)


@given(id=st.text(min_size=1, max_size=30))
def test_ids_differing_only_in_case_or_normal_form_get_different_files(id: str) -> None:
    variants = {id, id.upper(), id.lower(), id.swapcase(), unicodedata.normalize("NFD", id)}
    names = {safe_name(v, ".md").lower() for v in variants}
    assert len(names) == len(variants)


@SETTINGS
@given(
    lines=st.lists(
        st.one_of(
            st.builds(lambda i: json.dumps({"id": i, "text": "t"}), st.text(min_size=1, max_size=20)),
            st.just('{"text": "no id"}'),
            st.just('{"id": null, "text": "null id"}'),
            st.text(alphabet='{}[]":, abc', max_size=30),
        ),
        max_size=20,
    )
)
def test_lines_without_an_id_get_ids_of_their_own(lines: list[str]) -> None:
    """A line's fallback id (`<file>:line-N`) is unique in its file, and two files never share one."""
    for name in ("a.jsonl", "b.jsonl"):
        stream = io.StringIO("".join(line.replace("\n", " ") + "\n" for line in lines))
        sources = list(iter_jsonl(stream, name))
        fallbacks = [s.id for s in sources if s.id.startswith(f"{name}:line-")]
        assert len(set(fallbacks)) == len(fallbacks)
        assert len(sources) == sum(1 for line in lines if line.replace("\n", " ").strip())
