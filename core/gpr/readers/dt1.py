"""Sensors & Software pulseEKKO / Noggin ``.DT1`` + ``.HD`` reader.

Format (learned from the pulseEKKO PRO user's manual, Appendix A "Data File
Formats", and checked on three real files, see
``shared/data/gpr/real/SOURCES.md``):

``NAME.HD``
    ASCII. A file tag line (``1234``), ``Data Collected with <system>``, the
    date (``YYYY-MM-DD``), then ``KEY = value`` lines: NUMBER OF TRACES,
    NUMBER OF PTS/TRC, TIMEZERO AT POINT, TOTAL TIME WINDOW (ns), STARTING
    POSITION, FINAL POSITION, STEP SIZE USED, POSITION UNITS (``m``,
    ``metres``, ``ft``...), NOMINAL FREQUENCY (MHz), ANTENNA SEPARATION (in
    position units), PULSER VOLTAGE (V), NUMBER OF STACKS, SURVEY MODE and
    serial numbers. Keys are matched ignoring case, spaces and punctuation;
    every ``KEY = value`` line is kept in ``header["hd"]``.

``NAME.DT1``
    One record per trace: a 128-byte header of 32 little-endian float32
    words followed by the samples. Header words (0-based): 0 trace number
    (1...N), 1 position (position units), 2 points per trace, 3 topography,
    5 bytes per point (2 = int16; 4 = 32-bit samples), 6 time window (ns),
    7 number of stacks, 8-13 GPS x/y/z as float64, 14-16 receiver x/y/z,
    17-19 transmitter x/y/z, 20 time-zero adjustment, 21 zero flag,
    23 time of day (s after midnight), 24 comment flag, 25-31 a 28-character
    comment.

Decisions (documented here because readers disagree):

* **Sample interval** ``dt_ns = TOTAL TIME WINDOW / NUMBER OF PTS/TRC``.
  pulseEKKO systems sample at fixed intervals (0.1, 0.2, 0.4, 0.8, 1.6 ns...)
  and the window is ``points x interval``: the three real files give exactly
  0.8, 0.4 and 0.4 ns this way (1200/1500, 760/1900, 400/1000) but 0.8005,
  0.4002, 0.4004 with ``points - 1``; the manual's example (409 points,
  327 ns) is also closer to 0.8 ns with ``/ points``.
* **Time zero** ``time_zero_ns = TIMEZERO AT POINT x dt_ns`` (the point is
  kept in ``header["timezero_point"]``).
* The **HD wins** over the trace-header time-window word (it disagrees in
  two of the real files); the **file size wins** over NUMBER OF TRACES.
* **4 bytes per point**: newer files (extracted from ``.gpz`` projects) hold
  float32 samples, older 32-bit files int32. The header does not say which,
  so the first trace decides: int32 values read as float32 are denormal or
  NaN, real float32 amplitudes are not. The guess is recorded in
  ``header["sample_type"]`` and in a warning.
* **Distance**: the position word of every trace (converted to metres) for
  files up to :data:`POSITION_SCAN_LIMIT_BYTES`; for larger files (and when
  the positions are unusable) ``start + i x STEP SIZE USED`` with a warning,
  so that opening stays constant-time.

Side files in the same folder: ``NAME.GPS`` (``Trace #n at position p``
followed by the NMEA sentences logged for that trace; see
:mod:`..nmea`) -> ``rg.gps``; ``NAME.xyz`` or ``GPS.xyz`` (comma separated
easting, northing, elevation, one line per trace) -> ``rg.x/y/z`` when the
line count equals the trace count (the CRS is unknown, ``rg.crs`` stays
empty).
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
from ..nmea import GpsFixes, NmeaFix, merge_epoch, parse_sentence, summarise

TRACE_HEADER_BYTES = 128  #: bytes of the header before every trace's samples
TRACE_HEADER_WORDS = 32
MAX_HEADER_BYTES = 1 << 20  #: a text header larger than this is not a header
MAX_POINTS = 1 << 20  #: largest points per trace accepted
POSITION_SCAN_LIMIT_BYTES = 256 << 20  #: trace positions are read from files up to this size
MAX_SIDE_FILE_BYTES = 256 << 20  #: GPS / xyz files larger than this are skipped
FT_TO_M = 0.3048
#: plausible sample intervals (ns); outside them a time-window/frequency field is unusable
MIN_DT_NS, MAX_DT_NS = 1e-4, 1e5

#: position units -> metres
UNITS_TO_M: dict[str, float] = {
    "m": 1.0, "metre": 1.0, "metres": 1.0, "meter": 1.0, "meters": 1.0, "mts": 1.0,
    "ft": FT_TO_M, "feet": FT_TO_M, "foot": FT_TO_M, "'": FT_TO_M,
    "cm": 0.01, "centimetres": 0.01, "centimeters": 0.01,
    "mm": 0.001, "millimetres": 0.001, "millimeters": 0.001,
    "in": 0.0254, "inch": 0.0254, "inches": 0.0254,
    "km": 1000.0, "kilometres": 1000.0, "kilometers": 1000.0,
}

#: compact HD keys (upper case, letters and digits only) and their aliases
_KEYS: dict[str, tuple[str, ...]] = {
    "traces": ("NUMBEROFTRACES",),
    "points": ("NUMBEROFPTSTRC", "NUMBEROFPTSPERTRC", "NUMBEROFPOINTSPERTRACE", "NUMBEROFPOINTSTRACE"),
    "timezero": ("TIMEZEROATPOINT",),
    "window": ("TOTALTIMEWINDOW",),
    "start": ("STARTINGPOSITION",),
    "final": ("FINALPOSITION",),
    "step": ("STEPSIZEUSED", "STEPSIZE"),
    "units": ("POSITIONUNITS",),
    "frequency": ("NOMINALFREQUENCY",),
    "separation": ("ANTENNASEPARATION",),
    "pulser": ("PULSERVOLTAGE",),
    "stacks": ("NUMBEROFSTACKS",),
    "mode": ("SURVEYMODE",),
}
#: readable field names for messages
FIELD_NAMES = {
    "traces": "NUMBER OF TRACES", "points": "NUMBER OF PTS/TRC", "timezero": "TIMEZERO AT POINT",
    "window": "TOTAL TIME WINDOW", "start": "STARTING POSITION", "final": "FINAL POSITION",
    "step": "STEP SIZE USED", "units": "POSITION UNITS", "frequency": "NOMINAL FREQUENCY",
    "separation": "ANTENNA SEPARATION", "pulser": "PULSER VOLTAGE", "stacks": "NUMBER OF STACKS",
    "mode": "SURVEY MODE",
}

_NUMBER = re.compile(r"^\s*([-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)")
_ISO_DATE = re.compile(r"^\s*([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})\s*$")
_OTHER_DATE = re.compile(r"^\s*[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{2,4}\s*$")
_SYSTEM = re.compile(r"^\s*data\s+collected\s+with\s+(.*?)\s*$", re.IGNORECASE)
_TRACE_MARK = re.compile(r"trace\s*#?\s*([0-9]{1,12})\s+at\s+position\s+(\S+)", re.IGNORECASE)


# --------------------------------------------------------------------------- shared helpers
# (also used by the MALA reader)

def compact_key(key: str) -> str:
    """Upper case, letters and digits only: ``"Number of pts/trc"`` -> ``"NUMBEROFPTSTRC"``."""
    return re.sub(r"[^A-Z0-9]", "", key.upper())


def parse_number(text: str | None) -> float | None:
    """The leading number of a header value (``"12.39V"`` -> 12.39), None when
    there is none or it is not finite."""
    if text is None:
        return None
    m = _NUMBER.match(text)
    if not m:
        return None
    try:
        value = float(m.group(1))
    except (ValueError, OverflowError):
        return None
    return value if math.isfinite(value) else None


def find_sibling(path: Path, suffix: str) -> Path | None:
    """The file next to ``path`` with the same stem and ``suffix``, in any case
    (``.HD``, ``.hd``, ``.Hd``...); None when there is none."""
    for candidate in (path.with_suffix(suffix.upper()), path.with_suffix(suffix.lower())):
        if candidate != path and candidate.is_file():
            return candidate
    wanted = (path.stem + suffix).lower()
    try:
        with os.scandir(path.parent if str(path.parent) else ".") as entries:
            for entry in entries:
                if entry.name.lower() == wanted and entry.name != path.name and entry.is_file():
                    return Path(entry.path)
    except OSError:
        return None
    return None


def find_named(folder: Path, name: str) -> Path | None:
    """A file called ``name`` (any case) in ``folder``."""
    candidate = folder / name
    if candidate.is_file():
        return candidate
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.lower() == name.lower() and entry.is_file():
                    return Path(entry.path)
    except OSError:
        return None
    return None


def file_size(path: Path) -> int:
    """Size in bytes, or InputError when the file cannot be read."""
    try:
        return path.stat().st_size
    except OSError as exc:
        raise InputError("Cannot read {path}: {reason}.", code="gpr.io", path=str(path),
                         reason=exc.strerror or str(exc)) from exc


def read_text_header(path: Path) -> str:
    """A whole text header (bounded by :data:`MAX_HEADER_BYTES`), latin-1."""
    size = file_size(path)
    if size > MAX_HEADER_BYTES:
        raise InputError("{path} is too large ({size} bytes) to be a GPR header file.", code="gpr.header_size",
                         path=str(path), size=size)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError("Cannot read {path}: {reason}.", code="gpr.io", path=str(path),
                         reason=exc.strerror or str(exc)) from exc
    return data.decode("latin-1")


def read_head(path: Path, n_bytes: int) -> bytes:
    """The first ``n_bytes`` of a file (fewer when it is shorter)."""
    try:
        with open(path, "rb") as f:
            return f.read(n_bytes)
    except OSError as exc:
        raise InputError("Cannot read {path}: {reason}.", code="gpr.io", path=str(path),
                         reason=exc.strerror or str(exc)) from exc


def bad_field(path: Path, field: str, value: Any, rule: str) -> InputError:
    """The error for a header field whose value cannot be used (the value is
    shown quoted and cut to 40 characters)."""
    text = str(value)
    shown = repr(text if len(text) <= 40 else text[:40] + "...")
    return InputError("{path}: the field {field} = {value} cannot be used: it must be {rule}.",
                      code="gpr.bad_field", path=str(path), field=field, value=shown, rule=rule)


def whole_number(value: float | None, low: int, high: int) -> int | None:
    """``value`` as an int when it is a whole number in ``[low, high]``."""
    if value is None or not math.isfinite(value) or value != math.floor(value) or not low <= value <= high:
        return None
    return int(value)


def read_xyz(path: Path) -> tuple[np.ndarray, list[str]]:
    """Easting, northing, elevation lines (comma, semicolon, tab or space
    separated) -> (k, 3) float64 and warnings. Lines without three numbers
    are skipped and counted."""
    warnings: list[str] = []
    size = file_size(path)
    if size > MAX_SIDE_FILE_BYTES:
        return np.empty((0, 3)), [f"{path.name}: larger than {MAX_SIDE_FILE_BYTES} bytes, not read."]
    rows: list[tuple[float, float, float]] = []
    skipped = 0
    try:
        with open(path, encoding="latin-1", newline=None) as f:
            for line in f:
                parts = [p for p in re.split(r"[,;\s]+", line.strip()) if p]
                values = [parse_number(p) for p in parts[:3]] if len(parts) >= 3 else []
                if len(values) == 3 and all(v is not None for v in values):
                    rows.append((values[0], values[1], values[2]))  # type: ignore[arg-type]
                elif line.strip():
                    skipped += 1
    except OSError as exc:
        return np.empty((0, 3)), [f"{path.name}: cannot be read ({exc.strerror or exc})."]
    if skipped:
        warnings.append(f"{path.name}: {skipped} line(s) without three numbers were skipped.")
    return np.array(rows, dtype=np.float64).reshape(-1, 3), warnings


# --------------------------------------------------------------------------- HD


def parse_hd(text: str) -> dict[str, Any]:
    """Parse the text of an HD file.

    :returns: ``{"fields": {original key: value}, "lookup": {compact key:
        (original key, value)}, "lines": [lines without '='], "system": str,
        "date": str}``.
    """
    fields: dict[str, str] = {}
    lookup: dict[str, tuple[str, str]] = {}
    lines: list[str] = []
    system = date = ""
    for raw in text.splitlines():
        line = raw.strip().strip("\x00").strip()
        if not line:
            continue
        if "=" in line:
            key, value = (part.strip() for part in line.split("=", 1))
            if not key:
                lines.append(line)
                continue
            fields.setdefault(key, value)
            lookup.setdefault(compact_key(key), (key, value))
            continue
        lines.append(line)
        m = _SYSTEM.match(line)
        if m and not system:
            system = m.group(1)
            continue
        m = _ISO_DATE.match(line)
        if m and not date:
            y, mo, d = (int(g) for g in m.groups())
            date = f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else line
        elif _OTHER_DATE.match(line) and not date:
            date = line
    return {"fields": fields, "lookup": lookup, "lines": lines, "system": system, "date": date}


def _hd_value(hd: dict[str, Any], name: str) -> str | None:
    lookup: dict[str, tuple[str, str]] = hd["lookup"]
    for alias in _KEYS[name]:
        if alias in lookup:
            return lookup[alias][1]
    for alias in _KEYS[name]:  # e.g. "PULSER VOLTAGE (V)"
        for key, (_, value) in lookup.items():
            if key.startswith(alias):
                return value
    return None


# --------------------------------------------------------------------------- detection


def _looks_like_hd(path: Path) -> bool:
    head = read_head(path, 4096)
    if b"\x00" in head:
        return False
    text = compact_key(head.decode("latin-1"))
    return "NUMBEROFPTSTRC" in text or "NUMBEROFTRACES" in text


def _plausible_trace_header(words: np.ndarray, size: int) -> bool:
    if words.shape[0] < TRACE_HEADER_WORDS or not np.all(np.isfinite(words[[0, 2, 5]])):
        return False
    number = whole_number(float(words[0]), 0, 10**9)
    points = whole_number(float(words[2]), 1, MAX_POINTS)
    bpp = float(words[5])
    if number is None or points is None or bpp not in (2.0, 4.0):
        return False
    return TRACE_HEADER_BYTES + int(bpp) * points <= size


def is_dt1(path: str | os.PathLike[str]) -> bool:
    """True for a DT1 data file (plausible first trace header) or its HD text
    header. Reads at most 4 KiB."""
    p = Path(path)
    try:
        if not p.is_file():
            return False
        if p.suffix.lower() == ".hd":
            return _looks_like_hd(p)
        head = read_head(p, TRACE_HEADER_BYTES)
        if len(head) < TRACE_HEADER_BYTES:
            return False
        words = np.frombuffer(head, dtype="<f4")
        with np.errstate(all="ignore"):
            return _plausible_trace_header(words, p.stat().st_size)
    except (OSError, InputError, ValueError):
        return False


# --------------------------------------------------------------------------- reading


def _pair(p: Path) -> tuple[Path, Path]:
    """(DT1 path, HD path) for a path to either of them."""
    if not p.is_file():
        raise InputError("The GPR file {path} does not exist.", code="gpr.missing", path=str(p))
    if p.suffix.lower() == ".hd":
        dt1 = find_sibling(p, ".dt1")
        if dt1 is None:
            raise InputError("The Sensors & Software data file {path} is missing: the header {header} has no "
                             "samples without it.", code="gpr.dt1.no_data",
                             path=str(p.with_suffix(".DT1")), header=str(p))
        return dt1, p
    hd = find_sibling(p, ".hd")
    if hd is None:
        raise InputError("The Sensors & Software header file {path} is missing: it is needed with {data} for "
                         "the fields NUMBER OF PTS/TRC and TOTAL TIME WINDOW.", code="gpr.dt1.no_header",
                         path=str(p.with_suffix(".HD")), data=str(p))
    return p, hd


def _guess_4byte_type(dt1: Path, points: int) -> tuple[str, str]:
    """('<f4' or '<i4', reason) from the samples of the first trace."""
    head = read_head(dt1, TRACE_HEADER_BYTES + 4 * min(points, 65536))[TRACE_HEADER_BYTES:]
    n = len(head) // 4
    ints = np.frombuffer(head[:4 * n], dtype="<i4")
    nonzero = ints != 0
    if not nonzero.any():
        return "<f4", "first trace is all zeros; float32 assumed"
    with np.errstate(all="ignore"):
        floats = np.frombuffer(head[:4 * n], dtype="<f4")[nonzero]
        odd = (~np.isfinite(floats)) | (np.abs(floats) < 1e-30)
    if odd.mean() > 0.5:
        return "<i4", "first trace reads as denormal/NaN float32, so int32 was assumed"
    return "<f4", "first trace reads as ordinary float32 values, so float32 was assumed"


def _scan_words(path: Path, record: int, n_traces: int, words: tuple[int, ...]) -> np.ndarray:
    """Header words of every trace, read in chunks (constant memory, no mmap
    pages kept): float64 array (len(words), n_traces)."""
    out = np.empty((len(words), n_traces), dtype=np.float64)
    chunk = max(1, (8 << 20) // record)
    with open(path, "rb") as f:
        for start in range(0, n_traces, chunk):
            k = min(chunk, n_traces - start)
            f.seek(start * record)
            buf = f.read(k * record)
            if len(buf) < k * record:  # the file shrank under us
                out[:, start:] = np.nan
                break
            rows = np.frombuffer(buf, dtype=np.uint8).reshape(k, record)[:, :TRACE_HEADER_BYTES]
            hdr = np.ascontiguousarray(rows).view("<f4")
            for i, w in enumerate(words):
                out[i, start:start + k] = hdr[:, w]
    return out


def _read_sns_gps(path: Path, n_traces: int) -> tuple[GpsFixes | None, list[str]]:
    """Parse an S&S ``.GPS`` file: ``Trace #n at position p`` then NMEA lines."""
    size = file_size(path)
    if size > MAX_SIDE_FILE_BYTES:
        return None, [f"{path.name}: larger than {MAX_SIDE_FILE_BYTES} bytes, GPS not read."]
    records: list[tuple[int, float, float, float, str | None]] = []
    checksum_warnings: list[str] = []
    blocks = empty = 0
    current: int | None = None
    sentences: list[NmeaFix] = []

    def flush() -> None:
        nonlocal empty
        if current is None:
            return
        merged = merge_epoch(sentences)
        if merged is None:
            empty += 1
        else:
            records.append((current - 1, *merged))

    try:
        with open(path, encoding="latin-1", newline=None) as f:
            for line_no, line in enumerate(f, 1):
                if len(line) > 4096:
                    continue
                m = _TRACE_MARK.search(line)
                if m:
                    flush()
                    current, sentences = int(m.group(1)), []
                    blocks += 1
                    continue
                if current is not None and "$" in line:
                    fix = parse_sentence(line, checksum_warnings, f"{path.name} line {line_no}")
                    if fix is not None:
                        sentences.append(fix)
            flush()
    except OSError as exc:
        return None, [f"{path.name}: cannot be read ({exc.strerror or exc})."]
    warnings = summarise(checksum_warnings)
    if not blocks:
        return None, [*warnings, f"{path.name}: no 'Trace #n at position p' line, not a Sensors & Software "
                                 "GPS file; ignored."]
    if empty:
        warnings.append(f"{path.name}: {empty} of {blocks} trace block(s) have no valid GGA/RMC fix.")
    fixes = GpsFixes.from_records(records, warnings).within(n_traces, path.name)
    return fixes, list(fixes.warnings)


