"""MALA RD3/RD7 + RAD (+ COR) reader: the real ten_col file, corrupt input, fuzzing."""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pytest

from pipemap.core.errors import InputError
from pipemap.core.gpr.nmea import GpsFixes
from pipemap.core.gpr.readers import detect, dt1, mala

REAL = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "gpr" / "real"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def real(rel: str) -> Path:
    path = REAL / rel
    if not path.exists():
        if IN_CI:
            pytest.fail(f"real GPR sample {path} is missing (CI=true)")
        pytest.skip(f"real GPR sample {path} is not available")
    return path


def copy_ten_col(folder: Path, names: tuple[str, str, str] = ("ten_col.rd3", "ten_col.rad", "ten_col.cor")) -> Path:
    src = real("mala_rd3/impdar/ten_col.rd3")
    for ext, name in zip((".rd3", ".rad", ".cor"), names):
        if name:
            shutil.copy(src.with_suffix(ext), folder / name)
    return folder / names[0]


RAD_TEMPLATE = """SAMPLES:{samples}\r
FREQUENCY:{freq}\r
TIMEWINDOW:{window}\r
DISTANCE INTERVAL: {dx}\r
TIME INTERVAL: 0.000000\r
ANTENNAS:{antenna}\r
ANTENNA SEPARATION: 0.500000\r
STACKS:8\r
LAST TRACE:{traces}\r
"""


def write_mala(folder: Path, name: str, samples: np.ndarray, ext: str = ".rd3", freq: float = 1000.0,
               dx: float = 0.05, antenna: str = "250 MHz", rad: str | None = None) -> Path:
    n, s = samples.shape
    path = folder / (name + ext)
    np.ascontiguousarray(samples).tofile(path)
    text = rad if rad is not None else RAD_TEMPLATE.format(samples=s, freq=freq, window=s * 1000.0 / freq, dx=dx,
                                                          antenna=antenna, traces=n)
    (folder / (name + ".rad")).write_text(text, encoding="latin-1", newline="")
    return path


def check_consistent(rgs: list) -> None:
    assert isinstance(rgs, list) and len(rgs) == 1
    rg = rgs[0]
    n, s = rg.n_traces, rg.n_samples
    assert n >= 1 and s >= 1 and rg.raw.shape == (n, s) and rg.shape == (s, n)
    assert math.isfinite(rg.dt_ns) and rg.dt_ns > 0
    assert rg.traces_float32(0, n).shape == (s, n)
    if rg.distance_m is not None:
        assert rg.distance_m.shape == (n,) and np.all(np.isfinite(rg.distance_m))
    if rg.gps is not None:
        g = rg.gps
        assert isinstance(g, GpsFixes)
        assert g.trace.shape == g.lat.shape == g.lon.shape == g.alt.shape == (len(g.time),)
        assert np.all((g.trace >= 0) & (g.trace < n))
        assert np.all(np.abs(g.lat) <= 90) and np.all(np.abs(g.lon) <= 180)
    if rg.antenna.frequency_mhz is not None:
        assert rg.antenna.frequency_mhz > 0


# --------------------------------------------------------------------------- the real file


def test_ten_col_reference_values():
    path = real("mala_rd3/impdar/ten_col.rd3")
    (rg,) = mala.read_mala(path)
    h = rg.header
    assert rg.format == "rd3" and rg.path == path
    assert rg.n_samples == h["samples"] == 512
    assert h["frequency_mhz"] == 2426.187744
    assert rg.dt_ns == pytest.approx(1000.0 / 2426.187744, rel=1e-12)
    assert rg.dt_ns == pytest.approx(0.41217, abs=5e-6)
    assert h["time_window_ns"] == 422.061312
    assert rg.n_traces == h["last_trace"] == h["traces"] == 10
    assert rg.antenna.name == h["antenna"] == "500_shielded_egrip"
    assert rg.antenna.frequency_mhz == 500
    assert rg.antenna.separation_m == 0.18
    assert h["stacks"] == 4
    assert h["time_interval_s"] == 0.1 and h["distance_interval_m"] == 0.0
    assert rg.distance_m is None and rg.trace_spacing_m is None  # time-triggered
    assert int(rg.raw.min()) == -20181 and int(rg.raw.max()) == 19556
    assert h["rad"]["SYSTEM CALIBRATION"] == "0.0000242453"
    # SAMPLES x dt = 211.03 ns is half of TIMEWINDOW: FREQUENCY is trusted, with a warning
    assert 512 * rg.dt_ns == pytest.approx(211.03, abs=0.01)
    assert any("TIMEWINDOW" in w and "(2x)" in w for w in rg.warnings)


