"""The report's style sheet, the index's script and the Content-Security-Policy of each file.

Everything is inline, so a report opens from disk with no server and nothing fetched. The
policies allow no network at all: report pages run no script (their toggles are CSS), and the
index runs only its own script, named by its hash, so no text from a page can ever run.
"""

from __future__ import annotations

import base64
import hashlib

STYLE = """
:root { color-scheme: light; --grey: #8a8f98; --line: #e3e5e8; --accent: #2f6fdf; }
body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem;
  color: #1d2126; background: #fff; }
h1 { font-size: 1.4rem; margin: .2rem 0 .6rem; word-break: break-word; }
a { color: var(--accent); }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: .25rem .45rem; text-align: left;
  vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0; cursor: pointer; }
.status-ok { color: #1c7c3a; } .status-empty { color: #a86b00; } .status-error { color: #c0262d; }
.meta td:first-child { width: 8rem; color: var(--grey); }
.src { color: var(--grey); font-size: .85em; }
.note { background: #fff6dc; border: 1px solid #f0d98a; padding: .4rem .7rem; margin: .6rem 0; }
.error { background: #fde8e8; border: 1px solid #f2b8b8; padding: .4rem .7rem; margin: .6rem 0; }
.toggles { margin: .8rem 0 .4rem; }
.toggles label { display: inline-block; margin: 0 .8rem .3rem 0; cursor: pointer; }
.toggle { margin-right: .25rem; }
main { border-top: 2px solid var(--line); margin-top: .4rem; }
.b { margin: .55rem 0; white-space: pre-wrap; word-break: break-word; }
.b.heading { font-weight: 650; font-size: 1.1em; }
.b.list-item::before { content: "• "; }
.b.quote { border-left: 3px solid var(--line); padding-left: .7rem; }
.b.code, .b.table { font-family: ui-monospace, monospace; font-size: .9em; }
.x { color: var(--grey); background: #f4f5f7; border-left: 3px solid #c9cdd3; padding: .15rem .6rem;
  text-decoration: line-through; text-decoration-color: #c9cdd3; }
.x .why { text-decoration: none; display: inline-block; font-size: .78em; color: #5d636c;
  background: #e6e8eb; border-radius: 3px; padding: 0 .35rem; margin-right: .5rem; }
.filters { margin: .6rem 0; display: flex; gap: .6rem; flex-wrap: wrap; align-items: center; }
.pager a, .pager strong { margin-right: .5rem; }
svg text { font: 12px system-ui, sans-serif; fill: #1d2126; }
"""

INDEX_SCRIPT = """
(function () {
  "use strict";
  var table = document.getElementById("rows");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var query = document.getElementById("q");
  var status = document.getElementById("f-status");
  var reason = document.getElementById("f-reason");
  var error = document.getElementById("f-error");
  var shown = document.getElementById("shown");
  function keep(row) {
    var d = row.dataset, text = query.value.toLowerCase();
    return (!text || d.search.indexOf(text) >= 0) &&
      (!status.value || d.status === status.value) &&
      (!reason.value || d.reasons.split(" ").indexOf(reason.value) >= 0) &&
      (!error.value || d.error === error.value);
  }
  function apply() {
    var count = 0;
    rows.forEach(function (row) { row.hidden = !keep(row); if (!row.hidden) { count += 1; } });
    shown.textContent = String(count);
  }
  [query, status, reason, error].forEach(function (el) { el.addEventListener("input", apply); });
  var order = {};
  Array.prototype.forEach.call(table.tHead.querySelectorAll("button[data-col]"), function (button) {
    button.addEventListener("click", function () {
      var col = Number(button.dataset.col), numeric = button.dataset.type === "num";
      var dir = order[col] = order[col] === 1 ? -1 : 1;
      rows.sort(function (a, b) {
        var x = a.cells[col].dataset.v, y = b.cells[col].dataset.v;
        if (numeric) { return dir * (Number(x) - Number(y)); }
        return dir * x.localeCompare(y);
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  apply();
})();
"""

_BASE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
)


def page_policy() -> str:
    return _BASE_POLICY


def index_policy() -> str:
    digest = base64.b64encode(hashlib.sha256(INDEX_SCRIPT.encode()).digest()).decode()
    return f"{_BASE_POLICY}; script-src 'sha256-{digest}'"
