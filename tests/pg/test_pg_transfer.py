"""GeoPackage -> PostGIS -> GeoPackage without loss, in one transaction, on a real PostGIS."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from pipemap_test_pgsupport import gpkg_differences, read_gpkg

from pipemap.core.errors import CancelledError, InputError, OutputError
from pipemap.core.pg import mapdb, transfer
from pipemap.core.progress import NullProgress, RecordingProgress

NASTY_TEXT = "管线\t备注\n第二行 \\ 'quote\" ; DROP TABLE x;--"
EXTRA_COLUMN = '备注"; DROP TABLE x;--'


def _count(con, schema, table):
    from psycopg2 import sql

    with con.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_namespace WHERE nspname = %s", (schema,))
        if cur.fetchone()[0] == 0:
            con.rollback()
            return None
        cur.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(schema, table)))
        n = cur.fetchone()[0]
    con.rollback()
    return n


@pytest.fixture
def con(postgis):
    import psycopg2

    c = psycopg2.connect(**postgis)
    yield c
    c.close()


def gpkg_sql(path, *statements):
    """Run SQL on a GeoPackage through GDAL (its R-tree triggers need GDAL's SQL functions)."""
    from osgeo import gdal

    ds = gdal.OpenEx(str(path), gdal.OF_VECTOR | gdal.OF_UPDATE)
    for statement in statements:
        ds.ExecuteSQL(statement)
    ds = None  # noqa: F841


def _lit(text):
    return "'" + text.replace("'", "''") + "'"


@pytest.fixture
def district_copy(imported_district, tmp_path):
    """The imported sample district, with awkward values and a user-added column (hostile name)."""
    path, district = imported_district
    copy = tmp_path / "district.gpkg"
    shutil.copy2(path, copy)
    column = '"' + EXTRA_COLUMN.replace('"', '""') + '"'
    gpkg_sql(copy, f"UPDATE pipe_segment SET remark = {_lit(NASTY_TEXT)}, survey_date = '2024-02-29' WHERE fid = 1",
             "UPDATE pipe_segment SET remark = '' WHERE fid = 2",  # empty text is not NULL
             f"ALTER TABLE pipe_segment ADD COLUMN {column} TEXT",
             f"UPDATE pipe_segment SET {column} = '用户加的列' WHERE fid = 3")
    from osgeo import ogr  # a GPR survey line (2D) with a date and counts

    ds = ogr.Open(str(copy), 1)
    layer = ds.GetLayerByName("gpr_survey")
    feat = ogr.Feature(layer.GetLayerDefn())
    for name, value in (("survey_id", "线1.dzt#1"), ("file", "/data/线1.dzt"), ("channel", 1), ("traces", 812),
                        ("dt_ns", 0.1), ("acquired", "2024-03-01"), ("modified_at", "2024-03-02T08:00:00Z")):
        feat.SetField(name, value)
    feat.SetGeometry(ogr.CreateGeometryFromWkt("LINESTRING (500000 3380000, 500050 3380010)"))
    layer.CreateFeature(feat)
    feat = layer = ds = None
    return copy, district


def test_round_trip_is_lossless(district_copy, pg_map, con, tmp_path):
    source, district = district_copy
    progress = RecordingProgress()
    there = transfer.transfer(source, pg_map, progress=progress)
    assert there.counts["pipe_segment"] == 604 and there.counts["pipe_point"] == 594
    assert progress.fractions[-1] == 1.0 and progress.fractions == sorted(progress.fractions)
    back = tmp_path / "back.gpkg"
    result = transfer.transfer(pg_map, back)
    assert result.counts == there.counts
    assert gpkg_differences(source, back) == []
    # the comparison really saw the awkward values
    rows = read_gpkg(back)["pipe_segment"]
    assert dict(rows[1])["remark"] == NASTY_TEXT
    assert dict(rows[2])["remark"] == ""
    assert dict(rows[3])[EXTRA_COLUMN] == "用户加的列"
    assert dict(rows[4])[EXTRA_COLUMN] is None
    assert tuple(dict(rows[1])["survey_date"][:3]) == (2024, 2, 29)
    assert any(dict(r)["voltage_kv"] is None for r in rows.values())  # NULLs travelled
    assert any(dict(r)["voltage_kv"] is not None for r in rows.values())
    gpr = read_gpkg(back)["gpr_survey"]
    assert len(gpr) == 1 and dict(gpr[1])["survey_id"] == "线1.dzt#1" and dict(gpr[1])["traces"] == 812
    # 3D in PostGIS: the same z as the GeoPackage
    with con.cursor() as cur:
        from psycopg2 import sql

        cur.execute(sql.SQL("SELECT ST_Z(ST_StartPoint(geom)), ST_NDims(geom) FROM {} WHERE fid = 1").format(
            sql.Identifier(pg_map.schema, "pipe_segment")))
        z, dims = cur.fetchone()
    con.rollback()
    from osgeo import ogr

    ds = ogr.Open(str(source))
    feat = ds.GetLayerByName("pipe_segment").GetFeature(1)
    expected = feat.GetGeometryRef().GetZ(0)
    feat = ds = None
    assert dims == 3 and z == expected


def test_load_is_audited_once_and_edits_get_triggers(district_copy, pg_map, con):
    from psycopg2 import sql

    transfer.transfer(district_copy[0], pg_map)
    with con.cursor() as cur:
        cur.execute(sql.SQL("SELECT operation, new_values FROM {}").format(
            sql.Identifier(pg_map.schema, "audit_log")))
        rows = cur.fetchall()
        assert [r[0] for r in rows] == ["LOAD"]
        assert rows[0][1]["rows"]["pipe_segment"] == 604
        # the key sequence continues after the copied fids
        cur.execute(sql.SQL("INSERT INTO {} (seg_id, category, geom) VALUES ('NEW', 'JS', "
                            "ST_GeomFromText('LINESTRING Z (0 0 1, 1 0 1)', 4547)) RETURNING fid, version").format(
            sql.Identifier(pg_map.schema, "pipe_segment")))
        fid, version = cur.fetchone()
    con.rollback()
    assert fid == 605 and version == 1


def test_extra_table_is_reported(district_copy, pg_map):
    source, _ = district_copy
    db = sqlite3.connect(source)
    with db:
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, txt TEXT)")
        db.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier) VALUES ('notes', 'attributes', "
                   "'notes')")
    db.close()
    progress = RecordingProgress()
    result = transfer.transfer(source, pg_map, progress=progress)
    assert any("notes" in w for w in result.warnings)
    assert any("notes" in w for w in progress.warnings)


