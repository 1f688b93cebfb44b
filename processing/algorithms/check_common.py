"""Shared parts of the check algorithms (``clashcheck``, ``covercheck``, ``excavationcheck``):
pipes from a map or a user layer, ground surfaces, polygons, and finding sinks."""

from __future__ import annotations

import os
from typing import Any, Sequence

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCsException,
    QgsFeature,
    QgsFeatureRequest,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeatureSource,
    QgsProcessingOutputLayerDefinition,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingUtils,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QCoreApplication, QVariant

from ...core import mapread
from ...core.checks import output
from ...core.checks.pipes import Pipes, require_projected
from ...core.checks.rules import RuleSet
from ..base import FeedbackProgress, add_feature, error_text, finish_sink
from ..pgmap import MapParameter
from .build_3d import map_crs

INPUT = "INPUT"
MAP = "MAP"
ID_FIELD = "ID_FIELD"
CLASS_FIELD = "CLASS_FIELD"
DIAMETER_FIELD = "DIAMETER_FIELD"
WIDTH_FIELD = "WIDTH_FIELD"
HEIGHT_FIELD = "HEIGHT_FIELD"

_NUMERIC = QgsProcessingParameterField.Numeric
_ANY = QgsProcessingParameterField.Any


def tr(text: str) -> str:
    return QCoreApplication.translate("PipeMapChecks", text)


def add_pipe_parameters(alg: Any, fields: Sequence[str]) -> None:
    """``INPUT``, ``MAP`` and the field parameters named in ``fields``."""
    alg.addParameter(QgsProcessingParameterFeatureSource(
        INPUT, tr("Pipes (LineStringZ, z = centreline; not needed with MAP)"), [QgsProcessing.TypeVectorLine],
        optional=True))
    # a GeoPackage file or a PostGIS map string (then the check runs in the database: check_pg.py)
    alg.addParameter(MapParameter(
        MAP, tr("Integrated map (GeoPackage or PostGIS map; its pipe_segment layer replaces INPUT)"),
        QgsProcessingParameterFile.File, fileFilter="GeoPackage (*.gpkg)", optional=True))
    labels = {ID_FIELD: (tr("Pipe id field"), _ANY), CLASS_FIELD: (tr("Rule class field"), _ANY),
              DIAMETER_FIELD: (tr("Outer diameter field (mm)"), _NUMERIC),
              WIDTH_FIELD: (tr("Box width field (mm)"), _NUMERIC),
              HEIGHT_FIELD: (tr("Box height field (mm)"), _NUMERIC)}
    for name in fields:
        label, kind = labels[name]
        alg.addParameter(QgsProcessingParameterField(name, label, parentLayerParameterName=INPUT, type=kind,
                                                     optional=True))


def _is_null(value: Any) -> bool:
    """None or a NULL QVariant (how PyQGIS returns a NULL attribute)."""
    if value is None:
        return True
    is_null = getattr(value, "isNull", None)
    return bool(is_null()) if isinstance(value, QVariant) and callable(is_null) else False


def _text(value: Any) -> str:
    """An attribute as text; NULL and blanks are ""."""
    return "" if _is_null(value) else str(value).strip()


def _number(value: Any) -> float:
    if _is_null(value):
        return float("nan")
    try:
        out = float(value)
    except (TypeError, ValueError):
        return float("nan")
    return out


