"""Benchmark `cleaner fetch` against trafilatura's own fetching, on local hosts only.

Serves the zyte pages (../shared/benchmarks/zyte/html/*.html.gz, read in place) from N hosts
(N ports on 127.0.0.1) with a simulated latency, writes a URL list spread over the hosts,
then runs each tool as a user would and reports wall time, pages/s and peak RSS (of the
tool's process, from wait4). Both tools get the same per-host spacing (cleaner --delay,
trafilatura's SLEEP_TIME) and robots.txt allows everything.

    .venv/bin/python scripts/bench_fetch.py                  # 1,000 URLs, both tools
    .venv/bin/python scripts/bench_fetch.py --urls 10000 --only cleaner   # memory flatness
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT.parent / "shared" / "benchmarks" / "zyte" / "html"
VENV = Path(sys.executable).parent


def serve(ports: list[int], latency: float, folder: Path, ready: multiprocessing.synchronize.Event) -> None:  # type: ignore[name-defined]
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
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--urls", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--delay", type=float, default=0.1, help="per-host spacing for both tools")
    parser.add_argument("--only", choices=["cleaner", "trafilatura"])
    parser.add_argument("--pages", type=Path, default=PAGES, help="folder of *.html.gz pages")
    args = parser.parse_args()
    if not any(args.pages.glob("*.html.gz")):
        parser.error(f"no *.html.gz pages in {args.pages}")

    ports = free_ports(args.hosts)
    ready = multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(ports, args.latency, args.pages, ready), daemon=True)
    server.start()
    ready.wait(30)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            run(Path(tmp), ports, args)
    finally:
        server.terminate()


def run(tmp: Path, ports: list[int], args: argparse.Namespace) -> None:
    urls = tmp / "urls.txt"
    urls.write_text(
        "".join(f"http://127.0.0.1:{ports[i % len(ports)]}/p/{i}.html\n" for i in range(args.urls))
    )
    config = tmp / "traf.cfg"
    settings = (VENV.parent / "lib").glob("python3*/site-packages/trafilatura/settings.cfg")
    text = next(settings).read_text().replace("SLEEP_TIME = 5.0", f"SLEEP_TIME = {args.delay}")
    config.write_text(text.replace("SSRF_PROTECTION = on", "SSRF_PROTECTION = off"))
    commands = {
        "cleaner": [str(VENV / "cleaner"), "fetch", str(urls),
                    "-o", str(tmp / "out.jsonl"), "-q", "--delay", str(args.delay)],
        "trafilatura": [str(VENV / "trafilatura"), "-i", str(urls), "--json", "--config-file", str(config),
                        "--parallel", "16"],
    }  # fmt: skip
    print(f"{args.urls} URLs on {len(ports)} hosts, {args.latency * 1000:.0f} ms latency, "
          f"{args.delay:g} s per-host delay")  # fmt: skip
    print(f"{'tool':<12} {'seconds':>8} {'pages/s':>8} {'peak RSS MB':>12} {'records':>8}")
    for name, command in commands.items():
        if args.only and name != args.only:
            continue
        out = tmp / f"{name}.stdout"
        seconds, rss = measure(command, out)
        produced = tmp / "out.jsonl" if name == "cleaner" else out
        records = sum(1 for _ in produced.open("rb"))
        print(f"{name:<12} {seconds:>8.1f} {args.urls / seconds:>8.1f} {rss:>12.0f} {records:>8}")


if __name__ == "__main__":
    main()
