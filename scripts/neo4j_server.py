#!/usr/bin/env python3
"""A throwaway Neo4j Community server for the test suite.

    python scripts/neo4j_server.py run -- pytest      # start, run the command, stop (also on failure)
    python scripts/neo4j_server.py serve              # start and wait for Ctrl-C, printing the env vars
    python scripts/neo4j_server.py fetch              # only download the distribution into the cache
    python scripts/neo4j_server.py serve --heap 2g --pagecache 2g   # a national-scale store

The server's jars come from Maven Central (the `neo4j-community-standalone` assembly's dependencies,
resolved by `mvn dependency:copy-dependencies`) and are cached in ~/.cache/chidao/neo4j/VERSION/, so
only the first run downloads (~125 MB). Each run gets a fresh temporary home (data, logs, config), Bolt
on 127.0.0.1 and a free port, HTTP off, a small heap and page cache, and auth on with a generated
password (`--heap` / `--pagecache`, or CHIDAO_NEO4J_HEAP / _PAGECACHE, size it for a larger store: the
national graph with its per-file versions takes ~1.5 GB on disk, and a page cache that holds it keeps
lineage reads off the disk). The command sees the server through CHIDAO_TEST_NEO4J_URI / _USER /
_PASSWORD / _VERSION.
Where Java or the download is missing, the command runs anyway with CHIDAO_TEST_NEO4J_SKIP set to the
reason, and the Neo4j tests skip (or fail under CI=true, see tests/conftest.py).
If CHIDAO_TEST_NEO4J_URI is already set, no server is started: the tests use that one.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

VERSION = os.environ.get("CHIDAO_NEO4J_VERSION", "5.26.30")
CACHE_ROOT = Path(os.environ.get("CHIDAO_NEO4J_CACHE", Path.home() / ".cache" / "chidao" / "neo4j"))
HEAP = os.environ.get("CHIDAO_NEO4J_HEAP", "512m")
PAGECACHE = os.environ.get("CHIDAO_NEO4J_PAGECACHE", "128m")
START_TIMEOUT_S = 180.0
STOP_TIMEOUT_S = 30.0
USER = "neo4j"
DATABASES_CLOSED = "Shutting down Bolt server"  # debug.log: logged after every database checkpointed
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
# The flags the distribution's own launcher passes (conf/neo4j.conf, server.jvm.additional).
JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
)
FETCH_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.chidao</groupId><artifactId>neo4j-fetch</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.neo4j.assembly</groupId><artifactId>neo4j-community-standalone</artifactId>
      <version>{version}</version><type>pom</type>
    </dependency>
  </dependencies>
</project>
"""


class Unavailable(Exception):
    """The server cannot run here (no Java, no Maven, download failed); the message says why."""


@dataclass
class Server:
    process: subprocess.Popen
    home: Path
    uri: str
    password: str
    version: str
    startup_s: float

    def env(self) -> dict[str, str]:
        return {
            "CHIDAO_TEST_NEO4J_URI": self.uri,
            "CHIDAO_TEST_NEO4J_USER": USER,
            "CHIDAO_TEST_NEO4J_PASSWORD": self.password,
            "CHIDAO_TEST_NEO4J_VERSION": self.version,
        }


def log(message: str) -> None:
    print(f"[neo4j] {message}", file=sys.stderr, flush=True)


# --- prerequisites -------------------------------------------------------------------------------


def check_java() -> str:
    """The java executable, if it is version 17 or newer (what Neo4j 5 needs)."""
    java = shutil.which("java")
    if java is None:
        raise Unavailable("no `java` on PATH (Neo4j 5 needs Java 17 or 21)")
    out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60).stderr
    match = re.search(r'version "(\d+)', out)
    if match is None or int(match.group(1)) < 17:
        raise Unavailable(f"Neo4j 5 needs Java 17+, found: {out.splitlines()[0] if out else 'unknown'}")
    return java


def lib_dir(version: str = VERSION) -> Path:
    return CACHE_ROOT / version / "lib"


