"""The workbench's 3D section: build the 3D pipes of the open map and render a view from below
ground with the DEM seen through, shown in the panel (needs OpenGL: Xvfb + Mesa in the test run)."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

import pytest
from pipemap_test_workbench import click, grab_png, show_panel
from pipemap_test_workbench import wait_idle as _wait_idle

pytestmark = [pytest.mark.qgis, pytest.mark.usefixtures("pipemap_settings_restored")]
wait_idle = partial(_wait_idle, timeout=180.0)  # building and rendering the 3D scene takes a while

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


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
    dock = show_panel(pipemap_plugin)  # as the `dock` fixture, but without its canvas set-up
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
