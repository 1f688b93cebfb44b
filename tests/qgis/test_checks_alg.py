"""pipemap:clashcheck, pipemap:covercheck, pipemap:excavationcheck on the sample district and on user layers."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.qgis

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def district_map(imported_district):
    return imported_district


def rows(layer_id, context):
    from qgis.core import QgsProcessingUtils

    layer = layer_id if not isinstance(layer_id, str) else QgsProcessingUtils.mapLayerFromString(layer_id, context)
    return [dict(zip(layer.fields().names(), f.attributes())) for f in layer.getFeatures()], layer


def run(alg, params):
    from qgis import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    context = QgsProcessingContext()
    result = processing.run(alg, {**params, "OUTPUT": "memory:"}, context=context, feedback=QgsProcessingFeedback())
    found, layer = rows(result["OUTPUT"], context)
    return result, found, layer


def test_clash_on_the_map_finds_the_tunnel_crossings(provider_only, district_map):
    m, _ = district_map
    result, found, layer = run("pipemap:clashcheck", {"MAP": str(m)})
    assert found and all(r["verdict"] != "PASS" for r in found)
    for name in ("pipe_a", "pipe_b", "kind", "required_m", "clearance_m", "verdict", "margin_m", "uncertainty_m",
                 "rule_id", "severity", "advice"):
        assert name in layer.fields().names()
    tunnel = [r for r in found if r["verdict"] == "FAIL" and r["kind"] == "vertical"
              and (str(r["pipe_a"]).startswith("QT-ZH") or str(r["pipe_b"]).startswith("QT-ZH"))]
    assert tunnel, sorted({(r["pipe_a"], r["pipe_b"], r["kind"], r["verdict"]) for r in found})[:20]
    assert all(r["clearance_m"] < r["required_m"] for r in tunnel)
    assert result["FAIL"] >= len(tunnel)
    for key in ("UNCERTAIN", "UNKNOWN", "NO_RULE"):
        assert result[key] >= 0
    assert layer.crs().authid() == "EPSG:4547"


def test_cover_on_the_map(provider_only, district_map):
    m, d = district_map
    result, found, layer = run("pipemap:covercheck", {"MAP": str(m), "GROUND": str(d.dem),
                                                      "ROADS": f"{d.roads}|layername=carriageway"})
    assert found
    for name in ("pipe_id", "min_cover_m", "required_m", "verdict", "rule_id", "severity"):
        assert name in layer.fields().names()
    assert all(r["verdict"] != "PASS" for r in found)
    assert any(f.hasGeometry() for f in layer.getFeatures())


def test_cover_without_ground_is_a_clear_error(provider_only, district_map):
    from qgis.core import QgsProcessingException

    m, _ = district_map
    with pytest.raises(QgsProcessingException, match="ground surface"):
        run("pipemap:covercheck", {"MAP": str(m)})


def excavation_layer(depth=None, bottom=None):
    from qgis.core import QgsFeature, QgsGeometry, QgsRectangle, QgsVectorLayer

    from pipemap.core import sample_district

    x, y = sample_district.ORIGIN
    layer = QgsVectorLayer("Polygon?crs=EPSG:4547&field=name:string&field=depth:double&field=bottom:double",
                           "exc", "memory")
    f = QgsFeature(layer.fields())
    f.setAttributes(["pit 1", depth, bottom])
    f.setGeometry(QgsGeometry.fromRect(QgsRectangle(x - 30, y - 30, x + 30, y + 30)))
    assert layer.dataProvider().addFeatures([f])
    return layer


def test_excavation_by_depth_and_by_bottom(provider_only, district_map):
    import numpy as np

    from pipemap.core import sample_district
    from pipemap.core.raster import DemSampler

    m, d = district_map
    result, found, layer = run("pipemap:excavationcheck", {
        "MAP": str(m), "EXCAVATIONS": excavation_layer(depth=3.0), "EXC_ID_FIELD": "name", "DEPTH_FIELD": "depth",
        "GROUND": str(d.dem)})
    assert found
    for name in ("exc_id", "pipe_id", "category", "owner", "depth_m", "verdict"):
        assert name in layer.fields().names()
    assert {r["exc_id"] for r in found} == {"pit 1"}
    assert len({r["category"] for r in found}) >= 3
    assert all(r["owner"] for r in found)
    x, y = sample_district.ORIGIN
    ground = float(DemSampler(d.dem)(np.array([x]), np.array([y]))[0])
    _, by_bottom, _ = run("pipemap:excavationcheck", {
        "MAP": str(m), "EXCAVATIONS": excavation_layer(bottom=ground - 3.0), "BOTTOM_FIELD": "bottom"})
    assert len({r["category"] for r in by_bottom}) >= 3


def test_excavation_without_a_bottom_is_a_clear_error(provider_only, district_map):
    from qgis.core import QgsProcessingException

    m, _ = district_map
    with pytest.raises(QgsProcessingException, match="BOTTOM_FIELD"):
        run("pipemap:excavationcheck", {"MAP": str(m), "EXCAVATIONS": excavation_layer(depth=3.0)})


def user_layer(z=True, crs="EPSG:4547"):
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    kind = "LineStringZ" if z else "LineString"
    layer = QgsVectorLayer(f"{kind}?crs={crs}&field=pid:string&field=cls:string&field=dia:double", "pipes", "memory")
    feats = []
    # two parallel pipes, centres 0.35 m apart, 200 mm and 100 mm outer diameter
    for pid, yc, dia in (("A", 0.0, 200.0), ("B", 0.35, 100.0)):
        f = QgsFeature(layer.fields())
        f.setAttributes([pid, "X", dia])
        wkt = f"LINESTRING Z (0 {yc} -1.5, 20 {yc} -1.5)" if z else f"LINESTRING (0 {yc}, 20 {yc})"
        f.setGeometry(QgsGeometry.fromWkt(wkt))
        feats.append(f)
    assert layer.dataProvider().addFeatures(feats)
    return layer


@pytest.fixture
def rules_csv(tmp_path):
    path = tmp_path / "rules.csv"
    path.write_text("class_a,class_b,min_horizontal_m,min_vertical_m\nX,X,1.0,0.5\n", encoding="utf-8")
    return path


def test_user_layer_gives_a_horizontal_fail(provider_only, rules_csv):
    params = {"INPUT": user_layer(), "ID_FIELD": "pid", "CLASS_FIELD": "cls", "DIAMETER_FIELD": "dia",
              "RULES": str(rules_csv)}
    result, found, _ = run("pipemap:clashcheck", params)
    (row,) = [r for r in found if r["kind"] == "horizontal"]
    # wall to wall: 0.35 m between centres - 0.10 m - 0.05 m radii = 0.20 m
    assert {row["pipe_a"], row["pipe_b"]} == {"A", "B"}
    assert row["verdict"] == "FAIL"
    assert abs(row["clearance_m"] - 0.20) <= 0.001
    assert abs(row["required_m"] - 1.0) <= 1e-9
    assert result["FAIL"] >= 1


def test_2d_layer_is_never_pass(provider_only, rules_csv):
    params = {"INPUT": user_layer(z=False), "ID_FIELD": "pid", "CLASS_FIELD": "cls", "DIAMETER_FIELD": "dia",
              "RULES": str(rules_csv)}
    _, found, _ = run("pipemap:clashcheck", params)
    vertical = [r for r in found if r["kind"] in ("vertical", "crossing_order")]
    assert all(r["verdict"] != "PASS" for r in found)
    assert all(r["verdict"] == "UNKNOWN" for r in vertical)


def test_2d_layer_cover_is_unknown(provider_only, district_map):
    _, d = district_map
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    from pipemap.core import sample_district

    x, y = sample_district.ORIGIN
    layer = QgsVectorLayer("LineString?crs=EPSG:4547&field=cls:string&field=dia:double", "p", "memory")
    f = QgsFeature(layer.fields())
    f.setAttributes(["X", 200.0])
    f.setGeometry(QgsGeometry.fromWkt(f"LINESTRING ({x} {y}, {x + 20} {y})"))
    layer.dataProvider().addFeatures([f])
    _, found, _ = run("pipemap:covercheck", {"INPUT": layer, "CLASS_FIELD": "cls", "DIAMETER_FIELD": "dia",
                                             "GROUND": str(d.dem)})
    assert found and all(r["verdict"] == "UNKNOWN" for r in found)


def test_geographic_layer_is_a_clear_error(provider_only, rules_csv):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="geographic"):
        run("pipemap:clashcheck", {"INPUT": user_layer(crs="EPSG:4326"), "RULES": str(rules_csv)})


def test_no_pipes_is_a_clear_error(provider_only):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="INPUT"):
        run("pipemap:clashcheck", {})


def test_clashcheck_through_qgis_process(district_map, tmp_path):
    m, _ = district_map
    out = tmp_path / "clash.gpkg"
    proc = subprocess.run([str(ROOT / "scripts" / "qgis_process.sh"), "run", "pipemap:clashcheck", "--json", "--",
                           f"MAP={m}", f"OUTPUT={out}"], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    payload = json.loads(proc.stdout[proc.stdout.index("{"):])
    assert payload["results"]["FAIL"] > 0
    from osgeo import ogr

    ds = ogr.Open(str(out))
    try:
        assert ds.GetLayer(0).GetFeatureCount() > 0
    finally:
        ds = None


def test_covercheck_with_roads_through_qgis_process(district_map, tmp_path):
    """Road polygons through qgis_process (QGIS's own GEOS is loaded first there)."""
    m, d = district_map
    out = tmp_path / "cover.gpkg"
    proc = subprocess.run([str(ROOT / "scripts" / "qgis_process.sh"), "run", "pipemap:covercheck", "--json", "--",
                           f"MAP={m}", f"GROUND={d.dem}", f"ROADS={d.roads}|layername=carriageway", f"OUTPUT={out}"],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    payload = json.loads(proc.stdout[proc.stdout.index("{"):])
    assert payload["results"]["FAIL"] > 0
    from osgeo import ogr

    ds = ogr.Open(str(out))
    try:
        assert ds.GetLayer(0).GetFeatureCount() > 0
    finally:
        ds = None
