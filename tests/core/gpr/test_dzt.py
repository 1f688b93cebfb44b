"""GSSI DZT reader (core.gpr.readers.dzt).

Expected header values are the ones listed in
``shared/data/gpr/real/SOURCES.md`` (read there with readgssi 0.0.22).
Samples are compared with an independent ``np.fromfile`` decode written
here from the documented layout, and with readgssi when it is installed.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import logging
import os
import resource
import shutil
import struct
import time
from pathlib import Path

import numpy as np
import pytest

from pipemap.core.errors import InputError
from pipemap.core.gpr import readers
from pipemap.core.gpr.readers import dzt

REAL = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "gpr" / "real"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

F032 = "dzt/gprpy/FILE____032.DZT"
F001 = "dzt/rgpr_gprdata_cube/FILE____001.DZT"
GSSI = "dzt/impdar/test_gssi.DZT"

#: SOURCES.md "Reference values / GSSI DZT"
EXPECTED = {
    F032: dict(size=1_065_984, rh_system=3, system="SIR-3000", rh_version=1, rh_antname="400MHz", antenna_mhz=400.0,
               rh_tag=0x0700, rh_data=1024, data_offset=1024, rh_nsamp=512, rh_bits=16, rh_zero=0,
               rhf_range=48.0, rhf_position=0.0, rhf_epsr=6.0, rhf_sps=100.0, rhf_spm=50.0, rhf_mpm=0.5,
               rh_nchan=1, n_traces=1040, rhb_cdt=dt.datetime(2017, 3, 21, 0, 36, 46), sample_dtype="<u2"),
    F001: dict(size=462_848, rh_system=3, system="SIR-3000", rh_version=1, rh_antname="400MHz", antenna_mhz=400.0,
               rh_tag=0x0700, rh_data=1024, data_offset=1024, rh_nsamp=512, rh_bits=16, rh_zero=0,
               rhf_range=50.0, rhf_position=0.0, rhf_epsr=8.0, rhf_sps=120.0, rhf_spm=50.0, rhf_mpm=0.5,
               rh_nchan=1, n_traces=451, rhb_cdt=dt.datetime(2013, 10, 29, 16, 53, 22), sample_dtype="<u2"),
    GSSI: dict(size=2_957_312, rh_system=8, system="SIR-4000", rh_version=2, rh_antname="5106", antenna_mhz=200.0,
               rh_tag=0x07FF, rh_data=128, data_offset=131_072, rh_nsamp=2048, rh_bits=32, rh_zero=1,
               rhf_range=2300.0, rhf_position=-230.0, rhf_epsr=pytest.approx(9.641, abs=5e-4), rhf_sps=24.0,
               rhf_spm=0.0, rhf_mpm=0.0, rh_nchan=1, n_traces=345, rhb_cdt=dt.datetime(2017, 12, 16, 23, 24, 26),
               sample_dtype="<i4"),
}
#: traces with a user mark (SOURCES.md: readgssi finds them at 0, 100, ...)
EXPECTED_MARKS = {F032: list(range(0, 1001, 100)), F001: list(range(0, 401, 100)), GSSI: []}
DTYPE = {8: "<u1", 16: "<u2", 32: "<i4"}


@pytest.fixture(scope="module")
def real() -> Path:
    if not REAL.is_dir():
        if IN_CI:
            pytest.fail(f"real GPR sample folder {REAL} missing in CI")
        pytest.skip(f"real GPR sample folder {REAL} not present")
    return REAL


# --------------------------------------------------------------------------- a DZT writer for synthetic files


def header_block(*, nsamp: int = 64, bits: int = 16, nchan: int = 1, rh_data: int = 1024, tag: int = 0x00FF,
                 range_ns: float = 20.0, position_ns: float = 0.0, sps: float = 50.0, spm: float = 0.0,
                 mpm: float = 0.0, epsr: float = 9.0, zero: int = 0, antenna: bytes = b"5106", system: int = 8,
                 version: int = 2, cdt: int = 0) -> bytes:
    """One 1024-byte channel header, written from the documented layout."""
    block = bytearray(1024)
    struct.pack_into("<5H", block, 0, tag, rh_data, nsamp, bits, zero)
    struct.pack_into("<5f", block, 10, sps, spm, mpm, position_ns, range_ns)
    struct.pack_into("<I", block, 32, cdt)
    struct.pack_into("<H", block, 52, nchan)
    struct.pack_into("<f", block, 54, epsr)
    block[98:98 + len(antenna)] = antenna
    block[113] = (system << 3) | version
    return bytes(block)


def write_dzt(path: Path, data: np.ndarray, *, rh_data: int = 1024, antennas: tuple[bytes, ...] = (),
              extra: bytes = b"", **fields) -> Path:
    """Write ``data`` (traces, channels, samples) as a DZT file."""
    traces, nchan, nsamp = data.shape
    bits = data.dtype.itemsize * 8
    blocks = b"".join(header_block(nsamp=nsamp, bits=bits, nchan=nchan, rh_data=rh_data,
                                   antenna=antennas[c] if c < len(antennas) else b"5106", **fields)
                      for c in range(nchan))
    offset = rh_data * 1024 if rh_data < 1024 else 1024 * nchan
    blocks = blocks.ljust(offset, b"\x00")
    path.write_bytes(blocks + data.astype(DTYPE[bits]).tobytes() + extra)
    return path


def fromfile_reference(path: Path, offset: int, nsamp: int, bits: int, nchan: int = 1) -> np.ndarray:
    """Independent decode: (traces, channels, samples) straight with np.fromfile."""
    raw = np.fromfile(path, dtype=DTYPE[bits], offset=offset)
    scan = nsamp * nchan
    return raw[: raw.size // scan * scan].reshape(-1, nchan, nsamp)


# --------------------------------------------------------------------------- real files: header and samples


@pytest.mark.parametrize("name", [F032, F001, GSSI])
def test_real_header_values_match_sources_md(real, name):
    exp = EXPECTED[name]
    path = real / name
    assert path.stat().st_size == exp["size"]
    assert dzt.is_dzt(path)
    rgs = dzt.read_dzt(path)
    assert len(rgs) == 1
    rg = rgs[0]
    h = rg.header
    for key, value in exp.items():
        if key != "size":
            assert h[key] == value, key
    assert rg.format == "dzt" and rg.channel == 0 and rg.n_channels == 1
    assert rg.antenna.name == exp["rh_antname"] and rg.antenna.frequency_mhz == exp["antenna_mhz"]
    assert rg.n_traces == exp["n_traces"] and rg.n_samples == exp["rh_nsamp"]
    assert rg.dt_ns == pytest.approx(exp["rhf_range"] / exp["rh_nsamp"])
    assert rg.time_zero_ns == -exp["rhf_position"]
    assert h["mark_samples"] == 2
    assert (exp["size"] - exp["data_offset"]) % (exp["rh_nsamp"] * exp["rh_bits"] // 8) == 0
    assert not any("partial scan" in w for w in rg.warnings)
    assert isinstance(rg.raw, np.memmap)
    assert rg.marks == EXPECTED_MARKS[name]
    if exp["rhf_spm"] > 0:
        assert rg.trace_spacing_m == pytest.approx(1 / exp["rhf_spm"])
        assert rg.distance_m[-1] == pytest.approx((exp["n_traces"] - 1) / exp["rhf_spm"])
    else:
        assert rg.trace_spacing_m is None and rg.distance_m is None


def test_real_modification_dates_and_text_fields(real):
    h = dzt.read_dzt(real / F032)[0].header
    assert h["rhb_mdt"] == dt.datetime(2017, 3, 21, 0, 38, 6)
    assert h["rh_name"] == "FILE____032"
    assert h["rhf_depth"] == pytest.approx(2.9394, abs=1e-4)  # 0.3 m/ns * 48 ns / 2 / sqrt(6)
    assert dzt.read_dzt(real / GSSI)[0].header["rhb_mdt"] is None  # field is 0 in the SIR-4000 file


@pytest.mark.parametrize("name", [F032, F001, GSSI])
def test_real_samples_equal_an_independent_fromfile_decode(real, name):
    exp = EXPECTED[name]
    rg = dzt.read_dzt(real / name)[0]
    ref = fromfile_reference(real / name, exp["data_offset"], exp["rh_nsamp"], exp["rh_bits"])[:, 0, :]
    assert rg.raw.dtype == np.dtype(exp["sample_dtype"])
    assert np.array_equal(np.asarray(rg.raw), ref)
    assert np.array_equal(ref[:, 0], np.arange(exp["n_traces"]))  # sample 0: scan counter
    data = rg.data
    assert data.shape == (exp["rh_nsamp"], exp["n_traces"]) and data.dtype == np.float32
    offset = -32768.0 if exp["rh_bits"] == 16 else 0.0
    assert np.array_equal(data, (ref.astype(np.float64) + offset).astype(np.float32).T)
    if exp["rh_bits"] == 16:
        # centred: the radar samples (below the two header words) average near zero
        assert abs(float(data[2:].mean())) < 200
    else:
        assert ref.min() < 0  # 32-bit samples are signed


def _readgssi():
    try:
        from readgssi import dzt as gssi_dzt
    except ImportError:
        if IN_CI:
            pytest.fail("readgssi must be installed in CI (requirements-dev.txt)")
        pytest.skip("readgssi is not installed (pip install readgssi==0.0.22)")
    logging.getLogger("readgssi").setLevel(logging.ERROR)
    return gssi_dzt


@pytest.mark.parametrize("name", [F032, F001, GSSI])
def test_real_samples_and_header_equal_readgssi(real, name, tmp_path):
    gssi_dzt = _readgssi()
    # a copy without the .DZG/.DZX: readgssi 0.0.22 crashes on the altitude-less DZG
    copy = tmp_path / Path(name).name
    shutil.copyfile(real / name, copy)
    header, arrays, _ = gssi_dzt.readdzt(str(copy), verbose=False)
    ours = dzt.read_dzt(copy)[0]
    zero = ours.header["rh_zero"]  # readgssi drops rh_zero samples from the top (1 for the SIR-4000)
    theirs = np.asarray(arrays[0])
    assert theirs.shape == (ours.n_samples - zero, ours.n_traces)
    assert np.array_equal(theirs, np.asarray(ours.raw)[:, zero:].T)
    for key in ("rh_tag", "rh_data", "rh_nsamp", "rh_bits", "rh_zero", "rhf_sps", "rhf_spm", "rhf_mpm",
                "rhf_position", "rhf_range", "rh_nchan", "rhf_epsr", "rhf_top", "rhf_depth", "rh_system",
                "rh_version", "rh_rgain", "rh_nrgain", "rh_npass"):
        assert ours.header[key] == header[key], key
    assert ours.header["data_offset"] == header["data_offset"]
    assert ours.header["rh_antname"] == header["rh_antname"][0]
    assert ours.header["rhb_cdt"] == header["rhb_cdt"].replace(tzinfo=None)
    assert ours.marks == EXPECTED_MARKS[name]


def test_real_dzg_beside_the_sir4000_file_is_parsed(real):
    rg = dzt.read_dzt(real / GSSI)[0]
    assert rg.gps is not None and len(rg.gps) == 14
    assert rg.gps.trace[0] == 23 and np.isnan(rg.gps.alt).all()
    assert any("quality 0" in w for w in rg.warnings)


def test_lower_case_copy_reads_the_same(real, tmp_path):
    copy = tmp_path / "file.dzt"
    shutil.copyfile(real / GSSI, copy)
    shutil.copyfile(real / "dzt/impdar/test_gssi_partialgps.DZG", tmp_path / "file.dzg")
    assert dzt.is_dzt(copy)
    assert readers.detect(copy) == "dzt"
    lower = readers.read(copy)[0]
    upper = dzt.read_dzt(real / GSSI)[0]
    assert np.array_equal(np.asarray(lower.raw), np.asarray(upper.raw))
    for key, value in upper.header.items():
        if key not in ("file_size",):
            assert lower.header[key] == value, key
    assert lower.gps is not None and len(lower.gps) == 13  # the partial DZG
    assert any("scan 143" in w for w in lower.warnings)


def test_other_formats_are_not_dzt(real, tmp_path):
    for other in ("dt1/gprpy_warr/XLINE00.DT1", "segy/rgpr/test.sgy", "mala_rd3/impdar/ten_col.rd3",
                  "dzt/impdar/test_gssi.DZG", "SOURCES.md"):
        assert not dzt.is_dzt(real / other), other
    assert not dzt.is_dzt(tmp_path / "missing.dzt")
    # a broken file named .dzt is still routed to the DZT reader, which names the bad field
    broken = tmp_path / "broken.dzt"
    broken.write_bytes(b"\x01" * 2000)
    assert dzt.is_dzt(broken) and readers.detect(broken) == "dzt"
    with pytest.raises(InputError, match="rh_tag"):
        readers.read(broken)
    renamed = tmp_path / "renamed.bin"
    shutil.copyfile(real / F001, renamed)
    assert dzt.is_dzt(renamed)  # by content


# --------------------------------------------------------------------------- synthetic files


def test_two_channels_are_separated(tmp_path):
    rng = np.random.default_rng(7)
    data = rng.integers(0, 65536, size=(30, 2, 100), dtype=np.uint16)
    data[:, 0, 1] = 0
    data[:, 1, 1] = 0
    data[[3, 17], 0, 1] = 0x6400  # user marks on channel 0 only
    data[[5], 1, 1] = 0x6400
    path = write_dzt(tmp_path / "two.DZT", data, antennas=(b"400MHz", b"3101D"), range_ns=25.0, spm=40.0)
    rgs = dzt.read_dzt(path)
    assert [rg.channel for rg in rgs] == [0, 1] and {rg.n_channels for rg in rgs} == {2}
    assert rgs[0].header["data_offset"] == 2048
    for c, rg in enumerate(rgs):
        assert isinstance(rg.raw, np.memmap)
        assert np.array_equal(np.asarray(rg.raw), data[:, c, :])
        assert rg.data.shape == (100, 30)
        assert np.array_equal(rg.data, data[:, c, :].T.astype(np.float32) - 32768)
        assert rg.dt_ns == pytest.approx(0.25)
        assert rg.distance_m[-1] == pytest.approx(29 / 40)
    assert rgs[0].antenna.frequency_mhz == 400.0 and rgs[1].antenna.frequency_mhz == 900.0
    assert rgs[0].antenna.name == "400MHz" and rgs[1].antenna.name == "3101D"
    assert rgs[0].marks == [3, 17] and rgs[1].marks == [5]


def test_new_style_offset_8_and_32_bit(tmp_path):
    u8 = np.arange(10 * 16, dtype=np.uint8).reshape(10, 1, 16)
    rg = dzt.read_dzt(write_dzt(tmp_path / "u8.dzt", u8, rh_data=4))[0]
    assert rg.header["data_offset"] == 4096 and rg.raw.dtype == np.uint8 and rg.raw_offset == -128.0
    assert np.array_equal(np.asarray(rg.raw), u8[:, 0])
    i32 = np.arange(-50, 50, dtype=np.int32).reshape(5, 1, 20)
    rg = dzt.read_dzt(write_dzt(tmp_path / "i32.dzt", i32, rh_data=2))[0]
    assert rg.raw.dtype == np.int32 and rg.raw_offset == 0.0
    assert np.array_equal(rg.data, i32[:, 0].T.astype(np.float32))


def test_partial_trailing_scan_is_ignored_with_a_warning(tmp_path):
    data = np.zeros((4, 1, 32), dtype=np.uint16)
    rg = dzt.read_dzt(write_dzt(tmp_path / "tail.dzt", data, extra=b"\x01" * 50))[0]
    assert rg.n_traces == 4
    assert any("partial scan" in w and "50 bytes" in w for w in rg.warnings)


def test_unknown_antenna_and_odd_fields_only_warn(tmp_path):
    data = np.zeros((3, 1, 8), dtype=np.uint16)
    rg = dzt.read_dzt(write_dzt(tmp_path / "odd.dzt", data, antennas=(b"X9\xff\x01",), spm=-1.0, epsr=0.0,
                                position_ns=float("nan"), cdt=0xFFFFFFFF))[0]
    assert rg.antenna.name == "X9" and rg.antenna.frequency_mhz is None
    assert rg.trace_spacing_m is None and rg.time_zero_ns == 0.0
    assert rg.header["rhb_cdt"] is None
    text = " ".join(rg.warnings)
    for expected in ("antenna 'X9'", "rhf_spm", "rhf_epsr", "rhf_position"):
        assert expected in text, expected


@pytest.mark.parametrize(("name", "mhz"), [
    ("400MHz", 400.0), ("1.6 GHz", 1600.0), ("5106A", 200.0), ("50400S", 400.0), ("3101D", 900.0),
    ("62000-003", 2000.0), ("9999", None), ("", None), ("MLF", None),
])
def test_antenna_table(name, mhz):
    assert dzt.antenna_frequency_mhz(name) == mhz


def test_packed_dates():
    assert dzt.decode_date(0x4A750497) == dt.datetime(2017, 3, 21, 0, 36, 46)
    assert dzt.decode_date(0) is None
    assert dzt.decode_date(0x0000_0000 | (13 << 21) | (1 << 16)) is None  # month 13


# --------------------------------------------------------------------------- corrupt input


def _good(tmp_path: Path, **fields) -> Path:
    return write_dzt(tmp_path / "c.dzt", np.zeros((8, 1, 64), dtype=np.uint16), **fields)


def _write(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "c.dzt"
    path.write_bytes(content)
    return path


def _patch(path: Path, offset: int, fmt: str, value) -> Path:
    raw = bytearray(path.read_bytes())
    struct.pack_into(fmt, raw, offset, value)
    path.write_bytes(bytes(raw))
    return path


CORRUPT = {
    # name: (builder(tmp_path) -> path, field named in the message)
    "empty file": (lambda t: _write(t, b""), "header"),
    "truncated header": (lambda t: _write(t, _good(t).read_bytes()[:700]), "header"),
    "wrong tag": (lambda t: _patch(_good(t), 0, "<H", 0x1234), "rh_tag"),
    "zero samples": (lambda t: _patch(_good(t), 4, "<H", 0), "rh_nsamp"),
    "zero bits": (lambda t: _patch(_good(t), 6, "<H", 0), "rh_bits"),
    "12 bits": (lambda t: _patch(_good(t), 6, "<H", 12), "rh_bits"),
    "no channel": (lambda t: _patch(_good(t), 52, "<H", 0), "rh_nchan"),
    "17 channels": (lambda t: _patch(_good(t), 52, "<H", 17), "rh_nchan"),
    "4 channels, 1 header": (lambda t: _write(t, header_block(nchan=4) + b"\0" * 500), "rh_nchan"),
    "nsamp huge": (lambda t: _patch(_good(t), 4, "<H", 65535), "rh_nsamp"),
    "data offset beyond EOF": (lambda t: _patch(_good(t), 2, "<H", 1000), "rh_data"),
    "data offset zero": (lambda t: _patch(_good(t), 2, "<H", 0), "rh_data"),
    "range NaN": (lambda t: _patch(_good(t), 26, "<f", float("nan")), "rhf_range"),
    "range negative": (lambda t: _patch(_good(t), 26, "<f", -5.0), "rhf_range"),
    "huge declared sizes": (lambda t: _write(t, header_block(nsamp=65535, bits=32, nchan=16, rh_data=1000) * 16
                                              + b"\0" * 4096), "rh_data"),
    "header only": (lambda t: _write(t, header_block()), "rh_nsamp"),
    "random bytes": (lambda t: _write(t, np.random.default_rng(3).integers(0, 256, 5000, dtype=np.uint8).tobytes()),
                     None),
}


def _rss_kb() -> int:
    """Current resident set (kB): /proc on Linux, else the peak from getrusage."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


