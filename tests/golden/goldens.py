"""Shared by the golden tests and scripts/update_goldens.py: how a sample becomes its golden."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from cleaner import Cleaner, Document
from cleaner.batch import clean_source
from cleaner.read import read_file

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
EXPECTED = Path(__file__).resolve().parent / "expected"


def expectations() -> dict[str, dict[str, Any]]:
    with (Path(__file__).resolve().parent / "expectations.toml").open("rb") as fh:
        return tomllib.load(fh)


def clean_sample(cleaner: Cleaner, rel: str) -> Document:
    return clean_source(cleaner, read_file(SAMPLES / rel, rel, cleaner.options.max_bytes))


def golden_path(rel: str) -> Path:
    return EXPECTED / (rel.replace("/", "__") + ".expected.txt")


def golden_text(doc: Document) -> str:
    """What a golden file holds: the metadata that matters, then the text."""
    head = [f"{k}: {getattr(doc, k)}" for k in ("status", "title", "author", "language")]
    return "\n".join(head) + "\n---\n" + doc.text + "\n"
