"""Checks section: run ``pipemap:clashcheck``, ``covercheck`` and
``excavationcheck`` on the open map and browse the findings by verdict, with
zoom-to and flash; an excavation drawn with the map tool is checked at once."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    Qgis,
    QgsCategorizedSymbolRenderer,
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureRequest,
    QgsField,
    QgsFieldProxyModel,
    QgsGeometry,
    QgsMapLayerProxyModel,
    QgsMarkerSymbol,
    QgsProject,
    QgsRendererCategory,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.gui import QgsFieldComboBox, QgsFileWidget, QgsMapLayerComboBox
from qgis.PyQt.QtCore import QLocale, QUrl, QVariant
from qgis.PyQt.QtGui import QColor, QDesktopServices
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from . import settings
from .tasks import Job
from .widgets import help_button, icon, layer_param, temp_output, write_gpkg

CHECKS = ("clash", "cover", "excavation")
VERDICTS = ("FAIL", "UNCERTAIN", "UNKNOWN")
VERDICT_COLOURS = {"FAIL": QColor(220, 30, 30), "UNCERTAIN": QColor(255, 150, 0), "UNKNOWN": QColor(130, 130, 130)}
GROUP_NAME = "PipeMap checks"


def write_excavations(geometries: list[QgsGeometry], ids: list[str], depths: list[float],
                      crs: QgsCoordinateReferenceSystem) -> str:
    """Excavation polygons with ``exc_id`` and ``depth_m`` as a GeoPackage the check can read."""
    layer = QgsVectorLayer(f"MultiPolygon?crs={crs.authid()}" if crs.authid() else "MultiPolygon", "exc", "memory")
    if not crs.authid():
        layer.setCrs(crs)
    layer.dataProvider().addAttributes([QgsField("exc_id", QVariant.String), QgsField("depth_m", QVariant.Double)])
    layer.updateFields()
    feats = []
    for geom, exc_id, depth in zip(geometries, ids, depths):
        f = QgsFeature(layer.fields())
        g = QgsGeometry(geom)
        g.convertToMultiType()
        f.setGeometry(g)
        f.setAttributes([exc_id, float(depth)])
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return write_gpkg(layer, temp_output("excavations.gpkg"))


class ChecksSection(QWidget):
    def __init__(self, dock: Any) -> None:
        super().__init__(dock)
        self.dock = dock
        self.findings: list[dict[str, Any]] = []
        self.outputs: dict[str, str] = {}
        self.drawn = 0
        layout = QVBoxLayout(self)

        row = QHBoxLayout()
        self.check_boxes: dict[str, QCheckBox] = {}
        for check, label in zip(CHECKS, (self.tr("Clearances"), self.tr("Cover"), self.tr("Excavation"))):
            box = QCheckBox(label, self)
            box.setChecked(bool(settings.get(f"checks/{check}")))
            self.check_boxes[check] = box
            row.addWidget(box)
            row.addWidget(help_button(f"{check}check", self))
        row.addStretch(1)
        layout.addLayout(row)

        form = QFormLayout()
        self.clash_rules = QgsFileWidget(self)
        self.clash_rules.setFilter(self.tr("CSV (*.csv)"))
        self.clash_rules.setFilePath(settings.get("checks/clash_rules"))
        self.clash_rules.setToolTip(self.tr("class_a,class_b,min_horizontal_m,min_vertical_m; empty: GB 50289-2016"))
        form.addRow(self.tr("Clearance rules"), self.clash_rules)
        self.cover_rules = QgsFileWidget(self)
        self.cover_rules.setFilter(self.tr("CSV (*.csv)"))
        self.cover_rules.setFilePath(settings.get("checks/cover_rules"))
        self.cover_rules.setToolTip(self.tr("class,min_cover_non_motor_m,min_cover_motor_m; empty: GB 50289-2016"))
        form.addRow(self.tr("Cover rules"), self.cover_rules)
        self.roads_combo = QgsMapLayerComboBox(self)
        self.roads_combo.setFilters(QgsMapLayerProxyModel.PolygonLayer)
        self.roads_combo.setAllowEmptyLayer(True)
        self.roads_combo.setLayer(None)
        form.addRow(self.tr("Carriageways"), self.roads_combo)
        self.excavation_combo = QgsMapLayerComboBox(self)
        self.excavation_combo.setFilters(QgsMapLayerProxyModel.PolygonLayer)
        self.excavation_combo.setAllowEmptyLayer(True)
        self.excavation_combo.setLayer(None)
        form.addRow(self.tr("Excavations"), self.excavation_combo)
        self.depth_field = QgsFieldComboBox(self)
        self.depth_field.setAllowEmptyFieldName(True)
        self.depth_field.setFilters(QgsFieldProxyModel.Numeric)
        self.excavation_combo.layerChanged.connect(self.depth_field.setLayer)
        form.addRow(self.tr("Depth field"), self.depth_field)
        self.depth_spin = QDoubleSpinBox(self)
        self.depth_spin.setRange(0.1, 50.0)
        self.depth_spin.setDecimals(2)
        self.depth_spin.setSuffix(" m")
        self.depth_spin.setValue(settings.get("checks/excavation_depth"))
        self.depth_spin.setToolTip(self.tr("Depth below ground of excavations without a depth field, and of "
                                           "excavations drawn on the map"))
        form.addRow(self.tr("Excavation depth"), self.depth_spin)
        self.safety_spin = QDoubleSpinBox(self)
        self.safety_spin.setRange(0.0, 10.0)
        self.safety_spin.setDecimals(2)
        self.safety_spin.setSuffix(" m")
        self.safety_spin.setValue(settings.get("checks/safety_distance"))
        form.addRow(self.tr("Safety distance"), self.safety_spin)
        layout.addLayout(form)

        row = QHBoxLayout()
        self.run_button = dock.add_run_button(QPushButton(icon("/mActionStart.svg"), self.tr("Run checks"), self))
        self.run_button.clicked.connect(self.run_checks)
        self.report_button = dock.add_run_button(QPushButton(icon("/mActionAddHtml.svg"), self.tr("Report"), self))
        self.report_button.setToolTip(self.tr("A readable report (HTML) of the last findings"))
        self.report_button.clicked.connect(self.make_report)
        row.addWidget(self.run_button)
        row.addWidget(self.report_button)
        row.addStretch(1)
        layout.addLayout(row)

        box = QGroupBox(self.tr("Findings"), self)
        box_layout = QVBoxLayout(box)
        self.summary = QLabel(box)
        self.summary.setWordWrap(True)
        box_layout.addWidget(self.summary)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Show"), box))
        self.verdict_filter = QComboBox(box)
        self.verdict_filter.addItem(self.tr("every verdict"), "")
        for v in VERDICTS:
            self.verdict_filter.addItem(v, v)
        self.verdict_filter.currentIndexChanged.connect(self.apply_filter)
        row.addWidget(self.verdict_filter)
        row.addStretch(1)
        self.zoom_button = QPushButton(icon("/mActionZoomToSelected.svg"), self.tr("Zoom to"), box)
        self.zoom_button.clicked.connect(self.zoom_to_selected)
        row.addWidget(self.zoom_button)
        box_layout.addLayout(row)
        self.table = QTableWidget(0, 9, box)
        self.table.setHorizontalHeaderLabels([
            self.tr("Check"), self.tr("Verdict"), self.tr("Pipes"), self.tr("Figure"), self.tr("Value (m)"),
            self.tr("Required (m)"), self.tr("Margin (m)"), self.tr("Severity"), self.tr("Details")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSortingEnabled(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setMinimumHeight(180)
        self.table.itemDoubleClicked.connect(lambda item: self.zoom_to_row(item.row()))
        box_layout.addWidget(self.table)
        layout.addWidget(box)
        layout.addStretch(1)
        self._update_report_button()

    # --- running ---------------------------------------------------------------------------------
    def _remember(self) -> None:
        for check, box in self.check_boxes.items():
            settings.put(f"checks/{check}", box.isChecked())
        settings.put("checks/clash_rules", self.clash_rules.filePath())
        settings.put("checks/cover_rules", self.cover_rules.filePath())
        settings.put("checks/safety_distance", self.safety_spin.value())
        settings.put("checks/excavation_depth", self.depth_spin.value())

    def check_params(self, check: str) -> dict[str, Any] | None:
        """Parameters of one check on the open map (None: something is missing, said in the message bar)."""
        out = temp_output(f"{check}_findings.gpkg")
        params: dict[str, Any] = {"MAP": self.dock.map_path, "OUTPUT": out}
        dem = self.dock.dem_layer()
        if check == "clash":
            if self.clash_rules.filePath().strip():
                params["RULES"] = self.clash_rules.filePath().strip()
        elif check == "cover":
            if dem is None:
                self.dock.push(self.tr("The cover check needs the ground DEM (Map section)."), Qgis.Warning)
                return None
            params["GROUND"] = dem.source()
            if self.cover_rules.filePath().strip():
                params["RULES"] = self.cover_rules.filePath().strip()
            roads = self.roads_combo.currentLayer()
            if roads is not None:
                params["ROADS"] = layer_param(roads)
        else:
            layer = self.excavation_combo.currentLayer()
            if layer is None:
                self.dock.push(self.tr("Choose an excavation layer, or draw one with the Excavation tool."),
                               Qgis.Warning)
                return None
            if dem is None:
                self.dock.push(self.tr("The excavation check measures depths from the ground DEM: choose it in the "
                                       "Map section."), Qgis.Warning)
                return None
            field = self.depth_field.currentField()
            geoms, ids, depths = [], [], []
            for f in layer.getFeatures():
                if not f.hasGeometry():
                    continue
                geoms.append(QgsGeometry(f.geometry()))
                ids.append(str(f["exc_id"]) if layer.fields().indexOf("exc_id") >= 0 else str(f.id()))
                value = f[field] if field else None
                depths.append(float(value) if value not in (None, "") and str(value) != "NULL"
                              else self.depth_spin.value())
            params.update({"EXCAVATIONS": write_excavations(geoms, ids, depths, layer.crs()),
                           "EXC_ID_FIELD": "exc_id", "DEPTH_FIELD": "depth_m", "GROUND": dem.source(),
                           "SAFETY_DISTANCE": self.safety_spin.value()})
        return params

    def run_checks(self) -> bool:
        if not self.dock.need_map(postgis_ok=True):
            return False
        self._remember()
        chosen = [c for c in CHECKS if self.check_boxes[c].isChecked()]
        if not chosen:
            self.dock.push(self.tr("Choose at least one check."), Qgis.Warning)
            return False
        jobs = []
        for check in chosen:
            params = self.check_params(check)
            if params is None:
                return False
            jobs.append(Job(f"pipemap:{check}check", params,
                            lambda ok, res, log, c=check, p=params: self._checked(c, ok, res, log, p),
                            self.check_name(check)))
        self.findings = []
        self.outputs = {}
        self.summary.clear()
        self._fill()
        return self.dock.run_many(jobs)

    def check_name(self, check: str) -> str:
        return {"clash": self.tr("Clearance check"), "cover": self.tr("Cover check"),
                "excavation": self.tr("Excavation check")}[check]

    def _checked(self, check: str, ok: bool, results: dict, log: str, params: dict[str, Any]) -> None:
        if not ok:
            self.dock.failed(self.check_name(check), log)
            return
        path = results.get("OUTPUT") or params["OUTPUT"]
        self.load_findings(check, path)
        counts = {v: int(results.get(v, 0)) for v in VERDICTS}
        locale = QLocale()
        text = self.tr("{check}: {fail} FAIL, {unc} UNCERTAIN, {unk} UNKNOWN.").format(
            check=self.check_name(check), fail=locale.toString(counts["FAIL"]),
            unc=locale.toString(counts["UNCERTAIN"]), unk=locale.toString(counts["UNKNOWN"]))
        previous = self.summary.text()
        self.summary.setText(previous + "\n" + text if previous else text)
        level = Qgis.Warning if counts["FAIL"] else (Qgis.Info if counts["UNCERTAIN"] else Qgis.Success)
        self.dock.push(text, level)

    # --- findings ---------------------------------------------------------------------------------
    def load_findings(self, check: str, path: str, replace: bool = True) -> int:
        """Read a check's output layer into the table (and add it to the project)."""
        layer = QgsVectorLayer(path, self.check_name(check), "ogr")
        if not layer.isValid():
            return 0
        if replace:
            self.findings = [f for f in self.findings if f["check"] != check]
        self.outputs[check] = path
        crs = layer.crs()
        for f in layer.getFeatures():
            row = {"check": check, "verdict": str(f["verdict"] or ""), "severity": str(f["severity"] or ""),
                   "crs": crs, "geometry": QgsGeometry(f.geometry()) if f.hasGeometry() else None}
            if check == "clash":
                row.update(pipes=[str(f["pipe_a"]), str(f["pipe_b"])], figure=str(f["kind"] or ""),
                           value=f["clearance_m"], required=f["required_m"], margin=f["margin_m"],
                           detail=str(f["reason"] or f["advice"] or ""))
            elif check == "cover":
                row.update(pipes=[str(f["pipe_id"])], figure=self.tr("cover"), value=f["min_cover_m"],
                           required=f["required_m"], margin=f["margin_m"],
                           detail=str(f["reason"] or f["advice"] or ""))
            else:
                owner = f["owner"] if f["owner"] not in (None, "") and str(f["owner"]) != "NULL" else ""
                row.update(pipes=[str(f["pipe_id"])], figure=self.tr("excavation {id}").format(id=f["exc_id"]),
                           value=f["depth_m"], required=None, margin=f["depth_margin_m"], owner=str(owner),
                           detail=" · ".join(str(v) for v in (f["category"], f["owner"]) if v not in (None, "")
                                             and str(v) != "NULL"))
            self.findings.append(row)
        self._fill()
        self._show_layer(layer)
        self._update_report_button()
        return layer.featureCount()

    def _show_layer(self, layer: QgsVectorLayer) -> None:
        project = QgsProject.instance()
        root = project.layerTreeRoot()
        group = root.findGroup(GROUP_NAME) or root.insertGroup(0, GROUP_NAME)
        for node in list(group.findLayers()):
            if node.layer() is not None and node.layer().name() == layer.name():
                project.removeMapLayer(node.layer().id())
        categories = []
        for verdict, colour in VERDICT_COLOURS.items():
            symbol = QgsMarkerSymbol.createSimple({"name": "circle", "size": "3", "color": colour.name(),
                                                   "outline_color": "black"})
            categories.append(QgsRendererCategory(verdict, symbol, verdict))
        layer.setRenderer(QgsCategorizedSymbolRenderer("verdict", categories))
        project.addMapLayer(layer, False)
        group.insertLayer(0, layer)

    def _fill(self) -> None:
        locale = QLocale()

        def number(v: Any) -> str:
            try:
                return locale.toString(float(v), "f", 2)
            except (TypeError, ValueError):
                return ""

        order = {v: i for i, v in enumerate(VERDICTS)}
        self.findings.sort(key=lambda r: (order.get(r["verdict"], 9), CHECKS.index(r["check"])))
        self.table.setRowCount(len(self.findings))
        for r, f in enumerate(self.findings):
            cells = [self.check_name(f["check"]), f["verdict"], " / ".join(f["pipes"]), f["figure"],
                     number(f["value"]), number(f["required"]), number(f["margin"]), f["severity"], f["detail"]]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 1 and f["verdict"] in VERDICT_COLOURS:
                    item.setForeground(VERDICT_COLOURS[f["verdict"]])
                if c == 8:
                    item.setToolTip(text)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.apply_filter()

    def apply_filter(self, *args: Any) -> None:
        wanted = self.verdict_filter.currentData()
        for r, f in enumerate(self.findings):
            self.table.setRowHidden(r, bool(wanted) and f["verdict"] != wanted)

    def visible_rows(self) -> list[dict[str, Any]]:
        return [f for r, f in enumerate(self.findings) if not self.table.isRowHidden(r)]

    def zoom_to_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.zoom_to_row(rows[0].row())

    def zoom_to_row(self, row: int) -> None:
        """Centre the map on a finding and flash it and its pipes."""
        if not 0 <= row < len(self.findings):
            return
        f = self.findings[row]
        geoms = [f["geometry"]] if f["geometry"] is not None else []
        pipes = self.dock.map_layer("pipe_segment")
        crs = f["crs"]
        if pipes is not None:
            ids = ", ".join("'" + p.replace("'", "''") + "'" for p in f["pipes"])
            request = QgsFeatureRequest().setFilterExpression(f'"seg_id" IN ({ids})')
            pipe_geoms = [QgsGeometry(p.geometry()) for p in pipes.getFeatures(request) if p.hasGeometry()]
            if pipes.crs() != crs and pipes.crs().isValid():
                from qgis.core import QgsCoordinateTransform

                xform = QgsCoordinateTransform(pipes.crs(), crs, QgsProject.instance())
                for g in pipe_geoms:
                    g.transform(xform)
            geoms += pipe_geoms
        self.dock.zoom_and_flash(geoms, crs)

    # --- excavation drawn on the map -------------------------------------------------------------------
    def excavation_drawn(self, geom: QgsGeometry) -> None:
        """Check a polygon drawn with the Excavation tool at once."""
        if not self.dock.need_map(postgis_ok=True):
            return
        dem = self.dock.dem_layer()
        if dem is None:
            self.dock.push(self.tr("The excavation check measures depths from the ground DEM: choose it in the "
                                   "Map section."), Qgis.Warning)
            return
        if QgsWkbTypes.geometryType(geom.wkbType()) != QgsWkbTypes.PolygonGeometry:
            return
        crs = self.dock.map_crs()
        polygon = self.dock.from_canvas(geom, crs)
        self.drawn += 1
        exc_id = self.tr("drawn {n}").format(n=self.drawn)
        params = {"MAP": self.dock.map_path,
                  "EXCAVATIONS": write_excavations([polygon], [exc_id], [self.depth_spin.value()], crs),
                  "EXC_ID_FIELD": "exc_id", "DEPTH_FIELD": "depth_m", "GROUND": dem.source(),
                  "SAFETY_DISTANCE": self.safety_spin.value(), "OUTPUT": temp_output("excavation_findings.gpkg")}
        self.dock.show_section(self)
        self.dock.run("pipemap:excavationcheck", params,
                      lambda ok, res, log: self._excavation_checked(ok, res, log, params, exc_id),
                      self.check_name("excavation"))

    def _excavation_checked(self, ok: bool, results: dict, log: str, params: dict[str, Any], exc_id: str) -> None:
        if not ok:
            self.dock.failed(self.check_name("excavation"), log)
            return
        n = self.load_findings("excavation", results.get("OUTPUT") or params["OUTPUT"])
        rows = [f for f in self.findings if f["check"] == "excavation"]
        owners = sorted({f["owner"] for f in rows if f.get("owner")})
        if n:
            text = self.tr("Excavation {id} reaches %n pipe(s).", "", n).format(id=exc_id)
            if owners:
                text += " " + self.tr("Notify: {owners}.").format(owners=", ".join(owners))
            level = Qgis.Warning
        else:
            text = self.tr("Excavation {id}: no pipe within the safety distance.").format(id=exc_id)
            level = Qgis.Success
        self.summary.setText(text)
        self.dock.push(text, level, 12)

    # --- report ----------------------------------------------------------------------------------------
    def _update_report_button(self) -> None:
        ready = self.dock.has_algorithm("pipemap:checksreport") and bool(self.outputs)
        self.report_button.setProperty("pipemap_ready", ready)
        self.report_button.setEnabled(ready and not self.dock.runner.is_busy())

    def make_report(self) -> None:
        params: dict[str, Any] = {"MAP": self.dock.map_path, "OUTPUT_HTML": temp_output("checks_report.html")}
        if self.dock.map_is_postgis():  # the report reads a GeoPackage MAP; a PostGIS map's pipes are a layer
            from ..processing.pgmap import layer_source, parse

            del params["MAP"]
            params["PIPES"] = "postgres://" + layer_source(parse(self.dock.map_path), "pipe_segment")
        for check, path in self.outputs.items():
            params[check.upper()] = path

        def done(ok: bool, results: dict, log: str) -> None:
            if not ok:
                self.dock.failed(self.tr("The report"), log)
                return
            html = results.get("OUTPUT_HTML") or params["OUTPUT_HTML"]
            self.report_path = html
            self.dock.push(self.tr("Report written: {path}").format(path=html), Qgis.Success)
            QDesktopServices.openUrl(QUrl.fromLocalFile(html))

        self.dock.run("pipemap:checksreport", params, done, self.tr("Checks report"))

