"""trafilatura's regular-expression XPaths, matched in Python: same elements, a third of the time.

trafilatura prunes its trees with XPaths that call `re:test()` (EXSLT regular expressions). lxml
runs each of those calls as a Python callback, for every candidate element and every test, and
on a news page that is the largest single cost of an extraction. Here each such expression
becomes a matcher: lxml's iterator picks the elements with the tags the expression names, and
compiled regexes test their attributes in Python, memoised per value within a page. A few
plain expressions of the same shape (`.//*[self::div or ...][contains(@class, ...)]`) get a
matcher too: libxml2 walks a whole page for them more slowly than this loop does.

A matcher replaces an expression only if the expression's text is exactly the one it was
written for (checked by digest), so a trafilatura release that changes an expression keeps its
own, slower but right. The regexes are read from the expression text itself, in order. The
results are the same elements in the same (document) order; `tests/extract/test_fast_xpaths.py`
checks that on every benchmark and sample page.

Two XPath details the matchers keep: `re:test(@id|@class, ...)` tests only whichever of the two
attributes comes first in the element (XPath takes the first node of a node-set), and a missing
attribute is an empty string.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from lxml.etree import Element, XPath, _Element
from trafilatura import xpaths

_TEST = re.compile(r"re:test\([^,]+, '([^']*)'(?:, '([^']*)')?\)")

#: Prunes get a list (they delete what they iterate over); the article-body expressions,
#: of which trafilatura takes the first match, get an iterator that stops there.
Matcher = Callable[[_Element], list[_Element]] | Callable[[_Element], Iterator[_Element]]
_CONTAINERS = ("article", "div", "main", "section")
_PRUNED = ("div", "item", "list", "p", "section", "span")  # what the discard expressions test


class Search(dict[str, bool]):
    """One of an expression's regexes, asked as `search[value]`: whether it is found in the
    value, memoised until `new_page`. Within a page the same class and id values come back
    in every expression and every run (six in ten lookups are repeats on the benchmark)."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        super().__init__()
        self._search = pattern.search
        _SEARCHES.append(self)

    def __missing__(self, value: str) -> bool:
        if len(self) >= _MEMO_LIMIT:  # a page of unique values: memory stays bounded
            self.clear()
        found = self[value] = self._search(value) is not None
        return found


_SEARCHES: list[Search] = []
_MEMO_LIMIT = 10_000


def new_page() -> None:
    """Forget the memoised verdicts, at each page: memory stays small."""
    for search in _SEARCHES:
        search.clear()


def _first(element: _Element, a: str, b: str, va: str | None = None, vb: str | None = None) -> str:
    """The value of whichever of attributes `a` and `b` comes first in `element` ('' if neither);
    `va` and `vb` are their values when the caller has them already."""
    va = element.get(a) if va is None else va
    vb = element.get(b) if vb is None else vb
    if va is None or vb is None:
        return va or vb or ""
    for key in element.keys():  # noqa: SIM118 (iterating an element gives its children)
        if key == a:
            return va
        if key == b:
            return vb
    return va  # not reached: both are attributes of the element


def _candidates(tags: tuple[str, ...]) -> Callable[[_Element], Iterator[_Element]]:
    """The descendants with one of `tags` (all elements if empty), in document order: what
    `.//*[self::a or self::b]` selects. lxml's iterator beats the XPath engine at this."""
    if tags:
        return lambda tree: tree.iterdescendants(*tags)
    return lambda tree: tree.iterdescendants(Element)


def _overall_discard(patterns: list[Search]) -> Matcher:
    either, by_id, by_class = patterns
    find = _candidates(_PRUNED)

    def match(element: _Element) -> bool:
        id_, class_ = element.get("id"), element.get("class")
        return (
            element.get("data-lp-replacement-content") is not None
            or "nav" in (element.get("role") or "").replace("N", "n")
            or "MostPopularStories" in (element.get("data-component") or "")
            or either[_first(element, "id", "class", id_, class_)]
            or (id_ is not None and by_id[id_])
            or (class_ is not None and by_class[class_])
        )

    return _matcher(find, match)


def _overall_hidden(patterns: list[Search]) -> Matcher:
    hidden, by_id, by_class = patterns
    find = _candidates(())

    def match(element: _Element) -> bool:
        id_, class_, style = element.get("id"), element.get("class"), element.get("style")
        if id_ is None and class_ is None and style is None:
            return bool(element.get("aria-hidden") == "true")
        return (
            class_ == "comments-title"
            or _first(element, "id", "class", id_, class_).startswith("reply-")
            or hidden[_first(element, "id", "style", id_, style)]
            or (style is not None and ("display:none" in style or "display: none" in style))
            or (id_ is not None and by_id[id_])
            or (class_ is not None and by_class[class_])
            or element.get("aria-hidden") == "true"
        )

    return _matcher(find, match)


