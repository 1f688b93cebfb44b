"""``pipemap:covercheck`` -- cover depth along every pipe (GB 50289-2016 Table 4.1.1 or the user's)."""

from __future__ import annotations

import os
from typing import Any

import numpy as np
from qgis.core import (
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
)

from ...core.checks.cover import check_cover
from ...core.checks.ground import TinGround
from ...core.checks.rules import RuleSet
from ..base import FeedbackProgress, PipeMapAlgorithm
from . import check_common as cc
from . import check_pg

COLUMNS = (("pipe_id", cc.S), ("min_cover_m", cc.D), ("required_m", cc.D), ("verdict", cc.S), ("rule_id", cc.S),
           ("severity", cc.S), ("category", cc.S), ("cover_class", cc.S), ("surface", cc.S), ("margin_m", cc.D),
           ("uncertainty_m", cc.D), ("reason", cc.S), ("advice", cc.S), ("ground_z", cc.D), ("z", cc.D))


class CoverCheckAlgorithm(PipeMapAlgorithm):
    NAME = "covercheck"
    GROUP_ID = "checks"

    GROUND = "GROUND"
    GROUND_POINTS = "GROUND_POINTS"
    ROADS = "ROADS"
    RULES = "RULES"
    SAMPLE_STEP = "SAMPLE_STEP"
    STRICT_RULES = "STRICT_RULES"
    OUTPUT = "OUTPUT"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Cover depth check")

    def initAlgorithm(self, config: Any = None) -> None:  # noqa: N802
        cc.add_pipe_parameters(self, (cc.ID_FIELD, cc.CLASS_FIELD, cc.DIAMETER_FIELD))
        self.addParameter(QgsProcessingParameterRasterLayer(self.GROUND, self.tr("Ground DEM"), optional=True))
        self.addParameter(QgsProcessingParameterFile(
            self.GROUND_POINTS, self.tr("Ground point cloud (LAS/LAZ, ground class 2)"),
            QgsProcessingParameterFile.File, fileFilter="LAS/LAZ (*.las *.laz)", optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.ROADS, self.tr("Carriageways (motor-lane cover inside)"), [QgsProcessing.TypeVectorPolygon],
            optional=True))
        self.addParameter(QgsProcessingParameterFile(
            self.RULES, self.tr("Cover rules (CSV: class,min_cover_non_motor_m,min_cover_motor_m)"),
            QgsProcessingParameterFile.File, fileFilter="CSV (*.csv)", optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.SAMPLE_STEP, self.tr("Sampling step (m)"), QgsProcessingParameterNumber.Double, 1.0,
            minValue=0.01))
        self.addParameter(QgsProcessingParameterBoolean(
            self.STRICT_RULES, self.tr("Strict rules (unverified rule cells give errors)"), defaultValue=False))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Cover findings"), QgsProcessing.TypeVectorPoint))
        for name, label in (("FAIL", self.tr("Failing pipes")), ("UNCERTAIN", self.tr("Uncertain pipes")),
                            ("UNKNOWN", self.tr("Unknown pipes")), ("NO_RULE", self.tr("Pipes without a rule"))):
            self.addOutput(QgsProcessingOutputNumber(name, label))

    def execute(self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: Any) -> dict[str, Any]:
        rules = RuleSet.shipped()
        rules_csv = self.parameterAsFile(parameters, self.RULES, context) if parameters.get(self.RULES) else ""
        if rules_csv:
            rules = rules.with_user_cover(rules_csv)
        db = None
        pgmap = check_pg.postgis_map(parameters, feedback)
        if pgmap is not None:  # MAP is a PostGIS map: the road search runs in the database
            db, crs = check_pg.open_map(pgmap, feedback)
            pipes = db.read_pipes(rules)[0]
        else:
            pipes, crs, _ = cc.load_pipes(self, parameters, context, feedback, rules)
        dem = self.parameterAsRasterLayer(parameters, self.GROUND, context) if parameters.get(self.GROUND) else None
        las = self.parameterAsFile(parameters, self.GROUND_POINTS, context) \
            if parameters.get(self.GROUND_POINTS) else ""
        if dem is not None:
            if las:
                feedback.reportError(self.tr("Both GROUND and GROUND_POINTS are given: the DEM (GROUND) is used and "
                                             "the point cloud is ignored."), False)
            ground = cc.raster_ground(dem, crs)
        elif las:
            xy = pipes.vertices[:, :2]
            xy = xy[np.isfinite(xy).all(axis=1)]
            # the points near the pipes only (a large cloud's triangulation stays small)
            bbox = (float(xy[:, 0].min()) - 50, float(xy[:, 1].min()) - 50, float(xy[:, 0].max()) + 50,
                    float(xy[:, 1].max()) + 50) if len(xy) else None
            ground = TinGround.from_las(las, bbox=bbox, crs=cc.crs_text(crs))
            if not ground.wkt:
                feedback.reportError(self.tr("The point cloud {name} declares no coordinate reference system: it is "
                                             "taken to be in the pipes' CRS ({crs}).").format(
                    name=os.path.basename(las), crs=crs.userFriendlyIdentifier()), False)
            feedback.pushInfo(self.tr("Ground: a TIN of {n} ground-class points from {name}.").format(
                n=ground.n_points, name=os.path.basename(las)))
        else:
            raise QgsProcessingException(self.tr("Give the ground surface: a DEM (GROUND) or a LAS/LAZ point cloud "
                                                 "(GROUND_POINTS)."))
        roads, road_ids = None, None
        if parameters.get(self.ROADS):
            source = self.parameterAsSource(parameters, self.ROADS, context)
            if source is not None:
                roads, road_ids, _ = cc.polygons(source, crs, context)
        step = self.parameterAsDouble(parameters, self.SAMPLE_STEP, context)
        strict = self.parameterAsBoolean(parameters, self.STRICT_RULES, context)
        if db is not None:
            with db:
                findings = db.cover(rules, ground, roads, road_ids=road_ids, step_m=step, strict=strict,
                                    progress=FeedbackProgress(feedback, 0, 90))
        else:
            findings = check_cover(pipes, rules, ground, roads, road_ids=road_ids, step_m=step, strict=strict,
                                   progress=FeedbackProgress(feedback, 0, 90))
        cc.report_messages(findings.messages, feedback)
        sink_id = cc.write_findings(self, parameters, context, self.OUTPUT, findings, COLUMNS, crs,
                                    "a cover finding", feedback)
        c = findings.counts
        result = {self.OUTPUT: sink_id, "FAIL": c.get("FAIL", 0), "UNCERTAIN": c.get("UNCERTAIN", 0),
                  "UNKNOWN": c.get("UNKNOWN", 0), "NO_RULE": c.get("no_rule", 0)}
        feedback.pushInfo(self.tr("{n} pipes checked: {fail} FAIL, {unc} UNCERTAIN, {unk} UNKNOWN.").format(
            n=len(pipes), fail=result["FAIL"], unc=result["UNCERTAIN"], unk=result["UNKNOWN"]))
        return result
