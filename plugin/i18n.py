"""Install PipeMap's translator for the QGIS interface locale."""

from __future__ import annotations

from pathlib import Path

from qgis.PyQt.QtCore import QCoreApplication, QTranslator

from ..processing.base import user_locale

I18N_DIR = Path(__file__).resolve().parent.parent / "i18n"


def qm_file(locale: str) -> Path | None:
    """The compiled translation for a locale, trying ``zh_CN`` then ``zh``."""
    for name in (f"pipemap_{locale}.qm", f"pipemap_{locale[:2]}.qm"):
        path = I18N_DIR / name
        if path.is_file():
            return path
    return None


def install_translator(locale: str | None = None) -> QTranslator | None:
    """Load and install the translator; returns it (keep a reference) or None
    when the locale has no translation (English is the source language)."""
    path = qm_file(locale or user_locale())
    if path is None:
        return None
    translator = QTranslator()
    if not translator.load(str(path)):
        return None
    QCoreApplication.installTranslator(translator)
    return translator


def remove_translator(translator: QTranslator | None) -> None:
    if translator is not None:
        QCoreApplication.removeTranslator(translator)
