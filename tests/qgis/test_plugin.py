"""Plugin loading and lifecycle inside a real QGIS (pytest-qgis)."""

from __future__ import annotations

import configparser
from pathlib import Path

import pytest

pytestmark = pytest.mark.qgis

ROOT = Path(__file__).resolve().parents[2]


def _flush_deletes():
    from qgis.PyQt.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    QCoreApplication.processEvents()


def _counts(iface):
    """(menus in the menu bar, toolbars, menu objects, providers, workbench docks, radargram docks)."""
    from qgis.core import QgsApplication
    from qgis.PyQt.QtWidgets import QDockWidget, QMenu, QToolBar

    window = iface.mainWindow()
    menus = [a for a in window.menuBar().actions() if a.menu() is not None and a.menu().objectName() == "PipeMapMenu"]
    toolbars = [t for t in window.findChildren(QToolBar) if t.objectName() == "PipeMapToolBar"]
    menu_objects = [m for m in window.findChildren(QMenu) if m.objectName() == "PipeMapMenu"]
    providers = [p for p in QgsApplication.processingRegistry().providers() if p.id() == "pipemap"]
    docks = [d for d in window.findChildren(QDockWidget) if d.objectName() == "PipeMapDock"]
    radargrams = [d for d in window.findChildren(QDockWidget) if d.objectName() == "PipeMapRadargramDock"]
    return len(menus), len(toolbars), len(menu_objects), len(providers), len(docks), len(radargrams)


def test_metadata_is_complete_and_matches_running_qgis():
    from qgis.core import Qgis

    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "metadata.txt", encoding="utf-8")
    meta = parser["general"]
    assert meta["name"] == "PipeMap"
    assert meta["qgisMinimumVersion"] == "3.22"
    assert meta["hasProcessingProvider"] == "yes"
    for key in ("description", "about", "version", "author", "email", "tags", "icon", "license"):
        assert meta.get(key), key
    assert any("\u4e00" <= ch <= "\u9fff" for ch in meta["about"]), "no Chinese line in about"
    assert (ROOT / meta["icon"]).is_file()

    def as_int(v):
        parts = [int(p) for p in v.split(".")[:3]] + [0, 0]
        return parts[0] * 10000 + parts[1] * 100 + parts[2]

    running = Qgis.QGIS_VERSION_INT
    assert as_int(meta["qgisMinimumVersion"]) <= running <= as_int(meta["qgisMaximumVersion"]) + 99


def test_class_factory_loads_and_registers_the_provider(qgis_iface, qgis_processing):
    from qgis.core import QgsApplication

    import pipemap

    plugin = pipemap.classFactory(qgis_iface)
    try:
        plugin.initProcessing()
        provider = QgsApplication.processingRegistry().providerById("pipemap")
        assert provider is not None
        assert provider.name() == "PipeMap"
        ids = [a.id() for a in provider.algorithms()]
        assert "pipemap:createmap" in ids
        alg = QgsApplication.processingRegistry().algorithmById("pipemap:createmap")
        params = [p.name() for p in alg.parameterDefinitions()]
        assert params[:3] == ["OUTPUT", "CRS", "OVERWRITE"]
        assert alg.shortHelpString().strip(), "no help text"
    finally:
        plugin.unload()
    assert QgsApplication.processingRegistry().providerById("pipemap") is None


def test_load_unload_load_leaves_exactly_one_of_each(qgis_iface, qgis_processing):
    import pipemap

    assert _counts(qgis_iface) == (0, 0, 0, 0, 0, 0)
    first = pipemap.classFactory(qgis_iface)
    first.initProcessing()
    first.initGui()
    assert _counts(qgis_iface) == (1, 1, 1, 1, 1, 0)
    assert len(first.actions) >= 2
    # the radargram viewer's dock is made on first use, and goes with the rest
    first.show_workbench().gpr_section.ensure_viewer()
    assert _counts(qgis_iface) == (1, 1, 1, 1, 1, 1)
    first.unload()
    _flush_deletes()
    assert _counts(qgis_iface) == (0, 0, 0, 0, 0, 0)

    second = pipemap.classFactory(qgis_iface)
    second.initProcessing()
    second.initGui()
    second.initProcessing()  # QGIS may call it again: still one provider
    assert _counts(qgis_iface) == (1, 1, 1, 1, 1, 0)
    second.unload()
    _flush_deletes()
    assert _counts(qgis_iface) == (0, 0, 0, 0, 0, 0)


