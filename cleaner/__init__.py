"""cleaner: strip site chrome from web pages, keep the article text and its metadata.

    from cleaner import clean_html, clean_text, Cleaner

    doc = clean_html(html, url="https://example.org/story")
    doc.status, doc.title, doc.text, doc.removed

`clean_html` and `clean_text` build a default `Cleaner` each call; for many pages, build one
`Cleaner(Options(...))` and reuse it (it holds the compiled rules).
"""

from __future__ import annotations

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
    "InputTooLarge",
    "Options",
    "OutputFormat",
    "Reason",
    "Removal",
    "RulesError",
    "SiteProfile",
    "Status",
    "UnsupportedInput",
    "clean_html",
    "clean_text",
    "learn_profile",
]


def clean_html(html: str, url: str | None = None) -> Document:
    """Clean one HTML page with default options. Raises `CleanerError` on failure."""
    return Cleaner().clean_html(html, url)


def clean_text(text: str) -> Document:
    """Clean one page already flattened to text, with default options."""
    return Cleaner().clean_text(text)