def _precision_discard(patterns: list[Search]) -> Matcher:
    bottom, link = patterns
    find = _candidates(_PRUNED)

    def match(element: _Element) -> bool:
        first = _first(element, "id", "class", element.get("id"), element.get("class"))
        return bottom[first] or link[first] or "border" in (element.get("style") or "")

    return _matcher(find, match)


def _id_or_class(tags: tuple[str, ...]) -> Callable[[list[Search]], Matcher]:
    """`.//*[tags][re:test(@id, A) or re:test(@class, B)]`"""

    def build(patterns: list[Search]) -> Matcher:
        by_id, by_class = patterns
        return lambda tree: _either_in(tree, tags, by_id, by_class)

    return build


def _comments_and_lists(patterns: list[Search]) -> Matcher:
    by_id, by_class, list_id, list_class = patterns
    tags = ("div", "list", "section", "details", "ol", "ul")

    def matcher(tree: _Element) -> list[_Element]:
        found = _either_in(tree, tags, by_id, by_class)
        return [e for e in found if e.tag not in ("ol", "ul") or _either(e, list_id, list_class)]

    return matcher


def _raw_tree_prune(patterns: list[Search]) -> Matcher:
    by_id, by_class, strict_id, strict_class = patterns
    tags = ("div", "section", "aside")

    def strict(element: _Element) -> bool:
        has_h1 = next(element.iterdescendants("h1"), None) is not None
        return not has_h1 or _either(element, strict_id, strict_class)

    return lambda tree: [e for e in _either_in(tree, tags, by_id, by_class) if strict(e)]


def _comments_discard(patterns: list[Search]) -> Matcher:
    by_class, either = patterns
    find = _candidates(())

    def match(element: _Element) -> bool:
        id_, class_, style = element.get("id"), element.get("class"), element.get("style")
        return (
            class_ == "comments-title"
            or (style is not None and "display:none" in style)
            or (class_ is not None and by_class[class_])
            or (
                (id_ is not None or class_ is not None)
                and either[_first(element, "id", "class", id_, class_)]
            )
        )

    return _matcher(find, match)


def _contains(
    tags: tuple[str, ...], needle: str, names: tuple[str, ...], *, t_to_lower: bool = False
) -> Callable[[list[Search]], Matcher]:
    """`.//*[tags][contains(@name, needle) or ...]`, with `translate(@name, 'T', 't')` if
    `t_to_lower`: plain XPath, but libxml2 takes longer over a whole page than this loop."""

    def match(element: _Element) -> bool:
        for name in names:
            value = element.get(name)
            if value is not None and needle in (value.replace("T", "t") if t_to_lower else value):
                return True
        return False

    return lambda _: _matcher(_candidates(tags), match)


def _either_in(tree: _Element, tags: tuple[str, ...], by_id: Search, by_class: Search) -> list[_Element]:
    """The descendants with one of `tags` whose id matches `by_id` or class `by_class`."""
    return [element for element in tree.iterdescendants(*tags) if _either(element, by_id, by_class)]


def _either(element: _Element, by_id: Search, by_class: Search) -> bool:
    id_, class_ = element.get("id"), element.get("class")
    return (id_ is not None and by_id[id_]) or (class_ is not None and by_class[class_])


def _matcher(find: Callable[[_Element], Iterator[_Element]], match: Callable[[_Element], bool]) -> Matcher:
    def matcher(tree: _Element) -> list[_Element]:
        return [element for element in find(tree) if match(element)]

    return matcher


def _article_body(patterns: list[Search]) -> Matcher:
    """`.//*[containers][...][1]`: of the matching containers, each that is the first among its
    siblings to match, in document order."""
    by_id, by_class = patterns
    named_ids, named_classes = {"articleContent"}, {"post", "entry"}

    def match(element: _Element) -> bool:
        id_, class_ = element.get("id"), element.get("class")
        return (
            class_ in named_classes
            or element.get("itemprop") == "articleBody"
            or id_ in named_ids
            or (id_ is not None and by_id[id_])
            or (class_ is not None and by_class[class_])
        )

    def matcher(tree: _Element) -> Iterator[_Element]:
        parents = set()  # a later sibling of a match is not the first among its siblings
        for element in tree.iterdescendants(*_CONTAINERS):
            if match(element):
                parent = element.getparent()
                if parent not in parents:
                    parents.add(parent)
                    yield element

    return matcher


def _story(patterns: list[Search]) -> Matcher:
    """`(.//*[containers][...])[1]`: the first container that names itself a story."""
    by_id, fulltext, by_class = patterns
    ids, classes = {"article", "story"}, {"postarea", "art-postcontent", "text", "cell", "story"}

    def match(element: _Element) -> bool:
        id_, class_ = element.get("id"), element.get("class")
        return (
            element.get("role") == "article"
            or id_ in ids
            or class_ in classes
            or (id_ is not None and by_id[id_])
            or (class_ is not None and (fulltext[class_] or by_class[class_]))
        )

    return _first_match(_CONTAINERS, match)


