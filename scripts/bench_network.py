"""Network intelligence at city scale (issue 12): graph build, isolation and traces on a generated
water network of about 1,000,000 segments read from a real integrated map (GeoPackage).

The network is a street grid (80 m blocks); every block side is a main cut into two 40 m segments
at a midpoint that carries a valve (70 % of them), a hydrant (10 %) or a plain line point;
crossings are tees and crosses, and four plants near the corners feed it. It is written once,
untimed, into a map (``build/bench/network_<n>.gpkg``, reused while its recipe is unchanged).

Timed, in a child process (so the peak RSS is its own):

* the one-time build: read the map's JS segments and points, build the graph, and prepare the
  isolation (spatial index, zones, supply with every valve open) -- goal < 20 s;
* isolations at random points (nearest pipe, valves to close, loss of supply, order of travel),
  the same again with the first valve failing -- goal < 1 s each;
* a connected trace stopping at valves and a downstream trace (the first one orients the network
  from the sources);
* the topology check of the whole network.

``make bench`` calls :func:`bench_network`; run alone: ``scripts/bench_network.py [--quick]
[--segments N] [--out build/bench]``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent
CRS = "EPSG:4547"
ORIGIN = (500_000.0, 2_500_000.0)
SEED = 12
BLOCK_M = 80.0
GOAL_BUILD_S = 20.0
GOAL_ISOLATE_S = 1.0


def _use_checkout() -> None:
    if str(SCRIPTS) not in sys.path:
        sys.path.insert(0, str(SCRIPTS))
    from _bootstrap import use_checkout

    use_checkout()


def _peak_rss_mb() -> float:
    """This process's own peak RSS (VmHWM)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# --- the generated network -----------------------------------------------------------------------------------


def grid_network(n_segments: int, seed: int = SEED) -> dict[str, Any]:
    """Arrays of a street-grid water network of about ``n_segments`` segments (see the module text)."""
    rng = np.random.default_rng(seed)
    g = max(2, int(math.ceil((1 + math.sqrt(1 + n_segments)) / 2)))  # 4 g (g - 1) segments
    i, j = np.meshgrid(np.arange(g), np.arange(g), indexing="ij")
    cross_xy = np.column_stack([i.ravel() * BLOCK_M, j.ravel() * BLOCK_M])
    # block sides: horizontal (i, j) -> (i + 1, j), vertical (i, j) -> (i, j + 1)
    hi, hj = np.meshgrid(np.arange(g - 1), np.arange(g), indexing="ij")
    vi, vj = np.meshgrid(np.arange(g), np.arange(g - 1), indexing="ij")
    a = np.concatenate([hi.ravel() * g + hj.ravel(), vi.ravel() * g + vj.ravel()])
    b = np.concatenate([(hi.ravel() + 1) * g + hj.ravel(), vi.ravel() * g + vj.ravel() + 1])
    n_cross = g * g
    sides = len(a)
    mid = n_cross + np.arange(sides)
    mid_xy = (cross_xy[a] + cross_xy[b]) / 2
    xy = np.concatenate([cross_xy, mid_xy]) + np.array(ORIGIN)
    start = np.concatenate([a, mid])
    end = np.concatenate([mid, b])
    n = len(start)
    z = -1.2 + rng.uniform(-0.05, 0.05, len(xy))  # centreline 1.2 m below a flat ground at 0 m
    vertices = np.empty((2 * n, 3))
    vertices[0::2, :2] = xy[start]
    vertices[1::2, :2] = xy[end]
    vertices[0::2, 2] = z[start]
    vertices[1::2, 2] = z[end]
    dn = rng.choice(np.array([150.0, 200.0, 300.0]), n)
    r = rng.random(sides)
    app = np.full(len(xy), "", dtype=object)
    feat = np.full(len(xy), "", dtype=object)
    app[n_cross:][r < 0.7] = "valve"
    app[n_cross:][(r >= 0.7) & (r < 0.8)] = "hydrant"
    feat[n_cross:][r >= 0.8] = "line_point"
    deg = np.bincount(np.concatenate([a, b]), minlength=n_cross)
    feat[:n_cross] = np.where(deg == 4, "cross", np.where(deg == 3, "tee", "bend"))
    for ci, cj in ((1, 1), (1, g - 2), (g - 2, 1), (g - 2, g - 2)):
        k = ci * g + cj
        app[k], feat[k] = "plant", ""
    return {"g": g, "vertices": vertices, "offsets": np.arange(n + 1, dtype=np.int64) * 2,
            "seg_ids": np.char.add("S", np.arange(n).astype(str)).astype(object),
            "start": start, "end": end, "dn": dn, "xy": xy,
            "point_ids": np.char.add("P", np.arange(len(xy)).astype(str)).astype(object),
            "feature": feat, "appurtenance": app, "extent": (xy[:, 0].min(), xy[:, 1].min(), xy[:, 0].max(),
                                                            xy[:, 1].max())}


