"""Site profiles: what a site's template looks like, learned across many of its pages.

A block that recurs on most pages of one site (a menu, a footer line, a teaser heading) is
template, not article. Learning a profile is a separate, explicit step over a set of pages;
cleaning a page only *reads* a profile, so the result stays a deterministic function of
(page, options, rules, profile).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

_SPACE = re.compile(r"\s+")


def block_key(text: str) -> str:
    """The form under which two blocks count as the same template block."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class SiteProfile:
    site: str
    template: frozenset[str] = field(default_factory=frozenset)

    def is_template(self, text: str) -> bool:
        return block_key(text) in self.template


def learn_profile(
    site: str, pages: Iterable[Iterable[str]], *, min_share: float = 0.6, min_pages: int = 3
) -> SiteProfile:
    """Blocks found on at least `min_share` of a site's pages (and on `min_pages` or more)."""
    counts: Counter[str] = Counter()
    n_pages = 0
    for blocks in pages:
        n_pages += 1
        counts.update({block_key(b) for b in blocks if b.strip()})
    if n_pages < min_pages:
        return SiteProfile(site)
    needed = max(min_pages, min_share * n_pages)
    return SiteProfile(site, frozenset(k for k, n in counts.items() if n >= needed))
