"""``pipemap:gprpick`` -- automatic hyperbola picking (native kernel)."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsPoint,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ...core.gpr import survey
from ..base import FeedbackProgress, PipeMapAlgorithm, add_feature, finish_sink
from .gpr_import import GprParametersMixin

PICK_FIELDS = (("pick_id", QVariant.String), ("channel", QVariant.Int), ("trace", QVariant.Int),
               ("distance_m", QVariant.Double), ("x", QVariant.Double), ("y", QVariant.Double),
               ("t0_ns", QVariant.Double), ("velocity_m_ns", QVariant.Double), ("eps_r", QVariant.Double),
               ("depth_m", QVariant.Double), ("radius_m", QVariant.Double), ("amplitude", QVariant.Double),
               ("polarity", QVariant.Int), ("confidence", QVariant.Double), ("z", QVariant.Double),
               ("file", QVariant.String))


def pick_fields() -> QgsFields:
    fields = QgsFields()
    for name, kind in PICK_FIELDS:
        fields.append(QgsField(name, kind))
    return fields


class GprPickAlgorithm(GprParametersMixin, PipeMapAlgorithm):
    NAME = "gprpick"
    GROUP_ID = "gpr"

    VELOCITY = "VELOCITY"
    MIN_CONFIDENCE = "MIN_CONFIDENCE"
    GROUND = "GROUND"
    OUTPUT = "OUTPUT"
    OUTPUT_IMAGE = "OUTPUT_IMAGE"
    OUTPUT_LAS = "OUTPUT_LAS"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Pick GPR anomalies (hyperbolas)")

    def initAlgorithm(self, config: Any = None) -> None:  # noqa: N802
        self.add_gpr_parameters()
        self.addParameter(QgsProcessingParameterNumber(
            self.VELOCITY, self.tr("Velocity (m/ns, 0 = estimate from the hyperbolas)"),
            QgsProcessingParameterNumber.Double, 0.0, minValue=0.0, maxValue=0.3))
        self.addParameter(QgsProcessingParameterNumber(
            self.MIN_CONFIDENCE, self.tr("Minimum confidence"), QgsProcessingParameterNumber.Double, 0.3,
            minValue=0.0, maxValue=1.0))
        self.addParameter(QgsProcessingParameterRasterLayer(
            self.GROUND, self.tr("Ground DEM (for the picks' elevations)"), optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Picks"), QgsProcessing.TypeVectorPoint))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_IMAGE, self.tr("Radargram with picks (PNG)"), self.tr("PNG (*.png)"), optional=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_LAS, self.tr("Picks as LAS/LAZ"), self.tr("LAS/LAZ (*.las *.laz)"), optional=True,
            createByDefault=False))
        self.addOutput(QgsProcessingOutputNumber("PICKS", self.tr("Picks")))

    def execute(self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: Any) -> dict[str, Any]:
        inputs = self.gpr_inputs(parameters, context)
        dem_layer = self.parameterAsRasterLayer(parameters, self.GROUND, context)
        ground = ground_crs = None
        if dem_layer is not None:
            from ...core.raster import DemSampler
            from .create_map import crs_for_core

            ground = DemSampler(dem_layer.source())
            ground_crs = crs_for_core(dem_layer.crs())
        image = self.parameterAsFileOutput(parameters, self.OUTPUT_IMAGE, context) or None
        channels = survey.pick_file(
            inputs["path"], velocity_m_ns=self.parameterAsDouble(parameters, self.VELOCITY, context) or None,
            min_confidence=self.parameterAsDouble(parameters, self.MIN_CONFIDENCE, context),
            line_xy=inputs["line_xy"], crs=inputs["crs"], start_distance_m=inputs["start_distance_m"],
            trace_spacing_m=inputs["trace_spacing_m"], sample_interval_ns=inputs["sample_interval_ns"],
            ground=ground, ground_crs=ground_crs, image_path=image, progress=FeedbackProgress(feedback))
        crs_text = next((c.channel.radargram.crs for c in channels if c.channel.radargram.crs), "")
        crs = QgsCoordinateReferenceSystem(crs_text) if crs_text else QgsCoordinateReferenceSystem()
        if crs_text and not crs.isValid():
            crs = QgsCoordinateReferenceSystem.fromWkt(crs_text)
        fields = pick_fields()
        sink, sink_id = self.parameterAsSink(parameters, self.OUTPUT, context, fields, QgsWkbTypes.PointZ, crs)
        rows: list[dict[str, Any]] = []
        for pc in channels:
            rg = pc.channel.radargram
            for k, (p, z) in enumerate(zip(pc.picks, pc.z)):
                row = {"pick_id": f"{pc.channel.survey_id}:{k + 1}", "channel": rg.channel, "trace": p.trace,
                       "distance_m": p.distance_m, "x": p.x, "y": p.y, "t0_ns": p.t0_ns,
                       "velocity_m_ns": p.velocity_m_ns, "eps_r": p.eps_r, "depth_m": p.depth_m,
                       "radius_m": p.radius_m, "amplitude": p.amplitude, "polarity": p.polarity,
                       "confidence": p.confidence, "z": z, "file": str(rg.path or "")}
                rows.append(row)
                feat = QgsFeature(fields)
                feat.setAttributes([row[name] for name, _ in PICK_FIELDS])
                if p.x is not None and p.y is not None and rg.crs:
                    feat.setGeometry(QgsGeometry(QgsPoint(p.x, p.y, z if z is not None else float("nan"))))
                add_feature(sink, feat, f"pick {row['pick_id']}")
            feedback.pushInfo(self.tr("{survey}: {n} picks.").format(survey=pc.channel.survey_id, n=len(pc.picks)))
            for w in rg.warnings:
                feedback.pushInfo(f"{pc.channel.survey_id}: {w}")
        finish_sink(sink)
        result: dict[str, Any] = {self.OUTPUT: sink_id, "PICKS": len(rows)}
        las_path = self.parameterAsFileOutput(parameters, self.OUTPUT_LAS, context)
        if las_path:
            from ...core.gpr.las import write_picks_las

            result[self.OUTPUT_LAS] = str(write_picks_las(rows, las_path, crs_text))
        if image and channels:
            result[self.OUTPUT_IMAGE] = str(channels[0].channel.image or image)
        return result
