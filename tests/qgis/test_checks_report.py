"""pipemap:checksreport and excavationcheck's REPORT_FOLDER on the imported sample district (real QGIS)."""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

pytestmark = pytest.mark.qgis

ROOT = Path(__file__).resolve().parents[2]
TITLE = "District 61 checks"


def run(alg, params, feedback=None):
    from qgis import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    return processing.run(alg, params, context=QgsProcessingContext(), feedback=feedback or QgsProcessingFeedback())


def verdicts(path):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(str(path), "findings", "ogr")
    assert layer.isValid(), path
    return Counter(f["verdict"] for f in layer.getFeatures())


def excavations(tmp_path):
    """Two pits: one over the district's centre (reaches pipes), one 2 km away (reaches none)."""
    from qgis.core import QgsFeature, QgsGeometry, QgsRectangle, QgsVectorFileWriter, QgsVectorLayer

    from pipemap.core import sample_district

    x, y = sample_district.ORIGIN
    layer = QgsVectorLayer("Polygon?crs=EPSG:4547&field=name:string&field=depth:double", "exc", "memory")
    feats = []
    for name, dx in (("pit <1> & 开挖", 0.0), ("far", 2000.0)):
        f = QgsFeature(layer.fields())
        f.setAttributes([name, 3.0])
        f.setGeometry(QgsGeometry.fromRect(QgsRectangle(x + dx - 25, y - 25, x + dx + 25, y + 25)))
        feats.append(f)
    assert layer.dataProvider().addFeatures(feats)
    path = tmp_path / "excavations.gpkg"
    opts = QgsVectorFileWriter.SaveVectorOptions()
    opts.driverName = "GPKG"
    err = QgsVectorFileWriter.writeAsVectorFormatV3(layer, str(path), layer.transformContext(), opts)
    assert err[0] == QgsVectorFileWriter.NoError, err
    return path


@pytest.fixture(scope="module")
def findings(imported_district, tmp_path_factory, qgis_iface, qgis_processing):
    """The three checks run on the district, their outputs as GeoPackages (the provider is registered only
    while they run; the tests register their own)."""
    import pipemap

    m, d = imported_district
    folder = tmp_path_factory.mktemp("checks")
    out = {k: folder / f"{k}.gpkg" for k in ("clash", "cover", "excavation")}
    exc = excavations(folder)
    plugin = pipemap.classFactory(qgis_iface)
    plugin.initProcessing()
    try:
        run("pipemap:clashcheck", {"MAP": str(m), "OUTPUT": str(out["clash"])})
        run("pipemap:covercheck", {"MAP": str(m), "GROUND": str(d.dem), "ROADS": f"{d.roads}|layername=carriageway",
                                   "OUTPUT": str(out["cover"])})
        run("pipemap:excavationcheck", {"MAP": str(m), "EXCAVATIONS": str(exc), "EXC_ID_FIELD": "name",
                                        "DEPTH_FIELD": "depth", "GROUND": str(d.dem),
                                        "OUTPUT": str(out["excavation"])})
    finally:
        plugin.unload()
    return m, d, exc, out


def pngs(page):
    return [base64.b64decode(b) for b in re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)]


def pdf_pages(path):
    data = Path(path).read_bytes()
    assert data.startswith(b"%PDF")
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))


def pdf_text(path):
    if not shutil.which("pdftotext"):
        return None
    proc = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.decode("utf-8")


def test_checks_report_html_and_pdf(provider_only, findings, tmp_path):
    from pipemap.processing.report import png_variance

    m, _, _, out = findings
    html_path, pdf_path = tmp_path / "report" / "checks.html", tmp_path / "report" / "checks.pdf"
    result = run("pipemap:checksreport", {"CLASH": str(out["clash"]), "COVER": str(out["cover"]),
                                          "EXCAVATION": str(out["excavation"]), "MAP": str(m), "SNAPSHOTS": 4,
                                          "TITLE": TITLE, "OUTPUT_HTML": str(html_path), "OUTPUT_PDF": str(pdf_path)})
    assert result["OUTPUT_HTML"] == str(html_path) and result["OUTPUT_PDF"] == str(pdf_path)
    page = html_path.read_text(encoding="utf-8")
    assert f"<h1>{TITLE}</h1>" in page
    cells = {(c, v): int(n) for c, v, n in re.findall(r'data-check="(\w+)" data-verdict="(\w+)">(\d+)<', page)}
    total = 0
    for check, path in out.items():
        counts = verdicts(path)
        assert sum(counts.values()) > 0, check
        for verdict in ("FAIL", "UNCERTAIN", "UNKNOWN"):
            assert cells[(check, verdict)] == counts.get(verdict, 0), (check, verdict)
        assert cells[(check, "total")] == sum(counts.values())
        total += sum(counts.values())
    assert result["FINDINGS"] == total
    images = pngs(page)
    assert len(images) == 4
    assert all(png_variance(img) > 50 for img in images), [png_variance(img) for img in images]
    assert pdf_pages(pdf_path) >= 2
    text = pdf_text(pdf_path)
    if text is not None:
        assert TITLE in text
        assert "Clearances between pipes" in text
    assert sorted(p.name for p in html_path.parent.iterdir()) == ["checks.html", "checks.pdf"]


