"""The cleaning pipeline: decoded page in, `Document` out.

    HTML:  site rules (if any) -> extract (trafilatura + DOM rules) -> chrome stage -> language
    text:  lines -> chrome stage -> text metadata -> language

`Cleaner` holds the compiled rules and options, so build one and reuse it. Its `clean_*`
methods raise `CleanerError` on failure (a library call should not hide errors); the batch
runner in `cleaner.batch` is what turns failures into `error` records.
"""

from __future__ import annotations

from collections.abc import Sequence

from cleaner.chrome import ChromeRules, blocks_from_text, strip_chrome
from cleaner.decode import decode_page
from cleaner.errors import InputTooLarge
from cleaner.extract import DomRules, extract_html
from cleaner.language import LanguageDetector
from cleaner.metadata.text import text_metadata
from cleaner.options import Options
from cleaner.order import page_order
from cleaner.profile import SiteProfile
from cleaner.read import InputKind
from cleaner.record import Block, Document, Removal, Status
from cleaner.rulesets import combined_digest
from cleaner.signals import compute_signals
from cleaner.site_rules import SiteRules

_SEPARATOR = "\n\n"


def join_blocks(blocks: Sequence[Block]) -> str:
    return _SEPARATOR.join(b.text for b in blocks)


class Cleaner:
    """A reusable cleaner: compiled rules, options, and a seeded language detector."""

    def __init__(self, options: Options | None = None) -> None:
        self.options = options or Options()
        self.chrome_rules = ChromeRules.load(self.options.rules_path)
        self.dom_rules = DomRules.load()
        self.site_rules = SiteRules.load(self.options.site_rules_path)
        self.rules_digest = combined_digest(
            self.chrome_rules.digest, self.dom_rules.digest, self.site_rules.digest
        )
        self._language = LanguageDetector() if self.options.detect_language else None

    def clean_html(
        self,
        html: str,
        url: str | None = None,
        *,
        id: str = "-",
        source: str = "html",
        profile: SiteProfile | None = None,
    ) -> Document:
        return self._clean_html(html, url, id=id, source=source, profile=profile)

    def _clean_html(
        self,
        html: str,
        url: str | None,
        *,
        id: str,
        source: str,
        profile: SiteProfile | None = None,
        utf8: bytes | None = None,
    ) -> Document:
        """`clean_html`; `utf8`: the page's UTF-8 bytes, if the caller has them."""
        self._check_size(html)
        html, site_removed = self.site_rules.apply(html, url)
        if site_removed:  # the page changed
            utf8 = None
        extraction = extract_html(html, url=url, options=self.options, rules=self.dom_rules, utf8=utf8)
        blocks, removed = list(extraction.blocks), site_removed + list(extraction.removed)
        linked = dict(zip((b.text for b in blocks), extraction.link_chars, strict=False))
        if self.options.strip_chrome:
            chrome = strip_chrome(blocks, self.chrome_rules, mode="html", profile=profile)
            blocks, removed = list(chrome.kept), removed + list(chrome.removed)
        order = page_order(extraction.blocks, blocks, extraction.anchors, first=len(site_removed))
        links = sum(linked.get(b.text, 0) for b in blocks)
        meta = extraction.metadata
        fields = {
            "url": url or meta.url,
            "title": meta.title,
            "author": meta.author,
            "date": meta.date,
            "sitename": meta.sitename,
            "description": meta.description,
        }
        return self._document(id, source, blocks, removed, fields, meta.sources, links=links, order=order)

    def clean_text(
        self,
        text: str,
        url: str | None = None,
        *,
        id: str = "-",
        source: str = "text",
        profile: SiteProfile | None = None,
    ) -> Document:
        self._check_size(text)
        lines = blocks_from_text(text)
        chrome = strip_chrome(lines, self.chrome_rules, mode="text", profile=profile)
        meta = text_metadata(chrome.kept, chrome.removed, url, lines)
        fields = {"url": url, "title": meta.title, "author": meta.author, "date": meta.date}
        order = page_order(lines, chrome.kept)
        return self._document(
            id, source, list(chrome.kept), list(chrome.removed), fields, meta.sources, links=None, order=order
        )

    def clean_bytes(
        self,
        data: bytes,
        kind: InputKind,
        url: str | None = None,
        *,
        id: str = "-",
        source: str = "-",
        charset: str | None = None,
    ) -> Document:
        """Decode like a browser (BOM, `charset` as declared by HTTP, `<meta charset>`,
        detection) and clean raw page bytes."""
        self._check_size(data)
        text, utf8 = decode_page(data, declared=charset, html=kind is InputKind.HTML)
        if kind is InputKind.HTML:
            return self._clean_html(text, url, id=id, source=source, utf8=utf8)
        return self.clean_text(text, url, id=id, source=source)

    def _check_size(self, data: str | bytes) -> None:
        if len(data) > self.options.max_bytes:
            raise InputTooLarge(f"input of {len(data)} bytes is over the {self.options.max_bytes} limit")

    def _document(
        self,
        id: str,
        source: str,
        blocks: list[Block],
        removed: list[Removal],
        meta: dict[str, str | None],
        sources: tuple[tuple[str, str], ...] = (),
        *,
        links: int | None,
        order: tuple[int, ...] = (),
    ) -> Document:
        """The record; `links`: how many kept characters sat inside links (None: unknown)."""
        text = join_blocks(blocks)
        language, probability = (
            self._language.detect_with_probability(text) if self._language and text else (None, None)
        )
        signals = compute_signals(blocks, removed, language_probability=probability, link_chars=links)
        return Document(
            id=id,
            source=source,
            status=Status.OK if text.strip() else Status.EMPTY,
            language=language,
            text=text,
            blocks=tuple(blocks),
            removed=tuple(removed),
            rules_digest=self.rules_digest,
            url=meta.get("url"),
            title=meta.get("title"),
            author=meta.get("author"),
            date=meta.get("date"),
            sitename=meta.get("sitename"),
            description=meta.get("description"),
            signals=signals,
            meta_sources=sources,
            order=order,
        )
