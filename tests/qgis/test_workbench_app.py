"""End to end in the real QGIS application (DESIGN.md section 2: pytest-qgis's iface is a stand-in).

Starts ``qgis`` with a scratch profile under the test's X display (Xvfb), loads PipeMap and drives
the workbench from a ``--code`` script the way a person clicks through the demo: create a map,
import the sample district, run the checks, open a GPR survey, find picks, move along the
radargram. The script writes what it saw as JSON and a screenshot of the whole QGIS window.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.qgis

ROOT = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

DRIVER = r'''
import json, os, sys, time, traceback
from qgis.utils import iface, loadPlugin, startPlugin, plugins
from qgis.core import QgsCoordinateReferenceSystem, QgsProject, QgsRectangle, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QPoint, Qt, QTimer
from qgis.PyQt.QtGui import QMouseEvent
from qgis.PyQt.QtTest import QTest

ARGS = json.loads(os.environ["PIPEMAP_E2E"])
out = {"steps": []}


def steps():
    assert loadPlugin("pipemap") and startPlugin("pipemap"), "PipeMap did not start"
    window = iface.mainWindow()
    window.resize(1600, 1000)
    dock = plugins["pipemap"].show_workbench()
    out["dock_in_window"] = dock.parentWidget() is window and not dock.isFloating()
    busy = lambda: dock.runner.is_busy()
    # the map
    dock.map_section.path_edit.setFilePath(ARGS["map"])
    dock.map_section.create_button.click()
    while busy():
        yield
    dock.map_section.tables_folder.setFilePath(ARGS["tables"])
    dock.map_section.import_button.click()
    while busy():
        yield
    out["steps"].append("import")
    out["segments"] = dock.map_layer("pipe_segment").featureCount()
    dock.map_section.dem_file.setFilePath(ARGS["dem"])
    # the checks
    dock.show_section(dock.checks_section)
    for name, on in (("clash", True), ("cover", True), ("excavation", False)):
        dock.checks_section.check_boxes[name].setChecked(on)
    dock.checks_section.run_button.click()
    while busy():
        yield
    out["steps"].append("checks")
    out["findings"] = len(dock.checks_section.findings)
    out["fail"] = sum(1 for f in dock.checks_section.findings if f["verdict"] == "FAIL")
    # a burst water main: the Isolate tool and a mouse click on the pipe
    net = dock.network_section
    while not net.graphs_ready():
        yield
    from pipemap.core.network import isolate as iso
    js = net.graphs["JS"]
    edge = next(e for e in range(js.n_edges) if iso.isolate(js, e, 0.5).valves_to_close >= 2)
    mx, my = js.midpoint(edge)
    canvas = iface.mapCanvas()
    canvas.setExtent(QgsRectangle(mx - 150.0, my - 100.0, mx + 150.0, my + 100.0))
    canvas.refresh()
    for _ in range(10):
        yield
    dock.tool_actions["isolate"].trigger()
    out["isolate_tool"] = canvas.mapTool() is dock.isolate_tool
    pixel = canvas.getCoordinateTransform().transform(mx, my)
    QTest.mouseClick(canvas.viewport(), Qt.LeftButton, Qt.NoModifier, QPoint(int(round(pixel.x())),
                                                                              int(round(pixel.y()))))
    out["failure"] = list(net.failure) if net.failure else None
    out["operations"] = [[o.order, o.point_id, o.action] for o in net.result.operations] if net.result else []
    out["listed"] = [list(r) for r in net.listed_operations()]
    net.zoom_to_result()
    for _ in range(30):
        yield
    window.grab().save(ARGS["screenshot_network"], "PNG")
    net.clear_results()
    dock.tool_actions["isolate"].trigger()
    out["steps"].append("isolate")
    # GPR
    gpr = dock.gpr_section
    dock.show_section(gpr)
    gpr.file_edit.setFilePath(ARGS["segy"])
    gpr.open_button.click()
    while busy():
        yield
    gpr.pick_button.click()
    while busy():
        yield
    out["steps"].append("gpr")
    out["picks"] = len(gpr.picks)
    gpr.pick_table.selectRow(0)
    gpr.accept_button.click()
    view = gpr.panel.view
    for _ in range(20):  # let the window lay the radargram dock out
        yield
    pos = QPoint(int(view.x_for_trace(620)), int(view.plot_rect().center().y()))
    QCoreApplication.sendEvent(view, QMouseEvent(QEvent.MouseMove, pos, Qt.NoButton, Qt.NoButton, Qt.NoModifier))
    out["hover_trace"] = view.cursor_trace
    centre = gpr.link.marker.center()
    out["marker"] = [centre.x(), centre.y()]
    canvas = iface.mapCanvas()
    canvas.setExtent(QgsRectangle(537990.0, 3379930.0, 538130.0, 3380070.0))
    canvas.refresh()
    for _ in range(30):
        yield
    window.grab().save(ARGS["screenshot"], "PNG")
    out["steps"].append("screenshot")


def run():
    gen = steps()
    timer = QTimer()

    def tick():
        try:
            next(gen)
        except StopIteration:
            finish(0)
        except Exception:
            out["error"] = traceback.format_exc()
            finish(1)

    def finish(code):
        timer.stop()
        with open(ARGS["result"], "w", encoding="utf-8") as f:
            json.dump(out, f)
        os._exit(code)

    timer.timeout.connect(tick)
    timer.start(50)
    run.timer = timer


QTimer.singleShot(500, run)
'''


@pytest.fixture(scope="module")
def qgis_binary():
    exe = shutil.which("qgis")
    if exe is None:
        if IN_CI:
            pytest.fail("CI=true but the qgis application is not installed")
        pytest.skip("the qgis application is not installed")
    if not os.environ.get("DISPLAY") and shutil.which("xvfb-run") is None:
        pytest.skip("no X display and no xvfb-run")
    return exe


def test_demo_workflow_in_the_real_qgis_window(qgis_binary, tmp_path, output_dir):
    from pipemap.core import sample_district
    from pipemap.core.gpr import synth

    district = sample_district.generate(tmp_path / "district", errors=False)
    # the survey file needs a map to place its pipes: build it with core, the panel builds its own
    from pipemap.core import mapfile
    from pipemap.core.survey import importer

    scratch = tmp_path / "scratch.gpkg"
    mapfile.create_map(scratch, "EPSG:4547")
    assert importer.import_survey(scratch, district.tables).committed
    line = np.array([[538055.0, 3379950.0], [538055.0, 3380050.0]])
    segy, _, _ = synth.district_survey_file(str(scratch), str(district.dem), line, str(tmp_path / "survey.sgy"),
                                            "EPSG:4547", seed=5)
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "pipemap").symlink_to(ROOT)
    driver = tmp_path / "drive.py"
    driver.write_text(DRIVER, encoding="utf-8")
    shot = output_dir / "screenshots" / "qgis_window.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    shot.unlink(missing_ok=True)
    result = tmp_path / "result.json"
    shot_network = output_dir / "screenshots" / "qgis_window_network.png"
    shot_network.unlink(missing_ok=True)
    args = {"map": str(tmp_path / "demo.gpkg"), "tables": str(district.tables), "dem": str(district.dem),
            "segy": str(segy), "screenshot": str(shot), "screenshot_network": str(shot_network),
            "result": str(result)}
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)  # the real window (xcb on the test's Xvfb display)
    site = [p for p in sys.path if p.endswith("site-packages") and str(ROOT / ".venv") in p]
    env["PYTHONPATH"] = os.pathsep.join(site + [env.get("PYTHONPATH", "")]).strip(os.pathsep)
    env["QGIS_PLUGINPATH"] = str(plugins)
    env["PIPEMAP_E2E"] = json.dumps(args)
    cmd = [qgis_binary, "--nologo", "--noversioncheck", "--noplugins", "--profiles-path", str(tmp_path / "profiles"),
           "--code", str(driver)]
    if not env.get("DISPLAY"):
        cmd = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24"] + cmd
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=240)
    assert result.is_file(), f"QGIS ended ({proc.returncode}) without a result:\n{proc.stderr[-3000:]}"
    from qgis.PyQt.QtGui import QImage

    seen = json.loads(result.read_text(encoding="utf-8"))
    assert "error" not in seen, seen["error"]
    assert seen["steps"] == ["import", "checks", "isolate", "gpr", "screenshot"]
    assert seen["dock_in_window"] is True
    assert seen["segments"] == district.n_segments
    assert seen["findings"] > 0 and seen["fail"] > 0
    # the isolation the real window showed is the one core computes on the same map
    from pipemap.core.network import graph as ng
    from pipemap.core.network import isolate as iso

    assert seen["isolate_tool"] is True and seen["failure"] is not None
    ref = iso.isolate_at(ng.load_graphs(scratch, sorted(ng.PRESSURE), tolerance=0.01), *seen["failure"],
                         search_distance=50.0)
    assert seen["operations"] == [[o.order, o.point_id, o.action] for o in ref.operations]
    assert len(seen["operations"]) >= 2 and [r[1] for r in seen["listed"]] == [o.point_id for o in ref.operations]
    assert QImage(str(shot_network)).width() >= 1000
    assert seen["picks"] >= 8
    assert seen["marker"][0] == pytest.approx(line[0, 0], abs=1e-3)
    assert seen["marker"][1] == pytest.approx(line[0, 1] + seen["hover_trace"] * 0.05, abs=1e-3)
    assert abs(seen["hover_trace"] - 620) <= 3
    image = QImage(str(shot))
    assert not image.isNull() and image.width() >= 1000
    grey = [QImage(image).pixelColor(x, y).value() for x in range(0, image.width(), 37)
            for y in range(0, image.height(), 29)]
    assert np.std(grey) > 5, "the QGIS window screenshot is blank"
