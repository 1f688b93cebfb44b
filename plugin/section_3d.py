"""3D section: build true-size 3D pipes (``pipemap:build3d``), open QGIS's
3D map view, and render a view from below-ground angles with the ground
seen through (``pipemap:render3d``), shown in the panel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qgis.core import Qgis, QgsProject, QgsVectorLayer
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from . import settings
from .tasks import Job
from .widgets import ImagePreview, help_button, icon, temp_output

GROUP_NAME = "PipeMap 3D"


class View3DSection(QWidget):
    def __init__(self, dock: Any) -> None:
        super().__init__(dock)
        self.dock = dock
        self.pipes_path = ""
        self.wells_path = ""
        self.image_path = ""
        layout = QVBoxLayout(self)
        info = QLabel(self.tr("True-size pipes and wells from the open map; the ground is drawn see-through so the "
                              "pipes show below it."), self)
        info.setWordWrap(True)
        layout.addWidget(info)
        row = QHBoxLayout()
        self.build_button = dock.add_run_button(QPushButton(icon("/mActionAdd3DMap.svg"), self.tr("Build 3D pipes"),
                                                            self))
        self.build_button.clicked.connect(self.build)
        self.open_button = QPushButton(icon("/mActionNew3DMap.svg"), self.tr("Open 3D view"), self)
        self.open_button.clicked.connect(self.open_view)
        row.addWidget(self.build_button)
        row.addWidget(self.open_button)
        row.addStretch(1)
        row.addWidget(help_button("build3d", self))
        layout.addLayout(row)
        form = QFormLayout()
        self.pitch = QDoubleSpinBox(self)
        self.pitch.setRange(0.0, 89.0)
        self.pitch.setSuffix("°")
        self.pitch.setValue(settings.get("view3d/pitch"))
        form.addRow(self.tr("Camera pitch"), self.pitch)
        self.see_through = QCheckBox(self.tr("Ground DEM seen through"), self)
        self.see_through.setChecked(settings.get("view3d/see_through"))
        form.addRow("", self.see_through)
        self.view_extent = QCheckBox(self.tr("Only what the map view shows"), self)
        self.view_extent.setChecked(settings.get("view3d/map_extent"))
        form.addRow("", self.view_extent)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.render_button = dock.add_run_button(QPushButton(icon("/mLayoutItem3DMap.svg"), self.tr("Render view"),
                                                             self))
        self.render_button.clicked.connect(self.render)
        row.addWidget(self.render_button)
        row.addStretch(1)
        row.addWidget(help_button("render3d", self))
        layout.addLayout(row)
        self.preview = ImagePreview(self)
        layout.addWidget(self.preview, 1)
        layout.addStretch(1)

    def build(self, then_render: bool = False) -> bool:
        if not self.dock.need_map():
            return False
        params = {"MAP": self.dock.map_path, "OUTPUT": temp_output("pipes3d.gpkg"),
                  "OUTPUT_WELLS": temp_output("wells3d.gpkg")}
        return self.dock.run("pipemap:build3d", params, lambda ok, res, log: self._built(ok, res, log, params),
                             self.tr("Build 3D pipes"))

    def _built(self, ok: bool, results: dict, log: str, params: dict[str, Any]) -> None:
        if not ok:
            self.dock.failed(self.tr("Building the 3D pipes"), log)
            return
        from .view3d import style_pipe_layers

        self.pipes_path = results.get("OUTPUT") or params["OUTPUT"]
        self.wells_path = results.get("OUTPUT_WELLS") or params["OUTPUT_WELLS"]
        project = QgsProject.instance()
        root = project.layerTreeRoot()
        group = root.findGroup(GROUP_NAME) or root.insertGroup(0, GROUP_NAME)
        for node in list(group.findLayers()):
            if node.layer() is not None:
                project.removeMapLayer(node.layer().id())
        for path, title in ((self.wells_path, self.tr("3D wells")), (self.pipes_path, self.tr("3D pipes"))):
            layer = QgsVectorLayer(path, title, "ogr")
            if layer.isValid():
                project.addMapLayer(layer, False)
                group.addLayer(layer)
        style_pipe_layers(project)
        self.dock.push(self.tr("Built {pipes} 3D pipes and {wells} wells.").format(
            pipes=results.get("PIPES", 0), wells=results.get("WELLS", 0)), Qgis.Success)

    def open_view(self) -> bool:
        from .view3d import open_3d_view, style_pipe_layers

        styled = style_pipe_layers()
        opened = open_3d_view(self.dock.iface)
        if not styled:
            self.dock.push(self.tr("No 3D pipe layer in the project yet: build the 3D pipes first."), Qgis.Warning)
        elif not opened:
            self.dock.push(self.tr("This QGIS has no 3D map view; use Render view instead."), Qgis.Warning)
        return opened

    def render(self) -> bool:
        """Render the 3D pipes (built first when needed) to an image shown in the panel."""
        if not self.dock.need_map():
            return False
        settings.put("view3d/pitch", self.pitch.value())
        settings.put("view3d/see_through", self.see_through.isChecked())
        settings.put("view3d/map_extent", self.view_extent.isChecked())
        jobs = []
        built = {"OUTPUT": temp_output("pipes3d.gpkg"), "OUTPUT_WELLS": temp_output("wells3d.gpkg")}
        if not (self.pipes_path and Path(self.pipes_path).is_file()):
            params = {"MAP": self.dock.map_path, **built}
            jobs.append(Job("pipemap:build3d", params, lambda ok, res, log: self._built(ok, res, log, params),
                            self.tr("Build 3D pipes")))
        out = temp_output("view3d.png")
        dem = self.dock.dem_layer()
        render = {"GROUND": dem.source() if dem is not None else None,
                  "TERRAIN": 2 if dem is not None and self.see_through.isChecked() else 0,
                  "WIDTH": 1200, "HEIGHT": 750, "PITCH": self.pitch.value(), "HEADING": 20.0, "OUTPUT": out}
        if self.view_extent.isChecked():
            e = self.dock.canvas.extent()
            crs = self.dock.canvas.mapSettings().destinationCrs()
            render["EXTENT"] = f"{e.xMinimum()},{e.xMaximum()},{e.yMinimum()},{e.yMaximum()} [{crs.authid()}]"
        job = Job("pipemap:render3d", render, lambda ok, res, log: self._rendered(ok, res, log, out),
                  self.tr("Render 3D view"))
        jobs.append(job)

        def layers_now() -> None:  # the pipes path is known once build3d has run
            job.params["LAYERS"] = [p for p in (self.pipes_path, self.wells_path) if p]

        if jobs[0] is not job:
            first_done = jobs[0].done
            jobs[0].done = lambda ok, res, log: (first_done(ok, res, log), layers_now())
        else:
            layers_now()
        return self.dock.run_many(jobs)

    def _rendered(self, ok: bool, results: dict, log: str, out: str) -> None:
        if not ok:
            self.dock.failed(self.tr("Rendering the 3D view"), log)
            return
        self.image_path = results.get("OUTPUT") or out
        self.preview.show_file(self.image_path)
        self.dock.push(self.tr("3D view rendered: {path}").format(path=self.image_path), Qgis.Success)
