"""GeoPackage export, read back with OGR and sqlite3 (and GDAL's GeoPackage validator)."""

from __future__ import annotations

import dataclasses
import json
import math
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pipemap.core import codes
from pipemap.core.export import formats, gpkg, model, profiles
from pipemap.core.export.writeutil import iso_datetime
from pipemap.core.progress import RecordingProgress

VALIDATOR = Path("/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py")
LOCAL_WKT = ('LOCAL_CS["Shunde city grid",LOCAL_DATUM["Shunde 1998",32767],UNIT["metre",1],'
             'AXIS["Easting",EAST],AXIS["Northing",NORTH]]')


def export(data, folder: Path, **opts) -> tuple[Path, RecordingProgress]:
    folder.mkdir(parents=True, exist_ok=True)
    progress = RecordingProgress()
    files = gpkg.write(data, folder, formats.ExportOptions(**opts), progress)
    assert files == [folder / f"{opts.get('basename', 'pipemap')}.gpkg"]
    assert sorted(p.name for p in folder.iterdir()) == [files[0].name], "no temporary file may be left"
    return files[0], progress


def ogr_value(feat, idx: int, kind: str):
    if not feat.IsFieldSetAndNotNull(idx):
        return None
    if kind == "integer":
        return feat.GetFieldAsInteger64(idx)
    if kind == "real":
        return feat.GetFieldAsDouble(idx)
    if kind in ("date", "datetime"):
        return iso_datetime(feat.GetFieldAsString(idx))
    return feat.GetFieldAsString(idx)


def expected_value(kind: str, value):
    if value is None:
        return None
    if kind == "real" and isinstance(value, float) and math.isnan(value):
        return None
    if kind in ("date", "datetime"):
        return iso_datetime(value)
    return value


def assert_layer_equal(ds, layer, count=None) -> None:
    """Every feature of ``layer`` (LayerData) is in the OGR layer with equal geometry and attributes
    (the first ``len(layer)`` features, in order; ``count``: the layer's feature count if different)."""
    from osgeo import ogr

    out = ds.GetLayerByName(layer.name)
    assert out is not None, layer.name
    assert out.GetFeatureCount() == (len(layer) if count is None else count)
    assert ogr.GT_HasZ(out.GetGeomType())
    assert ogr.GT_Flatten(out.GetGeomType()) == (ogr.wkbLineString if layer.is_line else ogr.wkbPoint)
    defn = out.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    assert names == layer.field_names
    idx = {n: i for i, n in enumerate(names)}
    for i, feat in zip(range(len(layer)), out):  # written in order: feature i is row i
        row = layer.row(i)
        for f in layer.fields:
            assert ogr_value(feat, idx[f.name], f.type) == expected_value(f.type, row[f.name]), (layer.name, i, f.name)
        geom = feat.GetGeometryRef()
        got = geom.GetPoints() if layer.is_line else [geom.GetPoint()]
        want = layer.coords(i).tolist()
        assert len(got) == len(want)
        for g, w in zip(got, want):
            assert g[0] == w[0] and g[1] == w[1]
            assert (g[2] == w[2]) or (math.isnan(g[2]) and math.isnan(w[2]))


def test_full_profile_reads_back_equal(rich_map, tmp_path):
    from osgeo import ogr

    path, _, facts = rich_map
    data = model.read_map(path, profiles.load_profile("full"))
    target, progress = export(data, tmp_path / "full")
    assert progress.fractions and progress.fractions[-1] == 1.0
    ds = ogr.Open(str(target))
    try:
        assert_layer_equal(ds, data.segments)
        assert_layer_equal(ds, data.points)
        seg = ds.GetLayerByName("pipe_segment")
        assert seg.GetSpatialRef().GetAuthorityCode(None) == "4547"
        seg.SetAttributeFilter(f"seg_id = '{facts['chinese_id']}'")
        assert seg.GetFeatureCount() == 1
        seg.SetAttributeFilter(f"seg_id = '{facts['hostile_segment']}'")
        feat = seg.GetNextFeature()
        assert feat.GetField("remark") == facts["hostile"][0]
        assert feat.GetField("road") == facts["hostile"][1]
        assert feat.GetField("owner") == facts["hostile"][2] and len(feat.GetField("owner")) == 600
        seg.SetAttributeFilter(None)
        contacts = [f.GetField("owner_contact") for f in seg]
        assert contacts.count(facts["contact"]) == data.segments.columns["owner_contact"].count(facts["contact"]) > 0
    finally:
        ds = None


