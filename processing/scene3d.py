"""3D scenes of the buried network: renderers, scene settings and PNG export.

Everything here targets the QGIS 3.22 Python bindings (Debian 12), which lack
``Qgs3DUtils``, ``QgsOffscreen3DEngine``, ``Qgs3DMapScene`` and
``Qgs3DMapSettings.setTerrainGenerator``. What they do offer, and what this
module uses:

* per-category 3D renderers: :class:`QgsRuleBased3DRenderer` with one rule
  per CJJ 61 category, :class:`QgsPolygon3DSymbol` for true-3D pipe meshes
  (MultiPolygonZ tubes, boxes and wells) and :class:`QgsLine3DSymbol` for
  centrelines (LineStringZ), each with a Phong material in the category
  colour;
* :class:`Qgs3DMapSettings`, whose terrain generator can only be installed
  through ``readXml`` (a fresh object has none, and writing it -- which
  ``QgsLayout.addLayoutItem`` does -- segfaults);
* rendering through a layout: :class:`QgsLayoutItem3DMap` +
  ``setCameraPose`` + ``QgsLayoutExporter.exportToImage``. This needs a
  working OpenGL context (a display: Xvfb + Mesa llvmpipe is enough); without
  one Qt3D loops forever, so :func:`render_3d_png` checks first and raises
  :class:`OpenGLUnavailableError`.

Terrain and "looking below ground" in 3.22 (each point tried and looked at):

* the terrain cannot be made transparent: its shading material is a Phong
  material without opacity, and the map texture is drawn opaque (a fully
  transparent background colour gives a *black* terrain);
* ``setTerrainElevationOffset`` cannot move the terrain relative to the
  pipes: 3.22 translates the 3D vector layers by the same offset. A flat
  terrain therefore always lies at elevation 0 of the height datum;
* ``setTerrainRenderingEnabled(False)`` works: no terrain at all. This is the
  default (``terrain="off"``);
* a terrain is seen from above only (from below it is culled), it shows the
  2D rendering of the layers *without* a 3D renderer and is white where
  there is none -- so a ground-coloured sheet is laid under them;
* a terrain in a scene without any 3D-rendered layer crashes 3.22
  (segfault in the export), so :func:`render_3d_png` leaves it out then;
* ``terrain="flat"``: a flat terrain at elevation 0, i.e. a floor below
  pipes at the usual 20-50 m elevations (not below pipes lying under the
  datum, e.g. in coastal cities);
* ``terrain="dem"``: the DEM surface (QgsDemTerrainGenerator, vertical scale
  applied), opaque and shaded; from above it hides the pipes. With
  ``terrain_transparent=True`` (the default) :func:`render_3d_png` renders
  the scene twice from the same camera, without and with the DEM, and
  blends the second image over the first, which shows the buried pipes
  through the ground.

World coordinates in 3.22 (y up): ``x = map x - origin x``, ``y = absolute
elevation + terrain elevation offset`` (the origin z is kept 0),
``z = -(map y - origin y)``. Camera
poses given to this module are in map coordinates of the scene CRS and
converted here.
"""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable

import numpy as np
from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCsException,
    QgsFeature,
    QgsFeatureRequest,
    QgsFillSymbol,
    QgsGeometry,
    QgsLayout,
    QgsLayoutExporter,
    QgsLayoutSize,
    QgsMapLayer,
    QgsProject,
    QgsRasterLayer,
    QgsReadWriteContext,
    QgsRectangle,
    QgsRendererCategory,
    QgsSymbol,
    QgsUnitTypes,
    QgsVector3D,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QRectF, QSize
from qgis.PyQt.QtGui import QColor, QImage, QOffscreenSurface, QOpenGLContext
from qgis.PyQt.QtXml import QDomDocument

from ..core.codes import CATEGORIES

#: colour of unidentified lines (CJJ 61 "BM", 不明管线)
UNIDENTIFIED_RGB = (102, 0, 204)
#: colour of features whose category matches no rule (NULL or unknown code)
OTHER_RGB = (128, 128, 128)

DEFAULT_COLOURS: dict[str, tuple[int, int, int]] = {c.code: c.rgb for c in CATEGORIES}
DEFAULT_COLOURS["BM"] = UNIDENTIFIED_RGB

#: scene background (light grey-blue: black industrial and brown drainage
#: pipes stay visible, and so do cyan water and magenta gas)
DEFAULT_BACKGROUND = (214, 219, 224)
#: colour of the terrain (flat or DEM) where no 2D layer is draped on it
TERRAIN_RGB = (176, 160, 128)

#: fields of ``pipe_segment`` giving the outer size of a section, in mm, in
#: order of preference
SIZE_FIELDS = ("outer_diameter_mm", "width_mm", "dn_mm")

TERRAIN_MODES = ("off", "flat", "dem")

#: default camera angles (degrees): 0 pitch looks straight down, 90 is level
DEFAULT_PITCH = 55.0
DEFAULT_HEADING = 20.0


