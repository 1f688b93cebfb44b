"""The workbench panel driven like a person would, in a QGIS window (pytest-qgis under Xvfb).

Create a map, import the sample district, run the checks and compare the findings table with a
direct ``processing.run`` of the same algorithms, the map tools (excavation, identify, section),
cancelling a long import, and a screenshot of the panel.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from functools import partial
from pathlib import Path

import pytest
from pipemap_test_workbench import click, grab_png, wait_for
from pipemap_test_workbench import wait_idle as _wait_idle

pytestmark = [pytest.mark.qgis, pytest.mark.usefixtures("pipemap_settings_restored")]
wait_idle = partial(_wait_idle, timeout=90.0)  # this module's bound on a panel task (shared default: 120 s)


# --- helpers ----------------------------------------------------------------------------------------------------
def features(path: str) -> list:
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(str(path), "x", "ogr")
    assert layer.isValid(), path
    return list(layer.getFeatures())


# --- fixtures --------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def district(tmp_path_factory):
    from pipemap.core import sample_district

    folder = tmp_path_factory.mktemp("wb_district")
    return sample_district.generate(folder, errors=False)


def open_district_map(dock, district, folder: Path) -> Path:
    """Create the map from the panel and import the district's tables from the panel."""
    section = dock.map_section
    dock.show_section(section)
    target = folder / "district.gpkg"
    section.path_edit.setFilePath(str(target))
    click(section.create_button)
    assert not section.create_button.isEnabled(), "the run button stays enabled while the task runs"
    assert dock.cancel_button.isEnabled()
    wait_idle(dock)
    assert section.create_button.isEnabled()
    assert target.is_file() and dock.map_path == str(target)
    section.tables_folder.setFilePath(str(district.tables))
    click(section.import_button)
    wait_idle(dock)
    return target


# --- tests ------------------------------------------------------------------------------------------------------
def test_create_import_check_from_the_panel(dock, district, tmp_path, output_dir, qgis_processing):
    from qgis import processing
    from qgis.core import QgsCategorizedSymbolRenderer, QgsProject, QgsVectorLayer

    from pipemap.plugin import settings

    map_path = open_district_map(dock, district, tmp_path)
    assert settings.get("map/last_path") == str(map_path)
    seg = dock.map_layer("pipe_segment")
    assert seg is not None and dock.map_layer("pipe_point") is not None
    assert seg.featureCount() == district.n_segments
    # the map's layer_styles table was applied on load: pipes coloured by category
    assert isinstance(seg.renderer(), QgsCategorizedSymbolRenderer)
    assert "category" in seg.renderer().classAttribute()
    assert "Imported" in dock.map_section.import_summary.text()
    assert dock.map_section.problems.topLevelItemCount() == 0

    # ground and carriageways, then the clash and cover checks from the panel
    dock.map_section.dem_file.setFilePath(str(district.dem))
    assert dock.dem_layer() is not None
    roads = QgsVectorLayer(f"{district.roads}|layername=carriageway", "carriageway", "ogr")
    assert roads.isValid()
    QgsProject.instance().addMapLayer(roads)
    checks = dock.checks_section
    dock.show_section(checks)
    checks.roads_combo.setLayer(roads)
    checks.check_boxes["clash"].setChecked(True)
    checks.check_boxes["cover"].setChecked(True)
    checks.check_boxes["excavation"].setChecked(False)
    click(checks.run_button)
    assert not checks.run_button.isEnabled()
    wait_idle(dock)
    assert checks.run_button.isEnabled()

    direct = {
        "clash": processing.run("pipemap:clashcheck", {"MAP": str(map_path), "OUTPUT": str(tmp_path / "c.gpkg")}),
        "cover": processing.run("pipemap:covercheck", {"MAP": str(map_path), "GROUND": str(district.dem),
                                                       "ROADS": f"{district.roads}|layername=carriageway",
                                                       "OUTPUT": str(tmp_path / "v.gpkg")}),
    }
    total = 0
    for check, result in direct.items():
        expected = Counter(str(f["verdict"]) for f in features(result["OUTPUT"]))
        shown = Counter(r["verdict"] for r in checks.findings if r["check"] == check)
        assert shown == expected, check
        assert sum(expected.values()) == sum(result[v] for v in ("FAIL", "UNCERTAIN", "UNKNOWN"))
        total += sum(expected.values())
        if check == "clash":
            pairs = {(str(f["pipe_a"]), str(f["pipe_b"]), str(f["kind"])) for f in features(result["OUTPUT"])}
            assert {(r["pipes"][0], r["pipes"][1], r["figure"]) for r in checks.findings
                    if r["check"] == "clash"} == pairs
    assert total > 0, "the sample district has findings"
    assert checks.table.rowCount() == total == len(checks.findings)
    table_verdicts = Counter(checks.table.item(r, 1).text() for r in range(checks.table.rowCount()))
    assert table_verdicts == Counter(r["verdict"] for r in checks.findings)
    # worst first
    order = [checks.table.item(r, 1).text() for r in range(checks.table.rowCount())]
    assert order == sorted(order, key=["FAIL", "UNCERTAIN", "UNKNOWN"].index)

    # browse by verdict
    for i in range(checks.verdict_filter.count()):
        checks.verdict_filter.setCurrentIndex(i)
        wanted = checks.verdict_filter.currentData()
        shown = checks.visible_rows()
        assert all(r["verdict"] == wanted for r in shown) if wanted else len(shown) == total
    checks.verdict_filter.setCurrentIndex(0)

    # zoom to a finding: the canvas is centred on it
    row = next(i for i, r in enumerate(checks.findings) if r["geometry"] is not None)
    checks.table.selectRow(row)
    click(checks.zoom_button)
    point = checks.findings[row]["geometry"].asPoint()
    extent = dock.canvas.extent()
    assert extent.contains(point)
    assert extent.width() < 200

    # findings layers are in the project, styled by verdict
    names = {lyr.name() for lyr in QgsProject.instance().mapLayers().values()}
    assert {checks.check_name("clash"), checks.check_name("cover")} <= names

    dock.show_section(checks)
    pixels = grab_png(dock, output_dir / "screenshots" / "workbench_checks.png", (460, 980))
    assert pixels.std() > 0, "the panel screenshot is blank"
    dock.show_section(dock.map_section)
    pixels = grab_png(dock, output_dir / "screenshots" / "workbench_map.png", (460, 980))
    assert pixels.std() > 0


