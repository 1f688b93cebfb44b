"""Map section: create or open an integrated map (a GeoPackage, or a PostGIS
schema named by a service and a schema), choose the ground DEM, import survey
result tables and browse the import problems."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsGeometry,
    QgsMapLayerProxyModel,
    QgsProject,
    QgsRasterLayer,
    QgsVectorLayer,
)
from qgis.gui import QgsFileWidget, QgsMapLayerComboBox, QgsProjectionSelectionWidget
from qgis.PyQt.QtCore import QLocale, Qt, QUrl
from qgis.PyQt.QtGui import QDesktopServices
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import PipeMapError
from ..processing.base import error_text
from ..processing.pgmap import describe as describe_map
from . import settings
from .dock import gpkg_tables
from .widgets import help_button, icon, temp_output

ROLE_INDEX = Qt.UserRole + 1


class MapSection(QWidget):
    def __init__(self, dock: Any) -> None:
        super().__init__(dock)
        self.dock = dock
        self.problem_geometries: list[QgsGeometry | None] = []
        self.problems_crs = QgsCoordinateReferenceSystem()
        self.report_path = ""
        self.issues_path = ""
        layout = QVBoxLayout(self)

        # --- the map ---------------------------------------------------------------
        form = QFormLayout()
        self.kind_combo = QComboBox(self)
        self.kind_combo.addItem(self.tr("GeoPackage file"), "gpkg")
        self.kind_combo.addItem(self.tr("PostGIS (service + schema)"), "postgis")
        self.kind_combo.setToolTip(self.tr("A map shared in PostgreSQL/PostGIS is a schema; the connection comes "
                                           "from a pg_service entry (or a QGIS connection string)"))
        form.addRow(self.tr("Map kind"), self.kind_combo)
        layout.addLayout(form)
        self.gpkg_box = QWidget(self)
        form = QFormLayout(self.gpkg_box)
        form.setContentsMargins(0, 0, 0, 0)
        self.path_edit = QgsFileWidget(self.gpkg_box)
        self.path_edit.setStorageMode(QgsFileWidget.SaveFile)
        self.path_edit.setConfirmOverwrite(False)
        self.path_edit.setFilter(self.tr("GeoPackage (*.gpkg)"))
        self.path_edit.setDialogTitle(self.tr("Integrated map"))
        self.path_edit.setFilePath(settings.get("map/last_path"))
        form.addRow(self.tr("Map file"), self.path_edit)
        layout.addWidget(self.gpkg_box)
        self.postgis_box = QWidget(self)
        form = QFormLayout(self.postgis_box)
        form.setContentsMargins(0, 0, 0, 0)
        self.service_edit = QLineEdit(self.postgis_box)
        self.service_edit.setText(settings.get("map/pg_service"))
        self.service_edit.setPlaceholderText(self.tr("a pg_service name, or a connection string"))
        self.service_edit.setToolTip(self.tr("The name of a service in the pg_service file (credentials in the "
                                             "service, ~/.pgpass or a QGIS authentication config), or a QGIS "
                                             "connection string such as dbname='gis' host=db authcfg=ab12cd3"))
        form.addRow(self.tr("Service"), self.service_edit)
        self.schema_edit = QLineEdit(self.postgis_box)
        self.schema_edit.setText(settings.get("map/pg_schema"))
        self.schema_edit.setPlaceholderText(self.tr("schema of the map"))
        form.addRow(self.tr("Schema"), self.schema_edit)
        layout.addWidget(self.postgis_box)
        form = QFormLayout()
        self.crs_widget = QgsProjectionSelectionWidget(self)
        self.crs_widget.setCrs(QgsCoordinateReferenceSystem(settings.get("map/crs")))
        form.addRow(self.tr("CRS of a new map"), self.crs_widget)
        layout.addLayout(form)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(settings.get("map/kind"))))
        self._kind_changed()
        row = QHBoxLayout()
        self.create_button = dock.add_run_button(
            QPushButton(icon("/mActionNewGeoPackageLayer.svg"), self.tr("Create map"), self))
        self.open_button = QPushButton(icon("/mActionAddOgrLayer.svg"), self.tr("Open map"), self)
        self.create_button.clicked.connect(self.create_map)
        self.open_button.clicked.connect(self.open_map)
        row.addWidget(self.create_button)
        row.addWidget(self.open_button)
        row.addStretch(1)
        row.addWidget(help_button("createmap", self))
        layout.addLayout(row)

        form = QFormLayout()
        self.dem_combo = QgsMapLayerComboBox(self)
        self.dem_combo.setFilters(QgsMapLayerProxyModel.RasterLayer)
        self.dem_combo.setAllowEmptyLayer(True)
        self.dem_combo.setLayer(None)
        self.dem_combo.setToolTip(self.tr("The ground surface, used by the cover and excavation checks, GPR pick "
                                          "elevations, sections and the 3D view"))
        form.addRow(self.tr("Ground DEM"), self.dem_combo)
        self.dem_file = QgsFileWidget(self)
        self.dem_file.setFilter(self.tr("Rasters (*.tif *.tiff *.asc *.img *.vrt);;All files (*)"))
        self.dem_file.fileChanged.connect(self.load_dem)
        form.addRow(self.tr("…or load a DEM file"), self.dem_file)
        layout.addLayout(form)

        # --- import --------------------------------------------------------------------
        box = QGroupBox(self.tr("Import survey tables"), self)
        box_layout = QVBoxLayout(box)
        form = QFormLayout()
        self.tables_folder = QgsFileWidget(box)
        self.tables_folder.setStorageMode(QgsFileWidget.GetDirectory)
        self.tables_folder.setFilePath(settings.get("import/folder"))
        form.addRow(self.tr("Folder of tables"), self.tables_folder)
        self.points_file = QgsFileWidget(box)
        self.points_file.setFilter(self.tr("Tables (*.csv *.txt *.xlsx *.xls *.ods)"))
        form.addRow(self.tr("…or a point table"), self.points_file)
        self.segments_file = QgsFileWidget(box)
        self.segments_file.setFilter(self.tr("Tables (*.csv *.txt *.xlsx *.xls *.ods)"))
        form.addRow(self.tr("…and a segment table"), self.segments_file)
        self.profile_combo = QComboBox(box)
        self.profile_combo.addItem(self.tr("Chinese CJJ 61 headers (X = northing)"), "zh")
        self.profile_combo.addItem(self.tr("English headers (x = easting)"), "en")
        self.profile_combo.setCurrentIndex(max(0, self.profile_combo.findData(settings.get("import/profile"))))
        form.addRow(self.tr("Columns"), self.profile_combo)
        self.mode_combo = QComboBox(box)
        self.mode_combo.addItem(self.tr("All or nothing"), 0)
        self.mode_combo.addItem(self.tr("Import the valid rows"), 1)
        self.mode_combo.setCurrentIndex(max(0, self.mode_combo.findData(settings.get("import/mode"))))
        form.addRow(self.tr("Mode"), self.mode_combo)
        self.tables_crs = QgsProjectionSelectionWidget(box)
        self.tables_crs.setOptionVisible(QgsProjectionSelectionWidget.CrsNotSet, True)
        self.tables_crs.setNotSetText(self.tr("the map's CRS"))
        self.tables_crs.setCrs(QgsCoordinateReferenceSystem())
        form.addRow(self.tr("CRS of the tables"), self.tables_crs)
        box_layout.addLayout(form)
        row = QHBoxLayout()
        self.import_button = dock.add_run_button(
            QPushButton(icon("/mActionAddDelimitedTextLayer.svg"), self.tr("Import"), box))
        self.import_button.clicked.connect(self.import_tables)
        self.report_button = QPushButton(icon("/mActionAddHtml.svg"), self.tr("Open report"), box)
        self.report_button.setEnabled(False)
        self.report_button.clicked.connect(self.open_report)
        row.addWidget(self.import_button)
        row.addWidget(self.report_button)
        row.addStretch(1)
        row.addWidget(help_button("importsurvey", box))
        box_layout.addLayout(row)
        self.import_summary = QLabel(box)
        self.import_summary.setWordWrap(True)
        box_layout.addWidget(self.import_summary)
        self.problems = QTreeWidget(box)
        self.problems.setHeaderLabels([self.tr("Severity"), self.tr("Problem"), self.tr("Where"), self.tr("Message")])
        self.problems.setRootIsDecorated(False)
        self.problems.setAlternatingRowColors(True)
        self.problems.setMinimumHeight(140)
        self.problems.itemActivated.connect(self.zoom_to_problem)
        self.problems.itemClicked.connect(self.zoom_to_problem)
        box_layout.addWidget(self.problems)
        layout.addWidget(box)
        layout.addStretch(1)

    # --- map -----------------------------------------------------------------------------------
    def postgis_chosen(self) -> bool:
        return self.kind_combo.currentData() == "postgis"

    def _kind_changed(self, *args: Any) -> None:
        postgis = self.postgis_chosen()
        self.gpkg_box.setVisible(not postgis)
        self.postgis_box.setVisible(postgis)

    def postgis_string(self) -> str:
        """The PostGIS map string of the Service and Schema fields ("" when one is missing): a service name
        gives ``service=NAME schema=NAME``; a connection string (it holds ``=``) gets ``schema=`` added."""
        from ..core.pg.connect import quote_value

        service = self.service_edit.text().strip()
        schema = self.schema_edit.text().strip()
        if not service or not schema:
            return ""
        connection = service if "=" in service else f"service={quote_value(service)}"
        return f"{connection} schema={quote_value(schema)}"

    def chosen_path(self) -> str:
        """The map the fields name: a GeoPackage path (``.gpkg`` added) or a PostGIS map string."""
        if self.postgis_chosen():
            return self.postgis_string()
        path = self.path_edit.filePath().strip()
        if path and not path.lower().endswith(".gpkg"):
            path += ".gpkg"
        return path

    def _remember_kind(self) -> None:
        settings.put("map/kind", self.kind_combo.currentData())
        if self.postgis_chosen():
            settings.put("map/pg_service", self.service_edit.text().strip())
            settings.put("map/pg_schema", self.schema_edit.text().strip())

    def create_map(self) -> None:
        path = self.chosen_path()
        postgis = self.postgis_chosen()
        if not path:
            self.dock.push(self.tr("Give the service and the schema of the new map.") if postgis
                           else self.tr("Choose where to save the new map."), Qgis.Warning)
            return
        if not postgis and Path(path).exists():
            self.dock.push(self.tr("{name} already exists: open it, or choose another name.").format(
                name=Path(path).name), Qgis.Warning)
            return
        crs = self.crs_widget.crs()
        settings.put("map/crs", crs.authid() or crs.toWkt())
        self._remember_kind()
        if not postgis:
            self.path_edit.setFilePath(path)

        def done(ok: bool, results: dict, log: str) -> None:
            if not ok:
                self.dock.failed(self.tr("Creating the map"), log)
                return
            self.dock.add_map_layers(path, zoom=False)
            self.dock.set_map(path)
            self.dock.push(self.tr("Created the integrated map {name}.").format(name=self.dock.map_name()),
                           Qgis.Success)

        self.dock.run("pipemap:createmap", {"OUTPUT": path, "CRS": crs, "OVERWRITE": False}, done,
                      self.tr("Create map"))

    def open_map(self) -> bool:
        path = self.chosen_path()
        if self.postgis_chosen():
            return self.open_postgis(path)
        if not path or not Path(path).is_file():
            self.dock.push(self.tr("Choose an existing map file to open."), Qgis.Warning)
            return False
        if "pipe_segment" not in gpkg_tables(path):
            self.dock.push(self.tr("{name} is not an integrated map (no pipe_segment layer).").format(
                name=Path(path).name), Qgis.Warning)
            return False
        self.dock.add_map_layers(path)
        self.dock.set_map(path)
        return True

    def open_postgis(self, text: str) -> bool:
        """Open a PostGIS map: its layers through QGIS's postgres provider."""
        if not text:
            self.dock.push(self.tr("Give the service and the schema of the map."), Qgis.Warning)
            return False
        self._remember_kind()
        try:
            added = self.dock.add_map_layers(text)
        except PipeMapError as exc:
            self.dock.push(error_text(exc), Qgis.Warning)
            return False
        if not any(layer.name() == self.dock.table_title("pipe_segment") for layer in added):
            self.dock.push(self.tr("{map} cannot be opened as an integrated map (no pipe_segment table, or the "
                                   "database refused the connection: see the PostGIS log).").format(
                map=describe_map(text)), Qgis.Warning)
            return False
        self.dock.set_map(text)
        return True

    def load_dem(self, path: str) -> None:
        if not path:
            return
        layer = QgsRasterLayer(path, Path(path).stem)
        if not layer.isValid():
            self.dock.push(self.tr("{name} is not a raster QGIS can read.").format(name=Path(path).name),
                           Qgis.Warning)
            return
        project = QgsProject.instance()
        project.addMapLayer(layer, False)
        root = project.layerTreeRoot()
        root.insertLayer(len(root.children()), layer)  # at the bottom: a backdrop under the pipes
        self.dem_combo.setLayer(layer)
        settings.put("map/dem", path)

    # --- import ------------------------------------------------------------------------------------
    def import_tables(self) -> None:
        if not self.dock.need_map(postgis_ok=True):
            return
        folder = self.tables_folder.filePath().strip()
        points = folder or self.points_file.filePath().strip()
        segments = folder or self.segments_file.filePath().strip()
        if not points and not segments:
            self.dock.push(self.tr("Choose a folder of survey tables, or a point and a segment table."), Qgis.Warning)
            return
        if folder:
            settings.put("import/folder", folder)
        settings.put("import/profile", self.profile_combo.currentData())
        settings.put("import/mode", int(self.mode_combo.currentData()))
        issues = self.issues_path = temp_output("import_problems.gpkg")
        self.report_path = temp_output("import_report.html")
        params = {"POINTS": points or None, "SEGMENTS": segments or None, "MAP": self.dock.map_path,
                  "PROFILE": self.profile_combo.currentData(), "MODE": int(self.mode_combo.currentData()),
                  "OUTPUT_ISSUES": issues, "REPORT": self.report_path}
        if self.tables_crs.crs().isValid():
            params["CRS"] = self.tables_crs.crs()
        self.problems.clear()
        self.problem_geometries = []
        self.report_button.setEnabled(False)
        self.import_summary.clear()
        self.dock.run("pipemap:importsurvey", params, lambda ok, res, log: self._imported(ok, res, log, issues),
                      self.tr("Import survey tables"))

    def _imported(self, ok: bool, results: dict, log: str, issues: str) -> None:
        if not ok:
            self.dock.failed(self.tr("The import"), log)
            return
        if Path(issues).is_file():
            self.show_problems(results.get("OUTPUT_ISSUES") or issues)
        self.report_button.setEnabled(Path(self.report_path).is_file())
        locale = QLocale()
        errors, warnings = int(results.get("ERRORS", 0)), int(results.get("WARNINGS", 0))
        if results.get("COMMITTED"):
            text = self.tr("Imported {p} points and {s} segments.").format(
                p=locale.toString(int(results.get("POINTS_WRITTEN", 0))),
                s=locale.toString(int(results.get("SEGMENTS_WRITTEN", 0))))
            level = Qgis.Success if not warnings else Qgis.Info
            self.dock.add_map_layers(self.dock.map_path)
        else:
            text = self.tr("Nothing was imported: the map is unchanged.")
            level = Qgis.Warning
        text += " " + self.tr("%n error(s)", "", errors) + ", " + self.tr("%n warning(s)", "", warnings) + "."
        self.import_summary.setText(text)
        self.dock.push(text, level)

    def show_problems(self, source: str) -> int:
        layer = QgsVectorLayer(source, "problems", "ogr")
        self.problems.clear()
        self.problem_geometries = []
        if not layer.isValid():
            return 0
        self.problems_crs = layer.crs()
        for feat in layer.getFeatures():
            severity = str(feat["severity"] or "")
            where = str(feat["file"] or "")
            if feat["row"] not in (None, 0) and str(feat["row"]) != "NULL":
                where += self.tr(", row {row}").format(row=feat["row"])
            if feat["column"] and str(feat["column"]) != "NULL":
                where += f" [{feat['column']}]"
            item = QTreeWidgetItem([{"error": self.tr("error"), "warning": self.tr("warning")}.get(severity, severity),
                                    str(feat["code"] or ""), where, str(feat["message"] or "")])
            item.setIcon(0, icon("/mIconCritical.svg" if severity == "error" else "/mIconWarning.svg"))
            item.setToolTip(3, str(feat["message"] or ""))
            item.setData(0, ROLE_INDEX, len(self.problem_geometries))
            self.problem_geometries.append(QgsGeometry(feat.geometry()) if feat.hasGeometry() else None)
            self.problems.addTopLevelItem(item)
        for col in range(3):
            self.problems.resizeColumnToContents(col)
        return self.problems.topLevelItemCount()

    def zoom_to_problem(self, item: QTreeWidgetItem, *args: Any) -> None:
        index = item.data(0, ROLE_INDEX)
        if index is None or not 0 <= int(index) < len(self.problem_geometries):
            return
        geom = self.problem_geometries[int(index)]
        if geom is None:
            self.dock.push(self.tr("This problem has no position on the map."), Qgis.Info, 4)
            return
        self.dock.zoom_and_flash([geom], self.problems_crs)

    def open_report(self) -> None:
        if self.report_path and Path(self.report_path).is_file():
            QDesktopServices.openUrl(QUrl.fromLocalFile(self.report_path))
