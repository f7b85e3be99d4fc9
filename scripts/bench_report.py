"""What `--report` adds to a run: `cleaner clean PAGES -o out.jsonl` beside the same command
with `--report DIR`, in alternating rounds, with the size of the report it writes.

    .venv/bin/python scripts/bench_report.py [--inputs 1000,10000] [--rounds 5] [--workers 2]
        [--shared ../shared] [--keep DIR]

The corpus is the zyte pages (../shared/benchmarks/zyte) repeated up to each `--inputs` count
as `.html` files, 1,000 to a folder, in a temporary folder. Each round runs both commands, the
order alternating from round to round, so a change in the machine's load weighs on both.
Times are medians over the rounds: wall clock, and CPU (user + system) of the command and all
its worker processes, from `getrusage(RUSAGE_CHILDREN)` (the script makes itself the
subreaper of the command's process tree, so the forkserver and the workers, which outlive the
command's main process by a moment, are waited for and counted too; Linux only). CPU time
is the main figure: on a machine shared with other jobs the wall clock says as much about
them as about the report.
The load average is printed before and after.
"""

from __future__ import annotations

import argparse
import ctypes
import gzip
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PER_FOLDER = 1000
PR_SET_CHILD_SUBREAPER = 36


def adopt_orphans() -> None:
    """Orphaned descendants of our children become our children, so their CPU time is ours to
    count when we wait for them."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def reap() -> None:
    """Wait for every descendant left (a forkserver, its workers)."""
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def load_pages(shared: Path) -> dict[str, bytes]:
    bench = shared / "benchmarks" / "zyte"
    truth = json.loads((bench / "ground-truth.json").read_text(encoding="utf-8"))
    return {k: gzip.decompress((bench / "html" / f"{k}.html.gz").read_bytes()) for k in sorted(truth)}


def write_corpus(folder: Path, pages: dict[str, bytes], count: int) -> None:
    """`count` pages as folder/NNN/NNNNNN-<key>.html."""
    keys = list(pages)
    for i in range(count):
        sub = folder / f"{i // PER_FOLDER:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        key = keys[i % len(keys)]
        (sub / f"{i:06d}-{key}.html").write_bytes(pages[key])


def run(command: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, the command and its workers), with the
    cleaner of this checkout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    proc = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, check=False)
    wall = time.perf_counter() - start
    reap()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}): {proc.stderr.decode()[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def report_size(folder: Path) -> dict[str, float]:
    pages = [p.stat().st_size for p in (folder / "pages").iterdir()]
    return {
        "index_kb": (folder / "index.html").stat().st_size / 1024,
        "data_kb": (folder / "index-data.js").stat().st_size / 1024,
        "pages": len(pages),
        "pages_mb": sum(pages) / 1024**2,
        "biggest_kb": max(pages) / 1024,
    }


def bench(
    corpus: Path, work: Path, workers: int, rounds: int
) -> tuple[dict[str, list[float]], dict[str, float]]:
    cleaner = [sys.executable, "-c", "from cleaner.cli import main; main()"]  # this checkout's
    out, report = work / "out.jsonl", work / "report"
    base = [*cleaner, "clean", str(corpus), "-o", str(out), "--fresh", "-q", "--workers", str(workers)]
    commands = {"plain": base, "report": [*base, "--report", str(report)]}
    times: dict[str, list[float]] = {"plain wall": [], "plain cpu": [], "report wall": [], "report cpu": []}
    size: dict[str, float] = {}
    for n in range(rounds):
        for name in ("plain", "report") if n % 2 == 0 else ("report", "plain"):
            shutil.rmtree(report, ignore_errors=True)
            wall, cpu = run(commands[name])
            times[f"{name} wall"].append(wall)
            times[f"{name} cpu"].append(cpu)
            if name == "report":
                size = report_size(report)
    return times, size


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--inputs", default="1000", help="comma-separated input counts, e.g. 1000,10000")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument(
        "--keep", type=Path, help="work in this folder and keep it (default: a temporary one)"
    )
    args = parser.parse_args()
    adopt_orphans()
    pages = load_pages(args.shared)
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-report-"))
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    head = "| inputs | rounds | CPU plain | CPU --report | CPU + | wall plain | wall --report | wall + |"
    lines = [head, "|" + "---:|" * 8]
    sizes = []
    try:
        for count in (int(c) for c in args.inputs.split(",")):
            corpus = root / f"corpus-{count}"
            if not corpus.exists():
                write_corpus(corpus, pages, count)
            times, size = bench(corpus, root, args.workers, args.rounds)
            med = {k: statistics.median(v) for k, v in times.items()}
            wall_plus = 100 * (med["report wall"] / med["plain wall"] - 1)
            cpu_plus = 100 * (med["report cpu"] / med["plain cpu"] - 1)
            walls = f"{med['plain wall']:.1f} s | {med['report wall']:.1f} s | {wall_plus:+.1f} %"
            cpus = f"{med['plain cpu']:.1f} s | {med['report cpu']:.1f} s | {cpu_plus:+.1f} %"
            lines.append(f"| {count:,} | {args.rounds} | {cpus} | {walls} |")
            sizes.append(
                f"{count:,} inputs: index.html {size['index_kb']:.0f} KB, index-data.js "
                f"{size['data_kb']:.0f} KB, {size['pages']:,.0f} pages ({size['pages_mb']:.1f} MB), "
                f"biggest page {size['biggest_kb']:.0f} KB"
            )
            print(
                f"{count:,} inputs, every round: "
                + json.dumps({k: [round(x, 2) for x in v] for k, v in times.items()})
            )
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"\n{args.workers} workers, medians over {args.rounds} rounds, order alternating\n")
    print("\n".join(lines) + "\n")
    print("\n".join(sizes))


if __name__ == "__main__":
    main()
