"""HTML page -> article blocks, metadata and the list of what was left out, from one parse.

trafilatura is the extraction core. It runs in precision mode first, in its fast mode: its
comparison with readability and jusText costs about a third of its time and only changes
the result when its own text looks doubtful (short, no paragraphs, page furniture), so only
then does the full precision run follow. When that result looks starved (short, on a page
with much more text), or the page is a forum thread (schema.org's DiscussionForumPosting,
as trafilatura detects it: its posts sit in the containers precision mode prunes as
comments), a balanced run gets a chance, and the longer of the two wins only if it is
clearly longer. An article body the page splits into same-named chunks, of which
trafilatura takes the first, comes out whole (`chunks.py`); the article's lead paragraph,
which precision mode deletes with the article's `<header>`, goes back in front
(`leads.py`); boxes the article's container holds and the DOM rules name (related
stories, a sign-up, comments) go (`boxes.py`); and section headings that
trafilatura's paragraph fallback dropped go back in (`headings.py`). Then two general
clean-ups the benchmark truth agrees with: the page title repeated as the first block goes
(it is metadata, not body), and so do trailing blocks that are only a date or a photo
credit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.etree import ElementDefaultClassLookup, LxmlError, SubElement, _Element
from lxml.html import Element, HtmlElement, HTMLParser, fromstring
from trafilatura.core import _forum_thread_page, bare_extraction
from trafilatura.external import SANITIZED_XPATH
from trafilatura.settings import Extractor
from trafilatura.utils import DOCTYPE_TAG, FAULTY_HTML, is_dubious_html, repair_faulty_html

from cleaner.errors import ExtractionError
from cleaner.extract import fast_prepare, fast_xpaths
from cleaner.extract.attributes import cap_attributes
from cleaner.extract.blocks import body_blocks
from cleaner.extract.boxes import drop_boxes
from cleaner.extract.chunks import restore_chunks
from cleaner.extract.flatten import flatten_deep_html
from cleaner.extract.headings import restore_headings
from cleaner.extract.leads import restore_lead
from cleaner.extract.removed import removed_in_order
from cleaner.extract.rules import DomRules
from cleaner.extract.scope import is_loose, scope_blocks
from cleaner.extract.units import Units, link_chars, page_units
from cleaner.metadata.html import HtmlMetadata, extract_metadata
from cleaner.options import Options
from cleaner.record import Block, BlockKind, Reason, Removal

# A precision result shorter than this many characters is checked against a balanced run...
_STARVED_CHARS = 500
# ...which replaces it only when it is this many times longer.
_RESCUE_RATIO = 2.0
# On a forum thread the posts are the content, and precision mode prunes them with the
# comments: a balanced run that finds this much more text wins.
_FORUM_RATIO = 1.5
_TITLE_SCAN_BLOCKS = 3
_TITLE_MAX_WORDS = 25
_TITLE_OVERLAP = 0.7
_WORD = re.compile(r"\w+")
_TIME = r"\d{1,2}[:h]\d{2}(?:\s*(?:[ap]\.?m\.?|uhr|h))?"
# "at", "às", "à", "um", "alle", "om", "a las", "kl.": a date followed by its time of day.
_AT = r"(?:\W+|\s+(?:at|às|à|um|alle|om|a\s+las|kl\.?)\s+)"
_DATE_ONLY = re.compile(
    r"^\W*(?:(?:updated|published|posted|last modified)\b\W*)?"
    rf"(?:\d{{1,4}}[./-]\d{{1,2}}[./-]\d{{1,4}}|{_TIME}|\d{{1,2}}\.?\s+\w+\.?\s+\d{{4}}"
    rf"|\w+\.?\s+\d{{1,2}},?\s+\d{{4}})(?:{_AT}{_TIME})?\W*$",
    re.I,
)


fast_xpaths.install()
fast_prepare.install()

# trafilatura's parser settings. Every element is a plain HtmlElement: lxml.html's default
# lookup (a Python call per element, to make <form>s and <input>s special) costs about 4 % of
# an extraction and nothing here uses those classes.
# huge_tree: text nodes over 10 MB are kept whole, and nesting goes to 2,048 levels instead of
# 256 (deeper pages are flattened first, see `flatten.py`).
_PARSER = HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
    huge_tree=True,
)
_PARSER.set_element_class_lookup(ElementDefaultClassLookup(element=HtmlElement))

#: trafilatura's body and reader-comments elements.
_Parts = tuple[_Element | None, _Element | None]


@dataclass(frozen=True, slots=True)
class Extraction:
    """The article body in reading order, what was left out and why, and the page metadata."""

    blocks: tuple[Block, ...]
    removed: tuple[Removal, ...]
    metadata: HtmlMetadata
    #: How many characters of each of `blocks` sat inside links on the page.
    link_chars: tuple[int, ...] = ()
    #: For each of `removed`, the index of the last of `blocks` before it on the page (-1: none).
    anchors: tuple[int, ...] = ()


def extract_html(
    html: str,
    *,
    url: str | None,
    options: Options,
    rules: DomRules | None = None,
    utf8: bytes | None = None,
) -> Extraction:
    """Extract a page's article. No blocks is a valid answer; a parser failure raises
    `ExtractionError`, and nothing else is raised. `utf8`: the page's UTF-8 bytes (exactly
    `html.encode()`), if the caller has them: the parser reads those."""
    rules = rules if rules is not None else DomRules.load()
    try:
        return _extract(html, url, options, rules, utf8)
    except ExtractionError:
        raise
    except (LxmlError, RecursionError, MemoryError) as exc:
        raise ExtractionError(f"HTML parsing failed: {type(exc).__name__}: {exc}") from exc
    except Exception as exc:  # trafilatura has no exception tree of its own
        raise ExtractionError(f"HTML extraction failed: {type(exc).__name__}: {exc}") from exc


def _extract(html: str, url: str | None, options: Options, rules: DomRules, utf8: bytes | None) -> Extraction:
    tree = parse_html(html, utf8)
    if tree is None:
        return Extraction((), (), HtmlMetadata(url=url))
    metadata = extract_metadata(tree, url)
    # trafilatura's forum test walks the page's scripts; most pages cannot pass it
    forum = "DiscussionForumPosting" in html and _forum_thread_page(tree)
    body, comments = _trafilatura_parts(tree, url, options, forum=forum)
    units = page_units(tree)
    blocks, dropped = _article_blocks(tree, body, metadata.title, units)
    blocks, boxed = drop_boxes(units, blocks, rules)
    dropped += boxed
    blocks += body_blocks(comments)
    left_out, anchors, dropped_at = removed_in_order(
        tree, [b.text for b in blocks], rules, known=[r.text for r in dropped]
    )
    return Extraction(
        tuple(blocks),
        (*dropped, *left_out),
        metadata,
        link_chars(tree, units, blocks),
        (*dropped_at, *anchors),
    )


def _article_blocks(
    tree: HtmlElement, body: _Element | None, title: str | None, units: Units
) -> tuple[list[Block], list[Removal]]:
    """trafilatura's body as blocks, scoped, with its lost headings back, tidied."""
    blocks, scoped = body_blocks(body), list[Removal]()
    if is_loose(body):
        blocks, scoped = scope_blocks(tree, blocks)
    blocks = restore_lead(tree, restore_chunks(tree, blocks, units), units)
    blocks, dropped = _tidy(restore_headings(tree, blocks), title)
    return blocks, scoped + dropped


