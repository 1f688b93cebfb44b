"""pipemap:createmap through QGIS Processing (processing.run)."""

from __future__ import annotations

import hashlib

import pytest

from pipemap.core import schema

pytestmark = pytest.mark.qgis


def run(params):
    from qgis import processing

    return processing.run("pipemap:createmap", params)


def load(path, layer):
    from qgis.core import QgsVectorLayer

    lyr = QgsVectorLayer(f"{path}|layername={layer}", layer, "ogr")
    assert lyr.isValid(), f"{layer} did not load"
    return lyr


def test_createmap_through_processing(provider_only, tmp_path):
    from qgis.core import QgsCategorizedSymbolRenderer, QgsWkbTypes

    target = tmp_path / "map.gpkg"
    result = run({"OUTPUT": str(target), "CRS": "EPSG:4547", "OVERWRITE": False})
    assert result["OUTPUT"] == str(target)
    assert result["SCHEMA_VERSION"] == schema.SCHEMA_VERSION

    points, segments = load(target, "pipe_point"), load(target, "pipe_segment")
    assert points.wkbType() == QgsWkbTypes.PointZ
    assert segments.wkbType() == QgsWkbTypes.LineStringZ
    assert segments.crs().authid() == "EPSG:4547"
    assert points.crs().authid() == "EPSG:4547"

    cats = load(target, "code_category")
    rows = {f["code"]: (f["name_zh"], f["colour"]) for f in cats.getFeatures()}
    assert rows == {
        "JS": ("给水", "#00ffff"), "PS": ("排水", "#4c3926"), "RQ": ("燃气", "#ff00ff"),
        "RL": ("热力", "#ff8000"), "DL": ("电力", "#ff0000"), "TX": ("通信", "#00ff00"),
        "GY": ("工业", "#000000"), "QT": ("其他", "#000000"),
    }

    # the default style stored in the map colours segments by category
    msg, ok = segments.loadDefaultStyle()
    assert ok, msg
    renderer = segments.renderer()
    assert isinstance(renderer, QgsCategorizedSymbolRenderer)
    categories = renderer.categories()
    colours = {c.value(): c.symbol().color().name() for c in categories if c.value()}
    for code, (_, colour) in rows.items():
        assert colours[code] == colour


def test_createmap_shipped_qml_styles_match_code_list(provider_only, tmp_path, repo_root):
    """resources/styles/*.qml colour each category exactly as CJJ 61 says."""
    from pipemap.core import codes

    target = tmp_path / "map.gpkg"
    run({"OUTPUT": str(target), "CRS": "EPSG:4547"})
    for layer_name in ("pipe_segment", "pipe_point"):
        layer = load(target, layer_name)
        msg, ok = layer.loadNamedStyle(str(repo_root / "resources" / "styles" / f"{layer_name}.qml"))
        assert ok, msg
        categories = layer.renderer().categories()  # keep: symbols belong to these copies
        cats = {c.value(): c.symbol() for c in categories if c.value()}
        for cat in codes.CATEGORIES:
            symbol = cats[cat.code]
            colour = symbol.symbolLayer(0).strokeColor() if layer_name == "pipe_point" else symbol.color()
            assert (colour.red(), colour.green(), colour.blue()) == cat.rgb, (layer_name, cat.code)


def test_existing_file_refused_untouched(provider_only, tmp_path):
    from qgis.core import QgsProcessingException

    target = tmp_path / "map.gpkg"
    target.write_bytes(b"do not lose me")
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    with pytest.raises(QgsProcessingException) as err:
        run({"OUTPUT": str(target), "CRS": "EPSG:4547"})
    assert "already exists" in str(err.value)
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before
    result = run({"OUTPUT": str(target), "CRS": "EPSG:4547", "OVERWRITE": True})
    assert result["SCHEMA_VERSION"] == schema.SCHEMA_VERSION


@pytest.mark.parametrize("crs", ["EPSG:999999", "definitely not a CRS"])
def test_invalid_crs_is_a_processing_error(provider_only, tmp_path, crs):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException) as err:
        run({"OUTPUT": str(tmp_path / "m.gpkg"), "CRS": crs})
    assert "coordinate reference system" in str(err.value).lower()
    assert list(tmp_path.iterdir()) == []


def test_unwritable_paths_are_processing_errors(provider_only, tmp_path):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException) as err:
        run({"OUTPUT": str(tmp_path / "missing" / "m.gpkg"), "CRS": "EPSG:4547"})
    assert "does not exist" in str(err.value)
    with pytest.raises(QgsProcessingException):
        run({"OUTPUT": "/proc/pipemap-test.gpkg", "CRS": "EPSG:4547"})
    assert list(tmp_path.iterdir()) == []


def test_user_defined_crs(provider_only, tmp_path):
    """A local grid defined only by its parameters (no EPSG code) is kept."""
    from qgis.core import QgsCoordinateReferenceSystem

    crs = QgsCoordinateReferenceSystem.fromProj(
        "+proj=tmerc +lat_0=0 +lon_0=114.33 +k=1 +x_0=50000 +y_0=-3300000 +ellps=GRS80 +units=m +no_defs"
    )
    assert crs.isValid()
    target = tmp_path / "local.gpkg"
    run({"OUTPUT": str(target), "CRS": crs})
    seg = load(target, "pipe_segment")
    assert seg.crs().isValid()
    assert "114.33" in seg.crs().toProj()
