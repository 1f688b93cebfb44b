"""Sensors & Software DT1/HD reader: real files, corrupt input, fuzzing, memory mapping."""

from __future__ import annotations

import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest

import pipemap
from pipemap.core.errors import InputError
from pipemap.core.gpr.nmea import GpsFixes
from pipemap.core.gpr.readers import detect, dt1, mala

REAL = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "gpr" / "real"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
FT = 0.3048


def real(rel: str) -> Path:
    path = REAL / rel
    if not path.exists():
        if IN_CI:
            pytest.fail(f"real GPR sample {path} is missing (CI=true)")
        pytest.skip(f"real GPR sample {path} is not available")
    return path


# SOURCES.md "Sensors & Software DT1/HD" table
EXPECTED = {
    "dt1/gprpy_comoffs/XLINE00": dict(
        date="2017-04-10", traces=531, points=1500, window=1200.0, tz_point=3.18, freq=50.0, sep=3.0,
        step=2.0, units="ft", to_m=FT, first=0.0, last=1060.0, stacks=8, vmin=-32768, vmax=24837,
        word6=800.0),
    "dt1/gprpy_warr/XLINE00": dict(
        date="2017-04-11", traces=164, points=1900, window=760.0, tz_point=34.07, freq=100.0, sep=0.75,
        step=0.1, units="m", to_m=1.0, first=0.0, last=16.3, stacks=8, vmin=-30607, vmax=24935, word6=400.0),
    "dt1/rgpr_isola/YLINEA0": dict(
        date="2014-03-11", traces=195, points=1000, window=400.0, tz_point=75.58, freq=100.0, sep=1.0,
        step=0.25, units="m", to_m=1.0, first=0.0, last=48.5, stacks=16, vmin=-32768, vmax=32767, word6=400.0),
}


def independent_decode(path: Path, points: int) -> np.ndarray:
    """Documented layout, decoded without the reader: per trace 64 int16 words
    (the 128-byte header) then ``points`` int16 samples."""
    words = np.fromfile(path, dtype="<i2")
    per_trace = 64 + points
    n = words.size // per_trace
    return words[: n * per_trace].reshape(n, per_trace)[:, 64:]


# --------------------------------------------------------------------------- synthetic files

HD_TEMPLATE = """1234\r\r
Data Collected with pE PRO (test) \r\r
2020-01-02 \r\r
NUMBER OF TRACES   = {traces} \r\r
NUMBER OF PTS/TRC  = {points} \r\r
TIMEZERO AT POINT  = 10 \r\r
TOTAL TIME WINDOW  = {window} \r\r
STARTING POSITION  = 0.0000 \r\r
FINAL POSITION     = {final} \r\r
STEP SIZE USED     = 0.5000 \r\r
POSITION UNITS     = m \r\r
NOMINAL FREQUENCY  = 250.00 \r\r
ANTENNA SEPARATION = 0.3800 \r\r
PULSER VOLTAGE (V) = 50 \r\r
NUMBER OF STACKS   = 4 \r\r
SURVEY MODE        = Reflection \r\r
"""


def write_dt1(folder: Path, name: str, samples: np.ndarray, window: float = 100.0, bpp: int | None = None,
              hd: str | None = None, hd_ext: str = ".HD", dt1_ext: str = ".DT1") -> Path:
    """A DT1 + HD pair written with plain numpy (independent of the reader)."""
    n, points = samples.shape
    bpp = bpp or samples.dtype.itemsize
    header = np.zeros((n, 32), dtype="<f4")
    header[:, 0] = np.arange(1, n + 1)
    header[:, 1] = np.arange(n) * 0.5
    header[:, 2] = points
    header[:, 5] = bpp
    header[:, 6] = window
    header[:, 7] = 4
    rows = np.concatenate([header.view(np.uint8).reshape(n, 128),
                           np.ascontiguousarray(samples).view(np.uint8).reshape(n, -1)], axis=1)
    path = folder / (name + dt1_ext)
    rows.tofile(path)
    text = hd if hd is not None else HD_TEMPLATE.format(traces=n, points=points, window=window, final=(n - 1) * 0.5)
    (folder / (name + hd_ext)).write_bytes(text.encode("latin-1"))
    return path


