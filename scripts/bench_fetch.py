"""Benchmark `cleaner fetch` on local hosts only: the three measures of issue 15, side by side.

Serves the zyte pages (../shared/benchmarks/zyte/html/*.html.gz, read in place) from local
hosts (ports on 127.0.0.1, each answer after 50 ms of simulated latency; robots.txt allows
all but /blocked/), writes URL lists spread evenly over the hosts, runs each tool as a user
would (its own CLI, its own process) and reports wall time, pages/s and peak RSS (of the
tool's process, from wait4).

  politeness   1,000 URLs on 20 hosts, cleaner with no flags at all: 1 s between the starts
               of two requests to a host (plus up to 10 % jitter: 1.05 s on average), 2 at a
               time per host, robots.txt fetched and obeyed. The bound is hosts / mean delay
               (19.05 pages/s); the target 0.9 of it. Beside it trafilatura -i with
               SLEEP_TIME = 1 (its per-domain delay; the shipped default is 5 s), --parallel 16.
  cleaning     4,000 URLs on 50 hosts at 0.1 s (a bound of 476 pages/s: the cleaning binds):
               `cleaner fetch --delay 0.1 --workers 2` against `cleaner clean --workers 2` on
               the same pages, read from web archives this script writes (the same bodies
               and headers, 1,000 responses a file); target fetch >= 0.9x clean. And
               trafilatura -i with SLEEP_TIME = 0.1, --parallel 16: target fetch >= 2x it.
  memory       1,000, 10,000 and 100,000 URLs on 20 hosts at 0.1 s: 200 of them pages,
               fetched and cleaned, in every run, and the rest refused by robots.txt, so a
               long list runs in a minute but every URL still goes through all a listed URL
               meets (reading the list, the set of URLs seen, host lanes, its record
               written), and what pages hold in memory (bodies waiting to be cleaned) is the
               same in every run. Target: peak RSS at 100,000 within 1.2x of 1,000.

The machine's load average is printed before and after: other jobs skew the figures.

    .venv/bin/python scripts/bench_fetch.py            # all three (about 5 minutes)
    .venv/bin/python scripts/bench_fetch.py --quick    # shorter lists (about 2 minutes)
    .venv/bin/python scripts/bench_fetch.py --only memory --no-trafilatura
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import io
import multiprocessing
import multiprocessing.synchronize
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT.parent / "shared" / "benchmarks" / "zyte" / "html"
VENV = Path(sys.executable).parent
ROBOTS = b"User-agent: *\nDisallow: /blocked/\n"
PER_ARCHIVE = 1000
MEMORY_PAGES = 200  # pages fetched in each run of the memory measure, however long its list
MEASURES = ("politeness", "cleaning", "memory")


@dataclass(frozen=True)
class Sizes:
    polite_urls: int = 1000
    polite_hosts: int = 20
    clean_urls: int = 4000
    clean_hosts: int = 50
    memory_urls: tuple[int, ...] = (1000, 10_000, 100_000)
    memory_hosts: int = 20


QUICK = Sizes(polite_urls=200, clean_urls=1000, memory_urls=(1000, 10_000))


def serve(ports: list[int], latency: float, folder: Path, ready: multiprocessing.synchronize.Event) -> None:
    pages = [gzip.decompress(p.read_bytes()) for p in sorted(folder.glob("*.html.gz"))]

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1].decode()
                await asyncio.sleep(latency)
                if path == "/robots.txt":
                    body, ctype = ROBOTS, b"text/plain"
                else:
                    body, ctype = page_of(pages, path), b"text/html; charset=utf-8"
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n" % (ctype, len(body))
                )
                writer.write(body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ValueError, IndexError):
            pass  # the client went away, or asked for something we do not serve
        finally:
            writer.close()

    async def main() -> None:
        servers = [await asyncio.start_server(handle, "127.0.0.1", port, backlog=512) for port in ports]
        ready.set()
        await asyncio.gather(*(s.serve_forever() for s in servers))

    asyncio.run(main())


def page_of(pages: list[bytes], path: str) -> bytes:
    return pages[int(path.rsplit("/", 1)[-1].split(".")[0]) % len(pages)]


def free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def url_list(path: Path, ports: list[int], count: int, pages: int | None = None) -> list[str]:
    """`count` URLs, one host after another; with `pages`, only that many are pages (spread
    evenly over the list and the hosts), the others under /blocked/ (refused by robots.txt)."""
    every = max(1, count // pages) if pages else 0
    urls = []
    for i in range(count):
        folder = "p" if not every or (i // len(ports)) % every == 0 else "blocked"
        urls.append(f"http://127.0.0.1:{ports[i % len(ports)]}/{folder}/{i}.html")
    path.write_text("".join(f"{u}\n" for u in urls))
    return urls


def write_warcs(folder: Path, urls: list[str], pages: list[bytes]) -> None:
    """The pages the server sends for `urls`, as web archives of PER_ARCHIVE responses."""
    folder.mkdir()
    for start in range(0, len(urls), PER_ARCHIVE):
        with (folder / f"part-{start // PER_ARCHIVE:04d}.warc.gz").open("wb") as out:
            writer = WARCWriter(out, gzip=True)
            for url in urls[start : start + PER_ARCHIVE]:
                body = page_of(pages, url)
                fields = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))]
                headers = StatusAndHeaders("200 OK", fields, protocol="HTTP/1.1")
                record = writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body), http_headers=headers
                )
                writer.write_record(record)


def measure(command: list[str], stdout: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one command."""
    started = time.monotonic()
    with stdout.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        print(f"  {command[0]} exited with {os.waitstatus_to_exitcode(status)}", file=sys.stderr)
    return elapsed, usage.ru_maxrss / 1024


