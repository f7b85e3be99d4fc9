"""Blocks from flattened page text: one block per non-empty line, its kind guessed."""

from __future__ import annotations

import re

from cleaner.record import Block, BlockKind

_BULLET = re.compile(r"^(?:[-•*▪◦·–]\s|\d{1,3}[.)]\s)")
_QUOTE = re.compile(r"^(?:>\s|[\"“„«].{20,}[\"”“»]$)")
_SENTENCE_END = re.compile(r"[.!?。！？:;,]$")


def guess_kind(line: str) -> BlockKind:
    if _BULLET.match(line):
        return BlockKind.LIST_ITEM
    if _QUOTE.match(line):
        return BlockKind.QUOTE
    words = line.split()
    if 1 <= len(words) <= 20 and not _SENTENCE_END.search(line) and line[0].isupper():
        return BlockKind.HEADING
    return BlockKind.PARAGRAPH


def blocks_from_text(text: str) -> list[Block]:
    """One block per non-empty line; the text is the line less surrounding whitespace."""
    blocks = []
    for raw in text.splitlines():
        line = raw.strip()
        if line:
            blocks.append(Block(line, guess_kind(line)))
    return blocks