def small_real_copy(folder: Path, n_traces: int = 8) -> Path:
    """The first traces of YLINEA0 (a real file) with its HD, in ``folder``."""
    src = real("dt1/rgpr_isola/YLINEA0.DT1")
    record = 128 + 2 * 1000
    (folder / "YLINEA0.DT1").write_bytes(src.read_bytes()[: n_traces * record])
    hd = src.with_suffix(".HD").read_text(encoding="latin-1").replace("= 195", f"= {n_traces}")
    (folder / "YLINEA0.HD").write_text(hd, encoding="latin-1", newline="")
    return folder / "YLINEA0.DT1"


def check_consistent(rgs: list) -> None:
    """What every successful read must satisfy."""
    assert isinstance(rgs, list) and len(rgs) == 1
    rg = rgs[0]
    n, s = rg.n_traces, rg.n_samples
    assert n >= 1 and s >= 1
    assert rg.raw.shape == (n, s)
    assert rg.shape == (s, n)
    assert math.isfinite(rg.dt_ns) and rg.dt_ns > 0
    assert math.isfinite(rg.time_zero_ns)
    assert rg.twt_ns.shape == (s,)
    block = rg.traces_float32(0, n)
    assert block.shape == (s, n) and block.dtype == np.float32
    if rg.distance_m is not None:
        assert rg.distance_m.shape == (n,) and np.all(np.isfinite(rg.distance_m))
    for arr in (rg.x, rg.y, rg.z):
        assert arr is None or arr.shape == (n,)
    if rg.gps is not None:
        g = rg.gps
        assert isinstance(g, GpsFixes)
        assert g.trace.shape == g.lat.shape == g.lon.shape == g.alt.shape == (len(g.time),)
        assert np.all((g.trace >= 0) & (g.trace < n))
    assert all(isinstance(w, str) for w in rg.warnings)
    if rg.antenna.frequency_mhz is not None:
        assert rg.antenna.frequency_mhz > 0


# --------------------------------------------------------------------------- real files


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_reference_values(stem):
    exp = EXPECTED[stem]
    path = real(stem + ".DT1")
    (rg,) = dt1.read_dt1(path)
    h = rg.header
    assert rg.format == "dt1" and rg.path == path
    assert h["system"].startswith("pE PRO")
    assert h["date"] == exp["date"]
    assert rg.n_traces == h["traces"] == h["traces_hd"] == exp["traces"]
    assert rg.n_samples == h["points"] == exp["points"]
    assert h["time_window_ns"] == exp["window"]
    assert h["time_window_trace_header_ns"] == exp["word6"]
    assert h["timezero_point"] == pytest.approx(exp["tz_point"], abs=1e-5)
    assert rg.antenna.frequency_mhz == exp["freq"] == h["frequency_mhz"]
    assert h["antenna_separation"] == exp["sep"]
    assert rg.antenna.separation_m == pytest.approx(exp["sep"] * exp["to_m"])
    assert h["step"] == exp["step"] and h["position_units"] == exp["units"]
    assert rg.trace_spacing_m == pytest.approx(exp["step"] * exp["to_m"])
    assert h["stacks"] == exp["stacks"]
    assert int(rg.raw.min()) == exp["vmin"] and int(rg.raw.max()) == exp["vmax"]
    # dt = window / points (documented decision), time zero = point x dt
    assert rg.dt_ns == pytest.approx(exp["window"] / exp["points"], rel=1e-12)
    assert rg.time_zero_ns == pytest.approx(exp["tz_point"] * rg.dt_ns, rel=1e-6)
    # distances from the trace-header positions, in metres
    assert rg.distance_m[0] == pytest.approx(exp["first"] * exp["to_m"])
    assert rg.distance_m[-1] == pytest.approx(exp["last"] * exp["to_m"], abs=1e-5)
    assert np.allclose(np.diff(rg.distance_m), exp["step"] * exp["to_m"], atol=1e-4)
    assert h["bytes_per_point"] == 2 and h["sample_type"] == "int16"
    # the HD/trace-header time-window disagreement is reported, never silent
    disagree = exp["word6"] != exp["window"]
    assert any("time window" in w for w in rg.warnings) == disagree


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_samples_equal_independent_decode(stem):
    exp = EXPECTED[stem]
    path = real(stem + ".DT1")
    (rg,) = dt1.read_dt1(path)
    expected = independent_decode(path, exp["points"])
    assert isinstance(rg.raw, np.memmap)
    assert rg.raw.dtype == np.int16
    np.testing.assert_array_equal(np.asarray(rg.raw), expected)
    np.testing.assert_array_equal(rg.data, expected.T.astype(np.float32))
    # header words straight from the file
    words = np.fromfile(path, dtype="<f4").reshape(exp["traces"], -1)[:, :32]
    np.testing.assert_array_equal(np.asarray(rg.header["trace_headers"]), words)
    assert words[-1, 0] == exp["traces"] and words[-1, 1] == pytest.approx(exp["last"])


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_open_by_header_and_detect(stem):
    dt1_path, hd_path = real(stem + ".DT1"), real(stem + ".HD")
    assert dt1.is_dt1(dt1_path) and dt1.is_dt1(hd_path)
    assert detect(dt1_path) == "dt1" and detect(hd_path) == "dt1"
    (a,), (b,) = dt1.read_dt1(dt1_path), dt1.read_dt1(hd_path)
    assert a.path == b.path == dt1_path
    np.testing.assert_array_equal(a.raw, b.raw)
    assert a.header["hd"] == b.header["hd"]
    assert a.header["hd"]["PULSER VOLTAGE (V)"] == b.header["hd"]["PULSER VOLTAGE (V)"]


