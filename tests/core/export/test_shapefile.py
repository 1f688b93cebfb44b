"""Shapefile export, read back with OGR (UTF-8 and GBK), field map and format limits."""

from __future__ import annotations

import csv
import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest

from pipemap.core.export import formats, model, profiles, shapefile
from pipemap.core.export.writeutil import iso_datetime
from pipemap.core.progress import RecordingProgress


def export(data, folder: Path, **opts):
    folder.mkdir(parents=True, exist_ok=True)
    progress = RecordingProgress()
    files = shapefile.write(data, folder, formats.ExportOptions(**opts), progress)
    assert sorted(p.name for p in folder.iterdir()) == sorted(f.name for f in files), "no temporary file left"
    return files, progress


def fieldmap(folder: Path, base: str = "pipemap") -> list[dict[str, str]]:
    with open(folder / f"{base}_fieldmap.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def read_layer(path: Path):
    """(fields, rows, coords) of a shapefile read with OGR."""
    from osgeo import ogr

    ds = ogr.Open(str(path))
    try:
        lyr = ds.GetLayer(0)
        defn = lyr.GetLayerDefn()
        names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
        rows, coords = [], []
        for feat in lyr:
            rows.append({n: (feat.GetField(i) if feat.IsFieldSetAndNotNull(i) else None) for i, n in enumerate(names)})
            g = feat.GetGeometryRef()
            coords.append(g.GetPoints() if g is not None else None)
        return names, rows, coords, ogr.GeometryTypeToName(lyr.GetGeomType()), lyr.GetSpatialRef()
    finally:
        ds = None


def expected(kind: str, value, codec: str = "utf-8"):
    if value is None:
        return None
    if kind == "real" and math.isnan(value):
        return None
    if kind == "date":
        return value  # OGR gives dates back as YYYY/MM/DD
    if kind == "datetime":
        return iso_datetime(value)
    if kind == "text":
        if value == "":
            return None
        cut = value.encode(codec)[:254].decode(codec, "ignore")
        return cut
    return value


def assert_layer_equal(folder: Path, stem: str, layer, codec: str = "utf-8") -> None:
    names, rows, coords, geom_type, srs = read_layer(folder / f"{stem}.shp")
    mapping = {r["pipemap_field"]: r["shapefile_field"] for r in fieldmap(folder) if r["layer"] == stem}
    assert geom_type == ("3D Line String" if layer.is_line else "3D Point")
    assert srs is not None and srs.IsProjected()
    assert names == [mapping[f.name] for f in layer.fields]
    assert len(rows) == len(layer)
    for i, row in enumerate(rows):
        for f in layer.fields:
            assert row[mapping[f.name]] == expected(f.type, layer.columns[f.name][i], codec), (stem, i, f.name)
        want = layer.coords(i)
        got = np.array(coords[i])
        assert got.shape == want.shape
        assert np.array_equal(got, want), (stem, i)


def test_utf8_reads_back_equal_with_chinese_and_hostile_text(rich_map, tmp_path):
    path, _, facts = rich_map
    data = model.read_map(path, profiles.load_profile("full"))
    files, progress = export(data, tmp_path / "utf8")
    folder = tmp_path / "utf8"
    names = {f.name for f in files}
    for stem in ("pipemap_segment", "pipemap_point"):
        assert {f"{stem}{ext}" for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg")} <= names
        assert (folder / f"{stem}.cpg").read_text() == "UTF-8"
        assert "Gauss" in (folder / f"{stem}.prj").read_text() or "GK" in (folder / f"{stem}.prj").read_text()
    assert_layer_equal(folder, "pipemap_segment", data.segments)
    assert_layer_equal(folder, "pipemap_point", data.points)
    _, rows, _, _, _ = read_layer(folder / "pipemap_segment.shp")
    ids = [r["seg_id"] for r in rows]
    assert facts["chinese_id"] in ids
    hostile = rows[ids.index(facts["hostile_segment"])]
    assert hostile["remark"] == facts["hostile"][0]
    assert hostile["road"] == facts["hostile"][1]
    assert hostile["owner"] == "x" * 254  # 600 characters cut to the 254-byte limit
    assert any("owner" in w and "cut" in w and "1 values" in w for w in progress.warnings), progress.warnings
    assert rows[0]["modified"].endswith("Z") and "T" in rows[0]["modified"]


def test_gbk_reads_back_equal_and_is_gbk_on_disk(rich_map, tmp_path):
    path, _, facts = rich_map
    data = model.read_map(path, profiles.load_profile("full"))
    folder = tmp_path / "gbk"
    export(data, folder, encoding="GBK")
    assert (folder / "pipemap_segment.cpg").read_text() == "GBK"
    assert_layer_equal(folder, "pipemap_segment", data.segments, "gbk")
    assert_layer_equal(folder, "pipemap_point", data.points, "gbk")
    raw = (folder / "pipemap_segment.dbf").read_bytes()
    assert facts["chinese_id"].encode("gbk") in raw
    assert facts["chinese_id"].encode("utf-8") not in raw
    assert facts["hostile"][1].encode("gbk") in raw


def test_gbk_reports_characters_it_cannot_encode(rich_map, tmp_path):
    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("full"))
    remark = list(data.segments.columns["remark"])
    remark[0] = "𠀀 rare character and emoji 😀 in 给水"
    remark[1] = "plain 给水"
    segs = dataclasses.replace(data.segments, columns={**data.segments.columns, "remark": remark})
    data = dataclasses.replace(data, segments=segs)
    folder = tmp_path / "gbk_bad"
    _, progress = export(data, folder, encoding="GBK")
    warn = [w for w in progress.warnings if "cannot encode" in w]
    assert len(warn) == 1 and "1 values of remark" in warn[0] and "UTF-8" in warn[0]
    _, rows, _, _, _ = read_layer(folder / "pipemap_segment.shp")
    assert rows[0]["remark"] == "? rare character and emoji ? in 给水"
    assert rows[1]["remark"] == "plain 给水"


def test_field_names_are_short_unique_and_mapped(rich_map, tmp_path):
    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("full"))
    folder = tmp_path / "names"
    export(data, folder)
    rows = fieldmap(folder)
    assert list(rows[0]) == ["layer", "shapefile_field", "pipemap_field", "type", "description"]
    for stem, layer in (("pipemap_segment", data.segments), ("pipemap_point", data.points)):
        mine = [r for r in rows if r["layer"] == stem and r["shapefile_field"] != "(geometry)"]
        assert [r["pipemap_field"] for r in mine] == layer.field_names
        short = [r["shapefile_field"] for r in mine]
        assert all(len(s) <= 10 and s.isascii() for s in short)
        assert len({s.lower() for s in short}) == len(short)
        geom = [r for r in rows if r["layer"] == stem and r["shapefile_field"] == "(geometry)"]
        assert len(geom) == 1 and "-9999" in geom[0]["description"]
    seg = {r["pipemap_field"]: r for r in rows if r["layer"] == "pipemap_segment"}
    assert seg["outer_diameter_mm"]["shapefile_field"] == "outer_d_mm"
    assert seg["start_depth_m"]["type"].startswith("real")
    assert seg["modified_at"]["type"].startswith("datetime (ISO 8601 text)")
    pts = {r["pipemap_field"]: r for r in rows if r["layer"] == "pipemap_point"}
    assert "图上点号" in pts["point_id"]["description"]