def test_map_tools_excavation_identify_section(dock, district, tmp_path, qgis_processing):
    from qgis import processing
    from qgis.core import QgsGeometry, QgsPointXY

    from pipemap.plugin.section_checks import write_excavations

    map_path = open_district_map(dock, district, tmp_path)
    dock.map_section.dem_file.setFilePath(str(district.dem))
    crs = dock.map_crs()

    # excavation: draw a polygon across a street (the tool emits it, the check runs at once)
    action = dock.tool_actions["excavation"]
    action.trigger()
    assert dock.canvas.mapTool() is dock.excavation_tool
    x0, y0 = 538040.0, 3379990.0
    corners = [(x0, y0), (x0 + 30, y0), (x0 + 30, y0 + 25), (x0, y0 + 25)]
    for x, y in corners:
        dock.excavation_tool.add_point(QgsPointXY(x, y))
    dock.checks_section.depth_spin.setValue(2.5)
    dock.checks_section.safety_spin.setValue(0.5)
    assert dock.excavation_tool.finish() is not None
    assert dock.runner.is_busy()
    wait_idle(dock)
    polygon = QgsGeometry.fromPolygonXY([[QgsPointXY(x, y) for x, y in corners + corners[:1]]])
    exc = write_excavations([polygon], ["x"], [2.5], crs)
    direct = processing.run("pipemap:excavationcheck", {
        "MAP": str(map_path), "EXCAVATIONS": exc, "EXC_ID_FIELD": "exc_id", "DEPTH_FIELD": "depth_m",
        "GROUND": str(district.dem), "SAFETY_DISTANCE": 0.5, "OUTPUT": str(tmp_path / "e.gpkg")})
    expected = sorted((str(f["pipe_id"]), str(f["verdict"])) for f in features(direct["OUTPUT"]))
    shown = sorted((r["pipes"][0], r["verdict"]) for r in dock.checks_section.findings if r["check"] == "excavation")
    assert shown == expected and len(expected) > 0
    assert "Notify" in dock.checks_section.summary.text()
    action.trigger()  # off again
    assert dock.canvas.mapTool() is not dock.excavation_tool
    # the same excavation as a layer, checked from the Checks section
    from qgis.core import QgsFeature, QgsProject, QgsVectorLayer

    layer = QgsVectorLayer("Polygon?crs=EPSG:4547", "planned", "memory")
    feat = QgsFeature()
    feat.setGeometry(polygon)
    layer.dataProvider().addFeatures([feat])
    QgsProject.instance().addMapLayer(layer)
    checks = dock.checks_section
    dock.show_section(checks)
    checks.excavation_combo.setLayer(layer)
    for name in ("clash", "cover"):
        checks.check_boxes[name].setChecked(False)
    checks.check_boxes["excavation"].setChecked(True)
    click(checks.run_button)
    wait_idle(dock)
    assert sorted((r["pipes"][0], r["verdict"]) for r in checks.findings) == expected

    # identify a pipe: attributes, clearances to neighbours and cover, agreeing with the full clash check
    clash = processing.run("pipemap:clashcheck", {"MAP": str(map_path), "OUTPUT": str(tmp_path / "c.gpkg")})
    fails = [f for f in features(clash["OUTPUT"]) if f["verdict"] == "FAIL"]
    assert fails
    seg_id = str(fails[0]["pipe_a"])
    seg_layer = dock.map_layer("pipe_segment")
    feat = next(f for f in seg_layer.getFeatures() if f["seg_id"] == seg_id)
    middle = feat.geometry().interpolate(feat.geometry().length() / 2).asPoint()
    dock.zoom_and_flash([QgsGeometry.fromPointXY(middle)], crs, min_size=40.0)
    dock.tool_actions["identify"].trigger()
    assert dock.canvas.mapTool() is dock.identify_tool
    dock.identify_tool.clicked.emit(QgsPointXY(middle))
    wait_for(lambda: dock.identify_task is None, 60, "the identify task")
    report = dock.identify_result
    assert report is not None and report["seg_id"] == seg_id
    mine = {str(f["pipe_b"] if str(f["pipe_a"]) == seg_id else f["pipe_a"]) for f in fails
            if seg_id in (str(f["pipe_a"]), str(f["pipe_b"]))}
    assert mine <= {r["pipe"] for r in report["clearances"] if r["verdict"] == "FAIL"}
    assert report["cover"] is not None and report["cover"]["pipe_id"] == seg_id
    assert seg_id in dock.pipe_dialog.browser.toPlainText()

    # section line across the street: a cross-section drawing of the pipes it crosses
    dock.tool_actions["section"].trigger()
    dock.section_tool.add_point(QgsPointXY(538055.0, 3379960.0))
    dock.section_tool.add_point(QgsPointXY(538055.0, 3380040.0))  # two points finish the line
    wait_idle(dock)
    result = dock.section_result
    assert result is not None and Path(result["path"]).is_file()
    assert len(result["figures"].get("crossings", [])) >= 5
    assert dock.image_dialog is not None and not dock.image_dialog.preview.pixmap().isNull()

    # profile tool: click two pipe points, a longitudinal profile along the run between them
    points = {f["point_id"]: f.geometry().asPoint() for f in dock.map_layer("pipe_point").getFeatures()
              if f["point_id"] in ("YS1", "YS9")}
    dock.tool_actions["profile"].trigger()
    assert dock.canvas.mapTool() is dock.profile_tool
    for name in ("YS1", "YS9"):
        dock.zoom_and_flash([QgsGeometry.fromPointXY(points[name])], crs, min_size=40.0)
        dock.profile_tool.clicked.emit(QgsPointXY(points[name].x() + 0.2, points[name].y()))
    assert (dock.profiles_section.from_edit.text(), dock.profiles_section.to_edit.text()) == ("YS1", "YS9")
    wait_idle(dock)
    result = dock.section_result
    assert result["kind"] == 0 and Path(result["path"]).is_file()
    direct = processing.run("pipemap:profile", {"MAP": str(map_path), "KIND": 0, "FROM_POINT": "YS1", "TO_POINT": "YS9",
                                                "GROUND": str(district.dem), "OUTPUT": str(tmp_path / "long.png"),
                                                "ALL_FORMATS": False})
    assert result["figures"] == json.loads(Path(direct["FIGURES"]).read_text(encoding="utf-8"))


