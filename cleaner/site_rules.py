"""Per-site rules: CSS selectors whose elements are chrome on one site, removed before extraction.

A site rules file (TOML) maps host names to selectors, grouped by removal reason:

    [sites."news.example"]
    ad = [".inline-promo", "div[data-slot]"]
    related = ["section.more-from-us"]

A rule for a host also covers its subdomains ("www.news.example"). Rules are applied with
BeautifulSoup's CSS selectors, and only to pages whose URL's host has rules, so every other
page pays nothing for them (and a run without site rules never imports BeautifulSoup). Each
removed element becomes one `Removal` with the rule `site:<host>:<selector>`.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from cleaner.errors import RulesError
from cleaner.record import Reason, Removal

Selectors = tuple[tuple[Reason, str], ...]


@dataclass(frozen=True, slots=True)
class SiteRules:
    sites: dict[str, Selectors] = field(default_factory=dict)
    digest: str = "none"

    @classmethod
    def load(cls, path: Path | None) -> SiteRules:
        """Rules from a TOML file; `None` means no site rules. A bad file raises RulesError."""
        if path is None:
            return cls()
        try:
            data = path.read_bytes()
            table = tomllib.loads(data.decode("utf-8")).get("sites", {})
            sites = {host.lower(): _selectors(host, groups) for host, groups in table.items()}
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, AttributeError) as exc:
            raise RulesError(f"cannot read site rules {path}: {exc}") from exc
        return cls(sites, hashlib.sha256(data).hexdigest()[:16])

    def for_url(self, url: str | None) -> tuple[str, Selectors] | None:
        """The host and selectors that apply to `url`, if any."""
        host = (urlsplit(url).hostname or "") if url else ""
        while host:
            if host in self.sites:
                return host, self.sites[host]
            host = host.partition(".")[2]
        return None

    def apply(self, html: str, url: str | None) -> tuple[str, list[Removal]]:
        """The page without the elements its site's selectors match, and what went."""
        match = self.for_url(url)
        if match is None:
            return html, []
        from bs4 import BeautifulSoup

        host, selectors = match
        soup = BeautifulSoup(html, "lxml")
        removed: list[Removal] = []
        for reason, selector in selectors:
            for element in soup.select(selector):
                if element.decomposed:  # inside an element an earlier selector removed
                    continue
                text = element.get_text(" ", strip=True)
                if text:
                    removed.append(Removal(text, reason, f"site:{host}:{selector}"))
                element.decompose()
        return (str(soup), removed) if removed else (html, removed)


def _selectors(host: str, groups: dict[str, list[str]]) -> Selectors:
    from soupsieve import SelectorSyntaxError
    from soupsieve import compile as compile_selector

    out = []
    for reason_name, selectors in groups.items():
        try:
            reason = Reason(reason_name)
        except ValueError as exc:
            raise RulesError(f"site {host!r}: unknown reason {reason_name!r}") from exc
        for selector in selectors:
            try:
                compile_selector(selector)
            except SelectorSyntaxError as exc:
                raise RulesError(f"site {host!r}: bad selector {selector!r}: {exc}") from exc
            out.append((reason, selector))
    return tuple(out)
