"""GSSI ``.DZT`` radargrams (SIR-2000/3000/4000/20/30, StructureScan, UtilityScan...).

Layout (little-endian), written from the GSSI header description and checked
on the real files listed in ``shared/data/gpr/real/SOURCES.md``:

* One 1024-byte header block per channel, channel ``c`` at byte ``1024*c``.
  The first 128 bytes hold fixed fields (see :data:`_FIELDS`); antenna name
  at 98 (14 ASCII bytes), system/version byte at 113.
* Data offset: when ``rh_data`` < 1024 it counts 1024-byte blocks
  (SIR-4000: ``rh_data`` = 128 -> 131 072); otherwise the data follow the
  channel headers (``1024 * rh_nchan``; SIR-3000: ``rh_data`` = 1024 -> 1024).
* Samples: 8- and 16-bit unsigned (offset binary, mid-scale 2^(bits-1)),
  32-bit signed (the SIR-4000 file has negative values as int32; as uint32
  they would be ~4e9). Scans are contiguous; within one scan channel 0's
  ``rh_nsamp`` samples come first, then channel 1's...
* Samples 0 and 1 of every scan are not radar data: 0 is a running scan
  counter, 1 a mark word (0x6400 on user-marked scans of SIR-3000 files).
  They are kept in ``raw`` (so arrays equal other readers') and announced by
  ``header["mark_samples"] = 2`` for processing to blank them.

Conventions chosen here (documented in the header dict too):

* ``dt_ns = rhf_range / rh_nsamp`` ("range spans nsamp intervals"), as
  readgssi and ImpDAR do (GPRPy uses ``nsamp - 1``). The real files cannot
  tell the two apart: they differ by 1/nsamp (0.2 % at 512 samples, 0.05 %
  at 2048), far below the permittivity uncertainty; picking the readgssi
  convention keeps our times identical to the reference reader.
* ``time_zero_ns = -rhf_position``. ``rhf_position`` is the time of the
  first sample relative to the surface; the SIR-4000 file has -230 ns and its
  direct wave indeed starts at sample ~205 = 230 ns / dt. ``rh_zero`` is
  *not* used (it is 1 in that file, which would put time zero 1 ns into the
  window; on old units it is the 0x80/0x8000 binary offset); it is kept in the
  header. Processing refines time zero from the data (first break).
* ``raw_offset = -2^(bits-1)`` for unsigned 8/16-bit data so float samples
  are centred on zero; 0 for 32-bit signed data.

Samples are never read whole: the data area is ``np.memmap``-ed as
(traces, channels, samples) after every size has been checked against the
real file size, so a 2 GB file opens in constant time and memory.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import re
import struct
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import InputError
from ..dzg import find_dzg, read_dzg
from ..model import Antenna, Radargram

HEADER_BYTES = 1024  #: one channel header block (GSSI "MINHEADSIZE")
MAX_CHANNELS = 16
MIN_SAMPLES = 3  #: counter + mark word + at least one radar sample
MAX_SAMPLES = 65536
MAX_RANGE_NS = 1.0e6  #: 1 ms: far beyond any GPR time window
MIN_DT_NS = 1.0e-4  #: 0.1 ps a sample: below any GPR sampling (the DT1 and MALA readers use the same floor)
MARK_SAMPLES = 2  #: leading samples of every scan that are not radar data
#: user marks are scanned at open time when the data area is at most this big
MARK_SCAN_LIMIT_BYTES = 256 * 1024 * 1024
_CHUNK_BYTES = 8 * 1024 * 1024
#: a DZG larger than this is not read (~150,000 fixes: 40 hours at 1 Hz; fixes are parsed into memory)
MAX_DZG_BYTES = 16 * 1024 * 1024

_DTYPES = {8: np.dtype("<u1"), 16: np.dtype("<u2"), 32: np.dtype("<i4")}

#: (name, byte offset, struct code) of the fixed part of a channel header
_FIELDS: tuple[tuple[str, int, str], ...] = (
    ("rh_tag", 0, "H"),
    ("rh_data", 2, "H"),
    ("rh_nsamp", 4, "H"),
    ("rh_bits", 6, "H"),
    ("rh_zero", 8, "H"),
    ("rhf_sps", 10, "f"),
    ("rhf_spm", 14, "f"),
    ("rhf_mpm", 18, "f"),
    ("rhf_position", 22, "f"),
    ("rhf_range", 26, "f"),
    ("rh_npass", 30, "H"),
    ("rhb_cdt_raw", 32, "I"),
    ("rhb_mdt_raw", 36, "I"),
    ("rh_rgain", 40, "H"),
    ("rh_nrgain", 42, "H"),
    ("rh_text", 44, "H"),
    ("rh_ntext", 46, "H"),
    ("rh_proc", 48, "H"),
    ("rh_nproc", 50, "H"),
    ("rh_nchan", 52, "H"),
    ("rhf_epsr", 54, "f"),
    ("rhf_top", 58, "f"),
    ("rhf_depth", 62, "f"),
    ("rh_xstart", 66, "f"),
    ("rh_xend", 70, "f"),
    ("rhf_servo_level", 74, "f"),
    ("rh_accomp", 81, "B"),
    ("rh_sconfig", 82, "h"),
    ("rh_spp", 84, "h"),
    ("rh_linenum", 86, "h"),
    ("rh_ystart", 88, "f"),
    ("rh_yend", 92, "f"),
    ("rh_lineorder_byte", 96, "B"),
    ("rh_dtype", 97, "B"),
    ("rh_version_byte", 113, "B"),
    ("rh_chksum", 126, "H"),
)

#: system code (high 5 bits of byte 113) -> unit name
SYSTEMS: dict[int, str] = {
    0: "unknown/synthetic",
    1: "SIR-10",
    2: "SIR-2000",
    3: "SIR-3000",
    4: "TerraVision",
    6: "SIR-20",
    7: "StructureScan Mini",
    8: "SIR-4000",
    9: "SIR-30",
    12: "UtilityScan DF",
    13: "HS",
    14: "StructureScan Mini XT",
}

#: GSSI antenna model numbers -> centre frequency (MHz). Names such as
#: "400MHz" or "1.6 GHz" are understood without the table.
ANTENNA_MHZ: dict[str, float] = {
    "3101": 900.0,
    "3102": 500.0,
    "3207": 100.0,
    "5100": 1500.0,
    "5103": 400.0,
    "5106": 200.0,
    "4105": 2000.0,
    "4108": 1000.0,
    "50270": 270.0,
    "50300": 300.0,
    "50350": 350.0,
    "50400": 400.0,
    "51600": 1600.0,
    "52600": 2600.0,
    "62000": 2000.0,
}

_FREQ_RE = re.compile(r"(\d+(?:\.\d+)?)\s*([MG])HZ", re.IGNORECASE)
_MODEL_RE = re.compile(r"^(\d{4,5})")



# --- small decoders -------------------------------------------------------------

def _text(raw: bytes) -> str:
    """A NUL-terminated ASCII header string, printable characters only."""
    raw = raw.split(b"\x00", 1)[0]
    return "".join(ch for ch in raw.decode("ascii", errors="replace") if ch.isprintable() and ch != "\ufffd").strip()


def decode_date(value: int) -> _dt.datetime | None:
    """A GSSI packed date (bits from the LSB: sec/2 5, min 6, hour 5, day 5,
    month 4, year-1980 7), or None when the fields are not a valid date."""
    if not value:
        return None
    sec2, minute, hour = value & 0x1F, (value >> 5) & 0x3F, (value >> 11) & 0x1F
    day, month, year = (value >> 16) & 0x1F, (value >> 21) & 0x0F, ((value >> 25) & 0x7F) + 1980
    try:
        return _dt.datetime(year, month, day, hour, minute, sec2 * 2)
    except ValueError:
        return None


def antenna_frequency_mhz(name: str) -> float | None:
    """Centre frequency of a GSSI antenna name or model number, or None."""
    match = _FREQ_RE.search(name)
    if match:
        value = float(match.group(1)) * (1000.0 if match.group(2).upper() == "G" else 1.0)
        return value if 0 < value < 1e5 else None
    match = _MODEL_RE.match(name.strip())
    if match:
        return ANTENNA_MHZ.get(match.group(1))  # "5106A", "50400S", "62000-003": model number first
    return None


def decode_header(block: bytes) -> dict[str, Any]:
    """Every field of one 1024-byte channel header block (raw values).

    :param block: at least 128 bytes of a channel header.
    :returns: field name -> value, names as in GSSI's header struct
        (``rh_tag``, ``rhf_range``...), dates as :class:`datetime.datetime`.
    """
    h: dict[str, Any] = {}
    for name, offset, code in _FIELDS:
        value = struct.unpack_from("<" + code, block, offset)[0]
        h[name] = float(value) if code == "f" else int(value)
    h["rhb_cdt"] = decode_date(h["rhb_cdt_raw"])
    h["rhb_mdt"] = decode_date(h["rhb_mdt_raw"])
    h["rh_lineorder"] = h["rh_lineorder_byte"] & 0x0F
    h["rh_slicetype"] = h["rh_lineorder_byte"] >> 4
    h["rh_version"] = h["rh_version_byte"] & 0x07
    h["rh_system"] = h["rh_version_byte"] >> 3
    h["system"] = SYSTEMS.get(h["rh_system"], f"unknown ({h['rh_system']})")
    h["rh_antname"] = _text(block[98:112])
    h["rh_name"] = _text(block[114:126])
    del h["rh_lineorder_byte"], h["rh_version_byte"]
    return h


def _tag_ok(tag: int) -> bool:
    """``rh_tag`` is 0x00FF / 0x0nFF / 0x0n00 style: low byte 0x00 or 0xFF."""
    return (tag & 0xFF) in (0x00, 0xFF)


def data_offset(rh_data: int, nchan: int) -> int:
    """Byte offset of the first scan."""
    return rh_data * HEADER_BYTES if rh_data < HEADER_BYTES else HEADER_BYTES * nchan


# --- public API -----------------------------------------------------------------

def is_dzt(path: str | os.PathLike[str]) -> bool:
    """True when the file starts with a plausible DZT header (reads 1 KB).

    A non-empty file named ``*.dzt`` (any case) is claimed even when its
    header is broken, so that :func:`read_dzt` can say which field is wrong
    instead of the registry answering "unknown format".
    """
    try:
        with open(path, "rb") as f:
            block = f.read(HEADER_BYTES)
    except OSError:
        return False
    if block and Path(path).suffix.lower() == ".dzt":
        return True
    if len(block) < HEADER_BYTES:
        return False
    tag, rh_data, nsamp, bits = struct.unpack_from("<4H", block, 0)
    nchan = struct.unpack_from("<H", block, 52)[0]
    rng = struct.unpack_from("<f", block, 26)[0]
    return (_tag_ok(tag) and bits in _DTYPES and MIN_SAMPLES <= nsamp <= MAX_SAMPLES
            and 1 <= nchan <= MAX_CHANNELS and rh_data > 0 and math.isfinite(rng) and rng > 0)


def read_dzt(path: str | os.PathLike[str], *, scan_marks: bool | None = None) -> list[Radargram]:
    """Read a GSSI DZT file: one :class:`Radargram` per channel.

    :param path: the ``.DZT`` / ``.dzt`` file. A ``.DZG`` beside it (same
        stem, either case) is parsed into ``Radargram.gps``.
    :param scan_marks: look for user marks in the mark word of every scan
        (reads the whole data area in 8 MB chunks). None (default): only when
        the data area is at most 256 MB, so huge files still open instantly.
    :returns: the channels, samples memory-mapped (``raw`` is a
        ``np.memmap`` view, traces x samples, in the file's sample type).
    :raises InputError: the file is missing, unreadable, or its header is
        inconsistent with its size; the message names the file and field.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError("The DZT file {path} does not exist.", code="dzt.missing", path=str(p), field="")
    try:
        size = p.stat().st_size
        with open(p, "rb") as f:
            head = f.read(HEADER_BYTES)
            h0 = _check_first_header(p, head, size)
            nchan = h0["rh_nchan"]
            more = f.read(HEADER_BYTES * (nchan - 1)) if nchan > 1 else b""
    except OSError as exc:
        raise InputError("The DZT file {path} cannot be read: {reason}", code="dzt.open", path=str(p),
                         reason=exc.strerror or str(exc), field="") from exc
    if len(more) < HEADER_BYTES * (nchan - 1):
        raise InputError("The DZT file {path} is {size} bytes long, too short for the {need} bytes of its "
                         "{nchan} channel headers (header field {field}).",
                         code="dzt.truncated", path=str(p), size=size, field="rh_nchan", nchan=nchan,
                         need=HEADER_BYTES * nchan)

    nsamp, bits = h0["rh_nsamp"], h0["rh_bits"]
    dtype = _DTYPES[bits]
    offset = data_offset(h0["rh_data"], nchan)
    if offset < HEADER_BYTES * nchan:
        raise InputError("The DZT file {path} has an invalid header field {field} = {value} (expected {expected}).",
                         code="dzt.field", path=str(p), field="rh_data", value=h0["rh_data"],
                         expected=f"at least {nchan} blocks of 1024 bytes, one per channel header")
    if offset > size:
        raise InputError("The DZT file {path} puts its data at byte {offset} (header field {field} = {value}), "
                         "beyond the end of the file ({size} bytes).",
                         code="dzt.offset", path=str(p), field="rh_data", value=h0["rh_data"], offset=offset,
                         size=size)
    scan_bytes = nsamp * nchan * dtype.itemsize
    n_traces = (size - offset) // scan_bytes
    if n_traces < 1:
        raise InputError("The DZT file {path} holds no complete scan: {available} data bytes after byte {offset}, "
                         "but one scan (header fields rh_nsamp x rh_nchan x rh_bits) needs {scan_bytes} bytes.",
                         code="dzt.empty", path=str(p), field="rh_nsamp", available=size - offset, offset=offset,
                         scan_bytes=scan_bytes)
    warnings: list[str] = []
    extra = (size - offset) - n_traces * scan_bytes
    if extra:
        warnings.append(f"{p.name}: the last {extra} bytes are a partial scan and were ignored.")

    try:
        mapped = np.memmap(p, dtype=dtype, mode="r", offset=offset, shape=(n_traces, nchan, nsamp))
    except (OSError, ValueError) as exc:
        raise InputError("The DZT file {path} cannot be read: {reason}", code="dzt.open", path=str(p),
                         reason=str(exc), field="") from exc

    headers = [h0] + [decode_header(more[HEADER_BYTES * (c - 1):HEADER_BYTES * c]) for c in range(1, nchan)]
    data_bytes = n_traces * scan_bytes
    do_marks = scan_marks if scan_marks is not None else data_bytes <= MARK_SCAN_LIMIT_BYTES
    marks: list[list[int]] = [[] for _ in range(nchan)]
    if do_marks:
        try:
            marks = _scan_marks(p, offset, n_traces, nchan, nsamp, dtype, warnings)
        except OSError as exc:
            warnings.append(f"{p.name}: user marks could not be scanned ({exc}).")
    else:
        warnings.append(f"{p.name}: user marks were not scanned ({data_bytes} data bytes > "
                        f"{MARK_SCAN_LIMIT_BYTES}); call read_dzt(path, scan_marks=True) to scan them.")

    gps = None
    dzg_path = find_dzg(p)
    if dzg_path is not None:
        try:
            dzg_size = dzg_path.stat().st_size
            if dzg_size > MAX_DZG_BYTES:  # ~100 bytes a fix: far more fixes than any survey logs
                warnings.append(f"{dzg_path.name}: {dzg_size} bytes, larger than the {MAX_DZG_BYTES} bytes of a GPS "
                                "log; not read, no GPS.")
            else:
                gps = read_dzg(dzg_path)
        except OSError as exc:
            warnings.append(f"{dzg_path.name}: cannot be read ({exc}); no GPS.")
        else:
            if gps is not None:
                gps = gps.within(n_traces, dzg_path.name)

    result = []
    for c in range(nchan):
        chan_warnings = list(warnings)
        hc = _channel_header(p, c, headers, h0, chan_warnings)
        hc.update(
            rh_nchan=nchan, rh_nsamp=nsamp, rh_bits=bits, rh_data=h0["rh_data"], data_offset=offset,
            n_traces=n_traces, file_size=size, sample_dtype=dtype.str, scan_bytes=scan_bytes,
            mark_samples=MARK_SAMPLES, channel=c, marks_scanned=bool(do_marks),
            dt_convention="rhf_range / rh_nsamp", time_zero_convention="-rhf_position",
        )
        rng = hc["rhf_range"]
        dt_ns = rng / nsamp
        time_zero_ns = _time_zero(p, hc, chan_warnings)
        spacing = _trace_spacing(p, hc, chan_warnings)
        freq = antenna_frequency_mhz(hc["rh_antname"])
        if freq is None:
            chan_warnings.append(f"{p.name}: antenna {hc['rh_antname']!r} (channel {c}) is not known; "
                                 "its centre frequency is unknown.")
        for key in ("rhf_sps", "rhf_mpm"):
            if not (math.isfinite(hc[key]) and hc[key] >= 0):
                chan_warnings.append(f"{p.name}: header field {key} = {hc[key]} is not a valid value; ignored.")
        if not (math.isfinite(hc["rhf_epsr"]) and hc["rhf_epsr"] >= 1.0):
            chan_warnings.append(f"{p.name}: header field rhf_epsr = {hc['rhf_epsr']} is not a relative "
                                 "permittivity (>= 1); do not use it for depths.")
        hc.update(dt_ns=dt_ns, time_zero_ns=time_zero_ns, antenna_mhz=freq)
        raw = mapped[:, c, :]
        result.append(Radargram(
            path=p,
            format="dzt",
            dt_ns=dt_ns,
            raw=raw,
            antenna=Antenna(name=hc["rh_antname"], frequency_mhz=freq),
            channel=c,
            n_channels=nchan,
            distance_m=np.arange(n_traces, dtype=np.float64) * spacing if spacing is not None else None,
            trace_spacing_m=spacing,
            time_zero_ns=time_zero_ns,
            gps=gps,
            marks=marks[c],
            header=hc,
            warnings=chan_warnings + (list(gps.warnings) if gps is not None else []),
            raw_offset=-float(2 ** (bits - 1)) if bits in (8, 16) else 0.0,
        ))
    return result


# --- helpers ----------------------------------------------------------------------

def _check_first_header(p: Path, head: bytes, size: int) -> dict[str, Any]:
    """Decode channel 0's header and reject impossible layouts."""
    if len(head) < HEADER_BYTES:
        raise InputError("The DZT file {path} is {size} bytes long, too short for its {field} ({need} bytes).",
                         code="dzt.truncated", path=str(p), size=size, field="header", need=HEADER_BYTES)
    h = decode_header(head)

    def bad(field: str, expected: str) -> InputError:
        value = f"0x{h[field]:04X}" if field == "rh_tag" else h[field]
        return InputError("The DZT file {path} has an invalid header field {field} = {value} (expected {expected}).",
                          code="dzt.field", path=str(p), field=field, value=value, expected=expected)

    if not _tag_ok(h["rh_tag"]):
        raise bad("rh_tag", "a GSSI tag such as 0x00FF, 0x07FF or 0x0700")
    if h["rh_bits"] not in _DTYPES:
        raise bad("rh_bits", "8, 16 or 32")
    if not MIN_SAMPLES <= h["rh_nsamp"] <= MAX_SAMPLES:
        raise bad("rh_nsamp", f"{MIN_SAMPLES} to {MAX_SAMPLES} samples per scan")
    if not 1 <= h["rh_nchan"] <= MAX_CHANNELS:
        raise bad("rh_nchan", f"1 to {MAX_CHANNELS} channels")
    if h["rh_data"] == 0:
        raise bad("rh_data", "the data offset, in 1024-byte blocks or bytes")
    if not (math.isfinite(h["rhf_range"]) and MIN_DT_NS * h["rh_nsamp"] <= h["rhf_range"] <= MAX_RANGE_NS):
        raise bad("rhf_range", f"a time window of at least {MIN_DT_NS:g} ns a sample and at most {MAX_RANGE_NS:g} ns")
    return h


def _channel_header(p: Path, c: int, headers: list[dict[str, Any]], h0: dict[str, Any],
                    warnings: list[str]) -> dict[str, Any]:
    """Channel ``c``'s header; fields it lacks or garbles come from channel 0."""
    hc = dict(headers[c])
    if c == 0:
        return hc
    if not _tag_ok(hc["rh_tag"]) or hc["rh_nsamp"] != h0["rh_nsamp"] or hc["rh_bits"] != h0["rh_bits"]:
        warnings.append(f"{p.name}: the header of channel {c} is not a valid channel header; "
                        "channel 0's values are used.")
        hc = dict(h0)
        hc["rh_antname"] = headers[c]["rh_antname"] or h0["rh_antname"]
        return hc
    if not (math.isfinite(hc["rhf_range"]) and MIN_DT_NS * h0["rh_nsamp"] <= hc["rhf_range"] <= MAX_RANGE_NS):
        warnings.append(f"{p.name}: header field rhf_range of channel {c} = {hc['rhf_range']} is invalid; "
                        f"channel 0's {h0['rhf_range']} ns is used.")
        hc["rhf_range"] = h0["rhf_range"]
    return hc


def _time_zero(p: Path, h: dict[str, Any], warnings: list[str]) -> float:
    position = h["rhf_position"]
    if math.isfinite(position) and abs(position) <= 10.0 * h["rhf_range"]:
        return -position + 0.0  # + 0.0 turns -0.0 into 0.0
    warnings.append(f"{p.name}: header field rhf_position = {position} ns is not plausible; time zero set to "
                    "the first sample.")
    return 0.0


def _trace_spacing(p: Path, h: dict[str, Any], warnings: list[str]) -> float | None:
    spm = h["rhf_spm"]
    if spm == 0:
        return None  # time-triggered: positions come from GPS / DZX
    if not math.isfinite(spm) or spm < 0 or not math.isfinite(1.0 / spm) or spm > 1e6 or 1.0 / spm > 1e3:
        warnings.append(f"{p.name}: header field rhf_spm = {spm} scans/m is not plausible; trace spacing "
                        "unknown.")
        return None
    return 1.0 / spm


def _scan_marks(p: Path, offset: int, n_traces: int, nchan: int, nsamp: int, dtype: np.dtype,
                warnings: list[str]) -> list[list[int]]:
    """Traces whose mark word (sample 1) is non-zero, per channel.

    Reads the data area in chunks (never mapped), so memory stays bounded.
    When most scans have a non-zero word the unit evidently does not use it
    for marks, and no mark is reported.
    """
    scan_items = nchan * nsamp
    per_chunk = max(1, _CHUNK_BYTES // (scan_items * dtype.itemsize))
    found: list[list[np.ndarray]] = [[] for _ in range(nchan)]
    with open(p, "rb") as f:
        f.seek(offset)
        start = 0
        while start < n_traces:
            count = min(per_chunk, n_traces - start)
            block = np.fromfile(f, dtype=dtype, count=count * scan_items)
            if block.size < count * scan_items:  # file shrank while reading
                count = block.size // scan_items
                if count == 0:
                    break
                block = block[:count * scan_items]
            words = block.reshape(count, nchan, nsamp)[:, :, 1]
            for c in range(nchan):
                found[c].append(np.flatnonzero(words[:, c]) + start)
            start += count
    marks: list[list[int]] = []
    for c in range(nchan):
        idx = np.concatenate(found[c]) if found[c] else np.zeros(0, dtype=np.int64)
        if idx.size > n_traces // 2 and idx.size > 1:
            warnings.append(f"{p.name}: the mark word (sample 1) of channel {c} is non-zero in {idx.size} of "
                            f"{n_traces} scans; it is not read as user marks.")
            marks.append([])
        else:
            marks.append([int(i) for i in idx])
    return marks