def test_ten_col_samples_equal_independent_decode():
    path = real("mala_rd3/impdar/ten_col.rd3")
    expected = np.fromfile(path, dtype="<i2").reshape(10, 512)
    (rg,) = mala.read_mala(path)
    assert isinstance(rg.raw, np.memmap) and rg.raw.dtype == np.int16
    np.testing.assert_array_equal(np.asarray(rg.raw), expected)
    np.testing.assert_array_equal(rg.data, expected.T.astype(np.float32))


def test_ten_col_cor_gps():
    (rg,) = mala.read_mala(real("mala_rd3/impdar/ten_col.rd3"))
    gps = rg.gps
    assert isinstance(gps, GpsFixes) and len(gps) == 1  # traces 18 and 27 are beyond LAST TRACE 10
    assert gps.trace.tolist() == [6]  # trace number 7 -> index 6
    assert gps.lat[0] == pytest.approx(75.63203) and gps.lon[0] == pytest.approx(-35.98767333333)
    assert gps.alt[0] == pytest.approx(2663.65)
    assert gps.time == ["2019-07-26T16:58:43"]
    assert any("2 GPS fix(es)" in w and "outside 1..10" in w for w in rg.warnings)
    assert gps.warnings == [w for w in rg.warnings if "ten_col.cor" in w]


def test_open_by_rad_detect_and_case(tmp_path):
    rad = real("mala_rd3/impdar/ten_col.rad")
    assert mala.is_mala(rad) and mala.is_mala(rad.with_suffix(".rd3"))
    assert detect(rad) == "rd3" and detect(rad.with_suffix(".rd3")) == "rd3"
    (a,), (b,) = mala.read_mala(rad), mala.read_mala(rad.with_suffix(".rd3"))
    assert a.path == b.path and np.array_equal(a.raw, b.raw)
    path = copy_ten_col(tmp_path, ("TEN_COL.RD3", "TEN_COL.RAD", "TEN_COL.COR"))
    (up,) = mala.read_mala(path)
    assert up.n_traces == 10 and up.gps is not None and up.format == "rd3"
    assert detect(path) == "rd3"
    mixed = tmp_path / "m"
    mixed.mkdir()
    copy_ten_col(mixed, ("x.Rd3", "x.RAD", "x.cor"))
    (rg,) = mala.read_mala(mixed / "x.RAD")
    assert rg.path.name == "x.Rd3" and len(rg.gps) == 1


def test_not_mala():
    for rel in ("dt1/rgpr_isola/YLINEA0.DT1", "dt1/rgpr_isola/YLINEA0.HD", "dt1/rgpr_isola/YLINEA0.GPS"):
        assert not mala.is_mala(real(rel))
    assert not mala.is_mala(REAL / "nothing.rd3")


# --------------------------------------------------------------------------- synthetic files


def test_rd7_distance_and_antenna(tmp_path):
    samples = (np.arange(6 * 20, dtype="<i4").reshape(6, 20) - 60) * 100000
    (rg,) = mala.read_mala(write_mala(tmp_path, "line", samples, ext=".rd7", freq=2000.0, dx=0.02))
    assert rg.format == "rd7" and rg.raw.dtype == np.int32
    np.testing.assert_array_equal(rg.raw, samples)
    assert rg.dt_ns == pytest.approx(0.5)
    assert rg.distance_m == pytest.approx(np.arange(6) * 0.02) and rg.trace_spacing_m == 0.02
    assert rg.antenna.frequency_mhz == 250 and rg.warnings == []


