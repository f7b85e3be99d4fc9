"""The report's style sheet, the index's script and the Content-Security-Policy of each file.

Style and script are inline and the index's rows are in `index-data.js` beside it, so a
report opens from disk with no server and nothing fetched. The
policies allow no network at all: report pages run no script (their toggles are CSS), and the
index runs only its own script, named by its hash, and the data file beside it, which holds
JSON only; the script puts text into the page with `textContent`, so no text from a page can
ever run.
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
th[aria-sort=ascending] button::after { content: " \\25b2"; }
th[aria-sort=descending] button::after { content: " \\25bc"; }
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
.pager { margin: .4rem 0; } .pager button { margin-right: .3rem; } #range { margin: 0 .6rem; }
svg text { font: 12px system-ui, sans-serif; fill: #1d2126; }
"""

INDEX_SCRIPT = """
(function () {
  "use strict";
  // Rows come from index-data.js: [#, id, status, title, words, error, page file, counts].
  // Every cell is set with textContent: no text from a page is ever parsed as HTML.
  var data = window.cleanerIndex;
  var $ = function (id) { return document.getElementById(id); };
  var count = function (n) { return n.toLocaleString("en-US"); };
  var query = $("q"), status = $("f-status"), reason = $("f-reason"), error = $("f-error");
  var body = $("rows").tBodies[0], pager = $("pager"), shown = $("shown");
  var headers = Array.prototype.slice.call(document.querySelectorAll("#rows thead button"));
  var size = data.pageSize, collator = new Intl.Collator(undefined, {numeric: true});
  var rows = data.rows.map(function (r) {
    var removed = r[7].reduce(function (a, b) { return a + b; }, 0);
    return {cells: [r[0], r[1], r[2], r[3], r[4], removed, r[5]].concat(r[7]), file: r[6],
            search: (r[1] + " " + r[3]).toLowerCase()};
  });
  var state = {q: "", status: "", reason: "", error: "", sort: 0, dir: 1, page: 0}, view = rows;
  function keep(row) {
    var c = row.cells, r = data.reasons.indexOf(state.reason);
    return (!state.q || row.search.indexOf(state.q) >= 0) &&
      (!state.status || c[2] === state.status) && (!state.error || c[6] === state.error) &&
      (r < 0 || c[7 + r] > 0);
  }
  function order() {
    var col = state.sort, dir = state.dir;
    headers.forEach(function (b) {
      if (Number(b.dataset.col) === col) {
        b.parentNode.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
      } else {
        b.parentNode.removeAttribute("aria-sort");
      }
    });
    rows.sort(function (a, b) {
      var x = a.cells[col], y = b.cells[col];
      var d = typeof x === "number" ? x - y : collator.compare(x, y);
      return d ? dir * d : a.cells[0] - b.cells[0];
    });
  }
  function cell(value, col, row) {
    var td = document.createElement("td");
    if (typeof value === "number") { td.className = "n"; }
    if (col === 1 && row.file) {
      var a = document.createElement("a");
      a.href = "pages/" + encodeURIComponent(row.file);
      a.textContent = value;
      td.appendChild(a);
    } else if (col === 2) {
      var span = document.createElement("span");
      span.className = "status-" + value;
      span.textContent = value;
      td.appendChild(span);
    } else {
      td.textContent = col >= 7 && value === 0 ? "" : String(value);
    }
    return td;
  }
  function line(row) {
    var tr = document.createElement("tr");
    tr.dataset.id = row.cells[1];
    tr.dataset.status = row.cells[2];
    row.cells.forEach(function (value, col) { tr.appendChild(cell(value, col, row)); });
    return tr;
  }
  function button(label, page, disabled) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.disabled = disabled;
    b.addEventListener("click", function () { state.page = page; draw(); });
    return b;
  }
  function drawPager(pages) {
    var first = state.page * size, last = Math.min(view.length, first + size);
    var text = document.createElement("span");
    text.id = "range";
    text.textContent = view.length ? "Inputs " + count(first + 1) + "\u2013" + count(last) + " of " +
      count(view.length) + ", page " + count(state.page + 1) + " of " + count(pages) : "No input matches.";
    var atFirst = state.page === 0, atLast = state.page >= pages - 1;
    pager.replaceChildren(
      button("\u00ab first", 0, atFirst), button("\u2039 previous", state.page - 1, atFirst), text,
      button("next \u203a", state.page + 1, atLast), button("last \u00bb", pages - 1, atLast));
  }
  function draw() {
    var pages = Math.max(1, Math.ceil(view.length / size));
    state.page = Math.max(0, Math.min(state.page, pages - 1));
    var fragment = document.createDocumentFragment();
    view.slice(state.page * size, (state.page + 1) * size).forEach(function (row) {
      fragment.appendChild(line(row));
    });
    body.replaceChildren(fragment);
    shown.textContent = count(view.length);
    drawPager(pages);
    try {  // kept in the address, so the back button comes back to this view
      history.replaceState(null, "", "#" + new URLSearchParams(state).toString());
    } catch (e) { /* a browser that refuses it under file: keeps working without */ }
  }
  function filter() { view = rows.filter(keep); draw(); }
  function read() {
    state.q = query.value.toLowerCase();
    state.status = status.value;
    state.reason = reason.value;
    state.error = error.value;
  }
  function changed() { read(); state.page = 0; filter(); }
  [query, status, reason, error].forEach(function (el) { el.addEventListener("input", changed); });
  headers.forEach(function (b) {
    b.addEventListener("click", function () {
      var col = Number(b.dataset.col);
      state.dir = state.sort === col ? -state.dir : 1;
      state.sort = col;
      state.page = 0;
      order();
      filter();
    });
  });
  var saved = new URLSearchParams(location.hash.slice(1));
  query.value = saved.get("q") || "";
  status.value = saved.get("status") || "";
  reason.value = saved.get("reason") || "";
  error.value = saved.get("error") || "";
  read();
  state.sort = Math.min(Number(saved.get("sort")) || 0, headers.length - 1);
  state.dir = saved.get("dir") === "-1" ? -1 : 1;
  state.page = Number(saved.get("page")) || 0;
  order();
  filter();
})();
"""

_BASE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
)


def page_policy() -> str:
    return _BASE_POLICY


def index_policy() -> str:
    """The index's own script by its hash, and index-data.js beside it ('self')."""
    digest = base64.b64encode(hashlib.sha256(INDEX_SCRIPT.encode()).digest()).decode()
    return f"{_BASE_POLICY}; script-src 'sha256-{digest}' 'self'"
