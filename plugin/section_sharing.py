"""Sharing section: export a share package with ``pipemap:export`` (sharing
profile, formats, categories, extent, output folder), show its manifest and
verify it with ``pipemap:verifyexport``.

The options are read from the algorithm's parameter definitions at run time,
so the panel follows the algorithm; when the algorithm is not installed the
section says so and stays disabled.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsProcessingParameterEnum,
)
from qgis.gui import QgsFileWidget
from qgis.PyQt.QtCore import QLocale, Qt
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from . import settings
from .tasks import algorithm
from .widgets import help_button, icon

EXPORT_ID = "pipemap:export"
VERIFY_ID = "pipemap:verifyexport"


class SharingSection(QWidget):
    def __init__(self, dock: Any) -> None:
        super().__init__(dock)
        self.dock = dock
        self.package = ""
        self.manifest: dict[str, Any] = {}
        layout = QVBoxLayout(self)
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        layout.addWidget(self.notice)

        form = QFormLayout()
        self.profile_combo = QComboBox(self)
        form.addRow(self.tr("Sharing profile"), self.profile_combo)
        self.format_list = QListWidget(self)
        self.format_list.setMinimumHeight(90)
        self.format_list.setMaximumHeight(150)
        form.addRow(self.tr("Formats"), self.format_list)
        self.category_list = QListWidget(self)
        self.category_list.setMinimumHeight(70)
        self.category_list.setMaximumHeight(110)
        self.category_edit = QLineEdit(self)
        self.category_edit.setPlaceholderText(self.tr("category codes, e.g. JS,RQ (empty: all)"))
        form.addRow(self.tr("Categories"), self.category_list)
        form.addRow("", self.category_edit)
        self.extent_check = QCheckBox(self.tr("Only what the map view shows"), self)
        form.addRow(self.tr("Extent"), self.extent_check)
        self.folder_edit = QgsFileWidget(self)
        self.folder_edit.setStorageMode(QgsFileWidget.GetDirectory)
        self.folder_edit.setFilePath(settings.get("sharing/folder"))
        form.addRow(self.tr("Output folder"), self.folder_edit)
        self.overwrite_check = QCheckBox(self.tr("Replace an existing package"), self)
        self.overwrite_check.setChecked(settings.get("sharing/overwrite"))
        form.addRow("", self.overwrite_check)
        layout.addLayout(form)

        row = QHBoxLayout()
        self.export_button = dock.add_run_button(
            QPushButton(icon("/mActionSharingExport.svg"), self.tr("Export"), self))
        self.export_button.clicked.connect(self.export)
        self.verify_button = dock.add_run_button(QPushButton(icon("/mIconSuccess.svg"), self.tr("Verify"), self))
        self.verify_button.clicked.connect(self.verify)
        row.addWidget(self.export_button)
        row.addWidget(self.verify_button)
        row.addStretch(1)
        row.addWidget(help_button("export", self))
        layout.addLayout(row)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.manifest_tree = QTreeWidget(self)
        self.manifest_tree.setHeaderLabels([self.tr("Manifest"), self.tr("Value")])
        self.manifest_tree.setMinimumHeight(140)
        layout.addWidget(self.manifest_tree)
        layout.addStretch(1)
        self.refresh()
        QgsApplication.processingRegistry().providerAdded.connect(self.refresh)

    # --- options from the algorithm --------------------------------------------------------------
    def available(self) -> bool:
        return algorithm(EXPORT_ID) is not None

    def refresh(self, *args: Any) -> None:
        """(Re)build the options from ``pipemap:export``'s parameters."""
        alg = algorithm(EXPORT_ID)
        ready = alg is not None
        for w in (self.profile_combo, self.format_list, self.category_list, self.category_edit, self.extent_check,
                  self.folder_edit, self.overwrite_check):
            w.setEnabled(ready)
        self.export_button.setProperty("pipemap_ready", ready)
        self.verify_button.setProperty("pipemap_ready", ready and algorithm(VERIFY_ID) is not None
                                       and bool(self.package))
        busy = self.dock.runner.is_busy()
        self.export_button.setEnabled(ready and not busy)
        self.verify_button.setEnabled(self.verify_button.property("pipemap_ready") and not busy)
        if not ready:
            self.notice.setText(self.tr("Sharing needs the algorithm {id}, which this PipeMap installation does not "
                                        "have.").format(id=EXPORT_ID))
            return
        self.notice.setText(self.tr("Export the open map as a share package: the profile decides which fields and "
                                    "features leave; a manifest lists everything written."))
        profile = alg.parameterDefinition("PROFILE")
        self.profile_combo.clear()
        if isinstance(profile, QgsProcessingParameterEnum):
            for i, name in enumerate(profile.options()):
                self.profile_combo.addItem(name, i)
            self.profile_combo.setCurrentIndex(min(settings.get("sharing/profile"), self.profile_combo.count() - 1))
        fmt = alg.parameterDefinition("FORMAT")
        remembered = set(str(settings.get("sharing/formats")).split(","))
        self.format_list.clear()
        if isinstance(fmt, QgsProcessingParameterEnum):
            for i, name in enumerate(fmt.options()):
                item = QListWidgetItem(name, self.format_list)
                item.setData(Qt.UserRole, i)
                item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
                item.setCheckState(Qt.Checked if name in remembered or str(i) in remembered else Qt.Unchecked)
        categories = alg.parameterDefinition("CATEGORIES")
        self.category_list.clear()
        as_enum = isinstance(categories, QgsProcessingParameterEnum)
        self.category_list.setVisible(as_enum)
        self.category_edit.setVisible(categories is not None and not as_enum)
        if as_enum:
            for i, name in enumerate(categories.options()):
                item = QListWidgetItem(name, self.category_list)
                item.setData(Qt.UserRole, i)
                item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
                item.setCheckState(Qt.Unchecked)
        self.extent_check.setVisible(alg.parameterDefinition("EXTENT") is not None)

    def checked(self, widget: QListWidget) -> list[int]:
        return [widget.item(i).data(Qt.UserRole) for i in range(widget.count())
                if widget.item(i).checkState() == Qt.Checked]

    def export_params(self) -> dict[str, Any] | None:
        folder = self.folder_edit.filePath().strip()
        if not folder:
            self.dock.push(self.tr("Choose the output folder of the package."), Qgis.Warning)
            return None
        formats = self.checked(self.format_list)
        if not formats:
            self.dock.push(self.tr("Choose at least one format."), Qgis.Warning)
            return None
        params: dict[str, Any] = {"MAP": self.dock.map_path, "FORMAT": formats, "OUTPUT": folder,
                                  "OVERWRITE": self.overwrite_check.isChecked()}
        if self.profile_combo.count():
            params["PROFILE"] = self.profile_combo.currentData()
        if self.category_list.count():
            cats = self.checked(self.category_list)
            if cats:
                params["CATEGORIES"] = cats
        elif self.category_edit.text().strip():
            params["CATEGORIES"] = self.category_edit.text().strip()
        if self.extent_check.isChecked():
            e = self.dock.canvas.extent()
            crs = self.dock.canvas.mapSettings().destinationCrs()
            params["EXTENT"] = f"{e.xMinimum()},{e.xMaximum()},{e.yMinimum()},{e.yMaximum()} [{crs.authid()}]"
        return params

    # --- running ---------------------------------------------------------------------------------
    def export(self) -> bool:
        if not self.dock.need_map(postgis_ok=True):  # pipemap:export reads PostGIS maps too
            return False
        params = self.export_params()
        if params is None:
            return False
        settings.put("sharing/folder", params["OUTPUT"])
        settings.put("sharing/overwrite", params["OVERWRITE"])
        settings.put("sharing/profile", int(params.get("PROFILE", 0)))
        settings.put("sharing/formats", ",".join(self.format_list.item(i).text()
                                                 for i in range(self.format_list.count())
                                                 if self.format_list.item(i).checkState() == Qt.Checked))
        self.summary.clear()
        self.manifest_tree.clear()
        return self.dock.run(EXPORT_ID, params, lambda ok, res, log: self._exported(ok, res, log, params),
                             self.tr("Export share package"))

    def _exported(self, ok: bool, results: dict, log: str, params: dict[str, Any]) -> None:
        if not ok:
            self.dock.failed(self.tr("The export"), log)
            return
        self.package = str(results.get("OUTPUT") or params["OUTPUT"])
        manifest = results.get("MANIFEST") or str(Path(self.package) / "manifest.json")
        self.show_manifest(manifest, results)
        self.refresh()
        self.dock.push(self.tr("Share package written: {path}").format(path=self.package), Qgis.Success, 10)

    def show_manifest(self, path: str, results: dict[str, Any] | None = None) -> dict[str, Any]:
        """A summary of the package's manifest (profile, formats, counts, what was
        withheld) and the whole manifest as a tree."""
        try:
            self.manifest = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            self.summary.setText(self.tr("The manifest could not be read: {error}").format(error=exc))
            return {}
        self.summary.setText("\n".join(self.summary_lines(self.manifest, results or {})))
        self.manifest_tree.clear()
        self._add_json(self.manifest_tree.invisibleRootItem(), self.manifest, 0)
        self.manifest_tree.expandToDepth(0)
        self.manifest_tree.resizeColumnToContents(0)
        return self.manifest

    def summary_lines(self, m: dict[str, Any], results: dict[str, Any]) -> list[str]:
        locale = QLocale()
        lines = []
        profile = m.get("profile")
        if isinstance(profile, dict):
            profile = profile.get("name") or profile.get("file")
        if profile:
            lines.append(self.tr("Profile: {name}").format(name=profile))
        formats = m.get("formats")
        if isinstance(formats, list) and formats:
            names = [f if isinstance(f, str) else str(f.get("format") or f.get("name") or "") for f in formats]
            lines.append(self.tr("Formats: {names}").format(names=", ".join(n for n in names if n)))
        if results.get("FILES") is not None or results.get("FEATURES") is not None:
            lines.append(self.tr("%Ln file(s)", "", int(results.get("FILES") or 0)) + ", "
                         + self.tr("%Ln feature(s)", "", int(results.get("FEATURES") or 0)))
        counts = m.get("counts")
        if isinstance(counts, dict):
            for layer, per in counts.items():
                total = sum(v for v in per.values() if isinstance(v, (int, float))) if isinstance(per, dict) else per
                lines.append(self.tr("{layer}: {n}").format(layer=layer, n=locale.toString(int(total or 0))))
        removed = m.get("removed")
        if isinstance(removed, dict) and removed:
            lines.append(self.tr("Withheld:"))
            lines += [f"  {what}: {locale.toString(int(n)) if isinstance(n, (int, float)) else n}"
                      for what, n in removed.items()]
        warnings = m.get("warnings")
        if isinstance(warnings, list) and warnings:
            lines.append(self.tr("%n warning(s), see the manifest", "", len(warnings)))
        if not lines:
            lines = [f"{k}: {v}" for k, v in m.items() if not isinstance(v, (dict, list))][:10]
        return lines

    def _add_json(self, parent: QTreeWidgetItem, value: Any, depth: int) -> None:
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for n, (key, child) in enumerate(items):
            if n >= 200:
                QTreeWidgetItem(parent, ["…", ""])
                break
            if isinstance(child, (dict, list)):
                item = QTreeWidgetItem(parent, [str(key), f"({len(child)})"])
                if depth < 4:
                    self._add_json(item, child, depth + 1)
            else:
                QTreeWidgetItem(parent, [str(key), str(child)])

    def verify(self) -> bool:
        if not self.package:
            self.dock.push(self.tr("Export a package first."), Qgis.Warning)
            return False

        def done(ok: bool, results: dict, log: str) -> None:
            if not ok:
                self.dock.failed(self.tr("Verifying the package"), log)
                return
            shown = ", ".join(f"{k}: {v}" for k, v in results.items() if not isinstance(v, (list, dict)))
            self.dock.push(self.tr("Package verified. {results}").format(results=shown), Qgis.Success, 10)
            self.summary.setText(self.summary.text() + "\n" + self.tr("Verified: {results}").format(results=shown))

        return self.dock.run(VERIFY_ID, {"PACKAGE": self.package}, done, self.tr("Verify share package"))

    def cleanup(self) -> None:
        try:
            QgsApplication.processingRegistry().providerAdded.disconnect(self.refresh)
        except TypeError:
            pass
