"""pipemap:export and pipemap:verifyexport through Processing and through the real qgis_process."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from pipemap.core.export import formats, manifest, model, profiles

pytestmark = pytest.mark.qgis

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "qgis_process.sh"
FMT = {f.key: i for i, f in enumerate(formats.FORMATS)}


def run(alg, params, feedback=None):
    from qgis import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    return processing.run(alg, params, context=QgsProcessingContext(), feedback=feedback or QgsProcessingFeedback())


def qgis_process(*args, timeout=300):
    proc = subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=timeout)
    payload = None
    if proc.returncode == 0 and "{" in proc.stdout:
        payload = json.loads(proc.stdout[proc.stdout.index("{"):])
    return proc, payload


def gpkg_counts(path: Path) -> dict[str, dict[str, int]]:
    from osgeo import ogr

    ds = ogr.Open(str(path))
    try:
        out = {}
        for name in ("pipe_segment", "pipe_point"):
            counts: dict[str, int] = {}
            for f in ds.GetLayerByName(name):
                counts[f.GetField("category")] = counts.get(f.GetField("category"), 0) + 1
            out[name] = dict(sorted(counts.items()))
        return out
    finally:
        ds = None


def check_planning_package(out: Path, map_path: Path) -> None:
    stem = map_path.stem
    expected = model.read_map(map_path, profiles.load_profile("planning"))
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert m["profile"]["name"] == "planning" and m["formats"] == ["gpkg", "shapefile", "jsonfg"]
    assert m["counts"] == expected.counts() and "GY" not in m["counts"]["pipe_segment"]
    assert gpkg_counts(out / "gpkg" / f"{stem}.gpkg") == expected.counts()
    for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        assert (out / "shapefile" / f"{stem}_segment{ext}").is_file()
    assert (out / "shapefile" / f"{stem}_fieldmap.csv").is_file()
    seg = json.loads((out / "jsonfg" / f"{stem}_segment.json").read_text(encoding="utf-8"))
    assert len(seg["features"]) == len(expected.segments)
    assert manifest.verify_package(out).ok


def test_export_planning_through_processing(provider_only, imported_district, tmp_path):
    map_path, _ = imported_district
    out = tmp_path / "share"
    result = run("pipemap:export", {"MAP": str(map_path), "FORMAT": [FMT["gpkg"], FMT["shapefile"], FMT["jsonfg"]],
                                    "PROFILE": 1, "OUTPUT": str(out)})
    assert result["OUTPUT"] == str(out)
    assert result["MANIFEST"] == str(out / "manifest.json")
    assert result["FILES"] == 1 + 11 + 2
    expected = model.read_map(map_path, profiles.load_profile("planning"))
    assert result["FEATURES"] == len(expected.segments) + len(expected.points)
    check_planning_package(out, map_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["share"]


def test_export_filters_categories_extent_and_picks(provider_only, imported_district, tmp_path):
    import laspy
    import numpy as np
    from qgis.core import (
        QgsCoordinateReferenceSystem,
        QgsCoordinateTransform,
        QgsFeature,
        QgsGeometry,
        QgsPoint,
        QgsPointXY,
        QgsProject,
        QgsVectorLayer,
    )

    from pipemap.core import sample_district

    map_path, _ = imported_district
    x0, y0 = sample_district.ORIGIN
    to_ll = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4547"),
                                   QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance())
    # picks as pipemap:gprpick writes them, but in WGS 84: the export puts them into the map's CRS
    picks = QgsVectorLayer("PointZ?crs=EPSG:4326&field=pick_id:string&field=distance_m:double&field=depth_m:double"
                           "&field=t0_ns:double&field=velocity_m_ns:double&field=polarity:integer"
                           "&field=confidence:double&field=file:string", "picks", "memory")
    feats = []
    for i in range(6):
        ll = to_ll.transform(QgsPointXY(x0 + 10 * i, y0 + 5))
        f = QgsFeature(picks.fields())
        f.setGeometry(QgsGeometry(QgsPoint(ll.x(), ll.y(), 20.0 - i / 10)))
        f.setAttributes([f"测线1:{i + 1}", 0.5 * i, 1.0 + i / 10, 20.0, 0.1, 1 if i % 2 else -1, 0.8, "/home/x/a.dzt"])
        feats.append(f)
    picks.dataProvider().addFeatures(feats)
    out = tmp_path / "water"
    extent = f"{x0 - 1000},{x0 + 100},{y0 - 1000},{y0 + 1000} [EPSG:4547]"
    result = run("pipemap:export", {"MAP": str(map_path), "FORMAT": [FMT["gpkg"], FMT["las"]], "PROFILE": 0,
                                    "CATEGORIES": [0], "EXTENT": extent, "PICKS": picks, "OUTPUT": str(out)})
    counts = gpkg_counts(out / "gpkg" / f"{map_path.stem}.gpkg")
    assert set(counts["pipe_segment"]) == {"JS"} and set(counts["pipe_point"]) == {"JS"}
    full = model.read_map(map_path, profiles.load_profile("full"), categories=["JS"])
    assert 0 < sum(counts["pipe_point"].values()) < len(full.points)
    from osgeo import ogr

    ds = ogr.Open(str(out / "gpkg" / f"{map_path.stem}.gpkg"))
    try:
        xs = [f.GetGeometryRef().GetX() for f in ds.GetLayerByName("pipe_point")]
        assert max(xs) <= x0 + 100
        assert ds.GetLayerByName("gpr_pick").GetFeatureCount() == 6
        assert ds.GetLayerByName("gpr_pick").GetFeature(1).GetField("pick_id") == "测线1:1"
    finally:
        ds = None
    las_file = next((out / "las").iterdir())
    cloud = laspy.read(las_file)
    assert len(cloud.points) == 6
    assert np.allclose(np.asarray(cloud.x), [x0 + 10 * i for i in range(6)], atol=0.002)
    assert np.allclose(np.asarray(cloud.y), y0 + 5, atol=0.002)
    assert np.asarray(cloud.polarity).tolist() == [-1, 1, -1, 1, -1, 1]
    assert b"/home/x/a.dzt" not in las_file.read_bytes()
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert m["filters"]["categories"] == ["JS"] and m["filters"]["picks"] is True
    assert m["filters"]["extent"][2] == pytest.approx(x0 + 100)
    assert result["FEATURES"] == sum(counts["pipe_segment"].values()) + sum(counts["pipe_point"].values()) + 6


def test_custom_profile_file_and_zip_output(provider_only, imported_district, tmp_path):
    map_path, _ = imported_district
    custom = tmp_path / "gas.json"
    custom.write_text(json.dumps({"name": "gas-only", "categories": {"allow": ["RQ"]},
                                  "fields": {"allow": ["material", "dn_mm"]}}), encoding="utf-8")
    out = tmp_path / "gas.zip"
    result = run("pipemap:export", {"MAP": str(map_path), "FORMAT": [FMT["jsonfg"]], "PROFILE": 0,
                                    "PROFILE_FILE": str(custom), "OUTPUT": str(out)})
    assert result["OUTPUT"] == str(out) and result["MANIFEST"] == str(out) and result["FILES"] == 2
    v = manifest.verify_package(out)
    assert v.ok and v.manifest["profile"]["name"] == "gas-only"
    assert set(v.manifest["counts"]["pipe_segment"]) == {"RQ"}
    import zipfile

    with zipfile.ZipFile(out) as zf:
        seg = json.loads(zf.read(f"jsonfg/{map_path.stem}_segment.json"))
    assert set(seg["features"][0]["properties"]) == {"seg_id", "category", "material", "dn_mm"}


def test_errors_are_messages_and_leave_nothing(provider_only, imported_district, tmp_path):
    from qgis.core import QgsProcessingException

    map_path, _ = imported_district
    not_a_map = tmp_path / "x.gpkg"
    not_a_map.write_bytes(b"not sqlite")
    with pytest.raises(QgsProcessingException, match="not a GeoPackage"):
        run("pipemap:export", {"MAP": str(not_a_map), "FORMAT": [0], "OUTPUT": str(tmp_path / "a")})
    with pytest.raises(QgsProcessingException, match="no GPR picks were given"):
        run("pipemap:export", {"MAP": str(map_path), "FORMAT": [FMT["gpkg"], FMT["las"]],
                               "OUTPUT": str(tmp_path / "b")})
    out = tmp_path / "c"
    run("pipemap:export", {"MAP": str(map_path), "FORMAT": [FMT["jsonfg"]], "OUTPUT": str(out)})
    before = (out / "manifest.json").read_bytes()
    with pytest.raises(QgsProcessingException, match="already exists"):
        run("pipemap:export", {"MAP": str(map_path), "FORMAT": [FMT["gpkg"]], "OUTPUT": str(out)})
    assert (out / "manifest.json").read_bytes() == before
    run("pipemap:export", {"MAP": str(map_path), "FORMAT": [FMT["gpkg"]], "OUTPUT": str(out), "OVERWRITE": True})
    assert sorted(p.name for p in out.iterdir()) == ["gpkg", "manifest.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c", "x.gpkg"]


def test_cancel_from_the_progress_bar_leaves_nothing(provider_only, imported_district, tmp_path):
    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    map_path, _ = imported_district
    for at in (5.0, 25.0, 60.0, 90.0):
        feedback = QgsProcessingFeedback()
        seen = []

        def on_progress(value, feedback=feedback, at=at, seen=seen):
            seen.append(value)
            if value >= at:
                feedback.cancel()

        feedback.progressChanged.connect(on_progress)
        out = tmp_path / f"share{int(at)}.zip"
        with pytest.raises(QgsProcessingException, match="[Cc]ancel"):
            run("pipemap:export", {"MAP": str(map_path), "FORMAT": [FMT["gpkg"], FMT["shapefile"], FMT["jsonfg"]],
                                   "OUTPUT": str(out)}, feedback=feedback)
        assert max(seen) >= at
        assert list(tmp_path.iterdir()) == [], f"cancelled at {at} %"


def test_verifyexport_accepts_then_refuses(provider_only, imported_district, tmp_path):
    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    map_path, _ = imported_district
    out = tmp_path / "share"
    run("pipemap:export", {"MAP": str(map_path), "FORMAT": [FMT["gpkg"], FMT["jsonfg"]], "OUTPUT": str(out)})

    class Log(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.lines, self.errors = [], []

        def pushInfo(self, info):  # noqa: N802
            self.lines.append(info)

        def reportError(self, error, fatalError=False):  # noqa: N802, N803
            self.errors.append(error)

    log = Log()
    result = run("pipemap:verifyexport", {"PACKAGE": str(out)}, feedback=log)
    assert result["VALID"] is True and result["CHECKED"] == 3 and result["PROBLEMS"] == 0
    assert any("planning" in line for line in log.lines) and any(line.startswith("OK") for line in log.lines)
    assert any("pipe_segment:" in line and "JS" in line for line in log.lines)
    # the manifest file itself may be given
    assert run("pipemap:verifyexport", {"PACKAGE": str(out / "manifest.json")})["VALID"] is True
    target = out / "jsonfg" / f"{map_path.stem}_point.json"
    raw = bytearray(target.read_bytes())
    raw[100] ^= 0x20
    target.write_bytes(bytes(raw))
    (out / "gpkg" / "extra.txt").write_text("x")
    log = Log()
    with pytest.raises(QgsProcessingException, match="refused"):
        run("pipemap:verifyexport", {"PACKAGE": str(out)}, feedback=log)
    assert f"changed file (size or SHA-256 differs): jsonfg/{map_path.stem}_point.json" in log.errors
    assert "file not in the manifest: gpkg/extra.txt" in log.errors
    with pytest.raises(QgsProcessingException, match="no manifest.json"):
        run("pipemap:verifyexport", {"PACKAGE": str(tmp_path)})


@pytest.mark.slow
def test_export_and_verify_through_qgis_process(imported_district, tmp_path):
    map_path, _ = imported_district
    # QGIS 3.22 takes several enum values comma-separated; PipeMap also accepts the parameter repeated
    for name, fmt_args in (("a", ["FORMAT=0,1,8"]), ("b", ["FORMAT=0", "FORMAT=1", "FORMAT=8"])):
        out = tmp_path / name
        proc, payload = qgis_process("run", "pipemap:export", "--json", "--", f"MAP={map_path}", *fmt_args,
                                     "PROFILE=1", f"OUTPUT={out}")
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
        assert "Traceback" not in proc.stdout + proc.stderr
        res = payload["results"]
        assert res["OUTPUT"] == str(out) and res["FILES"] == 14 and res["FEATURES"] > 0
        check_planning_package(out, map_path)
    proc, payload = qgis_process("run", "pipemap:verifyexport", "--json", "--", f"PACKAGE={tmp_path / 'a'}")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert payload["results"]["VALID"] is True and payload["results"]["CHECKED"] == 14
    (tmp_path / "a" / "shapefile" / f"{map_path.stem}_point.prj").write_text("LOCAL_CS[\"moved\"]")
    proc, _ = qgis_process("run", "pipemap:verifyexport", "--", f"PACKAGE={tmp_path / 'a'}")
    assert proc.returncode != 0
    text = proc.stdout + proc.stderr
    assert "refused" in text and f"shapefile/{map_path.stem}_point.prj" in text and "Traceback" not in text
