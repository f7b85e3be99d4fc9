"""Fuzz the CLI with mutated real pages and check that every input gets its records.

    PYTHONPATH=. .venv/bin/python scripts/fuzz.py [--count 10000] [--seed 1] [--chunk 2500]
        [--shared ../shared] [--samples samples] [--keep DIR]

Mutates the pages under `SHARED/benchmarks/` (zyte, zyte-text, multilingual) and `samples/`
into `count` inputs, split over the families in `scripts/fuzz_mutations.py`: truncations,
byte flips, lying charsets, NUL bytes, invalid UTF-16, giant attributes, giant lines, deep
nesting, broken gzip, WARC and JSONL framing, decompression bombs. It writes them to a
folder `chunk` at a time, runs `python -m cleaner clean FOLDER -o out.jsonl` on each with
the default options (per-page deadline, memory ceiling, --max-bytes) and checks:

- exactly one record per page file and per non-blank JSONL line, with the expected id;
- one per web archive record left whole, and at least one record for what was damaged;
- records in input order, no id twice, and no `internal`, `timeout` or `worker_died` error
  and no page over the memory ceiling.

Prints inputs, records, outcomes by status and error type, wall time and the peak memory of
the runs (the largest process, workers included: its ru_maxrss, and its resident memory
sampled every 50 ms). Exit code 1 if a check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fuzz_mutations import Corpus, Expect, make

ROOT = Path(__file__).resolve().parents[1]
#: Error types that mean the cleaner, not the input, failed.
FAILURES = {"internal", "timeout", "worker_died"}


@dataclass(slots=True)
class Result:
    """What a fuzz run found."""

    inputs: int = 0
    records: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    cli_seconds: float = 0.0
    peak_rss: int = 0  # bytes, the largest process of the runs
    sampled: Counter[str] = field(default_factory=Counter)  # peak bytes by role: main, worker

    @property
    def ok(self) -> bool:
        return not self.problems


def generate(folder: Path, indices: Iterable[int], rng: random.Random, corpus: Corpus) -> dict[str, Expect]:
    """Write inputs number `indices` into `folder`; what each must yield, by file name."""
    expects = {}
    for index in indices:
        name, case = make(index, rng, corpus)
        (folder / name).write_bytes(case.data)
        expects[name] = case.expect
    return expects


def run_cli(folder: Path, out: Path, peaks: Counter[str]) -> tuple[int, float]:
    """`cleaner clean FOLDER -o OUT` with the default options: exit code and seconds. The
    resident memory of the main process and of its workers, sampled, goes into `peaks`."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    command = [sys.executable, "-m", "cleaner", "clean", "-q", str(folder), "-o", str(out), "--fresh"]
    started = time.monotonic()
    # through a small launcher: a child's ru_maxrss starts at its parent's when it forks, and
    # this process holds the corpus and the bombs
    launcher = [sys.executable, "-c", _LAUNCHER, str(out) + ".rss", *command]
    proc = subprocess.Popen(launcher, env=env, stdin=subprocess.DEVNULL)
    while proc.poll() is None:
        for main in _children(proc.pid):  # the CLI, under the launcher
            peaks["main"] = max(peaks["main"], _rss(main))
            for worker in _children(main):
                peaks["worker"] = max(peaks["worker"], _rss(worker))
        time.sleep(0.05)
    rss = Path(str(out) + ".rss")
    peaks["largest"] = max(peaks["largest"], int(rss.read_text()) * 1024)
    rss.unlink()
    return proc.returncode, time.monotonic() - started


_LAUNCHER = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[2:], stdin=subprocess.DEVNULL).returncode
with open(sys.argv[1], "w") as out:
    out.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code)
"""


def _rss(pid: int) -> int:
    """A process's resident memory in bytes (Linux; 0 if it is gone)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as children:
            return [int(c) for c in children.read().split()]
    except (OSError, ValueError):
        return []


def outcome(record: dict[str, object]) -> str:
    error = record.get("error")
    if isinstance(error, dict):
        return f"error:{error['type']}"
    return str(record["status"])


def failure(record: dict[str, object]) -> str | None:
    """Why a record shows the cleaner failing (not the input), or None."""
    error = record.get("error")
    if not isinstance(error, dict):
        return None
    if error["type"] in FAILURES or str(error["message"]).startswith("page needs more than"):
        return f"{record['id']}: {error['type']}: {str(error['message'])[:200]}"
    return None


