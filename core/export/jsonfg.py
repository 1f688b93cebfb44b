"""GeoJSON / JSON-FG export for web use: one file per layer.

``<basename>_segment.json``, ``<basename>_point.json`` (and ``<basename>_pick.json``
when picks are exported). Each file is at once

* a valid GeoJSON FeatureCollection (RFC 7946): ``geometry`` holds WGS 84
  longitude/latitude (9 decimals, about 0.1 mm) and the height as third
  coordinate -- the height in the map's height datum, not above the ellipsoid;
* a JSON-FG document (OGC 21-045, Features and Geometries JSON): ``conformsTo``
  names the Core class, ``coordRefSys`` the map's CRS (with the vertical CRS
  when the height datum has an EPSG code) and each feature's ``place`` holds
  the exact geometry in that CRS, ``featureType`` the layer.

A map CRS without an EPSG code (a local grid) is referenced as
``urn:pipemap:crs:local`` and its WKT is given in the collection's
``crsWkt`` member; where it cannot be transformed to WGS 84 (an engineering
grid), ``geometry`` is null and a warning says so. Unknown z (NaN) makes the
feature's positions 2D. Properties are every field the profile keeps (null
stays null; dates are ISO 8601). The collection's ``metadata`` member records
CRS, height datum, Z convention, accuracy and the sharing profile.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import OutputError, PipeMapError
from ..gdalutil import gdal_exceptions
from ..progress import Progress, check_cancel
from .formats import ExportOptions
from .model import LayerData, MapData
from .writeutil import layer_file_stem, plain_value, safe_basename, spatial_reference, temp_beside

JSONFG_CORE = "http://www.opengis.net/spec/json-fg-1/1.0/conf/core"
LOCAL_CRS_URI = "urn:pipemap:crs:local"
LONLAT_DECIMALS = 9
_CHUNK = 2000
_EPSG_RE = re.compile(r"EPSG\s*:\s*(\d+)", re.IGNORECASE)


def crs_uri(epsg: int) -> str:
    return f"http://www.opengis.net/def/crs/EPSG/0/{epsg}"


def coord_ref_sys(data: MapData) -> Any:
    """The JSON-FG ``coordRefSys`` of the map's CRS (+ vertical CRS when the height datum names an EPSG code)."""
    if data.epsg is None:
        return LOCAL_CRS_URI
    m = _EPSG_RE.search(data.height_datum or "")
    if m:
        return [crs_uri(data.epsg), crs_uri(int(m.group(1)))]
    return crs_uri(data.epsg)


def _to_wgs84(data: MapData, vertices: np.ndarray, progress: Progress) -> np.ndarray | None:
    """(N, 2) lon/lat of the vertices, or None where the CRS cannot be transformed."""
    from osgeo import osr

    src = spatial_reference(data)
    dst = osr.SpatialReference()
    dst.ImportFromEPSG(4326)
    dst.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    if not len(vertices):
        return np.zeros((0, 2))
    with gdal_exceptions():
        try:
            ct = osr.CoordinateTransformation(src, dst)
            out = np.asarray(ct.TransformPoints(np.ascontiguousarray(vertices[:, :2], dtype=float).tolist()),
                             dtype=float)
        except (RuntimeError, TypeError, ValueError) as exc:
            progress.warning(f"GeoJSON: the map's CRS cannot be transformed to WGS 84 ({exc}); every "
                             "'geometry' is null and only the JSON-FG 'place' carries positions.")
            return None
    lonlat = out[:, :2]
    if not np.isfinite(lonlat).all():
        progress.warning("GeoJSON: some positions could not be transformed to WGS 84; their 'geometry' is null.")
    return lonlat


