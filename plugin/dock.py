"""The PipeMap workbench: a dock panel with one section per job.

Sections: Map (create/open a map, ground DEM, import survey tables with the
problems list), GPR (radargram, picks, review), Checks (clash, cover,
excavation; findings by verdict), Sharing (export packages), 3D, Profiles and
Network (valve isolation, traces, topology). A tool bar on top holds the map
tools (excavation polygon, identify a pipe, section line, profile, isolate,
trace). Every long job runs a Processing algorithm as a task through one
:class:`~.tasks.AlgorithmRunner`; the bar at the bottom shows its progress
and cancels it, and every run button is disabled while a job runs.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any, Callable

from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsRasterLayer,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QAbstractButton,
    QAction,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QToolBox,
    QVBoxLayout,
    QWidget,
)

from ..core.pg.connect import is_postgis_map
from . import settings
from .maptools import ClickTool, DrawTool
from .tasks import AlgorithmRunner, Done, algorithm
from .widgets import ToolStrip, help_button, icon

DOCK_OBJECT_NAME = "PipeMapDock"

#: map tables loaded into the project, top to bottom
MAP_TABLES = ("gpr_pick_review", "pipe_point", "pipe_segment", "gpr_survey")


def gpkg_tables(path: str) -> list[str]:
    """Names of the vector tables in a GeoPackage (empty when it cannot be read)."""
    from osgeo import gdal

    from ..core.gdalutil import gdal_exceptions

    try:
        with gdal_exceptions():
            ds = gdal.OpenEx(str(path), gdal.OF_VECTOR, allowed_drivers=["GPKG"])
            names = [ds.GetLayerByIndex(i).GetName() for i in range(ds.GetLayerCount())]
            ds = None  # noqa: F841
    except RuntimeError:
        return []
    return names


class PipeMapDock(QgsDockWidget):
    """The workbench panel. ``map_changed(str)`` when another map is opened."""

    map_changed = pyqtSignal(str)

    def __init__(self, iface: Any, parent: QWidget | None = None) -> None:  # noqa: QGS105 - the plugin passes its iface
        super().__init__(parent)
        from .section_3d import View3DSection
        from .section_checks import ChecksSection
        from .section_gpr import GprSection
        from .section_map import MapSection
        from .section_network import NetworkSection
        from .section_profiles import ProfilesSection
        from .section_sharing import SharingSection

        self.setObjectName(DOCK_OBJECT_NAME)
        self.setWindowTitle(self.tr("PipeMap workbench"))
        self.iface = iface
        self.canvas = iface.mapCanvas()
        self.runner = AlgorithmRunner(self)
        self.map_path = ""
        self.postgis_layers: dict[tuple[str, str], str] = {}  # (map, table) -> id of its project layer
        self.run_buttons: list[QAbstractButton] = []
        self._previous_tool = None
        self.pipe_dialog: QWidget | None = None  # identify results (plugin/identify.py)
        self.identify_task: Any = None
        self.identify_result: dict[str, Any] | None = None
        self.image_dialog: QWidget | None = None  # section drawings (plugin/results.py)
        self.section_result: dict[str, Any] | None = None

        body = QWidget(self)
        body.setMinimumWidth(340)  # the widest button rows fit; narrower docks scroll sideways
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)

        header = QHBoxLayout()
        self.map_label = QLabel(body)
        self.map_label.setWordWrap(True)
        header.addWidget(self.map_label, 1)
        header.addWidget(help_button("index", body))
        layout.addLayout(header)

        self.tools_bar = ToolStrip(body)  # the map tools; a second row when the panel is narrow
        layout.addWidget(self.tools_bar)

        self.toolbox = QToolBox(body)
        layout.addWidget(self.toolbox, 1)
        self.map_section = MapSection(self)
        self.gpr_section = GprSection(self)
        self.checks_section = ChecksSection(self)
        self.sharing_section = SharingSection(self)
        self.view3d_section = View3DSection(self)
        self.profiles_section = ProfilesSection(self)
        self.network_section = NetworkSection(self)
        for section, icon_name, title in (
                (self.map_section, "/mGeoPackage.svg", self.tr("Map")),
                (self.gpr_section, "/mActionAddRasterLayer.svg", self.tr("GPR")),
                (self.checks_section, "/mIconWarning.svg", self.tr("Checks")),
                (self.sharing_section, "/mActionSharingExport.svg", self.tr("Sharing")),
                (self.view3d_section, "/3d.svg", self.tr("3D")),
                (self.profiles_section, "/mActionMeasure.svg", self.tr("Profiles")),
                (self.network_section, "/algorithms/mAlgorithmNetworkAnalysis.svg", self.tr("Network"))):
            for combo in section.findChildren(QComboBox):  # long items must not widen the narrow panel
                combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
                combo.setMinimumContentsLength(8)
            for form in section.findChildren(QFormLayout):  # labels above the fields when the panel is narrow
                form.setRowWrapPolicy(QFormLayout.WrapLongRows)
            scroll = QScrollArea(self.toolbox)
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QScrollArea.NoFrame)
            scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAsNeeded)
            scroll.setWidget(section)
            self.toolbox.addItem(scroll, icon(icon_name), title)

        run_bar = QHBoxLayout()
        self.status_label = QLabel(body)
        self.progress = QProgressBar(body)
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton(icon("/mTaskCancel.svg"), self.tr("Cancel"), body)
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.runner.cancel)
        run_bar.addWidget(self.progress, 1)
        run_bar.addWidget(self.cancel_button)
        layout.addWidget(self.status_label)
        layout.addLayout(run_bar)
        self.setWidget(body)

        self.runner.busy_changed.connect(self._busy_changed)
        self.runner.progress_changed.connect(lambda p: self.progress.setValue(int(round(p))))
        self.runner.job_started.connect(self._job_started)
        self.runner.job_finished.connect(self._job_finished)

        self._make_tools()
        self._show_map_label()

    # --- map tools ------------------------------------------------------------------
    def _make_tools(self) -> None:
        self.excavation_tool = DrawTool(self.canvas, polygon=True)
        self.section_tool = DrawTool(self.canvas, polygon=False, max_points=2)
        self.identify_tool = ClickTool(self.canvas)
        self.profile_tool = ClickTool(self.canvas)
        self.profile_tool.clicked.connect(self.profile_clicked)
        self.isolate_tool = ClickTool(self.canvas)
        self.trace_tool = ClickTool(self.canvas)
        self.isolate_tool.clicked.connect(self.network_section.isolate_clicked)
        self.trace_tool.clicked.connect(self.network_section.trace_clicked)
        self.excavation_tool.drawn.connect(self.checks_section.excavation_drawn)
        self.section_tool.drawn.connect(self.section_drawn)
        self.identify_tool.clicked.connect(self.identify_clicked)
        self.tool_actions: dict[str, QAction] = {}
        for key, tool, icon_name, text, tip in (
                ("excavation", self.excavation_tool, "/mActionCapturePolygon.svg", self.tr("Excavation"),
                 self.tr("Draw a planned excavation (click the corners, right-click to finish): the pipes it would "
                         "reach and their owners are listed at once")),
                ("identify", self.identify_tool, "/mActionIdentify.svg", self.tr("Pipe"),
                 self.tr("Click a pipe: its attributes, clearances to its neighbours and its cover")),
                ("section", self.section_tool, "/mActionCaptureLine.svg", self.tr("Section"),
                 self.tr("Click two points: a cross-section drawing along the line")),
                ("profile", self.profile_tool, "/mActionMeasure.svg", self.tr("Profile"),
                 self.tr("Click two pipe points: a longitudinal profile along the pipes between them")),
                ("isolate", self.isolate_tool, "/locked.svg", self.tr("Isolate"),
                 self.tr("Click a burst main or a gas leak on a pipe: the valves to close, in order, and what loses "
                         "supply, at once")),
                ("trace", self.trace_tool, "/algorithms/mAlgorithmNetworkAnalysis.svg", self.tr("Trace"),
                 self.tr("Click a pipe: the network upstream, downstream or connected to it (Network section)"))):
            action = QAction(icon(icon_name), text, self)
            action.setCheckable(True)
            action.setToolTip(tip)
            action.setStatusTip(tip)
            action.setObjectName(f"PipeMapTool_{key}")
            tool.setAction(action)
            action.triggered.connect(lambda checked, t=tool: self.set_tool(t, checked))
            self.tools_bar.addAction(action)
            self.tool_actions[key] = action
        self.tools = [self.excavation_tool, self.section_tool, self.identify_tool, self.profile_tool,
                      self.isolate_tool, self.trace_tool]

    def set_tool(self, tool: Any, on: bool = True) -> None:
        """Make a PipeMap map tool the canvas's tool (or give the previous one back)."""
        if on:
            current = self.canvas.mapTool()
            if current not in self.tools and current is not getattr(self.gpr_section, "position_tool", None):
                self._previous_tool = current
            self.canvas.setMapTool(tool)
        elif self.canvas.mapTool() is tool:
            self.canvas.unsetMapTool(tool)
            if self._previous_tool is not None:
                self.canvas.setMapTool(self._previous_tool)

    # --- the open map ----------------------------------------------------------------------
    def _show_map_label(self) -> None:
        if self.map_path:
            self.map_label.setText(self.tr("Map: <b>{name}</b>").format(name=html.escape(self.map_name())))
            self.map_label.setToolTip(self.map_name() if self.map_is_postgis() else self.map_path)
        else:
            self.map_label.setText(self.tr("No map is open: create or open one in the Map section."))
            self.map_label.setToolTip("")

    def set_map(self, path: str) -> None:
        self.map_path = str(path) if path else ""
        if self.map_path and not self.map_is_postgis():
            settings.put("map/last_path", self.map_path)
        self._show_map_label()
        self.map_changed.emit(self.map_path)

    def map_is_postgis(self) -> bool:
        """True when the open map is a PostGIS schema (``service=... schema=...``), not a GeoPackage."""
        return bool(self.map_path) and is_postgis_map(self.map_path)

    def map_name(self) -> str:
        """The open map for people: a GeoPackage's file name, a PostGIS map's string without its password."""
        if self.map_is_postgis():
            from ..core.pg.connect import parse_map

            return parse_map(self.map_path).display()
        return Path(self.map_path).name if self.map_path else ""

    def map_crs(self) -> QgsCoordinateReferenceSystem:
        layer = self.map_layer("pipe_segment")
        if layer is not None:
            return layer.crs()
        if self.map_path and self.map_is_postgis():  # no project layer of it: the CRS the map records
            return self.postgis_crs()
        if self.map_path:
            from ..processing.algorithms.build_3d import map_crs

            return map_crs(self.map_path)
        return QgsCoordinateReferenceSystem()

    def postgis_crs(self) -> QgsCoordinateReferenceSystem:
        """The CRS the open PostGIS map records (invalid when it cannot be read: the caller says what is
        missing)."""
        text = self.network_section.pg_crs
        if not text:
            try:
                from ..core.network.pgread import map_crs_text
                from ..processing.pgmap import parse, resolve

                text = map_crs_text(resolve(parse(self.map_path)))
            except Exception:  # noqa: BLE001 - unreachable map, bad credentials: no CRS
                return QgsCoordinateReferenceSystem()
        crs = QgsCoordinateReferenceSystem(text)
        return crs if crs.isValid() else QgsCoordinateReferenceSystem.fromWkt(text)

    def map_layer(self, table: str) -> QgsVectorLayer | None:
        """The project layer showing a table of the open map, if any."""
        if not self.map_path:
            return None
        if self.map_is_postgis():
            layer = QgsProject.instance().mapLayer(self.postgis_layers.get((self.map_path, table), ""))
            return layer if isinstance(layer, QgsVectorLayer) else None
        want = f"{self.map_path}|layername={table}"
        for layer in QgsProject.instance().mapLayers().values():
            if isinstance(layer, QgsVectorLayer) and layer.source() == want:
                return layer
        return None

    def add_map_layers(self, path: str, zoom: bool = True) -> list[QgsVectorLayer]:
        """Add (or reload) the map's layers in a group named after the map; QGIS
        applies the styles stored in the map's ``layer_styles`` table."""
        project = QgsProject.instance()
        root = project.layerTreeRoot()
        postgis = is_postgis_map(path)
        if postgis:
            from ..core.pg.connect import parse_map

            name = parse_map(path).schema
        else:
            name = Path(path).stem
        group = root.findGroup(name) or root.insertGroup(0, name)
        tables = [t for t in MAP_TABLES if t != "gpr_pick_review"] if postgis else gpkg_tables(path)
        added = []
        for table in MAP_TABLES:
            if table not in tables:
                continue
            if postgis:
                layer = self._postgis_layer(path, table, group)
                if layer is not None:
                    added.append(layer)
                continue
            source = f"{path}|layername={table}"
            existing = [lyr for lyr in project.mapLayers().values() if lyr.source() == source]
            if existing:
                existing[0].reload()
                existing[0].triggerRepaint()
                added.append(existing[0])
                continue
            layer = QgsVectorLayer(source, self.table_title(table), "ogr")
            if not layer.isValid():
                continue
            if not project.crs().isValid() or not project.mapLayers():
                project.setCrs(layer.crs())
            project.addMapLayer(layer, False)
            group.addLayer(layer)
            added.append(layer)
        if zoom:
            seg = next((lyr for lyr in added if lyr.source().endswith("layername=pipe_segment")
                        or lyr is self.postgis_layers.get((path, "pipe_segment"))), None)
            if seg is not None and seg.featureCount():
                seg.updateExtents()
                self.zoom_to(seg.extent(), seg.crs())
        return added

    def _postgis_layer(self, path: str, table: str, group: Any) -> QgsVectorLayer | None:
        """A table of a PostGIS map as a postgres-provider layer (no password in its source: the
        service, ~/.pgpass or the QGIS authentication config carry the credentials)."""
        from ..processing.pgmap import layer_source, parse

        project = QgsProject.instance()
        existing = project.mapLayer(self.postgis_layers.get((path, table), ""))
        if isinstance(existing, QgsVectorLayer) and existing.isValid():
            existing.reload()
            existing.triggerRepaint()
            return existing
        layer = QgsVectorLayer(layer_source(parse(path), table), self.table_title(table), "postgres")
        if not layer.isValid():
            return None
        if not project.crs().isValid() or not project.mapLayers():
            project.setCrs(layer.crs())
        project.addMapLayer(layer, False)
        group.addLayer(layer)
        self.postgis_layers[(path, table)] = layer.id()
        return layer

    def table_title(self, table: str) -> str:
        return {"pipe_segment": self.tr("Pipe segments"), "pipe_point": self.tr("Pipe points"),
                "gpr_survey": self.tr("GPR surveys"), "gpr_pick_review": self.tr("GPR pick review")}.get(table, table)

    def dem_layer(self) -> QgsRasterLayer | None:
        layer = self.map_section.dem_combo.currentLayer()
        return layer if isinstance(layer, QgsRasterLayer) and layer.isValid() else None

    # --- canvas helpers -------------------------------------------------------------------------
    def to_canvas(self, geom: QgsGeometry, crs: QgsCoordinateReferenceSystem) -> QgsGeometry:
        out = QgsGeometry(geom)
        dest = self.canvas.mapSettings().destinationCrs()
        if crs.isValid() and dest.isValid() and crs != dest:
            out.transform(QgsCoordinateTransform(crs, dest, QgsProject.instance()))
        return out

    def from_canvas(self, geom: QgsGeometry, crs: QgsCoordinateReferenceSystem) -> QgsGeometry:
        out = QgsGeometry(geom)
        src = self.canvas.mapSettings().destinationCrs()
        if crs.isValid() and src.isValid() and crs != src:
            out.transform(QgsCoordinateTransform(src, crs, QgsProject.instance()))
        return out

    def zoom_to(self, extent: QgsRectangle, crs: QgsCoordinateReferenceSystem, margin: float = 0.05) -> None:
        geom = self.to_canvas(QgsGeometry.fromRect(extent), crs)
        rect = geom.boundingBox()
        if rect.isEmpty():
            rect.grow(10.0)
        else:
            rect.scale(1.0 + margin)
        self.canvas.setExtent(rect)
        self.canvas.refresh()

    def zoom_and_flash(self, geometries: list[QgsGeometry], crs: QgsCoordinateReferenceSystem,
                       min_size: float = 20.0) -> None:
        """Centre the canvas on geometries (at least ``min_size`` map units
        across) and flash them."""
        geometries = [g for g in geometries if g is not None and not g.isEmpty()]
        if not geometries:
            return
        moved = [self.to_canvas(g, crs) for g in geometries]
        box = QgsRectangle(moved[0].boundingBox())
        for g in moved[1:]:
            box.combineExtentWith(g.boundingBox())
        half = min_size / 2.0
        centre = box.center()
        if box.width() < min_size or box.height() < min_size:
            box = QgsRectangle(centre.x() - half, centre.y() - half, centre.x() + half, centre.y() + half)
        else:
            box.scale(1.2)
        self.canvas.setExtent(box)
        self.canvas.refresh()
        self.canvas.flashGeometries(moved, self.canvas.mapSettings().destinationCrs())

    # --- running -------------------------------------------------------------------------------
    def add_run_button(self, button: QAbstractButton) -> QAbstractButton:
        self.run_buttons.append(button)
        button.setEnabled(not self.runner.is_busy() and button.property("pipemap_ready") is not False)
        return button

    def run(self, alg_id: str, params: dict[str, Any], done: Done | None = None, label: str = "") -> bool:
        """Run a Processing algorithm as a task; False (and a message) when it is not installed."""
        if not self.runner.run(alg_id, params, done, label):
            self.push(self.tr("The algorithm {id} is not available in this PipeMap installation.").format(
                id=alg_id), Qgis.Warning)
            return False
        return True

    def run_many(self, jobs: list[Any]) -> bool:
        if not self.runner.run_many(jobs):
            self.push(self.tr("A PipeMap algorithm needed here is not available."), Qgis.Warning)
            return False
        return True

    def _busy_changed(self, busy: bool) -> None:
        for button in self.run_buttons:
            button.setEnabled(not busy and button.property("pipemap_ready") is not False)
        self.cancel_button.setEnabled(busy)
        if not busy:
            self.progress.setValue(0)

    def _job_started(self, label: str) -> None:
        self.status_label.setText(self.tr("Running: {what}").format(what=label))

    def _job_finished(self, label: str, ok: bool) -> None:
        if ok:
            text = self.tr("Done: {what}").format(what=label)
        elif self.runner.was_cancelled():
            text = self.tr("Cancelled: {what}; nothing was written.").format(what=label)
        else:
            text = self.tr("Failed: {what}").format(what=label)
        self.status_label.setText(text)

    def failed(self, what: str, log: str) -> None:
        """Report a failed or cancelled run in the message bar."""
        if self.runner.was_cancelled():
            self.push(self.tr("{what}: cancelled, nothing was written.").format(what=what), Qgis.Info)
            return
        lines = [ln for ln in log.splitlines() if ln.strip()]
        reason = lines[-1] if lines else self.tr("see the log")
        self.push(self.tr("{what} failed: {reason}").format(what=what, reason=reason), Qgis.Critical, 0)

    def push(self, text: str, level: Any = Qgis.Info, duration: int = 8) -> None:
        self.iface.messageBar().pushMessage("PipeMap", text, level=level, duration=duration)

    def has_algorithm(self, alg_id: str) -> bool:
        return algorithm(alg_id) is not None

    def need_map(self, postgis_ok: bool = False) -> bool:
        """True when a map is open (a GeoPackage, or also a PostGIS map where the job takes one); else
        a message."""
        if self.map_is_postgis():
            if postgis_ok:
                return True
            self.push(self.tr("This needs a GeoPackage map: a PostGIS map works in the Map, Checks, Network and "
                              "Sharing sections (or transfer it to a GeoPackage with pipemap:transfer)."), Qgis.Warning)
            return False
        if self.map_path and Path(self.map_path).is_file():
            return True
        self.push(self.tr("Open or create an integrated map first (Map section)."), Qgis.Warning)
        return False

    # --- map tool results ---------------------------------------------------------------------
    def section_drawn(self, geom: QgsGeometry) -> None:
        if not self.need_map():
            return
        from .results import run_section

        run_section(self, self.from_canvas(geom, self.map_crs()))

    def profile_clicked(self, point: QgsPointXY) -> None:
        if self.need_map():
            self.show_section(self.profiles_section)
            self.profiles_section.point_clicked(point)

    def identify_clicked(self, point: QgsPointXY) -> None:
        if not self.need_map():
            return
        from .identify import identify_at

        identify_at(self, point)

    def show_section(self, section: QWidget) -> None:
        for i in range(self.toolbox.count()):
            page = self.toolbox.widget(i)
            if page is section or (isinstance(page, QScrollArea) and page.widget() is section):
                self.toolbox.setCurrentIndex(i)
                return

    def on_each(self, fn: Callable[[Any], None]) -> None:
        for section in (self.map_section, self.gpr_section, self.checks_section, self.sharing_section,
                        self.view3d_section, self.profiles_section, self.network_section):
            fn(section)

    # --- unload ---------------------------------------------------------------------------------
    def cleanup(self) -> None:
        """Cancel the running job, give the canvas its tool back and take every
        marker and rubber band off it (plugin unload)."""
        self.runner.shutdown()
        for tool in self.tools:
            if self.canvas.mapTool() is tool:
                self.canvas.unsetMapTool(tool)
            tool.remove_items()
        self.on_each(lambda s: s.cleanup() if hasattr(s, "cleanup") else None)
        for dialog in (self.pipe_dialog, self.image_dialog):
            if dialog is not None:
                dialog.close()
                dialog.deleteLater()
        self.pipe_dialog = self.image_dialog = None

