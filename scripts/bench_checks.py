"""Clash check at city scale (issue 6): `make bench` calls :func:`bench_checks`.

A generated city (:func:`pipemap.core.checks.clash.random_city`) is written
once, untimed, into the pipe_segment layer of a real integrated map
(GeoPackage). The figure that counts is the real algorithm,
``pipemap:clashcheck MAP=<map> OUTPUT=<findings.gpkg>``: run by
``processing.run`` in a headless QGIS in a child process (the algorithm's
own time: reading the map, the check, writing the findings; the child's
peak RSS), and by the real ``qgis_process`` (wall time with QGIS start-up,
its peak RSS). The same calls the algorithm makes are also timed one by one
outside QGIS (read, pipes, check, write), as a breakdown. Every findings
file is read back and checked (count, columns, CRS, R-tree).

At the ratio size (100,000 segments) the same data are also handled by

* what a QGIS user would do today with native Processing (buffer by the
  search distance, create spatial index on the buffers, join attributes by
  location, intersects, one-to-many) on a plain line layer of the same
  segments (id, category, diameter_mm), once with temporary (memory)
  outputs, the Processing dialog's default, and once with GeoPackage outputs;
* a bare shapely STRtree ``dwithin`` self-join (candidate pairs only);
* a PostGIS ``ST_DWithin`` self-join on a GiST index, in a throw-away cluster.

All three use one search distance: twice the largest reach of the check (the
distance a check without per-class reaches has to use).

Run alone: ``scripts/bench_checks.py --out build/bench [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent
CRS = "EPSG:4547"
#: the generated city is moved into the CRS's usual range (easting, northing)
ORIGIN = (500_000.0, 2_500_000.0)
SEED = 0


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _use_checkout() -> None:
    if str(SCRIPTS) not in sys.path:
        sys.path.insert(0, str(SCRIPTS))
    from _bootstrap import use_checkout

    use_checkout()


# --- the input: a city written into an integrated map (untimed) ------------------------------------------------


def _city(n_segments: int):
    from pipemap.core.checks.clash import random_city
    from pipemap.core.checks.rules import RuleSet

    pipes = random_city(n_segments, SEED, rules=RuleSet.shipped())
    pipes.vertices[:, 0] += ORIGIN[0]
    pipes.vertices[:, 1] += ORIGIN[1]
    return pipes


def write_city_map(target: Path, n_segments: int) -> dict[str, Any]:
    """The city as an integrated map: pipe_segment filled through OGR in one transaction."""
    from osgeo import ogr

    from pipemap.core import mapfile
    from pipemap.core.checks.clash import _CITY_LINES

    t0 = time.perf_counter()
    pipes = _city(n_segments)
    tmp = target.with_suffix(".tmp.gpkg")
    mapfile.create_map(tmp, CRS, overwrite=True)
    ds = ogr.Open(str(tmp), 1)
    layer = ds.GetLayerByName("pipe_segment")
    defn = layer.GetLayerDefn()
    idx = {name: defn.GetFieldIndex(name) for name in ("seg_id", "category", "subcategory", "section", "dn_mm",
                                                      "outer_diameter_mm", "burial_method", "pressure_mpa",
                                                      "owner")}
    # random_city does not return the line of each pipe: find it from category, subcategory and size
    size = pipes.radius_h_m * 2.0
    burial = np.full(len(pipes), "", dtype=object)
    press = np.full(len(pipes), np.nan)
    for c in _CITY_LINES:
        hit = (pipes.category == c[0]) & (pipes.subcategory == c[1]) & np.isclose(size, c[3])
        burial[hit] = c[5]
        press[hit] = c[6]
    assert (burial != "").all()
    V = pipes.vertices
    off = pipes.offsets
    ids = pipes.ids.tolist()
    cat = pipes.category.tolist()
    sub = pipes.subcategory.tolist()
    outer = (size * 1000.0).tolist()
    dn = pipes.dn_mm.tolist()
    burial = burial.tolist()
    press = press.tolist()
    ds.StartTransaction()
    for k in range(len(pipes)):
        f = ogr.Feature(defn)
        f.SetField(idx["seg_id"], ids[k])
        f.SetField(idx["category"], cat[k])
        f.SetField(idx["subcategory"], sub[k])
        f.SetField(idx["section"], "circular")
        f.SetField(idx["outer_diameter_mm"], outer[k])
        if dn[k] == dn[k]:
            f.SetField(idx["dn_mm"], dn[k])
        f.SetField(idx["burial_method"], burial[k])
        if press[k] == press[k]:
            f.SetField(idx["pressure_mpa"], press[k])
        f.SetField(idx["owner"], "bench")
        g = ogr.Geometry(ogr.wkbLineString25D)
        for x, y, z in V[off[k]:off[k + 1]]:
            g.AddPoint(float(x), float(y), float(z))
        f.SetGeometryDirectly(g)
        layer.CreateFeature(f)
        if k % 100_000 == 99_999:
            ds.CommitTransaction()
            ds.StartTransaction()
    ds.CommitTransaction()
    ds = None
    os.replace(tmp, target)
    return {"segments": len(pipes), "write_map_s": time.perf_counter() - t0, "mb": target.stat().st_size / 1e6}


def write_line_layer(map_path: Path, target: Path) -> None:
    """The map's segments as the plain line layer a QGIS user would have (id, category, diameter_mm)."""
    from osgeo import gdal

    gdal.UseExceptions()
    tmp = target.with_suffix(".tmp.gpkg")
    gdal.VectorTranslate(str(tmp), str(map_path), format="GPKG", layerName="pipes",
                         SQLStatement="SELECT seg_id AS id, category, outer_diameter_mm AS diameter_mm, geom "
                                      "FROM pipe_segment", SQLDialect="SQLITE", geometryType="LINESTRING25D")
    os.replace(tmp, target)


