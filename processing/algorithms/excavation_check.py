"""``pipemap:excavationcheck`` -- pipes a planned excavation would reach."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import numpy as np
from qgis.core import (
    QgsGeometry,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
)

from ...core.checks import report as core_report
from ...core.checks.excavation import check_excavation
from ...core.checks.rules import RuleSet
from ...core.errors import CancelledError
from ...core.version import __version__
from .. import report as qreport
from ..base import FeedbackProgress, PipeMapAlgorithm, user_locale
from . import check_common as cc
from . import check_pg

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


def _qgs_polygon(geom: Any) -> QgsGeometry:
    """A shapely (multi)polygon as a QgsGeometry, through its coordinates (shapely's WKB writer fails inside
    qgis_process when QGIS's GEOS differs from shapely's)."""
    import shapely

    parts = []
    for part in shapely.get_parts(geom):
        if shapely.get_type_id(part) != 3:  # not a polygon
            continue
        rings = [shapely.get_exterior_ring(part)] + [shapely.get_interior_ring(part, k)
                                                     for k in range(shapely.get_num_interior_rings(part))]
        parts.append([[QgsPointXY(float(x), float(y)) for x, y in shapely.get_coordinates(r)] for r in rings])
    return QgsGeometry.fromMultiPolygonXY(parts) if parts else QgsGeometry()


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
    REPORT_FOLDER = "REPORT_FOLDER"

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
        self.addParameter(QgsProcessingParameterFolderDestination(
            self.REPORT_FOLDER, self.tr("Notices per excavation (folder of HTML and PDF files)"), optional=True,
            createByDefault=False))
        for name, label in (("FAIL", self.tr("Pipes reached")), ("UNCERTAIN", self.tr("Uncertain pipes")),
                            ("UNKNOWN", self.tr("Unknown pipes"))):
            self.addOutput(QgsProcessingOutputNumber(name, label))

    def execute(self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: Any) -> dict[str, Any]:
        folder = self.parameterAsFileOutput(parameters, self.REPORT_FOLDER, context) \
            if parameters.get(self.REPORT_FOLDER) else ""
        if folder and Path(folder).exists() and not Path(folder).is_dir():
            raise QgsProcessingException(self.tr("REPORT_FOLDER {path} is a file: give a folder.").format(
                path=folder))
        rules = RuleSet.shipped()
        db = None
        pgmap = check_pg.postgis_map(parameters, feedback)
        if pgmap is not None:  # MAP is a PostGIS map: the pipes near the excavations are found in the database
            db, crs = check_pg.open_map(pgmap, feedback)
            pipes, map_path = None, check_pg.PgMapText(pgmap, db.srid)
        else:
            pipes, crs, map_path = cc.load_pipes(self, parameters, context, feedback, rules)
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
        if db is not None:
            with db:
                findings = db.excavation(geoms, safety_m=safety, bottom_z=bottom, depth_m=depth, exc_ids=exc_ids,
                                         ground=ground, quality=rules.quality, rules=rules,
                                         progress=FeedbackProgress(feedback, 0, 60 if folder else 90))
        else:
            findings = check_excavation(pipes, geoms, safety_m=safety, bottom_z=bottom, depth_m=depth,
                                        exc_ids=exc_ids, ground=ground, quality=rules.quality,
                                        progress=FeedbackProgress(feedback, 0, 60 if folder else 90))
        cc.report_messages(findings.messages, feedback)
        c = findings.verdict_counts()
        result = {"FAIL": c["FAIL"], "UNCERTAIN": c["UNCERTAIN"], "UNKNOWN": c["UNKNOWN"]}
        feedback.pushInfo(self.tr("{n} excavations checked: {rows} pipes listed ({fail} reached).").format(
            n=len(geoms), rows=len(findings), fail=result["FAIL"]))
        if folder:
            records = findings.records()
            given = {"bottom": bottom, "depth": depth}
            n = self._notices(parameters, context, feedback, folder, records, geoms, exc_ids, given, crs, map_path,
                              safety)
            result[self.REPORT_FOLDER] = folder
            feedback.pushInfo(self.tr("{n} excavation notices (HTML and PDF) in {folder}.").format(n=n, folder=folder))
        # the findings last (a quick write): a failed or cancelled notice leaves the user's findings file as it was
        result[self.OUTPUT] = cc.write_findings(self, parameters, context, self.OUTPUT, findings, COLUMNS, crs,
                                                "an excavation finding", feedback,
                                                (98.0, 2.0) if folder else (90.0, 10.0))
        return result

    def _notices(self, parameters: dict[str, Any], context: Any, feedback: Any, folder: str,
                 records: list[dict[str, Any]], geoms: list[Any], exc_ids: list[str], given: dict[str, Any],
                 crs: Any, map_path: Any, safety: float) -> int:
        """One notice per excavation that reaches a pipe, and index.html, built in a folder beside ``folder``
        and moved into place only when all are written."""
        by_exc: dict[str, list[dict[str, Any]]] = {}
        for rec in records:
            by_exc.setdefault(str(rec["exc_id"]), []).append(rec)
        excavations: list[qreport.Excavation] = []
        seen: dict[str, qreport.Excavation] = {}
        for i, (geom, exc_id) in enumerate(zip(geoms, exc_ids)):
            key = str(exc_id)
            if key not in by_exc:
                continue
            outline = _qgs_polygon(geom)
            if key in seen:  # two polygons with one id: one notice for both
                seen[key].outline = seen[key].outline.combine(outline)
                continue
            info = {}
            for name, values in (("bottom_z", given["bottom"]), ("depth_m", given["depth"])):
                if values is not None and np.isfinite(values[i]):
                    info[name] = float(values[i])
            seen[key] = qreport.Excavation(key, outline, by_exc[key], info)
            excavations.append(seen[key])
        backdrop = []
        try:
            if map_path:
                backdrop = [check_pg.map_pipes_layer(map_path)]
            else:
                layer = self.parameterAsVectorLayer(parameters, cc.INPUT, context)
                backdrop = [qreport.own_copy(layer, "pipes")] if layer is not None and layer.isValid() else []
        except ValueError as exc:
            feedback.reportError(self.tr("The notices' maps show no pipes: {error}").format(error=exc), False)
        meta = {"map": map_path or "", "crs": f"{crs.authid()} {crs.description()}".strip(),
                "created": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "version": __version__}
        staging = core_report.staging_folder(folder)
        try:
            qreport.excavation_reports(staging, excavations, backdrop, crs, safety, meta, user_locale(), feedback,
                                       (60, 38))
            if feedback.isCanceled():
                raise CancelledError()
            core_report.publish_folder(staging, folder)
        except OSError as exc:
            raise QgsProcessingException(self.tr("Could not write the notices to {folder}: {error}").format(
                folder=folder, error=exc)) from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return len(excavations)
