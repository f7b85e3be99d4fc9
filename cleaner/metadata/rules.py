"""The metadata word lists (rules.toml beside this module), compiled once into regexes.

The lists are fixed package data, not options: they are read when the module is imported,
like any other compiled pattern, and a `MetadataRules` never changes afterwards.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any


@dataclass(frozen=True, slots=True)
class MetadataRules:
    months: dict[str, int]  # a month name or abbreviation -> its number
    month_pattern: str  # regex alternation of every month word, longest first
    published: re.Pattern[str]  # a publication label right before a date
    updated: re.Pattern[str]  # a modification label right before a date
    author_prefix: re.Pattern[str]
    author_suffix: re.Pattern[str]
    not_names: frozenset[str]
    agencies: frozenset[str]
    credit: re.Pattern[str]  # "Foto: ...", a credit for someone else's work
    digest: str


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


def compile_rules(data: dict[str, Any], digest: str) -> MetadataRules:
    months: dict[str, int] = {}
    for names in data["dates"]["months"]:
        for number, name in enumerate(names, start=1):
            months.setdefault(name, number)
    # the label, maybe a short word ("on", "am", "le") and punctuation, then the date
    label = r"(?:{})(?:\s+\w{{1,3}})?\W{{0,3}}$"
    authors = data["authors"]
    return MetadataRules(
        months=months,
        month_pattern=_alternation(list(months)),
        published=re.compile(label.format(_alternation(data["dates"]["published"])), re.I),
        updated=re.compile(label.format(_alternation(data["dates"]["updated"])), re.I),
        author_prefix=re.compile(
            rf"^(?:(?:{_alternation(authors['prefixes'])})(?:\s*:\s*|\s+)"
            rf"|(?:{_alternation(authors['colon_prefixes'])})\s*:\s*)+",
            re.I,
        ),
        author_suffix=re.compile(rf"(?:[\s|·•,:-]+(?:{_alternation(authors['suffixes'])}))+\W*$", re.I),
        not_names=frozenset(authors["not_names"]),
        agencies=frozenset(authors["agencies"]),
        credit=re.compile(rf"^(?:{_alternation(authors['credits'])})\s*[:/]", re.I),
        digest=digest,
    )


def _load() -> MetadataRules:
    raw = resources.files("cleaner.metadata").joinpath("rules.toml").read_bytes()
    return compile_rules(tomllib.loads(raw.decode("utf-8")), hashlib.sha256(raw).hexdigest()[:16])


RULES = _load()
