"""The ``pipemap`` Processing provider."""

from __future__ import annotations

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

from ..core.version import __version__
from .algorithms.build_3d import Build3DAlgorithm
from .algorithms.checks_report import ChecksReportAlgorithm
from .algorithms.clash_check import ClashCheckAlgorithm
from .algorithms.cover_check import CoverCheckAlgorithm
from .algorithms.create_map import CreateMapAlgorithm
from .algorithms.excavation_check import ExcavationCheckAlgorithm
from .algorithms.export import ExportAlgorithm
from .algorithms.gpr_import import GprImportAlgorithm
from .algorithms.gpr_pick import GprPickAlgorithm
from .algorithms.gpr_reconcile import GprReconcileAlgorithm
from .algorithms.import_layers import ImportLayersAlgorithm
from .algorithms.import_model import ImportModelAlgorithm
from .algorithms.import_survey import ImportSurveyAlgorithm
from .algorithms.isolate import IsolateAlgorithm
from .algorithms.profile import ProfileAlgorithm
from .algorithms.render_3d import Render3DAlgorithm
from .algorithms.topology_check import TopologyCheckAlgorithm
from .algorithms.trace import TraceAlgorithm
from .algorithms.transfer import TransferAlgorithm
from .algorithms.verify_export import VerifyExportAlgorithm
from .base import ICON_PATH

PROVIDER_ID = "pipemap"

#: every algorithm class, in the order the toolbox lists them
ALGORITHMS = (CreateMapAlgorithm, ImportSurveyAlgorithm, ImportModelAlgorithm, ImportLayersAlgorithm,
              TransferAlgorithm, Build3DAlgorithm, ProfileAlgorithm,
              Render3DAlgorithm, GprImportAlgorithm, GprPickAlgorithm, GprReconcileAlgorithm, ClashCheckAlgorithm,
              CoverCheckAlgorithm, ExcavationCheckAlgorithm, ChecksReportAlgorithm, ExportAlgorithm,
              VerifyExportAlgorithm, TopologyCheckAlgorithm, TraceAlgorithm, IsolateAlgorithm)


class PipeMapProvider(QgsProcessingProvider):
    def id(self) -> str:
        return PROVIDER_ID

    def name(self) -> str:
        return "PipeMap"

    def longName(self) -> str:
        return QCoreApplication.translate("PipeMapProvider", "PipeMap underground pipeline map {version}").format(
            version=__version__
        )

    def icon(self) -> QIcon:
        return QIcon(str(ICON_PATH))

    def versionInfo(self) -> str:
        return __version__

    def loadAlgorithms(self) -> None:
        for cls in ALGORITHMS:
            self.addAlgorithm(cls())
