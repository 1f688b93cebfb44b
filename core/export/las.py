"""LAS 1.4 / LAZ export of GPR picks (point format 6, attributes as extra dimensions).

Written through :func:`core.gpr.las.write_picks_las` (the same layout as
``pipemap:gprpick``'s ``OUTPUT_LAS``): x/y in the map's CRS (stored as a WKT
VLR), z = the pick's elevation where known (``z_known`` = 1; else 0 is stored
and ``z_known`` = 0), and the numeric pick attributes as extra dimensions.
An attribute the sharing profile withholds is written as NaN (0 for integers)
so every file has the same dimensions.

The file is ``<basename>_pick.laz`` when laspy has a LAZ backend (lazrs or
laszip), else ``<basename>_pick.las``. Picks without a position in the map
are left out (a warning gives the count).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from ..progress import Progress, check_cancel
from .formats import ExportOptions
from .model import MapData
from .writeutil import layer_file_stem, plain_value, safe_basename


def laz_available(laspy: Any) -> bool:
    try:
        return bool(laspy.LazBackend.detect_available())
    except AttributeError:  # pragma: no cover - laspy < 2
        return False


def write(data: MapData, folder: Path, options: ExportOptions, progress: Progress) -> list[Path]:
    """Write the GPR picks of ``data`` as one LAS/LAZ file into ``folder``; returns it."""
    from ..gpr.las import EXTRA_DIMENSIONS, require_laspy, write_picks_las

    picks = data.picks
    if picks is None:
        raise InputError("The LAS/LAZ export needs GPR picks, and no GPR picks were given (PICKS).",
                         code="export.no_picks")
    if "gpr_pick" not in data.profile.layers:
        raise InputError("The sharing profile {profile} does not let GPR picks leave, so there is nothing to "
                         "write as LAS/LAZ.", code="export.picks_withheld", profile=data.profile.name)
    laspy = require_laspy()
    base = safe_basename(options.basename)
    suffix = ".laz" if laz_available(laspy) else ".las"
    target = Path(folder) / f"{layer_file_stem(base, picks.name)}{suffix}"
    wanted = {name for name, _, _ in EXTRA_DIMENSIONS}
    fields = [f for f in picks.fields if f.name in wanted]
    xyz = picks.vertices
    placed = np.isfinite(xyz[:, 0]) & np.isfinite(xyz[:, 1]) if len(xyz) else np.zeros(0, dtype=bool)
    rows: list[dict[str, Any]] = []
    for i in range(len(picks)):
        if i % 5000 == 0:
            check_cancel(progress)
        if not placed[i]:
            continue
        row: dict[str, Any] = {"x": float(xyz[i, 0]), "y": float(xyz[i, 1]),
                               "z": float(xyz[i, 2]) if np.isfinite(xyz[i, 2]) else None}
        for f in fields:
            row[f.name] = plain_value(f, picks.columns[f.name][i])
        rows.append(row)
    skipped = len(picks) - len(rows)
    if skipped:
        progress.warning(f"LAS/LAZ: {skipped} GPR picks have no position in the map and were left out.")
    unknown_z = sum(1 for r in rows if r["z"] is None)
    if unknown_z:
        progress.info(f"LAS/LAZ: {unknown_z} picks have no elevation (z_known = 0, z = 0).")
    withheld = sorted(wanted - {f.name for f in picks.fields})
    if withheld:
        progress.info("LAS/LAZ: attributes not given or withheld by the profile are NaN: " + ", ".join(withheld))
    progress.report(0.3)
    check_cancel(progress)
    write_picks_las(rows, target, data.crs_wkt)
    progress.report(1.0)
    return [target]
