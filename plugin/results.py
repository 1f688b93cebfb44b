"""Cross-section along a line drawn on the map (``pipemap:profile``, KIND 1)
and the window that shows the drawing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from qgis.core import Qgis, QgsGeometry
from qgis.PyQt.QtCore import QCoreApplication, QUrl
from qgis.PyQt.QtGui import QDesktopServices
from qgis.PyQt.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from .widgets import ImagePreview, temp_output


class ImageDialog(QDialog):
    """A non-modal window with a drawing and a line of figures."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PipeMapImageDialog")
        self.path = ""
        self.preview = ImagePreview(self)
        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.preview)
        buttons = QDialogButtonBox(QDialogButtonBox.Close, self)
        self.open_button = QPushButton(self.tr("Open the file"), self)
        buttons.addButton(self.open_button, QDialogButtonBox.ActionRole)
        self.open_button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(self.path)))
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.caption)
        layout.addWidget(buttons)
        self.resize(900, 560)

    def show_image(self, path: str, title: str, caption: str = "") -> None:
        self.path = path
        self.setWindowTitle(title)
        self.preview.show_file(path)
        self.caption.setText(caption)
        self.show()
        self.raise_()


def _figures(path: str) -> dict[str, Any]:
    """The figures JSON the profile algorithm writes beside its drawing (empty when absent)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def show_drawing(dock: Any, ok: bool, results: dict, log: str, params: dict[str, Any], title: str) -> None:
    """Show the drawing ``pipemap:profile`` made (both kinds) and keep its figures on the dock."""
    if not ok:
        dock.failed(title, log)
        return
    png = results.get("OUTPUT") or params["OUTPUT"]
    figures = _figures(results.get("FIGURES") or str(Path(png).with_suffix(".json")))
    dock.section_result = {"path": png, "figures": figures, "kind": params.get("KIND", 0)}
    crossings = figures.get("crossings") if isinstance(figures.get("crossings"), list) else None
    caption = QCoreApplication.translate("PipeMapResults", "{n} pipes cross the section.").format(
        n=len(crossings)) if crossings is not None else ""
    if dock.image_dialog is None:
        dock.image_dialog = ImageDialog(dock.iface.mainWindow())
    dock.image_dialog.show_image(png, title, caption)
    dock.push(QCoreApplication.translate("PipeMapResults", "Drawing written: {path}").format(path=png), Qgis.Success)


def run_section(dock: Any, line: QgsGeometry) -> bool:
    """Run a cross-section along ``line`` (map CRS) on the open map and show it."""
    params = {"MAP": dock.map_path, "KIND": 1, "SECTION": line.asWkt(3), "OUTPUT": temp_output("section.png"),
              "ALL_FORMATS": False}
    dem = dock.dem_layer()
    if dem is not None:
        params["GROUND"] = dem.source()
    title = QCoreApplication.translate("PipeMapResults", "PipeMap: cross-section")
    return dock.run("pipemap:profile", params, lambda ok, res, log: show_drawing(dock, ok, res, log, params, title),
                    QCoreApplication.translate("PipeMapResults", "Cross-section"))