def parse_html(html: str, utf8: bytes | None = None) -> HtmlElement | None:
    """One lxml parse of the page, shared by every later step; None when there is no page.
    `utf8`: `html.encode()`, if the caller has it. Tags with thousands of attributes are cut
    down first (`attributes.py`)."""
    if not html or html.isspace():
        return None
    capped = cap_attributes(html)
    if len(capped) != len(html):
        html, utf8 = capped, None
    tree = _load(html, utf8)
    if tree is None:
        # like trafilatura, refuse what does not look like a page... but a bare fragment
        # ("<p>text</p>") is one once it has a wrapper.
        tree = _load(f"<html><body>{html}</body></html>")
    if tree is not None and tree.tag != "html":
        # lxml hands back a lone element for some inputs (an XML declaration before a
        # one-paragraph page); the extractor needs a page around it.
        page = Element("html")
        SubElement(page, "body").append(tree)
        tree = page
    return tree


def _load(html: str, utf8: bytes | None = None) -> HtmlElement | None:
    """trafilatura's `load_html` for a decoded page, with our parser: None if it is not a page.

    The page is parsed as UTF-8 bytes (`utf8`, or the str encoded): libxml2 reads those faster
    than a str, and the characters XML forbids are found in the bytes much faster than by
    trafilatura's regex over the str. A page that has any of them (rare) takes trafilatura's
    own way, unchanged."""
    beginning = html[:50].lower()
    data = utf8
    if data is None:
        try:
            data = html.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates
            data = None
    if data is None or _has_invalid_xml_chars(html, data):
        html = repair_faulty_html(html, beginning)
        tree = _parse(html)
        if tree is None or len(tree) < 1:
            # a str with an XML encoding declaration (lxml refuses it), or a parse gone wrong
            tree = _parse(html.encode("utf-8", "surrogatepass"))
    else:
        repaired = repair_page_start(html, beginning)
        tree = _parse(data if repaired is html else repaired.encode("utf-8"))
    if tree is None or (is_dubious_html(beginning) and len(tree) < 2):
        return None
    return tree


# trafilatura's INVALID_XML_CHARS: the C0 controls but tab, LF and CR, looked for in the
# UTF-8 bytes (where they are never part of a multi-byte sequence) with a table that maps
# each of them to 0 and every other byte to 1; and U+FFFE and U+FFFF, looked for in the str.
_C0_ZERO = bytes(0 if c < 0x20 and c not in (0x09, 0x0A, 0x0D) else 1 for c in range(256))


