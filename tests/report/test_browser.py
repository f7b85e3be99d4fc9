"""The report in a real headless Chromium: the index loads and its script runs under its
policy, its counts match the JSONL, filters and a reason toggle work, the hostile page fires
no dialog, and a screenshot shows something.

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

from tests.report.conftest import read_records

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


def test_index_loads_and_its_counts_match_the_jsonl(page: Any, run_report: tuple[Path, Path]) -> None:
    out, report = run_report
    records = read_records(out)
    page.goto((report / "index.html").as_uri())
    assert page.locator("#shown").inner_text() == str(len(records))  # the script ran under the CSP
    rows = page.evaluate(
        """() => Array.from(document.querySelectorAll('#rows tbody tr')).map(tr => ({
             id: tr.dataset.id, status: tr.dataset.status,
             counts: Object.fromEntries(Array.from(document.querySelectorAll('#rows thead button'))
               .slice(7).map(b => [b.textContent, Number(tr.cells[Number(b.dataset.col)].dataset.v)])
               .filter(kv => kv[1] > 0)),
             removed: Number(tr.cells[5].dataset.v)}))"""
    )
    assert [r["id"] for r in rows] == [r["id"] for r in records]
    for row, record in zip(rows, records, strict=True):
        counts = Counter(r["reason"] for r in record["removed"])  # type: ignore[attr-defined]
        assert row["status"] == record["status"]
        assert row["counts"] == dict(counts) and row["removed"] == sum(counts.values())
    page.select_option("#f-status", "error")
    errors = sum(r["status"] == "error" for r in records)
    assert (
        page.locator("#shown").inner_text()
        == str(errors)
        == str(page.locator("#rows tbody tr:visible").count())
    )
    page.select_option("#f-status", "")
    page.click("#rows thead button[data-col='4']")  # words, ascending
    words = [
        int(v)
        for v in page.eval_on_selector_all("#rows tbody tr td:nth-child(5)", "c => c.map(x => x.dataset.v)")
    ]
    assert words == sorted(words) and words[0] < words[-1]
    assert page.problems == []


def test_a_reason_toggle_hides_its_blocks(page: Any, run_report: tuple[Path, Path]) -> None:
    _, report = run_report
    page.goto(next((report / "pages").glob("en_cup_final.html-*.html")).as_uri())
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
    page.goto(next((report / "pages").glob("hostile.html-*.html")).as_uri())
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