def load_pipes(alg: Any, parameters: dict[str, Any], context: Any, feedback: Any,
               rules: RuleSet) -> tuple[Pipes, QgsCoordinateReferenceSystem, Any]:
    """The pipes (from ``MAP`` or from ``INPUT`` and its fields), their CRS and the map path (or None)."""
    map_path = alg.parameterAsFile(parameters, MAP, context) if parameters.get(MAP) else ""
    if map_path:
        if parameters.get(INPUT):
            feedback.reportError(tr("MAP is given: its pipe_segment layer is checked and INPUT is ignored."), False)
        crs = map_crs(map_path)
        require_projected(crs_text(crs))
        # read_segments also reads the attributes the classes come from (burial method, material, pressure,
        # DN, quality level): one columnar read, no feature loop
        return Pipes.from_segments(mapread.read_segments(map_path), rules), crs, map_path
    source = alg.parameterAsSource(parameters, INPUT, context) if parameters.get(INPUT) else None
    if source is None:
        raise QgsProcessingException(tr("Give the pipes: an INPUT line layer or an integrated MAP."))
    if QgsWkbTypes.geometryType(source.wkbType()) != QgsWkbTypes.LineGeometry:
        raise QgsProcessingException(tr("INPUT must be a line layer."))
    crs = source.sourceCrs()
    if not crs.isValid():
        raise QgsProcessingException(tr("INPUT has no coordinate reference system."))
    require_projected(crs_text(crs))
    if not QgsWkbTypes.hasZ(source.wkbType()):
        feedback.reportError(tr("INPUT has no z values (a 2D layer): every vertical, cover and excavation "
                                "figure is UNKNOWN."), False)
    names = {k: alg.parameterAsString(parameters, k, context) if parameters.get(k) else ""
             for k in (ID_FIELD, CLASS_FIELD, DIAMETER_FIELD, WIDTH_FIELD, HEIGHT_FIELD)}
    have = source.fields().names()
    for key, name in names.items():
        if name and name not in have:
            raise QgsProcessingException(tr("The field {name} ({param}) is not in INPUT.").format(
                name=name, param=key))
    ids: list[str] = []
    classes: list[str] = []
    rh: list[float] = []
    rv: list[float] = []
    verts: list[np.ndarray] = []
    offsets = [0]
    no_geometry = 0
    bad_size: list[str] = []
    # QGIS's invalid-geometry filter would drop or refuse degenerate lines; the checks report them instead
    for feat in source.getFeatures(QgsFeatureRequest(), QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks):
        if not feat.hasGeometry() or feat.geometry().isEmpty():
            no_geometry += 1
            continue
        fid = (_text(feat[names[ID_FIELD]]) if names[ID_FIELD] else "") or str(feat.id())
        cls = _text(feat[names[CLASS_FIELD]]) if names[CLASS_FIELD] else ""
        d = _number(feat[names[DIAMETER_FIELD]]) if names[DIAMETER_FIELD] else float("nan")
        if d <= 0:  # 0 is the usual stand-in for "not recorded": unknown, never a zero-size line
            bad_size.append(fid)
            d = float("nan")
        w = _number(feat[names[WIDTH_FIELD]]) if names[WIDTH_FIELD] else float("nan")
        h = _number(feat[names[HEIGHT_FIELD]]) if names[HEIGHT_FIELD] else float("nan")
        w = w if np.isfinite(w) and w > 0 else d
        h = h if np.isfinite(h) and h > 0 else d
        geom = feat.geometry()
        if QgsWkbTypes.isCurvedType(geom.wkbType()):  # arcs: their vertices alone are not the line
            geom = QgsGeometry(geom.constGet().segmentize())
        parts = [geom.constGet().geometryN(i) for i in range(geom.constGet().numGeometries())] \
            if geom.isMultipart() else [geom.constGet()]
        for part in parts:
            xyz = np.array([(v.x(), v.y(), v.z()) for v in part.vertices()], dtype=float).reshape(-1, 3)
            verts.append(xyz)
            offsets.append(offsets[-1] + len(xyz))
            ids.append(fid)
            classes.append(cls)
            rh.append(w / 2000.0)
            rv.append(h / 2000.0)
    if no_geometry:
        feedback.reportError(tr("{n} features of INPUT have no geometry and are not checked.").format(n=no_geometry),
                             False)
    if not ids:
        feedback.reportError(tr("INPUT has no line features: nothing was checked (no finding does not mean PASS)."),
                             False)
    if bad_size:
        feedback.reportError(tr("{n} features have a diameter of 0 or less in {field}: their size is taken as "
                                "unknown (e.g. {ids}).").format(n=len(bad_size), field=names[DIAMETER_FIELD],
                                                                ids=", ".join(bad_size[:5])), False)
    vertices = np.concatenate(verts) if verts else np.zeros((0, 3))
    given = classes if names[CLASS_FIELD] else None
    # the class stands in for the category: the tee exemption (an endpoint on another line of the same
    # category) must not hide, say, a gas line ending on a heating main
    pipes = Pipes.from_arrays(ids, vertices, np.array(offsets), rh, rv, category=given, h_class=given,
                              v_class=given, cover_class=given)
    return pipes, crs, None


