"""The sample district created, imported, checked and exported entirely on PostGIS, through Processing and
through the real qgis_process; the in-database checks give the in-process findings."""

from __future__ import annotations

import json
import os
import subprocess

import numpy as np
import pipemap_test_pgsupport as support  # (loaded by tests/conftest.py)
import pytest

pytestmark = pytest.mark.qgis


@pytest.fixture(scope="module")
def postgis():
    """The session's PostGIS test database (shared with tests/pg)."""
    return support.database()


@pytest.fixture(scope="module")
def district_map(imported_district, postgis):
    """The sample district transferred into PostGIS once for this module (read only)."""
    from pipemap.core.pg import transfer
    from pipemap.core.pg.connect import parse_map

    pg_map = parse_map(support.map_string(postgis, support.unique_schema("district")))
    transfer.transfer(imported_district[0], pg_map)
    return pg_map


def _rules():
    from pipemap.core.checks.rules import RuleSet

    return RuleSet.shipped()


def _pipes(gpkg):
    from pipemap.core import mapread
    from pipemap.core.checks.pipes import Pipes

    return Pipes.from_segments(mapread.read_segments(gpkg), _rules())


def _roads(district):
    import shapely
    from osgeo import ogr

    ds = ogr.Open(str(district.roads))
    try:
        return [shapely.from_wkb(bytes(f.GetGeometryRef().ExportToWkb())) for f in ds.GetLayerByName("carriageway")]
    finally:
        ds = None  # noqa: F841


def _pit(district):
    import shapely

    from pipemap.core import sample_district

    x, y = sample_district.ORIGIN
    return shapely.box(x - 30, y - 30, x + 30, y + 30)


def write_excavations(path, district):
    """A polygon layer (GeoPackage) with one pit, 3 m deep."""
    from osgeo import ogr, osr

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4547)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = ds.CreateLayer("pits", srs, ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("name", ogr.OFTString))
    layer.CreateField(ogr.FieldDefn("depth", ogr.OFTReal))
    f = ogr.Feature(layer.GetLayerDefn())
    f.SetField("name", "pit 1")
    f.SetField("depth", 3.0)
    f.SetGeometry(ogr.CreateGeometryFromWkt(_pit(district).wkt))
    layer.CreateFeature(f)
    ds = None  # noqa: F841
    return path


def read_rows(path):
    from osgeo import ogr

    ds = ogr.Open(str(path))
    try:
        layer = ds.GetLayer(0)
        names = [layer.GetLayerDefn().GetFieldDefn(i).GetName() for i in range(layer.GetLayerDefn().GetFieldCount())]
        return [dict(zip(names, (f.GetField(n) for n in names))) for f in layer]
    finally:
        ds = None  # noqa: F841


def clash_keys(rows):
    """(pipe, pipe, kind, verdict), the pair in name order: which pipe is pipe_a follows the order the map
    holds the segments in (an import into another map may store them in another order); for the crossing
    order, pipe_a is the pipe that should lie above."""
    return sorted((*((a, b) if k == "order" else sorted((a, b))), k, v)
                  for a, b, k, v in ((r["pipe_a"], r["pipe_b"], r["kind"], r["verdict"]) for r in rows))