def test_not_dt1_files_are_not_detected(tmp_path):
    assert not dt1.is_dt1(real("mala_rd3/impdar/ten_col.rd3"))
    assert not dt1.is_dt1(real("mala_rd3/impdar/ten_col.rad"))
    for rel in ("dzt/gprpy/FILE____032.DZT", "dzt/impdar/test_gssi.DZT", "segy/rgpr/test.sgy"):
        path = REAL / rel
        if path.exists():
            assert not dt1.is_dt1(path), rel
    rnd = tmp_path / "random.DT1"
    rnd.write_bytes(np.random.default_rng(1).bytes(5000))
    assert not dt1.is_dt1(rnd)
    assert not dt1.is_dt1(tmp_path / "missing.DT1")
    assert not dt1.is_dt1(tmp_path)


def test_lower_and_mixed_case_extensions(tmp_path):
    src = real("dt1/gprpy_warr/XLINE00.DT1")
    shutil.copy(src, tmp_path / "xline00.dt1")
    shutil.copy(src.with_suffix(".HD"), tmp_path / "xline00.hd")
    (low,) = dt1.read_dt1(tmp_path / "xline00.dt1")
    (via_hd,) = dt1.read_dt1(tmp_path / "xline00.hd")
    assert low.n_traces == via_hd.n_traces == 164
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    shutil.copy(src, mixed / "Line1.dt1")
    shutil.copy(src.with_suffix(".HD"), mixed / "Line1.Hd")
    (rg,) = dt1.read_dt1(mixed / "Line1.dt1")
    assert rg.header["hd_path"].endswith("Line1.Hd") and rg.n_samples == 1900
    assert detect(mixed / "Line1.Hd") == "dt1"


def test_gps_file_of_ylinea0():
    (rg,) = dt1.read_dt1(real("dt1/rgpr_isola/YLINEA0.DT1"))
    gps = rg.gps
    assert isinstance(gps, GpsFixes)
    assert len(gps) == 195
    assert gps.trace.tolist() == list(range(195))  # "Trace #n" -> index n - 1
    assert np.all(np.abs(gps.lat - 46.415) < 0.005)  # 46°24.9'N
    assert np.all(np.abs(gps.lon - 9.7336) < 0.005)  # 9°44.0'E
    assert np.all(np.abs(gps.alt - 1800) < 20)
    assert gps.lat[0] == pytest.approx(46 + 24.895686 / 60, abs=1e-9)  # the GGA of trace 1
    assert gps.time[0] == "2014-03-11T14:20:08.00Z"
    assert rg.header["gps_file"].endswith("YLINEA0.GPS")
    assert gps.warnings == []