def crs_text(crs: QgsCoordinateReferenceSystem) -> str:
    """The CRS as GDAL reads it (authority code, else WKT1)."""
    authid = crs.authid()
    if authid and not authid.upper().startswith("USER:"):  # a user CRS's id means nothing to GDAL
        return authid
    return crs.toWkt(QgsCoordinateReferenceSystem.WKT1_GDAL)


def raster_ground(layer: Any, crs: QgsCoordinateReferenceSystem) -> Any:
    """A DEM layer as a ground callable (must be in the pipes' CRS)."""
    from ...core.checks.ground import dem_ground

    if layer is None:
        return None
    if layer.crs().isValid() and layer.crs() != crs:
        raise QgsProcessingException(tr("The ground DEM is in {a} but the pipes are in {b}: reproject one of them "
                                        "first.").format(a=layer.crs().userFriendlyIdentifier(),
                                                         b=crs.userFriendlyIdentifier()))
    return dem_ground(layer.source())


def polygons(source: Any, crs: QgsCoordinateReferenceSystem, context: Any,
             fields: Sequence[str] = ()) -> tuple[list[Any], list[str], dict[str, list[Any]]]:
    """Shapely polygons of a polygon source in ``crs``, their feature ids and the values of ``fields``."""
    import shapely

    if QgsWkbTypes.geometryType(source.wkbType()) != QgsWkbTypes.PolygonGeometry:
        raise QgsProcessingException(tr("{name} must be a polygon layer.").format(name=source.sourceName()))
    xform = QgsCoordinateTransform(source.sourceCrs(), crs, context.transformContext())
    geoms, ids = [], []
    values: dict[str, list[Any]] = {f: [] for f in fields}
    # invalid polygons (self-intersecting outlines...) are repaired by the check, which names them in a
    # warning; QGIS's own validity filter would stop the run or drop them silently
    features = source.getFeatures(QgsFeatureRequest(), QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks)
    for feat in features:
        if not feat.hasGeometry():
            continue
        geom = QgsGeometry(feat.geometry())
        if QgsWkbTypes.isCurvedType(geom.wkbType()):
            geom = QgsGeometry(geom.constGet().segmentize())
        try:
            geom.transform(xform)
        except QgsCsException:
            raise QgsProcessingException(tr("The feature {fid} of {name} cannot be transformed to the pipes' CRS "
                                            "{crs}.").format(fid=feat.id(), name=source.sourceName(),
                                                             crs=crs.userFriendlyIdentifier())) from None
        geoms.append(shapely.from_wkb(bytes(geom.asWkb())))
        ids.append(str(feat.id()))
        for f in fields:
            values[f].append(None if _is_null(feat[f]) else feat[f])
    return geoms, ids, values


def report_messages(messages: Sequence[Any], feedback: Any) -> None:
    for msg in messages:
        feedback.reportError(error_text(msg), False)


#: output column kinds of the fast GeoPackage writer, by the QVariant type of an algorithm's COLUMNS
OUTPUT_KINDS = {QVariant.String: output.TEXT, QVariant.Double: output.REAL, QVariant.Int: output.INTEGER,
                QVariant.LongLong: output.INTEGER}


