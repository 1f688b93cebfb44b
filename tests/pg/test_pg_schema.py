"""The data model on a real PostGIS: tables, keys, constraints, indexes, custom CRSs, hostile names."""

from __future__ import annotations

import pytest

from pipemap.core import schema
from pipemap.core.errors import InputError, OutputError
from pipemap.core.pg import mapdb, schema_sql
from pipemap.core.pg.connect import parse_map

LOCAL_CRS = "+proj=tmerc +lat_0=0 +lon_0=114.33 +k=1 +x_0=50000 +y_0=-3300000 +ellps=GRS80 +units=m +no_defs"
HOSTILE = '城市"管线; DROP TABLE x;--'


@pytest.fixture
def con(postgis):
    import psycopg2

    c = psycopg2.connect(**postgis)
    yield c
    c.close()


def _one(con, query, params=()):
    with con.cursor() as cur:
        cur.execute(query, params)
        row = cur.fetchone()
    con.rollback()
    return row


def test_create_map_has_the_model(pg_map, con):
    info = mapdb.create_map(pg_map, "EPSG:4547")
    assert info.srid == 4547
    assert info.schema_version == schema.SCHEMA_VERSION
    assert set(info.counts) == set(schema.all_table_names()) | {"layer_styles"}
    for cl in schema.CODE_LISTS:
        assert info.counts[cl.table] == len(cl.rows), cl.table
    assert info.counts["rule_class_map"] == len(schema.load_class_map())
    assert info.metadata["crs_authid"] == "EPSG:4547"
    assert info.metadata["z_convention_pipe_segment"] == "pipe centreline elevation"
    rows = dict()
    with con.cursor() as cur:
        cur.execute("SELECT f_table_name, type, coord_dimension, srid FROM geometry_columns WHERE f_table_schema = %s",
                    (pg_map.schema,))
        rows = {r[0]: r[1:] for r in cur.fetchall()}
        assert rows == {"pipe_point": ("POINT", 3, 4547), "pipe_segment": ("LINESTRING", 3, 4547),
                        "gpr_survey": ("LINESTRING", 2, 4547)}
        cur.execute("SELECT tablename FROM pg_indexes WHERE schemaname = %s AND indexdef LIKE '%%USING gist%%'",
                    (pg_map.schema,))
        assert {r[0] for r in cur.fetchall()} == {"pipe_point", "pipe_segment", "gpr_survey"}
        cur.execute("SELECT conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
                    "WHERE n.nspname = %s AND contype = 'f'", (pg_map.schema,))
        fkeys = {r[0] for r in cur.fetchall()}
    con.rollback()
    for name in ("pipe_segment_category_fkey", "pipe_segment_material_fkey", "pipe_segment_burial_method_fkey",
                 "pipe_segment_status_fkey", "pipe_segment_sensitivity_fkey", "pipe_segment_quality_level_fkey",
                 "pipe_segment_subcategory_category_fkey", "pipe_point_appurtenance_fkey"):
        assert name in fkeys


def _insert(con, schema_name, wkt, **values):
    from psycopg2 import sql

    values = {"seg_id": "S1", "category": "JS", **values}
    cols = list(values)
    with con.cursor() as cur:
        cur.execute(sql.SQL("INSERT INTO {} ({}, geom) VALUES ({}, ST_GeomFromText(%s, 4547))").format(
            sql.Identifier(schema_name, "pipe_segment"), sql.SQL(", ").join(map(sql.Identifier, cols)),
            sql.SQL(", ").join(sql.Placeholder() * len(cols))), [values[c] for c in cols] + [wkt])


LINE = "LINESTRING Z (500000 3380000 10, 500010 3380000 9.8)"


@pytest.mark.parametrize("wkt, values, error, constraint", [
    ("LINESTRING (500000 3380000, 500010 3380000)", {}, "InvalidParameterValue", None),  # 2D
    (LINE, {"dn_mm": -100.0}, "CheckViolation", "pipe_segment_dn_mm_positive"),
    (LINE, {"dn_mm": 0.0}, "CheckViolation", "pipe_segment_dn_mm_positive"),
    (LINE, {"wall_mm": -1.0}, "CheckViolation", "pipe_segment_wall_mm_not_negative"),
    (LINE, {"category": "XX"}, "ForeignKeyViolation", "pipe_segment_category_fkey"),
    (LINE, {"category": None}, "NotNullViolation", None),
    (LINE, {"material": "no such material"}, "ForeignKeyViolation", "pipe_segment_material_fkey"),
    (LINE, {"section": "oval"}, "CheckViolation", "pipe_segment_section_allowed"),
    ("LINESTRING Z (500000 3380000 10, 500000 3380000 10)", {}, "CheckViolation", "pipe_segment_geom_valid"),
])
def test_constraints_reject(pg_map, con, wkt, values, error, constraint):
    import psycopg2

    mapdb.create_map(pg_map, "EPSG:4547")
    with pytest.raises(psycopg2.Error) as err:
        _insert(con, pg_map.schema, wkt, **values)
    con.rollback()
    assert type(err.value).__name__ == error, err.value
    if constraint:
        assert err.value.diag.constraint_name == constraint
        assert constraint in schema_sql.CONSTRAINT_TEXT
    if "2D" in str(err.value) or error == "InvalidParameterValue":
        assert "Z dimension" in str(err.value)


