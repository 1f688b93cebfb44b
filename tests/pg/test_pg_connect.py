"""MAP strings: parsing, quoting, passwords never shown (no database needed)."""

from __future__ import annotations

import pytest

from pipemap.core.errors import InputError
from pipemap.core.pg.connect import PgMap, check_schema_name, is_postgis_map, parse_map


def test_service_and_schema():
    m = parse_map("service=city schema=pipes_2024")
    assert m.schema == "pipes_2024"
    assert m.kwargs() == {"service": "city"}
    assert m.display() == "service=city schema=pipes_2024"


def test_qgis_layer_uri_with_hostile_schema_and_password():
    # what QgsDataSourceUri.uri() writes for a layer (quotes escaped with backslashes)
    text = ("dbname='my db' host=127.0.0.1 port=5432 user='us\\'er' password='pa ss\\'w' sslmode=disable "
            "key='fid' srid=4547 type=LineStringZ checkPrimaryKeyUnicity='1' "
            "table=\"城市\\\"管线; DROP TABLE x;--\".\"pipe_segment\" (geom)")
    m = parse_map(text)
    assert m.schema == '城市"管线; DROP TABLE x;--'
    assert m.table == "pipe_segment"
    assert m.kwargs() == {"dbname": "my db", "host": "127.0.0.1", "port": "5432", "user": "us'er",
                          "password": "pa ss'w", "sslmode": "disable"}
    shown = m.display()
    assert "pa ss" not in shown and "password" not in shown
    assert "pa ss" not in repr(m) and "pa ss" not in str(m)
    # the string we write reads back to the same map
    again = parse_map(m.uri(with_password=True))
    assert (again.schema, again.kwargs()) == (m.schema, m.kwargs())


def test_gdal_style_and_authcfg():
    m = parse_map("PG:dbname=gis host=db active_schema=管线 authcfg=ab12cd3")
    assert (m.schema, m.authcfg, m.get("dbname")) == ("管线", "ab12cd3", "gis")
    assert "authcfg=ab12cd3" in m.display()


def test_qgis_enum_sslmode_is_translated():
    assert parse_map("service=a sslmode=SslRequire schema=s").get("sslmode") == "require"
    with pytest.raises(InputError, match="sslmode"):
        parse_map("service=a sslmode=sometimes schema=s")


@pytest.mark.parametrize("text, message", [
    ("service=city", "names no schema"),
    ("service=city schema=public", "reserved"),
    ("service=city schema=pg_catalog", "reserved"),
    ("service=city schema='" + "管" * 22 + "'", "longer than"),
    ("service=city schema='unterminated", "unterminated"),
    ("host=h port=fifty schema=s", "not a number"),
    ("service=a ;DROP schema=s", "key=value"),
])
def test_bad_strings_are_clear_errors(text, message):
    with pytest.raises(InputError, match=message):
        parse_map(text)


def test_is_postgis_map(tmp_path):
    gpkg = tmp_path / "dbname=x.gpkg"
    gpkg.write_bytes(b"")
    assert is_postgis_map("service=city schema=s")
    assert is_postgis_map("  dbname='gis' host=h schema=s")
    assert is_postgis_map("PG:dbname=gis")
    assert not is_postgis_map(str(tmp_path / "map.gpkg"))
    assert not is_postgis_map(str(gpkg))  # an existing file is a file, whatever its name
    assert not is_postgis_map("C:/maps/city.gpkg")
    assert not is_postgis_map("")
    assert not is_postgis_map(None)


def test_schema_names_that_work():
    for name in ('城市"管线; DROP TABLE x;--', "a'b", "Map 2024", "管线"):
        assert check_schema_name(name) == name
    assert PgMap("a'b").uri() == "schema='a\\'b'"
