"""SEG-Y (rev 1) reader for ground-penetrating radar profiles.

Written from the SEG-Y rev 1 specification (SEG Technical Standards
Committee, 2002). A file is a 3200-byte textual header (EBCDIC or ASCII),
a 400-byte binary header, optional 3200-byte extended textual headers, then
traces of a 240-byte header followed by the samples.

GPR software bends the seismic standard, and this reader says what it
assumed every time it had to choose (``rg.header`` and ``rg.warnings``):

* **byte order**: rev 1 is big-endian, but GPR exporters (RGPR) write
  little-endian. Both byte orders are tried; the one giving a plausible
  format code and sample count and a trace layout matching the file size
  wins (``header['endian']``, ``header['endian_reason']``).
* **sample interval unit**: the field is in microseconds in seismic files
  and in picoseconds in GPR files (the whole time axis scaled by 10^6, so
  400 means 0.4 ns). The unit is decided from explicit statements and
  keywords in the textual header and the plausibility of the values
  (``header['dt_unit_assumed']`` = ``'ps'`` or ``'us'``, the reason in
  ``header['dt_unit_reason']`` and ``rg.warnings``); ``sample_interval_ns``
  overrides it.
* **coordinates**: a positive coordinate scalar that would put traces
  hundreds of metres apart while the values look like millimetres is applied
  as a divisor (RGPR writes +1000 for mm); positions with y all zero are an
  along-line distance (``rg.distance_m``), otherwise map coordinates
  (``rg.x``/``rg.y``, CRS unknown) (``header['coordinate_interpretation']``).

Samples stay memory-mapped through a structured dtype
(``[('hdr', 'V240'), ('s', sample type, ns)]``); IBM floats are converted
block by block when the samples are used.
"""

from __future__ import annotations

import math
import mmap
import os
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import InputError
from ..model import Antenna, Radargram

TEXT_BYTES = 3200
BINARY_BYTES = 400
FILE_HEADER_BYTES = TEXT_BYTES + BINARY_BYTES
TRACE_HEADER_BYTES = 240

#: format code -> (numpy kind without byte order, bytes per sample, description)
SAMPLE_FORMATS: dict[int, tuple[str, int, str]] = {
    1: ("u4", 4, "4-byte IBM floating point"),
    2: ("i4", 4, "4-byte two's complement integer"),
    3: ("i2", 2, "2-byte two's complement integer"),
    5: ("f4", 4, "4-byte IEEE floating point"),
    8: ("i1", 1, "1-byte two's complement integer"),
}
#: every code SEG-Y rev 1/2 defines (those not in SAMPLE_FORMATS are refused)
VALID_FORMAT_CODES = frozenset({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 16})
#: bytes per sample of the codes PipeMap does not read (for layout checks only)
_OTHER_FORMAT_BYTES = {4: 4, 6: 8, 7: 3, 9: 8, 10: 4, 11: 2, 12: 8, 15: 3, 16: 1}

#: trace headers read in full up to this many traces; beyond, headers are sampled first
FULL_HEADER_TRACES = 50_000
#: sampled trace headers for large files
SAMPLED_HEADERS = 1001
#: at most this many traces are followed one by one (variable-length traces)
_WALK_LIMIT = 2_000_000
#: at most this much memory for files whose traces have different lengths
VARIABLE_LENGTH_LIMIT_BYTES = 256 * 1024 * 1024

# field names used in messages (byte positions as the SEG-Y standard numbers them)
F_TEXT = "the textual file header (bytes 1-3200)"
F_BINARY = "the binary file header (bytes 3201-3600)"
F_FORMAT = "binary header bytes 3225-3226 (data sample format code)"
F_NS_BIN = "binary header bytes 3221-3222 (samples per data trace)"
F_NS_TRACE = "trace header bytes 115-116 (number of samples in this trace)"
F_DT_BIN = "binary header bytes 3217-3218 (sample interval)"
F_DT_TRACE = "trace header bytes 117-118 (sample interval)"
F_EXT = "binary header bytes 3505-3506 (number of extended textual file headers)"
F_SCALAR = "trace header bytes 71-72 (coordinate scalar)"
F_UNITS = "trace header bytes 89-90 (coordinate units)"
F_OVERRIDE = "sample_interval_ns"

#: standard seismic sampling intervals (µs): a hint that the field is in µs
SEISMIC_INTERVALS_US = frozenset({20, 21, 31, 62, 63, 125, 250, 500, 1000, 2000, 4000, 8000, 16000})

_GPR_TERMS = re.compile(
    r"\b(GPR|GEO-?RADAR|GROUND[- ]PENETRATING|RADAR|RADARGRAMS?|ANTENNAE?|ANTENNAS|[0-9]+(?:\.[0-9]+)? ?[MG]HZ|"
    r"PICO-?SECONDS?|RGPR|GSSI|MAL[AÅ]|RAMAC|PULSE ?EKKO|SENSORS (?:&|AND) SOFTWARE|NOGGIN|IMPULSE ?RADAR|"
    r"REFLEXW?|RADAN|GPRPY|IMPDAR|MATGPR|DZT|DT1|RD3|[0-9]+(?:\.[0-9]+)? ?NS)\b",
    re.IGNORECASE,
)
_SEISMIC_TERMS = re.compile(
    r"\b(SEISMIC|SEISMOGRAMS?|GEOPHONES?|HYDROPHONES?|SHOT ?POINTS?|SHOTS?|VIBROSEIS|VIBRATORS?|AIR ?GUNS?|"
    r"DYNAMITE|EXPLOSIVES?|STREAMERS?|CDP|NMO|ACOUSTIC IMPEDANCE|[0-9]+(?:\.[0-9]+)? ?MS)\b",
    re.IGNORECASE,
)
_UNIT_STATEMENT = re.compile(
    r"SAMPLE\s*(?:INTERVAL|RATE)[^\n]{0,40}?\b(PICO-?\s?SECONDS?|PS|NANO-?\s?SECONDS?|NS|MICRO-?\s?SECONDS?|US|"
    r"[µΜ]S|MILLI-?\s?SECONDS?|MS)\b",
    re.IGNORECASE,
)
_DT_NS_STATEMENT = re.compile(r"\bDT_NS\s*=\s*([0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?)")
_TIME_ZERO_STATEMENT = re.compile(r"\bTIME_ZERO_NS\s*=\s*(-?[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?)")
_FREQUENCY = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*(MHZ|GHZ)\b", re.IGNORECASE)

