"""``pipemap:gprimport`` -- import a GPR survey: read, georeference, process,
radargram image, SEG-Y, survey line (and record it in the map)."""

from __future__ import annotations

from typing import Any

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsLineString,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterCrs,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ...core.gpr import survey
from ..base import FeedbackProgress, PipeMapAlgorithm, add_feature, finish_sink
from .create_map import crs_for_core

LINE_FIELDS = (("survey_id", QVariant.String), ("file", QVariant.String), ("format", QVariant.String),
               ("channel", QVariant.Int), ("n_channels", QVariant.Int), ("traces", QVariant.Int),
               ("samples", QVariant.Int), ("dt_ns", QVariant.Double), ("time_window_ns", QVariant.Double),
               ("antenna", QVariant.String), ("frequency_mhz", QVariant.Double),
               ("trace_spacing_m", QVariant.Double), ("length_m", QVariant.Double),
               ("georeference", QVariant.String), ("acquired", QVariant.String), ("processing", QVariant.String),
               ("warnings", QVariant.String))


def line_fields() -> QgsFields:
    fields = QgsFields()
    for name, kind in LINE_FIELDS:
        fields.append(QgsField(name, kind))
    return fields


class GprParametersMixin:
    """Parameters shared by gprimport and gprpick (same names, same meaning)."""

    INPUT = "INPUT"
    LINE = "LINE"
    START_DISTANCE = "START_DISTANCE"
    SPACING = "SPACING"
    SAMPLE_INTERVAL_NS = "SAMPLE_INTERVAL_NS"
    TRACE_SPACING_M = "TRACE_SPACING_M"
    CRS = "CRS"

    def add_gpr_parameters(self) -> None:
        self.addParameter(QgsProcessingParameterFile(
            self.INPUT, self.tr("GPR file (DZT, DT1/HD, RD3/RD7/RAD, SEG-Y)"), QgsProcessingParameterFile.File))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.LINE, self.tr("Survey line (when the file has no GPS)"), [QgsProcessing.TypeVectorLine],
            optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.START_DISTANCE, self.tr("Distance of the first trace along the line (m)"),
            QgsProcessingParameterNumber.Double, 0.0))
        spacing = QgsProcessingParameterNumber(
            self.SPACING, self.tr("Trace spacing (m) — same as TRACE_SPACING_M"), QgsProcessingParameterNumber.Double,
            0.0, minValue=0.0)
        spacing.setFlags(spacing.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(spacing)
        self.addParameter(QgsProcessingParameterNumber(
            self.SAMPLE_INTERVAL_NS, self.tr("Sample interval override (ns, 0 = from the file)"),
            QgsProcessingParameterNumber.Double, 0.0, minValue=0.0))
        self.addParameter(QgsProcessingParameterNumber(
            self.TRACE_SPACING_M, self.tr("Trace spacing override (m, 0 = from the file)"),
            QgsProcessingParameterNumber.Double, 0.0, minValue=0.0))
        self.addParameter(QgsProcessingParameterCrs(
            self.CRS, self.tr("Output CRS (default: the map's, the line's, or the GPS's UTM zone)"), optional=True))

    def gpr_inputs(self, parameters: dict[str, Any], context: QgsProcessingContext,
                   map_crs: QgsCoordinateReferenceSystem | None = None) -> dict[str, Any]:
        path = self.parameterAsFile(parameters, self.INPUT, context)
        spacing_a = self.parameterAsDouble(parameters, self.SPACING, context)
        spacing_b = self.parameterAsDouble(parameters, self.TRACE_SPACING_M, context)
        if spacing_a and spacing_b and abs(spacing_a - spacing_b) > 1e-9:
            raise QgsProcessingException(self.tr("SPACING and TRACE_SPACING_M are the same parameter; they differ."))
        crs = self.parameterAsCrs(parameters, self.CRS, context)
        target = map_crs if map_crs is not None and map_crs.isValid() else crs
        line_xy = None
        source = self.parameterAsSource(parameters, self.LINE, context)
        if source is not None:
            line_crs = source.sourceCrs()
            if not (target and target.isValid()):
                target = line_crs
            geom = None
            for feat in source.getFeatures():
                if feat.hasGeometry():
                    geom = QgsGeometry(feat.geometry())
                    break
            if geom is None:
                raise QgsProcessingException(self.tr("The survey line layer has no line."))
            if line_crs != target:
                geom.transform(QgsCoordinateTransform(line_crs, target, context.transformContext()))
            part = geom.constGet()
            if geom.isMultipart():
                part = part.geometryN(0)
            line_xy = np.array([(v.x(), v.y()) for v in part.vertices()], dtype=float)
        return {
            "path": path,
            "line_xy": line_xy,
            "crs": crs_for_core(target) if target is not None and target.isValid() else None,
            "start_distance_m": self.parameterAsDouble(parameters, self.START_DISTANCE, context),
            "trace_spacing_m": spacing_a or spacing_b or None,
            "sample_interval_ns": self.parameterAsDouble(parameters, self.SAMPLE_INTERVAL_NS, context) or None,
        }


class GprImportAlgorithm(GprParametersMixin, PipeMapAlgorithm):
    NAME = "gprimport"
    GROUP_ID = "gpr"

    PROCESSING = "PROCESSING"
    VELOCITY = "VELOCITY"
    MAP = "MAP"
    OUTPUT_LINE = "OUTPUT_LINE"
    OUTPUT_IMAGE = "OUTPUT_IMAGE"
    OUTPUT_SEGY = "OUTPUT_SEGY"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Import GPR survey")

    def initAlgorithm(self, config: Any = None) -> None:  # noqa: N802
        self.add_gpr_parameters()
        self.addParameter(QgsProcessingParameterString(
            self.PROCESSING, self.tr("Processing: a preset (none, default, strong) or a step list"), "default"))
        self.addParameter(QgsProcessingParameterNumber(
            self.VELOCITY, self.tr("Velocity for the depth axis (m/ns, 0 = no depth axis)"),
            QgsProcessingParameterNumber.Double, 0.1, minValue=0.0, maxValue=0.3))
        self.addParameter(QgsProcessingParameterFile(
            self.MAP, self.tr("Integrated map to record the survey in"), QgsProcessingParameterFile.File,
            fileFilter="GeoPackage (*.gpkg)", optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_LINE, self.tr("Survey line"), QgsProcessing.TypeVectorLine))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_IMAGE, self.tr("Radargram image (PNG)"), self.tr("PNG (*.png)"), optional=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_SEGY, self.tr("Processed data (SEG-Y)"), self.tr("SEG-Y (*.sgy *.segy)"), optional=True,
            createByDefault=False))
        self.addOutput(QgsProcessingOutputNumber("TRACES", self.tr("Traces")))
        self.addOutput(QgsProcessingOutputNumber("CHANNELS", self.tr("Channels")))

    def execute(self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: Any) -> dict[str, Any]:
        from .build_3d import map_crs

        map_path = self.parameterAsFile(parameters, self.MAP, context) or None
        mcrs = map_crs(map_path) if map_path else None
        inputs = self.gpr_inputs(parameters, context, mcrs)
        image = self.parameterAsFileOutput(parameters, self.OUTPUT_IMAGE, context) or None
        segy = self.parameterAsFileOutput(parameters, self.OUTPUT_SEGY, context) or None
        velocity = self.parameterAsDouble(parameters, self.VELOCITY, context) or None
        result = survey.import_gpr(inputs["path"], line_xy=inputs["line_xy"], crs=inputs["crs"],
                                   start_distance_m=inputs["start_distance_m"],
                                   trace_spacing_m=inputs["trace_spacing_m"],
                                   sample_interval_ns=inputs["sample_interval_ns"],
                                   processing=self.parameterAsString(parameters, self.PROCESSING, context),
                                   velocity_m_ns=velocity, image_path=image, segy_path=segy, map_path=map_path,
                                   progress=FeedbackProgress(feedback))
        out_crs = QgsCoordinateReferenceSystem(result.crs) if result.crs else QgsCoordinateReferenceSystem()
        if result.crs and not out_crs.isValid():
            out_crs = QgsCoordinateReferenceSystem.fromWkt(result.crs)
        fields = line_fields()
        sink, sink_id = self.parameterAsSink(parameters, self.OUTPUT_LINE, context, fields, QgsWkbTypes.LineString,
                                             out_crs)
        traces = 0
        for ch in result.channels:
            attrs = ch.attributes()
            feat = QgsFeature(fields)
            feat.setAttributes([attrs.get(name) for name, _ in LINE_FIELDS])
            xy = ch.line_xy
            if xy is not None and ch.radargram.crs:
                feat.setGeometry(QgsGeometry(QgsLineString(list(xy[:, 0]), list(xy[:, 1]))))
            add_feature(sink, feat, f"the survey line {ch.survey_id}")
            traces += ch.radargram.n_traces
            for w in ch.radargram.warnings:
                feedback.pushInfo(f"{ch.survey_id}: {w}")
        for note in result.notes:
            feedback.pushInfo(note)
        finish_sink(sink)
        out: dict[str, Any] = {self.OUTPUT_LINE: sink_id, "TRACES": traces, "CHANNELS": len(result.channels)}
        if image:
            out[self.OUTPUT_IMAGE] = str(result.channels[0].image) if result.channels else image
        if segy:
            out[self.OUTPUT_SEGY] = str(result.channels[0].segy) if result.channels else segy
        return out
