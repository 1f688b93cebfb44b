"""``pipemap:topologycheck`` -- topology and data-quality findings of the map's networks."""

from __future__ import annotations

from typing import Any

import numpy as np
from qgis.core import (
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterNumber,
    QgsWkbTypes,
)

from ...core import codes
from ...core.network.topology import FIELDS, check_topology
from ..base import FeedbackProgress, PipeMapAlgorithm, add_feature, finish_sink
from . import network_common as nc

CATEGORY_CODES: tuple[str, ...] = tuple(c.code for c in codes.CATEGORIES)


class TopologyCheckAlgorithm(PipeMapAlgorithm):
    NAME = "topologycheck"
    GROUP_ID = "network"

    CATEGORIES = "CATEGORIES"
    Z_TOLERANCE = "Z_TOLERANCE"
    OUTPUT = "OUTPUT"
    OUTPUT_LINES = "OUTPUT_LINES"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Network topology check")

    def initAlgorithm(self, config: Any = None) -> None:  # noqa: N802
        nc.add_map_parameters(self)
        self.addParameter(QgsProcessingParameterEnum(
            self.CATEGORIES, self.tr("Categories (none: every category in the map)"),
            [f"{c.code} {c.name_en} {c.name_zh}" for c in codes.CATEGORIES], allowMultiple=True, optional=True))
        nc.add_tolerance_parameters(self)
        self.addParameter(QgsProcessingParameterNumber(
            self.Z_TOLERANCE, self.tr("Same depth: crossing centrelines closer than the radii plus this (m)"),
            QgsProcessingParameterNumber.Double, defaultValue=0.1, minValue=0.0))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Topology findings"), QgsProcessing.TypeVectorPoint))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_LINES, self.tr("Segments named by the findings"), QgsProcessing.TypeVectorLine,
            optional=True, createByDefault=False))
        for name, label in (("ERRORS", self.tr("Errors")), ("WARNINGS", self.tr("Warnings")),
                            ("FINDINGS", self.tr("Findings"))):
            self.addOutput(QgsProcessingOutputNumber(name, label))

    def execute(self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: Any) -> dict[str, Any]:
        source, crs = nc.map_and_crs(self, parameters, context)
        chosen = self.parameterAsEnums(parameters, self.CATEGORIES, context) \
            if parameters.get(self.CATEGORIES) not in (None, "", []) else []
        cats = [CATEGORY_CODES[i] for i in chosen] if chosen else None
        graphs = nc.load(self, parameters, context, feedback, cats, source=source)
        if not graphs:
            feedback.reportError(self.tr("The map has no segments of the chosen categories: nothing was checked."),
                                 False)
        z_tol = self.parameterAsDouble(parameters, self.Z_TOLERANCE, context)
        findings = check_topology(graphs, z_tol, FeedbackProgress(feedback, 30, 60))
        fields = QgsFields()
        for name in FIELDS:
            if name in ("x", "y"):
                continue
            fields.append(QgsField(name, nc.D if name == "value" else nc.S))
        sink, sink_id = self.parameterAsSink(parameters, self.OUTPUT, context, fields, QgsWkbTypes.Point, crs)
        if sink is None:
            raise QgsProcessingException(self.tr("Could not create the output layer."))
        named: dict[tuple[str, str], list[str]] = {}
        for rec in findings.records():
            feat = QgsFeature(fields)
            feat.setAttributes([None if (k == "value" and not np.isfinite(rec[k])) else rec[k]
                                for k in FIELDS if k not in ("x", "y")])
            feat.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(rec["x"], rec["y"])))
            add_feature(sink, feat, self.tr("a finding"))
            for key in ("seg_id", "other_id"):
                if rec[key]:
                    named.setdefault((rec["category"], rec[key]), []).append(rec["reason"])
        finish_sink(sink)
        result: dict[str, Any] = {self.OUTPUT: sink_id}
        if parameters.get(self.OUTPUT_LINES):
            by_cat: dict[str, list[int]] = {}
            for cat, seg in named:
                e = graphs[cat].edge_of(seg)
                if e is not None:
                    by_cat.setdefault(cat, []).append(e)
            line_fields = nc.segment_fields((("reasons", nc.S),))
            lsink, lsink_id = self.parameterAsSink(parameters, self.OUTPUT_LINES, context, line_fields,
                                                   QgsWkbTypes.LineStringZ, crs)
            if lsink is not None:
                for cat, edges in sorted(by_cat.items()):
                    g = graphs[cat]
                    for e in sorted(set(edges)):
                        feat = QgsFeature(line_fields)
                        reasons = ", ".join(sorted(set(named[(cat, str(g.seg_ids[e]))])))
                        feat.setAttributes([str(g.seg_ids[e]), cat, float(g.length_m[e]),
                                            float(g.dn_mm[e]) if np.isfinite(g.dn_mm[e]) else None, str(g.road[e]),
                                            reasons])
                        feat.setGeometry(nc.line_geometry(g, e))
                        add_feature(lsink, feat, self.tr("a segment"))
                finish_sink(lsink)
                result[self.OUTPUT_LINES] = lsink_id
        sev = findings.by_severity()
        result.update({"ERRORS": sev.get("error", 0), "WARNINGS": sev.get("warning", 0), "FINDINGS": len(findings)})
        counts = ", ".join(f"{k} {v}" for k, v in findings.counts().items() if v) or self.tr("none")
        feedback.pushInfo(self.tr("{n} findings ({e} errors, {w} warnings): {counts}.").format(
            n=len(findings), e=result["ERRORS"], w=result["WARNINGS"], counts=counts))
        return result
