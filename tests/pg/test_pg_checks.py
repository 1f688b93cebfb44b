"""Checks in the database (core/pg/checks.py) give the in-process findings, on a real PostGIS.

Compared on the sample district (clash, cover with the DEM and the carriageways, excavation by depth
and by bottom) and on a generated city of 50,000 segments (clash): the same pipe pairs, kinds,
verdicts, rules and reasons, clearances within 1 mm -- and the same verdict counts.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from pipemap_test_pgsupport import connect, map_string, unique_schema

from pipemap.core import mapread
from pipemap.core.checks.clash import check_clash
from pipemap.core.checks.cover import check_cover
from pipemap.core.checks.excavation import check_excavation
from pipemap.core.checks.ground import dem_ground
from pipemap.core.checks.pipes import Pipes
from pipemap.core.checks.rules import RuleSet
from pipemap.core.errors import CancelledError
from pipemap.core.pg import transfer
from pipemap.core.pg.checks import PgMapChecks, check_clash_pg
from pipemap.core.pg.connect import parse_map
from pipemap.core.progress import NullProgress

ROOT = Path(__file__).resolve().parents[2]
TOL_M = 0.001


def in_process_pipes(gpkg, rules):
    """The pipes exactly as pipemap:clashcheck MAP=<GeoPackage> reads them."""
    return Pipes.from_segments(mapread.read_segments(gpkg), rules)


def clash_rows(f):
    return {(a, b, k): (v, c, r, rid, sev, why) for a, b, k, v, c, r, rid, sev, why in zip(
        f.pipe_a, f.pipe_b, f.kind, f.verdict, f.clearance_m, f.required_m, f.rule_id, f.severity, f.reason)}


def assert_same_clash(db, ref):
    got, want = clash_rows(db), clash_rows(ref)
    assert set(got) == set(want), (sorted(set(got) - set(want))[:5], sorted(set(want) - set(got))[:5])
    for key, (v, c, r, rid, sev, why) in want.items():
        gv, gc, gr, grid, gsev, gwhy = got[key]
        assert (gv, grid, gsev, gwhy) == (v, rid, sev, why), key
        assert (np.isnan(gc) and np.isnan(c)) or abs(gc - c) <= TOL_M, (key, gc, c)
        assert (np.isnan(gr) and np.isnan(r)) or gr == r, key
    for name in ("PASS", "FAIL", "UNCERTAIN", "UNKNOWN", "no_rule", "pairs_near", "skipped_shared_endpoint",
                 "skipped_tee", "figures"):
        assert db.counts[name] == ref.counts[name], name
    assert [m.code for m in db.messages] == [m.code for m in ref.messages]


@pytest.fixture(scope="module")
def district_pg(imported_district, postgis):
    gpkg, district = imported_district
    pg = parse_map(map_string(postgis, unique_schema("chk")))
    transfer.transfer(gpkg, pg)
    return gpkg, district, pg


def test_clash_on_the_district_agrees(district_pg):
    gpkg, _, pg = district_pg
    rules = RuleSet.shipped()
    ref = check_clash(in_process_pipes(gpkg, rules), rules)
    with PgMapChecks(pg) as db:
        found = db.clash(rules)
        plan = db.explain_clash()
    assert len(ref) > 50 and {"FAIL", "UNCERTAIN"} <= set(ref.verdict)
    assert_same_clash(found, ref)
    assert "pipe_segment_geom_idx" in plan  # the search runs on the map's GiST index
    # with every figure (PASS too) and the whole advisory crossing order, still the same
    ref_all = check_clash(in_process_pipes(gpkg, rules), rules, include_pass=True, crossing_order="all")
    found_all = check_clash_pg(pg, rules, include_pass=True, crossing_order="all")
    assert len(ref_all) > len(ref) and {"vertical", "order"} <= set(ref_all.kind)
    assert_same_clash(found_all, ref_all)


def test_cover_on_the_district_agrees(district_pg):
    from osgeo import ogr

    gpkg, district, pg = district_pg
    rules = RuleSet.shipped()
    ds = ogr.Open(str(district.roads))
    import shapely

    roads = [shapely.from_wkb(bytes(f.GetGeometryRef().ExportToWkb())) for f in ds.GetLayerByName("carriageway")]
    ds = None
    ground = dem_ground(district.dem)
    ref = check_cover(in_process_pipes(gpkg, rules), rules, ground, roads, include_pass=True)
    with PgMapChecks(pg) as db:
        found = db.cover(rules, ground, roads, include_pass=True)
    assert found.counts["pipes_in_road"] > 0 and found.counts["pipes_crossing_road_edge"] > 0
    assert len(ref) == len(found) == ref.counts["pipes"]
    assert list(found.pipe_id) == list(ref.pipe_id)
    for name in ("verdict", "surface", "rule_id", "severity", "reason", "samples", "unknown_samples"):
        assert list(getattr(found, name)) == list(getattr(ref, name)), name
    for name in ("min_cover_m", "required_m", "margin_m", "x", "y"):
        a, b = getattr(found, name), getattr(ref, name)
        assert np.array_equal(np.isnan(a), np.isnan(b)) and np.nanmax(np.abs(a - b)) <= TOL_M, name
    assert {k: found.counts[k] for k in ref.counts} == ref.counts
    assert {"FAIL", "PASS"} <= set(ref.verdict) and set(ref.surface) >= {"motor", "non_motor"}
    # without roads: every sample non-motor, still the same
    ref2 = check_cover(in_process_pipes(gpkg, rules), rules, ground)
    with PgMapChecks(pg) as db:
        found2 = db.cover(rules, ground)
    assert list(found2.pipe_id) == list(ref2.pipe_id) and list(found2.verdict) == list(ref2.verdict)


def _pits():
    import shapely

    from pipemap.core import sample_district

    x, y = sample_district.ORIGIN
    return [shapely.box(x - 30, y - 30, x + 30, y + 30), shapely.box(x + 100, y - 5, x + 112, y + 40),
            shapely.Polygon([(x - 60, y + 60), (x - 20, y + 100), (x - 60, y + 100), (x - 20, y + 60)])]  # bow-tie


def excavation_rows(f):
    return {(e, p): (v, round(dm, 6) if np.isfinite(dm) else None, why) for e, p, v, dm, why in zip(
        f.exc_id, f.pipe_id, f.verdict, f.depth_m, f.reason)}


def test_excavation_on_the_district_agrees(district_pg):
    gpkg, district, pg = district_pg
    rules = RuleSet.shipped()
    ground = dem_ground(district.dem)
    pipes = in_process_pipes(gpkg, rules)
    ids = ["pit 1", "pit 2", "bow-tie"]
    ref = check_excavation(pipes, _pits(), safety_m=0.5, depth_m=3.0, exc_ids=ids, ground=ground,
                           quality=rules.quality, include_pass=True)
    with PgMapChecks(pg) as db:
        found = db.excavation(_pits(), safety_m=0.5, depth_m=3.0, exc_ids=ids, ground=ground, quality=rules.quality,
                              include_pass=True)
        read = db.stats["excavation_pipes"]
    assert 0 < read < len(pipes) / 2  # only the pipes near the pits left the database
    assert len(ref) > 10 and {"FAIL"} <= set(ref.verdict)
    assert excavation_rows(found) == excavation_rows(ref)
    assert sorted(m.code for m in found.messages if m.code == "check.invalid_polygon") == ["check.invalid_polygon"]
    # by bottom elevation, no ground
    ref_b = check_excavation(pipes, _pits(), safety_m=1.0, bottom_z=[-1.0, 40.0, 0.0], exc_ids=ids)
    with PgMapChecks(pg) as db:
        found_b = db.excavation(_pits(), safety_m=1.0, bottom_z=[-1.0, 40.0, 0.0], exc_ids=ids)
    assert excavation_rows(found_b) == excavation_rows(ref_b)


def _bench_checks():
    name = "pipemap_bench_checks_for_tests"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / "bench_checks.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def test_clash_on_a_city_of_50000_segments_agrees(postgis, tmp_path):
    gpkg = tmp_path / "city.gpkg"
    info = _bench_checks().write_city_map(gpkg, 50_000)
    assert info["segments"] >= 50_000
    pg = parse_map(map_string(postgis, unique_schema("city")))
    transfer.transfer(gpkg, pg)
    rules = RuleSet.shipped()
    ref = check_clash(in_process_pipes(gpkg, rules), rules)
    with PgMapChecks(pg) as db:
        found = db.clash(rules, workers=2)  # two connections share the search, in one snapshot
        assert db.stats["search_connections"] == 2
        search_s = db.stats["search_s"]
    assert len(ref) > 10_000 and ref.counts["FAIL"] > 1000 and {"horizontal", "vertical"} <= set(ref.kind)
    assert_same_clash(found, ref)

    # a cancel while the database searches stops the queries
    class CancelAfterReading(NullProgress):
        asked = False

        def report(self, fraction, message=""):
            self.asked = self.asked or fraction >= 0.25

        def cancelled(self):
            return self.asked

    t0 = time.perf_counter()
    with pytest.raises(CancelledError), PgMapChecks(pg) as db:
        db.clash(rules, workers=2, progress=CancelAfterReading())
    assert db.stats["search_interrupted"] == 2  # both connections' queries were stopped, not waited for
    assert time.perf_counter() - t0 < db.stats["read_s"] + search_s + 1.0


def test_hostile_schema_name(imported_district, postgis):
    gpkg, _ = imported_district
    schema = unique_schema("x") + '"; DROP TABLE pipe_segment; --管线\'s'
    pg = parse_map(map_string(postgis, schema))
    transfer.transfer(gpkg, pg)
    rules = RuleSet.shipped()
    ref = check_clash(in_process_pipes(gpkg, rules), rules)
    assert_same_clash(check_clash_pg(pg, rules), ref)
    con = connect(postgis)
    with con.cursor() as cur:  # nothing was dropped, nothing left behind
        cur.execute("SELECT count(*) FROM pg_tables WHERE schemaname = %s AND tablename = 'pipe_segment'", (schema,))
        assert cur.fetchone() == (1,)
        cur.execute("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'pipemap_check_%'")
        assert cur.fetchone() == (0,)
    con.close()


def test_the_check_sees_one_snapshot(imported_district, postgis, monkeypatch):
    """Segments moved by another user while a check runs do not mix into it: the pipes and every search
    connection's pairs come from the snapshot the check started with."""
    from pipemap.core.pg import checks as pgchecks

    gpkg, _ = imported_district
    pg = parse_map(map_string(postgis, unique_schema("snap")))
    transfer.transfer(gpkg, pg)
    rules = RuleSet.shipped()
    ref = check_clash(in_process_pipes(gpkg, rules), rules)
    monkeypatch.setattr(pgchecks, "MIN_SHARE_PIPES", 100)  # let the small district use several connections
    with PgMapChecks(pg) as db:
        db.read_pipes(rules)
        con = connect(postgis)
        with con.cursor() as cur:
            from psycopg2 import sql

            cur.execute(sql.SQL("UPDATE {} SET geom = ST_Translate(geom, 40, 30) WHERE fid % 2 = 0").format(
                sql.Identifier(pg.schema, "pipe_segment")))
            assert cur.rowcount > 250
        con.commit()
        con.close()
        found = db.clash(rules, workers=3)
        assert db.stats["search_connections"] == 3
    assert_same_clash(found, ref)
    after = check_clash_pg(pg, rules)  # a new check sees the moved segments
    assert clash_rows(after) != clash_rows(ref)


