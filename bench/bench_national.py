"""The national-scale benchmark: a generated corpus of province and commune plans (bench/generate.py)
ingested and queried the way chidao runs, all measured in one run and written as a markdown table.

Stages: generate → extraction throughput against a regex floor (one core) → `chidao ingest -j 2`
(time, peak memory) → embedded store load (fresh process: time, memory, size on disk) → trace-up
from random commune tasks and trace-down from the root directive, in process → the same on Neo4j
(a throwaway server, scripts/neo4j_server.py) → API requests/s for trace-up with 2 uvicorn workers
under a local asyncio load generator → a compact lineage index, the alternative to networkx.

    .venv/bin/python bench/bench_national.py --communes 40          # small (make bench)
    .venv/bin/python bench/bench_national.py --communes 3321        # national (make bench-full)

Options bound every stage (samples, repeats, request count and time); `--skip-neo4j`, `--skip-api`.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import pickle
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402

from graph.embedded import EmbeddedStore  # noqa: E402
from graph.model import TASK  # noqa: E402
from ingest.extract import extract_text  # noqa: E402
from queries import trace  # noqa: E402

# the floor: one pass of a compiled id-shaped regex (the same pattern as bench/bench_extract.py)
FLOOR_RE = re.compile(r"\d{1,5}[ \t]?[-/][ \t]?[A-ZĐ]{1,8}[-/][A-ZĐ]{1,10}")
ROOT_DIRECTIVE = "doc:57-NQ/TW@national"
WORKER_HEALTHCHECK_S = 120
NEO4J_BATCH = 250  # files a write call, so a time budget can stop between calls
PYTHON = sys.executable

TARGETS = {
    "extract_mb_s_core": 5.0,
    "ingest_s_full": 600.0,
    "load_s": 10.0,
    "load_rss_gb": 3.0,
    "trace_up_p99_ms_embedded": 1.0,
    "trace_up_p99_ms_neo4j": 20.0,
    "api_rps": 500.0,
}


# ---- helpers ------------------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50 / p99 / max of `samples` (seconds), in milliseconds."""
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"n": len(ordered), "p50_ms": pick(0.50) * 1e3, "p99_ms": pick(0.99) * 1e3,
            "max_ms": ordered[-1] * 1e3}


WARM_UP_CALLS = 10


def timed_each(keys: list[str], job: Callable[[str], object], budget_s: float,
               warm_up: int = WARM_UP_CALLS) -> list[float]:
    """Run `job` once per key, timing each; stop early when the budget is spent. The first
    WARM_UP_CALLS keys are run once untimed before: a steady-state latency should not count a
    server's first planning of each query shape (Neo4j) or a cache's first fill."""
    for key in keys[:warm_up]:
        job(key)
    times = []
    deadline = time.monotonic() + budget_s
    for key in keys:
        started = time.perf_counter()
        job(key)
        times.append(time.perf_counter() - started)
        if time.monotonic() > deadline:
            break
    return times


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants (Linux /proc), in kB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
        found = re.search(r"VmRSS:\s+(\d+)", status)
        rss[int(entry)] = int(found.group(1)) if found else 0
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += rss.get(current, 0)
        stack.extend(children.get(current, []))
    return total