def write_map(target: Path, net: dict[str, Any]) -> dict[str, Any]:
    """The network as an integrated map (pipe_segment + pipe_point through OGR, in transactions)."""
    from osgeo import ogr

    from pipemap.core import mapfile

    t0 = time.perf_counter()
    tmp = target.with_suffix(".tmp.gpkg")
    mapfile.create_map(tmp, CRS, overwrite=True)
    ds = ogr.Open(str(tmp), 1)
    seg = ds.GetLayerByName("pipe_segment")
    defn = seg.GetLayerDefn()
    idx = {k: defn.GetFieldIndex(k) for k in ("seg_id", "category", "subcategory", "start_point", "end_point",
                                              "dn_mm", "depth_ref", "material")}
    verts = net["vertices"]
    n = len(net["seg_ids"])
    # LineStringZ WKB for 2-vertex lines, built in numpy
    wkb = np.zeros(n, dtype=[("order", "u1"), ("type", "<u4"), ("count", "<u4"), ("xyz", "<f8", (6,))])
    wkb["order"], wkb["type"], wkb["count"] = 1, 1002, 2
    wkb["xyz"] = verts.reshape(n, 6)
    raw = wkb.tobytes()
    size = wkb.dtype.itemsize
    pid = net["point_ids"]
    ds.StartTransaction()
    for k in range(n):
        f = ogr.Feature(defn)
        f.SetField(idx["seg_id"], net["seg_ids"][k])
        f.SetField(idx["category"], "JS")
        f.SetField(idx["subcategory"], "JP")
        f.SetField(idx["start_point"], pid[net["start"][k]])
        f.SetField(idx["end_point"], pid[net["end"][k]])
        f.SetField(idx["dn_mm"], float(net["dn"][k]))
        f.SetField(idx["depth_ref"], "top")
        f.SetField(idx["material"], "QM")
        f.SetGeometryDirectly(ogr.CreateGeometryFromWkb(raw[k * size:(k + 1) * size]))
        seg.CreateFeature(f)
        if k % 100_000 == 99_999:
            ds.CommitTransaction()
            ds.StartTransaction()
    ds.CommitTransaction()
    pts = ds.GetLayerByName("pipe_point")
    pdefn = pts.GetLayerDefn()
    pidx = {k: pdefn.GetFieldIndex(k) for k in ("point_id", "category", "feature", "appurtenance")}
    xy = net["xy"]
    ds.StartTransaction()
    for k in range(len(xy)):
        f = ogr.Feature(pdefn)
        f.SetField(pidx["point_id"], pid[k])
        f.SetField(pidx["category"], "JS")
        if net["feature"][k]:
            f.SetField(pidx["feature"], net["feature"][k])
        if net["appurtenance"][k]:
            f.SetField(pidx["appurtenance"], net["appurtenance"][k])
        p = ogr.Geometry(ogr.wkbPoint25D)
        p.AddPoint(float(xy[k, 0]), float(xy[k, 1]), 0.0)
        f.SetGeometryDirectly(p)
        pts.CreateFeature(f)
        if k % 100_000 == 99_999:
            ds.CommitTransaction()
            ds.StartTransaction()
    ds.CommitTransaction()
    ds = None
    os.replace(tmp, target)
    return {"segments": n, "points": len(xy), "write_map_s": time.perf_counter() - t0,
            "mb": target.stat().st_size / 1e6}


