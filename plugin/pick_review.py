"""Review decisions on GPR picks, stored with the survey in the map.

The decisions live in the integrated map's GeoPackage, in a point layer
``gpr_pick_review`` (map CRS, one feature per reviewed pick), written with
OGR in one transaction per decision. A pick is identified by the radar file
and its ``pick_id`` from ``pipemap:gprpick``; the trace is kept too, so a
decision is not applied to a different pick after re-picking with other
parameters.

Fields: ``file``, ``pick_id``, ``trace``, ``distance_m``, ``decision``
(``accepted`` / ``rejected``), ``edited`` (1 when depth or category were
changed), ``depth_m`` (the reviewed depth of the target's top), ``picked_depth_m``,
``category`` (CJJ 61 code, may be empty), ``confidence``, ``note``, ``reviewer``,
``reviewed_at`` (UTC, ISO 8601).
"""

from __future__ import annotations

import datetime as _dt
import getpass
import os
from typing import Any

from ..core.gdalutil import gdal_exceptions

TABLE = "gpr_pick_review"

_FIELDS = (("file", "s"), ("pick_id", "s"), ("trace", "i"), ("distance_m", "r"), ("decision", "s"),
           ("edited", "i"), ("depth_m", "r"), ("picked_depth_m", "r"), ("category", "s"), ("confidence", "r"),
           ("note", "s"), ("reviewer", "s"), ("reviewed_at", "s"))
DECISIONS = ("accepted", "rejected")


def _open(map_path: str | os.PathLike[str], update: bool) -> Any:
    from osgeo import gdal

    flags = gdal.OF_VECTOR | (gdal.OF_UPDATE if update else 0)
    return gdal.OpenEx(str(map_path), flags, allowed_drivers=["GPKG"])


def _quote(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def load(map_path: str | os.PathLike[str], file: str | None = None) -> dict[str, dict[str, Any]]:
    """Decisions stored in a map: pick_id -> fields (for one radar file when given)."""
    if not map_path or not os.path.isfile(map_path):
        return {}
    out: dict[str, dict[str, Any]] = {}
    with gdal_exceptions():
        ds = _open(map_path, False)
        try:
            layer = ds.GetLayerByName(TABLE)
            if layer is None:
                return {}
            if file:
                layer.SetAttributeFilter(f"file = {_quote(file)}")
            for feat in layer:
                row = {name: feat.GetField(name) for name, _ in _FIELDS}
                geom = feat.GetGeometryRef()
                if geom is not None:
                    row["x"], row["y"] = geom.GetX(), geom.GetY()
                out[str(row["pick_id"])] = row
        finally:
            ds = None  # noqa: F841
    return out


def save(map_path: str | os.PathLike[str], decision: dict[str, Any], x: float | None = None,
         y: float | None = None) -> dict[str, Any]:
    """Store (or replace) the decision on one pick; x, y in the map CRS.

    :param decision: ``file``, ``pick_id`` and ``decision`` at least; the other
        fields as listed in the module docstring.
    :returns: the stored fields.
    """
    from osgeo import ogr

    if decision.get("decision") not in DECISIONS:
        raise ValueError(f"decision must be one of {DECISIONS}, not {decision.get('decision')!r}")
    row = dict(decision)
    row.setdefault("reviewer", getpass.getuser())
    row["reviewed_at"] = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    types = {"s": ogr.OFTString, "i": ogr.OFTInteger, "r": ogr.OFTReal}
    with gdal_exceptions():
        ds = _open(map_path, True)
        try:
            layer = ds.GetLayerByName(TABLE)
            if layer is None:
                ref = ds.GetLayerByName("pipe_segment")
                srs = ref.GetSpatialRef() if ref is not None else None
                layer = ds.CreateLayer(TABLE, srs, ogr.wkbPoint, options=["GEOMETRY_NAME=geom", "FID=fid"])
                for name, kind in _FIELDS:
                    layer.CreateField(ogr.FieldDefn(name, types[kind]))
            ds.StartTransaction()
            try:
                layer.SetAttributeFilter(f"file = {_quote(row['file'])} AND pick_id = {_quote(row['pick_id'])}")
                old = [f.GetFID() for f in layer]
                layer.SetAttributeFilter(None)
                for fid in old:
                    layer.DeleteFeature(fid)
                feat = ogr.Feature(layer.GetLayerDefn())
                for name, _ in _FIELDS:
                    value = row.get(name)
                    if value is not None:
                        feat.SetField(name, value)
                if x is not None and y is not None:
                    point = ogr.Geometry(ogr.wkbPoint)
                    point.AddPoint_2D(float(x), float(y))
                    feat.SetGeometry(point)
                layer.CreateFeature(feat)
                ds.CommitTransaction()
            except BaseException:
                ds.RollbackTransaction()
                raise
        finally:
            ds = None  # noqa: F841
    return row
