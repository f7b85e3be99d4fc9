"""Benchmark `cleaner fetch` against trafilatura's own fetching, on local hosts only.

Serves the zyte pages (../shared/benchmarks/zyte/html/*.html.gz, read in place) from 20 hosts
(20 ports on 127.0.0.1, each answer after 50 ms of simulated latency; robots.txt allows all),
writes a URL list spread evenly over the hosts, runs each tool as a user would (its own CLI,
its own process) and reports wall time, pages/s and peak RSS (of the tool's process, from
wait4). What is compared, in the default run:

  default politeness   1,000 URLs. cleaner with no flags at all: 1 s between requests to a
                       host (jittered up to +50 %), 2 at a time per host, 16 in all, robots.txt
                       fetched and obeyed. trafilatura with SLEEP_TIME = 1 (its per-domain
                       delay; the shipped default is 5 s) and --parallel 16; it takes one URL
                       per host per round and does not read robots.txt for a list.
  0.1 s delay          the same 1,000 URLs with both delays at 0.1 s (cleaner --delay 0.1):
                       closer to raw throughput, politeness still on.
  memory at scale      10,000 URLs, cleaner only, 0.1 s delay: peak RSS should stay about
                       where it is for 1,000 (records stream to disk; nothing grows per URL
                       but the done-set).
  shipped defaults     (--shipped) trafilatura with its shipped SLEEP_TIME = 5, to set
                       beside the cleaner's default-politeness row.

With a per-host delay, pages/s is bounded by hosts / delay (20 pages/s at 1 s), so the
default-politeness row measures how close each tool gets to that bound, not raw speed.

    .venv/bin/python scripts/bench_fetch.py                   # the three scenarios above
    .venv/bin/python scripts/bench_fetch.py --urls 2000 --delay 0.5 --only cleaner   # one run
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import multiprocessing
import multiprocessing.synchronize
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT.parent / "shared" / "benchmarks" / "zyte" / "html"
VENV = Path(sys.executable).parent
TOOLS = ("cleaner", "trafilatura")


@dataclass(frozen=True)
class Scenario:
    name: str
    urls: int
    delay: float | None  # None: cleaner's defaults, and the same 1 s for trafilatura
    tools: tuple[str, ...] = TOOLS
    trafilatura_sleep: float | None = None  # trafilatura's SLEEP_TIME, if not the same delay

    @property
    def sleep_time(self) -> float:
        if self.trafilatura_sleep is not None:
            return self.trafilatura_sleep
        return 1.0 if self.delay is None else self.delay


SUITE = (
    Scenario("default politeness", 1000, None),
    Scenario("0.1 s delay", 1000, 0.1),
    Scenario("memory at scale", 10_000, 0.1, ("cleaner",)),
)
# Each tool as shipped: the cleaner's 1 s per host, trafilatura's own SLEEP_TIME of 5 s.
SHIPPED = Scenario("shipped defaults", 1000, None, ("trafilatura",), trafilatura_sleep=5.0)


def serve(ports: list[int], latency: float, folder: Path, ready: multiprocessing.synchronize.Event) -> None:
    pages = [gzip.decompress(p.read_bytes()) for p in sorted(folder.glob("*.html.gz"))]

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1].decode()
                await asyncio.sleep(latency)
                if path == "/robots.txt":
                    body, ctype = b"User-agent: *\nAllow: /\n", b"text/plain"
                else:
                    body, ctype = pages[int(path.rsplit("/", 1)[-1].split(".")[0]) % len(pages)], b"text/html"
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
        servers = [await asyncio.start_server(handle, "127.0.0.1", port) for port in ports]
        ready.set()
        await asyncio.gather(*(s.serve_forever() for s in servers))

    asyncio.run(main())


def free_ports(n: int) -> list[int]:
    import socket

    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


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


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--urls", type=int, help="one run of this many URLs instead of the suite")
    parser.add_argument("--delay", type=float, help="per-host delay of that run (default: each tool's)")
    parser.add_argument("--only", choices=TOOLS, help="run only this tool")
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--pages", type=Path, default=PAGES, help="folder of *.html.gz pages")
    parser.add_argument(
        "--shipped",
        action="store_true",
        help="also run trafilatura with its shipped 5 s per-domain delay (about 4 minutes)",
    )
    args = parser.parse_args()
    if not any(args.pages.glob("*.html.gz")):
        parser.error(f"no *.html.gz pages in {args.pages}")
    suite: tuple[Scenario, ...] = (
        SUITE if args.urls is None else (Scenario("one run", args.urls, args.delay),)
    )
    if args.only:
        suite = tuple(Scenario(s.name, s.urls, s.delay, (args.only,)) for s in suite)
    if args.shipped:
        suite = (*suite, SHIPPED)

    ports = free_ports(args.hosts)
    ready = multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(ports, args.latency, args.pages, ready), daemon=True)
    server.start()
    ready.wait(30)
    print(f"{args.hosts} hosts on 127.0.0.1, {args.latency * 1000:.0f} ms latency per answer")
    print(f"{'scenario':<20} {'tool':<12} {'URLs':>6} {'seconds':>8} {'pages/s':>8} {'peak RSS MB':>12} "
          f"{'ok':>6}")  # fmt: skip
    try:
        for scenario in suite:
            with tempfile.TemporaryDirectory() as tmp:
                run(Path(tmp), ports, scenario)
    finally:
        server.terminate()


def commands(tmp: Path, urls: Path, scenario: Scenario) -> dict[str, list[str]]:
    config = tmp / "traf.cfg"
    settings = (VENV.parent / "lib").glob("python3*/site-packages/trafilatura/settings.cfg")
    text = next(settings).read_text().replace("SLEEP_TIME = 5.0", f"SLEEP_TIME = {scenario.sleep_time}")
    config.write_text(text.replace("SSRF_PROTECTION = on", "SSRF_PROTECTION = off"))
    delay = [] if scenario.delay is None else ["--delay", str(scenario.delay)]
    return {
        "cleaner": [str(VENV / "cleaner"), "fetch", str(urls), "-o", str(tmp / "cleaner.jsonl"), "-q",
                    *delay],
        "trafilatura": [str(VENV / "trafilatura"), "-i", str(urls), "--json", "--config-file", str(config),
                        "--parallel", "16"],
    }  # fmt: skip


def run(tmp: Path, ports: list[int], scenario: Scenario) -> None:
    urls = tmp / "urls.txt"
    urls.write_text(
        "".join(f"http://127.0.0.1:{ports[i % len(ports)]}/p/{i}.html\n" for i in range(scenario.urls))
    )
    for name, command in commands(tmp, urls, scenario).items():
        if name not in scenario.tools:
            continue
        out = tmp / f"{name}.stdout"
        seconds, rss = measure(command, out)
        if name == "cleaner":
            ok = sum(1 for line in (tmp / "cleaner.jsonl").open("rb") if b'"status": "ok"' in line)
        else:
            ok = sum(1 for _ in out.open("rb"))  # trafilatura prints one JSON line per extracted page
        print(f"{scenario.name:<20} {name:<12} {scenario.urls:>6} {seconds:>8.1f} "
              f"{scenario.urls / seconds:>8.1f} {rss:>12.0f} {ok:>6}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
