"""The report's index: every input in one table, sortable and filterable over the whole run.

Rows are collected as the run goes and kept in a temporary file, not in memory. At the end
the rows go into `index-data.js` (a script that assigns them to a global: a page opened from
disk may load a script beside it but may not `fetch` a file) and `index.html` draws them with
its own script, a page of `page_size` rows at a time, so filters and sorting act on every
input and the page stays fast at any size of run. Rows are bounded (ids and titles are cut):
a row takes its id, its page file's name, its title and about fifty bytes more.
"""

from __future__ import annotations

import json
from collections import Counter
from html import escape
from pathlib import Path
from typing import Any

from cleaner.report.assets import INDEX_SCRIPT, index_policy
from cleaner.report.page import document
from cleaner.report.view import PageView

PAGE_SIZE = 500
DATA = "index-data.js"
MAX_ID_CHARS = 400
MAX_TITLE_CHARS = 200
_ROWS = ".rows.jsonl"
# the table's columns, in the order the script draws them; per-reason counts follow
COLUMNS = [("#", "num"), ("id", "text"), ("status", "text"), ("title", "text"), ("words", "num")]
COLUMNS += [("removed", "num"), ("error", "text")]


def index_row(view: PageView, file: str | None) -> dict[str, Any]:
    """What the index shows of one input (and all the summary needs)."""
    return {
        "id": view.id[:MAX_ID_CHARS],
        "file": file,
        "status": view.status,
        "title": (view.title or "")[:MAX_TITLE_CHARS],
        "words": view.words,
        "removed": dict(view.counts()),
        "error": None if view.error is None else str(view.error.get("type")),
    }


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
        self._spill.write(json.dumps(row) + "\n")

    def close(self) -> list[Path]:
        """Write the index page and its data; the files written."""
        self._spill.close()
        reasons = [r for r, _ in sorted(self.reasons.items(), key=lambda kv: (-kv[1], kv[0]))]
        spill, data = self.folder / _ROWS, self.folder / DATA
        with spill.open(encoding="utf-8") as rows, data.open("w", encoding="utf-8") as out:
            out.write(f'window.cleanerIndex = {{"reasons": {json.dumps(reasons)}, ')
            out.write(f'"pageSize": {self.page_size}, "rows": [\n')
            for number, line in enumerate(rows, 1):
                out.write(
                    ("," if number > 1 else "")
                    + json.dumps(_data_row(number, json.loads(line), reasons), separators=(",", ":"))
                )
                out.write("\n")
            out.write("]};\n")
        spill.unlink()
        index = self.folder / "index.html"
        index.write_text(self._render(reasons), encoding="utf-8")
        return [index, data]

    def _render(self, reasons: list[str]) -> str:
        body = "\n".join(
            [
                "<h1>cleaner report</h1>",
                self._summary(),
                chart(self.reasons),
                self._filters(reasons),
                '<nav class="pager" id="pager"></nav>',
                _table(reasons),
                '<noscript><p class="note">The index table needs JavaScript.</p></noscript>',
                f'<script src="{DATA}"></script>',
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
            + f'<span><span id="shown"></span> of {self.rows:,} inputs match</span></div>'
        )


def _data_row(number: int, row: dict[str, Any], reasons: list[str]) -> list[Any]:
    """A row as the script reads it: #, id, status, title, words, error, page file, counts."""
    removed: dict[str, int] = row["removed"]
    counts = [removed.get(r, 0) for r in reasons]
    return [
        number,
        row["id"],
        row["status"],
        row["title"],
        row["words"],
        row["error"] or "",
        row["file"],
        counts,
    ]


def _select(id: str, label: str, values: list[str]) -> str:
    options = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
    return f'<select id="{id}" aria-label="{label}"><option value="">{label}</option>{options}</select>'


def _table(reasons: list[str]) -> str:
    columns = COLUMNS + [(r, "num") for r in reasons]
    head = "".join(
        f'<th class="{"n" if kind == "num" else ""}"><button data-col="{n}">{escape(name)}</button></th>'
        for n, (name, kind) in enumerate(columns)
    )
    return f'<table id="rows"><thead><tr>{head}</tr></thead><tbody></tbody></table>'


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
