"""extract_html: blocks and their kinds, tidy-ups, removed blocks with reasons, robustness."""

from __future__ import annotations

import gzip
import json

import pytest
from lxml.etree import tostring

from cleaner import Cleaner
from cleaner.errors import ExtractionError
from cleaner.extract import DomRules, Extraction, extract_html
from cleaner.options import Options
from cleaner.read import InputKind
from cleaner.record import BlockKind, Reason
from tests.conftest import SHARED

PARA = (
    "The council voted on Tuesday to extend the library's opening hours into the evening, "
    "after a year of campaigning by students and parents who said the old hours left them "
    "with nowhere quiet to work. "
)

PAGE = f"""<!DOCTYPE html>
<html lang="en-GB"><head><title>Library hours extended after long campaign - Town Gazette</title>
<meta property="og:site_name" content="Town Gazette">
</head><body>
<header class="site-header"><div class="logo">Town Gazette</div>
<nav class="main-nav"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li></ul></nav></header>
<div class="breadcrumb"><a href="/">Home</a> › <a href="/local">Local news</a></div>
<article>
<h1>Library hours extended after long campaign</h1>
<p>{PARA}</p>
<h2>What changes next month</h2>
<p>{PARA * 2}</p>
<ul><li>Monday to Thursday until nine in the evening for all readers.</li>
<li>Fridays until seven, with the study rooms open to students.</li></ul>
<table><tr><th>Day</th><th>Closes</th></tr><tr><td>Monday</td><td>21:00</td></tr></table>
<blockquote><p>We finally have somewhere to go after school, said one student.</p></blockquote>
<p>{PARA}</p>
<div class="share-buttons"><p>Share this article on your favourite network</p></div>
</article>
<aside class="related-posts"><h3>Related stories</h3>
<ul><li>Swimming pool closes for repairs</li></ul></aside>
<footer><p>Copyright 2024 Town Gazette, all rights reserved</p></footer>
</body></html>"""


@pytest.fixture(scope="module")
def rules() -> DomRules:
    return DomRules.load()


@pytest.fixture(scope="module")
def result(rules: DomRules) -> Extraction:
    return extract_html(PAGE, url="https://gazette.example/a", options=Options(), rules=rules)


def test_body_blocks_in_order_with_kinds(result: Extraction) -> None:
    kinds = [(b.kind, b.text[:20]) for b in result.blocks]
    assert (BlockKind.HEADING, "What changes next mo") in kinds
    assert [b.kind for b in result.blocks].count(BlockKind.LIST_ITEM) == 2
    table = next(b for b in result.blocks if b.kind is BlockKind.TABLE)
    assert table.text == "Day | Closes\nMonday | 21:00"
    assert any(b.kind is BlockKind.QUOTE and "somewhere to go" in b.text for b in result.blocks)


def test_title_repeated_as_first_block_is_dropped(result: Extraction) -> None:
    assert result.blocks[0].text.startswith("The council voted")
    dropped = [r for r in result.removed if r.rule == "extract:title-repeat"]
    assert [r.text for r in dropped] == ["Library hours extended after long campaign"]


def test_metadata_comes_from_the_same_parse(result: Extraction) -> None:
    assert result.metadata.title == "Library hours extended after long campaign"
    assert result.metadata.sitename == "Town Gazette"
    assert result.metadata.language == "en"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("News", Reason.NAV),
        ("Swimming pool closes for repairs", Reason.RELATED),
        ("Copyright 2024 Town Gazette, all rights reserved", Reason.FOOTER),
        ("Share this article on your favourite network", Reason.SHARE),
        ("Home › Local news", Reason.NAV),
    ],
)
def test_removed_blocks_carry_reasons(result: Extraction, text: str, reason: Reason) -> None:
    found = {r.text: r for r in result.removed}
    assert text in found, sorted(found)
    assert found[text].reason is reason
    assert found[text].rule.startswith(f"dom:{reason}:")


def test_kept_text_is_not_listed_as_removed(result: Extraction) -> None:
    kept = {b.text for b in result.blocks}
    assert not kept & {r.text for r in result.removed}