def prepared_city(folder: Path, n_segments: int) -> tuple[Path, dict[str, Any]]:
    """The city map of about n_segments (made once, then reused while its recipe is unchanged)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"city_{n_segments}.gpkg"
    meta_path = target.with_suffix(".json")
    recipe = {"n": n_segments, "seed": SEED, "origin": list(ORIGIN), "crs": CRS, "layout": 2}
    if target.is_file() and meta_path.is_file():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("recipe") == recipe:
            return target, meta
    info = write_city_map(target, n_segments)
    meta = {"recipe": recipe, **info}
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    return target, meta


# --- the real algorithm: pipemap:clashcheck MAP=... OUTPUT=<gpkg> --------------------------------------------


#: size of the envelope in a GeoPackage geometry header, by its envelope code
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def _peak_rss_mb(pid: int | str = "self") -> float | None:
    """A process's own peak RSS (VmHWM; ru_maxrss can carry the parent's high-water mark across exec)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return _rss_mb() if pid == "self" else None


def _start_qgis() -> Any:
    """A headless QgsApplication with Processing and the PipeMap provider (kept referenced)."""
    from qgis.core import QgsApplication

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    plugins = "/usr/share/qgis/python/plugins"
    if plugins not in sys.path:
        sys.path.append(plugins)
    from processing.core.Processing import Processing

    Processing.initialize()
    from pipemap.processing.provider import PipeMapProvider

    provider = PipeMapProvider()  # a temporary would be collected and its algorithms would vanish
    QgsApplication.processingRegistry().addProvider(provider)
    return app, provider


def alg_run(map_path: Path, findings_path: Path) -> dict[str, Any]:
    """``processing.run("pipemap:clashcheck", {MAP, OUTPUT})`` in a headless QGIS: the algorithm's own
    time (reading the map, the check, writing the GeoPackage), and this process's peak RSS."""
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    out: dict[str, Any] = {"rss_start_mb": _peak_rss_mb()}
    t0 = time.perf_counter()
    keep = _start_qgis()  # noqa: F841
    from qgis import processing

    out["qgis_start_s"] = time.perf_counter() - t0
    out["rss_qgis_mb"] = _peak_rss_mb()
    t0 = time.perf_counter()
    res = processing.run("pipemap:clashcheck", {"MAP": str(map_path), "OUTPUT": str(findings_path)},
                         context=QgsProcessingContext(), feedback=QgsProcessingFeedback())
    out["alg_s"] = time.perf_counter() - t0
    out["peak_rss_mb"] = _peak_rss_mb()
    out["output"] = str(res["OUTPUT"])
    out["counts"] = {k: int(res[k]) for k in ("FAIL", "UNCERTAIN", "UNKNOWN", "NO_RULE")}
    out["findings"] = sum(out["counts"][k] for k in ("FAIL", "UNCERTAIN", "UNKNOWN"))
    return out  # the caller leaves without exitQgis (it can crash at exit)


def qgis_process_run(map_path: Path, findings_path: Path, timeout: float = 1800.0) -> dict[str, Any]:
    """The real ``qgis_process run pipemap:clashcheck`` (scripts/qgis_process.sh): wall time from launch to
    exit (QGIS start-up included) and the peak RSS of the qgis_process process (its VmHWM, sampled every
    20 ms while it runs)."""
    import threading

    cmd = [str(SCRIPTS / "qgis_process.sh"), "run", "pipemap:clashcheck", "--json", "--", f"MAP={map_path}",
           f"OUTPUT={findings_path}"]
    peak = [0.0]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def watch() -> None:
        while proc.poll() is None:
            rss = _peak_rss_mb(proc.pid)  # the script execs qgis_process: the same pid
            if rss:
                peak[0] = max(peak[0], rss)
            time.sleep(0.02)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise
    wall = time.perf_counter() - t0
    watcher.join()
    if proc.returncode != 0 or "{" not in stdout:
        raise RuntimeError(f"qgis_process failed ({proc.returncode}): {stderr[-2000:]}")
    res = json.loads(stdout[stdout.index("{"):])["results"]
    counts = {k: int(res[k]) for k in ("FAIL", "UNCERTAIN", "UNKNOWN", "NO_RULE")}
    return {"wall_s": wall, "peak_rss_mb": peak[0], "output": res["OUTPUT"], "counts": counts,
            "findings": sum(counts[k] for k in ("FAIL", "UNCERTAIN", "UNKNOWN"))}


