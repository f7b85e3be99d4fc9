"""What one line of a flattened page looks like: its length, its shape, its wording.

Each line gets a `Line` with the features the main-content search and the teaser detector
read, and a class in the spirit of jusText: prose (GOOD), chrome by rule or shape (CHROME),
a truncated teaser summary (TRUNCATED), or anything else short (SHORT).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from cleaner.chrome.rules import ChromeRules
from cleaner.record import Reason

_WORD = re.compile(r"\w+")
# Scripts written without spaces between words: a line of them is one "word" long.
_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_SENTENCE_END = re.compile(r"[.!?。！？:;»\"”’)\]]$")
_TRUNCATED = re.compile(r"(?:\.\.\.|…)[\s\"”’)\]]*$")
# Menu items run together when a page is flattened: "HomeWorldCementing the...".
_GLUED = re.compile(r"(?<![\w/.])[A-ZÀ-Þ][a-zà-ÿ]+[A-ZÀ-Þ][a-zà-ÿ]+[A-ZÀ-Þ]")
_PIPE = re.compile(r"\s[|•·]\s")
# No rule looks at longer lines (120 words at most), so they skip the rule screen.
_SCREEN_CHARS = 3100
_EXACT_CHARS = 200
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


GLUED_MENU = Verdict("structure.glued-menu", Reason.NAV)
PIPE_LIST = Verdict("structure.pipe-list", Reason.NAV)


def title_prefix_end(text: str) -> int:
    """Where the headline starts in a "Title: ..." line, or 0 when it is not one."""
    m = _TITLE_PREFIX.match(text)
    return m.end() if m else 0


def first_rule(text: str, tokens: Sequence[str], rules: ChromeRules, mode: str) -> Verdict | None:
    if len(text) > _SCREEN_CHARS:
        return None
    n_words = len(tokens)
    # One match of the combined anchored rules names the rule that fits; when its length
    # cap rules it out, the others are tried one by one.
    rule = rules.exact(mode, text) if len(text) <= _EXACT_CHARS else None
    if rule is not None and n_words <= rule.max_words:
        return Verdict(rule.name, rule.reason, rule.boundary, rule.inline)
    hit = rules.screen(mode).match(text)
    if hit is not None and hit.lastgroup is not None:
        rule = rules.for_mode(mode)[int(hit.lastgroup[1:])]
        if n_words <= rule.max_words and len(text) <= rule.max_chars:
            return Verdict(rule.name, rule.reason, rule.boundary, rule.inline)
        candidates = list(rules.for_mode(mode))
    else:
        candidates = rules.triggered(mode, {t.casefold() for t in tokens})
    for rule in candidates:
        if rule.matches(text, n_words):
            return Verdict(rule.name, rule.reason, rule.boundary, rule.inline)
    return None


def rule_verdict(text: str, rules: ChromeRules, mode: str) -> Verdict | None:
    """The first rule that names this line as chrome, with no structural features."""
    return first_rule(text, _WORD.findall(text[:4000]), rules, mode)


def shape_verdict(text: str, n_words: int) -> Verdict | None:
    """Chrome recognised by shape alone, whatever the language."""
    if n_words <= 20 and _GLUED.search(text[:200]):
        return GLUED_MENU
    if n_words <= 30 and len(_PIPE.findall(text[:400])) >= 2:
        return PIPE_LIST
    return None


def describe(text: str, rules: ChromeRules, mode: str) -> Line:
    structure = rules.structure
    tokens = _WORD.findall(text[:4000])
    n_words = len(tokens)
    unspaced = len(_UNSPACED.findall(text[:4000]))
    verdict = first_rule(text, tokens, rules, mode)
    if verdict is None and mode == "text":
        verdict = shape_verdict(text, n_words)
    truncated = n_words >= 4 and _TRUNCATED.search(text[-12:]) is not None
    capitalised = sum(1 for t in tokens[:60] if t[0].isupper())
    title_case = n_words > 0 and capitalised / min(n_words, 60) >= 0.6
    stops = sum(1 for t in tokens[:60] if t.casefold() in structure.stopwords)
    ends_sentence = _SENTENCE_END.search(text[-3:]) is not None
    long_enough = n_words >= structure.good_min_words or unspaced >= structure.good_min_chars
    prose = long_enough and not truncated and (ends_sentence or not title_case)
    prose = prose and (stops > 0 or unspaced > 0 or ends_sentence)
    if verdict is not None:
        cls = LineClass.CHROME
    elif truncated:
        cls = LineClass.TRUNCATED
    elif prose:
        cls = LineClass.GOOD
    else:
        cls = LineClass.SHORT
    heading_like = 2 <= n_words <= 30 and not truncated and not text.endswith((".", ","))
    return Line(text, n_words, prose, heading_like, truncated, cls, verdict)
