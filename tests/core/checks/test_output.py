"""core.checks.output: findings as a GeoPackage point layer, read back with OGR and SQLite."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from pipemap.core.checks import output
from pipemap.core.errors import CancelledError, OutputError
from pipemap.core.progress import RecordingProgress

COLUMNS = [("pipe_a", output.TEXT), ("clearance_m", output.REAL), ("verdict", output.TEXT), ("n", output.INTEGER)]


def _ogr():
    from osgeo import gdal, ogr

    gdal.UseExceptions()
    return ogr


def read_back(path: Path, layer_name: str | None = None) -> tuple[list[dict], list[tuple[str, int]], object]:
    """Rows (fid, attributes, x, y) and (name, OGR type) of the fields, through OGR."""
    ogr = _ogr()
    ds = ogr.Open(str(path))
    assert ds.GetLayerCount() == 1
    lyr = ds.GetLayerByName(layer_name or output.default_layer_name(path))
    defn = lyr.GetLayerDefn()
    fields = [(defn.GetFieldDefn(i).GetName(), defn.GetFieldDefn(i).GetType()) for i in range(defn.GetFieldCount())]
    rows = []
    for f in lyr:
        g = f.GetGeometryRef()
        rec = {"fid": f.GetFID(), "xy": None if g is None else (g.GetX(), g.GetY())}
        for name, _ in fields:
            rec[name] = f.GetField(name) if f.IsFieldSetAndNotNull(name) else None
        rows.append(rec)
    srs = lyr.GetSpatialRef().Clone()
    ds = None
    return rows, fields, srs


def rtree_state(path: Path, layer_name: str) -> tuple[str, int]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        check = con.execute(f"SELECT rtreecheck('rtree_{layer_name}_geom')").fetchone()[0]
        count = con.execute(f'SELECT count(*) FROM "rtree_{layer_name}_geom"').fetchone()[0]
    finally:
        con.close()
    return check, count


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".part" in p.name or p.name.endswith(("-wal", "-journal")))


def sample(n: int = 4) -> tuple[dict, np.ndarray, np.ndarray]:
    values = {"pipe_a": np.array(["A", None, "中文", "D"], dtype=object)[:n],
              "clearance_m": np.array([0.25, np.nan, -0.5, 1e-9])[:n],
              "verdict": ["FAIL", "UNKNOWN", "UNCERTAIN", "FAIL"][:n],
              "n": np.array([1, 2, 3, 4], dtype=np.int64)[:n]}
    x = np.array([500010.5, np.nan, 500030.25, 500040.0])[:n]
    y = np.array([2500010.5, 2500020.0, 2500030.75, np.inf])[:n]
    return values, x, y


def test_rows_types_nulls_and_geometry(tmp_path):
    ogr = _ogr()
    target = tmp_path / "clash.findings.gpkg"
    values, x, y = sample()
    assert output.write_points_gpkg(target, COLUMNS, values, x, y, "EPSG:4547") == 4
    rows, fields, srs = read_back(target, "clash")  # the layer is named as QGIS names it: up to the first dot
    assert fields == [("pipe_a", ogr.OFTString), ("clearance_m", ogr.OFTReal), ("verdict", ogr.OFTString),
                      ("n", ogr.OFTInteger64)]
    assert srs.GetAuthorityCode(None) == "4547"
    assert [r["fid"] for r in rows] == [1, 2, 3, 4]
    assert [r["pipe_a"] for r in rows] == ["A", None, "中文", "D"]
    assert rows[0]["clearance_m"] == 0.25 and rows[1]["clearance_m"] is None and rows[3]["clearance_m"] == 1e-9
    assert [r["verdict"] for r in rows] == ["FAIL", "UNKNOWN", "UNCERTAIN", "FAIL"]
    assert [r["n"] for r in rows] == [1, 2, 3, 4]
    # a point with a non-finite coordinate has no geometry and is not in the R-tree
    assert rows[0]["xy"] == (500010.5, 2500010.5) and rows[2]["xy"] == (500030.25, 2500030.75)
    assert rows[1]["xy"] is None and rows[3]["xy"] is None
    assert rtree_state(target, "clash") == ("ok", 2)
    ds = ogr.Open(str(target))
    lyr = ds.GetLayer(0)
    assert lyr.GetFeatureCount() == 4
    assert lyr.GetExtent() == (500010.5, 500030.25, 2500010.5, 2500030.75)
    ds = None
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("n", [1, 5_000, 60_000])
def test_rtree_is_valid_and_finds_what_brute_force_finds(tmp_path, n):
    """One leaf, one level of nodes, two levels: SQLite's rtreecheck and window queries agree with brute force."""
    rng = np.random.default_rng(n)
    x = 500_000 + rng.uniform(0, 3_000, n)
    y = 2_500_000 + rng.uniform(0, 2_000, n)
    x[::7] = np.round(x[::7])  # repeated and integral values too
    values = {"pipe_a": np.array([f"P{k}" for k in range(n)], dtype=object), "clearance_m": rng.normal(size=n),
              "verdict": np.full(n, "FAIL", dtype=object), "n": np.arange(n)}
    target = tmp_path / "many.gpkg"
    output.write_points_gpkg(target, COLUMNS, values, x, y, "EPSG:4547")
    assert rtree_state(target, "many") == ("ok", n)
    con = sqlite3.connect(str(target))
    hits = 0
    try:
        for k in range(5):
            x0, y0 = 500_000 + 600 * k, 2_500_000 + 350 * k
            got = {r[0] for r in con.execute("SELECT id FROM rtree_many_geom WHERE maxx >= ? AND minx <= ? AND "
                                             "maxy >= ? AND miny <= ?", (x0, x0 + 200, y0, y0 + 150))}
            # the index holds float32 boxes rounded outwards: every point inside, a few within a float32 step
            inside = set((np.flatnonzero((x >= x0) & (x <= x0 + 200) & (y >= y0) & (y <= y0 + 150)) + 1).tolist())
            near = set((np.flatnonzero((x >= x0 - 0.5) & (x <= x0 + 200.5) & (y >= y0 - 0.5)
                                       & (y <= y0 + 150.5)) + 1).tolist())
            assert inside <= got <= near
            hits += len(got)
    finally:
        con.close()
    assert hits > 0 or n == 1
    # OGR's own spatial filter uses the index
    ogr = _ogr()
    ds = ogr.Open(str(target))
    lyr = ds.GetLayer(0)
    lyr.SetSpatialFilterRect(500_100, 2_500_100, 500_400, 2_500_300)
    got = {f.GetFID() for f in lyr}
    want = set((np.flatnonzero((x >= 500_100) & (x <= 500_400) & (y >= 2_500_100) & (y <= 2_500_300)) + 1).tolist())
    assert got == want  # OGR filters the index's candidates by the exact geometry
    ds = None


