"""GSSI ``.DZG`` GPS logs: NMEA fixes tied to radar scan numbers.

A DZG file is an ASCII NMEA log written beside a ``.DZT`` by GSSI units.
Every fix is introduced by a GSSI line ``$GSSIS,<scan>,<time>`` naming the
radar scan (trace index, 0-based) the fix belongs to, followed by the NMEA
sentences the receiver sent at that moment (``$GPGGA``, ``$GPRMC``,
``$GNGGA``...), blocks usually separated by blank lines::

    $GSSIS,23,-1
    $GPGGA,000320,4739.2552,N,12218.5815,W,0,00,,,M,,M,,*46

This parser is written from the NMEA 0183 sentence layouts (no third-party
NMEA library) and is deliberately tolerant: real logs have empty fields
(no altitude, no fix), ``$GSSIS`` lines with no sentence after them, wrong
or missing checksums and garbage lines. None of these raise; each is
reported once in :attr:`GpsFixes.warnings`. Only GGA (position, fix
quality, altitude) and RMC (position, date, validity) are used; other
sentences are ignored silently.

A *fix* is a ``$GSSIS`` block with a usable latitude and longitude (from
its GGA, else its RMC). Fixes are returned sorted by trace with duplicate
traces dropped, ready for interpolation along the profile.
"""

from __future__ import annotations

import math
import os
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np

#: longest line considered (longer lines are garbage, skipped with a warning)
MAX_LINE_BYTES = 4096
#: at most this many individual warnings; the rest are counted in one summary line
MAX_WARNINGS = 20


@dataclass
class GpsFixes:
    """GPS fixes of one GSSI profile, one entry per fix, sorted by trace.

    :ivar trace: scan (trace) index of every fix, ``int64``.
    :ivar lon: longitude, degrees WGS84 (east positive).
    :ivar lat: latitude, degrees WGS84 (north positive).
    :ivar alt: GGA altitude above mean sea level (m); NaN where the
        sentence had none (or the block had RMC only).
    :ivar quality: GGA fix quality (0 = no fix, 1 = GPS, 2 = DGPS, 4 = RTK
        fixed, 5 = RTK float...); for RMC-only blocks 1 when the RMC status
        is ``A`` (valid), else 0; -1 when unknown.
    :ivar time: UTC time of every fix as text, like the twin
        :class:`..nmea.GpsFixes` of the DT1/MALA readers:
        ``2017-12-16T00:03:20Z`` when the block had an RMC date,
        ``00:03:20`` otherwise (GGA has no date); None when unknown.
    :ivar time_s: the same time of day in seconds after midnight UTC
        (float64, NaN where unknown), for interpolation.
    :ivar date: the first RMC date as ``YYYY-MM-DD``, or ``""``.
    :ivar warnings: problems met while parsing (never fatal).
    :ivar path: the file parsed, or None for text.
    """

    trace: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    alt: np.ndarray
    quality: np.ndarray
    time: list[str | None]
    time_s: np.ndarray
    date: str = ""
    warnings: list[str] = field(default_factory=list)
    path: Path | None = None

    def __len__(self) -> int:
        return int(self.trace.shape[0])

    def select(self, keep: np.ndarray) -> GpsFixes:
        """A copy with only the fixes where the boolean mask ``keep`` is true."""
        keep = np.asarray(keep, dtype=bool)
        return GpsFixes(self.trace[keep], self.lon[keep], self.lat[keep], self.alt[keep], self.quality[keep],
                        [t for t, k in zip(self.time, keep) if k], self.time_s[keep], self.date,
                        list(self.warnings), self.path)

    def within(self, n_traces: int, source: str = "") -> GpsFixes:
        """Drop fixes whose trace is outside ``[0, n_traces)``, with a warning."""
        keep = (self.trace >= 0) & (self.trace < n_traces)
        dropped = int(np.count_nonzero(~keep))
        if not dropped:
            return self
        out = self.select(keep)
        name = source or (self.path.name if self.path else "GPS")
        out.warnings.append(f"{name}: {dropped} GPS fixes refer to scans beyond the {n_traces} scans of the "
                            "profile and were dropped.")
        return out


