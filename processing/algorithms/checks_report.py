"""``pipemap:checksreport`` -- one report (HTML, and PDF through a print layout) of the check findings.

``MAP`` (the backdrop's pipes and the pipes named by findings) is a GeoPackage map or a PostGIS map."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsGeometry,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ...core.checks import report as core_report
from ...core.errors import CancelledError
from ...core.version import __version__
from .. import report as qreport
from ..base import PipeMapAlgorithm, user_locale
from ..pgmap import MapParameter, is_postgis_map, parse, resolve
from . import check_pg
from .build_3d import map_crs

#: the id field of the map's pipe_segment layer, and the findings' fields that name pipes
MAP_ID_FIELD = "seg_id"
PIPE_ID_FIELDS = ("pipe_a", "pipe_b", "pipe_id")


def plain_value(value: Any) -> Any:
    """An attribute as a plain Python value (QGIS's NULL becomes None)."""
    if isinstance(value, QVariant):
        return None if value.isNull() else value.value()
    return value


def read_records(layer: QgsVectorLayer, crs: QgsCoordinateReferenceSystem, context: Any,
                 feedback: Any) -> list[dict[str, Any]]:
    """The features of a findings layer as records, with ``x``/``y`` of the point in ``crs`` (None without a
    geometry)."""
    names = layer.fields().names()
    xform = QgsCoordinateTransform(layer.crs(), crs, context.transformContext()) \
        if layer.crs().isValid() and crs.isValid() and layer.crs() != crs else None
    out = []
    for i, feat in enumerate(layer.getFeatures()):
        if i % 2000 == 0 and feedback.isCanceled():
            raise CancelledError()
        rec = {n: plain_value(v) for n, v in zip(names, feat.attributes())}
        rec.pop("x", None)
        rec.pop("y", None)
        x = y = None
        if feat.hasGeometry() and not feat.geometry().isEmpty():
            geom = feat.geometry()
            pt = geom.asPoint() if geom.type() == QgsWkbTypes.PointGeometry and not geom.isMultipart() \
                else geom.pointOnSurface().asPoint()
            if xform is not None:
                pt = xform.transform(pt)
            x, y = pt.x(), pt.y()
        rec["x"], rec["y"] = x, y
        out.append(rec)
    return out


class ChecksReportAlgorithm(PipeMapAlgorithm):
    NAME = "checksreport"
    GROUP_ID = "checks"

    CLASH = "CLASH"
    COVER = "COVER"
    EXCAVATION = "EXCAVATION"
    MAP = "MAP"
    PIPES = "PIPES"
    SNAPSHOTS = "SNAPSHOTS"
    TITLE = "TITLE"
    OUTPUT_HTML = "OUTPUT_HTML"
    OUTPUT_PDF = "OUTPUT_PDF"
    FINDINGS = "FINDINGS"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Checks report (HTML, PDF)")

    def initAlgorithm(self, config: Any = None) -> None:  # noqa: N802
        for name, label in ((self.CLASH, self.tr("Clash findings (output of clashcheck)")),
                            (self.COVER, self.tr("Cover findings (output of covercheck)")),
                            (self.EXCAVATION, self.tr("Excavation findings (output of excavationcheck)"))):
            self.addParameter(QgsProcessingParameterVectorLayer(name, label, [QgsProcessing.TypeVector],
                                                                optional=True))
        self.addParameter(MapParameter(
            self.MAP, self.tr("Integrated map (GeoPackage or PostGIS map; its pipes are the map backdrop)"),
            QgsProcessingParameterFile.File, fileFilter="GeoPackage (*.gpkg)", optional=True))
        self.addParameter(QgsProcessingParameterVectorLayer(
            self.PIPES, self.tr("Pipes for the map backdrop (when there is no MAP)"), [QgsProcessing.TypeVectorLine],
            optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.SNAPSHOTS, self.tr("Maps of the worst findings"), QgsProcessingParameterNumber.Integer, 6,
            minValue=0, maxValue=50))
        self.addParameter(QgsProcessingParameterString(self.TITLE, self.tr("Title"), optional=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_HTML, self.tr("Report (HTML)"), self.tr("HTML files (*.html)")))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_PDF, self.tr("Report (PDF)"), self.tr("PDF files (*.pdf)"), optional=True,
            createByDefault=False))
        self.addOutput(QgsProcessingOutputNumber(self.FINDINGS, self.tr("Findings (not PASS)")))

    # ---------------------------------------------------------------------------------------------------------
    def _sections(self, parameters: dict[str, Any], context: Any,
                  feedback: Any) -> tuple[list[core_report.Section], QgsCoordinateReferenceSystem]:
        layers = []
        for param, check, alg in ((self.CLASH, "clash", "clashcheck"), (self.COVER, "cover", "covercheck"),
                                  (self.EXCAVATION, "excavation", "excavationcheck")):
            if not parameters.get(param):
                continue
            layer = self.parameterAsVectorLayer(parameters, param, context)
            if layer is None or not layer.isValid():
                raise QgsProcessingException(self.tr("{param}: the layer {value} cannot be read.").format(
                    param=param, value=parameters.get(param)))
            have = layer.fields().names()
            missing = [f for f in core_report.REQUIRED_FIELDS[check] if f not in have]
            if missing:
                raise QgsProcessingException(self.tr(
                    "{param}: the layer {name} has no field {field}; give the output layer of pipemap:{alg}.").format(
                        param=param, name=layer.name(), field=", ".join(missing), alg=alg))
            layers.append((check, layer))
        if not layers:
            raise QgsProcessingException(self.tr(
                "Give at least one findings layer: CLASH, COVER or EXCAVATION (outputs of the check algorithms)."))
        crs = next((lyr.crs() for _, lyr in layers if lyr.crs().isValid()), QgsCoordinateReferenceSystem())
        sections = []
        for check, layer in layers:
            records = read_records(layer, crs, context, feedback)
            source = layer.source().split("|")[0] if layer.providerType() != "memory" else layer.name()
            sections.append(core_report.Section(check, records, source))
        return sections, crs

    def _backdrop(self, parameters: dict[str, Any], context: Any,
                  feedback: Any) -> tuple[list[QgsVectorLayer], str, QgsCoordinateReferenceSystem]:
        raw = parameters.get(self.MAP)
        if isinstance(raw, str) and is_postgis_map(raw):
            if parameters.get(self.PIPES):
                feedback.reportError(self.tr("MAP is given: its pipes are the backdrop and PIPES is ignored."), False)
            return self._postgis_backdrop(raw)
        map_path = self.parameterAsFile(parameters, self.MAP, context) if raw else ""
        if map_path:
            if parameters.get(self.PIPES):
                feedback.reportError(self.tr("MAP is given: its pipes are the backdrop and PIPES is ignored."), False)
            if not os.path.isfile(map_path):
                raise QgsProcessingException(self.tr("The map {path} does not exist.").format(path=map_path))
            try:
                layer = qreport.map_pipes_layer(map_path)
            except ValueError:
                raise QgsProcessingException(self.tr(
                    "{path} is not an integrated map (no pipe_segment layer).").format(path=map_path)) from None
            crs = layer.crs()
            if not crs.isValid():
                try:
                    crs = map_crs(map_path)
                except Exception:  # noqa: BLE001 -- the map's metadata is only a fallback for the CRS
                    crs = QgsCoordinateReferenceSystem()
            return [layer], map_path, crs
        if parameters.get(self.PIPES):
            pipes = self.parameterAsVectorLayer(parameters, self.PIPES, context)
            if pipes is None or not pipes.isValid():
                raise QgsProcessingException(self.tr("PIPES: the layer cannot be read."))
            if QgsWkbTypes.geometryType(pipes.wkbType()) != QgsWkbTypes.LineGeometry:
                raise QgsProcessingException(self.tr("PIPES must be a line layer."))
            try:
                return [qreport.own_copy(pipes, "pipes")], pipes.name(), pipes.crs()
            except ValueError as exc:
                raise QgsProcessingException(str(exc)) from None
        return [], "", QgsCoordinateReferenceSystem()

    def _postgis_backdrop(self, raw: str) -> tuple[list[QgsVectorLayer], str, QgsCoordinateReferenceSystem]:
        """The pipe_segment layer of a PostGIS map (through the postgres provider, in memory only) as the
        backdrop; the report names the map without its password."""
        from ...core.pg import mapdb

        pgmap = resolve(parse(raw))
        info = mapdb.read_map_info(pgmap)  # a map that cannot be reached stops here, named without its password
        name = check_pg.PgMapText(pgmap, info.srid)
        try:
            layer = check_pg.map_pipes_layer(name)
        except ValueError:
            raise QgsProcessingException(self.tr(
                "The PostGIS map {map} has no readable pipe_segment layer.").format(map=pgmap.display())) from None
        crs = layer.crs()
        if not crs.isValid():
            crs = QgsCoordinateReferenceSystem(info.metadata.get("crs_authid") or "")
        if not crs.isValid():
            crs = QgsCoordinateReferenceSystem.fromWkt(info.metadata.get("crs_wkt", ""))
        return [layer], name, crs

    def _outputs(self, parameters: dict[str, Any], context: Any) -> tuple[str, str]:
        html_path = self.parameterAsFileOutput(parameters, self.OUTPUT_HTML, context)
        if not html_path:
            raise QgsProcessingException(self.tr("Give the report file (OUTPUT_HTML)."))
        pdf_path = self.parameterAsFileOutput(parameters, self.OUTPUT_PDF, context) \
            if parameters.get(self.OUTPUT_PDF) else ""
        for path in (html_path, pdf_path):
            if path and Path(path).is_dir():
                raise QgsProcessingException(self.tr("{path} is a folder: give a file name.").format(path=path))
        if pdf_path and Path(pdf_path).resolve() == Path(html_path).resolve():
            raise QgsProcessingException(self.tr("OUTPUT_HTML and OUTPUT_PDF must be different files."))
        for path in (html_path, pdf_path):
            if path:
                try:
                    Path(path).parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise QgsProcessingException(self.tr("Cannot create the folder for {path}: {error}").format(
                        path=path, error=exc)) from None
        return html_path, pdf_path

    # ---------------------------------------------------------------------------------------------------------
    def execute(self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: Any) -> dict[str, Any]:
        html_path, pdf_path = self._outputs(parameters, context)
        sections, crs = self._sections(parameters, context, feedback)
        backdrop, backdrop_name, backdrop_crs = self._backdrop(parameters, context, feedback)
        id_field = MAP_ID_FIELD if parameters.get(self.MAP) else ""
        if not crs.isValid():
            crs = backdrop_crs
        n_shots = self.parameterAsInt(parameters, self.SNAPSHOTS, context)
        title = self.parameterAsString(parameters, self.TITLE, context) if parameters.get(self.TITLE) else ""
        language = user_locale()
        lab = core_report.labels(language)
        meta = {"title": title or lab["checks_title"], "map": backdrop_name,
                "crs": f"{crs.authid()} {crs.description()}".strip() if crs.isValid() else "",
                "created": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "version": __version__}
        findings = sum(1 for s in sections for r in s.records if core_report.verdict_of(r) != core_report.PASS)
        feedback.setProgress(10)

        picks = core_report.pick_snapshots(sections, n_shots) if crs.isValid() else []
        if n_shots and not picks:
            feedback.pushInfo(self.tr("No finding has a location: the report has no maps."))
        points = {s.check: qreport.findings_layer(s.records, crs, f"{s.check} findings") for s in sections}
        shots: list[qreport.MapShot] = []
        snaps: list[core_report.Snapshot] = []
        for i, (check, rec) in enumerate(picks, start=1):
            if feedback.isCanceled():
                raise CancelledError()
            x, y = float(rec["x"]), float(rec["y"])
            ring = qreport.highlight_layers(QgsGeometry.fromPointXY(QgsPointXY(x, y)), crs)
            involved = qreport.pipes_by_id(backdrop[0], id_field, [rec.get(k) for k in PIPE_ID_FIELDS], crs) \
                if backdrop and id_field else []
            caption = core_report.snapshot_caption(check, rec, i, lab)
            shot = qreport.MapShot(caption, qreport.around(x, y), [*ring, points[check], *involved, *backdrop], crs,
                                   dict(rec), check)
            shots.append(shot)
            png = qreport.snapshot(shot.layers, shot.extent, crs=crs)
            snaps.append(core_report.Snapshot(check, dict(rec), png, caption))
            feedback.setProgress(10 + 50 * i / max(1, len(picks)))

        html_text = core_report.checks_html(sections, snaps, meta, language)
        feedback.setProgress(65)
        staged: list[tuple[str, str]] = []
        try:
            fd, tmp_html = _temp_beside(html_path)
            with os.fdopen(fd, "wb") as fh:
                fh.write(html_text.encode("utf-8"))
            staged.append((tmp_html, html_path))
            if pdf_path:
                if feedback.isCanceled():
                    raise CancelledError()
                fd, tmp_pdf = _temp_beside(pdf_path)
                os.close(fd)
                staged.append((tmp_pdf, pdf_path))
                try:
                    qreport.checks_pdf(tmp_pdf, sections, shots, meta, language, feedback=feedback)
                except OSError as exc:
                    raise QgsProcessingException(self.tr("Could not write the PDF {path}: {error}").format(
                        path=pdf_path, error=exc)) from None
            if feedback.isCanceled():
                raise CancelledError()
            for tmp, target in staged:
                core_report.usual_mode(tmp, target)
                os.replace(tmp, target)
        finally:
            for tmp, _ in staged:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        feedback.setProgress(100)
        counts = ", ".join(
            f"{core_report.check_title(s.check, lab)}: " + " / ".join(
                f"{v} {n}" for v, n in core_report.counts_by_verdict_and_rule(s.records)["verdict"].items() if n)
            for s in sections)
        feedback.pushInfo(self.tr("{n} findings reported ({counts}); {maps} maps.").format(
            n=findings, counts=counts or "-", maps=len(snaps)))
        return {self.OUTPUT_HTML: html_path, self.OUTPUT_PDF: pdf_path or None, self.FINDINGS: findings}


def _temp_beside(path: str) -> tuple[int, str]:
    import tempfile

    target = Path(path)
    return tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)

