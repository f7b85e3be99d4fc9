"""Author names from what a page offers: JSON-LD, `<meta>` tags, a byline.

A raw value becomes a clean "; "-joined list of names: HTML entities decoded, split on
`;`, `,`, `&`, `|` and "and" in several languages, each name less the interface words around
it ("By", "Von", "Zeige alle Beiträge von", "Email the author", a trailing date; see
rules.toml). A value that is a URL, an e-mail address or absurdly long, or whose every name
is an interface word, a role ("Redaktion", "Staff") or the site's own name, gives no author
and a reason, so the next source gets its turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

from cleaner.metadata.rules import RULES
from cleaner.metadata.title import host_label, squash

_MAX_RAW_CHARS = 240
_MAX_NAME_CHARS = 60
_MAX_NAME_WORDS = 6
_SPLIT = re.compile(r"\s*(?:;|,|&|\||\s(?:and|und|et|y|e|oraz|и)\s)\s*", re.I)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_HANDLE = re.compile(r"(?:^|\s)@\w+")
# Bylines run into the date ("Bryan DeArdo Nov 19, 2019", "Anna Roth, 12.03.2022 um 10:15").
_TRAILING_DATE = re.compile(
    rf"(?:[\s,|·•-]+(?:(?:am|on|le|el|il|op|dnia)\s+)?(?:{RULES.month_pattern})\.?(?=\W|$)|[\s,|·•-]+\d[\d,:./-]*"
    r"(?:\s*(?:uhr|h|am|pm))?)+\W*$",
    re.I,
)
# Digits in a name of several words: "2020 21 minutes", "Seite 2"; a user name may end in digits.
_NUMBERED = re.compile(r"\d.*\s|\s.*\d")
# A lead-in glued to the name by a lost space: "Veröffentlicht vonChris Jung".
_GLUED = re.compile(r"^(?:[^\W\d_]+\s)*?(?:von|by|par|por|door)(?=[A-ZÀ-ÖØ-Þ][a-zß-ÿ])")
# A preposition left over from a cut date: "Moritz Gathmann am", "Jane Roe at".
_TRAILING_WORD = re.compile(r"\s+(?:am|at|on|le|el|il|op|um|dnia|den|vom)$", re.I)
_PARENTHESIS = re.compile(r"\s*\([^()]*\)")
# A legal form or a kind of body: the name of an organisation, not of a person who wrote.
_ORGANISATION = re.compile(
    r"(?:^|\s)(?:AG|KG|SE|SAS|S\.A\.|S\.L\.|B\.V\.|N\.V\.)$"
    r"|(?:^|\s)(?:e\.\s?V\.|g?GmbH|mbH|Ltd\.?|Inc\.?|LLC|SARL|S\.p\.A\.)(?=\s|$)"
    r"|\b(?:Stiftung|Verlag|Verband|Foundation|Association|Institut|Institute)\b"
)
# Where a site's name splits into parts: "LN - Lübecker Nachrichten", "HSS | Hanns-Seidel-Stiftung".
_SITE_PARTS = re.compile(r"\s+[-–—|:·•]\s+")
_LETTER = re.compile(r"[^\W\d_]")
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")


@dataclass(frozen=True, slots=True)
class AuthorFound:
    value: str | None
    reason: str | None  # why a value was refused, when it was
    # the names when they are only the site's own name or an organisation's: an author of
    # last resort (a blog's owner often is its name), after a byline had its chance
    site_value: str | None = None


def clean_authors(raw: str | None, sitename: str | None = None, host: str | None = None) -> AuthorFound:
    """The names in `raw`, joined with "; ", or None and the reason."""
    if not raw or not raw.strip():
        return AuthorFound(None, "empty")
    text = " ".join(unescape(raw).split())
    if len(text) > _MAX_RAW_CHARS:
        return AuthorFound(None, "too-long")
    if _URL.fullmatch(text):
        return AuthorFound(None, "url")
    if _EMAIL.fullmatch(text):
        return AuthorFound(None, "email")
    names: list[str] = []
    site_names: list[str] = []
    organisation = False
    for part in _SPLIT.split(_URL.sub(" ", _EMAIL.sub(" ", text))):
        name, why = _name(part, sitename, host)
        if name and why is None and name not in names:
            names.append(name)
        elif name and why in ("site-name", "organisation"):
            site_names.append(name)
            organisation = organisation or why == "organisation"
    names = [n for n in names if not any(n != m and n in m for m in names)]
    people = [n for n in names if n.casefold() not in RULES.agencies]
    names = people or names  # "David Hutzler, dpa": the wire is not an author
    if names:
        return AuthorFound("; ".join(names), None)
    if site_names:
        reason = "organisation" if organisation else "site-name"
        return AuthorFound(None, reason, "; ".join(dict.fromkeys(site_names)))
    return AuthorFound(None, "interface-word")


def _name(part: str, sitename: str | None, host: str | None) -> tuple[str | None, str | None]:
    name = _GLUED.sub("", _HANDLE.sub(" ", part).strip())
    if RULES.credit.match(name):
        return None, "credit"
    for _ in range(2):
        name = RULES.author_suffix.sub("", RULES.author_prefix.sub("", name)).strip()
        name = _TRAILING_WORD.sub("", _TRAILING_DATE.sub("", " " + name)).strip()
    name = _PARENTHESIS.sub("", name).strip()  # "Eva Roth (Pressesprecherin)": a role
    if ":" in name or "(" in name or ")" in name:
        return None, "label"
    name = _EDGE.sub("", name) if not name.endswith(".") else _EDGE.sub("", name[:-1]) + "."
    folded = name.casefold()
    if len(name) < 2 or not _LETTER.search(name) or folded in RULES.not_names or folded in RULES.months:
        return None, "interface-word"
    if len(name) > _MAX_NAME_CHARS or len(name.split()) > _MAX_NAME_WORDS or _NUMBERED.search(name):
        return None, "too-long"
    site = squash(name)
    own = {squash(sitename or ""), squash(host_label(host) or ""), squash(host or "")}
    own.update(squash(p) for p in _SITE_PARTS.split(sitename or ""))
    if site and site in own:
        return name, "site-name"
    if _ORGANISATION.search(name):
        return name, "organisation"
    return name, None
