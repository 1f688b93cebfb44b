"""Ground surfaces: TIN from points and LAS/LAZ ground class, CRS checks."""

from __future__ import annotations

import numpy as np
import pytest

from pipemap.core.checks.ground import TinGround, require_same_crs
from pipemap.core.errors import InputError


def plane(x, y):
    return 2.0 + 0.1 * x - 0.05 * y


def grid(n=15, size=50.0, origin=(538000.0, 3380000.0)):
    xs, ys = np.meshgrid(np.linspace(0, size, n), np.linspace(0, size, n))
    rng = np.random.default_rng(0)
    x = xs.ravel() + rng.uniform(-0.5, 0.5, xs.size) + origin[0]
    y = ys.ravel() + rng.uniform(-0.5, 0.5, ys.size) + origin[1]
    return x, y


def test_tin_interpolates_a_plane_exactly_and_is_nan_outside():
    x, y = grid()
    tin = TinGround.from_points(x, y, plane(x - 538000, y - 3380000))
    qx = 538000 + np.array([10.3, 25.0, 40.7, -20.0])
    qy = 3380000 + np.array([5.5, 25.0, 44.1, 10.0])
    got = tin(qx, qy)
    assert got[:3] == pytest.approx(plane(qx[:3] - 538000, qy[:3] - 3380000), abs=1e-9)
    assert np.isnan(got[3])


def test_tin_is_linear_inside_a_triangle():
    tin = TinGround.from_points(np.array([0.0, 10.0, 0.0]), np.array([0.0, 0.0, 10.0]), np.array([0.0, 10.0, 20.0]))
    assert tin(np.array([2.0]), np.array([3.0]))[0] == pytest.approx(2.0 + 6.0)


def test_tin_needs_three_distinct_points():
    with pytest.raises(InputError) as err:
        TinGround.from_points(np.array([0.0, 0.0, 1.0]), np.array([0.0, 0.0, 1.0]), np.array([1.0, 1.0, 1.0]))
    assert err.value.code == "check.tin_points"
    with pytest.raises(InputError) as err:
        TinGround.from_points(np.arange(5.0), np.arange(5.0), np.zeros(5))
    assert err.value.code == "check.tin_degenerate"


def write_las(path, x, y, z, cls):
    import laspy

    header = laspy.LasHeader(point_format=3, version="1.2")
    header.scales = np.array([0.001, 0.001, 0.001])
    header.offsets = np.array([538000.0, 3380000.0, 0.0])
    las = laspy.LasData(header)
    las.x, las.y, las.z = x, y, z
    las.classification = cls
    las.write(str(path))
    return path


@pytest.mark.parametrize("ext", ["las", "laz"])
def test_las_ground_class_only(tmp_path, ext):
    x, y = grid()
    z = plane(x - 538000, y - 3380000)
    rng = np.random.default_rng(1)
    trees = rng.random(len(x)) < 0.3
    zz = np.where(trees, z + 8.0, z)  # vegetation (class 5) well above the ground
    cls = np.where(trees, 5, 2).astype(np.uint8)
    path = write_las(tmp_path / f"cloud.{ext}", x, y, zz, cls)
    tin = TinGround.from_las(path)
    assert tin.n_points == int((~trees).sum())
    qx, qy = np.array([538020.0, 538031.0]), np.array([3380020.0, 3380012.0])
    assert tin(qx, qy) == pytest.approx(plane(qx - 538000, qy - 3380000), abs=2e-3)  # mm scale in the file
    small = TinGround.from_las(path, bbox=(538000, 3380000, 538025, 3380025))
    assert small.n_points < tin.n_points
    assert np.isnan(small(np.array([538045.0]), np.array([3380045.0])))[0]


def test_las_without_ground_points_or_file(tmp_path):
    x, y = grid(4)
    path = write_las(tmp_path / "veg.las", x, y, np.zeros(len(x)), np.full(len(x), 5, dtype=np.uint8))
    with pytest.raises(InputError) as err:
        TinGround.from_las(path)
    assert err.value.code == "check.las_no_ground"
    with pytest.raises(InputError) as err:
        TinGround.from_las(tmp_path / "none.laz")
    assert err.value.code == "check.las_missing"
    bad = tmp_path / "bad.las"
    bad.write_bytes(b"not a las file at all")
    with pytest.raises(InputError) as err:
        TinGround.from_las(bad)
    assert err.value.code == "check.las_read"


def test_ground_and_pipes_must_share_a_crs():
    require_same_crs("EPSG:4547", "EPSG:4547")
    require_same_crs("", "EPSG:4547")  # unknown: nothing to compare
    with pytest.raises(InputError) as err:
        require_same_crs("EPSG:4326", "EPSG:4547")
    assert err.value.code == "check.ground_crs" and "WGS 84" in str(err.value)
