"""The workbench's Network section and its Isolate and Trace map tools, in a QGIS window (pytest-qgis
under Xvfb), on the sample district.

A click on a water main with the Isolate tool (a mouse click on the map canvas) lists the valves a
direct ``core.network.isolate.isolate_at`` gives, in the same order; marking the first valve failed
lists those of the next ring; the Trace tool agrees with ``core.network.trace``; the topology check
with ``core.network.topology``; the response sheet is a one-page PDF.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from pipemap_test_workbench import click, click_map, scroll_to_top, wait_for, wait_idle
from pipemap_test_workbench import grab_png as _grab_png

pytestmark = [pytest.mark.qgis, pytest.mark.usefixtures("flashes_finished", "pipemap_settings_restored")]
grab_png = partial(_grab_png, passes=5)  # the panel's word-wrapped labels need a few layout passes


@pytest.fixture(scope="module")
def direct(imported_district):
    """The district's networks read directly, as the GUI hook describes: pressure networks for
    isolation, every category for traces."""
    from pipemap.core.network import graph as ng
    from pipemap.core.network import isolate as iso

    path, _ = imported_district
    pressure = ng.load_graphs(path, sorted(ng.PRESSURE), tolerance=0.01)
    for g in pressure.values():
        iso.prepare(g)
    return {"pressure": pressure, "all": ng.load_graphs(path, tolerance=0.01)}


def open_map(dock, map_path) -> None:
    section = dock.map_section
    dock.show_section(section)
    section.path_edit.setFilePath(str(map_path))
    click(section.open_button)
    assert dock.map_path == str(map_path)
    wait_for(dock.network_section.graphs_ready, 60, "the networks to be read")


def between_valves(graphs, category: str):
    """A segment whose isolation closes at least two valves and whose first valve, when it fails,
    gives a different ring (its edge and midpoint)."""
    from pipemap.core.network import isolate as iso

    g = graphs[category]
    for e in range(g.n_edges):
        r = iso.isolate(g, e, 0.5)
        if r.valves_to_close < 2:
            continue
        r2 = iso.isolate(g, e, 0.5, failed=[r.operations[0].node])
        if r2.valves_to_close and [o.point_id for o in r2.operations] != [o.point_id for o in r.operations]:
            return e, g.midpoint(e)
    raise AssertionError("no segment between valves")


def expected_rows(section, result) -> list[tuple[str, str, str]]:
    return [(str(o.order) if o.order else "–", o.point_id, section.action_text(o.action)) for o in result.operations]


def layer_values(section, key: str, field: str) -> list:
    from qgis.core import QgsProject

    layer = QgsProject.instance().mapLayer(section.layer_ids[key])
    assert layer is not None, key
    return [f[field] for f in layer.getFeatures()]


def test_isolate_tool_lists_the_valves_of_a_direct_isolation(dock, imported_district, direct, output_dir):
    from qgis.core import QgsGeometry, QgsPointXY
    from qgis.PyQt.QtCore import QLocale

    from pipemap.core.network import isolate as iso

    map_path, _ = imported_district
    open_map(dock, map_path)
    section = dock.network_section
    assert "JS" in section.status.text() and "604 segments" in section.status.text()
    assert set(section.graphs) >= set(direct["pressure"])
    edge, (mx, my) = between_valves(direct["pressure"], "JS")
    seg_id = str(direct["pressure"]["JS"].seg_ids[edge])
    dock.zoom_and_flash([QgsGeometry.fromPointXY(QgsPointXY(mx, my))], dock.map_crs(), min_size=120.0)

    # the Isolate tool from the panel's tool bar, and a mouse click on the pipe
    dock.tool_actions["isolate"].trigger()
    assert dock.canvas.mapTool() is dock.isolate_tool
    click_map(dock.canvas, mx, my)
    result = section.result
    assert result is not None, section.summary.text()
    fx, fy = section.failure
    assert abs(fx - mx) < 0.5 and abs(fy - my) < 0.5  # a pixel is ~0.15 m here
    ref = iso.isolate_at(direct["pressure"], fx, fy, category=None, failed_ids=[], closed_ids=[],
                         search_distance=50.0)
    assert ref.seg_id == seg_id == result.seg_id and ref.category == "JS"
    rows = section.listed_operations()
    assert rows == expected_rows(section, ref) and len(rows) >= 2
    assert [r[0] for r in rows] == [str(i) for i in range(1, len(rows) + 1)]  # in order of travel
    locale = QLocale()
    for r, o in enumerate(ref.operations):  # positions and distances as listed
        assert section.valve_table.item(r, 4).text() == locale.toString(o.x, "f", 2)
        assert section.valve_table.item(r, 5).text() == locale.toString(o.y, "f", 2)
        assert section.valve_table.item(r, 6).text() == locale.toString(o.leg_m, "f", 0)
        assert section.valve_table.item(r, 7).text() == locale.toString(o.cum_m, "f", 0)
    assert seg_id in section.summary.text()
    if ref.hydrants:
        assert all(h in section.summary.text() for h in ref.hydrants)
    # on the map: isolated and cut-off segments, numbered operations, hydrants, the failure
    js = direct["pressure"]["JS"]
    states = dict(zip(layer_values(section, "isolation_segments", "seg_id"),
                      layer_values(section, "isolation_segments", "state")))
    assert sorted(k for k, v in states.items() if v == "isolated") == sorted(js.seg_ids[ref.isolated_edges].tolist())
    assert sorted(k for k, v in states.items() if v == "cut_off") == sorted(js.seg_ids[ref.cut_off_edges].tolist())
    roles = layer_values(section, "isolation_points", "role")
    labels = layer_values(section, "isolation_points", "label")
    assert roles.count("close") == ref.valves_to_close and roles.count("failure") == 1
    assert roles.count("hydrant") == len(ref.hydrants)
    assert sorted(x for x in labels if x) == sorted(str(o.order) for o in ref.operations if o.order)

    # a click on a listed valve centres the map on it
    dock.canvas.zoomScale(500.0)
    last = len(rows) - 1
    section.valve_table.selectRow(last)
    section.zoom_to_operation(last)
    assert dock.canvas.extent().contains(QgsPointXY(ref.operations[last].x, ref.operations[last].y))
    assert dock.canvas.extent().width() < 200

    # the first valve fails to operate: the next ring
    section.valve_table.selectRow(0)
    first = ref.operations[0].point_id
    click(section.failed_button)
    assert section.failed_edit.text() == first
    ref2 = iso.isolate_at(direct["pressure"], fx, fy, category=None, failed_ids=[first], closed_ids=[],
                          search_distance=50.0)
    rows2 = section.listed_operations()
    assert rows2 == expected_rows(section, ref2) and rows2 != rows
    assert first not in {r[1] for r in rows2}
    assert first in section.summary.text()  # "Failed valves passed: ..."
    assert len(section.result.isolated_edges) > len(ref.isolated_edges)

    # the response sheet (pipemap:isolate with SHEET, through the task runner)
    click(section.sheet_button)
    assert dock.runner.is_busy()
    wait_idle(dock)
    sheet = Path(section.sheet_path)
    assert sheet.is_file() and sheet.read_bytes().startswith(b"%PDF"), dock.runner.last_log
    assert sheet.name in section.sheet_label.text()
    import re

    assert re.findall(rb"/Type\s*/Pages[^>]*?/Count\s+(\d+)", sheet.read_bytes())[-1] == b"1"  # one page
    # the algorithm isolated the same failure with the failed valve passed
    assert section.sheet_results["FAILED_SEGMENT"] == seg_id and section.sheet_results["CATEGORY_USED"] == "JS"
    assert section.sheet_results["N_VALVES"] == ref2.valves_to_close
    assert section.sheet_results["N_ISOLATED"] == len(ref2.isolated_edges)

    dock.show_section(section)
    section.valve_table.selectRow(0)
    scroll_to_top(section)
    shot = output_dir / "screenshots" / "workbench_network.png"
    pixels = grab_png(dock, shot, (460, 980))
    assert pixels.std() > 0, "the panel screenshot is blank"
    # the result is on the screenshot: the red of the "close" actions
    red = (pixels[:, :, 0] > 180) & (pixels[:, :, 1] < 60) & (pixels[:, :, 2] < 60)
    assert red.sum() > 20

    # back to the first ring
    section.reset_failed()
    assert section.listed_operations() == rows
    # the map view with the whole isolation drawn
    dock.canvas.zoomScale(200.0)
    click(section.zoom_button)
    extent = dock.canvas.extent()
    assert all(extent.contains(QgsPointXY(o.x, o.y)) for o in ref.operations)
    assert extent.contains(QgsPointXY(fx, fy))
    dock.canvas.refresh()
    dock.canvas.waitWhileRendering()
    canvas_pixels = grab_png(dock.canvas, output_dir / "screenshots" / "network_map.png")
    assert canvas_pixels.std() > 5
    blue = (canvas_pixels[:, :, 2] > 150) & (canvas_pixels[:, :, 0] < 120)
    assert blue.sum() > 100, "the isolated segments are not drawn"


def test_trace_tool_and_topology_check(dock, imported_district, direct):
    from qgis.core import QgsGeometry, QgsPointXY

    from pipemap.core.network import graph as ng
    from pipemap.core.network.topology import check_topology
    from pipemap.core.network.trace import trace

    map_path, _ = imported_district
    open_map(dock, map_path)
    section = dock.network_section
    graphs = direct["all"]

    def nearest(x, y):
        hits = [(g.nearest_edge(x, y, 50.0), g) for g in graphs.values()]
        hit, g = min(((h, g) for h, g in hits if h is not None), key=lambda t: t[0][1])
        return g, hit[0]

    # downstream along a drain, with the Trace tool
    ps = graphs["PS"]
    e0 = max(range(ps.n_edges), key=lambda k: len(trace(ps, edge=k, direction="downstream").edges))
    x, y = ps.midpoint(e0)
    dock.zoom_and_flash([QgsGeometry.fromPointXY(QgsPointXY(x, y))], dock.map_crs(), min_size=60.0)
    section.direction_combo.setCurrentIndex(section.direction_combo.findData("downstream"))
    section.stop_valves.setChecked(False)
    dock.tool_actions["trace"].trigger()
    assert dock.canvas.mapTool() is dock.trace_tool
    click_map(dock.canvas, x, y)
    got = section.trace_result
    assert got is not None, section.trace_summary.text()
    # the same start, found directly from where the tool was clicked
    g, e = nearest(x, y)
    assert g.category == "PS" and section.trace_graph.category == "PS"
    ref = trace(g, edge=e, direction="downstream")
    assert sorted(g.seg_ids[got.edges].tolist()) == sorted(g.seg_ids[ref.edges].tolist())
    assert len(ref.edges) >= 2
    traced = layer_values(section, "trace_segments", "seg_id")
    assert sorted(traced) == sorted(g.seg_ids[ref.edges].tolist())

    # connected on the water network, stopping at valves
    js = graphs["JS"]
    e1 = js.edge_of(str(js.seg_ids[5]))
    x1, y1 = js.midpoint(e1)
    dock.zoom_and_flash([QgsGeometry.fromPointXY(QgsPointXY(x1, y1))], dock.map_crs(), min_size=60.0)
    section.direction_combo.setCurrentIndex(section.direction_combo.findData("connected"))
    section.stop_valves.setChecked(True)
    section.trace_category.setCurrentIndex(section.trace_category.findData("JS"))
    click_map(dock.canvas, x1, y1)
    got = section.trace_result
    e = js.nearest_edge(x1, y1, 50.0)[0]
    ref = trace(js, edge=e, direction="connected", stop_kinds={ng.VALVE})
    assert sorted(js.seg_ids[got.edges].tolist()) == sorted(js.seg_ids[ref.edges].tolist())
    assert len(ref.stops) > 0
    stops = layer_values(section, "trace_stops", "point_id")
    assert sorted(stops) == sorted(js.point_id[ref.stops].tolist())
    assert all(js.kind[n] == ng.VALVE for n in ref.stops)

    # the topology check from the panel
    click(section.topology_button)
    wait_idle(dock)
    expected = check_topology(graphs)
    assert len(section.findings) == len(expected) == section.topology_table.rowCount() > 0
    assert sorted((f["reason"], f["seg_id"]) for f in section.findings) == sorted(
        (r["reason"], r["seg_id"]) for r in expected.rows)
    assert section.topology_table.item(0, 0).text() == section.tr("error") or \
        all(f["severity"] == "warning" for f in section.findings)
    row = next(i for i, f in enumerate(section.findings) if f["geometry"] is not None)
    section.zoom_to_finding(row)
    assert dock.canvas.extent().contains(section.findings[row]["geometry"].asPoint())

    # clearing takes the results off the map
    section.clear_results()
    assert section.result is None and section.trace_result is None
    assert "trace_segments" not in section.layer_ids
    from qgis.core import QgsProject

    assert QgsProject.instance().layerTreeRoot().findGroup("PipeMap network") is None


def test_graphs_are_read_in_a_task_and_again_after_a_change(dock, imported_district, tmp_path):
    """Opening a map reads its networks in the background; a map changed on disk is read again before
    the next click is answered; a click far from any pipe is a message, not an error."""
    import shutil

    from qgis.core import Qgis, QgsGeometry, QgsPointXY

    map_path, _ = imported_district
    copy = tmp_path / "copy.gpkg"
    shutil.copy(map_path, copy)
    section = dock.network_section
    dock.show_section(dock.map_section)
    dock.map_section.path_edit.setFilePath(str(copy))
    click(dock.map_section.open_button)
    assert section.load_task is not None or section.graphs_ready()  # reading: the panel is not blocked
    wait_for(section.graphs_ready, 60, "the networks to be read")
    first = section.graphs
    # the map changes on disk (an edit, as after an import): the next click reads it again first
    from osgeo import ogr

    js = first["JS"]
    gone = str(js.seg_ids[0])
    ds = ogr.Open(str(copy), 1)
    seg_layer = ds.GetLayerByName("pipe_segment")
    seg_layer.SetAttributeFilter(f"seg_id = '{gone}'")
    feat = seg_layer.GetNextFeature()
    assert seg_layer.DeleteFeature(feat.GetFID()) == 0
    ds = None
    assert not section.graphs_ready()
    x, y = js.midpoint(3)
    dock.zoom_and_flash([QgsGeometry.fromPointXY(QgsPointXY(x, y))], dock.map_crs(), min_size=60.0)
    dock.tool_actions["isolate"].trigger()
    click_map(dock.canvas, x, y)
    assert section.result is None and section.load_task is not None
    wait_for(lambda: section.result is not None, 60, "the isolation after reading again")
    assert section.graphs is not first and section.result.seg_id == str(js.seg_ids[3])
    assert section.graphs["JS"].edge_of(gone) is None and section.graphs["JS"].n_edges == js.n_edges - 1
    # far from every pipe
    section.failure = (x + 5000.0, y)
    assert section.isolate() is None
    messages = " ".join(dock.iface.messageBar().get_messages(Qgis.Warning))
    assert "GY/JS/RL/RQ pipe lies within 50" in messages
