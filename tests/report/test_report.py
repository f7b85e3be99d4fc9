"""The HTML report: escaping, page order, counts, paging and bounded files."""

from __future__ import annotations

import json
import re
from collections import Counter
from html import unescape
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from cleaner import Options, clean_html
from cleaner.cli import main
from cleaner.report import report_from_records, view_of_document, view_of_record
from cleaner.report.page import render_page
from cleaner.report.view import MAX_PAGE_CHARS
from cleaner.resume import manifest_path
from tests.report.conftest import HOSTILE, STORY, read_records


def index_data(report: Path) -> dict[str, Any]:
    """What index-data.js assigns: reasons, page size and one row per input."""
    script = (report / "index-data.js").read_text(encoding="utf-8")
    prefix = "window.cleanerIndex = "
    assert script.startswith(prefix) and script.endswith(";\n")
    data: dict[str, Any] = json.loads(script[len(prefix) : -2])
    return data


def rows_by_field(report: Path) -> list[dict[str, Any]]:
    data = index_data(report)
    fields = ["number", "id", "status", "title", "words", "error", "file", "counts"]
    rows = [dict(zip(fields, row, strict=True)) for row in data["rows"]]
    for row in rows:
        row["counts"] = {r: n for r, n in zip(data["reasons"], row["counts"], strict=True) if n}
    return rows


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
    rows = rows_by_field(report)
    assert [r["id"] for r in rows] == [r["id"] for r in records]
    assert [r["number"] for r in rows] == list(range(1, len(records) + 1))
    for row, record in zip(rows, records, strict=True):
        assert row["status"] == record["status"]
        assert row["counts"] == Counter(r["reason"] for r in record["removed"])  # type: ignore[index]
        error = record.get("error")
        assert row["error"] == (error["type"] if isinstance(error, dict) else "")
        assert (report / "pages" / row["file"]).is_file()
    assert sorted(p.name for p in (report / "pages").iterdir()) == sorted(r["file"] for r in rows)


def test_run_report_page_shows_removals_in_place(run_report: tuple[Path, Path]) -> None:
    _, report = run_report
    page = next((report / "pages").glob("*-hostile.html-*.html")).read_text(encoding="utf-8")
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
    assert len(rows_by_field(tmp_path / "r")) == len(read_records(out))
    page = next((tmp_path / "r" / "pages").glob("*-hostile.html-*.html")).read_text(encoding="utf-8")
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


def test_a_large_run_has_one_index_and_bounded_files(tmp_path: Path) -> None:
    records = synthetic(1_200)
    huge = {"id": "huge", "status": "ok", "text": ("word " * 1_000 + "\n\n") * 600, "removed": []}
    long_title = {"id": "x" * 5_000, "status": "ok", "title": "T" * 5_000, "removed": []}
    assert report_from_records([*records, huge, long_title], tmp_path, page_size=500) == 1_202
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index-data.js", "index.html", "pages"]
    data = index_data(tmp_path)
    assert len(data["rows"]) == 1_202 and data["pageSize"] == 500
    assert (tmp_path / "index-data.js").stat().st_size < 1_202 * 150  # rows are bounded
    summary = (tmp_path / "index.html").read_text()
    removed = sum(len(r["removed"]) for r in records)  # type: ignore[arg-type]
    assert f"{removed:,} blocks removed" in summary and "1,202</strong> inputs" in summary
    assert "<tbody></tbody>" in summary  # the rows are drawn by the script, from the data file
    assert len(list((tmp_path / "pages").iterdir())) == 1_202
    biggest = max(p.stat().st_size for p in (tmp_path / "pages").iterdir())
    assert biggest < MAX_PAGE_CHARS * 1.2 + 20_000  # the 3 MB page is cut to its bound
    huge_page = next((tmp_path / "pages").glob("001201-huge-*.html"))
    assert "characters of long blocks are not shown" in huge_page.read_text()


def test_inputs_sharing_an_id_get_a_page_each(tmp_path: Path) -> None:
    pages = "".join(
        json.dumps({"id": "same", "html": f"<html><title>{t}</title><body><p>{t} {STORY}</p></body></html>"})
        + "\n"
        for t in ("First", "Second")
    )
    report = tmp_path / "report"
    result = CliRunner().invoke(main, ["clean", "-", "--report", str(report), "-q"], input=pages)
    assert result.exit_code == 0, result.output
    rows = rows_by_field(report)
    assert [r["id"] for r in rows] == ["same", "same"] and rows[0]["file"] != rows[1]["file"]
    for row, title in zip(rows, ("First", "Second"), strict=True):
        assert f"<h1>{title}</h1>" in (report / "pages" / row["file"]).read_text(encoding="utf-8")
    assert not list((report / "pages").glob(".part-*"))  # every page a worker wrote got its name
    report_from_records([{"id": "same", "status": "ok", "text": t} for t in "ab"], tmp_path / "r2")
    assert len(list((tmp_path / "r2" / "pages").iterdir())) == 2