@pytest.mark.parametrize("name, freq", [("500_shielded_egrip", 500), ("25 MHz RTA", 25), ("1.6 GHz", 1600),
                                        ("250MHz", 250), ("unknown", None), ("", None), ("RTA_50", None),
                                        ("0", None), ("_800", None), ("\x00\xff", None)])
def test_antenna_names(tmp_path, name, freq):
    assert mala.antenna_frequency_mhz(name) == freq
    samples = np.zeros((2, 8), dtype="<i2")
    (rg,) = mala.read_mala(write_mala(tmp_path, "a", samples, antenna=name))
    assert rg.antenna.frequency_mhz == freq


def test_both_rd3_and_rd7_prefers_rd3(tmp_path):
    samples = np.ones((3, 8), dtype="<i2")
    write_mala(tmp_path, "b", samples)
    np.ones((3, 8), dtype="<i4").tofile(tmp_path / "b.rd7")
    (rg,) = mala.read_mala(tmp_path / "b.rad")
    assert rg.format == "rd3"
    (rg7,) = mala.read_mala(tmp_path / "b.rd7")
    assert rg7.format == "rd7" and rg7.n_traces == 3


def test_partial_trace_and_lying_last_trace(tmp_path):
    samples = np.ones((4, 16), dtype="<i2")
    path = write_mala(tmp_path, "p", samples,
                      rad=RAD_TEMPLATE.format(samples=16, freq=1000, window=16, dx=0, antenna="x", traces=10**18))
    with open(path, "ab") as f:
        f.write(b"\x00" * 5)
    (rg,) = mala.read_mala(path)
    assert rg.n_traces == 4
    assert any("incomplete (5 of 32 bytes)" in w for w in rg.warnings)
    assert any("LAST TRACE" in w for w in rg.warnings)


def test_missing_frequency_uses_timewindow(tmp_path):
    rad = "SAMPLES:100\nTIMEWINDOW:50\n"
    (rg,) = mala.read_mala(write_mala(tmp_path, "t", np.zeros((2, 100), dtype="<i2"), rad=rad))
    assert rg.dt_ns == pytest.approx(0.5) and any("no FREQUENCY" in w for w in rg.warnings)


# --------------------------------------------------------------------------- corrupt input


@pytest.mark.parametrize("field, value", [("SAMPLES", "0"), ("SAMPLES", "-512"), ("SAMPLES", "abc"),
                                          ("SAMPLES", "1e12"), ("SAMPLES", "12.5"), ("SAMPLES", ""),
                                          ("FREQUENCY", "0"), ("FREQUENCY", "-5"), ("FREQUENCY", "nan"),
                                          ("FREQUENCY", "x"),
                                          ("FREQUENCY", "1e-320"),  # found by the long fuzz run: dt was inf
                                          ("FREQUENCY", "1e300")])
def test_bad_header_values(tmp_path, field, value):
    path = copy_ten_col(tmp_path)
    rad = path.with_suffix(".rad")
    lines = [f"{field}:{value}" if line.startswith(field + ":") else line
             for line in rad.read_text(encoding="latin-1").splitlines()]
    rad.write_text("\n".join(lines), encoding="latin-1")
    with pytest.raises(InputError) as err:
        mala.read_mala(path)
    assert "ten_col.rad" in str(err.value) and field in str(err.value)


def test_missing_fields(tmp_path):
    path = copy_ten_col(tmp_path)
    rad = path.with_suffix(".rad")
    rad.write_text("SAMPLE:512\nFREQUENCY:1000\n")
    with pytest.raises(InputError) as err:
        mala.read_mala(path)
    assert "ten_col.rad" in str(err.value) and "SAMPLES" in str(err.value)
    rad.write_text("SAMPLES:512\n")
    with pytest.raises(InputError) as err:
        mala.read_mala(path)
    assert "ten_col.rad" in str(err.value) and "FREQUENCY" in str(err.value)


