"""``pipemap:importsurvey`` -- survey result tables into the integrated map."""

from __future__ import annotations

import os
from typing import Any

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingOutputBoolean,
    QgsProcessingOutputNumber,
    QgsProcessingParameterCrs,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ...core import mapfile
from ...core.survey import importer, report
from ..base import FeedbackProgress, PipeMapAlgorithm, add_feature, finish_sink
from ..pgmap import MapParameter, describe, is_postgis_map, map_input, parse, resolve
from .create_map import crs_for_core


class FileOrFolderParameter(QgsProcessingParameterFile):
    """A file parameter that also accepts a folder (QGIS's File behaviour
    refuses folders, its Folder behaviour offers only a folder picker)."""

    def checkValueIsAcceptable(self, value: Any, context: Any = None) -> bool:  # noqa: N802
        if isinstance(value, str) and value and os.path.isdir(value):
            return True
        return super().checkValueIsAcceptable(value, context)

    def clone(self) -> FileOrFolderParameter:
        copy = FileOrFolderParameter(self.name(), self.description(), self.behavior(), self.extension(),
                                     self.defaultValue(), bool(self.flags() & self.FlagOptional), self.fileFilter())
        copy.setFlags(self.flags())
        return copy


def issue_fields() -> QgsFields:
    fields = QgsFields()
    for name, kind in (("severity", QVariant.String), ("code", QVariant.String), ("file", QVariant.String),
                       ("row", QVariant.Int), ("column", QVariant.String), ("feature", QVariant.String),
                       ("message", QVariant.String)):
        fields.append(QgsField(name, kind))
    return fields