def test_the_layer_stays_editable_with_ogr(tmp_path):
    """The triggers OGR wrote are back: a feature added later lands in the R-tree and the feature count."""
    ogr = _ogr()
    target = tmp_path / "edit.gpkg"
    values, x, y = sample()
    output.write_points_gpkg(target, COLUMNS, values, x, y, "EPSG:4547")
    ds = ogr.Open(str(target), 1)
    lyr = ds.GetLayer(0)
    f = ogr.Feature(lyr.GetLayerDefn())
    f.SetField("pipe_a", "E")
    f.SetGeometry(ogr.CreateGeometryFromWkt("POINT (500050 2500050)"))
    assert lyr.CreateFeature(f) == 0
    ds = None
    assert rtree_state(target, "edit") == ("ok", 3)
    ds = ogr.Open(str(target))
    assert ds.GetLayer(0).GetFeatureCount() == 5
    ds = None


def test_no_rows_is_an_empty_valid_layer(tmp_path):
    target = tmp_path / "none.gpkg"
    values = {"pipe_a": [], "clearance_m": np.zeros(0), "verdict": [], "n": []}
    assert output.write_points_gpkg(target, COLUMNS, values, [], [], "EPSG:4547") == 0
    rows, fields, _ = read_back(target)
    assert rows == [] and [f for f, _ in fields] == [c for c, _ in COLUMNS]
    assert rtree_state(target, "none") == ("ok", 0)


def test_a_local_grid_from_wkt(tmp_path):
    wkt = ('LOCAL_CS["site grid",LOCAL_DATUM["site",0],UNIT["metre",1],AXIS["Easting",EAST],'
           'AXIS["Northing",NORTH]]')
    target = tmp_path / "local.gpkg"
    values, x, y = sample()
    output.write_points_gpkg(target, COLUMNS, values, x, y, wkt)
    _, _, srs = read_back(target)
    assert srs.IsLocal() and "site grid" in srs.ExportToWkt()


def test_an_existing_file_is_replaced_whole(tmp_path):
    target = tmp_path / "out.gpkg"
    values, x, y = sample()
    output.write_points_gpkg(target, COLUMNS, values, x, y, "EPSG:4547")
    Path(str(target) + "-wal").write_bytes(b"stale")  # a stale WAL would be replayed onto the new file
    values2, x2, y2 = sample(2)
    output.write_points_gpkg(target, COLUMNS, values2, x2, y2, "EPSG:4547")
    rows, _, _ = read_back(target)
    assert [r["pipe_a"] for r in rows] == ["A", None]
    assert leftovers(tmp_path) == []


def test_cancel_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "out.gpkg"
    target.write_bytes(b"the user's file")
    values, x, y = sample()
    for after in (0, 1, 2, 3, 4):
        with pytest.raises(CancelledError):
            output.write_points_gpkg(target, COLUMNS, values, x, y, "EPSG:4547",
                                     progress=RecordingProgress(cancel_after=after))
        assert target.read_bytes() == b"the user's file"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out.gpkg"]


def test_failures_leave_nothing(tmp_path):
    values, x, y = sample()
    folder = tmp_path / "a_folder.gpkg"
    folder.mkdir()
    with pytest.raises(OutputError, match="folder"):
        output.write_points_gpkg(folder, COLUMNS, values, x, y, "EPSG:4547")
    with pytest.raises(OutputError, match="does not exist"):
        output.write_points_gpkg(tmp_path / "missing" / "out.gpkg", COLUMNS, values, x, y, "EPSG:4547")
    with pytest.raises(ValueError, match="clearance_m"):
        output.write_points_gpkg(tmp_path / "out.gpkg", COLUMNS, {**values, "clearance_m": [1.0]}, x, y, "EPSG:4547")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_folder.gpkg"]


def test_a_failed_write_keeps_the_old_file(tmp_path):
    """A value SQLite cannot store stops the write inside the bulk load: the old file stays, no temporary file."""
    target = tmp_path / "out.gpkg"
    target.write_bytes(b"the user's file")
    values, x, y = sample()
    values["n"] = np.array([1, 2, 3, 2 ** 70], dtype=object)  # beyond SQLite's 64-bit integers
    with pytest.raises(OutputError, match="out.gpkg"):
        output.write_points_gpkg(target, COLUMNS, values, x, y, "EPSG:4547")
    assert target.read_bytes() == b"the user's file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.gpkg"]
