"""Small helpers shared by the GeoPackage, Shapefile, JSON-FG and LAS writers.

Kept free of format specifics: file names inside a package folder, the CRS of
the exported data as an OSR object, field types, date/time text, geometry as
WKB built from the columnar vertex arrays, and temporary names beside a target.
"""

from __future__ import annotations

import math
import re
import struct
from pathlib import Path
from typing import Any

import numpy as np

from .. import schema
from ..errors import InputError
from .model import LayerData, MapData

#: short name of each exported layer in file names (``<basename>_<short>``)
LAYER_SHORT = {"pipe_segment": "segment", "pipe_point": "point", "gpr_pick": "pick"}
#: data-model layer of each exported layer (descriptions of fields and layers)
_LAYER_DEFS = {"pipe_segment": schema.PIPE_SEGMENT, "pipe_point": schema.PIPE_POINT}

_BASENAME_RE = re.compile(r"^[^\x00-\x1f/\\:*?\"<>|]+$")
_OGR_DATETIME_RE = re.compile(
    r"^(\d{4})[/-](\d{2})[/-](\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$")


def safe_basename(basename: str) -> str:
    """The stem of the files written; refuses anything that could leave the package folder."""
    name = (basename or "").strip()
    if not name or name in (".", "..") or name.startswith(".") or not _BASENAME_RE.match(name) or len(name) > 100:
        raise InputError("The file name stem {name!r} is not usable: use letters, digits, '-' or '_' "
                         "(no folders, no leading dot).", code="export.bad_basename", name=basename)
    return name


def layer_file_stem(basename: str, layer: str) -> str:
    return f"{basename}_{LAYER_SHORT.get(layer, layer)}"


def field_description(layer: str, field: schema.Field) -> str:
    """A field's description, from the data model where the layer belongs to it."""
    if field.description:
        return field.description
    defn = _LAYER_DEFS.get(layer)
    if defn is not None:
        for f in defn.fields:
            if f.name == field.name:
                return f.description
    return ""


def layer_description(layer: str) -> str:
    defn = _LAYER_DEFS.get(layer)
    if defn is not None:
        return defn.description
    if layer == "gpr_pick":
        return "GPR picks: apex of each hyperbolic anomaly"
    return layer


def spatial_reference(data: MapData) -> Any:
    """The map's CRS as an ``osr.SpatialReference`` (x = easting, y = northing order)."""
    from ..gdalutil import spatial_reference as _srs

    text = data.crs_authid or data.crs_wkt
    if not text:
        raise InputError("The map {path} records no coordinate reference system; nothing can be exported "
                         "with a position.", code="export.no_crs", path=data.source)
    try:
        return _srs(text)
    except InputError:
        if data.crs_authid and data.crs_wkt:
            return _srs(data.crs_wkt)
        raise


def iso_datetime(value: Any) -> str | None:
    """OGR date/time text (``2026/11/26 12:12:24+00``) as ISO 8601 (``2026-11-26T12:12:24Z``).

    Text that is not a date is returned unchanged (never lost)."""
    if value is None:
        return None
    text = str(value).strip()
    m = _OGR_DATETIME_RE.match(text)
    if not m:
        return text
    y, mo, d, hh, mi, ss, tz = m.groups()
    out = f"{y}-{mo}-{d}"
    if hh is None:
        return out
    out += f"T{hh}:{mi}:{ss or '00'}"
    if tz:
        if tz == "Z" or tz.replace(":", "") in ("+00", "-00", "+0000", "-0000"):
            out += "Z"
        else:
            digits = tz[1:].replace(":", "")
            out += f"{tz[0]}{digits[:2]}:{digits[2:4] or '00'}"
    return out


def plain_value(field: schema.Field, value: Any) -> Any:
    """A column value as a JSON/OGR-friendly Python value (NaN and blank numbers become None)."""
    if value is None:
        return None
    if field.type == "integer":
        try:
            return int(value)
        except (TypeError, ValueError):
            return None
    if field.type == "real":
        try:
            v = float(value)
        except (TypeError, ValueError):
            return None
        return v if math.isfinite(v) else None
    if field.type in ("date", "datetime"):
        return iso_datetime(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def wkb_line_z(coords: np.ndarray) -> bytes:
    """ISO WKB of a LineString Z from (k, 3) vertices (little-endian)."""
    xyz = np.ascontiguousarray(coords, dtype="<f8").reshape(-1, 3)
    return struct.pack("<BII", 1, 1002, len(xyz)) + xyz.tobytes()


def wkb_point_z(xyz: np.ndarray) -> bytes:
    """ISO WKB of a Point Z."""
    return struct.pack("<BI", 1, 1001) + np.ascontiguousarray(xyz, dtype="<f8").reshape(3).tobytes()


def has_position(layer: LayerData, i: int) -> bool:
    """True when every vertex of feature ``i`` has finite x and y."""
    c = layer.coords(i)
    return bool(len(c)) and bool(np.isfinite(c[:, :2]).all())


def wkb_of(layer: LayerData, i: int, z_nodata: float | None = None) -> bytes:
    """WKB of feature ``i``; ``z_nodata`` replaces unknown (NaN) z when the format cannot hold NaN."""
    c = layer.coords(i)
    if z_nodata is not None and np.isnan(c[:, 2]).any():
        c = c.copy()
        c[np.isnan(c[:, 2]), 2] = z_nodata
    return wkb_line_z(c) if layer.is_line else wkb_point_z(c[0])


def temp_beside(target: Path, suffix: str = "") -> Path:
    """A name for writing ``target`` first (same folder, hidden, removed by the caller on failure)."""
    return target.parent / f".{target.stem}.part{suffix or target.suffix}"


def error_reason(exc: BaseException, limit: int = 300) -> str:
    """A one-line reason from a library's exception, for a message.

    GDAL's SQLite errors repeat the whole SQL statement (``sqlite3_exec(CREATE TABLE ...) failed: disk I/O
    error``): only what follows ``failed:`` is kept. An empty text (GDAL gives none for some failed writes)
    becomes a hint at the usual causes."""
    text = (exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)).strip()
    if "sqlite3_exec(" in text and ") failed: " in text:
        text = text.rsplit(") failed: ", 1)[1]
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text or "the file could not be written (disk full or not writable?)"

