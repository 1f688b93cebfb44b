"""Survey imports into a PostGIS map: the same result as a GeoPackage import, one transaction."""

from __future__ import annotations

import pytest
from pipemap_test_pgsupport import connect, read_gpkg

from pipemap.core.errors import CancelledError, OutputError
from pipemap.core.pg import imports, mapdb, transfer
from pipemap.core.progress import NullProgress

#: managed per back end: ids and edit stamps differ, everything else must not
_SKIP = {"modified_at", "version"}


def _by_key(tables, layer, key):
    out = {}
    for values in tables[layer].values():
        row = dict(values)
        out[row[key]] = {k: v for k, v in row.items() if k not in _SKIP}
    return out


def _state(postgis, schema):
    """Row counts and the audit size: what must not move when an import fails."""
    con = connect(postgis)
    with con.cursor() as cur:
        out = []
        for table in ("pipe_point", "pipe_segment", "audit_log"):
            cur.execute(f'SELECT count(*), COALESCE(sum(version), 0) FROM "{schema}"."{table}"'
                        if table != "audit_log" else f'SELECT count(*), 0 FROM "{schema}"."{table}"')
            out.append(cur.fetchone())
    con.close()
    return out


def test_import_equals_the_geopackage_import(imported_district, pg_map, postgis, tmp_path):
    gpkg, district = imported_district
    mapdb.create_map(pg_map, "EPSG:4547")
    result = imports.import_survey(pg_map, district.tables)
    assert result.committed and not result.errors
    assert (result.points_written, result.segments_written) == (594, 604)
    assert (result.points_updated, result.segments_updated) == (0, 0)
    back = tmp_path / "back.gpkg"
    transfer.transfer(pg_map, back)
    a, b = read_gpkg(gpkg), read_gpkg(back)
    for layer, key in (("pipe_point", "point_id"), ("pipe_segment", "seg_id")):
        ra, rb = _by_key(a, layer, key), _by_key(b, layer, key)
        assert set(ra) == set(rb)
        for k in ra:
            ra[k].pop("fid", None), rb[k].pop("fid", None)
            assert ra[k] == rb[k], (layer, k)
    # one IMPORT row plus one row per feature in the audit
    con = connect(postgis)
    with con.cursor() as cur:
        cur.execute(f'SELECT operation, count(*) FROM "{pg_map.schema}".audit_log GROUP BY 1')
        ops = dict(cur.fetchall())
    con.close()
    assert ops == {"CREATE": 1, "IMPORT": 1, "INSERT": 594 + 604}


def test_reimport_updates_and_versions(imported_district, pg_map, postgis):
    _, district = imported_district
    mapdb.create_map(pg_map, "EPSG:4547")
    imports.import_survey(pg_map, district.tables)
    again = imports.import_survey(pg_map, district.tables)
    assert (again.points_updated, again.segments_updated) == (594, 604)
    (points, pv), (segments, sv), _ = _state(postgis, pg_map.schema)
    assert (points, segments) == (594, 604)
    assert (pv, sv) == (2 * 594, 2 * 604)  # every feature at version 2


def test_failure_midway_leaves_the_map_unchanged(imported_district, pg_map, postgis):
    """Points are merged first; a segment breaking a database rule rolls the points back too."""
    _, district = imported_district
    mapdb.create_map(pg_map, "EPSG:4547")
    con = connect(postgis)
    with con.cursor() as cur:  # a material the tables use is withdrawn from this map's code list
        cur.execute(f'DELETE FROM "{pg_map.schema}".code_material WHERE code = %s', ("G",))
    con.commit()
    con.close()
    before = _state(postgis, pg_map.schema)
    with pytest.raises(OutputError) as err:
        imports.import_survey(pg_map, district.tables)
    assert "material" in str(err.value) and "unchanged" in str(err.value)
    assert _state(postgis, pg_map.schema) == before


def test_cancel_during_the_merge_leaves_the_map_unchanged(imported_district, pg_map, postgis):
    _, district = imported_district
    mapdb.create_map(pg_map, "EPSG:4547")
    imports.import_survey(pg_map, district.tables)
    before = _state(postgis, pg_map.schema)

    class CancelInMerge(NullProgress):
        last = 0.0

        def report(self, fraction, message=""):
            self.last = fraction

        def cancelled(self):
            return self.last >= 0.7  # the merge into PostGIS runs from 70 %

    with pytest.raises(CancelledError):
        imports.import_survey(pg_map, district.tables, progress=CancelInMerge())
    assert _state(postgis, pg_map.schema) == before


def test_errors_in_the_tables_change_nothing(tmp_path, pg_map, postgis):
    from pipemap.core import sample_district

    district = sample_district.generate(tmp_path, errors=True)
    mapdb.create_map(pg_map, "EPSG:4547")
    before = _state(postgis, pg_map.schema)
    result = imports.import_survey(pg_map, district.tables)
    assert not result.committed and result.errors
    assert _state(postgis, pg_map.schema) == before
