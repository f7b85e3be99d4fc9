"""cleaner: strip site chrome from web pages, keep the article text and its metadata.

    from cleaner import clean_html, clean_text, Cleaner

    doc = clean_html(html, url="https://example.org/story")
    doc.status, doc.title, doc.text, doc.removed

`clean_html`, `clean_text` and `clean_bytes` keep the `Cleaner` they build for given options
(one per thread, see `cleaner.oneshot`), so calling them in a loop costs what a reused
`Cleaner` costs from the second call on.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from cleaner.errors import (
    CleanerError,
    DecodeError,
    ExtractionError,
    InputError,
    InputTooLarge,
    RulesError,
    UnsupportedInput,
)
from cleaner.options import Options, OutputFormat
from cleaner.read import InputKind
from cleaner.record import Block, BlockKind, Document, ErrorInfo, Reason, Removal, Status

if TYPE_CHECKING:
    from cleaner.pipeline import Cleaner
    from cleaner.profile import SiteProfile, learn_profile

# Imported on first use: they bring in trafilatura and lxml (about 0.6 s), which a process
# that only reads inputs and writes records (the parent of the worker processes) never needs.
_LAZY = {"Cleaner": "cleaner.pipeline", "SiteProfile": "cleaner.profile", "learn_profile": "cleaner.profile"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cleaner' has no attribute {name!r}")
    value = globals()[name] = getattr(importlib.import_module(module), name)
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "Block",
    "BlockKind",
    "Cleaner",
    "CleanerError",
    "DecodeError",
    "Document",
    "ErrorInfo",
    "ExtractionError",
    "InputError",
    "InputKind",
    "InputTooLarge",
    "Options",
    "OutputFormat",
    "Reason",
    "Removal",
    "RulesError",
    "SiteProfile",
    "Status",
    "UnsupportedInput",
    "clean_bytes",
    "clean_html",
    "clean_text",
    "learn_profile",
]


def clean_html(html: str, url: str | None = None, *, options: Options | None = None) -> Document:
    """Clean one HTML page. Raises `CleanerError` on failure."""
    from cleaner import oneshot

    return oneshot.default_cleaner(options).clean_html(html, url)


def clean_text(text: str, url: str | None = None, *, options: Options | None = None) -> Document:
    """Clean one page already flattened to text. Raises `CleanerError` on failure."""
    from cleaner import oneshot

    return oneshot.default_cleaner(options).clean_text(text, url)


def clean_bytes(
    data: bytes,
    kind: InputKind = InputKind.HTML,
    url: str | None = None,
    *,
    charset: str | None = None,
    options: Options | None = None,
) -> Document:
    """Decode raw page bytes as a browser would (BOM, `charset` as declared by HTTP, `<meta
    charset>`, detection) and clean them. Raises `CleanerError` on failure."""
    from cleaner import oneshot

    return oneshot.default_cleaner(options).clean_bytes(data, kind, url, charset=charset)
