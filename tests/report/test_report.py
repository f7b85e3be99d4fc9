"""The HTML report: escaping, page order, counts, paging and bounded files."""

from __future__ import annotations

import json
import re
from collections import Counter
from html import unescape
from pathlib import Path

from click.testing import CliRunner

from cleaner import Options, clean_html
from cleaner.cli import main
from cleaner.report import report_from_records, view_of_document, view_of_record
from cleaner.report.page import render_page
from cleaner.report.view import MAX_PAGE_CHARS
from tests.report.conftest import HOSTILE, STORY, read_records

ROW = re.compile(r"<tr (data-id=.*?)</tr>", re.S)


def index_rows(report: Path) -> list[str]:
    pages = sorted(report.glob("index*.html"), key=lambda p: (len(p.name), p.name))
    return [row for page in pages for row in ROW.findall(page.read_text(encoding="utf-8"))]


def attr(row: str, name: str) -> str:
    match = re.search(rf'{name}="([^"]*)"', row)
    assert match, (name, row[:200])
    return unescape(match.group(1))


def test_hostile_text_is_escaped_and_nothing_can_run() -> None:
    doc = clean_html(HOSTILE, url="javascript:alert(7)", options=Options(detect_language=False))
    page = render_page(view_of_document(doc))
    assert "alert(3)" in unescape(page)  # the text is shown...
    assert "<script" not in page.lower()  # ...but no element of it is made
    assert "<img" not in page.lower() and "<b " not in page.lower()
    assert 'href="javascript' not in page.lower()  # the URL is shown as text, not linked
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert policy, "no Content-Security-Policy"
    assert "default-src 'none'" in unescape(policy.group(1)) and "script-src" not in policy.group(1)


def test_run_report_rows_match_the_jsonl(run_report: tuple[Path, Path]) -> None:
    out, report = run_report
    records = read_records(out)
    rows = index_rows(report)
    assert [attr(r, "data-id") for r in rows] == [r["id"] for r in records]
    for row, record in zip(rows, records, strict=True):
        assert attr(row, "data-status") == record["status"]
        reasons = Counter(r["reason"] for r in record["removed"])  # type: ignore[index]
        assert set(attr(row, "data-reasons").split()) == set(reasons)
        error = record.get("error")
        assert attr(row, "data-error") == (error["type"] if isinstance(error, dict) else "")


def test_run_report_page_shows_removals_in_place(run_report: tuple[Path, Path]) -> None:
    _, report = run_report
    page = next((report / "pages").glob("hostile.html-*.html")).read_text(encoding="utf-8")
    blocks = re.findall(r'<div class="b (k|x r\d+)[^"]*"', page)
    texts = [unescape(t) for t in re.findall(r'<div class="b [^>]*>(.*?)</div>', page, re.S)]
    ad = next(i for i, t in enumerate(texts) if "Advertisement" in t)
    kept = [i for i, t in enumerate(texts) if STORY in t]
    assert len(kept) == 2 and kept[0] < ad < kept[1]
    assert blocks[ad].startswith("x") and blocks[kept[0]] == "k"
    assert 'data-reason="ad"' in page


def test_report_from_jsonl_is_labelled_unordered(run_report: tuple[Path, Path], tmp_path: Path) -> None:
    out, _ = run_report
    result = CliRunner().invoke(main, ["report", str(out), "-o", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    assert len(index_rows(tmp_path / "r")) == len(read_records(out))
    page = next((tmp_path / "r" / "pages").glob("hostile.html-*.html")).read_text(encoding="utf-8")
    assert "Page order unknown" in page


def synthetic(n: int) -> list[dict[str, object]]:
    reasons = ["ad", "nav", "footer", "related"]
    return [
        {
            "id": f"page-{i:05d}",
            "source": f"crawl/{i}.html",
            "status": "ok" if i % 7 else "error",
            "title": f"Title {i}",
            "text": f"Paragraph one of {i}.\n\nParagraph two.",
            "removed": [
                {"text": f"chrome {j}", "reason": reasons[(i + j) % 4], "rule": "r"} for j in range(i % 5)
            ],
            "error": {"type": "decode", "message": "bad", "stage": "read", "retryable": False}
            if i % 7 == 0
            else None,
            "meta_sources": {},
        }
        for i in range(n)
    ]


def test_a_large_run_is_split_into_index_pages(tmp_path: Path) -> None:
    records = synthetic(1_200)
    huge = {"id": "huge", "status": "ok", "text": ("word " * 1_000 + "\n\n") * 600, "removed": []}
    assert report_from_records([*records, huge], tmp_path, page_size=500) == 1_201
    assert sorted(p.name for p in tmp_path.glob("index*.html")) == [
        "index-2.html",
        "index-3.html",
        "index.html",
    ]
    sizes = [
        len(ROW.findall((tmp_path / name).read_text()))
        for name in ("index.html", "index-2.html", "index-3.html")
    ]
    assert sizes == [500, 500, 201]
    summary = (tmp_path / "index-3.html").read_text()
    removed = sum(len(r["removed"]) for r in records)  # type: ignore[arg-type]
    assert f"{removed:,} blocks removed" in summary and "1,201</strong> inputs" in summary
    assert len(list((tmp_path / "pages").iterdir())) == 1_201
    biggest = max(p.stat().st_size for p in (tmp_path / "pages").iterdir())
    assert biggest < MAX_PAGE_CHARS * 1.2 + 20_000  # the 3 MB page is cut to its bound
    assert (
        "characters of long blocks are not shown"
        in (tmp_path / "pages")
        .joinpath(next(p.name for p in (tmp_path / "pages").iterdir() if p.name.startswith("huge")))
        .read_text()
    )


def test_view_of_record_keeps_kept_text_then_removals() -> None:
    record = synthetic(4)[3]
    view = view_of_record(json.loads(json.dumps(record)))
    assert [i.reason is None for i in view.items] == [True, True, False, False, False]
    assert not view.ordered and view.title == "Title 3"


def test_report_help_shows_examples() -> None:
    result = CliRunner().invoke(main, ["report", "--help"])
    assert result.exit_code == 0 and "cleaner report out.jsonl -o report/" in result.output