def _main_content(patterns: list[Search]) -> Matcher:
    """`(.//*[containers][...])[1]`: the first container that names itself the main content."""
    by_id, by_class = patterns

    def match(element: _Element) -> bool:
        id_, class_ = element.get("id") or "", element.get("class") or ""
        return (
            id_ == "content"
            or class_ == "content"
            or by_id[id_]
            or by_class[class_]
            or "main-content" in id_.replace("C", "c").replace("M", "m")
            or "main-content" in class_.replace("C", "c").replace("M", "m")
            or "page-content" in class_.replace("C", "c").replace("P", "p")
        )

    return _first_match(_CONTAINERS, match)


def _main(patterns: list[Search]) -> Matcher:
    """`(.//*[article|div|section][@class|@id|@role starts with 'main'])[1]|(.//main)[1]`"""

    def match(element: _Element) -> bool:
        return any((element.get(name) or "").startswith("main") for name in ("class", "id", "role"))

    def matcher(tree: _Element) -> Iterator[_Element]:
        found_named = found_main = False
        for element in tree.iterdescendants(*_CONTAINERS):
            if element.tag == "main":
                if not found_main:
                    found_main = True
                    yield element
            elif not found_named and match(element):
                found_named = True
                yield element
            if found_named and found_main:
                return

    return matcher


def _first_match(tags: tuple[str, ...], match: Callable[[_Element], bool]) -> Matcher:
    def matcher(tree: _Element) -> Iterator[_Element]:
        for element in tree.iterdescendants(*tags):
            if match(element):
                yield element
                return

    return matcher


#: (trafilatura list, index, digest of the expression text, matcher builder)
_REPLACEMENTS: tuple[tuple[str, int, str, Callable[[list[Search]], Matcher]], ...] = (
    ("BODY_XPATH", 0, "caaa561ceca17064", _article_body),
    ("BODY_XPATH", 2, "6c9b5e1fdc092943", _story),
    ("BODY_XPATH", 3, "10a7ceacc0ff8cdf", _main_content),
    ("BODY_XPATH", 4, "95f15d1c1b6d4052", _main),
    ("OVERALL_DISCARD_XPATH", 0, "a837e58a1b1ea116", _overall_discard),
    ("OVERALL_DISCARD_XPATH", 1, "c1d5b70b8cd03783", _overall_hidden),
    ("PRECISION_DISCARD_XPATH", 1, "53d31ea1df47920a", _precision_discard),
    ("REMOVE_COMMENTS_XPATH", 0, "5d97216ca15d0558", _id_or_class(("div", "list", "section", "details"))),
    ("REMOVE_COMMENTS_AND_LISTS_XPATH", 0, "9cc18d34e6e2d258", _comments_and_lists),
    ("RAW_TREE_PRUNE_XPATH", 0, "01e7c660fd6406f2", _raw_tree_prune),
    ("COMMENTS_DISCARD_XPATH", 2, "4df53845e992d9c2", _comments_discard),
    (
        "RAW_TREE_PRUNE_XPATH",
        1,
        "3c7afe92279543d5",
        _contains(("div", "section", "aside"), "elementor-share-buttons", ("class",)),
    ),
    (
        "TEASER_DISCARD_XPATH",
        0,
        "ebb02f066626551d",
        _contains(_PRUNED, "teaser", ("id", "class"), t_to_lower=True),
    ),
    ("DISCARD_IMAGE_ELEMENTS", 0, "cb1ab981e44913f7", _contains(_PRUNED, "caption", ("id", "class"))),
)


def digest(expression: XPath) -> str:
    return hashlib.sha256(expression.path.encode()).hexdigest()[:16]


def _matchers() -> list[tuple[str, int, XPath, Matcher]]:
    found = []
    for name, index, expected, build in _REPLACEMENTS:
        expressions = getattr(xpaths, name, None)
        if not isinstance(expressions, list) or index >= len(expressions):
            continue
        expression = expressions[index]
        if not isinstance(expression, XPath) or digest(expression) != expected:
            continue
        patterns = [
            Search(re.compile(p, re.I if "i" in flags else 0)) for p, flags in _TEST.findall(expression.path)
        ]
        found.append((name, index, expression, build(patterns)))
    return found


#: (list name, index, trafilatura's expression, our matcher), for every expression whose text
#: is the one its matcher was written for; taken at import, before anything is replaced.
MATCHERS = _matchers()


def install() -> None:
    """Put the matchers in trafilatura's expression lists in place of the expressions."""
    for name, index, _, matcher in MATCHERS:
        getattr(xpaths, name)[index] = matcher


@contextmanager
def shipped() -> Iterator[None]:
    """trafilatura's own expressions in place for a while (to time trafilatura as shipped)."""
    for name, index, expression, _ in MATCHERS:
        getattr(xpaths, name)[index] = expression
    try:
        yield
    finally:
        install()
