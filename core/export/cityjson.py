"""CityJSON 2.0 writer with the PipeMap Extension (``+PipeSegment``, ``+PipePoint``).

Files written: ``<basename>.city.json`` and ``pipemap.ext.json`` (the Extension of
``resources/cityjson/``, its attribute list limited to the fields the sharing profile kept; the
file's ``"extensions"`` member points to it with the relative URL ``pipemap.ext.json``, so a
package is self-describing without a network).

* ``transform``: scale 0.001 (millimetres) and a translate at a round point at or below the data's
  minimum corner; vertices are integers, shared vertices are written once.
* ``metadata``: ``referenceSystem`` = ``https://www.opengis.net/def/crs/EPSG/0/<code>`` when the map's CRS
  has an EPSG code. A local grid without one has no OGC URL: ``referenceSystem`` is then left out
  (CityJSON allows that) and the CRS travels as WKT2 in ``+PipeMapExport.crs.wkt`` (a warning says
  so). The height datum cannot be part of the URL without breaking readers that expect an EPSG
  code at its end (cjio), so it is in ``+PipeMapExport.height_datum``. x is the easting, y the
  northing, as in the map. Also ``geographicalExtent``, ``title`` and ``referenceDate``.
* ``+PipeMapExport`` (an extra root property defined by the Extension): CRS, height datum,
  Z convention, accuracy, profile name / title / file hash, source map, software, time.
* Each segment is a ``+PipeSegment`` with one ``MultiLineString`` (lod ``"1"``), its 3D centreline
  (z = centreline elevation); each point a ``+PipePoint`` with one ``MultiPoint`` (lod ``"1"``) at
  the ground (z = ground elevation). Attributes are every field the profile kept, nulls left out,
  values as in the map except dates and times, which are ISO 8601. Vertices without z are
  interpolated along the line; a feature with no z at all is written without geometry (a warning
  counts them).
* City Object ids are the segment and point ids; a point whose id is already used by a
  segment gets ``"<id>#point"`` (the real id stays in ``point_id``).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import OutputError
from ..progress import Progress, check_cancel
from ..version import __version__
from .formats import ExportOptions
from .ifc import fill_z, local_origin
from .model import LayerData, MapData, now_utc
from .writeutil import plain_value, safe_basename, temp_beside

VERSION = "2.0"
SCALE = 0.001
EXTENSION_NAME = "PipeMap"
EXTENSION_FILE = Path(__file__).resolve().parent.parent.parent / "resources" / "cityjson" / "pipemap.ext.json"
EXTENSION_URL = "pipemap.ext.json"
SEGMENT_TYPE = "+PipeSegment"
POINT_TYPE = "+PipePoint"
LOD = "1"


def reference_system(authid: str) -> str | None:
    """The OGC CRS URL of an ``EPSG:<code>`` authid; None for anything else."""
    auth, _, code = (authid or "").partition(":")
    if auth.upper() == "EPSG" and code.isdigit():
        return f"https://www.opengis.net/def/crs/EPSG/0/{code}"
    return None


def _attributes(layer: LayerData, i: int) -> dict[str, Any]:
    """Every kept field with a value (dates and times as ISO 8601, like the other JSON exports)."""
    out: dict[str, Any] = {}
    for fld in layer.fields:
        v = plain_value(fld, layer.columns[fld.name][i])
        if v is not None:
            out[fld.name] = v
    return out


def load_extension() -> dict[str, Any]:
    """The PipeMap Extension as shipped in ``resources/cityjson/``."""
    try:
        return json.loads(EXTENSION_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise OutputError("The PipeMap CityJSON Extension {path} cannot be read: {reason}",
                          code="export.resource_missing", path=str(EXTENSION_FILE), reason=str(exc)) from None


def extension_for(data: MapData) -> dict[str, Any]:
    """The Extension limited to the attributes this export carries.

    The shipped file documents every data-model field; the copy in a package documents only the
    fields the sharing profile kept, so a withheld field's name does not travel either. A file
    valid under the copy is valid under the full Extension and the other way round (attributes
    not listed are allowed), so name and version stay the same.
    """
    ext = load_extension()
    kept = {SEGMENT_TYPE: set(data.segments.field_names), POINT_TYPE: set(data.points.field_names)}
    exported = {lyr.name for lyr in data.layers()}
    for co_type, layer in ((SEGMENT_TYPE, "pipe_segment"), (POINT_TYPE, "pipe_point")):
        attrs = ext["extraCityObjects"][co_type]["allOf"][1]["properties"]["attributes"]
        names = kept[co_type] if layer in exported else set(attrs["required"])
        attrs["properties"] = {k: v for k, v in attrs["properties"].items() if k in names}
        attrs["required"] = [k for k in attrs["required"] if k in names]
    ext["description"] += (f" This copy lists the attributes kept by the sharing profile \"{data.profile.name}\"; "
                           "the full list is in the PipeMap Extension shipped with PipeMap.")
    return ext


def write(data: MapData, folder: Path, options: ExportOptions, progress: Progress) -> list[Path]:
    """Write ``<basename>.city.json`` and ``pipemap.ext.json`` into ``folder``; see the module docstring."""
    folder = Path(folder)
    basename = safe_basename(options.basename)
    extension = extension_for(data)
    layers = {lyr.name for lyr in data.layers()}
    segs = data.segments if "pipe_segment" in layers else None
    pts = data.points if "pipe_point" in layers else None
    empty = np.zeros((0, 3))
    translate = local_origin(segs.vertices if segs is not None else empty, pts.vertices if pts is not None else empty)
    objects: dict[str, dict[str, Any]] = {}
    chunks: list[np.ndarray] = []  # float vertices, in the order their indices are handed out
    n_vert = 0
    no_z = interpolated = renamed = 0
    total = max(1, (len(segs) if segs is not None else 0) + (len(pts) if pts is not None else 0))
    done = 0

    def geometry(xyz: np.ndarray, kind: str) -> list[dict[str, Any]]:
        nonlocal n_vert
        chunks.append(xyz)
        idx = list(range(n_vert, n_vert + len(xyz)))
        n_vert += len(xyz)
        boundaries: list[Any] = [idx] if kind == "MultiLineString" else idx
        return [{"type": kind, "lod": LOD, "boundaries": boundaries}]

    if segs is not None:
        for i in range(len(segs)):
            if done % 500 == 0:
                check_cancel(progress)
                progress.report(0.8 * done / total)
            done += 1
            attrs = _attributes(segs, i)
            key = str(attrs.get("seg_id") or f"segment-{i + 1}")
            co: dict[str, Any] = {"type": SEGMENT_TYPE, "attributes": attrs}
            xyz, state = fill_z(segs.coords(i))
            interpolated += state == "interpolated"
            if state == "none":
                no_z += 1
            else:
                co["geometry"] = geometry(xyz, "MultiLineString")
            objects[key] = co
    if pts is not None:
        for i in range(len(pts)):
            if done % 500 == 0:
                check_cancel(progress)
                progress.report(0.8 * done / total)
            done += 1
            attrs = _attributes(pts, i)
            key = str(attrs.get("point_id") or f"point-{i + 1}")
            if key in objects:
                renamed += 1
                base, k = key + "#point", 1
                key = base
                while key in objects:
                    k += 1
                    key = f"{base}{k}"
            co = {"type": POINT_TYPE, "attributes": attrs}
            xyz = pts.vertices[i:i + 1]
            if np.isfinite(xyz[0, 2]):
                co["geometry"] = geometry(xyz, "MultiPoint")
            else:
                no_z += 1
            objects[key] = co
    # quantise, then write each distinct vertex once
    allv = np.concatenate(chunks) if chunks else empty
    ints = np.rint((allv - translate) / SCALE).astype(np.int64)
    if len(ints):
        uniq, inverse = np.unique(ints, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
    else:
        uniq, inverse = ints, np.zeros(0, dtype=np.int64)
    for co in objects.values():
        for g in co.get("geometry", ()):
            if g["type"] == "MultiLineString":
                g["boundaries"] = [[int(inverse[j]) for j in ring] for ring in g["boundaries"]]
            else:
                g["boundaries"] = [int(inverse[j]) for j in g["boundaries"]]
    progress.report(0.9)
    metadata: dict[str, Any] = {"title": f"PipeMap underground pipelines ({data.profile.name} profile)",
                                "referenceDate": _dt.datetime.now(_dt.timezone.utc).date().isoformat()}
    ref = reference_system(data.crs_authid)
    if ref:
        metadata["referenceSystem"] = ref
    else:
        progress.warning("CityJSON: the map's CRS has no EPSG code, so metadata.referenceSystem is left out; the "
                         "CRS is given as WKT in +PipeMapExport.crs.wkt.")
    if len(uniq):
        real = uniq * SCALE + translate
        metadata["geographicalExtent"] = [float(v) for v in np.concatenate([real.min(0), real.max(0)]).round(3)]
    desc = data.describe()
    export_info = {
        "crs": desc["crs"],
        "height_datum": data.height_datum,
        "z_convention": {SEGMENT_TYPE: data.z_convention.get("pipe_segment", ""),
                         POINT_TYPE: data.z_convention.get("pipe_point", "")},
        "accuracy": desc["accuracy"],
        "profile": data.profile.name,
        "profile_title": dict(data.profile.title),
        "profile_sha256": data.profile.sha256,
        "source_map": desc["source_map"],
        "schema_version": str(desc["schema_version"]),
        "software": f"PipeMap {__version__}",
        "exported_at": now_utc(),
        "object_types": {SEGMENT_TYPE: "pipe_segment layer", POINT_TYPE: "pipe_point layer"},
    }
    doc = {
        "type": "CityJSON",
        "version": VERSION,
        "transform": {"scale": [SCALE, SCALE, SCALE], "translate": [float(v) for v in translate]},
        "metadata": metadata,
        "extensions": {EXTENSION_NAME: {"url": EXTENSION_URL, "version": str(extension["version"])}},
        "CityObjects": objects,
        "vertices": uniq.tolist(),
        "+PipeMapExport": export_info,
    }
    if interpolated:
        progress.warning(f"CityJSON: {interpolated} segments had vertices without elevation; their z was "
                         "interpolated along the line.")
    if no_z:
        progress.warning(f"CityJSON: {no_z} features have no elevation at all and were written without geometry.")
    if renamed:
        progress.warning(f"CityJSON: {renamed} point ids are also segment ids; those points' City Objects are "
                         "keyed \"<id>#point\" (point_id keeps the real id).")
    target = folder / f"{basename}.city.json"
    ext_target = folder / EXTENSION_URL
    text = json.dumps(doc, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    _write_atomic(target, text.encode("utf-8"))
    _write_atomic(ext_target, (json.dumps(extension, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    progress.report(1.0)
    return [target, ext_target]


def _write_atomic(target: Path, payload: bytes) -> None:
    tmp = temp_beside(target)
    try:
        with open(tmp, "wb") as fh:
            fh.write(payload)
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError("Cannot write {path}: {reason}", code="output.write_failed", path=str(target),
                          reason=exc.strerror or str(exc)) from None
    finally:
        if tmp.exists():
            tmp.unlink()
