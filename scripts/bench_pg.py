#!/usr/bin/env python3
"""Clash check in PostGIS against the in-process check, on the same city, in the same run (issue 9).

For each size (100,000 and 1,000,000 segments; ``--quick``: 10,000 and
100,000) the generated city map of ``scripts/bench_checks.py`` is used (made
once and cached in ``<out>/checks``), transferred untimed into a throw-away
PostgreSQL + PostGIS cluster (``scripts/pgcluster.py``; the transfer time is
reported), and then checked twice, each in its own child process so that
each peak RSS is its own:

* **in-database** -- :func:`pipemap.core.pg.checks.check_clash_pg`: read the
  segments from PostGIS, the pipe-pair search as one ``ST_DWithin`` self-join
  on the map's GiST index, the figures and verdicts in numpy (stages timed);
* **in-process** -- what ``pipemap:clashcheck MAP=<GeoPackage>`` does: read
  the map (OGR Arrow stream), build the pipes, :func:`check_clash`.

The two runs' findings are compared (verdict counts and pairs). The server
backend's own peak RSS (VmHWM of its process) is reported beside the
client's.

Run alone: ``scripts/bench_pg.py [--out build/bench] [--quick] [--sizes 100000,1000000]``;
``scripts/bench.py`` calls :func:`bench_pg` and :func:`print_lines`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent
COUNT_KEYS = ("FAIL", "UNCERTAIN", "UNKNOWN", "PASS", "no_rule", "pairs_near", "figures")
#: server settings of the bench cluster (a throw-away cluster: durability off, as in bench_checks)
SERVER_SETTINGS = {"shared_buffers": "1GB", "work_mem": "64MB", "maintenance_work_mem": "1GB",
                   "max_wal_size": "4GB", "checkpoint_timeout": "30min"}


def _use_checkout() -> None:
    if str(SCRIPTS) not in sys.path:
        sys.path.insert(0, str(SCRIPTS))
    from _bootstrap import use_checkout

    use_checkout()


def _peak_rss_mb(pid: int | str = "self") -> float | None:
    """VmHWM of a process (MB), None when it cannot be read."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


def _signature(findings: Any) -> dict[str, Any]:
    """What two runs must share: verdict counts, and a digest of the reported (pair, kind, verdict) rows."""
    import hashlib

    import numpy as np

    rows = sorted(zip(findings.pipe_a.tolist(), findings.pipe_b.tolist(), findings.kind.tolist(),
                      findings.verdict.tolist()))
    digest = hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16]
    clear = np.where(np.isfinite(findings.clearance_m), findings.clearance_m, 0.0)
    return {"counts": {k: int(findings.counts.get(k, 0)) for k in COUNT_KEYS}, "findings": len(findings),
            "rows_sha256": digest, "clearance_sum_m": float(np.round(clear.sum(), 3))}


# --- the two runs (child processes) -----------------------------------------------------------------------------


def run_in_database(map_string: str) -> dict[str, Any]:
    """check_clash_pg on a PostGIS map, stage by stage."""
    import shapely  # noqa: F401  (loaded before the clock, as in a running QGIS)

    from pipemap.core.checks.rules import RuleSet
    from pipemap.core.pg.checks import PgMapChecks

    rules = RuleSet.shipped()
    t0 = time.perf_counter()
    with PgMapChecks(map_string) as db:
        with db.con.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            backend = int(cur.fetchone()[0])
        findings = db.clash(rules)
        total = time.perf_counter() - t0
        plan = db.explain_clash()
        stats = dict(db.stats)
        server_rss = _peak_rss_mb(backend)
    out = {"total_s": total, "read_s": stats.get("read_s"), "search_s": stats.get("search_s"),
           "judge_s": stats.get("judge_s"), "pipe_pairs_sql": findings.counts.get("pipe_pairs_candidate"),
           "segments": findings.counts.get("pipes"), "gist_index_used": "pipe_segment_geom_idx" in plan,
           "peak_rss_mb": _peak_rss_mb(), "server_backend_peak_rss_mb": server_rss}
    out.update(_signature(findings))
    return out


def run_in_process(map_path: str) -> dict[str, Any]:
    """What pipemap:clashcheck MAP=<GeoPackage> does before writing its output."""
    import shapely  # noqa: F401

    from pipemap.core import mapread
    from pipemap.core.checks.clash import check_clash
    from pipemap.core.checks.pipes import Pipes
    from pipemap.core.checks.rules import RuleSet

    rules = RuleSet.shipped()
    t0 = time.perf_counter()
    seg = mapread.read_segments(map_path)
    pipes = Pipes.from_segments(seg, rules)
    del seg
    read_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    findings = check_clash(pipes, rules)
    check_s = time.perf_counter() - t1
    out = {"total_s": time.perf_counter() - t0, "read_s": read_s, "check_s": check_s, "segments": len(pipes),
           "peak_rss_mb": _peak_rss_mb()}
    out.update(_signature(findings))
    return out


