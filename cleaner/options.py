"""Options: one frozen dataclass, passed explicitly. Defaults < config file < CLI flags."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from enum import StrEnum
from pathlib import Path
from typing import Any


class OutputFormat(StrEnum):
    JSONL = "jsonl"
    TEXT = "text"
    MARKDOWN = "markdown"


#: Options that say how a run goes, not what its records say: a resumed run (or a Ray re-run)
#: may change them and still count earlier records as done.
RUN_SETTINGS = frozenset({"workers", "timeout", "max_worker_memory"})


@dataclass(frozen=True, slots=True)
class Options:
    """How to clean. Every field has a sane default; see `cleaner clean --help`."""

    #: Run the text-level chrome stage on HTML extraction output too (it always runs on text).
    strip_chrome: bool = True
    #: Keep the blocks trafilatura marks as comments (reader comments below an article).
    include_comments: bool = False
    #: Keep tables found in the article body.
    include_tables: bool = True
    #: Detect the language of the cleaned text (ISO 639-1).
    detect_language: bool = True
    #: Inputs larger than this (bytes, after gunzip) are refused with a `too_large` error.
    max_bytes: int = 20_000_000
    #: A chrome rules file to use instead of the packaged one.
    rules_path: Path | None = None
    #: Per-site CSS selector rules (see `cleaner.site_rules`); none by default.
    site_rules_path: Path | None = None
    #: Worker processes for batch runs (`cleaner clean`); None: one per CPU core.
    workers: int | None = None
    #: Wall-clock seconds a page may take in a batch run before its worker is stopped and the
    #: page gets a `timeout` record.
    timeout: float = 10.0
    #: Address-space ceiling of each worker process, in bytes (a page that hits it gets a
    #: `too_large` record); None: no ceiling.
    max_worker_memory: int | None = 4 * 1024**3

    def merged(self, overrides: dict[str, Any]) -> Options:
        """A copy with the given fields replaced; unknown names raise `TypeError`."""
        known = {f.name for f in fields(self)}
        unknown = set(overrides) - known
        if unknown:
            raise TypeError(f"unknown option(s): {', '.join(sorted(unknown))}")
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})