def test_comoffs_xyz_file():
    """GPS.xyz of the ComOffs line has 103 points for 531 traces: kept, x/y/z not set, warned."""
    (rg,) = dt1.read_dt1(real("dt1/gprpy_comoffs/XLINE00.DT1"))
    assert rg.header["xyz_file"].endswith("GPS.xyz")
    xyz = rg.header["xyz"]
    assert xyz.shape == (103, 3)
    assert xyz[0].tolist() == pytest.approx([267918.654, 4178496.403, 1206.464061625146])
    assert rg.x is None and rg.crs == ""
    assert any("103 coordinate lines for 531 traces" in w for w in rg.warnings)
    # the distance is in feet in the HD, metres here
    assert rg.distance_m[-1] == pytest.approx(1060 * FT)


def test_xyz_per_trace_sets_x_y_z(tmp_path):
    src = real("dt1/gprpy_comoffs/XLINE00.DT1")
    shutil.copy(src, tmp_path / "XLINE00.DT1")
    shutil.copy(src.with_suffix(".HD"), tmp_path / "XLINE00.HD")
    rows = [f"{500000 + i * 0.6:.3f},{4000000 + i * 0.1:.3f},{100 + i * 0.01:.4f}" for i in range(531)]
    (tmp_path / "gps.XYZ").write_text("easting,northing,elevation\n" + "\n".join(rows) + "\n")
    (rg,) = dt1.read_dt1(tmp_path / "XLINE00.DT1")
    assert rg.x.shape == rg.y.shape == rg.z.shape == (531,)
    assert rg.x[-1] == pytest.approx(500000 + 530 * 0.6) and rg.z[0] == pytest.approx(100)
    assert rg.crs == ""
    assert any("coordinate reference system is unknown" in w for w in rg.warnings)
    assert any("1 line(s) without three numbers" in w for w in rg.warnings)


# --------------------------------------------------------------------------- synthetic layouts


def test_synthetic_round_trip_and_units(tmp_path):
    samples = np.arange(5 * 40, dtype=np.int16).reshape(5, 40) - 100
    path = write_dt1(tmp_path, "A", samples, window=20.0)
    (rg,) = dt1.read_dt1(path)
    np.testing.assert_array_equal(rg.raw, samples)
    assert rg.dt_ns == pytest.approx(0.5) and rg.time_zero_ns == pytest.approx(5.0)
    assert rg.antenna.frequency_mhz == 250 and rg.antenna.separation_m == pytest.approx(0.38)
    assert rg.distance_m.tolist() == [0.0, 0.5, 1.0, 1.5, 2.0]
    assert rg.warnings == []
    for units, factor in [("ft", FT), ("feet", FT), ("metres", 1.0), ("cm", 0.01), ("M", 1.0)]:
        hd = HD_TEMPLATE.format(traces=5, points=40, window=20.0, final=2.0).replace("= m ", f"= {units} ")
        path = write_dt1(tmp_path, "U", samples, window=20.0, hd=hd)
        (rg,) = dt1.read_dt1(path)
        assert rg.trace_spacing_m == pytest.approx(0.5 * factor), units
        assert rg.distance_m[-1] == pytest.approx(2.0 * factor), units
        assert rg.antenna.separation_m == pytest.approx(0.38 * factor), units
    hd = HD_TEMPLATE.format(traces=5, points=40, window=20.0, final=2.0).replace("= m ", "= furlongs ")
    (rg,) = dt1.read_dt1(write_dt1(tmp_path, "V", samples, window=20.0, hd=hd))
    assert rg.distance_m is None and rg.trace_spacing_m is None and rg.antenna.separation_m is None
    assert any("POSITION UNITS" in w for w in rg.warnings)


def test_header_parsing_is_robust(tmp_path):
    """Case, spaces, missing optional lines, unknown lines kept."""
    samples = np.zeros((3, 16), dtype=np.int16)
    hd = ("1234\nData Collected with Noggin\n2019/7/4\n"
          "number of traces=3\n  Number   Of Pts / Trc =16\ntotal time window= 8.0 ns\n"
          "Position Units = metres\nStep size used = 0.05\nMY OWN KEY = 42\nno equals sign here\n"
          "NOMINAL FREQUENCY = unknown\n")
    (rg,) = dt1.read_dt1(write_dt1(tmp_path, "B", samples, window=8.0, hd=hd))
    assert rg.n_samples == 16 and rg.dt_ns == pytest.approx(0.5)
    assert rg.header["hd"]["MY OWN KEY"] == "42"
    assert "no equals sign here" in rg.header["hd_lines"]
    assert rg.header["system"] == "Noggin" and rg.header["date"] == "2019-07-04"
    assert rg.antenna.frequency_mhz is None and rg.time_zero_ns == 0.0
    assert rg.header["stacks"] is None