def trafilatura_config(tmp: Path, sleep_time: float) -> Path:
    config = tmp / "traf.cfg"
    settings = (VENV.parent / "lib").glob("python3*/site-packages/trafilatura/settings.cfg")
    text = next(settings).read_text().replace("SLEEP_TIME = 5.0", f"SLEEP_TIME = {sleep_time}")
    config.write_text(text.replace("SSRF_PROTECTION = on", "SSRF_PROTECTION = off"))
    return config


def count_ok(path: Path) -> int:
    return sum(1 for line in path.open("rb") if b'"status": "ok"' in line)


class Report:
    def __init__(self) -> None:
        self.verdicts: list[str] = []
        print(f"{'measure':<11} {'run':<44} {'URLs':>7} {'seconds':>8} {'pages/s':>8} {'peak RSS MB':>12} "
              f"{'ok':>7}")  # fmt: skip

    def row(self, measure: str, run: str, urls: int, seconds: float, rss: float, ok: int) -> float:
        rate = urls / seconds
        print(
            f"{measure:<11} {run:<44} {urls:>7} {seconds:>8.1f} {rate:>8.1f} {rss:>12.0f} {ok:>7}", flush=True
        )
        return rate

    def verdict(self, text: str, value: float, target: float, higher: bool = True) -> None:
        met = value >= target if higher else value <= target
        self.verdicts.append(f"{text}: {value:.2f} (target {'>=' if higher else '<='} {target:.2f}) "
                             f"{'met' if met else 'NOT MET'}")  # fmt: skip


def cleaner_fetch(tmp: Path, urls: Path, *flags: str) -> tuple[list[str], Path]:
    out = tmp / "cleaner.jsonl"
    out.unlink(missing_ok=True)
    return [str(VENV / "cleaner"), "fetch", str(urls), "-o", str(out), "-q", *flags], out


def politeness(tmp: Path, ports: list[int], n: int, report: Report, traf: bool) -> None:
    urls = tmp / "polite.txt"
    url_list(urls, ports, n)
    command, out = cleaner_fetch(tmp, urls)
    seconds, rss = measure(command, tmp / "stdout")
    rate = report.row(
        "politeness", f"cleaner fetch (defaults), {len(ports)} hosts", n, seconds, rss, count_ok(out)
    )
    bound = len(ports) / 1.05  # 1 s, plus 5 % on average of jitter
    report.verdict(f"politeness: cleaner fetch / ({len(ports)} hosts / 1.05 s)", rate / bound, 0.9)
    if traf:
        command = [str(VENV / "trafilatura"), "-i", str(urls), "--json", "--config-file",
                   str(trafilatura_config(tmp, 1.0)), "--parallel", "16"]  # fmt: skip
        seconds, rss = measure(command, tmp / "traf.stdout")
        ok = sum(1 for _ in (tmp / "traf.stdout").open("rb"))
        report.row("politeness", "trafilatura -i, SLEEP_TIME = 1", n, seconds, rss, ok)