def test_checks_report_without_pdf_and_maps(provider_only, findings, tmp_path):
    _, _, _, out = findings
    html_path = tmp_path / "cover.html"
    result = run("pipemap:checksreport", {"COVER": str(out["cover"]), "SNAPSHOTS": 0, "OUTPUT_HTML": str(html_path)})
    page = html_path.read_text(encoding="utf-8")
    assert not result.get("OUTPUT_PDF")
    assert pngs(page) == []
    assert 'data-check="cover"' in page and 'data-check="clash"' not in page
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cover.html"]


def test_excavation_report_folder(provider_only, findings, tmp_path):
    m, d, exc, _ = findings
    folder = tmp_path / "notices"
    out = tmp_path / "exc.gpkg"
    result = run("pipemap:excavationcheck", {"MAP": str(m), "EXCAVATIONS": str(exc), "EXC_ID_FIELD": "name",
                                             "DEPTH_FIELD": "depth", "GROUND": str(d.dem), "OUTPUT": str(out),
                                             "REPORT_FOLDER": str(folder)})
    assert result["REPORT_FOLDER"] == str(folder)
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(str(out), "exc", "ogr")
    reached = {f["exc_id"] for f in layer.getFeatures()}
    assert reached == {"pit <1> & 开挖"}  # the far pit reaches nothing: no notice for it
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["index.html", "pit_1_开挖.html", "pit_1_开挖.pdf"]
    notice = (folder / "pit_1_开挖.html").read_text(encoding="utf-8")
    assert "pit &lt;1&gt; &amp; 开挖" in notice and "<1>" not in notice
    owners = {f["owner"] for f in layer.getFeatures()}
    owner_table = notice.split('class="owners"', 1)[1].split("</table>", 1)[0]
    assert all(o in owner_table for o in owners)
    assert len(pngs(notice)) == 1
    assert pdf_pages(folder / "pit_1_开挖.pdf") >= 1
    text = pdf_text(folder / "pit_1_开挖.pdf")
    if text is not None:
        assert "Owners to notify" in text
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert 'href="pit_1_%E5%BC%80%E6%8C%96.html"' in index and "far" not in index
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exc.gpkg", "notices"]

    # again into the same folder, which now also holds a file of the user's: it is kept
    (folder / "mine.txt").write_text("keep me", encoding="utf-8")
    run("pipemap:excavationcheck", {"MAP": str(m), "EXCAVATIONS": str(exc), "EXC_ID_FIELD": "name",
                                    "DEPTH_FIELD": "depth", "GROUND": str(d.dem), "OUTPUT": "memory:",
                                    "REPORT_FOLDER": str(folder)})
    assert sorted(p.name for p in folder.iterdir()) == ["index.html", "mine.txt", "pit_1_开挖.html", "pit_1_开挖.pdf"]
    assert (folder / "mine.txt").read_text(encoding="utf-8") == "keep me"


