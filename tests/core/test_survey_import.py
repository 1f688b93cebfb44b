"""Survey result tables into the integrated map (core, GDAL; no QGIS)."""

from __future__ import annotations

import csv
import hashlib
import math

import pytest

from pipemap.core import mapfile, sample_district
from pipemap.core.errors import InputError
from pipemap.core.survey import importer, tables, values
from pipemap.core.survey.profiles import load_profile


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_segments(path):
    from osgeo import ogr

    ds = ogr.Open(str(path))
    out = {}
    for f in ds.GetLayerByName("pipe_segment"):
        g = f.GetGeometryRef()
        out[f.GetField("seg_id")] = ([g.GetPoint(i) for i in range(g.GetPointCount())],
                                     {k: f.GetField(k) for k in ("category", "subcategory", "depth_ref", "dn_mm",
                                                                 "outer_diameter_mm", "width_mm", "height_mm",
                                                                 "material", "burial_method", "owner")})
    pts = {f.GetField("point_id"): (f.GetGeometryRef().GetPoint(), f.GetField("appurtenance"), f.GetField("feature"))
           for f in ds.GetLayerByName("pipe_point")}
    ds = None
    return out, pts


@pytest.fixture(scope="module")
def clean_district(tmp_path_factory):
    return sample_district.generate(tmp_path_factory.mktemp("clean"), errors=False)


@pytest.fixture
def new_map(tmp_path):
    path = tmp_path / "map.gpkg"
    mapfile.create_map(path, "EPSG:4547")
    return path


