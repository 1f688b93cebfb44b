"""The help index links every algorithm of the provider, in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.qgis

ROOT = Path(__file__).resolve().parents[2]


def test_help_index_lists_every_algorithm(provider_only):
    from qgis.core import QgsApplication

    index = (ROOT / "resources" / "help" / "index.html").read_text(encoding="utf-8")
    provider = QgsApplication.processingRegistry().providerById("pipemap")
    names = [a.name() for a in provider.algorithms()]
    assert len(names) >= 20
    for name in names:
        assert f'href="{name}.html"' in index and f'href="{name}_zh_CN.html"' in index, name
        assert (ROOT / "resources" / "help" / f"{name}.html").is_file()