def _has_invalid_xml_chars(html: str, data: bytes) -> bool:
    return b"\0" in data.translate(_C0_ZERO) or "\ufffe" in html or "\uffff" in html


def repair_page_start(html: str, beginning: str) -> str:
    """`repair_faulty_html` for a page without characters XML forbids: a DOCTYPE that libxml2
    misreads, and a self-closing `<html/>` in the first lines. The same str when neither."""
    if "doctype" in beginning:
        firstline, newline, rest = html.partition("\n")
        fixed = DOCTYPE_TAG.sub("", firstline, count=1)
        if fixed != firstline or not newline:
            html = fixed + "\n" + rest
    for line in html[:4096].splitlines()[:4]:
        if "<html" in line and line.endswith("/>"):
            return FAULTY_HTML.sub(r"\1>", html, count=1)
    return html


def _parse(html: str | bytes) -> HtmlElement | None:
    try:
        tree: HtmlElement = fromstring(html, parser=_PARSER)
        if _too_deep(_PARSER):
            text = html.decode("utf-8", "surrogatepass") if isinstance(html, bytes) else html
            tree = fromstring(flatten_deep_html(text).encode("utf-8", "surrogatepass"), parser=_PARSER)
    except (LxmlError, ValueError):  # (a parse that runs out of memory: see cleaner.workers)
        return None
    return tree


def _too_deep(parser: HTMLParser) -> bool:
    """Whether the last parse stopped at libxml2's nesting limit (and lost the rest)."""
    return any("Excessive depth" in entry.message for entry in parser.error_log)


def _trafilatura_parts(tree: HtmlElement, url: str | None, options: Options, *, forum: bool) -> _Parts:
    """trafilatura's body and comments elements, from the precise run or the rescue."""
    fast_xpaths.new_page()
    precise = _run(tree, url, options, precision=True, fast=True)
    if _doubtful(precise[0]):
        precise = _run(tree, url, options, precision=True, fast=False)
    precise_len = _text_len(precise[0])
    if precise_len >= _STARVED_CHARS and not forum:
        return precise
    balanced = _run(tree, url, options, precision=False, fast=False)
    ratio = _FORUM_RATIO if forum else _RESCUE_RATIO
    if _text_len(balanced[0]) > ratio * max(precise_len, 1):
        return balanced
    return precise


def _doubtful(body: _Element | None) -> bool:
    """When trafilatura's own comparison with readability and jusText could change the
    result: its own text is short, has no paragraphs, or holds page furniture."""
    if body is None or _text_len(body) < _STARVED_CHARS:
        return True
    return not body.xpath(".//p//text()") or bool(body.xpath(SANITIZED_XPATH))


def _run(tree: HtmlElement, url: str | None, options: Options, *, precision: bool, fast: bool) -> _Parts:
    extractor = Extractor(
        output_format="xml",
        fast=fast,
        precision=precision,
        comments=options.include_comments,
        tables=options.include_tables,
        url=url,
    )
    document = bare_extraction(tree, url=url, options=extractor)
    if document is None:
        return None, None
    # bare_extraction is typed as returning a dict too, but not with as_dict left off.
    return document.body, document.commentsbody  # type: ignore[union-attr]


def _text_len(body: _Element | None) -> int:
    return 0 if body is None else sum(len(t.strip()) for t in body.itertext())


def _tidy(blocks: list[Block], title: str | None) -> tuple[list[Block], list[Removal]]:
    """Drop the title repeated at the top and date-only or credit lines at either end."""
    dropped: list[Removal] = []
    for i, block in enumerate(blocks[:_TITLE_SCAN_BLOCKS]):
        if title and _repeats_title(block, title, first=i == 0):
            dropped.append(Removal(block.text, Reason.PAGE_META, "extract:title-repeat"))
            blocks = blocks[:i] + blocks[i + 1 :]
            break
    while blocks and _DATE_ONLY.match(blocks[0].text):
        dropped.append(Removal(blocks[0].text, Reason.PAGE_META, "extract:leading-date"))
        blocks = blocks[1:]
    while blocks and _DATE_ONLY.match(blocks[-1].text):
        dropped.append(Removal(blocks[-1].text, Reason.PAGE_META, "extract:trailing-date"))
        blocks = blocks[:-1]
    return blocks, dropped


def _repeats_title(block: Block, title: str, *, first: bool) -> bool:
    """A heading (or a short first block) sharing most of its words with the page title.

    Headlines and `<title>`s often differ by a word or two ("Julian Assange: Sweden drops
    rape investigation" / "Sweden drops Assange rape investigation"), so the test is overlap.
    """
    words = _WORD.findall(block.text.casefold())
    if block.kind is not BlockKind.HEADING and not (first and len(words) <= _TITLE_MAX_WORDS):
        return False
    ours, theirs = set(words), set(_WORD.findall(title.casefold()))
    if not ours or not theirs:
        return False
    return len(ours & theirs) >= _TITLE_OVERLAP * max(len(ours), len(theirs))
