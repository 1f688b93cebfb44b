"""SEG-Y for GPR: reader (byte order, formats, ps/µs, coordinates), writer,
robustness (corrupt files, fuzzing) and memory mapping.

segyio (an independent SEG-Y library) is the reference where it applies.
Test files are built byte by byte here with ``struct`` (``build_segy``),
independently of PipeMap's writer.
"""

from __future__ import annotations

import atexit
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest

from pipemap.core.errors import InputError, OutputError
from pipemap.core.gpr import readers
from pipemap.core.gpr.model import Antenna, Radargram
from pipemap.core.gpr.readers import segy
from pipemap.core.gpr.segy_write import write_segy
from pipemap.core.version import __version__

REAL = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "gpr" / "real"
REAL_SEGY = REAL / "segy" / "rgpr" / "test.sgy"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def need(path: Path) -> Path:
    if not path.is_file():
        if IN_CI:
            pytest.fail(f"real GPR sample file missing in CI: {path}")
        pytest.skip(f"real GPR sample file not available: {path}")
    return path


def segyio_or_skip():
    try:
        import segyio
    except ImportError:
        if IN_CI:
            pytest.fail("segyio is required in CI (requirements-dev.txt)")
        pytest.skip("segyio is not installed")
    return segyio


# --------------------------------------------------------------------------------------------
# an independent SEG-Y builder (struct, byte by byte)
# --------------------------------------------------------------------------------------------
NUMPY_KIND = {1: "u4", 2: "i4", 3: "i2", 5: "f4", 8: "i1"}
BPS = {1: 4, 2: 4, 3: 2, 5: 4, 8: 1}


def text_block(lines: list[str] | str = "", encoding: str = "ascii", cards: bool = True) -> bytes:
    if isinstance(lines, str):
        raw = lines.encode("ascii").ljust(3200, b"\0")[:3200]
        return raw if encoding == "ascii" else raw.decode("ascii").encode("cp037")
    cards_text = "".join((f"C{i + 1:2d} {line}" if cards else line)[:80].ljust(80) for i, line in
                         enumerate(list(lines) + [""] * (40 - len(lines))))
    return cards_text.encode("ascii") if encoding == "ascii" else cards_text.encode("cp037")


def build_segy(path: Path, samples: np.ndarray, *, fmt: int = 5, endian: str = ">", dt: int = 400,
               ns_binary: int | None = None, text: bytes | None = None, trace: dict | None = None,
               binary: dict | None = None, extended: list[bytes] | None = None,
               per_trace_ns: list[int] | None = None) -> Path:
    """Write a SEG-Y file by hand.

    :param samples: traces x samples values (raw words for format 1).
    :param trace: trace-header fields: {(offset, struct code): value or per-trace list}.
    :param binary: binary-header fields: {(offset, struct code): value}.
    """
    samples = np.asarray(samples)
    n, ns = samples.shape
    out = bytearray(text if text is not None else text_block(["SYNTHETIC"]))
    b = bytearray(400)
    fields = {(16, "H"): dt, (20, "H"): ns if ns_binary is None else ns_binary, (24, "H"): fmt,
              (304, "h"): len(extended or [])}
    fields.update(binary or {})
    for (off, code), value in fields.items():
        struct.pack_into(endian + code, b, off, value)
    out += b
    for block in extended or []:
        out += block
    for i in range(n):
        h = bytearray(240)
        this_ns = per_trace_ns[i] if per_trace_ns else ns
        base = {(0, "i"): i + 1, (4, "i"): i + 1, (114, "H"): this_ns, (116, "H"): dt}
        for key, value in {**base, **(trace or {})}.items():
            v = value[i] if isinstance(value, (list, tuple, np.ndarray)) else value
            struct.pack_into(endian + key[1], h, key[0], int(v))
        out += h
        out += np.ascontiguousarray(samples[i, :this_ns], dtype=(endian + NUMPY_KIND[fmt])
                                    if fmt != 8 else "i1").tobytes()
    path.write_bytes(bytes(out))
    return path