def test_four_byte_samples(tmp_path):
    floats = (np.sin(np.arange(4 * 50) / 3.0) * 123.4).astype("<f4").reshape(4, 50)
    (rg,) = dt1.read_dt1(write_dt1(tmp_path, "F", floats))
    assert rg.raw.dtype == np.float32 and rg.header["sample_type"] == "float32"
    np.testing.assert_array_equal(rg.raw, floats)
    ints = (np.arange(4 * 50, dtype="<i4").reshape(4, 50) - 100) * 1000
    (rg,) = dt1.read_dt1(write_dt1(tmp_path, "I", ints))
    assert rg.raw.dtype == np.int32 and rg.header["sample_type"] == "int32"
    np.testing.assert_array_equal(rg.raw, ints)
    assert any("int32 was assumed" in w for w in rg.warnings)


def test_partial_last_trace_and_lying_trace_count(tmp_path):
    samples = np.ones((6, 30), dtype=np.int16)
    path = write_dt1(tmp_path, "P", samples)
    with open(path, "ab") as f:
        f.write(b"\x01" * 77)
    (rg,) = dt1.read_dt1(path)
    assert rg.n_traces == 6
    assert any("last trace is incomplete (77 of 188 bytes)" in w for w in rg.warnings)
    hd = HD_TEMPLATE.format(traces=10**15, points=30, window=100.0, final=2.5)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    (rg,) = dt1.read_dt1(write_dt1(tmp_path, "Q", samples, hd=hd))
    assert rg.n_traces == 6 and any("NUMBER OF TRACES" in w for w in rg.warnings)
    # the largest points per trace accepted, on a tiny file: the trace header (which fits the
    # file size) wins with a warning; when it says the same, an error; nothing allocated either way
    hd = HD_TEMPLATE.format(traces=10**15, points=dt1.MAX_POINTS, window=100.0, final=2.5)
    path = write_dt1(tmp_path, "S", samples, hd=hd)
    (rg,) = dt1.read_dt1(path)
    assert rg.n_samples == 30 and any(f"NUMBER OF PTS/TRC = {dt1.MAX_POINTS}" in w for w in rg.warnings)
    with open(path, "r+b") as f:
        f.seek(8)  # word 2 of the first trace header
        f.write(np.float32(dt1.MAX_POINTS).tobytes())
    with pytest.raises(InputError) as err:
        dt1.read_dt1(path)
    assert "NUMBER OF PTS/TRC" in str(err.value) and "S.DT1" in str(err.value)
    assert time.perf_counter() - t0 < 2.0
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before < 50 * 1024  # KiB on Linux


def test_trace_header_points_disagreeing_with_hd(tmp_path):
    samples = np.ones((4, 30), dtype=np.int16)
    hd = HD_TEMPLATE.format(traces=4, points=31, window=100.0, final=1.5)
    (rg,) = dt1.read_dt1(write_dt1(tmp_path, "R", samples, hd=hd))
    assert rg.n_samples == 30  # the trace header fits the file size, the HD does not
    assert any("NUMBER OF PTS/TRC = 31" in w for w in rg.warnings)


def test_partial_trace_ranges_convert():
    """Radargram.traces_float32 on a sub-range of a mapped DT1 (model.py)."""
    (rg,) = dt1.read_dt1(real("dt1/gprpy_warr/XLINE00.DT1"))
    expected = independent_decode(rg.path, 1900)
    np.testing.assert_array_equal(rg.traces_float32(10, 13), expected[10:13].T.astype(np.float32))
    np.testing.assert_array_equal(rg.traces_float32(0, 164), expected.T.astype(np.float32))


# --------------------------------------------------------------------------- corrupt input


def assert_input_error(exc_info, *needles: str) -> None:
    message = str(exc_info.value)
    for needle in needles:
        assert needle in message, (needle, message)


@pytest.mark.parametrize("value", ["0", "-5", "1e9", "abc", "", "12.5", "nan", "inf", "99999999999999999999"])
def test_bad_points_per_trace(tmp_path, value):
    path = small_real_copy(tmp_path)
    hd = path.with_suffix(".HD")
    hd.write_text(hd.read_text(encoding="latin-1").replace("= 1000 ", f"= {value} "), encoding="latin-1")
    with pytest.raises(InputError) as err:
        dt1.read_dt1(path)
    assert_input_error(err, "YLINEA0.HD", "NUMBER OF PTS/TRC")
    assert err.value.code in ("gpr.bad_field", "gpr.field_missing")


