"""A small HTTP/1.1 load generator for GET /trace/up: keep-alive connections on asyncio streams,
bounded in request count and time, loopback only. Prints one JSON object (requests/s, latency
percentiles, errors, the client's own CPU share).

    .venv/bin/python bench/loadgen.py http://127.0.0.1:PORT REFS_FILE [--requests 5000]
        [--seconds 30] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import socket
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

QUICKACK = getattr(socket, "TCP_QUICKACK", 12)  # Linux


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples) or [0.0]
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"n": len(samples), "p50_ms": pick(0.50) * 1e3, "p99_ms": pick(0.99) * 1e3,
            "max_ms": ordered[-1] * 1e3}


async def load(base: str, tasks: list[str], requests: int, seconds: float,
               concurrency: int) -> dict[str, Any]:
    """`concurrency` keep-alive connections sending GET /trace/up for the tasks in turn. A bare
    HTTP/1.1 client on asyncio streams: httpx would spend more CPU than the server it measures,
    on the same two cores."""
    host, port = base.rsplit("//", 1)[1].split(":")
    paths = [f"/trace/up?ref={quote(ref, safe='')}" for ref in tasks]
    latencies: list[float] = []
    sizes: list[int] = []
    errors = resets = 0
    sent = 0
    deadline = time.monotonic() + seconds

    async def connection() -> None:
        nonlocal sent, errors, resets
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            while sent < requests and time.monotonic() < deadline:
                path = paths[sent % len(paths)]
                sent += 1
                started = time.perf_counter()
                try:
                    status, size = await _get(reader, writer, host, path)
                except (ConnectionError, asyncio.IncompleteReadError):
                    resets += 1  # the server closed the connection: count it, open another
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, int(port))
                    continue
                latencies.append(time.perf_counter() - started)
                sizes.append(size)
                errors += status != 200
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return {"requests": len(latencies), "errors": errors, "resets": resets, "seconds": elapsed,
            "rps": len(latencies) / elapsed, "concurrency": concurrency,
            "mean_kb": sum(sizes) / max(len(sizes), 1) / 1024, **percentiles(latencies)}


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str,
               path: str, quickack: bool = True) -> tuple[int, int]:
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n\r\n".encode())
    await writer.drain()
    if quickack:
        # acknowledge at once: with delayed ACKs the second segment of a response waits ~40 ms
        # (measured separately by `probe`), which would cap requests/s at concurrency / 40 ms
        writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, QUICKACK, 1)
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
    status = int(head.split(" ", 2)[1])
    length = re.search(r"(?im)^content-length:\s*(\d+)", head)
    if length is None:
        raise RuntimeError(f"response without Content-Length: {head[:200]}")
    await reader.readexactly(int(length.group(1)))
    return status, int(length.group(1))


async def probe(base: str, path: str, quickack: bool, count: int = 30) -> float:
    """p50 latency (ms) of `count` sequential requests on one connection."""
    host, port = base.rsplit("//", 1)[1].split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    times = []
    try:
        for _ in range(count):
            started = time.perf_counter()
            await _get(reader, writer, host, path, quickack)
            times.append(time.perf_counter() - started)
    finally:
        writer.close()
    return sorted(times)[len(times) // 2] * 1e3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="http://127.0.0.1:PORT")
    parser.add_argument("refs", type=Path, help="a file of task references, one a line")
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args(argv)
    if not args.base.startswith("http://127.0.0.1:"):
        parser.error("loopback only: the base URL must be http://127.0.0.1:PORT")
    tasks = [line for line in args.refs.read_text(encoding="utf-8").splitlines() if line]
    cpu = time.process_time()
    result = asyncio.run(load(args.base, tasks, args.requests, args.seconds, args.concurrency))
    result["client_cpu_share"] = (time.process_time() - cpu) / result["seconds"]
    path = f"/trace/up?ref={quote(tasks[0], safe='')}"
    result["sequential_p50_ms"] = asyncio.run(probe(args.base, path, quickack=True))
    result["sequential_p50_ms_delayed_ack"] = asyncio.run(probe(args.base, path, quickack=False))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