def test_checks_through_processing_agree_with_the_geopackage_map(provider_only, district_map, imported_district):
    """clashcheck / covercheck / excavationcheck with MAP = the PostGIS map and MAP = the GeoPackage map."""
    from qgis import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsProcessingUtils

    gpkg, district = imported_district
    text = support.map_string(dict(district_map.params), district_map.schema)

    def run(alg, params):
        context = QgsProcessingContext()
        result = processing.run(alg, {**params, "OUTPUT": "memory:"}, context=context,
                                feedback=QgsProcessingFeedback())
        layer = result["OUTPUT"]
        if isinstance(layer, str):
            layer = QgsProcessingUtils.mapLayerFromString(layer, context)
        names = layer.fields().names()
        return result, [dict(zip(names, f.attributes())) for f in layer.getFeatures()]

    pg, rows_pg = run("pipemap:clashcheck", {"MAP": text})
    gp, rows_gp = run("pipemap:clashcheck", {"MAP": str(gpkg)})
    assert rows_pg and clash_keys(rows_pg) == clash_keys(rows_gp)
    assert {k: pg[k] for k in ("FAIL", "UNCERTAIN", "UNKNOWN", "NO_RULE")} == \
        {k: gp[k] for k in ("FAIL", "UNCERTAIN", "UNKNOWN", "NO_RULE")}
    by_key = {(r["pipe_a"], r["pipe_b"], r["kind"]): r["clearance_m"] for r in rows_gp}
    assert all(abs(r["clearance_m"] - by_key[(r["pipe_a"], r["pipe_b"], r["kind"])]) <= 0.001
               for r in rows_pg if r["clearance_m"] is not None)

    cover = {"GROUND": str(district.dem), "ROADS": f"{district.roads}|layername=carriageway"}
    pg, rows_pg = run("pipemap:covercheck", {"MAP": text, **cover})
    gp, rows_gp = run("pipemap:covercheck", {"MAP": str(gpkg), **cover})
    assert rows_pg and sorted((r["pipe_id"], r["verdict"], r["surface"]) for r in rows_pg) == \
        sorted((r["pipe_id"], r["verdict"], r["surface"]) for r in rows_gp)
    assert pg["FAIL"] == gp["FAIL"] > 0

    from pipemap.core import sample_district

    x, y = sample_district.ORIGIN
    from qgis.core import QgsFeature, QgsGeometry, QgsRectangle, QgsVectorLayer

    pits = QgsVectorLayer("Polygon?crs=EPSG:4547&field=name:string&field=depth:double", "pits", "memory")
    f = QgsFeature(pits.fields())
    f.setAttributes(["pit 1", 3.0])
    f.setGeometry(QgsGeometry.fromRect(QgsRectangle(x - 30, y - 30, x + 30, y + 30)))
    pits.dataProvider().addFeatures([f])
    exc = {"EXCAVATIONS": pits, "EXC_ID_FIELD": "name", "DEPTH_FIELD": "depth", "GROUND": str(district.dem)}
    _, rows_pg = run("pipemap:excavationcheck", {"MAP": text, **exc})
    _, rows_gp = run("pipemap:excavationcheck", {"MAP": str(gpkg), **exc})
    assert rows_pg and sorted((r["exc_id"], r["pipe_id"], r["verdict"], round(r["depth_m"], 6)) for r in rows_pg) == \
        sorted((r["exc_id"], r["pipe_id"], r["verdict"], round(r["depth_m"], 6)) for r in rows_gp)