def test_pipes_read_from_postgis_are_those_of_the_geopackage(imported_district, postgis, tmp_path):
    """The database reader gives the GeoPackage reader's pipes, also for awkward text and NULLs."""
    import shutil

    from osgeo import gdal

    gpkg, _ = imported_district
    copy = tmp_path / "awkward.gpkg"
    shutil.copy(gpkg, copy)
    ds = gdal.OpenEx(str(copy), gdal.OF_VECTOR | gdal.OF_UPDATE)
    for statement in ("UPDATE pipe_segment SET seg_id = '管线\t1\n第二行 \\N ''q\"; --' WHERE fid = 3",
                      "UPDATE pipe_segment SET owner = NULL, material = NULL, dn_mm = NULL WHERE fid = 4",
                      "UPDATE pipe_segment SET owner = 'a\\b\tc\r' WHERE fid = 5"):
        ds.ExecuteSQL(statement)
    ds = None
    pg = parse_map(map_string(postgis, unique_schema("read")))
    transfer.transfer(copy, pg)
    rules = RuleSet.shipped()
    want = in_process_pipes(copy, rules)
    with PgMapChecks(pg) as db:
        got, fids = db.read_pipes(rules)
    assert len(got) == len(want) == len(fids) > 600 and np.all(np.diff(fids) > 0)
    assert "管线\t1\n第二行 \\N 'q\"; --" in list(got.ids) and "a\\b\tc\r" in list(got.owner)
    for name in ("ids", "category", "subcategory", "h_class", "v_class", "cover_class", "quality_level", "owner",
                 "h_status", "v_status", "cover_status"):
        assert list(getattr(got, name)) == list(getattr(want, name)), name
    for name in ("vertices", "offsets", "radius_h_m", "radius_v_m", "dn_mm"):
        assert np.array_equal(getattr(got, name), getattr(want, name), equal_nan=True), name


def test_a_missing_map_is_a_clear_error(postgis):
    from pipemap.core.errors import InputError

    pg = parse_map(map_string(postgis, unique_schema("none")))
    with pytest.raises(InputError, match="does not exist"):
        check_clash_pg(pg, RuleSet.shipped())
