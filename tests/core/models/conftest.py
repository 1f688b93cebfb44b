"""Fixtures for the model and layer import tests: the shared real networks and fresh maps."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
NETWORKS = Path(os.environ.get("PIPEMAP_NETWORKS", ROOT.parent / "shared" / "data" / "networks"))
#: a local engineering grid in metres (for models that state no CRS)
LOCAL_CRS = 'LOCAL_CS["local grid",UNIT["metre",1]]'


def network(relative: str) -> Path:
    path = NETWORKS / relative
    if not path.is_file():
        pytest.skip(f"the shared network file {relative} is not available")
    return path


@pytest.fixture
def copy_model(tmp_path):
    """Copy a shared network file into tmp_path (the shared folder is read-only) and return the copy."""
    def copy(relative: str) -> Path:
        src = network(relative)
        target = tmp_path / "in" / src.name
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(src, target)
        return target

    return copy


@pytest.fixture
def new_map(tmp_path):
    """Create an empty map: ``new_map(crs="EPSG:4547", name="map.gpkg")``."""
    from pipemap.core import mapfile

    def make(crs: str = LOCAL_CRS, name: str = "map.gpkg") -> Path:
        target = tmp_path / name
        mapfile.create_map(target, crs)
        return target

    return make


def read_layer(map_path: Path, name: str) -> dict[str, dict]:
    """source_id -> {field: value, ..., "_xyz": [(x, y, z), ...]} of a map layer."""
    from osgeo import ogr

    ds = ogr.Open(str(map_path))
    try:
        lyr = ds.GetLayerByName(name)
        defn = lyr.GetLayerDefn()
        names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
        out = {}
        for f in lyr:
            row = {n: f.GetField(i) for i, n in enumerate(names)}
            g = f.GetGeometryRef()
            row["_xyz"] = [g.GetPoint(i) for i in range(g.GetPointCount())] if g is not None else []
            row["_fid"] = f.GetFID()
            key = (row["source"], row["source_id"]) if row["source"] else ("", row["point_id" if name ==
                                                                                  "pipe_point" else "seg_id"])
            out[key] = row
        return out
    finally:
        ds = None