def stages(map_path: Path, findings_path: Path) -> dict[str, Any]:
    """Where the algorithm's time goes: the calls ``clashcheck MAP=... OUTPUT=<gpkg>`` makes, one by one,
    outside QGIS, with the peak RSS after each (a breakdown; the figures that count are the algorithm's)."""
    import shapely  # noqa: F401  (imported before the clock, as in a running QGIS)

    from pipemap.core import mapfile, mapread
    from pipemap.core.checks import output
    from pipemap.core.checks.clash import check_clash
    from pipemap.core.checks.pipes import Pipes
    from pipemap.core.checks.rules import RuleSet

    out: dict[str, Any] = {"rss_start_mb": _peak_rss_mb()}
    t_all = time.perf_counter()
    t0 = time.perf_counter()
    crs = mapfile.read_metadata(map_path).get("crs_authid")
    seg = mapread.read_segments(map_path)
    out["read_s"], out["rss_read_mb"] = time.perf_counter() - t0, _peak_rss_mb()
    t0 = time.perf_counter()
    rules = RuleSet.shipped()
    pipes = Pipes.from_segments(seg, rules)
    del seg
    out["pipes_s"], out["rss_pipes_mb"] = time.perf_counter() - t0, _peak_rss_mb()
    t0 = time.perf_counter()
    findings = check_clash(pipes, rules)
    out["check_s"], out["rss_check_mb"] = time.perf_counter() - t0, _peak_rss_mb()
    t0 = time.perf_counter()
    columns = clash_columns()
    output.write_points_gpkg(findings_path, columns, {c: getattr(findings, c) for c, _ in columns}, findings.x,
                             findings.y, crs)
    out["write_s"], out["rss_write_mb"] = time.perf_counter() - t0, _peak_rss_mb()
    out["total_s"] = time.perf_counter() - t_all
    out["segments"] = len(pipes)
    out["findings"] = len(findings)
    out["peak_rss_mb"] = _peak_rss_mb()
    return out


def clash_columns() -> list[tuple[str, str]]:
    """``clashcheck``'s output columns and their kinds, from the algorithm itself (imports qgis.core)."""
    from pipemap.processing.algorithms.check_common import OUTPUT_KINDS
    from pipemap.processing.algorithms.clash_check import COLUMNS

    return [(name, OUTPUT_KINDS[kind]) for name, kind in COLUMNS]


def _run_child(*args: str, timeout: float = 900.0) -> dict[str, Any]:
    """This script in a child process; its result is the JSON on its last stdout line."""
    cmd = [sys.executable, str(Path(__file__).resolve()), *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return json.loads(lines[-1])


def verify_findings_layer(path: Path, expected: int) -> None:
    """Read the written layer back with OGR (untimed): count, columns and their types as clashcheck's COLUMNS,
    CRS, R-tree (SQLite's rtreecheck) and a spatial filter."""
    import sqlite3

    from osgeo import gdal, ogr

    from pipemap.core.checks.output import default_layer_name

    gdal.UseExceptions()
    layer_name = default_layer_name(path)
    ds = gdal.OpenEx(str(path), gdal.OF_VECTOR)
    assert ds.GetLayerCount() == 1, f"{path}: {ds.GetLayerCount()} layers"
    lyr = ds.GetLayerByName(layer_name)
    assert lyr is not None, f"{path}: no layer {layer_name}"
    got = lyr.GetFeatureCount()
    assert got == expected, f"{path}: {got} findings read back, {expected} written"
    defn = lyr.GetLayerDefn()
    fields = [(defn.GetFieldDefn(i).GetName(), defn.GetFieldDefn(i).GetType()) for i in range(defn.GetFieldCount())]
    want = [(n, {"real": ogr.OFTReal, "text": ogr.OFTString, "integer": ogr.OFTInteger64}[k])
            for n, k in clash_columns()]
    assert fields == want, f"{path}: columns {fields}"
    assert lyr.GetSpatialRef().GetAuthorityCode(None) == CRS.split(":")[1], f"{path}: not in {CRS}"
    sql = ds.ExecuteSQL(f"SELECT HasSpatialIndex('{layer_name}', 'geom')")
    assert sql.GetNextFeature().GetField(0) == 1, f"{path}: no spatial index"
    ds.ReleaseResultSet(sql)
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = con.execute(f'SELECT count(*) FROM "rtree_{layer_name}_geom"').fetchone()[0]
        assert rows == expected, f"{path}: the R-tree holds {rows} of {expected} findings"
        check = con.execute(f"SELECT rtreecheck('rtree_{layer_name}_geom')").fetchone()[0]
        assert check == "ok", f"{path}: rtreecheck says {check[:300]}"
    finally:
        con.close()
    if expected:
        f = lyr.GetNextFeature()
        g = f.GetGeometryRef()
        assert g is not None and f.GetField("verdict") in ("FAIL", "UNCERTAIN", "UNKNOWN") and f.GetField("pipe_a")
        fid, x, y = f.GetFID(), g.GetX(), g.GetY()
        lyr.SetSpatialFilterRect(x - 0.5, y - 0.5, x + 0.5, y + 0.5)
        assert fid in {h.GetFID() for h in lyr}, f"{path}: a spatial filter misses feature {fid}"
    ds = None


# --- readers compared -----------------------------------------------------------------------------------------


def _read_sqlite(map_path: Path):
    """pipe_segment through sqlite3: rows fetched, GPKG header stripped, shapely.from_wkb."""
    import sqlite3

    import shapely

    from pipemap.core import mapread

    names = mapread._SEGMENT_TEXT + mapread._SEGMENT_REAL
    con = sqlite3.connect(f"file:{map_path}?mode=ro", uri=True)
    try:
        rows = con.execute(f"SELECT {', '.join(names)}, geom FROM pipe_segment").fetchall()
    finally:
        con.close()
    columns = list(zip(*rows)) if rows else [()] * (len(names) + 1)
    del rows
    blobs = [None if g is None else g[8 + _ENVELOPE_BYTES.get((g[3] >> 1) & 7, 0):] for g in columns[-1]]
    geoms = shapely.from_wkb(np.array(blobs, dtype=object), on_invalid="ignore")
    npts = shapely.get_num_coordinates(geoms)
    keep = (shapely.get_type_id(geoms) == 1) & (npts >= 2)
    c: dict[str, Any] = {}
    for k, name in enumerate(names):
        if name in mapread._SEGMENT_TEXT:
            c[name] = np.array(["" if v is None else v for v in columns[k]], dtype=object)[keep]
        else:
            c[name] = np.array([np.nan if v is None else v for v in columns[k]], dtype=float)[keep]
    c["_vertices"] = shapely.get_coordinates(geoms[keep], include_z=True)
    c["_offsets"] = np.concatenate([[0], np.cumsum(npts[keep])]).astype(np.int64)
    return mapread._segment_arrays(c)


def _read_ogr_loop(map_path: Path):
    """pipe_segment feature by feature (mapread's fallback without the Arrow stream)."""
    from osgeo import gdal

    from pipemap.core import mapread

    gdal.UseExceptions()
    ds = gdal.OpenEx(str(map_path), gdal.OF_VECTOR)
    layer = ds.GetLayerByName("pipe_segment")
    defn = layer.GetLayerDefn()
    have = {defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())}
    layer.SetIgnoredFields([n for n in have if n not in mapread._SEGMENT_TEXT + mapread._SEGMENT_REAL])
    seg = mapread._segment_arrays(mapread._read_columns_features(layer, have))
    ds = None
    return seg