@pytest.mark.parametrize("case", sorted(CORRUPT))
def test_corrupt_input_is_an_input_error_naming_file_and_field(tmp_path, case):
    build, field = CORRUPT[case]
    path = build(tmp_path)
    rss = _rss_kb()
    start = time.perf_counter()
    with pytest.raises(InputError) as err:
        dzt.read_dzt(path)
    assert time.perf_counter() - start < 1.0
    assert _rss_kb() - rss < 50_000
    message = str(err.value)
    assert str(path) in message
    if field is not None:
        assert field in message and err.value.params["field"].startswith(field.split()[0]), message
    assert err.value.code.startswith("dzt.")


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="does not exist") as err:
        dzt.read_dzt(tmp_path / "nope.DZT")
    assert "nope.DZT" in str(err.value)
    with pytest.raises(InputError):
        dzt.read_dzt(tmp_path)


# --------------------------------------------------------------------------- memory mapping


def test_two_gigabyte_file_opens_instantly_without_reading(tmp_path):
    path = tmp_path / "big.DZT"
    nsamp, size = 512, 2 * 1024**3
    with open(path, "wb") as f:
        f.write(header_block(nsamp=nsamp, bits=16, rh_data=1024, spm=100.0))
        f.truncate(1024 + size)  # sparse: 2 GiB of zero samples
    gc.collect()
    rss = _rss_kb()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    rg = dzt.read_dzt(path)[0]
    elapsed = time.perf_counter() - start
    assert elapsed < 0.5, elapsed
    assert isinstance(rg.raw, np.memmap)
    assert rg.n_traces == size // (nsamp * 2)
    assert rg.header["marks_scanned"] is False and any("marks were not scanned" in w for w in rg.warnings)
    assert rg.traces_float32(rg.n_traces - 3, rg.n_traces).shape == (nsamp, 3)
    assert _rss_kb() - rss < 200_000
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak < 200_000
    del rg
    gc.collect()


