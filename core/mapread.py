"""Read an integrated map's pipes and points into arrays (for 3D meshes,
profiles and checks), with the sizes the data model defines.

Segment sizes: circular pipes use ``outer_diameter_mm`` (else ``dn_mm``
plus twice the wall), boxes ``width_mm`` x ``height_mm`` (outer); a segment
without a size is a line (0 m).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import InputError
from .gdalutil import gdal_exceptions


@dataclass
class SegmentArrays:
    ids: list[str]
    category: list[str]
    subcategory: list[str]
    start_point: list[str]
    end_point: list[str]
    vertices: np.ndarray  #: (N, 3) float64, z = centreline
    offsets: np.ndarray  #: (M + 1,) int64
    shape: list[str]  #: "circular" | "box"
    width_m: np.ndarray  #: outer width (M,)
    height_m: np.ndarray  #: outer height (M,)
    inner_height_m: np.ndarray  #: inner height (M,); NaN when unknown
    owner: list[str]

    def __len__(self) -> int:
        return len(self.ids)

    def coords(self, k: int) -> np.ndarray:
        return self.vertices[self.offsets[k]:self.offsets[k + 1]]


@dataclass
class PointArrays:
    ids: list[str]
    category: list[str]
    xyz: np.ndarray  #: (K, 3), z = ground
    appurtenance: list[str]
    feature: list[str]
    well_depth_m: np.ndarray
    well_diameter_m: np.ndarray  #: round wells; rectangular ones use their larger side
    road: list[str]


def _open(path: str | os.PathLike[str]):
    from osgeo import gdal

    p = Path(path)
    if not p.is_file():
        raise InputError("The map {path} does not exist.", code="map.missing", path=str(p))
    with gdal_exceptions():
        try:
            return gdal.OpenEx(str(p), gdal.OF_VECTOR, allowed_drivers=["GPKG"])
        except RuntimeError as exc:
            raise InputError("{path} cannot be opened as a GeoPackage: {reason}", code="map.not_gpkg",
                             path=str(p), reason=str(exc)) from None


def _num(value: object) -> float:
    return float(value) if value is not None else float("nan")


def read_segments(path: str | os.PathLike[str], where: str | None = None) -> SegmentArrays:
    """All segments of a map (optionally filtered by an OGR SQL ``where``)."""
    ds = _open(path)
    try:
        layer = ds.GetLayerByName("pipe_segment")
        if layer is None:
            raise InputError("{path} is not an integrated map (no pipe_segment layer).", code="map.not_pipemap",
                             path=str(path))
        if where:
            layer.SetAttributeFilter(where)
        ids, cat, sub, sp, ep, shape, owner = [], [], [], [], [], [], []
        widths, heights, inner = [], [], []
        chunks: list[np.ndarray] = []
        offsets = [0]
        for f in layer:
            g = f.GetGeometryRef()
            if g is None or g.GetPointCount() < 2:
                continue
            pts = np.array(g.GetPoints(), dtype=float)
            if pts.shape[1] == 2:
                pts = np.column_stack([pts, np.full(len(pts), np.nan)])
            chunks.append(pts)
            offsets.append(offsets[-1] + len(pts))
            ids.append(f.GetField("seg_id"))
            cat.append(f.GetField("category") or "")
            sub.append(f.GetField("subcategory") or "")
            sp.append(f.GetField("start_point") or "")
            ep.append(f.GetField("end_point") or "")
            owner.append(f.GetField("owner") or "")
            sec = f.GetField("section") or "circular"
            w, h = _num(f.GetField("width_mm")), _num(f.GetField("height_mm"))
            if sec == "box" and np.isfinite(w) and np.isfinite(h):
                shape.append("box")
                widths.append(w / 1000.0)
                heights.append(h / 1000.0)
                inner.append(h / 1000.0)
                continue
            outer = _num(f.GetField("outer_diameter_mm"))
            dn = _num(f.GetField("dn_mm"))
            if not np.isfinite(outer):
                wall = _num(f.GetField("wall_mm"))
                outer = dn + 2 * (wall if np.isfinite(wall) else 0.0)
            d = outer / 1000.0 if np.isfinite(outer) else 0.0
            shape.append("circular")
            widths.append(d)
            heights.append(d)
            inner.append(dn / 1000.0 if np.isfinite(dn) else np.nan)
    finally:
        ds = None  # noqa: F841
    vertices = np.concatenate(chunks) if chunks else np.zeros((0, 3))
    return SegmentArrays(ids, cat, sub, sp, ep, vertices, np.asarray(offsets, dtype=np.int64), shape,
                         np.asarray(widths), np.asarray(heights), np.asarray(inner), owner)


def read_points(path: str | os.PathLike[str], where: str | None = None) -> PointArrays:
    ds = _open(path)
    try:
        layer = ds.GetLayerByName("pipe_point")
        if layer is None:
            raise InputError("{path} is not an integrated map (no pipe_point layer).", code="map.not_pipemap",
                             path=str(path))
        if where:
            layer.SetAttributeFilter(where)
        ids, cat, app, feat, road, xyz, depth, diam = [], [], [], [], [], [], [], []
        for f in layer:
            g = f.GetGeometryRef()
            if g is None:
                continue
            x, y, z = g.GetX(), g.GetY(), g.GetZ()
            ids.append(f.GetField("point_id"))
            cat.append(f.GetField("category") or "")
            app.append(f.GetField("appurtenance") or "")
            feat.append(f.GetField("feature") or "")
            road.append(f.GetField("road") or "")
            xyz.append((x, y, z))
            depth.append(_num(f.GetField("well_depth_m")))
            d = _num(f.GetField("well_diameter_mm"))
            if not np.isfinite(d):
                w, ln = _num(f.GetField("well_width_mm")), _num(f.GetField("well_length_mm"))
                d = np.nanmax([w, ln]) if np.isfinite(w) or np.isfinite(ln) else np.nan
            diam.append(d / 1000.0)
    finally:
        ds = None  # noqa: F841
    return PointArrays(ids, cat, np.asarray(xyz, dtype=float).reshape(-1, 3), app, feat, np.asarray(depth),
                       np.asarray(diam), road)
