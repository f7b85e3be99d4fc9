"""The report in a real headless Chromium: the index loads and its scripts run under its
policy, its counts match the JSONL, filters and sorting act on all rows (not one page of
them), a reason toggle works, the hostile page fires no dialog, and a screenshot shows
something.

Needs Debian's `chromium` (`apt-get install -y chromium`; `.ci/run` installs it) and the
`playwright` Python package (the dev extra); without chromium the tests are skipped, saying so.
"""

from __future__ import annotations

import base64
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cleaner.report import report_from_records
from tests.report.conftest import read_records
from tests.report.test_report import synthetic

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed: apt-get install -y chromium (Debian; .ci/run does this)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright Python package is missing: pip install -e '.[dev]'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    page = browser.new_page(viewport={"width": 1100, "height": 800})
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("dialog", lambda d: (page.problems.append(f"dialog: {d.message}"), d.dismiss()))
    yield page
    page.close()


ROWS_SHOWN = """() => {
  const heads = Array.from(document.querySelectorAll('#rows thead button')).map(b => b.textContent);
  return Array.from(document.querySelectorAll('#rows tbody tr')).map(tr => {
    const c = Array.from(tr.cells).map(td => td.textContent);
    return {number: Number(c[0]), id: tr.dataset.id, status: c[2], title: c[3], words: Number(c[4]),
            removed: Number(c[5]), error: c[6], link: tr.querySelector('a') && tr.querySelector('a').href,
            counts: Object.fromEntries(heads.slice(7).map((h, i) => [h, Number(c[7 + i] || 0)])
              .filter(kv => kv[1] > 0))};
  });
}"""


def test_index_loads_and_its_counts_match_the_jsonl(page: Any, run_report: tuple[Path, Path]) -> None:
    out, report = run_report
    records = read_records(out)
    page.goto((report / "index.html").as_uri())
    assert page.locator("#shown").inner_text() == str(len(records))  # the scripts ran under the CSP
    rows = page.evaluate(ROWS_SHOWN)
    assert [r["id"] for r in rows] == [r["id"] for r in records]
    for row, record in zip(rows, records, strict=True):
        counts = Counter(r["reason"] for r in record["removed"])  # type: ignore[attr-defined]
        assert row["status"] == record["status"]
        assert row["counts"] == dict(counts) and row["removed"] == sum(counts.values())
        error = record.get("error")
        assert row["error"] == (error["type"] if isinstance(error, dict) else "")
    page.goto(rows[0]["link"])  # the link opens the input's page
    assert page.locator("h1").inner_text() in (records[0]["title"], records[0]["id"])
    page.go_back()
    page.select_option("#f-status", "error")
    errors = sum(r["status"] == "error" for r in records)
    assert page.locator("#shown").inner_text() == str(errors) == str(page.locator("#rows tbody tr").count())
    page.select_option("#f-status", "")
    page.click("#rows thead button[data-col='4']")  # words, ascending
    words = [r["words"] for r in page.evaluate(ROWS_SHOWN)]
    assert words == sorted(words) and words[0] < words[-1]
    assert page.problems == []