def gpkg_destination(alg: Any, parameters: dict[str, Any], name: str, context: Any) -> str:
    """The plain GeoPackage file an output parameter resolves to (absolute path), or "" when a QGIS sink
    must write it: memory layers, other formats, ``ogr:``/database URIs, appending to an existing layer."""
    value = parameters.get(name)
    if value is None:
        return ""
    if isinstance(value, QgsProcessingOutputLayerDefinition) and value.useRemapping():
        return ""
    try:
        text = (alg.parameterAsOutputLayer(parameters, name, context) or "").strip()
    except Exception:  # noqa: BLE001 - the sink reports an unusable destination itself
        return ""
    if not text.lower().endswith(".gpkg") or "|" in text or "?" in text or "://" in text or "dbname=" in text \
            or text.startswith(("memory:", "ogr:", "postgres:", "postgis:", "spatialite:")):
        return ""
    return os.path.abspath(text)


def _load_on_completion(alg: Any, parameters: dict[str, Any], name: str, context: Any, path: str) -> None:
    """Ask QGIS to load a written output when the run asked for it (as ``parameterAsSink`` does)."""
    value = parameters.get(name)
    project = getattr(value, "destinationProject", None) \
        if isinstance(value, QgsProcessingOutputLayerDefinition) else None
    if project is None:
        return
    definition = alg.parameterDefinition(name)
    title = value.destinationName or (definition.description() if definition is not None else name)
    details = QgsProcessingContext.LayerDetails(title, project, name)
    details.layerTypeHint = QgsProcessingUtils.LayerHint.Vector
    context.addLayerToLoadOnCompletion(path, details)


def write_findings(alg: Any, parameters: dict[str, Any], context: Any, name: str, findings: Any,
                   columns: Sequence[tuple[str, Any]], crs: QgsCoordinateReferenceSystem, what: str,
                   feedback: Any = None, progress_span: tuple[float, float] = (90.0, 10.0)) -> str:
    """The findings (a :class:`core.checks.verdict.FindingTable` with ``x``, ``y``) as a point layer with
    ``columns``; returns the output's id.

    A plain GeoPackage file destination is written by :func:`core.checks.output.write_points_gpkg`
    (bulk SQLite load, built under a temporary name and moved into place); any other destination goes
    through a QGIS feature sink, feature by feature.
    """
    target = gpkg_destination(alg, parameters, name, context)
    if target:
        values = {col: getattr(findings, col) for col, _kind in columns}
        output.write_points_gpkg(target, [(col, OUTPUT_KINDS[kind]) for col, kind in columns], values, findings.x,
                                 findings.y, _crs_for_gdal(crs),
                                 progress=FeedbackProgress(feedback, *progress_span))
        _load_on_completion(alg, parameters, name, context, target)
        return target
    fields = QgsFields()
    for col, kind in columns:
        fields.append(QgsField(col, kind))
    sink, sink_id = alg.parameterAsSink(parameters, name, context, fields, QgsWkbTypes.Point, crs)
    if sink is None:
        raise QgsProcessingException(tr("Could not create the output layer."))
    for rec in findings.records():
        feat = QgsFeature(fields)
        attrs = []
        for col, _kind in columns:
            v = rec.get(col)
            if isinstance(v, float) and not np.isfinite(v):
                v = None
            attrs.append(v)
        feat.setAttributes(attrs)
        x, y = rec.get("x"), rec.get("y")
        if x is not None and y is not None and np.isfinite(x) and np.isfinite(y):
            feat.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(float(x), float(y))))
        add_feature(sink, feat, what)
    finish_sink(sink)
    return sink_id


def _crs_for_gdal(crs: QgsCoordinateReferenceSystem) -> str:
    """The CRS for OGR: its EPSG code, else its WKT as GDAL prefers it."""
    authid = crs.authid()
    if authid.upper().startswith("EPSG:"):
        return authid
    return crs.toWkt(QgsCoordinateReferenceSystem.WKT_PREFERRED_GDAL)


S, D = QVariant.String, QVariant.Double
