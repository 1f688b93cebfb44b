"""``pipemap:gprreconcile`` -- compare GPR picks with the integrated map."""

from __future__ import annotations

from typing import Any

import numpy as np
from qgis.core import (
    QgsCoordinateTransform,
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterRasterLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ...core import mapread
from ...core.gpr import reconcile
from ...core.raster import DemSampler
from ..base import PipeMapAlgorithm, add_feature, finish_sink
from .build_3d import map_crs

FINDING_FIELDS = (("kind", QVariant.String), ("pipe_id", QVariant.String), ("category", QVariant.String),
                  ("owner", QVariant.String), ("pick_id", QVariant.String), ("map_depth_m", QVariant.Double),
                  ("measured_depth_m", QVariant.Double), ("difference_m", QVariant.Double),
                  ("plan_offset_m", QVariant.Double), ("limit_plan_m", QVariant.Double),
                  ("limit_depth_m", QVariant.Double), ("distance_m", QVariant.Double), ("hint", QVariant.String))


class GprReconcileAlgorithm(PipeMapAlgorithm):
    NAME = "gprreconcile"
    GROUP_ID = "gpr"

    PICKS = "PICKS"
    LINE = "LINE"
    MAP = "MAP"
    GROUND = "GROUND"
    OUTPUT = "OUTPUT"
    REPORT = "REPORT"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Reconcile GPR picks with the map")

    def initAlgorithm(self, config: Any = None) -> None:  # noqa: N802
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.PICKS, self.tr("Picks (from gprpick)"), [QgsProcessing.TypeVectorPoint]))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.LINE, self.tr("Survey line (from gprimport, or drawn)"), [QgsProcessing.TypeVectorLine]))
        self.addParameter(QgsProcessingParameterFile(
            self.MAP, self.tr("Integrated map (GeoPackage)"), QgsProcessingParameterFile.File,
            fileFilter="GeoPackage (*.gpkg)"))
        self.addParameter(QgsProcessingParameterRasterLayer(self.GROUND, self.tr("Ground DEM"), optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Discrepancies"), QgsProcessing.TypeVectorPoint))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.REPORT, self.tr("Reconciliation report (HTML)"), self.tr("HTML files (*.html)"), optional=True))
        for name, label in (("CONFIRMED", self.tr("Confirmed")), ("DEPTH_MISMATCH", self.tr("Depth mismatches")),
                            ("NOT_DETECTED", self.tr("Not detected")), ("UNMAPPED", self.tr("Unmapped anomalies"))):
            self.addOutput(QgsProcessingOutputNumber(name, label))

    def execute(self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: Any) -> dict[str, Any]:
        map_path = self.parameterAsFile(parameters, self.MAP, context)
        crs = map_crs(map_path)
        line_src = self.parameterAsSource(parameters, self.LINE, context)
        picks_src = self.parameterAsSource(parameters, self.PICKS, context)
        to_map_line = QgsCoordinateTransform(line_src.sourceCrs(), crs, context.transformContext())
        to_map_picks = QgsCoordinateTransform(picks_src.sourceCrs(), crs, context.transformContext())
        survey_xy = None
        for feat in line_src.getFeatures():
            if feat.hasGeometry():
                geom = QgsGeometry(feat.geometry())
                geom.transform(to_map_line)
                part = geom.constGet().geometryN(0) if geom.isMultipart() else geom.constGet()
                survey_xy = np.array([(v.x(), v.y()) for v in part.vertices()], dtype=float)
                break
        if survey_xy is None or len(survey_xy) < 2:
            raise QgsProcessingException(self.tr("The survey line layer has no georeferenced line."))
        picks = []
        names = picks_src.fields().names()
        for n, feat in enumerate(picks_src.getFeatures()):
            if not feat.hasGeometry():
                continue
            geom = QgsGeometry(feat.geometry())
            geom.transform(to_map_picks)
            pt = geom.asPoint()
            depth = feat["depth_m"] if "depth_m" in names else None
            if depth is None:
                continue
            picks.append(reconcile.PickRecord(
                str(feat["pick_id"]) if "pick_id" in names and feat["pick_id"] else f"pick {n + 1}",
                pt.x(), pt.y(), float(depth), int(feat["polarity"] or 0) if "polarity" in names else 0,
                float(feat["confidence"] or 0) if "confidence" in names else 1.0,
                float(feat["distance_m"]) if "distance_m" in names and feat["distance_m"] is not None else None))
        dem_layer = self.parameterAsRasterLayer(parameters, self.GROUND, context)
        ground = None
        if dem_layer is not None:
            if dem_layer.crs() != crs:
                raise QgsProcessingException(self.tr("The DEM must be in the map's CRS."))
            ground = DemSampler(dem_layer.source())
        pipes = mapread.read_segments(map_path)
        points = mapread.read_points(map_path)
        node_ground = {pid: float(z) for pid, z in zip(points.ids, points.xyz[:, 2]) if np.isfinite(z)}
        rec = reconcile.reconcile(survey_xy, picks, pipes, ground=ground, node_ground=node_ground)
        fields = QgsFields()
        for name, kind in FINDING_FIELDS:
            fields.append(QgsField(name, kind))
        sink, sink_id = self.parameterAsSink(parameters, self.OUTPUT, context, fields, QgsWkbTypes.Point, crs)
        for f in rec.findings:
            feat = QgsFeature(fields)
            feat.setAttributes([getattr(f, name) for name, _ in FINDING_FIELDS])
            feat.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(f.x, f.y)))
            add_feature(sink, feat, f"the finding for {f.pipe_id or f.pick_id}")
        finish_sink(sink)
        counts = rec.counts()
        feedback.pushInfo(self.tr("{crossings} mapped pipes crossed; {confirmed} confirmed, {mismatch} depth "
                                  "mismatches, {missing} not detected, {unmapped} unmapped anomalies.").format(
            crossings=rec.crossings, confirmed=counts["confirmed"], mismatch=counts["depth_mismatch"],
            missing=counts["not_detected"], unmapped=counts["unmapped"]))
        result: dict[str, Any] = {self.OUTPUT: sink_id, "CONFIRMED": counts["confirmed"],
                                  "DEPTH_MISMATCH": counts["depth_mismatch"], "NOT_DETECTED": counts["not_detected"],
                                  "UNMAPPED": counts["unmapped"]}
        report = self.parameterAsFileOutput(parameters, self.REPORT, context)
        if report:
            survey_name = str(parameters.get(self.PICKS, ""))
            result[self.REPORT] = str(reconcile.write_report(rec, survey_name, map_path, report))
        return result
