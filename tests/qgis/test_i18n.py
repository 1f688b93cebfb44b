"""Chinese (zh_CN) interface: the translator is installed for the QGIS locale."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.qgis

ROOT = Path(__file__).resolve().parents[2]


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


def test_qm_is_built():
    assert (ROOT / "i18n" / "pipemap_zh_CN.qm").is_file(), "run make qm"


def test_menu_title_and_algorithm_names_in_chinese(qgis_iface, qgis_processing, zh_locale):
    from qgis.core import QgsApplication

    import pipemap

    plugin = pipemap.classFactory(qgis_iface)
    plugin.initGui()
    try:
        assert plugin.translator is not None
        assert plugin.menu.title() == "管线综合图(&P)"
        assert plugin.actions[0].text() == "创建管线综合图…"
        alg = QgsApplication.processingRegistry().algorithmById("pipemap:createmap")
        assert alg.displayName() == "创建管线综合图"
        assert alg.group() == "管线综合图"
        assert "创建管线综合图" in alg.shortHelpString()
    finally:
        plugin.unload()


def test_english_without_override(qgis_iface, qgis_processing):
    from qgis.core import QgsSettings

    import pipemap

    settings = QgsSettings()
    settings.setValue("locale/overrideFlag", True)
    settings.setValue("locale/userLocale", "en_US")
    plugin = pipemap.classFactory(qgis_iface)
    plugin.initGui()
    try:
        assert plugin.translator is None
        assert plugin.menu.title() == "&PipeMap"
    finally:
        plugin.unload()
        settings.remove("locale/overrideFlag")
        settings.remove("locale/userLocale")


def test_core_errors_are_translated(qgis_iface, zh_locale):
    from pipemap.core.errors import OutputError
    from pipemap.plugin.i18n import install_translator, remove_translator
    from pipemap.processing.base import error_text

    translator = install_translator()
    try:
        err = OutputError("The map {path} does not exist.", path="/x.gpkg")
        assert error_text(err) == "综合图 /x.gpkg 不存在。"
    finally:
        remove_translator(translator)
