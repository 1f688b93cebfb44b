"""Fuzzing the integrated map itself as an input (issue 10, point 1).

A map is a GeoPackage (SQLite) a user may have edited, copied half-way or
damaged. Starting from a real empty map (and a schema-1 map to upgrade), an
example changes metadata values (schema version, CRS), drops or renames a
table with SQL, flips bytes in the file or cuts it, then runs what reads a
map first: ``read_metadata``, ``read_map_info``, ``upgrade_map`` and a small
survey import into it. Allowed: a result or a PipeMapError naming the map;
and a map that was refused is left byte-identical.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipemap.core import mapfile
from pipemap.core.survey import importer

pytestmark = pytest.mark.fuzz

POINTS = "图上点号,X,Y,地面高程\nJS1,3379986.0,537960.0,24.6\nJS2,3380016.0,537960.0,24.7\n"
LINES = "起点点号,终点点号,起点埋深,终点埋深,管径,材质\nJS1,JS2,1.2,1.2,DN300,球墨铸铁\n"


def _settings(fraction: float) -> settings:
    return settings(max_examples=max(5, int(settings.default.max_examples * fraction)), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


SQL_CHANGES = [
    "UPDATE pipemap_metadata SET value = {v} WHERE key = 'schema_version'",
    "UPDATE pipemap_metadata SET value = {v} WHERE key = 'crs_wkt'",
    "UPDATE pipemap_metadata SET value = {v} WHERE key = 'crs_authid'",
    "DELETE FROM pipemap_metadata WHERE key = 'crs_wkt'",
    "DELETE FROM pipemap_metadata WHERE key = 'schema_version'",
    "DROP TABLE pipemap_metadata",
    "DROP TABLE pipe_segment",
    "ALTER TABLE pipe_point RENAME TO pipe_point_old",
    "ALTER TABLE pipe_segment DROP COLUMN seg_id",
    "DELETE FROM gpkg_contents WHERE table_name = 'pipe_point'",
    "DELETE FROM gpkg_geometry_columns",
    "UPDATE gpkg_spatial_ref_sys SET definition = {v}",
    "DROP TABLE gpr_survey",
    "PRAGMA journal_mode = WAL",
]
VALUES = st.one_of(st.sampled_from(["NULL", "''", "'abc'", "'99'", "'0'", "'-1'", "'1e3'", "'1'", "'2'",
                                    "X'00FF'", "'EPSG:999999'", "'PROJCS[\"broken\"'", "9e999", "'" + "9" * 50 + "'"]),
                   st.text(alphabet="abcXYZ019 _:[]", max_size=20).map(lambda t: "'" + t + "'"))


@st.composite
def map_case(draw: st.DrawFn) -> dict[str, Any]:
    changes = [draw(st.sampled_from(SQL_CHANGES)).replace("{v}", draw(VALUES))
               for _ in range(draw(st.integers(0, 2)))]
    return {
        "base": draw(st.sampled_from(["current", "v1"])),
        "sql": changes,
        "flips": draw(st.lists(st.tuples(st.integers(0, 2**20), st.integers(0, 255)), max_size=3)),
        "cut": draw(st.one_of(*[st.none()] * 3, st.integers(0, 2**20))),
        "action": draw(st.sampled_from(["metadata", "info", "upgrade", "import"])),
    }


def _v1_map(empty: Path, folder: Path, harness: Any) -> Path:
    """A schema-1 map (no gpr_survey layer) made from the current one."""
    target = harness.copy(empty, folder, "v1.gpkg")
    con = sqlite3.connect(target)
    with con:
        con.execute("UPDATE pipemap_metadata SET value = '1' WHERE key = 'schema_version'")
        for (trigger,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND "
                                      "tbl_name = 'gpr_survey'").fetchall():
            con.execute(f'DROP TRIGGER "{trigger}"')
        con.execute("DROP TABLE IF EXISTS rtree_gpr_survey_geom")
        con.execute("DROP TABLE IF EXISTS gpr_survey")
        for table in ("gpkg_contents", "gpkg_geometry_columns", "gpkg_extensions", "gpkg_data_columns"):
            con.execute(f"DELETE FROM {table} WHERE table_name = 'gpr_survey'")
    con.close()
    return target


@_settings(0.4)
@given(case=map_case())
# found: a NULL schema version was reported for the import's temporary copy, not the map
@example(case={"base": "current", "sql": ["UPDATE pipemap_metadata SET value = NULL WHERE key = 'schema_version'"],
               "flips": [], "cut": None, "action": "import"})
# found: a map without a CRS crashed the import in pyproj
@example(case={"base": "current", "sql": ["DELETE FROM pipemap_metadata WHERE key = 'crs_wkt'"], "flips": [],
               "cut": None, "action": "import"})
@example(case={"base": "current", "sql": ["UPDATE pipemap_metadata SET value = 'x' WHERE key = 'schema_version'"],
               "flips": [], "cut": None, "action": "info"})
# found: a damaged map failed its upgrade with sqlite3.DatabaseError ("database disk image is malformed")
@example(case={"base": "v1", "sql": [], "flips": [(52, 1)], "cut": None, "action": "upgrade"})
@example(case={"base": "v1", "sql": [], "flips": [(20, 1)], "cut": None, "action": "upgrade"})
# found: GDAL's RuntimeError on a damaged file escaped read_map_info
@example(case={"base": "current", "sql": [], "flips": [(10728, 14)], "cut": None, "action": "info"})
# found: a damaged byte inside a metadata value raised UnicodeDecodeError
@example(case={"base": "current", "sql": [], "flips": [(63987, 128)], "cut": None, "action": "metadata"})
# found: an invalid crs_authid failed the upgrade with a message naming only the CRS
@example(case={"base": "v1", "sql": ["UPDATE pipemap_metadata SET value = 'abc' WHERE key = 'crs_authid'"],
               "flips": [], "cut": None, "action": "upgrade"})
def test_fuzz_map_file(case: dict[str, Any], harness: Any, empty_map: Path) -> None:
    folder = harness.example_dir()
    target = harness.copy(empty_map, folder, "map.gpkg") if case["base"] == "current" else \
        _v1_map(empty_map, folder, harness)
    con = sqlite3.connect(target)
    for statement in case["sql"]:
        try:
            with con:
                con.execute(statement)
        except sqlite3.Error:
            pass  # a change this schema does not allow: the map stays as it was
    con.close()
    data = bytearray(target.read_bytes())
    for at, value in case["flips"]:
        data[at % len(data)] = value
    if case["cut"] is not None:
        data = data[:case["cut"] % (len(data) + 1)]
    target.write_bytes(bytes(data))
    before = harness.sha256(target)
    tables = folder / "tables"
    tables.mkdir()
    (tables / "JSPoint.csv").write_text(POINTS, encoding="utf-8")
    (tables / "JSLine.csv").write_text(LINES, encoding="utf-8")
    actions = {
        "metadata": lambda: mapfile.read_metadata(target),
        "info": lambda: mapfile.read_map_info(target),
        "upgrade": lambda: mapfile.upgrade_map(target),
        "import": lambda: importer.import_survey(target, tables),
    }
    outcome = harness.attempt(f"map.{case['action']}", actions[case["action"]], [target])
    assert harness.leftovers(folder) == [], "temporary files left beside the map"
    if outcome.kind == "refused" or case["action"] in ("metadata", "info"):
        assert harness.sha256(target) == before, "the map changed although nothing was written"