# --------------------------------------------------------------------------- fuzzing

try:
    from hypothesis import HealthCheck, event, given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover
    given = None

#: offsets of the size-bearing header fields, and values that stress them
_FIELD_OFFSETS = [0, 2, 4, 6, 8, 26, 52, 1024 + 4, 1024 + 6]
_NASTY = [0, 1, 2, 3, 4, 7, 8, 16, 17, 32, 64, 127, 128, 255, 256, 512, 1023, 1024, 1025, 2048, 0x7FFF, 0x8000,
          0xFFFF]
_BASES: dict[str, bytes] = {}
_COUNTER = itertools.count()


def _base(name: str) -> bytes:
    if name not in _BASES:
        _BASES[name] = (REAL / name).read_bytes()
    return _BASES[name]


def check_consistent(rgs: list, path: Path) -> None:
    """What a successful read must guarantee."""
    size = path.stat().st_size
    assert len(rgs) >= 1 and all(rg.n_channels == len(rgs) for rg in rgs)
    for c, rg in enumerate(rgs):
        h = rg.header
        assert rg.channel == c
        assert rg.raw.shape == (h["n_traces"], h["rh_nsamp"]) and rg.n_traces >= 1
        assert h["data_offset"] + h["n_traces"] * h["scan_bytes"] <= size
        assert np.isfinite(rg.dt_ns) and rg.dt_ns > 0 and np.isfinite(rg.time_zero_ns)
        data = rg.data
        assert data.shape == (h["rh_nsamp"], h["n_traces"]) and data.dtype == np.float32
        assert all(0 <= m < rg.n_traces for m in rg.marks)
        if rg.distance_m is not None:
            assert rg.distance_m.shape == (rg.n_traces,) and np.isfinite(rg.distance_m).all()
        if rg.gps is not None:
            assert np.all(rg.gps.trace < rg.n_traces)


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("dzt-fuzz")