# SEG-Y rev 1 trace header fields PipeMap uses: name -> (type without byte order, 0-based offset)
TRACE_HEADER_LAYOUT: dict[str, tuple[str, int]] = {
    "seq_line": ("i4", 0),
    "seq_file": ("i4", 4),
    "field_record": ("i4", 8),
    "trace_in_record": ("i4", 12),
    "cdp": ("i4", 20),
    "trace_in_ensemble": ("i4", 24),
    "trace_id": ("i2", 28),
    "n_summed": ("i2", 30),
    "n_stacked": ("i2", 32),
    "data_use": ("i2", 34),
    "elevation": ("i4", 40),
    "source_elevation": ("i4", 44),
    "elevation_scalar": ("i2", 68),
    "scalar": ("i2", 70),
    "sx": ("i4", 72),
    "sy": ("i4", 76),
    "gx": ("i4", 80),
    "gy": ("i4", 84),
    "units": ("i2", 88),
    "ns": ("u2", 114),
    "dt": ("u2", 116),
    "cdpx": ("i4", 180),
    "cdpy": ("i4", 184),
}

# trace header fields read for every trace
_TRACE_FIELDS: dict[str, tuple[str, int]] = {
    name: TRACE_HEADER_LAYOUT[name]
    for name in ("seq_line", "seq_file", "elevation", "elevation_scalar", "scalar", "sx", "sy", "gx", "gy", "units",
                 "ns", "dt", "cdpx", "cdpy")
}


# --------------------------------------------------------------------------------------------
# IBM floating point
# --------------------------------------------------------------------------------------------
_F32_MAX = float(np.finfo(np.float32).max)


def ibm_to_float32(words: np.ndarray) -> np.ndarray:
    """Convert IBM System/360 single-precision words to IEEE float32.

    An IBM float is a sign bit, a 7-bit base-16 exponent biased by 64 and a
    24-bit fraction ``0.F``: value = (-1)^s x 0.F x 16^(e - 64). The fraction
    has at most 24 significant bits, so every value inside float32's range is
    converted exactly (after a single rounding for subnormals); magnitudes
    beyond float32's range (IBM reaches 7.2e75) are clipped to the largest
    float32, below it they become 0.

    :param words: unsigned 32-bit words in any byte order (a memory-mapped
        ``'>u4'`` view is fine); converted block by block.
    :return: float32 array of the same shape.
    """
    w = np.asarray(words)
    if w.ndim == 0:
        return _ibm_block(w.reshape(1)).reshape(())
    out = np.empty(w.shape, dtype=np.float32)
    per_row = int(np.prod(w.shape[1:], dtype=np.int64)) or 1
    rows = max(1, (1 << 22) // per_row)  # about 4 M values (16 MB) at a time, whatever the memory layout
    for start in range(0, w.shape[0], rows):
        out[start:start + rows] = _ibm_block(w[start:start + rows])
    return out


def _ibm_block(words: np.ndarray) -> np.ndarray:
    chunk = words.astype(np.uint32)  # native byte order
    exponent = ((chunk >> np.uint32(24)) & np.uint32(0x7F)).astype(np.int32)
    fraction = (chunk & np.uint32(0x00FFFFFF)).astype(np.float64)
    value = np.ldexp(fraction, 4 * exponent - 280)  # 0.F x 16^(e-64) = F x 2^(4e - 256 - 24)
    value = np.where((chunk >> np.uint32(31)).astype(bool), -value, value)
    np.clip(value, -_F32_MAX, _F32_MAX, out=value)
    return value.astype(np.float32)


class IbmFloatTraces:
    """Lazy float32 view of memory-mapped IBM-float samples (traces x samples).

    Indexing converts only the traces asked for, so ``Radargram.raw`` keeps
    its constant-time open for format 1 files too.
    """

    def __init__(self, words: np.ndarray) -> None:
        self._words = words
        self.shape: tuple[int, ...] = tuple(words.shape)
        self.ndim = len(self.shape)
        self.dtype = np.dtype(np.float32)
        self.size = int(np.prod(self.shape))

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, key: Any) -> np.ndarray:
        return ibm_to_float32(self._words[key])

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        out = ibm_to_float32(self._words)
        return out if dtype is None else out.astype(dtype)

    def __repr__(self) -> str:
        return f"IbmFloatTraces(shape={self.shape})"


# --------------------------------------------------------------------------------------------
# textual header
# --------------------------------------------------------------------------------------------
_ASCII_WORD = np.zeros(256, dtype=bool)
for _c in b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ":
    _ASCII_WORD[_c] = True
_EBCDIC_WORD = np.zeros(256, dtype=bool)
for _lo, _hi in ((0x81, 0x89), (0x91, 0x99), (0xA2, 0xA9), (0xC1, 0xC9), (0xD1, 0xD9), (0xE2, 0xE9), (0xF0, 0xF9)):
    _EBCDIC_WORD[_lo:_hi + 1] = True
_EBCDIC_WORD[0x40] = True
_ASCII_TEXT = np.zeros(256, dtype=bool)
_ASCII_TEXT[0x20:0x7F] = True
_ASCII_TEXT[[0, 9, 10, 13]] = True
_EBCDIC_TEXT = np.array([bytes([b]).decode("cp037").isprintable() for b in range(256)], dtype=bool)
_EBCDIC_TEXT[[0, 0x25, 0x15, 0x0D, 0x05]] = True  # NUL, LF, NL, CR, HT


def text_encoding(block: bytes) -> tuple[str, float]:
    """The encoding of a textual header block and the share of its bytes that
    are text in that encoding.

    :return: (``'ascii'``, ``'ebcdic'`` or ``'empty'`` when it is all NUL or
        blank, fraction of text bytes in [0, 1]).
    """
    if not block:
        return "empty", 0.0
    counts = np.bincount(np.frombuffer(block, dtype=np.uint8), minlength=256)
    ascii_words = int(counts[_ASCII_WORD].sum())
    ebcdic_words = int(counts[_EBCDIC_WORD].sum())
    if ascii_words == 0 and ebcdic_words == 0:
        return "empty", float(counts[0]) / len(block)
    if ebcdic_words > ascii_words:
        return "ebcdic", float(counts[_EBCDIC_TEXT].sum()) / len(block)
    return "ascii", float(counts[_ASCII_TEXT].sum()) / len(block)


def decode_text(block: bytes) -> tuple[str, str]:
    """Decode a 3200-byte textual header into lines of at most 80 characters.

    :return: (text with one card a line, encoding ``'ascii'``/``'ebcdic'``/``'empty'``).
    """
    encoding, _ = text_encoding(block)
    if encoding == "ebcdic":
        text = block.decode("cp037", errors="replace")
    else:
        text = block.decode("latin-1")
    text = "".join(ch if (ch.isprintable() or ch == "\n") else " " for ch in text)
    if "\n" in text.strip():
        lines = text.split("\n")
    else:
        lines = [text[i:i + 80] for i in range(0, len(text), 80)]
    lines = [line.rstrip() for line in lines]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines), encoding


def _card_style(text: str) -> bool:
    """True when most lines start like SEG-Y cards ('C 1 ', 'C40 ')."""
    lines = [line for line in text.split("\n") if line.strip()]
    cards = sum(1 for line in lines if re.match(r"C[ 0-9]?[0-9]", line))
    return len(lines) >= 3 and cards >= 0.8 * len(lines)


