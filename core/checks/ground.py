"""Ground surfaces for cover, excavation and the uncertainty h.

A ground is any callable ``(x, y) -> z`` (numpy arrays, NaN where the
surface is unknown):

* :func:`dem_ground` -- a DEM raster, bilinear (:class:`core.raster.DemSampler`);
* :meth:`TinGround.from_las` -- a LAS/LAZ point cloud: the ground-class (2)
  points triangulated (Delaunay) and interpolated linearly;
* :meth:`TinGround.from_points` -- surveyed ground elevations (e.g. the
  pipe points' ground z), the same TIN.

Outside the DEM or the TIN's convex hull the ground is NaN (the figure is
UNKNOWN, never PASS). Coordinates must be in the same CRS as the pipes:
:func:`require_same_crs` says so clearly when they are not.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError


def dem_ground(path: str | os.PathLike[str], band: int = 1) -> Any:
    """A DEM as a ground callable (``.wkt`` holds its CRS)."""
    from ..raster import DemSampler

    return DemSampler(path, band)


def require_same_crs(ground_crs: str | None, pipes_crs: str | None) -> None:
    """Raise when the ground's CRS is known and differs from the pipes'."""
    if not ground_crs or not pipes_crs:
        return
    from ..gdalutil import spatial_reference

    a = spatial_reference(ground_crs)
    b = spatial_reference(pipes_crs)
    # only the horizontal part matters: point clouds often carry a compound CRS (e.g. CGCS2000 + 1985 heights)
    for srs in (a, b):
        if srs.IsCompound():
            srs.StripVertical()
    if not a.IsSame(b):
        raise InputError("The ground surface is in {crs_a} but the pipes are in {crs_b}: reproject one of them "
                         "first.", code="check.ground_crs", crs_a=a.GetName() or "another CRS",
                         crs_b=b.GetName() or "another CRS")


class TinGround:
    """Linear interpolation on a Delaunay triangulation of ground points."""

    def __init__(self, x: np.ndarray, y: np.ndarray, z: np.ndarray, crs_wkt: str = "", source: str = "points") -> None:
        try:
            from scipy.spatial import Delaunay
        except ImportError:
            raise InputError("A ground surface from points needs the Python package scipy (pip install scipy).",
                             code="check.needs_scipy") from None
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        z = np.asarray(z, dtype=float)
        ok = np.isfinite(x) & np.isfinite(y) & np.isfinite(z)
        x, y, z = x[ok], y[ok], z[ok]
        # one point per millimetre cell (duplicates would make degenerate triangles)
        key = np.round(np.column_stack([x, y]) * 1000.0).astype(np.int64)
        _, first = np.unique(key, axis=0, return_index=True)
        first.sort()
        x, y, z = x[first], y[first], z[first]
        if len(x) < 3:
            raise InputError("Only {n} distinct ground points were found ({source}); at least 3 are needed for a "
                             "surface.", code="check.tin_points", source=source, n=len(x))
        self.x0, self.y0 = float(x.mean()), float(y.mean())  # local origin keeps the triangulation precise
        pts = np.column_stack([x - self.x0, y - self.y0])
        try:
            self.tri = Delaunay(pts)
        except Exception as exc:  # qhull raises its own error for collinear input
            raise InputError("The ground points ({source}) cannot be triangulated (all on one line?): {reason}",
                             code="check.tin_degenerate", source=source, reason=str(exc).splitlines()[0]) from None
        self.z = z
        self.n_points = len(z)
        self.wkt = crs_wkt
        self.source = source

    def __call__(self, x: np.ndarray | float, y: np.ndarray | float) -> np.ndarray:
        """Ground z at (x, y); NaN outside the convex hull of the points."""
        xq = np.atleast_1d(np.asarray(x, dtype=float)) - self.x0
        yq = np.atleast_1d(np.asarray(y, dtype=float)) - self.y0
        q = np.column_stack([xq, yq])
        out = np.full(len(q), np.nan)
        ok = np.isfinite(q).all(axis=1)
        if not ok.any():
            return out.reshape(np.shape(x)) if np.ndim(x) else out
        simplex = self.tri.find_simplex(q[ok])
        inside = simplex >= 0
        idx = np.flatnonzero(ok)[inside]
        s = simplex[inside]
        trans = self.tri.transform[s]  # (K, 3, 2): barycentric transform
        b = np.einsum("kij,kj->ki", trans[:, :2, :], q[idx] - trans[:, 2, :])
        bary = np.column_stack([b, 1.0 - b.sum(axis=1)])
        out[idx] = np.einsum("ki,ki->k", bary, self.z[self.tri.simplices[s]])
        return out.reshape(np.shape(x)) if np.ndim(x) else out

    @classmethod
    def from_points(cls, x: np.ndarray, y: np.ndarray, z: np.ndarray, crs_wkt: str = "") -> TinGround:
        return cls(x, y, z, crs_wkt, "points")

    @classmethod
    def from_las(cls, path: str | os.PathLike[str], ground_class: int = 2,
                 bbox: tuple[float, float, float, float] | None = None, chunk: int = 2_000_000,
                 crs: str | None = None) -> TinGround:
        """The ground-class points of a LAS/LAZ file (read in chunks, optionally inside ``bbox``
        (xmin, ymin, xmax, ymax), which keeps a large cloud's triangulation small).

        :param crs: the pipes' CRS: when given and the file declares another one, :func:`require_same_crs`
            raises before any point is read (a cloud in another CRS would otherwise only show up as
            "no ground points in the area"). ``.wkt`` of the result is ``""`` when the file declares no
            CRS (or one that cannot be read).
        """
        try:
            import laspy
        except ImportError:
            raise InputError("Reading LAS/LAZ needs the Python package laspy (pip install 'laspy[lazrs]').",
                             code="check.needs_laspy") from None
        p = Path(path)
        if not p.is_file():
            raise InputError("The point cloud {path} does not exist.", code="check.las_missing", path=str(p))
        xs, ys, zs = [], [], []
        n_total = 0
        n_class = 0
        try:
            with laspy.open(str(p)) as reader:
                wkt = _las_crs_wkt(reader.header)
                if crs:
                    require_same_crs(wkt, crs)
                for pts in reader.chunk_iterator(chunk):
                    n_total += len(pts)
                    sel = np.asarray(pts.classification) == ground_class
                    x = np.asarray(pts.x)[sel]
                    y = np.asarray(pts.y)[sel]
                    z = np.asarray(pts.z)[sel]
                    n_class += len(x)
                    if bbox is not None:
                        inb = (x >= bbox[0]) & (x <= bbox[2]) & (y >= bbox[1]) & (y <= bbox[3])
                        x, y, z = x[inb], y[inb], z[inb]
                    xs.append(x)
                    ys.append(y)
                    zs.append(z)
        except InputError:
            raise
        except (OSError, ValueError, laspy.errors.LaspyException) as exc:
            raise InputError("The point cloud {path} cannot be read: {reason}", code="check.las_read", path=str(p),
                             reason=str(exc) or type(exc).__name__) from None
        except Exception as exc:  # noqa: BLE001 -- the LAZ backend (lazrs) raises its own error types
            if "laz" not in type(exc).__module__.lower() and "laz" not in type(exc).__name__.lower():
                raise
            raise InputError("The point cloud {path} cannot be read: {reason}", code="check.las_read", path=str(p),
                             reason=str(exc) or type(exc).__name__) from None
        x = np.concatenate(xs) if xs else np.zeros(0)
        if len(x) == 0 and n_class and bbox is not None:
            raise InputError("The point cloud {path} has {n} ground-class ({cls}) points but none near the pipes "
                             "(x {xmin:.1f} to {xmax:.1f}, y {ymin:.1f} to {ymax:.1f}): is it of the same area and "
                             "in the pipes' CRS?", code="check.las_elsewhere", path=str(p), cls=ground_class,
                             n=n_class, xmin=bbox[0], xmax=bbox[2], ymin=bbox[1], ymax=bbox[3])
        if len(x) == 0:
            raise InputError("The point cloud {path} has no ground-class ({cls}) points (it has {n} points): "
                             "classify its ground first.", code="check.las_no_ground", path=str(p),
                             cls=ground_class, n=n_total)
        return cls(x, np.concatenate(ys), np.concatenate(zs), wkt, p.name)


def _las_crs_wkt(header: Any) -> str:
    """The horizontal CRS a LAS header declares, as WKT ("" when none or unreadable)."""
    try:
        crs = header.parse_crs()
    except Exception:  # noqa: BLE001 -- a CRS we cannot parse is treated as unknown
        return ""
    if crs is None:
        return ""
    try:
        if crs.is_compound and crs.sub_crs_list:
            crs = crs.sub_crs_list[0]
        return crs.to_wkt()
    except Exception:  # noqa: BLE001
        return ""
