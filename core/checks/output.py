"""Findings written as a GeoPackage point layer, fast and atomically.

A check can report hundreds of thousands of findings (about 0.8 per pipe
segment on a dense city). Written feature by feature through OGR or a QGIS
sink they take longer than the check itself, so :func:`write_points_gpkg`
lets OGR make the file (table, columns, an empty R-tree, the GeoPackage
bookkeeping and triggers), then inserts the rows with SQLite ``executemany``
(the point blobs built in numpy) and bulk-loads the R-tree, with the
layer's triggers taken out for the load and put back as OGR wrote them.

The file is built under a temporary name in the target's folder, with no
journal, and moved into place with ``os.replace`` only when complete: a
failure or a cancel leaves the target as it was (or absent) and no
temporary file.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import CancelledError, OutputError
from ..gdalutil import gdal_exceptions, remove_quietly, spatial_reference, temp_path_beside
from ..progress import NullProgress, Progress

#: column kinds: SQLite REAL (NaN stored as NULL), TEXT (None as NULL), INTEGER
REAL, TEXT, INTEGER = "real", "text", "integer"


def default_layer_name(target: str | os.PathLike[str]) -> str:
    """The layer name QGIS gives a GeoPackage written to ``target``: the file name up to its first dot."""
    name = Path(target).name.split(".", 1)[0]
    return name or "findings"


def write_points_gpkg(target: str | os.PathLike[str], columns: Sequence[tuple[str, str]],
                      values: Mapping[str, Any], x: Any, y: Any, crs: str, *, layer_name: str | None = None,
                      progress: Progress | None = None) -> int:
    """Write one point per row to a new GeoPackage ``target`` (replacing the file if it exists).

    :param columns: (name, kind) in output order; kind is :data:`REAL`, :data:`TEXT` or :data:`INTEGER`.
    :param values: name -> sequence of the column's values (numpy arrays or lists), one per row.
    :param x, y: point coordinates; a row whose x or y is not finite gets no geometry.
    :param crs: the layer's CRS (authority code or WKT).
    :param layer_name: default: the file name up to its first dot (as QGIS names a layer it writes).
    :returns: the number of rows written.
    :raises OutputError: the file cannot be written (the target is then left as it was).
    :raises CancelledError: ``progress`` was cancelled (the target is then left as it was).
    """
    progress = progress or NullProgress()
    target = Path(target)
    layer_name = layer_name or default_layer_name(target)
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    n = len(x)
    if len(y) != n:
        raise ValueError("x and y differ in length")
    kinds = dict(columns)
    for name, kind in columns:
        if kind not in (REAL, TEXT, INTEGER):
            raise ValueError(f"unknown column kind {kind!r} for {name}")
        if len(values[name]) != n:
            raise ValueError(f"column {name} has {len(values[name])} values for {n} rows")
    if target.is_dir():
        raise OutputError("Could not write the findings {path}: {reason}", code="output.findings",
                          path=str(target), reason="it is a folder")
    srs = spatial_reference(crs)
    tmp = temp_path_beside(target, ".gpkg")
    try:
        _create_layer(tmp, layer_name, columns, srs)
        _check(progress, 0.05)
        fin = np.isfinite(x) & np.isfinite(y)
        blobs = _point_blobs(tmp, layer_name, x, y, fin)
        _check(progress, 0.15)
        data = [np.arange(1, n + 1).tolist(), blobs]
        del blobs
        for name, _kind in columns:
            data.append(_column(values[name], kinds[name]))
        _check(progress, 0.35)
        _load(tmp, layer_name, [name for name, _ in columns], data, x, y, fin, progress)
        del data
        _check(progress, 0.95)
        _remove_side_files(target)
        os.replace(tmp, target)
    except (OSError, RuntimeError, OverflowError, sqlite3.Error) as exc:
        remove_quietly(tmp)
        raise OutputError("Could not write the findings {path}: {reason}", code="output.findings",
                          path=str(target), reason=getattr(exc, "strerror", None) or str(exc)) from None
    except BaseException:
        remove_quietly(tmp)
        raise
    progress.report(1.0)
    return n


def _remove_side_files(path: Path) -> None:
    """Remove SQLite side files (-journal, -wal, -shm) of a file about to be replaced: SQLite would
    replay a stale journal or WAL onto the new file."""
    for side in ("-journal", "-wal", "-shm"):
        p = Path(str(path) + side)
        if p.exists():
            p.unlink()


def _check(progress: Progress, fraction: float) -> None:
    if progress.cancelled():
        raise CancelledError()
    progress.report(fraction)


def _create_layer(path: Path, layer_name: str, columns: Sequence[tuple[str, str]], srs: Any) -> None:
    """An empty point layer with its columns and spatial index, made by OGR."""
    from osgeo import ogr

    ogr_type = {REAL: ogr.OFTReal, TEXT: ogr.OFTString, INTEGER: ogr.OFTInteger64}
    with gdal_exceptions():
        ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
        try:
            layer = ds.CreateLayer(layer_name, srs, ogr.wkbPoint,
                                   options=["SPATIAL_INDEX=YES", "GEOMETRY_NAME=geom", "FID=fid"])
            for name, kind in columns:
                layer.CreateField(ogr.FieldDefn(name, ogr_type[kind]))
        finally:
            ds = None  # noqa: F841 - closes and writes the file


def _point_blobs(path: Path, layer_name: str, x: np.ndarray, y: np.ndarray, fin: np.ndarray) -> list[Any]:
    """GeoPackage point blobs ("GP", version 0, flags: little endian and no envelope, srs_id, 2D WKB point),
    None where the point is not finite."""
    con = sqlite3.connect(str(path))
    try:
        srs_id = con.execute("SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = ?",
                             (layer_name,)).fetchone()[0]
    finally:
        con.close()
    n = len(x)
    rec = np.zeros(n, dtype=np.dtype([("magic", "S2"), ("version", "u1"), ("flags", "u1"), ("srs", "<i4"),
                                      ("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")]))
    rec["magic"], rec["flags"], rec["srs"], rec["order"], rec["type"] = b"GP", 1, srs_id, 1, 1
    rec["x"], rec["y"] = x, y
    blobs: list[Any] = rec.view(f"V{rec.dtype.itemsize}").tolist()  # one bytes object per row
    del rec
    for k in np.flatnonzero(~fin).tolist():
        blobs[k] = None
    return blobs


def _column(values: Any, kind: str) -> list[Any]:
    """A column as a list of values SQLite binds: float (None for NaN), str or int (None for missing)."""
    if kind == REAL:
        arr = values.astype(float) if isinstance(values, np.ndarray) and values.dtype.kind in "fiub" \
            else np.array([np.nan if v is None else v for v in values], dtype=float)
        out = arr.tolist()
        for k in np.flatnonzero(~np.isfinite(arr)).tolist():
            out[k] = None
        return out
    out = values.tolist() if isinstance(values, np.ndarray) else list(values)
    if kind == TEXT:
        if set(map(type, out)) <= {str, type(None)}:
            return out
        return [None if v is None or (isinstance(v, float) and v != v) else str(v) for v in out]
    return [None if v is None or (isinstance(v, float) and v != v) else int(v) for v in out]


def _load(path: Path, layer_name: str, names: list[str], data: list[list[Any]], x: np.ndarray, y: np.ndarray,
          fin: np.ndarray, progress: Progress) -> None:
    """Insert the rows and bulk-load the R-tree, the layer's triggers out of the way meanwhile."""
    n = len(x)
    rtree = f"rtree_{layer_name}_geom"
    con = sqlite3.connect(str(path))
    try:
        con.execute("PRAGMA journal_mode = OFF")
        con.execute("PRAGMA synchronous = OFF")
        triggers = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
                               (layer_name,)).fetchall()
        if con.execute("SELECT count(*) FROM sqlite_master WHERE name = ?", (rtree,)).fetchone()[0] != 1:
            raise RuntimeError(f"OGR made no spatial index {rtree}")
        cols = ", ".join(_quote(c) for c in ["fid", "geom"] + names)
        marks = ", ".join("?" * (len(names) + 2))
        with con:
            for name, _sql in triggers:
                con.execute(f"DROP TRIGGER {_quote(name)}")
            _insert_rows(con, f"INSERT INTO {_quote(layer_name)} ({cols}) VALUES ", f"({marks})", data, n)
            _check(progress, 0.8)
            fids = np.arange(1, n + 1, dtype=np.int64)
            _pack_rtree(con, rtree, fids[fin], x[fin], y[fin])
            for _name, sql in triggers:
                con.execute(sql)
            con.execute("UPDATE gpkg_ogr_contents SET feature_count = ? WHERE table_name = ?", (n, layer_name))
            if fin.any():
                con.execute("UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? "
                            "WHERE table_name = ?", (float(x[fin].min()), float(y[fin].min()),
                                                     float(x[fin].max()), float(y[fin].max()), layer_name))
    finally:
        con.close()


