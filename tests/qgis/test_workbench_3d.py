"""The workbench's 3D section: build the 3D pipes of the open map and render a view from below
ground with the DEM seen through, shown in the panel (needs OpenGL: Xvfb + Mesa in the test run)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.qgis

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def wait_idle(dock, timeout: float = 180.0) -> None:
    from qgis.PyQt.QtCore import QCoreApplication

    deadline = time.monotonic() + timeout
    while dock.runner.is_busy():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the panel's task")
        QCoreApplication.processEvents()
        time.sleep(0.01)


def click(button) -> None:
    from qgis.PyQt.QtCore import Qt
    from qgis.PyQt.QtTest import QTest

    assert button.isEnabled() and button.isVisible(), button.text()
    QTest.mouseClick(button, Qt.LeftButton)


def grab_png(widget, path: Path, size=None) -> np.ndarray:
    from qgis.PyQt.QtCore import QCoreApplication
    from qgis.PyQt.QtGui import QImage

    if size is not None:
        widget.resize(*size)
    widget.show()
    QCoreApplication.processEvents()
    path.parent.mkdir(parents=True, exist_ok=True)
    pixmap = widget.grab()
    assert pixmap.save(str(path), "PNG"), path
    image = pixmap.toImage().convertToFormat(QImage.Format_RGB888)
    ptr = image.constBits()
    ptr.setsize(image.byteCount())
    rows = np.frombuffer(ptr, dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : image.width() * 3].reshape(image.height(), image.width(), 3).copy()


@pytest.fixture(autouse=True)
def pipemap_settings_restored():
    from qgis.core import QgsSettings

    ini = Path(QgsSettings().fileName())
    before = ini.read_bytes() if ini.is_file() else None
    yield
    settings = QgsSettings()
    settings.remove("pipemap")
    settings.sync()
    if before is not None:
        ini.write_bytes(before)


@pytest.fixture
def gl(qgis_app):
    from pipemap.processing import scene3d

    problem = scene3d.opengl_problem()
    if problem is not None:
        if IN_CI:
            pytest.fail(f"CI=true but 3D rendering is impossible: {problem}")
        pytest.skip(f"no OpenGL: {problem}")


def test_render_a_below_ground_view_from_the_panel(gl, pipemap_plugin, qgis_new_project, imported_district,
                                                    output_dir, qgis_processing):
    from qgis.core import QgsProject

    map_path, district = imported_district
    dock = pipemap_plugin.show_workbench()
    dock.setFloating(True)
    dock.resize(460, 980)
    dock.show()
    dock.show_section(dock.map_section)
    dock.map_section.path_edit.setFilePath(str(map_path))
    click(dock.map_section.open_button)
    dock.map_section.dem_file.setFilePath(str(district.dem))
    section = dock.view3d_section
    dock.show_section(section)
    section.pitch.setValue(60.0)
    section.view_extent.setChecked(False)
    click(section.render_button)  # builds the 3D pipes first, then renders
    wait_idle(dock)
    assert section.pipes_path and Path(section.pipes_path).is_file()
    names = {layer.name() for layer in QgsProject.instance().mapLayers().values()}
    assert {section.tr("3D pipes"), section.tr("3D wells")} <= names
    pipes3d = next(lyr for lyr in QgsProject.instance().mapLayers().values() if lyr.name() == section.tr("3D pipes"))
    assert pipes3d.renderer3D() is not None and pipes3d.featureCount() == district.n_segments
    assert section.image_path and Path(section.image_path).is_file()
    assert not section.preview.pixmap().isNull()

    from qgis.PyQt.QtGui import QImage

    image = QImage(section.image_path)
    assert (image.width(), image.height()) == (1200, 750)
    shots = output_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    assert image.scaledToWidth(800).save(str(shots / "view3d.png"))
    pixels = grab_png(dock, shots / "workbench_3d.png", (460, 980))
    assert pixels.std() > 0
    rendered = grab_png(section.preview, shots / "view3d_preview.png")
    assert rendered.std() > 5, "the 3D view is blank"
    # "Open 3D view" uses QGIS's own 3D map view: the stand-in window of the tests has none
    assert section.open_view() is False
