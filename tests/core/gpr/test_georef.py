"""Placing GPR traces on the map (GPS, per-trace xy, drawn line)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from pipemap.core.errors import InputError
from pipemap.core.gpr import georef
from pipemap.core.gpr.model import Radargram


@dataclass
class Fixes:
    trace: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    alt: np.ndarray


def radargram(n=101):
    return Radargram(path=None, format="test", dt_ns=0.1, raw=np.zeros((n, 8), dtype=np.int16))


def test_gps_interpolated_between_fixes_into_the_map_crs():
    from pyproj import Transformer

    rg = radargram(101)
    # fixes every 25 traces along a straight line heading east near Wuhan
    tr_fwd = Transformer.from_crs("EPSG:4547", "EPSG:4326", always_xy=True)
    xs = 538000.0 + np.array([0, 25, 50, 75, 100]) * 0.05
    lon, lat = tr_fwd.transform(xs, np.full(5, 3380000.0))
    fixes = Fixes(np.array([0, 25, 50, 75, 100]), np.array(lon), np.array(lat), np.full(5, 30.0))
    out = georef.from_gps(rg, fixes, target_crs="EPSG:4547")
    assert out.crs == "EPSG:4547"
    assert np.allclose(out.x, 538000.0 + np.arange(101) * 0.05, atol=0.002)
    assert np.allclose(out.y, 3380000.0, atol=0.002)
    assert out.distance_m[-1] == pytest.approx(5.0, abs=0.005)
    assert out.trace_spacing_m == pytest.approx(0.05, abs=1e-4)
    assert rg.x is None, "the input must not change"


def test_gps_jumps_gaps_and_bad_fixes_are_reported():
    rg = radargram(1001)
    trace = np.array([0, 10, 20, 30, 900, 1000, 5000])
    lon = np.array([114.0, 114.0001, 114.01, 114.0003, 114.0030, 0.0, 114.01])
    lat = np.full(7, 30.5)
    lat[5] = 0.0
    out = georef.from_gps(rg, Fixes(trace, lon, lat, np.full(7, np.nan)), target_crs="EPSG:4547")
    text = " ".join(out.warnings)
    assert "jump at trace 20" in text
    assert "gap between traces" in text
    assert "beyond the profile" in text
    assert "without a usable position" in text
    assert out.z is None and len(out.x) == 1001


def test_gps_without_usable_fix_is_an_error():
    rg = radargram(10)
    with pytest.raises(InputError):
        georef.from_gps(rg, Fixes(np.array([0]), np.array([np.nan]), np.array([np.nan]), np.array([np.nan])))


def test_line_placement_with_spacing_and_start():
    rg = radargram(11)
    line = np.array([[0.0, 0.0], [3.0, 0.0], [3.0, 4.0]])
    out = georef.from_line(rg, line, "EPSG:4547", start_distance_m=1.0, trace_spacing_m=0.5)
    assert out.distance_m[0] == 1.0 and out.distance_m[-1] == 6.0
    assert (out.x[0], out.y[0]) == (1.0, 0.0)
    assert (out.x[-1], out.y[-1]) == pytest.approx((3.0, 3.0))
    long = georef.from_line(rg, line, "EPSG:4547", start_distance_m=5.0, trace_spacing_m=0.5)
    assert any("beyond the drawn line" in w for w in long.warnings)
    assert long.y[-1] == pytest.approx(7.0)  # 10 m along a 7 m line: 3 m further on on the last segment's direction


def test_utm_zone():
    assert georef.utm_crs_for(9.73, 46.41) == "EPSG:32632"
    assert georef.utm_crs_for(-122.3, 47.65) == "EPSG:32610"