def test_import_problems_are_listed_and_zoom(dock, tmp_path):
    from pipemap.core import sample_district

    bad = sample_district.generate(tmp_path / "bad", errors=True)
    section = dock.map_section
    section.path_edit.setFilePath(str(tmp_path / "bad.gpkg"))
    click(section.create_button)
    wait_idle(dock)
    section.tables_folder.setFilePath(str(bad.tables))
    section.mode_combo.setCurrentIndex(section.mode_combo.findData(1))  # import the valid rows
    click(section.import_button)
    wait_idle(dock)
    n = section.problems.topLevelItemCount()
    assert n >= len([e for e in bad.errors])
    codes = {section.problems.topLevelItem(i).text(1) for i in range(n)}
    assert {e.code for e in bad.errors} <= codes
    placed = [i for i in range(n) if section.problem_geometries[i] is not None]
    assert placed
    item = section.problems.topLevelItem(placed[0])
    section.zoom_to_problem(item)
    assert dock.canvas.extent().contains(section.problem_geometries[placed[0]].asPoint())
    assert Path(section.report_path).is_file() and section.report_button.isEnabled()


def test_cancel_a_long_import_leaves_nothing(dock, tmp_path, qgis_iface):
    from qgis.core import Qgis, QgsTask

    from pipemap.core import sample_district

    big = sample_district.generate(tmp_path / "big", errors=False, scale=4)
    section = dock.map_section
    target = tmp_path / "big.gpkg"
    section.path_edit.setFilePath(str(target))
    click(section.create_button)
    wait_idle(dock)
    before = target.read_bytes()
    section.tables_folder.setFilePath(str(big.tables))
    click(section.import_button)
    wait_for(lambda: dock.runner.task is not None and dock.runner.task.status() == QgsTask.Running
             and dock.progress.value() > 0, 60, "the import to start")
    started = time.monotonic()
    click(dock.cancel_button)
    wait_idle(dock)
    assert time.monotonic() - started < 10
    assert dock.runner.was_cancelled()
    assert not Path(section.issues_path).exists(), "a cancelled import wrote its problems layer"
    assert not Path(section.report_path).exists(), "a cancelled import wrote its report"
    assert target.read_bytes() == before, "a cancelled import changed the map"
    assert section.import_button.isEnabled() and not dock.cancel_button.isEnabled()
    assert any("cancelled" in m for m in qgis_iface.messageBar().get_messages(Qgis.Info))