def _qgis_process(repo_root, env, *args):
    proc = subprocess.run(["bash", str(repo_root / "scripts" / "qgis_process.sh"), "run", *args],
                          capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "Traceback" not in proc.stdout + proc.stderr
    return json.loads(proc.stdout[proc.stdout.index("{"):])


@pytest.mark.slow
def test_district_entirely_on_postgis_through_qgis_process(postgis, imported_district, tmp_path, repo_root):
    """createmap (PostGIS) -> importsurvey -> clashcheck, covercheck (DEM), excavationcheck -> export (planning)
    -> verifyexport, all through the real qgis_process with the connection in a pg_service file; the
    findings are the in-process ones on the same survey imported into a GeoPackage."""
    from pipemap.core.checks.clash import check_clash
    from pipemap.core.checks.cover import check_cover
    from pipemap.core.checks.excavation import check_excavation
    from pipemap.core.checks.ground import dem_ground
    from pipemap.core.export import model, profiles

    gpkg, district = imported_district
    service = support.write_service_file(tmp_path / "pg_service.conf", "pipemap_checks", postgis)
    env = dict(os.environ, PGSERVICEFILE=str(service))
    schema = support.unique_schema("flow") + '_管线 "checks"; x'
    text = f"service=pipemap_checks schema='{schema}'"
    out = _qgis_process(repo_root, env, "pipemap:createmap", "--json", "--", f"OUTPUT={text}", "CRS=EPSG:4547")
    assert out["results"]["SCHEMA_VERSION"] >= 2
    out = _qgis_process(repo_root, env, "pipemap:importsurvey", "--json", "--", f"POINTS={district.tables}",
                        f"MAP={text}")
    assert out["results"]["COMMITTED"] and out["results"]["SEGMENTS_WRITTEN"] == 604

    rules = _rules()
    pipes = _pipes(gpkg)
    # clash
    clash_out = tmp_path / "clash.gpkg"
    out = _qgis_process(repo_root, env, "pipemap:clashcheck", "--json", "--", f"MAP={text}", f"OUTPUT={clash_out}")
    ref = check_clash(pipes, rules)
    rows = read_rows(clash_out)
    assert out["results"]["FAIL"] == ref.counts["FAIL"] > 0
    assert clash_keys(rows) == clash_keys({"pipe_a": a, "pipe_b": b, "kind": k, "verdict": v}
                                          for a, b, k, v in zip(ref.pipe_a, ref.pipe_b, ref.kind, ref.verdict))
    # cover with the district's DEM and carriageways
    cover_out = tmp_path / "cover.gpkg"
    out = _qgis_process(repo_root, env, "pipemap:covercheck", "--json", "--", f"MAP={text}",
                        f"GROUND={district.dem}", f"ROADS={district.roads}|layername=carriageway",
                        f"OUTPUT={cover_out}")
    ref = check_cover(pipes, rules, dem_ground(district.dem), _roads(district))
    rows = read_rows(cover_out)
    assert out["results"]["FAIL"] == ref.counts["FAIL"] > 0
    assert sorted((r["pipe_id"], r["verdict"]) for r in rows) == sorted(zip(ref.pipe_id, ref.verdict))
    cover_m = {p: c for p, c in zip(ref.pipe_id, ref.min_cover_m)}
    assert all(abs(r["min_cover_m"] - cover_m[r["pipe_id"]]) <= 0.001 for r in rows if r["min_cover_m"] is not None)
    # excavation by depth below the DEM, with the notices
    exc_out = tmp_path / "exc.gpkg"
    notices = tmp_path / "notices"
    pits = write_excavations(tmp_path / "pits.gpkg", district)
    out = _qgis_process(repo_root, env, "pipemap:excavationcheck", "--json", "--", f"MAP={text}",
                        f"EXCAVATIONS={pits}|layername=pits", "EXC_ID_FIELD=name", "DEPTH_FIELD=depth",
                        f"GROUND={district.dem}", f"OUTPUT={exc_out}", f"REPORT_FOLDER={notices}")
    ref = check_excavation(pipes, [_pit(district)], safety_m=0.5, depth_m=[3.0], exc_ids=["pit 1"],
                           ground=dem_ground(district.dem), quality=rules.quality)
    rows = read_rows(exc_out)
    assert len(rows) == len(ref) > 0 and out["results"]["FAIL"] == int(np.sum(ref.verdict == "FAIL"))
    assert sorted((r["pipe_id"], r["verdict"]) for r in rows) == sorted(zip(ref.pipe_id, ref.verdict))
    html = [p for p in notices.glob("*.html") if p.name != "index.html"]
    assert html and "password" not in html[0].read_text(encoding="utf-8")
    # export (planning profile) and verify the package
    package = tmp_path / "package"
    out = _qgis_process(repo_root, env, "pipemap:export", "--json", "--", f"MAP={text}", "FORMAT=0,1,8", "PROFILE=1",
                        f"OUTPUT={package}")
    expected = model.read_map(gpkg, profiles.load_profile("planning"))
    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"] == expected.counts() and out["results"]["FEATURES"] > 0
    assert manifest["formats"] == ["gpkg", "shapefile", "jsonfg"]
    # named after the schema when it makes a file name, else "pipemap" (this schema has a quote)
    assert (package / "gpkg" / "pipemap.gpkg").is_file()
    out = _qgis_process(repo_root, env, "pipemap:verifyexport", "--json", "--", f"PACKAGE={package}")
    assert out["results"]["VALID"] is True and out["results"]["CHECKED"] > 0
