"""The radargram viewer and its link to the map canvas.

:class:`RadargramView` draws a processed radargram (samples x traces) with a
time axis, a distance axis, the picks and a cursor line. Moving the mouse
along it emits the trace under the mouse; :class:`MapLink` moves a marker to
that trace's position on the survey line, and a click on the map near the
line moves the cursor on the radargram. Picks are drawn on both, coloured by
their review decision.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsPointXY,
    QgsProject,
)
from qgis.gui import QgsMapCanvas, QgsVertexMarker
from qgis.PyQt.QtCore import QLocale, QObject, QPointF, QRectF, Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor, QFont, QImage, QPainter, QPen
from qgis.PyQt.QtWidgets import QLabel, QVBoxLayout, QWidget

#: at most this many image columns (longer lines are decimated for display only)
MAX_COLUMNS = 4000

STATUS_COLOURS = {
    "pending": QColor(255, 150, 0),
    "accepted": QColor(30, 170, 60),
    "rejected": QColor(150, 150, 150),
}


def display_step(n_traces: int) -> int:
    """Every how many traces one image column is drawn (1 up to MAX_COLUMNS traces)."""
    return max(1, math.ceil(n_traces / MAX_COLUMNS))


def radargram_columns(rg: Any) -> np.ndarray:
    """The samples x columns float32 array to draw for a Radargram: every
    ``display_step``-th trace, read from the memory-mapped file without
    converting the whole profile."""
    cols = np.arange(0, rg.n_traces, display_step(rg.n_traces))
    if getattr(rg, "raw", None) is not None and getattr(rg, "_data", None) is None:
        block = np.asarray(rg.raw[cols], dtype=np.float32)
        if rg.raw_offset:
            block += np.float32(rg.raw_offset)
        return block.T
    return np.asarray(rg.data[:, cols], dtype=np.float32)


def radargram_image(shown: np.ndarray, clip_percentile: float = 99.0) -> QImage:
    """An 8-bit greyscale image of samples x columns data (mid-grey = 0)."""
    shown = np.asarray(shown, dtype=np.float32)
    finite = np.abs(shown[np.isfinite(shown)])
    clip = float(np.percentile(finite, clip_percentile)) if finite.size else 1.0
    if not clip > 0:
        clip = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    grey = np.clip(np.nan_to_num(shown) / clip, -1.0, 1.0)
    pixels = np.ascontiguousarray(((grey + 1.0) * 127.5).astype(np.uint8))
    height, width = pixels.shape
    return QImage(pixels.data, width, height, width, QImage.Format_Grayscale8).copy()


class RadargramView(QWidget):
    """A radargram with axes, picks and a cursor.

    Signals: ``trace_hovered(int)`` while the mouse moves over the data,
    ``trace_clicked(int)`` on a click away from picks, ``pick_clicked(str)``
    on a click on a pick.
    """

    trace_hovered = pyqtSignal(int)
    trace_clicked = pyqtSignal(int)
    pick_clicked = pyqtSignal(str)

    MARGIN_LEFT, MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM = 58, 10, 14, 34
    PICK_RADIUS_PX = 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setMinimumSize(320, 180)
        self.setAttribute(Qt.WA_OpaquePaintEvent, False)
        self.image = QImage()
        self.n_traces = 0
        self.image_traces = 0  #: columns x traces per column (the last column may run past the end)
        self.n_samples = 0
        self.dt_ns = 1.0
        self.time_zero_ns = 0.0
        self.distance_m: np.ndarray | None = None
        self.cursor_trace = -1
        self.picks: list[dict[str, Any]] = []
        self.selected_pick = ""
        self.hover_y: float | None = None

    # --- data ------------------------------------------------------------------
    def set_radargram(self, data: np.ndarray, dt_ns: float, time_zero_ns: float = 0.0,
                      distance_m: np.ndarray | None = None, n_traces: int | None = None) -> None:
        """Show samples x traces data (float); with ``n_traces`` the data hold
        every ``display_step(n_traces)``-th trace only (see :func:`radargram_columns`)."""
        self.image = radargram_image(data)
        self.n_samples = int(data.shape[0])
        self.n_traces = int(n_traces if n_traces is not None else data.shape[1])
        self.image_traces = int(data.shape[1]) * display_step(self.n_traces) if n_traces is not None \
            else self.n_traces
        self.dt_ns = float(dt_ns)
        self.time_zero_ns = float(time_zero_ns)
        self.distance_m = None if distance_m is None else np.asarray(distance_m, dtype=float)
        self.cursor_trace = -1
        self.picks = []
        self.selected_pick = ""
        self.update()

    def clear(self) -> None:
        self.image = QImage()
        self.n_traces = self.n_samples = 0
        self.picks = []
        self.cursor_trace = -1
        self.update()

    def set_picks(self, picks: list[dict[str, Any]]) -> None:
        """Picks as dicts with ``pick_id``, ``trace``, ``t0_ns``, ``status`` and ``label``."""
        self.picks = list(picks)
        self.update()

    def select_pick(self, pick_id: str) -> None:
        self.selected_pick = pick_id
        pick = next((p for p in self.picks if p["pick_id"] == pick_id), None)
        if pick is not None:
            self.cursor_trace = int(pick["trace"])
        self.update()

    def set_cursor_trace(self, trace: int) -> None:
        if self.n_traces:
            self.cursor_trace = int(min(max(trace, 0), self.n_traces - 1))
            self.update()

    # --- geometry ----------------------------------------------------------------
    def plot_rect(self) -> QRectF:
        return QRectF(self.MARGIN_LEFT, self.MARGIN_TOP,
                      max(1.0, self.width() - self.MARGIN_LEFT - self.MARGIN_RIGHT),
                      max(1.0, self.height() - self.MARGIN_TOP - self.MARGIN_BOTTOM))

    def x_for_trace(self, trace: float) -> float:
        r = self.plot_rect()
        return r.left() + (trace + 0.5) * r.width() / max(1, self.n_traces)

    def trace_at(self, x: float) -> int | None:
        r = self.plot_rect()
        if not self.n_traces or x < r.left() or x > r.right():
            return None
        return int(min(self.n_traces - 1, max(0, math.floor((x - r.left()) * self.n_traces / r.width()))))

    def y_for_time(self, t_ns: float) -> float:
        r = self.plot_rect()
        sample = (t_ns + self.time_zero_ns) / self.dt_ns
        return r.top() + (sample + 0.5) * r.height() / max(1, self.n_samples)

    def time_at(self, y: float) -> float | None:
        r = self.plot_rect()
        if not self.n_samples or y < r.top() or y > r.bottom():
            return None
        sample = (y - r.top()) * self.n_samples / r.height() - 0.5
        return sample * self.dt_ns - self.time_zero_ns

    def distance_of(self, trace: int) -> float | None:
        if self.distance_m is not None and 0 <= trace < len(self.distance_m):
            return float(self.distance_m[trace])
        return None

    def pick_at(self, pos: QPointF) -> str:
        best, best_d = "", float(self.PICK_RADIUS_PX + 3)
        for p in self.picks:
            d = math.hypot(self.x_for_trace(p["trace"]) - pos.x(), self.y_for_time(p["t0_ns"]) - pos.y())
            if d <= best_d:
                best, best_d = p["pick_id"], d
        return best

    # --- events --------------------------------------------------------------------
    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        trace = self.trace_at(event.pos().x())
        if trace is not None and self.time_at(event.pos().y()) is not None:
            self.hover_y = event.pos().y()
            if trace != self.cursor_trace:
                self.set_cursor_trace(trace)
            self.trace_hovered.emit(trace)
        super().mouseMoveEvent(event)

    def mousePressEvent(self, event) -> None:  # noqa: N802
        if event.button() == Qt.LeftButton and self.n_traces:
            pick = self.pick_at(QPointF(event.pos()))
            if pick:
                self.select_pick(pick)
                self.pick_clicked.emit(pick)
            else:
                trace = self.trace_at(event.pos().x())
                if trace is not None:
                    self.set_cursor_trace(trace)
                    self.trace_clicked.emit(trace)
        super().mousePressEvent(event)

    # --- painting --------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing, True)
        painter.fillRect(self.rect(), self.palette().window())
        r = self.plot_rect()
        if self.image.isNull():
            painter.setPen(self.palette().windowText().color())
            painter.drawText(r, Qt.AlignCenter, self.tr("Open a GPR file to see its radargram here."))
            painter.end()
            return
        painter.setRenderHint(QPainter.SmoothPixmapTransform, True)
        target = QRectF(r)
        if self.image_traces and self.image_traces != self.n_traces:  # column j = traces [j k, (j + 1) k)
            target.setWidth(r.width() * self.image_traces / self.n_traces)
        painter.save()
        painter.setClipRect(r)
        painter.drawImage(target, self.image)
        painter.restore()
        painter.setPen(QPen(self.palette().windowText().color(), 1))
        painter.drawRect(r)
        self._draw_axes(painter, r)
        for p in self.picks:
            colour = STATUS_COLOURS.get(p.get("status", "pending"), STATUS_COLOURS["pending"])
            centre = QPointF(self.x_for_trace(p["trace"]), self.y_for_time(p["t0_ns"]))
            radius = self.PICK_RADIUS_PX + (3 if p["pick_id"] == self.selected_pick else 0)
            painter.setPen(QPen(colour, 3 if p["pick_id"] == self.selected_pick else 2))
            painter.setBrush(Qt.NoBrush)
            painter.drawEllipse(centre, radius, radius)
            painter.drawText(centre + QPointF(radius + 2, -radius), str(p.get("label", "")))
        if 0 <= self.cursor_trace < self.n_traces:
            x = self.x_for_trace(self.cursor_trace)
            painter.setPen(QPen(QColor(230, 30, 30), 1.5))
            painter.drawLine(QPointF(x, r.top()), QPointF(x, r.bottom()))
        painter.end()

    def _draw_axes(self, painter: QPainter, r: QRectF) -> None:
        locale = QLocale()
        font = QFont(painter.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        painter.setFont(font)
        # time axis (left), ns
        t_min = -self.time_zero_ns
        t_max = (self.n_samples - 1) * self.dt_ns - self.time_zero_ns
        for t in _ticks(t_min, t_max, 6):
            y = self.y_for_time(t)
            painter.drawLine(QPointF(r.left() - 4, y), QPointF(r.left(), y))
            painter.drawText(QRectF(0, y - 8, r.left() - 6, 16), Qt.AlignRight | Qt.AlignVCenter,
                             locale.toString(float(t), "f", 0 if abs(t_max - t_min) > 20 else 1))
        painter.save()
        painter.translate(10, r.center().y())
        painter.rotate(-90)
        painter.drawText(QRectF(-60, -8, 120, 16), Qt.AlignCenter, self.tr("time (ns)"))
        painter.restore()
        # distance axis (bottom), m or trace number
        if self.distance_m is not None and len(self.distance_m) == self.n_traces and self.n_traces > 1:
            d0, d1 = float(self.distance_m[0]), float(self.distance_m[-1])
            label = self.tr("distance (m)")
            for d in _ticks(d0, d1, 8):
                trace = float(np.interp(d, self.distance_m, np.arange(self.n_traces))) \
                    if np.all(np.diff(self.distance_m) > 0) else (d - d0) / max(d1 - d0, 1e-9) * (self.n_traces - 1)
                self._bottom_tick(painter, r, self.x_for_trace(trace), locale.toString(float(d), "f", 1))
        else:
            label = self.tr("trace")
            for t in _ticks(0, self.n_traces - 1, 8):
                self._bottom_tick(painter, r, self.x_for_trace(t), locale.toString(int(t)))
        painter.drawText(QRectF(r.left(), r.bottom() + 16, r.width(), 16), Qt.AlignCenter, label)

    @staticmethod
    def _bottom_tick(painter: QPainter, r: QRectF, x: float, text: str) -> None:
        painter.drawLine(QPointF(x, r.bottom()), QPointF(x, r.bottom() + 4))
        painter.drawText(QRectF(x - 40, r.bottom() + 3, 80, 14), Qt.AlignHCenter | Qt.AlignTop, text)


def _ticks(lo: float, hi: float, n: int) -> list[float]:
    """Round tick values between lo and hi, about n of them."""
    span = hi - lo
    if not span > 0:
        return [lo]
    raw = span / max(1, n)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= raw)
    first = math.ceil(lo / step) * step
    return [first + k * step for k in range(int((hi - first) / step + 1e-9) + 1)]


class RadargramPanel(QWidget):
    """The viewer with a title line and a status line (trace, distance, time, depth)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.view = RadargramView(self)
        self.status = QLabel(self)
        self.velocity_m_ns = 0.1
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        self.view.trace_hovered.connect(self.show_status)
        self.view.trace_clicked.connect(self.show_status)

    def show_status(self, trace: int) -> None:
        locale = QLocale()
        parts = [self.tr("trace {n}").format(n=locale.toString(int(trace)))]
        d = self.view.distance_of(trace)
        if d is not None:
            parts.append(self.tr("{d} m along the line").format(d=locale.toString(d, "f", 2)))
        y = self.view.hover_y
        t = self.view.time_at(y) if y is not None else None
        if t is not None:
            depth = max(t, 0.0) * self.velocity_m_ns / 2.0
            parts.append(self.tr("{t} ns, depth {z} m at {v} m/ns").format(
                t=locale.toString(t, "f", 1), z=locale.toString(depth, "f", 2),
                v=locale.toString(self.velocity_m_ns, "f", 3)))
        self.status.setText(" · ".join(parts))


