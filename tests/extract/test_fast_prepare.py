"""Skipping trafilatura's unread tree copies changes no extraction, in any mode we run."""

from __future__ import annotations

import gzip
from collections.abc import Iterator

import pytest
from lxml.etree import tostring
from lxml.html import HtmlElement
from trafilatura import core
from trafilatura.core import bare_extraction
from trafilatura.settings import Extractor

from cleaner.extract import fast_prepare
from cleaner.extract.html import parse_html
from tests.conftest import SAMPLES, SHARED

ZYTE = SHARED / "benchmarks" / "zyte" / "html"
MODES = [
    {"precision": True, "fast": True},  # the mode the copies are skipped in
    {"precision": True, "fast": False},
    {"precision": False, "fast": False},
    {"precision": True, "fast": True, "comments": True},
]


def _trees() -> Iterator[HtmlElement]:
    for path in [*sorted(ZYTE.glob("*.html.gz")), *sorted(SAMPLES.rglob("*.htm*"))]:
        data = path.read_bytes()
        data = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
        tree = parse_html(data.decode("utf-8", "replace"))
        if tree is not None:
            yield tree


def _extract(tree: HtmlElement, mode: dict[str, bool]) -> bytes:
    document = bare_extraction(tree, options=Extractor(output_format="xml", **mode))
    if document is None:
        return b""
    return tostring(document.body) + tostring(document.commentsbody)  # type: ignore[union-attr]


def test_it_is_installed() -> None:
    assert fast_prepare.digest() == fast_prepare.EXPECTED, "trafilatura changed: review fast_prepare"
    assert core._prepare_tree is fast_prepare.prepare_tree


@pytest.mark.skipif(not ZYTE.is_dir(), reason="needs ../shared/benchmarks")
def test_extractions_are_the_same_without_it(monkeypatch: pytest.MonkeyPatch) -> None:
    trees = list(_trees())
    assert len(trees) > 181
    ours = [[_extract(tree, mode) for mode in MODES] for tree in trees]
    monkeypatch.setattr(core, "_prepare_tree", fast_prepare.ORIGINAL)
    theirs = [[_extract(tree, mode) for mode in MODES] for tree in trees]
    assert ours == theirs
    assert sum(bool(out[0]) for out in ours) > 170  # real extractions were compared


def test_the_callers_tree_is_left_alone() -> None:
    tree = parse_html(
        "<html><body><nav>Menu</nav><article><p>" + "Words here. " * 60 + "</p></article></body></html>"
    )
    assert tree is not None
    before = tostring(tree)
    _extract(tree, MODES[0])
    assert tostring(tree) == before