def test_a_row_breaking_a_rule_stores_nothing(district_copy, pg_map, con):
    source, _ = district_copy
    gpkg_sql(source, "UPDATE pipe_segment SET dn_mm = -5 WHERE fid = 600")
    with pytest.raises(OutputError) as err:
        transfer.transfer(source, pg_map)
    text = str(err.value)
    assert "pipe_segment" in text and "dn_mm must be more than 0" in text and "nothing was written" in text
    assert _count(con, pg_map.schema, "pipe_segment") is None  # no schema at all


def test_cancel_stores_nothing(district_copy, pg_map, con):
    class CancelLate(NullProgress):
        def cancelled(self):
            return True

    with pytest.raises(CancelledError):
        transfer.transfer(district_copy[0], pg_map, progress=CancelLate())
    assert _count(con, pg_map.schema, "pipe_segment") is None


def test_existing_targets(district_copy, pg_map, con, tmp_path):
    source, _ = district_copy
    transfer.transfer(source, pg_map)
    with pytest.raises(OutputError, match="already exists"):
        transfer.transfer(source, pg_map)
    assert transfer.transfer(source, pg_map, overwrite=True).counts["pipe_segment"] == 604
    target = tmp_path / "taken.gpkg"
    target.write_bytes(b"keep me")
    with pytest.raises(OutputError, match="already exists"):
        transfer.transfer(pg_map, target)
    assert target.read_bytes() == b"keep me"
    transfer.transfer(pg_map, target, overwrite=True)
    assert gpkg_differences(source, target) == []
    assert [p.name for p in tmp_path.iterdir() if ".part" in p.name] == []


def test_postgis_to_postgis(district_copy, pg_map, con, tmp_path):
    source, _ = district_copy
    transfer.transfer(source, pg_map)
    copy = pg_map.with_schema(pg_map.schema + "_copy")
    result = transfer.transfer(pg_map, copy)
    assert result.counts["pipe_segment"] == 604
    back = tmp_path / "back.gpkg"
    transfer.transfer(copy, back)
    assert gpkg_differences(source, back) == []
    with pytest.raises(InputError, match="same map"):
        transfer.transfer(pg_map, pg_map, overwrite=True)


def test_not_a_map(pg_map, tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        transfer.transfer(pg_map, tmp_path / "x.gpkg")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(InputError, match="Both maps are GeoPackages"):
        transfer.transfer(tmp_path / "a.gpkg", tmp_path / "b.gpkg")


def test_styles_saved_from_qgis_come_back(district_copy, pg_map, con, tmp_path):
    """A newer style in public.layer_styles (where QGIS saves) replaces the map's copy on the way back."""
    source, _ = district_copy
    transfer.transfer(source, pg_map)
    with con.cursor() as cur:
        cur.execute("SELECT count(*) FROM public.layer_styles WHERE f_table_schema = %s", (pg_map.schema,))
        assert cur.fetchone()[0] == 2  # pipe_point, pipe_segment
        cur.execute("UPDATE public.layer_styles SET styleqml = '<qgis version=\"3.22\"><edited/></qgis>'::xml, "
                    "update_time = now() AT TIME ZONE 'UTC' + interval '1 hour' WHERE f_table_schema = %s "
                    "AND f_table_name = 'pipe_point'", (pg_map.schema,))
    con.commit()
    back = tmp_path / "back.gpkg"
    transfer.transfer(pg_map, back)
    assert gpkg_differences(source, back, ignore=("layer_styles",)) == []
    styles = {dict(r)["f_table_name"]: dict(r) for r in read_gpkg(back)["layer_styles"].values()}
    assert "<edited/>" in styles["pipe_point"]["styleQML"]
    assert "<edited/>" not in styles["pipe_segment"]["styleQML"]
    mapdb.drop_map(pg_map)
    with con.cursor() as cur:
        cur.execute("SELECT count(*) FROM public.layer_styles WHERE f_table_schema = %s", (pg_map.schema,))
        assert cur.fetchone()[0] == 0
    con.rollback()
