"""``pipemap:verifyexport`` -- check a received share package against its manifest."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingOutputBoolean,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFile,
)
from qgis.PyQt.QtCore import QCoreApplication

from ...core.export.manifest import verify_package
from ..base import PipeMapAlgorithm
from .import_survey import FileOrFolderParameter


class VerifyExportAlgorithm(PipeMapAlgorithm):
    NAME = "verifyexport"
    GROUP_ID = "sharing"

    PACKAGE = "PACKAGE"

    def displayName(self) -> str:
        return self.tr("Verify a share package")

    def group(self) -> str:
        return QCoreApplication.translate("PipeMapAlgorithm", "Data sharing")

    def initAlgorithm(self, config: Any = None) -> None:
        self.addParameter(FileOrFolderParameter(
            self.PACKAGE, self.tr("Share package (folder with manifest.json, or its .zip)"),
            QgsProcessingParameterFile.File, fileFilter=self.tr("Share package (*.zip manifest.json)")))
        self.addOutput(QgsProcessingOutputBoolean("VALID", self.tr("Package intact")))
        self.addOutput(QgsProcessingOutputNumber("CHECKED", self.tr("Files checked")))
        self.addOutput(QgsProcessingOutputNumber("PROBLEMS", self.tr("Problems")))

    def execute(self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: Any) -> dict[str, Any]:
        path = self.parameterAsFile(parameters, self.PACKAGE, context)
        if path.endswith("manifest.json"):
            path = path[: -len("manifest.json")].rstrip("/\\") or "."
        result = verify_package(path)
        m = result.manifest
        profile = m.get("profile") or {}
        feedback.pushInfo(self.tr("Package: {path}").format(path=path))
        feedback.pushInfo(self.tr("Written by {software} at {time}; sharing profile {profile}; formats {formats}.")
                          .format(software=m.get("software", "?"), time=m.get("created_at", "?"),
                                  profile=profile.get("name", "?") if isinstance(profile, dict) else "?",
                                  formats=", ".join(str(f) for f in m.get("formats") or [])))
        counts = m.get("counts") or {}
        if isinstance(counts, dict):
            for layer, per_cat in counts.items():
                if isinstance(per_cat, dict):
                    feedback.pushInfo(f"{layer}: " + ", ".join(f"{k or '?'} {v}" for k, v in per_cat.items()))
        if not result.ok:
            for problem in result.problems:
                feedback.reportError(problem, False)
            raise QgsProcessingException(self.tr(
                "The package {path} does not match its manifest ({n} problems): it is refused.").format(
                    path=path, n=len(result.problems)))
        feedback.pushInfo(self.tr("OK: all {n} files match the manifest (size and SHA-256).").format(
            n=result.checked))
        return {"VALID": True, "CHECKED": result.checked, "PROBLEMS": 0}