@pytest.mark.parametrize("value", ["0", "-400", "abc", "nan", "1e300", "1e-320", "5e-324"])
def test_bad_time_window(tmp_path, value):
    path = small_real_copy(tmp_path)
    hd = path.with_suffix(".HD")
    hd.write_text(hd.read_text(encoding="latin-1").replace("= 400.0000", f"= {value}"), encoding="latin-1")
    with pytest.raises(InputError) as err:
        dt1.read_dt1(path)
    assert_input_error(err, "YLINEA0.HD", "TOTAL TIME WINDOW")


def test_missing_time_window_falls_back_to_trace_header(tmp_path):
    path = small_real_copy(tmp_path)
    hd = path.with_suffix(".HD")
    hd.write_text(hd.read_text(encoding="latin-1").replace("TOTAL TIME WINDOW", "SOMETHING ELSE"),
                  encoding="latin-1")
    (rg,) = dt1.read_dt1(path)
    assert rg.dt_ns == pytest.approx(0.4) and any("TOTAL TIME WINDOW" in w for w in rg.warnings)


@pytest.mark.parametrize("keep", [0, 50, 127, 128, 129, 2127])
def test_truncated_dt1(tmp_path, keep):
    path = small_real_copy(tmp_path)
    with open(path, "r+b") as f:
        f.truncate(keep)
    with pytest.raises(InputError) as err:
        dt1.read_dt1(path)
    assert_input_error(err, "YLINEA0.DT1")
    assert err.value.code in ("gpr.truncated", "gpr.dt1.not_dt1")
    assert "trace" in str(err.value)


def test_missing_partners(tmp_path):
    path = small_real_copy(tmp_path)
    path.with_suffix(".HD").rename(tmp_path / "other.HD")
    with pytest.raises(InputError) as err:
        dt1.read_dt1(path)
    assert_input_error(err, "YLINEA0.HD", "NUMBER OF PTS/TRC", "TOTAL TIME WINDOW")
    assert err.value.code == "gpr.dt1.no_header"
    with pytest.raises(InputError) as err:
        dt1.read_dt1(tmp_path / "other.HD")
    assert_input_error(err, "other.DT1")
    assert err.value.code == "gpr.dt1.no_data"
    with pytest.raises(InputError) as err:
        dt1.read_dt1(tmp_path / "nothing.DT1")
    assert_input_error(err, "nothing.DT1", "does not exist")


def test_wrong_extension_pairs(tmp_path):
    # a MALA file given to the DT1 reader, and a DT1 to the MALA reader
    rd3 = real("mala_rd3/impdar/ten_col.rd3")
    shutil.copy(rd3, tmp_path / "ten_col.rd3")
    with pytest.raises(InputError) as err:
        dt1.read_dt1(tmp_path / "ten_col.rd3")
    assert_input_error(err, "ten_col.HD")
    path = small_real_copy(tmp_path)
    with pytest.raises(InputError) as err:
        mala.read_mala(path)
    assert_input_error(err, "YLINEA0.DT1", ".DT1")
    # an HD paired with a data file of another format
    shutil.copy(rd3, tmp_path / "ten_col.DT1")
    shutil.copy(path.with_suffix(".HD"), tmp_path / "ten_col.HD")
    with pytest.raises(InputError) as err:
        dt1.read_dt1(tmp_path / "ten_col.HD")
    assert_input_error(err, "ten_col.DT1", "bytes per point")


def test_random_bytes(tmp_path):
    rng = np.random.default_rng(7)
    (tmp_path / "R.DT1").write_bytes(rng.bytes(50_000))
    (tmp_path / "R.HD").write_bytes(rng.bytes(3_000))
    with pytest.raises(InputError) as err:
        dt1.read_dt1(tmp_path / "R.DT1")
    assert_input_error(err, "R.HD", "NUMBER OF PTS/TRC")
    (tmp_path / "R.HD").write_bytes(rng.bytes(2 << 20))  # too large to be a header
    with pytest.raises(InputError) as err:
        dt1.read_dt1(tmp_path / "R.DT1")
    assert_input_error(err, "R.HD", "too large")
    path = small_real_copy(tmp_path)
    path.write_bytes(rng.bytes(30_000))  # valid HD, random samples and trace headers
    with pytest.raises(InputError) as err:
        dt1.read_dt1(path)
    assert_input_error(err, "YLINEA0.DT1")


