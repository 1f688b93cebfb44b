"""Shared base for PipeMap's Processing algorithms.

Gives every algorithm ``tr``, ``createInstance``, help text from
``resources/help/<name>[_<locale>].html``, the icon, a bridge from
``QgsProcessingFeedback`` to core's progress protocol, and the mapping of
core errors to ``QgsProcessingException`` with translated text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsSettings,
)
from qgis.PyQt.QtCore import QCoreApplication, QLocale
from qgis.PyQt.QtGui import QIcon

from ..core.errors import PipeMapError

PLUGIN_DIR = Path(__file__).resolve().parent.parent
HELP_DIR = PLUGIN_DIR / "resources" / "help"
ICON_PATH = PLUGIN_DIR / "resources" / "icons" / "pipemap.svg"

#: translation context of core error templates (see processing/error_messages.py)
ERROR_CONTEXT = "PipeMapErrors"


def user_locale() -> str:
    """The QGIS interface locale, e.g. ``zh_CN`` or ``en_US``."""
    settings = QgsSettings()
    if settings.value("locale/overrideFlag", False, type=bool):
        value = settings.value("locale/userLocale", "", type=str)
        if value:
            return value
    return QLocale().name() or "en_US"


def help_text(name: str, locale: str | None = None) -> str:
    """Help for an algorithm in the user's language, falling back to English."""
    loc = locale or user_locale()
    for candidate in (f"{name}_{loc}.html", f"{name}_{loc[:2]}.html", f"{name}.html"):
        path = HELP_DIR / candidate
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return ""


def error_text(error: PipeMapError) -> str:
    """Translate a core error's template, then fill in its parameters."""
    template = QCoreApplication.translate(ERROR_CONTEXT, error.template)
    try:
        return template.format(**error.params)
    except (KeyError, IndexError, ValueError):
        return error.message