def test_failed_runs_leave_no_files(provider_only, findings, tmp_path):
    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    m, d, exc, out = findings
    target = tmp_path / "out"
    target.mkdir()
    # the cover layer given as CLASH: a clear error, nothing written
    with pytest.raises(QgsProcessingException, match="pipe_a"):
        run("pipemap:checksreport", {"CLASH": str(out["cover"]), "OUTPUT_HTML": str(target / "r.html"),
                                     "OUTPUT_PDF": str(target / "r.pdf")})
    with pytest.raises(QgsProcessingException, match="at least one findings layer"):
        run("pipemap:checksreport", {"MAP": str(m), "OUTPUT_HTML": str(target / "r.html")})
    with pytest.raises(QgsProcessingException, match="pipe_segment"):
        run("pipemap:checksreport", {"CLASH": str(out["clash"]), "MAP": str(exc),
                                     "OUTPUT_HTML": str(target / "r.html")})
    # cancelled: nothing written
    feedback = QgsProcessingFeedback()
    feedback.cancel()
    with pytest.raises(QgsProcessingException, match="[Cc]ancel"):
        run("pipemap:checksreport", {"CLASH": str(out["clash"]), "MAP": str(m), "OUTPUT_HTML": str(target / "r.html"),
                                     "OUTPUT_PDF": str(target / "r.pdf")}, feedback)
    # an excavation check without a bottom: no report folder, no staging folder
    with pytest.raises(QgsProcessingException, match="BOTTOM_FIELD"):
        run("pipemap:excavationcheck", {"MAP": str(m), "EXCAVATIONS": str(exc), "OUTPUT": "memory:",
                                        "REPORT_FOLDER": str(target / "notices")})
    # cancelled while writing the notices
    feedback = QgsProcessingFeedback()
    feedback.progressChanged.connect(lambda p: p >= 60 and feedback.cancel())
    with pytest.raises(QgsProcessingException, match="[Cc]ancel"):
        run("pipemap:excavationcheck", {"MAP": str(m), "EXCAVATIONS": str(exc), "EXC_ID_FIELD": "name",
                                        "DEPTH_FIELD": "depth", "GROUND": str(d.dem), "OUTPUT": "memory:",
                                        "REPORT_FOLDER": str(target / "notices")}, feedback)
    assert list(target.iterdir()) == []


