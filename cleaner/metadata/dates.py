"""The publication day a page states, and where it was read.

Every source gives the day *as written*: "2020-01-23T23:30:00-05:00" and "...T23:30:00Z" are
both the 23rd. Nothing is converted between time zones, so a page read on any machine gives
the same day. The sources, in order of trust:

- structured data: JSON-LD `datePublished`, the `<meta>` publication tags
  (`article:published_time`, `datePublished`, `dc.date`...), `itemprop="datePublished"`;
  a modification date is never taken for the publication date;
- what a reader sees: the date printed next to the headline ("3. Februar 2022",
  "May 3, 2022", "03.05.2022"; not one labelled "Updated ..."), then the first date printed
  with a publication label ("Veröffentlicht am 16.08.2019"), then the first `<time>`;
- the URL ("/2019/12/09/").

A structured date that a visible date or the URL contradicts by one day is a conversion to
another zone (a publishing system writing UTC): the page's own day wins. One that the URL
contradicts by more is a later change: the URL wins. A `<meta name="date">` (or `dc.date`)
is as often the day the page was built: a date printed by the headline or with a
publication label beats it. A visible date equal to another structured candidate settles a
disagreement between them; failing one by the headline, the first of them printed anywhere
on the page does. A year outside 1970..2099 or a day that does not exist is rejected, and
the label says why.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from cleaner.metadata.rules import RULES
from cleaner.metadata.texts import PageTexts

_MIN_YEAR, _MAX_YEAR = 1970, 2099
_MONTH = RULES.month_pattern
_YEAR = r"((?:19|20)\d{2}|\d{4})"
_ISO = re.compile(r"^\s*(-?\d{1,5})[-/](\d{1,2})[-/](\d{1,2})(?![\d])")
_TEXT_PATTERNS = (
    # 2022-05-03, 2022/5/3
    ("ymd", re.compile(r"(?<![\d.])((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d])")),
    # 03.05.2022, 3/5/2022, 03. 05. 2022
    ("dmy", re.compile(r"(?<![\d.])(\d{1,2})\s?([./-])\s?(\d{1,2})\s?\2\s?((?:19|20)\d{2})(?!\d)")),
    # 3. Mai 2022, 3 de mayo de 2022, 04 May 2022, 1er mars 2022, 3 May, 2022
    ("d-month-y", re.compile(
        rf"(?<!\d)(\d{{1,2}})(?:\.|º|er|st|nd|rd|th)?\s*(?:de\s+)?({_MONTH})\.?,?\s*(?:de\s+)?{_YEAR}(?!\d)",
        re.I)),
    # May 3, 2022; November 8th 2023
    ("month-d-y", re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}(?!\d)", re.I)),
)  # fmt: skip
# The hour of a time written in UTC: "T05:30:59Z", "05:30:59+00:00", "02:41:00 GMT".
_YEAR_HIT = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_WINDOW = 30  # characters around a year where its date may be written
_UTC_HOUR = re.compile(r"[T ](\d{2}):\d{2}(?::\d{2})?(?:\.\d+)?\s*(?:Z|[+-]00:?00|GMT|UTC)$", re.I)
# A UTC time this early can be the day before in the Americas; this late, the day after in
# Asia and Oceania (zones run from -12 to +14 hours).
_WEST_BEFORE, _EAST_FROM = 12, 10
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/_-](\d{1,2})[/_-](\d{1,2})(?:[/_.-]|$)")
_ARCHIVE = re.compile(r"^https?://web\.archive\.org/web/[^/]+/", re.I)
_PUBLISHED_KEYS = (
    "article:published_time", "og:published_time", "article:published", "datepublished",
    "publishdate", "publish-date", "publish_date", "pubdate", "published_time", "published-date",
    "parsely-pub-date", "sailthru.date", "dc.date.issued", "dc.date", "dcterms.issued",
    "dcterms.date", "dcterms.created", "date", "citation_publication_date", "citation_date",
    "originalpublicationdate", "article.published", "release_date",
)  # fmt: skip
_MODIFIED_KEYS = frozenset({"article:modified_time", "og:updated_time", "datemodified", "dcterms.modified"})
_NEAR_BEFORE, _NEAR_AFTER = 200, 400
_ANCESTORS = 4
_LABEL_SPAN = 40
# `<meta>` tags named only "date": the day the page was built or changed as often as published.
_VAGUE_SOURCES = frozenset({"meta:date", "meta:dc.date"})


@dataclass(frozen=True, slots=True)
class DateFound:
    """A day (ISO `YYYY-MM-DD`) and its source label, or no day and why ("rejected:...")."""

    value: str | None
    source: str | None


@dataclass(frozen=True, slots=True)
class _Candidate:
    day: date
    source: str
    utc_hour: int | None = None  # the hour, when the value is written in UTC


def parse_day(text: str, monthfirst: bool = False) -> date | str:
    """The day a date string states, as written (no time-zone conversion), or why not."""
    iso = _ISO.match(text)
    if iso:
        return _day(int(iso[1]), int(iso[2]), int(iso[3]))
    for found in _text_dates(text[:200], monthfirst):
        return found[0]
    return "unparsable"


def _day(year: int, month: int, day: int) -> date | str:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return "year-out-of-range"
    try:
        return date(year, month, day)
    except ValueError:
        return "no-such-day"


def _text_dates(text: str, monthfirst: bool) -> Iterator[tuple[date | str, int, int]]:
    """Every date expression in `text`: (day or why not, start, end), in text order.

    Every form holds a four-digit year, so the patterns run only on the few characters
    around each year (scanning the whole text with every month name costs much more)."""
    hits: dict[int, tuple[int, date | str]] = {}
    for year in _YEAR_HIT.finditer(text):
        low = max(0, year.start() - _WINDOW)
        window = text[low : year.end() + _WINDOW]
        for kind, pattern in _TEXT_PATTERNS:
            for match in pattern.finditer(window):
                start, end = low + match.start(), low + match.end()
                if start not in hits or hits[start][0] < end:
                    hits[start] = (end, _from_match(kind, match, monthfirst))
    taken = -1
    for start in sorted(hits):
        end, day = hits[start]
        if start >= taken:
            taken = end
            yield day, start, end


def _from_match(kind: str, match: re.Match[str], monthfirst: bool) -> date | str:
    if kind == "ymd":
        return _day(int(match[1]), int(match[2]), int(match[3]))
    if kind == "dmy":
        first, second = int(match[1]), int(match[3])
        if match[2] == "/" and monthfirst and first <= 12:
            first, second = second, first
        return _day(int(match[4]), second, first)
    if kind == "d-month-y":
        return _day(int(match[3]), RULES.months[match[2].lower()], int(match[1]))
    return _day(int(match[3]), RULES.months[match[1].lower()], int(match[2]))


def publication_date(
    structured: list[tuple[str, str, bool]],
    tree: HtmlElement,
    headline: HtmlElement | None,
    url: str | None,
    monthfirst: bool = False,
    texts: PageTexts | None = None,
) -> DateFound:
    """The page's publication day. `structured`: (label, raw value, is a modification date)
    from JSON-LD and `<meta>`, in order of trust; `headline`: the element holding the title;
    `texts`: the page's visible texts, if the caller reads them for another scan too."""
    texts = texts if texts is not None else PageTexts(tree)
    rejected: list[str] = []
    published, _modified = _structured(structured, monthfirst, rejected)
    in_url = _from_url(url)
    if published and in_url and abs((in_url.day - published[0].day).days) > 1:
        # a URL is fixed when the page is first published; a structured date that far from
        # it is a later change or another story's
        return DateFound(in_url.day.isoformat(), f"url+{published[0].source}:contradicted")
    if published and not _doubtful(published):
        return DateFound(published[0].day.isoformat(), published[0].source)
    visible = _near(headline, monthfirst) if headline is not None else None
    shown = visible or _labelled(texts, monthfirst) or _first_time(tree, monthfirst)
    if published:
        return _checked(published, shown, in_url, texts, monthfirst)
    for found in (in_url, shown):
        if found:
            return DateFound(found.day.isoformat(), found.source)
    return DateFound(None, rejected[0] if rejected else None)


