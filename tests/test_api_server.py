"""`chidao serve` as a real uvicorn process on a free loopback port: started, waited for,
queried, stopped."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.query_fixtures import ROOT, build_cascade

STARTUP_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}: {process.stdout.read()}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"server not up after {STARTUP_SECONDS}s")


def test_serve_answers_over_http(tmp_path: Path):
    build_cascade(tmp_path / "store")
    port = free_port()
    env = {**os.environ, "CHIDAO_API_TOKEN": ""}
    command = [sys.executable, "-m", "chidao.cli", "--data", str(tmp_path / "store"), "serve",
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        document = httpx.get(f"{base}/documents/3-KH%2FTU", timeout=5)
        assert document.status_code == 200 and document.json()["document"]["id"] == "3-KH/TU"
        trace = httpx.get(f"{base}/trace/up", params={"ref": "20/KH-UBND#II.2"}, timeout=5).json()
        assert trace["roots"][0]["id"] == "9-NQ/TW"
        missing = httpx.get(f"{base}/documents/99-NQ~TW", timeout=5)
        assert missing.status_code == 404 and missing.json()["suggestions"]
        refused = httpx.post(f"{base}/ingest", files={"files": ("a.txt", b"x")}, timeout=5)
        assert refused.status_code == 403
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert process.returncode is not None
