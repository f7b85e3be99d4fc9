"""Per-document quality signals, for filtering downstream (corpora, search indexes, RAG).

Each is a plain number computed from what the cleaner already has; none changes what is kept.

- `words`: words in the kept text (runs of non-space characters, as `wc -w` counts them).
- `removed_share`: the share of the page's text (characters, kept plus removed) that was
  removed. High on a page that is mostly chrome, or whose article was lost.
- `chrome_score`: the share of the kept text (characters) in blocks that look like leftover
  chrome rather than prose: short (four words or fewer) and with no sentence punctuation.
  High on menus and tag lists that got through; near zero on articles, whose few such blocks
  (section headings) are short.
- `repeated_lines`: the share of kept blocks whose text occurs more than once in the kept
  text. High on templated or scraped-twice pages.
- `language_probability`: langdetect's probability for the detected language (None when the
  text has no letters, or detection is off). Low on mixed-language or boilerplate text.
- `link_density`: the share of the kept text that sat inside links on the page (HTML inputs;
  None for text inputs, which have no links). High on link lists and teaser pages.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from cleaner.record import Block, Removal, Signals

_SENTENCE_PUNCTUATION = re.compile(r"[.!?…:;,。！？]")
_SHORT_WORDS = 4
# No block of four words or fewer is longer than this (the longest words run to ~40 letters).
_SHORT_CHARS = 200


def compute_signals(
    blocks: Sequence[Block],
    removed: Sequence[Removal],
    *,
    language_probability: float | None,
    link_chars: int | None,
) -> Signals:
    """The signals of a record whose kept blocks and removals are these. `link_chars`: how
    many of the kept characters sat inside links (None when unknown)."""
    kept_chars = sum(len(b.text) for b in blocks)
    removed_chars = sum(len(r.text) for r in removed)
    page_chars = kept_chars + removed_chars
    counts = Counter(b.text for b in blocks)
    return Signals(
        words=sum(len(b.text.split()) for b in blocks),
        removed_share=_round(removed_chars / page_chars) if page_chars else 0.0,
        chrome_score=_round(sum(len(b.text) for b in blocks if _looks_like_chrome(b)) / kept_chars)
        if kept_chars
        else 0.0,
        repeated_lines=_round(sum(1 for b in blocks if counts[b.text] > 1) / len(blocks)) if blocks else 0.0,
        language_probability=None if language_probability is None else _round(language_probability),
        link_density=None
        if link_chars is None
        else _round(min(link_chars / kept_chars, 1.0) if kept_chars else 0.0),
    )


def _looks_like_chrome(block: Block) -> bool:
    if len(block.text) > _SHORT_CHARS:  # cheaper than counting its words
        return False
    return len(block.text.split()) <= _SHORT_WORDS and not _SENTENCE_PUNCTUATION.search(block.text)


def _round(value: float) -> float:
    return round(value, 4)
