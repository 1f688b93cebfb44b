"""Small shared pieces of the workbench: icons, help links, layer parameters,
temporary outputs, an image preview and a tool strip that wraps in a narrow panel."""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsApplication,
    QgsCoordinateTransformContext,
    QgsMapLayer,
    QgsProcessingUtils,
    QgsVectorFileWriter,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication, QPoint, QRect, QSize, Qt, QUrl
from qgis.PyQt.QtGui import QDesktopServices, QIcon, QPixmap
from qgis.PyQt.QtWidgets import QAction, QLabel, QLayout, QLayoutItem, QSizePolicy, QToolButton, QWidget

from ..processing.base import HELP_DIR, user_locale

PLUGIN_DIR = Path(__file__).resolve().parent.parent
PLUGIN_ICON = PLUGIN_DIR / "resources" / "icons" / "pipemap.svg"


def icon(name: str) -> QIcon:
    """A QGIS theme icon (``"/mActionHelpContents.svg"``), else PipeMap's own."""
    found = QgsApplication.getThemeIcon(name)
    return found if not found.isNull() else QIcon(str(PLUGIN_ICON))


def help_path(name: str, locale: str | None = None) -> Path:
    """The help page of an algorithm (or ``index``) in the user's language,
    falling back to English."""
    loc = locale or user_locale()
    for candidate in (f"{name}_{loc}.html", f"{name}_{loc[:2]}.html", f"{name}.html"):
        path = HELP_DIR / candidate
        if path.is_file():
            return path
    return HELP_DIR / "index.html"


def open_help(name: str) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(help_path(name))))


def help_button(name: str, parent: QWidget | None = None) -> QToolButton:
    """A help button that opens the algorithm's help page."""
    button = QToolButton(parent)
    button.setIcon(icon("/mActionHelpContents.svg"))
    button.setAutoRaise(True)
    button.setToolTip(QCoreApplication.translate("PipeMapWorkbench", "Help: {page}").format(
        page=help_path(name).name))
    button.setProperty("help_page", name)
    button.clicked.connect(lambda: open_help(name))
    return button


def temp_output(name: str) -> str:
    """A fresh file name in QGIS's Processing temporary folder."""
    return QgsProcessingUtils.generateTempFilename(name)


def layer_param(layer: QgsMapLayer | None) -> str:
    """A layer as a Processing parameter value a background task can open
    itself: its file for OGR/GDAL layers, else a GeoPackage copy (memory
    layers belong to the main thread)."""
    if layer is None:
        return ""
    if layer.providerType() in ("ogr", "gdal"):
        return layer.source()
    if isinstance(layer, QgsVectorLayer):
        return write_gpkg(layer, temp_output("layer.gpkg"))
    return layer.source()


def write_gpkg(layer: QgsVectorLayer, path: str) -> str:
    """Write a vector layer to a new GeoPackage (main thread; small layers)."""
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    error = QgsVectorFileWriter.writeAsVectorFormatV3(layer, path, QgsCoordinateTransformContext(), options)
    if error[0] != QgsVectorFileWriter.NoError:
        raise OSError(error[1])
    return path


def layer_file(layer: QgsMapLayer | None) -> str:
    """The file behind a layer (its source without ``|layername=...``)."""
    if layer is None:
        return ""
    return layer.source().split("|", 1)[0]


class ImagePreview(QLabel):
    """A PNG shown scaled to the label's width, keeping its aspect ratio."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignCenter)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        self.setMinimumHeight(120)
        self._pixmap = QPixmap()
        self.path = ""

    def show_file(self, path: str) -> bool:
        pixmap = QPixmap(path)
        self.path = path if not pixmap.isNull() else ""
        self._pixmap = pixmap
        self._rescale()
        return not pixmap.isNull()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._rescale()

    def _rescale(self) -> None:
        if self._pixmap.isNull():
            self.clear()
            return
        width = max(50, self.width() - 4)
        self.setPixmap(self._pixmap.scaledToWidth(width, Qt.SmoothTransformation))


class FlowLayout(QLayout):
    """Items left to right, wrapping onto the next row when the width runs out (the tool strip
    of a narrow panel)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 2) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientations:  # noqa: N802
        return Qt.Orientations(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, move: bool) -> int:
        """Place the items (or only measure); the height used."""
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, row_height = area.x(), area.y(), 0
        gap = self.spacing()
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and row_height > 0:
                x, y = area.x(), y + row_height + gap
                row_height = 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + gap
            row_height = max(row_height, hint.height())
        return y + row_height - rect.y() + margins.bottom()


class ToolStrip(QWidget):
    """Tool buttons for actions (text under the icon) that wrap onto a second row in a narrow panel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flow = FlowLayout(self)
        policy = QSizePolicy(QSizePolicy.Preferred, QSizePolicy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.buttons: list[QToolButton] = []

    def addAction(self, action: QAction) -> QToolButton:  # noqa: N802
        super().addAction(action)
        button = QToolButton(self)
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonTextUnderIcon)
        button.setAutoRaise(True)
        self.flow.addWidget(button)
        self.buttons.append(button)
        return button

    def actions(self) -> list[QAction]:
        return [b.defaultAction() for b in self.buttons]
