"""Throughput of `cleaner clean` on web archives with 1 and 2 workers, beside trafilatura's own
parallel folder processing on the same pages, with peak memory and F1 on a sample.

    .venv/bin/python scripts/bench_scale.py [--pages 20000] [--workers 1,2] [--shared ../shared]
        [--no-trafilatura] [--keep DIR]

The corpus is the zyte pages (../shared/benchmarks/zyte) repeated with varied URLs up to
`--pages`, written into `.warc.gz` files (1,000 responses each) for the cleaner and as `.html`
files for trafilatura (`trafilatura --input-dir --output-dir --parallel 2`), in a temporary
folder. The start-up of each command, its wall time on a one-page corpus, is printed after
the table: it weighs on short batches. Times are wall clock for the whole command; peak RSS
is sampled from /proc every 0.1 s over the command's process tree (largest single process,
and the tree's total). F1 is the benchmark metric (scripts/metric.py) over the first copy of
every zyte page. The load average is printed before and after: other jobs on the machine
skew the figures.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from metric import score_document, summarise

ROOT = Path(__file__).resolve().parents[1]
PER_ARCHIVE = 1000


def load_zyte(shared: Path) -> tuple[dict[str, dict[str, str]], dict[str, bytes]]:
    bench = shared / "benchmarks" / "zyte"
    truth = json.loads((bench / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {k: gzip.decompress((bench / "html" / f"{k}.html.gz").read_bytes()) for k in sorted(truth)}
    return truth, pages


def write_corpus(folder: Path, pages: dict[str, bytes], truth: dict[str, dict[str, str]], count: int) -> None:
    """`count` pages: warc/part-NNNN.warc.gz for the cleaner, html/NNNNNN-<key>.html for trafilatura."""
    keys = list(pages)
    (folder / "warc").mkdir(parents=True)
    (folder / "html").mkdir()
    writer, out = None, None
    for i in range(count):
        if i % PER_ARCHIVE == 0:
            if out is not None:
                out.close()
            out = (folder / "warc" / f"part-{i // PER_ARCHIVE:04d}.warc.gz").open("wb")
            writer = WARCWriter(out, gzip=True)
        key = keys[i % len(keys)]
        url = f"{truth[key].get('url') or 'https://example.test/' + key}?copy={i // len(keys)}"
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        assert writer is not None
        writer.write_record(
            writer.create_warc_record(url, "response", payload=io.BytesIO(pages[key]), http_headers=headers)
        )
        (folder / "html" / f"{i:06d}-{key}.html").write_bytes(pages[key])
    if out is not None:
        out.close()


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def timed(command: list[str], cwd: Path | None = None) -> tuple[float, float, float]:
    """Wall seconds, peak RSS of the largest process and of the whole tree (MB)."""
    peak = {"one": 0.0, "tree": 0.0}
    start = time.monotonic()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)

    def sample() -> None:
        while proc.poll() is None:
            sizes = [_rss_mb(p) for p in _tree(proc.pid)]
            peak["one"] = max(peak["one"], max(sizes, default=0.0))
            peak["tree"] = max(peak["tree"], sum(sizes))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    elapsed = time.monotonic() - start
    sampler.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{command[0]} failed ({proc.returncode}): {err.decode()[-2000:]}")
    return elapsed, peak["one"], peak["tree"]


def cleaner_f1(output: Path, truth: dict[str, dict[str, str]], keys: list[str]) -> float:
    """F1 over the first copy of each page: records 0..len(keys)-1 in output order."""
    texts = []
    with output.open(encoding="utf-8") as fh:
        for _, line in zip(keys, fh, strict=False):
            texts.append(json.loads(line).get("text") or "")
    return summarise(score_document(truth[k]["articleBody"], t) for k, t in zip(keys, texts, strict=True)).f1


def trafilatura_f1(out_dir: Path, truth: dict[str, dict[str, str]], keys: list[str]) -> float:
    scores = []
    for i, key in enumerate(keys):
        path = out_dir / f"{i:06d}-{key}.txt"  # --keep-dirs: named after the input
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        scores.append(score_document(truth[key]["articleBody"], text))
    return summarise(scores).f1


def row(name: str, pages: int, measured: tuple[float, float, float], f1: float) -> float:
    wall, one, tree = measured
    print(f"| {name} | {wall:.1f} | {pages / wall:.1f} | {one:.0f} / {tree:.0f} | {f1:.4f} |")
    return pages / wall


_STARTUP_RUNS = 3


def startup(folder: Path, args: argparse.Namespace) -> None:
    """Each command's fixed cost: the median wall time of a run over one page (imports, the
    fork server and workers, language profiles for the cleaner; imports and the process pool
    for trafilatura)."""
    bin_dir = Path(sys.executable).parent
    runs: dict[str, tuple[list[str], Path | None]] = {}
    for workers in [int(w) for w in args.workers.split(",")]:
        command = [str(bin_dir / "cleaner"), "clean", str(folder / "warc"), "-q", "--workers", str(workers)]
        runs[f"cleaner --workers {workers}"] = (command, None)
    if not args.no_trafilatura:
        out_dir = (folder / "traf-out").resolve()
        command = [
            str(bin_dir / "trafilatura"),
            "--input-dir",
            ".",
            "--output-dir",
            str(out_dir),
            "--parallel",
            "2",
        ]
        runs["trafilatura --parallel 2"] = (command, folder / "html")
    for name, (command, cwd) in runs.items():
        walls = sorted(timed(command, cwd=cwd)[0] for _ in range(_STARTUP_RUNS))
        print(f"start-up, {name}: {walls[len(walls) // 2]:.2f} s (one page, median of {_STARTUP_RUNS})")


def compare(
    folder: Path, args: argparse.Namespace, truth: dict[str, dict[str, str]], keys: list[str]
) -> None:
    bin_dir = Path(sys.executable).parent
    rates = {}
    for workers in [int(w) for w in args.workers.split(",")]:
        out = folder / f"out-{workers}.jsonl"
        command = [str(bin_dir / "cleaner"), "clean", str(folder / "warc"), "-o", str(out), "-q", "--fresh"]
        measured = timed([*command, "--workers", str(workers)])
        rates[workers] = row(
            f"cleaner --workers {workers}", args.pages, measured, cleaner_f1(out, truth, keys)
        )
    traf = None
    if not args.no_trafilatura:
        # --keep-dirs names each output after its input, but writes it beside the input when
        # given an absolute path: run from inside the folder, so the outputs go to out_dir
        # (and a kept corpus holds no outputs of an earlier run for trafilatura to read).
        out_dir = folder / "traf-out"
        shutil.rmtree(out_dir, ignore_errors=True)
        for stale in (folder / "html").glob("*.txt"):
            stale.unlink()
        command = [str(bin_dir / "trafilatura"), "--input-dir", ".", "--output-dir", str(out_dir.resolve())]
        measured = timed([*command, "--keep-dirs", "--parallel", "2"], cwd=folder / "html")
        traf = row("trafilatura --parallel 2", args.pages, measured, trafilatura_f1(out_dir, truth, keys))
    print(f"load average after: {os.getloadavg()}")
    if 1 in rates and 2 in rates:
        print(f"2 workers / 1 worker: {rates[2] / rates[1]:.2f}x")
    if 2 in rates and traf:
        print(f"cleaner 2 workers / trafilatura --parallel 2: {rates[2] / traf:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts to run")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--no-trafilatura", action="store_true")
    parser.add_argument("--keep", type=Path, default=None, help="build the corpus here and keep it")
    args = parser.parse_args()
    truth, pages = load_zyte(args.shared)
    keys = list(pages)[: min(len(pages), args.pages)]
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        folder = args.keep or Path(tmp)
        if not (folder / "warc").exists():
            write_corpus(folder, pages, truth, args.pages)
        print(f"{args.pages} pages, {os.cpu_count()} cores, load average before: {os.getloadavg()}")
        print("| system | wall s | pages/s | peak RSS MB (largest / tree) | F1 (first copies) |")
        print("|---|---|---|---|---|")
        compare(folder, args, truth, keys)
        one = Path(tmp) / "one-page"
        write_corpus(one, pages, truth, 1)
        startup(one, args)


if __name__ == "__main__":
    main()
