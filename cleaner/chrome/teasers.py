"""Teaser boxes left in HTML extraction output: runs of summaries cut off with "...".

An extractor keeps a "Most read" box when its items look like paragraphs: a headline, then
the first words of the story, cut by the site's template and ended with "..." or "…". One
such paragraph proves nothing (an ellipsis can close a real quote or a writer's pause), so
only a run of two or more is a box, together with the items' headlines and the box's own
short heading right above it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cleaner.chrome.lines import Verdict
from cleaner.chrome.rules import Structure

# A template cuts mid-phrase and glues the mark to the last word ("de 21 heures à...",
# "além de…") or puts it in brackets ("[…]"); a writer's pause has a space before it
# ("The next big challenge is …"), and is left alone.
_CUT = re.compile(r"(?:\w(?:\.\.\.|…)|\[(?:\.\.\.|…)\])[\s\"”’»)\]]*$")
_CUT_MIN_WORDS = 4
# How a line that is a sentence, not a headline or a box heading, ends.
_SENTENCE_END = (".", ",", ";")


def teaser_runs(texts: Sequence[str], verdicts: Sequence[Verdict | None], s: Structure) -> list[int]:
    """Indices of the blocks that make up runs of cut-off teasers, not yet named by a rule."""
    cut = [_is_cut(t) for t in texts]
    if sum(cut) < 2:
        return []
    picked: list[int] = []
    for run in _runs(_members(texts, verdicts, cut, s.teaser_max_words), verdicts):
        if sum(cut[i] for i in run) < 2:
            continue
        above = run[0] - 1
        if above >= 0 and verdicts[above] is None and _short_heading(texts[above], s.box_heading_max_words):
            picked.append(above)
        picked += run
    return picked


def _is_cut(text: str) -> bool:
    return _CUT.search(text[-12:]) is not None and len(text.split()) >= _CUT_MIN_WORDS


def _members(
    texts: Sequence[str], verdicts: Sequence[Verdict | None], cut: Sequence[bool], max_words: int
) -> list[bool]:
    """Cut summaries, and short non-sentences right above one (ignoring removed blocks):
    the headline each summary sits under."""
    member = [False] * len(texts)
    below_is_cut = False
    for i in range(len(texts) - 1, -1, -1):
        if verdicts[i] is not None:
            continue
        member[i] = cut[i] or (below_is_cut and _short_heading(texts[i], max_words))
        below_is_cut = cut[i]
    return member


def _runs(member: Sequence[bool], verdicts: Sequence[Verdict | None]) -> list[list[int]]:
    """Members in runs. Blocks a rule already removes (an ad marker, a date line) sit inside
    a box without breaking it; any other block ends the run."""
    runs: list[list[int]] = []
    run: list[int] = []
    for i, is_member in enumerate(member):
        if is_member:
            run.append(i)
        elif verdicts[i] is None and run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    return runs


def _short_heading(text: str, max_words: int) -> bool:
    return not text.endswith(_SENTENCE_END) and len(text.split()) <= max_words
