"""The chrome stage: split a page's blocks into the article and the removed chrome.

In text mode the page is everything a browser showed, flattened to lines, so the stage first
finds the article (body.py) and removes what lies outside it, then removes what rules and
shapes name as chrome inside it. In HTML mode the blocks are an extractor's output, already
mostly article, so only the rules marked `html = true` apply, and one structural signal: a
box of teasers cut off with "..." (teasers.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from cleaner.chrome.body import Span, find_article
from cleaner.chrome.lines import (
    Line,
    LineClass,
    Verdict,
    describe,
    rule_verdict,
    settle_lone_cuts,
    settle_tables,
    title_prefix_end,
)
from cleaner.chrome.rules import ChromeRules
from cleaner.chrome.sitename import mark_site_names
from cleaner.chrome.teasers import teaser_runs
from cleaner.profile import SiteProfile, block_key
from cleaner.record import Block, BlockKind, Reason, Removal

TEMPLATE = Verdict("profile.template", Reason.TEMPLATE)
OUTSIDE = Verdict("structure.outside-main", Reason.OUTSIDE_MAIN_CONTENT)
TRUNCATED = Verdict("structure.truncated-teaser", Reason.TEASER)
TEASER_RUN = Verdict("structure.teaser-run", Reason.TEASER)
REPEATED_HEADLINE = Verdict("structure.repeated-headline", Reason.DUPLICATE)
HEAD_META = Verdict("structure.head-meta", Reason.PAGE_META)


@dataclass(frozen=True)
class ChromeResult:
    kept: tuple[Block, ...]
    removed: tuple[Removal, ...]


def strip_chrome(
    blocks: Sequence[Block],
    rules: ChromeRules,
    *,
    mode: Literal["html", "text"],
    profile: SiteProfile | None = None,
) -> ChromeResult:
    """Keep the article's blocks; remove the rest, each with its reason and rule."""
    if mode not in ("html", "text"):
        raise ValueError(f"mode must be 'html' or 'text', not {mode!r}")
    if mode == "text":
        verdicts = _text_verdicts([describe(b.text, rules, mode) for b in blocks], rules)
    else:
        verdicts = _html_verdicts(blocks, rules)
    if profile is not None:
        verdicts = [
            TEMPLATE if profile.is_template(b.text) else v for b, v in zip(blocks, verdicts, strict=True)
        ]
    kept, removed = [], []
    for block, verdict in zip(blocks, verdicts, strict=True):
        if verdict is None:
            kept.append(block)
        else:
            removed.append(Removal(block.text, verdict.reason, verdict.rule))
    return ChromeResult(tuple(kept), tuple(removed))


def _html_verdicts(blocks: Sequence[Block], rules: ChromeRules) -> list[Verdict | None]:
    """Extractor output is already the article: wording rules apply, and of the structure
    only runs of cut-off teasers, which no single block gives away."""
    verdicts = [rule_verdict(b.text, rules, "html", b.kind is BlockKind.LIST_ITEM) for b in blocks]
    for i in teaser_runs([b.text for b in blocks], verdicts, rules.structure):
        verdicts[i] = TEASER_RUN
    return verdicts


def _text_verdicts(lines: Sequence[Line], rules: ChromeRules) -> list[Verdict | None]:
    lines = settle_tables(settle_lone_cuts(mark_site_names(lines, rules.structure.stopwords)))
    span = find_article(lines, rules.structure)
    if span is None:
        # No prose anywhere: a page of fragments. Only what rules name can go.
        return [line.verdict for line in lines]
    unframed = _unframed(lines, span)
    verdicts: list[Verdict | None] = [OUTSIDE] * len(lines)
    for i in range(span.start, span.end):
        verdicts[i] = _inside_verdict(lines[i])
    if not unframed:
        _mark_head_meta(lines, verdicts, span)
    _mark_teaser_runs(lines, verdicts, span, rules.structure.teaser_max_words)
    _mark_repeated_headline(lines, verdicts, span)
    # Outside the article, a rule's more specific reason beats "outside-main-content".
    for i, line in enumerate(lines):
        if verdicts[i] is OUTSIDE and line.verdict is not None:
            verdicts[i] = line.verdict
    if unframed:
        # no page around the article: what lies outside its densest run is its own, unless
        # a rule that holds for extraction output names it
        verdicts = [
            rule_verdict(line.text, rules, "html", True) if v is OUTSIDE else v
            for line, v in zip(lines, verdicts, strict=True)
        ]
    return verdicts


def _unframed(lines: Sequence[Line], span: Span) -> bool:
    """Whether the text around the article carries no page furniture at all.

    A flattened page has its menus, share bars and footers around the article, and rules
    name some of them; a page saved as text starts with its "Title: ..." line. Text with
    neither (an article already cleaned, a post pasted on its own) is all article: short
    closing lines, lists and table rows around its densest run included.
    """
    outside = (*lines[: span.start], *lines[span.end :])
    named = any(line.verdict is not None for line in outside)
    return not named and not any(title_prefix_end(line.text) for line in lines[: span.start + 1])


def _inside_verdict(line: Line) -> Verdict | None:
    if line.verdict is not None:
        return line.verdict
    if line.cls is LineClass.TRUNCATED:
        return TRUNCATED
    return None


def _mark_head_meta(lines: Sequence[Line], verdicts: list[Verdict | None], span: Span) -> None:
    """Between the headline and the body, lines of one or two words are the author's name,
    a role or a date, not the article."""
    if span.headline is None:
        return
    for i in range(span.headline + 1, span.body):
        if verdicts[i] is None and lines[i].words < 3:
            verdicts[i] = HEAD_META


def _mark_teaser_runs(
    lines: Sequence[Line], verdicts: list[Verdict | None], span: Span, max_words: int
) -> None:
    """After a teaser heading ("Most Popular", "Related"), headline-like lines are teasers.

    The run ends at the first line of prose: the article resuming after a box.
    """
    in_run = False
    for i in range(span.start, span.end):
        line = lines[i]
        verdict = line.verdict
        if verdict is not None and verdict.reason in (Reason.TEASER, Reason.RELATED):
            in_run = verdict.reason is Reason.TEASER or line.words <= 3
            continue
        if not in_run:
            continue
        if line.cls is LineClass.GOOD or line.words > max_words:
            in_run = False
        elif verdicts[i] is None:
            verdicts[i] = TEASER_RUN


def _mark_repeated_headline(lines: Sequence[Line], verdicts: list[Verdict | None], span: Span) -> None:
    if span.headline is None:
        return
    """The headline printed twice (above a photo, in a header bar): keep it once."""
    key = block_key(lines[span.headline].text)
    for i in range(max(0, span.start - 2), span.end):
        free = i != span.headline and verdicts[i] in (None, OUTSIDE)
        if free and block_key(lines[i].text) == key:
            verdicts[i] = REPEATED_HEADLINE