def compare_readers(map_path: Path, loop: bool = True) -> dict[str, Any]:
    """Seconds to read the map's segments (all their check attributes) three ways; the results must agree."""
    from pipemap.core import mapread

    out: dict[str, Any] = {"name": "checks_read", "map": map_path.name}
    t0 = time.perf_counter()
    ref = mapread.read_segments(map_path)
    out["arrow_s"] = time.perf_counter() - t0
    out["segments"] = len(ref)
    readers = [("sqlite_wkb", _read_sqlite)] + ([("ogr_loop", _read_ogr_loop)] if loop else [])
    for label, fn in readers:
        t0 = time.perf_counter()
        seg = fn(map_path)
        out[f"{label}_s"] = time.perf_counter() - t0
        assert seg.ids == ref.ids and np.array_equal(seg.vertices, ref.vertices, equal_nan=True) \
            and np.array_equal(seg.width_m, ref.width_m) and np.array_equal(seg.dn_mm, ref.dn_mm, equal_nan=True), \
            f"the {label} reader disagrees with mapread"
    return out


# --- baselines ------------------------------------------------------------------------------------------------


def search_distance(pipes: Any, rules: Any) -> float:
    """Twice the largest search reach of the check (no ground: h = 1 m, as ``clashcheck`` without a DEM)."""
    from pipemap.core.checks import clash

    hc = rules.horizontal.codes(pipes.h_class)
    h_bound = clash._bound(rules.horizontal_max_partner(hc), hc, pipes.h_status)
    up, _, _ = pipes.uncertainty(None, rules.quality)
    reach = (np.where(np.isfinite(pipes.radius_h_m), pipes.radius_h_m, clash.UNKNOWN_RADIUS_SEARCH_M)
             + np.where(np.isfinite(up), up, clash.UNKNOWN_U_SEARCH_M) + np.fmax(h_bound, 0.5) / 2.0)
    return 2.0 * float(reach.max())


def strtree_selfjoin(pipes: Any, distance: float, repeat: int = 3) -> dict[str, Any]:
    """Bare shapely STRtree ``dwithin`` self-join of the plan lines: candidate pairs only."""
    import shapely

    V = pipes.vertices
    owner = np.repeat(np.arange(len(pipes)), np.diff(pipes.offsets))
    times, pairs = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        lines = shapely.linestrings(V[:, :2], indices=owner)
        tree = shapely.STRtree(lines)
        i, j = tree.query(lines, predicate="dwithin", distance=distance)
        times.append(time.perf_counter() - t0)
        pairs = int(np.sum(i < j))
        del lines, tree, i, j
    return {"seconds": min(times), "runs": times, "pairs": pairs}


