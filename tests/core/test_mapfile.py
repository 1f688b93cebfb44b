"""Creating integrated-map GeoPackages in core (GDAL, no QGIS)."""

from __future__ import annotations

import hashlib
import os
import sqlite3

import pytest

from pipemap.core import mapfile, schema
from pipemap.core.errors import CancelledError, InputError, OutputError, SchemaError
from pipemap.core.progress import RecordingProgress

LOCAL_GRID_WKT = (
    'PROJCS["City local grid",GEOGCS["CGCS2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],'
    'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],'
    'PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",114.33],PARAMETER["scale_factor",1],'
    'PARAMETER["false_easting",50000],PARAMETER["false_northing",-3300000],UNIT["metre",1]]'
)


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_create_map_has_the_data_model(tmp_path):
    target = tmp_path / "city.gpkg"
    info = mapfile.create_map(target, "EPSG:4547")
    assert target.is_file()
    assert info.schema_version == schema.SCHEMA_VERSION
    assert info.layers["pipe_point"]["geometry"] == "3D Point"
    assert info.layers["pipe_segment"]["geometry"] == "3D Line String"
    assert info.layers["pipe_point"]["has_z"] and info.layers["pipe_segment"]["has_z"]
    for name in schema.all_table_names():
        assert name in info.layers, name
    assert info.layers["code_category"]["count"] == 8
    colours = {c["code"]: c["colour"] for c in info.categories}
    assert colours["JS"] == "#00ffff" and colours["PS"] == "#4c3926" and colours["RQ"] == "#ff00ff"
    assert info.metadata["crs_authid"] == "EPSG:4547"
    assert "CGCS2000" in info.metadata["crs_name"]
    assert info.metadata["z_convention_pipe_segment"] == "pipe centreline elevation"
    assert info.metadata["height_datum"].startswith("1985")
    seg_fields = set(info.layers["pipe_segment"]["fields"])
    assert {"seg_id", "category", "depth_ref", "dn_mm", "outer_diameter_mm", "width_mm", "height_mm",
            "quality_level", "sensitivity", "owner_contact", "start_depth_m", "end_elev_m"} <= seg_fields
    assert info.layers["rule_class_map"]["count"] >= 10
    assert list(tmp_path.iterdir()) == [target], "temporary files left behind"


def test_code_lists_are_published_as_gpkg_enum_constraints(tmp_path):
    target = tmp_path / "m.gpkg"
    mapfile.create_map(target, "EPSG:4547")
    con = sqlite3.connect(target)
    enum = con.execute(
        "SELECT value FROM gpkg_data_column_constraints WHERE constraint_name='pm_category'").fetchall()
    linked = con.execute(
        "SELECT constraint_name FROM gpkg_data_columns WHERE table_name='pipe_segment' AND column_name='category'"
    ).fetchone()
    styles = con.execute("SELECT f_table_name, useAsDefault FROM layer_styles ORDER BY 1").fetchall()
    con.close()
    assert sorted(v for (v,) in enum) == sorted(["JS", "PS", "RQ", "RL", "DL", "TX", "GY", "QT"])
    assert linked == ("pm_category",)
    assert styles == [("pipe_point", 1), ("pipe_segment", 1)]


def test_not_null_and_unique_constraints_hold(tmp_path):
    target = tmp_path / "m.gpkg"
    mapfile.create_map(target, "EPSG:4547")
    con = sqlite3.connect(target)
    # the GeoPackage R-tree triggers call these; features here have no geometry
    for fn in ("ST_IsEmpty", "ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"):
        con.create_function(fn, 1, lambda g: 0)
    with pytest.raises(sqlite3.IntegrityError):
        con.execute("INSERT INTO pipe_segment (seg_id, category) VALUES ('a', NULL)")
    con.execute("INSERT INTO pipe_segment (seg_id, category) VALUES ('a', 'JS')")
    with pytest.raises(sqlite3.IntegrityError):
        con.execute("INSERT INTO pipe_segment (seg_id, category) VALUES ('a', 'PS')")
    row = con.execute("SELECT sensitivity, version, status FROM pipe_segment WHERE seg_id='a'").fetchone()
    con.close()
    assert row == ("internal", 1, "0")


