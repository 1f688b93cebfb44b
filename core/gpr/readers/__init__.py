"""GPR file readers behind one registry; formats are detected by content.

Each reader module provides ``is_<fmt>(path) -> bool`` (reads a few header
bytes only) and ``read_<fmt>(path) -> list[Radargram]`` (one per channel;
samples memory-mapped, never read whole). Errors are
:class:`~pipemap.core.errors.InputError` naming the file and the field.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from pathlib import Path

from ...errors import InputError
from ..model import Radargram

#: format -> (module, detector name, reader name, extensions)
FORMATS: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "dzt": ("dzt", "is_dzt", "read_dzt", (".dzt",)),
    "dt1": ("dt1", "is_dt1", "read_dt1", (".dt1", ".hd")),
    "rd3": ("mala", "is_mala", "read_mala", (".rd3", ".rd7", ".rad")),
    "segy": ("segy", "is_segy", "read_segy", (".sgy", ".segy", ".seg")),
}


def _functions(fmt: str) -> tuple[Callable[[Path], bool], Callable[..., list[Radargram]]]:
    module_name, is_name, read_name, _ = FORMATS[fmt]
    module = importlib.import_module(f"{__name__}.{module_name}")
    return getattr(module, is_name), getattr(module, read_name)


def detect(path: str | os.PathLike[str]) -> str:
    """The format of a GPR file, by content first, extension second."""
    p = Path(path)
    if not p.is_file():
        raise InputError("The GPR file {path} does not exist.", code="gpr.missing", path=str(p))
    suffix = p.suffix.lower()
    by_ext = [fmt for fmt, spec in FORMATS.items() if suffix in spec[3]]
    for fmt in by_ext + [f for f in FORMATS if f not in by_ext]:
        try:
            is_fn, _ = _functions(fmt)
        except (ImportError, AttributeError):  # a reader not written yet
            continue
        try:
            if is_fn(p):
                return fmt
        except OSError:
            continue
    raise InputError("{path} is not a GPR file PipeMap reads (GSSI DZT, Sensors & Software DT1, MALA RD3/RD7, "
                     "SEG-Y).", code="gpr.unknown_format", path=str(p))


def read(path: str | os.PathLike[str], fmt: str | None = None) -> list[Radargram]:
    """Read a GPR file: one Radargram per channel."""
    p = Path(path)
    fmt = fmt or detect(p)
    if fmt not in FORMATS:
        raise InputError("Unknown GPR format {fmt!r}.", code="gpr.format", fmt=fmt)
    _, read_fn = _functions(fmt)
    return read_fn(p)