def test_field_name_mapping_is_deterministic_and_unique():
    names = ["a_very_long_name_one", "a_very_long_name_two", "A_VERY_LONG_name_3", "x-y z", "seg_id"]
    first = shapefile.field_names(names)
    assert first == shapefile.field_names(list(names))
    assert first["a_very_long_name_one"] == "a_very_lon"
    assert first["a_very_long_name_two"] == "a_very_l_1"
    assert first["A_VERY_LONG_name_3"] == "A_VERY_L_2"
    assert first["x-y z"] == "x_y_z"
    assert len({v.lower() for v in first.values()}) == len(names)


def test_unknown_z_gets_the_documented_nodata(rich_map, tmp_path):
    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("full"))
    picks = model.LayerData.from_rows(
        "gpr_pick", model.PICK_FIELDS,
        [{"pick_id": "p1", "depth_m": 1.2}, {"pick_id": "p2", "depth_m": None}, {"pick_id": "p3"}],
        np.array([[538000.0, 3380000.0, np.nan], [538001.0, 3380001.0, 19.5], [np.nan, np.nan, np.nan]]))
    folder = tmp_path / "nanz"
    _, progress = export(dataclasses.replace(data, picks=picks), folder)
    _, rows, coords, _, _ = read_layer(folder / "pipemap_pick.shp")
    assert [r["pick_id"] for r in rows] == ["p1", "p2", "p3"]
    assert rows[1]["depth_m"] is None
    assert coords[0][0][2] == shapefile.NODATA_Z and coords[1][0][2] == 19.5
    assert coords[2] is None  # no position: a null shape, the attributes kept
    assert any("1 features have an unknown elevation" in w for w in progress.warnings)


def test_planning_leaves_nothing_withheld_in_the_bytes(rich_map, tmp_path):
    path, _, facts = rich_map
    full = model.read_map(path, profiles.load_profile("full"))
    data = model.read_map(path, profiles.load_profile("planning"))
    gy = [s for s, c in zip(full.segments.columns["seg_id"], full.segments.columns["category"]) if c == "GY"]
    for enc, codec in (("UTF-8", "utf-8"), ("GBK", "gbk")):
        folder = tmp_path / f"leak_{enc}"
        files, _ = export(data, folder, encoding=enc)
        for f in files:
            raw = f.read_bytes()
            for c in ("utf-8", "gbk"):
                assert facts["contact"].encode(c) not in raw, (f.name, c)
            for sid in facts["restricted_segments"] + gy:
                assert sid.encode() not in raw, (f.name, sid)
            if f.name == "pipemap_point.dbf":  # (segments name their end points, secret or not)
                for pid in facts["secret_points"]:
                    assert f"{pid} ".encode() not in raw, (f.name, pid)
            assert b"contact" not in raw and b"surv_org" not in raw and b"remark" not in raw, f.name
        _, points, _, _, _ = read_layer(folder / "pipemap_point.shp")
        assert points and not {r["point_id"] for r in points} & set(facts["secret_points"])
        _, rows, _, _, _ = read_layer(folder / "pipemap_segment.shp")
        assert "GY" not in {r["category"] for r in rows}
        assert facts["chinese_id"] in {r["seg_id"] for r in rows}
        assert facts["chinese_id"].encode(codec) in (folder / "pipemap_segment.dbf").read_bytes()


def test_bad_encoding_is_refused(rich_map, tmp_path):
    from pipemap.core.errors import InputError

    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("public"))
    with pytest.raises(InputError, match="encoding latin-1 is not supported"):
        shapefile.write(data, tmp_path, formats.ExportOptions(encoding="latin-1"), RecordingProgress())
    assert list(tmp_path.iterdir()) == []


def test_cancel_leaves_no_file(rich_map, tmp_path):
    from pipemap.core.errors import CancelledError

    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("full"))
    for n in (1, 2):
        folder = tmp_path / f"cancel{n}"
        folder.mkdir()
        with pytest.raises(CancelledError):
            shapefile.write(data, folder, formats.ExportOptions(), RecordingProgress(cancel_after=n))
        assert list(folder.iterdir()) == []
