"""trafilatura's tree preparation without the two copies its fast precision mode never reads.

Before extracting, trafilatura copies the page tree, cleans the copy, and copies the cleaned
tree again as a "backup". In fast mode with precision focus and no comments (the cleaner's
first and usually only run), nothing reads the raw tree or the backup afterwards: the
comparison with other extractors (not fast), the baseline rescue (not precision), the recall
retry (balanced only) and forum comments (comments on) are all off. Those two copies cost
about 4 % of a page's cleaning; here they are skipped in exactly that mode and kept in every
other.

Like `fast_xpaths`, this is installed only if trafilatura's code is the code it was written
for (a digest of the functions involved), and a test checks that extractions are identical
with and without it on every benchmark and sample page.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable
from typing import Any

from lxml.html import HtmlElement
from trafilatura import core
from trafilatura.htmlprocessing import convert_tags, tree_cleaning
from trafilatura.settings import Extractor

#: sha256 of the source of the functions whose reading of the trees this relies on
EXPECTED = "f193d16fe4765762"
ORIGINAL: Callable[[HtmlElement, Extractor, str | None], tuple[HtmlElement, HtmlElement]] = core._prepare_tree


def digest() -> str:
    parts = (ORIGINAL, core._extract_and_compare, core.trafilatura_sequence)
    source = "".join(inspect.getsource(f) for f in parts)
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def prepare_tree(tree: HtmlElement, options: Extractor, url: str | None) -> tuple[HtmlElement, Any]:
    """`core._prepare_tree`, cleaning the tree in place when nothing reads it or a backup later."""
    if options.fast and options.focus == "precision" and not options.comments:
        cleaned = convert_tags(tree_cleaning(tree, options), options, url)
        return cleaned, cleaned  # the "backup" is never read in this mode
    return ORIGINAL(tree, options, url)


def install() -> bool:
    """Replace trafilatura's `_prepare_tree`, if its code is the one this was written for."""
    try:
        matches = digest() == EXPECTED
    except (OSError, TypeError):  # no source to check (a frozen install): leave it alone
        return False
    if matches:
        core._prepare_tree = prepare_tree
    return matches
