"""`cleaner.integrations.datatrove.Cleaner` in a real datatrove pipeline on local WARC files."""

from __future__ import annotations

import gzip
import json
from io import BytesIO
from pathlib import Path

import pytest

pytest.importorskip("datatrove")
pytest.importorskip("magic")  # WarcReader needs datatrove's io extra

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import WarcReader
from datatrove.pipeline.writers import JsonlWriter
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner import Options
from cleaner.integrations.datatrove import Cleaner


def page(title: str, words: str) -> bytes:
    paragraphs = "".join(f"<p>{words} This is sentence {i} of the story about {title}.</p>" for i in range(6))
    html = (
        f"<html><head><title>{title}</title></head><body><nav>Home | News | Contact</nav>"
        f"<article><h1>{title}</h1>{paragraphs}</article><footer>Copyright 2026</footer></body></html>"
    )
    return html.encode()


def write_warc(path: Path, records: list[tuple[str, str, bytes]]) -> None:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, mime, body in records:
            headers = StatusAndHeaders("200 OK", [("Content-Type", mime)], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=headers)
            writer.write_record(record)


def test_pipeline_cleans_counts_errors_and_keeps_metadata(tmp_path: Path) -> None:
    warcs = tmp_path / "warcs"
    warcs.mkdir()
    big = page("Too big", "word " * 400)  # over max_bytes below: an error record
    write_warc(
        warcs / "a.warc.gz",
        [
            ("https://example.org/harbour", "text/html", page("Harbour reopens", "The harbour reopened.")),
            ("https://example.org/big", "text/html", big),
            ("https://example.org/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(200)),
        ],
    )
    write_warc(
        warcs / "b.warc.gz",
        [
            ("https://example.org/bridge", "text/html", page("Bridge opens", "The bridge opened.")),
            ("https://example.org/blank", "text/html", b"<html><body><nav>Home</nav></body></html>"),
        ],
    )
    out, logs = tmp_path / "out", tmp_path / "logs"
    executor = LocalPipelineExecutor(
        pipeline=[
            WarcReader(str(warcs)),
            Cleaner(options=Options(max_bytes=len(big) - 1), timeout=30),
            JsonlWriter(str(out)),
        ],
        tasks=2,
        workers=1,
        logging_dir=str(logs),
    )
    executor.run()

    docs = [
        json.loads(line)
        for f in sorted(out.glob("*.jsonl.gz"))
        for line in gzip.decompress(f.read_bytes()).splitlines()
    ]
    by_url = {d["metadata"]["url"]: d for d in docs}
    assert set(by_url) == {"https://example.org/harbour", "https://example.org/bridge"}
    harbour = by_url["https://example.org/harbour"]
    assert "The harbour reopened." in harbour["text"]
    assert "Home | News" not in harbour["text"]
    meta = harbour["metadata"]
    assert meta["status"] == "ok"
    assert meta["title"] == "Harbour reopens"
    assert meta["language"] == "en"
    assert meta["removed_count"] == sum(meta["removed_reasons"].values())
    assert "error" not in meta

    stats = json.loads((logs / "stats.json").read_text())
    cleaner_stats = next(s for s in stats if "cleaner" in s["name"])["stats"]
    counts = {k: v["total"] if isinstance(v, dict) else v for k, v in cleaner_stats.items()}
    assert counts["status_ok"] == 2
    assert counts["status_error"] == 1
    assert counts["error_too_large"] == 1
    assert counts["status_empty"] == 1
    assert counts["forwarded"] == 2
    assert counts["dropped"] == 2


def test_import_error_names_the_extra() -> None:
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['datatrove'] = None\n"
        "try:\n    import cleaner.integrations.datatrove\n"
        'except ImportError as e:\n    assert "cleaner[datatrove]" in str(e), e\n'
        "else:\n    raise SystemExit(1)\n"
        "import cleaner; assert 'datatrove' not in [m.split('.')[0] for m in sys.modules if sys.modules[m]]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
