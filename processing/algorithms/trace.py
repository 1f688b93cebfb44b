"""``pipemap:trace`` -- upstream, downstream or connected trace from a point or an id."""

from __future__ import annotations

from typing import Any

import numpy as np
from qgis.core import (
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterPoint,
    QgsProcessingParameterString,
)

from ...core import codes
from ...core.network import graph as core_graph
from ...core.network.trace import DIRECTIONS, trace
from ..base import PipeMapAlgorithm
from . import network_common as nc

CATEGORY_CHOICES: tuple[str, ...] = ("",) + tuple(c.code for c in codes.CATEGORIES)


class TraceAlgorithm(PipeMapAlgorithm):
    NAME = "trace"
    GROUP_ID = "network"

    START = "START"
    START_ID = "START_ID"
    CATEGORY = "CATEGORY"
    DIRECTION = "DIRECTION"
    STOP_AT = "STOP_AT"
    OUTPUT_SEGMENTS = "OUTPUT_SEGMENTS"
    OUTPUT_NODES = "OUTPUT_NODES"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Network trace (upstream, downstream, connected)")

    def initAlgorithm(self, config: Any = None) -> None:  # noqa: N802
        nc.add_map_parameters(self)
        self.addParameter(QgsProcessingParameterPoint(
            self.START, self.tr("Start point (the nearest pipe)"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.START_ID, self.tr("Start segment id or point number (instead of START)"), optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.CATEGORY, self.tr("Category"),
            [self.tr("auto (the nearest pipe)")] + [f"{c.code} {c.name_en} {c.name_zh}" for c in codes.CATEGORIES],
            defaultValue=0))
        self.addParameter(QgsProcessingParameterEnum(
            self.DIRECTION, self.tr("Direction"), [self.tr("upstream"), self.tr("downstream"), self.tr("connected")],
            defaultValue=2))
        self.addParameter(QgsProcessingParameterEnum(
            self.STOP_AT, self.tr("Stop at node types"), list(nc.STOP_KINDS), allowMultiple=True, optional=True))
        self.addParameter(QgsProcessingParameterString(
            nc.CLOSED_VALVES, self.tr("Closed valves (point numbers, comma-separated)"), optional=True))
        nc.add_tolerance_parameters(self, search=True)
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_SEGMENTS, self.tr("Traced segments"), QgsProcessing.TypeVectorLine))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_NODES, self.tr("Traced nodes"), QgsProcessing.TypeVectorPoint))
        for name, label in (("SEGMENTS", self.tr("Segments traced")), ("NODES", self.tr("Nodes reached")),
                            ("STOPS", self.tr("Stops")), ("LENGTH_M", self.tr("Length traced (m)"))):
            self.addOutput(QgsProcessingOutputNumber(name, label))
        self.addOutput(QgsProcessingOutputString("CATEGORY_USED", self.tr("Category traced")))

    def execute(self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: Any) -> dict[str, Any]:
        source, crs = nc.map_and_crs(self, parameters, context)
        cat = CATEGORY_CHOICES[self.parameterAsEnum(parameters, self.CATEGORY, context)]
        start_id = (self.parameterAsString(parameters, self.START_ID, context) or "").strip() \
            if parameters.get(self.START_ID) else ""
        has_point = parameters.get(self.START) not in (None, "")
        if not start_id and not has_point:
            raise QgsProcessingException(self.tr("Give a START point or a START_ID (segment id or point number)."))
        graphs = nc.load(self, parameters, context, feedback, [cat] if cat else None, source=source)
        edge = node = None
        graph = None
        if start_id:
            for g in graphs.values():
                e = g.edge_of(start_id)
                n = g.node_of(start_id) if e is None else None
                if e is not None or n is not None:
                    graph, edge, node = g, e, n
                    break
            if graph is None:
                raise QgsProcessingException(self.tr("No segment or point {id} in the {what} network(s).").format(
                    id=start_id, what=cat or self.tr("map's")))
        else:
            pt = self.parameterAsPoint(parameters, self.START, context, crs)
            dist = self.parameterAsDouble(parameters, nc.SEARCH_DISTANCE, context)
            best = None
            for g in graphs.values():
                hit = g.nearest_edge(pt.x(), pt.y(), dist or None)
                if hit is not None and (best is None or hit[1] < best[1][1]):
                    best = (g, hit)
            if best is None:
                raise QgsProcessingException(self.tr("No {what} pipe lies within {d} m of the START point.").format(
                    what=cat or self.tr("map"), d=dist))
            graph, (edge, d, _) = best[0], best[1]
            feedback.pushInfo(self.tr("Start: segment {seg} ({cat}), {d:.2f} m from the point.").format(
                seg=graph.seg_ids[edge], cat=graph.category, d=d))
        direction = DIRECTIONS[self.parameterAsEnum(parameters, self.DIRECTION, context)]
        chosen = self.parameterAsEnums(parameters, self.STOP_AT, context) \
            if parameters.get(self.STOP_AT) not in (None, "", []) else []
        stop = core_graph.kinds_from_names(nc.STOP_KINDS[i] for i in chosen)
        closed_ids = nc.ids_parameter(self, parameters, nc.CLOSED_VALVES, context)
        closed, missing = graph.nodes_of(closed_ids)
        if missing:
            feedback.reportError(self.tr("CLOSED_VALVES: {ids} are on no node of the {cat} network; ignored.").format(
                ids=", ".join(missing), cat=graph.category), False)
        result = trace(graph, edge=edge, node=node, direction=direction, stop_kinds=stop, closed=closed)
        if direction != "connected":
            feedback.pushInfo(self.tr("Flow direction from: {basis}.").format(basis=result.flow_basis))
        flow, _ = graph.flow(closed if not graph.gravity else None) if direction != "connected" else (None, "")
        stops = np.zeros(graph.n_nodes, dtype=bool)
        stops[result.stops] = True
        seg_id = nc.write_segments(
            self, parameters, context, self.OUTPUT_SEGMENTS, graph, result.edges, crs, (("flow", nc.INT),),
            (lambda e: [int(flow[e])]) if flow is not None else (lambda e: [None]), feedback)
        node_id = nc.write_nodes(self, parameters, context, self.OUTPUT_NODES, graph, result.nodes, crs,
                                 (("stop", nc.INT),), lambda n: [int(stops[n])], feedback)
        length = result.length_m(graph)
        feedback.pushInfo(self.tr("{n} segments ({m:.1f} m) and {k} nodes traced; {s} stops.").format(
            n=len(result.edges), m=length, k=len(result.nodes), s=len(result.stops)))
        return {self.OUTPUT_SEGMENTS: seg_id, self.OUTPUT_NODES: node_id, "SEGMENTS": len(result.edges),
                "NODES": len(result.nodes), "STOPS": len(result.stops), "LENGTH_M": length,
                "CATEGORY_USED": graph.category}
