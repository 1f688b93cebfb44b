"""Helpers shared by the workbench GUI tests (tests/qgis/test_workbench*.py): bounded waits while
QGIS's tasks run, clicks, screenshots and the panel's set-up.

pytest runs with ``--import-mode=importlib``, so test modules cannot import each other: tests/qgis/conftest.py
loads this file as the module ``pipemap_test_workbench`` and the test modules import from that name. QGIS is
imported inside the functions, so the modules still import (and are skipped) where QGIS is missing.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

PANEL_SIZE = (460, 980)


def wait_for(condition, timeout: float = 90.0, what: str = "condition") -> None:
    """Process Qt events until ``condition()`` is true; an AssertionError after ``timeout`` seconds."""
    from qgis.PyQt.QtCore import QCoreApplication

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        QCoreApplication.processEvents()
        time.sleep(0.01)


def wait_idle(dock, timeout: float = 120.0) -> None:
    """Wait until the panel's task runner has nothing running."""
    wait_for(lambda: not dock.runner.is_busy(), timeout, "the panel's task")


def click(button) -> None:
    """A left mouse click on an enabled, visible button."""
    from qgis.PyQt.QtCore import Qt
    from qgis.PyQt.QtTest import QTest

    assert button.isEnabled() and button.isVisible(), button.text()
    QTest.mouseClick(button, Qt.LeftButton)


def click_map(canvas, x: float, y: float) -> None:
    """A left click on the map canvas at a map position (canvas CRS), as the mouse does it."""
    from qgis.core import QgsPointXY
    from qgis.PyQt.QtCore import QPoint, Qt
    from qgis.PyQt.QtTest import QTest

    pixel = canvas.getCoordinateTransform().transform(QgsPointXY(x, y))
    at = QPoint(int(round(pixel.x())), int(round(pixel.y())))
    QTest.mouseClick(canvas.viewport(), Qt.LeftButton, Qt.NoModifier, at)


def scroll_to_top(widget) -> None:
    """Scroll the panel page holding ``widget`` back to its top (a click below may have scrolled it)."""
    from qgis.PyQt.QtWidgets import QScrollArea

    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if parent is not None:
        parent.verticalScrollBar().setValue(0)


def grab_png(widget, path: Path, size=None, *, passes: int = 1) -> np.ndarray:
    """Show ``widget`` (resized to ``size``), save it as PNG at ``path`` and return its pixels (H x W x 3).

    ``passes``: rounds of event processing before the grab, 20 ms apart; word-wrapped labels settle their
    height only in a second layout pass.
    """
    from qgis.PyQt.QtCore import QCoreApplication
    from qgis.PyQt.QtGui import QImage

    if size is not None:
        widget.resize(*size)
    widget.show()
    for i in range(passes):
        if i:
            time.sleep(0.02)
        QCoreApplication.processEvents()
    path.parent.mkdir(parents=True, exist_ok=True)
    pixmap = widget.grab()
    assert pixmap.save(str(path), "PNG"), path
    image = pixmap.toImage().convertToFormat(QImage.Format_RGB888)
    ptr = image.constBits()
    ptr.setsize(image.byteCount())
    rows = np.frombuffer(ptr, dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : image.width() * 3].reshape(image.height(), image.width(), 3).copy()


def prepare_canvas(iface, crs: str = "EPSG:4547"):
    """The map canvas in the map's CRS, shown at 800 x 600 (the canvas sizes its map only when shown)."""
    from qgis.core import QgsCoordinateReferenceSystem
    from qgis.PyQt.QtCore import QCoreApplication

    canvas = iface.mapCanvas()
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem(crs))
    iface.mainWindow().show()
    canvas.resize(800, 600)
    canvas.show()
    QCoreApplication.processEvents()
    return canvas


def show_panel(plugin):
    """The plugin's workbench panel, floating and shown (pytest-qgis's stand-in main window is never shown)."""
    dock = plugin.show_workbench()
    assert dock is not None
    dock.setFloating(True)
    dock.resize(*PANEL_SIZE)
    dock.show()
    return dock