def test_missing_partners_and_wrong_extensions(tmp_path):
    path = copy_ten_col(tmp_path, ("ten_col.rd3", "", ""))
    assert detect(path) == "rd3"  # by extension: the error below is more useful than "unknown format"
    with pytest.raises(InputError) as err:
        mala.read_mala(path)
    assert "ten_col.rad" in str(err.value) and "SAMPLES" in str(err.value)
    assert err.value.code == "gpr.mala.no_header"
    other = tmp_path / "o"
    other.mkdir()
    copy_ten_col(other, ("", "ten_col.rad", ""))
    rad = other / "ten_col.rad"
    with pytest.raises(InputError) as err:
        mala.read_mala(rad)
    assert "ten_col.rd3" in str(err.value) and "ten_col.rd7" in str(err.value)
    assert err.value.code == "gpr.mala.no_data"
    txt = tmp_path / "notes.txt"
    txt.write_text("hello")
    with pytest.raises(InputError) as err:
        mala.read_mala(txt)
    assert "notes.txt" in str(err.value) and ".txt" in str(err.value)
    with pytest.raises(InputError) as err:
        mala.read_mala(tmp_path / "absent.rd3")
    assert "absent.rd3" in str(err.value)
    # a DT1 header next to an rd3 is not a MALA header
    shutil.copy(real("dt1/rgpr_isola/YLINEA0.HD"), other / "ten_col.HD")
    with pytest.raises(InputError):
        dt1.read_dt1(other / "ten_col.HD")


@pytest.mark.parametrize("keep", [0, 1, 1023])
def test_truncated_data(tmp_path, keep):
    path = copy_ten_col(tmp_path)
    with open(path, "r+b") as f:
        f.truncate(keep)
    with pytest.raises(InputError) as err:
        mala.read_mala(path)
    assert "ten_col.rd3" in str(err.value) and "SAMPLES" in str(err.value)
    assert err.value.code == "gpr.truncated"


def test_random_bytes_and_garbage_cor(tmp_path):
    rng = np.random.default_rng(11)
    path = copy_ten_col(tmp_path)
    path.with_suffix(".rad").write_bytes(rng.bytes(700))
    with pytest.raises(InputError) as err:
        mala.read_mala(path)
    assert "ten_col.rad" in str(err.value)
    path = copy_ten_col(tmp_path)
    path.with_suffix(".cor").write_bytes(rng.bytes(5000))
    (rg,) = mala.read_mala(path)
    assert rg.gps is None and any("ten_col.cor" in w for w in rg.warnings)
    path.with_suffix(".cor").write_text(
        "1\t2019-07-26\t16:58:43\t7537.92\tN\t3559.26\tW\t100\tM\t1\n"  # ddmm.mmmm
        "2\t2019-07-26\t16:58:44\t45.5\tS\t170.25\tE\t\n"  # no altitude
        "3 2019-07-26 16:58:45 95.0 N 10 E 1 M 1\n"  # latitude out of range
        "x\t2019-07-26\t16:58:45\t45\tN\t10\tE\n"
        "0\t2019-07-26\t16:58:45\t45\tN\t10\tE\n"
        "4\tgarbage\n\n"
        "5\t2019-07-26\t16:58:46\t45\tQ\t10\tE\t1\tM\t1\n")
    (rg,) = mala.read_mala(path)
    g = rg.gps
    assert g.trace.tolist() == [0, 1]
    assert g.lat[0] == pytest.approx(75 + 37.92 / 60) and g.lon[0] == pytest.approx(-(35 + 59.26 / 60))
    assert g.lat[1] == -45.5 and g.lon[1] == 170.25 and math.isnan(g.alt[1])
    assert any("5 unreadable line(s)" in w for w in rg.warnings)


# --------------------------------------------------------------------------- fuzzing

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, event, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FUZZ = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
_BASE: dict[str, bytes] = {}


