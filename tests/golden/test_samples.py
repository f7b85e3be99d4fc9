"""Golden tests on samples/: must-keep and must-drop snippets, metadata, and the full text."""

from __future__ import annotations

from typing import Any

import pytest

from cleaner import Cleaner

from .goldens import SAMPLES, clean_sample, expectations, golden_path, golden_text

CASES = expectations()


def test_every_sample_has_expectations() -> None:
    samples = {
        p.relative_to(SAMPLES).as_posix()
        for p in SAMPLES.rglob("*")
        if p.is_file() and "jsonl" not in p.parts
    }
    assert samples == set(CASES)


@pytest.mark.parametrize("rel", sorted(CASES))
def test_sample_meets_its_expectations(cleaner: Cleaner, rel: str) -> None:
    want: dict[str, Any] = CASES[rel]
    doc = clean_sample(cleaner, rel)
    assert doc.status == want.get("status", "ok"), doc.error
    if "error_type" in want:
        assert doc.error is not None and doc.error.type == want["error_type"]
    for key in ("title", "author", "language"):
        if key in want:
            assert getattr(doc, key) == want[key], key
    for snippet in want.get("must_keep", []):
        assert snippet in doc.text, f"lost: {snippet!r}"
    for snippet in want.get("must_drop", []):
        assert snippet not in doc.text, f"kept: {snippet!r}"
    removed = {r.text for r in doc.removed}
    for snippet in want.get("must_drop", []):
        assert any(snippet in text for text in removed), f"removal not explained: {snippet!r}"


@pytest.mark.parametrize("rel", sorted(r for r in CASES if golden_path(r).exists()))
def test_sample_text_matches_golden(cleaner: Cleaner, rel: str) -> None:
    assert golden_text(clean_sample(cleaner, rel)) == golden_path(rel).read_text(encoding="utf-8")
