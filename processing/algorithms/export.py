"""``pipemap:export`` -- a share package of the integrated map in standard formats."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingOutputFile,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterFolderDestination,
    QgsProcessingUtils,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QCoreApplication, QDate, QDateTime, Qt, QVariant

from ...core import codes, mapfile, schema
from ...core.export import formats, model, package, profiles
from ...core.export.manifest import MANIFEST
from ..base import FeedbackProgress, PipeMapAlgorithm, user_locale
from ..pgmap import MapParameter, is_postgis_map, map_input, parse, resolve

#: pick attributes written by ``pipemap:gprpick`` beyond :data:`core.export.model.PICK_FIELDS`
PICK_EXTRA_FIELDS = (schema.Field("eps_r", "real"), schema.Field("amplitude", "real"),
                     schema.Field("polarity", "integer"), schema.Field("channel", "integer"),
                     schema.Field("trace", "integer"))
ENCODINGS = ("UTF-8", "GBK")
TABLE_FORMATS = ("csv", "xlsx")


class MultiEnumParameter(QgsProcessingParameterEnum):
    """An enum allowing several values that also accepts a repeated command-line parameter.

    qgis_process 3.22 turns ``FORMAT=0 FORMAT=8`` into a string list, which
    QGIS 3.22's own check refuses; ``FORMAT=0,8`` works everywhere.
    """

    def checkValueIsAcceptable(self, value: Any, context: Any = None) -> bool:  # noqa: N802
        if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
            try:
                indexes = [int(part) for v in value for part in v.split(",") if part.strip()]
            except ValueError:
                return False
            return bool(indexes) and all(0 <= i < len(self.options()) for i in indexes)
        return super().checkValueIsAcceptable(value, context)

    def clone(self) -> MultiEnumParameter:
        copy = MultiEnumParameter(self.name(), self.description(), self.options(), self.allowMultiple(),
                                  self.defaultValue(), bool(self.flags() & self.FlagOptional))
        copy.setFlags(self.flags())
        return copy


def _enum_indexes(value: Any) -> list[int] | None:
    """Indexes of a repeated command-line enum (a list of strings), else None."""
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        return [int(part) for v in value for part in v.split(",") if part.strip()]
    return None


def _python_value(value: Any, kind: str) -> Any:
    """A QGIS attribute as a plain Python value of the data-model type (NULL -> None)."""
    if value is None or (isinstance(value, QVariant) and value.isNull()):
        return None
    if isinstance(value, QDateTime):
        return value.toString(Qt.ISODate) if value.isValid() else None
    if isinstance(value, QDate):
        return value.toString(Qt.ISODate) if value.isValid() else None
    try:
        if kind == "integer":
            return int(value)
        if kind == "real":
            v = float(value)
            return v if math.isfinite(v) else None
    except (TypeError, ValueError):
        return None
    return str(value)


def picks_layer_data(source: Any, map_crs: QgsCoordinateReferenceSystem, context: QgsProcessingContext,
                     feedback: Any) -> model.LayerData:
    """GPR picks from a point source (``pipemap:gprpick`` output) as columnar data in the map's CRS."""
    known = {f.name: f for f in model.PICK_FIELDS + PICK_EXTRA_FIELDS}
    names = source.fields().names()
    fields = [known[n] for n in known if n in names]
    transform = None
    if source.sourceCrs().isValid() and map_crs.isValid() and source.sourceCrs() != map_crs:
        transform = QgsCoordinateTransform(source.sourceCrs(), map_crs, context.transformContext())
    rows: list[dict[str, Any]] = []
    xyz: list[tuple[float, float, float]] = []
    missing = 0
    for feat in source.getFeatures():
        if feedback.isCanceled():
            break
        geom = feat.geometry()
        if geom is None or geom.isEmpty():
            missing += 1
            continue
        point = geom.constGet()
        if hasattr(point, "geometryN") and point.numGeometries():  # a multipoint of one point
            point = point.geometryN(0)
        x, y = point.x(), point.y()
        z = point.z() if point.is3D() else float("nan")
        if transform is not None:
            p = transform.transform(x, y)
            x, y = p.x(), p.y()
        rows.append({f.name: _python_value(feat[f.name], f.type) for f in fields})
        xyz.append((x, y, z))
    if missing:
        feedback.reportError(QCoreApplication.translate(
            "ExportAlgorithm", "{n} picks have no position and were left out.").format(n=missing), False)
    return model.LayerData.from_rows("gpr_pick", fields, rows, xyz)


