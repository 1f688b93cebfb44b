"""pipemap:topologycheck, pipemap:trace and pipemap:isolate through Processing and the real qgis_process, on
the sample district and on a real public network (the Modena water network, EPANET)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.qgis

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "qgis_process.sh"
MODENA = ROOT.parent / "shared" / "data" / "networks" / "epanet_modena" / "MOD.inp"


def run(alg, params):
    from qgis import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    context = QgsProcessingContext()
    result = processing.run(alg, params, context=context, feedback=QgsProcessingFeedback())
    return result, context


def layer(value, context):
    """An output layer: processing.run hands memory layers over, a context keeps the others."""
    return context.getMapLayer(value) if isinstance(value, str) else value


def features(layer):
    return [{name: f[name] for name in layer.fields().names()} | {"_geom": f.geometry()} for f in layer.getFeatures()]


def pdf_page_count(path):
    data = Path(path).read_bytes()
    assert data.startswith(b"%PDF")
    counts = re.findall(rb"/Type\s*/Pages[^>]*?/Count\s+(\d+)", data)
    return int(counts[-1])


def pdf_text(path):
    if not shutil.which("pdftotext"):
        return None
    proc = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def district(imported_district):
    from pipemap.core.network import graph as ng

    path, _ = imported_district
    return str(path), ng.load_graphs(path)


def first_between_valves(graphs, category):
    """A segment of ``category`` that lies between two valves in the sample district (its midpoint)."""
    from pipemap.core.network import isolate as iso

    g = graphs[category]
    for e in range(g.n_edges):
        r = iso.isolate(g, e, 0.5)
        if r.valves_to_close >= 2:
            return g.midpoint(e), r
    raise AssertionError("no segment between valves")


def test_topologycheck_on_the_district(provider_only, district):
    from pipemap.core.network.topology import check_topology

    path, graphs = district
    result, context = run("pipemap:topologycheck", {"MAP": path, "OUTPUT": "memory:", "OUTPUT_LINES": "memory:"})
    expected = check_topology(graphs)
    rows = features(layer(result["OUTPUT"], context))
    assert len(rows) == result["FINDINGS"] == len(expected) > 0
    assert result["ERRORS"] == expected.by_severity()["error"]
    assert sorted((r["reason"], r["seg_id"]) for r in rows) == sorted((r["reason"], r["seg_id"])
                                                                      for r in expected.rows)
    assert {r["severity"] for r in rows} <= {"error", "warning"}
    lines = features(layer(result["OUTPUT_LINES"], context))
    named = {r["seg_id"] for r in expected.rows} | {r["other_id"] for r in expected.rows if r["other_id"]}
    assert {r["seg_id"] for r in lines} == named
    assert all(r["reasons"] for r in lines)
    only_ps, ctx2 = run("pipemap:topologycheck", {"MAP": path, "CATEGORIES": [1], "OUTPUT": "memory:"})
    assert {r["category"] for r in features(layer(only_ps["OUTPUT"], ctx2))} == {"PS"}
    assert only_ps["FINDINGS"] == sum(1 for r in expected.rows if r["category"] == "PS")


def test_trace_from_a_point_and_from_an_id(provider_only, district):
    from pipemap.core.network import graph as ng
    from pipemap.core.network.trace import trace

    path, graphs = district
    js = graphs["JS"]
    e = js.edge_of(str(js.seg_ids[5]))
    x, y = js.midpoint(e)
    result, context = run("pipemap:trace", {
        "MAP": path, "START": f"{x},{y} [EPSG:4547]", "CATEGORY": 1, "DIRECTION": 2, "STOP_AT": [0],
        "OUTPUT_SEGMENTS": "memory:", "OUTPUT_NODES": "memory:"})
    ref = trace(js, edge=e, stop_kinds={ng.VALVE})
    segs = features(layer(result["OUTPUT_SEGMENTS"], context))
    nodes = features(layer(result["OUTPUT_NODES"], context))
    assert sorted(s["seg_id"] for s in segs) == sorted(js.seg_ids[ref.edges].tolist())
    assert result["SEGMENTS"] == len(ref.edges) and result["STOPS"] == len(ref.stops) > 0
    assert result["CATEGORY_USED"] == "JS"
    assert {n["point_id"] for n in nodes if n["stop"]} == set(js.point_id[ref.stops].tolist())
    assert all(n["kind"] == "valve" for n in nodes if n["stop"])
    assert segs[0]["_geom"].constGet().is3D()
    assert result["LENGTH_M"] == pytest.approx(ref.length_m(js))
    # downstream along the drains from a point id
    ps = graphs["PS"]
    start = str(ps.point_id[int(ps.u[0])])
    down, ctx = run("pipemap:trace", {"MAP": path, "START_ID": start, "DIRECTION": 1,
                                      "OUTPUT_SEGMENTS": "memory:", "OUTPUT_NODES": "memory:"})
    ref_down = trace(ps, node=ps.node_of(start), direction="downstream")
    assert down["SEGMENTS"] == len(ref_down.edges) > 0 and down["CATEGORY_USED"] == "PS"
    flows = {s["flow"] for s in features(layer(down["OUTPUT_SEGMENTS"], ctx))}
    assert flows <= {1, -1}


def test_trace_errors_are_messages(provider_only, district):
    from qgis.core import QgsProcessingException

    path, _ = district
    with pytest.raises(QgsProcessingException, match="START"):
        run("pipemap:trace", {"MAP": path, "OUTPUT_SEGMENTS": "memory:", "OUTPUT_NODES": "memory:"})
    with pytest.raises(QgsProcessingException, match="No segment or point nope"):
        run("pipemap:trace", {"MAP": path, "START_ID": "nope", "OUTPUT_SEGMENTS": "memory:",
                              "OUTPUT_NODES": "memory:"})
    with pytest.raises(QgsProcessingException, match="within 5"):
        run("pipemap:trace", {"MAP": path, "START": "0,0 [EPSG:4547]", "SEARCH_DISTANCE": 5,
                              "OUTPUT_SEGMENTS": "memory:", "OUTPUT_NODES": "memory:"})


def test_isolate_a_water_main_with_a_sheet(provider_only, district, output_dir):
    path, graphs = district
    (x, y), ref = first_between_valves(graphs, "JS")
    sheet = output_dir / "network_water_sheet.pdf"
    if sheet.exists():
        sheet.unlink()
    result, context = run("pipemap:isolate", {
        "MAP": path, "FAILURE": f"{x},{y + 0.5} [EPSG:4547]", "VALVES": "memory:", "SEGMENTS": "memory:",
        "NODES": "memory:", "SHEET": str(sheet)})
    assert result["CATEGORY_USED"] == "JS" and result["FAILED_SEGMENT"] == ref.seg_id
    valves = sorted(features(layer(result["VALVES"], context)), key=lambda v: v["order"])
    assert [v["point_id"] for v in valves] == [o.point_id for o in ref.operations]
    assert [v["order"] for v in valves] == list(range(1, len(valves) + 1))
    assert result["N_VALVES"] == ref.valves_to_close == len(valves)
    assert all(v["action"] == "close" and v["kind"] == "valve" and v["road"] for v in valves)
    assert valves[0]["_geom"].asPoint().x() == pytest.approx(valves[0]["x"])
    segs = features(layer(result["SEGMENTS"], context))
    assert sorted(s["seg_id"] for s in segs if s["state"] == "isolated") == sorted(
        graphs["JS"].seg_ids[ref.isolated_edges].tolist())
    assert result["N_ISOLATED"] == len(ref.isolated_edges) and result["N_CUT_OFF"] == len(ref.cut_off_edges)
    nodes = features(layer(result["NODES"], context))
    assert {n["point_id"] for n in nodes if n["state"] == "ring"} == {o.point_id for o in ref.operations}
    assert sheet.is_file() and pdf_page_count(sheet) == 1
    text = pdf_text(sheet)
    if text is not None:
        assert ref.seg_id in text and all(o.point_id in text for o in ref.operations)


def test_failed_valve_and_gas_hazard_with_buildings(provider_only, district, imported_district, output_dir):
    from pipemap.core.network import isolate as iso

    path, graphs = district
    (x, y), ref = first_between_valves(graphs, "RQ")
    g = graphs["RQ"]
    first = ref.operations[0].point_id
    ref2 = iso.isolate(g, ref.edge, ref.fraction, failed=[g.node_of(first)])
    roads = str(imported_district[1].roads) + "|layername=carriageway"
    sheet = output_dir / "network_gas_sheet.pdf"
    result, context = run("pipemap:isolate", {
        "MAP": path, "FAILURE": f"{x},{y} [EPSG:4547]", "CATEGORY": 2, "FAILED_VALVES": first,
        "CUSTOMERS": roads, "HAZARD_RADIUS": 30, "CUSTOMER_DISTANCE": 30, "VALVES": "memory:",
        "SEGMENTS": "memory:", "NODES": "memory:", "CUSTOMERS_AFFECTED": "memory:", "HAZARD_ZONE": "memory:",
        "SHEET": str(sheet)})
    valves = features(layer(result["VALVES"], context))
    assert first not in {v["point_id"] for v in valves}
    assert sorted(v["point_id"] for v in valves) == sorted(o.point_id for o in ref2.operations)
    zone = features(layer(result["HAZARD_ZONE"], context))
    assert len(zone) == 1 and zone[0]["radius_m"] == 30
    assert zone[0]["_geom"].area() == pytest.approx(3.14159 * 900, rel=0.01)
    affected = features(layer(result["CUSTOMERS_AFFECTED"], context))
    assert result["N_IN_HAZARD"] == sum(1 for a in affected if a["in_hazard"]) > 0
    assert result["N_CUSTOMERS"] == sum(1 for a in affected if a["supply_state"])
    assert all(a["road"] for a in affected)  # the buildings' own fields are kept
    assert pdf_page_count(sheet) == 1


def test_isolate_errors_are_messages(provider_only, district):
    from qgis.core import QgsProcessingException

    path, _ = district
    with pytest.raises(QgsProcessingException, match="No RL pipe lies within 10"):
        run("pipemap:isolate", {"MAP": path, "FAILURE": "538000,3380300 [EPSG:4547]", "CATEGORY": 3,
                                "SEARCH_DISTANCE": 10, "VALVES": "memory:", "SEGMENTS": "memory:",
                                "NODES": "memory:"})


def qgis_process(*args, timeout=240):
    proc = subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return json.loads(proc.stdout[proc.stdout.index("{"):])["results"]


@pytest.mark.slow
def test_the_three_algorithms_through_qgis_process(district, tmp_path):
    from osgeo import ogr

    path, graphs = district
    (x, y), ref = first_between_valves(graphs, "JS")
    topo = qgis_process("run", "pipemap:topologycheck", "--json", "--", f"MAP={path}",
                        f"OUTPUT={tmp_path / 'topo.gpkg'}")
    assert topo["FINDINGS"] > 0
    ds = ogr.Open(str(tmp_path / "topo.gpkg"))
    assert ds.GetLayer(0).GetFeatureCount() == topo["FINDINGS"]
    ds = None
    tr = qgis_process("run", "pipemap:trace", "--json", "--", f"MAP={path}", f"START={x},{y} [EPSG:4547]",
                      "STOP_AT=0", f"OUTPUT_SEGMENTS={tmp_path / 'tr_s.gpkg'}",
                      f"OUTPUT_NODES={tmp_path / 'tr_n.gpkg'}")
    assert tr["SEGMENTS"] == len(ref.isolated_edges)  # a trace to the valves covers the isolated area
    sheet = tmp_path / "sheet.pdf"
    iso = qgis_process("run", "pipemap:isolate", "--json", "--", f"MAP={path}", f"FAILURE={x},{y} [EPSG:4547]",
                       f"VALVES={tmp_path / 'v.gpkg'}", f"SEGMENTS={tmp_path / 's.gpkg'}",
                       f"NODES={tmp_path / 'n.gpkg'}", f"SHEET={sheet}")
    assert iso["N_VALVES"] == ref.valves_to_close
    ds = ogr.Open(str(tmp_path / "v.gpkg"))
    lyr = ds.GetLayer(0)
    assert lyr.GetFeatureCount() == len(ref.operations)
    assert sorted(f.GetField("point_id") for f in lyr) == sorted(o.point_id for o in ref.operations)
    ds = None
    assert pdf_page_count(sheet) == 1


@pytest.mark.slow
def test_a_real_network_through_qgis_process(tmp_path):
    """The Modena water network (EPANET, 317 pipes, 4 reservoirs, no isolation valve): imported with
    PipeMap's model importer, then checked, traced and isolated by the real qgis_process."""
    from osgeo import ogr

    from pipemap.core import mapfile
    from pipemap.core.models import importer
    from pipemap.core.network import graph as ng
    from pipemap.core.network import isolate as iso

    if not MODENA.is_file():  # the shared real-network data sit beside the checkout, not in it
        pytest.skip(f"{MODENA} is not present")
    target = tmp_path / "modena.gpkg"
    mapfile.create_map(target, "EPSG:3003")
    assert importer.import_model(target, MODENA, crs="EPSG:3003").committed
    js = ng.load_graphs(target)["JS"]
    assert (js.n_edges, int((js.kind == ng.SOURCE).sum())) == (317, 4)
    topo = qgis_process("run", "pipemap:topologycheck", "--json", "--", f"MAP={target}",
                        f"OUTPUT={tmp_path / 'topo.gpkg'}")
    assert topo["FINDINGS"] == 0  # a hydraulic model is one connected, closed network
    x, y = js.midpoint(100)
    tr = qgis_process("run", "pipemap:trace", "--json", "--", f"MAP={target}", f"START={x},{y} [EPSG:3003]",
                      "DIRECTION=1", f"OUTPUT_SEGMENTS={tmp_path / 'd.gpkg'}", f"OUTPUT_NODES={tmp_path / 'dn.gpkg'}")
    assert 0 < tr["SEGMENTS"] <= 317
    out = qgis_process("run", "pipemap:isolate", "--json", "--", f"MAP={target}", f"FAILURE={x},{y} [EPSG:3003]",
                       f"VALVES={tmp_path / 'v.gpkg'}", f"SEGMENTS={tmp_path / 's.gpkg'}",
                       f"NODES={tmp_path / 'n.gpkg'}", f"SHEET={tmp_path / 'modena.pdf'}")
    ref = iso.isolate(js, 100, 0.5)
    # no valve: the whole network is the area and the four reservoirs must be shut
    assert (out["N_VALVES"], out["N_SOURCES"], out["N_ISOLATED"]) == (0, 4, 317)
    assert [o.action for o in ref.operations] == ["shut_source"] * 4
    ds = ogr.Open(str(tmp_path / "v.gpkg"))
    assert ds.GetLayer(0).GetFeatureCount() == 4
    ds = None
    assert pdf_page_count(tmp_path / "modena.pdf") == 1