class ImportSurveyAlgorithm(PipeMapAlgorithm):
    NAME = "importsurvey"
    GROUP_ID = "map"

    POINTS = "POINTS"
    SEGMENTS = "SEGMENTS"
    MAP = "MAP"
    PROFILE = "PROFILE"
    CRS = "CRS"
    MODE = "MODE"
    ENCODING = "ENCODING"
    OUTPUT_ISSUES = "OUTPUT_ISSUES"
    REPORT = "REPORT"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Import survey result tables")

    def initAlgorithm(self, config: Any = None) -> None:  # noqa: N802
        self.addParameter(FileOrFolderParameter(
            self.POINTS, self.tr("Point table, or a folder of per-category tables"),
            QgsProcessingParameterFile.File, optional=True))
        self.addParameter(FileOrFolderParameter(
            self.SEGMENTS, self.tr("Segment table (or the folder of tables)"),
            QgsProcessingParameterFile.File, optional=True))
        self.addParameter(MapParameter(
            self.MAP, self.tr("Integrated map (GeoPackage, or PostGIS: service=NAME schema=NAME)"),
            QgsProcessingParameterFile.File, fileFilter="GeoPackage (*.gpkg)"))
        self.addParameter(QgsProcessingParameterString(
            self.PROFILE, self.tr("Column profile: zh, en, or a JSON/YAML file"), "zh"))
        self.addParameter(QgsProcessingParameterCrs(
            self.CRS, self.tr("CRS of the tables (empty: the map's, or the zone of prefixed eastings)"),
            optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.MODE, self.tr("Mode"), [self.tr("All or nothing"), self.tr("Import valid rows")], defaultValue=0))
        self.addParameter(QgsProcessingParameterString(
            self.ENCODING, self.tr("Text encoding of CSV tables (empty: detect)"), "", optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_ISSUES, self.tr("Import problems"), QgsProcessing.TypeVectorPoint, optional=True,
            createByDefault=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.REPORT, self.tr("Import report (HTML)"), self.tr("HTML files (*.html)"), optional=True,
            createByDefault=False))
        for name, label in (("POINTS_WRITTEN", self.tr("Points written")),
                            ("SEGMENTS_WRITTEN", self.tr("Segments written")),
                            ("ERRORS", self.tr("Errors")), ("WARNINGS", self.tr("Warnings"))):
            self.addOutput(QgsProcessingOutputNumber(name, label))
        self.addOutput(QgsProcessingOutputBoolean("COMMITTED", self.tr("Map changed")))

    def execute(self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: Any) -> dict[str, Any]:
        points = self.parameterAsFile(parameters, self.POINTS, context)
        segments = self.parameterAsFile(parameters, self.SEGMENTS, context)
        map_path = map_input(self, parameters, self.MAP, context)
        profile = self.parameterAsString(parameters, self.PROFILE, context) or "zh"
        crs = self.parameterAsCrs(parameters, self.CRS, context)
        mode = importer.MODES[self.parameterAsEnum(parameters, self.MODE, context)]
        encoding = self.parameterAsString(parameters, self.ENCODING, context) or None
        crs_text = crs_for_core(crs) if crs.isValid() else ""

        if is_postgis_map(map_path):  # staged in a GeoPackage, merged into PostGIS in one transaction
            from ...core.pg import imports as pg_imports
            from ...core.pg import mapdb

            pgmap = resolve(parse(map_path))
            result = pg_imports.import_survey(pgmap, points or None, segments or None, profile=profile,
                                              crs=crs_text, mode=mode, encoding=encoding,
                                              progress=FeedbackProgress(feedback))
            meta = mapdb.read_metadata(pgmap)
            map_path = describe(map_path)  # never show a password
        else:
            result = importer.import_survey(map_path, points or None, segments or None, profile=profile,
                                            crs=crs_text, mode=mode, encoding=encoding,
                                            progress=FeedbackProgress(feedback))
            meta = mapfile.read_metadata(map_path)
        for note in result.notes:
            feedback.pushInfo(note)
        outputs: dict[str, Any] = {}
        map_crs = QgsCoordinateReferenceSystem(meta.get("crs_authid") or "")
        if not map_crs.isValid():
            map_crs = QgsCoordinateReferenceSystem.fromWkt(meta.get("crs_wkt", ""))
        sink, sink_id = self.parameterAsSink(parameters, self.OUTPUT_ISSUES, context, issue_fields(),
                                             QgsWkbTypes.Point, map_crs)
        if sink is not None:
            for issue in result.issues:
                feat = QgsFeature(issue_fields())
                feat.setAttributes([issue.severity, issue.code, issue.file, issue.row, issue.column, issue.ref,
                                    issue.message])
                if issue.x is not None and issue.y is not None:
                    feat.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(issue.x, issue.y)))
                add_feature(sink, feat, f"problem {issue.code}")
            finish_sink(sink)
            outputs[self.OUTPUT_ISSUES] = sink_id
        report_path = self.parameterAsFileOutput(parameters, self.REPORT, context)
        if report_path:
            report.write_html(result, map_path, report_path)
            outputs[self.REPORT] = report_path
        for issue in result.issues[:200]:
            where = f"{issue.file}:{issue.row}" if issue.row else issue.file
            line = f"[{issue.severity}] {where} {issue.column}: {issue.message}"
            if issue.severity == "error":
                feedback.reportError(line, False)
            else:
                feedback.pushWarning(line) if hasattr(feedback, "pushWarning") else feedback.pushInfo(line)
        if len(result.issues) > 200:
            feedback.pushInfo(self.tr("… and {n} more problems (see the problems layer or report).").format(
                n=len(result.issues) - 200))
        if result.committed:
            feedback.pushInfo(self.tr("Imported {p} points and {s} segments into {map}.").format(
                p=result.points_written, s=result.segments_written, map=map_path))
        else:
            feedback.reportError(self.tr("{n} error(s): nothing was imported and the map was left unchanged.").format(
                n=len(result.errors)), False)
        outputs.update({
            "POINTS_WRITTEN": result.points_written, "SEGMENTS_WRITTEN": result.segments_written,
            "ERRORS": len(result.errors), "WARNINGS": len(result.warnings), "COMMITTED": result.committed,
        })
        return outputs