# --------------------------------------------------------------------------------------------
# binary header and byte order
# --------------------------------------------------------------------------------------------
@dataclass
class BinaryHeader:
    """The binary-header fields PipeMap uses (one byte order)."""

    endian: str  #: '>' or '<'
    dt: int
    dt_original: int
    ns: int
    ns_original: int
    format_code: int
    measurement_system: int
    byte_order_marker: int
    revision: int
    fixed_length: int
    n_extended: int

    @classmethod
    def parse(cls, raw: bytes, endian: str) -> BinaryHeader:
        def u16(off: int) -> int:
            return struct.unpack_from(endian + "H", raw, off)[0]

        def i16(off: int) -> int:
            return struct.unpack_from(endian + "h", raw, off)[0]

        return cls(
            endian=endian,
            dt=u16(16),
            dt_original=u16(18),
            ns=u16(20),
            ns_original=u16(22),
            format_code=u16(24),
            measurement_system=i16(54),
            byte_order_marker=struct.unpack_from(endian + "I", raw, 96)[0],
            revision=u16(300),
            fixed_length=i16(302),
            n_extended=i16(304),
        )

    @property
    def name(self) -> str:
        return "big" if self.endian == ">" else "little"


def _bytes_per_sample(code: int) -> int | None:
    if code in SAMPLE_FORMATS:
        return SAMPLE_FORMATS[code][1]
    return _OTHER_FORMAT_BYTES.get(code)


def _trace_ns_dt(raw_trace_header: bytes, endian: str) -> tuple[int, int]:
    if len(raw_trace_header) < 118:
        return 0, 0
    return struct.unpack_from(endian + "HH", raw_trace_header, 114)


def _choose_endian(binary: bytes, first_trace: bytes, size: int) -> tuple[BinaryHeader, str, bool]:
    """Pick the byte order from the plausibility of the headers.

    :return: (binary header, human-readable reason, whether it was ambiguous).
    """
    scored = []
    for endian in (">", "<"):
        bh = BinaryHeader.parse(binary, endian)
        ns_tr, dt_tr = _trace_ns_dt(first_trace, endian)
        score = 0.0
        notes = []
        if bh.byte_order_marker == 0x01020304:
            score += 100
            notes.append("the byte-order marker (bytes 3297-3300) reads 16909060")
        elif bh.byte_order_marker == 0x04030201:
            score -= 100
        if bh.format_code in SAMPLE_FORMATS:
            score += 4
            notes.append(f"format code {bh.format_code}")
        elif bh.format_code in VALID_FORMAT_CODES:
            score += 2
            notes.append(f"format code {bh.format_code}")
        else:
            score -= 4
        ns = bh.ns or ns_tr
        if ns > 0:
            score += 1
            if bh.ns and ns_tr == bh.ns:
                score += 2
                notes.append(f"{ns} samples per trace in both the binary and the first trace header")
            else:
                notes.append(f"{ns} samples per trace")
        if bh.dt and bh.dt == dt_tr:
            score += 1
        bps = _bytes_per_sample(bh.format_code)
        if bps and ns > 0:
            body = size - FILE_HEADER_BYTES - max(bh.n_extended, 0) * TEXT_BYTES
            if body > 0 and body % (TRACE_HEADER_BYTES + ns * bps) == 0:
                score += 4
                notes.append("the trace layout matches the file size")
        scored.append((score, bh, notes))
    (s_big, big, notes_big), (s_little, little, notes_little) = scored
    if s_little > s_big:
        other = big.format_code
        reason = (f"little-endian (not the SEG-Y rev 1 standard big-endian): read little-endian, "
                  f"{', '.join(notes_little) or 'the headers are more plausible'}; read big-endian the format code "
                  f"would be {other}")
        return little, reason, False
    ambiguous = s_little == s_big
    if ambiguous:
        reason = ("big-endian (the SEG-Y rev 1 standard): both byte orders give equally plausible headers "
                  f"({', '.join(notes_big) or 'neither is plausible'}), so the standard was assumed")
    else:
        reason = f"big-endian (the SEG-Y rev 1 standard): {', '.join(notes_big) or 'the headers are more plausible'}"
    return big, reason, ambiguous


# --------------------------------------------------------------------------------------------
# detection
# --------------------------------------------------------------------------------------------
def is_segy(path: str | os.PathLike[str]) -> bool:
    """True when the file starts like a SEG-Y file: a textual header that is
    text (ASCII or EBCDIC), a binary header with a SEG-Y format code in one
    byte order, and room for at least one trace header. Reads 3840 bytes."""
    try:
        p = Path(path)
        size = p.stat().st_size
        if size < FILE_HEADER_BYTES + TRACE_HEADER_BYTES:
            return False
        with open(p, "rb") as fh:
            head = fh.read(FILE_HEADER_BYTES + TRACE_HEADER_BYTES)
    except (OSError, ValueError):
        return False
    encoding, share = text_encoding(head[:TEXT_BYTES])
    if share < 0.8 and not (encoding == "empty" and share > 0.95):
        return False
    for endian in (">", "<"):
        bh = BinaryHeader.parse(head[TEXT_BYTES:FILE_HEADER_BYTES], endian)
        ns_tr, _ = _trace_ns_dt(head[FILE_HEADER_BYTES:], endian)
        if bh.format_code in VALID_FORMAT_CODES and (bh.ns > 0 or ns_tr > 0):
            return True
    return False


# --------------------------------------------------------------------------------------------
# layout
# --------------------------------------------------------------------------------------------
@dataclass
class _Layout:
    data_offset: int
    ns: int
    n_traces: int
    ns_field: str
    #: per-trace (offset, ns) when the traces have different lengths
    variable: tuple[np.ndarray, np.ndarray] | None = None
    notes: list[str] = field(default_factory=list)