def base_files() -> tuple[bytes, bytes, bytes]:
    if not _BASE:
        src = real("mala_rd3/impdar/ten_col.rd3")
        _BASE.update(rd3=src.read_bytes(), rad=src.with_suffix(".rad").read_bytes(),
                     cor=src.with_suffix(".cor").read_bytes())
    return _BASE["rd3"], _BASE["rad"], _BASE["cor"]


VALUES = st.one_of(
    st.sampled_from(["0", "-1", "1e9", "1e308", "nan", "inf", "", "abc", "512", "511", "513", "1", "2",
                     "2426.187744", "0.000001", "1e-320", "4294967296"]),
    st.integers(-(2**40), 2**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=12),
)


@st.composite
def mutated_rad(draw) -> bytes:
    lines = base_files()[1].decode("latin-1").splitlines()
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(["value", "value", "value", "delete", "duplicate", "insert", "case"]))
        if not lines:
            lines.append(draw(st.text(max_size=40)))
            continue
        # half of the edits hit the lines the reader uses
        i = draw(st.one_of(st.sampled_from([0, 1, 10, 14, 16, 18, 19, 22]), st.integers(0, 10**6))) % len(lines)
        if action == "value" and ":" in lines[i]:
            lines[i] = lines[i].split(":", 1)[0] + ":" + draw(VALUES)
        elif action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(draw(st.integers(0, len(lines))), lines[i].split(":", 1)[0] + ":" + draw(VALUES))
        elif action == "insert":
            lines.insert(i, draw(st.text(max_size=60)))
        else:
            lines[i] = lines[i].lower()
    return "\r\n".join(lines).encode("latin-1", errors="replace")


@st.composite
def mutated_cor(draw) -> bytes:
    rows = [line.split("\t") for line in base_files()[2].decode("latin-1").splitlines()]
    for _ in range(draw(st.integers(0, 5))):
        r = draw(st.integers(0, len(rows) - 1))
        c = draw(st.integers(0, len(rows[r]) - 1))
        rows[r][c] = draw(VALUES)
    return "\n".join("\t".join(row) for row in rows).encode("latin-1", errors="replace")


def run_reader(data: bytes, rad: bytes | None, cor: bytes | None, ext: str, open_rad: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "M"
        base.with_suffix(ext).write_bytes(data)
        if rad is not None:
            base.with_suffix(".rad").write_bytes(rad)
        if cor is not None:
            base.with_suffix(".cor").write_bytes(cor)
        target = base.with_suffix(".rad" if open_rad and rad is not None else ext)
        mala.is_mala(target)
        try:
            rgs = mala.read_mala(target)
        except InputError as exc:
            event(f"InputError {exc.code}")
            assert "M." in str(exc), str(exc)
            return
        event("read: " + ("with warnings" if rgs[0].warnings else "clean"))
        check_consistent(rgs)
        rgs[0].data  # noqa: B018


@pytest.mark.fuzz
@FUZZ
@given(rad=mutated_rad(), cor=mutated_cor(), open_rad=st.booleans())
def test_fuzz_rad_and_cor(rad, cor, open_rad):
    run_reader(base_files()[0], rad, cor, ".rd3", open_rad)


@pytest.mark.fuzz
@FUZZ
@given(cut=st.integers(0, 10240), ext=st.sampled_from([".rd3", ".rd7", ".RD3"]), rad=mutated_rad())
def test_fuzz_truncation(cut, ext, rad):
    run_reader(base_files()[0][:cut], rad, None, ext, False)


@pytest.mark.fuzz
@FUZZ
@given(data=st.binary(max_size=4000), rad=st.one_of(st.none(), st.binary(max_size=600),
                                                     st.text(max_size=300).map(str.encode)),
       cor=st.one_of(st.none(), st.binary(max_size=600)))
def test_fuzz_random_bytes(data, rad, cor):
    run_reader(data, rad, cor, ".rd3", True)
