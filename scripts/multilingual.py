"""The multilingual set's metrics (../shared/benchmarks/README.md) and its text form.

Body: per page, each `with` segment found in the output (whitespace collapsed on both sides)
is a true positive, else a false negative; each `without` segment found is a false positive.
Sums over all pages give precision, recall and F = 2TP / (2TP + FP + FN).

Metadata: a field is right when it equals the gold after NFKC, case folding, collapsed spaces
and punctuation trimmed at the edges; authors compare as sets of names, dates as the day.

Text form: the page's visible text, one block per line (headings, paragraphs, list items,
table cells, links in menus...), the `<title>` first, as `zyte-text/` was made. It is built
from the HTML here, so the text task needs no second copy of the data.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml.html import HtmlElement, document_fromstring

from cleaner.decode import decode_bytes

_SPACE = re.compile(r"\s+")
_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")
_NAME_SPLIT = re.compile(r"\s*(?:;|,|&|\band\b|\bund\b)\s*", re.I)


@dataclass(frozen=True)
class Page:
    id: str
    url: str | None
    data: bytes
    gold: dict[str, object]


def load(shared: Path, limit: int | None = None) -> list[Page]:
    folder = shared / "benchmarks" / "multilingual"
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(gold)[:limit]:
        data = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        pages.append(Page(key, gold[key].get("url"), data, gold[key]))
    return pages


def collapse(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


@dataclass
class BodyScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    # per page: (id, missed `with` segments, found `without` segments), for failure analysis
    misses: list[tuple[str, list[str], list[str]]] = field(default_factory=list)

    def add(self, page: Page, output: str) -> None:
        out = collapse(output)
        found = [collapse(s) in out for s in page.gold["with"]]  # type: ignore[union-attr]
        leaked = [s for s in page.gold["without"] if collapse(s) in out]  # type: ignore[union-attr]
        self.tp += sum(found)
        self.fn += len(found) - sum(found)
        self.fp += len(leaked)
        missed = [s for s, ok in zip(page.gold["with"], found, strict=True) if not ok]  # type: ignore[arg-type]
        if missed or leaked:
            self.misses.append((page.id, missed, leaked))

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f(self) -> float:
        total = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / total if total else 0.0


def normalise(value: str) -> str:
    text = _SPACE.sub(" ", unicodedata.normalize("NFKC", value).casefold()).strip()
    return _EDGE_PUNCT.sub("", text)


def names(value: str) -> frozenset[str]:
    return frozenset(n for part in _NAME_SPLIT.split(value) if (n := normalise(part)))


def field_right(name: str, gold: str, got: str | None) -> bool:
    if not got:
        return False
    if name == "author":
        return names(gold) == names(got)
    if name == "date":
        return got.strip()[:10] == gold[:10]
    return normalise(gold) == normalise(got)


METADATA_FIELDS = ("title", "author", "date")


@dataclass
class MetaScore:
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(METADATA_FIELDS, 0))
    total: dict[str, int] = field(default_factory=lambda: dict.fromkeys(METADATA_FIELDS, 0))
    wrong: dict[str, list[tuple[str, str, str | None]]] = field(
        default_factory=lambda: {f: [] for f in METADATA_FIELDS}
    )

    def add(self, page: Page, got: dict[str, str | None]) -> None:
        for name in METADATA_FIELDS:
            gold = page.gold.get(name)
            if not isinstance(gold, str):
                continue
            self.total[name] += 1
            if field_right(name, gold, got.get(name)):
                self.right[name] += 1
            else:
                self.wrong[name].append((page.id, gold, got.get(name)))

    def share(self, name: str) -> float:
        return self.right[name] / self.total[name] if self.total[name] else 0.0


# The text form ------------------------------------------------------------------------------

_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe", "object", "select"})
_BLOCK = frozenset(
    {"address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt",
     "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
     "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
     "td", "th", "tr", "ul", "body", "html", "caption", "option", "button", "label"}
)  # fmt: skip


def page_text(data: bytes) -> str:
    """The page's visible text, one block per line, with its `<title>` first."""
    html = decode_bytes(data)
    try:
        tree = document_fromstring(html.encode("utf-8"))
    except Exception:
        return ""
    lines: list[str] = []
    title = tree.findtext(".//title")
    if title and title.strip():
        lines.append(collapse(title))
    body = tree.find("body")
    current: list[str] = []
    for piece in _walk(body if body is not None else tree):
        if piece is None:
            line = collapse("".join(current))
            if line:
                lines.append(line)
            current = []
        else:
            current.append(piece)
    if line := collapse("".join(current)):
        lines.append(line)
    return "\n".join(lines) + "\n"


def _walk(element: HtmlElement) -> Iterator[str | None]:
    """Text pieces in document order, None at every block boundary."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _SKIP:
        return
    block = tag in _BLOCK
    if block:
        yield None
    if element.text and tag:
        yield element.text
    for child in element:
        if isinstance(child.tag, str):
            yield from _walk(child)
        if child.tail:
            yield child.tail
    if block:
        yield None


def text_form(pages: list[Page], cache: Path) -> dict[str, str]:
    """The text form of every page, kept in `cache` (built once; delete it to rebuild)."""
    cache.mkdir(parents=True, exist_ok=True)
    texts = {}
    for page in pages:
        path = cache / f"{page.id}.txt"
        if not path.exists():
            path.write_text(page_text(page.data), encoding="utf-8")
        texts[page.id] = path.read_text(encoding="utf-8")
    return texts
