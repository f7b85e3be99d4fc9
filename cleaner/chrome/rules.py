"""Loading and compiling the chrome rules file (rules.toml) into one immutable object.

The file is data: categories of named phrase and pattern rules plus the numbers the
structural signals use. Everything is validated and compiled here, once, so a bad file fails
with `RulesError` before any page is cleaned, and a `ChromeRules` can be shared (or pickled
to workers) freely.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from cleaner.errors import RulesError
from cleaner.record import Reason

_MATCH_KINDS = ("line", "lead", "start", "end", "search")
_RULE_KEYS = {"match", "phrases", "patterns", "case", "max_words", "html", "boundary", "inline"}
_RULE_KEYS |= {"triggers", "lists", "text"}
_FLOATING = ("search", "end")
# Decoration a whole-line rule tolerates around its words: "- Advertisement -", "Categories:".
_DECOR = r"[^\w\n]{0,6}"
# What may follow a lead-in ("Read more: ...", "Related - ...", "In Related News  ...").
_LEAD_END = r"(?:[ \t]*(?::|\||[-–—](?=\s))|[ \t]{2,}|[ \t]*$)"
_CHARS_PER_WORD = 25
_WORD = re.compile(r"\w+")
_ENDS = re.compile(r"^[^\w]+|[^\w]+$")
# A line's first word, where an anchored rule may find it (after its decoration).
_FIRST_WORD = re.compile(rf"{_DECOR}(\w+)")
# Rule files compiled in this process, by the digest of their bytes. Compiling the packaged
# file takes about 0.3 s; the workers' fork server compiles it once (cleaner.preload) and
# every worker forked from it starts with the result, as does every later `Cleaner`.
_COMPILED: dict[str, ChromeRules] = {}
_MAX_COMPILED = 16  # one more drops the oldest


@dataclass(frozen=True, slots=True)
class Rule:
    """One named rule: a compiled regex and where it applies.

    A rule that may match anywhere in a line ("search", "end") also has trigger words, one
    of which the line must contain before the regex runs (an empty set: none needed; the
    length cap keeps such rules cheap): scanning every position of every line with dozens of
    alternatives is what would make the stage slow.
    """

    name: str
    reason: Reason
    regex: re.Pattern[str]
    max_words: int
    max_chars: int
    html: bool
    boundary: bool
    inline: bool = False
    triggers: frozenset[str] | None = None
    exact: frozenset[str] = frozenset()
    # The first words of its phrases, when it has phrases alone: a line starting otherwise
    # cannot match.
    leads: frozenset[str] = frozenset()
    # False: an item of a list in HTML extraction output is the article's own ("- Sign up for
    # a Hulu account"), whatever its wording.
    lists: bool = True
    # False: the rule is for HTML extraction output only; in text mode a structural signal
    # already deals with such lines, and the main-content search reads them as they are.
    text: bool = True

    def matches(self, text: str, n_words: int, key: str | None = None) -> bool:
        """Whether the rule names the line; `key` is its line_key when already computed."""
        # Length caps first: long prose is never chrome by wording, and it bounds regex work.
        if n_words > self.max_words or len(text) > self.max_chars:
            return False
        if self.exact and (line_key(text) if key is None else key) in self.exact:
            return True
        return self.regex.search(text) is not None


@dataclass(frozen=True, slots=True)
class Structure:
    """The numbers the structural signals read (see [structure] in rules.toml)."""

    good_min_words: int = 15
    good_min_chars: int = 30
    good_weight_cap: int = 800
    short_cost: int = 40
    sentence_cost: int = 10
    menu_cost: int = 60
    menu_max_words: int = 3
    chrome_cost: int = 150
    boundary_cost: int = 600
    truncated_cost: int = 160
    outer_short_cost: int = 15
    outer_menu_cost: int = 30
    headline_window: int = 25
    head_short_lines: int = 3
    sentence_min_words: int = 5
    title_bonus: int = 900
    teaser_max_words: int = 22
    box_heading_max_words: int = 6
    stopwords: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class ChromeRules:
    """Compiled chrome rules; `digest` identifies the rules file they came from."""

    digest: str
    rules: tuple[Rule, ...]
    structure: Structure
    # The rules anchored at a line's start, as one regex per mode: most lines are not
    # chrome, and one match attempt is far cheaper than one per rule. Rules made of phrases
    # alone are screened apart, by the line's first word, so most lines try none of them.
    text_screen: re.Pattern[str] = field(default=re.compile("(?!)"))
    html_screen: re.Pattern[str] = field(default=re.compile("(?!)"))
    text_leads: dict[str, re.Pattern[str]] = field(default_factory=dict)
    html_leads: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # The rules that may match anywhere, per mode, by trigger word ("" for those without).
    text_triggers: dict[str, tuple[int, ...]] = field(default_factory=dict)
    html_triggers: dict[str, tuple[int, ...]] = field(default_factory=dict)
    html_rules: tuple[Rule, ...] = ()
    text_rules: tuple[Rule, ...] = ()
    # Whole-line phrases, per mode: line_key(line) -> index of the first rule naming it.
    text_exact: dict[str, int] = field(default_factory=dict)
    html_exact: dict[str, int] = field(default_factory=dict)
    # Lines longer than these (in words) cannot match a whole-line phrase or a floating rule.
    exact_max_words: int = 0
    floating_max_words: int = 0
    screen_max_chars: int = 0

    @classmethod
    def load(cls, path: Path | None = None) -> ChromeRules:
        """Compile `path`, or the packaged rules.toml when None. Bad files raise RulesError."""
        try:
            if path is None:
                data = resources.files("cleaner.chrome").joinpath("rules.toml").read_bytes()
            else:
                data = Path(path).read_bytes()
        except OSError as exc:
            raise RulesError(f"cannot read rules file {path}: {exc}") from exc
        return cls.from_bytes(data)

    @classmethod
    def from_bytes(cls, data: bytes) -> ChromeRules:
        digest = hashlib.sha256(data).hexdigest()
        compiled = _COMPILED.get(digest)
        if compiled is None:
            compiled = cls._compile(data, digest)
            if len(_COMPILED) >= _MAX_COMPILED:
                del _COMPILED[next(iter(_COMPILED))]
            _COMPILED[digest] = compiled
        return compiled

    @classmethod
    def _compile(cls, data: bytes, digest: str) -> ChromeRules:
        try:
            doc = tomllib.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise RulesError(f"rules file is not valid TOML: {exc}") from exc
        if doc.get("schema") != 1:
            raise RulesError("rules file must say schema = 1")
        rules = _compile_categories(doc.get("rules"))
        structure = _compile_structure(doc.get("structure", {}))
        html = tuple(r for r in rules if r.html)
        text = tuple(r for r in rules if r.text)
        return cls(
            digest=digest,
            rules=rules,
            structure=structure,
            text_screen=_screen(text, _by_pattern(text)),
            html_screen=_screen(html, _by_pattern(html)),
            text_leads=_lead_screens(text),
            html_leads=_lead_screens(html),
            text_triggers=_trigger_index(text),
            html_triggers=_trigger_index(html),
            html_rules=html,
            text_rules=text,
            text_exact=_exact_index(text),
            html_exact=_exact_index(html),
            exact_max_words=max((r.max_words for r in rules if r.exact), default=0),
            floating_max_words=max((r.max_words for r in rules if r.triggers is not None), default=0),
            screen_max_chars=max((r.max_chars for r in rules if r.triggers is None), default=0),
        )

    def for_mode(self, mode: str) -> tuple[Rule, ...]:
        return self.text_rules if mode == "text" else self.html_rules

    def anchored(self, mode: str, text: str) -> Rule | None:
        """The first rule anchored at the line's start that matches it, if any."""
        hits = []
        hit = (self.text_screen if mode == "text" else self.html_screen).match(text)
        if hit is not None and hit.lastgroup is not None:
            hits.append(int(hit.lastgroup[1:]))
        first = _FIRST_WORD.match(text)
        leads = self.text_leads if mode == "text" else self.html_leads
        screen = leads.get(first.group(1).casefold()) if first is not None else None
        hit = screen.match(text) if screen is not None else None
        if hit is not None and hit.lastgroup is not None:
            hits.append(int(hit.lastgroup[1:]))
        return self.for_mode(mode)[min(hits)] if hits else None

    def exact(self, mode: str, key: str) -> Rule | None:
        """The rule whose whole-line phrases include the line with this line_key, if any."""
        index = self.text_exact if mode == "text" else self.html_exact
        i = index.get(key)
        return None if i is None else self.for_mode(mode)[i]

    def triggered(self, mode: str, words: set[str]) -> list[Rule]:
        """The floating rules one of `words` triggers, plus those needing no trigger."""
        index = self.text_triggers if mode == "text" else self.html_triggers
        rules = self.for_mode(mode)
        hits = words & index.keys()
        if not hits:
            return [rules[i] for i in index.get("", ())]
        picked = set(index.get("", ()))
        for word in hits:
            picked.update(index[word])
        return [rules[i] for i in sorted(picked)]