def _structured(
    pairs: list[tuple[str, str, bool]], monthfirst: bool, rejected: list[str]
) -> tuple[list[_Candidate], list[_Candidate]]:
    published: list[_Candidate] = []
    modified: list[_Candidate] = []
    for label, raw, is_modified in pairs:
        day = parse_day(raw, monthfirst)
        if isinstance(day, str):
            rejected.append(f"rejected:{label}:{day}")
            continue
        hour = _UTC_HOUR.search(raw.strip())
        candidate = _Candidate(day, label, int(hour[1]) if hour else None)
        (modified if is_modified else published).append(candidate)
    return published, modified


def _doubtful(published: list[_Candidate]) -> bool:
    """Whether a structured date needs the visible ones: written in UTC (the page's own day
    may differ), contradicted by another structured date, or from a tag that only says "date"."""
    first = published[0]
    return (
        first.utc_hour is not None
        or first.source in _VAGUE_SOURCES
        or any(c.day != first.day for c in published[1:])
    )


def _checked(
    published: list[_Candidate],
    shown: _Candidate | None,
    in_url: _Candidate | None,
    texts: PageTexts,
    monthfirst: bool,
) -> DateFound:
    first = published[0]
    for seen in (shown, in_url):
        if seen is None or seen.day == first.day:
            continue
        if first.source in _VAGUE_SOURCES and seen.source != "time":
            # a tag named only "date" is as often the day the page was built or changed
            return DateFound(seen.day.isoformat(), f"{seen.source}+{first.source}:vague")
        if _other_zone(first, seen.day):
            return DateFound(seen.day.isoformat(), f"{seen.source}+{first.source}:utc")
        other = next((c for c in published[1:] if c.day == seen.day), None)
        if other is not None:
            return DateFound(seen.day.isoformat(), f"{seen.source}+{other.source}")
    others = {c.day: c for c in published[1:] if c.day != first.day}
    if others and (printed := _printed(texts, monthfirst, {first.day, *others})) in others:
        # structured dates disagree, nothing by the headline settles it: the one the page prints
        return DateFound(printed.isoformat(), f"text:printed+{others[printed].source}")
    return DateFound(first.day.isoformat(), first.source)