def run_measured(cmd: list[str], timeout: float) -> dict[str, Any]:
    """Run `cmd` (stopped after `timeout` s), returning wall time, its stdout lines, the peak of its
    process tree's summed RSS (sampled every 0.2 s) and the peak RSS of its largest process."""
    import resource

    started = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=ROOT, start_new_session=True)
    lines: list[str] = []
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss_kb(process.pid))
            stop.wait(0.2)

    def read() -> None:
        for line in process.stdout:  # type: ignore[union-attr]
            lines.append(line)

    threads = [threading.Thread(target=sample, daemon=True), threading.Thread(target=read, daemon=True)]
    for thread in threads:
        thread.start()
    timed_out = False
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    stop.set()
    for thread in threads:
        thread.join(timeout=5)
    err = process.stderr.read() if process.stderr else ""  # type: ignore[union-attr]
    if process.returncode != 0 and not timed_out:
        raise RuntimeError(f"{' '.join(cmd)} failed ({process.returncode}):\n{err[-2000:]}")
    return {"seconds": time.perf_counter() - started, "lines": lines, "timed_out": timed_out,
            "peak_tree_rss_mb": peak / 1024,
            "largest_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


# ---- stages -------------------------------------------------------------------------------------


def stage_generate(corpus: Path, args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    specs = generate.generate(corpus, args.communes, args.plans, args.tasks, args.seed,
                              args.province_plans)
    size = sum((corpus / s.file).stat().st_size for s in specs)
    return {"seconds": time.perf_counter() - started, "files": len(specs), "mb": size / 1e6,
            "province_plans": sum(1 for s in specs if s.level == "province"),
            "commune_plans": sum(1 for s in specs if s.level == "commune"),
            "tasks_written": sum(s.tasks + s.appendix_tasks for s in specs)}


def stage_extract(corpus: Path, sample_mb: float, seed: int) -> dict[str, Any]:
    """One core: extract a random sample of the files (read + extract) and, on the same files, the
    floor (read + one regex scan). Also how many records read back the manifest's id."""
    manifest = json.loads((corpus / generate.MANIFEST).read_text(encoding="utf-8"))["files"]
    random.Random(seed).shuffle(manifest)
    chosen, size = [], 0
    for row in manifest:
        if size >= sample_mb * 1e6:
            break
        chosen.append(row)
        size += (corpus / row["file"]).stat().st_size
    paths = [corpus / row["file"] for row in chosen]
    extract_text(paths[0].read_text(encoding="utf-8"), paths[0].name)  # warm-up: lazy vocabularies

    started = time.perf_counter()
    hits = sum(sum(1 for _ in FLOOR_RE.finditer(p.read_text(encoding="utf-8"))) for p in paths)
    floor_s = time.perf_counter() - started

    started = time.perf_counter()
    records = [extract_text(p.read_text(encoding="utf-8"), p.name) for p in paths]
    extract_s = time.perf_counter() - started
    return {"files": len(paths), "mb": size / 1e6, "floor_s": floor_s, "extract_s": extract_s,
            "floor_mb_s": size / 1e6 / floor_s, "extract_mb_s": size / 1e6 / extract_s,
            "x_floor": extract_s / floor_s, "floor_hits": hits, **readback(chosen, records)}


def readback(rows: list[dict], records: list[dict]) -> dict[str, Any]:
    """How much of what the generator wrote the extractor reads back."""
    ids = jurisdictions = parents = tasks = written = 0
    for row, record in zip(rows, records, strict=True):
        me = record["self"]
        ids += me.get("id") == row["id"]
        jurisdictions += me.get("jurisdiction") == row["jurisdiction"]
        parents += any(r.get("id") == row["implements"]["id"] and r.get("relation") == "implements"
                       and r.get("jurisdiction") == row["implements"]["jurisdiction"]
                       for r in record["references"])
        tasks += len(record["tasks"])
        written += row["tasks"] + row["appendix_tasks"]
    n = max(len(rows), 1)
    return {"readback_id": ids / n, "readback_jurisdiction": jurisdictions / n,
            "readback_parent": parents / n, "readback_tasks": tasks / max(written, 1)}


def stage_ingest(corpus: Path, data: Path, jobs: int, timeout: float) -> dict[str, Any]:
    """`chidao ingest -j N` as bench/ingest_stages.py runs it: extraction, store write, alignment,
    each timed; stopped after `timeout` s (the store keeps what the write stage wrote)."""
    cmd = [PYTHON, str(BENCH / "ingest_stages.py"), str(data), str(corpus), "--jobs", str(jobs)]
    result = run_measured(cmd, timeout)
    stages = {row["stage"]: row for row in map(json.loads, result["lines"])}
    row = {"seconds": result["seconds"], "timed_out": result["timed_out"], "timeout": timeout,
           "peak_tree_rss_mb": result["peak_tree_rss_mb"], "largest_rss_mb": result["largest_rss_mb"]}
    for name in ("extract", "write", "align"):
        if name in stages:
            row[f"{name}_s"] = stages[name]["seconds"]
    row["files"] = stages.get("extract", {}).get("files")
    row["failures"] = stages.get("extract", {}).get("failures")
    row["align_summary"] = stages.get("align", {}).get("summary")
    return row


LOAD_SCRIPT = """
import gc, json, resource, sys, time
sys.path.insert(0, {root!r})
from graph.embedded import EmbeddedStore
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
store = EmbeddedStore({data!r})
seconds = time.perf_counter() - started
graph = store._graph
print(json.dumps({{"seconds": seconds, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "base_rss_mb": before / 1024, "nodes": graph.number_of_nodes(),
                  "edges": graph.number_of_edges()}}))
"""


def stage_load(data: Path) -> dict[str, Any]:
    """Open the store in a fresh process (as `chidao trace` and each API worker do)."""
    done = subprocess.run([PYTHON, "-c", LOAD_SCRIPT.format(root=str(ROOT), data=str(data))],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    row = json.loads(done.stdout)
    row["size_mb"] = sum(f.stat().st_size for f in data.iterdir() if f.is_file()) / 1e6
    return row


def commune_tasks(store: EmbeddedStore, count: int, seed: int) -> list[str]:
    """`count` random tasks of commune plans (the start of a trace-up question)."""
    keys = sorted(n.key for n in store.nodes(TASK) if "@" in n.key and _is_commune_task(store, n.key))
    rng = random.Random(seed)
    return [rng.choice(keys) for _ in range(count)] if keys else []


def _is_commune_task(store: EmbeddedStore, key: str) -> bool:
    plan = store.node(key[len("task:"):].rsplit("#", 1)[0])
    return plan is not None and plan.props.get("level") == "commune"


def stage_queries(store: Any, tasks: list[str], args: argparse.Namespace, label: str) -> dict[str, Any]:
    """Trace-up latency (the store's walk, and the full query with its views) and trace-down."""
    types = trace.lineage_types()
    gc.collect()
    walk = timed_each(tasks, lambda k: store.paths_up(k, types), args.budget)
    query = timed_each(tasks, lambda k: trace.trace_up(store, k), args.budget)
    down = timed_each([ROOT_DIRECTIVE] * args.down_repeat,
                      lambda k: trace.trace_down(store, k), args.budget, warm_up=0)
    sample = trace.trace_up(store, tasks[0])
    reached = trace.trace_down(store, ROOT_DIRECTIVE)
    log(f"{label}: trace-up p99 {percentiles(query)['p99_ms']:.2f} ms, trace-down "
        f"{percentiles(down)['p50_ms']:.0f} ms")
    return {"walk": percentiles(walk), "trace_up": percentiles(query), "trace_down": percentiles(down),
            "roots": [r.get("id") for r in sample["roots"]], "paths": sample["total_paths"],
            "down_documents": reached["total_documents"], "down_tasks": reached["total_tasks"]}


def stage_frozen(store: EmbeddedStore, tasks: list[str], args: argparse.Namespace) -> dict[str, Any]:
    """Trace-up again after `gc.freeze()`: the loaded graph's millions of objects leave the
    collector's generations, so a collection no longer walks them in the middle of a query."""
    types = trace.lineage_types()
    gc.collect()
    gc.freeze()
    try:
        walk = timed_each(tasks, lambda k: store.paths_up(k, types), args.budget)
        query = timed_each(tasks, lambda k: trace.trace_up(store, k), args.budget)
    finally:
        gc.unfreeze()
    return {"walk": percentiles(walk), "trace_up": percentiles(query)}


# ---- Neo4j --------------------------------------------------------------------------------------


def neo4j_launcher():
    spec = importlib.util.spec_from_file_location("neo4j_server", ROOT / "scripts" / "neo4j_server.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["neo4j_server"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def stage_neo4j(store: EmbeddedStore, tasks: list[str], args: argparse.Namespace) -> dict[str, Any]:
    """Write every file's contribution to a throwaway Neo4j server, then the same queries."""
    from graph.neo4j_store import Neo4jStore

    launcher = neo4j_launcher()
    try:
        server = launcher.start()
    except (launcher.Unavailable, RuntimeError) as exc:
        return {"skipped": f"no Neo4j server: {str(exc).splitlines()[0]}"}
    try:
        neo = Neo4jStore(server.uri, launcher.USER, server.password)
        # central and province plans first: a partial write keeps the commune plans' parents
        files = sorted(store.source_files(), key=lambda f: (Path(f).name.startswith("c"), f))
        written, write_s = write_within(neo, store, files, args.neo4j_budget)
        log(f"neo4j: wrote {written} of {len(files)} files in {write_s:.1f} s")
        down_args = argparse.Namespace(**{**vars(args), "down_repeat": max(1, args.down_repeat // 2)})
        present = [k for k in tasks[: args.neo4j_tasks] if neo.node(k) is not None]
        row = {"version": server.version, "heap": launcher.HEAP, "pagecache": launcher.PAGECACHE,
               "write_s": write_s, "files_written": written, "files": len(files),
               **stage_queries(neo, present, down_args, "neo4j")}
        neo.close()
        return row
    finally:
        launcher.stop(server)


def write_within(neo: Any, store: EmbeddedStore, files: list[str], budget: float) -> tuple[int, float]:
    """Write the files' contributions in batches (province plans first, as the corpus is sorted)
    until the time budget is spent: the files written and the seconds taken."""
    started = time.perf_counter()
    written = 0
    for start in range(0, len(files), NEO4J_BATCH):
        batch = files[start:start + NEO4J_BATCH]
        neo.write([store.contribution(f) for f in batch])
        written += len(batch)
        if time.perf_counter() - started > budget:
            break
    return written, time.perf_counter() - started


# ---- API ----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stage_api(data: Path, tasks: list[str], args: argparse.Namespace,
              factory: str = "create") -> dict[str, Any]:
    """Requests/s for GET /trace/up with 2 uvicorn workers, loopback only, bounded in count and time."""
    port = free_port()
    env = {**os.environ, "CHIDAO_DATA": str(data)}
    cmd = [PYTHON, "-m", "uvicorn", f"serve_app:{factory}", "--factory", "--app-dir", str(BENCH),
           "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers),
           "--log-level", "info", "--no-access-log",
           # a worker unpickling the national store holds the GIL for seconds and cannot answer
           # the supervisor's 5 s ping: with the default it is killed and restarted in a loop
           "--timeout-worker-healthcheck", str(WORKER_HEALTHCHECK_S)]
    server_log = (data.parent / "uvicorn.log").open("w")
    server = subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True, stdout=server_log,
                              stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        ready = wait_ready(base, server, timeout=300)
        result = run_load(base, tasks, args, data.parent / "refs.txt")
        result["workers_ready_s"] = ready
        server_log_text = (data.parent / "uvicorn.log").read_text(errors="replace")
        result["worker_restarts"] = server_log_text.count("died")
        result["server_log"] = server_log_text[-1500:]
        return result
    finally:
        server.terminate()
        server_log.close()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def run_load(base: str, tasks: list[str], args: argparse.Namespace, refs: Path) -> dict[str, Any]:
    """The load generator in its own process: this one holds the whole graph, and its garbage
    collections would stall the client."""
    refs.write_text("\n".join(tasks) + "\n", encoding="utf-8")
    cmd = [PYTHON, str(BENCH / "loadgen.py"), base, str(refs), "--requests", str(args.requests),
           "--seconds", str(args.api_seconds), "--concurrency", str(args.concurrency)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT,
                          timeout=args.api_seconds + 120)
    return json.loads(done.stdout)


def wait_ready(base: str, server: subprocess.Popen, timeout: float) -> float:
    """Seconds until every worker answers (a few /health calls in a row succeed)."""
    import httpx

    started = time.monotonic()
    good = 0
    while time.monotonic() - started < timeout:
        if server.poll() is not None:
            raise RuntimeError(f"uvicorn exited with code {server.returncode}")
        try:
            good = good + 1 if httpx.get(base + "/health", timeout=30).status_code == 200 else 0
        except httpx.HTTPError:
            good = 0
            time.sleep(0.5)
        if good >= 6:
            return time.monotonic() - started
    raise RuntimeError("the API did not come up")


# ---- the alternative: a compact lineage index ---------------------------------------------------


def stage_compact(store: EmbeddedStore, tasks: list[str], folder: Path, budget: float) -> dict[str, Any]:
    """The lineage edges only (PART_OF, IMPLEMENTS, CARRIES_OUT) as integer adjacency tuples, pickled:
    how fast it loads and walks, against the full networkx store."""
    types = set(trace.lineage_types())
    graph = store._graph
    keys = list(graph.nodes)
    index = {k: i for i, k in enumerate(keys)}
    up: list[tuple[int, ...]] = [()] * len(keys)
    for src, dst, kind in graph.edges(keys=True):
        if kind in types:
            up[index[src]] += (index[dst],)
    path = folder / "lineage.pickle"
    path.write_bytes(pickle.dumps({"keys": keys, "up": up}, protocol=5))
    gc.collect()
    started = time.perf_counter()
    with _no_gc():
        loaded = pickle.loads(path.read_bytes())
    load_s = time.perf_counter() - started
    up, where = loaded["up"], {k: i for i, k in enumerate(loaded["keys"])}

    def walk(key: str) -> list[list[int]]:
        found, stack = [], [(where[key], (where[key],))]
        while stack:
            node, trail = stack.pop()
            onward = [n for n in up[node] if n not in trail]
            if not onward and len(trail) > 1:
                found.append(list(trail))
            stack.extend((n, (*trail, n)) for n in onward)
        return found

    times = timed_each(tasks, walk, budget)
    return {"size_mb": path.stat().st_size / 1e6, "load_s": load_s, "walk": percentiles(times)}


class _no_gc:
    def __enter__(self) -> None:
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        gc.enable()


# ---- report -------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))
    import networkx

    return {"cpu": cpu, "cores": str(os.cpu_count()), "ram_gb": f"{int(mem) / 1024 / 1024:.1f}",
            "python": platform.python_version(), "networkx": networkx.__version__,
            "os": f"{platform.system()} {platform.release()}"}


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def verdict(value: float | None, target: float, lower_is_better: bool) -> str:
    if value is None:
        return "not measured"
    ratio = value / target
    if lower_is_better:
        return f"met ({ratio:.2f}× the limit)" if value <= target else f"missed ({ratio:.1f}× the limit)"
    return f"met ({ratio:.1f}× the target)" if value >= target else f"missed ({ratio:.2f}× the target)"


def report(results: dict[str, Any], args: argparse.Namespace) -> str:
    from report import render_report

    return render_report(results, args, TARGETS, verdict)


def build(corpus: Path, data: Path, args: argparse.Namespace, results: dict[str, Any]) -> None:
    log(f"generating {args.communes} communes into {corpus}")
    results["corpus"] = stage_generate(corpus, args)
    log(f"corpus: {results['corpus']}")
    results["extract"] = stage_extract(corpus, args.sample_mb, args.seed)
    log(f"extract: {results['extract']['extract_mb_s']:.2f} MB/s, "
        f"floor {results['extract']['floor_mb_s']:.1f}")
    results["ingest"] = stage_ingest(corpus, data, args.jobs, args.ingest_timeout)
    log(f"ingest: {results['ingest']}")


def corpus_stats(corpus: Path) -> dict[str, Any]:
    """The corpus figures of an earlier run, from its manifest."""
    rows = json.loads((corpus / generate.MANIFEST).read_text(encoding="utf-8"))["files"]
    return {"seconds": None, "files": len(rows),
            "mb": sum((corpus / r["file"]).stat().st_size for r in rows) / 1e6,
            "province_plans": sum(1 for r in rows if r["level"] == "province"),
            "commune_plans": sum(1 for r in rows if r["level"] == "commune"),
            "tasks_written": sum(r["tasks"] + r["appendix_tasks"] for r in rows)}


# ---- main ---------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--communes", type=int, default=40)
    parser.add_argument("--plans", type=int, default=5, help="plans per commune")
    parser.add_argument("--province-plans", type=int, default=generate.PROVINCE_PLANS,
                        help="plans per province")
    parser.add_argument("--tasks", type=int, default=20, help="tasks per plan")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2, help="ingest processes")
    parser.add_argument("--sample-mb", type=float, default=8.0, help="extraction throughput sample")
    parser.add_argument("--queries", type=int, default=1000, help="random commune tasks to trace up")
    parser.add_argument("--neo4j-tasks", type=int, default=1000)
    parser.add_argument("--neo4j-budget", type=float, default=600.0,
                        help="stop writing to Neo4j after about this many seconds")
    parser.add_argument("--down-repeat", type=int, default=10, help="trace-down runs")
    parser.add_argument("--budget", type=float, default=120.0, help="seconds per latency series, at most")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers")
    parser.add_argument("--requests", type=int, default=5000, help="API requests, at most")
    parser.add_argument("--api-seconds", type=float, default=30.0, help="API load time, at most")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--ingest-timeout", type=float, default=1500.0,
                        help="stop the ingest (its alignment stage) after this many seconds")
    parser.add_argument("--skip-neo4j", action="store_true")
    parser.add_argument("--skip-api", action="store_true")
    parser.add_argument("--reuse", action="store_true",
                        help="query the corpus and store an earlier run left in --work (no generate, "
                             "extract or ingest)")
    parser.add_argument("--work", type=Path, help="working folder (default: a temporary one, removed)")
    parser.add_argument("--out", type=Path, help="markdown report (default bench/results/national-N.md)")
    args = parser.parse_args(argv)

    if args.reuse and not (args.work and (args.work / "store").is_dir()):
        parser.error("--reuse needs --work naming the folder of an earlier run")
    work = args.work or Path(tempfile.mkdtemp(prefix="chidao-national-"))
    corpus, data = work / "corpus", work / "store"
    if not args.reuse:
        shutil.rmtree(corpus, ignore_errors=True)
        shutil.rmtree(data, ignore_errors=True)
    results: dict[str, Any] = {"machine": machine(), "load_before": load_average(),
                               "started": time.strftime("%Y-%m-%d %H:%M:%S %Z")}
    try:
        if args.reuse:
            results["corpus"] = corpus_stats(corpus)
        else:
            build(corpus, data, args, results)
        results["load"] = stage_load(data)
        log(f"load: {results['load']}")
        store = EmbeddedStore(data)
        tasks = commune_tasks(store, args.queries, args.seed)
        results["embedded"] = stage_queries(store, tasks, args, "embedded")
        results["embedded_frozen"] = stage_frozen(store, tasks, args)
        results["compact"] = stage_compact(store, tasks, work, args.budget)
        if not args.skip_api:
            results["api"] = stage_api(data, tasks, args)
            log(f"api: {results['api']['rps']:.0f} req/s")
            results["api_bare"] = stage_api(data, tasks, args, "create_bare")
            log(f"api (bare Starlette route): {results['api_bare']['rps']:.0f} req/s")
        if not args.skip_neo4j:
            results["neo4j"] = stage_neo4j(store, tasks, args)
        results["load_after"] = load_average()
        results["finished"] = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    out = args.out or BENCH / "results" / f"national-{args.communes}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report(results, args), encoding="utf-8")
    out.with_suffix(".json").write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    print(out.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
