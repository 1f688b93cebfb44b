"""MALA (Guideline Geo) ``.rd3`` / ``.rd7`` + ``.rad`` (+ ``.cor``) reader.

Format (learned from the MALA file-format notes in the MATGPR manual and
GPR_ANCHORS.md section 4.4; checked on ImpDAR's real ``ten_col`` file):

``NAME.rad``
    ASCII ``KEY:value`` lines. Used here: SAMPLES (points per trace),
    FREQUENCY (the *sampling* frequency in MHz: ``dt_ns = 1000 / FREQUENCY``),
    TIMEWINDOW (ns), LAST TRACE (trace count), ANTENNAS (antenna name, e.g.
    ``500_shielded_egrip`` or ``25 MHz RTA``), ANTENNA SEPARATION (m),
    DISTANCE INTERVAL (m between traces, 0 when time-triggered), TIME
    INTERVAL (s), STACKS, SIGNAL POSITION. Every line is kept in
    ``header["rad"]``.
``NAME.rd3`` / ``NAME.rd7``
    No header: traces one after another, SAMPLES little-endian int16
    (``.rd3``) or int32 (``.rd7``) each. Traces = file size / (SAMPLES x 2
    or 4); memory-mapped.
``NAME.cor``
    One GPS fix per line, tab or space separated: trace number, date, time,
    latitude, N/S, longitude, E/W, altitude, ``M``, quality. Latitude and
    longitude are decimal degrees (values beyond 90/180 are read as
    ``ddmm.mmmm``). Trace numbers start at 1.

Decisions: the sample interval comes from FREQUENCY (TIMEWINDOW disagrees by
exactly 2x in the real ``ten_col`` file; a warning is added whenever
``SAMPLES x dt`` and TIMEWINDOW differ by more than 1 %); the trace count
comes from the file size (LAST TRACE disagreeing -> warning); the antenna
frequency is the leading number of ANTENNAS when there is one.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import InputError
from ..model import Antenna, Radargram
from ..nmea import GpsFixes, dm_to_degrees
from .dt1 import (
    MAX_DT_NS,
    MAX_SIDE_FILE_BYTES,
    MIN_DT_NS,
    bad_field,
    compact_key,
    file_size,
    find_sibling,
    parse_number,
    read_head,
    read_text_header,
    whole_number,
)

MAX_SAMPLES = 1 << 20  #: largest SAMPLES accepted
DATA_SUFFIXES = {".rd3": ("<i2", 2), ".rd7": ("<i4", 4)}
_LEADING_NUMBER = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(GHZ|MHZ)?", re.IGNORECASE)
_COR_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_COR_TIME = re.compile(r"^[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?$")


def parse_rad(text: str) -> dict[str, str]:
    """``KEY:value`` lines -> ``{KEY (upper case, stripped): value}``; the first
    occurrence of a key wins, lines without ':' are ignored."""
    fields: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip().strip("\x00").strip()
        if ":" not in line:
            continue
        key, value = (part.strip() for part in line.split(":", 1))
        if key:
            fields.setdefault(key.upper(), value)
    return fields


def _rad_value(fields: dict[str, str], key: str) -> str | None:
    if key in fields:
        return fields[key]
    wanted = compact_key(key)
    for k, v in fields.items():
        if compact_key(k) == wanted:
            return v
    return None


def antenna_frequency_mhz(name: str) -> float | None:
    """Centre frequency from a MALA antenna name: the leading number
    (``500_shielded_egrip`` -> 500, ``25 MHz RTA`` -> 25, ``1.6 GHz`` ->
    1600), else None."""
    m = _LEADING_NUMBER.match(name or "")
    if not m:
        return None
    value = float(m.group(1)) * (1000.0 if (m.group(2) or "").upper() == "GHZ" else 1.0)
    return value if 0 < value <= 1e5 else None


def _looks_like_rad(path: Path) -> bool:
    head = read_head(path, 4096)
    if b"\x00" in head:
        return False
    text = head.decode("latin-1").upper()
    return bool(re.search(r"^\s*SAMPLES\s*:", text, re.MULTILINE)) and "FREQUENCY" in text


def is_mala(path: str | os.PathLike[str]) -> bool:
    """True for a ``.rad`` header (by content) or a ``.rd3``/``.rd7`` file.

    The binary files have no header of their own, so their extension is the
    only evidence; a missing or broken ``.rad`` is then reported by
    :func:`read_mala` with the file and field concerned.
    """
    p = Path(path)
    try:
        if not p.is_file():
            return False
        if p.suffix.lower() in DATA_SUFFIXES:
            return True
        return _looks_like_rad(p)
    except (OSError, InputError, ValueError):
        return False


def _files(p: Path) -> tuple[Path, Path, str, int]:
    """(data path, rad path, sample dtype, bytes per sample)."""
    if not p.is_file():
        raise InputError("The GPR file {path} does not exist.", code="gpr.missing", path=str(p))
    suffix = p.suffix.lower()
    if suffix in DATA_SUFFIXES:
        rad = find_sibling(p, ".rad")
        if rad is None:
            raise InputError("The MALA header file {path} is missing: it is needed with {data} for the fields "
                             "SAMPLES and FREQUENCY.", code="gpr.mala.no_header",
                             path=str(p.with_suffix(".rad")), data=str(p))
        dtype, size = DATA_SUFFIXES[suffix]
        return p, rad, dtype, size
    if suffix != ".rad" and not _looks_like_rad(p):
        raise InputError("{path} is not a MALA file: the extension {ext} is none of .rad, .rd3, .rd7.",
                         code="gpr.mala.extension", path=str(p), ext=p.suffix or "(none)")
    found = [(s, f) for s in DATA_SUFFIXES if (f := find_sibling(p, s)) is not None]
    if not found:
        raise InputError("The MALA data file for {path} is missing: {rd3} or {rd7} should be next to it.",
                         code="gpr.mala.no_data", path=str(p), rd3=p.with_suffix(".rd3").name,
                         rd7=p.with_suffix(".rd7").name)
    suffix, data = found[0]
    dtype, size = DATA_SUFFIXES[suffix]
    return data, p, dtype, size


def _read_cor(path: Path, n_traces: int) -> tuple[GpsFixes | None, list[str]]:
    """Parse a MALA ``.cor`` file (see the module docstring)."""
    size = file_size(path)
    if size > MAX_SIDE_FILE_BYTES:
        return None, [f"{path.name}: larger than {MAX_SIDE_FILE_BYTES} bytes, GPS not read."]
    records: list[tuple[int, float, float, float, str | None]] = []
    skipped = 0
    try:
        with open(path, encoding="latin-1", newline=None) as f:
            for line in f:
                parts = line.split()
                fix = _cor_fix(parts) if 7 <= len(parts) <= 64 else None
                if fix is None:
                    skipped += bool(line.strip())
                    continue
                records.append(fix)
    except OSError as exc:
        return None, [f"{path.name}: cannot be read ({exc.strerror or exc})."]
    warnings = [f"{path.name}: {skipped} unreadable line(s) skipped."] if skipped else []
    if not records:
        return None, [*warnings, f"{path.name}: no GPS fix could be read; ignored."]
    fixes = GpsFixes.from_records(records, warnings).within(n_traces, path.name)
    return fixes, list(fixes.warnings)


def _cor_fix(parts: list[str]) -> tuple[int, float, float, float, str | None] | None:
    if not re.fullmatch(r"[0-9]{1,15}", parts[0]) or int(parts[0]) < 1:
        return None
    trace = int(parts[0])
    date = parts[1] if _COR_DATE.match(parts[1]) else None
    time = parts[2] if _COR_TIME.match(parts[2]) else None
    lat = _cor_angle(parts[3], parts[4], 90.0)
    lon = _cor_angle(parts[5], parts[6], 180.0)
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    alt = parse_number(parts[7]) if len(parts) > 7 else None
    stamp = f"{date}T{time}" if date and time else (time or date)
    return trace - 1, lon, lat, alt if alt is not None else math.nan, stamp


def _cor_angle(value: str, hemisphere: str, limit: float) -> float:
    hemisphere = hemisphere.strip().upper()
    if hemisphere not in (("N", "S") if limit == 90.0 else ("E", "W")):
        return math.nan
    number = parse_number(value)
    if number is None or number < 0:
        return math.nan
    if number > limit:  # ddmm.mmmm
        return dm_to_degrees(value, hemisphere)
    return -number if hemisphere in ("S", "W") else number


def read_mala(path: str | os.PathLike[str]) -> list[Radargram]:
    """Read a MALA RD3/RD7 profile (give the ``.rd3``/``.rd7`` or the ``.rad``).

    :returns: one Radargram; ``raw`` is a read-only ``np.memmap`` (traces x
        samples, int16 for rd3, int32 for rd7).
    :raises InputError: missing partner file, unusable SAMPLES/FREQUENCY, or
        a data file shorter than one trace; the message names file and field.
    """
    data, rad_path, sample_type, nbytes = _files(Path(path))
    rad = parse_rad(read_text_header(rad_path))
    warnings: list[str] = []

    samples_text = _rad_value(rad, "SAMPLES")
    if samples_text is None:
        raise InputError("{path}: the field {field} is missing.", code="gpr.field_missing", path=str(rad_path),
                         field="SAMPLES")
    samples = whole_number(parse_number(samples_text), 1, MAX_SAMPLES)
    if samples is None:
        raise bad_field(rad_path, "SAMPLES", samples_text, f"a whole number from 1 to {MAX_SAMPLES}")

    freq_text = _rad_value(rad, "FREQUENCY")
    freq = parse_number(freq_text)
    window_text = _rad_value(rad, "TIMEWINDOW")
    window = parse_number(window_text)
    if window is not None and not MIN_DT_NS <= window / samples <= MAX_DT_NS:
        window = None
    if freq_text is None:
        if window is None:
            raise InputError("{path}: the fields {field} and TIMEWINDOW are both missing or unusable.",
                             code="gpr.field_missing", path=str(rad_path), field="FREQUENCY")
        dt_ns = window / samples
        warnings.append(f"{rad_path.name}: no FREQUENCY; dt = TIMEWINDOW / SAMPLES = {dt_ns:g} ns.")
    elif not freq or not MIN_DT_NS <= 1000.0 / freq <= MAX_DT_NS:  # None, 0, negative, absurd
        raise bad_field(rad_path, "FREQUENCY", freq_text,
                        f"the sampling frequency in MHz, from {1000.0 / MAX_DT_NS:g} to {1000.0 / MIN_DT_NS:g}")
    else:
        dt_ns = 1000.0 / freq
        if window is not None and abs(samples * dt_ns - window) > 0.01 * window:
            warnings.append(f"{rad_path.name}: SAMPLES x 1000/FREQUENCY = {samples * dt_ns:.6g} ns but TIMEWINDOW "
                            f"= {window:.6g} ns ({window / (samples * dt_ns):.3g}x); FREQUENCY and SAMPLES are "
                            "trusted.")

    size = file_size(data)
    record = samples * nbytes
    n_traces, rest = divmod(size, record)
    if n_traces == 0:
        raise InputError("{path} holds no complete trace: a trace of {points} samples ({field}) needs {record} "
                         "bytes but the file has {size}.", code="gpr.truncated", path=str(data), points=samples,
                         field="SAMPLES", record=record, size=size)
    if rest:
        warnings.append(f"{data.name}: the last trace is incomplete ({rest} of {record} bytes) and was ignored.")
    last_text = _rad_value(rad, "LAST TRACE")
    last = whole_number(parse_number(last_text), 0, 2**62)
    if last_text is not None and last != n_traces:
        warnings.append(f"{rad_path.name}: LAST TRACE = {last_text} but {data.name} holds {n_traces} traces "
                        "(from its size); the file size is trusted.")

    interval = parse_number(_rad_value(rad, "DISTANCE INTERVAL"))
    spacing_m = interval if interval is not None and 0 < interval < 1e6 else None
    distance_m = np.arange(n_traces, dtype=np.float64) * spacing_m if spacing_m is not None else None

    antenna_name = (_rad_value(rad, "ANTENNAS") or "").strip()
    sep = parse_number(_rad_value(rad, "ANTENNA SEPARATION"))
    antenna = Antenna(name=antenna_name, frequency_mhz=antenna_frequency_mhz(antenna_name),
                      separation_m=sep if sep is not None and 0 <= sep < 1e6 else None)

    try:
        raw = np.memmap(data, dtype=sample_type, mode="r", shape=(n_traces, samples))
    except (OSError, ValueError) as exc:
        raise InputError("Cannot read {path}: {reason}.", code="gpr.io", path=str(data), reason=str(exc)) from exc

    stacks = parse_number(_rad_value(rad, "STACKS"))
    header: dict[str, Any] = {
        "rad_path": str(rad_path), "data_path": str(data),
        "samples": samples, "frequency_mhz": freq, "time_window_ns": window,
        "last_trace": last, "traces": n_traces, "stacks": whole_number(stacks, 0, 10**9),
        "distance_interval_m": interval, "time_interval_s": parse_number(_rad_value(rad, "TIME INTERVAL")),
        "signal_position": parse_number(_rad_value(rad, "SIGNAL POSITION")),
        "antenna": antenna_name, "sample_type": "int16" if nbytes == 2 else "int32",
        "rad": dict(rad),
    }
    rg = Radargram(path=data, format=data.suffix.lower().lstrip("."), dt_ns=dt_ns, raw=raw, antenna=antenna,
                   distance_m=distance_m, trace_spacing_m=spacing_m, header=header, warnings=warnings)
    cor = find_sibling(data, ".cor")
    if cor is not None:
        rg.gps, gps_warnings = _read_cor(cor, n_traces)
        rg.header["gps_file"] = str(cor)
        rg.warnings.extend(gps_warnings)
    return [rg]
