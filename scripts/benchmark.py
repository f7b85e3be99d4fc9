"""Quality and speed of the cleaner beside trafilatura, in one run, on ../shared/benchmarks.

    .venv/bin/python scripts/benchmark.py [--shared ../shared] [--limit N] [--markdown]

HTML task (zyte/): every system gets the same decoded page; systems run interleaved page by
page so that caches and machine load treat them alike. Text task (zyte-text/): the page
flattened to text, cleaned by the cleaner, against leaving it as it is. Quality is the
benchmark's shingle F1 (scripts/metric.py); speed is CPU milliseconds per page
(time.process_time), averaged over all pages.
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

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parent))
from metric import DocScore, score_document, summarise

from cleaner import Cleaner, Options
from cleaner.extract import fast_xpaths


@dataclass
class System:
    name: str
    run: Callable[[str, str | None], str]
    scores: list[DocScore] = field(default_factory=list)
    cpu: float = 0.0

    def measure(self, page: str, url: str | None, truth: str) -> None:
        # trafilatura runs as shipped: without the faster matchers the cleaner gives it
        context = fast_xpaths.shipped() if self.name.startswith("trafilatura") else nullcontext()
        with context:
            start = time.process_time()
            out = self.run(page, url)
            self.cpu += time.process_time() - start
        self.scores.append(score_document(truth, out))


def html_systems() -> list[System]:
    default, no_chrome = Cleaner(), Cleaner(Options(strip_chrome=False))
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


def load(shared: Path, limit: int | None) -> tuple[dict[str, dict[str, str]], dict[str, str], dict[str, str]]:
    bench = shared / "benchmarks"
    truth = json.loads((bench / "zyte" / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)[:limit]
    html = {
        k: gzip.decompress((bench / "zyte" / "html" / f"{k}.html.gz").read_bytes()).decode() for k in keys
    }
    text = {k: (bench / "zyte-text" / f"{k}.txt").read_text(encoding="utf-8") for k in keys}
    return {k: truth[k] for k in keys}, html, text


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages (sorted ids)")
    args = parser.parse_args()
    truth, html, text = load(args.shared, args.limit)
    html_rows, text_rows = html_systems(), text_systems()
    run_task(html_rows, html, truth)
    run_task(text_rows, text, truth)
    print(table(f"HTML: zyte, {len(html)} pages (trafilatura {trafilatura.__version__})", html_rows))
    ratio = html_rows[-1].cpu / html_rows[0].cpu if html_rows[0].cpu else float("nan")
    print(f"\nCPU per page, cleaner (defaults) / trafilatura default: {ratio:.2f}x")
    print()
    print(table(f"Text: zyte-text, {len(text)} pages", text_rows))


if __name__ == "__main__":
    main()