def test_garbage_gps_file(tmp_path):
    path = small_real_copy(tmp_path)
    gps = path.with_suffix(".GPS")
    gps.write_bytes(np.random.default_rng(3).bytes(20_000))
    (rg,) = dt1.read_dt1(path)
    assert rg.gps is None and any("not a Sensors & Software GPS file" in w for w in rg.warnings)
    good = real("dt1/rgpr_isola/YLINEA0.GPS").read_text(encoding="latin-1").splitlines()
    lines = good[:7 * 7]  # traces 1..7 (a marker line and 6 NMEA lines each)
    lines[1] = lines[1].replace("*28", "*00")  # bad RMC checksum in trace 1
    lines[2] = lines[2].replace("*5A", "*00")  # bad GGA checksum in trace 1 -> no fix for trace 1
    lines += ["Trace #99 at position 24.5", good[2], "Trace #3 at position", "$GPGGA,,,,,,,,,,,,,,", "\x00" * 50]
    gps.write_text("\n".join(lines), encoding="latin-1")
    (rg,) = dt1.read_dt1(path)
    assert rg.gps.trace.tolist() == [1, 2, 3, 4, 5, 6]
    assert sum("bad checksum" in w for w in rg.warnings) == 2
    assert any("trace numbers outside 1..8" in w for w in rg.warnings)
    check_consistent([rg])


# --------------------------------------------------------------------------- memory mapping


