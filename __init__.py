"""PipeMap: the underground pipeline integrated map for QGIS.

QGIS calls :func:`classFactory`; everything heavy is imported lazily so that
importing this package needs neither QGIS nor Qt.
"""


def classFactory(iface):
    """Create the plugin for QGIS (``iface`` is the QgisInterface)."""
    from .plugin.main import PipeMapPlugin

    return PipeMapPlugin(iface)