def test_workbench_action_shows_and_hides_the_dock(qgis_iface, qgis_processing):
    """The toolbar/menu action toggles the panel; unloading leaves no map tool, marker or rubber band."""
    from qgis.gui import QgsRubberBand, QgsVertexMarker

    import pipemap

    plugin = pipemap.classFactory(qgis_iface)
    plugin.initProcessing()
    plugin.initGui()
    canvas = qgis_iface.mapCanvas()
    items_before = len(canvas.scene().items())
    try:
        action = plugin.dock_action
        assert action in plugin.toolbar.actions() and action in plugin.menu.actions()
        assert plugin.toolbar.actions()[0] is action
        assert not plugin.dock.isVisibleTo(plugin.dock.parentWidget())
        action.trigger()
        assert plugin.dock.isVisibleTo(plugin.dock.parentWidget()) and action.isChecked()
        action.trigger()
        assert not plugin.dock.isVisibleTo(plugin.dock.parentWidget()) and not action.isChecked()
        plugin.show_workbench().tool_actions["excavation"].trigger()
        assert canvas.mapTool() is plugin.dock.excavation_tool
        plugin.dock.gpr_section.ensure_viewer()
    finally:
        plugin.unload()
        _flush_deletes()
    assert canvas.mapTool() is None or "pipemap" not in type(canvas.mapTool()).__module__
    left = [i for i in canvas.scene().items() if isinstance(i, (QgsRubberBand, QgsVertexMarker))]
    assert len(canvas.scene().items()) <= items_before and not left


def test_menu_action_opens_nothing_heavy_at_import(qgis_iface, qgis_processing):
    """The menu's actions are wired and enabled."""
    import pipemap

    plugin = pipemap.classFactory(qgis_iface)
    plugin.initGui()
    try:
        texts = [a.text() for a in plugin.actions]
        assert all(texts)
        assert all(a.isEnabled() for a in plugin.actions)
        assert plugin.toolbar.actions(), "toolbar is empty"
    finally:
        plugin.unload()


def test_show_pipes_in_3d_styles_project_layers(qgis_iface, qgis_processing, qgis_new_project):
    from qgis.core import QgsFeature, QgsGeometry, QgsProject, QgsVectorLayer

    from pipemap.plugin.view3d import style_pipe_layers

    mesh = QgsVectorLayer("MultiPolygonZ?crs=EPSG:4547&field=category:string", "pipes3d", "memory")
    f = QgsFeature(mesh.fields())
    f.setGeometry(QgsGeometry.fromWkt("MultiPolygonZ(((0 0 1, 1 0 1, 1 0 2, 0 0 2, 0 0 1)))"))
    f.setAttributes(["JS"])
    mesh.dataProvider().addFeatures([f])
    flat = QgsVectorLayer("LineString?crs=EPSG:4547&field=category:string", "flat", "memory")
    QgsProject.instance().addMapLayers([mesh, flat])
    styled = style_pipe_layers()
    assert styled == [mesh]
    assert mesh.renderer3D() is not None
    assert flat.renderer3D() is None


def test_every_algorithm_is_documented_in_both_languages(qgis_iface, qgis_processing, repo_root):
    """Help pages (en, zh_CN) and docs/algorithms.md name every algorithm and parameter."""
    from qgis.core import QgsApplication

    import pipemap

    plugin = pipemap.classFactory(qgis_iface)
    plugin.initProcessing()
    try:
        docs = (repo_root / "docs" / "algorithms.md").read_text(encoding="utf-8")
        algs = QgsApplication.processingRegistry().providerById("pipemap").algorithms()
        assert len(algs) >= 8
        for alg in algs:
            for suffix in ("", "_zh_CN"):
                assert (repo_root / "resources" / "help" / f"{alg.name()}{suffix}.html").is_file(), alg.name()
            assert f"`{alg.id()}`" in docs, alg.id()
            section = docs.split(f"`{alg.id()}`", 1)[1].split("\n## ", 1)[0]
            for param in alg.parameterDefinitions():
                assert f"`{param.name()}`" in section, (alg.id(), param.name())
    finally:
        plugin.unload()
