"""Fixtures for tests that need a real QGIS (pytest-qgis), and the workbench GUI tests' shared set-up."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pipemap_test_workbench as gui  # (loaded by tests/conftest.py)
import pytest

# --- tests that draw through Qt3D run in a child pytest ------------------------------------------------------------
#
# QGIS's 3D export (QgsLayoutExporter.exportToImage of a 3D map item, Qt3D on Mesa llvmpipe under Xvfb) aborts
# the process now and then under load (SIGABRT inside the export, no message; seen in about 1 of 6 runs of the 3D
# tests on a loaded 2-core machine, never in 200 renders in a row on a quiet one). An abort would end the whole
# session, so each test using the `gl` fixture runs in a child pytest of its own; a child that dies of a signal is
# run once more, and a second crash fails the test. A child's failures are the test's failures.

_GL_CHILD = "PIPEMAP_GL_CHILD"


def pytest_collection_modifyitems(config, items):
    if os.environ.get(_GL_CHILD):
        return
    for item in items:
        if "gl" in getattr(item, "fixturenames", ()):
            item.runtest = functools.partial(_run_in_child, item)


def _run_in_child(item) -> None:
    root = Path(os.environ.get("PYTEST_DEBUG_TEMPROOT") or tempfile.gettempdir())
    crashes = []
    for _attempt in range(2):
        base = Path(tempfile.mkdtemp(prefix="gl-child-", dir=root))
        env = dict(os.environ, **{_GL_CHILD: "1", "PYTEST_DEBUG_TEMPROOT": str(base)})
        cmd = [sys.executable, "-P", "-m", "pytest", item.nodeid, "-q", "-rs", "--basetemp", str(base / "t")]
        proc = subprocess.run(cmd, cwd=str(item.config.rootpath), env=env, capture_output=True, text=True,
                              timeout=1800)
        out = (proc.stdout + proc.stderr).strip()
        tail = "\n".join(out.splitlines()[-40:])
        if proc.returncode < 0 or proc.returncode >= 128 or "Fatal Python error" in out:
            crashes.append(f"child pytest ended by a signal (return code {proc.returncode}):\n{tail}")
            item.warn(pytest.PytestWarning(f"{item.nodeid}: the 3D child process crashed "
                                           f"(return code {proc.returncode}); run again"))
            continue
        if proc.returncode != 0:
            pytest.fail(f"in a child pytest:\n{tail}", pytrace=False)
        last = out.splitlines()[-1] if out else ""
        if "skipped" in last and "passed" not in last:
            pytest.skip(f"in a child pytest: {tail}")
        return
    pytest.fail("the 3D child process crashed twice:\n\n" + "\n\n".join(crashes), pytrace=False)


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
