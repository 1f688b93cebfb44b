"""One click: the project's pipe layers get category-coloured 3D renderers
and a new 3D map view opens (QGIS's own)."""

from __future__ import annotations

from qgis.core import QgsProject, QgsVectorLayer, QgsWkbTypes
from qgis.PyQt.QtWidgets import QAction

from ..processing import scene3d


def style_pipe_layers(project: QgsProject | None = None) -> list[QgsVectorLayer]:
    """Give every 3D pipe layer of the project (a ``category`` field and z)
    a 3D renderer: meshes as shaded solids, centrelines as lines."""
    project = project or QgsProject.instance()
    styled = []
    for layer in project.mapLayers().values():
        if not isinstance(layer, QgsVectorLayer) or not layer.isValid():
            continue
        if layer.fields().indexOf("category") < 0 or not QgsWkbTypes.hasZ(layer.wkbType()):
            continue
        kind = QgsWkbTypes.geometryType(layer.wkbType())
        if kind == QgsWkbTypes.PolygonGeometry:
            scene3d.apply_pipe_3d_renderer(layer)
        elif kind == QgsWkbTypes.LineGeometry:
            scene3d.apply_line_3d_renderer(layer)
        else:
            continue
        layer.triggerRepaint()
        styled.append(layer)
    return styled


def open_3d_view(iface) -> bool:  # noqa: QGS105 - the plugin holds the iface QGIS gave it
    """Trigger QGIS's "New 3D Map View"; False when this QGIS has none."""
    action = iface.mainWindow().findChild(QAction, "mActionNew3DMapCanvas")
    if action is None or not action.isEnabled():
        return False
    action.trigger()
    return True
