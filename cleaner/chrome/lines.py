"""What one line of a flattened page looks like: its length, its shape, its wording.

Each line gets a `Line` with the features the main-content search and the teaser detector
read, and a class in the spirit of jusText: prose (GOOD), chrome by rule or shape (CHROME),
a truncated teaser summary (TRUNCATED), or anything else short (SHORT).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from itertools import groupby

from cleaner.chrome.rules import ChromeRules, Rule, line_key
from cleaner.record import Reason

_WORD = re.compile(r"\w+")
# Scripts written without spaces between words: a line of them is one "word" long.
_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_SENTENCE_END = re.compile(r"[.!?。！？:;»\"”’)\]]$")
_TRUNCATED = re.compile(r"(?:\.\.\.|…)[\s\"”’)\]]*$")
# Menu items run together when a page is flattened: "HomeWorldCementing the...".
_GLUED = re.compile(r"(?<![\w/.@])[A-ZÀ-Þ][a-zà-ÿ]+[A-ZÀ-Þ][a-zà-ÿ]{2,}[A-ZÀ-Þ]")
_PIPE = re.compile(r"\s[|•·]\s")
# No rule looks at longer lines (120 words at most), so they skip the rule screen.
_SCREEN_CHARS = 3100
_EXACT_CHARS = 200
# A cut line this long (in words) reads as prose when it stands alone.
_LONE_CUT_MIN_WORDS = 15
_TITLE_PREFIX = re.compile(r"^(?:title|titel|titre|título|titolo)\s*:\s*(?=\S)", re.IGNORECASE)


class LineClass(StrEnum):
    GOOD = "good"
    SHORT = "short"
    CHROME = "chrome"
    TRUNCATED = "truncated"


@dataclass(frozen=True, slots=True)
class Verdict:
    """Why a line is chrome: a rule from rules.toml or a named structural signal."""

    rule: str
    reason: Reason
    boundary: bool = False
    inline: bool = False


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    words: int
    prose: bool
    heading_like: bool
    truncated: bool
    cls: LineClass
    verdict: Verdict | None
    # A whole sentence, however short: it ends like one and has a function word in it.
    sentence: bool = False


GLUED_MENU = Verdict("structure.glued-menu", Reason.NAV)
PIPE_LIST = Verdict("structure.pipe-list", Reason.NAV)


def title_prefix_end(text: str) -> int:
    """Where the headline starts in a "Title: ..." line, or 0 when it is not one."""
    m = _TITLE_PREFIX.match(text)
    return m.end() if m else 0


def first_rule(
    text: str,
    tokens: Sequence[str],
    rules: ChromeRules,
    mode: str,
    list_item: bool = False,
    words: set[str] | None = None,
) -> Verdict | None:
    """The first rule naming the line; in HTML mode a list item escapes rules with lists=false.

    `words` is the set of the line's case-folded words, when the caller has it already.
    """
    if len(text) > _SCREEN_CHARS:
        return None
    n_words = len(tokens)
    lists_only = list_item and mode == "html"
    # The line's lookup key, computed once; only short lines can be a whole-line phrase.
    key = line_key(text) if n_words <= rules.exact_max_words and len(text) <= _EXACT_CHARS else None
    rule = rules.exact(mode, key) if key is not None else None
    if rule is not None and n_words <= rule.max_words and (rule.lists or not lists_only):
        return _verdict(rule)
    # One match of the combined anchored rules names the rule that fits; when its length
    # cap rules it out, the others are tried one by one.
    rule = rules.anchored(mode, text) if len(text) <= rules.screen_max_chars else None
    if rule is not None:
        fits = n_words <= rule.max_words and len(text) <= rule.max_chars
        if fits and (rule.lists or not lists_only):
            return _verdict(rule)
        candidates = list(rules.for_mode(mode))
    elif n_words <= rules.floating_max_words:
        candidates = rules.triggered(mode, {t.casefold() for t in tokens} if words is None else words)
    else:
        return None
    for rule in candidates:
        if (rule.lists or not lists_only) and rule.matches(text, n_words, key):
            return _verdict(rule)
    return None


def _verdict(rule: Rule) -> Verdict:
    return Verdict(rule.name, rule.reason, rule.boundary, rule.inline)


def rule_verdict(text: str, rules: ChromeRules, mode: str, list_item: bool = False) -> Verdict | None:
    """The first rule that names this line as chrome, with no structural features."""
    return first_rule(text, _WORD.findall(text[:4000]), rules, mode, list_item)


def shape_verdict(text: str, n_words: int) -> Verdict | None:
    """Chrome recognised by shape alone, whatever the language."""
    if n_words <= 20 and _GLUED.search(text[:200]):
        return GLUED_MENU
    if n_words <= 30 and len(_PIPE.findall(text[:400])) >= 2:
        return PIPE_LIST
    return None


def describe(text: str, rules: ChromeRules, mode: str) -> Line:
    s = rules.structure
    head = text[:4000]
    tokens = _WORD.findall(head)
    n_words = len(tokens)
    # The line's words case-folded, once: rule triggers and function words are looked up here.
    words = set(map(str.casefold, tokens))
    verdict = first_rule(text, tokens, rules, mode, words=words)
    if verdict is None and mode == "text":
        verdict = shape_verdict(text, n_words)
    truncated = n_words >= 4 and _TRUNCATED.search(text[-12:]) is not None
    has_stops = not s.stopwords.isdisjoint(words)
    ends_sentence = _SENTENCE_END.search(text[-3:]) is not None
    long_enough = n_words >= s.good_min_words or len(_UNSPACED.findall(head)) >= s.good_min_chars
    prose = long_enough and not truncated and (ends_sentence or not _title_case(tokens))
    prose = prose and (has_stops or ends_sentence or _UNSPACED.search(head) is not None)
    cls = LineClass.CHROME if verdict is not None else _plain_class(truncated, prose)
    heading_like = 2 <= n_words <= 30 and not truncated and not text.endswith((".", ","))
    sentence = ends_sentence and has_stops and n_words >= s.sentence_min_words
    return Line(text, n_words, prose, heading_like, truncated, cls, verdict, sentence)


def _plain_class(truncated: bool, prose: bool) -> LineClass:
    if truncated:
        return LineClass.TRUNCATED
    return LineClass.GOOD if prose else LineClass.SHORT


def settle_tables(lines: Sequence[Line]) -> list[Line]:
    """Rows of a table, not menus: two or more lines in a row split by pipes into as many cells.

    A menu flattened with its separators is one line ("Home | News | Sport"); a table put
    into text (as the cleaner's own HTML output does) is a row per line with the same number
    of cells, header first.
    """
    out: list[Line] = []
    for cells, group in groupby(lines, key=_cells):
        rows = list(group)
        if cells and len(rows) > 1:
            rows = [
                replace(line, cls=_plain_class(line.truncated, line.prose), verdict=None) for line in rows
            ]
        out += rows
    return out


def _cells(line: Line) -> int:
    """How many cells a pipe-list line splits into (0 for any other line)."""
    return line.text.count("|") + 1 if line.verdict is PIPE_LIST and "|" in line.text else 0


def _title_case(tokens: Sequence[str]) -> bool:
    first = tokens[:60]
    return bool(first) and sum(1 for t in first if t[0].isupper()) >= 0.6 * len(first)


def settle_lone_cuts(lines: Sequence[Line], reach: int = 3) -> list[Line]:
    """A paragraph ending in "..." alone among prose is the writer's, not a teaser.

    Teaser boxes cut every summary the same way, so a cut line with no other cut line within
    `reach` lines either side is read as the prose it would be without its ellipsis.
    """
    cut = [i for i, line in enumerate(lines) if line.cls is LineClass.TRUNCATED]
    if not cut:
        return list(lines)
    out = list(lines)
    for n, i in enumerate(cut):
        near = (n > 0 and i - cut[n - 1] <= reach) or (n + 1 < len(cut) and cut[n + 1] - i <= reach)
        if not near and _prose_but_for_the_cut(lines[i]):
            out[i] = replace(lines[i], cls=LineClass.GOOD, prose=True)
    return out


def _prose_but_for_the_cut(line: Line) -> bool:
    return line.sentence and line.words >= _LONE_CUT_MIN_WORDS
