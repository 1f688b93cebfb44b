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


# --- MAP read in columns, findings written to a GeoPackage in bulk -----------------------------------------------


def _attributes_by_feature_loop(map_path):
    """The class attributes of every segment read feature by feature with OGR, keyed by seg_id: an
    independent reference for the columnar reader the algorithms use."""
    from osgeo import ogr

    names = ("burial_method", "material", "pressure_mpa", "dn_mm", "quality_level")
    ds = ogr.Open(str(map_path))
    try:
        return {f.GetField("seg_id"): {n: f.GetField(n) for n in names} for f in ds.GetLayerByName("pipe_segment")}
    finally:
        ds = None


def test_map_findings_equal_those_from_attributes_read_feature_by_feature(provider_only, district_map):
    """clashcheck MAP=... classifies from the columnar reader's attributes: same pairs, verdicts and clearances
    as with the attributes read feature by feature (how it was done before)."""
    import numpy as np

    from pipemap.core import mapread
    from pipemap.core.checks.clash import check_clash
    from pipemap.core.checks.pipes import Pipes
    from pipemap.core.checks.rules import RuleSet

    m, _ = district_map
    rules = RuleSet.shipped()
    seg = mapread.read_segments(m)
    ref = _attributes_by_feature_loop(m)
    attrs = {n: [ref[i][n] for i in seg.ids] for n in ("burial_method", "material", "pressure_mpa", "dn_mm",
                                                          "quality_level")}
    attrs = {n: (np.array([np.nan if v is None else v for v in vals], dtype=float) if n in ("pressure_mpa", "dn_mm")
                 else np.array(["" if v is None else v for v in vals], dtype=object)) for n, vals in attrs.items()}
    # the district's classes depend on these attributes: without them they come out otherwise
    assert (attrs["burial_method"] != "").any() and np.isfinite(attrs["pressure_mpa"]).any()
    bare = Pipes.from_segments(seg, rules, attributes={n: np.full(len(seg), "", dtype=object) if v.dtype == object
                                                       else np.full(len(seg), np.nan) for n, v in attrs.items()})
    expected_pipes = Pipes.from_segments(seg, rules, attributes=attrs)
    assert not np.array_equal(bare.h_class, expected_pipes.h_class)
    got_pipes = Pipes.from_segments(seg, rules)
    for name in ("h_class", "v_class", "cover_class", "h_status", "quality_level", "dn_mm"):
        a, b = getattr(got_pipes, name), getattr(expected_pipes, name)
        assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), name
    expected = check_clash(expected_pipes, rules)
    result, found, _ = run("pipemap:clashcheck", {"MAP": str(m)})
    assert len(found) == len(expected) > 50

    def key(a, b, kind, verdict, rule):
        return (str(a), str(b), str(kind), str(verdict), str(rule))

    want = {key(*r[:5]): r[5] for r in zip(expected.pipe_a, expected.pipe_b, expected.kind, expected.verdict,
                                       expected.rule_id, expected.clearance_m)}
    got = {key(r["pipe_a"], r["pipe_b"], r["kind"], r["verdict"], r["rule_id"]): r["clearance_m"] for r in found}
    assert len(want) == len(expected) and got.keys() == want.keys()
    for k, clearance in want.items():
        assert (got[k] is None and not np.isfinite(clearance)) or got[k] == pytest.approx(clearance, abs=1e-9), k
    assert result["FAIL"] == expected.counts["FAIL"] and result["NO_RULE"] == expected.counts["no_rule"]


def _layer_rows(layer):
    rows = []
    for f in layer.getFeatures():
        g = f.geometry()
        xy = None if g.isNull() else (round(g.asPoint().x(), 6), round(g.asPoint().y(), 6))
        rows.append((tuple(None if v is None or (hasattr(v, "isNull") and v.isNull()) else v
                           for v in f.attributes()), xy))
    return sorted(rows, key=repr)


def _check_params(alg, m, d):
    if alg == "pipemap:covercheck":
        return {"MAP": str(m), "GROUND": str(d.dem), "ROADS": f"{d.roads}|layername=carriageway"}
    if alg == "pipemap:excavationcheck":
        return {"MAP": str(m), "EXCAVATIONS": excavation_layer(depth=3.0), "EXC_ID_FIELD": "name",
                "DEPTH_FIELD": "depth", "GROUND": str(d.dem)}
    return {"MAP": str(m)}