def _geometry(kind: str, xy: np.ndarray, z: np.ndarray, decimals: int | None) -> dict[str, Any] | None:
    """A GeoJSON geometry; x and y rounded to ``decimals`` (None: as they are), z as it is (2D when unknown)."""
    if not np.isfinite(xy).all():
        return None
    if decimals is not None:
        xy = np.round(xy, decimals)
    if np.isfinite(z).all():
        pts = [[float(x), float(y), float(zz)] for (x, y), zz in zip(xy, z)]
    else:
        pts = [[float(x), float(y)] for x, y in xy]
    if kind == "Point":
        return {"type": "Point", "coordinates": pts[0]}
    return {"type": "LineString", "coordinates": pts}


def _json_value(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def _write_layer(target: Path, lyr: LayerData, data: MapData, progress: Progress, span: tuple[float, float]) -> None:
    lonlat = _to_wgs84(data, lyr.vertices, progress)
    kind = "LineString" if lyr.is_line else "Point"
    id_field = next((f for f in ("seg_id", "point_id", "pick_id") if f in lyr.columns), None)
    header = {
        "type": "FeatureCollection",
        "conformsTo": [JSONFG_CORE],
        "name": lyr.name,
        "featureType": lyr.name,
        "coordRefSys": coord_ref_sys(data),
    }
    if data.epsg is None:
        header["crsWkt"] = data.crs_wkt
    header["metadata"] = data.describe()
    tmp = temp_beside(target)
    n = len(lyr)
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            head = json.dumps(header, ensure_ascii=False, allow_nan=False)
            fh.write(head[:-1] + ',\n"features": [\n')
            for i in range(n):
                if i % _CHUNK == 0:
                    check_cancel(progress)
                    progress.report(span[0] + (span[1] - span[0]) * i / max(n, 1))
                if lyr.offsets is None:
                    a, b = i, i + 1
                else:
                    a, b = int(lyr.offsets[i]), int(lyr.offsets[i + 1])
                xyz = lyr.vertices[a:b]
                props = {f.name: _json_value(plain_value(f, lyr.columns[f.name][i])) for f in lyr.fields}
                feat: dict[str, Any] = {"type": "Feature"}
                if id_field is not None and props.get(id_field) is not None:
                    feat["id"] = props[id_field]
                feat["featureType"] = lyr.name
                feat["time"] = None
                feat["place"] = _geometry(kind, xyz[:, :2], xyz[:, 2], None)
                feat["geometry"] = None if lonlat is None else _geometry(kind, lonlat[a:b], xyz[:, 2],
                                                                          LONLAT_DECIMALS)
                feat["properties"] = props
                fh.write(("" if i == 0 else ",\n") + json.dumps(feat, ensure_ascii=False, allow_nan=False))
            fh.write("\n]}\n")
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write(data: MapData, folder: Path, options: ExportOptions, progress: Progress) -> list[Path]:
    """Write one GeoJSON / JSON-FG file per layer into ``folder``; returns the files written."""
    folder = Path(folder)
    base = safe_basename(options.basename)
    layers = data.layers()
    total = sum(len(lyr) for lyr in layers) or 1
    done = 0
    written: list[Path] = []
    if data.epsg is None:
        progress.warning("JSON-FG: the map's CRS has no EPSG code; 'place' refers to it as "
                         f"{LOCAL_CRS_URI} and its WKT is in the collection's 'crsWkt' member.")
    try:
        for lyr in layers:
            target = folder / f"{layer_file_stem(base, lyr.name)}.json"
            span = (0.98 * done / total, 0.98 * (done + len(lyr)) / total)
            _write_layer(target, lyr, data, progress, span)
            done += len(lyr)
            written.append(target)
    except BaseException as exc:
        for f in written:  # a failed or cancelled export leaves none of its files
            with contextlib.suppress(OSError):
                f.unlink()
        if isinstance(exc, (ValueError, TypeError)) and not isinstance(exc, PipeMapError):
            raise OutputError("Could not write the GeoJSON / JSON-FG export in {folder}: {reason}",
                              code="export.jsonfg", folder=str(folder), reason=str(exc)) from None
        raise
    progress.report(1.0)
    return written
