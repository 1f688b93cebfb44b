"""The workbench's GPR section and radargram viewer, in a QGIS window (pytest-qgis under Xvfb).

A synthetic survey (SEG-Y as GPR software writes it) across the sample district's pipes, opened
from the panel: the radargram is linked to the survey line on the map both ways, the picks are
drawn on both and reviewed, the decisions are stored in the map.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pipemap_test_workbench import click, grab_png, wait_idle

pytestmark = [pytest.mark.qgis, pytest.mark.usefixtures("pipemap_settings_restored")]

LINE = np.array([[538055.0, 3379950.0], [538055.0, 3380050.0]])  # 100 m north across the street grid
SPACING = 0.05  # synth.survey_across_map's trace spacing


@pytest.fixture(scope="module")
def survey(tmp_path_factory):
    from pipemap.core import mapfile, sample_district
    from pipemap.core.gpr import synth
    from pipemap.core.survey import importer

    folder = tmp_path_factory.mktemp("wb_gpr")
    d = sample_district.generate(folder, errors=False)
    m = folder / "map.gpkg"
    mapfile.create_map(m, "EPSG:4547")
    assert importer.import_survey(m, d.tables).committed
    segy, truth, crossings = synth.district_survey_file(str(m), str(d.dem), LINE, str(folder / "survey.sgy"),
                                                       "EPSG:4547", seed=5)
    return {"map": m, "dem": d.dem, "segy": Path(segy), "truth": truth}


def open_survey(dock, survey) -> None:
    dock.show_section(dock.map_section)
    dock.map_section.path_edit.setFilePath(str(survey["map"]))
    click(dock.map_section.open_button)
    assert dock.map_path == str(survey["map"])
    dock.map_section.dem_file.setFilePath(str(survey["dem"]))
    gpr = dock.gpr_section
    dock.show_section(gpr)
    gpr.file_edit.setFilePath(str(survey["segy"]))
    click(gpr.open_button)
    wait_idle(dock)
    assert gpr.panel is not None, dock.status_label.text()


def test_radargram_moves_the_map_marker_and_back(dock, survey, qgis_processing):
    from qgis.core import QgsCoordinateReferenceSystem, QgsPointXY, QgsVectorLayer
    from qgis.PyQt.QtCore import QCoreApplication, QEvent, QPoint, Qt
    from qgis.PyQt.QtGui import QMouseEvent

    open_survey(dock, survey)
    gpr = dock.gpr_section
    view = gpr.panel.view
    n = int(LINE[1, 1] - LINE[0, 1]) * 20 + 1
    assert view.n_traces == n == gpr.survey["n_traces"]
    assert view.n_samples == 1024
    line = next(QgsVectorLayer(str(dock.map_path) + "|layername=gpr_survey", "s", "ogr").getFeatures())
    assert line["survey_id"] == "survey.sgy", "the survey was recorded in the map"

    gpr.panel.resize(1000, 360)
    gpr.radargram_dock.setFloating(True)
    gpr.radargram_dock.show()
    QCoreApplication.processEvents()
    for trace in (620, 1337, 0, n - 1):
        x = view.x_for_trace(trace)
        pos = QPoint(int(round(x)), int(view.plot_rect().center().y()))
        expected_trace = view.trace_at(pos.x())
        assert abs(expected_trace - trace) <= n / view.plot_rect().width() + 1  # a pixel spans ~2 traces
        event = QMouseEvent(QEvent.MouseMove, pos, Qt.NoButton, Qt.NoButton, Qt.NoModifier)
        QCoreApplication.sendEvent(view, event)
        assert view.cursor_trace == expected_trace
        centre = gpr.link.marker.center()
        assert gpr.link.marker.isVisible()
        # the survey line point at that trace (synthetic line: straight north, 5 cm a trace)
        assert centre.x() == pytest.approx(LINE[0, 0], abs=1e-3)
        assert centre.y() == pytest.approx(LINE[0, 1] + expected_trace * SPACING, abs=1e-3)
    assert "trace" in gpr.panel.status.text() and "ns" in gpr.panel.status.text()

    # and back: a click on the map near the line moves the radargram's cursor
    gpr.map_button.setChecked(True)
    canvas = dock.canvas
    assert canvas.mapTool() is gpr.position_tool
    canvas.setExtent(canvas.extent().__class__(538000.0, 3379940.0, 538110.0, 3380060.0))
    canvas.refresh()
    target = QgsPointXY(538055.3, 3380010.0)  # 30 cm beside the line, 60 m along it
    pixel = canvas.getCoordinateTransform().transform(target)
    from qgis.gui import QgsMapMouseEvent

    press = QgsMapMouseEvent(canvas, QEvent.MouseButtonPress, QPoint(int(pixel.x()), int(pixel.y())), Qt.LeftButton)
    gpr.position_tool.canvasPressEvent(press)
    assert abs(view.cursor_trace - 1200) <= 2
    assert gpr.link.marker.center().y() == pytest.approx(LINE[0, 1] + view.cursor_trace * SPACING, abs=1e-3)
    gpr.map_button.setChecked(False)
    assert canvas.mapTool() is not gpr.position_tool

    # in another canvas CRS the marker is reprojected
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    gpr.link.show_trace(620)
    lonlat = gpr.link.marker.center()
    assert 113.0 < lonlat.x() < 115.5 and 30.0 < lonlat.y() < 31.5


def test_picks_are_drawn_reviewed_and_stored(dock, survey, tmp_path, output_dir, qgis_processing):
    from qgis import processing
    from qgis.core import QgsVectorLayer

    from pipemap.plugin import pick_review

    open_survey(dock, survey)
    gpr = dock.gpr_section
    click(gpr.pick_button)
    wait_idle(dock)
    direct = processing.run("pipemap:gprpick", {"INPUT": str(survey["segy"]), "CRS": "EPSG:4547",
                                                "OUTPUT": str(tmp_path / "p.gpkg")})
    expected = sorted((f["pick_id"], f["trace"]) for f in QgsVectorLayer(direct["OUTPUT"], "p", "ogr").getFeatures())
    assert sorted((p["pick_id"], p["trace"]) for p in gpr.picks) == expected
    assert len(expected) >= len(survey["truth"]) - 1
    assert gpr.pick_table.rowCount() == len(expected)
    assert len(gpr.panel.view.picks) == len(expected) == len(gpr.link.pick_markers)

    # review: accept the first with an edited depth and a category, reject the second
    gpr.pick_table.selectRow(0)
    first = gpr.current_pick()
    assert gpr.link.marker.center().y() == pytest.approx(LINE[0, 1] + first["trace"] * SPACING, abs=1e-3)
    gpr.depth_spin.setValue(first["depth_m"] + 0.1)
    gpr.category_combo.setCurrentIndex(gpr.category_combo.findData("JS"))
    click(gpr.accept_button)
    gpr.pick_table.selectRow(1)
    second = gpr.current_pick()
    click(gpr.reject_button)
    stored = pick_review.load(dock.map_path, str(survey["segy"]))
    assert stored[first["pick_id"]]["decision"] == "accepted"
    assert stored[first["pick_id"]]["edited"] == 1
    assert stored[first["pick_id"]]["depth_m"] == pytest.approx(first["depth_m"] + 0.1, abs=1e-3)
    assert stored[first["pick_id"]]["category"] == "JS"
    assert stored[first["pick_id"]]["y"] == pytest.approx(first["y"], abs=1e-6)
    assert stored[second["pick_id"]]["decision"] == "rejected"
    assert dock.map_layer("gpr_pick_review") is not None
    assert dock.map_layer("gpr_pick_review").featureCount() == 2
    # a second decision on the same pick replaces the first
    gpr.select_pick(second["pick_id"])
    click(gpr.accept_button)
    assert len(pick_review.load(dock.map_path)) == 2
    assert pick_review.load(dock.map_path)[second["pick_id"]]["decision"] == "accepted"

    # picking again keeps the decisions stored with the survey
    click(gpr.pick_button)
    wait_idle(dock)
    status = {p["pick_id"]: p["status"] for p in gpr.picks}
    assert status[first["pick_id"]] == "accepted" and status[second["pick_id"]] == "accepted"
    assert sum(1 for s in status.values() if s == "pending") == len(status) - 2
    colours = {m.color().name() for m in gpr.link.pick_markers}
    assert len(colours) == 2  # accepted and still to review

    # a click on a pick in the radargram selects it in the table
    third = gpr.picks[2]
    from qgis.PyQt.QtCore import QPoint, Qt
    from qgis.PyQt.QtTest import QTest

    gpr.panel.resize(1000, 360)
    view = gpr.panel.view
    QTest.mouseClick(view, Qt.LeftButton, Qt.NoModifier,
                     QPoint(int(view.x_for_trace(third["trace"])), int(view.y_for_time(third["t0_ns"]))))
    assert gpr.current_pick()["pick_id"] == third["pick_id"]

    # compare the picks with the map along the survey line
    click(gpr.reconcile_button)
    wait_idle(dock)
    counts = gpr.reconciliation["counts"]
    line = processing.run("pipemap:gprimport", {"INPUT": str(survey["segy"]), "CRS": "EPSG:4547", "PROCESSING": "none",
                                                "OUTPUT_LINE": str(tmp_path / "line.gpkg")})
    rec = processing.run("pipemap:gprreconcile", {"PICKS": gpr.picks_path, "LINE": line["OUTPUT_LINE"],
                                                  "MAP": str(survey["map"]), "GROUND": str(survey["dem"]),
                                                  "OUTPUT": str(tmp_path / "disc.gpkg")})
    assert counts == {k: rec[k] for k in ("CONFIRMED", "DEPTH_MISMATCH", "NOT_DETECTED", "UNMAPPED")}
    assert counts["CONFIRMED"] >= 5
    assert Path(gpr.reconciliation["report"]).is_file() and gpr.reconcile_report.isEnabled()

    shots = output_dir / "screenshots"
    pixels = grab_png(gpr.panel, shots / "radargram_viewer.png", (1000, 360))
    assert pixels.std() > 0
    assert pixels[:, :, 0].astype(int).sum() != pixels[:, :, 1].astype(int).sum(), "no colour: picks not drawn"
    pixels = grab_png(dock, shots / "workbench_gpr.png", (460, 980))
    assert pixels.std() > 0


def test_long_profile_is_decimated_for_display_only(tmp_path, qgis_app):
    from pipemap.core.gpr import readers, synth
    from pipemap.core.gpr.segy_write import write_segy
    from pipemap.plugin.radargram import MAX_COLUMNS, RadargramView, display_step, radargram_columns

    rg, _ = synth.scene_radargram(synth.Scene(n_traces=9001, n_samples=128, dx_m=0.02,
                                              targets=[synth.Target(90.0, 0.5)]))
    path = write_segy(rg, tmp_path / "long.sgy")
    mapped = readers.read(path)[0]
    assert mapped.raw is not None  # memory-mapped: the viewer must not convert it all
    step = display_step(mapped.n_traces)
    shown = radargram_columns(mapped)
    assert step == 3 and shown.shape == (128, 3001) and shown.shape[1] <= MAX_COLUMNS
    assert mapped._data is None, "the whole profile was converted for display"
    np.testing.assert_allclose(shown[:, 10], mapped.traces_float32(30, 31)[:, 0], rtol=1e-6)
    view = RadargramView()
    view.resize(1200, 300)
    view.set_radargram(shown, mapped.dt_ns, mapped.time_zero_ns, mapped.distance_m, mapped.n_traces)
    assert view.n_traces == 9001 and view.image.width() == 3001
    for trace in (0, 4500, 9000):
        assert abs(view.trace_at(view.x_for_trace(trace)) - trace) <= 9001 / view.plot_rect().width() + 1


def test_a_real_file_without_gps_opens_without_a_map_link(dock, tmp_path):
    real = Path(__file__).resolve().parents[3] / "shared" / "data" / "gpr" / "real" / "dzt" / "gprpy" / \
        "FILE____032.DZT"
    if not real.is_file():
        pytest.skip("the shared real GPR files are not here")
    gpr = dock.gpr_section
    dock.show_section(gpr)
    gpr.file_edit.setFilePath(str(real))
    click(gpr.open_button)
    wait_idle(dock)
    assert gpr.panel is not None and gpr.panel.view.n_traces == 1040
    assert gpr.survey["positions"] is None and not gpr.map_button.isEnabled()
    assert not gpr.link.marker.isVisible()
    pixels = grab_png(gpr.panel, tmp_path / "real.png", (900, 320))
    assert pixels.std() > 0
