"""Feed the CLI a folder of random and broken inputs and check that nothing is lost.

    .venv/bin/python scripts/robustness.py [--count 200] [--seed 1] [--keep DIR]

Writes `count` inputs (binary, empty, NUL bytes, truncated HTML, 10 MB of nested divs, wrong
encodings, random text, unknown file types...) into a folder, runs `cleaner clean FOLDER -o
out.jsonl` once, and checks: one record per input, ids as written, exit code 1 with every
failure recorded as an error record. Prints a tally by status and error type.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

PARAGRAPH = (
    "Officials said the bridge would stay closed for repairs until the spring, "
    "and residents of the old quarter said they had heard the same promise before. "
)
BODY = ("<p>" + PARAGRAPH * 3 + "</p>") * 5
HEAD = "<html><head><title>Bridge closed</title></head>"
ARTICLE = f"{HEAD}<body><article><h1>Bridge</h1>{BODY}</article></body></html>"


def binary(rng: random.Random) -> tuple[str, bytes]:
    return ".html", rng.randbytes(rng.randint(1, 50_000))


def empty(rng: random.Random) -> tuple[str, bytes]:
    return rng.choice([".html", ".txt", ".md"]), b""


def nul_bytes(rng: random.Random) -> tuple[str, bytes]:
    raw = bytearray(ARTICLE.encode())
    for _ in range(rng.randint(1, 200)):
        raw.insert(rng.randrange(len(raw)), 0)
    return ".html", bytes(raw)


def truncated(rng: random.Random) -> tuple[str, bytes]:
    raw = ARTICLE.encode()
    return ".html", raw[: rng.randint(1, len(raw))]


def nested_divs(rng: random.Random) -> tuple[str, bytes]:
    depth = 10_000_000 // 11 // 2
    return ".html", b"<html><body>" + b"<div>" * depth + PARAGRAPH.encode() + b"</div>" * depth


def wrong_encoding(rng: random.Random) -> tuple[str, bytes]:
    text = "Zürich, São Paulo, Łódź, Київ — naïve café prices rose again. " * 20
    codec = rng.choice(["utf-16-le", "cp1251", "latin-1", "shift_jis", "utf-32"])
    page = f'<html><head><meta charset="utf-8"></head><body><p>{text}</p></body></html>'
    return ".html", page.encode(codec, errors="replace")


def random_text(rng: random.Random) -> tuple[str, bytes]:
    chars = "".join(chr(rng.randint(1, 0x2FFF)) for _ in range(rng.randint(1, 5000)))
    return ".txt", chars.encode("utf-8", errors="surrogatepass")


def gzipped_garbage(rng: random.Random) -> tuple[str, bytes]:
    return ".html.gz", gzip.compress(rng.randbytes(2000))[: rng.randint(5, 500)]


def unknown_type(rng: random.Random) -> tuple[str, bytes]:
    return rng.choice([".pdf", ".jpg", ".xyz", ""]), rng.randbytes(100)


def good_page(rng: random.Random) -> tuple[str, bytes]:
    return ".html", ARTICLE.encode()


KINDS: list[Callable[[random.Random], tuple[str, bytes]]] = [
    binary, empty, nul_bytes, truncated, wrong_encoding,
    random_text, gzipped_garbage, unknown_type, good_page,
]  # fmt: skip


def make_corpus(folder: Path, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    ids = []
    for i in range(count):
        make = nested_divs if i == 0 else KINDS[i % len(KINDS)]
        suffix, data = make(rng)
        name = f"{i:04d}-{make.__name__}{suffix}"
        (folder / name).write_bytes(data)
        ids.append(name)
    return ids


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="write the corpus and output here instead of a temp dir")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="cleaner-robustness-"))
    corpus = work / "inputs"
    corpus.mkdir(parents=True, exist_ok=True)
    ids = make_corpus(corpus, args.count, args.seed)
    out = work / "out.jsonl"
    cli = Path(sys.executable).with_name("cleaner")
    started = time.monotonic()
    proc = subprocess.run([str(cli), "clean", "-q", str(corpus), "-o", str(out)], check=False)
    elapsed = time.monotonic() - started
    records = [json.loads(line) for line in out.read_text().splitlines()]
    tally = Counter(r["status"] if r["status"] != "error" else f"error:{r['error']['type']}" for r in records)
    print(f"{len(ids)} inputs -> {len(records)} records in {elapsed:.1f} s, exit code {proc.returncode}")
    for key, n in sorted(tally.items()):
        print(f"  {key:24} {n}")
    ok = [r["id"] for r in records] == sorted(ids) and proc.returncode == (
        1 if tally.keys() - {"ok", "empty"} else 0
    )
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