def check(expects: dict[str, Expect], records: list[dict[str, object]]) -> list[str]:
    """Every problem with the records of a run over inputs `expects`."""
    problems = [why for r in records if (why := failure(r))]
    by_input: dict[str, list[dict[str, object]]] = defaultdict(list)
    keys = [str(r["id"])[:5] for r in records]  # ids start with the input's number
    if keys != sorted(keys):
        problems.append("records out of input order")
    for key, record in zip(keys, records, strict=True):
        by_input[key].append(record)
    for name, expect in expects.items():
        got = by_input.pop(name[:5], [])
        check_one = check_archive if expect.archive else check_lines
        note = f" [{expect.note}]" if expect.note else ""
        problems += [f"{name}{note}: {why}" for why in check_one(name, expect, got)]
    problems += [f"records of no input: {[r['id'] for r in rs][:3]}" for rs in by_input.values()]
    return problems


def check_lines(name: str, expect: Expect, got: list[dict[str, object]]) -> list[str]:
    """A page or JSONL file: one record per entry of `expect.lines`, in order, ids allowed."""
    if len(got) != len(expect.lines):
        return [f"{len(got)} records, expected {len(expect.lines)}: {[r['id'] for r in got][:5]}"]
    return [
        f"record {i} has id {r['id']!r}, expected one of {sorted(ids)}"
        for i, (r, ids) in enumerate(zip(got, expect.lines, strict=True))
        if r["id"] not in ids
    ]


def check_archive(name: str, expect: Expect, got: list[dict[str, object]]) -> list[str]:
    problems = []
    ids = [str(r["id"]) for r in got]
    pattern = re.compile(re.escape(name) + r"(#\d+(-\d+)?)?")
    problems += [f"unexpected id {id!r}" for id in ids if not pattern.fullmatch(id)]
    if len(set(ids)) != len(ids):
        problems.append(f"an id twice: {ids}")
    status = {str(r["id"]): outcome(r) for r in got}
    for alternatives in expect.must:
        found = [status[id] for id in alternatives if id in status]
        if not found:
            problems.append(f"lost the whole record {sorted(alternatives)} (got {ids})")
        elif not expect.any_status and not {"ok", "empty"} & set(found):
            problems.append(f"whole record {sorted(alternatives)} is {found}")
    if expect.damaged and not set(ids) - set().union(*expect.must):
        problems.append(f"no record for the damaged part (got {ids})")
    if len(got) > expect.at_most:
        problems.append(f"{len(got)} records, at most {expect.at_most} expected")
    return problems


def fuzz(count: int, seed: int, corpus: Corpus, work: Path, chunk: int = 2500, keep: bool = False) -> Result:
    """Make `count` inputs from `seed`, clean them `chunk` at a time and check the records."""
    rng = random.Random(seed)
    result = Result(inputs=count)
    for first in range(0, count, chunk):
        folder = work / f"inputs-{first // chunk}"
        folder.mkdir(parents=True, exist_ok=True)
        expects = generate(folder, range(first, min(count, first + chunk)), rng, corpus)
        out = work / f"out-{first // chunk}.jsonl"
        code, seconds = run_cli(folder, out, result.sampled)
        result.cli_seconds += seconds
        records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        errors = any(r["status"] == "error" for r in records)
        if code != (1 if errors else 0):
            result.problems.append(f"{folder.name}: exit code {code}")
        result.records += len(records)
        result.outcomes.update(outcome(r) for r in records)
        result.problems += check(expects, records)
        if not keep:
            shutil.rmtree(folder)
    # ru_maxrss misses workers that the fork server, not the CLI, reaps: the samples count too
    result.peak_rss = max(result.sampled.pop("largest"), *result.sampled.values())
    return result


def report(result: Result, wall: float) -> str:
    lines = [
        f"inputs        {result.inputs}",
        f"records       {result.records}",
        f"wall time     {wall:.0f} s ({result.cli_seconds:.0f} s in the CLI), {os.cpu_count()} cores",
        f"peak memory   {result.peak_rss / 2**20:.0f} MB (largest process; sampled every 50 ms: "
        f"main {result.sampled['main'] / 2**20:.0f} MB, workers {result.sampled['worker'] / 2**20:.0f} MB)",
        "outcomes",
        *(f"  {key:28} {n}" for key, n in sorted(result.outcomes.items(), key=lambda kv: -kv[1])),
    ]
    if result.problems:
        lines += [f"FAIL: {len(result.problems)} problems", *(f"  {p}" for p in result.problems[:40])]
    else:
        lines.append("PASS")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--chunk", type=int, default=2500, help="inputs per CLI run")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--samples", type=Path, default=ROOT / "samples")
    parser.add_argument("--keep", type=Path, help="write inputs and output here and keep them")
    args = parser.parse_args()
    corpus = Corpus.find(args.shared, args.samples)
    work = args.keep or Path(tempfile.mkdtemp(prefix="cleaner-fuzz-"))
    started = time.monotonic()
    try:
        result = fuzz(args.count, args.seed, corpus, work, args.chunk, keep=args.keep is not None)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(report(result, time.monotonic() - started))
    return 0 if result.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