def test_schema_extension_publishes_the_code_lists(rich_map, tmp_path):
    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("planning"))
    target, _ = export(data, tmp_path / "planning")
    con = sqlite3.connect(target)
    try:
        ext = {r[0] for r in con.execute("SELECT table_name FROM gpkg_extensions WHERE extension_name = 'gpkg_schema'")}
        assert {"gpkg_data_columns", "gpkg_data_column_constraints"} <= ext
        enum = {}
        for name, value, desc in con.execute("SELECT constraint_name, value, description FROM "
                                             "gpkg_data_column_constraints WHERE constraint_type = 'enum'"):
            enum.setdefault(name, {})[value] = desc
        for domain in ("pm_category", "pm_subcategory", "pm_material", "pm_burial_method", "pm_status",
                       "pm_sensitivity", "pm_quality_level"):
            assert enum.get(domain), domain
        # the planning profile withholds industrial lines: the published list holds what may leave
        assert set(enum["pm_category"]) == {c.code for c in codes.CATEGORIES if c.code != "GY"}
        assert enum["pm_category"]["JS"] == "给水 water supply"
        gy_subs = {s.code for s in codes.SUBCATEGORIES if s.category == "GY"}
        assert gy_subs and not gy_subs & set(enum["pm_subcategory"])
        assert {m.code for m in codes.MATERIALS} == set(enum["pm_material"])
        cols = {(t, c): (d, k) for t, c, d, k in con.execute(
            "SELECT table_name, column_name, description, constraint_name FROM gpkg_data_columns")}
        assert cols[("pipe_segment", "category")] == ("CJJ 61 category code", "pm_category")
        assert cols[("pipe_segment", "material")][1] == "pm_material"
        assert cols[("pipe_point", "status")][1] == "pm_status"
        # every exported field is described
        for layer in (data.segments, data.points):
            for f in layer.fields:
                assert (layer.name, f.name) in cols
        assert cols[("pipe_segment", "start_depth_m")][0].startswith("surveyed depth")
    finally:
        con.close()


def test_metadata_tables_record_crs_datum_z_and_profile(rich_map, tmp_path):
    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("planning"))
    target, _ = export(data, tmp_path / "meta")
    con = sqlite3.connect(target)
    try:
        meta = dict(con.execute("SELECT key, value FROM pipemap_metadata"))
        assert meta["crs_authid"] == "EPSG:4547"
        assert meta["crs_wkt"].startswith("PROJCRS[")
        assert meta["height_datum"] == data.height_datum and "1985" in meta["height_datum"]
        assert meta["z_convention_pipe_segment"] == "pipe centreline elevation"
        assert meta["z_convention_pipe_point"] == "ground surface elevation"
        assert meta["sharing_profile"] == "planning"
        assert json.loads(meta["sharing_profile_settings"])["name"] == "planning"
        assert "quality_levels" in json.loads(meta["accuracy"])
        assert json.loads(meta["feature_counts"]) == data.counts()
        kind = con.execute("SELECT data_type FROM gpkg_contents WHERE table_name = 'pipemap_metadata'").fetchone()
        assert kind == ("attributes",)
        refs = con.execute("SELECT r.reference_scope, r.table_name, m.metadata FROM gpkg_metadata_reference r "
                           "JOIN gpkg_metadata m ON m.id = r.md_file_id").fetchall()
        scopes = {(s, t) for s, t, _ in refs}
        assert ("geopackage", None) in scopes and ("table", "pipe_segment") in scopes
        whole = next(m for s, _, m in refs if s == "geopackage")
        assert "HEIGHT_DATUM" in whole and "1985" in whole and "SHARING_PROFILE" in whole and "planning" in whole
        seg = next(m for s, t, m in refs if t == "pipe_segment")
        assert "pipe centreline elevation" in seg
    finally:
        con.close()