def qgis_native(lines_path: Path, distance: float, folder: Path, outputs: str) -> dict[str, Any]:
    """What a QGIS user does today with native Processing, on the plain line layer (a GeoPackage):
    ``native:buffer`` by the search distance, ``native:createspatialindex`` on the buffers,
    ``native:joinattributesbylocation`` of the lines onto the buffers (intersects, one-to-many, non-matching
    features kept). Candidate pairs only.

    :param outputs: ``memory`` (temporary layers, the default of the Processing dialog) or ``gpkg``
        (every output a GeoPackage file).
    """
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsVectorLayer

    keep = _start_qgis()  # noqa: F841
    from qgis import processing

    folder.mkdir(parents=True, exist_ok=True)
    for f in folder.glob(f"*_{outputs}.gpkg"):
        f.unlink()

    def dest(name: str) -> str:
        return "TEMPORARY_OUTPUT" if outputs == "memory" else str(folder / f"{name}_{outputs}.gpkg")

    context, feedback = QgsProcessingContext(), QgsProcessingFeedback()
    src = f"{lines_path}|layername=pipes"
    out: dict[str, Any] = {"distance_m": distance, "outputs": outputs}
    t0 = time.perf_counter()
    buf = processing.run("native:buffer", {"INPUT": src, "DISTANCE": distance, "SEGMENTS": 5, "END_CAP_STYLE": 0,
                                           "JOIN_STYLE": 0, "MITER_LIMIT": 2, "DISSOLVE": False,
                                           "OUTPUT": dest("buffers")}, context=context, feedback=feedback)["OUTPUT"]
    out["buffer_s"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    processing.run("native:createspatialindex", {"INPUT": buf}, context=context, feedback=feedback)
    out["index_s"] = time.perf_counter() - t1
    t1 = time.perf_counter()
    joined = processing.run("native:joinattributesbylocation", {
        "INPUT": buf, "JOIN": src, "PREDICATE": [0], "JOIN_FIELDS": ["id"], "METHOD": 0,
        "DISCARD_NONMATCHING": False, "PREFIX": "b_", "OUTPUT": dest("joined")},
        context=context, feedback=feedback)["OUTPUT"]
    out["join_s"] = time.perf_counter() - t1
    out["seconds"] = time.perf_counter() - t0
    layer = joined if isinstance(joined, QgsVectorLayer) else QgsVectorLayer(joined, "joined", "ogr")
    # self-pairs and both orders are in the join: the distinct pairs are (rows - segments) / 2
    out["rows"] = int(layer.featureCount())
    out["peak_rss_mb"] = _peak_rss_mb()
    return out  # the caller leaves without exitQgis (it can crash at exit)


# --- PostGIS ----------------------------------------------------------------------------------------------------


def _pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name)
                   if p.parent.parent.name.isdigit() else 0)
    return found[-1].parent if found else None


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def postgis_selfjoin(datasets: list[tuple[str, Any]], distance: float, limit_s: float = 180.0) -> dict[str, Any]:
    """``ST_DWithin`` self-join counts on a GiST index, in a throw-away cluster (trust, fsync off,
    127.0.0.1, a free port), one table per dataset; loading, indexing and ANALYZE untimed."""
    out: dict[str, Any] = {"name": "checks_postgis", "distance_m": distance}
    bindir = _pg_bin()
    if bindir is None:
        out["skipped"] = "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)"
        return out
    version = bindir.parent.name
    if not Path(f"/usr/share/postgresql/{version}/extension/postgis.control").is_file():
        out["skipped"] = f"PostGIS is not installed for PostgreSQL {version}"
        return out
    try:
        import psycopg2
    except ImportError:
        out["skipped"] = "psycopg2 is not importable"
        return out
    import shapely

    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    data = Path(tempfile.mkdtemp(prefix="pipemap-pg-", dir="/tmp"))
    started = False
    try:
        if as_root:
            shutil.chown(data, "postgres", "postgres")
        subprocess.run(prefix + [str(bindir / "initdb"), "-D", str(data / "db"), "-A", "trust", "-U", "postgres",
                                 "-E", "UTF8", "--no-sync"], check=True, capture_output=True, timeout=120)
        port = _free_port()
        opts = (f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={data} -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c shared_buffers=1GB -c work_mem=64MB "
                "-c maintenance_work_mem=1GB")
        subprocess.run(prefix + [str(bindir / "pg_ctl"), "-D", str(data / "db"), "-o", opts, "-l",
                                 str(data / "log"), "-w", "-t", "60", "start"], check=True, capture_output=True,
                       timeout=120)
        started = True
        con = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres")
        con.autocommit = True
        cur = con.cursor()
        cur.execute("CREATE EXTENSION postgis")
        cur.execute("SELECT postgis_lib_version(), version()")
        out["postgis_version"], pg_version = cur.fetchone()
        out["postgresql_version"] = pg_version.split(",")[0]
        import io

        for label, pipes in datasets:
            res: dict[str, Any] = {"segments": len(pipes)}
            owner = np.repeat(np.arange(len(pipes)), np.diff(pipes.offsets))
            lines = shapely.linestrings(pipes.vertices[:, :2], indices=owner)
            t0 = time.perf_counter()
            cur.execute("DROP TABLE IF EXISTS t")
            cur.execute("CREATE TABLE t (id integer PRIMARY KEY, geom geometry(LineString))")
            hexes = shapely.to_wkb(lines, hex=True)
            buf = io.StringIO("".join(f"{k}\t{h}\n" for k, h in enumerate(hexes.tolist())))
            del hexes
            cur.copy_expert("COPY t (id, geom) FROM STDIN", buf)
            del buf
            res["load_s"] = time.perf_counter() - t0
            t0 = time.perf_counter()
            cur.execute("CREATE INDEX t_geom ON t USING gist (geom)")
            res["index_s"] = time.perf_counter() - t0
            t0 = time.perf_counter()
            cur.execute("ANALYZE t")
            res["analyze_s"] = time.perf_counter() - t0
            sql = "SELECT count(*) FROM t a JOIN t b ON a.id < b.id AND ST_DWithin(a.geom, b.geom, %s)"
            cur.execute("EXPLAIN " + sql, (distance,))
            res["plan_uses_index"] = any("t_geom" in row[0] for row in cur.fetchall())
            cur.execute(f"SET statement_timeout = {int(limit_s * 1000)}")
            t0 = time.perf_counter()
            try:
                cur.execute(sql, (distance,))
                res["pairs"] = int(cur.fetchone()[0])
                res["seconds"] = time.perf_counter() - t0
            except psycopg2.errors.QueryCanceled:
                res["seconds"] = None
                res["skipped"] = f"the query took more than {limit_s:.0f} s"
            cur.execute("RESET statement_timeout")
            out[label] = res
        cur.execute("DROP TABLE IF EXISTS t")
        con.close()
    except (subprocess.SubprocessError, OSError, psycopg2.Error) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        detail = detail.decode(errors="replace") if isinstance(detail, bytes) else str(detail)
        out["skipped"] = f"PostGIS run failed: {exc} {detail[-500:]}".strip()
    finally:
        if started:
            subprocess.run(prefix + [str(bindir / "pg_ctl"), "-D", str(data / "db"), "-m", "immediate", "-w",
                                     "stop"], capture_output=True, timeout=120)
        shutil.rmtree(data, ignore_errors=True)
    return out


