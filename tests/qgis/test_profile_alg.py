"""pipemap:profile: drawings produced, and their figures equal the map's data."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.qgis

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def district_map(imported_district):
    return imported_district


def map_segments(path):
    from osgeo import ogr

    ds = ogr.Open(str(path))
    out = {}
    for f in ds.GetLayerByName("pipe_segment"):
        g = f.GetGeometryRef()
        out[f.GetField("seg_id")] = dict(start=f.GetField("start_point"), end=f.GetField("end_point"),
                                         coords=[g.GetPoint(i) for i in range(g.GetPointCount())],
                                         # sizeless lines (cables) are drawn as a 50 mm marker
                                         outer=(f.GetField("outer_diameter_mm") or f.GetField("height_mm")
                                                or 50) / 1000,
                                         category=f.GetField("category"))
    ground = {f.GetField("point_id"): f.GetGeometryRef().GetZ() for f in ds.GetLayerByName("pipe_point")}
    ds = None
    return out, ground


def test_longitudinal_profile_figures_match_the_map(provider_only, district_map, tmp_path):
    from qgis import processing

    m, _ = district_map
    res = processing.run("pipemap:profile", {"MAP": str(m), "KIND": 0, "FROM_POINT": "YS1", "TO_POINT": "YS9",
                                             "OUTPUT": str(tmp_path / "long.png")})
    for suffix in (".png", ".svg", ".pdf"):
        f = (tmp_path / "long").with_suffix(suffix)
        assert f.is_file() and f.stat().st_size > 1000
    assert (tmp_path / "long.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    figures = json.loads(Path(res["FIGURES"]).read_text(encoding="utf-8"))
    segments, ground = map_segments(m)
    labels = figures["node_labels"]
    assert labels[0] == "YS1" and labels[-1] == "YS9"
    # node by node: cover = ground - (centre z + D/2), from the map directly
    by_pair = {frozenset((s["start"], s["end"])): s for s in segments.values()}
    for i in range(len(labels) - 1):
        seg = by_pair[frozenset((labels[i], labels[i + 1]))]
        z_here = seg["coords"][0][2] if seg["start"] == labels[i] else seg["coords"][-1][2]
        top = z_here + seg["outer"] / 2
        assert figures["node_top_m"][i][1] == pytest.approx(top, abs=0.001)
        assert figures["node_cover_m"][i][1] == pytest.approx(ground[labels[i]] - top, abs=0.001)


def test_cross_section_figures_match_the_map(provider_only, district_map, tmp_path):
    from qgis import processing
    from shapely.geometry import LineString

    m, d = district_map
    wkt = "LINESTRING(538055 3379950, 538055 3380050)"
    res = processing.run("pipemap:profile", {"MAP": str(m), "KIND": 1, "SECTION": wkt, "GROUND": str(d.dem),
                                             "OUTPUT": str(tmp_path / "cross.png")})
    figures = json.loads(Path(res["FIGURES"]).read_text(encoding="utf-8"))
    segments, _ = map_segments(m)
    section = LineString([(538055, 3379950), (538055, 3380050)])
    expected = {}
    for sid, s in segments.items():
        line = LineString([c[:2] for c in s["coords"]])
        if line.intersects(section):
            p = line.intersection(section)
            (_, _, z0), (_, _, z1) = s["coords"][0], s["coords"][-1]
            t = LineString([c[:2] for c in s["coords"]]).project(p) / line.length
            expected[sid] = (p.y - 3379950, z0 + t * (z1 - z0))
    got = {c["pipe_id"]: (c["offset_m"], c["z_centre_m"]) for c in figures["crossings"]}
    assert set(got) == set(expected) and len(got) >= 8
    for sid, (offset, z) in expected.items():
        assert got[sid][0] == pytest.approx(offset, abs=0.001)
        assert got[sid][1] == pytest.approx(z, abs=0.001)
    # neighbour clearances: horizontal gap between outer walls
    crossings = sorted(figures["crossings"], key=lambda c: c["offset_m"])
    for clr, (a, b) in zip(figures["clearances"], zip(crossings, crossings[1:])):
        gap = b["offset_m"] - a["offset_m"] - a["width_m"] / 2 - b["width_m"] / 2
        assert clr["horizontal_m"] == pytest.approx(gap, abs=0.001)


def test_profile_errors_are_clear(provider_only, district_map, tmp_path):
    from qgis import processing
    from qgis.core import QgsProcessingException

    m, _ = district_map
    with pytest.raises(QgsProcessingException) as err:
        processing.run("pipemap:profile", {"MAP": str(m), "KIND": 0, "FROM_POINT": "YS1", "TO_POINT": "NOPE",
                                           "OUTPUT": str(tmp_path / "x.png")})
    assert "NOPE" in str(err.value)
    assert not list(tmp_path.glob("x.*"))


def test_profile_through_qgis_process(district_map, tmp_path):
    m, _ = district_map
    out = tmp_path / "c.pdf"
    proc = subprocess.run([str(ROOT / "scripts" / "qgis_process.sh"), "run", "pipemap:profile", "--", f"MAP={m}",
                           "KIND=1", "SECTION=LINESTRING(538055 3379950, 538055 3380050)", f"OUTPUT={out}",
                           "ALL_FORMATS=false"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert out.read_bytes()[:5] == b"%PDF-"
