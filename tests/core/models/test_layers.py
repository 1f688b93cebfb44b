"""Other systems' GIS layers into the map: OSM, DXF with layer names, a city GIS with a mapping file."""

from __future__ import annotations

import json
import math
import shutil
from collections import Counter

import pytest

from pipemap.core.errors import InputError
from pipemap.core.models import layers

from .conftest import network, read_layer

OSM = "osm_helsinki_utilities_fi/helsinki_osm_utilities.gpkg"


def osm_tags(path, layer: str) -> dict[str, dict[str, str]]:
    """osm_id -> tags, read with OGR and parsed here (independently of the importer)."""
    from osgeo import ogr

    ds = ogr.Open(str(path))
    out = {}
    for f in ds.GetLayerByName(layer):
        text = f.GetField("other_tags") or ""
        tags = {}
        for pair in text.split('","'):
            k, _, v = pair.strip('"').partition('"=>"')
            tags[k] = v
        out[f.GetField("osm_id")] = tags
    ds = None
    return out


@pytest.fixture
def osm_copy(tmp_path):
    src = network(OSM)
    target = tmp_path / "in" / src.name
    target.parent.mkdir()
    shutil.copyfile(src, target)
    return target


def test_osm_extract_with_the_osm_mapping(osm_copy, new_map):
    target = new_map("EPSG:3067")
    result = layers.import_layers(target, str(osm_copy), mapping="osm")
    assert result.committed
    assert result.counts == {"utility_lines": 78, "utility_points": 434}
    lines, points = osm_tags(osm_copy, "utility_lines"), osm_tags(osm_copy, "utility_points")
    segs = read_layer(target, "pipe_segment")
    pts = read_layer(target, "pipe_point")
    assert len(segs) == 78
    no_cat = {i.ref for i in result.issues if i.code == "feature.no_category"}
    assert len(pts) == 434 - len(no_cat)
    assert all(ref.startswith("utility_points/") for ref in no_cat)
    # categories against the tags read here
    for osm_id, tags in lines.items():
        row = segs[(osm_copy.name, f"utility_lines/{osm_id}")]
        kind = tags.get("substance") or tags.get("type")
        want = {"water": "JS", "heat": "RL", "gas": "RQ", "cold": "QT", None: "QT"}[kind]
        assert row["category"] == want, (osm_id, tags)
        if kind is None:
            assert row["subcategory"] == "BM"
        if tags.get("diameter", "").isdigit():
            assert row["dn_mm"] == pytest.approx(float(tags["diameter"]))
        assert all(math.isnan(p[2]) for p in row["_xyz"])  # no depth anywhere: z unknown
    hydrants = [i for i, t in points.items() if t.get("emergency") == "fire_hydrant"]
    assert len(hydrants) == 37
    for osm_id in hydrants:
        row = pts[(osm_copy.name, f"utility_points/{osm_id}")]
        assert (row["category"], row["appurtenance"]) == ("JS", "hydrant")
    drains = [i for i, t in points.items() if t.get("manhole") == "drain"]
    assert {pts[(osm_copy.name, f"utility_points/{i}")]["category"] for i in drains} == {"PS"}
    assert any(i.code == "line.no_z" for i in result.issues)
    # EPSG:4326 -> EPSG:3067: central Helsinki lies near E 385 000, N 6 672 000
    x, y, _ = next(iter(pts.values()))["_xyz"][0]
    assert 380_000 < x < 390_000 and 6_668_000 < y < 6_676_000

    # re-importing one layer updates it and leaves the other layer alone
    again = layers.import_layers(target, f"{osm_copy}|layername=utility_lines", mapping="osm")
    assert (again.segments_updated, again.points_written, again.points_removed) == (78, 0, 0)
    assert len(read_layer(target, "pipe_point")) == len(pts)


def test_dxf_layer_names_and_3d_polylines(tmp_path, new_map):
    ezdxf = pytest.importorskip("ezdxf")
    doc = ezdxf.new("R2010")
    msp = doc.modelspace()
    x0, y0 = 500_000, 3_000_000
    msp.add_polyline3d([(x0 + 100, y0 + 100, 48.0), (x0 + 150, y0 + 100, 47.5), (x0 + 200, y0 + 120, 47.0)],
                       dxfattribs={"layer": "JS_给水"})
    msp.add_polyline3d([(x0 + 100, y0 + 200, 45.0), (x0 + 200, y0 + 200, 44.0)], dxfattribs={"layer": "YS-main"})
    msp.add_polyline3d([(x0 + 100, y0 + 300, 49.0), (x0 + 200, y0 + 300, 49.0)], dxfattribs={"layer": "电力"})
    msp.add_polyline3d([(x0 + 100, y0 + 400, 49.0), (x0 + 200, y0 + 400, 49.0)], dxfattribs={"layer": "TEXT-NOTES"})
    msp.add_point((x0 + 100, y0 + 100, 50.0), dxfattribs={"layer": "JS_给水"})
    path = tmp_path / "cad.dxf"
    doc.saveas(path)
    target = new_map("EPSG:4547")
    result = layers.import_layers(target, str(path), crs="EPSG:4547", z_reference="centre")
    assert result.committed
    segs = read_layer(target, "pipe_segment")
    cats = Counter((r["category"], r["subcategory"]) for r in segs.values())
    assert cats == {("JS", None): 1, ("PS", "YS"): 1, ("DL", None): 1}
    js = next(r for r in segs.values() if r["category"] == "JS")
    assert [p[2] for p in js["_xyz"]] == pytest.approx([48.0, 47.5, 47.0])  # centre reference: z as drawn
    assert js["start_point"] is not None  # the DXF point at its start
    pts = read_layer(target, "pipe_point")
    assert len(pts) == 1 and next(iter(pts.values()))["_xyz"][0][2] == pytest.approx(50.0)
    errors = [i for i in result.issues if i.code == "feature.no_category"]
    assert len(errors) == 1 and "TEXT-NOTES" in errors[0].message
    assert result.skipped.get("no category") == 1


