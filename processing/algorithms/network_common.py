"""Shared parts of the network algorithms (``topologycheck``, ``trace``, ``isolate``): the map and
tolerance parameters, loading the graphs, and writing segments and nodes of a graph to sinks.

``MAP`` is a GeoPackage map or a PostGIS map (``service=NAME schema=NAME``, or a QGIS data-source URI
with ``schema=``; a QGIS authentication config is expanded here, as the checks do): the graphs are the
same either way (:func:`core.network.graph.read_map`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsLineString,
    QgsPoint,
    QgsPointXY,
    QgsProcessingException,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QCoreApplication, QVariant

from ...core.checks.pipes import require_projected
from ...core.network import graph as core_graph
from ...core.pg.connect import PgMap
from ..base import FeedbackProgress, add_feature, finish_sink
from ..pgmap import MapParameter, is_postgis_map, parse, resolve
from .build_3d import map_crs

MAP = "MAP"
TOLERANCE = "TOLERANCE"
SEARCH_DISTANCE = "SEARCH_DISTANCE"
CLOSED_VALVES = "CLOSED_VALVES"

#: node types a trace can stop at (STOP_AT enum, stable order): every type but the plain junction
STOP_KINDS: tuple[str, ...] = core_graph.KIND_NAMES[1:]

S, D, INT = QVariant.String, QVariant.Double, QVariant.Int


def tr(text: str) -> str:
    return QCoreApplication.translate("PipeMapNetwork", text)


def add_map_parameters(alg: Any) -> None:
    # a GeoPackage file or a PostGIS map string (service=NAME schema=NAME, or a QGIS data-source URI)
    alg.addParameter(MapParameter(
        MAP, tr("Integrated map (GeoPackage or PostGIS map)"), QgsProcessingParameterFile.File,
        fileFilter="GeoPackage (*.gpkg)"))


def add_tolerance_parameters(alg: Any, search: bool = False) -> None:
    alg.addParameter(QgsProcessingParameterNumber(
        TOLERANCE, tr("Snapping tolerance: segment ends and points closer than this are one node (m)"),
        QgsProcessingParameterNumber.Double, defaultValue=0.01, minValue=0.0, maxValue=10.0))
    if search:
        alg.addParameter(QgsProcessingParameterNumber(
            SEARCH_DISTANCE, tr("Search distance from the point to the nearest pipe (m)"),
            QgsProcessingParameterNumber.Double, defaultValue=50.0, minValue=0.0))


def map_source(alg: Any, parameters: dict[str, Any], context: Any) -> str | PgMap:
    """The map ``MAP`` names: a GeoPackage path, or a PostGIS map (its QGIS authentication config, if any,
    expanded: never logged nor returned as an output)."""
    raw = parameters.get(MAP)
    if isinstance(raw, str) and is_postgis_map(raw):
        return resolve(parse(raw))
    path = alg.parameterAsFile(parameters, MAP, context)
    if not path:
        raise QgsProcessingException(tr("Give the integrated map (MAP)."))
    return path


def crs_of(source: str | PgMap) -> QgsCoordinateReferenceSystem:
    """The CRS a map records in its metadata (a GeoPackage's or a PostGIS map's)."""
    if not isinstance(source, PgMap):
        return map_crs(source)
    from ...core.pg import mapdb

    meta = mapdb.read_metadata(source)
    crs = QgsCoordinateReferenceSystem(meta.get("crs_authid") or "")
    if not crs.isValid():
        crs = QgsCoordinateReferenceSystem.fromWkt(meta.get("crs_wkt", ""))
    return crs


def map_name(source: str | PgMap) -> str:
    """The map for people: a GeoPackage's file name, a PostGIS map's string without its password."""
    return source.display() if isinstance(source, PgMap) else Path(source).name


def map_and_crs(alg: Any, parameters: dict[str, Any], context: Any) -> tuple[str | PgMap, QgsCoordinateReferenceSystem]:
    """The map (a GeoPackage path or a :class:`PgMap`) and its CRS (which must be in metres). A PostGIS map
    that cannot be reached or is not a map stops here, with a message naming it without its password."""
    source = map_source(alg, parameters, context)
    crs = crs_of(source)
    if crs.isValid():
        require_projected(crs.authid() or crs.toWkt(QgsCoordinateReferenceSystem.WKT1_GDAL))
    return source, crs


def load(alg: Any, parameters: dict[str, Any], context: Any, feedback: Any, categories: Iterable[str] | None,
         start: float = 0.0, span: float = 30.0, source: str | PgMap | None = None) -> dict[str, core_graph.Graph]:
    """The graphs of the map (``source`` from :func:`map_and_crs`, else read from ``MAP``)."""
    if source is None:
        source = map_source(alg, parameters, context)
    tol = alg.parameterAsDouble(parameters, TOLERANCE, context)
    if isinstance(source, PgMap):
        feedback.pushInfo(tr("Reading the networks of the PostGIS map {map}.").format(map=source.display()))
    graphs = core_graph.load_graphs(source, categories, tol, progress=FeedbackProgress(feedback, start, span))
    feedback.pushInfo(tr("Networks read: {what}.").format(what=", ".join(
        f"{c} {g.n_edges} segments / {g.n_nodes} nodes" for c, g in graphs.items()) or tr("none")))
    return graphs


def segment_fields(extra: Sequence[tuple[str, Any]] = ()) -> QgsFields:
    fields = QgsFields()
    for name, kind in (("seg_id", S), ("category", S), ("length_m", D), ("dn_mm", D), ("road", S), *extra):
        fields.append(QgsField(name, kind))
    return fields


def node_fields(extra: Sequence[tuple[str, Any]] = ()) -> QgsFields:
    fields = QgsFields()
    for name, kind in (("node", INT), ("point_id", S), ("category", S), ("kind", S), ("degree", INT), ("road", S),
                       *extra):
        fields.append(QgsField(name, kind))
    return fields


def _number(v: float) -> float | None:
    return float(v) if np.isfinite(v) else None


def line_geometry(g: core_graph.Graph, e: int) -> QgsGeometry:
    c = g.coords(e)
    z = np.where(np.isfinite(c[:, 2]), c[:, 2], 0.0)
    return QgsGeometry(QgsLineString([QgsPoint(float(x), float(y), float(zz)) for (x, y, _), zz in zip(c, z)]))


def write_segments(alg: Any, parameters: dict[str, Any], context: Any, name: str, g: core_graph.Graph | None,
                   edges: np.ndarray, crs: QgsCoordinateReferenceSystem, extra: Sequence[tuple[str, Any]] = (),
                   values: Any = None, feedback: Any = None) -> str | None:
    """A LineStringZ sink with one feature per edge (``values(e)`` gives the ``extra`` columns)."""
    fields = segment_fields(extra)
    sink, sink_id = alg.parameterAsSink(parameters, name, context, fields, QgsWkbTypes.LineStringZ, crs)
    if sink is None:
        return None
    if g is not None:
        for k, e in enumerate(np.asarray(edges, dtype=np.int64).tolist()):
            if feedback is not None and k % 5000 == 0 and feedback.isCanceled():
                break
            feat = QgsFeature(fields)
            feat.setAttributes([str(g.seg_ids[e]), g.category, float(g.length_m[e]), _number(g.dn_mm[e]),
                                str(g.road[e]), *(values(e) if values else [])])
            feat.setGeometry(line_geometry(g, e))
            add_feature(sink, feat, tr("a segment"))
    finish_sink(sink)
    return sink_id


def write_nodes(alg: Any, parameters: dict[str, Any], context: Any, name: str, g: core_graph.Graph | None,
                nodes: np.ndarray, crs: QgsCoordinateReferenceSystem, extra: Sequence[tuple[str, Any]] = (),
                values: Any = None, feedback: Any = None) -> str | None:
    """A point sink with one feature per node (``values(n)`` gives the ``extra`` columns)."""
    fields = node_fields(extra)
    sink, sink_id = alg.parameterAsSink(parameters, name, context, fields, QgsWkbTypes.Point, crs)
    if sink is None:
        return None
    if g is not None:
        deg = g.degree
        for k, n in enumerate(np.asarray(nodes, dtype=np.int64).tolist()):
            if feedback is not None and k % 5000 == 0 and feedback.isCanceled():
                break
            feat = QgsFeature(fields)
            feat.setAttributes([int(n), str(g.point_id[n]), g.category, core_graph.KIND_NAMES[int(g.kind[n])],
                                int(deg[n]), str(g.node_road[n]), *(values(n) if values else [])])
            feat.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(float(g.xy[n, 0]), float(g.xy[n, 1]))))
            add_feature(sink, feat, tr("a node"))
    finish_sink(sink)
    return sink_id


def ids_parameter(alg: Any, parameters: dict[str, Any], name: str, context: Any) -> list[str]:
    from ...core.network.isolate import parse_ids

    text = alg.parameterAsString(parameters, name, context) if parameters.get(name) else ""
    return parse_ids(text)
