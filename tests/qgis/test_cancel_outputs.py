"""A cancelled or failed run leaves no output file behind (processing/base.py), and never
removes a file the user already had."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.qgis


class CancelAtFirstProgress:
    def __init__(self):
        from qgis.core import QgsProcessingFeedback

        self.feedback = QgsProcessingFeedback()
        self.feedback.progressChanged.connect(lambda _p: self.feedback.cancel())


def test_cancelled_build3d_leaves_no_output(provider_only, imported_district, tmp_path):
    from qgis import processing
    from qgis.core import QgsProcessingContext, QgsProcessingException

    m, _ = imported_district
    out = tmp_path / "pipes3d.gpkg"
    wells = tmp_path / "wells3d.gpkg"
    fb = CancelAtFirstProgress().feedback
    with pytest.raises(QgsProcessingException, match="Cancelled"):
        processing.run("pipemap:build3d", {"MAP": str(m), "OUTPUT": str(out), "OUTPUT_WELLS": str(wells)},
                       context=QgsProcessingContext(), feedback=fb)
    assert not out.exists() and not wells.exists()
    assert not list(tmp_path.iterdir()), list(tmp_path.iterdir())


def test_failed_run_keeps_the_users_existing_file(provider_only, imported_district, tmp_path):
    from qgis import processing
    from qgis.core import QgsProcessingContext, QgsProcessingException, QgsProcessingFeedback

    m, _ = imported_district
    existing = tmp_path / "report.html"
    existing.write_text("mine", encoding="utf-8")
    new_pdf = tmp_path / "report.pdf"
    with pytest.raises(QgsProcessingException):
        # no findings layer at all: the algorithm refuses
        processing.run("pipemap:checksreport", {"MAP": str(m), "OUTPUT_HTML": str(existing),
                                                "OUTPUT_PDF": str(new_pdf)},
                       context=QgsProcessingContext(), feedback=QgsProcessingFeedback())
    assert existing.read_text(encoding="utf-8") == "mine"
    assert not new_pdf.exists()


def test_finished_run_keeps_its_outputs(provider_only, imported_district, tmp_path):
    from qgis import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    m, _ = imported_district
    out = tmp_path / "clash.gpkg"
    res = processing.run("pipemap:clashcheck", {"MAP": str(m), "OUTPUT": str(out)}, context=QgsProcessingContext(),
                         feedback=QgsProcessingFeedback())
    assert out.is_file() and res["FAIL"] > 0