@dataclass
class _Fix:
    """What one ``$GSSIS`` block said (NaN / -1 where it said nothing)."""

    trace: int
    lat: float = math.nan
    lon: float = math.nan
    alt: float = math.nan
    quality: int = -1
    time_s: float = math.nan
    time_text: str | None = None
    date: str = ""
    has_gga: bool = False
    has_rmc: bool = False
    seen: bool = False  #: any GGA/RMC sentence met, usable or not


class _Warnings:
    """Collects warnings, keeping the first :data:`MAX_WARNINGS`."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.items: list[str] = []
        self.dropped = 0

    def add(self, line_no: int | None, text: str) -> None:
        if len(self.items) >= MAX_WARNINGS:
            self.dropped += 1
            return
        where = f"{self.name} line {line_no}" if line_no is not None else self.name
        self.items.append(f"{where}: {text}")

    def result(self) -> list[str]:
        if self.dropped:
            return [*self.items, f"{self.name}: {self.dropped} more warnings not shown."]
        return list(self.items)


# --- NMEA field helpers -----------------------------------------------------

def _checksum_ok(sentence: str) -> bool | None:
    """True/False when the sentence carries a ``*hh`` checksum, None when not."""
    star = sentence.rfind("*")
    if star < 0:
        return None
    given = sentence[star + 1:star + 3]
    if len(given) != 2:
        return False
    try:
        expected = int(given, 16)
    except ValueError:
        return False
    value = 0
    for ch in sentence[1:star]:
        value ^= ord(ch) & 0xFF
    return value == expected


def _float(text: str) -> float:
    """A finite float, or NaN for empty or malformed text."""
    try:
        value = float(text)
    except ValueError:
        return math.nan
    return value if math.isfinite(value) else math.nan


def _angle(text: str, hemisphere: str, max_deg: int, negative: str) -> float:
    """Degrees from NMEA ``(d)ddmm.mmmm`` + hemisphere letter; NaN if invalid."""
    value = _float(text.strip())
    hemi = hemisphere.strip().upper()
    if math.isnan(value) or value < 0 or hemi not in ("N", "S", "E", "W"):
        return math.nan
    degrees = math.floor(value / 100.0)
    minutes = value - degrees * 100.0
    if minutes >= 60.0 or degrees > max_deg:
        return math.nan
    result = degrees + minutes / 60.0
    if result > max_deg:
        return math.nan
    return -result if hemi == negative else result


def _time_of_day(text: str) -> tuple[float, str | None]:
    """(seconds after midnight, ``hh:mm:ss(.ss)``) from ``hhmmss(.ss)``; (NaN, None) if invalid."""
    text = text.strip()
    if len(text) < 6 or len(text) > 12 or not text[:6].isdigit():
        return math.nan, None
    hours, minutes = int(text[0:2]), int(text[2:4])
    seconds = _float(text[4:])
    if hours > 23 or minutes > 59 or math.isnan(seconds) or not 0 <= seconds < 61:
        return math.nan, None
    return hours * 3600.0 + minutes * 60.0 + seconds, f"{text[0:2]}:{text[2:4]}:{text[4:]}"


def _iso(fix: _Fix) -> str | None:
    """The fix's time as ISO text (with its RMC date when there was one)."""
    if fix.time_text is None:
        return None
    return f"{fix.date}T{fix.time_text}Z" if fix.date else fix.time_text


def _date(text: str) -> str:
    """``YYYY-MM-DD`` from RMC ``ddmmyy``, or ``""``."""
    text = text.strip()
    if len(text) != 6 or not text.isdigit():
        return ""
    day, month, year = int(text[0:2]), int(text[2:4]), int(text[4:6])
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return ""
    year += 2000 if year < 80 else 1900
    return f"{year:04d}-{month:02d}-{day:02d}"


