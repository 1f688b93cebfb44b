"""``pipemap:excavationcheck`` -- pipes a planned excavation would reach."""

from __future__ import annotations

from typing import Any

import numpy as np
from qgis.core import (
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
)

from ...core.checks.excavation import check_excavation
from ...core.checks.rules import RuleSet
from ..base import FeedbackProgress, PipeMapAlgorithm
from . import check_common as cc

COLUMNS = (("exc_id", cc.S), ("pipe_id", cc.S), ("category", cc.S), ("owner", cc.S), ("depth_m", cc.D),
           ("verdict", cc.S), ("severity", cc.S), ("plan_margin_m", cc.D), ("depth_margin_m", cc.D),
           ("u_plan_m", cc.D), ("u_depth_m", cc.D), ("reason", cc.S), ("advice", cc.S), ("bottom_z", cc.D),
           ("z", cc.D))


def _numbers(values: list[Any]) -> np.ndarray:
    out = []
    for v in values:
        try:
            out.append(float(v))
        except (TypeError, ValueError):
            out.append(np.nan)
    return np.array(out, dtype=float)


class ExcavationCheckAlgorithm(PipeMapAlgorithm):
    NAME = "excavationcheck"
    GROUP_ID = "checks"

    EXCAVATIONS = "EXCAVATIONS"
    EXC_ID_FIELD = "EXC_ID_FIELD"
    BOTTOM_FIELD = "BOTTOM_FIELD"
    DEPTH_FIELD = "DEPTH_FIELD"
    GROUND = "GROUND"
    SAFETY_DISTANCE = "SAFETY_DISTANCE"
    OUTPUT = "OUTPUT"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Excavation check (pipes affected)")

    def initAlgorithm(self, config: Any = None) -> None:  # noqa: N802
        cc.add_pipe_parameters(self, (cc.ID_FIELD, cc.DIAMETER_FIELD))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.EXCAVATIONS, self.tr("Planned excavations"), [QgsProcessing.TypeVectorPolygon]))
        for name, label, kind in (
                (self.EXC_ID_FIELD, self.tr("Excavation id field"), QgsProcessingParameterField.Any),
                (self.BOTTOM_FIELD, self.tr("Bottom elevation field (m)"), QgsProcessingParameterField.Numeric),
                (self.DEPTH_FIELD, self.tr("Depth below ground field (m, needs GROUND)"),
                 QgsProcessingParameterField.Numeric)):
            self.addParameter(QgsProcessingParameterField(name, label, parentLayerParameterName=self.EXCAVATIONS,
                                                          type=kind, optional=True))
        self.addParameter(QgsProcessingParameterRasterLayer(self.GROUND, self.tr("Ground DEM"), optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.SAFETY_DISTANCE, self.tr("Safety distance (m)"), QgsProcessingParameterNumber.Double, 0.5,
            minValue=0.0))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Affected pipes"), QgsProcessing.TypeVectorPoint))
        for name, label in (("FAIL", self.tr("Pipes reached")), ("UNCERTAIN", self.tr("Uncertain pipes")),
                            ("UNKNOWN", self.tr("Unknown pipes"))):
            self.addOutput(QgsProcessingOutputNumber(name, label))

    def execute(self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: Any) -> dict[str, Any]:
        rules = RuleSet.shipped()
        pipes, crs, _ = cc.load_pipes(self, parameters, context, feedback, rules)
        source = self.parameterAsSource(parameters, self.EXCAVATIONS, context)
        if source is None:
            raise QgsProcessingException(self.tr("Give the planned excavations (EXCAVATIONS)."))
        names = {k: self.parameterAsString(parameters, k, context) if parameters.get(k) else ""
                 for k in (self.EXC_ID_FIELD, self.BOTTOM_FIELD, self.DEPTH_FIELD)}
        have = source.fields().names()
        for key, name in names.items():
            if name and name not in have:
                raise QgsProcessingException(self.tr("The field {name} ({param}) is not in EXCAVATIONS.").format(
                    name=name, param=key))
        if not names[self.BOTTOM_FIELD] and not names[self.DEPTH_FIELD]:
            raise QgsProcessingException(self.tr("Give the excavation bottom: BOTTOM_FIELD (elevation) or "
                                                 "DEPTH_FIELD (depth below ground, with GROUND)."))
        geoms, fids, values = cc.polygons(source, crs, context, [n for n in names.values() if n])
        exc_ids = [str(v) if v is not None else f for v, f in zip(values[names[self.EXC_ID_FIELD]], fids)] \
            if names[self.EXC_ID_FIELD] else fids
        bottom = _numbers(values[names[self.BOTTOM_FIELD]]) if names[self.BOTTOM_FIELD] else None
        depth = _numbers(values[names[self.DEPTH_FIELD]]) if names[self.DEPTH_FIELD] else None
        dem = self.parameterAsRasterLayer(parameters, self.GROUND, context) if parameters.get(self.GROUND) else None
        ground = cc.raster_ground(dem, crs)
        safety = self.parameterAsDouble(parameters, self.SAFETY_DISTANCE, context)
        findings = check_excavation(pipes, geoms, safety_m=safety, bottom_z=bottom, depth_m=depth, exc_ids=exc_ids,
                                    ground=ground, quality=rules.quality, progress=FeedbackProgress(feedback))
        cc.report_messages(findings.messages, feedback)
        sink_id = cc.write_findings(self, parameters, context, self.OUTPUT, findings.records(), COLUMNS, crs,
                                    "an excavation finding")
        c = findings.verdict_counts()
        result = {self.OUTPUT: sink_id, "FAIL": c["FAIL"], "UNCERTAIN": c["UNCERTAIN"], "UNKNOWN": c["UNKNOWN"]}
        feedback.pushInfo(self.tr("{n} excavations checked: {rows} pipes listed ({fail} reached).").format(
            n=len(geoms), rows=len(findings), fail=result["FAIL"]))
        return result
