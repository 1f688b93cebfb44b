"""True-size 3D pipes and wells for a map: meshes as WKB MultiPolygonZ.

Tubes follow every vertex z of the centreline (mitred at bends), box
sections are boxes, wells are cylinders from the ground down to their bottom.
A segment without a size (e.g. a direct-buried cable) is drawn with
``MIN_VISIBLE_RADIUS_M`` and flagged ``size_known = False``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from . import mesh
from .mapread import read_points, read_segments
from .progress import NullProgress, Progress, check_cancel

MIN_VISIBLE_RADIUS_M = 0.03
DEFAULT_WELL_DIAMETER_M = 1.0
WELL_APPURTENANCES = {
    "manhole", "chamber", "valve_chamber", "meter_chamber", "storm_manhole", "sewer_manhole", "drop_manhole",
    "silt_manhole", "overflow_manhole", "gate_chamber", "vent_shaft", "flush_manhole", "soakaway", "seal_manhole",
    "cable_manhole", "handhole",
}


@dataclass
class PipeMeshes:
    ids: list[str]
    category: list[str]
    subcategory: list[str]
    shape: list[str]
    width_m: np.ndarray
    height_m: np.ndarray
    size_known: np.ndarray
    wkb: list[bytes]
    skipped: list[str]  #: ids whose geometry could not be built


@dataclass
class WellMeshes:
    ids: list[str]
    category: list[str]
    appurtenance: list[str]
    depth_m: np.ndarray
    wkb: list[bytes]


def build_pipes(map_path: str | os.PathLike[str], sides: int = 12, progress: Progress | None = None,
                chunk: int = 20000) -> PipeMeshes:
    progress = progress or NullProgress()
    segs = read_segments(map_path)
    n = len(segs)
    wkb: list[bytes] = [mesh.EMPTY_MULTIPOLYGON_Z] * n
    shape = np.array(segs.shape)
    width = segs.width_m.copy()
    height = segs.height_m.copy()
    known = (width > 0) & np.isfinite(width)
    radius = np.where(known, width / 2.0, MIN_VISIBLE_RADIUS_M)
    width = np.where(known, width, 2 * MIN_VISIBLE_RADIUS_M)
    height = np.where(known, height, 2 * MIN_VISIBLE_RADIUS_M)
    for kind in ("circular", "box"):
        idx = np.nonzero(shape == kind)[0]
        for start in range(0, len(idx), chunk):
            sel = idx[start:start + chunk]
            lengths = segs.offsets[sel + 1] - segs.offsets[sel]
            offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
            verts = np.concatenate([segs.coords(k) for k in sel]) if len(sel) else np.zeros((0, 3))
            if kind == "circular":
                out = mesh.tubes_wkb(verts, offsets, radius[sel], sides=sides)
            else:
                out = mesh.boxes_wkb(verts, offsets, width[sel], height[sel])
            for k, b in zip(sel, out):
                wkb[k] = b
            progress.report(min(1.0, (start + len(sel)) / max(1, n)))
            check_cancel(progress)
    empty = mesh.empty_mask(wkb)
    skipped = [segs.ids[k] for k in np.nonzero(empty)[0]]
    return PipeMeshes(segs.ids, segs.category, segs.subcategory, list(segs.shape), width, height, known, wkb, skipped)


def build_wells(map_path: str | os.PathLike[str], sides: int = 16) -> WellMeshes:
    pts = read_points(map_path)
    sel = [i for i, a in enumerate(pts.appurtenance)
           if a in WELL_APPURTENANCES and np.isfinite(pts.well_depth_m[i]) and pts.well_depth_m[i] > 0]
    if not sel:
        return WellMeshes([], [], [], np.zeros(0), [])
    idx = np.asarray(sel)
    xyz = pts.xyz[idx]
    depth = pts.well_depth_m[idx]
    diam = np.where(np.isfinite(pts.well_diameter_m[idx]), pts.well_diameter_m[idx], DEFAULT_WELL_DIAMETER_M)
    wkb = mesh.cylinders_wkb(xyz[:, 0], xyz[:, 1], xyz[:, 2], xyz[:, 2] - depth, diam / 2.0, sides=sides)
    return WellMeshes([pts.ids[i] for i in sel], [pts.category[i] for i in sel], [pts.appurtenance[i] for i in sel],
                      depth, wkb)