# --- line reading -------------------------------------------------------------

def _lines(stream: BinaryIO, warn: _Warnings) -> Iterator[tuple[int, str]]:
    """(line number, text) of every line, never holding an over-long line."""
    line_no = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        line_no += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            warn.add(line_no, f"line longer than {MAX_LINE_BYTES} bytes ignored.")
            while raw and not raw.endswith(b"\n"):  # skip the rest of the line
                raw = stream.readline(1 << 16)
            continue
        yield line_no, raw.decode("ascii", errors="replace").strip()


# --- parsing ------------------------------------------------------------------

def _apply_gga(fix: _Fix, fields: list[str], line_no: int, warn: _Warnings) -> None:
    if fix.has_gga:
        return  # keep the first GGA of a block
    if len(fields) < 6:
        warn.add(line_no, "GGA sentence too short; ignored.")
        return
    fields = fields + [""] * (15 - len(fields))
    lat = _angle(fields[2], fields[3], 90, "S")
    lon = _angle(fields[4], fields[5], 180, "W")
    if math.isnan(lat) or math.isnan(lon):
        warn.add(line_no, f"GGA for scan {fix.trace} has no usable position; ignored.")
        return
    fix.has_gga = True
    fix.lat, fix.lon = lat, lon
    fix.time_s, fix.time_text = _time_of_day(fields[1])
    quality = fields[6].strip()
    fix.quality = int(quality) if quality.isdigit() and len(quality) <= 2 else -1
    fix.alt = _float(fields[9].strip())


def _apply_rmc(fix: _Fix, fields: list[str], line_no: int, warn: _Warnings, dates: list[str]) -> None:
    if fix.has_rmc:
        return
    if len(fields) < 7:
        warn.add(line_no, "RMC sentence too short; ignored.")
        return
    fields = fields + [""] * (13 - len(fields))
    fix.has_rmc = True
    fix.date = _date(fields[9])
    if fix.date:
        dates.append(fix.date)
    if math.isnan(fix.time_s):
        fix.time_s, fix.time_text = _time_of_day(fields[1])
    if fix.has_gga:
        return  # GGA already gave position, quality and altitude
    lat = _angle(fields[3], fields[4], 90, "S")
    lon = _angle(fields[5], fields[6], 180, "W")
    if math.isnan(lat) or math.isnan(lon):
        warn.add(line_no, f"RMC for scan {fix.trace} has no usable position; ignored.")
        return
    fix.lat, fix.lon = lat, lon
    fix.quality = 1 if fields[2].strip().upper() == "A" else 0