def test_existing_file_is_refused_and_left_byte_identical(tmp_path):
    target = tmp_path / "m.gpkg"
    target.write_bytes(b"precious survey data")
    before = digest(target)
    with pytest.raises(OutputError) as err:
        mapfile.create_map(target, "EPSG:4547")
    assert str(target) in str(err.value) and err.value.code == "map.exists"
    assert digest(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.gpkg"]


def test_overwrite_replaces_the_file(tmp_path):
    target = tmp_path / "m.gpkg"
    target.write_bytes(b"old")
    info = mapfile.create_map(target, "EPSG:4549", overwrite=True)
    assert info.metadata["crs_authid"] == "EPSG:4549"


@pytest.mark.parametrize("crs", ["EPSG:999999", "not a crs", "", "+proj=nonsense"])
def test_invalid_crs_is_a_clear_error_and_writes_nothing(tmp_path, crs):
    target = tmp_path / "m.gpkg"
    with pytest.raises(InputError) as err:
        mapfile.create_map(target, crs)
    assert "coordinate reference system" in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_local_grid_wkt_is_kept(tmp_path):
    info = mapfile.create_map(tmp_path / "local.gpkg", LOCAL_GRID_WKT)
    assert info.metadata["crs_name"] == "City local grid"
    assert info.metadata["crs_kind"] == "projected"
    assert info.metadata["crs_authid"] == ""
    assert "114.33" in info.metadata["crs_wkt"]
    assert "City local grid" in info.layers["pipe_segment"]["srs_wkt"]


def test_missing_folder_and_unwritable_target(tmp_path):
    with pytest.raises(OutputError) as err:
        mapfile.create_map(tmp_path / "no" / "such" / "m.gpkg", "EPSG:4547")
    assert "does not exist" in str(err.value)
    with pytest.raises(OutputError):
        mapfile.create_map("/proc/pipemap-test.gpkg", "EPSG:4547")


def test_wrong_extension(tmp_path):
    with pytest.raises(InputError):
        mapfile.create_map(tmp_path / "m.shp", "EPSG:4547")


def test_cancel_leaves_nothing(tmp_path):
    progress = RecordingProgress(cancel_after=1)
    with pytest.raises(CancelledError):
        mapfile.create_map(tmp_path / "m.gpkg", "EPSG:4547", progress=progress)
    assert list(tmp_path.iterdir()) == []


def test_failure_midway_leaves_no_partial_file(tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full (simulated)")

    monkeypatch.setattr(mapfile, "_write_styles", boom)
    with pytest.raises(OutputError) as err:
        mapfile.create_map(tmp_path / "m.gpkg", "EPSG:4547")
    assert "disk full" in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_upgrade_refuses_newer_maps_and_keeps_current_ones(tmp_path):
    target = tmp_path / "m.gpkg"
    mapfile.create_map(target, "EPSG:4547")
    assert mapfile.upgrade_map(target) == (schema.SCHEMA_VERSION, schema.SCHEMA_VERSION)
    con = sqlite3.connect(target)
    con.execute("UPDATE pipemap_metadata SET value='99' WHERE key='schema_version'")
    con.commit()
    con.close()
    with pytest.raises(SchemaError) as err:
        mapfile.upgrade_map(target)
    assert "99" in str(err.value)


def test_upgrade_runs_migrations_in_one_transaction(tmp_path, monkeypatch):
    target = tmp_path / "m.gpkg"
    mapfile.create_map(target, "EPSG:4547")
    con = sqlite3.connect(target)
    con.execute("UPDATE pipemap_metadata SET value='0' WHERE key='schema_version'")
    con.commit()
    con.close()
    before = digest(target)
    # a failing step rolls everything back
    real = dict(mapfile.MIGRATIONS)
    monkeypatch.setattr(mapfile, "MIGRATIONS", {**real, 0: ("ALTER TABLE pipe_segment ADD COLUMN x REAL",
                                                            "THIS IS NOT SQL")})
    with pytest.raises(sqlite3.OperationalError):
        mapfile.upgrade_map(target)
    assert digest(target) == before
    monkeypatch.setattr(mapfile, "MIGRATIONS", {**real, 0: ("ALTER TABLE pipe_segment ADD COLUMN x REAL",)})
    assert mapfile.upgrade_map(target) == (0, schema.SCHEMA_VERSION)
    con = sqlite3.connect(target)
    cols = [r[1] for r in con.execute("PRAGMA table_info(pipe_segment)")]
    con.close()
    assert "x" in cols


def test_not_a_map(tmp_path):
    bogus = tmp_path / "x.gpkg"
    bogus.write_bytes(b"hello")
    with pytest.raises(InputError):
        mapfile.read_metadata(bogus)
    os.remove(bogus)
    with pytest.raises(InputError):
        mapfile.read_metadata(bogus)


def test_version_1_map_is_upgraded_with_the_gpr_survey_layer(tmp_path):
    from osgeo import gdal

    target = tmp_path / "old.gpkg"
    mapfile.create_map(target, "EPSG:4547")
    ds = gdal.OpenEx(str(target), gdal.OF_VECTOR | gdal.OF_UPDATE)
    for i in range(ds.GetLayerCount()):
        if ds.GetLayerByIndex(i).GetName() == "gpr_survey":
            ds.DeleteLayer(i)
            break
    ds = None
    con = sqlite3.connect(target)
    con.execute("UPDATE pipemap_metadata SET value='1' WHERE key='schema_version'")
    con.commit()
    con.close()
    assert "gpr_survey" not in mapfile.read_map_info(target).layers
    assert mapfile.upgrade_map(target) == (1, 2)
    info = mapfile.read_map_info(target)
    assert info.schema_version == 2
    assert info.layers["gpr_survey"]["geometry"] == "Line String"
    assert "EPSG" in info.layers["gpr_survey"]["srs_wkt"] or "4547" in info.layers["gpr_survey"]["srs_wkt"]
    assert list(tmp_path.iterdir()) == [target]


def test_replace_map_in_steps_reports_progress_and_stays_one_transaction(tmp_path, monkeypatch):
    """The copy is written into the locked map in steps with progress; a program holding the map open sees
    the old content until the last step, then the new one (one transaction)."""
    target = tmp_path / "map.gpkg"
    mapfile.create_map(target, "EPSG:4547")
    new = tmp_path / "new.gpkg"
    mapfile.create_map(new, "EPSG:4547")
    con = sqlite3.connect(new)
    con.execute("CREATE TABLE filler (x BLOB)")
    con.executemany("INSERT INTO filler VALUES (?)", [(os.urandom(3000),) for _ in range(400)])
    con.commit()
    expected = con.execute("SELECT count(*), sum(length(x)) FROM filler").fetchall()[0]
    con.close()
    monkeypatch.setattr(mapfile, "BACKUP_STEP_PAGES", 50)  # many steps for a map of a few MB
    other = sqlite3.connect(target, timeout=0)  # another program with the map open
    seen: list[tuple[float, bool]] = []

    def report(fraction: float) -> None:
        # (fetchall: the statement ends, so the other program holds no lock between two steps)
        try:
            has_filler = other.execute("SELECT count(*) FROM sqlite_master WHERE name = 'filler'").fetchall()[0][0]
        except sqlite3.OperationalError as exc:  # the copy is being written: the other program waits
            assert "locked" in str(exc)
            has_filler = None
        seen.append((fraction, has_filler))

    with mapfile.write_lock(target):
        mapfile.replace_map(new, target, report)
    fractions = [f for f, _ in seen]
    assert len(seen) >= 5 and fractions == sorted(fractions) and fractions[-1] == pytest.approx(1.0)
    assert not any(has for f, has in seen if f < 1.0)  # nothing visible before the copy is complete
    assert seen[-1][1] == 1
    assert other.execute("SELECT count(*), sum(length(x)) FROM filler").fetchall()[0] == expected
    assert not new.exists()
    assert other.execute("PRAGMA integrity_check").fetchall()[0][0] == "ok"
    other.close()
