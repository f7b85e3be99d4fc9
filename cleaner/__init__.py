"""cleaner: strip site chrome from web pages, keep the article text and its metadata.

    from cleaner import clean_html, clean_text, Cleaner

    doc = clean_html(html, url="https://example.org/story")
    doc.status, doc.title, doc.text, doc.removed

`clean_html`, `clean_text` and `clean_bytes` keep the `Cleaner` they build for given options
(one per thread, see `cleaner.oneshot`), so calling them in a loop costs what a reused
`Cleaner` costs from the second call on.
"""

from __future__ import annotations

from cleaner import oneshot
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
from cleaner.pipeline import Cleaner
from cleaner.profile import SiteProfile, learn_profile
from cleaner.read import InputKind
from cleaner.record import Block, BlockKind, Document, ErrorInfo, Reason, Removal, Status

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
    return oneshot.default_cleaner(options).clean_html(html, url)


def clean_text(text: str, url: str | None = None, *, options: Options | None = None) -> Document:
    """Clean one page already flattened to text. Raises `CleanerError` on failure."""
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
    return oneshot.default_cleaner(options).clean_bytes(data, kind, url, charset=charset)
