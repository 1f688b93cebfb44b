"""Cover check: sampling, motor lanes, verdicts and bad ground, computed by hand.

Ground at 0 m unless said otherwise; without a ground-derived depth below
1 m, h = 1 m and u = 0.15 m.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from pipemap.core.checks import cover, geometry
from pipemap.core.checks.pipes import Pipes
from pipemap.core.checks.rules import RuleSet

MM = 1e-3


def flat(x, y):
    return np.zeros(np.shape(x))


def one(coords, cls="G", r=0.1, cat="RQ", rv=None):
    v = np.array(coords, dtype=float)
    if v.shape[1] == 2:
        v = np.column_stack([v, np.full(len(v), np.nan)])
    return Pipes.from_arrays(["p"], v, [0, len(v)], [r], [r if rv is None else rv], category=[cat],
                             h_class=[""], v_class=[""], cover_class=[cls])


@pytest.fixture(scope="module")
def rules():
    return RuleSet.shipped()


def test_samples_at_vertices_and_every_metre():
    v = np.array([[0, 0, 0], [2.5, 0, 0], [2.5, 2, 0], [9, 9, 9], [9, 9.5, 9]], dtype=float)
    pipe, start, t = geometry.sample_polylines(v, np.array([0, 3, 5]), 1.0)
    pts = geometry.interpolate(v, start, t)
    first = pts[pipe == 0]
    along = np.concatenate([first[first[:, 1] == 0, 0], 2.5 + first[(first[:, 0] == 2.5) & (first[:, 1] > 0), 1]])
    assert sorted(set(np.round(along, 9))) == [0, 1, 2, 2.5, 3, 4, 4.5]  # plan distances along the pipe
    assert len(pts[pipe == 1]) == 2  # a 0.5 m pipe: its two vertices


def test_motor_lane_requirement_inside_the_carriageway(rules):
    # gas centre -1.0, r 0.1: cover 0.9 everywhere; G: 0.6 non-motor (margin 0.3 >= U 0.15: PASS),
    # 0.9 motor (margin 0.0 < 0.15: UNCERTAIN) where x >= 5
    road = shapely.box(5, -10, 20, 10)
    f = cover.check_cover(one([(0, 0, -1), (10, 0, -1)]), rules, flat, [road])
    (r,) = f.records()
    assert r["verdict"] == "UNCERTAIN" and r["surface"] == "motor" and r["required_m"] == 0.9
    assert r["min_cover_m"] == pytest.approx(0.9) and r["margin_m"] == pytest.approx(0.0, abs=1e-9)
    assert r["rule_id"] == "C09" and r["severity"] == "warning" and r["advice"] == "verify by exposure"
    assert r["samples"] == 11 and r["unknown_samples"] == 0
    assert r["x"] == pytest.approx(5.0)  # the carriageway edge counts as carriageway
    assert len(cover.check_cover(one([(0, 0, -1), (10, 0, -1)]), rules, flat)) == 0  # no roads: PASS


def test_sloped_pipe_fails_where_it_rises(rules):
    # centre from -1.0 to -0.5: cover 0.9 ... 0.4; non-motor 0.6: at x = 10 margin -0.2 < -0.15: FAIL
    f = cover.check_cover(one([(0, 0, -1.0), (10, 0, -0.5)]), rules, flat)
    (r,) = f.records()
    assert r["verdict"] == "FAIL" and r["x"] == pytest.approx(10) and r["min_cover_m"] == pytest.approx(0.4)
    assert r["margin_m"] == pytest.approx(-0.2)


def test_box_cover_uses_half_height_and_ground_depth_sets_u(rules):
    # a trench box 3 m deep: top at -2.5 + 0.5 = -2.0: cover 2.0; TR motor 0.5: PASS;
    # h = 2.5 m -> u = 0.375
    f = cover.check_cover(one([(0, 0, -2.5), (10, 0, -2.5)], cls="TR", r=1.0, rv=0.5, cat="QT"), rules, flat,
                          [shapely.box(-5, -5, 15, 5)], include_pass=True)
    (r,) = f.records()
    assert r["min_cover_m"] == pytest.approx(2.0) and r["verdict"] == "PASS"
    assert r["uncertainty_m"] == pytest.approx(0.375)


def test_ground_outside_the_dem_is_unknown_not_pass(rules):
    def partial(x, y):
        return np.where(np.asarray(x) > 6, np.nan, 0.0)

    f = cover.check_cover(one([(0, 0, -1.5), (10, 0, -1.5)]), rules, partial)
    (r,) = f.records()
    assert r["verdict"] == "UNKNOWN" and r["reason"] == "no_ground" and r["unknown_samples"] == 4
    assert any(m.code == "check.ground_outside" for m in f.messages)
    # a known sample that fails still makes the pipe FAIL
    (r,) = cover.check_cover(one([(0, 0, -0.3), (10, 0, -1.5)]), rules, partial).records()
    assert r["verdict"] == "FAIL" and r["x"] == pytest.approx(0)


def test_no_ground_no_z_no_rule_no_class(rules):
    f = cover.check_cover(one([(0, 0, -1), (10, 0, -1)]), rules, None)
    assert f.records()[0]["reason"] == "no_ground" and any(m.code == "check.no_ground" for m in f.messages)
    f = cover.check_cover(one([(0, 0), (10, 0)]), rules, flat)
    assert f.records()[0]["reason"] == "no_z"
    # the utility trench has no sidewalk (non-motor) value: no_rule, never PASS
    f = cover.check_cover(one([(0, 0, -2), (10, 0, -2)], cls="TR", cat="QT"), rules, flat, include_pass=True)
    assert f.records()[0]["reason"] == "no_rule" and f.records()[0]["rule_id"] == "no_rule"
    assert f.counts["no_rule"] == 1
    f = cover.check_cover(one([(0, 0, -2), (10, 0, -2)], cls=""), rules, flat)
    assert f.records()[0]["reason"] == "class_missing"
    f = cover.check_cover(one([(0, 0, -2), (10, 0, -2)], r=float("nan")), rules, flat)
    assert f.records()[0]["reason"] == "no_size"


def test_a_pipe_without_a_line_is_unknown_not_left_out(rules):
    v = np.array([[0, 0, -1], [10, 0, -1], [5, 5, -1]], dtype=float)
    p = Pipes.from_arrays(["ok", "point"], v, [0, 2, 3], [0.1, 0.1], category=["RQ", "RQ"], h_class=["", ""],
                          v_class=["", ""], cover_class=["G", "G"])
    f = cover.check_cover(p, rules, flat)
    (r,) = f.records()
    assert r["pipe_id"] == "point" and r["verdict"] == "UNKNOWN" and r["reason"] == "no_geometry"
    assert (r["x"], r["y"]) == (5, 5)
    assert any(m.code == "check.short_pipe" for m in f.messages)


def test_self_intersecting_road_polygon_is_repaired_with_a_message(rules):
    bowtie = shapely.Polygon([(5, -5), (15, 5), (15, -5), (5, 5)])
    assert not bowtie.is_valid
    f = cover.check_cover(one([(0, 0, -1), (20, 0, -1)]), rules, flat, [bowtie], road_ids=["R7"])
    msgs = [m for m in f.messages if m.code == "check.invalid_polygon"]
    assert msgs and "R7" in str(msgs[0])
    (r,) = f.records()
    assert r["surface"] == "motor" and r["x"] == pytest.approx(5)  # repaired into two triangles, x in [5, 15]


def test_not_a_polygon_is_an_error(rules):
    from pipemap.core.errors import InputError

    with pytest.raises(InputError) as err:
        cover.check_cover(one([(0, 0, -1), (20, 0, -1)]), rules, flat, [shapely.LineString([(0, 0), (1, 1)])])
    assert err.value.code == "check.not_polygon"


def test_dem_bilinear_cover(tmp_path, rules):
    from osgeo import gdal

    from pipemap.core.checks.ground import dem_ground

    path = tmp_path / "dem.tif"
    ds = gdal.GetDriverByName("GTiff").Create(str(path), 40, 20, 1, gdal.GDT_Float32)
    ds.SetGeoTransform((-10, 1.0, 0, 10, 0, -1.0))
    xs = -10 + np.arange(40) + 0.5
    ys = 10 - np.arange(20) - 0.5
    ds.GetRasterBand(1).WriteArray((10 + 0.05 * xs[None, :] + 0.0 * ys[:, None]).astype(np.float32))
    ds = None
    dem = dem_ground(path)
    # ground 10 + 0.05 x (bilinear reproduces a plane): cover = 10 + 0.05 x - (9.2 + 0.1), least at x = 0:
    # 0.7 m; margin 0.7 - 0.6 = 0.1 < u = 0.15 (h = 0.8 m -> 1 m): UNCERTAIN
    f = cover.check_cover(one([(0, 0, 9.2), (20, 0, 9.2)]), rules, dem)
    (r,) = f.records()
    assert r["x"] == pytest.approx(0) and r["min_cover_m"] == pytest.approx(0.7, abs=MM)
    assert r["ground_z"] == pytest.approx(10.0, abs=MM) and r["verdict"] == "UNCERTAIN"