def prepared_map(folder: Path, n_segments: int) -> tuple[Path, dict[str, Any]]:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"network_{n_segments}.gpkg"
    meta_path = target.with_suffix(".json")
    recipe = {"n": n_segments, "seed": SEED, "block": BLOCK_M, "origin": list(ORIGIN), "crs": CRS, "layout": 2}
    if target.is_file() and meta_path.is_file():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("recipe") == recipe:
            return target, meta
    net = grid_network(n_segments)
    info = write_map(target, net)
    meta = {"recipe": recipe, "extent": [float(v) for v in net["extent"]], **info}
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    return target, meta


# --- the timed part (child process) ---------------------------------------------------------------------------


def measure(map_path: Path, n_isolations: int = 20, topology: bool = True) -> dict[str, Any]:
    """Build once, then isolate and trace; times in seconds, peak RSS in MB."""
    import scipy.sparse.csgraph  # noqa: F401  (imported before the clock, as in a running QGIS)
    import shapely  # noqa: F401

    from pipemap.core.network import graph as core_graph
    from pipemap.core.network import isolate, trace
    from pipemap.core.network import topology as core_topology

    out: dict[str, Any] = {"name": "network", "rss_start_mb": _peak_rss_mb()}
    t0 = time.perf_counter()
    segments, points = core_graph.read_map(map_path, ["JS"])
    out["read_s"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    g = core_graph.build_graph("JS", segments, points)
    out["graph_s"] = time.perf_counter() - t1
    del segments
    t1 = time.perf_counter()
    isolate.prepare(g)
    out["prepare_s"] = time.perf_counter() - t1
    out["build_s"] = time.perf_counter() - t0
    out["rss_build_mb"] = _peak_rss_mb()
    out.update({"segments": g.n_edges, "nodes": g.n_nodes, "valves": int((g.kind == core_graph.VALVE).sum()),
                "zones": isolate.zones(g).n_zones})
    rng = np.random.default_rng(7)
    lo, hi = g.xy.min(axis=0), g.xy.max(axis=0)
    times, failed_times, n_valves, n_iso, n_cut = [], [], [], [], []
    for _ in range(n_isolations):
        x, y = rng.uniform(lo, hi)
        t1 = time.perf_counter()
        r = isolate.isolate_at({"JS": g}, float(x), float(y), "JS", search_distance=60.0)
        times.append(time.perf_counter() - t1)
        n_valves.append(r.valves_to_close)
        n_iso.append(len(r.isolated_edges))
        n_cut.append(len(r.cut_off_edges))
        first = [o.point_id for o in r.to_operate if o.kind == "valve"][:1]
        t1 = time.perf_counter()
        isolate.isolate_at({"JS": g}, float(x), float(y), "JS", failed_ids=first, search_distance=60.0)
        failed_times.append(time.perf_counter() - t1)
    out.update({"isolate_median_s": statistics.median(times), "isolate_max_s": max(times),
                "isolate_failed_median_s": statistics.median(failed_times), "isolate_failed_max_s": max(failed_times),
                "isolations": n_isolations, "valves_median": statistics.median(n_valves),
                "isolated_median": statistics.median(n_iso), "cut_off_max": max(n_cut)})
    e = int(rng.integers(0, g.n_edges))
    t1 = time.perf_counter()
    tr = trace.trace(g, edge=e, direction="connected", stop_kinds={core_graph.VALVE})
    out["trace_connected_s"] = time.perf_counter() - t1
    t1 = time.perf_counter()
    tr_all = trace.trace(g, edge=e, direction="connected")
    out["trace_whole_s"] = time.perf_counter() - t1
    t1 = time.perf_counter()
    down = trace.trace(g, edge=e, direction="downstream")
    out["trace_downstream_first_s"] = time.perf_counter() - t1
    t1 = time.perf_counter()
    down = trace.trace(g, edge=int(rng.integers(0, g.n_edges)), direction="downstream")
    out["trace_downstream_s"] = time.perf_counter() - t1
    out.update({"trace_connected_edges": len(tr.edges), "trace_whole_edges": len(tr_all.edges),
                "trace_downstream_edges": len(down.edges)})
    if topology:
        t1 = time.perf_counter()
        found = core_topology.check_topology({"JS": g})
        out["topology_s"] = time.perf_counter() - t1
        out["topology_findings"] = len(found)
    out["peak_rss_mb"] = _peak_rss_mb()
    out["goal_build_s"], out["goal_isolate_s"] = GOAL_BUILD_S, GOAL_ISOLATE_S
    return out


def _run_child(*args: str, timeout: float = 1800.0) -> dict[str, Any]:
    cmd = [sys.executable, "-P", str(Path(__file__).resolve()), *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return json.loads(lines[-1])


def bench_network(out: Path, quick: bool = False, segments: int | None = None) -> dict[str, Any]:
    """``make bench``'s entry: the map (made once), then the timed run in a child process."""
    _use_checkout()
    n = segments or (20_000 if quick else 1_000_000)
    map_path, meta = prepared_map(Path(out), n)
    result = _run_child("--child", str(map_path), "--isolations", "5" if quick else "20")
    result["map"] = {k: meta.get(k) for k in ("segments", "points", "write_map_s", "mb")}
    return result


def print_lines(r: dict[str, Any]) -> None:
    ok_b = "ok" if r["build_s"] < r["goal_build_s"] else "OVER"
    ok_i = "ok" if r["isolate_max_s"] < r["goal_isolate_s"] else "OVER"
    print(f"network        {r['segments']:,} segments / {r['nodes']:,} nodes / {r['valves']:,} valves / "
          f"{r['zones']:,} zones")
    print(f"               one-time build {r['build_s']:.1f} s (read {r['read_s']:.1f} + graph {r['graph_s']:.1f} + "
          f"index/zones {r['prepare_s']:.1f}; goal < {r['goal_build_s']:.0f} s: {ok_b})")
    print(f"               isolation median {r['isolate_median_s'] * 1000:.0f} ms, max "
          f"{r['isolate_max_s'] * 1000:.0f} ms over {r['isolations']} failures (goal < {r['goal_isolate_s']:.0f} s: "
          f"{ok_i}); with a failed valve median {r['isolate_failed_median_s'] * 1000:.0f} ms, max "
          f"{r['isolate_failed_max_s'] * 1000:.0f} ms; median {r['valves_median']:.0f} valves, "
          f"{r['isolated_median']:.0f} segments isolated")
    print(f"               trace: connected to valves {r['trace_connected_s'] * 1000:.0f} ms, whole network "
          f"{r['trace_whole_s'] * 1000:.0f} ms ({r['trace_whole_edges']:,} segments), downstream "
          f"{r['trace_downstream_first_s']:.2f} s first (orients from the sources), then "
          f"{r['trace_downstream_s'] * 1000:.0f} ms")
    if "topology_s" in r:
        print(f"               topology check {r['topology_s']:.1f} s ({r['topology_findings']} findings)")
    print(f"               peak RSS {r['peak_rss_mb']:.0f} MB (after the build {r['rss_build_mb']:.0f} MB)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "build" / "bench"))
    parser.add_argument("--quick", action="store_true", help="20,000 segments (smoke run)")
    parser.add_argument("--segments", type=int, default=None)
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--isolations", type=int, default=20, help=argparse.SUPPRESS)
    parser.add_argument("--no-topology", action="store_true", help="leave the topology check out")
    args = parser.parse_args()
    _use_checkout()
    if args.child:
        print(json.dumps(measure(Path(args.child), args.isolations, not args.no_topology)))
        return 0
    r = bench_network(Path(args.out), args.quick, args.segments)
    print_lines(r)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "network.json").write_text(json.dumps(r, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
