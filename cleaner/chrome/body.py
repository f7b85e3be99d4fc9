"""Where the article sits in a flattened page: the densest run of prose, plus its headline.

Prose lines score their length, every other line costs a little and chrome costs more; the
article is the run of lines with the highest total (a maximum-sum subarray). Navigation,
teaser boxes and footers are long runs of short or chrome lines, so the run stops where
they begin. The headline sits just above the run, behind a byline, a date, a share bar: it
is found by walking up over such lines.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Sequence
from dataclasses import dataclass

from cleaner.chrome.lines import Line, LineClass, title_prefix_end
from cleaner.chrome.rules import Structure
from cleaner.metadata.title import strip_site_suffix
from cleaner.profile import block_key
from cleaner.record import Reason

_WORD = re.compile(r"\w+")
_CLAUSE_END = (".", ":", "!", "?")
_COMMENTS_AFTER_CHARS = 100
# Chrome that sits between an article's lead and its body (byline, date, photo credit, share
# bar): growing the run upwards steps over it, at its cost.
_HEAD_CHROME = frozenset({Reason.PAGE_META, Reason.BYLINE})


@dataclass(frozen=True, slots=True)
class Span:
    """Lines [start, end) are the article; `headline` is the index of its headline, if any,
    and `body` the first line of the prose run below it."""

    start: int
    end: int
    headline: int | None = None
    body: int = 0


def weight(line: Line, s: Structure) -> int:
    if line.cls is LineClass.GOOD:
        return min(len(line.text), s.good_weight_cap)
    if line.cls is LineClass.TRUNCATED:
        return -s.truncated_cost
    if line.cls is LineClass.CHROME:
        assert line.verdict is not None
        if line.verdict.boundary:
            return -s.boundary_cost
        # Ad markers and "Read more:" links sit between an article's paragraphs.
        return -s.short_cost if line.verdict.inline else -s.chrome_cost
    # A short whole sentence is more likely the article's than a menu item of a word or two.
    if line.sentence:
        return -s.sentence_cost
    if line.words <= s.menu_max_words and not line.text.endswith(_CLAUSE_END):
        return -s.menu_cost
    return -s.short_cost


def densest_run(weights: Sequence[int], lo: int, hi: int) -> tuple[int, int, int] | None:
    """The maximum-sum run (start, end, sum) of weights[lo:hi] (Kadane), or None."""
    best, best_run = 0, None
    total, start = 0, lo
    for i in range(lo, hi):
        if total <= 0:
            total, start = 0, i
        total += weights[i]
        if total > best:
            best, best_run = total, (start, i + 1, total)
    return best_run


def candidate_runs(weights: Sequence[int], limit: int = 64) -> list[tuple[int, int, int]]:
    """The densest run, then the densest runs left and right of it, and so on, best first.

    The search always splits the stretch whose run is densest, on either side, so that a
    short article high on the page (where the title bonus would pick it) is not crowded out
    by a long tail of small runs below it.
    """
    runs: list[tuple[int, int, int]] = []
    todo: list[tuple[int, int, int, int, int]] = []

    def push(lo: int, hi: int) -> None:
        run = densest_run(weights, lo, hi)
        if run is not None:
            heapq.heappush(todo, (-run[2], run[0], run[1], lo, hi))

    push(0, len(weights))
    while todo and len(runs) < limit:
        neg, start, end, lo, hi = heapq.heappop(todo)
        runs.append((start, end, -neg))
        push(lo, start)
        push(end, hi)
    return runs


def find_article(lines: Sequence[Line], s: Structure) -> Span | None:
    """The run of prose most likely to be the article, extended up to its headline.

    A run whose top sits just below a repeat of the page's title wins a bonus: on a page
    with a long comment thread or teaser box, that is what tells the article apart.
    """
    weights = [weight(line, s) for line in lines]
    title_words = _page_title(lines)
    titled = [i for i in range(1, len(lines)) if _names_page(lines[i], title_words)]
    limit = _comments_start(lines, titled)
    runs = candidate_runs(weights[:limit])
    if not runs:
        return None

    def score(run: tuple[int, int, int]) -> int:
        start = run[0]
        near = any(start - s.headline_window <= i <= start for i in titled)
        return run[2] + (s.title_bonus if near else 0)

    start, end, _ = max(runs, key=score)
    start, end = _extend(lines, s, start, end, limit)
    head_start, headline = _walk_to_headline(lines, start, s)
    return Span(head_start, _closing_sentences_end(lines, end), headline, start)


def _extend(lines: Sequence[Line], s: Structure, start: int, end: int, limit: int) -> tuple[int, int]:
    """The run grown on both sides through the article's lists and short paragraphs.

    The densest run stops where short lines begin, but an article goes on through steps,
    list items and subheadings with prose among them. Next to the run, short lines cost
    less, and each step out is taken when the prose it reaches pays for the short lines on
    the way; a chrome line (other than an inline one such as an ad marker) ends the growth.
    """
    total, j = 0, end
    while j < limit and not _stops_growth(lines[j]):
        if j == end and (items := _announced_list(lines, j, limit, s)):
            end = j = items
            continue
        total += _outer_weight(lines[j], s)
        j += 1
        if total > 0:
            end, total = j, 0
    # A table of contents above the run lists the headings found in it: its lines cost nothing.
    headings = {block_key(lines[k].text) for k in range(start, end) if lines[k].cls is LineClass.SHORT}
    total, i = 0, start
    while i > 0 and not _stops_growth(lines[i - 1], _HEAD_CHROME):
        i -= 1
        contents = lines[i].cls is LineClass.SHORT and block_key(lines[i].text) in headings
        total += 0 if contents else _outer_weight(lines[i], s)
        if total > 0:
            start, total = i, 0
    return start, end


def _announced_list(lines: Sequence[Line], j: int, limit: int, s: Structure) -> int:
    """Where the list that line `j` announces ("What you need:", "Aus dem Inhalt:") ends,
    or 0 when it announces none: the short lines after it, two at least, are its items."""
    intro = lines[j]
    if intro.cls is not LineClass.SHORT or not intro.text.endswith(":"):
        return 0
    k = j + 1
    while k < limit and lines[k].cls is LineClass.SHORT and not lines[k].text.endswith(":"):
        k += 1
    return k if k - j > 2 else 0


def _outer_weight(line: Line, s: Structure) -> int:
    if line.cls is not LineClass.SHORT:
        return weight(line, s)
    menu = not line.sentence and line.words <= s.menu_max_words and not line.text.endswith(_CLAUSE_END)
    return -s.outer_menu_cost if menu else -s.outer_short_cost


def _stops_growth(line: Line, passable: frozenset[Reason] = frozenset()) -> bool:
    verdict = line.verdict
    return line.cls is LineClass.CHROME and not (
        verdict is not None and (verdict.inline or verdict.reason in passable)
    )


def _closing_sentences_end(lines: Sequence[Line], end: int) -> int:
    """Short sentences right below the run close the article: each costs the search a
    little, so the densest run stops short of them."""
    while end < len(lines) and lines[end].sentence and lines[end].cls is LineClass.SHORT:
        end += 1
    return end


def _comments_start(lines: Sequence[Line], titled: Sequence[int]) -> int:
    """Where reader comments begin below the titled article; they are never the article."""
    if not titled:
        return len(lines)
    prose = 0
    for i in range(titled[0] + 1, len(lines)):
        line = lines[i]
        if line.cls is LineClass.GOOD:
            prose += len(line.text)
        verdict = line.verdict
        # a "Comments" link in the byline, above the story, is not where comments begin
        if (
            prose >= _COMMENTS_AFTER_CHARS
            and verdict
            and verdict.boundary
            and verdict.reason is Reason.COMMENTS
        ):
            return i
    return len(lines)


def _names_page(line: Line, title_words: set[str]) -> bool:
    return line.heading_like and (title_prefix_end(line.text) > 0 or _is_title_of_page(line, title_words))


def _page_title(lines: Sequence[Line]) -> set[str]:
    """Words of the page's <title>, which a saved page usually begins with, less site names."""
    if not lines:
        return set()
    title = lines[0].text[:300]
    for _ in range(3):  # "Story - Section - Site"
        shorter = strip_site_suffix(title)
        if shorter == title:
            break
        title = shorter
    return {w.casefold() for w in _WORD.findall(title)}