# --- the benchmark --------------------------------------------------------------------------------------------


def _best(runs: list[dict[str, Any]], key: str) -> dict[str, Any]:
    return min(runs, key=lambda r: r[key])


def _qgis_native_child(lines_path: Path, distance: float, folder: Path, outputs: str) -> dict[str, Any]:
    try:
        return _run_child("--qgis-native", str(lines_path), repr(distance), str(folder / "qgis_native"), outputs,
                          timeout=1200)
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        return {"skipped": str(exc)[:500]}


def _counts_agree(alg: dict[str, Any], memory: Any) -> bool:
    """The algorithm's counts against check_clash on the same city in memory (never written to a map)."""
    c = memory.counts
    return all(alg["counts"][k] == c.get(k, 0) for k in ("FAIL", "UNCERTAIN", "UNKNOWN")) \
        and alg["counts"]["NO_RULE"] == c.get("no_rule", 0)


def bench_checks(out: Path, quick: bool = False, big: int | None = None, ratio_size: int | None = None,
                 postgis_big: bool | None = None) -> list[dict[str, Any]]:
    """Every figure of issue 6's benchmark; the city maps are kept in ``out/checks`` for the next run.

    The figure that counts is ``pipemap:clashcheck MAP=<city map> OUTPUT=<findings.gpkg>`` run by
    ``processing.run`` in a headless QGIS child process (the algorithm's own time: reading the map, the
    check, writing the GeoPackage); the real ``qgis_process`` is timed beside it (wall time, QGIS start-up
    included), and the algorithm's stages are timed one by one outside QGIS as a breakdown.
    """
    from pipemap.core import mapread
    from pipemap.core.checks.clash import check_clash
    from pipemap.core.checks.pipes import Pipes
    from pipemap.core.checks.rules import RuleSet

    big = big or (20_000 if quick else 1_000_000)
    ratio_size = ratio_size or (10_000 if quick else 100_000)
    postgis_big = (not quick) if postgis_big is None else postgis_big
    folder = out / "checks"
    results: list[dict[str, Any]] = []
    load = {"loadavg_start": os.getloadavg(), "cpus": os.cpu_count()}

    # ratios at ratio_size, on one map
    t0 = time.perf_counter()
    small_map, small_meta = prepared_city(folder, ratio_size)
    lines_path = folder / f"city_{ratio_size}_lines.gpkg"
    if not lines_path.is_file() or lines_path.stat().st_mtime < small_map.stat().st_mtime:
        write_line_layer(small_map, lines_path)
    prep_s = time.perf_counter() - t0
    rules = RuleSet.shipped()
    pipes = Pipes.from_segments(mapread.read_segments(small_map), rules)
    distance = search_distance(pipes, rules)
    findings_path = folder / f"findings_{ratio_size}.gpkg"
    # the algorithm, STRtree and QGIS native (memory outputs) in turns, so that other load on the machine hits
    # them alike; best of three each (the GeoPackage variant of QGIS native, much slower, runs once)
    runs, tree_runs, native_runs = [], [], []
    for _ in range(3):
        runs.append(_run_child("--alg", str(small_map), str(findings_path)))
        tree_runs.append(strtree_selfjoin(pipes, distance, repeat=1))
        native_runs.append(_qgis_native_child(lines_path, distance, folder, "memory"))
    alg = _best(runs, "alg_s")
    verify_findings_layer(findings_path, alg["findings"])
    tree = {"seconds": min(t["seconds"] for t in tree_runs), "runs": [t["seconds"] for t in tree_runs],
            "pairs": tree_runs[0]["pairs"]}
    qp_path = folder / f"findings_{ratio_size}_qgis_process.gpkg"
    qp = qgis_process_run(small_map, qp_path)
    verify_findings_layer(qp_path, qp["findings"])
    stage = _run_child("--stages", str(small_map), str(folder / f"findings_{ratio_size}_stages.gpkg"))
    memory = check_clash(_city(ratio_size), rules)  # the same city, never written: the counts must agree
    readers = compare_readers(small_map, loop=True)
    timed = [r for r in native_runs if r.get("seconds")]
    native = {"memory": {**_best(timed, "seconds"), "runs": [r["seconds"] for r in timed]} if timed
              else native_runs[-1],
              "gpkg": _qgis_native_child(lines_path, distance, folder, "gpkg")}
    ratio: dict[str, Any] = {
        "name": "checks_ratios", "segments": len(pipes), "prepare_s": prep_s, "distance_m": distance,
        "alg": alg, "alg_runs_s": [r["alg_s"] for r in runs], "qgis_process": qp, "stages": stage,
        "counts_agree_in_memory": _counts_agree(alg, memory) and qp["counts"] == alg["counts"],
        "strtree": tree, "qgis_native": native, "alg_over_strtree": alg["alg_s"] / tree["seconds"],
        "qgis_process_over_strtree": qp["wall_s"] / tree["seconds"],
    }
    for outputs, res in native.items():
        if res.get("seconds"):
            ratio[f"qgis_{outputs}_over_alg"] = res["seconds"] / alg["alg_s"]
            ratio[f"qgis_{outputs}_over_qgis_process"] = res["seconds"] / qp["wall_s"]
            res["pairs"] = (res["rows"] - len(pipes)) // 2
    results.append(ratio)
    results.append(readers)

    # the absolute figures at city scale
    t0 = time.perf_counter()
    big_map, big_meta = prepared_city(folder, big)
    big_prep = time.perf_counter() - t0
    big_findings = folder / f"findings_{big}.gpkg"
    big_alg = _run_child("--alg", str(big_map), str(big_findings), timeout=1800)
    verify_findings_layer(big_findings, big_alg["findings"])
    big_qp_path = folder / f"findings_{big}_qgis_process.gpkg"
    big_qp = qgis_process_run(big_map, big_qp_path)
    verify_findings_layer(big_qp_path, big_qp["findings"])
    big_stage = _run_child("--stages", str(big_map), str(folder / f"findings_{big}_stages.gpkg"), timeout=1800)
    for p in (big_qp_path, folder / f"findings_{big}_stages.gpkg"):  # the algorithm's own output is kept
        p.unlink()
    results.append({"name": "checks_city", "segments": big_stage["segments"], "alg": big_alg, "qgis_process": big_qp,
                    "stages": big_stage, "prepare_s": big_prep, "map_mb": big_meta.get("mb"), "goal_s": 30.0,
                    "goal_rss_mb": 4096.0,
                    "meets_goal": big_alg["alg_s"] < 30.0 and big_alg["peak_rss_mb"] < 4096.0,
                    "qgis_process_meets_goal": big_qp["wall_s"] < 30.0 and big_qp["peak_rss_mb"] < 4096.0})

    # PostGIS at ratio_size (and city scale when asked)
    datasets: list[tuple[str, Any]] = [("small", pipes)]
    if postgis_big:
        datasets.append(("big", Pipes.from_segments(mapread.read_segments(big_map), rules)))
    pg = postgis_selfjoin(datasets, distance)
    small_pg = pg.get("small", {})
    if small_pg.get("seconds"):
        pg["postgis_over_alg_small"] = small_pg["seconds"] / alg["alg_s"]
        pg["pairs_agree_with_strtree"] = small_pg["pairs"] == tree["pairs"]
    big_pg = pg.get("big", {})
    if big_pg.get("seconds"):
        pg["postgis_over_alg_big"] = big_pg["seconds"] / big_alg["alg_s"]
    results.append(pg)
    load["loadavg_end"] = os.getloadavg()
    results.append({"name": "checks_machine", **load})
    return results


