"""A small NMEA 0183 parser for the GPS side files of GPR systems.

Only the two sentences that carry a position are decoded:

* ``GGA`` (fix data): UTC time of day, latitude, longitude, fix quality,
  altitude above mean sea level;
* ``RMC`` (recommended minimum): UTC time, status ``A``/``V``, latitude,
  longitude and the date (``ddmmyy``).

Any talker (``GP``, ``GN``, ``GL``, ``GA``, ``GB``...) is accepted. Latitude
and longitude come as ``ddmm.mmmm`` / ``dddmm.mmmm`` plus a hemisphere letter
and are returned in signed decimal degrees. Empty fields become NaN / None.
A checksum (``*hh``, XOR of the characters between ``$`` and ``*``) is
verified when present; a sentence with a wrong checksum is skipped and a
warning is recorded. Nothing here raises on garbage input: an unreadable
line is simply not a fix.

:class:`GpsFixes` is the per-trace container the DT1 and MALA readers put in
``Radargram.gps`` (the GSSI DZG reader has a twin with the same fields).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

#: longest line looked at; NMEA allows 82 characters, some loggers write more
MAX_LINE_CHARS = 1024

_SENTENCE = re.compile(r"\$([A-Z]{2})(GGA|RMC),")
_TIME = re.compile(r"^([0-9]{2})([0-9]{2})([0-9]{2}(?:\.[0-9]+)?)$")
_DATE = re.compile(r"^([0-9]{2})([0-9]{2})([0-9]{2})$")
_UINT = re.compile(r"^[0-9]{1,3}$")


@dataclass
class GpsFixes:
    """GPS fixes attached to traces of one radargram.

    All arrays have one entry per fix (not per trace); traces between fixes
    are interpolated by whoever georeferences the radargram.

    :ivar trace: 0-based trace index each fix belongs to (int64).
    :ivar lon: longitude, decimal degrees east (float64, NaN unknown).
    :ivar lat: latitude, decimal degrees north (float64, NaN unknown).
    :ivar alt: altitude above mean sea level, metres (float64, NaN unknown).
    :ivar time: UTC time of each fix as ISO text (``2014-03-11T14:20:08.00Z``
        when a date is known, ``14:20:08.00`` otherwise) or None.
    :ivar warnings: what was skipped or doubtful while reading the fixes.
    """

    trace: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    alt: np.ndarray
    time: list[str | None]
    warnings: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return int(self.trace.shape[0])

    @classmethod
    def from_records(cls, records: Sequence[tuple[int, float, float, float, str | None]],
                     warnings: Iterable[str] = ()) -> GpsFixes:
        """Build from ``(trace, lon, lat, alt, time)`` tuples."""
        return cls(
            trace=np.array([r[0] for r in records], dtype=np.int64),
            lon=np.array([r[1] for r in records], dtype=np.float64),
            lat=np.array([r[2] for r in records], dtype=np.float64),
            alt=np.array([r[3] for r in records], dtype=np.float64),
            time=[r[4] for r in records],
            warnings=list(warnings),
        )

    def select(self, keep: np.ndarray) -> GpsFixes:
        """A copy with only the fixes where the boolean mask ``keep`` is true."""
        keep = np.asarray(keep, dtype=bool)
        return GpsFixes(self.trace[keep], self.lon[keep], self.lat[keep], self.alt[keep],
                        [t for t, k in zip(self.time, keep) if k], list(self.warnings))

    def within(self, n_traces: int, source: str) -> GpsFixes:
        """Drop the fixes whose trace index is outside ``[0, n_traces)``, with a
        warning naming ``source`` (the GPS file)."""
        keep = (self.trace >= 0) & (self.trace < n_traces)
        dropped = int((~keep).sum())
        if not dropped:
            return self
        out = self.select(keep)
        bad = self.trace[~keep] + 1
        out.warnings.append(
            f"{source}: {dropped} GPS fix(es) refer to trace numbers outside 1..{n_traces} "
            f"(e.g. trace {int(bad[0])}) and were dropped.")
        return out


@dataclass
class NmeaFix:
    """One decoded GGA or RMC sentence.

    :ivar kind: ``"GGA"`` or ``"RMC"``.
    :ivar time_utc: ``hh:mm:ss[.ss]`` or None.
    :ivar date: ``YYYY-MM-DD`` (RMC only) or None.
    :ivar lat, lon: signed decimal degrees, NaN when missing.
    :ivar alt_m: altitude above mean sea level (GGA only), NaN when missing.
    :ivar valid: False for GGA quality 0 or RMC status ``V`` (no fix).
    :ivar quality: GGA fix quality (0 none, 1 GPS, 2 DGPS, 4 RTK fixed,
        5 RTK float...), None for RMC or when empty.
    """

    kind: str
    time_utc: str | None
    date: str | None
    lat: float
    lon: float
    alt_m: float
    valid: bool
    quality: int | None = None


def checksum_ok(line: str) -> bool | None:
    """Check the ``*hh`` checksum of a sentence.

    :returns: True or False when a checksum is present, None when there is none.
    """
    start = line.find("$")
    star = line.rfind("*")
    if start < 0 or star < start:
        return None
    given = line[star + 1:star + 3]
    if len(given) != 2 or any(c not in "0123456789abcdefABCDEF" for c in given):
        return False
    value = 0
    for ch in line[start + 1:star]:
        value ^= ord(ch) & 0xFF
    return value == int(given, 16)


def dm_to_degrees(value: str, hemisphere: str) -> float:
    """``ddmm.mmmm`` (or ``dddmm.mmmm``) plus ``N/S/E/W`` -> signed degrees.

    :returns: NaN when a field is empty or out of range (minutes >= 60,
        latitude > 90, longitude > 180).
    """
    value, hemisphere = value.strip(), hemisphere.strip().upper()
    if not value or hemisphere not in ("N", "S", "E", "W"):
        return math.nan
    try:
        number = float(value)
    except ValueError:
        return math.nan
    if not math.isfinite(number) or number < 0:
        return math.nan
    degrees = math.floor(number / 100.0)
    minutes = number - degrees * 100.0
    if minutes >= 60.0:
        return math.nan
    result = degrees + minutes / 60.0
    if result > (90.0 if hemisphere in ("N", "S") else 180.0):
        return math.nan
    return -result if hemisphere in ("S", "W") else result


def _time(text: str) -> str | None:
    m = _TIME.match(text.strip())
    if not m:
        return None
    hh, mm, ss = int(m.group(1)), int(m.group(2)), float(m.group(3))
    if hh > 23 or mm > 59 or ss >= 61.0:
        return None
    return f"{m.group(1)}:{m.group(2)}:{m.group(3)}"


def _date(text: str) -> str | None:
    m = _DATE.match(text.strip())
    if not m:
        return None
    day, month, yy = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    year = 2000 + yy if yy < 80 else 1900 + yy
    return f"{year:04d}-{month:02d}-{day:02d}"


def _float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        return math.nan
    return value if math.isfinite(value) else math.nan


def parse_sentence(line: str, warnings: list[str] | None = None, where: str = "") -> NmeaFix | None:
    """Decode one GGA or RMC sentence; anything else gives None.

    :param line: one line of text; leading junk before ``$`` is ignored.
    :param warnings: bad checksums are reported here (one text per sentence).
    :param where: prefix of that warning, e.g. ``"YLINEA0.GPS line 12"``.
    """
    if not isinstance(line, str) or len(line) > MAX_LINE_CHARS:
        return None
    line = line.strip()
    m = _SENTENCE.search(line)
    if not m:
        return None
    sentence = line[m.start():]
    ok = checksum_ok(sentence)
    if ok is False:
        if warnings is not None:
            warnings.append(f"{where or 'NMEA'}: bad checksum, sentence skipped: {sentence[:40]!r}")
        return None
    body = sentence[1:sentence.rfind("*")] if ok else sentence[1:]
    fields = body.split(",")
    kind = m.group(2)
    if kind == "GGA":
        fields += [""] * (10 - len(fields))
        quality_text = fields[6].strip()
        quality = int(quality_text) if _UINT.match(quality_text) else None
        return NmeaFix("GGA", _time(fields[1]), None, dm_to_degrees(fields[2], fields[3]),
                       dm_to_degrees(fields[4], fields[5]), _float(fields[9]) if fields[9].strip() else math.nan,
                       valid=quality is not None and quality > 0, quality=quality)
    fields += [""] * (10 - len(fields))
    return NmeaFix("RMC", _time(fields[1]), _date(fields[9]), dm_to_degrees(fields[3], fields[4]),
                   dm_to_degrees(fields[5], fields[6]), math.nan, valid=fields[2].strip().upper() == "A")


def merge_epoch(fixes: Sequence[NmeaFix]) -> tuple[float, float, float, str | None] | None:
    """Combine the sentences logged for one trace into ``(lon, lat, alt, time)``.

    The position and time of the first valid GGA win (it has the altitude);
    otherwise the first valid RMC. The date comes from any RMC. Sentences
    flagged as "no fix" (GGA quality 0, RMC status V) give no position.

    :returns: None when no sentence has a usable position.
    """
    date = next((f.date for f in fixes if f.kind == "RMC" and f.date), None)
    best = None
    for kind in ("GGA", "RMC"):
        best = next((f for f in fixes if f.kind == kind and f.valid
                     and math.isfinite(f.lat) and math.isfinite(f.lon)), None)
        if best is not None:
            break
    if best is None:
        return None
    time = best.time_utc
    if time is not None and date is not None:
        time = f"{date}T{time}Z"
    return best.lon, best.lat, best.alt_m, time


def summarise(warnings: list[str], limit: int = 5) -> list[str]:
    """The first ``limit`` warnings plus one line counting the rest."""
    if len(warnings) <= limit:
        return list(warnings)
    return [*warnings[:limit], f"... and {len(warnings) - limit} more warning(s) of the same kind."]