#: rows per INSERT statement (several rows to a statement: a third less time than one by one)
_ROWS_PER_INSERT = 200


def _insert_rows(con: sqlite3.Connection, head: str, one: str, data: list[list[Any]], n: int) -> None:
    """Insert the rows (columns ``data``, ``n`` rows) in order, several to a statement."""
    ncol = len(data)
    limit = 999  # SQLite's smallest default number of bound parameters
    if hasattr(con, "getlimit"):
        limit = con.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    k = max(1, min(_ROWS_PER_INSERT, limit // max(ncol, 1)))
    full = n - n % k
    if k > 1 and full:
        flat: list[Any] = [None] * (full * ncol)  # row after row
        for c, column in enumerate(data):
            flat[c::ncol] = column[:full]
        width = k * ncol
        con.executemany(head + ",".join([one] * k), (flat[i:i + width] for i in range(0, len(flat), width)))
        del flat
    else:
        full = 0
    if full < n:
        con.executemany(head + one, zip(*(column[full:] for column in data)))


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


#: SQLite's R-tree rounding factors (rtree.c RNDTOWARDS, RNDAWAY)
_RND_TOWARDS, _RND_AWAY = 1.0 - 1.0 / 8388608.0, 1.0 + 1.0 / 8388608.0


def _float32_down(d: np.ndarray) -> np.ndarray:
    """A float32 at most d, as SQLite's rtreeValueDown."""
    f = d.astype(np.float32)
    low = (d * np.where(d < 0, _RND_AWAY, _RND_TOWARDS)).astype(np.float32)
    return np.where(f.astype(float) > d, low, f)


def _float32_up(d: np.ndarray) -> np.ndarray:
    """A float32 at least d, as SQLite's rtreeValueUp."""
    f = d.astype(np.float32)
    high = (d * np.where(d < 0, _RND_TOWARDS, _RND_AWAY)).astype(np.float32)
    return np.where(f.astype(float) < d, high, f)


def _pack_rtree(con: sqlite3.Connection, rtree: str, ids: np.ndarray, x: np.ndarray, y: np.ndarray) -> None:
    """Bulk-load an empty SQLite R-tree (id, minx, maxx, miny, maxy) with points, sort-tile-recursive.

    SQLite inserts R-tree rows one at a time (seconds per million points);
    this writes its three shadow tables directly in SQLite's node format:
    node 1 is the root (its first two bytes the tree's depth), each node a
    cell count and cells of a big-endian int64 id (the row id in a leaf, a
    child node number above) and four big-endian float32 bounds, minima
    rounded down and maxima up as SQLite rounds them. SQLite's
    ``rtreecheck`` accepts the result (the tests check it).
    """
    n = len(ids)
    if n == 0:
        return
    node_size = con.execute(f"SELECT length(data) FROM {_quote(rtree + '_node')} WHERE nodeno = 1").fetchone()[0]
    per = (node_size - 4) // 24
    cell = np.dtype([("id", ">i8"), ("x0", ">f4"), ("x1", ">f4"), ("y0", ">f4"), ("y1", ">f4")])
    lo_x, hi_x = _float32_down(x), _float32_up(x)
    lo_y, hi_y = _float32_down(y), _float32_up(y)
    # sort-tile-recursive order: vertical slices along x, each sorted along y
    n_leaves = -(-n // per)
    slice_len = per * int(np.ceil(np.sqrt(n_leaves)))
    by_x = np.argsort(x, kind="stable")
    order = np.concatenate([s[np.argsort(y[s], kind="stable")]
                            for s in np.array_split(by_x, np.arange(slice_len, n, slice_len))])
    level = {"id": ids[order].astype(np.int64), "x0": lo_x[order], "x1": hi_x[order], "y0": lo_y[order],
             "y1": hi_y[order]}
    levels = []  # bottom-up: the cells of each level, `per` to a node
    while True:
        levels.append(level)
        m = len(level["id"])
        if m <= per:
            break
        starts = np.arange(0, m, per)
        level = {"id": np.zeros(len(starts), dtype=np.int64),
                 "x0": np.minimum.reduceat(level["x0"], starts), "x1": np.maximum.reduceat(level["x1"], starts),
                 "y0": np.minimum.reduceat(level["y0"], starts), "y1": np.maximum.reduceat(level["y1"], starts)}
    depth = len(levels) - 1
    node_counts = [-(-len(lv["id"]) // per) for lv in levels]
    first_no = {}  # node numbers top-down: the root is 1
    nxt = 1
    for k in range(depth, -1, -1):
        first_no[k] = nxt
        nxt += node_counts[k]
    node_rows: list[tuple[int, bytes]] = []
    parent_rows: list[tuple[int, int]] = []
    for k in range(depth, -1, -1):
        lv = levels[k]
        m = len(lv["id"])
        if k > 0:  # the cells of level k point at the nodes of level k - 1
            lv["id"] = np.arange(first_no[k - 1], first_no[k - 1] + node_counts[k - 1], dtype=np.int64)
        nodes = node_counts[k]
        cells = np.zeros(nodes * per, dtype=cell)
        for name in cell.names:
            cells[name][:m] = lv[name]
        buf = np.zeros((nodes, node_size), dtype=np.uint8)
        count = np.full(nodes, per, dtype=">u2")
        count[-1] = m - per * (nodes - 1)
        buf[:, 2:4] = count.view(np.uint8).reshape(nodes, 2)
        if k == depth:
            buf[0, 0:2] = np.array([depth], dtype=">u2").view(np.uint8)
        buf[:, 4:4 + per * 24] = cells.view(np.uint8).reshape(nodes, per * 24)
        numbers = range(first_no[k], first_no[k] + nodes)
        node_rows += [(no, buf[i].tobytes()) for i, no in enumerate(numbers)]
        if k < depth:
            parents = first_no[k + 1] + np.arange(nodes) // per
            parent_rows += list(zip(numbers, parents.tolist()))
    leaf_of = first_no[0] + np.arange(n) // per
    con.execute(f"DELETE FROM {_quote(rtree + '_node')}")
    con.executemany(f"INSERT INTO {_quote(rtree + '_node')} (nodeno, data) VALUES (?, ?)", node_rows)
    con.executemany(f"INSERT INTO {_quote(rtree + '_parent')} (nodeno, parentnode) VALUES (?, ?)", parent_rows)
    row_ids = levels[0]["id"]
    table = _quote(rtree + "_rowid")
    if np.array_equal(np.sort(row_ids), np.arange(1, n + 1)):
        # ids 1..n: the leaf of each as one JSON array expanded by SQLite (much faster than executemany)
        by_id = np.empty(n, dtype=np.int64)
        by_id[row_ids - 1] = leaf_of
        try:
            con.execute(f"INSERT INTO {table} (rowid, nodeno) SELECT key + 1, value FROM json_each(?)",
                        ("[" + ",".join(map(str, by_id.tolist())) + "]",))
            return
        except sqlite3.OperationalError:  # an SQLite without JSON functions
            pass
    con.executemany(f"INSERT INTO {table} (rowid, nodeno) VALUES (?, ?)", zip(row_ids.tolist(), leaf_of.tolist()))
