"""GSSI .DZG GPS logs (core.gpr.dzg): real files, tolerance, fuzzing.

Expected values: ``shared/data/gpr/real/SOURCES.md`` (test_gssi.DZG: 14
``$GSSIS`` blocks at scans 23, 47, ... 335, GGA quality 0, empty altitude,
47°39.2552'N 122°18.5815'W; the partial file lacks some GGA sentences).
"""

from __future__ import annotations

import math
import os
import time
from pathlib import Path

import numpy as np
import pytest

from pipemap.core.gpr import dzg

REAL = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "gpr" / "real"
IMPDAR = REAL / "dzt" / "impdar"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

LAT = 47 + 39.2552 / 60  # 4739.2552 N
LON = -(122 + 18.5815 / 60)  # 12218.5815 W


@pytest.fixture(scope="module")
def real() -> Path:
    if not REAL.is_dir():
        if IN_CI:
            pytest.fail(f"real GPR sample folder {REAL} missing in CI")
        pytest.skip(f"real GPR sample folder {REAL} not present")
    return REAL


def nmea(body: str) -> str:
    """A sentence with its correct checksum."""
    value = 0
    for ch in body:
        value ^= ord(ch)
    return f"${body}*{value:02X}"


# --------------------------------------------------------------------------- real files


def test_real_dzg_has_14_fixes_without_altitude(real):
    fixes = dzg.read_dzg(IMPDAR / "test_gssi.DZG")
    assert len(fixes) == 14
    assert fixes.trace.tolist() == list(range(23, 336, 24))
    assert fixes.trace.dtype == np.int64
    assert np.allclose(fixes.lat, LAT, atol=1e-9) and np.allclose(fixes.lon, LON, atol=1e-9)
    assert np.isnan(fixes.alt).all()
    assert fixes.quality.tolist() == [0] * 14
    assert fixes.time[:2] == ["00:03:20", "00:03:21"]
    assert fixes.time_s.tolist() == [200.0 + i for i in range(14)]  # 00:03:20 ... 00:03:33, one per second
    assert fixes.date == ""
    assert any("quality 0" in w for w in fixes.warnings)
    assert fixes.path == IMPDAR / "test_gssi.DZG"


def test_real_partial_dzg_skips_the_block_without_gga(real):
    fixes = dzg.read_dzg(IMPDAR / "test_gssi_partialgps.DZG")
    assert 143 not in fixes.trace.tolist()
    assert fixes.trace.tolist() == [t for t in range(23, 336, 24) if t != 143]
    assert any("scan 143" in w for w in fixes.warnings)
    assert np.isnan(fixes.alt).all() and np.isfinite(fixes.lat).all()


def test_lower_case_dzg_is_found_beside_a_lower_case_dzt(tmp_path, real):
    (tmp_path / "line.dzt").write_bytes(b"")
    (tmp_path / "line.dzg").write_bytes((IMPDAR / "test_gssi.DZG").read_bytes())
    assert dzg.find_dzg(tmp_path / "line.dzt") == tmp_path / "line.dzg"
    assert dzg.find_dzg(tmp_path / "none.dzt") is None


# --------------------------------------------------------------------------- tolerance


def test_gga_and_rmc_are_combined_per_block():
    text = "\n".join([
        "$GSSIS,10,123",
        nmea("GPRMC,101500.50,A,3030.0000,N,11415.0000,E,0.5,90.0,020324,,"),
        nmea("GNGGA,101500.50,3030.0000,N,11415.0000,E,4,12,0.8,25.5,M,-10.2,M,,"),
        "",
        "$GSSIS,20,124",
        nmea("GPRMC,101501.00,A,3030.0060,S,11415.0060,W,0.5,90.0,020324,,"),  # RMC only
        "",
        "$GSSIS,30,125",
        nmea("GPGSV,3,1,12,01,40,083,46"),  # not a position sentence: block without fix
    ])
    fixes = dzg.parse_dzg_text(text)
    assert fixes.trace.tolist() == [10, 20]
    assert fixes.lat[0] == pytest.approx(30.5) and fixes.lon[0] == pytest.approx(114.25)
    assert fixes.lat[1] == pytest.approx(-30.5001) and fixes.lon[1] == pytest.approx(-114.2501)
    assert fixes.alt[0] == 25.5 and math.isnan(fixes.alt[1])
    assert fixes.quality.tolist() == [4, 1]
    assert fixes.time == ["2024-03-02T10:15:00.50Z", "2024-03-02T10:15:01.00Z"]
    assert fixes.time_s[0] == pytest.approx(36900.5)
    assert fixes.date == "2024-03-02"
    assert any("scan 30" in w for w in fixes.warnings)


