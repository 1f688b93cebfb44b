"""Ground surfaces from DEM rasters: bilinear sampling in the raster's CRS."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .errors import InputError
from .gdalutil import gdal_exceptions


class DemSampler:
    """Bilinear sampler of a single-band DEM (read once into memory).

    ``sample(x, y)`` returns NaN outside the raster or next to nodata cells.
    Coordinates must be in the DEM's CRS (``self.wkt``).
    """

    def __init__(self, path: str | os.PathLike[str], band: int = 1) -> None:
        from osgeo import gdal

        p = Path(path)
        if not p.is_file():
            raise InputError("The DEM {path} does not exist.", code="dem.missing", path=str(p))
        with gdal_exceptions():
            try:
                ds = gdal.Open(str(p))
            except RuntimeError as exc:
                raise InputError("The DEM {path} cannot be opened: {reason}", code="dem.open", path=str(p),
                                 reason=str(exc)) from None
            try:
                if band < 1 or band > ds.RasterCount:
                    raise InputError("The DEM {path} has no band {band}.", code="dem.band", path=str(p), band=band)
                gt = ds.GetGeoTransform()
                if gt[2] != 0 or gt[4] != 0:
                    raise InputError("The DEM {path} is rotated; warp it to a north-up grid first.",
                                     code="dem.rotated", path=str(p))
                rb = ds.GetRasterBand(band)
                self.data = rb.ReadAsArray().astype(np.float64)
                nodata = rb.GetNoDataValue()
                if nodata is not None:
                    self.data[self.data == nodata] = np.nan
                self.wkt = ds.GetProjection()
            finally:
                ds = None  # noqa: F841
        self.path = p
        self.x0, self.dx, self.y0, self.dy = gt[0], gt[1], gt[3], gt[5]
        self.ny, self.nx = self.data.shape

    def sample(self, x: np.ndarray | float, y: np.ndarray | float) -> np.ndarray:
        """Bilinear ground elevation at (x, y) (cell centres are the nodes)."""
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        col = (x - self.x0) / self.dx - 0.5
        row = (y - self.y0) / self.dy - 0.5
        c0 = np.floor(col).astype(np.int64)
        r0 = np.floor(row).astype(np.int64)
        fc = col - c0
        fr = row - r0
        c0c = np.clip(c0, 0, self.nx - 1)
        c1c = np.clip(c0 + 1, 0, self.nx - 1)
        r0c = np.clip(r0, 0, self.ny - 1)
        r1c = np.clip(r0 + 1, 0, self.ny - 1)
        d = self.data
        z = (d[r0c, c0c] * (1 - fc) * (1 - fr) + d[r0c, c1c] * fc * (1 - fr)
             + d[r1c, c0c] * (1 - fc) * fr + d[r1c, c1c] * fc * fr)
        outside = (col < -0.5) | (row < -0.5) | (col > self.nx - 0.5) | (row > self.ny - 0.5)
        return np.where(outside, np.nan, z)

    def __call__(self, x: np.ndarray | float, y: np.ndarray | float) -> np.ndarray:
        return self.sample(x, y)
