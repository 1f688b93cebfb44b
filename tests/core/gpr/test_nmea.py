"""NMEA 0183 parsing for the GPR GPS side files (GGA/RMC, checksums, garbage)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from pipemap.core.gpr import nmea
from pipemap.core.gpr.nmea import GpsFixes, checksum_ok, dm_to_degrees, merge_epoch, parse_sentence

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def with_checksum(body: str) -> str:
    """``$body*hh``; the checksum is computed here, independently of nmea.py."""
    value = 0
    for byte in body.encode("ascii"):
        value ^= byte
    return f"${body}*{value:02X}"


# real lines from YLINEA0.GPS (RGPR example data)
GGA = "$GPGGA,142008.00,4624.895686,N,00944.015529,E,1,06,1.5,1800.72,M,48.00,M,,*5A"
RMC = "$GPRMC,142007.00,A,4624.895792,N,00944.015502,E,000.0,110.8,110314,0.7,W,A*28"


def test_checksums():
    assert checksum_ok(GGA) is True
    assert checksum_ok(RMC) is True
    assert checksum_ok(GGA.replace("*5A", "*5B")) is False
    assert checksum_ok(GGA.replace("*5A", "*zz")) is False
    assert checksum_ok(GGA.replace("*5A", "*5a")) is True  # lower-case hex is fine
    assert checksum_ok(GGA[:-3]) is None  # no checksum
    assert checksum_ok("no dollar at all") is None


def test_degrees_minutes():
    assert dm_to_degrees("4624.895792", "N") == pytest.approx(46 + 24.895792 / 60, abs=1e-12)
    assert dm_to_degrees("00944.015502", "E") == pytest.approx(9 + 44.015502 / 60, abs=1e-12)
    assert dm_to_degrees("12218.5815", "W") == pytest.approx(-(122 + 18.5815 / 60), abs=1e-12)
    assert dm_to_degrees("4739.2552", "S") == pytest.approx(-(47 + 39.2552 / 60), abs=1e-12)
    for value, hemi in [("", "N"), ("4624.8", ""), ("4661.0", "N"), ("9500.0", "N"), ("18100.0", "E"),
                        ("abc", "N"), ("-4624.8", "N"), ("nan", "N"), ("inf", "E"), ("4624.8", "Q")]:
        assert math.isnan(dm_to_degrees(value, hemi)), (value, hemi)


def test_gga_and_rmc():
    gga = parse_sentence(GGA)
    assert gga.kind == "GGA" and gga.valid and gga.quality == 1
    assert gga.lat == pytest.approx(46.41492810, abs=1e-8)
    assert gga.lon == pytest.approx(9.73359215, abs=1e-8)
    assert gga.alt_m == pytest.approx(1800.72)
    assert gga.time_utc == "14:20:08.00" and gga.date is None
    rmc = parse_sentence(RMC)
    assert rmc.kind == "RMC" and rmc.valid and rmc.date == "2014-03-11"
    assert rmc.time_utc == "14:20:07.00" and math.isnan(rmc.alt_m)
    # other talkers, leading junk, no checksum
    gn = parse_sentence("junk " + with_checksum("GNGGA,010203,5130.0000,N,00007.5000,W,4,12,0.8,11.5,M,,M,,"))
    assert gn.quality == 4 and gn.lat == pytest.approx(51.5) and gn.lon == pytest.approx(-0.125)
    assert parse_sentence(GGA[:-3]).lat == pytest.approx(gga.lat)


def test_empty_fields_and_no_fix():
    """DZG-style GGA without a fix: quality 0, empty altitude (readgssi crashes on it)."""
    line = with_checksum("GPGGA,232426.00,4739.2552,N,12218.5815,W,0,00,,,M,,M,,")
    fix = parse_sentence(line)
    assert fix is not None and not fix.valid and math.isnan(fix.alt_m)
    empty = parse_sentence(with_checksum("GPGGA,,,,,,,,,,,,,,"))
    assert empty is not None and math.isnan(empty.lat) and empty.time_utc is None and empty.quality is None
    short = parse_sentence("$GPRMC,1")
    assert short is not None and math.isnan(short.lat) and not short.valid
    assert merge_epoch([fix, empty, short]) is None


def test_bad_checksum_is_skipped_with_a_warning():
    warnings: list[str] = []
    assert parse_sentence(GGA.replace("*5A", "*00"), warnings, "f.GPS line 3") is None
    assert len(warnings) == 1 and "f.GPS line 3" in warnings[0] and "checksum" in warnings[0]


@pytest.mark.parametrize("line", ["", "$", "$GPGGA", "$GPGSV,3,1,11,05,46,212,38*7C", "$$$,,,*",
                                  "\x00\x01\xff", "Trace #1 at position 0.0", "$GPGGA," + "9" * 5000,
                                  "$GPGGA,٣٣,٤٦٢٤.٨,N,,,١,*", "$GPRMC,999999,A,9999.99,N,99999.9,E,,,999999,,"])
def test_garbage_never_crashes(line):
    fix = parse_sentence(line)
    assert fix is None or isinstance(fix, nmea.NmeaFix)


def test_merge_prefers_gga_and_takes_the_date_from_rmc():
    gga, rmc = parse_sentence(GGA), parse_sentence(RMC)
    lon, lat, alt, time = merge_epoch([rmc, gga])
    assert (lon, lat, alt) == (gga.lon, gga.lat, gga.alt_m)
    assert time == "2014-03-11T14:20:08.00Z"
    lon, lat, alt, time = merge_epoch([rmc])
    assert lat == rmc.lat and math.isnan(alt) and time == "2014-03-11T14:20:07.00Z"
    no_fix = parse_sentence(with_checksum("GPGGA,142008.00,4624.8,N,00944.0,E,0,00,,,M,,M,,"))
    assert merge_epoch([no_fix, rmc])[1] == rmc.lat  # invalid GGA gives way to a valid RMC
    assert merge_epoch([]) is None


def test_gps_fixes_within():
    fixes = GpsFixes.from_records([(0, 1.0, 2.0, 3.0, None), (5, 1.5, 2.5, math.nan, "12:00:00"),
                                   (-1, 0.0, 0.0, 0.0, None)])
    assert len(fixes) == 3 and fixes.trace.dtype == np.int64
    kept = fixes.within(3, "x.cor")
    assert kept.trace.tolist() == [0] and kept.time == [None]
    assert len(kept.warnings) == 1 and "x.cor" in kept.warnings[0]
    assert fixes.within(10, "x.cor").trace.tolist() == [0, 5]
    assert fixes.within(10, "x.cor") is not fixes and len(fixes.warnings) == 0


def test_summarise():
    assert nmea.summarise(["a"] * 3) == ["a"] * 3
    out = nmea.summarise([str(i) for i in range(12)], limit=5)
    assert out[:5] == ["0", "1", "2", "3", "4"] and "7 more" in out[5]


@pytest.mark.fuzz
@given(st.text(max_size=200))
def test_fuzz_any_text(text):
    warnings: list[str] = []
    fix = parse_sentence(text, warnings)
    assert fix is None or isinstance(fix, nmea.NmeaFix)
    fix = parse_sentence("$GPGGA," + text, warnings)
    assert fix is None or isinstance(fix, nmea.NmeaFix)
    fix = parse_sentence("$GPRMC," + text, warnings)
    assert fix is None or (fix.kind == "RMC" and (math.isnan(fix.lat) or -90 <= fix.lat <= 90))


@pytest.mark.fuzz
@given(st.floats(-89.999, 89.999), st.floats(-179.999, 179.999), st.floats(-400, 9000))
def test_fuzz_round_trip(lat, lon, alt):
    def dm(value: float, width: int) -> str:
        total_min = round(abs(value) * 60, 6)  # round first: 59.9999999' must not print as 60'
        deg = int(total_min // 60)
        return f"{deg:0{width}d}{total_min - deg * 60:09.6f}"

    body = (f"GPGGA,120000.00,{dm(lat, 2)},{'N' if lat >= 0 else 'S'},{dm(lon, 3)},{'E' if lon >= 0 else 'W'},"
            f"1,08,0.9,{alt:.3f},M,0.0,M,,")
    fix = parse_sentence(with_checksum(body))
    assert fix is not None and fix.valid
    assert fix.lat == pytest.approx(lat, abs=2e-7) and fix.lon == pytest.approx(lon, abs=2e-7)
    assert fix.alt_m == pytest.approx(alt, abs=1e-3)
