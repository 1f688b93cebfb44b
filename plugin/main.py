"""The PipeMap plugin object: menu, toolbar, the workbench dock and the Processing provider."""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, Qt, QUrl
from qgis.PyQt.QtGui import QDesktopServices, QIcon
from qgis.PyQt.QtWidgets import QAction, QMenu

from ..processing.provider import PipeMapProvider
from .i18n import install_translator, remove_translator

PLUGIN_DIR = Path(__file__).resolve().parent.parent
ICON = PLUGIN_DIR / "resources" / "icons" / "pipemap.svg"
MENU_OBJECT_NAME = "PipeMapMenu"
TOOLBAR_OBJECT_NAME = "PipeMapToolBar"


class PipeMapPlugin:
    """Created by ``classFactory``; QGIS calls initProcessing, initGui, unload."""

    def __init__(self, iface) -> None:
        self.iface = iface
        self.provider: PipeMapProvider | None = None
        self.menu: QMenu | None = None
        self.toolbar = None
        self.actions: list[QAction] = []
        self.dock = None
        self.dock_action: QAction | None = None
        self.translator = install_translator()

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("PipeMapPlugin", text)

    # --- Processing ---------------------------------------------------
    def initProcessing(self) -> None:
        if self.provider is None:
            self.provider = PipeMapProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    # --- GUI ----------------------------------------------------------
    def initGui(self) -> None:
        self.initProcessing()
        window = self.iface.mainWindow()
        self.menu = QMenu(self.tr("&PipeMap"), window)
        self.menu.setObjectName(MENU_OBJECT_NAME)
        self.toolbar = self.iface.addToolBar(self.tr("PipeMap"))
        self.toolbar.setObjectName(TOOLBAR_OBJECT_NAME)

        self._add_action(
            self.tr("Create integrated map…"),
            self.tr("Create an empty integrated map (GeoPackage) with the CJJ 61 data model"),
            lambda: self._open_algorithm("pipemap:createmap"),
            toolbar=True,
        )
        self._add_action(
            self.tr("Import survey tables…"),
            self.tr("Import CJJ 61 point and segment result tables into an integrated map"),
            lambda: self._open_algorithm("pipemap:importsurvey"),
        )
        self._add_action(
            self.tr("Build 3D pipes…"),
            self.tr("Build true-size 3D pipes and wells from an integrated map"),
            lambda: self._open_algorithm("pipemap:build3d"),
        )
        self._add_action(
            self.tr("Show pipes in 3D"),
            self.tr("Colour the project's 3D pipe layers by category and open a 3D map view"),
            self._show_3d,
            toolbar=True,
        )
        self._add_action(
            self.tr("Profile drawing…"),
            self.tr("Longitudinal profile along a run or cross-section along a line"),
            lambda: self._open_algorithm("pipemap:profile"),
        )
        self.menu.addSeparator()
        self._add_action(self.tr("PipeMap help"), self.tr("Open the PipeMap help"), self._open_help)
        self._add_workbench(window)

        menubar = window.menuBar()
        actions = menubar.actions()
        # before the Help menu, like QGIS's own plugin menus
        if actions:
            menubar.insertMenu(actions[-1], self.menu)
        else:
            menubar.addMenu(self.menu)

    def _add_workbench(self, window) -> None:
        """The workbench dock (hidden until asked for) and the action that shows it,
        first in the menu and on the toolbar."""
        from .dock import PipeMapDock

        self.dock = PipeMapDock(self.iface, window)
        self.iface.addDockWidget(Qt.RightDockWidgetArea, self.dock)
        self.dock.hide()
        action = QAction(QIcon(str(ICON)), self.tr("PipeMap workbench"), window)
        tip = self.tr("Show the PipeMap panel: map, GPR, checks, sharing and 3D")
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.setObjectName("PipeMapWorkbenchAction")
        action.setCheckable(True)
        action.toggled.connect(self._toggle_dock)
        self.dock.visibilityChanged.connect(action.setChecked)
        first_menu = self.menu.actions()[0] if self.menu.actions() else None
        self.menu.insertAction(first_menu, action)
        first_tool = self.toolbar.actions()[0] if self.toolbar.actions() else None
        self.toolbar.insertAction(first_tool, action)
        self.actions.append(action)
        self.dock_action = action

    def _toggle_dock(self, on: bool) -> None:
        if self.dock is None:
            return
        if on:
            self.dock.setUserVisible(True)
        else:
            self.dock.close()

    def show_workbench(self):
        """Show the workbench panel and return it."""
        if self.dock is not None:
            self.dock.setUserVisible(True)
        return self.dock

    def _add_action(self, text: str, tip: str, slot, toolbar: bool = False) -> QAction:
        action = QAction(QIcon(str(ICON)), text, self.iface.mainWindow())
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        self.menu.addAction(action)
        if toolbar:
            self.toolbar.addAction(action)
        self.actions.append(action)
        return action

    def _open_algorithm(self, algorithm_id: str) -> None:
        from qgis import processing

        processing.execAlgorithmDialog(algorithm_id, {})

    def _show_3d(self) -> None:
        from qgis.core import Qgis

        from .view3d import open_3d_view, style_pipe_layers

        styled = style_pipe_layers()
        opened = open_3d_view(self.iface)
        if not styled:
            message = self.tr("No 3D pipe layer in the project: run “Build 3D pipes” first.")
            level = Qgis.Warning
        else:
            message = self.tr("{n} pipe layer(s) coloured by category in 3D.").format(n=len(styled))
            level = Qgis.Info
        if not opened:
            message += " " + self.tr("Open View › New 3D Map View to see them.")
        self.iface.messageBar().pushMessage("PipeMap", message, level=level, duration=8)

    def _open_help(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(PLUGIN_DIR / "resources" / "help" / "index.html")))

    def unload(self) -> None:
        if self.dock is not None:
            self.dock.cleanup()
            self.iface.removeDockWidget(self.dock)
            self.dock.setParent(None)
            self.dock.deleteLater()
            self.dock = None
            self.dock_action = None
        for action in self.actions:
            if self.menu is not None:
                self.menu.removeAction(action)
            if self.toolbar is not None:
                self.toolbar.removeAction(action)
            action.deleteLater()
        self.actions = []
        if self.menu is not None:
            self.menu.menuAction().setVisible(False)
            menubar = self.iface.mainWindow().menuBar()
            menubar.removeAction(self.menu.menuAction())
            self.menu.deleteLater()
            self.menu = None
        if self.toolbar is not None:
            self.iface.mainWindow().removeToolBar(self.toolbar)
            self.toolbar.deleteLater()
            self.toolbar = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        remove_translator(self.translator)
        self.translator = None
