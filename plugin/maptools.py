"""Map tools of the workbench: draw an excavation polygon or a section line,
and click a point (identify a pipe, or a position on a GPR survey line).

The tools only collect geometry in the map canvas CRS and emit it; the panel
runs the Processing algorithms on it.
"""

from __future__ import annotations

from qgis.core import QgsGeometry, QgsPointXY, QgsWkbTypes
from qgis.gui import QgsMapCanvas, QgsMapMouseEvent, QgsMapTool, QgsMapToolEmitPoint, QgsRubberBand
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor


class DrawTool(QgsMapTool):
    """Left click adds a vertex, right click (or Enter) finishes, Esc starts
    over. A line tool finishes by itself after ``max_points`` vertices.

    Signal ``drawn(QgsGeometry)``: the polygon or line, in the canvas CRS.
    """

    drawn = pyqtSignal(QgsGeometry)

    def __init__(self, canvas: QgsMapCanvas, polygon: bool, max_points: int = 0) -> None:
        super().__init__(canvas)
        self.polygon = polygon
        self.max_points = max_points
        self.points: list[QgsPointXY] = []
        kind = QgsWkbTypes.PolygonGeometry if polygon else QgsWkbTypes.LineGeometry
        self.kind = kind
        self.band = QgsRubberBand(canvas, kind)
        self.band.setColor(QColor(220, 40, 40, 200))
        self.band.setFillColor(QColor(220, 40, 40, 50))
        self.band.setWidth(2)
        self.setCursor(Qt.CrossCursor)

    # --- drawing -------------------------------------------------------------
    def add_point(self, point: QgsPointXY) -> None:
        self.points.append(QgsPointXY(point))
        self._redraw()
        if self.max_points and len(self.points) >= self.max_points:
            self.finish()

    def finish(self) -> QgsGeometry | None:
        """Emit the geometry drawn so far (if it is complete) and start over."""
        need = 3 if self.polygon else 2
        geom = None
        if len(self.points) >= need:
            geom = QgsGeometry.fromPolygonXY([self.points + [self.points[0]]]) if self.polygon \
                else QgsGeometry.fromPolylineXY(self.points)
        self.reset()
        if geom is not None and geom.isGeosValid():
            self.drawn.emit(geom)
            return geom
        return None

    def reset(self) -> None:
        self.points = []
        self.band.reset(self.kind)

    def _redraw(self, moving: QgsPointXY | None = None) -> None:
        self.band.reset(self.kind)
        for p in self.points + ([moving] if moving is not None else []):
            self.band.addPoint(p, False)
        self.band.show()
        self.band.updatePosition()
        self.band.update()

    # --- QgsMapTool events ---------------------------------------------------
    def canvasMoveEvent(self, event: QgsMapMouseEvent) -> None:  # noqa: N802
        if self.points:
            self._redraw(event.mapPoint())

    def canvasReleaseEvent(self, event: QgsMapMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.RightButton:
            self.finish()
        elif event.button() == Qt.LeftButton:
            self.add_point(event.mapPoint())

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() == Qt.Key_Escape:
            self.reset()
        elif event.key() in (Qt.Key_Return, Qt.Key_Enter):
            self.finish()

    def deactivate(self) -> None:
        self.reset()
        super().deactivate()

    def remove_items(self) -> None:
        """Take the rubber band off the canvas (plugin unload)."""
        self.reset()
        scene = self.canvas().scene()
        if scene is not None and self.band.scene() is scene:
            scene.removeItem(self.band)


class ClickTool(QgsMapToolEmitPoint):
    """Emits ``clicked(QgsPointXY)`` (canvas CRS) on a left click."""

    clicked = pyqtSignal(QgsPointXY)

    def __init__(self, canvas: QgsMapCanvas) -> None:
        super().__init__(canvas)
        self.canvasClicked.connect(self._clicked)

    def _clicked(self, point: QgsPointXY, button) -> None:
        if button == Qt.LeftButton:
            self.clicked.emit(QgsPointXY(point))

    def remove_items(self) -> None:
        pass
