"""LAS/LAZ ground: the cloud's CRS (compound, other, none), clouds of another area, damaged LAZ files."""

from __future__ import annotations

import numpy as np
import pytest

from pipemap.core.checks.ground import TinGround, require_same_crs
from pipemap.core.errors import InputError

ORIGIN = (538000.0, 3380000.0)


def cloud(path, crs="EPSG:4547", shift=0.0, n=400, cls=2):
    import laspy
    import pyproj

    rng = np.random.default_rng(3)
    x = ORIGIN[0] + shift + rng.uniform(0, 50, n)
    y = ORIGIN[1] + rng.uniform(0, 50, n)
    laz = str(path).endswith(".laz")
    header = laspy.LasHeader(point_format=6 if laz else 3, version="1.4" if laz else "1.2")
    header.scales = np.array([0.001, 0.001, 0.001])
    header.offsets = np.array([ORIGIN[0], ORIGIN[1], 0.0])
    if crs:
        header.add_crs(pyproj.CRS.from_user_input(crs))
    las = laspy.LasData(header)
    las.x, las.y, las.z = x, y, 20.0 + 0.01 * (x - ORIGIN[0])
    las.classification = np.full(n, cls, dtype=np.uint8)
    las.write(str(path))
    return path


def test_compound_crs_is_compared_by_its_horizontal_part():
    require_same_crs("EPSG:4547+5737", "EPSG:4547")  # CGCS2000 GK CM 117E + Yellow Sea 1985 heights
    with pytest.raises(InputError) as err:
        require_same_crs("EPSG:4546+5737", "EPSG:4547")
    assert err.value.code == "check.ground_crs"


def test_compound_cloud_crs_is_accepted(tmp_path):
    """A LAS 1.4 WKT CRS with heights (laspy writes GeoTIFF keys for 1.2 only for EPSG codes)."""
    tin = TinGround.from_las(cloud(tmp_path / "c.laz", crs="EPSG:4547+5737"), crs="EPSG:4547")
    assert "Gauss" in tin.wkt and "VERTCRS" not in tin.wkt.upper()  # the horizontal part only


@pytest.mark.parametrize("ext", ["las", "laz"])
def test_cloud_crs_is_checked_before_the_points(tmp_path, ext):
    assert TinGround.from_las(cloud(tmp_path / f"c.{ext}"), crs="EPSG:4547").n_points == 400
    other = cloud(tmp_path / f"o.{ext}", crs="EPSG:4326")
    # the bbox would find no points: the CRS must be refused first, not reported as "no ground points"
    with pytest.raises(InputError) as err:
        TinGround.from_las(other, bbox=(0, 0, 1, 1), crs="EPSG:4547")
    assert err.value.code == "check.ground_crs" and "WGS 84" in str(err.value)


def test_cloud_without_crs_has_empty_wkt(tmp_path):
    tin = TinGround.from_las(cloud(tmp_path / "n.las", crs=None), crs="EPSG:4547")
    assert tin.wkt == "" and tin.n_points == 400


def test_cloud_of_another_area_and_cloud_without_ground(tmp_path):
    far = cloud(tmp_path / "far.las", shift=10_000.0)
    bbox = (ORIGIN[0], ORIGIN[1], ORIGIN[0] + 50, ORIGIN[1] + 50)
    with pytest.raises(InputError) as err:
        TinGround.from_las(far, bbox=bbox)
    assert err.value.code == "check.las_elsewhere" and "400 ground-class" in str(err.value)
    veg = cloud(tmp_path / "veg.laz", cls=5)
    with pytest.raises(InputError) as err:
        TinGround.from_las(veg, bbox=bbox)
    assert err.value.code == "check.las_no_ground" and "400 points" in str(err.value)


def test_damaged_laz_is_a_clear_error(tmp_path):
    path = cloud(tmp_path / "whole.laz", n=20000)
    data = path.read_bytes()
    cut = tmp_path / "cut.laz"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError) as err:
        TinGround.from_las(cut)
    assert err.value.code == "check.las_read" and "cut.laz" in str(err.value)
