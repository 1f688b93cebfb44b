"""Write a Radargram as SEG-Y rev 1 (IEEE float32 samples).

Written from the SEG-Y rev 1 specification. The file carries everything
PipeMap's reader (and any SEG-Y reader) needs to read it back unambiguously:

* binary header: sample interval, samples per trace, format 5, revision
  0x0100, fixed-length flag, measurement system metres, and the rev 2
  byte-order marker 0x01020304 (bytes 3297-3300, unassigned in rev 1) so the
  byte order can be told without guessing;
* trace headers: sequence numbers, sample count and interval, coordinates as
  integers with a scalar (normally -1000, i.e. millimetres; coarser only when
  millimetres overflow 32 bits), coordinate units 1 (length) or 2 (arc
  seconds for geographic CRSs); map x/y in SourceX/Y, GroupX/Y and CDP X/Y
  when the radargram is georeferenced, else the along-line distance in
  SourceX and GroupX with y = 0;
* textual header (40 cards of 80 characters, EBCDIC by default): 'PipeMap',
  the sample-interval unit stated in words, the exact dt (``DT_NS=``), the
  CRS, the antenna, the processing history and the caller's lines.

The file is written to a temporary file beside the target and renamed into
place when complete, so a failure never leaves a half-written file.
"""

from __future__ import annotations

import math
import os
import struct
import textwrap
from pathlib import Path

import numpy as np

from ..errors import OutputError
from ..gdalutil import remove_quietly, temp_path_beside
from ..version import __version__
from .model import Radargram
from .readers.segy import TRACE_HEADER_LAYOUT

_INT32_MAX = 2**31 - 1
#: CRS identifiers written as geographic (longitude/latitude in arc seconds)
GEOGRAPHIC_CRS = frozenset({"EPSG:4326", "EPSG:4258", "EPSG:4269", "EPSG:4490", "EPSG:4283", "EPSG:4619",
                            "OGC:CRS84", "CRS:84"})
#: scalars tried, finest first (-1000 = millimetres)
_SCALARS = (-1000, -100, -10, 1, 10, 100, 1000, 10000)
_CHUNK_BYTES = 16 * 1024 * 1024

# trace header fields written: the SEG-Y rev 1 layout shared with the reader
_TRACE_FIELDS = TRACE_HEADER_LAYOUT


def _field_error(path: Path, field: str, value: object, reason: str) -> OutputError:
    return OutputError("Cannot write the SEG-Y file {path}: {field} = {value!r} cannot be stored ({reason}).",
                       code="gpr.segy.write_field", path=str(path), field=field, value=value, reason=reason)


def _choose_scalar(values: list[np.ndarray]) -> int:
    """The finest SEG-Y scalar whose integers fit in 32 bits."""
    peak = max((float(np.max(np.abs(v))) for v in values if v is not None and v.size), default=0.0)
    for scalar in _SCALARS:
        factor = -scalar if scalar < 0 else 1.0 / scalar
        if peak * factor <= _INT32_MAX:
            return scalar
    return _SCALARS[-1]


def _to_int(values: np.ndarray, scalar: int) -> np.ndarray:
    factor = -scalar if scalar < 0 else 1.0 / scalar
    return np.rint(values * factor).astype(np.int64)


#: characters whose EBCDIC code differs between code pages (037, 500, 1047...) -> portable ones
_PORTABLE = str.maketrans({"[": "(", "]": ")", "{": "(", "}": ")", "!": ".", "|": "/", "^": " ", "~": "-",
                           "`": "'", "\\": "/"})


def _cards(lines: list[str]) -> bytes:
    """40 cards of 80 characters ('C 1 ...' to 'C40 ...') as ASCII text.

    Non-ASCII characters become '?'; brackets and the other characters that
    EBCDIC code pages encode differently are replaced by portable ones so
    every SEG-Y reader decodes the same text."""
    body: list[str] = []
    for line in lines:
        clean = line.encode("ascii", "replace").decode("ascii").translate(_PORTABLE)
        body += textwrap.wrap(clean, 76, break_long_words=True, replace_whitespace=True) or [""]
    if len(body) > 38:
        dropped = len(body) - 37
        body = body[:37] + [f"... ({dropped} more lines not written)"]
    cards = body + [""] * (38 - len(body)) + ["SEG Y REV1", "END TEXTUAL HEADER"]
    return "".join(f"C{i:2d} {card}"[:80].ljust(80) for i, card in enumerate(cards, 1)).encode("ascii")