def _printed(texts: PageTexts, monthfirst: bool, days: set[date]) -> date | None:
    """The first of `days` the page prints in its visible text, outside comment sections."""
    for text in texts:
        if not _YEAR_HIT.search(text):
            continue
        for day, _start, _end in _text_dates(text, monthfirst):
            if day in days:
                return day  # type: ignore[return-value]
    return None


def _other_zone(written: _Candidate, seen: date) -> bool:
    """Whether `seen` is the day of a UTC time `written` in the page's own zone."""
    if written.utc_hour is None:
        return False
    shift = (seen - written.day).days
    return (shift == -1 and written.utc_hour < _WEST_BEFORE) or (
        shift == 1 and written.utc_hour >= _EAST_FROM
    )


def _near(headline: HtmlElement, monthfirst: bool) -> _Candidate | None:
    """The date printed closest after (else before) the headline, unless labelled as an update."""
    container = headline
    for _ in range(_ANCESTORS):
        parent = container.getparent()
        if parent is None or parent.tag == "html":
            break
        container = parent
        if parent.tag == "body":
            break
    text = container.text_content()
    title = headline.text_content().strip()
    at = text.find(title) if title else -1
    if at < 0:
        return None
    start, end = max(0, at - _NEAR_BEFORE), at + len(title) + _NEAR_AFTER
    before: _Candidate | None = None
    for day, hit_start, _hit_end in _text_dates(text[start:end], monthfirst):
        if isinstance(day, str):
            continue
        lead = text[max(0, start + hit_start - _LABEL_SPAN) : start + hit_start]
        if RULES.updated.search(lead):
            continue
        where = start + hit_start
        if where >= at + len(title):
            return _Candidate(day, "text:near-headline")
        if at - where <= _NEAR_BEFORE and where < at:
            before = _Candidate(day, "text:near-headline")
    return before


def _labelled(texts: PageTexts, monthfirst: bool) -> _Candidate | None:
    """The first date the page prints with a publication label ("Veröffentlicht am
    16.08.2019", "Published May 3, 2022"), outside scripts and comment sections."""
    for text in texts:
        if not _YEAR_HIT.search(text):
            continue
        for day, start, _end in _text_dates(text, monthfirst):
            lead = text[max(0, start - _LABEL_SPAN) : start]
            if isinstance(day, date) and RULES.published.search(lead) and not RULES.updated.search(lead):
                return _Candidate(day, "text:published-label")
    return None


def _first_time(tree: HtmlElement, monthfirst: bool) -> _Candidate | None:
    for element in tree.iter("time"):
        raw = element.get("datetime") or element.text_content()
        day = parse_day(raw, monthfirst) if raw else None
        if isinstance(day, date):
            return _Candidate(day, "time")
    return None


def _from_url(url: str | None) -> _Candidate | None:
    match = _URL_DATE.search(urlsplit(_ARCHIVE.sub("https://", url)).path) if url else None
    day = _day(int(match[1]), int(match[2]), int(match[3])) if match else None
    return _Candidate(day, "url") if isinstance(day, date) else None


def line_dates(line: str, monthfirst: bool = False) -> Iterator[tuple[str, str | None]]:
    """The valid days a line of text states, each with its label: "published", "updated" or
    None ("Veröffentlicht am 3. Mai 2022", "Updated: May 4, 2022", "03.05.2022")."""
    for day, start, _end in _text_dates(line, monthfirst):
        if isinstance(day, str):
            continue
        lead = line[max(0, start - _LABEL_SPAN) : start]
        label = (
            "updated" if RULES.updated.search(lead) else "published" if RULES.published.search(lead) else None
        )
        yield day.isoformat(), label


def url_date(url: str | None) -> str | None:
    """The day a URL's path states ("/2019/12/09/"), if one."""
    found = _from_url(url)
    return found.day.isoformat() if found else None


def meta_date_key(key: str) -> str | None:
    """'published' or 'modified' for a `<meta>` name/property/itemprop that holds a date."""
    if key in _MODIFIED_KEYS:
        return "modified"
    return "published" if key in _PUBLISHED_SET else None


_PUBLISHED_SET = frozenset(_PUBLISHED_KEYS)