def write_csv(path, headers, rows, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(headers)
        w.writerows(rows)
    return path


# --- hand computations for each depth reference ---------------------------------

HAND_POINTS = [
    ["P1", "", "", "", "3380000.000", "538000.000", "30.000", "", "", "", ""],
    ["P2", "", "", "", "3380000.000", "538030.000", "30.300", "", "", "", ""],
]


@pytest.mark.parametrize("cat,size,material,ref,depths,expected", [
    # pressure pipe measured to the outer top: z = ground - depth - D_out/2; QM DN300 wall 7.2 -> D_out 0.3144
    ("JS", "DN300", "球墨铸铁", "", ("1.000", "1.100"), (30.0 - 1.0 - 0.1572, 30.3 - 1.1 - 0.1572)),
    # gravity drain measured to the inner invert: z = ground - depth + DN/2
    ("YS", "DN800", "混凝土", "", ("2.500", "2.600"), (30.0 - 2.5 + 0.4, 30.3 - 2.6 + 0.4)),
    # centre given explicitly
    ("JS", "DN200", "钢", "管中", ("1.200", "1.200"), (28.8, 29.1)),
    # duct bank measured to the structure top: z = top - H/2
    ("TX", "600X400", "混凝土", "沟顶", ("0.700", "0.800"), (30.0 - 0.7 - 0.2, 30.3 - 0.8 - 0.2)),
    # trench measured to the structure bottom: z = bottom + H/2
    ("DL", "1000X800", "砖", "沟底", ("2.000", "2.000"), (28.4, 28.7)),
    # direct-buried cable without a size: z = top
    ("DL", "", "铜", "", ("0.800", "0.900"), (29.2, 29.4)),
])
def test_centreline_z_for_each_reference(tmp_path, new_map, cat, size, material, ref, depths, expected):
    pts = write_csv(tmp_path / f"{cat}Point.csv", sample_district.POINT_HEADERS, HAND_POINTS)
    headers = ["起点点号", "终点点号", "起点埋深", "终点埋深", "材质", "管径", "埋深基准"]
    segs = write_csv(tmp_path / f"{cat}Line.csv", headers, [["P1", "P2", depths[0], depths[1], material, size, ref]])
    result = importer.import_survey(new_map, pts, segs)
    assert result.committed, [i.message for i in result.errors]
    segments, _ = read_segments(new_map)
    (coords, attrs), = segments.values()
    assert coords[0][2] == pytest.approx(expected[0], abs=0.001)
    assert coords[1][2] == pytest.approx(expected[1], abs=0.001)
    assert (coords[0][0], coords[0][1]) == (538000.0, 3380000.0), "X must be read as northing"


def test_sample_district_round_trip(clean_district, new_map):
    result = importer.import_survey(new_map, clean_district.tables)
    assert result.committed, [(i.file, i.row, i.message) for i in result.errors][:5]
    assert result.errors == []
    assert result.points_written == clean_district.n_points
    assert result.segments_written == clean_district.n_segments
    segments, points = read_segments(new_map)
    assert len(segments) == clean_district.n_segments and len(points) == clean_district.n_points
    cats = {a["category"] for _, a in segments.values()}
    assert cats == {"JS", "PS", "RQ", "RL", "DL", "TX", "GY", "QT"}
    by_ends = {}
    for sid, (coords, _attrs) in segments.items():
        prefix, start, end = sid.split("-")[0], *sid.split("-")[1:]
        by_ends[(start, end)] = coords
    checked = 0
    for (prefix, start, end), (z0, z1) in clean_district.expected_z.items():
        coords = by_ends[(start, end)]
        assert coords[0][2] == pytest.approx(z0, abs=0.001), (prefix, start, end)
        assert coords[1][2] == pytest.approx(z1, abs=0.001), (prefix, start, end)
        checked += 1
    assert checked == clean_district.n_segments
    refs = {a["depth_ref"] for _, a in segments.values()}
    assert refs == {"top", "invert", "struct_top"}


def test_seeded_errors_are_reported_at_their_rows(tmp_path, new_map):
    district = sample_district.generate(tmp_path / "d", errors=True)
    before = digest(new_map)
    result = importer.import_survey(new_map, district.tables)
    assert not result.committed
    assert digest(new_map) == before, "all-or-nothing must leave the map byte-identical"
    found = {(i.file, i.row, i.code) for i in result.issues}
    for err in district.errors:
        assert (err.file, err.row, err.code) in found, err
    for issue in result.errors:
        assert issue.file and issue.row, issue  # every error names file and row
    # valid-rows mode imports the rest and still reports every seeded error
    result2 = importer.import_survey(new_map, district.tables, mode="valid_rows")
    assert result2.committed
    found2 = {(i.file, i.row, i.code) for i in result2.issues}
    assert all((e.file, e.row, e.code) in found2 for e in district.errors)
    assert result2.segments_written == district.n_segments - len(district.errors) + 1  # dup point: no segment lost


def test_gbk_and_utf8_give_the_same_map(tmp_path):
    maps = []
    for enc in ("gbk", "utf-8"):
        d = sample_district.generate(tmp_path / enc, errors=False, encoding=enc)
        m = tmp_path / f"{enc}.gpkg"
        mapfile.create_map(m, "EPSG:4547")
        r = importer.import_survey(m, d.tables)
        assert r.committed
        maps.append(read_segments(m))
    assert maps[0] == maps[1]
    raw = (tmp_path / "gbk" / "tables" / "JSLine.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert tables.detect_encoding(raw) == "gb18030"


def test_excel_tables(tmp_path, new_map):
    from osgeo import gdal, ogr

    path = tmp_path / "JSPoint.xlsx"
    ds = gdal.GetDriverByName("XLSX").Create(str(path), 0, 0, 0, gdal.GDT_Unknown)
    lyr = ds.CreateLayer("点表", None, ogr.wkbNone)
    for h in ("图上点号", "X", "Y", "地面高程"):
        lyr.CreateField(ogr.FieldDefn(h, ogr.OFTString))
    for pid, x, y, g in (("A1", "3380000", "538000", "30"), ("A2", "3380010", "538000", "30.5")):
        f = ogr.Feature(lyr.GetLayerDefn())
        for h, v in zip(("图上点号", "X", "Y", "地面高程"), (pid, x, y, g)):
            f.SetField(h, v)
        lyr.CreateFeature(f)
    ds = None
    segs = write_csv(tmp_path / "JSLine.csv", ["起点点号", "终点点号", "起点埋深", "终点埋深", "管径", "材质"],
                     [["A1", "A2", "1.0", "1.0", "DN100", "PE"]])
    result = importer.import_survey(new_map, path, segs)
    assert result.committed, [i.message for i in result.issues]
    segments, points = read_segments(new_map)
    assert set(points) == {"A1", "A2"}
    (coords, _), = segments.values()
    assert coords[1][1] == pytest.approx(3380010.0)


def test_zone_prefixed_eastings_and_swapped_columns(tmp_path, new_map):
    rows = [["P1", "3380000.000", "38538000.000", "30.0"], ["P2", "3380000.000", "38538030.000", "30.0"]]
    pts = write_csv(tmp_path / "JSPoint.csv", ["图上点号", "X", "Y", "地面高程"], rows)
    segs = write_csv(tmp_path / "JSLine.csv", ["起点点号", "终点点号", "起点埋深", "终点埋深", "管径"],
                     [["P1", "P2", "1", "1", "DN100"]])
    result = importer.import_survey(new_map, pts, segs, crs="EPSG:4547")
    assert result.committed, [i.message for i in result.issues]
    assert any("zone prefix" in n for n in result.notes)
    segments, _ = read_segments(new_map)
    (coords, _), = segments.values()
    assert coords[0][0] == pytest.approx(538000.0, abs=0.01)
    # the same table read as easting-first is refused, not silently swapped
    swapped = write_csv(tmp_path / "b" / "JSPoint.csv" if (tmp_path / "b").mkdir() is None else None,
                        ["point_id", "x", "y", "ground_elev"], [["P1", "3380000", "538000", "30"],
                                                               ["P2", "3380000", "538030", "30"]])
    segs2 = write_csv(tmp_path / "b" / "JSLine.csv", ["start_point", "end_point", "start_depth", "end_depth"],
                      [["P1", "P2", "1", "1"]])
    before = digest(new_map)
    result = importer.import_survey(new_map, swapped, segs2, profile="en")
    assert not result.committed
    assert any(i.code == "crs.xy_swapped" for i in result.errors)
    assert digest(new_map) == before


def test_reimport_updates_instead_of_duplicating(clean_district, new_map):
    importer.import_survey(new_map, clean_district.tables)
    result = importer.import_survey(new_map, clean_district.tables)
    assert result.committed
    assert result.segments_updated == clean_district.n_segments
    segments, points = read_segments(new_map)
    assert len(segments) == clean_district.n_segments


def test_import_committed_in_chunks_writes_the_same_map(clean_district, tmp_path, monkeypatch):
    """Large imports commit their private copy in chunks (COMMIT_EVERY); chunks of 7 features give the same
    map as one transaction, and a re-import (deletes, then writes) too."""
    maps = {}
    for name, every in (("whole", importer.COMMIT_EVERY), ("chunked", 7)):
        maps[name] = tmp_path / f"{name}.gpkg"
        mapfile.create_map(maps[name], "EPSG:4547")
        with monkeypatch.context() as m:
            m.setattr(importer, "COMMIT_EVERY", every)
            for _ in range(2):
                assert importer.import_survey(maps[name], clean_district.tables).committed
    whole, chunked = read_segments(maps["whole"]), read_segments(maps["chunked"])
    assert len(whole[0]) == clean_district.n_segments and len(whole[1]) > 100
    assert whole == chunked


@pytest.mark.parametrize("content,code", [
    (b"", "table.empty"),
    (b"\x00\x01\x02binary\x00" * 10, "table.binary"),
    (b"\n\n\n", "table.no_header"),
])
def test_malformed_files_give_clear_errors(tmp_path, new_map, content, code):
    bad = tmp_path / "JSPoint.csv"
    bad.write_bytes(content)
    with pytest.raises(InputError) as err:
        importer.import_survey(new_map, bad)
    assert err.value.code == code
    assert "JSPoint.csv" in str(err.value)


def test_broken_encoding_and_missing_columns(tmp_path, new_map):
    bad = tmp_path / "JSPoint.csv"
    bad.write_bytes("图上点号,X,Y\n".encode() + b"\xff\xfe\xfa\xfb,1,2\n" * 3)
    with pytest.raises(InputError) as err:
        importer.import_survey(new_map, bad, encoding="utf-8")
    assert "line 2" in str(err.value)
    nocol = write_csv(tmp_path / "JSLine.csv", ["起点", "埋深"], [["A", "1"]])
    pts = write_csv(tmp_path / "JSPoint2.csv", ["图上点号", "X"], [["A", "1"]])
    result = importer.import_survey(new_map, pts, nocol)
    assert not result.committed
    codes = {i.code for i in result.errors}
    assert "table.missing_column" in codes


def test_wrong_types_are_cell_errors(tmp_path, new_map):
    pts = write_csv(tmp_path / "JSPoint.csv", ["图上点号", "X", "Y", "地面高程"],
                    [["P1", "3380000", "538000", "abc"], ["P2", "3380010", "538000", "30"]])
    segs = write_csv(tmp_path / "JSLine.csv", ["起点点号", "终点点号", "起点埋深", "终点埋深", "管径"],
                     [["P1", "P2", "one", "1", "DNxyz"]])
    result = importer.import_survey(new_map, pts, segs)
    got = {(i.file, i.row, i.code, i.column) for i in result.errors}
    assert ("JSPoint.csv", 2, "cell.not_number", "地面高程") in got
    assert ("JSLine.csv", 2, "cell.not_number", "起点埋深") in got
    assert ("JSLine.csv", 2, "seg.bad_size", "管径") in got


def test_million_row_table_is_read_and_a_missing_column_named(tmp_path, new_map):
    big = tmp_path / "JSPoint.csv"
    with open(big, "w", encoding="utf-8") as fh:
        fh.write("图上点号,X,地面高程\n")
        for i in range(1_000_000):
            fh.write(f"P{i},{3380000 + i % 1000},30\n")
    result = importer.import_survey(new_map, big)
    assert not result.committed
    missing = [i for i in result.errors if i.code == "table.missing_column"]
    assert missing and "y" in missing[0].message.lower()


def test_size_parsing():
    assert values.parse_size("DN300") == values.Size("circular", dn_mm=300)
    assert values.parse_size("Φ150") == values.Size("circular", dn_mm=150)
    assert values.parse_size("600X300") == values.Size("box", width_mm=600, height_mm=300)
    assert values.parse_size("600×300") == values.Size("box", width_mm=600, height_mm=300)
    assert values.parse_size("") is None
    for bad in ("DN", "abc", "0", "600X"):
        with pytest.raises(ValueError):
            values.parse_size(bad)


def test_user_profile_file(tmp_path, new_map):
    prof = tmp_path / "city.json"
    prof.write_text('{"base": "zh", "points": {"point_id": ["编号"], "ground_elev": ["地面标高"]}}',
                    encoding="utf-8")
    assert load_profile(prof).points["point_id"] == ["编号"]
    pts = write_csv(tmp_path / "JSPoint.csv", ["编号", "X", "Y", "地面标高"],
                    [["A", "3380000", "538000", "30"], ["B", "3380010", "538000", "30"]])
    segs = write_csv(tmp_path / "JSLine.csv", ["起点点号", "终点点号", "起点埋深", "终点埋深"], [["A", "B", "1", "1"]])
    assert importer.import_survey(new_map, pts, segs, profile=str(prof)).committed
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError):
        load_profile(bad)


def test_no_silent_drops(tmp_path, new_map):
    """Every row read is either written or named in an issue."""
    district = sample_district.generate(tmp_path / "d", errors=True)
    result = importer.import_survey(new_map, district.tables, mode="valid_rows")
    segments, points = read_segments(new_map)
    rows_with_errors = {(i.file, i.row) for i in result.issues if i.severity == "error" or
                        i.code == "seg.point_rejected"}
    assert result.segments_read - len(segments) <= len({r for r in rows_with_errors if "Line" in r[0]})
    assert result.points_read - len(points) <= len({r for r in rows_with_errors if "Point" in r[0]})
    assert not math.isnan(result.points_read)