def _exact_index(rules: tuple[Rule, ...]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, rule in enumerate(rules):
        for key in rule.exact:
            index.setdefault(key, i)
    return index


def _trigger_index(rules: tuple[Rule, ...]) -> dict[str, tuple[int, ...]]:
    index: dict[str, list[int]] = {}
    for i, rule in enumerate(rules):
        if rule.triggers is not None:
            for word in rule.triggers or {""}:
                index.setdefault(word, []).append(i)
    return {word: tuple(ids) for word, ids in index.items()}


def _anchored(rule: Rule) -> bool:
    return rule.triggers is None and rule.regex.pattern.find("(?:(?!))") < 0


def _by_pattern(rules: tuple[Rule, ...]) -> set[int]:
    return {i for i, rule in enumerate(rules) if _anchored(rule) and not rule.leads}


def _lead_screens(rules: tuple[Rule, ...]) -> dict[str, re.Pattern[str]]:
    """Per first word, one regex for the anchored phrase rules with a phrase that starts so."""
    picked: dict[str, set[int]] = {}
    for i, rule in enumerate(rules):
        if _anchored(rule):
            for word in rule.leads:
                picked.setdefault(word, set()).add(i)
    return {word: _screen(rules, ids) for word, ids in picked.items()}


def _screen(rules: tuple[Rule, ...], picked: set[int]) -> re.Pattern[str]:
    """One regex for the anchored rules picked; the group that matched is named by index."""
    parts = []
    for index, rule in enumerate(rules):
        if index in picked:
            flag = "i" if rule.regex.flags & re.IGNORECASE else "-i"
            parts.append(f"(?P<r{index}>(?{flag}:{rule.regex.pattern}))")
    return re.compile("|".join(parts) or "(?!)")


def _compile_categories(table: Any) -> tuple[Rule, ...]:
    if not isinstance(table, dict) or not table:
        raise RulesError("rules file has no [rules.<category>.<name>] tables")
    compiled = []
    for category, rules in table.items():
        try:
            reason = Reason(category)
        except ValueError as exc:
            raise RulesError(f"unknown rule category {category!r}") from exc
        if not isinstance(rules, dict):
            raise RulesError(f"[rules.{category}] must hold named rule tables")
        for name, spec in rules.items():
            compiled.append(_compile_rule(f"{category}.{name}", reason, spec))
    return tuple(compiled)


def _compile_rule(name: str, reason: Reason, spec: Any) -> Rule:
    if not isinstance(spec, dict):
        raise RulesError(f"rule {name} must be a table")
    unknown = set(spec) - _RULE_KEYS
    if unknown:
        raise RulesError(f"rule {name} has unknown keys: {', '.join(sorted(unknown))}")
    match = spec.get("match", "line")
    if match not in _MATCH_KINDS:
        raise RulesError(f"rule {name}: match must be one of {', '.join(_MATCH_KINDS)}")
    phrases = spec.get("phrases", [])
    alternatives = [_checked(p, name) for p in spec.get("patterns", [])]
    if not alternatives and not phrases:
        raise RulesError(f"rule {name} has neither phrases nor patterns")
    # Whole-line phrases are looked up, not searched: a dict beats a regex of hundreds.
    exact = frozenset(line_key(_phrase(p, name)) for p in phrases) if match == "line" else None
    if exact is None:
        alternatives += [_phrase_regex(p, name) for p in phrases]
    body = "(?:" + "|".join(alternatives or ["(?!)"]) + ")"
    flags = 0 if spec.get("case", False) else re.IGNORECASE
    max_words = spec.get("max_words", 12)
    if not isinstance(max_words, int) or max_words < 1:
        raise RulesError(f"rule {name}: max_words must be a positive integer")
    try:
        regex = re.compile(_anchor(body, match), flags)
    except re.error as exc:
        raise RulesError(f"rule {name}: bad pattern: {exc}") from exc
    return Rule(
        triggers=_triggers(name, spec) if match in _FLOATING else None,
        exact=exact or frozenset(),
        name=name,
        reason=reason,
        regex=regex,
        max_words=max_words,
        max_chars=max_words * _CHARS_PER_WORD + 40,
        html=bool(spec.get("html", False)),
        text=bool(spec.get("text", True)),
        boundary=bool(spec.get("boundary", False)),
        inline=bool(spec.get("inline", False)),
        lists=bool(spec.get("lists", True)),
        leads=frozenset() if spec.get("patterns") else _first_words(phrases),
    )


def _first_words(phrases: list[str]) -> frozenset[str]:
    return frozenset(m.group().casefold() for p in phrases if (m := _WORD.search(p)))


def _triggers(name: str, spec: dict[str, Any]) -> frozenset[str]:
    """The longest (rarest) word of each phrase, plus the `triggers` a pattern rule lists."""
    words = {max(_WORD.findall(p), key=len).casefold() for p in spec.get("phrases", []) if _WORD.search(p)}
    listed = spec.get("triggers", [])
    if not isinstance(listed, list) or not all(isinstance(w, str) for w in listed):
        raise RulesError(f"rule {name}: triggers must be a list of words")
    if spec.get("patterns") and "triggers" not in spec:
        # An empty list is allowed: the rule then relies on its max_words cap alone.
        raise RulesError(f"rule {name}: a search rule with patterns needs triggers")
    return frozenset(words | {w.casefold() for w in listed})


def _anchor(body: str, match: str) -> str:
    if match == "line":
        return rf"^{_DECOR}{body}{_DECOR}$"
    if match == "lead":
        return rf"^{_DECOR}{body}{_LEAD_END}"
    if match == "start":
        return rf"^{_DECOR}{body}"
    if match == "end":
        return rf"{body}{_DECOR}$"
    return body


def line_key(text: str) -> str:
    """A line as whole-line phrases are looked up: no decoration at the ends ("- Ad -",
    "Categories:"), spaces collapsed, apostrophes straight, case folded."""
    text = _ENDS.sub("", text[:200])
    return " ".join(text.replace("’", "'").casefold().split())


def _phrase(phrase: Any, name: str) -> str:
    if not isinstance(phrase, str) or not phrase.strip():
        raise RulesError(f"rule {name}: phrases must be non-empty strings")
    return phrase


def _phrase_regex(phrase: Any, name: str) -> str:
    phrase = _phrase(phrase, name)
    words = [re.escape(w) for w in phrase.split()]
    # Apostrophes come straight or curly; spaces come single, double or non-breaking.
    regex = r"\s+".join(words).replace("'", "['’]")
    # Whole words only: "ad" must not match the start of "Adam".
    head = r"(?<!\w)" if re.match(r"\w", phrase) else ""
    tail = r"(?!\w)" if re.search(r"\w$", phrase) else ""
    return head + regex + tail


def _checked(pattern: Any, name: str) -> str:
    if not isinstance(pattern, str) or not pattern:
        raise RulesError(f"rule {name}: patterns must be non-empty strings")
    try:
        re.compile(pattern)
    except re.error as exc:
        raise RulesError(f"rule {name}: bad pattern {pattern!r}: {exc}") from exc
    return pattern


def _compile_structure(table: Any) -> Structure:
    if not isinstance(table, dict):
        raise RulesError("[structure] must be a table")
    table = dict(table)
    stop = table.pop("stopwords", {})
    if not isinstance(stop, dict) or not all(isinstance(v, list) for v in stop.values()):
        raise RulesError("[structure.stopwords] must map languages to word lists")
    known = set(Structure.__dataclass_fields__) - {"stopwords"}
    unknown = set(table) - known
    if unknown:
        raise RulesError(f"[structure] has unknown keys: {', '.join(sorted(unknown))}")
    if not all(isinstance(v, int) and v >= 0 for v in table.values()):
        raise RulesError("[structure] values must be non-negative integers")
    words = frozenset(w.casefold() for ws in stop.values() for w in ws)
    return Structure(**table, stopwords=words)