def _is_title_of_page(line: Line, title_words: set[str]) -> bool:
    words = {w.casefold() for w in _WORD.findall(line.text[:300])}
    if len(words) < 3 or len(title_words) < 3:
        return False
    shared = len(words & title_words)
    return shared >= 0.7 * len(words) and shared >= 0.7 * len(title_words)


def _walk_to_headline(lines: Sequence[Line], start: int, s: Structure) -> tuple[int, int | None]:
    """Walk up from the body over the article's head (dek, byline, date) to its headline.

    Chrome lines are stepped over (they are removed later anyway), and so are a few lines of
    one or two words (an author's name, a role, a date); a truncated teaser ends the walk.
    The first heading-like line met is the headline, since headlines are written in sentence
    case as often as in Title Case; unless the line above it is a Title Case heading, which
    makes the first one its dek. Nothing above the headline belongs to the article.
    """
    head, short = start, 0
    lowest = max(0, start - s.headline_window)
    for i in range(start - 1, lowest - 1, -1):
        line = lines[i]
        if line.cls is LineClass.CHROME:
            continue
        if line.cls is LineClass.TRUNCATED:
            break
        if line.words < 3:
            short += 1
            if short > s.head_short_lines:
                break
            continue
        if line.heading_like:
            above = _next_above(lines, i, lowest)
            if above is not None and lines[above].heading_like and _is_headline(lines[above]):
                return above, above
            # a subheading under the lead paragraph: the headline is above the lead
            if not (above is not None and _lead(lines, above)):
                return i, i
        head = i
    return head, None


def _lead(lines: Sequence[Line], i: int) -> bool:
    """A paragraph of prose printed once: a lead. A gallery prints its captions twice."""
    line = lines[i]
    if line.cls is not LineClass.GOOD or not line.sentence:
        return False
    key = block_key(line.text)
    return not any(block_key(lines[j].text) == key for j in (i - 1, i + 1) if 0 <= j < len(lines))


def _next_above(lines: Sequence[Line], i: int, lowest: int) -> int | None:
    """The first line above `i` that is not chrome."""
    for j in range(i - 1, lowest - 1, -1):
        if lines[j].cls is not LineClass.CHROME:
            return j
    return None


def _is_headline(line: Line) -> bool:
    if title_prefix_end(line.text):
        return True
    tokens = _WORD.findall(line.text[:300])
    capitalised = sum(1 for t in tokens if t[0].isupper())
    return len(tokens) >= 4 and capitalised >= 0.6 * len(tokens) and not line.text.isupper()
