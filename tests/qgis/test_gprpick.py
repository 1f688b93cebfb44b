"""pipemap:gprpick and pipemap:gprreconcile on a synthetic survey across the sample district."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.qgis

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT.parent / "shared" / "data" / "gpr" / "real"


@pytest.fixture(scope="module")
def survey(tmp_path_factory):
    from pipemap.core import mapfile, sample_district
    from pipemap.core.gpr import synth
    from pipemap.core.survey import importer

    folder = tmp_path_factory.mktemp("gprdistrict")
    d = sample_district.generate(folder, errors=False)
    m = folder / "map.gpkg"
    mapfile.create_map(m, "EPSG:4547")
    assert importer.import_survey(m, d.tables).committed
    line = np.array([[538055.0, 3379950.0], [538055.0, 3380050.0]])
    segy, truth, crossings = synth.district_survey_file(
        str(m), str(d.dem), line, str(folder / "survey.sgy"), "EPSG:4547", skip=("TX-TX23-TX26",),
        depth_shift={"JS-JS23-JS26": 0.4}, voids=((20.0, 0.8),), seed=5)
    return {"map": m, "dem": d.dem, "segy": segy, "truth": truth, "crossings": crossings, "folder": folder}


def run(alg, params):
    from qgis import processing

    return processing.run(alg, params)


def test_pick_then_reconcile(provider_only, survey, tmp_path):
    from qgis.core import QgsVectorLayer, QgsWkbTypes

    picks = run("pipemap:gprpick", {"INPUT": str(survey["segy"]), "CRS": "EPSG:4547", "GROUND": str(survey["dem"]),
                                    "OUTPUT": str(tmp_path / "picks.gpkg"), "OUTPUT_IMAGE": str(tmp_path / "p.png"),
                                    "OUTPUT_LAS": str(tmp_path / "p.laz")})
    layer = QgsVectorLayer(picks["OUTPUT"], "picks", "ogr")
    assert layer.wkbType() == QgsWkbTypes.PointZ
    names = layer.fields().names()
    for field in ("distance_m", "x", "y", "t0_ns", "velocity_m_ns", "eps_r", "depth_m", "radius_m", "amplitude",
                  "polarity", "confidence"):
        assert field in names
    feats = list(layer.getFeatures())
    assert len(feats) >= len(survey["truth"]) - 1
    # z is the centre elevation: ground - depth - radius
    from pipemap.core.raster import DemSampler

    dem = DemSampler(survey["dem"])
    for f in feats:
        g = float(dem.sample(np.array([f["x"]]), np.array([f["y"]]))[0])
        assert f.geometry().constGet().z() == pytest.approx(g - f["depth_m"] - (f["radius_m"] or 0.0), abs=1e-3)
    import laspy

    las = laspy.read(picks["OUTPUT_LAS"])
    assert len(las.points) == len(feats) and "depth_m" in las.point_format.dimension_names

    line = run("pipemap:gprimport", {"INPUT": str(survey["segy"]), "CRS": "EPSG:4547", "PROCESSING": "none",
                                     "OUTPUT_LINE": str(tmp_path / "line.gpkg")})
    rec = run("pipemap:gprreconcile", {"PICKS": picks["OUTPUT"], "LINE": line["OUTPUT_LINE"], "MAP": str(survey["map"]),
                                       "GROUND": str(survey["dem"]), "OUTPUT": str(tmp_path / "disc.gpkg"),
                                       "REPORT": str(tmp_path / "rec.html")})
    found = {f["pipe_id"] or f["pick_id"]: f for f in QgsVectorLayer(rec["OUTPUT"], "d", "ogr").getFeatures()}
    assert found["TX-TX23-TX26"]["kind"] == "not_detected"
    assert found["JS-JS23-JS26"]["kind"] == "depth_mismatch"
    assert found["JS-JS23-JS26"]["difference_m"] == pytest.approx(0.4, abs=0.15)
    assert rec["CONFIRMED"] >= len(survey["crossings"]) - 3
    voids = [f for f in found.values() if f["kind"] == "unmapped" and "void" in (f["hint"] or "")]
    assert voids and abs(voids[0]["distance_m"] - 20.0) < 0.5
    assert "Survey supervisor" in (tmp_path / "rec.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["dzt/gprpy/FILE____032.DZT", "dzt/rgpr_gprdata_cube/FILE____001.DZT",
                                  "dzt/impdar/test_gssi.DZT", "dt1/gprpy_comoffs/XLINE00.DT1",
                                  "dt1/gprpy_warr/XLINE00.DT1", "dt1/rgpr_isola/YLINEA0.DT1",
                                  "mala_rd3/impdar/ten_col.rd3", "segy/rgpr/test.sgy"])
def test_every_real_file_is_picked_without_error(provider_only, tmp_path, name):
    if not REAL.is_dir():
        pytest.skip("no shared GPR data")
    res = run("pipemap:gprpick", {"INPUT": str(REAL / name), "OUTPUT": str(tmp_path / "p.gpkg"),
                                  "OUTPUT_IMAGE": str(tmp_path / "p.png")})
    assert res["PICKS"] >= 0 and Path(res["OUTPUT_IMAGE"]).is_file()
    import os

    out = Path(os.environ.get("PIPEMAP_TEST_OUTPUT", tmp_path)) / "gpr_picks"
    out.mkdir(parents=True, exist_ok=True)
    target = out / (Path(name).parent.name + "_" + Path(name).stem + ".png")
    target.write_bytes(Path(res["OUTPUT_IMAGE"]).read_bytes())


def test_pick_and_reconcile_through_qgis_process(survey, tmp_path):
    script = str(ROOT / "scripts" / "qgis_process.sh")
    proc = subprocess.run([script, "run", "pipemap:gprpick", "--json", "--", f"INPUT={survey['segy']}",
                           "CRS=EPSG:4547", f"OUTPUT={tmp_path / 'p.gpkg'}"], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert json.loads(proc.stdout[proc.stdout.index("{"):])["results"]["PICKS"] >= 8
    proc = subprocess.run([script, "run", "pipemap:gprimport", "--", f"INPUT={survey['segy']}", "CRS=EPSG:4547",
                           "PROCESSING=none", f"OUTPUT_LINE={tmp_path / 'l.gpkg'}"], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0
    proc = subprocess.run([script, "run", "pipemap:gprreconcile", "--json", "--", f"PICKS={tmp_path / 'p.gpkg'}",
                           f"LINE={tmp_path / 'l.gpkg'}", f"MAP={survey['map']}", f"GROUND={survey['dem']}",
                           f"OUTPUT={tmp_path / 'd.gpkg'}"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    results = json.loads(proc.stdout[proc.stdout.index("{"):])["results"]
    assert results["NOT_DETECTED"] >= 1 and results["DEPTH_MISMATCH"] >= 1
