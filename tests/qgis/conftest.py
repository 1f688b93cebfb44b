"""Fixtures for tests that need a real QGIS (pytest-qgis), and the workbench GUI tests' shared set-up."""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

import pytest


def _workbench_support():
    """tests/qgis/workbench_support.py as the module ``pipemap_test_workbench`` (test modules import it by that
    name: under ``--import-mode=importlib`` they cannot import each other or this conftest)."""
    name = "pipemap_test_workbench"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("workbench_support.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


gui = _workbench_support()


@pytest.fixture
def pipemap_plugin(qgis_iface, qgis_processing):
    """The plugin created by QGIS's entry point, with its provider registered."""
    import pipemap

    plugin = pipemap.classFactory(qgis_iface)
    plugin.initProcessing()
    plugin.initGui()
    yield plugin
    plugin.unload()


@pytest.fixture
def provider_only(qgis_iface, qgis_processing):
    """Only the Processing provider (as in qgis_process, without initGui)."""
    import pipemap

    plugin = pipemap.classFactory(qgis_iface)
    plugin.initProcessing()
    yield plugin
    plugin.unload()


# --- the workbench GUI tests (requested by name or through `pytest.mark.usefixtures`; none is autouse) ---------
@pytest.fixture
def pipemap_settings_restored():
    """The panel remembers choices in QgsSettings under pipemap/: leave the test profile as it was."""
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
def flashes_finished(qgis_iface):
    """Zoom-and-flash leaves a rubber band on the canvas for about a second: let it end before the
    next test counts the canvas items."""
    yield
    from qgis.gui import QgsRubberBand
    from qgis.PyQt.QtCore import QCoreApplication

    scene = qgis_iface.mapCanvas().scene()
    deadline = time.monotonic() + 5.0
    while any(isinstance(i, QgsRubberBand) for i in scene.items()) and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.02)


@pytest.fixture
def workbench_canvas(qgis_iface):
    """QGIS's map canvas in the sample district's CRS, shown."""
    return gui.prepare_canvas(qgis_iface)


@pytest.fixture
def dock(pipemap_plugin, qgis_new_project, workbench_canvas):
    """The workbench panel of a fresh plugin, on a new project, floating and shown."""
    return gui.show_panel(pipemap_plugin)