def test_bad_checksum_empty_fields_and_garbage_only_warn():
    text = "\n".join([
        "\x00\x01\x02 binary junk \xff",
        nmea("GPGGA,000001,4739.2552,N,12218.5815,W,1,05,1.0,10.0,M,,M,,"),  # before any $GSSIS
        "$GSSIS,1,-1",
        "$GPGGA,000002,4739.2552,N,12218.5815,W,1,05,1.0,10.0,M,,M,,*00",  # wrong checksum
        "$GSSIS,2,-1",
        "$GPGGA,,,,,,0,00,,,M,,M,,",  # no fix, no position
        "$GSSIS,3,-1",
        "$GPGGA,000004,4739.2552,N,12218.5815,W",  # truncated after the position
        "$GSSIS,not-a-number,-1",
        nmea("GPGGA,000005,4739.2552,N,12218.5815,W,1,05,1.0,10.0,M,,M,,"),
        "$GSSIS,4,-1",
        nmea("GPGGA,000006,9939.2552,N,12218.5815,W,1,05,1.0,10.0,M,,M,,"),  # latitude > 90
        "$GSSIS,5,-1",
        "$GPGGA,000007,4760.0000,N,12218.5815,W,1,05,1.0,10.0,M,,M,,",  # 60 minutes
        "$GSSIS",
        "$GSSIS,-4",
        "$GPGGA",
        "x" * 10000,  # an over-long line
        "$GSSIS,6,-1",
        "$GPGGA,000009,4739.2552,N,12218.5815,W,2,05,1.0,,M,,M,,",  # no altitude
    ])
    fixes = dzg.parse_dzg_text(text)
    assert fixes.trace.tolist() == [3, 6]
    assert fixes.quality.tolist() == [-1, 2]  # quality field missing in the truncated GGA
    assert np.isnan(fixes.alt).all()
    warnings = " ".join(fixes.warnings)
    for expected in ("checksum", "not NMEA", "not preceded by a valid $GSSIS", "scan 2", "invalid scan number",
                     "longer than"):
        assert expected in warnings, expected
    assert len(fixes.warnings) <= dzg.MAX_WARNINGS + 1


def test_unsorted_and_duplicate_scans_are_sorted_and_deduplicated():
    text = "\n".join([
        "$GSSIS,50", nmea("GPGGA,000001,4739.0000,N,12218.0000,W,1,05,1.0,1.0,M,,M,,"),
        "$GSSIS,10", nmea("GPGGA,000002,4739.0000,N,12218.0000,W,1,05,1.0,2.0,M,,M,,"),
        "$GSSIS,50", nmea("GPGGA,000003,4739.0000,N,12218.0000,W,1,05,1.0,3.0,M,,M,,"),
    ])
    fixes = dzg.parse_dzg_text(text)
    assert fixes.trace.tolist() == [10, 50]
    assert fixes.alt.tolist() == [2.0, 1.0]
    assert fixes.time == ["00:00:02", "00:00:01"]
    assert any("sorted" in w for w in fixes.warnings) and any("repeat" in w for w in fixes.warnings)


def test_empty_and_binary_files(tmp_path):
    empty = tmp_path / "empty.DZG"
    empty.write_bytes(b"")
    fixes = dzg.read_dzg(empty)
    assert len(fixes) == 0 and fixes.trace.dtype == np.int64
    binary = tmp_path / "binary.DZG"
    binary.write_bytes(np.random.default_rng(1).integers(0, 256, 200_000, dtype=np.uint8).tobytes())
    start = time.perf_counter()
    fixes = dzg.read_dzg(binary)
    assert time.perf_counter() - start < 5.0
    assert len(fixes) == 0


def test_within_drops_fixes_beyond_the_profile():
    fixes = dzg.parse_dzg_text("$GSSIS,5\n" + nmea("GPGGA,000001,4739.0000,N,12218.0000,W,1,05,1.0,1.0,M,,M,,")
                               + "\n$GSSIS,500\n" + nmea("GPGGA,000002,4739.0000,N,12218.0000,W,1,05,1,2,M,,M,,"))
    inside = fixes.within(100, "x.DZG")
    assert inside.trace.tolist() == [5] and inside.time == ["00:00:01"]
    assert any("x.DZG" in w and "1 GPS fixes" in w for w in inside.warnings)
    assert fixes.within(1000) is fixes


# --------------------------------------------------------------------------- fuzzing

try:
    from hypothesis import given
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover
    given = None

if given is not None:
    _TOKENS = st.sampled_from([
        "$GSSIS", "$GPGGA", "$GNRMC", "$GPRMC", "$GPGSV", ",", ",,", "N", "S", "E", "W", "M", "A", "V", "*",
        "4739.2552", "12218.5815", "000320", "123519.00", "230394", "-1", "0", "1", "4", "99", "9999999",
        "1e309", "nan", "-", ".", "\n", "\r\n", "\x00", "\xff", " ",
    ])

    @pytest.mark.fuzz
    @given(parts=st.lists(st.one_of(_TOKENS, st.text(max_size=8)), max_size=80))
    def test_fuzz_dzg_never_raises(parts):
        fixes = dzg.parse_dzg_text("".join(parts))
        n = len(fixes)
        assert fixes.lon.shape == fixes.lat.shape == fixes.alt.shape == fixes.quality.shape == (n,)
        assert len(fixes.time) == n and fixes.time_s.shape == (n,)
        assert np.all(np.abs(fixes.lat) <= 90) and np.all(np.abs(fixes.lon) <= 180)
        assert np.all(np.diff(fixes.trace) > 0) and np.all(fixes.trace >= 0)