def _parse_stream(stream: BinaryIO, name: str, path: Path | None) -> GpsFixes:
    warn = _Warnings(name)
    fixes: list[_Fix] = []
    dates: list[str] = []
    current: _Fix | None = None
    orphan_sentences = 0
    garbage = 0

    def close(block: _Fix | None) -> None:
        if block is None:
            return
        if math.isnan(block.lat):
            if not block.seen:
                warn.add(None, f"no GGA or RMC sentence after $GSSIS for scan {block.trace}.")
            return
        fixes.append(block)

    for line_no, line in _lines(stream, warn):
        if not line:
            continue
        start = line.find("$")
        if start < 0:
            garbage += 1
            continue
        sentence = line[start:]
        ok = _checksum_ok(sentence)
        if ok is False:
            warn.add(line_no, "bad NMEA checksum; sentence ignored.")
            continue
        body = sentence.split("*", 1)[0]
        fields = body.split(",")
        address = fields[0][1:].upper()
        if address == "GSSIS":
            close(current)
            current = None
            scan = fields[1].strip() if len(fields) > 1 else ""
            try:
                trace = int(scan)
            except ValueError:
                trace = -1
            if trace < 0 or trace > 2**62:
                warn.add(line_no, f"$GSSIS with an invalid scan number {scan[:20]!r}; block ignored.")
                continue
            current = _Fix(trace=trace)
            continue
        kind = address[-3:] if len(address) == 5 else ""
        if kind not in ("GGA", "RMC"):
            continue  # GSV, GSA, VTG... or garbage starting with '$'
        if current is None:
            orphan_sentences += 1
            continue
        current.seen = True
        if kind == "GGA":
            _apply_gga(current, fields, line_no, warn)
        else:
            _apply_rmc(current, fields, line_no, warn, dates)
    close(current)

    if garbage:
        warn.add(None, f"{garbage} lines that are not NMEA sentences were ignored.")
    if orphan_sentences:
        warn.add(None, f"{orphan_sentences} GGA/RMC sentences not preceded by a valid $GSSIS line were ignored.")

    traces = array("q", (f.trace for f in fixes))
    order = np.argsort(np.asarray(traces, dtype=np.int64), kind="stable")
    if len(order) and np.any(np.diff(np.asarray(traces, dtype=np.int64)) < 0):
        warn.add(None, "$GSSIS scan numbers are not increasing; fixes were sorted by scan.")
    trace_arr = np.asarray(traces, dtype=np.int64)[order]
    keep = np.ones(trace_arr.shape[0], dtype=bool)
    if trace_arr.shape[0] > 1:
        keep[1:] = np.diff(trace_arr) != 0
    if not keep.all():
        warn.add(None, f"{int((~keep).sum())} fixes repeat a scan already fixed; the first one was kept.")
    order = order[keep]

    def column(name: str, dtype: str) -> np.ndarray:
        values = array("d" if dtype == "f" else "q", (getattr(f, name) for f in fixes))
        return np.asarray(values, dtype=np.float64 if dtype == "f" else np.int64)[order]

    result = GpsFixes(
        trace=trace_arr[keep],
        lon=column("lon", "f"),
        lat=column("lat", "f"),
        alt=column("alt", "f"),
        quality=column("quality", "i"),
        time=[_iso(fixes[i]) for i in order],
        time_s=column("time_s", "f"),
        date=dates[0] if dates else "",
        path=path,
    )
    if len(result) == 0:
        warn.add(None, "no usable GPS fix.")
    else:
        no_fix = int(np.count_nonzero(result.quality == 0))
        if no_fix:
            warn.add(None, f"{no_fix} of {len(result)} fixes have quality 0 (receiver had no fix); "
                           "their positions may be stale.")
    result.warnings = warn.result()
    return result


def read_dzg(path: str | os.PathLike[str]) -> GpsFixes:
    """Parse a ``.DZG`` file. Never raises for bad content, only for I/O.

    :param path: the DZG file.
    :returns: the fixes, with :attr:`GpsFixes.warnings` describing anything
        skipped.
    :raises OSError: the file cannot be opened or read.
    """
    p = Path(path)
    with open(p, "rb") as stream:
        return _parse_stream(stream, p.name, p)


def parse_dzg_text(text: str, name: str = "DZG") -> GpsFixes:
    """Parse DZG content given as text (tests, pasted logs)."""
    import io

    return _parse_stream(io.BytesIO(text.encode("utf-8", errors="replace")), name, None)


def find_dzg(dzt_path: str | os.PathLike[str]) -> Path | None:
    """The ``.DZG`` beside a ``.DZT`` (same stem, ``.DZG`` or ``.dzg``), or None."""
    p = Path(dzt_path)
    candidates = [p.with_suffix(".DZG"), p.with_suffix(".dzg")]
    if len(p.suffix) == 4:  # mixed case such as ".Dzt" -> ".Dzg"
        candidates.append(p.with_suffix(p.suffix[:3] + ("G" if p.suffix[3].isupper() else "g")))
    for candidate in candidates:
        if candidate != p and candidate.is_file():
            return candidate
    return None