def _faster(ratio: float | None) -> str:
    """'clashcheck N.Nx faster' (or slower) for a ratio other / clashcheck."""
    if not ratio:
        return "no ratio"
    return f"clashcheck {ratio:.1f}x faster" if ratio >= 1 else f"clashcheck {1 / ratio:.1f}x slower"


def _stage_line(s: dict[str, Any]) -> str:
    return (f"read {s['read_s']:.2f} + pipes {s['pipes_s']:.2f} + check {s['check_s']:.2f} + write "
            f"{s['write_s']:.2f} = {s['total_s']:.2f} s, peak RSS {s['peak_rss_mb']:,.0f} MB")


def print_lines(results: list[dict[str, Any]]) -> None:
    """The bench's lines for the checks' results (others are ignored)."""
    for r in results:
        if r["name"] == "checks_ratios":
            a, qp = r["alg"], r["qgis_process"]
            print(f"clash_alg      pipemap:clashcheck MAP=<{r['segments']:,} segments> OUTPUT=<gpkg>: "
                  f"{a['alg_s']:.2f} s (processing.run, best of " + ", ".join(f"{s:.2f}" for s in r["alg_runs_s"])
                  + f"), peak RSS {a['peak_rss_mb']:,.0f} MB; {a['findings']:,} findings; counts as in memory: "
                  f"{r['counts_agree_in_memory']}")
            print(f"               qgis_process run pipemap:clashcheck: {qp['wall_s']:.2f} s wall (QGIS start-up "
                  f"included), peak RSS {qp['peak_rss_mb']:,.0f} MB")
            print(f"               stages outside QGIS: {_stage_line(r['stages'])}")
            for outputs, q in r["qgis_native"].items():
                if q.get("seconds"):
                    runs = f"; best of {', '.join(f'{x:.1f}' for x in q['runs'])}" if "runs" in q else ""
                    print(f"clash_qgis     QGIS native ({outputs} outputs) buffer {q['buffer_s']:.1f} + index "
                          f"{q['index_s']:.1f} + join {q['join_s']:.1f} = {q['seconds']:.1f} s ({q['pairs']:,} "
                          f"pairs, d = {r['distance_m']:.2f} m{runs}) -> clashcheck is "
                          f"{r[f'qgis_{outputs}_over_alg']:.1f}x faster (goal >= 5x; qgis_process wall: "
                          f"{r[f'qgis_{outputs}_over_qgis_process']:.1f}x)")
                else:
                    print(f"clash_qgis     QGIS native ({outputs} outputs) skipped: {q.get('skipped', 'no result')}")
            t = r["strtree"]
            print(f"clash_strtree  bare STRtree dwithin self-join {t['seconds']:.2f} s ({t['pairs']:,} pairs; best of "
                  + ", ".join(f"{x:.2f}" for x in t["runs"]) + f") -> clashcheck / STRtree = "
                  f"{r['alg_over_strtree']:.1f}x (goal <= 3x; qgis_process wall: "
                  f"{r['qgis_process_over_strtree']:.1f}x)")
        elif r["name"] == "checks_read":
            loop = f"; OGR feature loop {r['ogr_loop_s']:.1f} s" if "ogr_loop_s" in r else ""
            print(f"clash_read     {r['segments']:,} segments: OGR Arrow stream {r['arrow_s']:.2f} s; sqlite3 + "
                  f"shapely.from_wkb {r['sqlite_wkb_s']:.2f} s{loop}")
        elif r["name"] == "checks_city":
            a, qp = r["alg"], r["qgis_process"]
            print(f"clash_city     pipemap:clashcheck MAP=<{r['segments']:,} segments> OUTPUT=<gpkg>: "
                  f"{a['alg_s']:.1f} s, peak RSS {a['peak_rss_mb']:,.0f} MB, {a['findings']:,} findings "
                  f"(goal < 30 s, < 4 GB: {'met' if r['meets_goal'] else 'NOT met'})")
            print(f"               qgis_process: {qp['wall_s']:.1f} s wall, peak RSS {qp['peak_rss_mb']:,.0f} MB "
                  f"({'met' if r['qgis_process_meets_goal'] else 'NOT met'} with start-up included)")
            print(f"               stages outside QGIS: {_stage_line(r['stages'])}")
        elif r["name"] == "checks_postgis":
            if r.get("skipped"):
                print(f"clash_postgis  skipped: {r['skipped']}")
                continue
            for label, key in (("small", "postgis_over_alg_small"), ("big", "postgis_over_alg_big")):
                p = r.get(label)
                if not p:
                    continue
                if p.get("seconds") is None:
                    print(f"clash_postgis  {p['segments']:,} segments: {p.get('skipped')}")
                    continue
                print(f"clash_postgis  PostGIS ST_DWithin self-join {p['segments']:,} segments {p['seconds']:.1f} s "
                      f"({p['pairs']:,} pairs; GiST index {p['index_s']:.1f} s, load {p['load_s']:.1f} s, untimed) "
                      f"({_faster(r.get(key))})")
        elif r["name"] == "checks_machine":
            print(f"clash_machine  {r['cpus']} CPUs; load average at start "
                  + "/".join(f"{x:.1f}" for x in r["loadavg_start"]) + ", at end "
                  + "/".join(f"{x:.1f}" for x in r["loadavg_end"]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "build" / "bench"))
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--segments", type=int, default=None, help="city size (default 1,000,000)")
    parser.add_argument("--alg", nargs=2, metavar=("MAP", "FINDINGS"), help=argparse.SUPPRESS)
    parser.add_argument("--stages", nargs=2, metavar=("MAP", "FINDINGS"), help=argparse.SUPPRESS)
    parser.add_argument("--qgis-native", nargs=4, metavar=("LINES", "DISTANCE", "FOLDER", "OUTPUTS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    _use_checkout()
    if args.alg:
        print(json.dumps(alg_run(Path(args.alg[0]), Path(args.alg[1]))), flush=True)
        os._exit(0)  # without exitQgis (it can crash at exit)
    if args.stages:
        print(json.dumps(stages(Path(args.stages[0]), Path(args.stages[1]))), flush=True)
        return 0
    if args.qgis_native:
        lines, dist, folder, outputs = args.qgis_native
        print(json.dumps(qgis_native(Path(lines), float(dist), Path(folder), outputs)), flush=True)
        os._exit(0)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    results = bench_checks(out, args.quick, big=args.segments)
    print_lines(results)
    (out / "results_checks.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