def read_dt1(path: str | os.PathLike[str]) -> list[Radargram]:
    """Read a Sensors & Software DT1 file (give the ``.DT1`` or the ``.HD``).

    :returns: one Radargram; ``raw`` is a read-only ``np.memmap`` of the
        samples (traces x points, int16 / int32 / float32).
    :raises InputError: missing partner file, unusable header field, file
        too short, or not a DT1 file; the message names the file and field.
    """
    dt1, hd_path = _pair(Path(path))
    hd = parse_hd(read_text_header(hd_path))
    warnings: list[str] = []
    size = file_size(dt1)
    if size < TRACE_HEADER_BYTES:
        raise InputError("{path} holds no complete trace: it has {size} bytes, less than one {record}-byte "
                         "trace (field {field}).", code="gpr.truncated", path=str(dt1), size=size,
                         record=TRACE_HEADER_BYTES, field="trace header")
    with np.errstate(all="ignore"):
        first = np.frombuffer(read_head(dt1, TRACE_HEADER_BYTES), dtype="<f4").astype(np.float64)

    def hd_number(name: str) -> tuple[str | None, float | None]:
        text = _hd_value(hd, name)
        return text, parse_number(text)

    # --- points per trace and bytes per point
    points_text, points_value = hd_number("points")
    points_hd = whole_number(points_value, 1, MAX_POINTS)
    if points_text is not None and points_hd is None:
        raise bad_field(hd_path, FIELD_NAMES["points"], points_text, f"a whole number from 1 to {MAX_POINTS}")
    points_tr = whole_number(float(first[2]), 1, MAX_POINTS)
    bpp_tr = int(first[5]) if first[5] in (2.0, 4.0) else None
    bpp = bpp_tr or 2
    if bpp_tr is None:
        warnings.append(f"{dt1.name}: trace header word 6 (bytes/point) is {first[5]:g}; 2 (int16) assumed.")
    if points_hd is None:
        if points_tr is None:
            raise InputError("{path}: the field {field} is missing and the first trace header of {data} does not "
                             "give the points per trace either.", code="gpr.field_missing", path=str(hd_path),
                             field=FIELD_NAMES["points"], data=str(dt1))
        warnings.append(f"{hd_path.name}: no NUMBER OF PTS/TRC; {points_tr} taken from the trace header.")
        points = points_tr
    elif points_tr is not None and points_tr != points_hd:
        fits_hd = size % (TRACE_HEADER_BYTES + bpp * points_hd) == 0
        fits_tr = size % (TRACE_HEADER_BYTES + bpp * points_tr) == 0
        points = points_tr if fits_tr and not fits_hd else points_hd
        fits = "fits" if size % (TRACE_HEADER_BYTES + bpp * points) == 0 else "does not fit"
        warnings.append(f"{hd_path.name}: NUMBER OF PTS/TRC = {points_hd} but the trace header says {points_tr}; "
                        f"{points} used (it {fits} the file size).")
    else:
        points = points_hd
    if bpp_tr is None and points_tr != points:
        raise InputError("{path} is not a Sensors & Software DT1 file: the first trace header gives {field} = "
                         "{value}.", code="gpr.dt1.not_dt1", path=str(dt1),
                         field="points per trace (word 3) and bytes per point (word 6)",
                         value=f"{first[2]:g} and {first[5]:g}")

    record = TRACE_HEADER_BYTES + bpp * points
    n_traces, rest = divmod(size, record)
    if n_traces == 0:
        raise InputError("{path} holds no complete trace: a trace of {points} points ({field}) needs {record} "
                         "bytes but the file has {size}.", code="gpr.truncated", path=str(dt1), points=points,
                         field=FIELD_NAMES["points"], record=record, size=size)
    if rest:
        warnings.append(f"{dt1.name}: the last trace is incomplete ({rest} of {record} bytes) and was ignored.")
    traces_text, traces_value = hd_number("traces")
    traces_hd = whole_number(traces_value, 0, 2**62)
    if traces_text is None:
        warnings.append(f"{hd_path.name}: no NUMBER OF TRACES; {n_traces} traces from the file size.")
    elif traces_hd != n_traces:
        warnings.append(f"{hd_path.name}: NUMBER OF TRACES = {traces_text} but {dt1.name} holds {n_traces} "
                        "traces (from its size); the file size is trusted.")
    if n_traces >= 2:
        second = np.frombuffer(read_head(dt1, record + TRACE_HEADER_BYTES)[record:], dtype="<f4")
        if len(second) == TRACE_HEADER_WORDS and second[2] != points:
            warnings.append(f"{dt1.name}: the second trace header says {second[2]:g} points, not {points}; "
                            "the trace layout may be wrong.")

    # --- sample type
    if bpp == 2:
        sample_type, sample_note = "<i2", "int16"
    else:
        sample_type, reason = _guess_4byte_type(dt1, points)
        sample_note = "float32" if sample_type == "<f4" else "int32"
        warnings.append(f"{dt1.name}: 4 bytes per point: {reason}.")

    # --- time axis
    window_text, window = hd_number("window")
    window_tr = float(first[6]) if MIN_DT_NS <= first[6] / points <= MAX_DT_NS else None
    if window_text is None:
        if window_tr is None:
            raise InputError("{path}: the field {field} is missing and the trace headers of {data} do not give "
                             "it either.", code="gpr.field_missing", path=str(hd_path),
                             field=FIELD_NAMES["window"], data=str(dt1))
        window = window_tr
        warnings.append(f"{hd_path.name}: no TOTAL TIME WINDOW; {window_tr:g} ns taken from the trace header.")
    elif window is None or not MIN_DT_NS <= window / points <= MAX_DT_NS:
        raise bad_field(hd_path, FIELD_NAMES["window"], window_text,
                        f"a time in ns giving {MIN_DT_NS:g} to {MAX_DT_NS:g} ns per point for {points} points")
    elif window_tr is not None and abs(window_tr - window) > 1e-3 * window:
        warnings.append(f"{dt1.name}: the trace headers give a time window of {window_tr:g} ns, the HD "
                        f"{window:g} ns; the HD is used.")
    dt_ns = float(window) / points
    tz_text, tz_point = hd_number("timezero")
    time_zero_ns = 0.0
    if tz_text is not None:
        if tz_point is None or not 0 <= tz_point < points:
            warnings.append(f"{hd_path.name}: TIMEZERO AT POINT = {tz_text!r} is outside 0..{points - 1}; "
                            "time zero set to the first sample.")
        else:
            time_zero_ns = tz_point * dt_ns

    # --- positions
    units_text = _hd_value(hd, "units")
    if units_text is None:
        factor: float | None = 1.0
        warnings.append(f"{hd_path.name}: no POSITION UNITS; metres assumed.")
    else:
        factor = UNITS_TO_M.get(units_text.strip().strip(".").lower())
        if factor is None:
            warnings.append(f"{hd_path.name}: unknown POSITION UNITS {units_text!r}; distances, step and antenna "
                            "separation are left unknown.")
    _, step = hd_number("step")
    _, start = hd_number("start")
    spacing_m = step * factor if factor is not None and step is not None and step > 0 else None
    distance_m: np.ndarray | None = None
    positions: np.ndarray | None = None
    if size <= POSITION_SCAN_LIMIT_BYTES:
        try:
            with np.errstate(all="ignore"):
                positions = _scan_words(dt1, record, n_traces, (0, 1))[1]
        except OSError as exc:
            warnings.append(f"{dt1.name}: trace positions could not be read ({exc.strerror or exc}).")
    if factor is not None:
        if positions is not None and np.all(np.isfinite(positions)) and np.all(np.abs(positions) < 1e12) \
                and (n_traces == 1 or np.ptp(positions) > 0):
            distance_m = positions * factor
        else:
            origin = float(first[1]) if math.isfinite(first[1]) and abs(first[1]) < 1e12 else (start or 0.0)
            if spacing_m is not None:
                distance_m = origin * factor + np.arange(n_traces, dtype=np.float64) * spacing_m
                why = ("the file is larger than the position-scan limit" if positions is None
                       else "the trace-header positions are unusable")
                warnings.append(f"{dt1.name}: distances computed from STEP SIZE USED because {why}.")
            else:
                warnings.append(f"{dt1.name}: no usable trace positions and no STEP SIZE USED; no distances.")

    # --- antenna
    freq_text, freq = hd_number("frequency")
    if freq is not None and not 0 < freq <= 1e5:
        warnings.append(f"{hd_path.name}: NOMINAL FREQUENCY = {freq_text!r} ignored.")
        freq = None
    sep_text, sep = hd_number("separation")
    separation_m = sep * factor if sep is not None and factor is not None and 0 <= sep < 1e6 else None
    if sep_text is not None and separation_m is None and factor is not None:
        warnings.append(f"{hd_path.name}: ANTENNA SEPARATION = {sep_text!r} ignored.")
    antenna = Antenna(name=f"{freq:g} MHz" if freq else "", frequency_mhz=freq, separation_m=separation_m)

    # --- samples (memory-mapped, never read whole)
    dtype = np.dtype([("hdr", "<f4", (TRACE_HEADER_WORDS,)), ("s", sample_type, (points,))])
    try:
        records = np.memmap(dt1, dtype=dtype, mode="r", shape=(n_traces,))
    except (OSError, ValueError) as exc:
        raise InputError("Cannot read {path}: {reason}.", code="gpr.io", path=str(dt1), reason=str(exc)) from exc

    stacks_text, stacks = hd_number("stacks")
    _, pulser = hd_number("pulser")
    _, final = hd_number("final")
    header: dict[str, Any] = {
        "hd_path": str(hd_path), "dt1_path": str(dt1),
        "system": hd["system"], "date": hd["date"],
        "traces": n_traces, "traces_hd": traces_hd, "points": points,
        "time_window_ns": float(window), "time_window_trace_header_ns": window_tr,
        "timezero_point": tz_point, "position_units": units_text, "position_to_m": factor,
        "start_position": start, "final_position": final, "step": step,
        "frequency_mhz": freq, "antenna_separation": sep,
        "pulser_voltage_v": pulser, "stacks": whole_number(stacks, 0, 10**9) if stacks_text else None,
        "survey_mode": _hd_value(hd, "mode"), "bytes_per_point": bpp, "sample_type": sample_note,
        "hd": dict(hd["fields"]), "hd_lines": list(hd["lines"]),
        "trace_headers": records["hdr"],  #: (traces, 32) float32 memmap
    }

    rg = Radargram(path=dt1, format="dt1", dt_ns=dt_ns, raw=records["s"], antenna=antenna,
                   distance_m=distance_m, trace_spacing_m=spacing_m, time_zero_ns=time_zero_ns,
                   header=header, warnings=warnings)
    _attach_side_files(rg, dt1)
    return [rg]