def _remove_outputs(paths: list[Path]) -> None:
    """Remove outputs a failed run created (with a GeoPackage's side files)."""
    import contextlib
    import shutil

    for path in paths:
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            elif path.exists() or path.is_symlink():
                path.unlink()
        for side in ("-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                Path(str(path) + side).unlink()


def plain(value: Any) -> Any:
    """A value QVariant can hold: numpy scalars become Python numbers."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    item = getattr(value, "item", None)
    if callable(item):
        return item()
    return value


def add_feature(sink: Any, feature: Any, what: str) -> None:
    """Add a feature to a sink, converting numpy attributes, and fail loudly
    when the sink refuses it (a silent drop would lose data)."""
    from qgis.core import QgsFeatureSink

    feature.setAttributes([plain(v) for v in feature.attributes()])
    if not sink.addFeature(feature, QgsFeatureSink.FastInsert):
        raise QgsProcessingException(
            QCoreApplication.translate("PipeMapAlgorithm", "Could not write {what}: {error}").format(
                what=what, error=sink.lastError()))


def finish_sink(sink: Any) -> None:
    """Write out and close a sink now. A sink is otherwise closed only when
    Python frees it, which a lingering reference can delay past the end of
    qgis_process -- and a GeoPackage written in a transaction is then empty."""
    if sink is None:
        return
    sink.flushBuffer()
    from qgis.PyQt import sip

    if not sip.isdeleted(sink):
        sip.delete(sink)


class FeedbackProgress:
    """Adapts ``QgsProcessingFeedback`` to core's ``Progress`` protocol.

    :param start, span: map core's [0, 1] onto this part of the bar (percent).
    """

    def __init__(self, feedback: QgsProcessingFeedback | None, start: float = 0.0, span: float = 100.0) -> None:
        self.feedback = feedback or QgsProcessingFeedback()
        self.start = start
        self.span = span

    def report(self, fraction: float, message: str = "") -> None:
        self.feedback.setProgress(self.start + self.span * max(0.0, min(1.0, fraction)))
        if message:
            self.feedback.setProgressText(message)

    def cancelled(self) -> bool:
        return self.feedback.isCanceled()

    def info(self, message: str) -> None:
        self.feedback.pushInfo(message)

    def warning(self, message: str) -> None:
        push = getattr(self.feedback, "pushWarning", None)  # QGIS >= 3.16
        if push is not None:
            push(message)
        else:
            self.feedback.reportError(message, False)


def group_name(group_id: str) -> str:
    """Translated display name of an algorithm group."""
    names = {
        "map": QCoreApplication.translate("PipeMapAlgorithm", "Integrated map"),
        "gpr": QCoreApplication.translate("PipeMapAlgorithm", "Ground-penetrating radar"),
        "checks": QCoreApplication.translate("PipeMapAlgorithm", "Checks"),
        "exchange": QCoreApplication.translate("PipeMapAlgorithm", "Data sharing"),
        "sharing": QCoreApplication.translate("PipeMapAlgorithm", "Data sharing"),
        "network": QCoreApplication.translate("PipeMapAlgorithm", "Network"),
    }
    return names.get(group_id, group_id)


class PipeMapAlgorithm(QgsProcessingAlgorithm):
    """Base class: subclasses set ``NAME`` and ``GROUP_ID`` and implement
    ``displayName``, ``initAlgorithm`` and ``execute``."""

    NAME = ""
    GROUP_ID = "map"

    def tr(self, text: str) -> str:
        return QCoreApplication.translate(type(self).__name__, text)

    def createInstance(self) -> PipeMapAlgorithm:
        return type(self)()

    def name(self) -> str:
        return self.NAME

    def groupId(self) -> str:
        return self.GROUP_ID

    def group(self) -> str:
        return group_name(self.GROUP_ID)

    def icon(self) -> QIcon:
        return QIcon(str(ICON_PATH))

    def shortHelpString(self) -> str:
        return help_text(self.NAME)

    def helpUrl(self) -> str:
        path = HELP_DIR / f"{self.NAME}.html"
        return path.as_uri() if path.is_file() else ""

    def processAlgorithm(self, parameters: dict[str, Any], context: Any, feedback: Any) -> dict[str, Any]:
        new_outputs = self._new_destinations(parameters, context)
        try:
            result = self.execute(parameters, context, feedback)
            if feedback is not None and feedback.isCanceled():
                raise QgsProcessingException(QCoreApplication.translate(
                    "PipeMapAlgorithm", "Cancelled by the user; nothing was written."))
            return result
        except PipeMapError as exc:
            _remove_outputs(new_outputs)
            raise QgsProcessingException(error_text(exc)) from None
        except BaseException:
            _remove_outputs(new_outputs)
            raise

    def _new_destinations(self, parameters: dict[str, Any], context: Any) -> list[Path]:
        """Output files and folders of this run that do not exist yet: a failed or cancelled run
        removes them, so it leaves no partial output (files the user already had are never touched
        here)."""
        out: list[Path] = []
        for definition in self.destinationParameterDefinitions():
            value = parameters.get(definition.name())
            if value is None:
                continue
            try:
                if definition.type() in ("folderDestination", "fileDestination"):
                    text = self.parameterAsString(parameters, definition.name(), context)
                else:
                    text = self.parameterAsOutputLayer(parameters, definition.name(), context)
            except Exception:  # noqa: BLE001 - an unreadable value is reported by the algorithm itself
                continue
            text = (text or "").split("|", 1)[0].strip()
            if not text or text.startswith(("memory:", "ogr:", "postgres:", "postgis:")) or "://" in text \
                    or text == "TEMPORARY_OUTPUT" or "dbname=" in text:
                continue
            path = Path(text)
            if path.is_absolute() and not path.exists() and not path.is_symlink():
                out.append(path)
        return out

    def execute(self, parameters: dict[str, Any], context: Any, feedback: Any) -> dict[str, Any]:
        raise NotImplementedError