@pytest.mark.skipif(not VALIDATOR.is_file(), reason="GDAL's validate_gpkg.py sample is not installed")
def test_gdal_validator_accepts_the_file(rich_map, tmp_path):
    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("planning"))
    target, _ = export(data, tmp_path / "valid")
    proc = subprocess.run([sys.executable, str(VALIDATOR), str(target)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_planning_leaves_nothing_withheld_in_the_bytes(rich_map, tmp_path):
    path, _, facts = rich_map
    full = model.read_map(path, profiles.load_profile("full"))
    data = model.read_map(path, profiles.load_profile("planning"))
    target, _ = export(data, tmp_path / "leak")
    raw = target.read_bytes()
    assert facts["contact"].encode("utf-8") not in raw
    assert "张工".encode() not in raw
    for sid in facts["restricted_segments"]:
        assert sid.encode() not in raw, sid
    gy = [s for s, c in zip(full.segments.columns["seg_id"], full.segments.columns["category"]) if c == "GY"]
    assert gy
    for sid in gy:
        assert sid.encode() not in raw, sid
    assert "工业 industrial".encode() not in raw  # not even in the published category list
    # what the profile keeps is there
    assert facts["chinese_id"].encode("utf-8") in raw
    from osgeo import ogr

    ds = ogr.Open(str(target))
    try:
        ids = {f.GetField("point_id") for f in ds.GetLayerByName("pipe_point")}
        assert ids and not ids & set(facts["secret_points"])
        assert "GY" not in {f.GetField("category") for f in ds.GetLayerByName("pipe_point")}
        assert ds.GetLayerByName("pipe_point").GetLayerDefn().GetFieldIndex("owner_contact") < 0
    finally:
        ds = None


def test_local_grid_crs_and_picks_layer(rich_map, tmp_path):
    import numpy as np
    from osgeo import ogr

    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("full"))
    picks = model.LayerData.from_rows(
        "gpr_pick", model.PICK_FIELDS,
        [{"pick_id": f"甲-{i}", "depth_m": 1.0 + i / 10, "kind": "hyperbola", "confidence": 0.9} for i in range(5)],
        np.array([[538000.0 + i, 3380000.0, 20.0 if i else np.nan] for i in range(4)] + [[np.nan] * 3]))
    local = dataclasses.replace(data, crs_authid="", crs_wkt=LOCAL_WKT, picks=picks)
    target, _ = export(local, tmp_path / "local", basename="城市")
    ds = ogr.Open(str(target))
    try:
        srs = ds.GetLayerByName("pipe_segment").GetSpatialRef()
        assert srs.IsLocal() and srs.GetAuthorityCode(None) is None
        assert "Shunde city grid" in srs.ExportToWkt()
        with_position = local.picks.subset(np.array([True] * 4 + [False]))
        assert_layer_equal(ds, with_position, count=5)
        assert ds.GetLayerByName("gpr_pick").GetFeature(5).GetGeometryRef() is None
        assert ds.GetLayerByName("gpr_pick").GetFeature(1).GetField("pick_id") == "甲-0"
    finally:
        ds = None
    con = sqlite3.connect(target)
    try:
        org = con.execute("SELECT organization, definition FROM gpkg_spatial_ref_sys s JOIN gpkg_contents c "
                          "ON c.srs_id = s.srs_id WHERE c.table_name = 'pipe_segment'").fetchone()
        assert org[0] == "NONE" and "Shunde" in org[1]
        assert dict(con.execute("SELECT key, value FROM pipemap_metadata"))["crs_wkt"] == LOCAL_WKT
    finally:
        con.close()


def test_cancel_leaves_no_file(rich_map, tmp_path):
    from pipemap.core.errors import CancelledError

    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("full"))
    folder = tmp_path / "cancel"
    folder.mkdir()
    with pytest.raises(CancelledError):
        gpkg.write(data, folder, formats.ExportOptions(), RecordingProgress(cancel_after=1))
    assert list(folder.iterdir()) == []