def make_dem(path, x0: float, y0: float, size: int, cell: float, z0: float, slope_x: float, epsg: int) -> None:
    import numpy as np
    from osgeo import gdal, osr

    ds = gdal.GetDriverByName("GTiff").Create(str(path), size, size, 1, gdal.GDT_Float32)
    ds.SetGeoTransform((x0, cell, 0, y0 + size * cell, 0, -cell))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    ds.SetProjection(srs.ExportToWkt())
    cols = x0 + (np.arange(size) + 0.5) * cell
    data = np.tile(z0 + slope_x * (cols - x0), (size, 1)).astype("float32")
    ds.GetRasterBand(1).WriteArray(data)
    ds = None


def city_gis(path) -> None:
    """A small utility GIS with its own field names, sizes in inches and cover in feet."""
    from osgeo import ogr, osr

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4547)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    lyr = ds.CreateLayer("mains", srs, ogr.wkbLineString)
    for name, kind in (("ASSET", ogr.OFTString), ("UTIL", ogr.OFTString), ("DIAM", ogr.OFTReal),
                       ("COVER_FT", ogr.OFTReal), ("MAT", ogr.OFTString), ("INV_US", ogr.OFTReal),
                       ("INV_DS", ogr.OFTReal)):
        lyr.CreateField(ogr.FieldDefn(name, kind))
    rows = [("W-1", "WATERMAIN", 12, 4.0, "DI", None, None, "LINESTRING (500010 3000010, 500090 3000010)"),
            ("S-1", "SANITARY", 24, None, "RCP", 40.0, 39.5, "LINESTRING (500010 3000050, 500090 3000050)"),
            ("W-2", "WATERMAIN", 8, None, "PVC", None, None, "LINESTRING (500010 3000080, 500090 3000080)")]
    for asset, util, diam, cover, mat, inv_us, inv_ds, wkt in rows:
        f = ogr.Feature(lyr.GetLayerDefn())
        for name, value in (("ASSET", asset), ("UTIL", util), ("DIAM", diam), ("COVER_FT", cover), ("MAT", mat),
                            ("INV_US", inv_us), ("INV_DS", inv_ds)):
            if value is not None:
                f.SetField(name, value)
        f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        lyr.CreateFeature(f)
    ds = None


def test_city_gis_with_a_mapping_file_depths_elevations_and_a_dem(tmp_path, new_map):
    gis = tmp_path / "city.gpkg"
    city_gis(gis)
    dem = tmp_path / "dem.tif"
    make_dem(dem, 500000, 3000000, 100, 1.0, 50.0, 0.01, 4547)  # ground rises 1 cm per metre to the east
    mapping = tmp_path / "city.json"
    mapping.write_text(json.dumps({
        "name": "city", "id_field": "ASSET", "category_field": "UTIL",
        "categories": {"WATERMAIN": "JS", "SANIT*": "WS"},
        "fields": {"dn": "DIAM", "depth": "COVER_FT", "material": "MAT", "start_elev": "INV_US",
                   "end_elev": "INV_DS"},
        "values": {"material": {"DI": "QM", "RCP": "T"}},
        "units": {"dn": "in", "depth": "ft"},
    }), "utf-8")
    target = new_map("EPSG:4547")
    result = layers.import_layers(target, str(gis), mapping=str(mapping), ground=str(dem), default_cover_m=1.2)
    assert result.committed, result.issues
    segs = read_layer(target, "pipe_segment")
    w1 = segs[("city.gpkg", "mains/W-1")]
    assert (w1["category"], w1["material"], w1["dn_mm"]) == ("JS", "QM", pytest.approx(12 * 25.4))
    outer = w1["outer_diameter_mm"] / 1000.0
    assert outer > 12 * 0.0254  # ductile iron: the wall from the material table
    for x, _, z in (w1["_xyz"][0], w1["_xyz"][-1]):
        ground = 50.0 + 0.01 * (x - 500000)
        assert z == pytest.approx(ground - 4.0 * 0.3048 - outer / 2.0, abs=0.002)  # top at 4 ft below ground
    s1 = segs[("city.gpkg", "mains/S-1")]
    assert (s1["category"], s1["subcategory"], s1["depth_ref"]) == ("PS", "WS", "invert")
    assert s1["_xyz"][0][2] == pytest.approx(40.0 + 24 * 0.0254 / 2.0, abs=1e-6)  # invert + half the inner size
    assert s1["_xyz"][-1][2] == pytest.approx(39.5 + 24 * 0.0254 / 2.0, abs=1e-6)
    w2 = segs[("city.gpkg", "mains/W-2")]  # no depth: the default cover below the DEM at every vertex
    outer2 = w2["outer_diameter_mm"] / 1000.0
    assert w2["_xyz"][0][2] == pytest.approx(50.1 - 1.2 - outer2 / 2.0, abs=0.002)
    assert w2["_xyz"][-1][2] == pytest.approx(50.9 - 1.2 - outer2 / 2.0, abs=0.002)
    assert "default depth below the DEM 1" in " ".join(result.notes)


