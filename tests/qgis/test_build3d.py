"""pipemap:build3d on the sample district (Processing and qgis_process)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.qgis

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def district_map(imported_district):
    return imported_district[0]


def test_build3d_through_processing(provider_only, district_map, tmp_path):
    from qgis import processing
    from qgis.core import QgsVectorLayer, QgsWkbTypes

    from pipemap.core import mapread, mesh

    res = processing.run("pipemap:build3d", {"MAP": str(district_map), "SIDES": 8,
                                              "OUTPUT": str(tmp_path / "pipes.gpkg"),
                                              "OUTPUT_WELLS": str(tmp_path / "wells.gpkg")})
    segs = mapread.read_segments(district_map)
    assert res["PIPES"] == len(segs)
    assert res["WELLS"] > 50
    pipes = QgsVectorLayer(res["OUTPUT"], "pipes", "ogr")
    assert pipes.wkbType() == QgsWkbTypes.MultiPolygonZ
    assert pipes.featureCount() == len(segs)
    cats = {f["category"] for f in pipes.getFeatures()}
    assert cats == {"JS", "PS", "RQ", "RL", "DL", "TX", "GY", "QT"}
    # every tube vertex lies at its radius from the centreline (sloped pipes included)
    index = {sid: k for k, sid in enumerate(segs.ids)}
    checked = 0
    for f in pipes.getFeatures():
        if f["shape"] != "circular" or not f["size_known"]:
            continue
        k = index[f["seg_id"]]
        a, b = segs.coords(k)[0], segs.coords(k)[-1]
        polys = mesh.parse_multipolygonz_wkb(bytes(f.geometry().asWkb()))
        pts = np.concatenate([ring for poly in polys for ring in poly])
        axis = (b - a) / np.linalg.norm(b - a)
        rel = pts - a
        dist = np.linalg.norm(rel - np.outer(rel @ axis, axis), axis=1)
        assert np.allclose(dist, segs.width_m[k] / 2, atol=0.001)
        checked += 1
        if checked > 200:
            break
    assert checked > 100
    wells = QgsVectorLayer(res["OUTPUT_WELLS"], "wells", "ogr")
    assert wells.wkbType() == QgsWkbTypes.MultiPolygonZ and wells.featureCount() == res["WELLS"]


def test_build3d_through_qgis_process(district_map, tmp_path):
    out = tmp_path / "pipes.gpkg"
    proc = subprocess.run([str(ROOT / "scripts" / "qgis_process.sh"), "run", "pipemap:build3d", "--json", "--",
                           f"MAP={district_map}", f"OUTPUT={out}"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    results = json.loads(proc.stdout[proc.stdout.index("{"):])["results"]
    assert results["PIPES"] > 500 and out.is_file()


def test_render3d_shows_category_colours(district_map, tmp_path):
    """build3d -> render3d through qgis_process: the PNG holds the CJJ 61 colours."""
    import os

    from qgis.PyQt.QtGui import QImage

    pipes = tmp_path / "pipes.gpkg"
    script = str(ROOT / "scripts" / "qgis_process.sh")
    proc = subprocess.run([script, "run", "pipemap:build3d", "--", f"MAP={district_map}", f"OUTPUT={pipes}"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    png = tmp_path / "view.png"
    env = dict(os.environ)
    assert env.get("DISPLAY") or env.get("CI") != "true", "3D rendering needs Xvfb (run the tests via make test)"
    proc = subprocess.run([script, "run", "pipemap:render3d", "--", f"LAYERS={pipes}",
                           "EXTENT=537975,538065,3379965,3380035 [EPSG:4547]", "WIDTH=800", "HEIGHT=500",
                           f"OUTPUT={png}"], capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    img = QImage(str(png))
    assert (img.width(), img.height()) == (800, 500)
    counts = {"red": 0, "cyan": 0, "green": 0, "brown": 0}
    colours = set()
    for y in range(0, 500, 2):
        for x in range(0, 800, 2):
            c = img.pixelColor(x, y)
            r, g, b = c.red(), c.green(), c.blue()
            colours.add((r // 8, g // 8, b // 8))
            if r > 150 and g < 90 and b < 90:
                counts["red"] += 1
            if r < 100 and g > 150 and b > 150:
                counts["cyan"] += 1
            if r < 120 and g > 150 and b < 120:
                counts["green"] += 1
            if 40 < r < 140 and 25 < g < 110 and b < 80 and r > b + 20:
                counts["brown"] += 1
    assert len(colours) > 100, "blank image"
    for name, n in counts.items():
        assert n > 30, (name, counts)
    (Path(os.environ.get("PIPEMAP_TEST_OUTPUT", tmp_path)) / "render3d_crossing.png").write_bytes(png.read_bytes())
