"""``pipemap:clashcheck`` -- clearances between pipes (GB 50289-2016 tables or the user's)."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
)

from ...core.checks.clash import check_clash
from ...core.checks.rules import RuleSet
from ..base import FeedbackProgress, PipeMapAlgorithm
from . import check_common as cc
from . import check_pg

COLUMNS = (("pipe_a", cc.S), ("pipe_b", cc.S), ("kind", cc.S), ("required_m", cc.D), ("clearance_m", cc.D),
           ("verdict", cc.S), ("margin_m", cc.D), ("uncertainty_m", cc.D), ("rule_id", cc.S), ("severity", cc.S),
           ("reason", cc.S), ("advice", cc.S))


class ClashCheckAlgorithm(PipeMapAlgorithm):
    NAME = "clashcheck"
    GROUP_ID = "checks"

    RULES = "RULES"
    STRICT_RULES = "STRICT_RULES"
    OUTPUT = "OUTPUT"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Clearance (clash) check")

    def initAlgorithm(self, config: Any = None) -> None:  # noqa: N802
        cc.add_pipe_parameters(self, (cc.ID_FIELD, cc.CLASS_FIELD, cc.DIAMETER_FIELD, cc.WIDTH_FIELD,
                                      cc.HEIGHT_FIELD))
        self.addParameter(QgsProcessingParameterFile(
            self.RULES, self.tr("Clearance rules (CSV: class_a,class_b,min_horizontal_m,min_vertical_m)"),
            QgsProcessingParameterFile.File, fileFilter="CSV (*.csv)", optional=True))
        self.addParameter(QgsProcessingParameterBoolean(
            self.STRICT_RULES, self.tr("Strict rules (unverified rule cells give errors)"), defaultValue=False))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Clash findings"), QgsProcessing.TypeVectorPoint))
        for name, label in (("FAIL", self.tr("Failing figures")), ("UNCERTAIN", self.tr("Uncertain figures")),
                            ("UNKNOWN", self.tr("Unknown figures")), ("NO_RULE", self.tr("Pairs without a rule"))):
            self.addOutput(QgsProcessingOutputNumber(name, label))

    def execute(self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: Any) -> dict[str, Any]:
        rules = RuleSet.shipped()
        rules_csv = self.parameterAsFile(parameters, self.RULES, context) if parameters.get(self.RULES) else ""
        if rules_csv:
            rules = rules.with_user_clearances(rules_csv)
        strict = self.parameterAsBoolean(parameters, self.STRICT_RULES, context)
        pgmap = check_pg.postgis_map(parameters, feedback)
        if pgmap is not None:  # MAP is a PostGIS map: the pair search runs in the database
            db, crs = check_pg.open_map(pgmap, feedback)
            with db:
                findings = db.clash(rules, strict=strict, progress=FeedbackProgress(feedback, 0, 90))
                check_pg.report_search(db, feedback)
        else:
            pipes, crs, _ = cc.load_pipes(self, parameters, context, feedback, rules)
            findings = check_clash(pipes, rules, strict=strict, progress=FeedbackProgress(feedback, 0, 90))
        cc.report_messages(findings.messages, feedback)
        sink_id = cc.write_findings(self, parameters, context, self.OUTPUT, findings, COLUMNS, crs,
                                    "a clash finding", feedback)
        c = findings.counts
        result = {self.OUTPUT: sink_id, "FAIL": c.get("FAIL", 0), "UNCERTAIN": c.get("UNCERTAIN", 0),
                  "UNKNOWN": c.get("UNKNOWN", 0), "NO_RULE": c.get("no_rule", 0)}
        feedback.pushInfo(self.tr("{n} pipes checked: {fail} FAIL, {unc} UNCERTAIN, {unk} UNKNOWN, {nr} without a "
                                  "rule.").format(n=c.get("pipes", 0), fail=result["FAIL"], unc=result["UNCERTAIN"],
                                                  unk=result["UNKNOWN"], nr=result["NO_RULE"]))
        return result