def test_a_resumed_run_reports_the_whole_output(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for n in range(4):
        nav = "<nav><a href='/'>Home</a></nav>"
        body = f"<html><title>Page {n}</title><body>{nav}<p>{n} {STORY}</p></body></html>"
        (folder / f"p{n}.html").write_text(body, encoding="utf-8")
    out, report = tmp_path / "out.jsonl", tmp_path / "report"
    args = ["clean", str(folder), "-o", str(out), "--report", str(report), "--workers", "1"]
    assert CliRunner().invoke(main, args).exit_code == 0
    # as if the run had been killed after two files: no index yet, two records in the output
    manifest = manifest_path(out)
    entries = manifest.read_text().splitlines()[:3]
    manifest.write_text("\n".join(entries) + "\n")
    with out.open("r+b") as fh:
        fh.truncate(json.loads(entries[-1])["offset"])
    first_pages = {p.name: p.read_text() for p in (report / "pages").iterdir()}
    (report / "index.html").unlink()
    (report / "index-data.js").unlink()
    (report / "pages" / min(first_pages)).unlink()  # and one page lost with it
    resumed = CliRunner().invoke(main, args)
    assert resumed.exit_code == 0 and "resumed: 2 records" in resumed.stderr
    records, rows = read_records(out), rows_by_field(report)
    assert len(records) == 4 and [r["id"] for r in rows] == [r["id"] for r in records]
    assert [r["title"] for r in rows] == [f"Page {n}" for n in range(4)]
    assert [r["counts"] for r in rows] == [Counter(x["reason"] for x in r["removed"]) for r in records]  # type: ignore[attr-defined]
    assert [r["file"] for r in rows] == sorted(first_pages)
    lost, kept = (report / "pages" / rows[0]["file"]).read_text(), (report / "pages" / rows[1]["file"])
    assert "Page order unknown" in lost  # rewritten from its record
    assert kept.read_text() == first_pages[rows[1]["file"]]  # the earlier run's page, in page order
    assert "<strong>4</strong> inputs" in (report / "index.html").read_text()


def test_view_of_record_keeps_kept_text_then_removals() -> None:
    record = synthetic(4)[3]
    view = view_of_record(json.loads(json.dumps(record)))
    assert [i.reason is None for i in view.items] == [True, True, False, False, False]
    assert not view.ordered and view.title == "Title 3"


def test_report_help_shows_examples() -> None:
    result = CliRunner().invoke(main, ["report", "--help"])
    assert result.exit_code == 0 and "cleaner report out.jsonl -o report/" in result.output


def test_a_resumed_out_dir_run_reports_the_whole_output(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for n in range(4):
        body = f"<html><title>Page {n}</title><body><p>{n} {STORY}</p></body></html>"
        (folder / f"p{n}.html").write_text(body, encoding="utf-8")
    out, report = tmp_path / "cleaned", tmp_path / "report"
    args = ["clean", str(folder), "--format", "text", "--out-dir", str(out), "--report", str(report)]
    assert CliRunner().invoke(main, [*args, "--workers", "1"]).exit_code == 0
    index = out / "index.jsonl"
    # as if the run had been killed after two files: two rows in the index, no report index
    entries = manifest_path(index).read_text().splitlines()[:3]
    manifest_path(index).write_text("\n".join(entries) + "\n")
    with index.open("r+b") as fh:
        fh.truncate(json.loads(entries[-1])["offset"])
    first_pages = sorted(p.name for p in (report / "pages").iterdir())
    (report / "index.html").unlink()
    (report / "index-data.js").unlink()
    (report / "pages" / first_pages[0]).unlink()  # and one page lost with it
    resumed = CliRunner().invoke(main, [*args, "--workers", "1"])
    assert resumed.exit_code == 0 and "resumed: 2 records" in resumed.stderr
    rows = rows_by_field(report)
    assert [r["title"] for r in rows] == [f"Page {n}" for n in range(4)]
    assert [r["file"] for r in rows] == first_pages
    remade = (report / "pages" / first_pages[0]).read_text()
    assert "0 " + STORY.split()[0] in remade  # its text read back from the run's own text file
    assert "<strong>4</strong> inputs" in (report / "index.html").read_text()
