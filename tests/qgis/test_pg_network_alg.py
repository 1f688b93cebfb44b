"""pipemap:topologycheck, pipemap:trace and pipemap:isolate with MAP = a PostGIS map give what they give on
the GeoPackage map (through Processing and the real qgis_process); pipemap:checksreport draws a PostGIS
map's pipes; a map string with a wrong password or a missing schema stops with a message naming the map
without its password."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pipemap_test_pgsupport as support  # (loaded by tests/conftest.py)
import pytest

pytestmark = pytest.mark.qgis

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "qgis_process.sh"
#: put into the map strings: the test cluster trusts local users, so libpq never sends it, and it must
#: never show in an output, a report or a message
SECRET = "Pw-n0t-sh0wn"


@pytest.fixture(scope="module")
def postgis():
    return support.database()


@pytest.fixture(scope="module")
def maps(imported_district, postgis):
    """(GeoPackage path, PostGIS map string with a password, PgMap, district graphs): read only."""
    from pipemap.core.network import graph as ng
    from pipemap.core.pg import transfer
    from pipemap.core.pg.connect import parse_map

    gpkg, _ = imported_district
    text = support.map_string({**postgis, "password": SECRET}, support.unique_schema("netalg"))
    pg = parse_map(text)
    transfer.gpkg_to_postgis(gpkg, pg)
    return str(gpkg), text, pg, ng.load_graphs(gpkg)


class Feedback:
    """A QgsProcessingFeedback that keeps every line it is given."""

    def __new__(cls):
        from qgis.core import QgsProcessingFeedback

        class _Kept(QgsProcessingFeedback):
            def __init__(self):
                super().__init__()
                self.lines = []

            def pushInfo(self, text):  # noqa: N802
                self.lines.append(text)
                super().pushInfo(text)

            def reportError(self, text, fatal=False):  # noqa: N802
                self.lines.append(text)
                super().reportError(text, fatal)

        return _Kept()


def run(alg, params, feedback=None):
    from qgis import processing
    from qgis.core import QgsProcessingContext

    context = QgsProcessingContext()
    result = processing.run(alg, params, context=context, feedback=feedback or Feedback())
    return result, context


def rows(value, context):
    layer = context.getMapLayer(value) if isinstance(value, str) else value
    names = layer.fields().names()
    return [dict(zip(names, f.attributes())) for f in layer.getFeatures()]


def first_between_valves(graphs, category):
    from pipemap.core.network import isolate as iso

    g = graphs[category]
    for e in range(g.n_edges):
        r = iso.isolate(g, e, 0.5)
        if r.valves_to_close >= 2:
            return g.midpoint(e), r
    raise AssertionError("no segment between valves")


def test_topologycheck_on_postgis_is_the_geopackages(provider_only, maps):
    gpkg, text, pg, _ = maps
    out = {}
    for name, source in (("gp", gpkg), ("pg", text)):
        feedback = Feedback()
        result, context = run("pipemap:topologycheck", {"MAP": source, "OUTPUT": "memory:",
                                                        "OUTPUT_LINES": "memory:"}, feedback)
        out[name] = (result, rows(result["OUTPUT"], context), rows(result["OUTPUT_LINES"], context), feedback)
    (r_gp, f_gp, l_gp, _), (r_pg, f_pg, l_pg, fb) = out["gp"], out["pg"]
    assert r_pg["FINDINGS"] == r_gp["FINDINGS"] > 0 and r_pg["ERRORS"] == r_gp["ERRORS"]
    assert r_pg["WARNINGS"] == r_gp["WARNINGS"]
    key = ("reason", "severity", "category", "seg_id", "other_id", "point_id")
    assert sorted(tuple(r[k] for k in key) for r in f_pg) == sorted(tuple(r[k] for k in key) for r in f_gp)
    assert sorted(r["seg_id"] for r in l_pg) == sorted(r["seg_id"] for r in l_gp)
    log = "\n".join(fb.lines)
    assert pg.schema in log and SECRET not in log


def test_trace_on_postgis_is_the_geopackages(provider_only, maps):
    gpkg, text, _, graphs = maps
    js = graphs["JS"]
    x, y = js.midpoint(5)
    got = {}
    for name, source in (("gp", gpkg), ("pg", text)):
        for direction in (0, 1, 2):
            result, context = run("pipemap:trace", {
                "MAP": source, "START": f"{x},{y} [EPSG:4547]", "CATEGORY": 1, "DIRECTION": direction,
                "STOP_AT": [0], "OUTPUT_SEGMENTS": "memory:", "OUTPUT_NODES": "memory:"})
            segs = sorted((r["seg_id"], r["flow"]) for r in rows(result["OUTPUT_SEGMENTS"], context))
            nodes = sorted((r["node"], r["point_id"], r["kind"], r["stop"]) for r in rows(result["OUTPUT_NODES"],
                                                                                          context))
            got[(name, direction)] = ({k: result[k] for k in ("SEGMENTS", "NODES", "STOPS", "CATEGORY_USED")},
                                      round(result["LENGTH_M"], 6), segs, nodes)
    for direction in (0, 1, 2):
        assert got[("pg", direction)] == got[("gp", direction)], direction
    assert got[("gp", 2)][0]["STOPS"] > 0 and got[("gp", 2)][0]["SEGMENTS"] > 0
    # from a point id, downstream along the drains
    ps = graphs["PS"]
    start = str(ps.point_id[int(ps.u[0])])
    a, ca = run("pipemap:trace", {"MAP": gpkg, "START_ID": start, "DIRECTION": 1, "OUTPUT_SEGMENTS": "memory:",
                                  "OUTPUT_NODES": "memory:"})
    b, cb = run("pipemap:trace", {"MAP": text, "START_ID": start, "DIRECTION": 1, "OUTPUT_SEGMENTS": "memory:",
                                  "OUTPUT_NODES": "memory:"})
    assert sorted(r["seg_id"] for r in rows(b["OUTPUT_SEGMENTS"], cb)) == \
        sorted(r["seg_id"] for r in rows(a["OUTPUT_SEGMENTS"], ca)) and b["SEGMENTS"] > 0


def test_isolate_on_postgis_with_customers_and_a_sheet(provider_only, maps, imported_district, tmp_path):
    gpkg, text, pg, graphs = maps
    roads = str(imported_district[1].roads) + "|layername=carriageway"
    for cat, code in (("JS", 1), ("RQ", 2)):
        (x, y), ref = first_between_valves(graphs, cat)
        out = {}
        for name, source in (("gp", gpkg), ("pg", text)):
            sheet = tmp_path / f"{cat}_{name}.pdf"
            result, context = run("pipemap:isolate", {
                "MAP": source, "FAILURE": f"{x},{y} [EPSG:4547]", "CATEGORY": code, "CUSTOMERS": roads,
                "CUSTOMER_DISTANCE": 30, "HAZARD_RADIUS": 30, "VALVES": "memory:", "SEGMENTS": "memory:",
                "NODES": "memory:", "CUSTOMERS_AFFECTED": "memory:", "SHEET": str(sheet)})
            valves = sorted((r["order"] or 0, r["point_id"], r["action"]) for r in rows(result["VALVES"], context))
            segs = sorted((r["seg_id"], r["state"]) for r in rows(result["SEGMENTS"], context))
            affected = sorted((r["road"], r["supply_state"], r["nearest_seg"], r["in_hazard"])
                              for r in rows(result["CUSTOMERS_AFFECTED"], context))
            numbers = {k: result[k] for k in ("N_VALVES", "N_SOURCES", "N_ISOLATED", "N_CUT_OFF", "N_HYDRANTS",
                                              "N_CUSTOMERS", "N_IN_HAZARD", "CATEGORY_USED", "FAILED_SEGMENT")}
            out[name] = (numbers, valves, segs, affected)
            assert sheet.is_file() and sheet.read_bytes().startswith(b"%PDF")
        assert out["pg"] == out["gp"], cat
        numbers, valves, _, affected = out["pg"]
        assert numbers["FAILED_SEGMENT"] == ref.seg_id and numbers["N_VALVES"] == ref.valves_to_close >= 2
        assert [v[1] for v in valves if v[0]] == [o.point_id for o in ref.to_operate]
        assert numbers["N_CUSTOMERS"] == sum(1 for a in affected if a[1]) > 0
    # the sheet names the PostGIS map without its password, and draws its pipes
    sheet = tmp_path / "RQ_pg.pdf"
    if subprocess.run(["which", "pdftotext"], capture_output=True).returncode == 0:
        page = subprocess.run(["pdftotext", "-enc", "UTF-8", str(sheet), "-"], capture_output=True).stdout.decode()
        assert pg.schema in page and SECRET not in page
    assert abs(sheet.stat().st_size - (tmp_path / "RQ_gp.pdf").stat().st_size) < 0.5 * sheet.stat().st_size


def test_checksreport_draws_the_postgis_maps_pipes(provider_only, maps, tmp_path):
    from pipemap.processing.report import png_variance

    gpkg, text, pg, _ = maps
    clash = tmp_path / "clash.gpkg"
    run("pipemap:clashcheck", {"MAP": gpkg, "OUTPUT": str(clash)})
    pages = {}
    for name, source in (("gp", gpkg), ("pg", text)):
        html = tmp_path / f"report_{name}.html"
        feedback = Feedback()
        result, _ = run("pipemap:checksreport", {"CLASH": str(clash), "MAP": source, "SNAPSHOTS": 2,
                                                 "OUTPUT_HTML": str(html)}, feedback)
        page = html.read_text(encoding="utf-8")
        images = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
        pages[name] = (result["FINDINGS"], len(images), page, images, feedback)
    f_gp, n_gp, _, _, _ = pages["gp"]
    f_pg, n_pg, page, images, feedback = pages["pg"]
    assert (f_pg, n_pg) == (f_gp, n_gp) and f_pg > 0 and n_pg == 2
    import base64

    assert all(png_variance(base64.b64decode(img)) > 50 for img in images)
    assert pg.schema in page and SECRET not in page and SECRET not in "\n".join(feedback.lines)


def test_wrong_password_and_missing_schema_are_clear(provider_only, maps, postgis, tmp_path):
    from qgis.core import QgsProcessingException

    _, _, pg, _ = maps
    # the cluster trusts local users: a role that does not exist is what refuses the login
    bad = pg.with_params(user="nobody_x", password=SECRET).uri(with_password=True)
    missing = support.map_string({**postgis, "password": SECRET}, support.unique_schema("gone"))
    for alg, extra in (("pipemap:topologycheck", {"OUTPUT": "memory:"}),
                       ("pipemap:trace", {"START_ID": "x", "OUTPUT_SEGMENTS": "memory:", "OUTPUT_NODES": "memory:"}),
                       ("pipemap:isolate", {"FAILURE": "0,0 [EPSG:4547]", "VALVES": "memory:", "SEGMENTS": "memory:",
                                            "NODES": "memory:"})):
        with pytest.raises(QgsProcessingException) as info:
            run(alg, {"MAP": bad, **extra})
        text = str(info.value)
        assert "Cannot connect to the PostGIS map" in text and pg.schema in text and SECRET not in text, alg
        with pytest.raises(QgsProcessingException) as info:
            run(alg, {"MAP": missing, **extra})
        text = str(info.value)
        assert "does not exist" in text and missing.split("schema=")[1] in text and SECRET not in text, alg
    clash = tmp_path / "clash.gpkg"
    run("pipemap:clashcheck", {"MAP": maps[0], "OUTPUT": str(clash)})
    for source, expected in ((bad, "Cannot connect to the PostGIS map"), (missing, "does not exist")):
        with pytest.raises(QgsProcessingException) as info:
            run("pipemap:checksreport", {"CLASH": str(clash), "MAP": source, "OUTPUT_HTML": str(tmp_path / "r.html")})
        assert expected in str(info.value) and SECRET not in str(info.value)
    assert not (tmp_path / "r.html").exists()


def qgis_process(*args, timeout=240):
    proc = subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    out = json.loads(proc.stdout[proc.stdout.index("{"):])
    # qgis_process echoes the parameters given ("inputs"); the log and the results never hold the password
    log = json.dumps(out["log"], ensure_ascii=False)
    assert "PostGIS map" in log and SECRET not in log
    assert SECRET not in json.dumps(out["results"]) and SECRET not in proc.stderr
    return out["results"]


def test_trace_and_isolate_through_qgis_process(maps, tmp_path):
    from osgeo import ogr

    gpkg, text, _, graphs = maps
    (x, y), ref = first_between_valves(graphs, "JS")
    tr = qgis_process("run", "pipemap:trace", "--json", "--", f"MAP={text}", f"START={x},{y} [EPSG:4547]",
                      "STOP_AT=0", f"OUTPUT_SEGMENTS={tmp_path / 'tr_s.gpkg'}",
                      f"OUTPUT_NODES={tmp_path / 'tr_n.gpkg'}")
    assert tr["SEGMENTS"] == len(ref.isolated_edges) > 0 and tr["CATEGORY_USED"] == "JS"
    ds = ogr.Open(str(tmp_path / "tr_s.gpkg"))
    assert sorted(f.GetField("seg_id") for f in ds.GetLayer(0)) == sorted(
        graphs["JS"].seg_ids[ref.isolated_edges].tolist())
    ds = None
    iso = qgis_process("run", "pipemap:isolate", "--json", "--", f"MAP={text}", f"FAILURE={x},{y} [EPSG:4547]",
                       f"VALVES={tmp_path / 'v.gpkg'}", f"SEGMENTS={tmp_path / 's.gpkg'}",
                       f"NODES={tmp_path / 'n.gpkg'}", f"SHEET={tmp_path / 'sheet.pdf'}")
    assert iso["N_VALVES"] == ref.valves_to_close and iso["FAILED_SEGMENT"] == ref.seg_id
    ds = ogr.Open(str(tmp_path / "v.gpkg"))
    assert sorted(f.GetField("point_id") for f in ds.GetLayer(0)) == sorted(o.point_id for o in ref.operations)
    ds = None
    assert (tmp_path / "sheet.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.usefixtures("flashes_finished", "pipemap_settings_restored")
def test_workbench_network_section_on_a_postgis_map(dock, maps, postgis):
    """The Network section with a PostGIS map open: the networks are read, isolation, trace and the topology
    check run on it, and "read again" picks up an edit made in the database."""
    from pipemap_test_workbench import wait_for, wait_idle

    from pipemap.core.network import graph as ng
    from pipemap.core.network import isolate as iso
    from pipemap.core.network.topology import check_topology
    from pipemap.core.network.trace import trace
    from pipemap.core.pg import transfer
    from pipemap.core.pg.connect import parse_map

    gpkg, _, _, graphs = maps
    # a map of its own: this test changes it
    text = support.map_string({**postgis, "password": SECRET}, support.unique_schema("netwb"))
    transfer.gpkg_to_postgis(gpkg, parse_map(text))
    section = dock.network_section
    dock.set_map(text)
    assert dock.map_is_postgis()
    wait_for(section.graphs_ready, 60, "the networks to be read")
    assert "PostGIS" in section.status.text() and SECRET not in section.status.text()
    assert set(section.graphs) == set(graphs)
    assert section.map_crs().authid() == "EPSG:4547"  # from the map's metadata: the project has no layer of it

    # isolation as on the GeoPackage map
    pressure = {c: g for c, g in ng.load_graphs(gpkg, sorted(ng.PRESSURE)).items()}
    for g in pressure.values():
        iso.prepare(g)
    (x, y), _ = first_between_valves(graphs, "JS")
    section.failure = (x, y)
    got = section.isolate()
    ref = iso.isolate_at(pressure, x, y, None, [], [], section.search_spin.value())
    assert got is not None and got.seg_id == ref.seg_id
    assert [o.point_id for o in got.operations] == [o.point_id for o in ref.operations] and ref.valves_to_close >= 2

    # a connected trace
    js = graphs["JS"]
    section.direction_combo.setCurrentIndex(section.direction_combo.findData("connected"))
    section.stop_valves.setChecked(True)
    section.trace_category.setCurrentIndex(section.trace_category.findData("JS"))
    x1, y1 = js.midpoint(5)
    tr = section.trace(x1, y1)
    want = trace(js, edge=js.nearest_edge(x1, y1, 50.0)[0], direction="connected", stop_kinds={ng.VALVE})
    assert tr is not None and sorted(js.seg_ids[tr.edges].tolist()) == sorted(js.seg_ids[want.edges].tolist())

    # the topology check through pipemap:topologycheck with the PostGIS map
    assert section.run_topology()
    wait_idle(dock)
    expected = check_topology(graphs)
    assert sorted((f["reason"], f["seg_id"]) for f in section.findings) == sorted(
        (r["reason"], r["seg_id"]) for r in expected.rows) and len(expected) > 0

    # another department abandons a segment; "read again" sees it
    wait_for(section.graphs_ready, 60, "the networks to be read")
    gone = str(js.seg_ids[0])
    con = support.connect(postgis)
    try:
        with con.cursor() as cur:
            cur.execute(f'UPDATE "{parse_map(text).schema}".pipe_segment SET status = %s WHERE seg_id = %s',
                        ("1", gone))
        con.commit()
    finally:
        con.close()
    assert section.graphs["JS"].edge_of(gone) is not None
    section.status.linkActivated.emit("reload")
    wait_for(section.graphs_ready, 60, "the networks to be read again")
    assert section.graphs["JS"].edge_of(gone) is None
    assert section.graphs["JS"].n_edges == js.n_edges - 1
    dock.set_map("")