def cancel_running_job(dock, qgis_iface, at_start: bool = False):
    """Click Cancel once the panel's job is running and has made progress (``at_start``: as soon as it
    runs, for an algorithm that reports progress only at its end); the job's parameters."""
    from qgis.core import Qgis, QgsTask

    wait_for(lambda: dock.runner.task is not None and dock.runner.task.status() == QgsTask.Running
             and (at_start or dock.progress.value() > 0), 60, "the job to start")
    job = dock.runner.job
    assert dock.runner.task is not None and dock.runner.task.status() == QgsTask.Running, "the job ended too soon"
    bar = qgis_iface.messageBar()
    bar.clear_messages()
    started = time.monotonic()
    click(dock.cancel_button)
    wait_idle(dock)
    assert time.monotonic() - started < 15
    assert dock.runner.was_cancelled()
    # reported as cancelled, never as an error
    assert dock.status_label.text().startswith("Cancelled:"), dock.status_label.text()
    assert any("cancelled" in m for m in bar.get_messages(Qgis.Info)), bar.messages
    assert not bar.get_messages(Qgis.Critical), bar.get_messages(Qgis.Critical)
    # the algorithm says so when the cancel reaches it; a cancel that lands before it starts leaves no log
    log = dock.runner.last_log
    assert "Cancelled by the user; nothing was written." in log or not log.strip(), log
    assert "Traceback" not in dock.runner.last_log
    return job.params


def assert_nothing_written(paths) -> None:
    for path in paths:
        path = Path(path)
        assert not path.exists(), f"a cancelled run left {path}"
        # every output has a fresh folder of its own (QgsProcessingUtils.generateTempFilename): no side files
        assert not list(path.parent.iterdir()), list(path.parent.iterdir())


