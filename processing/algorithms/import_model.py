"""``pipemap:importmodel`` -- a SWMM or EPANET model (.inp) into the integrated map."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingOutputBoolean,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterCrs,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QCoreApplication

from ...core import mapfile
from ...core.models import importer
from ...core.models.common import ELEVATION_MEANINGS
from ..base import FeedbackProgress, PipeMapAlgorithm, add_feature, finish_sink
from .create_map import crs_for_core
from .import_survey import issue_fields


def add_count_outputs(alg: PipeMapAlgorithm) -> None:
    """The numeric and boolean outputs both import algorithms publish."""
    for name, label in (("POINTS_WRITTEN", _tr("Points written")), ("SEGMENTS_WRITTEN", _tr("Segments written")),
                        ("POINTS_UPDATED", _tr("Points updated")), ("SEGMENTS_UPDATED", _tr("Segments updated")),
                        ("REMOVED", _tr("Features removed")), ("ERRORS", _tr("Errors")),
                        ("WARNINGS", _tr("Warnings"))):
        alg.addOutput(QgsProcessingOutputNumber(name, label))
    alg.addOutput(QgsProcessingOutputBoolean("COMMITTED", _tr("Map changed")))


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImportModelAlgorithm", text)


def publish(alg: PipeMapAlgorithm, parameters: dict[str, Any], context: QgsProcessingContext, feedback: Any,
            result: Any, map_path: str, issues_param: str) -> dict[str, Any]:
    """Write the problems sink, log the problems and counts, and build the outputs."""
    outputs: dict[str, Any] = {}
    meta = mapfile.read_metadata(map_path)
    map_crs = QgsCoordinateReferenceSystem(meta.get("crs_authid") or "")
    if not map_crs.isValid():
        map_crs = QgsCoordinateReferenceSystem.fromWkt(meta.get("crs_wkt", ""))
    fields = issue_fields()
    sink, sink_id = alg.parameterAsSink(parameters, issues_param, context, fields, QgsWkbTypes.Point, map_crs)
    if sink is not None:
        for issue in result.issues:
            feat = QgsFeature(fields)
            feat.setAttributes([issue.severity, issue.code, issue.file, issue.row, issue.column, issue.ref,
                                issue.message])
            if issue.x is not None and issue.y is not None:
                feat.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(issue.x, issue.y)))
            add_feature(sink, feat, f"problem {issue.code}")
        finish_sink(sink)
        outputs[issues_param] = sink_id
    for note in result.notes:
        feedback.pushInfo(note)
    for issue in result.issues[:200]:
        where = f"{issue.file}:{issue.row}" if issue.row else issue.file
        line = f"[{issue.severity}] {where} {issue.column}: {issue.message}"
        if issue.severity == "error":
            feedback.reportError(line, False)
        elif hasattr(feedback, "pushWarning"):
            feedback.pushWarning(line)
        else:
            feedback.pushInfo(line)
    if len(result.issues) > 200:
        feedback.pushInfo(_tr("… and {n} more problems (see the problems layer).").format(n=len(result.issues) - 200))
    read = ", ".join(f"{k} {v}" for k, v in result.counts.items())
    if read:
        feedback.pushInfo(_tr("Read: {counts}.").format(counts=read))
    if result.skipped:
        feedback.pushInfo(_tr("Not written: {counts}.").format(
            counts=", ".join(f"{k} {v}" for k, v in result.skipped.items())))
    if result.committed:
        feedback.pushInfo(_tr("Wrote {p} points and {s} segments into {map} ({up} and {us} of them updated, {r} "
                              "removed).").format(p=result.points_written, s=result.segments_written, map=map_path,
                                                  up=result.points_updated, us=result.segments_updated,
                                                  r=result.points_removed + result.segments_removed))
    else:
        feedback.reportError(_tr("Nothing was imported and the map was left unchanged ({n} error(s)).").format(
            n=len(result.errors)), False)
    outputs.update({
        "POINTS_WRITTEN": result.points_written, "SEGMENTS_WRITTEN": result.segments_written,
        "POINTS_UPDATED": result.points_updated, "SEGMENTS_UPDATED": result.segments_updated,
        "REMOVED": result.points_removed + result.segments_removed,
        "ERRORS": len(result.errors), "WARNINGS": len(result.warnings), "COMMITTED": result.committed,
    })
    return outputs


class ImportModelAlgorithm(PipeMapAlgorithm):
    NAME = "importmodel"
    GROUP_ID = "map"

    INPUT = "INPUT"
    MAP = "MAP"
    CRS = "CRS"
    COORDINATE_SCALE = "COORDINATE_SCALE"
    CATEGORY = "CATEGORY"
    ELEVATION_MEANS = "ELEVATION_MEANS"
    DEFAULT_COVER_M = "DEFAULT_COVER_M"
    OUTPUT_ISSUES = "OUTPUT_ISSUES"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Import a hydraulic model (SWMM, EPANET)")

    def initAlgorithm(self, config: Any = None) -> None:  # noqa: N802
        self.addParameter(QgsProcessingParameterFile(
            self.INPUT, self.tr("Model file (SWMM or EPANET .inp)"), QgsProcessingParameterFile.File,
            fileFilter=self.tr("Model input files (*.inp *.INP)")))
        self.addParameter(QgsProcessingParameterFile(
            self.MAP, self.tr("Integrated map (GeoPackage)"), QgsProcessingParameterFile.File,
            fileFilter="GeoPackage (*.gpkg)"))
        self.addParameter(QgsProcessingParameterCrs(
            self.CRS, self.tr("CRS of the model (empty: the map's)"), optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.COORDINATE_SCALE, self.tr("Coordinate scale (e.g. 0.001 for a model drawn in millimetres)"),
            QgsProcessingParameterNumber.Double, 1.0, minValue=1e-9))
        self.addParameter(QgsProcessingParameterString(
            self.CATEGORY, self.tr("Category (empty: drainage for SWMM, water supply for EPANET; or storm, "
                                   "sewage, combined, water, a CJJ 61 code)"), "", optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.ELEVATION_MEANS, self.tr("EPANET node elevations are"),
            [self.tr("Ground"), self.tr("Pipe centre"), self.tr("Pipe top")], defaultValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            self.DEFAULT_COVER_M, self.tr("Cover above the pipe top when elevations are ground (m)"),
            QgsProcessingParameterNumber.Double, 1.0, minValue=0.0, maxValue=20.0))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_ISSUES, self.tr("Import problems"), QgsProcessing.TypeVectorPoint, optional=True,
            createByDefault=True))
        add_count_outputs(self)
        self.addOutput(QgsProcessingOutputString("FORMAT", self.tr("Model format (swmm or epanet)")))

    def execute(self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: Any) -> dict[str, Any]:
        model = self.parameterAsFile(parameters, self.INPUT, context)
        map_path = self.parameterAsFile(parameters, self.MAP, context)
        crs = self.parameterAsCrs(parameters, self.CRS, context)
        scale = self.parameterAsDouble(parameters, self.COORDINATE_SCALE, context)
        category = self.parameterAsString(parameters, self.CATEGORY, context) or None
        means = ELEVATION_MEANINGS[self.parameterAsEnum(parameters, self.ELEVATION_MEANS, context)]
        cover = self.parameterAsDouble(parameters, self.DEFAULT_COVER_M, context)
        result = importer.import_model(map_path, model, crs=crs_for_core(crs) if crs.isValid() else "",
                                       coordinate_scale=scale, category=category, elevation_means=means,
                                       default_cover_m=cover, progress=FeedbackProgress(feedback))
        feedback.pushInfo(self.tr("{file}: {fmt} model, units {units}.").format(
            file=result.source, fmt=result.format.upper(), units=result.units))
        outputs = publish(self, parameters, context, feedback, result, map_path, self.OUTPUT_ISSUES)
        outputs["FORMAT"] = result.format
        return outputs
