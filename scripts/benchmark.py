"""Quality and speed of the cleaner beside trafilatura, in one run, on ../shared/benchmarks.

    .venv/bin/python scripts/benchmark.py [--shared ../shared] [--limit N] [--only TASK ...]
                                          [--misses FILE]

Tasks:
- `zyte`: HTML pages, the benchmark's shingle F1 (scripts/metric.py); every system gets the
  same decoded page.
- `zyte-text`: the same pages flattened to text, cleaned from their lines alone.
- `multilingual`: 482 pages in many languages, raw bytes (each system decodes them as it
  would in use); body F over `with`/`without` segments, and title, author and date against
  the gold (trafilatura's metadata is `bare_extraction(with_metadata=True)`).
- `multilingual-text`: those pages' visible text, one block per line (built here from the
  HTML, see scripts/multilingual.py, and kept in .bench-cache/), body F and the metadata the
  cleaner reads from the lines.

Systems run interleaved page by page so that caches and machine load treat them alike;
speed is CPU milliseconds per page (time.process_time). `--misses FILE` writes each
system's failures per page (missed and leaked segments, wrong metadata) as JSON.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parent))
import multilingual
from metric import DocScore, score_document, summarise

from cleaner import Cleaner, Document, Options, clean_html
from cleaner.extract import fast_xpaths
from cleaner.read import InputKind

TASKS = ("zyte", "zyte-text", "multilingual", "multilingual-text")
_CACHE = Path(__file__).resolve().parents[1] / ".bench-cache" / "multilingual-text"


def _timed(name: str, call: Callable[[], Any]) -> tuple[Any, float]:
    # trafilatura runs as shipped: without the faster matchers the cleaner gives it
    context = fast_xpaths.shipped() if name.startswith("trafilatura") else nullcontext()
    with context:
        start = time.process_time()
        out = call()
        return out, time.process_time() - start


# zyte: shingle F1 --------------------------------------------------------------------------


@dataclass
class System:
    name: str
    run: Callable[[str, str | None], str]
    scores: list[DocScore] = field(default_factory=list)
    cpu: float = 0.0

    def measure(self, page: str, url: str | None, truth: str) -> None:
        out, cpu = _timed(self.name, lambda: self.run(page, url))
        self.cpu += cpu
        self.scores.append(score_document(truth, out))


def html_systems() -> list[System]:
    default, no_chrome = Cleaner(), Cleaner(Options(strip_chrome=False))
    clean_html("<p>warm-up</p>")  # the one-shot row is timed from its second call on, as is Cleaner's
    return [
        System("trafilatura default", lambda h, u: trafilatura.extract(h, url=u) or ""),
        System(
            "trafilatura, no comments",
            lambda h, u: trafilatura.extract(h, url=u, include_comments=False) or "",
        ),
        System(
            "trafilatura favor_precision, no comments",
            lambda h, u: trafilatura.extract(h, url=u, favor_precision=True, include_comments=False) or "",
        ),
        System("cleaner --no-chrome", lambda h, u: no_chrome.clean_html(h, u).text),
        System("cleaner, one-shot clean_html()", lambda h, u: clean_html(h, u).text),
        System("cleaner (defaults)", lambda h, u: default.clean_html(h, u).text),
    ]


def text_systems() -> list[System]:
    default = Cleaner()
    return [
        System("text as is", lambda t, u: t),
        System("cleaner (defaults)", lambda t, u: default.clean_text(t, u).text),
    ]


def run_task(systems: list[System], pages: dict[str, str], truth: dict[str, dict[str, str]]) -> None:
    for key, page in pages.items():
        for system in systems:
            system.measure(page, truth[key].get("url"), truth[key]["articleBody"])


def table(title: str, systems: list[System]) -> str:
    lines = [
        f"{title}\n",
        "| system | F1 | precision | recall | exact | CPU ms/page |",
        "|---|---|---|---|---|---|",
    ]
    for s in systems:
        summary = summarise(s.scores)
        ms = 1000 * s.cpu / max(len(s.scores), 1)
        lines.append(
            f"| {s.name} | {summary.f1:.4f} | {summary.precision:.4f} | {summary.recall:.4f} "
            f"| {summary.accuracy:.3f} | {ms:.1f} |"
        )
    return "\n".join(lines)


def load_zyte(
    shared: Path, limit: int | None
) -> tuple[dict[str, dict[str, str]], dict[str, str], dict[str, str]]:
    bench = shared / "benchmarks"
    truth = json.loads((bench / "zyte" / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)[:limit]
    html = {
        k: gzip.decompress((bench / "zyte" / "html" / f"{k}.html.gz").read_bytes()).decode() for k in keys
    }
    text = {k: (bench / "zyte-text" / f"{k}.txt").read_text(encoding="utf-8") for k in keys}
    return {k: truth[k] for k in keys}, html, text


# multilingual: segment F and metadata -------------------------------------------------------

#: A system's answer: body text and metadata fields (None: the system reads no metadata).
Answer = tuple[str, dict[str, str | None] | None]


@dataclass
class SegmentSystem:
    name: str
    run: Callable[[multilingual.Page, str | None], Answer]
    body: multilingual.BodyScore = field(default_factory=multilingual.BodyScore)
    meta: multilingual.MetaScore | None = None
    cpu: float = 0.0
    pages: int = 0

    def measure(self, page: multilingual.Page, text: str | None) -> None:
        (body, meta), cpu = _timed(self.name, lambda: self.run(page, text))
        self.cpu += cpu
        self.pages += 1
        self.body.add(page, body)
        if meta is not None:
            self.meta = self.meta or multilingual.MetaScore()
            self.meta.add(page, meta)

    def misses(self) -> dict[str, Any]:
        out: dict[str, Any] = {"body": {pid: {"missed": m, "leaked": lk} for pid, m, lk in self.body.misses}}
        if self.meta is not None:
            out["metadata"] = self.meta.wrong
        return out


def _answer(doc: Document) -> Answer:
    return doc.text, {"title": doc.title, "author": doc.author, "date": doc.date}


def _trafilatura_meta(page: multilingual.Page, _: str | None) -> Answer:
    doc = trafilatura.bare_extraction(page.data, url=page.url, with_metadata=True)
    if doc is None:
        return "", {}
    return doc.text or "", {"title": doc.title, "author": doc.author, "date": doc.date}  # type: ignore[union-attr]


def segment_html_systems() -> list[SegmentSystem]:
    default = Cleaner()
    return [
        SegmentSystem(
            "trafilatura default", lambda p, _: (trafilatura.extract(p.data, url=p.url) or "", None)
        ),
        SegmentSystem(
            "trafilatura favor_precision",
            lambda p, _: (trafilatura.extract(p.data, url=p.url, favor_precision=True) or "", None),
        ),
        SegmentSystem("trafilatura bare_extraction, with metadata", _trafilatura_meta),
        SegmentSystem(
            "cleaner (defaults)", lambda p, _: _answer(default.clean_bytes(p.data, InputKind.HTML, p.url))
        ),
    ]


def segment_text_systems() -> list[SegmentSystem]:
    default = Cleaner()
    return [
        SegmentSystem("text as is", lambda p, t: (t or "", None)),
        SegmentSystem("cleaner (defaults)", lambda p, t: _answer(default.clean_text(t or "", p.url))),
    ]


def run_segments(
    systems: list[SegmentSystem], pages: list[multilingual.Page], texts: dict[str, str] | None
) -> None:
    for page in pages:
        for system in systems:
            system.measure(page, texts[page.id] if texts is not None else None)


def segment_table(title: str, systems: list[SegmentSystem]) -> str:
    lines = [
        f"{title}\n",
        "| system | F | precision | recall | title | author | date | CPU ms/page |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in systems:
        meta = s.meta
        shares = [f"{100 * meta.share(f):.1f} %" if meta else "" for f in multilingual.METADATA_FIELDS]
        ms = 1000 * s.cpu / max(s.pages, 1)
        lines.append(
            f"| {s.name} | {s.body.f:.4f} | {s.body.precision:.4f} | {s.body.recall:.4f} | "
            + " | ".join(shares)
            + f" | {ms:.1f} |"
        )
    return "\n".join(lines)


# -------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument(
        "--limit", type=int, default=None, help="only the first N pages of each set (sorted ids)"
    )
    parser.add_argument("--only", nargs="+", choices=TASKS, default=list(TASKS), help="the tasks to run")
    parser.add_argument(
        "--misses", type=Path, default=None, help="write the multilingual failures here (JSON)"
    )
    args = parser.parse_args()
    misses: dict[str, Any] = {}
    if {"zyte", "zyte-text"} & set(args.only):
        truth, html, text = load_zyte(args.shared, args.limit)
    if "zyte" in args.only:
        html_rows = html_systems()
        run_task(html_rows, html, truth)
        print(table(f"HTML: zyte, {len(html)} pages (trafilatura {trafilatura.__version__})", html_rows))
        ratio = html_rows[-1].cpu / html_rows[0].cpu if html_rows[0].cpu else float("nan")
        oneshot = html_rows[-2].cpu / html_rows[-1].cpu if html_rows[-1].cpu else float("nan")
        print(f"\nCPU per page, cleaner (defaults) / trafilatura default: {ratio:.2f}x")
        print(f"CPU per page, one-shot clean_html() / a reused Cleaner: {oneshot:.2f}x\n")
    if "zyte-text" in args.only:
        text_rows = text_systems()
        run_task(text_rows, text, truth)
        print(table(f"Text: zyte-text, {len(text)} pages", text_rows) + "\n")
    if {"multilingual", "multilingual-text"} & set(args.only):
        pages = multilingual.load(args.shared, args.limit)
    if "multilingual" in args.only:
        rows = segment_html_systems()
        run_segments(rows, pages, None)
        print(segment_table(f"HTML: multilingual, {len(pages)} pages", rows) + "\n")
        misses["multilingual"] = {s.name: s.misses() for s in rows}
    if "multilingual-text" in args.only:
        rows = segment_text_systems()
        run_segments(rows, pages, multilingual.text_form(pages, _CACHE))
        print(segment_table(f"Text: multilingual-text, {len(pages)} pages", rows) + "\n")
        misses["multilingual-text"] = {s.name: s.misses() for s in rows}
    if args.misses:
        args.misses.write_text(json.dumps(misses, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
