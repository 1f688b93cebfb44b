"""Network section: valve isolation for a burst main or a gas leak, network traces and the
topology check.

When a map opens, its networks are read into graphs in a background task
(:func:`core.network.graph.load_graphs`, then :func:`core.network.isolate.prepare` for the
pressure networks). The *Isolate* and *Trace* map tools then answer a click at once, on the main
thread: an isolation or a trace on prepared graphs takes milliseconds on the sample district and
well under a second on a million segments. A map that changed on disk since it was read (an
import, say) is read again first; the click is answered when that is done.

A PostGIS map (opened in the Map section) is read the same way, through psycopg2. Whether others
changed it cannot be seen cheaply on every click, so its networks are read when the map opens, again
after each run of the workbench that ends well (it may have written the map), when the tolerance
changes, and on demand (the "read again" link in the section's status line).

The isolation is drawn on the map in memory layers of a "PipeMap network" group (isolated segments
wide blue, segments losing supply wide yellow, operations numbered in order of travel, hydrants out
of service, the failure, the hazard circle for gas) and listed in the panel; a valve marked as
failed is passed and the next ring is taken. The response sheet (PDF) and the topology check run
``pipemap:isolate`` and ``pipemap:topologycheck`` through the panel's task runner.
"""

from __future__ import annotations

