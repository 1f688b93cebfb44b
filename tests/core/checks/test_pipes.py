"""The checks' input: building Pipes, input problems, CRS and the sample district end to end."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
import shapely

from pipemap.core import mapfile, mapread, sample_district
from pipemap.core.checks import clash, cover, excavation
from pipemap.core.checks.ground import dem_ground
from pipemap.core.checks.pipes import Pipes, require_projected
from pipemap.core.checks.rules import CLASS_MISSING, RuleSet
from pipemap.core.errors import InputError


@pytest.fixture(scope="module")
def rules():
    return RuleSet.shipped()


def test_from_segments_zero_size_is_a_cable_only_for_power_and_telecom(rules):
    seg = SimpleNamespace(
        ids=["a", "b", "c"], category=["DL", "JS", "PS"], subcategory=["", "", "YS"],
        vertices=np.array([[0, 0, -1], [1, 0, -1], [0, 1, -1], [1, 1, -1], [0, 2, -2], [1, 2, -2]], dtype=float),
        offsets=np.array([0, 2, 4, 6]), width_m=np.array([0.0, 0.0, 1.0]), height_m=np.array([0.0, 0.0, 0.8]),
        owner=["x", "y", "z"])
    p = Pipes.from_segments(seg, rules, attributes={"burial_method": ["ZM", "ZM", ""], "dn_mm": [np.nan, 150, 800]})
    assert p.radius_h_m[0] == 0.0 and np.isnan(p.radius_h_m[1]) and p.radius_h_m[2] == 0.5 and p.radius_v_m[2] == 0.4
    assert p.h_class.tolist() == ["P_D", "WS_S", "SD"]
    assert any(m.code == "check.no_size" for m in p.problems())


def test_input_problems_are_named(rules):
    v = np.array([[0, 0, -1], [1, 0, -1], [5, 5, np.nan], [np.nan, 1, -1], [2, 2, -1], [3, 3, np.nan]])
    p = Pipes.from_arrays(["ok", "single", "nanxy", "noz"], v, [0, 2, 3, 5, 6], [0.1] * 4,
                          category=["JS"] * 4, h_class=["WS_S", "WS_S", "", "WS_S"], v_class=["WS"] * 4)
    codes = {m.code: str(m) for m in p.problems()}
    assert "single" in codes["check.short_pipe"] and "nanxy" in codes["check.bad_xy"]
    assert "noz" in codes["check.missing_z"] or "nanxy" in codes["check.missing_z"]
    assert "check.class_missing" in codes and p.h_status[2] == CLASS_MISSING
    assert p.usable().tolist() == [True, False, False, False]
    with pytest.raises(InputError) as err:
        Pipes.from_arrays(["a"], v[:2], [0, 2], [-0.1]).problems()
    assert err.value.code == "check.negative_size"
    with pytest.raises(InputError):
        Pipes.from_arrays(["a"], v[:2], [0, 3], [0.1])
    with pytest.raises(InputError):
        Pipes.from_arrays(["a", "b"], v[:2], [0, 2], [0.1])


def test_a_2d_layer_is_reported_and_every_vertical_figure_unknown(rules):
    v = np.array([[0, 0], [10, 0], [5, -5], [5, 5]], dtype=float)
    p = Pipes.from_arrays(["a", "b"], v, [0, 2, 4], [0.1, 0.1], category=["RQ", "RL"], h_class=["G_MA", "H"],
                          v_class=["G", "H"], cover_class=["G", "H"])
    f = clash.check_clash(p, rules)
    assert [m.code for m in f.messages] == ["check.no_z"]
    assert set(f.verdict) == {"UNKNOWN"} and f.counts["PASS"] == 0
    c = cover.check_cover(p, rules, lambda x, y: np.zeros(np.shape(x)))
    assert set(c.verdict) == {"UNKNOWN"} and set(c.reason) == {"no_z"}


def test_metres_are_required():
    require_projected("EPSG:4547")
    with pytest.raises(InputError) as err:
        require_projected("EPSG:4490")  # CGCS2000 geographic
    assert err.value.code == "check.geographic_crs"
    with pytest.raises(InputError) as err:
        require_projected("EPSG:2230")  # US survey feet
    assert err.value.code == "check.crs_units"


# --------------------------------------------------------------------------- the sample district


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    from pipemap.core.survey.importer import import_survey

    folder = tmp_path_factory.mktemp("district")
    d = sample_district.generate(folder, errors=False)
    m = folder / "map.gpkg"
    mapfile.create_map(m, "EPSG:4547")
    assert import_survey(m, d.tables).committed
    seg = mapread.read_segments(m)
    return d, m, seg


@pytest.mark.slow
def test_sample_district_checks(district, rules):
    d, m, seg = district
    p = Pipes.from_segments(seg, rules)  # the class attributes read with the segments
    assert set(p.h_class[p.category == "PS"]) == {"SD"} and set(p.h_class[p.category == "QT"]) == {"TR"}
    dem = dem_ground(d.dem)
    f = clash.check_clash(p, rules, dem)
    assert "PASS" not in set(f.verdict) and len(f) > 50
    tunnel = (f.class_a == "TR") | (f.class_b == "TR")
    drains = (f.class_a == "SD") | (f.class_b == "SD")
    # the utility tunnel is crossed by the storm drains, whose bottoms are below its roof
    sel = tunnel & drains & (f.kind == "vertical")
    assert sel.any() and (f.clearance_m[sel] < 0).all()
    # industrial lines have no GB 50289 class: no_rule, never PASS
    assert f.counts["no_rule"] > 0 and set(f.verdict[f.reason == "no_rule"]) == {"UNKNOWN"}
    assert not ((f.kind == "order") & (f.verdict == "FAIL")).any()  # water above the drains everywhere
    from osgeo import ogr

    ds = ogr.Open(str(d.roads))
    roads = [shapely.from_wkb(bytes(feat.GetGeometryRef().ExportToWkb())) for feat in ds.GetLayer(0)]
    ds = None
    c = cover.check_cover(p, rules, dem, roads)
    # the street-light cables (0.8 m) are too shallow where they cross the carriageways (1.0 m motor lane)
    lights = (c.category == "DL") & (c.cover_class == "P_D") & (c.surface == "motor")
    assert lights.any() and set(c.verdict[lights]) == {"FAIL"}
    x0, y0, x1, y1 = d.extent
    cx, cy = sample_district.ORIGIN[0] + 200, sample_district.ORIGIN[1] + 200  # a street crossing
    e = excavation.check_excavation(p, [shapely.box(cx - 16, cy - 16, cx + 16, cy + 16)], safety_m=0.5, depth_m=2.0,
                                    ground=dem, exc_ids=["pit"])
    assert {"PS", "JS", "RQ"} <= set(e.category) and all(e.owner)
    assert np.isfinite(e.depth_m).all()