def test_two_gigabyte_file_opens_fast_with_bounded_memory(tmp_path):
    points = 1000
    record = 128 + 2 * points
    n_traces = (2 << 30) // record
    samples = (np.arange(3 * points, dtype=np.int16) % 500).reshape(3, points)
    hd = HD_TEMPLATE.format(traces=n_traces, points=points, window=100.0, final=(n_traces - 1) * 0.5)
    path = write_dt1(tmp_path, "BIG", samples, hd=hd)
    with open(path, "r+b") as f:
        f.truncate(n_traces * record)  # sparse: the rest reads as zero traces
    assert path.stat().st_size > (2 << 30) - record
    link_dir = Path(pipemap.__path__[0]).parent  # the conftest's folder holding the pipemap symlink
    code = f"""
import resource, sys, time
sys.path.insert(0, {str(link_dir)!r})
import numpy as np
from pipemap.core.gpr.readers import dt1
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
(rg,) = dt1.read_dt1({str(path)!r})
elapsed = time.perf_counter() - t0
block = np.asarray(rg.raw[:3], dtype=np.float32).T
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
assert isinstance(rg.raw, np.memmap), type(rg.raw)
assert rg.n_traces == {n_traces} and rg.n_samples == {points}
assert block[5, 1] == {float(samples[1, 5])}
assert rg.distance_m.shape == ({n_traces},)
print(elapsed, (after - before) / 1024.0)
"""
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    proc = subprocess.run([sys.executable, "-P", "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    elapsed, rss_mb = (float(v) for v in proc.stdout.split())
    assert elapsed < 0.5, elapsed
    assert rss_mb < 64, rss_mb
    (rg,) = dt1.read_dt1(path)
    assert isinstance(rg.raw, np.memmap)
    assert any("position-scan limit" in w for w in rg.warnings)


# --------------------------------------------------------------------------- fuzzing

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, event, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_BASE: dict[str, bytes] = {}


def base_files() -> tuple[bytes, bytes, bytes]:
    """(DT1 bytes, HD bytes, GPS bytes): the first 6 traces of YLINEA0."""
    if not _BASE:
        src = real("dt1/rgpr_isola/YLINEA0.DT1")
        _BASE["dt1"] = src.read_bytes()[: 6 * 2128]
        _BASE["hd"] = src.with_suffix(".HD").read_bytes().replace(b"= 195", b"= 6")
        _BASE["gps"] = b"\n".join(src.with_suffix(".GPS").read_bytes().splitlines()[: 7 * 6])
    return _BASE["dt1"], _BASE["hd"], _BASE["gps"]


VALUES = st.one_of(
    st.sampled_from(["0", "-1", "-1000", "1e9", "1e308", "nan", "inf", "-inf", "", " ", "abc", "1000", "999",
                     "1001", "2", "1", "0.0001", "3.5", "400", "ft", "m", "4294967296", "1e-320"]),
    st.integers(-(2**40), 2**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=12),
)


@st.composite
def mutated_hd(draw) -> bytes:
    lines = [line for line in base_files()[1].decode("latin-1").splitlines() if line.strip()]
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(["value", "value", "delete", "duplicate", "insert", "case"]))
        # half of the edits hit the lines the reader uses (3..15: traces ... stacks)
        i = draw(st.one_of(st.integers(3, 15), st.integers(0, 10**6))) % max(len(lines), 1)
        if not lines:
            lines.append(draw(st.text(max_size=40)))
        elif action == "value" and "=" in lines[i]:
            lines[i] = lines[i].split("=", 1)[0] + "= " + draw(VALUES)
        elif action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(draw(st.integers(0, len(lines))), lines[i].split("=", 1)[0] + "= " + draw(VALUES))
        elif action == "insert":
            lines.insert(i, draw(st.text(max_size=60)))
        else:
            lines[i] = lines[i].lower()
    return "\r\n".join(lines).encode("latin-1", errors="replace")


@st.composite
def mutated_dt1(draw) -> bytes:
    data = bytearray(base_files()[0])
    for _ in range(draw(st.integers(0, 6))):
        trace = draw(st.integers(0, 5))
        offset = trace * 2128 + draw(st.integers(0, 127))
        if draw(st.booleans()):  # a whole float32 word
            word = (offset // 4) * 4
            value = draw(st.sampled_from([0.0, -1.0, 1.0, 2.0, 3.0, 4.0, 999.0, 1000.0, 1e9, -1e30,
                                          float("nan"), float("inf")]))
            data[word:word + 4] = np.float32(value).tobytes()
        else:
            data[offset] = draw(st.integers(0, 255))
    cut = draw(st.one_of(st.none(), st.integers(0, len(data))))
    return bytes(data if cut is None else data[:cut])


def run_reader(dt1_bytes: bytes, hd_bytes: bytes | None, gps_bytes: bytes | None, open_hd: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "F"
        base.with_suffix(".DT1").write_bytes(dt1_bytes)
        if hd_bytes is not None:
            base.with_suffix(".HD").write_bytes(hd_bytes)
        if gps_bytes is not None:
            base.with_suffix(".GPS").write_bytes(gps_bytes)
        target = base.with_suffix(".HD" if open_hd and hd_bytes is not None else ".DT1")
        dt1.is_dt1(target)
        try:
            rgs = dt1.read_dt1(target)
        except InputError as exc:
            event(f"InputError {exc.code}")
            assert str(exc) and "F." in str(exc), str(exc)
            return
        event("read: " + ("with warnings" if rgs[0].warnings else "clean"))
        check_consistent(rgs)
        rgs[0].data  # noqa: B018  converting must work
        del rgs


FUZZ = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.fuzz
@FUZZ
@given(hd=mutated_hd(), open_hd=st.booleans())
def test_fuzz_header_text(hd, open_hd):
    dt1_bytes, _, gps = base_files()
    run_reader(dt1_bytes, hd, gps, open_hd)


@pytest.mark.fuzz
@FUZZ
@given(data=mutated_dt1())
def test_fuzz_trace_headers_and_truncation(data):
    _, hd, gps = base_files()
    run_reader(data, hd, gps, False)


@pytest.mark.fuzz
@FUZZ
@given(hd=mutated_hd(), data=mutated_dt1(), gps=st.one_of(st.none(), st.binary(max_size=2000),
                                                         st.text(max_size=500).map(str.encode)))
def test_fuzz_everything(hd, data, gps):
    run_reader(data, hd, gps, False)


@pytest.mark.fuzz
@FUZZ
@given(dt1_bytes=st.binary(max_size=5000), hd_bytes=st.one_of(st.none(), st.binary(max_size=800)))
def test_fuzz_random_bytes(dt1_bytes, hd_bytes):
    run_reader(dt1_bytes, hd_bytes, None, True)
