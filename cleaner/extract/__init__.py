"""HTML extraction: article blocks, the blocks left out (with reasons) and page metadata."""

from __future__ import annotations

from cleaner.extract.html import Extraction, extract_html
from cleaner.extract.rules import DomRules

__all__ = ["DomRules", "Extraction", "extract_html"]
