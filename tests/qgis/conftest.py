"""Fixtures for tests that need a real QGIS (pytest-qgis)."""

from __future__ import annotations

import pytest


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