def test_tables_can_be_left_out(rules: DomRules) -> None:
    out = extract_html(PAGE, url=None, options=Options(include_tables=False), rules=rules)
    assert not any(b.kind is BlockKind.TABLE for b in out.blocks)


def test_code_blocks_keep_their_lines(rules: DomRules) -> None:
    code = "<pre><code>x = 1\ny = 2</code></pre>"
    html = f"<html><body><article><p>{PARA}</p>{code}<p>{PARA}</p></article></body></html>"
    out = extract_html(html, url=None, options=Options(), rules=rules)
    found = [b for b in out.blocks if b.kind is BlockKind.CODE]
    assert found and "x = 1\ny = 2" in found[0].text


def test_trailing_date_only_block_is_dropped(rules: DomRules) -> None:
    date = "<p>Updated: 12/03/2021</p>"
    html = f"<html><body><article><p>{PARA}</p><p>{PARA}</p>{date}</article></body></html>"
    out = extract_html(html, url=None, options=Options(), rules=rules)
    assert out.blocks[-1].text.startswith("The council")
    assert any(r.rule == "extract:trailing-date" for r in out.removed)


def test_default_rules_are_loaded_when_none_given() -> None:
    out = extract_html(PAGE, url=None, options=Options())
    assert out.blocks


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   ",
        "<html>",
        "<html><body><article><p>Truncated page with some text in <b>it",
        "<p>Just a fragment with a few words.</p>",
        '<?xml version="1.0" encoding="utf-8"?><html><body><p>Hi there</p></body></html>',
        "<html><body>" + "<div>" * 100_000 + "deep" + "</div>" * 100_000 + "</body></html>",
        bytes(range(256)).decode("latin-1") * 400,
        "<html><body><p>" + "word " * 300_000 + "</p></body></html>",
        "<html><body><p>a\x00b\udcff</p></body></html>",
    ],
    ids=[
        "empty",
        "blank",
        "bare-html",
        "truncated",
        "fragment",
        "xml-decl",
        "deep",
        "binary",
        "huge-text",
        "nul-surrogate",
    ],
)
def test_hostile_input_never_raises_anything_else(rules: DomRules, html: str) -> None:
    try:
        out = extract_html(html, url=None, options=Options(), rules=rules)
    except ExtractionError:
        return
    assert isinstance(out, Extraction)


def test_empty_page_gives_no_blocks(rules: DomRules) -> None:
    out = extract_html("", url="https://x.example/", options=Options(), rules=rules)
    assert out.blocks == () and out.metadata.url == "https://x.example/"


def test_fragment_is_wrapped_into_a_page(rules: DomRules) -> None:
    out = extract_html("<p>Just a fragment with a few words.</p>", url=None, options=Options(), rules=rules)
    assert [b.text for b in out.blocks] == ["Just a fragment with a few words."]


