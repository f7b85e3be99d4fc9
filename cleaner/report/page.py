"""One input's report page: its facts, then its blocks in page order, removed ones in place.

Every piece of text from the page goes through `html.escape`; reasons become class names by
their position in the page's list (`r0`, `r1`...), never by their text. The reason toggles are
checkboxes styled with CSS, so the page needs no script and its policy allows none.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any
from urllib.parse import urlsplit

from cleaner.report.assets import STYLE, page_policy
from cleaner.report.view import PageView


def document(title: str, body: str, policy: str) -> str:
    """A complete HTML file around `body` (already escaped)."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>\n<body>\n{body}\n</body></html>\n"
    )


def render_page(view: PageView, index_href: str = "../index.html") -> str:
    reasons = sorted(view.counts().items(), key=lambda kv: (-kv[1], kv[0]))
    slot = {reason: n for n, (reason, _) in enumerate(reasons)}
    parts = [
        f'<p><a href="{escape(index_href)}">← all inputs</a></p>',
        f"<h1>{escape(view.title or view.id)}</h1>",
        _facts(view),
        _notes(view),
        _toggles(reasons),
        '<main id="blocks">',
        *_items_html(view, slot),
        "</main>",
    ]
    return document(f"{view.title or view.id} – cleaner report", "\n".join(parts), page_policy())


def _facts(view: PageView) -> str:
    rows = [
        ("id", escape(view.id), ""),
        ("status", f'<span class="status-{escape(view.status)}">{escape(view.status)}</span>', ""),
        ("source", escape(view.source), ""),
        ("words kept", str(view.words), ""),
        ("language", escape(view.language or "–"), ""),
    ]
    for name, value, source in view.meta:
        shown = _link(value) if name == "url" else escape(value or "–")
        rows.append((name, shown, escape(source or "")))
    cells = "".join(
        f'<tr><td>{name}</td><td>{value}</td><td class="src">{source}</td></tr>'
        for name, value, source in rows
    )
    return f'<table class="meta"><tbody>{cells}</tbody></table>'


def _link(url: str | None) -> str:
    """A link only for http(s) URLs: anything else (`javascript:`...) is shown as text."""
    if not url:
        return "–"
    if urlsplit(url).scheme.lower() in ("http", "https"):
        return f'<a href="{escape(url)}" rel="noreferrer noopener">{escape(url)}</a>'
    return escape(url)


def _notes(view: PageView) -> str:
    notes = []
    if view.error:
        notes.append(f'<div class="error"><strong>error</strong> {_error_text(view.error)}</div>')
    if not view.ordered:
        notes.append(
            '<div class="note">Page order unknown (a JSONL record does not keep it): kept blocks '
            "first, then the removed blocks in the order they were removed. <code>cleaner clean "
            "--report</code> shows them in place.</div>"
        )
    if view.cut:
        notes.append(f'<div class="note">{view.cut:,} characters of long blocks are not shown.</div>')
    return "\n".join(notes)


def _error_text(error: Mapping[str, Any]) -> str:
    fields = ", ".join(f"{escape(str(k))}: {escape(str(v))}" for k, v in error.items() if k != "message")
    return f'{escape(str(error.get("message", "")))} <span class="src">({fields})</span>'


def _toggles(reasons: list[tuple[str, int]]) -> str:
    """Checkboxes before <main>, and the CSS that hides a reason's blocks when it is unticked."""
    boxes = ['<input type="checkbox" class="toggle" id="tk" checked><label for="tk">kept</label>']
    rules = ["#tk:not(:checked) ~ main .k { display: none; }"]
    for n, (reason, count) in enumerate(reasons):
        boxes.append(
            f'<input type="checkbox" class="toggle" id="t{n}" data-reason="{escape(reason)}" checked>'
            f'<label for="t{n}">{escape(reason)} ({count})</label>'
        )
        rules.append(f"#t{n}:not(:checked) ~ main .r{n} {{ display: none; }}")
    # The inputs must be siblings of <main> for `~` to reach it: no wrapping element.
    return f'<style>{"".join(rules)}</style>\n<p class="src">Show:</p>\n' + "\n".join(boxes)


def _items_html(view: PageView, slot: Mapping[str, int]) -> list[str]:
    """Each block's <div>. The markup before a block's text depends only on its kind, or its
    reason and rule, which repeat from block to block: it is made once for each."""
    opening: dict[tuple[str, str | None, str | None], str] = {}
    out = []
    for item in view.items:
        key = (item.kind, item.reason, item.rule)
        start = opening.get(key)
        if start is None:
            start = opening[key] = _opening(*key, slot)
        out.append(f"{start}{escape(item.text, quote=False)}</div>")  # text, not an attribute
    return out


def _opening(kind: str, reason: str | None, rule: str | None, slot: Mapping[str, int]) -> str:
    if reason is None:
        kind_class = escape(kind if kind.replace("-", "").isalpha() else "paragraph")
        return f'<div class="b k {kind_class}">'
    why = f"{escape(reason)} · {escape(rule or '')}"
    return (
        f'<div class="b x r{slot[reason]}" data-reason="{escape(reason)}" data-rule="{escape(rule or "")}">'
        f'<span class="why">{why}</span>'
    )