def test_constraints_accept_good_rows(pg_map, con):
    import psycopg2

    mapdb.create_map(pg_map, "EPSG:4547")
    _insert(con, pg_map.schema, LINE, dn_mm=300.0, wall_mm=0.0, material="G", subcategory="SS", remark="钢管")
    # a vertical segment (a riser) is valid in 3D
    _insert(con, pg_map.schema, "LINESTRING Z (500000 3380000 10, 500000 3380000 8)", seg_id="S2")
    con.commit()
    assert _one(con, "SELECT count(*) FROM information_schema.tables WHERE table_schema = %s",
                (pg_map.schema,))[0] > 10
    # a sub-category of another category is refused
    with pytest.raises(psycopg2.errors.ForeignKeyViolation):
        _insert(con, pg_map.schema, LINE, seg_id="S3", category="RQ", subcategory="SS")
    con.rollback()
    with pytest.raises(psycopg2.errors.UniqueViolation):
        _insert(con, pg_map.schema, LINE, seg_id="S1")
    con.rollback()


def test_new_rows_get_version_and_stamp(pg_map, con):
    from psycopg2 import sql

    mapdb.create_map(pg_map, "EPSG:4547")
    _insert(con, pg_map.schema, LINE)
    con.commit()
    version, stamp = _one(con, sql.SQL("SELECT version, modified_at FROM {}").format(
        sql.Identifier(pg_map.schema, "pipe_segment")))
    assert version == 1 and stamp is not None


@pytest.mark.parametrize("name", [HOSTILE, "it's $body$ 管线 $$; --"])
def test_hostile_schema_name_is_a_name(postgis, con, name):
    from pipemap_test_pgsupport import map_string
    from psycopg2 import sql

    with con.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS public.x (id integer)")
    con.commit()
    m = parse_map(map_string(postgis, name))
    assert m.schema == name
    mapdb.create_map(m, "EPSG:4547", overwrite=True)
    assert _one(con, "SELECT count(*) FROM pg_namespace WHERE nspname = %s", (name,)) == (1,)
    assert _one(con, "SELECT to_regclass('public.x') IS NOT NULL") == (True,)
    assert mapdb.read_metadata(m)["schema_version"] == str(schema.SCHEMA_VERSION)
    # the triggers (whose bodies name the schema) work
    _insert(con, name, LINE)
    con.commit()
    with con.cursor() as cur:
        cur.execute(sql.SQL("UPDATE {} SET remark = 'x'").format(sql.Identifier(name, "pipe_segment")))
    con.commit()
    assert _one(con, sql.SQL("SELECT version FROM {}").format(sql.Identifier(name, "pipe_segment"))) == (2,)
    assert _one(con, sql.SQL("SELECT count(*) FROM {} WHERE operation = 'UPDATE'").format(
        sql.Identifier(name, "audit_log"))) == (1,)
    mapdb.drop_map(m)
    assert _one(con, "SELECT count(*) FROM pg_namespace WHERE nspname = %s", (name,)) == (0,)
    assert _one(con, "SELECT to_regclass('public.x') IS NOT NULL") == (True,)


def test_local_crs_gets_a_custom_srid_once(pg_map, con):
    a = mapdb.create_map(pg_map, LOCAL_CRS)
    b = mapdb.create_map(pg_map.with_schema(pg_map.schema + "_b"), LOCAL_CRS)
    assert a.srid == b.srid >= mapdb.CUSTOM_SRID_MIN
    auth, text = _one(con, "SELECT auth_name, srtext FROM spatial_ref_sys WHERE srid = %s", (a.srid,))
    assert auth == "PIPEMAP" and "114.33" in text
    assert a.metadata["crs_kind"] == "projected" and a.metadata["crs_authid"] == ""


def test_existing_schema_refused_or_replaced(pg_map, con):
    from psycopg2 import sql

    mapdb.create_map(pg_map, "EPSG:4547")
    _insert(con, pg_map.schema, LINE)
    con.commit()
    with pytest.raises(OutputError, match="already exists"):
        mapdb.create_map(pg_map, "EPSG:4547")
    assert _one(con, sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(pg_map.schema, "pipe_segment"))) == (1,)
    info = mapdb.create_map(pg_map, "EPSG:4547", overwrite=True)
    assert info.counts["pipe_segment"] == 0
    # a schema that is not a map is never replaced
    other = pg_map.with_schema(pg_map.schema + "_other")
    with con.cursor() as cur:
        cur.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(other.schema)))
    con.commit()
    with pytest.raises(OutputError, match="not a PipeMap map"):
        mapdb.create_map(other, "EPSG:4547", overwrite=True)
    assert _one(con, "SELECT count(*) FROM pg_namespace WHERE nspname = %s", (other.schema,)) == (1,)


def test_bad_crs_and_unreachable_database(pg_map, postgis):
    with pytest.raises(InputError, match="coordinate reference system"):
        mapdb.create_map(pg_map, "not a CRS")
    dead = pg_map.with_params(port="1", connect_timeout="2")
    with pytest.raises(InputError, match="Cannot connect"):
        mapdb.create_map(dead, "EPSG:4547")


def test_password_never_in_errors(pg_map):
    secret = pg_map.with_params(password="s3cr3t-value", port="1", connect_timeout="2")
    with pytest.raises(InputError) as err:
        mapdb.read_metadata(secret)
    assert "s3cr3t" not in str(err.value)
