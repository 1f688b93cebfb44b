"""pipemap:gprimport on every real radar file (Processing and the real qgis_process)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.qgis

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT.parent / "shared" / "data" / "gpr" / "real"
FILES = ["dzt/gprpy/FILE____032.DZT", "dzt/rgpr_gprdata_cube/FILE____001.DZT", "dzt/impdar/test_gssi.DZT",
         "dt1/gprpy_comoffs/XLINE00.DT1", "dt1/gprpy_warr/XLINE00.DT1", "dt1/rgpr_isola/YLINEA0.DT1",
         "mala_rd3/impdar/ten_col.rd3", "segy/rgpr/test.sgy"]


@pytest.fixture(scope="module")
def real_dir():
    if not REAL.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the real GPR files are missing: {REAL}")
        pytest.skip("no shared GPR data")
    return REAL


@pytest.mark.parametrize("name", FILES)
def test_every_real_file_imports(provider_only, real_dir, tmp_path, name):
    from qgis import processing
    from qgis.core import QgsVectorLayer
    from qgis.PyQt.QtGui import QImage

    res = processing.run("pipemap:gprimport", {"INPUT": str(real_dir / name),
                                               "OUTPUT_LINE": str(tmp_path / "line.gpkg"),
                                               "OUTPUT_IMAGE": str(tmp_path / "radargram.png"),
                                               "OUTPUT_SEGY": str(tmp_path / "processed.sgy")})
    assert res["CHANNELS"] >= 1 and res["TRACES"] > 5
    layer = QgsVectorLayer(res["OUTPUT_LINE"], "line", "ogr")
    feats = list(layer.getFeatures())
    assert len(feats) == res["CHANNELS"]
    assert feats[0]["traces"] == res["TRACES"] // res["CHANNELS"]
    assert "PipeMap" in feats[0]["processing"]
    img = QImage(res["OUTPUT_IMAGE"])
    assert img.width() > 300 and img.height() > 300
    # the processed SEG-Y reads back with an independent reader
    import segyio

    with segyio.open(res["OUTPUT_SEGY"], ignore_geometry=True) as f:
        assert f.tracecount == feats[0]["traces"]
    out = Path(os.environ.get("PIPEMAP_TEST_OUTPUT", tmp_path)) / "gpr"
    out.mkdir(parents=True, exist_ok=True)
    (out / (Path(name).stem + ".png")).write_bytes(Path(res["OUTPUT_IMAGE"]).read_bytes())


def test_gps_georeferenced_into_the_map_and_recorded(provider_only, real_dir, tmp_path):
    from qgis import processing
    from qgis.core import QgsVectorLayer

    from pipemap.core import mapfile

    m = tmp_path / "map.gpkg"
    mapfile.create_map(m, "EPSG:32632")  # the Isola survey is in the Alps (UTM 32N)
    res = processing.run("pipemap:gprimport", {"INPUT": str(real_dir / "dt1/rgpr_isola/YLINEA0.DT1"), "MAP": str(m),
                                               "OUTPUT_LINE": str(tmp_path / "line.gpkg")})
    line = QgsVectorLayer(res["OUTPUT_LINE"], "line", "ogr")
    feat = next(line.getFeatures())
    assert feat["georeference"] == "gps"
    assert line.crs().authid() == "EPSG:32632"
    box = feat.geometry().boundingBox()
    assert 550000 < box.xMinimum() < 565000 and 5130000 < box.yMinimum() < 5150000  # 9.734 E, 46.415 N
    surveys = QgsVectorLayer(f"{m}|layername=gpr_survey", "s", "ogr")
    assert surveys.featureCount() == 1
    rec = next(surveys.getFeatures())
    assert rec["traces"] == feat["traces"] and not rec.geometry().isEmpty()


def test_drawn_line_places_the_traces(provider_only, real_dir, tmp_path):
    from qgis import processing
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    drawn = QgsVectorLayer("LineString?crs=EPSG:4547", "drawn", "memory")
    f = QgsFeature()
    f.setGeometry(QgsGeometry.fromWkt("LINESTRING(538000 3380000, 538030 3380000)"))
    drawn.dataProvider().addFeatures([f])
    res = processing.run("pipemap:gprimport", {"INPUT": str(real_dir / "dzt/gprpy/FILE____032.DZT"), "LINE": drawn,
                                               "START_DISTANCE": 2.0, "TRACE_SPACING_M": 0.02,
                                               "PROCESSING": "none", "OUTPUT_LINE": str(tmp_path / "l.gpkg")})
    line = QgsVectorLayer(res["OUTPUT_LINE"], "line", "ogr")
    feat = next(line.getFeatures())
    assert feat["georeference"] == "line"
    geom = feat.geometry().constGet()
    first, last = geom.startPoint(), geom.endPoint()
    assert (first.x(), first.y()) == pytest.approx((538002.0, 3380000.0))
    assert last.x() == pytest.approx(538002.0 + 1039 * 0.02)


def test_bad_file_is_a_clear_error(provider_only, tmp_path):
    from qgis import processing
    from qgis.core import QgsProcessingException

    bad = tmp_path / "broken.dzt"
    bad.write_bytes(b"\x00" * 700)
    with pytest.raises(QgsProcessingException) as err:
        processing.run("pipemap:gprimport", {"INPUT": str(bad), "OUTPUT_LINE": str(tmp_path / "l.gpkg")})
    assert "broken.dzt" in str(err.value)


def test_gprimport_through_qgis_process(real_dir, tmp_path):
    proc = subprocess.run([str(ROOT / "scripts" / "qgis_process.sh"), "run", "pipemap:gprimport", "--json", "--",
                           f"INPUT={real_dir / 'mala_rd3/impdar/ten_col.rd3'}", f"OUTPUT_LINE={tmp_path / 'l.gpkg'}",
                           f"OUTPUT_IMAGE={tmp_path / 'r.png'}"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    results = json.loads(proc.stdout[proc.stdout.index("{"):])["results"]
    assert results["TRACES"] == 10
    # the survey line is really in the file once qgis_process has exited (sinks are closed explicitly)
    from osgeo import ogr

    ds = ogr.Open(str(tmp_path / "l.gpkg"))
    assert ds is not None and ds.GetLayerCount() == 1 and ds.GetLayer(0).GetFeatureCount() == 1
    ds = None