def _find_end_text(fh: Any, size: int) -> int | None:
    """Number of extended textual headers up to the ((SEG: EndText)) stanza."""
    blocks = min((size - FILE_HEADER_BYTES) // TEXT_BYTES, 10_000)
    for k in range(blocks):
        fh.seek(FILE_HEADER_BYTES + k * TEXT_BYTES)
        text, _ = decode_text(fh.read(TEXT_BYTES))
        if "((SEG:ENDTEXT))" in re.sub(r"\s", "", text.upper()):
            return k + 1
    return None


def _walk_traces(fh: Any, start: int, size: int, bps: int, endian: str) -> tuple[np.ndarray, np.ndarray] | None:
    """Follow per-trace sample counts (trace header bytes 115-116) from
    ``start``; the (offsets, ns) of every trace when they end exactly at the
    end of the file, else None."""
    length = size - start
    if length < TRACE_HEADER_BYTES:
        return None
    max_traces = length // TRACE_HEADER_BYTES
    offsets = np.empty(min(max_traces, 1 << 16), dtype=np.int64)
    counts = np.empty_like(offsets)
    fmt = endian + "H"
    with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        pos, n = start, 0
        while pos + TRACE_HEADER_BYTES <= size:
            if n >= _WALK_LIMIT:
                return None
            ns = struct.unpack_from(fmt, mm, pos + 114)[0]
            if n == offsets.size:
                offsets = np.resize(offsets, offsets.size * 2)
                counts = np.resize(counts, counts.size * 2)
            offsets[n], counts[n] = pos, ns
            n += 1
            pos += TRACE_HEADER_BYTES + ns * bps
        if pos != size or n == 0:
            return None
    return offsets[:n].copy(), counts[:n].copy()


def _layout(fh: Any, path: Path, size: int, bh: BinaryHeader, bps: int, warnings: list[str]) -> _Layout:
    """Where the traces start, how long they are and how many there are."""
    # extended textual headers (rev 1); unassigned (possibly junk) in rev 0 files
    candidates: list[int]
    if bh.n_extended == -1:
        found = _find_end_text(fh, size)
        if found is None:
            raise InputError(
                "{path}: {field} = {value} is not a usable number of extended textual headers "
                "(the file has room for {room}).",
                code="gpr.segy.extended", path=str(path), field=F_EXT + ", -1 but no ((SEG: EndText)) stanza",
                value=-1, room=max((size - FILE_HEADER_BYTES) // TEXT_BYTES, 0))
        candidates = [found]
    elif bh.n_extended > 0:
        candidates = [bh.n_extended, 0]
    elif bh.n_extended == 0:
        candidates = [0]
    else:
        candidates = [0]
        warnings.append(f"{F_EXT} holds {bh.n_extended}, which is not a valid count; no extended textual header "
                        "was assumed.")

    candidates = [n for n in dict.fromkeys(candidates)
                  if FILE_HEADER_BYTES + n * TEXT_BYTES + TRACE_HEADER_BYTES <= size]
    if not candidates:
        raise InputError(
            "{path}: {field} = {value} is not a usable number of extended textual headers "
            "(the file has room for {room}).",
            code="gpr.segy.extended", path=str(path), field=F_EXT, value=bh.n_extended,
            room=max((size - FILE_HEADER_BYTES - TRACE_HEADER_BYTES) // TEXT_BYTES, 0))
    first_headers = {}
    for n_ext in candidates:
        fh.seek(FILE_HEADER_BYTES + n_ext * TEXT_BYTES)
        first_headers[n_ext] = fh.read(TRACE_HEADER_BYTES)

    def fits(n_ext: int, ns: int) -> bool:
        body = size - FILE_HEADER_BYTES - n_ext * TEXT_BYTES
        return ns > 0 and body > 0 and body % (TRACE_HEADER_BYTES + ns * bps) == 0

    for n_ext in candidates:
        data_offset = FILE_HEADER_BYTES + n_ext * TEXT_BYTES
        ns_tr, _ = _trace_ns_dt(first_headers[n_ext], bh.endian)
        options = [(bh.ns, F_NS_BIN)] if bh.ns else []
        if ns_tr and ns_tr != bh.ns:
            options.append((ns_tr, F_NS_TRACE))
        for ns, ns_field in options:
            if fits(n_ext, ns):
                lay = _Layout(data_offset, ns, (size - data_offset) // (TRACE_HEADER_BYTES + ns * bps), ns_field)
                if n_ext != bh.n_extended and bh.n_extended > 0:
                    warnings.append(f"{F_EXT} announces {bh.n_extended} extended textual headers, but the traces "
                                    "fit the file only without them; none was assumed.")
                if ns_field == F_NS_TRACE and bh.ns:
                    warnings.append(f"{F_NS_BIN} says {bh.ns} samples but the traces hold {ns} "
                                    f"({F_NS_TRACE}), which fits the file size; {ns} was used.")
                return lay

    # per-trace sample counts (variable-length traces or a wrong binary header)
    n_ext = candidates[0]
    data_offset = FILE_HEADER_BYTES + n_ext * TEXT_BYTES
    walked = _walk_traces(fh, data_offset, size, bps, bh.endian)
    if walked is not None:
        offsets, counts = walked
        if counts.min() > 0:
            ns_max = int(counts.max())
            if int(counts.min()) == ns_max:  # equal lengths after all (cannot happen if fits() failed)
                return _Layout(data_offset, ns_max, len(counts), F_NS_TRACE)
            need = len(counts) * ns_max * bps
            if need > VARIABLE_LENGTH_LIMIT_BYTES:
                raise InputError(
                    "{path}: the traces have different lengths ({field}) and padding them to the longest would "
                    "need {need_mb} MB (at most {limit_mb} MB).",
                    code="gpr.segy.variable", path=str(path), field=F_NS_TRACE, need_mb=need // 2**20,
                    limit_mb=VARIABLE_LENGTH_LIMIT_BYTES // 2**20)
            warnings.append(f"The traces have different lengths ({int(counts.min())} to {ns_max} samples, "
                            f"{F_NS_TRACE}); shorter traces were padded with zeros and the samples were read into "
                            "memory.")
            return _Layout(data_offset, ns_max, len(counts), F_NS_TRACE, variable=(offsets, counts))

    ns = bh.ns or _trace_ns_dt(first_headers.get(n_ext, b""), bh.endian)[0]
    ns_field = F_NS_BIN if bh.ns else F_NS_TRACE
    if ns == 0:
        raise InputError(
            "{path}: the number of samples per trace is 0 in {field}; a SEG-Y trace needs at least one sample.",
            code="gpr.segy.samples", path=str(path), field=f"{F_NS_BIN} and {F_NS_TRACE}")
    trace_bytes = TRACE_HEADER_BYTES + ns * bps
    raise InputError(
        "{path}: trace count inconsistent with file size: the {body} bytes after byte {offset} are not a whole "
        "number of {trace_bytes}-byte traces (240-byte trace header + {ns} samples of {bps} bytes, {field}).",
        code="gpr.segy.size", path=str(path), body=size - data_offset, offset=data_offset, trace_bytes=trace_bytes,
        ns=ns, bps=bps, field=ns_field)


# --------------------------------------------------------------------------------------------
# trace header fields
# --------------------------------------------------------------------------------------------
def _header_dtype(endian: str, itemsize: int) -> np.dtype:
    names = list(_TRACE_FIELDS)
    return np.dtype({
        "names": names,
        "formats": [endian + _TRACE_FIELDS[n][0] for n in names],
        "offsets": [_TRACE_FIELDS[n][1] for n in names],
        "itemsize": itemsize,
    })


def _read_trace_fields(path: Path, lay: _Layout, endian: str, bps: int, header_bytes: bytes | None,
                       warnings: list[str]) -> tuple[dict[str, np.ndarray], str]:
    """The trace-header fields of every trace (float64 arrays).

    Up to :data:`FULL_HEADER_TRACES` traces every header is read. Larger
    files are sampled first (about :data:`SAMPLED_HEADERS` headers spread over
    the file); when every sampled field is exactly linear in the trace index
    (constant, or evenly spaced positions), the fields are interpolated and
    the file opens in constant time; otherwise every header is read.
    """
    n = lay.n_traces
    if lay.variable is not None:
        assert header_bytes is not None
        hd = _header_dtype(endian, TRACE_HEADER_BYTES)
        arr = np.frombuffer(header_bytes, dtype=hd, count=n)
        return {name: arr[name].astype(np.float64) for name in _TRACE_FIELDS}, "all"
    trace_bytes = TRACE_HEADER_BYTES + lay.ns * bps
    if n > FULL_HEADER_TRACES:
        idx = np.unique(np.linspace(0, n - 1, SAMPLED_HEADERS).round().astype(np.int64))
        raw_headers = bytearray()
        with open(path, "rb") as fh:  # 240 bytes per sampled trace (fancy indexing would touch every page)
            for i in idx.tolist():
                fh.seek(lay.data_offset + i * trace_bytes)
                raw_headers += fh.read(TRACE_HEADER_BYTES)
        if len(raw_headers) != idx.size * TRACE_HEADER_BYTES:
            raise OSError(f"short read in the trace headers of {path}")
        sampled_arr = np.frombuffer(bytes(raw_headers), dtype=_header_dtype(endian, TRACE_HEADER_BYTES))
        sampled = {name: sampled_arr[name].astype(np.int64) for name in _TRACE_FIELDS}
        if all(_exactly_linear(idx, values, n) for values in sampled.values()):
            span = np.arange(n, dtype=np.float64) / (n - 1)
            fields = {name: values[0] + (values[-1] - values[0]) * span for name, values in sampled.items()}
            warnings.append(f"Trace headers: {len(idx)} of the {n} trace headers were read; their fields are "
                            "constant or evenly spaced, so the others were interpolated (large file, constant-"
                            "time open).")
            return fields, f"sampled {len(idx)} of {n}, interpolated"
    # every header, a chunk of traces mapped at a time (bounded resident memory)
    hd = _header_dtype(endian, trace_bytes)
    fields = {name: np.empty(n, dtype=np.float64) for name in _TRACE_FIELDS}
    chunk = 1 << 16
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        part = np.memmap(path, dtype=hd, mode="r", offset=lay.data_offset + start * trace_bytes,
                         shape=(stop - start,))
        for name in _TRACE_FIELDS:
            fields[name][start:stop] = part[name]
        del part
    return fields, "all"


def _exactly_linear(idx: np.ndarray, values: np.ndarray, n: int) -> bool:
    """True when integer values at indices idx lie exactly on the line through
    the first and last trace (integer arithmetic, no rounding)."""
    if idx[0] != 0 or idx[-1] != n - 1:
        return False
    v0, v1 = int(values[0]), int(values[-1])
    return bool(np.all((values - v0) * (n - 1) == (v1 - v0) * idx))


# --------------------------------------------------------------------------------------------
# coordinates
# --------------------------------------------------------------------------------------------
@dataclass
class Positions:
    """Trace positions decoded from the trace headers."""

    interpretation: str  #: 'along-line distance', 'map coordinates', 'geographic coordinates' or 'none'
    reason: str
    distance_m: np.ndarray | None = None
    x: np.ndarray | None = None
    y: np.ndarray | None = None
    z: np.ndarray | None = None
    crs: str = ""
    trace_spacing_m: float | None = None
    source: str = ""  #: which header fields
    scalar_applied: str = ""
    warnings: list[str] = field(default_factory=list)


def _scale_factor(scalar: np.ndarray) -> np.ndarray:
    """SEG-Y scalar rule: negative divides, positive multiplies, 0 means 1."""
    s = scalar.astype(np.float64)
    out = np.ones_like(s)
    pos, neg = s > 0, s < 0
    out[pos] = s[pos]
    out[neg] = 1.0 / -s[neg]
    return out


def _median_step(px: np.ndarray, py: np.ndarray) -> float:
    if px.size < 2:
        return 0.0
    steps = np.hypot(np.diff(px), np.diff(py))
    steps = steps[steps > 0]
    return float(np.median(steps)) if steps.size else 0.0


def _dms_to_degrees(v: np.ndarray) -> np.ndarray:
    """DDDMMSS.ss (coordinate units 4) to decimal degrees."""
    a = np.abs(v)
    d = np.floor(a / 10000.0)
    m = np.floor((a - d * 10000.0) / 100.0)
    s = a - d * 10000.0 - m * 100.0
    return np.sign(v) * (d + m / 60.0 + s / 3600.0)


def _spacing(distance: np.ndarray) -> float | None:
    if distance.size < 2:
        return None
    step = np.abs(np.diff(distance))
    med = float(np.median(step))
    if med <= 0:
        nonzero = step[step > 0]
        med = float(np.median(nonzero)) if nonzero.size else 0.0
    return med if med > 0 and math.isfinite(med) else None


def interpret_positions(fields: dict[str, np.ndarray], measurement_system: int = 1) -> Positions:
    """Decide what the coordinate fields of the trace headers mean.

    :param fields: per-trace raw values ``sx, sy, gx, gy, cdpx, cdpy, scalar,
        units, elevation, elevation_scalar``.
    :param measurement_system: binary header bytes 3255-3256 (1 m, 2 ft).
    """
    n = fields["sx"].size
    warnings: list[str] = []
    cdp = np.any(fields["cdpx"] != 0) or np.any(fields["cdpy"] != 0)
    src = np.any(fields["sx"] != 0) or np.any(fields["sy"] != 0)
    grp = np.any(fields["gx"] != 0) or np.any(fields["gy"] != 0)
    if cdp:
        px, py, source = fields["cdpx"], fields["cdpy"], "CDP X/Y (trace header bytes 181-188)"
    elif src and grp:
        px, py = (fields["sx"] + fields["gx"]) / 2.0, (fields["sy"] + fields["gy"]) / 2.0
        source = "midpoint of SourceX/Y and GroupX/Y (trace header bytes 73-88)"
        if np.array_equal(fields["sx"], fields["gx"]) and np.array_equal(fields["sy"], fields["gy"]):
            source = "SourceX/Y = GroupX/Y (trace header bytes 73-88)"
    elif grp:
        px, py, source = fields["gx"], fields["gy"], "GroupX/Y (trace header bytes 81-88)"
    elif src:
        px, py, source = fields["sx"], fields["sy"], "SourceX/Y (trace header bytes 73-80)"
    else:
        return Positions("none", "all coordinate fields (SourceX/Y, GroupX/Y, CDP X/Y) are zero", source="")
    px = px.astype(np.float64)
    py = py.astype(np.float64)

    units_values = fields["units"][fields["units"] != 0]
    units = int(units_values[0]) if units_values.size else 0
    if units_values.size and np.any(units_values != units):
        warnings.append(f"{F_UNITS} differs between traces; {units} (first trace) was used.")
    if units not in (0, 1, 2, 3, 4):
        warnings.append(f"{F_UNITS} = {units} is not a SEG-Y code (1 length, 2 arc seconds, 3 degrees, 4 DMS); "
                        "length was assumed.")
        units = 1
    if units == 0:
        warnings.append(f"{F_UNITS} is 0 (unset); length units were assumed.")
        units = 1

    scalar = fields["scalar"]
    factor = _scale_factor(scalar)
    s_pos = scalar[scalar > 1]
    scalar_applied = "as in the file"
    if units == 1 and s_pos.size:
        s_med = float(np.median(s_pos))
        raw_step = _median_step(px, py)
        peak = float(np.max(np.abs(np.concatenate([px, py]))))
        absurd = (raw_step * s_med > 100.0) if raw_step > 0 else (peak * s_med > 1e8)
        sensible = (1e-3 <= raw_step / s_med <= 100.0) if raw_step > 0 else (peak / s_med <= 1e8)
        if absurd and sensible:
            factor = np.where(scalar > 1, 1.0 / np.maximum(scalar, 1), factor)
            scalar_applied = f"as a divisor (-{s_med:g} instead of +{s_med:g})"
            warnings.append(
                f"Coordinates: {F_SCALAR} is +{s_med:g}, which would put the traces {raw_step * s_med:g} m apart "
                f"(up to {peak * s_med:g} m); the values look like 1/{s_med:g} units (e.g. millimetres), so the "
                f"scalar was applied as a divisor (-{s_med:g}), as GPR exporters such as RGPR mean it.")
    px = px * factor
    py = py * factor

    z = None
    if np.any(fields["elevation"] != 0):
        zf = _scale_factor(fields["elevation_scalar"])
        z = fields["elevation"].astype(np.float64) * zf
        if np.any(fields["elevation_scalar"] > 1) and np.max(np.abs(z)) > 1e4:
            z = fields["elevation"] / np.where(fields["elevation_scalar"] > 1, fields["elevation_scalar"], 1.0)
            warnings.append("Elevations: the positive elevation scalar (trace header bytes 69-70) gave heights "
                            "beyond 10 km; it was applied as a divisor.")

    to_m = 0.3048 if measurement_system == 2 else 1.0
    if units in (2, 3, 4):
        if units == 2:
            lon, lat = px / 3600.0, py / 3600.0
        elif units == 3:
            lon, lat = px, py
        else:
            lon, lat = _dms_to_degrees(px), _dms_to_degrees(py)
        if np.any(np.abs(lat) > 90) or np.any(np.abs(lon) > 360):
            warnings.append(f"Coordinates: {F_UNITS} says geographic but values exceed ±90°/±360°; they were not "
                            "used as positions.")
            return Positions("none", "geographic coordinates out of range", source=source, warnings=warnings)
        r = 6371008.8
        lat_mid = np.radians((lat[1:] + lat[:-1]) / 2.0)
        dx = np.radians(np.diff(lon)) * np.cos(lat_mid) * r
        dy = np.radians(np.diff(lat)) * r
        distance = np.concatenate([[0.0], np.cumsum(np.hypot(dx, dy))])
        warnings.append("Coordinates are geographic (longitude/latitude); WGS 84 (EPSG:4326) was assumed because "
                        "SEG-Y does not name the datum in the trace headers.")
        return Positions("geographic coordinates", f"{F_UNITS} = {units} (geographic); positions from {source}",
                         distance_m=distance, x=lon, y=lat, z=z, crs="EPSG:4326", trace_spacing_m=_spacing(distance),
                         source=source, scalar_applied=scalar_applied, warnings=warnings)

    x_varies = n > 1 and np.ptp(px) > 0
    y_varies = n > 1 and np.ptp(py) > 0
    if np.all(py == 0) and (x_varies or n == 1):
        distance = px * to_m
        reason = (f"y is 0 for every trace and x varies: x is the along-line distance ({source}, "
                  f"{'feet' if to_m != 1 else 'metres'} after the scalar {scalar_applied})")
        interp = "along-line distance"
    elif np.all(px == 0) and y_varies:
        distance = py * to_m
        reason = f"x is 0 for every trace and y varies: y is the along-line distance ({source})"
        interp = "along-line distance"
    else:
        distance = None
        interp = "map coordinates"
        reason = (f"x and y are not a single along-line axis (y is not 0 everywhere): map coordinates in an "
                  f"unknown CRS (crs left empty) from {source}, scalar applied {scalar_applied}")
    if distance is not None:
        if distance.size > 1 and np.any(np.diff(distance) < 0):
            warnings.append("Trace positions: the along-line distance is not increasing along the file.")
        return Positions(interp, reason, distance_m=distance, trace_spacing_m=_spacing(distance), source=source,
                         scalar_applied=scalar_applied, warnings=warnings)
    distance = np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(px), np.diff(py)))]) * to_m
    return Positions(interp, reason, distance_m=distance, x=px, y=py, z=z, crs="",
                     trace_spacing_m=_spacing(distance), source=source, scalar_applied=scalar_applied,
                     warnings=warnings)


# --------------------------------------------------------------------------------------------
# sample interval unit
# --------------------------------------------------------------------------------------------
def decide_dt_unit(dt_field: int, ns: int, text: str, *, little_endian_without_marker: bool = False,
                   trace_spacing_m: float | None = None) -> tuple[str, str, list[tuple[float, str]]]:
    """Decide whether a SEG-Y sample-interval field is in picoseconds (GPR
    convention) or microseconds (seismic convention).

    Evidence is weighed: an explicit statement in the textual header decides;
    GPR or seismic words, the plausibility of the trace length under each
    unit, standard seismic sampling intervals, a sub-metre trace spacing, a
    little-endian byte order and a non-standard textual header add weight. A
    small prior favours picoseconds (this is a GPR reader).

    :return: (``'ps'`` or ``'us'``, a sentence explaining why, the evidence as
        (weight, text) with positive weights for picoseconds).
    """
    evidence: list[tuple[float, str]] = [(0.5, "PipeMap reads SEG-Y as GPR unless the file says otherwise")]
    statement = None
    for line in text.split("\n"):
        m = _UNIT_STATEMENT.search(line)
        if m:
            statement = (m.group(1), line.strip())
            break
    if statement:
        word = statement[0].upper().replace("-", "").replace(" ", "")
        if word.startswith(("PICO", "PS", "NANO", "NS")):
            evidence.append((10.0, f"the textual header states it: {statement[1]!r}"))
        else:
            evidence.append((-10.0, f"the textual header states it: {statement[1]!r}"))
    gpr_words = sorted({m.group(1).upper() for m in _GPR_TERMS.finditer(text)})
    seismic_words = sorted({m.group(1).upper() for m in _SEISMIC_TERMS.finditer(text)})
    if gpr_words:
        evidence.append((3.0, f"the textual header mentions {', '.join(gpr_words[:5])}"))
    if seismic_words:
        evidence.append((-3.0, f"the textual header mentions {', '.join(seismic_words[:5])}"))
    if dt_field > 0 and ns > 0:
        window_ns = ns * dt_field / 1000.0
        record_s = ns * dt_field / 1e6
        ps_ok = 1 <= dt_field <= 20000 and 2.0 <= window_ns <= 20000.0
        us_ok = 10 <= dt_field <= 16000 and 0.02 <= record_s <= 60.0
        if ps_ok and not us_ok:
            evidence.append((4.0, f"{ns} samples x {dt_field} make a plausible {window_ns:g} ns radar window but "
                                  f"an implausible {record_s * 1000:g} ms seismic record"))
        elif us_ok and not ps_ok:
            evidence.append((-4.0, f"{ns} samples x {dt_field} make a plausible {record_s:g} s seismic record but "
                                   f"an implausible {window_ns:g} ns radar window"))
        if dt_field in SEISMIC_INTERVALS_US:
            evidence.append((-1.5, f"{dt_field} µs is a standard seismic sampling interval"))
        else:
            evidence.append((1.0, f"{dt_field} is not a standard seismic sampling interval in µs"))
    if trace_spacing_m is not None:
        if trace_spacing_m < 1.0:
            evidence.append((2.0, f"the traces are {trace_spacing_m:g} m apart, typical of GPR"))
        elif trace_spacing_m > 2.0:
            evidence.append((-2.0, f"the traces are {trace_spacing_m:g} m apart, typical of seismic"))
    if little_endian_without_marker:
        evidence.append((1.0, "the file is little-endian, as GPR exporters write it (seismic SEG-Y rev 1 is "
                              "big-endian)"))
    if text.strip() and not _card_style(text):
        evidence.append((1.0, "the textual header is not in the standard 'C 1' card layout of seismic software"))
    elif not text.strip():
        evidence.append((0.5, "the textual header is blank"))
    score = sum(w for w, _ in evidence)
    unit = "ps" if score > 0 else "us"
    side = [t for w, t in sorted(evidence, key=lambda e: -abs(e[0])) if (w > 0) == (unit == "ps")]
    against = [t for w, t in sorted(evidence, key=lambda e: -abs(e[0])) if (w > 0) != (unit == "ps")]
    reason = "; ".join(side[:4])
    if against:
        reason += f" (against: {'; '.join(against[:2])})"
    return unit, reason, evidence


def _antenna_frequency(text: str) -> float | None:
    """Centre frequency (MHz) named in the textual header, e.g. '250 MHz'."""
    best = None
    for line in text.split("\n"):
        for m in _FREQUENCY.finditer(line):
            value = float(m.group(1)) * (1000.0 if m.group(2).upper() == "GHZ" else 1.0)
            if not 1.0 <= value <= 10000.0:
                continue
            if "ANTENN" in line.upper():
                return value
            if best is None:
                best = value
    return best


# --------------------------------------------------------------------------------------------
# reader
# --------------------------------------------------------------------------------------------
def read_segy(path: str | os.PathLike[str], *, sample_interval_ns: float | None = None) -> list[Radargram]:
    """Read a SEG-Y file as one GPR profile.

    :param path: the ``.sgy``/``.segy`` file.
    :param sample_interval_ns: the sample interval in nanoseconds, overriding
        the file's field and the picosecond/microsecond decision.
    :return: one :class:`Radargram` (``format='segy'``) whose ``raw`` is a
        memory-mapped traces x samples view (a lazily converting
        :class:`IbmFloatTraces` for IBM floats).
    :raises InputError: the file is missing, not SEG-Y, truncated, uses an
        unsupported sample format, or its sizes disagree; the message names
        the file and the header field.
    """
    p = Path(path)
    if sample_interval_ns is not None:
        try:
            override = float(sample_interval_ns)
        except (TypeError, ValueError):
            override = float("nan")
        if not (math.isfinite(override) and override > 0):
            raise InputError(
                "The sample interval override {field} for {path} must be a positive number of nanoseconds; "
                "got {value!r}.", code="gpr.segy.dt_override", path=str(p), field=F_OVERRIDE,
                value=sample_interval_ns)
    if not p.is_file():
        raise InputError("The GPR file {path} does not exist.", code="gpr.missing", path=str(p))
    warnings: list[str] = []
    try:
        size = p.stat().st_size
        if size < FILE_HEADER_BYTES + TRACE_HEADER_BYTES:
            raise InputError(
                "{path} is too short to be a SEG-Y file ({size} bytes): {field} and at least one 240-byte trace "
                "header need 3840 bytes.", code="gpr.segy.short", path=str(p), size=size,
                field=f"{F_TEXT}, {F_BINARY}")
        with open(p, "rb") as fh:
            head = fh.read(FILE_HEADER_BYTES + TRACE_HEADER_BYTES)
            text, encoding = decode_text(head[:TEXT_BYTES])
            bh, endian_reason, ambiguous = _choose_endian(head[TEXT_BYTES:FILE_HEADER_BYTES],
                                                          head[FILE_HEADER_BYTES:], size)
            if bh.format_code not in SAMPLE_FORMATS:
                raise InputError(
                    "{path}: the SEG-Y sample format code {value} ({field}) is not supported; PipeMap reads codes "
                    "1 (IBM float), 2 (32-bit integer), 3 (16-bit integer), 5 (IEEE float) and 8 (8-bit integer).",
                    code="gpr.segy.format", path=str(p), value=bh.format_code, field=F_FORMAT)
            kind, bps, format_name = SAMPLE_FORMATS[bh.format_code]
            if bh.name == "little" or ambiguous:
                warnings.append(f"Byte order: {endian_reason}.")
            lay = _layout(fh, p, size, bh, bps, warnings)
            extended_text = ""
            if lay.data_offset > FILE_HEADER_BYTES:
                fh.seek(FILE_HEADER_BYTES)
                blocks = fh.read(lay.data_offset - FILE_HEADER_BYTES)
                extended_text = "\n".join(decode_text(blocks[i:i + TEXT_BYTES])[0]
                                          for i in range(0, len(blocks), TEXT_BYTES))
            variable_headers = None
            raw_variable = None
            if lay.variable is not None:
                offsets, counts = lay.variable
                raw_variable = np.zeros((lay.n_traces, lay.ns), dtype=bh.endian + kind)
                headers = bytearray(lay.n_traces * TRACE_HEADER_BYTES)
                for i, (off, cnt) in enumerate(zip(offsets.tolist(), counts.tolist())):
                    fh.seek(off)
                    record = fh.read(TRACE_HEADER_BYTES + cnt * bps)
                    headers[i * TRACE_HEADER_BYTES:(i + 1) * TRACE_HEADER_BYTES] = record[:TRACE_HEADER_BYTES]
                    raw_variable[i, :cnt] = np.frombuffer(record, dtype=bh.endian + kind, count=cnt,
                                                          offset=TRACE_HEADER_BYTES)
                variable_headers = bytes(headers)
        fields, headers_read = _read_trace_fields(p, lay, bh.endian, bps, variable_headers, warnings)
        if raw_variable is not None:
            raw: Any = raw_variable
        else:
            record = np.dtype([("hdr", f"V{TRACE_HEADER_BYTES}"), ("s", bh.endian + kind, (lay.ns,))])
            traces = np.memmap(p, dtype=record, mode="r", offset=lay.data_offset, shape=(lay.n_traces,))
            raw = traces["s"]
    except OSError as exc:
        raise InputError("{path} cannot be read: {reason}", code="gpr.segy.unreadable", path=str(p),
                         reason=exc.strerror or str(exc)) from None
    if bh.format_code == 1:
        raw = IbmFloatTraces(raw)

    full_text = text + ("\n" + extended_text if extended_text else "")

    # positions
    pos = interpret_positions(fields, bh.measurement_system)
    warnings.extend(pos.warnings)
    if pos.interpretation == "none":
        warnings.append("Trace positions: the trace headers hold no coordinates; give the trace spacing.")

    # sample interval
    dt_bin = bh.dt
    dt_tr = int(fields["dt"][0]) if fields["dt"].size else 0
    if dt_bin and dt_tr and dt_bin != dt_tr:
        warnings.append(f"Sample interval: {F_DT_BIN} holds {dt_bin} but {F_DT_TRACE} of the first trace holds "
                        f"{dt_tr}; the binary header was used.")
    dt_field, dt_field_name = (dt_bin, F_DT_BIN) if dt_bin else (dt_tr, F_DT_TRACE)
    unit = None
    unit_reason = ""
    if dt_field:
        unit, unit_reason, _ = decide_dt_unit(
            dt_field, lay.ns, full_text,
            little_endian_without_marker=(bh.endian == "<" and bh.byte_order_marker != 0x01020304),
            trace_spacing_m=pos.trace_spacing_m)
    if sample_interval_ns is not None:
        dt_ns = float(sample_interval_ns)
        dt_unit = "override"
        if dt_field:
            would = dt_field / 1000.0 if unit == "ps" else dt_field * 1000.0
            warnings.append(f"Sample interval: {dt_ns:g} ns as given (sample_interval_ns); the file's field "
                            f"({dt_field_name}) holds {dt_field}, which would have been read as "
                            f"{'picoseconds' if unit == 'ps' else 'microseconds'} ({would:g} ns).")
        else:
            warnings.append(f"Sample interval: {dt_ns:g} ns as given (sample_interval_ns); the file's fields are 0.")
    else:
        if not dt_field:
            raise InputError(
                "{path}: the sample interval is 0 in {field}; give the sample interval (sample_interval_ns) to read "
                "this file.", code="gpr.segy.dt", path=str(p), field=f"{F_DT_BIN} and {F_DT_TRACE}")
        assert unit is not None
        dt_ns = dt_field / 1000.0 if unit == "ps" else dt_field * 1000.0
        exact = _DT_NS_STATEMENT.search(full_text)
        if exact and math.isfinite(float(exact.group(1)) * 1000.0):  # DT_NS=1e308 is no interval
            stated = float(exact.group(1))
            field_of_stated = round(stated * 1000.0) if unit == "ps" else round(stated / 1000.0)
            if stated > 0 and field_of_stated == dt_field and stated != dt_ns:
                dt_ns = stated
                unit_reason += f"; the exact value DT_NS={stated!r} from the textual header was used"
        dt_unit = unit
        if unit == "ps":
            warnings.append(f"Sample interval: {dt_field_name} holds {dt_field}; picoseconds were "
                            f"assumed (GPR convention), i.e. {dt_ns:g} ns, because {unit_reason}. If the file "
                            f"follows the seismic convention (microseconds), read it with "
                            f"sample_interval_ns={dt_field * 1000.0:g}.")
        else:
            warnings.append(f"Sample interval: {dt_field_name} holds {dt_field}; microseconds were "
                            f"assumed (seismic convention), i.e. {dt_ns:g} ns, because {unit_reason}. If the file "
                            f"is GPR with picoseconds, read it with sample_interval_ns={dt_field / 1000.0:g}.")
    ns_tr0 = int(fields["ns"][0]) if fields["ns"].size else 0
    if lay.variable is None and ns_tr0 and ns_tr0 != lay.ns:
        warnings.append(f"{F_NS_TRACE} of the first trace says {ns_tr0} samples; {lay.ns} ({lay.ns_field}) fits "
                        "the file size and was used.")

    header: dict[str, Any] = {
        "endian": bh.name,
        "endian_reason": endian_reason,
        "text_encoding": encoding,
        "textual_header": text,
        "extended_textual_headers": extended_text,
        "n_extended_headers": (lay.data_offset - FILE_HEADER_BYTES) // TEXT_BYTES,
        "revision": f"{bh.revision >> 8}.{bh.revision & 0xFF}",
        "fixed_length": bh.fixed_length,
        "format_code": bh.format_code,
        "sample_format": format_name,
        "n_samples": lay.ns,
        "n_traces": lay.n_traces,
        "samples_field": lay.ns_field,
        "data_offset": lay.data_offset,
        "trace_bytes": TRACE_HEADER_BYTES + lay.ns * bps,
        "memory_mapped": lay.variable is None,
        "trace_headers_read": headers_read,
        "dt_field": dt_field,
        "dt_field_name": dt_field_name,
        "dt_binary": dt_bin,
        "dt_trace": dt_tr,
        "dt_unit_assumed": dt_unit,
        "dt_unit_detected": unit,
        "dt_unit_reason": unit_reason,
        "measurement_system": bh.measurement_system,
        "coordinate_interpretation": pos.interpretation,
        "coordinate_reason": pos.reason,
        "coordinate_source": pos.source,
        "coordinate_scalar": int(fields["scalar"][0]) if fields["scalar"].size else 0,
        "coordinate_scalar_applied": pos.scalar_applied,
        "coordinate_units": int(fields["units"][0]) if fields["units"].size else 0,
    }
    time_zero_ns = 0.0
    tz = _TIME_ZERO_STATEMENT.search(full_text)
    if tz and math.isfinite(float(tz.group(1))):
        time_zero_ns = float(tz.group(1))
        header["time_zero_source"] = "TIME_ZERO_NS in the textual header"
    rg = Radargram(
        path=p,
        format="segy",
        dt_ns=float(dt_ns),
        raw=raw,
        antenna=Antenna(frequency_mhz=_antenna_frequency(full_text)),
        distance_m=pos.distance_m,
        trace_spacing_m=pos.trace_spacing_m,
        time_zero_ns=time_zero_ns,
        x=pos.x,
        y=pos.y,
        z=pos.z,
        crs=pos.crs,
        header=header,
        warnings=warnings,
    )
    return [rg]
