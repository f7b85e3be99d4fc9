"""Shared fixtures for the report tests: a hostile page and a report of a small run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.cli import main

STORY = "The harbour reopened on Monday after three weeks of repairs to the old sea wall."
HOSTILE = f"""<html><head><title>Harbour news</title></head><body>
<nav><ul><li><a href="/">Home</a></li>
<li><a href="javascript:alert(1)">News &lt;script&gt;alert(1)&lt;/script&gt;</a></li></ul></nav>
<article><h1>Harbour reopens &lt;script&gt;alert(2)&lt;/script&gt;</h1>
<p>{STORY} The mayor wrote &lt;script&gt;alert(3)&lt;/script&gt; and
&lt;img src=x onerror=alert(4)&gt; in a post.</p>
<div class="advertisement">Advertisement
<a href="javascript:alert(5)">click &lt;b onmouseover=alert(6)&gt;here</a></div>
<p>{STORY} Boats can use the east quay again, the port authority said on Monday.</p></article>
<footer><p>All rights reserved 2025</p></footer></body></html>"""


@pytest.fixture(scope="session")
def run_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """`cleaner clean --report` over the HTML samples plus the hostile page: (jsonl, report folder)."""
    root = tmp_path_factory.mktemp("run")
    pages = root / "pages"
    pages.mkdir()
    samples = Path(__file__).parents[2] / "samples" / "html"
    for sample in sorted(samples.iterdir()):
        (pages / sample.name).write_bytes(sample.read_bytes())
    (pages / "hostile.html").write_text(HOSTILE, encoding="utf-8")
    (pages / "notes.xyz").write_text("not a page", encoding="utf-8")
    out, report = root / "out.jsonl", root / "report"
    args = ["clean", str(pages), "-o", str(out), "--report", str(report), "--workers", "2", "-q"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output  # notes.xyz is an error record
    return out, report


def read_records(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