import math
import os
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np
from qgis.core import (
    Qgis,
    QgsCategorizedSymbolRenderer,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureRequest,
    QgsFillSymbol,
    QgsGeometry,
    QgsLineSymbol,
    QgsMapLayerProxyModel,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsPointXY,
    QgsProcessingException,
    QgsProject,
    QgsRendererCategory,
    QgsTask,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.gui import QgsCollapsibleGroupBox, QgsMapLayerComboBox
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QLocale, Qt, QUrl
from qgis.PyQt.QtGui import QColor, QFont
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import codes
from ..core.errors import PipeMapError
from ..processing.base import error_text, user_locale
from . import settings
from .tasks import FunctionTask
from .widgets import help_button, icon, layer_param, temp_output

GROUP_NAME = "PipeMap network"
#: the isolate algorithm's CATEGORY enum ("" = the nearest pressure pipe)
ISOLATE_CATEGORIES = ("", "JS", "RQ", "RL", "GY")
#: trace directions, in the order of core.network.trace.DIRECTIONS
DIRECTIONS = ("upstream", "downstream", "connected")
ROLE_COLOURS = {"close": "#d7191c", "shut_source": "#7b3294", "verify_closed": "#808080", "hydrant": "#e66101",
                "failure": "#000000"}
STATE_COLOURS = {"isolated": "#1f5fd6", "cut_off": "#f2c200"}
SEVERITY_COLOURS = {"error": QColor(220, 30, 30), "warning": QColor(255, 150, 0)}


def map_stamp(path: str) -> tuple[Any, ...]:
    """What says the pipes of a GeoPackage map changed: the ``last_change`` GDAL (and so QGIS and
    every PipeMap writer) records in ``gpkg_contents`` for ``pipe_segment`` and ``pipe_point``.
    File times alone would not do: QGIS touches a GeoPackage it shows (write-ahead log) without
    changing a pipe. When the table cannot be read, the file's size and time stand in."""
    import sqlite3
    from urllib.parse import quote

    try:
        con = sqlite3.connect(f"file:{quote(os.path.abspath(path))}?mode=ro", uri=True, timeout=2.0)
        try:
            rows = con.execute("SELECT table_name, last_change FROM gpkg_contents WHERE table_name IN "
                               "('pipe_segment', 'pipe_point') ORDER BY table_name").fetchall()
        finally:
            con.close()
        if rows:
            return ("gpkg_contents",) + tuple(tuple(r) for r in rows)
    except sqlite3.Error:
        pass
    try:
        st = os.stat(path)
    except OSError:
        return ("missing",)
    return ("file", st.st_size, st.st_mtime_ns)


class TaskProgress:
    """core's Progress protocol on a QgsTask (progress bar of QGIS's task manager, cancel)."""

    def __init__(self, task: QgsTask) -> None:
        self.task = task

    def report(self, fraction: float, message: str = "") -> None:
        self.task.setProgress(100.0 * max(0.0, min(1.0, fraction)))

    def cancelled(self) -> bool:
        return self.task.isCanceled()

    def info(self, message: str) -> None:
        pass

    def warning(self, message: str) -> None:
        pass


def load_networks(path: Any, tolerance: float, task: QgsTask | None = None) -> dict[str, Any]:
    """Every category's graph of a map, the pressure networks prepared for isolation (runs in a
    task: no widgets, no project access)."""
    from ..core.network import graph as core_graph
    from ..core.network import isolate as core_isolate
    from ..core.progress import NullProgress

    progress = TaskProgress(task) if task is not None else NullProgress()
    graphs = core_graph.load_graphs(path, None, tolerance=tolerance, progress=progress)
    for category, graph in graphs.items():
        if category in core_graph.PRESSURE:
            core_isolate.prepare(graph)
    return graphs


def nearest_pipe(graphs: dict[str, Any], x: float, y: float, category: str = "",
                 search_m: float | None = None) -> tuple[Any, int, float] | None:
    """(graph, edge, distance) of the pipe nearest to (x, y) over the graphs (or in one category), the
    way ``pipemap:trace`` chooses its start; None when none lies within ``search_m``."""
    best = None
    for cat, graph in graphs.items():
        if category and cat != category:
            continue
        hit = graph.nearest_edge(x, y, search_m or None)
        if hit is not None and (best is None or hit[1] < best[2]):
            best = (graph, hit[0], hit[1])
    return best


def _text(value: Any) -> str:
    return "" if value is None or str(value) == "NULL" else str(value)


class NetworkSection(QWidget):
    def __init__(self, dock: Any) -> None:
        super().__init__(dock)
        self.dock = dock
        self.graphs: dict[str, Any] | None = None
        self.graphs_key: tuple[Any, ...] | None = None
        self.graphs_seconds = 0.0
        self.pg_generation = 0  #: bumped to read a PostGIS map again (its changes are not seen otherwise)
        self.pg_crs = ""  #: the CRS a PostGIS map records (for when the project has no layer of it)
        self.load_task: FunctionTask | None = None
        self.loading_key: tuple[Any, ...] | None = None
        self.load_error = ""
        self.pending: list[Callable[[], Any]] = []
        self.failure: tuple[float, float] | None = None
        self.result: Any = None
        self.result_graph: Any = None
        self.trace_result: Any = None
        self.trace_graph: Any = None
        self.sheet_path = ""
        self.sheet_results: dict[str, Any] = {}
        self.findings: list[dict[str, Any]] = []
        self.findings_crs = QgsCoordinateReferenceSystem()
        self.layer_ids: dict[str, str] = {}
        self._customers_cache: tuple[Any, Any] | None = None
        layout = QVBoxLayout(self)

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.linkActivated.connect(lambda _link: self.read_again())
        layout.addWidget(self.status)

        # --- isolation --------------------------------------------------------------------------
        box = QGroupBox(self.tr("Burst main or gas leak: valves to close"), self)
        box_layout = QVBoxLayout(box)
        info = QLabel(self.tr("Use the Isolate tool and click the failure on a pipe: the valves to close are "
                              "listed in order of travel and the isolated segments are drawn on the map."), box)
        info.setWordWrap(True)
        box_layout.addWidget(info)
        form = QFormLayout()
        self.category_combo = QComboBox(box)
        zh = user_locale().startswith("zh")
        self.category_combo.addItem(self.tr("auto (the nearest pressure pipe)"), "")
        for code in ISOLATE_CATEGORIES[1:]:
            cat = codes.CATEGORY_BY_CODE.get(code)
            name = (cat.name_zh if zh else cat.name_en) if cat is not None else ""
            self.category_combo.addItem(f"{code} {name}".strip(), code)
        self.category_combo.setCurrentIndex(max(0, self.category_combo.findData(settings.get("network/category"))))
        form.addRow(self.tr("Network"), self.category_combo)
        self.failed_edit = QLineEdit(box)
        self.failed_edit.setPlaceholderText(self.tr("point numbers, e.g. JS8, JS12"))
        self.failed_edit.setToolTip(self.tr("Valves that fail to operate: the isolation goes past them to the next "
                                            "ring of valves"))
        self.failed_edit.textChanged.connect(lambda _text: self._update_buttons())
        form.addRow(self.tr("Valves that fail"), self.failed_edit)
        box_layout.addLayout(form)
        self.summary = QLabel(box)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextSelectableByMouse)
        box_layout.addWidget(self.summary)
        self.valve_table = QTableWidget(0, 8, box)
        self.valve_table.setHorizontalHeaderLabels([
            self.tr("#"), self.tr("Point"), self.tr("Action"), self.tr("Road"), self.tr("X"), self.tr("Y"),
            self.tr("Leg (m)"), self.tr("From failure (m)")])
        self.valve_table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.valve_table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.valve_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.valve_table.verticalHeader().setVisible(False)
        self.valve_table.setMinimumHeight(150)
        self.valve_table.itemClicked.connect(lambda item: self.zoom_to_operation(item.row()))
        self.valve_table.itemSelectionChanged.connect(self._update_buttons)
        box_layout.addWidget(self.valve_table)
        row = QHBoxLayout()
        self.failed_button = QPushButton(icon("/mIconWarning.svg"), self.tr("Valve failed"), box)
        self.failed_button.setToolTip(self.tr("The selected valve does not close: take the next ring of valves"))
        self.failed_button.clicked.connect(self.mark_failed)
        self.reset_button = QPushButton(icon("/mIconClearText.svg"), self.tr("Reset failed"), box)
        self.reset_button.setToolTip(self.tr("Forget the failed valves and isolate again"))
        self.reset_button.clicked.connect(self.reset_failed)
        row.addWidget(self.failed_button)
        row.addWidget(self.reset_button)
        row.addStretch(1)
        row.addWidget(help_button("isolate", box))
        box_layout.addLayout(row)
        row = QHBoxLayout()
        self.sheet_button = dock.add_run_button(
            QPushButton(icon("/mActionSaveAsPDF.svg"), self.tr("Response sheet (PDF)"), box))
        self.sheet_button.setToolTip(self.tr("A one-page sheet for the crew: the valves to close in order of travel "
                                             "and a map (pipemap:isolate)"))
        self.sheet_button.clicked.connect(self.make_sheet)
        self.zoom_button = QPushButton(icon("/mActionZoomToLayer.svg"), self.tr("Zoom to"), box)
        self.zoom_button.setToolTip(self.tr("Show the whole isolation: the failure, the isolated segments and every "
                                            "valve to operate"))
        self.zoom_button.clicked.connect(self.zoom_to_result)
        self.clear_button = QPushButton(icon("/mIconClearItem.svg"), self.tr("Clear"), box)
        self.clear_button.setToolTip(self.tr("Take the isolation and the trace off the map"))
        self.clear_button.clicked.connect(self.clear_results)
        row.addWidget(self.sheet_button)
        row.addWidget(self.zoom_button)
        row.addWidget(self.clear_button)
        row.addStretch(1)
        box_layout.addLayout(row)
        self.sheet_label = QLabel(box)
        self.sheet_label.setWordWrap(True)
        self.sheet_label.setOpenExternalLinks(True)
        box_layout.addWidget(self.sheet_label)
        self.notes = QLabel(box)
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #a05a00;")
        box_layout.addWidget(self.notes)
        layout.addWidget(box)

        # --- options (shared by isolation and traces) -------------------------------------------------
        options = QgsCollapsibleGroupBox(self.tr("Options"), self)
        options.setSaveCollapsedState(False)
        form = QFormLayout(options)
        self.closed_edit = QLineEdit(options)
        self.closed_edit.setPlaceholderText(self.tr("point numbers"))
        self.closed_edit.setToolTip(self.tr("Valves that are closed already (zone boundaries): they are only "
                                            "checked, and traces stop there"))
        form.addRow(self.tr("Valves already closed"), self.closed_edit)
        self.customers_combo = QgsMapLayerComboBox(options)
        self.customers_combo.setFilters(QgsMapLayerProxyModel.PointLayer | QgsMapLayerProxyModel.PolygonLayer)
        self.customers_combo.setAllowEmptyLayer(True)
        self.customers_combo.setLayer(None)
        self.customers_combo.setToolTip(self.tr("Customer points or buildings: each is served by its nearest pipe "
                                                "within the search distance"))
        form.addRow(self.tr("Customers or buildings"), self.customers_combo)
        self.search_spin = QDoubleSpinBox(options)
        self.search_spin.setRange(0.5, 1000.0)
        self.search_spin.setDecimals(1)
        self.search_spin.setSuffix(" m")
        self.search_spin.setValue(settings.get("network/search_m"))
        self.search_spin.setToolTip(self.tr("Largest distance from the click to the pipe"))
        form.addRow(self.tr("Search distance"), self.search_spin)
        self.hazard_spin = QDoubleSpinBox(options)
        self.hazard_spin.setRange(0.0, 1000.0)
        self.hazard_spin.setDecimals(0)
        self.hazard_spin.setSuffix(" m")
        self.hazard_spin.setValue(settings.get("network/hazard_m"))
        self.hazard_spin.setToolTip(self.tr("Gas only: radius of the hazard circle around the leak (0: none)"))
        form.addRow(self.tr("Hazard radius (gas)"), self.hazard_spin)
        self.tolerance_spin = QDoubleSpinBox(options)
        self.tolerance_spin.setRange(0.0, 10.0)
        self.tolerance_spin.setDecimals(3)
        self.tolerance_spin.setSingleStep(0.01)
        self.tolerance_spin.setSuffix(" m")
        self.tolerance_spin.setValue(settings.get("network/tolerance"))
        self.tolerance_spin.setToolTip(self.tr("Segment ends and points closer than this are one node"))
        form.addRow(self.tr("Snapping tolerance"), self.tolerance_spin)
        options.setCollapsed(True)
        self.options_box = options
        layout.addWidget(options)

        # --- trace ---------------------------------------------------------------------------------
        box = QGroupBox(self.tr("Trace"), self)
        box_layout = QVBoxLayout(box)
        form = QFormLayout()
        self.direction_combo = QComboBox(box)
        for name, label in zip(DIRECTIONS, (self.tr("upstream"), self.tr("downstream"), self.tr("connected"))):
            self.direction_combo.addItem(label, name)
        self.direction_combo.setCurrentIndex(max(0, self.direction_combo.findData(settings.get("network/direction"))))
        form.addRow(self.tr("Direction"), self.direction_combo)
        self.trace_category = QComboBox(box)
        self.trace_category.addItem(self.tr("auto (the nearest pipe)"), "")
        for cat in codes.CATEGORIES:
            self.trace_category.addItem(f"{cat.code} {cat.name_zh if zh else cat.name_en}", cat.code)
        form.addRow(self.tr("Category"), self.trace_category)
        self.stop_valves = QCheckBox(self.tr("Stop at valves"), box)
        self.stop_valves.setChecked(settings.get("network/stop_valves"))
        form.addRow("", self.stop_valves)
        box_layout.addLayout(form)
        row = QHBoxLayout()
        self.trace_summary = QLabel(box)
        self.trace_summary.setWordWrap(True)
        row.addWidget(self.trace_summary, 1)
        row.addWidget(help_button("trace", box))
        box_layout.addLayout(row)
        layout.addWidget(box)

        # --- topology ----------------------------------------------------------------------------
        box = QGroupBox(self.tr("Topology"), self)
        box_layout = QVBoxLayout(box)
        row = QHBoxLayout()
        self.topology_button = dock.add_run_button(
            QPushButton(icon("/mIconTopologicalEditing.svg"), self.tr("Topology check"), box))
        self.topology_button.setToolTip(self.tr("Disconnected parts, dangling ends, duplicates, crossings without a "
                                                "node, reversed slopes, valves off the line (pipemap:topologycheck)"))
        self.topology_button.clicked.connect(self.run_topology)
        row.addWidget(self.topology_button)
        row.addStretch(1)
        row.addWidget(help_button("topologycheck", box))
        box_layout.addLayout(row)
        self.topology_summary = QLabel(box)
        self.topology_summary.setWordWrap(True)
        box_layout.addWidget(self.topology_summary)
        self.topology_table = QTableWidget(0, 5, box)
        self.topology_table.setHorizontalHeaderLabels([
            self.tr("Severity"), self.tr("Finding"), self.tr("Category"), self.tr("Segment or point"),
            self.tr("Details")])
        self.topology_table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.topology_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.topology_table.verticalHeader().setVisible(False)
        self.topology_table.setMinimumHeight(150)
        self.topology_table.itemClicked.connect(lambda item: self.zoom_to_finding(item.row()))
        box_layout.addWidget(self.topology_table)
        layout.addWidget(box)
        layout.addStretch(1)

        dock.map_changed.connect(self._map_changed)
        dock.runner.job_finished.connect(self._job_finished)
        self._show_status()
        self._update_buttons()

    # --- the graphs -----------------------------------------------------------------------------
    def graphs_ready(self) -> bool:
        """True when the open map's networks are read and current."""
        return self.graphs is not None and self.graphs_key == self._key()

    def _key(self) -> tuple[Any, ...] | None:
        path = self.dock.map_path
        if path and self.dock.map_is_postgis():
            return (path, ("postgis", self.pg_generation), round(self.tolerance_spin.value(), 6))
        if not path or not Path(path).is_file():
            return None
        return (path, map_stamp(path), round(self.tolerance_spin.value(), 6))

    def read_again(self) -> None:
        """Read the open map's networks again (a PostGIS map: others may have changed it)."""
        self.pg_generation += 1
        self.ensure_graphs()

    def map_crs(self) -> QgsCoordinateReferenceSystem:
        """The open map's CRS: the workbench's (its project layer), or what a PostGIS map records."""
        if self.dock.map_is_postgis() and self.dock.map_layer("pipe_segment") is None and self.pg_crs:
            crs = QgsCoordinateReferenceSystem(self.pg_crs)
            if not crs.isValid():
                crs = QgsCoordinateReferenceSystem.fromWkt(self.pg_crs)
            return crs
        return self.dock.map_crs()

    def ensure_graphs(self, then: Callable[[], Any] | None = None) -> bool:
        """Call ``then`` with the open map's graphs: at once when they are current, else when the
        background task reading them ends. False when the graphs are not ready yet."""
        key = self._key()
        if key is None:
            self.pending.clear()
            return False
        if self.graphs is not None and self.graphs_key == key:
            if then is not None:
                then()
            return True
        if then is not None:
            self.pending.append(then)
        if self.load_task is None or self.loading_key != key:
            self._start_loading(key)
        return False

    def _start_loading(self, key: tuple[Any, ...]) -> None:
        self._drop_task()
        path, _, tolerance = key
        started = time.monotonic()
        source: Any = path
        name = Path(path).name
        if self.dock.map_is_postgis():
            name = self.dock.map_name()
            try:  # the QGIS authentication config is expanded here, on the main thread
                from ..processing.pgmap import parse, resolve

                source = resolve(parse(path))
            except PipeMapError as exc:
                self._load_failed(error_text(exc))
                return
            except QgsProcessingException as exc:
                self._load_failed(exc.message())
                return

        def done(ok: bool, loaded: Any, error: str) -> None:
            if task is not self.load_task:
                return  # a load that was replaced or dropped (another map, plugin unload)
            self.load_task = None
            self.loading_key = None
            graphs, crs_text = loaded if ok and loaded is not None else (None, "")
            if ok and graphs is not None:
                self.graphs = graphs
                self.pg_crs = crs_text
                self.graphs_key = key
                self.graphs_seconds = time.monotonic() - started
                self.load_error = ""
                self._show_status()
                pending, self.pending = self.pending, []
                for call in pending:  # at once; or after reading again, when the map changed meanwhile
                    self.ensure_graphs(call)
                return
            self._load_failed(error)

        def run(t: QgsTask) -> tuple[dict[str, Any], str]:
            graphs = load_networks(source, tolerance, t)
            if not isinstance(source, str):  # a PostGIS map: its CRS, for when the project has no layer of it
                from ..core.network.pgread import map_crs_text

                return graphs, map_crs_text(source)
            return graphs, ""

        title = self.tr("PipeMap: reading the networks of {name}").format(name=name)
        task = FunctionTask(title, run, done)
        self.load_task = task
        self.loading_key = key
        self.load_error = ""
        self._show_status()
        from qgis.core import QgsApplication

        QgsApplication.taskManager().addTask(task)

    def _load_failed(self, error: str) -> None:
        self.graphs = None
        self.graphs_key = None
        self.pending.clear()
        self.load_error = error or self.tr("cancelled")
        self._show_status()
        if error:
            self.dock.push(self.tr("The networks of the map could not be read: {error}").format(error=error),
                           Qgis.Warning)

    def _drop_task(self) -> None:
        task = self.load_task
        self.load_task = None
        self.loading_key = None
        if task is not None and not sip.isdeleted(task):
            task.cancel()

    def _map_changed(self, path: str) -> None:
        self.graphs = None
        self.graphs_key = None
        self.pending.clear()
        self.clear_results()
        self.findings = []
        self._fill_findings()
        self.topology_summary.clear()
        if path:
            self.ensure_graphs()
        else:
            self._drop_task()
        self._show_status()

    def _job_finished(self, label: str, ok: bool) -> None:
        """A run of the panel may have changed the map (an import): read its networks again now (a
        PostGIS map's changes cannot be seen: it is read again after every run that ended well)."""
        if ok and self.dock.map_is_postgis():
            self.pg_generation += 1
        if ok and self.graphs is not None and self.graphs_key is not None and self.graphs_key != self._key():
            self.ensure_graphs()

    def _show_status(self) -> None:
        self.status.setToolTip("")
        if not self.dock.map_path:
            text = self.tr("Open a map (Map section) to use the network tools.")
        elif self.load_task is not None:
            text = self.tr("Reading the networks of the PostGIS map…") if self.dock.map_is_postgis() \
                else self.tr("Reading the networks of the map…")
        elif self.graphs is not None:
            locale = QLocale()
            total = sum(g.n_edges for g in self.graphs.values())
            text = self.tr("Networks read in {s} s: {cats} ({n} segments).").format(
                s=locale.toString(self.graphs_seconds, "f", 1), cats=" ".join(self.graphs) or self.tr("none"),
                n=locale.toString(total))
            self.status.setToolTip("\n".join(self.tr("{category}: {n} segments, {k} nodes").format(
                category=c, n=locale.toString(g.n_edges), k=locale.toString(g.n_nodes))
                for c, g in self.graphs.items()))
            if self.dock.map_is_postgis():
                text += " " + self.tr("Edits others make to the PostGIS map show after you <a href=\"reload\">read "
                                      "it again</a>.")
        elif self.load_error:
            text = self.tr("The networks were not read ({error}).").format(error=self.load_error)
        else:
            text = ""
        self.status.setText(text)

    # --- isolation ---------------------------------------------------------------------------------
    def _remember(self) -> None:
        settings.put("network/category", self.category_combo.currentData())
        settings.put("network/search_m", self.search_spin.value())
        settings.put("network/hazard_m", self.hazard_spin.value())
        settings.put("network/tolerance", self.tolerance_spin.value())
        settings.put("network/direction", self.direction_combo.currentData())
        settings.put("network/stop_valves", self.stop_valves.isChecked())

    def map_point(self, canvas_point: QgsPointXY) -> QgsPointXY:
        geom = self.dock.from_canvas(QgsGeometry.fromPointXY(canvas_point), self.map_crs())
        return geom.asPoint()

    def isolate_clicked(self, canvas_point: QgsPointXY) -> None:
        """The Isolate tool: a failure at the clicked point."""
        if not self.dock.need_map(postgis_ok=True):
            return
        self.dock.show_section(self)
        self._remember()
        point = self.map_point(canvas_point)
        self.failure = (point.x(), point.y())
        if not self.ensure_graphs(lambda: self.isolate()):
            self.summary.setText(self.tr("Reading the networks of the map…"))

    def failed_ids(self) -> list[str]:
        from ..core.network.isolate import parse_ids

        return parse_ids(self.failed_edit.text())

    def closed_ids(self) -> list[str]:
        from ..core.network.isolate import parse_ids

        return parse_ids(self.closed_edit.text())

    def isolate(self, category: str | None = None) -> Any:
        """Isolate the failure (``self.failure``) with the panel's choices; show and return the result
        (None, and a message, when no pipe is near)."""
        from ..core.network import isolate as core_isolate

        if self.failure is None or not self.graphs_ready():
            return None
        x, y = self.failure
        cat = category if category is not None else (self.category_combo.currentData() or None)
        try:
            result = core_isolate.isolate_at(self.graphs, x, y, cat, self.failed_ids(), self.closed_ids(),
                                             self.search_spin.value())
        except PipeMapError as exc:
            self.dock.push(error_text(exc), Qgis.Warning, 6)
            self.summary.setText(error_text(exc))
            return None
        graph = self.graphs[result.category]
        radius = self.hazard_spin.value() if result.category == "RQ" else 0.0
        result.hazard_radius_m = radius
        customers = self.customer_geometries()
        if customers is not None:
            result.customers = core_isolate.customers_affected(graph, result, customers, self.search_spin.value(),
                                                               radius)
        self.result = result
        self.result_graph = graph
        self.sheet_path = ""
        self.sheet_label.clear()
        self.show_isolation()
        return result

    def customer_geometries(self) -> np.ndarray | None:
        """The chosen customers layer as shapely geometries in the map's CRS (kept while the layer
        does not change)."""
        layer = self.customers_combo.currentLayer()
        if not isinstance(layer, QgsVectorLayer) or not layer.isValid():
            return None
        crs = self.map_crs()
        key = (layer.id(), layer.featureCount(), layer.crs().toWkt(), crs.toWkt())
        if self._customers_cache is not None and self._customers_cache[0] == key:
            return self._customers_cache[1]
        import shapely

        xform = QgsCoordinateTransform(layer.crs(), crs, QgsProject.instance()) \
            if layer.crs() != crs and crs.isValid() else None
        geoms = []
        for f in layer.getFeatures():
            g = QgsGeometry(f.geometry()) if f.hasGeometry() else None
            if g is not None and xform is not None:
                g.transform(xform)
            geoms.append(shapely.from_wkb(bytes(g.asWkb())) if g is not None and not g.isEmpty() else None)
        out = np.empty(len(geoms), dtype=object)
        out[:] = geoms
        self._customers_cache = (key, out)
        return out

    def action_text(self, action: str) -> str:
        return {"close": self.tr("close"), "shut_source": self.tr("shut off source"),
                "verify_closed": self.tr("check closed")}.get(action, action)

    def show_isolation(self) -> None:
        """The result in the panel (summary, operations, notes) and on the map."""
        result, graph = self.result, self.result_graph
        locale = QLocale()

        def metres(value: float) -> str:
            return locale.toString(float(value), "f", 0)

        lines = [self.tr("Failure on {seg} ({category}), {d} m from the click.").format(
            seg=result.seg_id, category=result.category, d=locale.toString(result.distance_m, "f", 1))]
        n_close = sum(1 for o in result.operations if o.action == "close")
        n_shut = sum(1 for o in result.operations if o.action == "shut_source")
        n_check = sum(1 for o in result.operations if o.action == "verify_closed")
        ops = self.tr("%n valve(s) to close", "", n_close)
        if n_shut:
            ops += ", " + self.tr("%n source(s) to shut off", "", n_shut)
        if n_check:
            ops += ", " + self.tr("%n closed valve(s) to check", "", n_check)
        lines.append(ops + ".")
        lines.append(self.tr("{n} segments isolated ({m} m); {k} more lose supply ({mk} m).").format(
            n=locale.toString(len(result.isolated_edges)), m=metres(result.length_isolated_m(graph)),
            k=locale.toString(len(result.cut_off_edges)), mk=metres(result.length_cut_off_m(graph))))
        if result.hydrants:
            lines.append(self.tr("Hydrants out of service: {ids}.").format(ids=", ".join(result.hydrants)))
        if result.failed_met:
            lines.append(self.tr("Failed valves passed: {ids}.").format(ids=", ".join(result.failed_met)))
        if result.customers is not None:
            counts = result.customers.counts()
            text = self.tr("%n customer(s) or building(s) affected", "", counts["affected"])
            if result.hazard_radius_m > 0:
                text += "; " + self.tr("{n} in the hazard circle of {r} m").format(
                    n=locale.toString(counts["in_hazard"]), r=metres(result.hazard_radius_m))
            lines.append(text + ".")
        self.summary.setText("\n".join(lines))
        self.notes.setText("\n".join(error_text(m) for m in result.messages))
        self.valve_table.setRowCount(len(result.operations))
        for r, o in enumerate(result.operations):
            cells = [str(o.order) if o.order else "–", o.point_id, self.action_text(o.action), o.road,
                     locale.toString(o.x, "f", 2), locale.toString(o.y, "f", 2),
                     metres(o.leg_m) if math.isfinite(o.leg_m) else "", metres(o.cum_m) if math.isfinite(o.cum_m)
                     else ""]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.UserRole, r)
                if c == 2:
                    item.setForeground(QColor(ROLE_COLOURS.get(o.action, "#000000")))
                if c in (6, 7) and o.route:
                    item.setToolTip(self.tr("along the network") if o.route == "network"
                                    else self.tr("straight line (the network does not join them nearby)"))
                self.valve_table.setItem(r, c, item)
        self.valve_table.resizeColumnsToContents()
        self._draw_isolation()
        self._update_buttons()

    def listed_operations(self) -> list[tuple[str, str, str]]:
        """(order, point, action) as listed in the table (for checking what a person sees)."""
        return [(self.valve_table.item(r, 0).text(), self.valve_table.item(r, 1).text(),
                 self.valve_table.item(r, 2).text()) for r in range(self.valve_table.rowCount())]

    def selected_operation(self) -> Any:
        rows = self.valve_table.selectionModel().selectedRows()
        if not rows or self.result is None:
            return None
        r = rows[0].row()
        return self.result.operations[r] if 0 <= r < len(self.result.operations) else None

    def _update_buttons(self) -> None:
        op = self.selected_operation()
        self.failed_button.setEnabled(op is not None and op.action in ("close", "shut_source"))
        self.reset_button.setEnabled(bool(self.failed_edit.text().strip()))
        ready = self.result is not None and self.dock.has_algorithm("pipemap:isolate")
        self.sheet_button.setProperty("pipemap_ready", ready)
        self.sheet_button.setEnabled(ready and not self.dock.runner.is_busy())
        self.clear_button.setEnabled(self.result is not None or self.trace_result is not None)
        self.zoom_button.setEnabled(self.result is not None)

    def mark_failed(self, op: Any = None) -> Any:
        """The selected valve (or ``op``) fails to operate: isolate again past it."""
        op = op if op is not None and not isinstance(op, bool) else self.selected_operation()
        if op is None or self.result is None:
            return None
        ids = self.failed_ids()
        if op.point_id not in ids:
            ids.append(op.point_id)
        self.failed_edit.setText(", ".join(ids))
        return self._isolate_again()

    def reset_failed(self) -> Any:
        self.failed_edit.clear()
        self._update_buttons()
        return self._isolate_again()

    def _isolate_again(self) -> Any:
        """The same failure on the same network with the current valve lists (the result when the
        graphs are current, else None and it follows once the map is read again)."""
        if self.result is None:
            return None
        category = self.result.category
        out: list[Any] = []
        self.ensure_graphs(lambda: out.append(self.isolate(category)))
        return out[0] if out else None

    def zoom_to_operation(self, row: int) -> None:
        if self.result is None or not 0 <= row < len(self.result.operations):
            return
        o = self.result.operations[row]
        self.dock.zoom_and_flash([QgsGeometry.fromPointXY(QgsPointXY(o.x, o.y))], self.map_crs(),
                                 min_size=60.0)

    def zoom_to_result(self) -> None:
        """Show the failure, the isolated and cut-off segments and every operation."""
        result, graph = self.result, self.result_graph
        if result is None:
            return
        edges = np.concatenate([result.isolated_edges, result.cut_off_edges]).astype(np.int64)
        xy = [np.array([[result.px, result.py]])] + [np.array([[o.x, o.y]]) for o in result.operations]
        if len(edges):
            counts = np.diff(graph.offsets)[edges]
            starts = graph.offsets[edges]
            idx = np.repeat(starts - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts) + np.arange(counts.sum())
            xy.append(graph.vertices[idx, :2])
        pts = np.vstack(xy)
        (x0, y0), (x1, y1) = pts.min(axis=0), pts.max(axis=0)
        from qgis.core import QgsRectangle

        self.dock.zoom_to(QgsRectangle(x0, y0, x1, y1), self.map_crs(), margin=0.15)

    # --- the response sheet --------------------------------------------------------------------------
    def sheet_params(self) -> dict[str, Any] | None:
        """pipemap:isolate's parameters for the current result, with a SHEET."""
        if self.result is None or self.failure is None:
            return None
        from qgis.core import QgsReferencedPointXY

        crs = self.map_crs()
        x, y = self.failure
        failure: Any = f"{x!r},{y!r} [{crs.authid()}]" if crs.authid() else QgsReferencedPointXY(QgsPointXY(x, y), crs)
        params: dict[str, Any] = {
            "MAP": self.dock.map_path, "FAILURE": failure,
            "CATEGORY": ISOLATE_CATEGORIES.index(self.result.category) if self.result.category in ISOLATE_CATEGORIES
            else 0,
            "FAILED_VALVES": ", ".join(self.failed_ids()), "CLOSED_VALVES": ", ".join(self.closed_ids()),
            "SEARCH_DISTANCE": self.search_spin.value(), "HAZARD_RADIUS": self.hazard_spin.value(),
            "CUSTOMER_DISTANCE": self.search_spin.value(), "TOLERANCE": self.tolerance_spin.value(),
            "VALVES": temp_output("isolation_valves.gpkg"), "SEGMENTS": temp_output("isolation_segments.gpkg"),
            "NODES": temp_output("isolation_nodes.gpkg"), "SHEET": temp_output("response_sheet.pdf")}
        layer = self.customers_combo.currentLayer()
        if layer is not None:
            params["CUSTOMERS"] = layer_param(layer)
        return params

    def make_sheet(self) -> bool:
        params = self.sheet_params()
        if params is None:
            self.dock.push(self.tr("Click a failure with the Isolate tool first."), Qgis.Warning)
            return False
        seg_id = self.result.seg_id

        def done(ok: bool, results: dict, log: str) -> None:
            if not ok:
                self.dock.failed(self.tr("The response sheet"), log)
                return
            path = results.get("SHEET") or params["SHEET"]
            self.sheet_path = path
            self.sheet_results = dict(results)
            link = QUrl.fromLocalFile(path).toString()
            self.sheet_label.setText(self.tr("Response sheet: <a href=\"{url}\">{name}</a>").format(
                url=link, name=Path(path).name))
            self.sheet_label.setToolTip(path)
            if results.get("FAILED_SEGMENT") not in (None, "", seg_id):
                self.dock.push(self.tr("The sheet was made for segment {other}, not {seg}: the map changed?").format(
                    other=results.get("FAILED_SEGMENT"), seg=seg_id), Qgis.Warning)
            else:
                self.dock.push(self.tr("Response sheet written: {path}").format(path=path), Qgis.Success)

        return self.dock.run("pipemap:isolate", params, done, self.tr("Response sheet"))

    # --- trace -----------------------------------------------------------------------------------------
    def trace_clicked(self, canvas_point: QgsPointXY) -> None:
        """The Trace tool: trace from the pipe nearest to the click."""
        if not self.dock.need_map(postgis_ok=True):
            return
        self.dock.show_section(self)
        self._remember()
        point = self.map_point(canvas_point)
        xy = (point.x(), point.y())
        if not self.ensure_graphs(lambda: self.trace(*xy)):
            self.trace_summary.setText(self.tr("Reading the networks of the map…"))

    def trace(self, x: float, y: float) -> Any:
        """Trace from the pipe nearest to (x, y) with the panel's choices; show and return the result."""
        from ..core.network import graph as core_graph
        from ..core.network.trace import trace as core_trace

        if not self.graphs_ready():
            return None
        hit = nearest_pipe(self.graphs, x, y, self.trace_category.currentData() or "", self.search_spin.value())
        if hit is None:
            text = self.tr("No pipe lies within {d} m of the click.").format(
                d=QLocale().toString(self.search_spin.value(), "f", 1))
            self.trace_summary.setText(text)
            self.dock.push(text, Qgis.Info, 4)
            return None
        graph, edge, _ = hit
        direction = self.direction_combo.currentData()
        stops = {core_graph.VALVE} if self.stop_valves.isChecked() else set()
        closed, _missing = graph.nodes_of(self.closed_ids())
        result = core_trace(graph, edge=edge, direction=direction, stop_kinds=stops, closed=closed)
        self.trace_result = result
        self.trace_graph = graph
        locale = QLocale()
        self.trace_summary.setText(self.tr("{direction} from {seg} ({category}): %n segment(s), {m} m, {k} stop(s).",
                                           "", len(result.edges)).format(
            direction=self.direction_combo.currentText(), seg=graph.seg_ids[edge], category=graph.category,
            m=locale.toString(result.length_m(graph), "f", 0), k=locale.toString(len(result.stops))))
        self._draw_trace()
        self._update_buttons()
        return result

    # --- drawing ---------------------------------------------------------------------------------------
    def result_layer(self, key: str, uri: str, title: str) -> QgsVectorLayer:
        """A memory layer of the "PipeMap network" group (re-used while it stays in the project)."""
        project = QgsProject.instance()
        layer = project.mapLayer(self.layer_ids.get(key, ""))
        if isinstance(layer, QgsVectorLayer) and layer.isValid():
            layer.dataProvider().truncate()
            return layer
        crs = self.map_crs()
        authid = crs.authid()
        layer = QgsVectorLayer(uri + (f"&crs={authid}" if authid else ""), title, "memory")
        if not authid:
            layer.setCrs(crs)
        self._style(key, layer)
        root = project.layerTreeRoot()
        group = root.findGroup(GROUP_NAME) or root.insertGroup(0, GROUP_NAME)
        project.addMapLayer(layer, False)
        group.insertLayer(0, layer)
        self.layer_ids[key] = layer.id()
        return layer

    def _style(self, key: str, layer: QgsVectorLayer) -> None:
        if key in ("isolation_segments", "trace_segments"):
            colours = STATE_COLOURS if key == "isolation_segments" else {"traced": "#1a9641"}
            labels = {"isolated": self.tr("isolated"), "cut_off": self.tr("losing supply"),
                      "traced": self.tr("traced")}
            cats = [QgsRendererCategory(state, QgsLineSymbol.createSimple(
                {"line_color": colour, "line_width": "1.6", "line_width_unit": "MM", "capstyle": "round"}),
                labels[state]) for state, colour in colours.items()]
            layer.setRenderer(QgsCategorizedSymbolRenderer("state", cats))
            layer.setOpacity(0.75)
        elif key in ("isolation_points", "trace_stops"):
            shapes = {"close": "circle", "shut_source": "diamond", "verify_closed": "circle", "hydrant": "square",
                      "failure": "cross2", "stop": "circle"}
            labels = {"close": self.tr("valve to close"), "shut_source": self.tr("source to shut off"),
                      "verify_closed": self.tr("closed valve to check"), "hydrant": self.tr("hydrant out of service"),
                      "failure": self.tr("failure"), "stop": self.tr("trace stop")}
            roles = ("close", "shut_source", "verify_closed", "hydrant", "failure") if key == "isolation_points" \
                else ("stop",)
            cats = []
            for role in roles:
                colour = ROLE_COLOURS.get(role, "#e66101")
                props = {"name": shapes[role], "color": colour, "outline_color": "white" if role != "failure"
                         else colour, "size": "4.2" if role != "failure" else "6", "outline_width": "0.4"}
                if role == "failure":
                    props["outline_width"] = "0.8"
                cats.append(QgsRendererCategory(role, QgsMarkerSymbol.createSimple(props), labels[role]))
            layer.setRenderer(QgsCategorizedSymbolRenderer("role", cats))
            label = QgsPalLayerSettings()
            label.fieldName = "label"
            label.placement = QgsPalLayerSettings.OverPoint
            fmt = QgsTextFormat()
            font = QFont()
            font.setBold(True)
            fmt.setFont(font)
            fmt.setSize(8)
            fmt.setColor(QColor("white"))
            buffer = QgsTextBufferSettings()
            buffer.setEnabled(False)
            fmt.setBuffer(buffer)
            label.setFormat(fmt)
            layer.setLabeling(QgsVectorLayerSimpleLabeling(label))
            layer.setLabelsEnabled(True)
        elif key == "hazard":
            layer.renderer().setSymbol(QgsFillSymbol.createSimple(
                {"color": "255,0,0,30", "outline_color": "#d7191c", "outline_style": "dash", "outline_width": "0.6"}))

    def _draw_isolation(self) -> None:
        result, graph = self.result, self.result_graph
        seg = self.result_layer("isolation_segments", "LineString?field=seg_id:string&field=state:string",
                                self.tr("Isolation: segments"))
        feats = []
        for state, edges in (("cut_off", result.cut_off_edges), ("isolated", result.isolated_edges)):
            for e in np.asarray(edges, dtype=np.int64).tolist():
                f = QgsFeature(seg.fields())
                c = graph.coords(e)
                f.setGeometry(QgsGeometry.fromPolylineXY([QgsPointXY(float(a), float(b)) for a, b in c[:, :2]]))
                f.setAttributes([str(graph.seg_ids[e]), state])
                feats.append(f)
        seg.dataProvider().addFeatures(feats)
        seg.updateExtents()
        pts = self.result_layer(
            "isolation_points",
            "Point?field=role:string&field=order:integer&field=point_id:string&field=label:string",
            self.tr("Isolation: valves and hydrants"))
        feats = []
        ids_at = {str(graph.point_id[n]): n for n in np.concatenate([result.isolated_nodes, result.cut_off_nodes])}
        for pid in result.hydrants:
            n = ids_at.get(pid)
            if n is None:
                continue
            f = QgsFeature(pts.fields())
            f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(float(graph.xy[n, 0]), float(graph.xy[n, 1]))))
            f.setAttributes(["hydrant", None, pid, ""])
            feats.append(f)
        f = QgsFeature(pts.fields())
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(result.px, result.py)))
        f.setAttributes(["failure", None, "", ""])
        feats.append(f)
        for o in reversed(result.operations):  # the first stop drawn last, on top
            f = QgsFeature(pts.fields())
            f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(o.x, o.y)))
            f.setAttributes([o.action, o.order or None, o.point_id, str(o.order) if o.order else ""])
            feats.append(f)
        pts.dataProvider().addFeatures(feats)
        pts.updateExtents()
        from ..core.network.isolate import hazard_zone

        zone = hazard_zone(result, result.hazard_radius_m)
        if zone is not None:
            hz = self.result_layer("hazard", "Polygon?field=radius_m:double", self.tr("Isolation: hazard zone"))
            f = QgsFeature(hz.fields())
            f.setGeometry(QgsGeometry.fromWkt(zone.wkt))
            f.setAttributes([float(result.hazard_radius_m)])
            hz.dataProvider().addFeatures([f])
            hz.updateExtents()
        else:
            self._remove_layer("hazard")
        for key in ("isolation_segments", "isolation_points", "hazard"):
            layer = QgsProject.instance().mapLayer(self.layer_ids.get(key, ""))
            if layer is not None:
                layer.triggerRepaint()
        self.dock.canvas.refresh()

    def _draw_trace(self) -> None:
        result, graph = self.trace_result, self.trace_graph
        seg = self.result_layer("trace_segments", "LineString?field=seg_id:string&field=state:string",
                                self.tr("Trace: segments"))
        feats = []
        for e in np.asarray(result.edges, dtype=np.int64).tolist():
            f = QgsFeature(seg.fields())
            c = graph.coords(e)
            f.setGeometry(QgsGeometry.fromPolylineXY([QgsPointXY(float(a), float(b)) for a, b in c[:, :2]]))
            f.setAttributes([str(graph.seg_ids[e]), "traced"])
            feats.append(f)
        seg.dataProvider().addFeatures(feats)
        seg.updateExtents()
        stops = self.result_layer("trace_stops", "Point?field=role:string&field=point_id:string&field=label:string",
                                  self.tr("Trace: stops"))
        feats = []
        for n in np.asarray(result.stops, dtype=np.int64).tolist():
            f = QgsFeature(stops.fields())
            f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(float(graph.xy[n, 0]), float(graph.xy[n, 1]))))
            f.setAttributes(["stop", str(graph.point_id[n]), ""])
            feats.append(f)
        stops.dataProvider().addFeatures(feats)
        stops.updateExtents()
        seg.triggerRepaint()
        stops.triggerRepaint()
        self.dock.canvas.refresh()

    def _remove_layer(self, key: str) -> None:
        layer_id = self.layer_ids.pop(key, "")
        if layer_id and QgsProject.instance().mapLayer(layer_id) is not None:
            QgsProject.instance().removeMapLayer(layer_id)

    def clear_results(self) -> None:
        """Take the isolation and the trace off the map and out of the panel."""
        for key in list(self.layer_ids):
            self._remove_layer(key)
        root = QgsProject.instance().layerTreeRoot()
        group = root.findGroup(GROUP_NAME)
        if group is not None and not group.children():
            root.removeChildNode(group)
        self.result = self.result_graph = self.trace_result = self.trace_graph = None
        self.failure = None
        self.sheet_path = ""
        for label in (self.summary, self.notes, self.sheet_label, self.trace_summary):
            label.clear()
        self.valve_table.setRowCount(0)
        self._update_buttons()

    # --- topology ----------------------------------------------------------------------------------------
    def run_topology(self) -> bool:
        if not self.dock.need_map(postgis_ok=True):
            return False
        self._remember()
        params = {"MAP": self.dock.map_path, "TOLERANCE": self.tolerance_spin.value(),
                  "OUTPUT": temp_output("topology_findings.gpkg")}
        self.findings = []
        self._fill_findings()
        self.topology_summary.clear()
        return self.dock.run("pipemap:topologycheck", params,
                             lambda ok, res, log: self._topology_done(ok, res, log, params), self.tr("Topology check"))

    def reason_text(self, reason: str) -> str:
        return {
            "disconnected_part": self.tr("disconnected part"), "dangling_end": self.tr("dangling end"),
            "same_ends": self.tr("segment closing on itself"), "duplicate_segment": self.tr("duplicated segment"),
            "crossing_without_node": self.tr("crossing without a node"),
            "end_on_segment": self.tr("end on a segment (tee not split)"),
            "overlapping_segments": self.tr("overlapping segments"), "reversed_slope": self.tr("reversed slope"),
            "diameter_decrease": self.tr("smaller pipe downstream"),
            "valve_not_on_line": self.tr("valve not on a line"), "valve_not_at_node": self.tr("valve not at a node"),
        }.get(reason, reason)

    def _topology_done(self, ok: bool, results: dict, log: str, params: dict[str, Any]) -> None:
        if not ok:
            self.dock.failed(self.tr("The topology check"), log)
            return
        path = results.get("OUTPUT") or params["OUTPUT"]
        layer = QgsVectorLayer(path, self.tr("Topology findings"), "ogr")
        if not layer.isValid():
            return
        self.findings_crs = layer.crs()
        self.findings = []
        for f in layer.getFeatures():
            row: dict[str, Any] = {name: _text(f[name]) for name in ("reason", "severity", "category", "seg_id",
                                                                      "other_id", "point_id", "message")}
            row["geometry"] = QgsGeometry(f.geometry()) if f.hasGeometry() else None
            self.findings.append(row)
        order = {"error": 0, "warning": 1}
        self.findings.sort(key=lambda r: (order.get(r["severity"], 9), r["category"], r["reason"], r["seg_id"]))
        self._fill_findings()
        errors, warnings = int(results.get("ERRORS", 0)), int(results.get("WARNINGS", 0))
        text = self.tr("Topology: %n finding(s)", "", len(self.findings)) + " (" + \
            self.tr("{e} errors, {w} warnings").format(e=QLocale().toString(errors),
                                                       w=QLocale().toString(warnings)) + ")."
        self.topology_summary.setText(text)
        self._show_findings_layer(layer)
        self.dock.push(text, Qgis.Warning if errors else (Qgis.Info if warnings else Qgis.Success))

    def _show_findings_layer(self, layer: QgsVectorLayer) -> None:
        project = QgsProject.instance()
        old = project.mapLayer(self.layer_ids.pop("topology", ""))
        if old is not None:
            project.removeMapLayer(old.id())
        cats = [QgsRendererCategory(sev, QgsMarkerSymbol.createSimple(
            {"name": "triangle", "size": "3.4", "color": colour.name(), "outline_color": "black"}), sev)
            for sev, colour in SEVERITY_COLOURS.items()]
        layer.setRenderer(QgsCategorizedSymbolRenderer("severity", cats))
        root = project.layerTreeRoot()
        group = root.findGroup(GROUP_NAME) or root.insertGroup(0, GROUP_NAME)
        project.addMapLayer(layer, False)
        group.addLayer(layer)
        self.layer_ids["topology"] = layer.id()

    def _fill_findings(self) -> None:
        self.topology_table.setRowCount(len(self.findings))
        for r, f in enumerate(self.findings):
            where = " / ".join(v for v in (f["seg_id"], f["other_id"]) if v) or f["point_id"]
            cells = [{"error": self.tr("error"), "warning": self.tr("warning")}.get(f["severity"], f["severity"]),
                     self.reason_text(f["reason"]), f["category"], where, f["message"]]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 0 and f["severity"] in SEVERITY_COLOURS:
                    item.setForeground(SEVERITY_COLOURS[f["severity"]])
                if c == 4:
                    item.setToolTip(text)
                self.topology_table.setItem(r, c, item)
        self.topology_table.resizeColumnsToContents()

    def zoom_to_finding(self, row: int) -> None:
        """Centre the map on a finding and flash it and the segments it names."""
        if not 0 <= row < len(self.findings):
            return
        f = self.findings[row]
        geoms = [f["geometry"]] if f["geometry"] is not None else []
        pipes = self.dock.map_layer("pipe_segment")
        ids = [v for v in (f["seg_id"], f["other_id"]) if v]
        if pipes is not None and ids:
            quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in ids)
            request = QgsFeatureRequest().setFilterExpression(f'"seg_id" IN ({quoted})')
            found = [QgsGeometry(p.geometry()) for p in pipes.getFeatures(request) if p.hasGeometry()]
            if pipes.crs() != self.findings_crs and pipes.crs().isValid():
                xform = QgsCoordinateTransform(pipes.crs(), self.findings_crs, QgsProject.instance())
                for g in found:
                    g.transform(xform)
            geoms += found
        self.dock.zoom_and_flash(geoms, self.findings_crs, min_size=40.0)

    # --- unload ----------------------------------------------------------------------------------------
    def cleanup(self) -> None:
        """Stop reading the networks (plugin unload); the result layers stay in the project."""
        self.pending.clear()
        self._drop_task()
