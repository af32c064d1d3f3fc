"""The markdown report of bench/bench_national.py: machine, corpus, one table of measures against
the targets, and the detail rows."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

FULL_COMMUNES = 3321
PROVINCE_PLANS = 5  # at national scale (bench/generate.py)


def _get(results: dict[str, Any], *path: str) -> Any:
    value: Any = results
    for part in path:
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _fmt(value: Any, digits: int = 2, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}f}{unit}"
    return f"{value}{unit}"


def render_report(results: dict[str, Any], args: argparse.Namespace, targets: dict[str, float],
                  verdict: Callable[[float | None, float, bool], str]) -> str:
    m, corpus = results["machine"], results.get("corpus", {})
    scale = args.communes / FULL_COMMUNES
    lines = [
        f"# National-scale benchmark: {args.communes} communes ({scale:.1%} of {FULL_COMMUNES})",
        "",
        f"Run {results.get('started')} → {results.get('finished', 'unfinished')}; load average "
        f"{results.get('load_before')} before, {results.get('load_after', '—')} after (1/5/15 min).",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, {m['os']}; Python "
        f"{m['python']}, networkx {m['networkx']}.",
        "",
        f"Corpus (bench/generate.py, seed {args.seed}): {corpus.get('files')} files, "
        f"{_fmt(corpus.get('mb'), 1)} MB — {corpus.get('province_plans')} province plans, "
        f"{corpus.get('commune_plans')} commune plans ({args.plans} a commune), "
        f"{corpus.get('tasks_written')} tasks written ({args.tasks} a plan); generated in "
        f"{_fmt(corpus.get('seconds'), 1)} s.",
        "",
        "| measure | value | target | verdict |",
        "|---|---|---|---|",
    ]
    lines += _target_rows(results, targets, verdict, args.plans)
    lines += ["", "## Detail", "", "| measure | value |", "|---|---|"]
    lines += _detail_rows(results)
    lines += ["", "Latencies are per call on one thread of this process, after 10 untimed warm-up calls "
              "(trace-up; trace-down is timed from its first call); the API load generator "
              "(bench/loadgen.py: HTTP/1.1 keep-alive on asyncio, TCP quick ACK) runs on the same 2 cores as "
              "the 2 uvicorn workers, so the requests/s are a lower bound.", ""]
    return "\n".join(lines)


def _target_rows(results: dict[str, Any], targets: dict[str, float],
                 verdict: Callable[[float | None, float, bool], str], plans: int) -> list[str]:
    extract = _get(results, "extract", "extract_mb_s")
    ingest = results.get("ingest", {})
    parts = [ingest.get(k) for k in ("extract_s", "write_s", "align_s")]
    files = _get(results, "corpus", "files") or 0
    province = _get(results, "corpus", "province_plans") or 0
    full_files = (files - province - (_get(results, "corpus", "commune_plans") or 0)
                  + 34 * PROVINCE_PLANS + FULL_COMMUNES * plans)
    scale = files / full_files if full_files else 1.0
    done = sum(p for p in parts[:2] if p is not None)
    full_ingest = done / scale if parts[1] is not None else None
    load_s, load_rss = _get(results, "load", "seconds"), _get(results, "load", "rss_mb")
    emb = _get(results, "embedded", "trace_up", "p99_ms")
    neo = _get(results, "neo4j", "trace_up", "p99_ms")
    rps = _get(results, "api", "rps")
    extrapolated = "" if scale >= 0.999 else " (extrapolated linearly from this scale)"
    rows = [
        ("extraction, MB/s per core", extract, targets["extract_mb_s_core"], False, "≥ 5"),
        (f"national ingest without alignment (extract + write), s{extrapolated}", full_ingest,
         targets["ingest_s_full"], True, "≤ 600"),
        (f"alignment after ingest, s (measured at this scale{', stopped' if ingest.get('timed_out') else ''}"
         "; not extrapolated: it compares documents pairwise)", parts[2], None, True, "(part of ingest)"),
        ("embedded store load, s", load_s, targets["load_s"], True, "≤ 10"),
        ("embedded store load, GB RSS", load_rss / 1024 if load_rss else None, targets["load_rss_gb"],
         True, "≤ 3"),
        ("trace-up p99, ms, embedded in-process", emb, targets["trace_up_p99_ms_embedded"], True, "≤ 1"),
        ("trace-up p99, ms, Neo4j", neo, targets["trace_up_p99_ms_neo4j"], True, "≤ 20"),
        ("API trace-up, requests/s (2 workers)", rps, targets["api_rps"], False, "≥ 500"),
    ]
    return [f"| {name} | {_fmt(value)} | {shown} | "
            f"{verdict(value, target, lower) if target is not None else '—'} |"
            for name, value, target, lower, shown in rows]


def _detail_rows(results: dict[str, Any]) -> list[str]:
    e, i, ld = results.get("extract", {}), results.get("ingest", {}), results.get("load", {})
    rows = [
        ("extraction sample", f"{e.get('files')} files, {_fmt(e.get('mb'), 1)} MB, one core"),
        ("regex floor (read + one compiled scan)", f"{_fmt(e.get('floor_mb_s'), 1)} MB/s"),
        ("extraction / floor time", f"{_fmt(e.get('x_floor'), 1)}×"),
        ("read back: own id / jurisdiction / parent plan / tasks",
         " / ".join(_fmt(e.get(k), 3) for k in ("readback_id", "readback_jurisdiction", "readback_parent",
                                                 "readback_tasks"))),
        ("ingest (`chidao ingest -j 2` stages)",
         f"extract {_fmt(i.get('extract_s'), 1)} s, store write {_fmt(i.get('write_s'), 1)} s, alignment "
         f"{_fmt(i.get('align_s'), 1)} s{' (stopped at the time limit)' if i.get('timed_out') else ''}; "
         f"{i.get('files')} files, {i.get('failures')} failures; {i.get('align_summary') or ''}"),
        ("extraction throughput in the ingest (2 processes)",
         f"{_fmt(_per_s(_get(results, 'corpus', 'mb'), i.get('extract_s')), 2)} MB/s"),
        ("ingest peak RSS: process tree (sampled) / largest process",
         f"{_fmt(i.get('peak_tree_rss_mb'), 0)} MB / {_fmt(i.get('largest_rss_mb'), 0)} MB"),
        ("store on disk", f"{_fmt(ld.get('size_mb'), 1)} MB"),
        ("store graph", f"{ld.get('nodes')} nodes, {ld.get('edges')} edges"),
        ("store load (fresh process)", f"{_fmt(ld.get('seconds'), 2)} s, peak RSS "
         f"{_fmt(ld.get('rss_mb'), 0)} MB (interpreter alone {_fmt(ld.get('base_rss_mb'), 0)} MB)"),
    ]
    for label in ("embedded", "neo4j"):
        q = results.get(label)
        if not q:
            continue
        if "skipped" in q:
            rows.append((label, q["skipped"]))
            continue
        if label == "neo4j":
            rows.append(("Neo4j server", f"{q['version']}, heap {q['heap']}, page cache {q['pagecache']}; "
                         f"{q.get('files_written')} of {q.get('files')} files written in "
                         f"{_fmt(q['write_s'], 1)} s "
                         f"({_fmt(_per_s(q.get('files_written'), q['write_s']), 1)} files/s)"))
        rows += [
            (f"{label}: store walk paths_up p50 / p99", _lat(q["walk"])),
            (f"{label}: trace_up query p50 / p99", _lat(q["trace_up"])),
            (f"{label}: trace_down root directive p50 / p99",
             f"{_lat(q['trace_down'])}; {q['down_documents']} documents, {q['down_tasks']} tasks below"),
            (f"{label}: a trace-up answer", f"{q['paths']} paths, roots {', '.join(map(str, q['roots']))}"),
        ]
    frozen = results.get("embedded_frozen")
    if frozen:
        rows += [("alternative: embedded after gc.freeze(), store walk p50 / p99", _lat(frozen["walk"])),
                 ("alternative: embedded after gc.freeze(), trace_up query p50 / p99",
                  _lat(frozen["trace_up"]))]
    c = results.get("compact")
    if c:
        rows.append(("alternative: lineage-only integer adjacency (pickle)",
                     f"{_fmt(c['size_mb'], 1)} MB, loads in {_fmt(c['load_s'], 2)} s, "
                     f"walk p50 / p99 {_lat(c['walk'])}"))
    for name, label in (("api", "API GET /trace/up (chidao's FastAPI app)"),
                        ("api_bare", "alternative: the same query on a bare Starlette route")):
        a = results.get(name)
        if not a:
            continue
        rows.append((label, f"{a['requests']} requests in {_fmt(a['seconds'], 1)} s at "
                     f"concurrency {a['concurrency']}, {a['errors']} errors, "
                     f"{a.get('resets', 0)} connection resets, "
                     f"{_fmt(a.get('mean_kb'), 1)} kB a response; latency p50 / p99 "
                     f"{_fmt(a['p50_ms'], 1)} / {_fmt(a['p99_ms'], 1)} ms; workers up in "
                     f"{_fmt(a['workers_ready_s'], 1)} s ({a.get('worker_restarts', 0)} worker restarts); "
                     "the load generator used "
                     f"{_fmt(a.get('client_cpu_share', 0) * 100, 0)}% of a core; one request at a time: "
                     f"{_fmt(a.get('sequential_p50_ms'), 2)} ms p50, "
                     f"{_fmt(a.get('sequential_p50_ms_delayed_ack'), 1)} ms when the client delays "
                     "its ACKs (TCP default)"))
    return [f"| {name} | {value} |" for name, value in rows]


def _per_s(amount: float | None, seconds: float | None) -> float | None:
    return amount / seconds if amount and seconds else None


def _lat(row: dict[str, float]) -> str:
    return f"{row['p50_ms']:.3f} / {row['p99_ms']:.3f} ms (n={row['n']})"