def test_filters_and_sorting_act_on_every_page(page: Any, tmp_path: Path) -> None:
    records = synthetic(1_234)
    report_from_records(records, tmp_path, page_size=100)
    page.goto((tmp_path / "index.html").as_uri())
    assert page.locator("#range").inner_text() == "Inputs 1–100 of 1,234, page 1 of 13"
    assert len(page.evaluate(ROWS_SHOWN)) == 100
    page.fill("#q", "page-01100")  # on the 12th page
    assert [r["id"] for r in page.evaluate(ROWS_SHOWN)] == ["page-01100"]
    page.fill("#q", "")
    page.select_option("#f-reason", "nav")
    navs = [r["id"] for r in records if any(x["reason"] == "nav" for x in r["removed"])]  # type: ignore[attr-defined]
    assert page.locator("#shown").inner_text() == f"{len(navs):,}" and len(navs) > 100
    seen = [r["id"] for r in page.evaluate(ROWS_SHOWN)]
    while page.locator("#pager button:has-text('next')").is_enabled():  # every page, in turn
        page.click("#pager button:has-text('next')")
        seen += [r["id"] for r in page.evaluate(ROWS_SHOWN)]
    assert seen == navs
    page.select_option("#f-reason", "")
    page.click("#rows thead button[data-col='5']")  # removed, ascending...
    page.click("#rows thead button[data-col='5']")  # ...then descending, over all 1,234 rows
    first = page.evaluate(ROWS_SHOWN)
    assert {r["removed"] for r in first} == {4} and first[0]["number"] == 5  # ties keep input order
    page.click("#pager button:has-text('last')")
    last = page.evaluate(ROWS_SHOWN)
    assert {r["removed"] for r in last} == {0} and last[-1]["id"] == "page-01230"
    assert page.locator("#rows thead th[aria-sort=descending]").inner_text().startswith("removed")
    page.select_option("#f-status", "error")
    shown = page.evaluate(ROWS_SHOWN)
    assert page.locator("#shown").inner_text() == str(sum(r["status"] == "error" for r in records))
    assert len(shown) == 100 and {r["status"] for r in shown} == {"error"}
    assert [r["removed"] for r in shown] == sorted((r["removed"] for r in shown), reverse=True)
    page.goto(shown[3]["link"])  # and back: the same view, from the address
    page.go_back()
    assert page.evaluate(ROWS_SHOWN) == shown and page.input_value("#f-status") == "error"
    assert page.problems == []


def test_a_reason_toggle_hides_its_blocks(page: Any, run_report: tuple[Path, Path]) -> None:
    _, report = run_report
    page.goto(next((report / "pages").glob("*-en_cup_final.html-*.html")).as_uri())
    ads = page.locator("main .x[data-reason='ad']")
    assert ads.count() > 0 and all(ads.nth(i).is_visible() for i in range(ads.count()))
    page.uncheck("input.toggle[data-reason='ad']")
    hidden = page.eval_on_selector_all(
        "main .x[data-reason='ad']", "els => els.map(e => getComputedStyle(e).display)"
    )
    assert hidden == ["none"] * ads.count()
    assert page.locator("main .k").first.is_visible()  # kept text still shows
    assert page.locator("main .x:visible").count() > 0  # other reasons too
    page.check("input.toggle[data-reason='ad']")
    assert ads.first.is_visible()
    assert page.problems == []


def test_hostile_page_runs_nothing(page: Any, run_report: tuple[Path, Path]) -> None:
    _, report = run_report
    page.goto(next((report / "pages").glob("*-hostile.html-*.html")).as_uri())
    page.wait_for_timeout(300)
    assert "alert(3)" in page.locator("main").inner_text()  # shown as text
    assert page.evaluate("document.scripts.length") == 0
    assert page.locator("main a, main img, main b").count() == 0
    for text in page.locator("main .b").all()[:20]:
        text.hover()
        text.click()
    page.goto((report / "index.html").as_uri())
    page.fill("#q", "hostile")
    assert page.locator("#shown").inner_text() == "1"
    assert [p for p in page.problems if p.startswith("dialog")] == []


def test_screenshot_is_not_blank(page: Any, run_report: tuple[Path, Path], tmp_path: Path) -> None:
    _, report = run_report
    page.goto((report / "index.html").as_uri())
    png = page.screenshot(path=str(tmp_path / "index.png"))
    assert (tmp_path / "index.png").stat().st_size > 10_000
    # decoded by the browser itself: how many colours, and how much is not white
    page.goto("about:blank")
    colours, inked = page.evaluate(
        """async (src) => { const img = new Image(); img.src = src; await img.decode();
             const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
             const g = c.getContext('2d'); g.drawImage(img, 0, 0);
             const d = g.getImageData(0, 0, c.width, c.height).data; const seen = new Set(); let ink = 0;
             for (let i = 0; i < d.length; i += 4) { seen.add((d[i] << 16) | (d[i+1] << 8) | d[i+2]);
               if (d[i] + d[i+1] + d[i+2] < 600) ink++; }
             return [seen.size, ink / (d.length / 4)]; }""",
        "data:image/png;base64," + base64.b64encode(png).decode(),
    )
    assert colours > 50 and inked > 0.02