def test_checksreport_through_qgis_process(findings, tmp_path):
    m, d, exc, out = findings
    html_path, pdf_path = tmp_path / "r.html", tmp_path / "r.pdf"
    proc = subprocess.run([str(ROOT / "scripts" / "qgis_process.sh"), "run", "pipemap:checksreport", "--json", "--",
                           f"CLASH={out['clash']}", f"EXCAVATION={out['excavation']}", f"MAP={m}", "SNAPSHOTS=2",
                           f"TITLE={TITLE}", f"OUTPUT_HTML={html_path}", f"OUTPUT_PDF={pdf_path}"],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    results = json.loads(proc.stdout[proc.stdout.index("{"):])["results"]
    assert results["FINDINGS"] == sum(verdicts(out["clash"]).values()) + sum(verdicts(out["excavation"]).values())
    assert len(pngs(html_path.read_text(encoding="utf-8"))) == 2
    assert pdf_pages(pdf_path) >= 2
    # the notices too: their outlines go from shapely to QGIS, where qgis_process loads a second GEOS
    folder = tmp_path / "notices"
    proc = subprocess.run([str(ROOT / "scripts" / "qgis_process.sh"), "run", "pipemap:excavationcheck", "--json", "--",
                           f"MAP={m}", f"EXCAVATIONS={exc}", "EXC_ID_FIELD=name", "DEPTH_FIELD=depth",
                           f"GROUND={d.dem}", f"OUTPUT={tmp_path / 'exc.gpkg'}", f"REPORT_FOLDER={folder}"],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert sorted(p.suffix for p in folder.iterdir()) == [".html", ".html", ".pdf"]


@pytest.fixture
def zh_locale():
    from qgis.core import QgsSettings

    settings = QgsSettings()
    old = (settings.value("locale/overrideFlag"), settings.value("locale/userLocale"))
    settings.setValue("locale/overrideFlag", True)
    settings.setValue("locale/userLocale", "zh_CN")
    yield
    for key, value in zip(("locale/overrideFlag", "locale/userLocale"), old):
        if value is None:
            settings.remove(key)
        else:
            settings.setValue(key, value)


def test_report_in_chinese_with_a_pipes_layer(provider_only, findings, tmp_path, zh_locale):
    """Chinese labels when QGIS runs in Chinese; a memory PIPES layer as the backdrop."""
    from qgis.core import QgsFeatureRequest, QgsVectorLayer

    from pipemap.processing.report import png_variance

    m, _, _, out = findings
    pipes = QgsVectorLayer(f"{m}|layername=pipe_segment", "pipes", "ogr")
    memory = pipes.materialize(QgsFeatureRequest())
    assert memory.providerType() == "memory" and memory.featureCount() == pipes.featureCount()
    html_path, pdf_path = tmp_path / "zh.html", tmp_path / "zh.pdf"
    run("pipemap:checksreport", {"CLASH": str(out["clash"]), "PIPES": memory, "SNAPSHOTS": 1,
                                 "OUTPUT_HTML": str(html_path), "OUTPUT_PDF": str(pdf_path)})
    page = html_path.read_text(encoding="utf-8")
    assert "PipeMap 管线检查报告" in page and "管线间净距（碰撞检查）" in page and 'lang="zh-CN"' in page
    (img,) = pngs(page)
    assert png_variance(img) > 50
    text = pdf_text(pdf_path)
    if text is not None:
        assert "按结论统计" in text


def test_checks_report_in_a_background_task(provider_only, findings, tmp_path):
    """As the Processing dialog runs it: in a worker thread (layers, layout and renderers made there)."""
    import time

    from qgis.core import (
        QgsApplication,
        QgsProcessingAlgRunnerTask,
        QgsProcessingContext,
        QgsProcessingFeedback,
    )

    m, _, _, out = findings
    alg = QgsApplication.processingRegistry().createAlgorithmById("pipemap:checksreport")
    params = {"CLASH": str(out["clash"]), "MAP": str(m), "SNAPSHOTS": 2, "OUTPUT_HTML": str(tmp_path / "t.html"),
              "OUTPUT_PDF": str(tmp_path / "t.pdf")}
    context, feedback = QgsProcessingContext(), QgsProcessingFeedback()
    task = QgsProcessingAlgRunnerTask(alg, params, context, feedback)
    done: dict = {}
    task.executed.connect(lambda ok, results: done.update(ok=ok, results=results))
    QgsApplication.taskManager().addTask(task)
    start = time.monotonic()
    while "ok" not in done and time.monotonic() - start < 180:
        QgsApplication.processEvents()
        time.sleep(0.02)
    assert done.get("ok"), done
    assert len(pngs((tmp_path / "t.html").read_text(encoding="utf-8"))) == 2
    assert pdf_pages(tmp_path / "t.pdf") >= 2


def test_notices_for_a_user_pipe_layer(provider_only, tmp_path):
    """INPUT pipes (a memory layer, no map): the notice's map draws them."""
    from qgis.core import QgsFeature, QgsGeometry, QgsRectangle, QgsVectorLayer

    from pipemap.processing.report import png_variance

    pipes = QgsVectorLayer("LineStringZ?crs=EPSG:4547&field=pid:string&field=dia:double", "pipes", "memory")
    feats = []
    for pid, y in (("W-1", 5.0), ("W-2", 40.0)):
        f = QgsFeature(pipes.fields())
        f.setAttributes([pid, 200.0])
        f.setGeometry(QgsGeometry.fromWkt(f"LINESTRING Z (500000 {3000000 + y} 8.5, 500060 {3000000 + y} 8.5)"))
        feats.append(f)
    assert pipes.dataProvider().addFeatures(feats)
    exc = QgsVectorLayer("Polygon?crs=EPSG:4547&field=name:string&field=bottom:double", "exc", "memory")
    f = QgsFeature(exc.fields())
    f.setAttributes(["E/1", 7.0])
    f.setGeometry(QgsGeometry.fromRect(QgsRectangle(500020, 3000000, 500030, 3000010)))
    assert exc.dataProvider().addFeatures([f])
    folder = tmp_path / "n"
    result = run("pipemap:excavationcheck", {"INPUT": pipes, "ID_FIELD": "pid", "DIAMETER_FIELD": "dia",
                                             "EXCAVATIONS": exc, "EXC_ID_FIELD": "name", "BOTTOM_FIELD": "bottom",
                                             "OUTPUT": "memory:", "REPORT_FOLDER": str(folder)})
    assert result["FAIL"] == 1
    assert sorted(p.name for p in folder.iterdir()) == ["E_1.html", "E_1.pdf", "index.html"]
    page = (folder / "E_1.html").read_text(encoding="utf-8")
    assert "W-1" in page and "W-2" not in page
    (img,) = pngs(page)
    assert png_variance(img) > 50
    from qgis.PyQt.QtCore import QByteArray
    from qgis.PyQt.QtGui import QColor, QImage

    image = QImage.fromData(QByteArray(img), "PNG")
    # the pipe crosses the whole map; the excavation and its labels sit in the middle
    assert any(QColor(image.pixel(4, y)).lightness() < 120 for y in range(image.height())), "no pipe drawn"