@pytest.mark.parametrize("alg", ["pipemap:clashcheck", "pipemap:covercheck", "pipemap:excavationcheck"])
def test_gpkg_output_equals_the_sink_output(provider_only, district_map, tmp_path, alg):
    """A GeoPackage file destination is written in bulk: the same fields, types, rows and points as the QGIS
    sink writes to a memory layer; QGIS loads it; its R-tree passes SQLite's rtreecheck."""
    import sqlite3

    from qgis import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsVectorLayer

    m, d = district_map
    params = _check_params(alg, m, d)
    _, _, mem_layer = run(alg, params)
    target = tmp_path / "findings.gpkg"
    result = processing.run(alg, {**_check_params(alg, m, d), "OUTPUT": str(target)}, context=QgsProcessingContext(),
                            feedback=QgsProcessingFeedback())
    assert result["OUTPUT"] == str(target)
    layer = QgsVectorLayer(str(target), "findings", "ogr")
    assert layer.isValid() and layer.crs().authid() == "EPSG:4547"
    assert [(f.name(), f.type()) for f in layer.fields() if f.name() != "fid"] == \
        [(f.name(), f.type()) for f in mem_layer.fields()]
    assert layer.featureCount() == mem_layer.featureCount() > 0
    # the GeoPackage has an extra fid first
    got = [((row[0][1:]), row[1]) for row in _layer_rows(layer)]
    assert sorted(got, key=repr) == _layer_rows(mem_layer)
    con = sqlite3.connect(str(target))
    try:
        assert con.execute("SELECT rtreecheck('rtree_findings_geom')").fetchone()[0] == "ok"
    finally:
        con.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["findings.gpkg"]


class _CancelWhileWriting:
    """Cancels once the progress passes 91 % (the check reports up to 90 %, the writer after it)."""

    def __init__(self):
        from qgis.core import QgsProcessingFeedback

        self.feedback = QgsProcessingFeedback()
        self.seen = []

        def changed(p):
            self.seen.append(p)
            if p > 91:
                self.feedback.cancel()

        self.feedback.progressChanged.connect(changed)


def test_a_cancelled_write_keeps_the_users_file_and_leaves_nothing(provider_only, district_map, tmp_path):
    from qgis import processing
    from qgis.core import QgsProcessingContext, QgsProcessingException, QgsProcessingFeedback

    m, _ = district_map
    existing = tmp_path / "mine.gpkg"
    existing.write_bytes(b"the user's file")
    new = tmp_path / "new.gpkg"
    for target in (existing, new):
        cancel = _CancelWhileWriting()
        with pytest.raises(QgsProcessingException, match="Cancelled"):
            processing.run("pipemap:clashcheck", {"MAP": str(m), "OUTPUT": str(target)},
                           context=QgsProcessingContext(), feedback=cancel.feedback)
        assert any(90 < p < 100 for p in cancel.seen), cancel.seen  # it was cancelled inside the writer
        assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.gpkg"]
        assert existing.read_bytes() == b"the user's file"
    result = processing.run("pipemap:clashcheck", {"MAP": str(m), "OUTPUT": str(existing)},
                            context=QgsProcessingContext(), feedback=QgsProcessingFeedback())
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(str(existing), "mine", "ogr")
    assert layer.isValid() and layer.featureCount() == result["FAIL"] + result["UNCERTAIN"] + result["UNKNOWN"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.gpkg"]


def test_other_destinations_use_the_sink_and_outputs_load_on_completion(provider_only, district_map, tmp_path):
    from qgis import processing
    from qgis.core import (
        QgsProcessingContext,
        QgsProcessingFeedback,
        QgsProcessingOutputLayerDefinition,
        QgsProject,
        QgsVectorLayer,
    )

    m, _ = district_map
    _, _, mem_layer = run("pipemap:clashcheck", {"MAP": str(m)})
    shp = tmp_path / "findings.shp"
    processing.run("pipemap:clashcheck", {"MAP": str(m), "OUTPUT": str(shp)}, context=QgsProcessingContext(),
                   feedback=QgsProcessingFeedback())
    layer = QgsVectorLayer(str(shp), "shp", "ogr")
    assert layer.isValid() and layer.featureCount() == mem_layer.featureCount()
    # an ogr: URI naming a table goes through the sink too (the named table, not a file named after it)
    uri_file = tmp_path / "uri.gpkg"
    res = processing.run("pipemap:clashcheck", {"MAP": str(m), "OUTPUT": f"ogr:dbname='{uri_file}' table=\"clash\" "
                                                                          "(geom)"},
                         context=QgsProcessingContext(), feedback=QgsProcessingFeedback())
    assert res["OUTPUT"].endswith("|layername=clash")
    layer = QgsVectorLayer(f"{uri_file}|layername=clash", "uri", "ogr")
    assert layer.isValid() and layer.featureCount() == mem_layer.featureCount()
    # asked to load the result into a project (as the Processing dialog does): the file is registered for it
    target = tmp_path / "loaded.gpkg"
    context = QgsProcessingContext()
    definition = QgsProcessingOutputLayerDefinition(str(target), QgsProject.instance())
    definition.destinationName = "My clashes"
    processing.run("pipemap:clashcheck", {"MAP": str(m), "OUTPUT": definition}, context=context,
                   feedback=QgsProcessingFeedback())
    details = context.layersToLoadOnCompletion()
    assert list(details) == [str(target)]
    assert details[str(target)].name == "My clashes" and details[str(target)].outputName == "OUTPUT"