def test_category_parameter_overrides_and_unknown_categories_are_left_out(tmp_path, new_map):
    gis = tmp_path / "city.gpkg"
    city_gis(gis)
    target = new_map("EPSG:4547")
    result = layers.import_layers(target, str(gis), category="gas", elevation_field="INV_US", z_reference="top")
    segs = read_layer(target, "pipe_segment")
    assert {r["category"] for r in segs.values()} == {"RQ"} and len(segs) == 3
    assert segs[("city.gpkg", "mains/1")]["_xyz"][0][2] is not None  # no id field mapped: the feature id
    s1 = next(r for r in segs.values() if r["remark"] is None and r["start_elev_m"] is not None)
    assert s1["_xyz"][0][2] == pytest.approx(40.0)  # elevation of the top, no size known: z = 40
    assert result.counts == {"mains": 3}
    target2 = new_map("EPSG:4547", name="m2.gpkg")
    result = layers.import_layers(target2, str(gis), category_field="UTIL")  # WATERMAIN: unknown, SANITARY: WS
    assert result.committed and result.segments_written == 1
    assert [i.code for i in result.errors] == ["feature.no_category"] * 2
    assert "UTIL=WATERMAIN" in result.errors[0].message
    assert {(r["category"], r["subcategory"]) for r in read_layer(target2, "pipe_segment").values()} == {("PS", "WS")}
    target3 = new_map("EPSG:4547", name="m3.gpkg")
    before = target3.read_bytes()
    mapping = tmp_path / "nothing.json"
    mapping.write_text(json.dumps({"category_field": "ASSET"}), "utf-8")  # W-1, S-1, W-2: no category at all
    result = layers.import_layers(target3, str(gis), mapping=str(mapping))
    assert not result.committed and len(result.errors) == 3
    assert target3.read_bytes() == before


@pytest.mark.parametrize("content, match", [
    ({"fields": {"colour": "C"}}, "unknown attribute"),
    ({"units": {"dn": "furlong"}}, "unknown unit"),
    ({"z_reference": "middle"}, "z_reference"),
    ({"base": "esri"}, "base must be"),
    ({"frobnicate": 1}, "unknown entry"),
])
def test_bad_mapping_files_are_refused(tmp_path, content, match):
    path = tmp_path / "m.json"
    path.write_text(json.dumps(content), "utf-8")
    with pytest.raises(InputError, match=match):
        layers.load_mapping(str(path))


def test_hstore_parser():
    tags = layers.parse_hstore('"a"=>"1","b:c"=>"x \\"q\\" y","n"=>NULL')
    assert tags == {"a": "1", "b:c": 'x "q" y', "n": ""}


def test_vsa_dss_interlis_reaches_as_2d_segments(tmp_path, new_map):
    """The Swiss VSA-DSS test data set (INTERLIS 2 XTF): its 102 reaches (Haltung) through OGR's Interlis 2
    driver, with the clear height (Lichte_Hoehe, mm) as DN. Levels live on the reach points, which a field
    mapping cannot join: z stays unknown."""
    src = network("vsa_dss_teksi_testdata_ch/test-dataset-DSS.xtf")
    mapping = tmp_path / "vsa.yaml"
    mapping.write_text("name: VSA-DSS reaches\nid_field: TID\ncategory_field: []\n"
                       "fields: {dn: Lichte_Hoehe, remark: Bezeichnung}\n", "utf-8")
    target = new_map("EPSG:2056")
    result = layers.import_layers(target, str(src), ["DSS_2020_1_LV95.Siedlungsentwaesserung.Haltung"],
                                  mapping=str(mapping), category="sewage")
    assert result.committed and result.segments_written == 102
    segs = read_layer(target, "pipe_segment")
    assert sum(1 for r in segs.values() if r["dn_mm"]) == 92  # SOURCES.md: Lichte_Hoehe on 92 reaches
    assert {(r["category"], r["subcategory"]) for r in segs.values()} == {("PS", "WS")}
    xs = [p[0] for r in segs.values() for p in r["_xyz"]]
    assert 2_635_000 < min(xs) and max(xs) < 2_654_000  # LV95 eastings of the data set
