"""pipemap:importmodel and pipemap:importlayers through the real qgis_process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = [pytest.mark.qgis, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "qgis_process.sh"
NETWORKS = Path(os.environ.get("PIPEMAP_NETWORKS", ROOT.parent / "shared" / "data" / "networks"))


def run(alg: str, *params: str, cwd: Path) -> dict:
    proc = subprocess.run([str(SCRIPT), "run", alg, "--json", "--", *params], capture_output=True, text=True,
                          cwd=cwd, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "Traceback" not in proc.stdout + proc.stderr
    return json.loads(proc.stdout[proc.stdout.index("{"):])["results"]


def shared(relative: str, tmp_path: Path) -> Path:
    src = NETWORKS / relative
    if not src.is_file():
        pytest.skip(f"the shared network file {relative} is not available")
    target = tmp_path / src.name
    shutil.copyfile(src, target)
    return target


def count(path: Path, layer: str | None = None) -> int:
    from osgeo import ogr

    ds = ogr.Open(str(path))
    try:
        lyr = ds.GetLayerByName(layer) if layer else ds.GetLayer(0)
        return lyr.GetFeatureCount()
    finally:
        ds = None


def test_importmodel_baltimore_swmm(tmp_path):
    model = shared("swmm_baltimore_inner_harbor_us/Inner_Harbor_Model_V19.inp", tmp_path)
    target = tmp_path / "map.gpkg"
    run("pipemap:createmap", f"OUTPUT={target}", "CRS=EPSG:26918", cwd=tmp_path)
    issues = tmp_path / "issues.gpkg"
    res = run("pipemap:importmodel", f"INPUT={model}", f"MAP={target}", "CRS=EPSG:26918",
              f"OUTPUT_ISSUES={issues}", cwd=tmp_path)
    assert res["COMMITTED"] is True and res["FORMAT"] == "swmm"
    assert (res["POINTS_WRITTEN"], res["SEGMENTS_WRITTEN"]) == (134 + 58 + 126 + 25 + 127, 235 - 102)
    assert res["ERRORS"] == 0 and res["WARNINGS"] > 102
    assert count(target, "pipe_point") == res["POINTS_WRITTEN"]
    assert count(target, "pipe_segment") == res["SEGMENTS_WRITTEN"]
    assert count(issues) == res["ERRORS"] + res["WARNINGS"]
    again = run("pipemap:importmodel", f"INPUT={model}", f"MAP={target}", "CRS=EPSG:26918", cwd=tmp_path)
    assert (again["POINTS_UPDATED"], again["SEGMENTS_UPDATED"], again["REMOVED"]) == (470, 133, 0)
    assert count(target, "pipe_segment") == 133


def test_importlayers_osm_extract(tmp_path):
    src = shared("osm_helsinki_utilities_fi/helsinki_osm_utilities.gpkg", tmp_path)
    target = tmp_path / "map.gpkg"
    run("pipemap:createmap", f"OUTPUT={target}", "CRS=EPSG:3067", cwd=tmp_path)
    issues = tmp_path / "issues.gpkg"
    res = run("pipemap:importlayers", f"INPUT={src}", f"MAP={target}", "MAPPING=osm", "Z_REFERENCE=1",
              f"OUTPUT_ISSUES={issues}", cwd=tmp_path)
    assert res["COMMITTED"] is True
    assert res["SEGMENTS_WRITTEN"] == 78 and res["POINTS_WRITTEN"] == 434 - res["ERRORS"]
    assert count(issues) == res["ERRORS"] + res["WARNINGS"]
    assert count(target, "pipe_segment") == 78