def cleaning(tmp: Path, ports: list[int], n: int, pages: list[bytes], report: Report, traf: bool) -> None:
    urls = tmp / "cleaning.txt"
    listed = url_list(urls, ports, n)
    command, out = cleaner_fetch(tmp, urls, "--delay", "0.1", "--workers", "2")
    seconds, rss = measure(command, tmp / "stdout")
    fetched = report.row("cleaning", f"cleaner fetch --delay 0.1 --workers 2, {len(ports)} hosts", n, seconds,
                         rss, count_ok(out))  # fmt: skip
    write_warcs(tmp / "warc", listed, pages)
    clean_out = tmp / "clean.jsonl"
    command = [str(VENV / "cleaner"), "clean", str(tmp / "warc"), "-o", str(clean_out), "-q", "--fresh",
               "--workers", "2"]  # fmt: skip
    seconds, rss = measure(command, tmp / "stdout")
    cleaned = report.row("cleaning", "cleaner clean --workers 2, the same pages (WARC)", n, seconds, rss,
                         count_ok(clean_out))  # fmt: skip
    report.verdict("cleaning: cleaner fetch / cleaner clean", fetched / cleaned, 0.9)
    if traf:
        command = [str(VENV / "trafilatura"), "-i", str(urls), "--json", "--config-file",
                   str(trafilatura_config(tmp, 0.1)), "--parallel", "16"]  # fmt: skip
        seconds, rss = measure(command, tmp / "traf.stdout")
        ok = sum(1 for _ in (tmp / "traf.stdout").open("rb"))
        rate = report.row("cleaning", "trafilatura -i, SLEEP_TIME = 0.1", n, seconds, rss, ok)
        report.verdict("cleaning: cleaner fetch / trafilatura -i", fetched / rate, 2.0)


def memory(tmp: Path, ports: list[int], counts: tuple[int, ...], report: Report) -> None:
    peaks = []
    for n in counts:
        urls = tmp / f"memory-{n}.txt"
        url_list(urls, ports, n, pages=MEMORY_PAGES)
        command, out = cleaner_fetch(tmp, urls, "--delay", "0.1", "--workers", "2")
        seconds, rss = measure(command, tmp / "stdout")
        lines = sum(1 for _ in out.open("rb"))
        if lines != n:
            print(f"  {n} URLs listed, {lines} records", file=sys.stderr)
        report.row(
            "memory", f"cleaner fetch, {MEMORY_PAGES} pages, the rest refused", n, seconds, rss, count_ok(out)
        )
        peaks.append(rss)
    if len(peaks) > 1:
        text = f"memory: peak RSS at {counts[-1]:,} / at {counts[0]:,} URLs"
        report.verdict(text, peaks[-1] / peaks[0], 1.2, higher=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="shorter lists: 200, 1,000, and 1,000/10,000 URLs"
    )
    parser.add_argument(
        "--only", choices=MEASURES, action="append", help="run only this measure (repeatable)"
    )
    parser.add_argument("--no-trafilatura", action="store_true", help="leave trafilatura out")
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--pages", type=Path, default=PAGES, help="folder of *.html.gz pages")
    args = parser.parse_args()
    files = sorted(args.pages.glob("*.html.gz"))
    if not files:
        parser.error(f"no *.html.gz pages in {args.pages}")
    pages = [gzip.decompress(p.read_bytes()) for p in files]
    sizes = QUICK if args.quick else Sizes()
    chosen = args.only or MEASURES
    ports = free_ports(max(sizes.polite_hosts, sizes.clean_hosts, sizes.memory_hosts))
    ready = multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(ports, args.latency, args.pages, ready), daemon=True)
    server.start()
    ready.wait(30)
    print(f"{os.cpu_count()} cores, load average before: {os.getloadavg()}; "
          f"{args.latency * 1000:.0f} ms latency per answer")  # fmt: skip
    report = Report()
    traf = not args.no_trafilatura
    try:
        with tempfile.TemporaryDirectory() as folder:
            tmp = Path(folder)
            if "politeness" in chosen:
                politeness(tmp, ports[: sizes.polite_hosts], sizes.polite_urls, report, traf)
            if "cleaning" in chosen:
                cleaning(tmp, ports[: sizes.clean_hosts], sizes.clean_urls, pages, report, traf)
            if "memory" in chosen:
                memory(tmp, ports[: sizes.memory_hosts], sizes.memory_urls, report)
    finally:
        server.terminate()
    print(f"load average after: {os.getloadavg()}")
    for line in report.verdicts:
        print(line)


if __name__ == "__main__":
    main()