def test_cancel_build3d_and_gprpick_leave_nothing(dock, tmp_path, qgis_iface):
    """Cancelling a long 3D build and a long GPR picking from the panel leaves no output file, and the
    panel says "cancelled", not "failed" (processing/base.py removes the new outputs of a cancelled run)."""
    import numpy as np

    from pipemap.core import mapfile, sample_district
    from pipemap.core.gpr import synth
    from pipemap.core.survey import importer

    big = sample_district.generate(tmp_path / "big", errors=False, scale=4)
    map_path = tmp_path / "big.gpkg"
    mapfile.create_map(map_path, "EPSG:4547")
    assert importer.import_survey(map_path, big.tables).committed
    dock.show_section(dock.map_section)
    dock.map_section.path_edit.setFilePath(str(map_path))
    click(dock.map_section.open_button)
    before = map_path.read_bytes()

    # 3D: build the pipes of 11,000 segments (several seconds), cancel
    section = dock.view3d_section
    dock.show_section(section)
    click(section.build_button)
    params = cancel_running_job(dock, qgis_iface)
    assert_nothing_written([params["OUTPUT"], params["OUTPUT_WELLS"]])
    assert section.pipes_path == "" and section.build_button.isEnabled()
    assert map_path.read_bytes() == before, "a cancelled run changed the map"

    # GPR: open a survey, find its picks (a few seconds), cancel
    line = np.array([[538055.0, 3379950.0], [538055.0, 3380050.0]])
    segy, _, _ = synth.district_survey_file(str(map_path), str(big.dem), line, str(tmp_path / "survey.sgy"),
                                            "EPSG:4547", seed=5)
    gpr = dock.gpr_section
    dock.show_section(gpr)
    gpr.file_edit.setFilePath(str(segy))
    click(gpr.open_button)
    wait_idle(dock)
    assert gpr.survey, dock.status_label.text()
    before = map_path.read_bytes()  # opening the survey recorded it in the map
    click(gpr.pick_button)
    params = cancel_running_job(dock, qgis_iface, at_start=True)  # gprpick reports progress once, at its end
    assert_nothing_written([params["OUTPUT"]])
    assert gpr.picks == [] and gpr.picks_path == "" and gpr.pick_button.isEnabled()
    assert map_path.read_bytes() == before, "a cancelled run changed the map"


def test_sharing_section_follows_the_export_algorithm(dock, district, tmp_path, output_dir):
    from qgis.core import QgsApplication

    sharing = dock.sharing_section
    alg = QgsApplication.processingRegistry().algorithmById("pipemap:export")
    if alg is None:
        assert not sharing.export_button.isEnabled()
        assert "pipemap:export" in sharing.notice.text()
        return
    formats = alg.parameterDefinition("FORMAT").options()
    assert sharing.format_list.count() == len(formats)
    open_district_map(dock, district, tmp_path)
    dock.show_section(sharing)
    for i in range(sharing.format_list.count()):
        from qgis.PyQt.QtCore import Qt

        item = sharing.format_list.item(i)
        item.setCheckState(Qt.Checked if item.text() == formats[0] else Qt.Unchecked)
    sharing.folder_edit.setFilePath(str(tmp_path / "share"))
    click(sharing.export_button)
    wait_idle(dock, timeout=180)
    assert sharing.package and Path(sharing.package).exists()
    assert sharing.manifest, "the manifest was shown"
    manifest = json.loads((Path(sharing.package) / "manifest.json").read_text(encoding="utf-8"))
    assert manifest == sharing.manifest
    assert "Profile:" in sharing.summary.text()
    assert sharing.manifest_tree.topLevelItemCount() > 0
    pixels = grab_png(dock, output_dir / "screenshots" / "workbench_sharing.png", (460, 980))
    assert pixels.std() > 0
    if QgsApplication.processingRegistry().algorithmById("pipemap:verifyexport") is not None:
        click(sharing.verify_button)
        wait_idle(dock, timeout=120)
        assert "Verified" in sharing.summary.text()


def test_help_links_and_settings_prefix(dock):
    from qgis.core import QgsSettings
    from qgis.PyQt.QtWidgets import QToolButton

    from pipemap.plugin import settings
    from pipemap.plugin.widgets import help_path

    pages = {b.property("help_page") for b in dock.findChildren(QToolButton) if b.property("help_page")}
    assert {"createmap", "importsurvey", "gprimport", "gprpick", "clashcheck", "covercheck", "excavationcheck",
            "build3d", "render3d", "index"} <= pages
    for page in pages - {"export"}:
        assert help_path(page).is_file(), page
    assert help_path("clashcheck", "zh_CN").name == "clashcheck_zh_CN.html"
    assert help_path("clashcheck", "en_US").name == "clashcheck.html"
    settings.put("checks/safety_distance", 0.75)
    assert QgsSettings().value("pipemap/checks/safety_distance", type=float) == 0.75
    assert all(settings.key(k).startswith("pipemap/") for k in settings.DEFAULTS)
