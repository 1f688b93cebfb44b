"""pipemap:importsurvey through Processing and the real qgis_process."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.qgis

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    from pipemap.core import sample_district

    return sample_district.generate(tmp_path_factory.mktemp("district"), errors=True)


def new_map(path):
    from pipemap.core import mapfile

    mapfile.create_map(path, "EPSG:4547")
    return path


def test_import_through_processing(provider_only, district, tmp_path):
    from qgis import processing
    from qgis.core import QgsVectorLayer

    m = new_map(tmp_path / "m.gpkg")
    before = hashlib.sha256(m.read_bytes()).hexdigest()
    report = tmp_path / "report.html"
    res = processing.run("pipemap:importsurvey", {
        "POINTS": str(district.tables), "MAP": str(m), "MODE": 0,
        "OUTPUT_ISSUES": str(tmp_path / "issues.gpkg"), "REPORT": str(report)})
    assert res["COMMITTED"] is False
    assert res["ERRORS"] >= len(district.errors)
    assert hashlib.sha256(m.read_bytes()).hexdigest() == before
    issues = QgsVectorLayer(res["OUTPUT_ISSUES"], "issues", "ogr")
    assert issues.isValid()
    rows = {(f["file"], f["row"], f["code"]) for f in issues.getFeatures()}
    for err in district.errors:
        assert (err.file, err.row, err.code) in rows
    located = [f for f in issues.getFeatures() if not f.geometry().isNull()]
    assert located, "problems must be placed on the map to zoom to"
    text = report.read_text(encoding="utf-8")
    assert "JSLine.csv" in text and "NOT imported" in text

    res = processing.run("pipemap:importsurvey", {"POINTS": str(district.tables), "MAP": str(m), "MODE": 1})
    assert res["COMMITTED"] is True
    segs = QgsVectorLayer(f"{m}|layername=pipe_segment", "s", "ogr")
    assert segs.featureCount() == res["SEGMENTS_WRITTEN"] > 500


def test_import_through_qgis_process(district, tmp_path):
    m = new_map(tmp_path / "m.gpkg")
    proc = subprocess.run([str(ROOT / "scripts" / "qgis_process.sh"), "run", "pipemap:importsurvey", "--json", "--",
                           f"POINTS={district.tables}", f"MAP={m}", "MODE=1",
                           f"OUTPUT_ISSUES={tmp_path / 'issues.gpkg'}"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    results = json.loads(proc.stdout[proc.stdout.index("{"):])["results"]
    assert results["COMMITTED"] is True
    assert results["SEGMENTS_WRITTEN"] > 500


def test_missing_map_is_a_clear_error(provider_only, district, tmp_path):
    from qgis import processing
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException) as err:
        processing.run("pipemap:importsurvey", {"POINTS": str(district.tables), "MAP": str(tmp_path / "nope.gpkg")})
    assert "nope.gpkg" in str(err.value)