def map_crs_of(map_path: str) -> QgsCoordinateReferenceSystem:
    meta = mapfile.read_metadata(map_path)
    crs = QgsCoordinateReferenceSystem(meta.get("crs_authid") or "")
    if not crs.isValid() and meta.get("crs_wkt"):
        crs = QgsCoordinateReferenceSystem.fromWkt(meta["crs_wkt"])
    return crs


def _stage_postgis(text: str, feedback: Any) -> tuple[Path, str]:
    """A PostGIS map copied (one consistent snapshot, :func:`core.pg.transfer.transfer`) into a new GeoPackage in
    QGIS's temporary folder; returns the file and the map's schema name."""
    import uuid

    from ...core.pg import transfer

    pgmap = resolve(parse(text))
    target = Path(QgsProcessingUtils.tempFolder()) / f"pipemap-export-{uuid.uuid4().hex[:12]}.gpkg"
    feedback.pushInfo(QCoreApplication.translate("ExportAlgorithm", "Reading the PostGIS map {map}.").format(
        map=pgmap.display()))
    transfer.transfer(pgmap, target, progress=FeedbackProgress(feedback, 0, 10))
    return target, pgmap.schema


class ExportAlgorithm(PipeMapAlgorithm):
    NAME = "export"
    GROUP_ID = "sharing"

    MAP = "MAP"
    FORMAT = "FORMAT"
    PROFILE = "PROFILE"
    PROFILE_FILE = "PROFILE_FILE"
    CATEGORIES = "CATEGORIES"
    EXTENT = "EXTENT"
    PICKS = "PICKS"
    ENCODING = "ENCODING"
    TABLE_FORMAT = "TABLE_FORMAT"
    OVERWRITE = "OVERWRITE"
    OUTPUT = "OUTPUT"

    def displayName(self) -> str:
        return self.tr("Export a share package")

    def group(self) -> str:
        return QCoreApplication.translate("PipeMapAlgorithm", "Data sharing")

    def initAlgorithm(self, config: Any = None) -> None:
        zh = user_locale().startswith("zh")
        self.addParameter(MapParameter(
            self.MAP, self.tr("Integrated map (GeoPackage or PostGIS map)"), QgsProcessingParameterFile.File,
            fileFilter="GeoPackage (*.gpkg)"))
        self.addParameter(MultiEnumParameter(
            self.FORMAT, self.tr("Formats"), [f.label_zh if zh else f.label_en for f in formats.FORMATS],
            allowMultiple=True, defaultValue=[0]))
        labels = []
        for name in profiles.SHIPPED:
            try:
                title = profiles.load_profile(name).title
            except Exception:  # noqa: BLE001 - a damaged install still lists the algorithm
                title = {}
            labels.append(f"{name} — {title.get('zh_CN' if zh else 'en', '')}".rstrip(" —"))
        self.addParameter(QgsProcessingParameterEnum(
            self.PROFILE, self.tr("Sharing profile"), labels, defaultValue=profiles.SHIPPED.index("planning")))
        custom = QgsProcessingParameterFile(
            self.PROFILE_FILE, self.tr("Custom sharing profile (JSON file, replaces PROFILE)"),
            QgsProcessingParameterFile.File, fileFilter=self.tr("Sharing profile (*.json)"), optional=True)
        custom.setFlags(custom.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(custom)
        self.addParameter(MultiEnumParameter(
            self.CATEGORIES, self.tr("Only these categories (empty: all the profile allows)"),
            [f"{c.code} — {c.name_zh if zh else c.name_en}" for c in codes.CATEGORIES], allowMultiple=True,
            optional=True))
        self.addParameter(QgsProcessingParameterExtent(
            self.EXTENT, self.tr("Only within this extent"), optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.PICKS, self.tr("GPR picks (from Pick GPR anomalies)"), [QgsProcessing.TypeVectorPoint],
            optional=True))
        encoding = QgsProcessingParameterEnum(
            self.ENCODING, self.tr("Text encoding of Shapefile and result tables"), list(ENCODINGS), defaultValue=0)
        encoding.setFlags(encoding.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(encoding)
        table = QgsProcessingParameterEnum(
            self.TABLE_FORMAT, self.tr("Result table format"), list(TABLE_FORMATS), defaultValue=0)
        table.setFlags(table.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(table)
        self.addParameter(QgsProcessingParameterBoolean(
            self.OVERWRITE, self.tr("Replace an existing package"), False))
        self.addParameter(QgsProcessingParameterFolderDestination(
            self.OUTPUT, self.tr("Share package (folder; a name ending in .zip writes a zip file)")))
        self.addOutput(QgsProcessingOutputFile("MANIFEST", self.tr("Manifest (or the zip holding it)")))
        self.addOutput(QgsProcessingOutputNumber("FILES", self.tr("Files in the package")))
        self.addOutput(QgsProcessingOutputNumber("FEATURES", self.tr("Features exported")))

    def execute(self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: Any) -> dict[str, Any]:
        map_path = map_input(self, parameters, self.MAP, context)
        staged = None
        if is_postgis_map(map_path):  # a snapshot of the PostGIS map, in a temporary GeoPackage, is exported
            staged, pg_name = _stage_postgis(map_path, feedback)
            map_path = str(staged)
        fmt_idx = _enum_indexes(parameters.get(self.FORMAT))
        if fmt_idx is None:
            fmt_idx = self.parameterAsEnums(parameters, self.FORMAT, context)
        keys = [formats.FORMATS[i].key for i in fmt_idx]
        profile_file = self.parameterAsFile(parameters, self.PROFILE_FILE, context)
        if profile_file:
            profile = profiles.load_profile(profile_file)
        else:
            profile = profiles.load_profile(profiles.SHIPPED[self.parameterAsEnum(parameters, self.PROFILE, context)])
        categories: list[str] = []
        if parameters.get(self.CATEGORIES) not in (None, "", []):  # (parameterAsEnums gives [0] for "not set")
            cat_idx = _enum_indexes(parameters.get(self.CATEGORIES))
            if cat_idx is None:
                cat_idx = self.parameterAsEnums(parameters, self.CATEGORIES, context)
            categories = [codes.CATEGORIES[i].code for i in cat_idx]
        meta = mapfile.read_metadata(map_path)  # also refuses a file that is not an integrated map
        map_crs = map_crs_of(map_path)
        extent = None
        if parameters.get(self.EXTENT) not in (None, ""):
            rect = self.parameterAsExtent(parameters, self.EXTENT, context, map_crs)
            if isinstance(rect, QgsRectangle) and not rect.isNull() and not rect.isEmpty():
                extent = (rect.xMinimum(), rect.yMinimum(), rect.xMaximum(), rect.yMaximum())
        picks = None
        source = self.parameterAsSource(parameters, self.PICKS, context)
        if source is not None:
            picks = picks_layer_data(source, map_crs, context, feedback)
        output = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        out = Path(output)
        temp_root = Path(QgsProcessingUtils.tempFolder())
        if not out.parent.exists() and temp_root in out.parents:
            out.parent.mkdir(parents=True, exist_ok=True)  # QGIS's temporary output folder
        stem = pg_name if staged else Path(map_path).stem
        basename = stem if stem and not stem.startswith(".") and all(c not in stem for c in '/\\:*?"<>|') \
            else "pipemap"
        options = formats.ExportOptions(
            basename=basename, encoding=ENCODINGS[self.parameterAsEnum(parameters, self.ENCODING, context)],
            table_format=TABLE_FORMATS[self.parameterAsEnum(parameters, self.TABLE_FORMAT, context)])
        feedback.pushInfo(self.tr("Sharing profile: {name} ({file}).").format(
            name=profile.name, file=os.path.basename(profile.source)))
        data = model.read_map(map_path, profile, categories=categories or None, extent=extent, picks=picks,
                              progress=FeedbackProgress(feedback, 0, 20))
        if staged:
            data.source = basename  # the package names the map, not the temporary file
        for reason, n in sorted(data.removed.items()):
            feedback.pushInfo(self.tr("Not exported: {n} — {reason}").format(n=n, reason=reason))
        filters = {"categories": categories or None, "extent": list(extent) if extent else None,
                   "extent_crs": meta.get("crs_authid") or "map CRS", "picks": picks is not None}
        result = package.export_package(data, keys, out, options=options,
                                        overwrite=self.parameterAsBoolean(parameters, self.OVERWRITE, context),
                                        filters=filters, progress=FeedbackProgress(feedback, 20, 80))
        features = sum(len(layer) for layer in data.layers())
        for layer, counts in data.counts().items():
            feedback.pushInfo(f"{layer}: " + ", ".join(f"{k or '?'} {v}" for k, v in counts.items()))
        if result.warnings:
            feedback.pushInfo(self.tr("{n} warnings are recorded in the manifest.").format(n=len(result.warnings)))
        feedback.pushInfo(self.tr("Share package written: {path}").format(path=str(result.path)))
        manifest_path = result.path if result.path.suffix.lower() == ".zip" else result.path / MANIFEST
        if staged:
            staged.unlink(missing_ok=True)
        return {self.OUTPUT: str(result.path), "MANIFEST": str(manifest_path),
                "FILES": len(result.manifest["files"]), "FEATURES": features}
