"""LAS/LAZ export of GPR picks, read back with laspy."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from pipemap.core import schema
from pipemap.core.errors import InputError
from pipemap.core.export import formats, las, model, profiles
from pipemap.core.progress import RecordingProgress

laspy = pytest.importorskip("laspy")

FIELDS = model.PICK_FIELDS + (schema.Field("eps_r", "real"), schema.Field("amplitude", "real"),
                              schema.Field("polarity", "integer"))


def picks_layer(n: int = 12) -> model.LayerData:
    rows = [{"pick_id": f"line1:{i + 1}", "survey_id": "line1", "kind": "hyperbola", "distance_m": 0.5 * i,
             "depth_m": 0.8 + 0.05 * i, "t0_ns": 12.0 + i, "velocity_m_ns": 0.1, "radius_m": None if i % 3 else 0.1,
             "confidence": 0.5 + i / 40, "category": "JS", "eps_r": 9.0, "amplitude": 1000.0 - i,
             "polarity": 1 if i % 2 else -1} for i in range(n)]
    xyz = np.array([[538100.0 + 1.25 * i, 3380100.0 + 0.5 * i, (24.5 - 0.05 * i) if i != 4 else np.nan]
                    for i in range(n)])
    return model.LayerData.from_rows("gpr_pick", FIELDS, rows, xyz)


@pytest.fixture(scope="module")
def base_data(rich_map):
    path, _, _ = rich_map
    return path


def test_picks_read_back_with_laspy(base_data, tmp_path):
    data = model.read_map(base_data, profiles.load_profile("planning"), picks=picks_layer())
    progress = RecordingProgress()
    files = las.write(data, tmp_path, formats.ExportOptions(basename="share"), progress)
    assert len(files) == 1 and files[0].name in ("share_pick.laz", "share_pick.las")
    assert sorted(p.name for p in tmp_path.iterdir()) == [files[0].name]
    cloud = laspy.read(files[0])
    assert str(cloud.header.version) == "1.4" and cloud.header.point_format.id == 6
    assert len(cloud.points) == 12
    src = data.picks
    assert np.allclose(np.asarray(cloud.x), src.vertices[:, 0], atol=0.0005)
    assert np.allclose(np.asarray(cloud.y), src.vertices[:, 1], atol=0.0005)
    known = np.asarray(cloud.z_known) == 1
    assert known.tolist() == np.isfinite(src.vertices[:, 2]).tolist()
    assert np.allclose(np.asarray(cloud.z)[known], src.vertices[known, 2], atol=0.0005)
    assert np.allclose(np.asarray(cloud.depth_m), src.columns["depth_m"], atol=1e-6)
    assert np.asarray(cloud.polarity).tolist() == src.columns["polarity"]
    radius = np.asarray(cloud.radius_m)
    assert np.isnan(radius[1]) and radius[0] == pytest.approx(0.1)
    crs = cloud.header.parse_crs()
    assert crs is not None and crs.to_epsg() == 4547
    assert any("no elevation" in m for m in progress.infos)


def test_laz_when_a_backend_is_there(base_data, tmp_path):
    data = model.read_map(base_data, profiles.load_profile("full"), picks=picks_layer(3))
    files = las.write(data, tmp_path, formats.ExportOptions(), RecordingProgress())
    if las.laz_available(laspy):
        assert files[0].suffix == ".laz"
        assert files[0].read_bytes()[:4] == b"LASF"
        with laspy.open(files[0]) as reader:
            assert reader.header.are_points_compressed
    else:  # pragma: no cover - lazrs is installed with the venv
        assert files[0].suffix == ".las"


def test_no_picks_is_a_clear_error(base_data, tmp_path):
    data = model.read_map(base_data, profiles.load_profile("planning"))
    assert data.picks is None
    with pytest.raises(InputError, match="no GPR picks were given"):
        las.write(data, tmp_path, formats.ExportOptions(), RecordingProgress())
    assert list(tmp_path.iterdir()) == []


def test_profile_without_the_pick_layer_refuses(base_data, tmp_path):
    data = model.read_map(base_data, profiles.load_profile("public"), picks=picks_layer(2))
    with pytest.raises(InputError, match="public does not let GPR picks leave"):
        las.write(data, tmp_path, formats.ExportOptions(), RecordingProgress())


def test_picks_without_position_are_left_out(base_data, tmp_path):
    layer = picks_layer(4)
    layer.vertices[1, :2] = np.nan
    data = dataclasses.replace(model.read_map(base_data, profiles.load_profile("full")), picks=layer)
    progress = RecordingProgress()
    files = las.write(data, tmp_path, formats.ExportOptions(), progress)
    cloud = laspy.read(files[0])
    assert len(cloud.points) == 3
    assert np.asarray(cloud.distance_m).tolist() == [0.0, 1.0, 1.5]
    assert any("1 GPR picks have no position" in w for w in progress.warnings)


def test_withheld_attributes_are_nan(base_data, tmp_path):
    prof = profiles.parse_profile({"name": "no-depth", "layer_fields": {"gpr_pick": {"deny": ["depth_m"]}}})
    data = model.read_map(base_data, prof, picks=picks_layer(3))
    assert "depth_m" not in data.picks.field_names
    files = las.write(data, tmp_path, formats.ExportOptions(), RecordingProgress())
    cloud = laspy.read(files[0])
    assert np.isnan(np.asarray(cloud.depth_m)).all()
    assert np.asarray(cloud.t0_ns).tolist() == [12.0, 13.0, 14.0]