def write_segy(
    rg: Radargram,
    path: str | os.PathLike[str],
    *,
    endian: str = "big",
    sample_interval_unit: str = "ps",
    textual_lines: list[str] | None = None,
    text_encoding: str = "ebcdic",
    overwrite: bool = True,
) -> Path:
    """Write a radargram as a SEG-Y rev 1 file with IEEE float32 samples.

    :param rg: the radargram (raw or processed samples).
    :param path: target file (``.sgy``).
    :param endian: ``'big'`` (the SEG-Y rev 1 standard) or ``'little'`` (as
        some GPR software writes it).
    :param sample_interval_unit: unit of the sample-interval fields: ``'ps'``
        (GPR convention: 0.4 ns is written 400) or ``'us'`` (seismic
        convention; only for sample intervals of whole microseconds).
    :param textual_lines: extra lines for the textual header (wrapped to 76
        characters; non-ASCII characters become '?').
    :param text_encoding: ``'ebcdic'`` (the rev 1 standard) or ``'ascii'``.
    :param overwrite: replace an existing file (the default, like the other
        GPR outputs: the Processing framework asks the user first); False
        refuses it and leaves it untouched.
    :return: the path written.
    :raises OutputError: a value does not fit its SEG-Y field, the file
        exists (without ``overwrite``) or cannot be written.
    """
    target = Path(path)
    if endian not in ("big", "little"):
        raise _field_error(target, "endian", endian, "use 'big' or 'little'")
    if sample_interval_unit not in ("ps", "us"):
        raise _field_error(target, "sample_interval_unit", sample_interval_unit, "use 'ps' or 'us'")
    if text_encoding not in ("ebcdic", "ascii"):
        raise _field_error(target, "text_encoding", text_encoding, "use 'ebcdic' or 'ascii'")
    if target.exists() and not overwrite:
        raise OutputError(
            "The file {path} already exists; it was left untouched. Choose another name or allow overwriting.",
            code="gpr.segy.exists", path=str(target))
    if target.exists() and not target.is_file():
        raise OutputError("{path} is not a file; it was left untouched.", code="gpr.segy.not_file", path=str(target))
    e = ">" if endian == "big" else "<"
    n_traces, ns = rg.n_traces, rg.n_samples
    if n_traces < 1:
        raise _field_error(target, "number of traces", n_traces, "a SEG-Y file needs at least one trace")
    if not 1 <= ns <= 65535:
        raise _field_error(target, "samples per trace (binary header bytes 3221-3222)", ns, "1 to 65535")

    # sample interval
    dt_ns = float(rg.dt_ns)
    exact = dt_ns * 1000.0 if sample_interval_unit == "ps" else dt_ns / 1000.0
    dt_field = int(round(exact)) if math.isfinite(exact) else 0
    if not 1 <= dt_field <= 65535:
        raise _field_error(target, "sample interval (binary header bytes 3217-3218)", dt_ns,
                           f"{exact:g} {'ps' if sample_interval_unit == 'ps' else 'µs'} is outside 1 to 65535; "
                           f"use sample_interval_unit={'us' if sample_interval_unit == 'ps' else 'ps'!r}")
    if abs(dt_field - exact) > 0.01 * exact:
        raise _field_error(target, "sample interval (binary header bytes 3217-3218)", dt_ns,
                           f"{exact:g} would be rounded to {dt_field}, more than 1 % off; "
                           "use sample_interval_unit='ps'")

    # positions
    georef = rg.x is not None and rg.y is not None
    geographic = georef and rg.crs.strip().upper() in GEOGRAPHIC_CRS
    if georef:
        x = np.asarray(rg.x, dtype=np.float64)
        y = np.asarray(rg.y, dtype=np.float64)
        if x.shape != (n_traces,) or y.shape != (n_traces,):
            raise _field_error(target, "x/y", f"{x.shape}/{y.shape}", f"one value per trace ({n_traces}) needed")
        if geographic:
            x, y = x * 3600.0, y * 3600.0  # arc seconds (coordinate units 2)
        units = 2 if geographic else 1
    else:
        if rg.distance_m is not None:
            x = np.asarray(rg.distance_m, dtype=np.float64)
            if x.shape != (n_traces,):
                raise _field_error(target, "distance_m", x.shape, f"one value per trace ({n_traces}) needed")
        elif rg.trace_spacing_m:
            x = np.arange(n_traces, dtype=np.float64) * float(rg.trace_spacing_m)
        else:
            x = np.zeros(n_traces)
        y = np.zeros(n_traces)
        units = 1
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise _field_error(target, "trace coordinates (trace header bytes 73-88)", "NaN",
                           "some traces have no position; interpolate or drop them first")
    scalar = _choose_scalar([x, y])
    xi, yi = _to_int(x, scalar), _to_int(y, scalar)
    if max(int(np.max(np.abs(xi))), int(np.max(np.abs(yi)))) > _INT32_MAX:
        raise _field_error(target, "trace coordinates (trace header bytes 73-88)", float(np.max(np.abs(x))),
                           "too large for 32-bit integers even with the scalar 10000")
    z = None
    if georef and rg.z is not None:
        z = np.asarray(rg.z, dtype=np.float64)
        if z.shape != (n_traces,) or not np.all(np.isfinite(z)):
            z = None
    z_scalar = _choose_scalar([z]) if z is not None else 1
    zi = _to_int(z, z_scalar) if z is not None else None

    # textual header
    unit_words = ("PICOSECONDS (GPR CONVENTION)" if sample_interval_unit == "ps"
                  else "MICROSECONDS (SEISMIC CONVENTION)")
    if georef:
        where = (f"CRS: {rg.crs or 'UNKNOWN'}; TRACE X/Y IN SOURCE, GROUP AND CDP X/Y "
                 f"({'ARC SECONDS' if geographic else 'MAP UNITS'}, SCALAR {scalar})")
    else:
        where = f"CRS: NONE; ALONG-LINE DISTANCE (M) IN SOURCEX AND GROUPX, Y = 0, SCALAR {scalar}"
    antenna = rg.antenna
    lines = [
        f"PipeMap {__version__} SEG-Y rev 1 export ({rg.format} {rg.path.name if rg.path else ''})".strip(),
        f"GPR RADARGRAM: {n_traces} TRACES X {ns} SAMPLES, IEEE FLOAT32, {endian.upper()}-ENDIAN",
        f"SAMPLE INTERVAL UNIT: {unit_words}; FIELD {dt_field} = {dt_ns:g} NS",
        f"DT_NS={dt_ns!r} TIME_ZERO_NS={float(rg.time_zero_ns)!r}",
        where,
    ]
    if antenna.frequency_mhz or antenna.name:
        freq = f" {antenna.frequency_mhz:g} MHZ" if antenna.frequency_mhz else ""
        lines.append(f"ANTENNA: {antenna.name}{freq}".rstrip())
    lines += list(textual_lines or [])
    lines.append("PROCESSING HISTORY:")
    lines += rg.history_text().split("\n")
    text = _cards(lines)
    if text_encoding == "ebcdic":
        text = text.decode("ascii").encode("cp037")

    # binary header
    binary = bytearray(400)
    for fmt, off, value in (
        ("i", 0, 1), ("i", 4, 1), ("i", 8, 1), ("h", 12, 1), ("h", 14, 0),
        ("H", 16, dt_field), ("H", 18, dt_field), ("H", 20, ns), ("H", 22, ns), ("h", 24, 5),
        ("h", 26, 1), ("h", 28, 1), ("h", 54, 1), ("I", 96, 0x01020304),
        ("H", 300, 0x0100), ("h", 302, 1), ("h", 304, 0),
    ):
        struct.pack_into(e + fmt, binary, off, value)

    # trace records
    names = list(_TRACE_FIELDS)
    record = np.dtype({
        "names": [*names, "s"],
        "formats": [e + _TRACE_FIELDS[n][0] for n in names] + [(e + "f4", (ns,))],
        "offsets": [_TRACE_FIELDS[n][1] for n in names] + [240],
        "itemsize": 240 + 4 * ns,
    })
    chunk = max(1, _CHUNK_BYTES // record.itemsize)
    tmp = temp_path_beside(target, ".sgy")
    try:
        with open(tmp, "wb") as fh:
            fh.write(text)
            fh.write(bytes(binary))
            for start in range(0, n_traces, chunk):
                stop = min(n_traces, start + chunk)
                block = np.zeros(stop - start, dtype=record)
                seq = np.arange(start + 1, stop + 1)
                for name in ("seq_line", "seq_file", "cdp"):
                    block[name] = seq
                block["field_record"] = 1
                block["trace_in_record"] = seq
                block["trace_in_ensemble"] = 1
                block["trace_id"] = 1
                block["n_summed"] = 1
                block["n_stacked"] = 1
                block["data_use"] = 1
                block["scalar"] = scalar
                block["units"] = units
                block["ns"] = ns
                block["dt"] = dt_field
                block["sx"] = block["gx"] = xi[start:stop]
                block["sy"] = block["gy"] = yi[start:stop]
                if georef:
                    block["cdpx"] = xi[start:stop]
                    block["cdpy"] = yi[start:stop]
                block["elevation_scalar"] = z_scalar
                if zi is not None:
                    block["elevation"] = block["source_elevation"] = zi[start:stop]
                block["s"] = rg.traces_float32(start, stop).T
                block.tofile(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        remove_quietly(tmp)
        raise OutputError("Cannot write the SEG-Y file {path}: {reason}", code="gpr.segy.write", path=str(target),
                          reason=exc.strerror or str(exc)) from None
    except BaseException:
        remove_quietly(tmp)
        raise
    return target
