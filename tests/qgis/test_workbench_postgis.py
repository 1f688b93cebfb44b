"""A PostGIS map from the workbench's Map section (pytest-qgis under Xvfb, the throw-away PostGIS of
tests/pg/support.py): create the map by service + schema, import the sample district's tables into
it, see its layers through QGIS's postgres provider and run the clearance check on it from the
Checks section; the sections that read a GeoPackage say so instead of failing."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pipemap_test_pgsupport as support  # (loaded by tests/conftest.py)
import pytest
from pipemap_test_workbench import click, wait_idle

pytestmark = [pytest.mark.qgis, pytest.mark.usefixtures("pipemap_settings_restored")]


@pytest.fixture
def service(tmp_path, monkeypatch):
    """The test database as a pg_service entry (the credentials live in the service file, as users keep them)."""
    params = support.database()
    path = support.write_service_file(tmp_path / "pg_service.conf", "pipemap_wb", params)
    monkeypatch.setenv("PGSERVICEFILE", str(path))
    return "pipemap_wb", params


def test_a_postgis_map_from_the_map_section(dock, service, imported_district, tmp_path, qgis_iface,
                                            qgis_processing):
    from qgis import processing
    from qgis.core import Qgis, QgsVectorLayer

    name, params = service
    _, district = imported_district
    schema = support.unique_schema("wb") + "_管线"
    section = dock.map_section
    dock.show_section(section)
    section.kind_combo.setCurrentIndex(section.kind_combo.findData("postgis"))
    assert section.postgis_box.isVisible() and not section.gpkg_box.isVisible()
    section.service_edit.setText(name)
    section.schema_edit.setText(schema)
    text = section.chosen_path()
    assert text == f"service=pipemap_wb schema='{schema}'"

    click(section.create_button)
    wait_idle(dock)
    assert dock.map_path == text and dock.map_is_postgis(), dock.runner.last_log
    assert schema in dock.map_label.text()
    seg = dock.map_layer("pipe_segment")
    assert seg is not None and seg.providerType() == "postgres" and seg.featureCount() == 0
    assert "password" not in seg.source()

    section.tables_folder.setFilePath(str(district.tables))
    click(section.import_button)
    wait_idle(dock)
    assert "Imported" in section.import_summary.text(), dock.runner.last_log
    seg = dock.map_layer("pipe_segment")
    assert seg.featureCount() == district.n_segments
    assert seg.crs().authid() == "EPSG:4547" and dock.map_crs().authid() == "EPSG:4547"
    # without a project layer of the map, its CRS is what the map records
    layer_ids = dict(dock.postgis_layers)
    dock.postgis_layers.clear()
    assert dock.map_layer("pipe_segment") is None and dock.map_crs().authid() == "EPSG:4547"
    dock.postgis_layers.update(layer_ids)

    # the clearance check runs in the database and finds what the same check finds on the GeoPackage map
    checks = dock.checks_section
    dock.show_section(checks)
    for check, on in (("clash", True), ("cover", False), ("excavation", False)):
        checks.check_boxes[check].setChecked(on)
    click(checks.run_button)
    wait_idle(dock)
    reference = processing.run("pipemap:clashcheck", {"MAP": str(imported_district[0]),
                                                      "OUTPUT": str(tmp_path / "clash.gpkg")})
    expected = Counter(str(f["verdict"]) for f in QgsVectorLayer(reference["OUTPUT"], "c", "ogr").getFeatures())
    assert Counter(r["verdict"] for r in checks.findings) == expected and sum(expected.values()) > 0

    # a share package straight from the PostGIS map (pipemap:export reads PostGIS maps)
    from qgis.PyQt.QtCore import Qt

    sharing = dock.sharing_section
    if dock.has_algorithm("pipemap:export"):
        dock.show_section(sharing)
        for i in range(sharing.format_list.count()):
            item = sharing.format_list.item(i)
            item.setCheckState(Qt.Checked if i == 0 else Qt.Unchecked)
        sharing.folder_edit.setFilePath(str(tmp_path / "share"))
        click(sharing.export_button)
        wait_idle(dock, 180)
        assert sharing.package and (Path(sharing.package) / "manifest.json").is_file(), dock.runner.last_log

    # the Network section reads the PostGIS map (its status names it and offers to read it again) ...
    bar = qgis_iface.messageBar()
    bar.clear_messages()
    assert "PostGIS" in dock.network_section.status.text()
    # ... and a section that reads only a GeoPackage (profiles) says so
    dock.profiles_section.from_edit.setText("YS1")
    dock.profiles_section.to_edit.setText("YS9")
    assert dock.profiles_section.run_profile() is False
    assert any("GeoPackage" in m for m in bar.get_messages(Qgis.Warning))

    # opening it again by service + schema
    dock.set_map("")
    assert section.open_map() is True and dock.map_path == text
    # a schema that is not a map
    section.schema_edit.setText(support.unique_schema("none"))
    assert section.open_map() is False
