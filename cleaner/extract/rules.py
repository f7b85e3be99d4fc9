"""DOM rules: which page regions (by tag, role, class/id word, CSS selector) mean which Reason.

The rules live in `dom_rules.toml`, grouped by Reason, and are compiled once into a
`DomRules`; its `digest` identifies the rule set a record was made with.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cssselect import GenericTranslator, SelectorError, parse
from cssselect.parser import Attrib, Class, Hash
from cssselect.parser import Element as AnyElement
from lxml.etree import XPath, XPathSyntaxError

from cleaner.errors import RulesError
from cleaner.record import Reason

DEFAULT_RULES_PATH = Path(__file__).with_name("dom_rules.toml")
_KEYS = frozenset({"tags", "roles", "words", "contains", "selectors"})
_WORD_SPLIT = re.compile(r"[\s_-]+")
# Attributes whose words name a region: class and id, and the label a screen reader announces.
NAMING_ATTRIBUTES = ("class", "id", "aria-label")

_UNSEEN: Any = object()

#: A reason and the rule that gave it, e.g. (Reason.NAV, "dom:nav:tag=nav").
Match = tuple[Reason, str]
#: Whether an element (anything with `tag` and `get`) is one a CSS selector selects.
Test = Callable[[Any], bool]


@dataclass(frozen=True, slots=True)
class CssRule:
    """A CSS selector rule. `test` answers for one element when the selector is about that
    element alone (its tag, id, classes, attributes): cheaper than running `xpath` over the
    whole page. Other selectors (`a > b`, `:first-child`...) have no `test`."""

    xpath: XPath
    match: Match
    test: Test | None


@dataclass(frozen=True, slots=True, eq=False)
class DomRules:
    by_tag: dict[str, Match]
    by_role: dict[str, Match]
    by_word: dict[str, Match]
    contains: tuple[tuple[str, Match], ...]
    selectors: tuple[CssRule, ...]
    digest: str
    # Finds any word or stem anywhere in a value: most class and id values hold none, and
    # one regex search rules them out faster than splitting them into words.
    screen: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        needles = {*self.by_word, *(stem for stem, _ in self.contains)}
        object.__setattr__(self, "screen", _any_of(needles))

    @classmethod
    def load(cls, path: Path | str | None = None) -> DomRules:
        """Read and compile a rules file (the packaged one by default)."""
        path = Path(path) if path is not None else DEFAULT_RULES_PATH
        try:
            raw = path.read_bytes()
            data = tomllib.loads(raw.decode("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise RulesError(f"cannot read DOM rules {path}: {exc}") from exc
        return cls.compile(data, digest=hashlib.sha256(raw).hexdigest()[:16])

    @classmethod
    def compile(cls, data: dict[str, Any], *, digest: str) -> DomRules:
        by_tag: dict[str, Match] = {}
        by_role: dict[str, Match] = {}
        by_word: dict[str, Match] = {}
        contains: list[tuple[str, Match]] = []
        selectors: list[CssRule] = []
        for name, group in data.items():
            reason = _reason(name, group)
            for tag in group.get("tags", []):
                by_tag.setdefault(tag.lower(), (reason, f"dom:{reason}:tag={tag}"))
            for role in group.get("roles", []):
                by_role.setdefault(role.lower(), (reason, f"dom:{reason}:role={role}"))
            for word in group.get("words", []):
                by_word.setdefault(word.lower(), (reason, f"dom:{reason}:word={word}"))
            for stem in group.get("contains", []):
                contains.append((stem.lower(), (reason, f"dom:{reason}:contains={stem}")))
            for css in group.get("selectors", []):
                match = (reason, f"dom:{reason}:css={css}")
                selectors.append(CssRule(_selector(css), match, element_test(css)))
        return cls(by_tag, by_role, by_word, tuple(contains), tuple(selectors), digest)

    def match(self, tag: str, attrib: Any, memo: dict[str, Match | None] | None = None) -> Match | None:
        """The reason an element's own tag, role, class or id gives, if any.

        `attrib` is anything with `get` (an element will do); `memo` keeps the verdict per
        attribute value, for a caller that asks about many elements of one page.
        """
        hit = self.by_tag.get(tag)
        if hit:
            return hit
        role = attrib.get("role")
        if role and (hit := self.by_role.get(role.strip().lower())):
            return hit
        for key in NAMING_ATTRIBUTES:
            value = attrib.get(key)
            if not value:
                continue
            if memo is None:
                hit = self.match_names(value)
            elif (hit := memo.get(value, _UNSEEN)) is _UNSEEN:
                hit = memo[value] = self.match_names(value)
            if hit:
                return hit
        return None

    def match_names(self, value: str) -> Match | None:
        """The reason a class, id or aria-label value gives, if any."""
        value = value.lower()
        if self.screen.search(value) is None:
            return None
        for name in value.split():
            if hit := self.by_word.get(name):
                return hit
            for word in _WORD_SPLIT.split(name):
                if hit := self.by_word.get(word):
                    return hit
        for stem, hit in self.contains:
            if stem in value:
                return hit
        return None


def _any_of(needles: set[str]) -> re.Pattern[str]:
    """A pattern that finds any of `needles`, written as a trie ("s(?:hare|idebar|...)"): the
    regex engine then tries one branch per character, where a flat alternation of some 80
    needles tries every needle at every position of the value."""
    trie: dict[str, Any] = {}
    for needle in needles:
        node = trie
        for char in needle:
            node = node.setdefault(char, {})
        node[""] = {}  # a needle ends here

    def branches(node: dict[str, Any]) -> str:
        if "" in node:  # a needle is found: what a longer one would add does not matter
            return ""
        options = [re.escape(char) + branches(child) for char, child in sorted(node.items())]
        return options[0] if len(options) == 1 else f"(?:{'|'.join(options)})"

    return re.compile(branches(trie) if trie else "(?!)")


def _reason(name: str, group: Any) -> Reason:
    try:
        reason = Reason(name)
    except ValueError as exc:
        raise RulesError(f"unknown reason [{name}] in DOM rules") from exc
    if not isinstance(group, dict) or not set(group) <= _KEYS:
        raise RulesError(f"[{name}] in DOM rules: expected keys among {sorted(_KEYS)}")
    if not all(isinstance(v, list) and all(isinstance(s, str) for s in v) for v in group.values()):
        raise RulesError(f"[{name}] in DOM rules: every value must be a list of strings")
    return reason


def _selector(css: str) -> XPath:
    try:
        return XPath(GenericTranslator().css_to_xpath(css, prefix="descendant-or-self::"))
    except (SelectorError, XPathSyntaxError) as exc:
        raise RulesError(f"bad CSS selector in DOM rules: {css!r}") from exc


# XPath's normalize-space() separators, which the translation of `.name` splits classes at.
_XPATH_SPACES = str.maketrans("\t\r\n", "   ")


def element_test(css: str) -> Test | None:
    """A test for one element that agrees with the selector's XPath translation, for a
    selector made of a tag (or `*`), `#id`, `.class`, `[attr]` and `[attr="value"]` only;
    None for any other."""
    try:
        (selector,) = parse(css)
    except (SelectorError, ValueError):  # a bad selector, or a group ("a, b")
        return None
    if selector.pseudo_element is not None:
        return None
    checks: list[Test] = []
    node = selector.parsed_tree
    while not isinstance(node, AnyElement):
        if isinstance(node, Hash):
            checks.append(_equals("id", node.id))
        elif isinstance(node, Class):
            checks.append(_has_class(node.class_name))
        elif isinstance(node, Attrib) and node.namespace is None and node.operator == "exists":
            checks.append(_has(node.attrib))
        elif isinstance(node, Attrib) and node.namespace is None and node.operator == "=":
            checks.append(_equals(node.attrib, node.value.value if node.value is not None else None))
        else:
            return None
        node = node.selector
    if node.namespace is not None:
        return None
    if node.element not in (None, "*"):
        checks.append(_is_tag(node.element))
    if len(checks) == 1:
        return checks[0]
    return lambda element: all(check(element) for check in checks)


def _equals(name: str, value: str | None) -> Test:
    return lambda element: bool(element.get(name) == value)


def _has(name: str) -> Test:
    return lambda element: element.get(name) is not None


def _has_class(name: str) -> Test:
    needle = f" {name} "
    return lambda element: needle in f" {(element.get('class') or '').translate(_XPATH_SPACES)} "


def _is_tag(tag: str) -> Test:
    return lambda element: bool(element.tag == tag)