class MapLink(QObject):
    """Links a radargram to its survey line on the map canvas."""

    def __init__(self, canvas: QgsMapCanvas, view: RadargramView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self.view = view
        self.xy = np.zeros((0, 2))
        self.crs = QgsCoordinateReferenceSystem()
        self._canvas_xy = np.zeros((0, 2))
        self.marker = QgsVertexMarker(canvas)
        self.marker.setIconType(QgsVertexMarker.ICON_CROSS)
        self.marker.setColor(QColor(230, 30, 30))
        self.marker.setIconSize(16)
        self.marker.setPenWidth(3)
        self.marker.hide()
        self.pick_markers: list[QgsVertexMarker] = []
        self._picks: list[dict[str, Any]] = []
        view.trace_hovered.connect(self.show_trace)
        view.trace_clicked.connect(self.show_trace)
        canvas.destinationCrsChanged.connect(self._reproject)

    def set_positions(self, x: np.ndarray, y: np.ndarray, crs: QgsCoordinateReferenceSystem) -> None:
        """Trace positions (one per trace) in ``crs``."""
        self.xy = np.column_stack([np.asarray(x, dtype=float), np.asarray(y, dtype=float)])
        self.crs = QgsCoordinateReferenceSystem(crs)
        self._reproject()

    def has_positions(self) -> bool:
        return len(self.xy) > 0 and bool(np.isfinite(self.xy).all())

    def _transform(self, inverse: bool = False) -> QgsCoordinateTransform | None:
        dest = self.canvas.mapSettings().destinationCrs()
        if not self.crs.isValid() or not dest.isValid() or dest == self.crs:
            return None
        src, dst = (dest, self.crs) if inverse else (self.crs, dest)
        return QgsCoordinateTransform(src, dst, QgsProject.instance())

    def _reproject(self, *args: Any) -> None:
        xform = self._transform()
        if xform is None or not len(self.xy):
            self._canvas_xy = self.xy.copy()
        else:
            pts = [xform.transform(QgsPointXY(float(a), float(b))) for a, b in self.xy]
            self._canvas_xy = np.array([(p.x(), p.y()) for p in pts], dtype=float).reshape(-1, 2)
        self._place_pick_markers()

    def map_point(self, trace: int) -> QgsPointXY:
        """A trace's position in the canvas CRS."""
        x, y = self._canvas_xy[trace]
        return QgsPointXY(float(x), float(y))

    def show_trace(self, trace: int) -> None:
        if not self.has_positions() or not 0 <= trace < len(self._canvas_xy):
            return
        self.marker.setCenter(self.map_point(trace))
        self.marker.show()
        self.marker.update()

    def trace_near(self, point: QgsPointXY, tolerance: float) -> int | None:
        """The trace nearest to a canvas point, if within ``tolerance`` (canvas units)."""
        if not self.has_positions():
            return None
        d2 = (self._canvas_xy[:, 0] - point.x()) ** 2 + (self._canvas_xy[:, 1] - point.y()) ** 2
        k = int(np.argmin(d2))
        return k if d2[k] <= tolerance * tolerance else None

    def map_clicked(self, point: QgsPointXY) -> int | None:
        """A click on the canvas near the line moves the radargram's cursor."""
        tolerance = 10 * self.canvas.mapUnitsPerPixel()
        trace = self.trace_near(point, tolerance)
        if trace is not None:
            self.view.set_cursor_trace(trace)
            self.view.trace_hovered.emit(trace)
        return trace

    # --- picks on the map ----------------------------------------------------------
    def set_picks(self, picks: list[dict[str, Any]]) -> None:
        self._picks = list(picks)
        self._place_pick_markers()

    def _place_pick_markers(self) -> None:
        for m in self.pick_markers:
            self._remove_item(m)
        self.pick_markers = []
        for p in self._picks:
            trace = int(p["trace"])
            if not self.has_positions() or not 0 <= trace < len(self._canvas_xy):
                continue
            m = QgsVertexMarker(self.canvas)
            m.setIconType(QgsVertexMarker.ICON_CIRCLE)
            m.setColor(STATUS_COLOURS.get(p.get("status", "pending"), STATUS_COLOURS["pending"]))
            m.setIconSize(12)
            m.setPenWidth(3)
            m.setCenter(self.map_point(trace))
            self.pick_markers.append(m)

    def _remove_item(self, item: Any) -> None:
        scene = self.canvas.scene()
        if scene is not None and item.scene() is scene:
            scene.removeItem(item)

    def remove(self) -> None:
        """Take the markers off the canvas."""
        for m in self.pick_markers + [self.marker]:
            self._remove_item(m)
        self.pick_markers = []
        try:
            self.canvas.destinationCrsChanged.disconnect(self._reproject)
        except TypeError:
            pass
