"""GeoJSON / JSON-FG export: read back with OGR's GeoJSON driver and json; WGS 84 checked with pyproj."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pytest

from pipemap.core.export import formats, jsonfg, model, profiles
from pipemap.core.export.writeutil import iso_datetime
from pipemap.core.progress import RecordingProgress

CUSTOM_TM = ('PROJCS["city grid",GEOGCS["CGCS2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],'
             'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],'
             'PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",114],PARAMETER["scale_factor",1],'
             'PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1]]')
LOCAL_WKT = ('LOCAL_CS["site grid",LOCAL_DATUM["site",32767],UNIT["metre",1],AXIS["Easting",EAST],'
             'AXIS["Northing",NORTH]]')


def export(data, folder: Path, **opts):
    folder.mkdir(parents=True, exist_ok=True)
    progress = RecordingProgress()
    files = jsonfg.write(data, folder, formats.ExportOptions(**opts), progress)
    assert sorted(p.name for p in folder.iterdir()) == sorted(f.name for f in files)
    return files, progress


def expected(kind, value):
    if value is None or (kind == "real" and math.isnan(value)):
        return None
    if kind in ("date", "datetime"):
        return iso_datetime(value)
    return value


def test_collections_are_geojson_and_json_fg(rich_map, tmp_path):
    path, _, facts = rich_map
    data = model.read_map(path, profiles.load_profile("full"))
    files, progress = export(data, tmp_path / "full")
    assert [f.name for f in files] == ["pipemap_segment.json", "pipemap_point.json"]
    assert progress.warnings == []
    for f, layer in zip(files, (data.segments, data.points)):
        doc = json.loads(f.read_text(encoding="utf-8"))
        assert doc["type"] == "FeatureCollection"
        assert doc["conformsTo"] == ["http://www.opengis.net/spec/json-fg-1/1.0/conf/core"]
        assert doc["coordRefSys"] == ["http://www.opengis.net/def/crs/EPSG/0/4547",
                                      "http://www.opengis.net/def/crs/EPSG/0/5737"]
        assert doc["metadata"]["z_convention"][layer.name] == data.z_convention[layer.name]
        assert doc["metadata"]["profile"] == "full"
        assert doc["metadata"]["height_datum"] == data.height_datum
        assert len(doc["features"]) == len(layer)
        for i, feat in enumerate(doc["features"]):
            assert feat["featureType"] == layer.name and "time" in feat
            want = layer.coords(i).tolist()
            place = feat["place"]["coordinates"]
            assert (place if layer.is_line else [place]) == want  # exact, in the map CRS
            for fld in layer.fields:
                assert feat["properties"][fld.name] == expected(fld.type, layer.columns[fld.name][i]), fld.name
    seg = json.loads(files[0].read_text(encoding="utf-8"))
    by_id = {f["id"]: f for f in seg["features"]}
    assert facts["chinese_id"] in by_id
    hostile = by_id[facts["hostile_segment"]]["properties"]
    assert (hostile["remark"], hostile["road"], hostile["owner"]) == facts["hostile"]
    assert facts["chinese_id"] in files[0].read_text(encoding="utf-8")  # not \\u-escaped


def test_geometry_is_wgs84_lon_lat_with_height(rich_map, tmp_path):
    from pyproj import Transformer

    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("planning"))
    files, _ = export(data, tmp_path / "wgs")
    to_ll = Transformer.from_crs("EPSG:4547", "EPSG:4326", always_xy=True)
    to_map = Transformer.from_crs("EPSG:4326", "EPSG:4547", always_xy=True)
    for f, layer in zip(files, (data.segments, data.points)):
        doc = json.loads(f.read_text(encoding="utf-8"))
        for i, feat in enumerate(doc["features"][:200]):
            geom = feat["geometry"]
            coords = geom["coordinates"] if layer.is_line else [geom["coordinates"]]
            for (lon, lat, z), (x, y, zz) in zip(coords, layer.coords(i)):
                elon, elat = to_ll.transform(x, y)
                assert abs(lon - elon) < 2e-9 and abs(lat - elat) < 2e-9
                assert 113 < lon < 115.5 and 20 < lat < 46  # the CGCS2000 zone of CM 114E
                assert z == zz
                bx, by = to_map.transform(lon, lat)
                assert abs(bx - x) < 0.001 and abs(by - y) < 0.001


def test_ogr_geojson_driver_reads_it(rich_map, tmp_path):
    from osgeo import ogr

    path, _, facts = rich_map
    data = model.read_map(path, profiles.load_profile("planning"))
    files, _ = export(data, tmp_path / "ogr")
    ds = ogr.Open(str(files[0]))
    try:
        assert ds.GetDriver().GetName() == "GeoJSON"
        lyr = ds.GetLayer(0)
        assert lyr.GetFeatureCount() == len(data.segments)
        assert lyr.GetSpatialRef().GetAuthorityCode(None) in ("4326", "4979")
        assert ogr.GT_HasZ(lyr.GetGeomType())
        defn = lyr.GetLayerDefn()
        names = {defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())}
        assert set(data.segments.field_names) <= names
        assert "owner_contact" not in names and "remark" not in names
        seen = {}
        for feat in lyr:
            seen[feat.GetField("seg_id")] = feat
        k = data.segments.columns["seg_id"].index(facts["chinese_id"])
        feat = seen[facts["chinese_id"]]
        assert feat.GetField("category") == data.segments.columns["category"][k]
        pts = feat.GetGeometryRef().GetPoints()
        # OGR's JSON parser keeps ~15 significant digits: equal to far below a millimetre
        assert [p[2] for p in pts] == pytest.approx(data.segments.coords(k)[:, 2].tolist(), abs=1e-9)
    finally:
        ds = None


def test_planning_leaves_nothing_withheld_in_the_bytes(rich_map, tmp_path):
    path, _, facts = rich_map
    full = model.read_map(path, profiles.load_profile("full"))
    data = model.read_map(path, profiles.load_profile("planning"))
    files, _ = export(data, tmp_path / "leak")
    gy = [s for s, c in zip(full.segments.columns["seg_id"], full.segments.columns["category"]) if c == "GY"]
    gy_points = [p for p, c in zip(full.points.columns["point_id"], full.points.columns["category"]) if c == "GY"]
    for f in files:
        raw = f.read_bytes()
        for c in ("utf-8", "gbk"):
            assert facts["contact"].encode(c) not in raw
        for sid in facts["restricted_segments"] + gy:
            assert f'"{sid}"'.encode() not in raw, sid
        assert b'"owner_contact"' not in raw and b'"remark"' not in raw and b'"survey_org"' not in raw
        assert b'"category": "GY"' not in raw
    points = json.loads(files[1].read_text(encoding="utf-8"))
    ids = {f["id"] for f in points["features"]}
    assert ids and not ids & (set(facts["secret_points"]) | set(gy_points))


def test_public_profile_rounds_positions(rich_map, tmp_path):
    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("public"))
    files, _ = export(data, tmp_path / "public")
    doc = json.loads(files[0].read_text(encoding="utf-8"))
    for feat in doc["features"]:
        assert set(feat["properties"]) == {"seg_id", "category", "subcategory"}
        for x, y, z in feat["place"]["coordinates"]:
            assert (x * 2) == round(x * 2) and (y * 2) == round(y * 2) and (z * 2) == round(z * 2)


def test_crs_without_epsg_code(rich_map, tmp_path):
    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("planning"))
    # a city grid given as WKT only: still transformable to WGS 84
    files, progress = export(dataclasses.replace(data, crs_authid="", crs_wkt=CUSTOM_TM), tmp_path / "tm")
    doc = json.loads(files[0].read_text(encoding="utf-8"))
    assert doc["coordRefSys"] == jsonfg.LOCAL_CRS_URI and doc["crsWkt"] == CUSTOM_TM
    assert all(f["geometry"] is not None for f in doc["features"])
    lon, lat, _ = doc["features"][0]["geometry"]["coordinates"][0]
    assert 113 < lon < 115 and 29 < lat < 32
    assert any("no EPSG code" in w for w in progress.warnings)
    # an engineering grid: no way to WGS 84, positions only in "place"
    files, progress = export(dataclasses.replace(data, crs_authid="", crs_wkt=LOCAL_WKT), tmp_path / "local")
    doc = json.loads(files[1].read_text(encoding="utf-8"))
    assert all(f["geometry"] is None and f["place"]["type"] == "Point" for f in doc["features"])
    assert any("cannot be transformed to WGS 84" in w for w in progress.warnings)


def test_unknown_z_makes_2d_positions(rich_map, tmp_path):
    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("full"))
    picks = model.LayerData.from_rows(
        "gpr_pick", model.PICK_FIELDS, [{"pick_id": "a", "confidence": 0.5}, {"pick_id": "b", "confidence": None}],
        np.array([[538000.0, 3380000.0, np.nan], [538001.0, 3380001.0, 19.5]]))
    files, _ = export(dataclasses.replace(data, picks=picks), tmp_path / "picks")
    assert files[-1].name == "pipemap_pick.json"
    doc = json.loads(files[-1].read_text(encoding="utf-8"))  # strict JSON: no NaN anywhere
    a, b = doc["features"]
    assert a["place"]["coordinates"] == [538000.0, 3380000.0] and len(a["geometry"]["coordinates"]) == 2
    assert b["place"]["coordinates"] == [538001.0, 3380001.0, 19.5]
    assert b["properties"]["confidence"] is None and a["properties"]["confidence"] == 0.5


def test_cancel_leaves_no_file(rich_map, tmp_path):
    from pipemap.core.errors import CancelledError

    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("full"))
    with pytest.raises(CancelledError):
        jsonfg.write(data, tmp_path, formats.ExportOptions(), RecordingProgress(cancel_after=1))
    assert list(tmp_path.iterdir()) == []
