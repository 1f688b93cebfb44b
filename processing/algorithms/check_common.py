"""Shared parts of the check algorithms (``clashcheck``, ``covercheck``, ``excavationcheck``):
pipes from a map or a user layer, ground surfaces, polygons, and finding sinks."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QCoreApplication, QVariant

from ...core import mapread
from ...core.checks.pipes import Pipes, read_check_attributes, require_projected
from ...core.checks.rules import RuleSet
from ..base import add_feature, error_text, finish_sink
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
    alg.addParameter(QgsProcessingParameterFile(
        MAP, tr("Integrated map (GeoPackage; its pipe_segment layer replaces INPUT)"),
        QgsProcessingParameterFile.File, fileFilter="GeoPackage (*.gpkg)", optional=True))
    labels = {ID_FIELD: (tr("Pipe id field"), _ANY), CLASS_FIELD: (tr("Rule class field"), _ANY),
              DIAMETER_FIELD: (tr("Outer diameter field (mm)"), _NUMERIC),
              WIDTH_FIELD: (tr("Box width field (mm)"), _NUMERIC),
              HEIGHT_FIELD: (tr("Box height field (mm)"), _NUMERIC)}
    for name in fields:
        label, kind = labels[name]
        alg.addParameter(QgsProcessingParameterField(name, label, parentLayerParameterName=INPUT, type=kind,
                                                     optional=True))


def _number(value: Any) -> float:
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
        seg = mapread.read_segments(map_path)
        attrs = read_check_attributes(map_path, seg.ids)
        return Pipes.from_segments(seg, rules, attributes=attrs), crs, map_path
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
    for feat in source.getFeatures():
        if not feat.hasGeometry():
            continue
        fid = str(feat[names[ID_FIELD]]) if names[ID_FIELD] and feat[names[ID_FIELD]] is not None \
            else str(feat.id())
        cls = str(feat[names[CLASS_FIELD]]) if names[CLASS_FIELD] and feat[names[CLASS_FIELD]] is not None else ""
        d = _number(feat[names[DIAMETER_FIELD]]) if names[DIAMETER_FIELD] else float("nan")
        w = _number(feat[names[WIDTH_FIELD]]) if names[WIDTH_FIELD] else float("nan")
        h = _number(feat[names[HEIGHT_FIELD]]) if names[HEIGHT_FIELD] else float("nan")
        w = w if np.isfinite(w) and w > 0 else d
        h = h if np.isfinite(h) and h > 0 else d
        geom = feat.geometry()
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
    vertices = np.concatenate(verts) if verts else np.zeros((0, 3))
    given = classes if names[CLASS_FIELD] else None
    pipes = Pipes.from_arrays(ids, vertices, np.array(offsets), rh, rv, h_class=given, v_class=given,
                              cover_class=given)
    return pipes, crs, None


def crs_text(crs: QgsCoordinateReferenceSystem) -> str:
    """The CRS as GDAL reads it (authority code, else WKT1)."""
    return crs.authid() or crs.toWkt(QgsCoordinateReferenceSystem.WKT1_GDAL)


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
    for feat in source.getFeatures():
        if not feat.hasGeometry():
            continue
        geom = QgsGeometry(feat.geometry())
        geom.transform(xform)
        geoms.append(shapely.from_wkb(bytes(geom.asWkb())))
        ids.append(str(feat.id()))
        for f in fields:
            values[f].append(feat[f])
    return geoms, ids, values


def report_messages(messages: Sequence[Any], feedback: Any) -> None:
    for msg in messages:
        feedback.reportError(error_text(msg), False)


def write_findings(alg: Any, parameters: dict[str, Any], context: Any, name: str, records: list[dict[str, Any]],
                   columns: Sequence[tuple[str, Any]], crs: QgsCoordinateReferenceSystem, what: str) -> str:
    """A point sink with one feature per record (geometry at the record's x, y)."""
    fields = QgsFields()
    for col, kind in columns:
        fields.append(QgsField(col, kind))
    sink, sink_id = alg.parameterAsSink(parameters, name, context, fields, QgsWkbTypes.Point, crs)
    if sink is None:
        raise QgsProcessingException(tr("Could not create the output layer."))
    for rec in records:
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


S, D = QVariant.String, QVariant.Double
