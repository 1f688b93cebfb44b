"""The one-page response sheet of an isolation as a PDF (``pipemap:isolate`` ``SHEET``).

Laid out with the print-layout helpers of :mod:`.report` (labels, a text table, a map item with a
scale bar); the words come from :mod:`..core.network.sheet`. The map shows the pipes of the network
concerned, the isolated segments (wide blue), the segments losing supply (wide yellow), the operations
numbered in order of travel, the failure (a cross) and, for gas, the hazard circle (dashed red). Every
layer is made in the calling thread.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsLineSymbol,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsPointXY,
    QgsRectangle,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtCore import QVariant

from ..core.network.graph import Graph
from ..core.network.isolate import IsolationResult
from ..core.network.sheet import SheetContent
from ..core.version import __version__
from . import report

#: most highlighted segments drawn per layer (a huge cut-off would only slow the map down)
MAX_DRAWN = 20000
#: colours no CJJ 61 category uses, drawn wide under the pipes
ISOLATED_COLOUR = "30,30,210,150"
CUT_OFF_COLOUR = "255,205,0,190"


def _lines_layer(graph: Graph, edges: np.ndarray, crs: QgsCoordinateReferenceSystem, colour: str,
                 name: str) -> QgsVectorLayer:
    layer = QgsVectorLayer("LineString", name, "memory")
    layer.setCrs(crs)
    feats = []
    for e in np.asarray(edges, dtype=np.int64)[:MAX_DRAWN].tolist():
        f = QgsFeature()
        c = graph.coords(e)
        f.setGeometry(QgsGeometry.fromPolylineXY([QgsPointXY(float(x), float(y)) for x, y in c[:, :2]]))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    layer.setRenderer(QgsSingleSymbolRenderer(QgsLineSymbol.createSimple(
        {"line_color": colour, "line_width": "2.2", "capstyle": "round"})))
    return layer


def _operations_layer(result: IsolationResult, crs: QgsCoordinateReferenceSystem) -> QgsVectorLayer:
    layer = QgsVectorLayer("Point", "operations", "memory")
    layer.setCrs(crs)
    layer.dataProvider().addAttributes([QgsField("label", QVariant.String)])
    layer.updateFields()
    feats = []
    for o in result.operations:
        f = QgsFeature(layer.fields())
        f.setAttributes([str(o.order) if o.order else "\u2713"])
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(o.x, o.y)))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    layer.setRenderer(QgsSingleSymbolRenderer(QgsMarkerSymbol.createSimple(
        {"name": "circle", "color": "#ffffff", "outline_color": "#08306b", "outline_width": "0.5", "size": "3.6"})))
    settings = QgsPalLayerSettings()
    settings.fieldName = "label"
    settings.placement = QgsPalLayerSettings.OverPoint
    settings.setFormat(report._label_format(6.5))
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)
    return layer


def _failure_layer(result: IsolationResult, crs: QgsCoordinateReferenceSystem) -> QgsVectorLayer:
    layer = QgsVectorLayer("Point", "failure", "memory")
    layer.setCrs(crs)
    f = QgsFeature()
    f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(result.px, result.py)))
    layer.dataProvider().addFeatures([f])
    layer.setRenderer(QgsSingleSymbolRenderer(QgsMarkerSymbol.createSimple(
        {"name": "cross2", "color": "#000000", "outline_color": "#000000", "outline_width": "0.8", "size": "5"})))
    return layer


def sheet_extent(graph: Graph, result: IsolationResult, hazard: QgsGeometry | None,
                 aspect: float = 1.6) -> QgsRectangle:
    """The isolated segments, the operations, the failure and the hazard zone, with a margin."""
    xs = [result.px] + [o.x for o in result.operations]
    ys = [result.py] + [o.y for o in result.operations]
    edges = result.isolated_edges
    if len(edges):
        nodes = np.concatenate([graph.u[edges], graph.v[edges]])
        xs += [float(graph.xy[nodes, 0].min()), float(graph.xy[nodes, 0].max())]
        ys += [float(graph.xy[nodes, 1].min()), float(graph.xy[nodes, 1].max())]
    box = QgsRectangle(min(xs), min(ys), max(xs), max(ys))
    if hazard is not None:
        box.combineExtentWith(hazard.boundingBox())
    return report.grown(box, 0.12, 25.0, aspect=aspect)


def response_sheet_pdf(path: str | os.PathLike[str], content: SheetContent, graph: Graph, result: IsolationResult,
                       map_path: str | QgsVectorLayer, crs: QgsCoordinateReferenceSystem,
                       hazard: QgsGeometry | None = None, footer: Sequence[str] = ()) -> Path:
    """Write the sheet (one A4 page) to ``path`` through a temporary file beside it.

    :param map_path: the GeoPackage map, or its pipe_segment layer (a PostGIS map's, through the postgres
        provider).
    """
    flow = report._Flow(content.title)
    flow.text(content.title, size=13, bold=True, gap=2)
    flow.text("\n".join(f"{k}: {v}" for k, v in content.facts), size=8, gap=3)
    flow.text(content.table_title, size=9.5, bold=True, gap=1)
    if content.rows:
        flow.table(content.header, content.rows, size=7)
    if content.more_text:
        flow.text(content.more_text, size=7.5, colour="#555555")
    layers = []
    if hazard is not None:
        layers += report.highlight_layers(hazard, crs, dashed=True)
    pipes = map_path if isinstance(map_path, QgsVectorLayer) else report.map_pipes_layer(map_path)
    pipes.setSubsetString(f"category = '{graph.category}'")  # the network concerned only
    layers += [_failure_layer(result, crs), _operations_layer(result, crs), pipes,
               _lines_layer(graph, result.isolated_edges, crs, ISOLATED_COLOUR, "isolated"),
               _lines_layer(graph, result.cut_off_edges, crs, CUT_OFF_COLOUR, "cut off")]
    notes_h = 6.0 + 3.6 * len(content.notes)
    room = report.BOTTOM - flow.y - 9.0 - notes_h - 10.0
    height = float(max(45.0, min(150.0, room)))
    extent = sheet_extent(graph, result, hazard, report.CONTENT_W / height)
    flow.map(report.MapShot(content.caption, extent, layers, crs), height=height)
    if content.notes:
        flow.text("\n".join(content.notes), size=7.5, colour="#7f2704", gap=2)
    flow.text(content.signature, size=8.5, gap=1)
    flow.footer(f"PipeMap {__version__}" + ("".join(f" \u2014 {t}" for t in footer) if footer else ""))
    return flow.export(path)

