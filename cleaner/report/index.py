"""The report's index: every input in a table, sortable and filterable, split into pages.

Rows are collected as the run goes and kept in a temporary file, not in memory; the index
pages are written at the end, when the totals for the summary and the chart are known. Each
index page holds at most `page_size` rows, so it loads fast at any size of run.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from html import escape
from pathlib import Path
from typing import Any

from cleaner.report.assets import INDEX_SCRIPT, index_policy
from cleaner.report.page import document
from cleaner.report.view import PageView

PAGE_SIZE = 500
_ROWS = ".rows.jsonl"


def index_row(view: PageView, file: str | None) -> dict[str, Any]:
    """What the index shows of one input (and all the summary needs)."""
    return {
        "id": view.id,
        "file": file,
        "status": view.status,
        "title": view.title,
        "words": view.words,
        "removed": dict(view.counts()),
        "error": None if view.error is None else str(view.error.get("type")),
    }


def index_name(page: int) -> str:
    return "index.html" if page == 1 else f"index-{page}.html"


class IndexBuilder:
    def __init__(self, folder: Path, page_size: int = PAGE_SIZE) -> None:
        self.folder = folder
        self.page_size = page_size
        self.statuses: Counter[str] = Counter()
        self.reasons: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.rows = 0
        self._spill = (folder / _ROWS).open("w", encoding="utf-8")

    def add(self, row: dict[str, Any]) -> None:
        self.rows += 1
        self.statuses[row["status"]] += 1
        self.reasons.update(row["removed"])
        if row["error"]:
            self.errors[row["error"]] += 1
        self._spill.write(json.dumps(row, ensure_ascii=False) + "\n")

    def close(self) -> list[Path]:
        """Write the index pages; the files written."""
        self._spill.close()
        spill = self.folder / _ROWS
        pages = max(1, math.ceil(self.rows / self.page_size))
        written = []
        with spill.open(encoding="utf-8") as fh:
            for page in range(1, pages + 1):
                chunk = [
                    json.loads(next(fh))
                    for _ in range(min(self.page_size, self.rows - (page - 1) * self.page_size))
                ]
                path = self.folder / index_name(page)
                path.write_text(self._render(page, pages, chunk), encoding="utf-8")
                written.append(path)
        spill.unlink()
        return written

    def _render(self, page: int, pages: int, rows: list[dict[str, Any]]) -> str:
        reasons = [r for r, _ in sorted(self.reasons.items(), key=lambda kv: (-kv[1], kv[0]))]
        first = (page - 1) * self.page_size
        body = "\n".join(
            [
                "<h1>cleaner report</h1>",
                self._summary(),
                chart(self.reasons),
                _pager(page, pages, first, len(rows), self.rows),
                self._filters(reasons),
                _table(rows, reasons, first),
                _pager(page, pages, first, len(rows), self.rows),
                f"<script>{INDEX_SCRIPT}</script>",
            ]
        )
        return document("cleaner report", body, index_policy())

    def _summary(self) -> str:
        statuses = ", ".join(f"{n:,} {escape(s)}" for s, n in sorted(self.statuses.items()))
        errors = ", ".join(f"{n:,} {escape(t)}" for t, n in self.errors.most_common())
        removed = sum(self.reasons.values())
        return (
            f'<p id="summary"><strong>{self.rows:,}</strong> inputs: {statuses}. '
            f"{removed:,} blocks removed.{' Errors: ' + errors + '.' if errors else ''}</p>"
        )

    def _filters(self, reasons: list[str]) -> str:
        return (
            '<div class="filters">'
            '<input id="q" type="search" placeholder="filter id or title" aria-label="filter id or title">'
            + _select("f-status", "any status", sorted(self.statuses))
            + _select("f-reason", "any reason", reasons)
            + _select("f-error", "any error", sorted(self.errors))
            + '<span><span id="shown"></span> shown on this page</span></div>'
        )


def _select(id: str, label: str, values: list[str]) -> str:
    options = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
    return f'<select id="{id}" aria-label="{label}"><option value="">{label}</option>{options}</select>'


def _pager(page: int, pages: int, first: int, count: int, total: int) -> str:
    if pages == 1:
        return ""
    links = " ".join(
        f"<strong>{p}</strong>" if p == page else f'<a href="{index_name(p)}">{p}</a>'
        for p in range(1, pages + 1)
    )
    return f'<nav class="pager">Inputs {first + 1:,}–{first + count:,} of {total:,}. Page {links}</nav>'


def _table(rows: list[dict[str, Any]], reasons: list[str], first: int) -> str:
    columns = [("#", "num"), ("id", "text"), ("status", "text"), ("title", "text"), ("words", "num")]
    columns += [("removed", "num"), ("error", "text")] + [(r, "num") for r in reasons]
    head = "".join(
        f'<th class="{"n" if kind == "num" else ""}">'
        f'<button data-col="{n}" data-type="{kind}">{escape(name)}</button></th>'
        for n, (name, kind) in enumerate(columns)
    )
    body = "\n".join(_row(first + n + 1, row, reasons) for n, row in enumerate(rows))
    return f'<table id="rows"><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>'


def _row(number: int, row: dict[str, Any], reasons: list[str]) -> str:
    removed: dict[str, int] = row["removed"]
    id, title, status, error = row["id"], row["title"] or "", row["status"], row["error"] or ""
    link = f'<a href="pages/{escape(row["file"])}">{escape(id)}</a>' if row["file"] else escape(id)
    cells = [
        _cell(number, str(number), num=True),
        _cell(id, link),
        _cell(status, f'<span class="status-{escape(status)}">{escape(status)}</span>'),
        _cell(title, escape(title)),
        _cell(row["words"], str(row["words"]), num=True),
        _cell(sum(removed.values()), str(sum(removed.values())), num=True),
        _cell(error, escape(error)),
    ] + [_cell(removed.get(r, 0), str(removed.get(r, 0) or ""), num=True) for r in reasons]
    attrs = (
        f'data-id="{escape(id)}" data-status="{escape(status)}" data-error="{escape(error)}" '
        f'data-reasons="{escape(" ".join(removed))}" data-search="{escape((id + " " + title).lower())}"'
    )
    return f"<tr {attrs}>{''.join(cells)}</tr>"


def _cell(value: Any, shown: str, *, num: bool = False) -> str:
    return f'<td{" class=n" if num else ""} data-v="{escape(str(value))}">{shown}</td>'


def chart(reasons: Counter[str], width: int = 560, bar: int = 18) -> str:
    """Removals per reason as horizontal bars, in inline SVG."""
    ranked = sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked:
        return '<p id="chart">Nothing was removed.</p>'
    top, label, gap = ranked[0][1], 170, 4
    height = len(ranked) * (bar + gap)
    bars = []
    for n, (reason, count) in enumerate(ranked):
        y, length = n * (bar + gap), max(1, round((width - label - 60) * count / top))
        bars.append(
            f'<text x="{label - 6}" y="{y + bar - 5}" text-anchor="end">{escape(reason)}</text>'
            f'<rect x="{label}" y="{y}" width="{length}" height="{bar}" fill="#6b8fd6">'
            f"<title>{escape(reason)}: {count}</title></rect>"
            f'<text x="{label + length + 5}" y="{y + bar - 5}">{count:,}</text>'
        )
    return (
        f'<svg id="chart" role="img" aria-label="blocks removed by reason" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">{"".join(bars)}</svg>'
    )