def synthetic(n_traces: int = 12, n_samples: int = 64, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.normal(0.0, 100.0, (n_traces, n_samples)).astype(np.float32)


# IBM System/360 single precision, encoded by hand:
#   1.0       = 0x41 100000   (16^1 x 1/16)
#   -118.625  = 0xC2 76A000   (sign, 16^2 x 0x0.76A)
#   0.15625   = 0x40 280000   (16^0 x 0x0.28)
#   100.0     = 0x42 640000
#   0.1       = 0x40 19999A   (rounded IBM value 0.100000024)
#   -0.5      = 0xC0 800000
#   1/16^5    = 0x3C 100000
IBM_TABLE = [
    (0x41100000, 1.0),
    (0xC276A000, -118.625),
    (0x40280000, 0.15625),
    (0x42640000, 100.0),
    (0x4019999A, 0.100000023841857910156250),
    (0xC0800000, -0.5),
    (0x3C100000, 16.0 ** -5),
    (0x00000000, 0.0),
    (0x80000000, -0.0),
    (0x46FFFFFF, 16.0 ** 6 * (1 - 2.0 ** -24)),
]


# --------------------------------------------------------------------------------------------
# the real file
# --------------------------------------------------------------------------------------------
def test_real_file_reference_values():
    path = need(REAL_SEGY)
    assert segy.is_segy(path)
    assert readers.detect(path) == "segy"
    [rg] = segy.read_segy(path)
    assert rg.format == "segy"
    assert (rg.n_traces, rg.n_samples) == (223, 1000)
    assert rg.dt_ns == pytest.approx(0.4)
    assert rg.header["dt_unit_assumed"] == "ps"
    assert rg.header["dt_unit_reason"]
    assert any("picoseconds were assumed" in w and "0.4 ns" in w for w in rg.warnings)
    assert rg.header["endian"] == "little" and "little-endian" in rg.header["endian_reason"]
    assert rg.header["format_code"] == 5
    assert rg.header["text_encoding"] == "ascii"
    assert rg.header["textual_header"].startswith("A reel identification header")
    assert rg.header["memory_mapped"] is True and isinstance(rg.raw, np.memmap)
    data = rg.data
    assert data.shape == (1000, 223)
    assert data.min() == pytest.approx(-50.0) and data.max() == pytest.approx(50.0, abs=0.01)
    # coordinates: scalar +1000 applied as a divisor, x along the line in mm
    assert rg.header["coordinate_interpretation"] == "along-line distance"
    assert "divisor" in rg.header["coordinate_scalar_applied"]
    assert any("divisor" in w for w in rg.warnings)
    assert rg.distance_m[0] == 0.0 and rg.distance_m[-1] == pytest.approx(55.5)
    assert rg.trace_spacing_m == pytest.approx(0.25)
    assert rg.x is None and rg.y is None and rg.crs == ""
    assert rg.antenna.frequency_mhz is None


def test_real_file_samples_equal_segyio():
    segyio = segyio_or_skip()
    path = need(REAL_SEGY)
    [rg] = segy.read_segy(path)
    with segyio.open(path, endian="little", ignore_geometry=True) as f:
        ref = segyio.tools.collect(f.trace[:])
        assert f.tracecount == rg.n_traces
        gx = np.array([h[segyio.TraceField.GroupX] for h in f.header])
    # straight from the mapped file first (a block in the middle), then the whole radargram
    assert np.array_equal(rg.traces_float32(10, 20), ref[10:20].T)
    assert np.array_equal(rg.traces_float32(220, 223), ref[220:223].T)
    assert np.array_equal(rg.data, ref.T)
    assert np.allclose(rg.distance_m, gx / 1000.0)


def test_real_file_sample_interval_override():
    path = need(REAL_SEGY)
    [rg] = segy.read_segy(path, sample_interval_ns=0.5)
    assert rg.dt_ns == 0.5
    assert rg.header["dt_unit_assumed"] == "override" and rg.header["dt_unit_detected"] == "ps"
    assert any("sample_interval_ns" in w for w in rg.warnings)
    for bad in (0, -1, float("nan"), "x"):
        with pytest.raises(InputError, match="sample_interval_ns"):
            segy.read_segy(path, sample_interval_ns=bad)


@pytest.mark.parametrize("pattern", ["dzt/*/*.DZT", "dt1/*/*.DT1", "mala_rd3/*/*.rd3"])
def test_other_gpr_formats_are_not_segy(pattern):
    files = sorted(REAL.glob(pattern))
    if not files:
        need(REAL / pattern)
    for path in files:
        assert not segy.is_segy(path), path


# --------------------------------------------------------------------------------------------
# sample formats
# --------------------------------------------------------------------------------------------
def test_ibm_float_table():
    words = np.array([w for w, _ in IBM_TABLE], dtype=np.uint32)
    expected = np.array([v for _, v in IBM_TABLE], dtype=np.float64)
    for order in (">u4", "<u4"):
        encoded = words.astype(order)
        got = segy.ibm_to_float32(np.frombuffer(encoded.tobytes(), dtype=order))
        assert got.dtype == np.float32
        assert np.array_equal(got.astype(np.float64), expected.astype(np.float32).astype(np.float64))
    assert np.signbit(segy.ibm_to_float32(np.array([0x80000000], np.uint32)))[0]
    # beyond float32: clipped, below: zero
    big_small = segy.ibm_to_float32(np.array([0x7FFFFFFF, 0xFFFFFFFF, 0x00100000], dtype=np.uint32))
    assert big_small[0] == np.finfo(np.float32).max and big_small[1] == -np.finfo(np.float32).max
    assert big_small[2] == 0.0


def test_ibm_float_round_trip_against_ieee():
    """Every float32 with <= 21 significant bits has an exact IBM encoding."""
    rng = np.random.default_rng(3)
    values = (rng.integers(-2**20, 2**20, 5000) * 2.0 ** rng.integers(-40, 40, 5000)).astype(np.float64)
    words = []
    for v in values:
        if v == 0:
            words.append(0)
            continue
        sign = 0x80000000 if v < 0 else 0
        m, e = np.frexp(abs(v))  # v = m * 2^e, 0.5 <= m < 1
        exp16 = int(np.ceil(e / 4))
        frac = int(round(abs(v) / 16.0 ** exp16 * 2**24))
        words.append(sign | ((exp16 + 64) << 24) | frac)
    got = segy.ibm_to_float32(np.array(words, dtype=np.uint32))
    assert np.array_equal(got, values.astype(np.float32))


def test_ibm_file_reads_like_segyio(tmp_path):
    segyio = segyio_or_skip()
    words = np.array([[w for w, _ in IBM_TABLE[:8]]] * 3, dtype=np.uint32)
    path = build_segy(tmp_path / "ibm.sgy", words, fmt=1, dt=1000)
    [rg] = segy.read_segy(path)
    assert isinstance(rg.raw, segy.IbmFloatTraces) and rg.raw.shape == (3, 8)
    expected = np.array([v for _, v in IBM_TABLE[:8]], dtype=np.float32)
    assert np.array_equal(rg.data[:, 1], expected)
    assert np.array_equal(rg.traces_float32(2, 3)[:, 0], expected)
    with segyio.open(path, ignore_geometry=True) as f:
        assert np.array_equal(segyio.tools.collect(f.trace[:]).T, rg.data)


@pytest.mark.parametrize("fmt", [2, 3, 5, 8])
@pytest.mark.parametrize("endian", [">", "<"])
def test_sample_formats_match_segyio(tmp_path, fmt, endian):
    segyio = segyio_or_skip()
    limits = {2: 2**31 - 1, 3: 32767, 8: 127}
    rng = np.random.default_rng(fmt)
    if fmt == 5:
        values = synthetic(7, 33, seed=fmt)
    else:
        values = rng.integers(-limits[fmt] - 1, limits[fmt], (7, 33), endpoint=True)
        values[0, :2] = (-limits[fmt] - 1, limits[fmt])
    path = build_segy(tmp_path / f"f{fmt}.sgy", values, fmt=fmt, endian=endian, dt=250)
    [rg] = segy.read_segy(path)
    assert rg.header["endian"] == ("big" if endian == ">" else "little")
    assert rg.raw.dtype.kind == {2: "i", 3: "i", 5: "f", 8: "i"}[fmt]
    assert np.array_equal(np.asarray(rg.raw), values)
    with segyio.open(path, ignore_geometry=True, endian="big" if endian == ">" else "little") as f:
        ref = segyio.tools.collect(f.trace[:])
    assert np.array_equal(ref.astype(np.float64), np.asarray(rg.raw).astype(np.float64))
    assert np.array_equal(rg.data, values.T.astype(np.float32))


def test_unsupported_format_names_the_field(tmp_path):
    path = build_segy(tmp_path / "f6.sgy", np.zeros((2, 4)), fmt=5, binary={(24, "H"): 6})
    with pytest.raises(InputError) as err:
        segy.read_segy(path)
    assert "f6.sgy" in str(err.value) and "3225-3226" in str(err.value) and err.value.code == "gpr.segy.format"


# --------------------------------------------------------------------------------------------
# byte order, textual header, extended headers, trace lengths
# --------------------------------------------------------------------------------------------
def test_little_endian_without_marker_is_detected_and_explained(tmp_path):
    path = build_segy(tmp_path / "le.sgy", synthetic(5, 20), endian="<")
    [rg] = segy.read_segy(path)
    assert rg.header["endian"] == "little"
    assert "format code" in rg.header["endian_reason"]
    assert any(w.startswith("Byte order: little-endian") for w in rg.warnings)
    [big] = segy.read_segy(build_segy(tmp_path / "be.sgy", synthetic(5, 20), endian=">"))
    assert big.header["endian"] == "big" and not any(w.startswith("Byte order") for w in big.warnings)


@pytest.mark.parametrize("encoding", ["ascii", "ebcdic"])
def test_textual_header_encoding_and_antenna(tmp_path, encoding):
    text = text_block(["GSSI SIR-4000 SURVEY", "ANTENNA 400 MHZ SHIELDED", "TIME WINDOW 50 NS"], encoding)
    path = build_segy(tmp_path / "t.sgy", synthetic(4, 125), dt=400, text=text)
    assert segy.is_segy(path)
    [rg] = segy.read_segy(path)
    assert rg.header["text_encoding"] == encoding
    assert rg.header["textual_header"].split("\n")[1] == "C 2 ANTENNA 400 MHZ SHIELDED"
    assert rg.antenna.frequency_mhz == 400.0
    assert rg.header["dt_unit_assumed"] == "ps" and "GSSI" in rg.header["dt_unit_reason"]


def test_extended_textual_headers(tmp_path):
    ext = [text_block(["EXTENDED ONE"]), text_block(["EXTENDED TWO"])]
    values = synthetic(3, 10)
    [rg] = segy.read_segy(build_segy(tmp_path / "ext.sgy", values, extended=ext))
    assert rg.header["n_extended_headers"] == 2 and rg.header["data_offset"] == 3600 + 6400
    assert "EXTENDED TWO" in rg.header["extended_textual_headers"]
    assert np.array_equal(rg.data, values.T)
    # -1: variable count ending with the ((SEG: EndText)) stanza
    ext = [text_block(["((SEG: Example))"]), text_block(["((SEG: EndText))"])]
    path = build_segy(tmp_path / "ext1.sgy", values, extended=ext, binary={(304, "h"): -1})
    [rg] = segy.read_segy(path)
    assert rg.header["n_extended_headers"] == 2 and np.array_equal(rg.data, values.T)
    # a junk count (rev 0 files leave the field unassigned): fits only without -> warned
    path = build_segy(tmp_path / "junk.sgy", values, binary={(304, "h"): 3})
    [rg] = segy.read_segy(path)
    assert rg.header["n_extended_headers"] == 0 and any("extended textual" in w for w in rg.warnings)


def test_wrong_binary_sample_count_uses_trace_headers(tmp_path):
    values = synthetic(6, 30)
    [rg] = segy.read_segy(build_segy(tmp_path / "ns.sgy", values, ns_binary=31))
    assert rg.n_samples == 30 and np.array_equal(rg.data, values.T)
    assert any("115-116" in w for w in rg.warnings)


def test_variable_length_traces_are_padded(tmp_path):
    values = synthetic(5, 12)
    lengths = [12, 10, 12, 8, 11]
    path = build_segy(tmp_path / "var.sgy", values, per_trace_ns=lengths, ns_binary=12)
    [rg] = segy.read_segy(path)
    assert rg.n_traces == 5 and rg.n_samples == 12 and rg.header["memory_mapped"] is False
    for i, k in enumerate(lengths):
        assert np.array_equal(rg.data[:k, i], values[i, :k]) and not rg.data[k:, i].any()
    assert any("different lengths" in w for w in rg.warnings)


# --------------------------------------------------------------------------------------------
# sample interval unit
# --------------------------------------------------------------------------------------------
def test_seismic_file_from_segyio_is_microseconds(tmp_path):
    """segyio writes a seismic-style file (dt 1000 µs, its default textual
    header mentions nothing GPR) -> microseconds are assumed."""
    segyio = segyio_or_skip()
    path = tmp_path / "seismic.sgy"
    spec = segyio.spec()
    spec.format, spec.samples, spec.tracecount, spec.sorting = 5, list(range(500)), 4, None
    values = synthetic(4, 500)
    with segyio.create(str(path), spec) as f:
        f.bin.update({segyio.BinField.Interval: 1000})
        for i in range(4):
            f.header[i] = {segyio.TraceField.TRACE_SAMPLE_INTERVAL: 1000,
                           segyio.TraceField.TRACE_SAMPLE_COUNT: 500}
            f.trace[i] = values[i]
    [rg] = segy.read_segy(path)
    assert rg.header["dt_unit_assumed"] == "us"
    assert rg.dt_ns == 1_000_000.0
    assert any("microseconds were assumed" in w for w in rg.warnings)
    assert np.array_equal(rg.data, values.T)
    [rg] = segy.read_segy(path, sample_interval_ns=1.0)
    assert rg.dt_ns == 1.0 and rg.header["dt_unit_assumed"] == "override"


def test_seismic_card_header_with_group_interval_is_microseconds(tmp_path):
    text = text_block(["CLIENT  ACME   LINE 12", "", "RECORD LENGTH 2000", "END EBCDIC"], "ebcdic")
    gx = [i * 2500 for i in range(8)]  # 25 m with scalar -100
    path = build_segy(tmp_path / "s.sgy", synthetic(8, 500), dt=4000, text=text,
                      trace={(70, "h"): -100, (80, "i"): gx, (72, "i"): gx, (88, "h"): 1})
    [rg] = segy.read_segy(path)
    assert rg.header["dt_unit_assumed"] == "us" and rg.dt_ns == 4_000_000.0
    assert rg.trace_spacing_m == pytest.approx(25.0)
    assert "25 m apart" in rg.header["dt_unit_reason"]


@pytest.mark.parametrize(("statement", "unit"), [("SAMPLE INTERVAL 4 MS", "us"), ("SAMPLE RATE IN PICOSECONDS", "ps"),
                                                  ("SAMPLE INTERVAL UNIT: MICROSECONDS", "us")])
def test_explicit_statement_decides(tmp_path, statement, unit):
    path = build_segy(tmp_path / "x.sgy", synthetic(3, 100), dt=400, text=text_block([statement]))
    [rg] = segy.read_segy(path)
    assert rg.header["dt_unit_assumed"] == unit and "states it" in rg.header["dt_unit_reason"]


def test_implausible_lengths_decide():
    # 40 ps x 256 samples = 10 ns radar window; 40 µs x 256 = 10 ms is too short for seismic
    unit, reason, _ = segy.decide_dt_unit(40, 256, "")
    assert unit == "ps" and "implausible" in reason
    # 2000 x 4000 samples: 8 s seismic record; an 8000 ns radar window is still possible -> standard interval decides
    unit, reason, _ = segy.decide_dt_unit(2000, 4000, text_block(["CLIENT X"]).decode("ascii"))
    assert unit == "us"
    unit, _, _ = segy.decide_dt_unit(30000, 3000, "")  # 90 s seismic? 90 µs radar? both implausible -> prior
    assert unit in ("ps", "us")


def test_sample_interval_zero_names_the_field(tmp_path):
    path = build_segy(tmp_path / "dt0.sgy", synthetic(3, 10), dt=0)
    with pytest.raises(InputError) as err:
        segy.read_segy(path)
    assert "dt0.sgy" in str(err.value) and "3217-3218" in str(err.value) and "117-118" in str(err.value)
    [rg] = segy.read_segy(path, sample_interval_ns=0.1)
    assert rg.dt_ns == 0.1


# --------------------------------------------------------------------------------------------
# coordinates
# --------------------------------------------------------------------------------------------
def test_map_coordinates_from_cdp(tmp_path):
    n = 20
    e = 500_000.0 + np.arange(n) * 0.1
    nn = 4_400_000.0 + np.arange(n) * 0.05
    path = build_segy(tmp_path / "map.sgy", synthetic(n, 16), trace={
        (70, "h"): -100, (180, "i"): np.rint(e * 100), (184, "i"): np.rint(nn * 100), (88, "h"): 1})
    [rg] = segy.read_segy(path)
    assert rg.header["coordinate_interpretation"] == "map coordinates"
    assert "CDP" in rg.header["coordinate_source"]
    assert np.allclose(rg.x, e) and np.allclose(rg.y, nn) and rg.crs == ""
    assert rg.distance_m[-1] == pytest.approx(np.hypot(1.9, 0.95))
    assert rg.trace_spacing_m == pytest.approx(np.hypot(0.1, 0.05))


def test_geographic_arc_seconds(tmp_path):
    lon = 116.3 + np.arange(10) * 1e-5
    lat = 39.9 + np.zeros(10)
    path = build_segy(tmp_path / "geo.sgy", synthetic(10, 16), trace={
        (70, "h"): -1000, (72, "i"): np.rint(lon * 3600e3), (76, "i"): np.rint(lat * 3600e3), (88, "h"): 2})
    [rg] = segy.read_segy(path)
    assert rg.header["coordinate_interpretation"] == "geographic coordinates" and rg.crs == "EPSG:4326"
    assert np.allclose(rg.x, lon, atol=1e-8) and np.allclose(rg.y, lat, atol=1e-8)
    assert rg.trace_spacing_m == pytest.approx(1e-5 * np.pi / 180 * 6371008.8 * np.cos(np.radians(39.9)), rel=1e-3)


def test_no_coordinates(tmp_path):
    [rg] = segy.read_segy(build_segy(tmp_path / "none.sgy", synthetic(4, 16)))
    assert rg.header["coordinate_interpretation"] == "none"
    assert rg.distance_m is None and rg.trace_spacing_m is None
    assert any("no coordinates" in w for w in rg.warnings)


def test_proper_negative_scalar_is_not_flipped(tmp_path):
    gx = [i * 250 for i in range(10)]
    [rg] = segy.read_segy(build_segy(tmp_path / "mm.sgy", synthetic(10, 16),
                                     trace={(70, "h"): -1000, (80, "i"): gx}))
    assert rg.header["coordinate_scalar_applied"] == "as in the file"
    assert rg.distance_m[-1] == pytest.approx(2.25) and not any("divisor" in w for w in rg.warnings)


def test_large_file_header_sampling(tmp_path, monkeypatch):
    """Above FULL_HEADER_TRACES, evenly spaced positions are interpolated from
    sampled headers; irregular ones make the reader read every header."""
    monkeypatch.setattr(segy, "FULL_HEADER_TRACES", 50)
    monkeypatch.setattr(segy, "SAMPLED_HEADERS", 11)
    n = 301
    regular = [i * 50 for i in range(n)]
    [rg] = segy.read_segy(build_segy(tmp_path / "reg.sgy", np.zeros((n, 8)), trace={(70, "h"): -1000,
                                                                                   (80, "i"): regular}))
    assert rg.header["trace_headers_read"].startswith("sampled 11 of 301")
    assert np.allclose(rg.distance_m, np.array(regular) / 1000.0)
    irregular = list(regular)
    irregular[7] += 13  # not among the sampled traces: the documented limit of sampling (warned)
    [rg] = segy.read_segy(build_segy(tmp_path / "irr.sgy", np.zeros((n, 8)), trace={(70, "h"): -1000,
                                                                                   (80, "i"): irregular}))
    assert rg.header["trace_headers_read"].startswith("sampled")
    assert rg.distance_m[7] == pytest.approx(0.35) and any("interpolated" in w for w in rg.warnings)
    irregular[0] += 1  # sampled and not linear
    [rg] = segy.read_segy(build_segy(tmp_path / "irr2.sgy", np.zeros((n, 8)), trace={(70, "h"): -1000,
                                                                                    (80, "i"): irregular}))
    assert rg.header["trace_headers_read"] == "all"
    assert np.allclose(rg.distance_m, np.array(irregular) / 1000.0)


# --------------------------------------------------------------------------------------------
# writer
# --------------------------------------------------------------------------------------------
def radargram(n_traces: int = 37, n_samples: int = 300, **kw) -> Radargram:
    rg = Radargram(path=Path("line 7.dzt"), format="dzt", dt_ns=0.1171875, antenna=Antenna("GSSI 5103", 400.0),
                   distance_m=np.arange(n_traces) * 0.02 + 1.5, trace_spacing_m=0.02, **kw)
    rg._data = synthetic(n_traces, n_samples, seed=7).T.copy()
    rg.time_zero_ns = 2.34375
    rg.history = [("dewow", {"window_ns": 3.0}, __version__), ("gain", {"kind": "sec", "a": 0.5}, __version__)]
    return rg


@pytest.mark.parametrize("endian", ["big", "little"])
@pytest.mark.parametrize("text_encoding", ["ebcdic", "ascii"])
def test_writer_round_trip_segyio_and_reader(tmp_path, endian, text_encoding):
    segyio = segyio_or_skip()
    rg = radargram()
    path = write_segy(rg, tmp_path / "out.sgy", endian=endian, text_encoding=text_encoding,
                      textual_lines=["Site: Riverside Rd, 中文 name"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.sgy"]
    with segyio.open(path, endian=endian, ignore_geometry=True) as f:
        ref = segyio.tools.collect(f.trace[:])
        assert f.bin[segyio.BinField.Format] == 5 and f.bin[segyio.BinField.Interval] == 117
        assert f.bin[segyio.BinField.SEGYRevision] == 1
        gx = np.array([h[segyio.TraceField.GroupX] for h in f.header])
        scal = {h[segyio.TraceField.SourceGroupScalar] for h in f.header}
        seq = [h[segyio.TraceField.TRACE_SEQUENCE_FILE] for h in f.header]
        # segyio decodes the textual header as EBCDIC whatever it is
        text = bytes(f.text[0]).decode("ascii") if text_encoding == "ebcdic" else path.read_bytes()[:3200].decode()
    assert np.array_equal(ref, rg.data.T)
    assert scal == {-1000} and np.allclose(gx / 1000.0, rg.distance_m, atol=5e-4) and seq == list(range(1, 38))
    assert text.startswith("C 1 PipeMap") and "PICOSECONDS" in text and "dewow(window_ns=3.0)" in text
    assert "?? name" in text and text[3120:3200].startswith("C40 END TEXTUAL HEADER")

    [back] = segy.read_segy(path)
    assert back.header["endian"] == endian and back.header["text_encoding"] == text_encoding
    assert back.header["dt_unit_assumed"] == "ps" and back.dt_ns == rg.dt_ns  # exact DT_NS from the text
    assert np.array_equal(back.data, rg.data)
    assert np.allclose(back.distance_m, rg.distance_m, atol=5e-4)
    assert back.trace_spacing_m == pytest.approx(0.02)
    assert back.antenna.frequency_mhz == 400.0 and back.time_zero_ns == rg.time_zero_ns
    assert f"gain(kind=sec, a=0.5) (PipeMap {__version__})" in back.header["textual_header"]


def test_writer_georeferenced_round_trip(tmp_path):
    segyio = segyio_or_skip()
    n = 25
    rg = radargram(n, 64, x=500_000.0 + np.arange(n) * 0.05, y=4_400_000.0 + np.arange(n) * 0.02,
                   z=np.linspace(50.0, 51.0, n), crs="EPSG:32650")
    path = write_segy(rg, tmp_path / "geo.sgy")
    with segyio.open(path, ignore_geometry=True) as f:
        h = f.header[3]
        scalar = h[segyio.TraceField.SourceGroupScalar]
        assert scalar == -100  # mm would overflow 32 bits for a northing of 4.4e6 m
        assert h[segyio.TraceField.CDP_X] / 100.0 == pytest.approx(rg.x[3], abs=0.005)
        assert h[segyio.TraceField.CDP_Y] / 100.0 == pytest.approx(rg.y[3], abs=0.005)
    [back] = segy.read_segy(path)
    assert back.header["coordinate_interpretation"] == "map coordinates"
    assert np.allclose(back.x, rg.x, atol=0.005) and np.allclose(back.y, rg.y, atol=0.005)
    assert np.allclose(back.z, rg.z, atol=0.0005)
    assert "EPSG:32650" in back.header["textual_header"]


def test_writer_geographic_round_trip(tmp_path):
    n = 10
    rg = radargram(n, 32, x=116.3 + np.arange(n) * 2e-6, y=np.full(n, 39.9), crs="EPSG:4326")
    [back] = segy.read_segy(write_segy(rg, tmp_path / "ll.sgy", endian="little"))
    assert back.crs == "EPSG:4326" and back.header["coordinate_units"] == 2
    assert np.allclose(back.x, rg.x, atol=1e-8) and np.allclose(back.y, rg.y, atol=1e-8)


def test_writer_microseconds(tmp_path):
    segyio = segyio_or_skip()
    rg = radargram(6, 50)
    rg.dt_ns = 2_000_000.0  # 2 ms (a seismic-like sampling)
    path = write_segy(rg, tmp_path / "us.sgy", sample_interval_unit="us")
    with segyio.open(path, ignore_geometry=True) as f:
        assert f.bin[segyio.BinField.Interval] == 2000
    [back] = segy.read_segy(path)
    assert back.header["dt_unit_assumed"] == "us" and back.dt_ns == 2_000_000.0
    rg.dt_ns = 0.4
    with pytest.raises(OutputError, match="3217-3218"):
        write_segy(rg, tmp_path / "bad.sgy", sample_interval_unit="us")
    assert not (tmp_path / "bad.sgy").exists()


def test_writer_refuses_existing_and_is_atomic(tmp_path):
    rg = radargram(40, 100)
    target = tmp_path / "a.sgy"
    write_segy(rg, target)
    before = target.read_bytes()
    with pytest.raises(OutputError, match="already exists"):
        write_segy(rg, target, overwrite=False)
    assert target.read_bytes() == before
    # a failure in the middle leaves the old file untouched and no temporary file
    calls = []

    def failing(start, stop):
        calls.append(start)
        raise RuntimeError("disk on fire")

    rg2 = radargram(40, 100)
    rg2.traces_float32 = failing
    with pytest.raises(RuntimeError):
        write_segy(rg2, target, overwrite=True)
    assert calls and target.read_bytes() == before and sorted(tmp_path.iterdir()) == [target]
    rg3 = radargram(40, 100)
    rg3._data = rg3._data * 2
    write_segy(rg3, target, overwrite=True)
    [back] = segy.read_segy(target)
    assert np.array_equal(back.data, rg3.data)
    with pytest.raises(OutputError, match="does not exist"):
        write_segy(rg, tmp_path / "missing" / "x.sgy")
    nan = radargram(5, 10)
    nan.distance_m = np.array([0, 1, np.nan, 3, 4.0])
    with pytest.raises(OutputError, match="73-88"):
        write_segy(nan, tmp_path / "nan.sgy")


# --------------------------------------------------------------------------------------------
# corrupt input
# --------------------------------------------------------------------------------------------
def good_file(tmp_path: Path, name: str = "good.sgy", fmt: int = 5) -> Path:
    values = synthetic(5, 20) if fmt == 5 else np.arange(100).reshape(5, 20) % 100
    return build_segy(tmp_path / name, values, fmt=fmt, dt=400, trace={(70, "h"): -1000,
                                                                        (80, "i"): [0, 50, 100, 150, 200]})


def mutate(path: Path, offset: int, code: str, value: int, endian: str = ">") -> Path:
    data = bytearray(path.read_bytes())
    struct.pack_into(endian + code, data, offset, value)
    path.write_bytes(bytes(data))
    return path


CORRUPTIONS = {
    "truncated mid-trace": (lambda p: p.write_bytes(p.read_bytes()[:-7]), "inconsistent with file size"),
    "truncated in the headers": (lambda p: p.write_bytes(p.read_bytes()[:3000]), "too short"),
    "samples 0 everywhere": (lambda p: [mutate(p, 3220, "H", 0)] + [mutate(p, 3600 + i * 320 + 114, "H", 0)
                                                                    for i in range(5)], "is 0 in"),
    "samples huge": (lambda p: [mutate(p, 3220, "H", 65535)] + [mutate(p, 3600 + i * 320 + 114, "H", 65535)
                                                                for i in range(5)], "inconsistent with file size"),
    "format code 4": (lambda p: mutate(p, 3224, "H", 4), "3225-3226"),
    "format code 99": (lambda p: mutate(p, 3224, "H", 99), "3225-3226"),
    "extended -1 without EndText": (lambda p: mutate(p, 3504, "h", -1), "3505-3506"),
    "lying sample count": (lambda p: [mutate(p, 3220, "H", 21)] + [mutate(p, 3600 + i * 320 + 114, "H", 21)
                                                                   for i in range(5)], "inconsistent with file size"),
    "sample interval 0": (lambda p: [mutate(p, 3216, "H", 0)] + [mutate(p, 3600 + i * 320 + 116, "H", 0)
                                                                 for i in range(5)], "3217-3218"),
}


@pytest.mark.parametrize("case", sorted(CORRUPTIONS))
def test_corrupt_input_names_file_and_field(tmp_path, case):
    corrupt, expected = CORRUPTIONS[case]
    path = good_file(tmp_path, "broken file.sgy")
    corrupt(path)
    start = time.perf_counter()
    with pytest.raises(InputError) as err:
        segy.read_segy(path)
    assert time.perf_counter() - start < 2.0
    message = str(err.value)
    assert "broken file.sgy" in message and expected in message, message
    assert "bytes" in message or "too short" in message  # a header field (byte range) or the size is named


def test_random_bytes_and_missing_file(tmp_path):
    rng = random.Random(5)
    for i in range(20):
        path = tmp_path / f"random{i}.sgy"
        path.write_bytes(bytes(rng.getrandbits(8) for _ in range(rng.choice([0, 100, 3600, 5000, 20000]))))
        assert not segy.is_segy(path)
        with pytest.raises(InputError, match=f"random{i}.sgy"):
            segy.read_segy(path)
    with pytest.raises(InputError, match="does not exist"):
        segy.read_segy(tmp_path / "nothing.sgy")


# --------------------------------------------------------------------------------------------
# fuzzing
# --------------------------------------------------------------------------------------------
try:
    from hypothesis import HealthCheck, event, given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover
    given = None

_FUZZ_DIR = Path(tempfile.mkdtemp(prefix="pipemap-segy-fuzz-"))
atexit.register(shutil.rmtree, _FUZZ_DIR, True)
_SEEDS: dict[tuple[int, str], bytes] = {}


def _seed(fmt: int, endian: str) -> bytes:
    key = (fmt, endian)
    if key not in _SEEDS:
        values = synthetic(6, 24) if fmt == 5 else (np.arange(144).reshape(6, 24) % 100)
        if fmt == 1:
            values = np.full((6, 24), IBM_TABLE[1][0], dtype=np.uint32)
        path = build_segy(_FUZZ_DIR / f"seed{fmt}{endian}.sgy", values, fmt=fmt, endian=endian,
                          trace={(70, "h"): 1000, (72, "i"): [i * 250 for i in range(6)],
                                 (80, "i"): [i * 250 for i in range(6)], (88, "h"): 1})
        _SEEDS[key] = path.read_bytes()
    return _SEEDS[key]


INTERESTING_16 = [0, 1, 2, 3, 5, 8, 24, 99, 255, 256, 1280, 32767, 32768, 65535]
INTERESTING_32 = [0, 1, -1, 250, 2**31 - 1, -2**31, 0x01020304, 0x04030201]
BINARY_FIELDS = [(16, 2), (20, 2), (24, 2), (54, 2), (96, 4), (300, 2), (302, 2), (304, 2)]
TRACE_FIELDS = [(68, 2), (70, 2), (72, 4), (76, 4), (80, 4), (84, 4), (88, 2), (114, 2), (116, 2), (180, 4),
                (184, 4), (40, 4)]

if given is not None:
    @st.composite
    def mutated_segy(draw):
        fmt = draw(st.sampled_from([1, 2, 3, 5, 8]))
        endian = draw(st.sampled_from([">", "<"]))
        data = bytearray(_seed(fmt, endian))
        trace_bytes = 240 + 24 * BPS[fmt]
        for _ in range(draw(st.integers(0, 6))):
            where = draw(st.sampled_from(["binary", "trace", "byte"]))
            if where == "byte":
                pos = draw(st.integers(0, len(data) - 1))
                data[pos] = draw(st.integers(0, 255))
                continue
            if where == "binary":
                off, width = draw(st.sampled_from(BINARY_FIELDS))
                off += 3200
            else:
                rel, width = draw(st.sampled_from(TRACE_FIELDS))
                off = 3600 + draw(st.integers(0, 5)) * trace_bytes + rel
            e = draw(st.sampled_from([">", "<"]))
            if width == 2:
                value = draw(st.sampled_from(INTERESTING_16) | st.integers(0, 65535))
                struct.pack_into(e + "H", data, off, value)
            else:
                value = draw(st.sampled_from(INTERESTING_32) | st.integers(-2**31, 2**31 - 1))
                struct.pack_into(e + "i", data, off, value)
        if draw(st.booleans()):
            cut = draw(st.integers(0, len(data)))
            data = data[:cut]
        if draw(st.integers(0, 9)) == 0:
            data += bytes(draw(st.integers(1, 700)))
        return bytes(data)

    @pytest.mark.fuzz
    @settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(blob=mutated_segy())
    def test_fuzz_reader_returns_or_raises_input_error(blob):
        fd, name = tempfile.mkstemp(suffix=".sgy", dir=_FUZZ_DIR)
        os.close(fd)
        path = Path(name)
        try:
            path.write_bytes(blob)
            start = time.perf_counter()
            try:
                segy.is_segy(path)
                [rg] = segy.read_segy(path)
            except InputError as exc:
                assert path.name in str(exc)
                event(f"InputError {exc.code}")
            else:
                event("read")
                assert rg.n_traces >= 1 and 1 <= rg.n_samples <= 65535
                assert np.isfinite(rg.dt_ns) and rg.dt_ns > 0
                assert rg.header["dt_unit_assumed"] in ("ps", "us")
                block = rg.traces_float32(0, min(rg.n_traces, 3))
                assert block.shape == (rg.n_samples, min(rg.n_traces, 3)) and block.dtype == np.float32
                if rg.distance_m is not None:
                    assert rg.distance_m.shape == (rg.n_traces,)
                for arr in (rg.x, rg.y):
                    assert arr is None or arr.shape == (rg.n_traces,)
                json.dumps(rg.header)
                del rg
            assert time.perf_counter() - start < 5.0
        finally:
            path.unlink()


    @pytest.mark.fuzz
    @settings(suppress_health_check=[HealthCheck.too_slow])
    @given(n_traces=st.integers(1, 40), n_samples=st.integers(1, 300),
           dt_ps=st.integers(5, 65535), spacing_mm=st.integers(1, 5000), endian=st.sampled_from(["big", "little"]),
           encoding=st.sampled_from(["ebcdic", "ascii"]), seed=st.integers(0, 2**32 - 1))
    def test_fuzz_writer_round_trip(n_traces, n_samples, dt_ps, spacing_mm, endian, encoding, seed):
        rng = np.random.default_rng(seed)
        rg = Radargram(path=None, format="segy", dt_ns=dt_ps / 1000.0,
                       distance_m=np.arange(n_traces) * spacing_mm / 1000.0)
        rg._data = rng.normal(0, 1e3, (n_samples, n_traces)).astype(np.float32)
        fd, name = tempfile.mkstemp(suffix=".sgy", dir=_FUZZ_DIR)
        os.close(fd)
        path = Path(name)
        try:
            write_segy(rg, path, endian=endian, text_encoding=encoding)
            [back] = segy.read_segy(path)
            assert back.header["dt_unit_assumed"] == "ps" and back.dt_ns == rg.dt_ns
            assert np.array_equal(back.data, rg.data)
            if n_traces > 1:
                assert np.allclose(back.distance_m, rg.distance_m, atol=5e-4)
            else:  # one trace at 0 m: every coordinate is 0, i.e. no position
                assert back.distance_m is None and back.header["coordinate_interpretation"] == "none"
            del back
        finally:
            path.unlink()


# --------------------------------------------------------------------------------------------
# memory mapping
# --------------------------------------------------------------------------------------------
_BIG_SCRIPT = r"""
import json, os, resource, sys, time
from pipemap.core.gpr.readers import segy

def rss_kb():
    if os.path.exists("/proc/self/status"):  # current resident set (Linux)
        for line in open("/proc/self/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # peak (macOS: bytes, still an upper bound)

before = rss_kb()
start = time.perf_counter()
[rg] = segy.read_segy(sys.argv[1])
opened = time.perf_counter() - start
block = rg.traces_float32(rg.n_traces - 10, rg.n_traces)
after = rss_kb()
print(json.dumps({"seconds": opened, "rss_growth_kb": after - before, "shape": rg.shape,
                  "block": list(block.shape), "mapped": rg.header["memory_mapped"],
                  "headers": rg.header["trace_headers_read"]}))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="sparse files and ru_maxrss are POSIX")
def test_two_gigabyte_file_opens_in_constant_time(tmp_path):
    import pipemap

    ns, trace_bytes = 1000, 240 + 4000
    n = (2 * 1024**3) // trace_bytes + 1
    path = tmp_path / "big.sgy"
    with open(path, "wb") as fh:
        fh.write(text_block(["GPR 250 MHZ SPARSE TEST FILE"]))
        binary = bytearray(400)
        struct.pack_into(">HHHH", binary, 16, 400, 400, ns, ns)
        struct.pack_into(">H", binary, 24, 5)
        fh.write(bytes(binary))
        fh.truncate(3600 + n * trace_bytes)
    assert path.stat().st_size > 2 * 1024**3
    env = dict(os.environ, PYTHONPATH=str(Path(pipemap.__path__[0]).parent))  # the conftest's link folder
    proc = subprocess.run([sys.executable, "-P", "-c", _BIG_SCRIPT, str(path)], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    print("2 GB SEG-Y:", result)
    assert result["shape"] == [ns, n] and result["block"] == [ns, 10] and result["mapped"]
    assert result["headers"].startswith("sampled")
    assert result["seconds"] < 0.5
    assert result["rss_growth_kb"] < 64 * 1024