if given is not None:

    @pytest.mark.fuzz
    @settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=st.data())
    def test_fuzz_mutated_real_headers(real, fuzz_dir, data):
        name = data.draw(st.sampled_from([F032, F001, GSSI]), label="file")
        raw = bytearray(_base(name))
        for pos, value in data.draw(st.lists(st.tuples(st.integers(0, 2047), st.integers(0, 255)), max_size=16),
                                    label="bytes"):
            raw[pos] = value
        for pos, value in data.draw(st.lists(st.tuples(st.sampled_from(_FIELD_OFFSETS), st.sampled_from(_NASTY)),
                                             max_size=3), label="fields"):
            struct.pack_into("<H", raw, pos, value)
        cut = data.draw(st.one_of(st.none(), st.integers(0, len(raw))), label="truncate")
        if cut is not None:
            del raw[cut:]
        path = fuzz_dir / f"f{next(_COUNTER)}.dzt"
        path.write_bytes(bytes(raw))
        try:
            try:
                rgs = dzt.read_dzt(path)
            except InputError as exc:
                assert path.name in str(exc) and "field" in exc.params
                event(f"InputError {exc.code} {exc.params['field']}")
                return
            check_consistent(rgs, path)
            event("read")
        finally:
            rgs = None
            path.unlink()
