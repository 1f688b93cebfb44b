"""``pipemap:isolate`` -- which valves to close for a burst main or a gas leak, what loses supply, and a
one-page response sheet."""

from __future__ import annotations

import datetime
from typing import Any

import numpy as np
from qgis.core import (
    QgsCoordinateTransform,
    QgsCsException,
    QgsFeature,
    QgsFeatureRequest,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeatureSource,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterPoint,
    QgsProcessingParameterString,
    QgsWkbTypes,
)

from ...core.network import isolate as core_isolate
from ...core.network.graph import PRESSURE
from ...core.network.sheet import sheet_content
from ...core.pg.connect import PgMap
from ..base import PipeMapAlgorithm, add_feature, error_text, finish_sink, user_locale
from . import network_common as nc

#: CATEGORY enum, stable order ("" = the nearest pressure pipe)
CATEGORY_CHOICES: tuple[str, ...] = ("", "JS", "RQ", "RL", "GY")
VALVE_COLUMNS = (("order", nc.INT), ("point_id", nc.S), ("kind", nc.S), ("action", nc.S), ("road", nc.S),
                 ("x", nc.D), ("y", nc.D), ("leg_m", nc.D), ("cum_m", nc.D), ("route", nc.S))


class IsolateAlgorithm(PipeMapAlgorithm):
    NAME = "isolate"
    GROUP_ID = "network"

    FAILURE = "FAILURE"
    CATEGORY = "CATEGORY"
    FAILED_VALVES = "FAILED_VALVES"
    CUSTOMERS = "CUSTOMERS"
    CUSTOMER_DISTANCE = "CUSTOMER_DISTANCE"
    HAZARD_RADIUS = "HAZARD_RADIUS"
    VALVES = "VALVES"
    SEGMENTS = "SEGMENTS"
    NODES = "NODES"
    CUSTOMERS_AFFECTED = "CUSTOMERS_AFFECTED"
    HAZARD_ZONE = "HAZARD_ZONE"
    SHEET = "SHEET"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Valve isolation (burst main, gas leak)")

    def initAlgorithm(self, config: Any = None) -> None:  # noqa: N802
        nc.add_map_parameters(self)
        self.addParameter(QgsProcessingParameterPoint(self.FAILURE, self.tr("Failure (burst or leak) position")))
        self.addParameter(QgsProcessingParameterEnum(
            self.CATEGORY, self.tr("Network"),
            [self.tr("auto (the nearest pressure pipe)"), self.tr("JS water supply"), self.tr("RQ gas"),
             self.tr("RL heat"), self.tr("GY industrial")], defaultValue=0))
        self.addParameter(QgsProcessingParameterString(
            self.FAILED_VALVES, self.tr("Valves that fail to operate (point numbers, comma-separated)"),
            optional=True))
        self.addParameter(QgsProcessingParameterString(
            nc.CLOSED_VALVES, self.tr("Valves already closed (point numbers, comma-separated)"), optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.CUSTOMERS, self.tr("Customers or buildings (points or polygons)"),
            [QgsProcessing.TypeVectorPoint, QgsProcessing.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.CUSTOMER_DISTANCE, self.tr("A customer is served by the nearest pipe within (m)"),
            QgsProcessingParameterNumber.Double, defaultValue=50.0, minValue=0.0))
        self.addParameter(QgsProcessingParameterNumber(
            self.HAZARD_RADIUS, self.tr("Gas: hazard radius around the leak (m; 0 = none)"),
            QgsProcessingParameterNumber.Double, defaultValue=50.0, minValue=0.0))
        nc.add_tolerance_parameters(self, search=True)
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.VALVES, self.tr("Valves to close (in order of travel)"), QgsProcessing.TypeVectorPoint))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.SEGMENTS, self.tr("Isolated segments and segments losing supply"), QgsProcessing.TypeVectorLine))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.NODES, self.tr("Isolated nodes"), QgsProcessing.TypeVectorPoint))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.CUSTOMERS_AFFECTED, self.tr("Customers affected"), QgsProcessing.TypeVectorAnyGeometry,
            optional=True, createByDefault=False))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.HAZARD_ZONE, self.tr("Hazard zone (gas)"), QgsProcessing.TypeVectorPolygon, optional=True,
            createByDefault=False))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.SHEET, self.tr("Response sheet (PDF, one page)"), self.tr("PDF (*.pdf)"), optional=True,
            createByDefault=False))
        for name, label in (("N_VALVES", self.tr("Valves to close")), ("N_SOURCES", self.tr("Sources to shut off")),
                            ("N_ISOLATED", self.tr("Segments isolated")),
                            ("ISOLATED_M", self.tr("Length isolated (m)")),
                            ("N_CUT_OFF", self.tr("Segments losing supply")),
                            ("CUT_OFF_M", self.tr("Length losing supply (m)")),
                            ("N_HYDRANTS", self.tr("Hydrants out of service")),
                            ("N_CUSTOMERS", self.tr("Customers affected")),
                            ("N_IN_HAZARD", self.tr("Customers or buildings in the hazard zone"))):
            self.addOutput(QgsProcessingOutputNumber(name, label))
        self.addOutput(QgsProcessingOutputString("CATEGORY_USED", self.tr("Network isolated")))
        self.addOutput(QgsProcessingOutputString("FAILED_SEGMENT", self.tr("Failed segment")))

    def execute(self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: Any) -> dict[str, Any]:
        map_path, crs = nc.map_and_crs(self, parameters, context)
        cat = CATEGORY_CHOICES[self.parameterAsEnum(parameters, self.CATEGORY, context)]
        pt = self.parameterAsPoint(parameters, self.FAILURE, context, crs)
        graphs = nc.load(self, parameters, context, feedback, [cat] if cat else sorted(PRESSURE), source=map_path)
        search = self.parameterAsDouble(parameters, nc.SEARCH_DISTANCE, context)
        result = core_isolate.isolate_at(
            graphs, pt.x(), pt.y(), cat or None, nc.ids_parameter(self, parameters, self.FAILED_VALVES, context),
            nc.ids_parameter(self, parameters, nc.CLOSED_VALVES, context), search or None)
        graph = graphs[result.category]
        feedback.setProgress(40)
        hazard_r = self.parameterAsDouble(parameters, self.HAZARD_RADIUS, context) if graph.category == "RQ" else 0.0
        result.hazard_radius_m = hazard_r
        source = self.parameterAsSource(parameters, self.CUSTOMERS, context) if parameters.get(self.CUSTOMERS) \
            else None
        customer_feats: list[QgsFeature] = []
        if source is not None:
            customer_feats, in_map_crs = self._customers(source, crs, context)
            geoms = _shapely(in_map_crs)
            result.customers = core_isolate.customers_affected(
                graph, result, geoms, self.parameterAsDouble(parameters, self.CUSTOMER_DISTANCE, context), hazard_r)
        notes = [error_text(m) for m in result.messages]
        for note in notes:
            feedback.reportError(note, False)
        feedback.setProgress(50)
        out: dict[str, Any] = {}
        out[self.VALVES] = self._valves(parameters, context, result, crs)
        state = {int(e): "isolated" for e in result.isolated_edges}
        state.update({int(e): "cut_off" for e in result.cut_off_edges})
        edges = np.concatenate([result.isolated_edges, result.cut_off_edges])
        out[self.SEGMENTS] = nc.write_segments(self, parameters, context, self.SEGMENTS, graph, edges, crs,
                                               (("state", nc.S),), lambda e: [state[e]], feedback)
        ring = {o.node for o in result.operations}
        nodes = np.concatenate([result.isolated_nodes, result.cut_off_nodes])
        cut_nodes = set(result.cut_off_nodes.tolist())
        out[self.NODES] = nc.write_nodes(
            self, parameters, context, self.NODES, graph, nodes, crs, (("state", nc.S),),
            lambda n: ["ring" if n in ring else "cut_off" if n in cut_nodes else "isolated"], feedback)
        feedback.setProgress(70)
        zone = core_isolate.hazard_zone(result, hazard_r)
        zone_geom = QgsGeometry.fromWkt(zone.wkt) if zone is not None else None
        if parameters.get(self.HAZARD_ZONE):
            out[self.HAZARD_ZONE] = self._hazard(parameters, context, zone_geom, hazard_r, crs)
        if parameters.get(self.CUSTOMERS_AFFECTED):
            out[self.CUSTOMERS_AFFECTED] = self._affected(parameters, context, source, customer_feats, result, crs)
        sheet = self.parameterAsFileOutput(parameters, self.SHEET, context) if parameters.get(self.SHEET) else ""
        if sheet:
            from .. import response_sheet

            content = sheet_content(result, graph, {"map": nc.map_name(map_path),
                                                    "created": datetime.datetime.now().strftime("%Y-%m-%d %H:%M")},
                                    user_locale(), notes=notes)
            try:
                pipes: Any = map_path
                if isinstance(map_path, PgMap):  # its pipes through the postgres provider, as the checks' reports
                    from .check_pg import PgMapText, map_pipes_layer

                    pipes = map_pipes_layer(PgMapText(map_path, crs.postgisSrid()))
                response_sheet.response_sheet_pdf(sheet, content, graph, result, pipes, crs, zone_geom)
            except ValueError:
                if not isinstance(map_path, PgMap):
                    raise
                raise QgsProcessingException(self.tr(
                    "The response sheet cannot draw the pipes of the map {map}.").format(
                        map=nc.map_name(map_path))) from None
            out[self.SHEET] = sheet
        feedback.setProgress(100)
        counts = result.customers.counts() if result.customers is not None else {"affected": 0, "in_hazard": 0}
        n_sources = sum(1 for o in result.operations if o.action == "shut_source")
        out.update({"N_VALVES": result.valves_to_close, "N_SOURCES": n_sources,
                    "N_ISOLATED": len(result.isolated_edges), "ISOLATED_M": result.length_isolated_m(graph),
                    "N_CUT_OFF": len(result.cut_off_edges), "CUT_OFF_M": result.length_cut_off_m(graph),
                    "N_HYDRANTS": len(result.hydrants), "N_CUSTOMERS": counts["affected"],
                    "N_IN_HAZARD": counts["in_hazard"], "CATEGORY_USED": result.category,
                    "FAILED_SEGMENT": result.seg_id})
        feedback.pushInfo(self.tr("Failure on {seg} ({cat}): close {n} valve(s){src}; {iso} segments isolated "
                                  "({m:.0f} m), {cut} more lose supply.").format(
            seg=result.seg_id, cat=result.category, n=result.valves_to_close,
            src=self.tr(", shut {k} source(s)").format(k=n_sources) if n_sources else "",
            iso=len(result.isolated_edges), m=out["ISOLATED_M"], cut=len(result.cut_off_edges)))
        for o in result.to_operate:
            feedback.pushInfo(f"  {o.order}. {o.point_id} {o.action} ({o.x:.2f}, {o.y:.2f}) {o.road} "
                              f"+{o.leg_m:.0f} m")
        return out

    def _customers(self, source: Any, crs: Any, context: Any) -> tuple[list[QgsFeature], list[QgsGeometry]]:
        """The customers as given and their geometries in the map's CRS."""
        xform = QgsCoordinateTransform(source.sourceCrs(), crs, context.transformContext())
        feats, geoms = [], []
        for f in source.getFeatures(QgsFeatureRequest(), QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks):
            g = QgsGeometry(f.geometry())
            if not g.isEmpty() and source.sourceCrs() != crs:
                try:
                    g.transform(xform)
                except QgsCsException:
                    raise QgsProcessingException(self.tr("The customer {fid} cannot be transformed to the map's "
                                                         "CRS.").format(fid=f.id())) from None
            feats.append(QgsFeature(f))
            geoms.append(g)
        return feats, geoms

    def _valves(self, parameters: dict[str, Any], context: Any, result: Any, crs: Any) -> str:
        fields = QgsFields()
        for name, kind in VALVE_COLUMNS:
            fields.append(QgsField(name, kind))
        sink, sink_id = self.parameterAsSink(parameters, self.VALVES, context, fields, QgsWkbTypes.Point, crs)
        if sink is None:
            raise QgsProcessingException(self.tr("Could not create the output layer."))
        for o in result.operations:
            feat = QgsFeature(fields)
            feat.setAttributes([o.order or None, o.point_id, o.kind, o.action, o.road, o.x, o.y,
                                o.leg_m if np.isfinite(o.leg_m) else None, o.cum_m if np.isfinite(o.cum_m) else None,
                                o.route or None])
            feat.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(o.x, o.y)))
            add_feature(sink, feat, self.tr("a valve"))
        finish_sink(sink)
        return sink_id

    def _hazard(self, parameters: dict[str, Any], context: Any, zone: Any, radius: float, crs: Any) -> str | None:
        fields = QgsFields()
        fields.append(QgsField("radius_m", nc.D))
        sink, sink_id = self.parameterAsSink(parameters, self.HAZARD_ZONE, context, fields, QgsWkbTypes.Polygon, crs)
        if sink is None:
            return None
        if zone is not None:
            feat = QgsFeature(fields)
            feat.setAttributes([radius])
            feat.setGeometry(zone)
            add_feature(sink, feat, self.tr("the hazard zone"))
        finish_sink(sink)
        return sink_id

    def _affected(self, parameters: dict[str, Any], context: Any, source: Any, feats: list[QgsFeature],
                  result: Any, crs: Any) -> str | None:
        base = source.fields() if source is not None else QgsFields()
        fields = QgsFields(base)
        names = set(base.names())
        added = []
        for name, kind in (("supply_state", nc.S), ("nearest_seg", nc.S), ("distance_m", nc.D), ("in_hazard", nc.INT)):
            out_name = name
            while out_name in names:
                out_name = "pm_" + out_name
            names.add(out_name)
            fields.append(QgsField(out_name, kind))
            added.append(out_name)
        wkb = source.wkbType() if source is not None else QgsWkbTypes.Point
        sink, sink_id = self.parameterAsSink(parameters, self.CUSTOMERS_AFFECTED, context, fields, wkb,
                                             source.sourceCrs() if source is not None else crs)
        if sink is None:
            return None
        impact = result.customers
        if impact is not None:
            for k, f in enumerate(feats):
                if not (impact.state[k] or impact.in_hazard[k]):
                    continue
                out = QgsFeature(fields)
                d = float(impact.distance_m[k])
                out.setAttributes(list(f.attributes()) + [impact.state[k] or None, impact.seg_id[k] or None,
                                                          d if np.isfinite(d) else None, int(impact.in_hazard[k])])
                out.setGeometry(f.geometry())
                add_feature(sink, out, self.tr("a customer"))
        finish_sink(sink)
        return sink_id


def _shapely(geometries: list[QgsGeometry]) -> np.ndarray:
    import shapely

    out = np.empty(len(geometries), dtype=object)
    for i, g in enumerate(geometries):
        out[i] = None if g is None or g.isEmpty() else shapely.from_wkb(bytes(g.asWkb()))
    return out