def fetch(version: str = VERSION) -> Path:
    """The cached jar directory of `version`, downloading it on first use (one download at a time:
    two test runs starting together share it)."""
    target = lib_dir(version)
    if cached(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with (target.parent / ".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return target if cached(target) else download(version, target)


def cached(target: Path) -> bool:
    return (target.parent / ".complete").exists() and any(target.glob("neo4j-*.jar"))


def download(version: str, target: Path) -> Path:
    mvn = shutil.which("mvn")
    if mvn is None:
        raise Unavailable(f"Neo4j {version} is not cached in {target.parent} and `mvn` is missing")
    started = time.monotonic()
    log(f"downloading Neo4j {version} from Maven Central into {target} …")
    with tempfile.TemporaryDirectory(prefix="chidao-neo4j-fetch-") as work:
        (Path(work) / "pom.xml").write_text(FETCH_POM.format(version=version))
        staging = Path(work) / "lib"
        cmd = [mvn, "-q", "-B", "-Dstyle.color=never", "dependency:copy-dependencies",
               "-DincludeScope=runtime", f"-DoutputDirectory={staging}"]
        done = subprocess.run(cmd, cwd=work, capture_output=True, text=True, timeout=1800)
        if done.returncode != 0 or not any(staging.glob("neo4j-*.jar")):
            lines = (done.stdout + done.stderr).splitlines()
            errors = [line[line.index("[ERROR]"):] for line in lines if "[ERROR]" in line]
            first = next((e for e in errors if len(e) > len("[ERROR] ")), "no error printed")
            tail = "\n".join(lines[-15:])
            raise Unavailable(f"downloading Neo4j {version} with Maven failed: {first}\n{tail}")
        shutil.rmtree(target, ignore_errors=True)
        shutil.move(str(staging), target)
    (target.parent / ".complete").write_text(version + "\n")
    log(f"downloaded in {time.monotonic() - started:.1f}s")
    return target


# --- start / stop --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_config(home: Path, bolt_port: int, routing_port: int) -> Path:
    conf = home / "conf"
    for sub in ("conf", "data", "logs", "run", "plugins", "import"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    settings = {
        "server.default_listen_address": "127.0.0.1",
        "server.default_advertised_address": "127.0.0.1",
        "server.bolt.listen_address": f"127.0.0.1:{bolt_port}",
        "server.bolt.advertised_address": f"127.0.0.1:{bolt_port}",
        "server.routing.listen_address": f"127.0.0.1:{routing_port}",
        "server.http.enabled": "false",
        "server.https.enabled": "false",
        "server.memory.heap.initial_size": HEAP,
        "server.memory.heap.max_size": HEAP,
        "server.memory.pagecache.size": PAGECACHE,
        "server.directories.data": str(home / "data"),
        "server.directories.logs": str(home / "logs"),
        "server.directories.run": str(home / "run"),
        "server.directories.plugins": str(home / "plugins"),
        "server.directories.import": str(home / "import"),
        "dbms.usage_report.enabled": "false",
        # tests try a wrong password on purpose; no lock-out of the user for the tests after them
        "dbms.security.auth_max_failed_attempts": "0",
        "db.tx_log.rotation.retention_policy": "1 files",
    }
    (conf / "neo4j.conf").write_text("".join(f"{k}={v}\n" for k, v in settings.items()))
    return conf


def spawn(java: str, lib: Path, home: Path, conf: Path) -> subprocess.Popen:
    cmd = [java, f"-Xms{HEAP}", f"-Xmx{HEAP}", *JVM_FLAGS, "-cp", f"{lib}/*", ENTRY_POINT,
           f"--home-dir={home}", f"--config-dir={conf}", "--console-mode"]
    out = (home / "console.log").open("w")
    # Own session: a Ctrl-C to `make` reaches us, and we stop the server in order.
    return subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=home, start_new_session=True)


def wait_for_bolt(process: subprocess.Popen, home: Path, port: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    console = home / "console.log"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Neo4j exited with code {process.returncode} while starting:\n"
                               + tail_of(console))
        if "Started." in console.read_text(errors="replace") and port_open(port):
            return
        time.sleep(0.2)
    raise RuntimeError(f"Neo4j did not open Bolt within {START_TIMEOUT_S:.0f}s:\n" + tail_of(console))


def port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def tail_of(path: Path, lines: int = 40) -> str:
    if not path.exists():
        return "(no log)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def set_password(uri: str, password: str) -> str:
    """Replace the expired initial password; return the server's version."""
    import neo4j  # the project's venv has the driver; imported late so `fetch` runs without it

    with neo4j.GraphDatabase.driver(uri, auth=(USER, "neo4j")) as driver:
        driver.execute_query("ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
                             old="neo4j", new=password, database_="system")
    with neo4j.GraphDatabase.driver(uri, auth=(USER, password)) as driver:
        records, _, _ = driver.execute_query(
            "CALL dbms.components() YIELD versions, edition RETURN versions[0] AS v, edition AS e")
    return f"{records[0]['v']} {records[0]['e']}"


def start(version: str = VERSION) -> Server:
    java = check_java()
    lib = fetch(version)
    home = Path(tempfile.mkdtemp(prefix="chidao-neo4j-"))
    began = time.monotonic()
    bolt_port, routing_port = free_port(), free_port()
    process = spawn(java, lib, home, write_config(home, bolt_port, routing_port))
    uri = f"bolt://127.0.0.1:{bolt_port}"
    password = secrets.token_urlsafe(18)
    try:
        wait_for_bolt(process, home, bolt_port)
        running = set_password(uri, password)
    except BaseException:
        stop_process(process)
        shutil.rmtree(home, ignore_errors=True)
        raise
    server = Server(process, home, uri, password, running, time.monotonic() - began)
    log(f"Neo4j {running} up on {uri} in {server.startup_s:.1f}s (home {home})")
    return server


def stop_process(process: subprocess.Popen, debug_log: Path | None = None) -> None:
    """SIGTERM, then SIGKILL once the databases are closed: Bolt's network threads take another
    10 s of quiet periods to wind down, and nothing of this throwaway server needs them."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while process.poll() is None and time.monotonic() < deadline:
        if debug_log is not None and DATABASES_CLOSED in debug_log.read_text(errors="replace"):
            break
        time.sleep(0.1)
    if process.poll() is None:
        process.kill()
    process.wait()


def stop(server: Server) -> None:
    began = time.monotonic()
    stop_process(server.process, server.home / "logs" / "debug.log")
    shutil.rmtree(server.home, ignore_errors=True)
    log(f"Neo4j stopped in {time.monotonic() - began:.1f}s")


# --- commands ------------------------------------------------------------------------------------


def set_memory(heap: str, pagecache: str) -> None:
    """The sizes the next `start` gives the server (`512m`, `2g`: Neo4j's own notation)."""
    for name, value in (("heap", heap), ("page cache", pagecache)):
        if not re.fullmatch(r"\d+[kmgKMG]?", value):
            raise SystemExit(f"--{name.replace(' ', '')}: {value!r} is not a size such as 512m or 2g")
    global HEAP, PAGECACHE
    HEAP, PAGECACHE = heap, pagecache


def one_line(message: str) -> str:
    """The first line of a failure and its first exception line, for a skip reason."""
    lines = message.splitlines() or [""]
    cause = next((line.strip() for line in lines[1:] if "Exception" in line or "Error" in line), "")
    return f"{lines[0]} {cause}".strip()


def raise_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit, so `finally` blocks stop the server."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def run(command: list[str]) -> int:
    if not command:
        log("nothing to run: give a command after `--`")
        return 2
    env = dict(os.environ)
    if env.get("CHIDAO_TEST_NEO4J_URI"):
        log(f"using the server at {env['CHIDAO_TEST_NEO4J_URI']} (CHIDAO_TEST_NEO4J_URI is set)")
        return subprocess.call(command, env=env)
    raise_on_sigterm()
    try:
        server = start()
    except (Unavailable, RuntimeError) as exc:
        log(f"no Neo4j server for the tests: {exc}")
        env["CHIDAO_TEST_NEO4J_SKIP"] = one_line(str(exc))
        return subprocess.call(command, env=env)
    try:
        return subprocess.call(command, env={**env, **server.env()})
    finally:
        stop(server)


def serve() -> int:
    raise_on_sigterm()
    server = start()
    try:
        for key, value in server.env().items():
            print(f"export {key}={value}", flush=True)
        log("Ctrl-C stops the server")
        while server.process.poll() is None:
            time.sleep(1)
        log(f"Neo4j exited by itself with code {server.process.returncode}")
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop(server)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("fetch", help="download the distribution into the cache")
    serve_parser = sub.add_parser("serve", help="start a server and wait for Ctrl-C")
    run_parser = sub.add_parser("run", help="start a server, run COMMAND, stop the server")
    for each in (serve_parser, run_parser):
        each.add_argument("--heap", default=HEAP, help=f"JVM heap (default {HEAP})")
        each.add_argument("--pagecache", default=PAGECACHE, help=f"page cache (default {PAGECACHE})")
    run_parser.add_argument("cmd", nargs=argparse.REMAINDER, help="-- COMMAND [ARGS…]")
    args = parser.parse_args(argv)
    set_memory(getattr(args, "heap", HEAP), getattr(args, "pagecache", PAGECACHE))
    try:
        if args.command == "fetch":
            print(fetch())
            return 0
        if args.command == "serve":
            return serve()
        command = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
        return run(command)
    except Unavailable as exc:
        log(str(exc))
        return 1


if __name__ == "__main__":
    sys.exit(main())