def test_foreign_errors_become_extraction_errors(monkeypatch: pytest.MonkeyPatch, rules: DomRules) -> None:
    import cleaner.extract.html as module

    def boom(*_: object, **__: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(module, "bare_extraction", boom)
    with pytest.raises(ExtractionError) as info:
        extract_html(PAGE, url=None, options=Options(), rules=rules)
    assert isinstance(info.value.__cause__, RecursionError)


def test_reader_comments_only_on_request(rules: DomRules) -> None:
    comment = "I have been waiting for this change for years, thank you to everyone involved!"
    html = PAGE.replace(
        "</article>",
        f'</article><div class="comments"><div class="comment"><p>{comment}</p></div></div>',
    )
    without = extract_html(html, url=None, options=Options(), rules=rules)
    assert not any(comment in b.text for b in without.blocks)
    assert any(r.text == comment and r.reason is Reason.COMMENTS for r in without.removed)
    with_comments = extract_html(html, url=None, options=Options(include_comments=True), rules=rules)
    assert with_comments.blocks[-1].text == comment


def test_leading_date_only_block_is_dropped(rules: DomRules) -> None:
    date = "<p>15/05/2025 às 06h00</p>"
    html = f"<html><body><article>{date}<p>{PARA}</p><p>{PARA}</p></article></body></html>"
    out = extract_html(html, url=None, options=Options(), rules=rules)
    assert out.blocks[0].text.startswith("The council")
    assert any(r.rule == "extract:leading-date" for r in out.removed)


def test_short_fast_result_gets_the_full_comparison(monkeypatch: pytest.MonkeyPatch, rules: DomRules) -> None:
    import cleaner.extract.html as module

    runs: list[tuple[bool, bool]] = []
    real = module._run

    def spy(*args: object, precision: bool, fast: bool, **kwargs: object) -> object:
        runs.append((precision, fast))
        return real(*args, precision=precision, fast=fast, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(module, "_run", spy)
    extract_html(f"<html><body><article><p>{PARA}</p></article></body></html>", url=None, options=Options())
    assert runs[:2] == [(True, True), (True, False)]
    runs.clear()
    extract_html(PAGE, url=None, options=Options(), rules=rules)
    assert runs == [(True, True)]


def _trafilatura_load(html: str) -> bytes | None:
    """The tree trafilatura's own loading steps give (repair the str, parse it, or its bytes)."""
    from trafilatura.utils import is_dubious_html, repair_faulty_html

    from cleaner.extract.html import _parse

    beginning = html[:50].lower()
    html = repair_faulty_html(html, beginning)
    tree = _parse(html)
    if tree is None or len(tree) < 1:
        tree = _parse(html.encode("utf-8", "surrogatepass"))
    if tree is None or (is_dubious_html(beginning) and len(tree) < 2):
        return None
    return tostring(tree)


LOAD_CASES = [
    PAGE,
    "<p>café – naïve ’ 日本語</p>",
    '<html><head><meta charset="windows-1252"></head><body><p>café</p></body></html>',
    '<?xml version="1.0" encoding="iso-8859-1"?><html><body><p>café</p></body></html>',
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "http://www.w3.org/TR/xhtml1/DTD/x.dtd">\n'
    "<html><body><p>an XHTML doctype, which the repair removes</p></body></html>",
    "<!DOCTYPE html><html><body><p>no line break anywhere</p></body></html>",
    '<!DOCTYPE html>\n<html lang="en"/>\n<body><p>a self-closing html tag</p></body>',
    "<html><body><p>controls\x00\x01\x0b\x1f kept out, tab\tand CR\r stay</p></body></html>",
    "<html><body><p>non\ufffecharacters\uffff too</p></body></html>",
    "<html><body><p>a lone \udc80 surrogate</p></body></html>",
    "\ufeff<html><body><p>a byte order mark</p></body></html>",
    "no markup at all",
]


@pytest.mark.parametrize("html", LOAD_CASES)
def test_pages_load_as_trafilatura_loads_them(html: str) -> None:
    """Parsing the page's UTF-8 bytes, and checking those for forbidden characters, changes
    nothing: the tree is the one trafilatura's steps on the str give."""
    from cleaner.extract.html import _load

    tree = _load(html)
    assert (None if tree is None else tostring(tree)) == _trafilatura_load(html)


@pytest.mark.parametrize("html", [c for c in LOAD_CASES if "\x00" not in c and "\ufffe" not in c])
def test_page_start_repair_is_trafilaturas(html: str) -> None:
    from trafilatura.utils import repair_faulty_html

    from cleaner.extract.html import repair_page_start

    beginning = html[:50].lower()
    assert repair_page_start(html, beginning) == repair_faulty_html(html, beginning)


def test_a_forum_threads_posts_are_its_content() -> None:
    # a real forum thread (schema.org DiscussionForumPosting): its posts sit in the containers
    # precision mode prunes as comments
    path = SHARED / "benchmarks" / "multilingual" / "html" / "76ea3558268b.html.gz"
    gold = json.loads((SHARED / "benchmarks" / "multilingual" / "gold.json").read_text(encoding="utf-8"))
    doc = Cleaner().clean_bytes(gzip.decompress(path.read_bytes()), InputKind.HTML)
    text = " ".join(doc.text.split())
    assert all(" ".join(segment.split()) in text for segment in gold["76ea3558268b"]["with"])
