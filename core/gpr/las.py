"""GPR picks as LAS/LAZ point clouds (laspy), attributes as extra dimensions."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError, OutputError
from ..gdalutil import remove_quietly, temp_path_beside

#: (name, numpy type, description) of the extra dimensions written
EXTRA_DIMENSIONS = (
    ("distance_m", "f8", "distance along the survey line (m)"),
    ("t0_ns", "f4", "apex two-way time (ns)"),
    ("velocity_m_ns", "f4", "velocity (m/ns)"),
    ("eps_r", "f4", "relative permittivity"),
    ("depth_m", "f4", "apex depth below ground (m)"),
    ("radius_m", "f4", "estimated radius (m), NaN unknown"),
    ("amplitude", "f4", "apex amplitude"),
    ("polarity", "i1", "+1 like the direct wave, -1 opposite"),
    ("confidence", "f4", "pick confidence 0..1"),
)


def require_laspy() -> Any:
    try:
        import laspy
    except ImportError:
        raise InputError("Writing LAS/LAZ needs the Python package laspy (pip install 'laspy[lazrs]>=2.5').",
                         code="dependency.laspy") from None
    return laspy


def write_picks_las(rows: Sequence[dict[str, Any]], path: str | os.PathLike[str], crs_wkt: str = "",
                    ground_z: Sequence[float] | None = None) -> Path:
    """Write picks to ``.las`` or ``.laz`` (by suffix). ``rows`` hold ``x``, ``y``,
    ``z`` (NaN: unknown; then 0 is stored and ``z_known`` = 0) and the fields of
    :data:`EXTRA_DIMENSIONS`."""
    laspy = require_laspy()
    target = Path(path)
    if target.suffix.lower() not in (".las", ".laz"):
        raise InputError("The point cloud {path} must end in .las or .laz.", code="las.suffix", path=str(target))
    n = len(rows)
    x = np.array([r.get("x") if r.get("x") is not None else np.nan for r in rows], dtype=np.float64)
    y = np.array([r.get("y") if r.get("y") is not None else np.nan for r in rows], dtype=np.float64)
    z = np.array([r.get("z") if r.get("z") is not None else np.nan for r in rows], dtype=np.float64)
    if n and (not np.isfinite(x).all() or not np.isfinite(y).all()):
        # picks of a line without georeference: x = distance along the line, y = 0
        x = np.array([r.get("distance_m") or 0.0 for r in rows], dtype=np.float64)
        y = np.zeros(n)
    z_known = np.isfinite(z)
    z = np.where(z_known, z, 0.0)
    header = laspy.LasHeader(point_format=6, version="1.4")
    header.scales = np.array([0.001, 0.001, 0.001])
    header.offsets = np.array([np.floor(x.min()) if n else 0.0, np.floor(y.min()) if n else 0.0,
                               np.floor(z.min()) if n else 0.0])
    for name, kind, description in EXTRA_DIMENSIONS:
        header.add_extra_dim(laspy.ExtraBytesParams(name=name, type=np.dtype(kind), description=description[:31]))
    header.add_extra_dim(laspy.ExtraBytesParams(name="z_known", type=np.uint8, description="1: z is an elevation"))
    if crs_wkt:
        try:
            from pyproj import CRS

            header.add_crs(CRS.from_user_input(crs_wkt))
        except Exception:  # noqa: BLE001 - a CRS laspy cannot store must not lose the picks
            pass
    las = laspy.LasData(header)
    las.x, las.y, las.z = x, y, z
    for name, kind, _ in EXTRA_DIMENSIONS:
        values = [r.get(name) for r in rows]
        fill = 0 if kind.startswith("i") else np.nan
        las[name] = np.array([fill if v is None else v for v in values], dtype=kind)
    las["z_known"] = z_known.astype(np.uint8)
    tmp = temp_path_beside(target, target.suffix)
    try:
        las.write(str(tmp))
        os.replace(tmp, target)
    except (OSError, ValueError, RuntimeError) as exc:
        remove_quietly(tmp)
        raise OutputError("Could not write the point cloud {path}: {reason}", code="las.write", path=str(target),
                          reason=str(exc)) from None
    return target