class OpenGLUnavailableError(RuntimeError):
    """No OpenGL context can be created, so Qt3D cannot render."""


# ---------------------------------------------------------------- helpers


def _colours(colours: dict[str, tuple[int, int, int]] | None) -> dict[str, tuple[int, int, int]]:
    return dict(DEFAULT_COLOURS if colours is None else colours)


def _quote_field(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_value(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _other_filter(field: str, palette: dict[str, tuple[int, int, int]]) -> str:
    """Filter of the catch-all rule. (In 3.22 an "else" rule of the 3D
    rule-based renderer draws *every* feature again, over the others.)"""
    listed = ", ".join(_quote_value(code) for code in palette)
    return f"{field} IS NULL OR {field} NOT IN ({listed})" if listed else ""


def _phong(rgb: tuple[int, int, int], ambient_share: float = 0.35) -> Any:
    from qgis._3d import QgsPhongMaterialSettings

    colour = QColor(*rgb)
    material = QgsPhongMaterialSettings()
    material.setDiffuse(colour)
    material.setAmbient(QColor(*(int(round(v * ambient_share)) for v in rgb)))
    material.setSpecular(QColor(45, 45, 45))
    material.setShininess(12.0)
    return material


def _init_3d() -> None:
    from qgis._3d import Qgs3D

    Qgs3D.initialize()  # registers the 3D renderer and material types; idempotent


def _set_2d_renderer(layer: QgsVectorLayer, category_field: str, colours: dict[str, tuple[int, int, int]],
                     line_width_mm: float | None = None) -> None:
    """Categorised 2D renderer in the same colours (plus a grey catch-all)."""
    geometry_type = layer.geometryType()
    names = {c.code: f"{c.code} {c.name_en}" for c in CATEGORIES}
    names.setdefault("BM", "BM unidentified")
    categories = []
    for code, rgb in list(colours.items()) + [("", OTHER_RGB)]:
        symbol = QgsSymbol.defaultSymbol(geometry_type)
        if symbol is None:
            return
        symbol.setColor(QColor(*rgb))
        if line_width_mm is not None and geometry_type == QgsWkbTypes.LineGeometry:
            symbol.setWidth(line_width_mm)
        label = names.get(code, code) if code else "other"
        categories.append(QgsRendererCategory(code, symbol, label))
    layer.setRenderer(QgsCategorizedSymbolRenderer(category_field, categories))


def _require_layer(layer: Any) -> QgsVectorLayer:
    if not isinstance(layer, QgsVectorLayer) or not layer.isValid():
        raise ValueError("a valid vector layer is required")
    return layer


# ---------------------------------------------------------------- renderers


def apply_pipe_3d_renderer(layer: QgsVectorLayer, category_field: str = "category",
                           colours: dict[str, tuple[int, int, int]] | None = None) -> None:
    """Colour a true-3D pipe-mesh layer (MultiPolygonZ) by CJJ 61 category.

    One rule ``"category" = 'JS'`` per colour, each a :class:`QgsPolygon3DSymbol`
    with absolute altitude (the mesh z is used as is), no extrusion, normals as
    built and a Phong material in the category colour. Each face is also drawn
    with its back face (``addBackFaces``) and back faces are culled: every
    face is then seen from either side with a normal that faces the camera,
    so tubes shade correctly from all sides. (Culling off *plus* back faces
    makes the two copies z-fight and most faces come out unlit.) A last rule
    draws features with an unknown or NULL category in grey.

    The layer also gets a categorised 2D renderer in the same colours.

    :param colours: category code -> RGB; default the CJJ 61 colours plus
        ``BM`` purple for unidentified lines.
    """
    from qgis._3d import Qgs3DTypes, QgsPolygon3DSymbol, QgsRuleBased3DRenderer

    _require_layer(layer)
    _init_3d()
    palette = _colours(colours)

    def symbol(rgb: tuple[int, int, int]) -> Any:
        sym = QgsPolygon3DSymbol()
        sym.setAltitudeClamping(Qgs3DTypes.AltClampAbsolute)
        sym.setAltitudeBinding(Qgs3DTypes.AltBindVertex)
        sym.setHeight(0.0)
        sym.setExtrusionHeight(0.0)
        sym.setMaterial(_phong(rgb))
        sym.setAddBackFaces(True)
        sym.setCullingMode(Qgs3DTypes.Back)
        sym.setInvertNormals(False)
        sym.setEdgesEnabled(False)
        return sym

    root = QgsRuleBased3DRenderer.Rule(None)
    field = _quote_field(category_field)
    for code, rgb in palette.items():
        root.appendChild(QgsRuleBased3DRenderer.Rule(symbol(rgb), f"{field} = {_quote_value(code)}", code))
    root.appendChild(QgsRuleBased3DRenderer.Rule(symbol(OTHER_RGB), _other_filter(field, palette), "other"))
    layer.setRenderer3D(QgsRuleBased3DRenderer(root))
    _set_2d_renderer(layer, category_field, palette)
    layer.triggerRepaint()


def _size_field(layer: QgsVectorLayer, size_field: str | None) -> str | None:
    names = layer.fields().names()
    if size_field is not None:
        return size_field if size_field in names else None
    return next((name for name in SIZE_FIELDS if name in names), None)


#: outer-size classes of centrelines: (lower mm, upper mm, representative mm, simple-line pixels)
SIZE_CLASSES: tuple[tuple[float, float, float, float], ...] = (
    (0.0, 150.0, 100.0, 2.0),
    (150.0, 300.0, 200.0, 3.0),
    (300.0, 500.0, 400.0, 4.0),
    (500.0, 800.0, 600.0, 5.0),
    (800.0, 1200.0, 1000.0, 6.0),
    (1200.0, 2000.0, 1500.0, 7.0),
    (2000.0, math.inf, 2500.0, 8.0),
)


def apply_line_3d_renderer(layer: QgsVectorLayer, category_field: str = "category",
                           colours: dict[str, tuple[int, int, int]] | None = None,
                           size_field: str | None = None, simple_lines: bool = True,
                           line_width_px: float = 3.0, ribbon_width_m: float = 0.3) -> None:
    """Colour a 3D centreline layer (LineStringZ, e.g. ``pipe_segment``) by category.

    Each rule draws a :class:`QgsLine3DSymbol` with absolute altitude bound to
    the vertices, in the category colour.

    :param simple_lines: True (default) draws GL lines, which keep the
        per-vertex z (the surveyed slope); their width is in *pixels*. In
        3.22 the wide "ribbon" lines (``False``) are flat buffers of the 2D
        line that lose its z (they are drawn at elevation 0), so they only
        suit 2.5D scenes.
    :param size_field: field with the outer size in mm; default the first of
        ``outer_diameter_mm``, ``width_mm``, ``dn_mm`` the layer has. When
        there is one, each category has one sub-rule per class of
        :data:`SIZE_CLASSES` (simple lines 2-8 px wide, ribbons as wide as
        the class size); features without a size, or layers without such a
        field, get ``line_width_px`` / ``ribbon_width_m``.
    """
    from qgis._3d import Qgs3DTypes, QgsLine3DSymbol, QgsRuleBased3DRenderer, QgsSimpleLineMaterialSettings

    _require_layer(layer)
    _init_3d()
    palette = _colours(colours)
    size = _size_field(layer, size_field)

    def symbol(rgb: tuple[int, int, int], size_mm: float | None) -> Any:
        sym = QgsLine3DSymbol()
        sym.setAltitudeClamping(Qgs3DTypes.AltClampAbsolute)
        sym.setAltitudeBinding(Qgs3DTypes.AltBindVertex)
        sym.setHeight(0.0)
        sym.setExtrusionHeight(0.0)
        sym.setRenderAsSimpleLines(simple_lines)
        if simple_lines:
            pixels = next((c[3] for c in SIZE_CLASSES if size_mm is not None and c[2] == size_mm), line_width_px)
            sym.setWidth(pixels)
            material = QgsSimpleLineMaterialSettings()
            material.setAmbient(QColor(*rgb))
            sym.setMaterial(material)
        else:
            sym.setWidth(size_mm / 1000.0 if size_mm is not None else ribbon_width_m)
            sym.setMaterial(_phong(rgb))
        return sym

    def rules_for(rgb: tuple[int, int, int], filter_: str, label: str) -> Any:
        if size is None:
            return QgsRuleBased3DRenderer.Rule(symbol(rgb, None), filter_, label)
        parent = QgsRuleBased3DRenderer.Rule(None, filter_, label)
        sfield = _quote_field(size)
        for lo, hi, mid, _px in SIZE_CLASSES:
            upper = "" if math.isinf(hi) else f" AND {sfield} < {hi:g}"
            lower = f"{sfield} > 0" if lo <= 0 else f"{sfield} >= {lo:g}"
            parent.appendChild(QgsRuleBased3DRenderer.Rule(symbol(rgb, mid), f"{lower}{upper}",
                                                           f"{label} {mid:g} mm"))
        parent.appendChild(QgsRuleBased3DRenderer.Rule(symbol(rgb, None), f"{sfield} IS NULL OR {sfield} <= 0",
                                                       f"{label} size unknown"))
        return parent

    root = QgsRuleBased3DRenderer.Rule(None)
    field = _quote_field(category_field)
    for code, rgb in palette.items():
        root.appendChild(rules_for(rgb, f"{field} = {_quote_value(code)}", code))
    root.appendChild(rules_for(OTHER_RGB, _other_filter(field, palette), "other"))
    layer.setRenderer3D(QgsRuleBased3DRenderer(root))
    _set_2d_renderer(layer, category_field, palette, line_width_mm=0.5)
    layer.triggerRepaint()


# ---------------------------------------------------------------- scene


def _layer_to_scene(layer: QgsMapLayer, crs: QgsCoordinateReferenceSystem,
                    project: QgsProject | None = None) -> QgsCoordinateTransform | None:
    if not layer.crs().isValid() or not crs.isValid() or layer.crs() == crs:
        return None
    context = (project or QgsProject.instance()).transformContext()
    return QgsCoordinateTransform(layer.crs(), crs, context)


def layers_extent(layers: Iterable[QgsMapLayer], crs: QgsCoordinateReferenceSystem) -> QgsRectangle:
    """Union of the layers' extents in ``crs`` (null rectangle when none)."""
    total = QgsRectangle()
    total.setMinimal()
    found = False
    for layer in layers:
        if layer is None or not layer.isValid():
            continue
        extent = layer.extent()
        if extent.isNull() or not all(map(math.isfinite, (extent.xMinimum(), extent.yMaximum()))):
            continue
        transform = _layer_to_scene(layer, crs)
        if transform is not None:
            try:
                extent = transform.transformBoundingBox(extent)
            except QgsCsException:  # cannot be transformed: leave the layer out
                continue
        total.combineExtentWith(extent)
        found = True
    return total if found else QgsRectangle()


def z_range(layers: Iterable[QgsMapLayer], max_features: int = 5000) -> tuple[float, float] | None:
    """(min, max) vertex z of the vector layers with z, from at most
    ``max_features`` features per layer; None when there is no z at all."""
    lo, hi = math.inf, -math.inf
    for layer in layers:
        if not isinstance(layer, QgsVectorLayer) or not layer.isValid():
            continue
        if not QgsWkbTypes.hasZ(layer.wkbType()):
            continue
        request = QgsFeatureRequest().setNoAttributes().setLimit(max_features)
        for feature in layer.getFeatures(request):
            geometry = feature.geometry()
            if geometry is None or geometry.isEmpty():
                continue
            for vertex in geometry.vertices():
                z = vertex.z()
                if math.isfinite(z):
                    lo, hi = min(lo, z), max(hi, z)
    return (lo, hi) if lo <= hi else None


def _valid_extent(extent: QgsRectangle | None, layers: list[QgsMapLayer],
                  crs: QgsCoordinateReferenceSystem) -> QgsRectangle:
    if extent is None or extent.isNull() or extent.isEmpty():
        extent = layers_extent(layers, crs)
    if extent.isNull():
        extent = QgsRectangle(-50.0, -50.0, 50.0, 50.0)
    extent = QgsRectangle(extent)
    # a single point or a straight north-south / east-west line: give it room
    if extent.width() < 1.0 or extent.height() < 1.0:
        grow = max(1.0, extent.width(), extent.height()) * 0.5
        centre = extent.center()
        extent = QgsRectangle(centre.x() - max(grow, extent.width() / 2), centre.y() - max(grow, extent.height() / 2),
                              centre.x() + max(grow, extent.width() / 2), centre.y() + max(grow, extent.height() / 2))
    return extent


def _terrain_xml(crs: QgsCoordinateReferenceSystem, extent: QgsRectangle, generator: str,
                 dem_layer: QgsRasterLayer | None, dem_resolution: int, vertical_scale: float) -> QDomDocument:
    doc = QDomDocument("qgis3d")
    root = doc.createElement("qgis3d")
    doc.appendChild(root)
    crs_elem = doc.createElement("crs")
    crs.writeXml(crs_elem, doc)
    root.appendChild(crs_elem)
    terrain = doc.createElement("terrain")
    terrain.setAttribute("exaggeration", repr(float(vertical_scale)))
    terrain.setAttribute("texture-size", "512")
    root.appendChild(terrain)
    gen = doc.createElement("generator")
    gen.setAttribute("type", generator)
    if generator == "dem" and dem_layer is not None:
        gen.setAttribute("layer", dem_layer.id())
        gen.setAttribute("resolution", str(int(dem_resolution)))
        gen.setAttribute("skirt-height", "10")
    else:
        ext = doc.createElement("extent")
        ext.setAttribute("xmin", repr(extent.xMinimum()))
        ext.setAttribute("ymin", repr(extent.yMinimum()))
        ext.setAttribute("xmax", repr(extent.xMaximum()))
        ext.setAttribute("ymax", repr(extent.yMaximum()))
        gen.appendChild(ext)
    terrain.appendChild(gen)
    return doc


def _ground_sheet(extent: QgsRectangle, dem_layer: QgsRasterLayer | None, crs: QgsCoordinateReferenceSystem,
                  colour: tuple[int, int, int]) -> QgsVectorLayer:
    """A 2D memory layer: one polygon in ``colour`` well beyond the scene."""
    cover = QgsRectangle(extent)
    if dem_layer is not None:
        cover.combineExtentWith(layers_extent([dem_layer], crs))
    cover.grow(max(cover.width(), cover.height(), 100.0))
    sheet = QgsVectorLayer(f"Polygon?crs={crs.authid() or 'EPSG:4326'}", "ground", "memory")
    if not crs.authid():
        sheet.setCrs(crs)
    feature = QgsFeature()
    feature.setGeometry(QgsGeometry.fromRect(cover))
    sheet.dataProvider().addFeatures([feature])
    sheet.updateExtents()
    rgb = ",".join(str(v) for v in colour)
    sheet.renderer().setSymbol(QgsFillSymbol.createSimple({"color": f"{rgb},255", "outline_style": "no"}))
    return sheet


def _resolve_dem(settings: Any, dem_layer: QgsRasterLayer) -> None:
    """Point the DEM generator read from XML at ``dem_layer`` (by id)."""
    owner = dem_layer.project()
    if owner is not None and owner.mapLayer(dem_layer.id()) is dem_layer:
        settings.resolveReferences(owner)
        return
    scratch = QgsProject()
    scratch.addMapLayer(dem_layer, False)
    try:
        settings.resolveReferences(scratch)
    finally:
        scratch.takeMapLayer(dem_layer)  # ownership back to the caller


def scene_lights(extent: QgsRectangle, z_mid: float) -> tuple[list[Any], list[Any]]:
    """A key and a fill directional light, and a weak point light above the centre.

    Directions are in world coordinates (y up).
    """
    from qgis._3d import QgsDirectionalLightSettings, QgsPointLightSettings

    key = QgsDirectionalLightSettings()
    key.setDirection(QgsVector3D(-0.45, -1.0, -0.35))  # from above, south-east
    key.setColor(QColor(255, 255, 255))
    key.setIntensity(0.85)
    fill = QgsDirectionalLightSettings()
    fill.setDirection(QgsVector3D(0.6, -0.5, 0.5))  # from the north-west, lower
    fill.setColor(QColor(235, 240, 255))
    fill.setIntensity(0.35)
    top = QgsPointLightSettings()
    span = max(extent.width(), extent.height(), 10.0)
    top.setPosition(QgsVector3D(0.0, z_mid + span, 0.0))
    top.setColor(QColor(255, 255, 255))
    top.setIntensity(0.25)
    top.setConstantAttenuation(1.0)
    top.setLinearAttenuation(0.0)
    top.setQuadraticAttenuation(0.0)
    return [top], [key, fill]


def setup_3d_map_settings(layers: list[QgsMapLayer], crs: QgsCoordinateReferenceSystem, extent: QgsRectangle,
                          dem_layer: QgsRasterLayer | None = None, terrain: str = "off",
                          terrain_transparent: bool = True, vertical_scale: float = 1.0,
                          background: tuple[int, int, int] = DEFAULT_BACKGROUND,
                          ground: tuple[int, int, int] = TERRAIN_RGB, dem_resolution: int = 16) -> Any:
    """A :class:`Qgs3DMapSettings` for looking at buried pipes.

    :param layers: layers to show (their 3D renderers); in any CRS, they are
        transformed to ``crs``. May be empty.
    :param crs: scene CRS (projected, metres).
    :param extent: area of interest in ``crs``; the origin is its centre. A
        null or empty extent is replaced by the layers' extent.
    :param terrain: ``"off"`` (default: no terrain, nothing hides the pipes),
        ``"flat"`` (a shaded flat terrain at elevation 0 with the 2D-only
        layers draped on it) or ``"dem"`` (``dem_layer`` as terrain, scaled by
        ``vertical_scale``); see the module notes on what 3.22 allows.
    :param terrain_transparent: asked-for transparency of the terrain. 3.22
        cannot draw a terrain transparent, so the settings always have an
        opaque one; :func:`render_3d_png` emulates transparency by blending
        two renders. Kept so callers need not change when a newer QGIS can
        do it in the scene.
    :param background: background colour (RGB) of the scene.
    :param ground: colour (RGB) of the terrain where no 2D layer is draped.
    :param dem_resolution: DEM terrain tile resolution (samples per tile side).
    :returns: the settings (Python-owned until given to a layout item). Lights:
        a key and a fill directional light and a weak point light above the
        scene (:func:`scene_lights`); :func:`render_3d_png` adds a headlight.
    """
    from qgis._3d import Qgs3DMapSettings

    _init_3d()
    if terrain not in TERRAIN_MODES:
        raise ValueError(f"terrain must be one of {', '.join(TERRAIN_MODES)}, not {terrain!r}")
    if terrain == "dem" and (dem_layer is None or not dem_layer.isValid()):
        raise ValueError("terrain='dem' needs a valid dem_layer (a raster layer)")
    if not crs.isValid():
        raise ValueError("the scene CRS is not valid")
    layers = [layer for layer in (layers or []) if layer is not None and layer.isValid()]
    extent = _valid_extent(extent, layers, crs)
    zr = z_range(layers)
    z_mid = (zr[0] + zr[1]) / 2.0 if zr else 0.0

    settings = Qgs3DMapSettings()
    generator = "dem" if terrain == "dem" else "flat"
    doc = _terrain_xml(crs, extent, generator, dem_layer, dem_resolution, vertical_scale)
    # readXml installs the terrain generator (no setter in the 3.22 bindings)
    settings.readXml(doc.documentElement(), QgsReadWriteContext())
    if terrain == "dem":
        _resolve_dem(settings, dem_layer)  # before setLayers: it re-resolves layer ids
    settings.setCrs(crs)
    centre = extent.center()
    settings.setOrigin(QgsVector3D(centre.x(), centre.y(), 0.0))
    if terrain != "off":
        # the terrain shows the 2D rendering of the layers without a 3D
        # renderer, white where there is none: lay a ground-coloured sheet
        # under them (owned by the settings, so it lives as long as they do;
        # darker than ``ground`` because the scene lights add up to over 1)
        texture = tuple(int(round(v * 0.6)) for v in ground)
        sheet = _ground_sheet(extent, dem_layer if terrain == "dem" else None, crs, texture)
        sheet.setParent(settings)
        settings.setLayers(layers + [sheet])
    else:
        settings.setLayers(layers)
    # the 3D image is transparent where empty: the layout item paints the
    # background (render_3d_png gives it the same colour)
    settings.setBackgroundColor(QColor(*background))
    settings.setSelectionColor(QColor(255, 255, 0))
    settings.setTerrainVerticalScale(float(vertical_scale))
    settings.setFieldOfView(45.0)
    settings.setOutputDpi(96.0)
    settings.setTerrainRenderingEnabled(terrain != "off")
    # no setTerrainElevationOffset: in 3.22 it moves the vector layers with
    # the terrain, so it cannot put the terrain below or above the pipes
    # a shaded terrain shows the relief (the texture colour, lit)
    settings.setTerrainShadingEnabled(terrain != "off")
    material = _phong(ground, ambient_share=0.3)
    material.setSpecular(QColor(0, 0, 0))
    material.setShininess(1.0)
    settings.setTerrainShadingMaterial(material)
    point_lights, directional_lights = scene_lights(extent, z_mid)
    settings.setPointLights(point_lights)
    settings.setDirectionalLights(directional_lights)
    settings.setShowLabels(False)
    return settings


# ---------------------------------------------------------------- camera


def default_camera(extent: QgsRectangle, z_range_: tuple[float, float] | None, width_px: int, height_px: int,
                   pitch: float = DEFAULT_PITCH, heading: float = DEFAULT_HEADING,
                   field_of_view: float = 45.0) -> dict[str, float]:
    """Camera looking from above at an angle at the middle of the pipes.

    Returns ``x, y`` (map coordinates, the extent centre), ``z`` (middle of
    the pipes' elevation range), ``distance`` (the extent fits the image with
    a margin), ``pitch`` and ``heading`` in degrees.
    """
    centre = extent.center()
    z_mid = (z_range_[0] + z_range_[1]) / 2.0 if z_range_ else 0.0
    z_span = (z_range_[1] - z_range_[0]) if z_range_ else 0.0
    h = math.radians(heading)
    p = math.radians(pitch)
    w, d = extent.width(), extent.height()
    across = abs(w * math.cos(h)) + abs(d * math.sin(h))
    along = abs(w * math.sin(h)) + abs(d * math.cos(h))
    depth_on_screen = along * math.cos(p) + z_span * math.sin(p)
    tan_half = math.tan(math.radians(field_of_view) / 2.0)
    aspect = max(width_px, 1) / max(height_px, 1)
    distance = max(across / (2.0 * tan_half * aspect), depth_on_screen / (2.0 * tan_half))
    # perspective: the near half looks bigger than the far half
    distance = 1.05 * distance + 0.25 * along * math.sin(p)
    return {"x": centre.x(), "y": centre.y(), "z": z_mid, "distance": max(distance, 10.0),
            "pitch": pitch, "heading": heading}


def view_direction(pitch: float, heading: float) -> tuple[float, float, float]:
    """Unit vector from the camera to its look-at point, in 3.22 world
    coordinates (y up, z south), for a pose's pitch and heading in degrees."""
    p, h = math.radians(pitch), math.radians(heading)
    return (-math.sin(p) * math.sin(h), -math.cos(p), -math.sin(p) * math.cos(h))


def headlight(pitch: float, heading: float, intensity: float = 0.45) -> Any:
    """A directional light shining along the view, so faces turned to the
    camera are lit whether it looks from above or from below."""
    from qgis._3d import QgsDirectionalLightSettings

    light = QgsDirectionalLightSettings()
    light.setDirection(QgsVector3D(*view_direction(pitch, heading)))
    light.setColor(QColor(255, 255, 255))
    light.setIntensity(intensity)
    return light


def _camera_pose(camera: dict[str, float], origin: QgsVector3D, elevation_offset: float = 0.0) -> Any:
    from qgis._3d import QgsCameraPose

    pose = QgsCameraPose()
    # map (x, y, z) -> 3.22 world (x - ox, z + terrain offset, -(y - oy)):
    # the terrain elevation offset moves the vector layers too
    pose.setCenterPoint(QgsVector3D(camera["x"] - origin.x(), camera["z"] + elevation_offset,
                                    -(camera["y"] - origin.y())))
    pose.setDistanceFromCenterPoint(float(camera["distance"]))
    pose.setPitchAngle(float(camera["pitch"]))
    pose.setHeadingAngle(float(camera["heading"]))
    return pose


# ---------------------------------------------------------------- rendering


def opengl_problem() -> str | None:
    """Why no OpenGL context can be made, or None when one can.

    Creates (and drops) a context and makes it current on an offscreen
    surface -- Qt3D would otherwise loop forever on ``makeCurrent``.
    """
    context = QOpenGLContext()
    if not context.create():
        return ("no OpenGL context could be created (3D rendering needs a display with OpenGL: "
                "run under Xvfb, e.g. xvfb-run, with Mesa's llvmpipe driver)")
    surface = QOffscreenSurface()
    surface.setFormat(context.format())
    surface.create()
    if not surface.isValid():
        return "an OpenGL context was created but no offscreen surface for it"
    if not context.makeCurrent(surface):
        return "an OpenGL context was created but cannot be made current on an offscreen surface"
    context.doneCurrent()
    surface.destroy()
    return None


def _export_scene(settings: Any, pose: Any, width_px: int, height_px: int, background: QColor,
                  path: Path, project: QgsProject) -> None:
    """Draw ``settings`` seen from ``pose`` into the PNG ``path`` through a
    one-page layout."""
    from qgis._3d import QgsLayoutItem3DMap

    layout = QgsLayout(project)
    layout.initializeDefaults()
    # 1 layout mm = 1 pixel at 25.4 dpi: the page is exactly the image
    page = layout.pageCollection().page(0)
    page.setPageSize(QgsLayoutSize(width_px, height_px, QgsUnitTypes.LayoutMillimeters))
    item = QgsLayoutItem3DMap(layout)
    item.setBackgroundColor(background)  # the 3D image is transparent where empty
    item.setBackgroundEnabled(True)
    item.setFrameEnabled(False)
    item.attemptSetSceneRect(QRectF(0.0, 0.0, float(width_px), float(height_px)))
    # settings first: adding an item writes its XML, which crashes without a
    # terrain generator (ownership of the settings goes to the item)
    item.setMapSettings(settings)
    item.setCameraPose(pose)
    layout.addLayoutItem(item)

    export = QgsLayoutExporter.ImageExportSettings()
    export.dpi = 25.4
    export.imageSize = QSize(width_px, height_px)
    try:
        result = QgsLayoutExporter(layout).exportToImage(str(path), export)
    finally:
        del layout  # deletes the item and its settings before the project goes
    if result != QgsLayoutExporter.Success:
        raise RuntimeError(f"3D export to {path} failed (QgsLayoutExporter result {int(result)})")
    if not path.is_file() or path.stat().st_size == 0:
        raise RuntimeError(f"3D export to {path} wrote no image")


def render_3d_png(layers: list[QgsMapLayer], crs: QgsCoordinateReferenceSystem, extent: QgsRectangle | None,
                  path: str | os.PathLike[str], width_px: int = 1200, height_px: int = 800,
                  camera: dict[str, float] | None = None, dem_layer: QgsRasterLayer | None = None,
                  terrain: str | None = None, terrain_transparent: bool = True, terrain_opacity: float = 0.4,
                  project: QgsProject | None = None, **scene_options: Any) -> Path:
    """Render a 3D view of ``layers`` to a PNG of ``width_px`` x ``height_px``.

    The scene comes from :func:`setup_3d_map_settings` (``scene_options`` go
    there). It is drawn by a :class:`QgsLayoutItem3DMap` filling one page of
    a :class:`QgsLayout` and exported with :class:`QgsLayoutExporter`.

    :param terrain: ``"off"``, ``"flat"`` or ``"dem"``; default ``"dem"``
        when ``dem_layer`` is given, else ``"off"``.
    :param terrain_transparent: with a DEM, show the pipes through the ground.
        3.22 cannot draw a transparent terrain, so this renders the scene
        twice from the same camera -- without and with the DEM. The result is
        the second image, except over the pipes of the first, where it is
        blended over them with ``terrain_opacity``: buried pipes show
        through the ground. That is right for pipes under the ground seen
        from above it. False renders the opaque DEM surface in one pass (it
        hides what is under it). A terrain needs at least one layer with a
        3D renderer (3.22 crashes otherwise); without one it is left out.
    :param camera: any of ``x``, ``y`` (map coordinates of the look-at point,
        scene CRS), ``z`` (its absolute elevation), ``distance`` (m),
        ``pitch`` (0 straight down, 90 level; above 90 looks up from below)
        and ``heading`` (degrees); missing keys come from
        :func:`default_camera` (extent centre, middle of the pipes' elevation
        range, distance fitted to the extent, pitch 55, heading 20).
    :param project: the project owning the layout. Default: a private,
        empty :class:`QgsProject` made for this call, so the user's project
        (``QgsProject.instance()``) is never touched; the layers need not
        belong to it.
    :raises OpenGLUnavailableError: (a RuntimeError) when no OpenGL context
        can be created, checked before Qt3D is touched.
    :raises RuntimeError: when the export fails.
    :returns: the PNG path; the file is written to a temporary name in the
        same folder and renamed when complete.
    """
    if width_px < 16 or height_px < 16:
        raise ValueError("the image must be at least 16 x 16 pixels")
    mode = terrain or ("dem" if dem_layer is not None else "off")
    if mode not in TERRAIN_MODES:
        raise ValueError(f"terrain must be one of {', '.join(TERRAIN_MODES)}, not {mode!r}")
    problem = opengl_problem()
    if problem is not None:
        raise OpenGLUnavailableError(problem)

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    layers = [layer for layer in (layers or []) if layer is not None and layer.isValid()]
    extent = _valid_extent(extent, layers, crs)
    if mode != "off" and not any(_has_3d_renderer(layer) for layer in layers):
        # 3.22 crashes rendering a terrain without any 3D-rendered layer
        mode = "off"
    see_through = mode == "dem" and terrain_transparent
    settings = setup_3d_map_settings(layers, crs, extent, dem_layer=dem_layer,
                                     terrain="off" if see_through else mode,
                                     terrain_transparent=terrain_transparent, **scene_options)
    # the see-through ground: the same scene with the DEM, blended over the
    # first image. Where no terrain is in front, both images are the same.
    ground = setup_3d_map_settings(layers, crs, extent, dem_layer=dem_layer, terrain="dem",
                                   terrain_transparent=terrain_transparent,
                                   **scene_options) if see_through else None

    pose_values = default_camera(extent, z_range(layers), width_px, height_px,
                                 field_of_view=settings.fieldOfView())
    pose_values.update(camera or {})
    light = headlight(pose_values["pitch"], pose_values["heading"])
    for scene in (settings, ground):
        if scene is not None:
            scene.setDirectionalLights(scene.directionalLights() + [light])
    background = QColor(*scene_options.get("background", DEFAULT_BACKGROUND))
    owner = project if project is not None else QgsProject()

    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".png", dir=str(target.parent))
    os.close(fd)
    tmp = Path(tmp_name)
    ground_tmp = tmp.with_name(tmp.stem + "-ground.png")
    try:
        _export_scene(settings, _camera_pose(pose_values, settings.origin(), settings.terrainElevationOffset()),
                      width_px, height_px, background, tmp, owner)
        if ground is not None:
            _export_scene(ground, _camera_pose(pose_values, ground.origin(), ground.terrainElevationOffset()),
                          width_px, height_px, background, ground_tmp, owner)
            _see_through(tmp, ground_tmp, terrain_opacity, background)
        os.replace(tmp, target)
    finally:
        for leftover in (tmp, ground_tmp):
            if leftover.exists():
                leftover.unlink()
    return target


def _has_3d_renderer(layer: QgsMapLayer) -> bool:
    return isinstance(layer, QgsVectorLayer) and layer.renderer3D() is not None


def _rgb_array(path: Path) -> np.ndarray:
    image = QImage(str(path))
    if image.isNull():
        raise RuntimeError(f"cannot read the rendered image {path.name}")
    image = image.convertToFormat(QImage.Format_RGB888)
    ptr = image.constBits()
    ptr.setsize(image.sizeInBytes())
    rows = np.frombuffer(ptr, dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : image.width() * 3].reshape(image.height(), image.width(), 3).copy()


def _see_through(base: Path, ground: Path, opacity: float, background: QColor) -> None:
    """Blend the render with terrain (``ground``) into the one without
    (``base``), in place: the ground as it is where ``base`` is empty
    (background colour), ``opacity`` of it over the pipes elsewhere."""
    below = _rgb_array(base)
    above = _rgb_array(ground)
    if below.shape != above.shape:
        raise RuntimeError("the two renders differ in size")
    empty = np.all(below == np.array([background.red(), background.green(), background.blue()], np.uint8), axis=2)
    alpha = max(0.0, min(1.0, float(opacity)))
    mixed = np.rint(alpha * above.astype(np.float32) + (1.0 - alpha) * below.astype(np.float32)).astype(np.uint8)
    out = np.ascontiguousarray(np.where(empty[..., None], above, mixed))
    height, width = out.shape[:2]
    image = QImage(out.data, width, height, 3 * width, QImage.Format_RGB888)
    if not image.save(str(base), "PNG"):
        raise RuntimeError(f"cannot write {base}")
