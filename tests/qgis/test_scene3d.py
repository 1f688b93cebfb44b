"""processing/scene3d.py: 3D renderers, scene settings and PNG rendering.

The rendering tests need OpenGL (``scripts/run_tests.sh`` runs pytest under
xvfb-run with QT_QPA_PLATFORM=offscreen, which gives Mesa llvmpipe). Without
a context they fail when CI=true and are skipped otherwise.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.qgis

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
ROOT = Path(__file__).resolve().parents[2]

X0, Y0 = 500_000.0, 3_400_000.0  # EPSG:4547 (CGCS2000 / 3-degree GK CM 114E)
GROUND = 35.0

COLOURS = {
    "JS": (0, 255, 255),
    "PS": (76, 57, 38),
    "RQ": (255, 0, 255),
    "DL": (255, 0, 0),
    "TX": (0, 255, 0),
}


# ---------------------------------------------------------------- a tiny mesher


def _cross(a, b):
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def _unit(v):
    n = math.sqrt(sum(c * c for c in v))
    return tuple(c / n for c in v)


def _ring_wkt(points):
    pts = list(points) + [points[0]]
    return "((" + ", ".join(f"{x:.4f} {y:.4f} {z:.4f}" for x, y, z in pts) + "))"


def tube_wkt(start, end, radius, sides=8):
    """MultiPolygonZ of a closed straight tube: ``sides`` quads and two caps."""
    axis = _unit(tuple(e - s for s, e in zip(start, end)))
    helper = (0.0, 0.0, 1.0) if abs(axis[2]) < 0.9 else (1.0, 0.0, 0.0)
    u = _unit(_cross(axis, helper))
    v = _cross(axis, u)
    offsets = []
    for i in range(sides):
        a = 2.0 * math.pi * i / sides
        offsets.append(tuple(radius * (math.cos(a) * u[k] + math.sin(a) * v[k]) for k in range(3)))

    def at(centre, off):
        return tuple(centre[k] + off[k] for k in range(3))

    faces = []
    for i in range(sides):
        a, b = offsets[i], offsets[(i + 1) % sides]
        faces.append([at(start, a), at(start, b), at(end, b), at(end, a)])
    faces.append([at(start, off) for off in reversed(offsets)])
    faces.append([at(end, off) for off in offsets])
    return "MULTIPOLYGONZ(" + ", ".join(_ring_wkt(f) for f in faces) + ")"


def box_wkt(x, y, z_bottom, z_top, half):
    """MultiPolygonZ of a closed vertical box (a manhole / well)."""
    c = [(x - half, y - half), (x + half, y - half), (x + half, y + half), (x - half, y + half)]
    faces = [
        [(px, py, z_bottom) for px, py in reversed(c)],
        [(px, py, z_top) for px, py in c],
    ]
    for i in range(4):
        (ax, ay), (bx, by) = c[i], c[(i + 1) % 4]
        faces.append([(ax, ay, z_bottom), (bx, by, z_bottom), (bx, by, z_top), (ax, ay, z_top)])
    return "MULTIPOLYGONZ(" + ", ".join(_ring_wkt(f) for f in faces) + ")"


def mesh_layer(features, crs="EPSG:4547", name="pipe_mesh"):
    """Memory MultiPolygonZ layer from (category, wkt) pairs."""
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    layer = QgsVectorLayer(f"MultiPolygonZ?crs={crs}&field=category:string&field=note:string", name, "memory")
    assert layer.isValid()
    feats = []
    for category, wkt in features:
        feature = QgsFeature(layer.fields())
        feature.setAttributes([category, None])
        geometry = QgsGeometry.fromWkt(wkt)
        assert not geometry.isNull(), wkt[:80]
        feature.setGeometry(geometry)
        feats.append(feature)
    ok, _ = layer.dataProvider().addFeatures(feats)
    assert ok
    layer.updateExtents()
    return layer


def network_features():
    """Four pipes 1.5-4.5 m below a 35 m ground, plus a drainage manhole."""
    def p(dx, dy, z):
        return (X0 + dx, Y0 + dy, z)

    return [
        ("JS", tube_wkt(p(0, 0, 33.0), p(40, 0, 33.0), 0.45)),
        ("PS", tube_wkt(p(0, 8, 30.5), p(40, 8, 30.2), 0.8)),
        ("PS", box_wkt(X0 + 20, Y0 + 8, 29.6, GROUND, 0.75)),
        ("RQ", tube_wkt(p(0, 16, 33.4), p(40, 22, 33.4), 0.35)),
        ("DL", tube_wkt(p(12, -8, 32.2), p(12, 26, 32.2), 0.4)),
    ]


# ---------------------------------------------------------------- helpers


def renderer_xml(layer):
    from qgis.core import QgsReadWriteContext
    from qgis.PyQt.QtXml import QDomDocument

    doc = QDomDocument()
    elem = doc.createElement("renderer-3d")
    layer.renderer3D().writeXml(elem, QgsReadWriteContext())
    doc.appendChild(elem)
    return doc


def rules(doc):
    """(filter, description, symbol element or None) of every <rule>."""
    found = []
    nodes = doc.elementsByTagName("rule")
    for i in range(nodes.count()):
        elem = nodes.at(i).toElement()
        symbol = elem.firstChildElement("symbol")
        found.append((elem.attribute("filter"), elem.attribute("description"),
                      None if symbol.isNull() else symbol))
    return found


def image_array(path):
    """The PNG as an (h, w, 3) uint8 array, read with QImage."""
    import numpy as np
    from qgis.PyQt.QtGui import QImage

    image = QImage(str(path))
    assert not image.isNull(), f"{path} is not an image"
    image = image.convertToFormat(QImage.Format_RGB888)
    ptr = image.constBits()
    ptr.setsize(image.sizeInBytes())
    raw = np.frombuffer(ptr, dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
    return raw[:, : image.width() * 3].reshape(image.height(), image.width(), 3).copy()


def colour_masks(rgb):
    """Pixels whose colour is dominated by each category's channels.

    Shading changes brightness (and specular light adds some grey), so the
    tests look at which channels dominate, not at exact values.
    """
    r, g, b = (rgb[..., i].astype(float) for i in range(3))
    hi = rgb.max(axis=2).astype(float)
    lo = rgb.min(axis=2).astype(float)
    chroma = hi - lo
    return {
        "JS": (g > 90) & (b > 90) & (r < 0.45 * g) & (r < 0.45 * b) & (abs(g - b) < 0.25 * hi),
        "RQ": (r > 90) & (b > 90) & (g < 0.45 * r) & (g < 0.45 * b) & (abs(r - b) < 0.25 * hi),
        "DL": (r > 90) & (g < 0.35 * r) & (b < 0.35 * r),
        "TX": (g > 90) & (r < 0.45 * g) & (b < 0.45 * g),
        # brown (76, 57, 38): red > green > blue, green ~3/4 and blue ~1/2 of red
        "PS": (r > 25) & (chroma > 15) & (g > 0.55 * r) & (g < 0.92 * r) & (b > 0.25 * r) & (b < 0.8 * r)
              & (r > g) & (g > b),
    }


@pytest.fixture(scope="module")
def gl(qgis_app):
    """Skip (locally) or fail (CI) when no OpenGL context can be created."""
    from pipemap.processing import scene3d

    problem = scene3d.opengl_problem()
    if problem is not None:
        if IN_CI:
            pytest.fail(f"CI=true but 3D rendering is impossible: {problem}")
        pytest.skip(f"no OpenGL: {problem}")
    return True


@pytest.fixture
def crs():
    from qgis.core import QgsCoordinateReferenceSystem

    value = QgsCoordinateReferenceSystem("EPSG:4547")
    assert value.isValid()
    return value


# ---------------------------------------------------------------- renderers (no GL)


def test_pipe_renderer_has_one_rule_per_category_in_its_colour(qgis_app):
    from qgis.core import QgsCategorizedSymbolRenderer

    from pipemap.core.codes import CATEGORIES
    from pipemap.processing import scene3d

    layer = mesh_layer(network_features())
    scene3d.apply_pipe_3d_renderer(layer)
    assert layer.renderer3D().type() == "rulebased"
    found = rules(renderer_xml(layer))
    by_filter = {f: (d, s) for f, d, s in found}

    expected = {c.code: c.rgb for c in CATEGORIES}
    expected["BM"] = (102, 0, 204)
    for code, rgb in expected.items():
        key = f"\"category\" = '{code}'"
        assert key in by_filter, f"no rule for {code}: {list(by_filter)}"
        description, symbol = by_filter[key]
        assert description == code
        assert symbol.attribute("type") == "polygon"
        assert symbol.attribute("material_type") == "phong"
        data = symbol.firstChildElement("data")
        assert data.attribute("alt-clamping") == "absolute"
        assert float(data.attribute("extrusion-height")) == 0.0
        assert data.attribute("invert-normals") == "0"
        assert data.attribute("add-back-faces") == "1"
        material = symbol.firstChildElement("material")
        assert material.attribute("diffuse") == "{},{},{},255".format(*rgb)
    # the categories plus one catch-all rule (NULL / unknown codes), no "else"
    # rule (in 3.22 an else rule draws every feature a second time)
    assert len(found) == len(expected) + 1
    other = [f for f, d, _ in found if d == "other"]
    assert other and "IS NULL" in other[0] and "NOT IN" in other[0]

    renderer = layer.renderer()
    assert isinstance(renderer, QgsCategorizedSymbolRenderer)
    assert renderer.classAttribute() == "category"
    colours = {c.value(): c.symbol().color().getRgb()[:3] for c in renderer.categories()}
    for code, rgb in expected.items():
        assert colours[code] == rgb


def test_pipe_renderer_custom_colours_and_field(qgis_app):
    from qgis.core import QgsVectorLayer

    from pipemap.processing import scene3d

    layer = QgsVectorLayer("MultiPolygonZ?crs=EPSG:4547&field=kind:string", "m", "memory")
    scene3d.apply_pipe_3d_renderer(layer, category_field="kind", colours={"A": (1, 2, 3), "B'X": (4, 5, 6)})
    found = rules(renderer_xml(layer))
    filters = [f for f, _, _ in found]
    assert "\"kind\" = 'A'" in filters
    assert "\"kind\" = 'B''X'" in filters  # quotes in values are escaped
    assert len(found) == 3


def test_line_renderer_follows_category_and_outer_diameter(qgis_app):
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    from pipemap.processing import scene3d

    layer = QgsVectorLayer("LineStringZ?crs=EPSG:4547&field=category:string&field=outer_diameter_mm:double",
                           "pipe_segment", "memory")
    feature = QgsFeature(layer.fields())
    feature.setAttributes(["JS", 630.0])
    feature.setGeometry(QgsGeometry.fromWkt(f"LINESTRINGZ({X0} {Y0} 33, {X0 + 30} {Y0} 32.5)"))
    layer.dataProvider().addFeatures([feature])
    scene3d.apply_line_3d_renderer(layer)

    found = rules(renderer_xml(layer))
    top = {f: d for f, d, s in found if s is None}
    assert top["\"category\" = 'JS'"] == "JS"
    assert top["\"category\" = 'PS'"] == "PS"
    symbols = [(f, s) for f, _, s in found if s is not None]
    assert all(s.attribute("type") == "line" for _, s in symbols)
    datas = [s.firstChildElement("data") for _, s in symbols]
    assert {d.attribute("alt-clamping") for d in datas} == {"absolute"}
    assert {d.attribute("alt-binding") for d in datas} == {"vertex"}
    assert {d.attribute("simple-lines") for d in datas} == {"1"}
    # widths (pixels for simple lines) grow with the outer diameter
    widths = {f: float(d.attribute("width")) for (f, _), d in zip(symbols, datas)}
    small = widths['"outer_diameter_mm" > 0 AND "outer_diameter_mm" < 150']
    big = widths['"outer_diameter_mm" >= 2000']
    assert small < big
    assert widths['"outer_diameter_mm" IS NULL OR "outer_diameter_mm" <= 0'] == 3.0
    cyan = [s for f, s in symbols if s.firstChildElement("material").attribute("ambient") == "0,255,255,255"]
    assert len(cyan) == len(scene3d.SIZE_CLASSES) + 1

    # a layer without a size field: one plain rule per category
    bare = QgsVectorLayer("LineStringZ?crs=EPSG:4547&field=category:string", "bare", "memory")
    scene3d.apply_line_3d_renderer(bare, simple_lines=False, ribbon_width_m=0.5)
    found = rules(renderer_xml(bare))
    assert len(found) == len(scene3d.DEFAULT_COLOURS) + 1
    assert {s.firstChildElement("data").attribute("width") for _, _, s in found} == {"0.5"}


# ---------------------------------------------------------------- scene settings (no GL)


def settings_xml(settings):
    from qgis.core import QgsReadWriteContext
    from qgis.PyQt.QtXml import QDomDocument

    doc = QDomDocument()
    doc.appendChild(settings.writeXml(doc, QgsReadWriteContext()))
    return doc


def write_dem(path, crs, value=GROUND):
    """A small sloping GeoTIFF DEM around the test network."""
    import numpy as np
    from osgeo import gdal

    ds = gdal.GetDriverByName("GTiff").Create(str(path), 40, 30, 1, gdal.GDT_Float32)
    ds.SetGeoTransform((X0 - 20, 2.0, 0.0, Y0 + 40, 0.0, -2.0))
    ds.SetProjection(crs.toWkt())
    yy, xx = np.mgrid[0:30, 0:40]
    ds.GetRasterBand(1).WriteArray((value + 0.02 * xx - 0.01 * yy).astype("float32"))
    ds = None  # close before QGIS reads it (and before QGIS exits)


def test_setup_scene_terrain_off_flat_and_dem(qgis_app, crs, tmp_path):
    from qgis.core import QgsRasterLayer, QgsRectangle

    from pipemap.processing import scene3d

    layer = mesh_layer(network_features())
    scene3d.apply_pipe_3d_renderer(layer)
    extent = QgsRectangle(X0 - 5, Y0 - 10, X0 + 45, Y0 + 30)

    off = scene3d.setup_3d_map_settings([layer], crs, extent)
    assert off.terrainRenderingEnabled() is False
    assert off.crs() == crs
    assert (off.origin().x(), off.origin().y()) == (X0 + 20, Y0 + 10)
    assert [lyr.id() for lyr in off.layers()] == [layer.id()]
    assert off.directionalLights() and off.pointLights()
    assert off.backgroundColor().getRgb()[:3] == scene3d.DEFAULT_BACKGROUND
    xml = settings_xml(off)  # writeXml works: a terrain generator is installed
    assert xml.elementsByTagName("generator").at(0).toElement().attribute("type") == "flat"

    flat = scene3d.setup_3d_map_settings([layer], crs, extent, terrain="flat")
    assert flat.terrainRenderingEnabled() is True
    assert flat.isTerrainShadingEnabled() is True
    # a ground-coloured 2D sheet under the layers tints the terrain
    names = [lyr.name() for lyr in flat.layers()]
    assert names == [layer.name(), "ground"]
    sheet = flat.layers()[1]
    assert sheet.renderer3D() is None
    assert sheet.extent().contains(extent)

    dem_path = tmp_path / "dem.tif"
    write_dem(dem_path, crs)
    dem = QgsRasterLayer(str(dem_path), "dem")
    assert dem.isValid()
    with_dem = scene3d.setup_3d_map_settings([layer], crs, extent, dem_layer=dem, terrain="dem",
                                             vertical_scale=2.0)
    assert with_dem.terrainRenderingEnabled() is True
    assert with_dem.terrainVerticalScale() == 2.0
    generator = settings_xml(with_dem).elementsByTagName("generator").at(0).toElement()
    assert generator.attribute("type") == "dem"
    assert generator.attribute("layer") == dem.id()
    assert dem.project() is None  # borrowed for resolving only, still the caller's
    assert [lyr.id() for lyr in with_dem.layers()][0] == layer.id()
    assert with_dem.layers()[1].extent().contains(dem.extent())

    with pytest.raises(ValueError, match="dem_layer"):
        scene3d.setup_3d_map_settings([layer], crs, extent, terrain="dem")
    with pytest.raises(ValueError, match="terrain must be one of"):
        scene3d.setup_3d_map_settings([layer], crs, extent, terrain="glass")


def test_setup_scene_empty_and_foreign_crs(qgis_app, crs):
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsProject, QgsRectangle

    from pipemap.processing import scene3d

    empty = scene3d.setup_3d_map_settings([], crs, QgsRectangle())
    assert empty.layers() == []
    assert empty.terrainRenderingEnabled() is False

    # a layer in geographic coordinates: its extent is transformed to the scene
    layer = mesh_layer(network_features())
    wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
    to_wgs = QgsCoordinateTransform(crs, wgs84, QgsProject.instance())
    geo = mesh_layer([], crs="EPSG:4326", name="geo")
    for feature in layer.getFeatures():
        geometry = feature.geometry()
        geometry.transform(to_wgs)
        feature.setGeometry(geometry)
        geo.dataProvider().addFeatures([feature])
    geo.updateExtents()
    extent = scene3d.layers_extent([geo], crs)
    assert abs(extent.xMinimum() - layer.extent().xMinimum()) < 0.5
    assert abs(extent.yMaximum() - layer.extent().yMaximum()) < 0.5
    lo, hi = scene3d.z_range([geo])
    assert 29.0 < lo < hi <= GROUND + 1e-6
    settings = scene3d.setup_3d_map_settings([geo], crs, QgsRectangle())
    assert abs(settings.origin().x() - layer.extent().center().x()) < 0.5


def test_default_camera_looks_at_the_pipes(qgis_app):
    from qgis.core import QgsRectangle

    from pipemap.processing import scene3d

    extent = QgsRectangle(X0, Y0, X0 + 100, Y0 + 60)
    cam = scene3d.default_camera(extent, (28.0, 34.0), 1200, 800)
    assert cam["z"] == pytest.approx(31.0)  # the pipes' elevation, not 0
    assert (cam["x"], cam["y"]) == (X0 + 50, Y0 + 30)
    assert 45.0 <= cam["pitch"] <= 60.0
    assert 60.0 < cam["distance"] < 250.0
    bigger = scene3d.default_camera(QgsRectangle(X0, Y0, X0 + 1000, Y0 + 600), (28.0, 34.0), 1200, 800)
    assert bigger["distance"] == pytest.approx(10 * cam["distance"], rel=0.05)
    down = scene3d.view_direction(0.0, 0.0)
    assert down == pytest.approx((0.0, -1.0, 0.0))


# ---------------------------------------------------------------- rendering (GL)


def test_render_3d_png_shows_each_category_shaded(gl, crs, tmp_path, output_dir):
    import numpy as np
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsProject

    from pipemap.processing import scene3d

    pipes = mesh_layer(network_features())
    scene3d.apply_pipe_3d_renderer(pipes)
    # a telecom duct stored in WGS 84: the scene must transform it
    wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
    duct = mesh_layer([("TX", tube_wkt((X0, Y0 - 4, 33.8), (X0 + 40, Y0 - 4, 33.8), 0.35))], name="duct")
    geo = mesh_layer([], crs="EPSG:4326", name="duct_wgs84")
    to_wgs = QgsCoordinateTransform(crs, wgs84, QgsProject.instance())
    for feature in duct.getFeatures():
        geometry = feature.geometry()
        geometry.transform(to_wgs)
        feature.setGeometry(geometry)
        geo.dataProvider().addFeatures([feature])
    geo.updateExtents()
    scene3d.apply_pipe_3d_renderer(geo)

    extent = scene3d.layers_extent([pipes, geo], crs)
    target = tmp_path / "scene3d.png"
    started = time.monotonic()
    result = scene3d.render_3d_png([pipes, geo], crs, extent, target, width_px=1200, height_px=800)
    seconds = time.monotonic() - started
    print(f"render_3d_png: {seconds:.2f} s")
    assert result == target and target.is_file()
    assert not list(tmp_path.glob(".scene3d-*")), "temporary file left behind"
    (output_dir / "scene3d.png").write_bytes(target.read_bytes())

    rgb = image_array(target)
    assert rgb.shape == (800, 1200, 3)
    distinct = len(np.unique(rgb.reshape(-1, 3), axis=0))
    assert distinct > 200, f"only {distinct} colours: blank or unshaded image"
    masks = colour_masks(rgb)
    for code, mask in masks.items():
        assert mask.sum() > 300, f"{code} ({COLOURS[code]}) barely visible: {mask.sum()} px"
    # shaded, not flat: the water pipe shows several brightness levels
    cyan = rgb[masks["JS"]].max(axis=1)
    assert cyan.max() - cyan.min() > 60
    # the pipes fill the frame rather than a speck in the middle
    coloured = np.argwhere(np.logical_or.reduce(list(masks.values())))
    (top, left), (bottom, right) = coloured.min(axis=0), coloured.max(axis=0)
    assert right - left > 0.5 * 1200
    assert bottom - top > 0.3 * 800


def test_render_3d_png_empty_scene_and_custom_camera(gl, crs, tmp_path):
    from qgis.core import QgsRectangle

    from pipemap.processing import scene3d

    empty = scene3d.render_3d_png([], crs, QgsRectangle(), tmp_path / "empty.png", width_px=320, height_px=200)
    rgb = image_array(empty)
    assert rgb.shape == (200, 320, 3)
    assert (rgb == scene3d.DEFAULT_BACKGROUND).all(axis=2).mean() > 0.99

    pipes = mesh_layer(network_features())
    scene3d.apply_pipe_3d_renderer(pipes)
    top_down = scene3d.render_3d_png(
        [pipes], crs, None, tmp_path / "top.png", width_px=400, height_px=300,
        camera={"pitch": 0.0, "heading": 0.0, "distance": 80.0})
    masks = colour_masks(image_array(top_down))
    # seen from straight above: the water main (south, y=0) is below the gas
    # main (north, y=16..22) in the image
    js_rows = masks["JS"].nonzero()[0]
    rq_rows = masks["RQ"].nonzero()[0]
    assert len(js_rows) and len(rq_rows)
    assert js_rows.mean() > rq_rows.mean()


def test_render_3d_png_with_dem_see_through_and_opaque(gl, crs, tmp_path, output_dir):
    import numpy as np
    from qgis.core import QgsRasterLayer

    from pipemap.processing import scene3d

    dem_path = tmp_path / "dem.tif"
    write_dem(dem_path, crs)
    dem = QgsRasterLayer(str(dem_path), "dem")
    pipes = mesh_layer(network_features())
    scene3d.apply_pipe_3d_renderer(pipes)

    def earth(rgb):
        """The shaded tan ground: red > green > blue, low saturation."""
        r, g, b = (rgb[..., i].astype(int) for i in range(3))
        return (r > 100) & (r - b > 25) & (r - b < 90) & (r >= g) & (g >= b)

    started = time.monotonic()
    see = scene3d.render_3d_png([pipes], crs, pipes.extent(), tmp_path / "dem.png", width_px=600,
                                height_px=400, dem_layer=dem)
    print(f"render_3d_png with a see-through DEM (two renders): {time.monotonic() - started:.2f} s")
    (output_dir / "scene3d_dem.png").write_bytes(see.read_bytes())
    rgb = image_array(see)
    assert earth(rgb).mean() > 0.3, "no DEM terrain in the picture"
    masks = colour_masks(rgb)
    for code in ("JS", "RQ", "DL"):
        assert masks[code].sum() > 100, f"{code} does not show through the ground"

    # opaque (one pass): 3.22 draws the DEM surface over the buried pipes
    opaque = scene3d.render_3d_png([pipes], crs, pipes.extent(), tmp_path / "dem_opaque.png", width_px=600,
                                   height_px=400, dem_layer=dem, terrain_transparent=False)
    rgb = image_array(opaque)
    assert earth(rgb).mean() > 0.5
    masks = colour_masks(rgb)
    assert sum(int(m.sum()) for k, m in masks.items() if k != "PS") < 50
    assert np.unique(rgb.reshape(-1, 3), axis=0).shape[0] > 20  # shaded, not one flat colour


def test_render_3d_png_flat_floor_and_terrain_without_3d_layers(gl, crs, tmp_path):
    from qgis.core import QgsRasterLayer

    from pipemap.processing import scene3d

    pipes = mesh_layer(network_features())
    scene3d.apply_pipe_3d_renderer(pipes)
    flat = scene3d.render_3d_png([pipes], crs, pipes.extent(), tmp_path / "flat.png", width_px=400,
                                 height_px=300, terrain="flat")
    rgb = image_array(flat)
    r, g, b = (rgb[..., i].astype(int) for i in range(3))
    floor = (r > 100) & (r - b > 25) & (r >= g) & (g >= b)
    assert floor.mean() > 0.05, "no floor under the pipes"
    masks = colour_masks(rgb)
    for code in ("JS", "RQ", "DL"):
        assert masks[code].sum() > 30, code  # the floor is below them, not in front

    # 3.22 crashes drawing a terrain in a scene without 3D layers: left out
    dem_path = tmp_path / "dem.tif"
    write_dem(dem_path, crs)
    alone = scene3d.render_3d_png([], crs, None, tmp_path / "alone.png", width_px=200, height_px=100,
                                  dem_layer=QgsRasterLayer(str(dem_path), "dem"))
    assert image_array(alone).shape == (100, 200, 3)


def test_render_without_opengl_raises_before_qt3d(qgis_app, crs, tmp_path, monkeypatch):
    from pipemap.processing import scene3d

    monkeypatch.setattr(scene3d, "opengl_problem", lambda: "no OpenGL context could be created (test)")
    with pytest.raises(RuntimeError, match="OpenGL"):
        scene3d.render_3d_png([], crs, None, tmp_path / "x.png")
    assert list(tmp_path.iterdir()) == []


def test_no_display_gives_a_clear_error_not_a_hang(tmp_path):
    """Offscreen Qt without X has no GL: a RuntimeError, quickly."""
    link_dir = tmp_path / "imp"
    link_dir.mkdir()
    (link_dir / "pipemap").symlink_to(ROOT)
    code = (
        f"import sys; sys.path.insert(0, {str(link_dir)!r})\n"
        "from qgis.core import QgsApplication, QgsCoordinateReferenceSystem\n"
        "app = QgsApplication([], False); app.initQgis()\n"
        "from pipemap.processing import scene3d\n"
        "try:\n"
        f"    scene3d.render_3d_png([], QgsCoordinateReferenceSystem('EPSG:4547'), None, {str(tmp_path / 'n.png')!r})\n"
        "except RuntimeError as exc:\n"
        "    print('ERROR:', exc); sys.exit(3)\n"
        "print('RENDERED'); sys.exit(0)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("PYTHONPATH", None)
    proc = subprocess.run([sys.executable, "-P", "-c", code], capture_output=True, text=True, env=env, timeout=120)
    if proc.returncode == 0:
        pytest.skip("this machine has OpenGL without X (e.g. EGL); nothing to check")
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "OpenGL" in proc.stdout
    assert not (tmp_path / "n.png").exists()
