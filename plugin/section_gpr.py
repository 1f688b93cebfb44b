"""GPR section: open a radar file (``pipemap:gprimport``) into the radargram
viewer linked to the map, find picks (``pipemap:gprpick``) and review them
(accept, reject, edit depth and category; stored in the map's
``gpr_pick_review`` layer, see :mod:`.pick_review`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsGeometry,
    QgsMapLayerProxyModel,
    QgsPointXY,
    QgsProject,
    QgsVectorLayer,
)
from qgis.gui import QgsDockWidget, QgsFileWidget, QgsMapLayerComboBox
from qgis.PyQt.QtCore import QLocale, Qt, QUrl
from qgis.PyQt.QtGui import QDesktopServices
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import codes
from ..processing.base import user_locale
from . import pick_review, settings
from .maptools import ClickTool
from .radargram import MapLink, RadargramPanel, radargram_columns
from .widgets import help_button, icon, layer_param, temp_output

RADARGRAM_DOCK_OBJECT_NAME = "PipeMapRadargramDock"
GPR_FILTER = "*.dzt *.DZT *.dt1 *.DT1 *.hd *.HD *.rd3 *.RD3 *.rd7 *.RD7 *.rad *.RAD *.sgy *.SGY *.segy *.SEGY"
PRESETS = ("none", "default", "strong")


class GprSection(QWidget):
    def __init__(self, dock: Any) -> None:
        super().__init__(dock)
        self.dock = dock
        self.survey: dict[str, Any] = {}
        self.picks: list[dict[str, Any]] = []
        self.picks_crs = QgsCoordinateReferenceSystem()
        self.picks_path = ""
        self.reconciliation: dict[str, Any] = {}
        self.radargram_dock: QgsDockWidget | None = None
        self.panel: RadargramPanel | None = None
        self.link: MapLink | None = None
        self.position_tool = ClickTool(dock.canvas)
        self.position_tool.clicked.connect(self.map_clicked)
        layout = QVBoxLayout(self)

        form = QFormLayout()
        self.file_edit = QgsFileWidget(self)
        self.file_edit.setFilter(self.tr("GPR files ({patterns});;All files (*)").format(patterns=GPR_FILTER))
        self.file_edit.setFilePath(settings.get("gpr/last_file"))
        form.addRow(self.tr("Radar file"), self.file_edit)
        self.line_combo = QgsMapLayerComboBox(self)
        self.line_combo.setFilters(QgsMapLayerProxyModel.LineLayer)
        self.line_combo.setAllowEmptyLayer(True)
        self.line_combo.setLayer(None)
        self.line_combo.setToolTip(self.tr("A drawn survey line, for files without GPS (its first line is used)"))
        form.addRow(self.tr("Survey line"), self.line_combo)
        self.spacing = QDoubleSpinBox(self)
        self.spacing.setDecimals(4)
        self.spacing.setRange(0.0, 10.0)
        self.spacing.setSingleStep(0.01)
        self.spacing.setSpecialValueText(self.tr("from the file"))
        self.spacing.setSuffix(" m")
        form.addRow(self.tr("Trace spacing"), self.spacing)
        self.preset = QComboBox(self)
        for name, label in zip(PRESETS, (self.tr("none (raw)"), self.tr("default (no migration)"),
                                         self.tr("strong"))):
            self.preset.addItem(label, name)
        self.preset.setCurrentIndex(max(0, self.preset.findData(settings.get("gpr/processing"))))
        form.addRow(self.tr("Processing"), self.preset)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.open_button = dock.add_run_button(
            QPushButton(icon("/mActionFileOpen.svg"), self.tr("Open radargram"), self))
        self.open_button.clicked.connect(self.open_radargram)
        self.map_button = QPushButton(icon("/mActionIdentify.svg"), self.tr("Position on map"), self)
        self.map_button.setCheckable(True)
        self.map_button.setToolTip(self.tr("Click on the map near the survey line to move the radargram's cursor"))
        self.map_button.setEnabled(False)
        self.position_tool.setButton(self.map_button)
        self.map_button.toggled.connect(lambda on: self.dock.set_tool(self.position_tool, on))
        row.addWidget(self.open_button)
        row.addWidget(self.map_button)
        row.addStretch(1)
        row.addWidget(help_button("gprimport", self))
        layout.addLayout(row)

        # --- picks ------------------------------------------------------------------------
        box = QGroupBox(self.tr("Picks"), self)
        box_layout = QVBoxLayout(box)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Minimum confidence"), box))
        self.min_confidence = QDoubleSpinBox(box)
        self.min_confidence.setRange(0.0, 1.0)
        self.min_confidence.setSingleStep(0.05)
        self.min_confidence.setValue(settings.get("gpr/min_confidence"))
        row.addWidget(self.min_confidence)
        self.pick_button = dock.add_run_button(QPushButton(icon("/mActionStart.svg"), self.tr("Find picks"), box))
        self.pick_button.clicked.connect(self.find_picks)
        row.addWidget(self.pick_button)
        row.addStretch(1)
        row.addWidget(help_button("gprpick", box))
        box_layout.addLayout(row)
        row = QHBoxLayout()
        self.reconcile_button = dock.add_run_button(
            QPushButton(icon("/mIconPointLayer.svg"), self.tr("Compare with the map"), box))
        self.reconcile_button.setToolTip(self.tr("Confirmed pipes, depth mismatches, mapped pipes not detected and "
                                                 "anomalies not on the map (CJJ 61 limits)"))
        self.reconcile_button.clicked.connect(self.reconcile)
        self.reconcile_report = QPushButton(icon("/mActionAddHtml.svg"), self.tr("Report"), box)
        self.reconcile_report.setEnabled(False)
        self.reconcile_report.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(self.reconciliation.get("report", ""))))
        row.addWidget(self.reconcile_button)
        row.addWidget(self.reconcile_report)
        row.addStretch(1)
        row.addWidget(help_button("gprreconcile", box))
        box_layout.addLayout(row)
        self.reconcile_label = QLabel(box)
        self.reconcile_label.setWordWrap(True)
        box_layout.addWidget(self.reconcile_label)
        self.pick_table = QTableWidget(0, 6, box)
        self.pick_table.setHorizontalHeaderLabels([self.tr("Pick"), self.tr("Distance (m)"), self.tr("Depth (m)"),
                                                   self.tr("Confidence"), self.tr("Decision"), self.tr("Category")])
        self.pick_table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.pick_table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.pick_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.pick_table.verticalHeader().setVisible(False)
        self.pick_table.setMinimumHeight(140)
        self.pick_table.itemSelectionChanged.connect(self._pick_selected)
        box_layout.addWidget(self.pick_table)
        form = QFormLayout()
        self.depth_spin = QDoubleSpinBox(box)
        self.depth_spin.setDecimals(3)
        self.depth_spin.setRange(0.0, 50.0)
        self.depth_spin.setSingleStep(0.01)
        self.depth_spin.setSuffix(" m")
        form.addRow(self.tr("Depth of the top"), self.depth_spin)
        self.category_combo = QComboBox(box)
        self.category_combo.addItem(self.tr("(unknown)"), "")
        zh = user_locale().startswith("zh")
        for cat in codes.CATEGORIES:
            self.category_combo.addItem(f"{cat.code} {cat.name_zh if zh else cat.name_en}", cat.code)
        form.addRow(self.tr("Category"), self.category_combo)
        self.note_edit = QLineEdit(box)
        form.addRow(self.tr("Note"), self.note_edit)
        box_layout.addLayout(form)
        row = QHBoxLayout()
        self.accept_button = QPushButton(icon("/mIconSuccess.svg"), self.tr("Accept"), box)
        self.reject_button = QPushButton(icon("/mIconCritical.svg"), self.tr("Reject"), box)
        self.accept_button.clicked.connect(lambda: self.review("accepted"))
        self.reject_button.clicked.connect(lambda: self.review("rejected"))
        row.addWidget(self.accept_button)
        row.addWidget(self.reject_button)
        row.addStretch(1)
        box_layout.addLayout(row)
        self.review_label = QLabel(box)
        self.review_label.setWordWrap(True)
        box_layout.addWidget(self.review_label)
        layout.addWidget(box)
        layout.addStretch(1)
        self._enable_review(False)

    # --- the viewer ----------------------------------------------------------------------------
    def ensure_viewer(self) -> RadargramPanel:
        """The radargram dock (created on first use, at the bottom of the window)."""
        if self.panel is None:
            window = self.dock.iface.mainWindow()
            self.radargram_dock = QgsDockWidget(self.tr("PipeMap radargram"), window)
            self.radargram_dock.setObjectName(RADARGRAM_DOCK_OBJECT_NAME)
            self.panel = RadargramPanel(self.radargram_dock)
            self.radargram_dock.setWidget(self.panel)
            self.dock.iface.addDockWidget(Qt.BottomDockWidgetArea, self.radargram_dock)
            self.link = MapLink(self.dock.canvas, self.panel.view, self)
            self.panel.view.pick_clicked.connect(self.select_pick)
        self.radargram_dock.setUserVisible(True)
        return self.panel

    def gpr_params(self) -> dict[str, Any]:
        """The parameters gprimport and gprpick share."""
        params: dict[str, Any] = {"INPUT": self.file_edit.filePath().strip()}
        line = self.line_combo.currentLayer()
        if line is not None:
            params["LINE"] = layer_param(line)
        if self.spacing.value() > 0:
            params["TRACE_SPACING_M"] = self.spacing.value()
        if self.dock.map_path:
            crs = self.dock.map_crs()
            if crs.isValid():
                params["CRS"] = crs
        return params

    def open_radargram(self) -> None:
        path = self.file_edit.filePath().strip()
        if not path or not Path(path).is_file():
            self.dock.push(self.tr("Choose a radar file."), Qgis.Warning)
            return
        settings.put("gpr/last_file", path)
        settings.put("gpr/processing", self.preset.currentData())
        params = self.gpr_params()
        params.update({"PROCESSING": self.preset.currentData(), "VELOCITY": 0.1,
                       "OUTPUT_LINE": temp_output("gpr_line.gpkg"), "OUTPUT_SEGY": temp_output("gpr_processed.sgy")})
        if self.dock.map_path and Path(self.dock.map_path).is_file():
            params["MAP"] = self.dock.map_path
        self.dock.run("pipemap:gprimport", params, lambda ok, res, log: self._opened(ok, res, log, params),
                      self.tr("Open radargram {name}").format(name=Path(path).name))

    def _opened(self, ok: bool, results: dict, log: str, params: dict[str, Any]) -> None:
        if not ok:
            self.dock.failed(self.tr("Opening the radar file"), log)
            return
        from ..core.gpr import readers

        segy = results.get("OUTPUT_SEGY") or params["OUTPUT_SEGY"]
        rg = readers.read(segy)[0]
        line_layer = QgsVectorLayer(results.get("OUTPUT_LINE") or params["OUTPUT_LINE"],
                                    self.tr("GPR line {name}").format(name=Path(params["INPUT"]).name), "ogr")
        positions = self._trace_positions(line_layer, rg)
        self.survey = {"file": params["INPUT"], "params": {k: v for k, v in params.items() if k in (
            "INPUT", "LINE", "TRACE_SPACING_M", "CRS")}, "n_traces": rg.n_traces, "crs": line_layer.crs(),
            "positions": positions, "line": line_layer.source()}
        self.picks_path = ""
        panel = self.ensure_viewer()
        panel.title.setText(self.tr("<b>{name}</b>: {traces} traces × {samples} samples, {dt} ns").format(
            name=Path(params["INPUT"]).name, traces=QLocale().toString(rg.n_traces),
            samples=QLocale().toString(rg.n_samples), dt=QLocale().toString(float(rg.dt_ns), "g", 4)))
        panel.view.set_radargram(radargram_columns(rg), rg.dt_ns, rg.time_zero_ns, rg.distance_m, rg.n_traces)
        panel.velocity_m_ns = 0.1
        self.picks = []
        self._fill_picks()
        if positions is not None:
            self.link.set_positions(positions[:, 0], positions[:, 1], line_layer.crs())
            QgsProject.instance().addMapLayer(line_layer)
            self.map_button.setEnabled(True)
            text = self.tr("Move the mouse along the radargram: the red cross follows on the survey line.")
        else:
            self.link.set_positions(np.zeros(0), np.zeros(0), QgsCoordinateReferenceSystem())
            self.map_button.setEnabled(False)
            text = self.tr("The survey is not georeferenced (no GPS, no survey line): it is not shown on the map.")
        self.dock.push(text, Qgis.Info, 6)

    @staticmethod
    def _trace_positions(line_layer: QgsVectorLayer, rg: Any) -> np.ndarray | None:
        """x, y of every trace in the line layer's CRS (the survey line written by
        gprimport has one vertex per trace), or None when not georeferenced."""
        if not line_layer.isValid():
            return None
        feat = next(line_layer.getFeatures(), None)
        if feat is None or not feat.hasGeometry():
            return None
        geom = feat.geometry().constGet()
        if feat.geometry().isMultipart():
            geom = geom.geometryN(0)
        xy = np.array([(v.x(), v.y()) for v in geom.vertices()], dtype=float)
        if len(xy) == rg.n_traces:
            return xy
        if rg.x is not None and rg.y is not None and len(rg.x) == rg.n_traces:
            return np.column_stack([rg.x, rg.y]).astype(float)
        return None

    def map_clicked(self, point: QgsPointXY) -> None:
        if self.link is None or self.link.map_clicked(point) is None:
            self.dock.push(self.tr("Click closer to the survey line."), Qgis.Info, 3)

    # --- picks -----------------------------------------------------------------------------------
    def find_picks(self) -> None:
        if not self.survey:
            self.dock.push(self.tr("Open a radar file first."), Qgis.Warning)
            return
        settings.put("gpr/min_confidence", self.min_confidence.value())
        params = dict(self.survey["params"])
        params.update({"MIN_CONFIDENCE": self.min_confidence.value(), "OUTPUT": temp_output("gpr_picks.gpkg")})
        dem = self.dock.dem_layer()
        if dem is not None:
            params["GROUND"] = dem.source()
        self.dock.run("pipemap:gprpick", params, lambda ok, res, log: self._picked(ok, res, log, params),
                      self.tr("Find picks"))

    def _picked(self, ok: bool, results: dict, log: str, params: dict[str, Any]) -> None:
        if not ok:
            self.dock.failed(self.tr("Picking"), log)
            return
        self.picks_path = results.get("OUTPUT") or params["OUTPUT"]
        layer = QgsVectorLayer(self.picks_path, "picks", "ogr")
        self.picks_crs = layer.crs()
        stored = pick_review.load(self.dock.map_path, self.survey["file"]) if self.dock.map_path else {}
        picks = []
        for k, f in enumerate(layer.getFeatures()):
            trace = int(f["trace"])
            if not 0 <= trace < self.survey["n_traces"]:
                continue
            pick = {"pick_id": str(f["pick_id"]), "trace": trace, "distance_m": _num(f["distance_m"]),
                    "t0_ns": _num(f["t0_ns"]), "depth_m": _num(f["depth_m"]), "confidence": _num(f["confidence"]),
                    "velocity_m_ns": _num(f["velocity_m_ns"]), "x": _num(f["x"]), "y": _num(f["y"]),
                    "label": str(k + 1), "status": "pending", "category": "", "reviewed_depth_m": None, "note": ""}
            old = stored.get(pick["pick_id"])
            if old is not None and int(old.get("trace") or -1) == trace:
                pick.update(status=old["decision"], category=old.get("category") or "",
                            reviewed_depth_m=old.get("depth_m"), note=old.get("note") or "")
            picks.append(pick)
        self.picks = picks
        velocities = [p["velocity_m_ns"] for p in picks if p["velocity_m_ns"]]
        if velocities and self.panel is not None:
            self.panel.velocity_m_ns = float(np.median(velocities))
        self._fill_picks()
        self.dock.push(self.tr("%n pick(s) found.", "", len(picks)), Qgis.Success if picks else Qgis.Info)

    def reconcile(self) -> bool:
        """Compare the picks with the map along the survey line (``pipemap:gprreconcile``)."""
        if not self.picks_path or self.survey.get("positions") is None:
            self.dock.push(self.tr("Open a georeferenced radar file and find its picks first."), Qgis.Warning)
            return False
        if not self.dock.need_map():
            return False
        params = {"PICKS": self.picks_path, "LINE": self.survey["line"], "MAP": self.dock.map_path,
                  "OUTPUT": temp_output("gpr_discrepancies.gpkg"), "REPORT": temp_output("gpr_reconciliation.html")}
        dem = self.dock.dem_layer()
        if dem is not None:
            params["GROUND"] = dem.source()
        self.reconcile_report.setEnabled(False)
        return self.dock.run("pipemap:gprreconcile", params,
                             lambda ok, res, log: self._reconciled(ok, res, log, params),
                             self.tr("Compare the picks with the map"))

    def _reconciled(self, ok: bool, results: dict, log: str, params: dict[str, Any]) -> None:
        if not ok:
            self.dock.failed(self.tr("The comparison with the map"), log)
            return
        counts = {k: int(results.get(k, 0)) for k in ("CONFIRMED", "DEPTH_MISMATCH", "NOT_DETECTED", "UNMAPPED")}
        self.reconciliation = {"counts": counts, "layer": results.get("OUTPUT") or params["OUTPUT"],
                               "report": results.get("REPORT") or params["REPORT"]}
        layer = QgsVectorLayer(self.reconciliation["layer"], self.tr("GPR discrepancies"), "ogr")
        if layer.isValid():
            project = QgsProject.instance()
            for old in project.mapLayersByName(layer.name()):
                project.removeMapLayer(old.id())
            project.addMapLayer(layer)
        self.reconcile_report.setEnabled(Path(self.reconciliation["report"]).is_file())
        text = self.tr("{confirmed} confirmed, {mismatch} depth mismatches, {missing} mapped pipes not detected, "
                       "{unmapped} anomalies not on the map.").format(
            confirmed=counts["CONFIRMED"], mismatch=counts["DEPTH_MISMATCH"], missing=counts["NOT_DETECTED"],
            unmapped=counts["UNMAPPED"])
        self.reconcile_label.setText(text)
        level = Qgis.Success if not (counts["DEPTH_MISMATCH"] or counts["NOT_DETECTED"] or counts["UNMAPPED"]) \
            else Qgis.Warning
        self.dock.push(text, level, 12)

    def _decision_text(self, status: str) -> str:
        return {"pending": self.tr("to review"), "accepted": self.tr("accepted"),
                "rejected": self.tr("rejected")}.get(status, status)

    def _fill_picks(self) -> None:
        locale = QLocale()
        self.pick_table.blockSignals(True)
        self.pick_table.setRowCount(len(self.picks))
        for r, p in enumerate(self.picks):
            depth = p["reviewed_depth_m"] if p["reviewed_depth_m"] is not None else p["depth_m"]
            cells = [p["label"], locale.toString(p["distance_m"] or 0.0, "f", 2),
                     locale.toString(depth or 0.0, "f", 2), locale.toString(p["confidence"] or 0.0, "f", 2),
                     self._decision_text(p["status"]), p["category"]]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(str(text))
                item.setData(Qt.UserRole, p["pick_id"])
                self.pick_table.setItem(r, c, item)
        self.pick_table.blockSignals(False)
        self.pick_table.resizeColumnsToContents()
        if self.panel is not None:
            self.panel.view.set_picks(self.picks)
        if self.link is not None:
            self.link.set_picks(self.picks)
        self._enable_review(bool(self.picks) and self.current_pick() is not None)

    def current_pick(self) -> dict[str, Any] | None:
        rows = self.pick_table.selectionModel().selectedRows()
        if not rows:
            return None
        pick_id = self.pick_table.item(rows[0].row(), 0).data(Qt.UserRole)
        return next((p for p in self.picks if p["pick_id"] == pick_id), None)

    def select_pick(self, pick_id: str) -> None:
        for r in range(self.pick_table.rowCount()):
            if self.pick_table.item(r, 0).data(Qt.UserRole) == pick_id:
                self.pick_table.selectRow(r)
                return

    def _pick_selected(self) -> None:
        pick = self.current_pick()
        self._enable_review(pick is not None)
        if pick is None:
            return
        depth = pick["reviewed_depth_m"] if pick["reviewed_depth_m"] is not None else pick["depth_m"]
        self.depth_spin.setValue(depth or 0.0)
        self.category_combo.setCurrentIndex(max(0, self.category_combo.findData(pick["category"])))
        self.note_edit.setText(pick["note"])
        if self.panel is not None:
            self.panel.view.select_pick(pick["pick_id"])
        if self.link is not None:
            self.link.show_trace(pick["trace"])

    def _enable_review(self, on: bool) -> None:
        for w in (self.accept_button, self.reject_button, self.depth_spin, self.category_combo, self.note_edit):
            w.setEnabled(on)

    def review(self, decision: str) -> dict[str, Any] | None:
        """Store the decision on the selected pick in the map."""
        pick = self.current_pick()
        if pick is None:
            return None
        if not self.dock.need_map():
            return None
        depth = float(self.depth_spin.value())
        row = {"file": self.survey["file"], "pick_id": pick["pick_id"], "trace": pick["trace"],
               "distance_m": pick["distance_m"], "decision": decision,
               "edited": int(pick["depth_m"] is None or abs(depth - pick["depth_m"]) > 0.0005),
               "depth_m": depth, "picked_depth_m": pick["depth_m"], "category": self.category_combo.currentData(),
               "confidence": pick["confidence"], "note": self.note_edit.text().strip()}
        x = y = None
        if pick["x"] is not None and pick["y"] is not None:
            point = QgsGeometry.fromPointXY(QgsPointXY(pick["x"], pick["y"]))
            map_crs = self.dock.map_crs()
            if self.picks_crs.isValid() and map_crs.isValid() and self.picks_crs != map_crs:
                point.transform(QgsCoordinateTransform(self.picks_crs, map_crs, QgsProject.instance()))
            x, y = point.asPoint().x(), point.asPoint().y()
        try:
            pick_review.save(self.dock.map_path, row, x, y)
        except (RuntimeError, OSError, ValueError) as exc:
            self.dock.push(self.tr("The decision could not be stored: {error}").format(error=exc), Qgis.Critical)
            return None
        pick.update(status=decision, category=row["category"], reviewed_depth_m=depth, note=row["note"])
        selected = pick["pick_id"]
        self._fill_picks()
        self.select_pick(selected)
        self.review_label.setText(self.tr("Pick {label} {decision}; stored in {map}.").format(
            label=pick["label"], decision=self._decision_text(decision), map=Path(self.dock.map_path).name))
        self.dock.add_map_layers(self.dock.map_path, zoom=False)
        return row

    def cleanup(self) -> None:
        if self.dock.canvas.mapTool() is self.position_tool:
            self.dock.canvas.unsetMapTool(self.position_tool)
        if self.link is not None:
            self.link.remove()
        if self.radargram_dock is not None:
            self.dock.iface.removeDockWidget(self.radargram_dock)
            self.radargram_dock.setParent(None)
            self.radargram_dock.deleteLater()
            self.radargram_dock = None
            self.panel = None


def _num(value: Any) -> float | None:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if np.isfinite(out) else None
