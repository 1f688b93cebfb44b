"""Profiles section: a longitudinal profile along a run between two pipe points
(``pipemap:profile``, KIND 0), typed or clicked on the map with the Profile
tool; cross-sections come from the Section map tool."""

from __future__ import annotations

import math
from typing import Any

from qgis.core import (
    Qgis,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
)
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core import codes
from ..processing.base import user_locale
from .widgets import help_button, icon, temp_output


class ProfilesSection(QWidget):
    def __init__(self, dock: Any) -> None:
        super().__init__(dock)
        self.dock = dock
        layout = QVBoxLayout(self)
        info = QLabel(self.tr("A longitudinal profile along the pipes between two points: type their numbers, or "
                              "use the Profile tool and click the two points on the map. The Section tool draws a "
                              "cross-section along a line."), self)
        info.setWordWrap(True)
        layout.addWidget(info)
        form = QFormLayout()
        self.from_edit = QLineEdit(self)
        self.to_edit = QLineEdit(self)
        form.addRow(self.tr("From point"), self.from_edit)
        form.addRow(self.tr("To point"), self.to_edit)
        self.category_combo = QComboBox(self)
        self.category_combo.addItem(self.tr("(the first point's)"), "")
        zh = user_locale().startswith("zh")
        for cat in codes.CATEGORIES:
            self.category_combo.addItem(f"{cat.code} {cat.name_zh if zh else cat.name_en}", cat.code)
        form.addRow(self.tr("Category"), self.category_combo)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.profile_button = dock.add_run_button(
            QPushButton(icon("/mActionMeasure.svg"), self.tr("Longitudinal profile"), self))
        self.profile_button.clicked.connect(self.run_profile)
        row.addWidget(self.profile_button)
        row.addStretch(1)
        row.addWidget(help_button("profile", self))
        layout.addLayout(row)
        layout.addStretch(1)
        self.clicks = 0

    def point_clicked(self, point: QgsPointXY) -> str:
        """The Profile tool: the first click sets the start, the second the end and draws."""
        found = self.nearest_point(point)
        if not found:
            self.dock.push(self.tr("No pipe point here: click on a point of the open map."), Qgis.Info, 4)
            return ""
        if self.clicks % 2 == 0:
            self.from_edit.setText(found)
            self.to_edit.clear()
        else:
            self.to_edit.setText(found)
            self.run_profile()
        self.clicks += 1
        return found

    def nearest_point(self, point: QgsPointXY, pixels: float = 10.0) -> str:
        layer = self.dock.map_layer("pipe_point")
        if layer is None:
            return ""
        tol = pixels * self.dock.canvas.mapUnitsPerPixel()
        rect = QgsRectangle(point.x() - tol, point.y() - tol, point.x() + tol, point.y() + tol)
        target = QgsGeometry.fromPointXY(point)
        dest = self.dock.canvas.mapSettings().destinationCrs()
        if dest.isValid() and layer.crs().isValid() and dest != layer.crs():
            xform = QgsCoordinateTransform(dest, layer.crs(), QgsProject.instance())
            rect = xform.transformBoundingBox(rect)
            target.transform(xform)
        best, best_d = "", math.inf
        for f in layer.getFeatures(QgsFeatureRequest().setFilterRect(rect)):
            if f.hasGeometry():
                d = f.geometry().distance(target)
                if d < best_d:
                    best, best_d = str(f["point_id"]), d
        return best

    def run_profile(self) -> bool:
        if not self.dock.need_map():
            return False
        a, b = self.from_edit.text().strip(), self.to_edit.text().strip()
        if not a or not b:
            self.dock.push(self.tr("Give the numbers of the two points."), Qgis.Warning)
            return False
        from .results import show_drawing

        params: dict[str, Any] = {"MAP": self.dock.map_path, "KIND": 0, "FROM_POINT": a, "TO_POINT": b,
                                  "OUTPUT": temp_output("profile.png"), "ALL_FORMATS": False}
        if self.category_combo.currentData():
            params["CATEGORY"] = self.category_combo.currentData()
        dem = self.dock.dem_layer()
        if dem is not None:
            params["GROUND"] = dem.source()
        title = self.tr("PipeMap: longitudinal profile {a} – {b}").format(a=a, b=b)
        return self.dock.run("pipemap:profile", params,
                             lambda ok, res, log: show_drawing(self.dock, ok, res, log, params, title),
                             self.tr("Longitudinal profile"))