def _attach_side_files(rg: Radargram, dt1: Path) -> None:
    """``NAME.GPS`` -> rg.gps; ``NAME.xyz`` / ``GPS.xyz`` -> rg.x/y/z."""
    gps_path = find_sibling(dt1, ".gps")
    if gps_path is not None:
        rg.gps, gps_warnings = _read_sns_gps(gps_path, rg.n_traces)
        rg.header["gps_file"] = str(gps_path)
        rg.warnings.extend(gps_warnings)
    xyz_path = find_sibling(dt1, ".xyz") or find_named(dt1.parent, "GPS.xyz")
    if xyz_path is None:
        return
    points, warnings = read_xyz(xyz_path)
    rg.header["xyz_file"] = str(xyz_path)
    rg.header["xyz"] = points
    rg.warnings.extend(warnings)
    if points.shape[0] == rg.n_traces:
        rg.x, rg.y, rg.z = points[:, 0].copy(), points[:, 1].copy(), points[:, 2].copy()
        rg.warnings.append(f"{xyz_path.name}: x/y/z set per trace; their coordinate reference system is unknown "
                           "(rg.crs left empty): set it before mapping.")
    else:
        rg.warnings.append(f"{xyz_path.name}: {points.shape[0]} coordinate lines for {rg.n_traces} traces; "
                           "x/y/z not set (kept in header['xyz']; the CRS is unknown).")