def _child(*args: str, timeout: float = 3600.0) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), *args], capture_output=True, text=True,
                          timeout=timeout)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"{args[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return json.loads(lines[-1])


# --- the benchmark ------------------------------------------------------------------------------------------------


def bench_pg(out: Path, quick: bool = False, sizes: list[int] | None = None) -> list[dict[str, Any]]:
    """One result per size (``{"name": "checks_pg", ...}``), or one ``skipped`` result without PostGIS."""
    _use_checkout()
    import bench_checks
    import pgcluster

    sizes = sizes or ([10_000, 100_000] if quick else [100_000, 1_000_000])
    ok, reason = pgcluster.availability()
    if not ok:
        return [{"name": "checks_pg", "skipped": reason}]
    from pipemap.core.pg import transfer
    from pipemap.core.pg.connect import PgMap

    results: list[dict[str, Any]] = []
    with pgcluster.PgCluster(settings=SERVER_SETTINGS) as cluster:
        params = cluster.create_database("pipemap_bench")
        import psycopg2

        con = psycopg2.connect(**params)
        with con.cursor() as cur:
            cur.execute("SELECT postgis_lib_version(), current_setting('server_version')")
            postgis_version, pg_version = cur.fetchone()
        con.close()
        for n in sizes:
            gpkg, meta = bench_checks.prepared_city(out / "checks", n)
            schema = f"city_{n}"
            pgmap = PgMap(schema, tuple((k, str(v)) for k, v in params.items()))
            t0 = time.perf_counter()
            moved = transfer.transfer(gpkg, pgmap)
            transfer_s = time.perf_counter() - t0
            res: dict[str, Any] = {"name": "checks_pg", "segments": meta.get("segments"), "transfer_s": transfer_s,
                                   "transferred": moved.counts.get("pipe_segment"), "postgis_version": postgis_version,
                                   "postgresql_version": pg_version, "cpus": os.cpu_count(),
                                   "loadavg_start": os.getloadavg()}
            # alternate the order over the sizes, so that neither always runs on a cold cache
            runs = (("in_process", str(gpkg)), ("in_database", pgmap.uri(with_password=True)))
            for label, arg in runs if n % 2 else runs[::-1]:
                res[label] = _child(f"--{label.replace('_', '-')}", arg)
            local, db = res["in_process"], res["in_database"]
            res["agree"] = all(local[k] == db[k] for k in ("counts", "findings", "rows_sha256")) and \
                abs(local["clearance_sum_m"] - db["clearance_sum_m"]) <= 0.001 * max(1, local["findings"])
            res["database_over_in_process"] = db["total_s"] / local["total_s"]
            res["search_over_in_process_check"] = db["search_s"] / local["check_s"]
            res["loadavg_end"] = os.getloadavg()
            results.append(res)
            con = psycopg2.connect(**params)
            con.autocommit = True
            with con.cursor() as cur:  # room for the next size
                from psycopg2 import sql

                cur.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
            con.close()
    return results


def print_lines(results: list[dict[str, Any]]) -> None:
    """The bench's lines for checks_pg results (others are ignored)."""
    for r in results:
        if r.get("name") != "checks_pg":
            continue
        if r.get("skipped"):
            print(f"clash_pg       skipped: {r['skipped']}")
            continue
        db, lp = r["in_database"], r["in_process"]
        print(f"clash_pg       {r['segments']:,} segments: in PostGIS {db['total_s']:.1f} s (read {db['read_s']:.1f} "
              f"+ SQL pair search {db['search_s']:.1f} + judge {db['judge_s']:.1f}; {db['pipe_pairs_sql']:,} pairs, "
              f"GiST index {'used' if db['gist_index_used'] else 'NOT used'}), client peak RSS "
              f"{db['peak_rss_mb']:,.0f} MB, server backend {db['server_backend_peak_rss_mb'] or 0:,.0f} MB")
        print(f"               in process {lp['total_s']:.1f} s (read {lp['read_s']:.1f} + check {lp['check_s']:.1f}), "
              f"peak RSS {lp['peak_rss_mb']:,.0f} MB -> PostGIS / in-process = "
              f"{r['database_over_in_process']:.2f}x; same findings: {r['agree']} ({lp['findings']:,}); "
              f"transfer to PostGIS {r['transfer_s']:.0f} s (untimed)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "build" / "bench"))
    parser.add_argument("--quick", action="store_true", help="10,000 and 100,000 segments")
    parser.add_argument("--sizes", help="comma-separated city sizes (default 100000,1000000)")
    parser.add_argument("--in-database", metavar="MAP", help=argparse.SUPPRESS)
    parser.add_argument("--in-process", metavar="GPKG", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    _use_checkout()
    if args.in_database:
        print(json.dumps(run_in_database(args.in_database)), flush=True)
        return 0
    if args.in_process:
        print(json.dumps(run_in_process(args.in_process)), flush=True)
        return 0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else None
    results = bench_pg(out, args.quick, sizes)
    print_lines(results)
    (out / "results_pg.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
