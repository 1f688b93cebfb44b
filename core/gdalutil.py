"""Small helpers around GDAL/OGR/OSR (imported lazily by callers)."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import InputError, OutputError


@contextlib.contextmanager
def gdal_exceptions() -> Iterator[None]:
    """Turn GDAL errors into Python exceptions inside the block only.

    GDAL's exception mode is process-wide; other plugins in the same QGIS may
    rely on the default, so the previous state is restored afterwards.
    """
    from osgeo import gdal, ogr, osr

    previous = [m.GetUseExceptions() for m in (gdal, ogr, osr)]
    for m in (gdal, ogr, osr):
        m.UseExceptions()
    try:
        yield
    finally:
        # GDAL keeps a stack of error handlers: undo in reverse order.
        for m, was in reversed(list(zip((gdal, ogr, osr), previous))):
            if not was:
                m.DontUseExceptions()


_AUTH_RE = re.compile(r"^\s*([A-Za-z]+)\s*:\s*(\d+)\s*$")


def spatial_reference(crs: str) -> Any:
    """Build an ``osr.SpatialReference`` from an authority code or WKT.

    :param crs: ``"EPSG:4547"``, a WKT1/WKT2 string (local grids welcome) or
        a PROJ string.
    :raises InputError: when the CRS cannot be understood.
    """
    from osgeo import osr

    text = (crs or "").strip()
    if not text:
        raise InputError("No coordinate reference system was given.", code="crs.missing")
    srs = osr.SpatialReference()
    with gdal_exceptions():
        try:
            match = _AUTH_RE.match(text)
            if match and match.group(1).upper() == "EPSG":
                srs.ImportFromEPSG(int(match.group(2)))
            else:
                srs.SetFromUserInput(text)
        except RuntimeError as exc:
            raise InputError(
                "The coordinate reference system {crs!r} is not valid: {reason}",
                code="crs.invalid",
                crs=text[:200],
                reason=str(exc).strip() or "unknown definition",
            ) from None
    if not (srs.IsProjected() or srs.IsGeographic() or srs.IsLocal()):
        raise InputError(
            "The coordinate reference system {crs!r} is neither projected, geographic nor a local grid.",
            code="crs.invalid",
            crs=text[:200],
        )
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def temp_path_beside(target: Path, suffix: str) -> Path:
    """A fresh temporary file name in the target's folder (same file system,
    so the final rename is atomic). The file itself is not left behind."""
    folder = target.parent
    if not folder.is_dir():
        raise OutputError(
            "Cannot write {path}: the folder {folder} does not exist.",
            code="output.no_folder",
            path=str(target),
            folder=str(folder),
        )
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f".part{suffix}", dir=folder)
    except OSError as exc:
        raise OutputError(
            "Cannot write in the folder {folder}: {reason}",
            code="output.unwritable",
            folder=str(folder),
            reason=exc.strerror or str(exc),
        ) from None
    os.close(fd)
    os.unlink(name)
    return Path(name)


def remove_quietly(path: Path) -> None:
    """Remove a file and its SQLite side files, ignoring what is not there."""
    for p in (path, Path(str(path) + "-journal"), Path(str(path) + "-wal"), Path(str(path) + "-shm")):
        with contextlib.suppress(OSError):
            p.unlink()


def write_text_atomic(target: str | os.PathLike[str], text: str, what: str = "file") -> Path:
    """Write UTF-8 text through a temporary file beside ``target`` and a rename: never half-written.

    :param what: what the file is, for the message ("report", "figures"...).
    :raises OutputError: the folder is missing or the text cannot be written (disk full, read-only...);
        nothing is left behind.
    """
    path = Path(target)
    tmp = temp_path_beside(path, path.suffix)
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        remove_quietly(tmp)
        raise OutputError("Cannot write the {what} {path}: {reason}", code="output.write", what=what,
                          path=str(path), reason=exc.strerror or str(exc)) from None
    except BaseException:
        remove_quietly(tmp)
        raise
    return path
